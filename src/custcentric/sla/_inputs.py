"""Input conversion for :func:`evaluate_slas`: SLAs, segments and pauses."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from custcentric._validation import as_datetime_array, as_str_array, check_not_greater, fmt
from custcentric.domain import SLA
from custcentric.exceptions import InvalidInputError
from custcentric.sla._report import ALL_TIERS
from custcentric.sla._tiered import TieredSLA
from custcentric.typing import DatetimeArray, StrArray

__all__ = [
    "CustomerSegments",
    "HasSegmentation",
    "check_band_gaps",
    "flatten_slas",
    "lookup_tiers",
    "pause_intervals",
    "segment_table",
]


@runtime_checkable
class CustomerSegments(Protocol):
    """What :func:`evaluate_slas` reads from a segmentation result: ids and segment names.

    :class:`custcentric.segmentation.Segmentation` is one (built with ``customer_id``), and
    so is a :class:`custcentric.segmentation.ValueTiers` through its ``segmentation``; a
    user's own class with these two attributes is accepted as well. When the object also has
    a per-customer ``service_tier`` (``""`` where a segment has none), that is the tier an
    SLA's ``tiers`` name; elsewhere the segment's name is.

    Examples
    --------
    >>> import numpy as np
    >>> class MyTiers:
    ...     customer_id = np.array(["c1", "c2"])
    ...     labels = np.array(["gold", "bronze"])
    >>> isinstance(MyTiers(), CustomerSegments)
    True
    """

    @property
    def customer_id(self) -> Any:
        """The customers' ids (None when unknown: then it cannot be used)."""

    @property
    def labels(self) -> Any:
        """Each customer's segment name, aligned with ``customer_id``."""


def flatten_slas(slas: object) -> list[tuple[SLA, str]]:
    if isinstance(slas, SLA | TieredSLA):
        slas = [slas]
    if not isinstance(slas, Iterable) or isinstance(slas, str | Mapping):
        msg = f"`slas` must be an SLA, a TieredSLA or a list of them (got {fmt(slas)})."
        raise InvalidInputError(msg)
    out: list[tuple[SLA, str]] = []
    for i, item in enumerate(slas):
        if isinstance(item, TieredSLA):
            out.extend((s, item.id) for s in item.expand())
        elif isinstance(item, SLA):
            out.append((item, item.id))
        else:
            msg = f"`slas` must hold SLA or TieredSLA values (item {i}: {type(item).__name__})."
            raise InvalidInputError(msg)
    if not out:
        msg = "`slas` must hold at least one SLA (got none)."
        raise InvalidInputError(msg)
    ids = [s.id for s, _ in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        msg = f"`slas` must have distinct ids (repeated: {dupes})."
        raise InvalidInputError(msg)
    return out


def check_band_gaps(sla: SLA) -> None:
    """Refuse attainment bands that leave a hole between the lowest and the highest bound."""
    if sla.compensation is None or len(sla.compensation.bands) < 2:
        return
    bands = sorted(sla.compensation.bands, key=lambda b: b.lower)
    for low, high in itertools.pairwise(bands):
        hole = high.lower > low.upper or (
            high.lower == low.upper and not (low.upper_inclusive or high.lower_inclusive)
        )
        if hole:
            msg = (
                f"`bands` of SLA {sla.id!r} must not leave gaps (nothing covers attainment "
                f"between {low.upper:g} and {high.lower:g})."
            )
            raise InvalidInputError(msg)


@runtime_checkable
class HasSegmentation(Protocol):
    """A result that carries a :class:`CustomerSegments` (``ValueTiers.segmentation``)."""

    @property
    def segmentation(self) -> CustomerSegments:
        """The customers' segments."""


def _from_segmentation(segments: CustomerSegments) -> tuple[NDArray[Any], StrArray]:
    ids = segments.customer_id
    kind = type(segments).__name__
    if ids is None:
        msg = (
            f"`segments` must carry customer ids (this {kind} has `customer_id=None`; build it "
            "with the customers' ids, e.g. `Segmentation.from_labels(labels, customer_id=ids)`)."
        )
        raise InvalidInputError(msg)
    ids = np.asarray(ids)
    labels = as_str_array(np.asarray(segments.labels, dtype=object), "segments")
    service = getattr(segments, "service_tier", None)
    if service is not None:
        tiers = np.asarray(service).astype(np.str_)  # "" where a segment has no service tier
        if tiers.shape == labels.shape:
            labels = np.where(tiers != "", tiers, labels)
    if ids.ndim != 1 or ids.size != labels.size:
        msg = (
            f"`segments` ({kind}) must pair each customer id with one segment "
            f"({ids.size} ids, {labels.size} labels)."
        )
        raise InvalidInputError(msg)
    return ids, labels


def segment_table(segments: object) -> tuple[NDArray[Any], StrArray] | None:
    """Return (sorted customer ids, their tier labels) from any form of ``segments``.

    A mapping customer id -> tier, an (ids, labels) pair, a :class:`CustomerSegments` (a
    ``Segmentation``) or an object whose ``segmentation`` is one (``ValueTiers``).
    """
    if segments is None:
        return None
    inner = getattr(segments, "segmentation", None)
    if not isinstance(segments, CustomerSegments) and isinstance(inner, CustomerSegments):
        segments = inner
    if isinstance(segments, CustomerSegments) and not isinstance(segments, Mapping | tuple | list):
        ids, labels = _from_segmentation(segments)
    elif isinstance(segments, Mapping):
        ids = np.asarray(list(segments.keys()))
        labels = as_str_array(np.asarray(list(segments.values()), dtype=object), "segments")
    elif isinstance(segments, tuple | list) and len(segments) == 2:
        ids = np.asarray(segments[0])
        labels = as_str_array(segments[1], "segments")
        if ids.ndim != 1 or ids.size != labels.size:
            msg = (
                "`segments` must pair customer ids with tier labels of the same length "
                f"({ids.size} != {labels.size})."
            )
            raise InvalidInputError(msg)
    else:
        msg = (
            "`segments` must be a mapping customer id -> tier, a pair (customer ids, tiers) or "
            f"a Segmentation (or ValueTiers) with customer ids (got {type(segments).__name__})."
        )
        raise InvalidInputError(msg)
    order = np.argsort(ids, kind="stable")
    ids, labels = ids[order], labels[order]
    if ids.size > 1:
        dup = ids[1:] == ids[:-1]
        if dup.any():
            i = int(np.argmax(dup))
            msg = f"`segments` must give each customer one tier (customer {fmt(ids[i])} twice)."
            raise InvalidInputError(msg)
    return ids, labels


def lookup_tiers(customers: NDArray[Any], seg: tuple[NDArray[Any], StrArray] | None) -> StrArray:
    if seg is None:
        return np.full(customers.size, ALL_TIERS)
    ids, labels = seg
    if (ids.dtype.kind in "iu") != (customers.dtype.kind in "iu"):
        ids, customers = ids.astype(str), customers.astype(str)
        order = np.argsort(ids)
        ids, labels = ids[order], labels[order]
    pos = np.clip(np.searchsorted(ids, customers), 0, max(ids.size - 1, 0))
    found = ids[pos] == customers if ids.size else np.zeros(customers.size, dtype=bool)
    return np.where(found, labels[pos] if ids.size else "", "unassigned")


def pause_intervals(pauses: object) -> tuple[NDArray[Any], DatetimeArray, DatetimeArray] | None:
    if pauses is None:
        return None
    if not isinstance(pauses, tuple | list) or len(pauses) != 3:
        msg = "`pauses` must be a triple (case_id, start, end) of equal-length arrays."
        raise InvalidInputError(msg)
    cases = np.asarray(pauses[0])
    start = as_datetime_array(pauses[1], "pauses start", label="pause")
    end = as_datetime_array(pauses[2], "pauses end", label="pause")
    if cases.ndim != 1 or not cases.size == start.size == end.size:
        msg = "`pauses` must hold three arrays of the same length (case_id, start, end)."
        raise InvalidInputError(msg)
    check_not_greater(start, "pauses start", end, "pauses end", label="pause")
    order = np.lexsort((start, cases))
    cases, start, end = cases[order], start[order], end[order]
    if cases.size > 1:
        overlap = (cases[1:] == cases[:-1]) & (start[1:] < end[:-1])
        if overlap.any():
            i = int(np.argmax(overlap))
            msg = (
                f"`pauses` must not overlap within a case (case {fmt(cases[i])}: "
                f"{start[i + 1]} < {end[i]})."
            )
            raise InvalidInputError(msg)
    return cases, start, end
