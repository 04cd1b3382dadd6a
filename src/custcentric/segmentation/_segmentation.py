"""``Segmentation``: each customer mapped to a domain :class:`~custcentric.domain.Segment`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._result import Result
from custcentric._validation import as_1d, as_int_array, as_str_array, check_number, fmt
from custcentric.domain import Segment
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import as_id_array, as_optional_text, frozen
from custcentric.typing import IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Segmentation", "assign_service_tiers", "sorted_labels"]

#: The key under which :meth:`Segmentation.to_pandas` keeps the full segment definitions in
#: ``DataFrame.attrs`` (rules and segments without customers are not in the rows).
SEGMENTS_ATTR: Final = "custcentric.segments"
_FRAME_FIELDS: Final = ("customer_id", "segment", "tier_rank", "service_tier")


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
    return frozen(as_int_array(values, "codes", non_negative=True, label="customer"))


def _as_segments(values: object) -> tuple[Segment, ...]:
    if isinstance(values, str | bytes | Segment) or not isinstance(values, Sequence):
        msg = f"`segments` must be a sequence of Segment values (got {fmt(values)})."
        raise InvalidInputError(msg)
    return tuple(values)


def _as_ids(values: ArrayLike | None) -> NDArray[Any] | None:
    return None if values is None else frozen(as_id_array(values, "customer_id"))


@attrs.frozen(kw_only=True, eq=False)
class Segmentation(Result):
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

    segments: tuple[Segment, ...] = attrs.field(converter=_as_segments)
    codes: IntArray = attrs.field(converter=_as_codes)
    customer_id: NDArray[Any] | None = attrs.field(default=None, converter=_as_ids)

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
                f"`codes` must lie in [0, {len(self.segments) - 1}], one position in "
                f"`segments` each (customer {i}: {fmt(self.codes[i])})."
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
        """Return customer ``i``'s :class:`~custcentric.domain.Segment` (negative ``i`` counts from the end)."""
        n = len(self)
        position = int(check_number(i, "i", low=-n, high=n - 1, integer=True)) if n else None
        if position is None:
            msg = f"`i` must be a customer position, but the segmentation has no customers (got {fmt(i)})."
            raise InvalidInputError(msg)
        return self.segments[int(self.codes[position])]

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
        """One row per customer: id (if known), segment, tier rank and service tier.

        The frame's ``attrs`` keep the segment definitions (with their rules, and segments
        without customers) under ``"custcentric.segments"``, so that :meth:`from_pandas`
        reads the same segmentation back.

        Examples
        --------
        >>> from custcentric.segmentation import Segmentation
        >>> seg = Segmentation.from_labels(["a", "b"], customer_id=["c1", "c2"])
        >>> seg.to_pandas().columns.tolist()
        ['customer_id', 'segment', 'tier_rank', 'service_tier']
        """
        frame = make_frame(
            {
                "customer_id": self.customer_id,
                "segment": self.labels,
                "tier_rank": self.tier_rank,
                "service_tier": self.service_tier,
            }
        )
        frame.attrs[SEGMENTS_ATTR] = [s.to_dict() for s in self.segments]
        return frame

    @classmethod
    def from_pandas(
        cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
    ) -> Segmentation:
        """Read a segmentation from a frame of :meth:`to_pandas`' shape (needs ``pandas``).

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per customer with a column ``segment`` and optionally ``customer_id``,
            ``tier_rank`` and ``service_tier`` (empty or missing: none).
        columns : mapping of str to str, optional
            Frame column names for those fields where they differ, e.g.
            ``{"segment": "tier"}``.

        Returns
        -------
        Segmentation
            The frame of :meth:`to_pandas` gives back the same segments, codes and ids. Where
            the frame has lost its ``attrs`` (read from a file, say), the segments are the
            distinct names of ``segment``, ranked by ``tier_rank`` (else sorted), with their
            service tiers and no rules.

        Raises
        ------
        InvalidInputError
            For a missing ``segment`` column, a missing or empty name or id, a non-integer
            ``tier_rank``, or one segment name with two tier ranks or service tiers (the
            message names the first offending row).

        Examples
        --------
        >>> from custcentric.segmentation import Segmentation
        >>> seg = Segmentation.from_labels(["gold", "bronze"], order=["gold", "silver", "bronze"],
        ...                                customer_id=["c1", "c2"])
        >>> back = Segmentation.from_pandas(seg.to_pandas())
        >>> back.names, back.labels.tolist(), back.customer_id.tolist()
        (('gold', 'silver', 'bronze'), ['gold', 'bronze'], ['c1', 'c2'])
        >>> import pandas as pd
        >>> Segmentation.from_pandas(pd.DataFrame({"segment": ["b", "a", "b"]})).sizes.tolist()
        [1, 2]
        """
        data = frame_columns(frame, _FRAME_FIELDS, columns=columns, required=("segment",))
        labels = as_str_array(data["segment"], "segment", label="customer")
        ids = as_id_array(data["customer_id"], "customer_id") if "customer_id" in data else None
        stored = getattr(frame, "attrs", {}).get(SEGMENTS_ATTR)
        if stored is not None:
            segments = tuple(Segment.from_dict(item) for item in stored)
        else:
            segments = _segments_of_rows(labels, data)
        coded = cls.from_labels(labels, order=[s.name for s in segments], customer_id=ids)
        return cls(segments=segments, codes=coded.codes, customer_id=coded.customer_id)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        parts = ", ".join(
            f"{s.name}: {int(n)}" for s, n in zip(self.segments, self.sizes, strict=True)
        )
        return f"Segmentation({len(self)} customers; {parts})"


def _segments_of_rows(labels: StrArray, data: Mapping[str, NDArray[Any]]) -> tuple[Segment, ...]:
    """Return the segments a frame's rows name, one per distinct name, checked for agreement."""
    n = labels.size
    if n == 0:
        msg = "`frame` must hold at least one row (it has none, and no stored segments)."
        raise InvalidInputError(msg)
    names, first, codes = np.unique(labels, return_index=True, return_inverse=True)
    if "tier_rank" in data:
        ranks = as_int_array(data["tier_rank"], "tier_rank", label="customer")
    else:
        ranks = np.empty(0, dtype=np.int64)
    tiers = as_optional_text(data.get("service_tier"), "service_tier", n)
    for column, name in ((ranks, "tier_rank"), (tiers, "service_tier")):
        if column.size:
            differs = column != column[first][codes]
            if differs.any():
                i = int(np.argmax(differs))
                msg = (
                    f"`{name}` must be the same for every customer of a segment "
                    f"(customer {i}: {fmt(column[i])} for segment {fmt(labels[i])}, "
                    f"{fmt(column[first[codes[i]]])} before)."
                )
                raise InvalidInputError(msg)
    if ranks.size:
        order = np.lexsort((names, ranks[first]))
        rank_of = ranks[first]
    else:
        order = np.arange(names.size)  # np.unique sorted them, as from_labels would
        rank_of = order + 1
    return tuple(
        Segment(
            name=str(names[k]),
            tier_rank=int(rank_of[k]),
            service_tier=str(tiers[first[k]]) or None,
        )
        for k in order
    )


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
