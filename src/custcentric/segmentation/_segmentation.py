"""``Segmentation``: each customer mapped to a domain :class:`~custcentric.domain.Segment`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, fmt
from custcentric.domain import Segment
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import frozen, read_only
from custcentric.typing import IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Segmentation", "assign_service_tiers", "sorted_labels"]


def sorted_labels(*arrays: NDArray[Any]) -> list[str]:
    """Return the distinct labels of ``arrays`` as strings, in the labels' own order.

    Numbers sort as numbers (2 before 10), strings alphabetically; labels of mixed types
    that cannot be compared fall back to the order of their text.
    """
    joined = np.concatenate([np.asarray(a).ravel() for a in arrays])
    try:
        distinct = np.unique(joined)
    except TypeError:  # mixed types, e.g. 1 and "a" in an object array
        return sorted(set(joined.astype(np.str_).tolist()))
    return list(dict.fromkeys(distinct.astype(np.str_).tolist()))


def _as_codes(values: ArrayLike) -> IntArray:
    return frozen(np.asarray(values, dtype=np.int64))


@attrs.frozen(kw_only=True, eq=False)
class Segmentation:
    """Every customer mapped to one :class:`~custcentric.domain.Segment`.

    The segments carry their ``tier_rank`` (1 = most valuable) and ``service_tier``, so that
    SLA and IDIC code can read a customer's service level without knowing how the
    segments were made (value tiers, RFM rules, clusters).

    Attributes
    ----------
    segments : tuple of Segment
        The segments, in the order of their codes (possibly some with no customer).
    codes : ndarray of int64
        ``codes[i]`` is the position in ``segments`` of customer ``i``'s segment.
    customer_id : ndarray or None
        The customers' ids, when known (same length as ``codes``).

    Examples
    --------
    >>> from custcentric.segmentation import Segmentation
    >>> seg = Segmentation.from_labels(["gold", "bronze", "gold"], order=["gold", "bronze"])
    >>> seg.labels.tolist(), seg.tier_rank.tolist(), seg.sizes.tolist()
    (['gold', 'bronze', 'gold'], [1, 2, 1], [2, 1])
    >>> seg.segment(1).name
    'bronze'
    """

    segments: tuple[Segment, ...]
    codes: IntArray = attrs.field(converter=_as_codes)
    customer_id: NDArray[Any] | None = attrs.field(
        default=None, converter=attrs.converters.optional(read_only)
    )

    def __attrs_post_init__(self) -> None:
        if not self.segments:
            msg = "`segments` must hold at least one Segment (got none)."
            raise InvalidInputError(msg)
        items: tuple[object, ...] = self.segments
        for i, segment in enumerate(items):
            if not isinstance(segment, Segment):
                msg = f"`segments` must hold Segment values (index {i}: {fmt(segment)})."
                raise InvalidInputError(msg)
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            msg = f"`segments` must have distinct names (got {dup!r} twice)."
            raise InvalidInputError(msg)
        bad = (self.codes < 0) | (self.codes >= len(self.segments))
        if bad.any():
            i = int(np.argmax(bad))
            msg = (
                f"`codes` must lie in [0, {len(self.segments) - 1}] "
                f"(customer {i}: {fmt(self.codes[i])})."
            )
            raise InvalidInputError(msg)
        if self.customer_id is not None and len(self.customer_id) != len(self.codes):
            msg = (
                f"`customer_id` must have the same length as `codes` "
                f"({len(self.customer_id)} != {len(self.codes)})."
            )
            raise InvalidInputError(msg)

    @classmethod
    def from_labels(
        cls,
        labels: ArrayLike,
        *,
        order: Sequence[str] | None = None,
        rules: Mapping[str, str] | None = None,
        customer_id: ArrayLike | None = None,
    ) -> Segmentation:
        """Build a segmentation from one segment name per customer.

        Parameters
        ----------
        labels : array_like of str
            Each customer's segment name.
        order : sequence of str, optional
            All segment names, most valuable first (this gives ``tier_rank``); default the
            distinct labels sorted (numbers as numbers: 2 before 10).
        rules : mapping of str to str, optional
            A readable rule per segment name (``Segment.rule``).
        customer_id : array_like, optional
            The customers' ids.
        """
        raw = as_1d(labels, "labels")
        text: StrArray = raw.astype(np.str_) if raw.size else raw.astype("<U1")
        names = list(order) if order is not None else sorted_labels(raw)
        if not names:
            msg = "`labels` must not be empty."
            raise InvalidInputError(msg)
        lookup = np.array(names, dtype=np.str_)
        sorter = np.argsort(lookup, kind="stable")
        pos = np.searchsorted(lookup, text, sorter=sorter)
        pos = np.clip(pos, 0, len(names) - 1)
        codes = sorter[pos]
        bad = lookup[codes] != text
        if bad.any():
            i = int(np.argmax(bad))
            msg = f"`labels` must be one of `order` (customer {i}: {fmt(text[i])})."
            raise InvalidInputError(msg)
        rule_text = dict(rules or {})
        segments = tuple(
            Segment(name=name, tier_rank=k + 1, rule=rule_text.get(name, ""))
            for k, name in enumerate(names)
        )
        ids = None if customer_id is None else as_1d(customer_id, "customer_id")
        return cls(segments=segments, codes=codes.astype(np.int64), customer_id=ids)

    def __len__(self) -> int:
        return int(self.codes.size)

    @property
    def names(self) -> tuple[str, ...]:
        """The segment names, in code order."""
        return tuple(s.name for s in self.segments)

    @property
    def labels(self) -> StrArray:
        """Each customer's segment name."""
        return np.array(self.names, dtype=np.str_)[self.codes]

    @property
    def tier_rank(self) -> IntArray:
        """Each customer's segment ``tier_rank`` (1 = most valuable)."""
        return np.array([s.tier_rank for s in self.segments], dtype=np.int64)[self.codes]

    @property
    def service_tier(self) -> StrArray:
        """Each customer's service tier (``""`` where the segment has none)."""
        tiers = [s.service_tier or "" for s in self.segments]
        return np.array(tiers, dtype=np.str_)[self.codes]

    @property
    def sizes(self) -> IntArray:
        """The number of customers in each segment, in code order."""
        return np.bincount(self.codes, minlength=len(self.segments)).astype(np.int64)

    def segment(self, i: int) -> Segment:
        """Return customer ``i``'s :class:`~custcentric.domain.Segment`."""
        return self.segments[int(self.codes[i])]

    def members(self, name: str) -> IntArray:
        """Return the positions of the customers in the segment called ``name``."""
        if name not in self.names:
            options = ", ".join(repr(n) for n in self.names)
            msg = f"`name` must be one of {options} (got {name!r})."
            raise InvalidInputError(msg)
        return np.flatnonzero(self.codes == self.names.index(name)).astype(np.int64)

    def to_dict(self) -> dict[str, Any]:
        """Return the segments and each customer's segment name as plain data."""
        out: dict[str, Any] = {
            "segments": [s.to_dict() for s in self.segments],
            "labels": self.labels.tolist(),
        }
        if self.customer_id is not None:
            out["customer_id"] = self.customer_id.tolist()
        return out

    def to_pandas(self) -> pd.DataFrame:
        """One row per customer: id (if known), segment, tier rank and service tier."""
        return make_frame(
            {
                "customer_id": self.customer_id,
                "segment": self.labels,
                "tier_rank": self.tier_rank,
                "service_tier": self.service_tier,
            }
        )

    def __str__(self) -> str:
        parts = ", ".join(
            f"{s.name}: {int(n)}" for s, n in zip(self.segments, self.sizes, strict=True)
        )
        return f"Segmentation({len(self)} customers; {parts})"


def assign_service_tiers(
    segmentation: Segmentation,
    policy: Mapping[str | int, str | None],
    *,
    default: str | None = None,
) -> Segmentation:
    """Give every segment a service tier ("service levels per customer tier").

    Parameters
    ----------
    segmentation : Segmentation
        The customers and their segments.
    policy : mapping
        Service tier per segment, keyed by segment name or by ``tier_rank`` (int); a name
        key wins over a rank key. ``None`` as a value means "no service tier".
    default : str, optional
        The tier of a segment the policy does not mention; without it such a segment is an
        error.

    Returns
    -------
    Segmentation
        The same customers, with each segment's ``service_tier`` set.

    Raises
    ------
    InvalidInputError
        If a segment is in neither ``policy`` nor covered by ``default``.

    Examples
    --------
    >>> from custcentric.segmentation import Segmentation, assign_service_tiers
    >>> seg = Segmentation.from_labels(["A", "C", "B", "A"], order=["A", "B", "C"])
    >>> tiered = assign_service_tiers(seg, {1: "gold", 2: "silver"}, default="bronze")
    >>> tiered.service_tier.tolist()
    ['gold', 'bronze', 'silver', 'gold']
    >>> assign_service_tiers(seg, {"A": "gold"})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `policy` must give a service tier for segment 'B' (tier_rank 2) or pass `default`.
    """
    given: object = segmentation
    if not isinstance(given, Segmentation):
        msg = f"`segmentation` must be a Segmentation (got {type(given).__name__})."
        raise InvalidInputError(msg)
    given_policy: object = policy
    if not isinstance(given_policy, Mapping):
        msg = (
            f"`policy` must be a mapping of segment name or tier_rank to tier (got {fmt(policy)})."
        )
        raise InvalidInputError(msg)
    known = set(segmentation.names) | {s.tier_rank for s in segmentation.segments}
    for key in policy:
        if key not in known:
            msg = f"`policy` names no segment of this segmentation (got key {fmt(key)})."
            raise InvalidInputError(msg)
    segments = []
    for segment in segmentation.segments:
        if segment.name in policy:
            tier = policy[segment.name]
        elif segment.tier_rank in policy:
            tier = policy[segment.tier_rank]
        elif default is not None:
            tier = default
        else:
            msg = (
                f"`policy` must give a service tier for segment {segment.name!r} "
                f"(tier_rank {segment.tier_rank}) or pass `default`."
            )
            raise InvalidInputError(msg)
        segments.append(attrs.evolve(segment, service_tier=tier))
    return attrs.evolve(segmentation, segments=tuple(segments))
