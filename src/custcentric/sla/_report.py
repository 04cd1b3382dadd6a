"""Result classes of :func:`evaluate_slas`: one row per SLA and tier, and the breached cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._validation import (
    as_1d,
    as_float_array,
    as_int_array,
    as_str_array,
    check_confidence_level,
    first_true,
    fmt,
    is_missing,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import as_id_array, as_timestamps
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ALL_TIERS", "BreachedCases", "SLAReport", "SLAResult"]

ALL_TIERS: Final = "all"
"""The tier label of a report's row over every tier (and of every case without segments)."""

#: The keys under which :meth:`SLAReport.to_pandas` keeps the report's settings in
#: ``DataFrame.attrs``.
CONFIDENCE_ATTR: Final = "custcentric.confidence_level"
OBSERVATION_END_ATTR: Final = "custcentric.observation_end"

_BREACH_FIELDS = (
    "sla_id",
    "case_id",
    "customer_id",
    "tier",
    "start",
    "duration",
    "lateness",
    "open",
    "compensation",
)


@attrs.frozen(kw_only=True)
class SLAResult:
    """Compliance of one SLA for one tier (or ``"all"``).

    Attributes
    ----------
    sla_id, group : str
        The SLA's id, and the id it is reported under (a :class:`TieredSLA`'s base id, else
        the SLA's own).
    process_id, metric, tier : str
    target : float
        The threshold, in ``unit``.
    unit : str
    target_share : float
        The promised share of cases within ``target``.
    cases : int
        Cases evaluated: closed ones plus open ones already past the target.
    breaches, open_breaches : int
        Evaluated cases over the target, and how many of them are still open.
    pending : int
        Open cases not yet past the target (not counted in ``cases``).
    compliance : float or None
        ``(cases - breaches) / cases``; None without cases.
    ci_low, ci_high : float
        The Wilson interval of ``compliance`` (``(0, 1)`` without cases).
    met : bool or None
        Whether ``compliance >= target_share``.
    percentile : float or None
        The duration within which ``target_share`` of cases finished (Kaplan-Meier, open
        cases censored), in ``unit``; None when open cases leave it undetermined.
    band_rate : float
        The credit rate the SLA's attainment bands give this row's compliance (0 without
        bands).
    compensation : float
        Compensation owed for these cases, rounded to 2 decimals.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.sla import evaluate_slas
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2", "k3"], ["repair"] * 5,
    ...     ["reported", "fixed", "reported", "fixed", "reported"],
    ...     ["2025-01-06T09:00", "2025-01-06T17:00", "2025-01-06T10:00",
    ...      "2025-01-09T10:00", "2025-01-06T12:00"],
    ...     ["c1", "c1", "c2", "c2", "c3"])
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair",
    ...           metric="cycle_time", target=48, unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(sla, log)
    >>> row = report.row("fix-48h")
    >>> row.cases, row.breaches, row.open_breaches, round(row.compliance, 3), row.met
    (3, 2, 1, 0.333, False)
    >>> row.to_dict()["compensation"]
    20.0
    """

    sla_id: str
    group: str
    process_id: str
    metric: str
    tier: str
    target: float
    unit: str
    target_share: float
    cases: int
    breaches: int
    open_breaches: int
    pending: int
    compliance: float | None
    ci_low: float
    ci_high: float
    met: bool | None
    percentile: float | None
    band_rate: float
    compensation: float

    def to_dict(self) -> dict[str, Any]:
        """Return the row as plain JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True, eq=False)
class BreachedCases:
    """The cases that missed their target, one row per (SLA, case), as read-only arrays.

    Attributes
    ----------
    sla_id : ndarray of str
    case_id, customer_id : ndarray
    tier : ndarray of str
    start : ndarray of datetime64[s]
        When the measured interval began.
    duration, lateness : ndarray of float64
        The measured duration and its excess over the target, in the SLA's unit (for open
        cases, up to the observation end).
    open : ndarray of bool
        Whether the case is still open.
    compensation : ndarray of float64
        The case's own compensation (after any period cap; band credits are per customer
        and period and appear only in the report's rows).

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.sla import evaluate_slas
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2", "k3"], ["repair"] * 5,
    ...     ["reported", "fixed", "reported", "fixed", "reported"],
    ...     ["2025-01-06T09:00", "2025-01-06T17:00", "2025-01-06T10:00",
    ...      "2025-01-09T10:00", "2025-01-06T12:00"],
    ...     ["c1", "c1", "c2", "c2", "c3"])
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair",
    ...           metric="cycle_time", target=48, unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(sla, log)
    >>> cases = report.breached
    >>> cases.case_id.tolist(), cases.lateness.tolist(), cases.open.tolist()
    (['k2', 'k3'], [24.0, 22.0], [False, True])
    """

    sla_id: StrArray
    case_id: NDArray[Any]
    customer_id: NDArray[Any]
    tier: StrArray
    start: DatetimeArray
    duration: FloatArray
    lateness: FloatArray
    open: BoolArray
    compensation: FloatArray

    @classmethod
    def concatenate(cls, parts: Sequence[dict[str, NDArray[Any]]]) -> BreachedCases:
        """Join per-SLA column dicts into one read-only table."""
        columns: dict[str, NDArray[Any]] = {}
        for name in _BREACH_FIELDS:
            arrays = [p[name] for p in parts]
            if name in ("sla_id", "tier"):
                arrays = [a.astype(str) for a in arrays]
            joined = np.concatenate(arrays) if arrays else np.array([])
            joined.setflags(write=False)
            columns[name] = joined
        return cls(**columns)

    def __len__(self) -> int:
        return int(self.sla_id.size)

    def to_dict(self) -> dict[str, list[Any]]:
        """Return the columns as plain lists (timestamps as ISO strings)."""
        out: dict[str, list[Any]] = {}
        for name in _BREACH_FIELDS:
            values = getattr(self, name)
            out[name] = values.astype(str).tolist() if name == "start" else values.tolist()
        return out

    def to_pandas(self) -> pd.DataFrame:
        """Return the cases as a DataFrame (needs the ``pandas`` extra); see :meth:`from_pandas`."""
        return make_frame({name: getattr(self, name) for name in _BREACH_FIELDS})

    @classmethod
    def from_pandas(
        cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
    ) -> BreachedCases:
        """Read the breached cases back from a frame of :meth:`to_pandas` (needs ``pandas``).

        Parameters
        ----------
        frame : pandas.DataFrame
            The columns of :meth:`to_pandas`: ``sla_id``, ``case_id``, ``customer_id``,
            ``tier``, ``start``, ``duration``, ``lateness``, ``open``, ``compensation``.
        columns : mapping of str to str, optional
            Frame column names for those fields where they differ.

        Returns
        -------
        BreachedCases
            Equal to the cases the frame was made from, field by field.

        Raises
        ------
        InvalidInputError
            For a missing column, a missing id or text, a bad timestamp, a non-finite or
            negative duration or compensation, or an ``open`` flag other than 0/1 (the
            message names the first offending row).

        Examples
        --------
        >>> import pandas as pd
        >>> from custcentric.sla import BreachedCases
        >>> frame = pd.DataFrame({"sla_id": ["fix"], "case_id": ["k2"], "customer_id": ["c2"],
        ...     "tier": ["all"], "start": pd.to_datetime(["2025-01-06T10:00"]),
        ...     "duration": [72.0], "lateness": [24.0], "open": [False], "compensation": [10.0]})
        >>> cases = BreachedCases.from_pandas(frame)
        >>> cases.case_id.tolist(), cases.lateness.tolist(), str(cases.start[0])
        (['k2'], [24.0], '2025-01-06T10:00:00')
        >>> BreachedCases.from_pandas(cases.to_pandas()).open.tolist()
        [False]
        """
        data = frame_columns(frame, _BREACH_FIELDS, columns=columns, required=_BREACH_FIELDS)
        return cls._checked(
            sla_id=_text(data["sla_id"], "sla_id"),
            case_id=as_id_array(data["case_id"], "case_id"),
            customer_id=as_id_array(data["customer_id"], "customer_id"),
            tier=_text(data["tier"], "tier"),
            start=as_timestamps(data["start"], "start"),
            duration=as_float_array(data["duration"], "duration", non_negative=True),
            lateness=as_float_array(data["lateness"], "lateness"),
            open=_flags(data["open"], "open"),
            compensation=as_float_array(data["compensation"], "compensation", non_negative=True),
        )

    @classmethod
    def _checked(cls, **columns: NDArray[Any]) -> BreachedCases:
        for array in columns.values():
            array.setflags(write=False)
        return cls(**columns)


@attrs.frozen(kw_only=True, eq=False)
class SLAReport:
    """The compliance report of :func:`evaluate_slas`.

    Attributes
    ----------
    rows : tuple of SLAResult
        Per SLA, one row per tier (in the SLA's tier order, else alphabetical) and then the
        ``"all"`` row.
    breached : BreachedCases
        Every breached case.
    confidence_level : float
        Of the Wilson intervals.
    observation_end : str
        The evaluation moment, ISO 8601.

    Examples
    --------
    Case k3 is still open at the last event, 70 hours after it was reported: a breach.

    >>> from custcentric.domain import SLA
    >>> from custcentric.sla import evaluate_slas
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2", "k3"], ["repair"] * 5,
    ...     ["reported", "fixed", "reported", "fixed", "reported"],
    ...     ["2025-01-06T09:00", "2025-01-06T17:00", "2025-01-06T10:00",
    ...      "2025-01-09T10:00", "2025-01-06T12:00"],
    ...     ["c1", "c1", "c2", "c2", "c3"])
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair",
    ...           metric="cycle_time", target=48, unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(sla, log)
    >>> report.observation_end, report.total_compensation
    ('2025-01-09T10:00:00', 20.0)
    >>> print(report.summary().splitlines()[2])
    fix-48h                            all             3      2   33.3%     90%    72.0h     20.00
    """

    rows: tuple[SLAResult, ...]
    breached: BreachedCases
    confidence_level: float
    observation_end: str

    def row(self, sla_id: str, tier: str = ALL_TIERS) -> SLAResult:
        """Return the row of ``sla_id`` for ``tier``; a TieredSLA's base id finds its tiers.

        An SLA restricted to one tier has no ``"all"`` row; asking for it returns the
        tier's row.
        """
        for r in self.rows:
            if r.sla_id == sla_id and r.tier == tier:
                return r
        for r in self.rows:
            if r.group == sla_id and r.tier == tier:
                return r
        own = [r for r in self.rows if r.sla_id == sla_id]
        if tier == ALL_TIERS and len(own) == 1:
            return own[0]
        known = sorted({r.sla_id for r in self.rows} | {r.group for r in self.rows})
        msg = (
            f"`sla_id` and `tier` must name a row of the report (got {sla_id!r}, {tier!r}; "
            f"SLAs: {known})."
        )
        raise InvalidInputError(msg)

    @property
    def total_compensation(self) -> float:
        """Compensation owed over all SLAs."""
        total = 0.0
        for sla_id in dict.fromkeys(r.sla_id for r in self.rows):
            total += self.row(sla_id).compensation
        return round(total, 2)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return {
            "observation_end": self.observation_end,
            "confidence_level": self.confidence_level,
            "rows": [r.to_dict() for r in self.rows],
            "breached": self.breached.to_dict(),
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return the rows as a DataFrame (needs the ``pandas`` extra).

        One row per :class:`SLAResult`, one column per field (None as NaN); the frame's
        ``attrs`` keep ``confidence_level`` and ``observation_end``, so that
        :meth:`from_pandas` reads the same report back.
        """
        columns = {
            n: np.array([np.nan if getattr(r, n) is None else getattr(r, n) for r in self.rows])
            for n in _RESULT_FIELDS
        }
        frame = make_frame(columns)
        frame.attrs[CONFIDENCE_ATTR] = self.confidence_level
        frame.attrs[OBSERVATION_END_ATTR] = self.observation_end
        return frame

    @classmethod
    def from_pandas(
        cls,
        frame: pd.DataFrame,
        *,
        breached: pd.DataFrame | None = None,
        confidence_level: float | None = None,
        observation_end: str | None = None,
    ) -> SLAReport:
        """Read a report back from the frame of :meth:`to_pandas` (needs the ``pandas`` extra).

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per :class:`SLAResult`, one column per field; NaN in ``compliance``,
            ``met`` or ``percentile`` is None.
        breached : pandas.DataFrame, optional
            The frame of :meth:`BreachedCases.to_pandas`; no breached cases when omitted.
        confidence_level : float, optional
            Of the Wilson intervals; default the one :meth:`to_pandas` kept in
            ``frame.attrs`` (required when the frame has lost them).
        observation_end : str, optional
            The evaluation moment, ISO 8601; default as ``confidence_level``.

        Returns
        -------
        SLAReport
            ``SLAReport.from_pandas(r.to_pandas(), breached=r.breached.to_pandas())`` is
            equal to ``r`` field by field.

        Raises
        ------
        InvalidInputError
            For a missing column, a bad value (the message names the first offending row),
            or a setting neither given nor kept in ``frame.attrs``.

        Examples
        --------
        One case, closed 24 hours after it opened against a 12-hour target:

        >>> from custcentric.domain import SLA
        >>> from custcentric.sla import SLAReport, evaluate_slas
        >>> from custcentric.tables import EventLog
        >>> log = EventLog.from_arrays(["k1"] * 2, ["p"] * 2, ["open", "done"],
        ...                            ["2025-01-06T09:00", "2025-01-07T09:00"], ["c1"] * 2)
        >>> sla = SLA(id="s", name="s", process_id="p", metric="cycle_time", target=12, unit="h")
        >>> report = evaluate_slas(sla, log)
        >>> back = SLAReport.from_pandas(report.to_pandas(), breached=report.breached.to_pandas())
        >>> back.rows == report.rows, back.observation_end, back.breached.lateness.tolist()
        (True, '2025-01-07T09:00:00', [12.0])
        """
        data = frame_columns(frame, _RESULT_FIELDS, columns=None, required=_RESULT_FIELDS)
        kept = getattr(frame, "attrs", {})
        level = check_confidence_level(_setting(confidence_level, kept, CONFIDENCE_ATTR))
        end = _setting(observation_end, kept, OBSERVATION_END_ATTR)
        if not isinstance(end, str):
            msg = f"`observation_end` must be an ISO 8601 string (got {fmt(end)})."
            raise InvalidInputError(msg)
        values: dict[str, list[Any]] = {}
        for name in _RESULT_FIELDS:
            values[name] = _RESULT_READERS[name](data[name], name)
        rows = tuple(
            SLAResult(**{name: values[name][i] for name in _RESULT_FIELDS})
            for i in range(len(frame))
        )
        cases = (
            BreachedCases.concatenate([])
            if breached is None
            else BreachedCases.from_pandas(breached)
        )
        return cls(rows=rows, breached=cases, confidence_level=level, observation_end=end)

    def summary(self) -> str:
        """Return a plain-text table of the rows."""
        header = f"{'SLA':<34} {'tier':<10} {'cases':>6} {'breach':>6} {'share':>7} {'target':>7} {'p-ile':>8} {'owed':>9}"
        lines = [f"SLA compliance as of {self.observation_end}", header]
        for r in self.rows:
            share = "-" if r.compliance is None else f"{100 * r.compliance:.1f}%"
            pct = "-" if r.percentile is None else f"{r.percentile:.1f}{r.unit}"
            lines.append(
                f"{r.sla_id[:34]:<34} {r.tier[:10]:<10} {r.cases:>6} {r.breaches:>6} "
                f"{share:>7} {100 * r.target_share:>6.0f}% {pct:>8} {r.compensation:>9.2f}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


_RESULT_FIELDS: Final = tuple(f.name for f in attrs.fields(SLAResult))


def _setting(given: Any, kept: Mapping[str, Any], key: str) -> Any:
    if given is not None:
        return given
    if key in kept:
        return kept[key]
    name = key.split(".")[-1]
    msg = (
        f"`{name}` must be given: the frame does not keep it in its attrs (a frame read from "
        "a file loses them)."
    )
    raise InvalidInputError(msg)


def _text(values: ArrayLike, name: str) -> StrArray:
    raw = as_1d(values, name)
    if raw.size == 0:
        return np.empty(0, dtype=np.str_)
    return as_str_array(raw, name, label="row")


def _flags(values: ArrayLike, name: str) -> BoolArray:
    raw = as_1d(values, name)
    if raw.dtype.kind == "b":
        return np.ascontiguousarray(raw, dtype=bool)
    numbers = as_float_array(raw, name, label="row")
    bad = (numbers != 0) & (numbers != 1)
    if bad.any():
        i = first_true(bad)
        msg = f"`{name}` must hold booleans or 0/1 (row {i}: {fmt(raw[i])})."
        raise InvalidInputError(msg)
    flags: BoolArray = numbers == 1
    return flags


def _optional(values: ArrayLike, name: str) -> list[Any]:
    """Return the column as Python values with NaN (and other missing markers) as None."""
    raw = as_1d(values, name)
    if raw.dtype.kind == "O":
        missing = np.fromiter((is_missing(v) for v in raw), dtype=bool, count=raw.size)
        present = as_float_array(raw[~missing], name, label="row") if (~missing).any() else raw
        floats = np.full(raw.size, np.nan)
        floats[~missing] = present
    else:
        floats = as_float_array(raw, name, allow_nan=True, label="row")
    return [None if np.isnan(v) else float(v) for v in floats]


def _optional_flag(values: ArrayLike, name: str) -> list[Any]:
    raw = as_1d(values, name)
    if raw.dtype.kind == "b":
        return [bool(v) for v in raw]
    if raw.dtype.kind == "O":  # e.g. True, False and None: booleans as numbers here
        raw = np.array(
            [float(v) if isinstance(v, bool | np.bool_) else v for v in raw], dtype=object
        )
    numbers = _optional(raw, name)
    for i, v in enumerate(numbers):
        if v is not None and v not in (0, 1):
            msg = f"`{name}` must hold booleans, 0/1 or missing values (row {i}: {fmt(v)})."
            raise InvalidInputError(msg)
    return [None if v is None else bool(v) for v in numbers]


def _texts(values: ArrayLike, name: str) -> list[Any]:
    return list(_text(values, name).tolist())


def _floats(values: ArrayLike, name: str) -> list[Any]:
    return list(as_float_array(values, name, label="row").tolist())


def _counts(values: ArrayLike, name: str) -> list[Any]:
    return list(as_int_array(values, name, non_negative=True, label="row").tolist())


_RESULT_READERS: Final[dict[str, Any]] = {
    "sla_id": _texts,
    "group": _texts,
    "process_id": _texts,
    "metric": _texts,
    "tier": _texts,
    "target": _floats,
    "unit": _texts,
    "target_share": _floats,
    "cases": _counts,
    "breaches": _counts,
    "open_breaches": _counts,
    "pending": _counts,
    "compliance": _optional,
    "ci_low": _floats,
    "ci_high": _floats,
    "met": _optional_flag,
    "percentile": _optional,
    "band_rate": _floats,
    "compensation": _floats,
}
