"""Result classes of :func:`evaluate_slas`: one row per SLA and tier, and the breached cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import REMOVED_IN, SINCE, warn_deprecated
from custcentric._pandas import frame_columns, make_frame
from custcentric._result import Result, jsonable, read_only
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
class SLAResult(Result):
    """Compliance of one SLA for one tier (or ``"all"``).

    Attributes
    ----------
    sla_id, group : str
        The SLA's id, and the id it is reported under (a :class:`TieredSLA`'s base id, else
        the SLA's own).
    process_id, metric, tier : str
    target : float
        The threshold, in ``time_unit``.
    time_unit : str
        The SLA's clock unit (``unit`` is its deprecated name).
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
        cases censored), in ``time_unit``; None when open cases leave it undetermined.
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
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(log, sla)
    >>> row = report.row("fix-48h")
    >>> row.cases, row.breaches, row.open_breaches, round(row.compliance, 3), row.met
    (3, 2, 1, 0.333, False)
    >>> row.to_dict()["compensation"]
    20.0
    >>> print(row)
    fix-48h (all): 3 cases, 2 breaches, compliance 33.3% against 90%, owed 20.00
    """

    sla_id: str
    group: str
    process_id: str
    metric: str
    tier: str
    target: float
    time_unit: str
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

    @property
    def unit(self) -> str:
        """Deprecated name of ``time_unit`` (warns)."""
        warn_deprecated(
            "`SLAResult.unit`", "`SLAResult.time_unit`", since=SINCE, removed_in=REMOVED_IN
        )
        return self.time_unit

    def summary(self) -> str:
        """Return the row in one line."""
        share = "no evaluated cases" if self.compliance is None else f"{self.compliance:.1%}"
        return (
            f"{self.sla_id} ({self.tier}): {self.cases} cases, {self.breaches} breaches, "
            f"compliance {share} against {self.target_share:.0%}, owed {self.compensation:.2f}"
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SLAResult:
        """Build a row from :meth:`to_dict` output (a stored ``"unit"`` key still loads).

        Examples
        --------
        >>> from custcentric.sla import SLAResult
        >>> row = SLAResult(sla_id="s", group="s", process_id="p", metric="cycle_time",
        ...     tier="all", target=12.0, time_unit="h", target_share=1.0, cases=1, breaches=1,
        ...     open_breaches=0, pending=0, compliance=0.0, ci_low=0.0, ci_high=0.79,
        ...     met=False, percentile=24.0, band_rate=0.0, compensation=0.0)
        >>> SLAResult.from_dict(row.to_dict()) == row
        True
        """
        if not isinstance(cast(object, data), Mapping):
            msg = f"`data` must be a mapping for SLAResult.from_dict (got {fmt(data)})."
            raise InvalidInputError(msg)
        fields = dict(data)
        if "unit" in fields and "time_unit" not in fields:  # written before 0.2
            fields["time_unit"] = fields.pop("unit")
        missing = [n for n in _RESULT_FIELDS if n not in fields]
        unknown = sorted(set(fields) - set(_RESULT_FIELDS))
        if missing or unknown:
            msg = (
                f"`data` must have the keys of SLAResult.to_dict (missing {missing}, "
                f"unknown {unknown})."
            )
            raise InvalidInputError(msg)
        values = {
            n: _RESULT_READERS[n](np.asarray([fields[n]], dtype=object), n)[0]
            for n in _RESULT_FIELDS
        }
        return cls(**values)


@attrs.frozen(kw_only=True, eq=False)
class BreachedCases(Result):
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
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(log, sla)
    >>> cases = report.breached
    >>> cases.case_id.tolist(), cases.lateness.tolist(), cases.open.tolist()
    (['k2', 'k3'], [24.0, 22.0], [False, True])
    >>> print(cases)
    2 breached cases (1 still open) of 1 SLA, compensation 20.00
    """

    _columns = _BREACH_FIELDS

    sla_id: StrArray = attrs.field(converter=read_only)
    case_id: NDArray[Any] = attrs.field(converter=read_only)
    customer_id: NDArray[Any] = attrs.field(converter=read_only)
    tier: StrArray = attrs.field(converter=read_only)
    start: DatetimeArray = attrs.field(converter=read_only)
    duration: FloatArray = attrs.field(converter=read_only)
    lateness: FloatArray = attrs.field(converter=read_only)
    open: BoolArray = attrs.field(converter=read_only)
    compensation: FloatArray = attrs.field(converter=read_only)

    @classmethod
    def concatenate(cls, parts: Sequence[dict[str, NDArray[Any]]]) -> BreachedCases:
        """Join per-SLA column dicts into one read-only table."""
        if isinstance(parts, str | bytes | Mapping) or not isinstance(parts, Sequence):
            msg = f"`parts` must be a list of column dicts (got {fmt(parts)})."
            raise InvalidInputError(msg)
        for i, part in enumerate(parts):
            if not isinstance(part, Mapping) or any(n not in part for n in _BREACH_FIELDS):
                msg = (
                    f"`parts` must hold mappings with the columns {list(_BREACH_FIELDS)} "
                    f"(item {i}: {fmt(part)})."
                )
                raise InvalidInputError(msg)
        columns: dict[str, NDArray[Any]] = {}
        for name in _BREACH_FIELDS:
            arrays = [p[name] for p in parts]
            if name in ("sla_id", "tier"):
                arrays = [a.astype(str) for a in arrays]
            columns[name] = np.concatenate(arrays) if arrays else _EMPTY[name]
        return cls(**columns)

    def __len__(self) -> int:
        return int(self.sla_id.size)

    def summary(self) -> str:
        """Return how many cases breached, how many are open, and what they are owed."""
        n_sla = len(set(self.sla_id.tolist()))
        return (
            f"{len(self)} breached case{'s' if len(self) != 1 else ''} "
            f"({int(self.open.sum())} still open) of {n_sla} SLA{'s' if n_sla != 1 else ''}, "
            f"compensation {float(self.compensation.sum()):.2f}"
        )

    def to_dict(self) -> dict[str, list[Any]]:
        """Return the columns as plain lists (timestamps as ISO strings); see :meth:`from_dict`."""
        out: dict[str, list[Any]] = {}
        for name in _BREACH_FIELDS:
            values = getattr(self, name)
            out[name] = values.astype(str).tolist() if name == "start" else jsonable(values)
        return out

    def to_pandas(self) -> pd.DataFrame:
        """Return the cases as a DataFrame (needs the ``pandas`` extra); see :meth:`from_pandas`."""
        return make_frame({name: getattr(self, name) for name in _BREACH_FIELDS})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BreachedCases:
        """Read the cases back from :meth:`to_dict` output (or JSON read back from it).

        Raises
        ------
        InvalidInputError
            For a missing or unknown key, or a bad value (as :meth:`from_pandas`).

        Examples
        --------
        >>> from custcentric.sla import BreachedCases
        >>> data = {"sla_id": ["fix"], "case_id": ["k2"], "customer_id": ["c2"],
        ...     "tier": ["all"], "start": ["2025-01-06T10:00:00"], "duration": [72.0],
        ...     "lateness": [24.0], "open": [False], "compensation": [10.0]}
        >>> BreachedCases.from_dict(data).to_dict() == data
        True
        """
        if not isinstance(cast(object, data), Mapping):
            msg = f"`data` must be a mapping for BreachedCases.from_dict (got {fmt(data)})."
            raise InvalidInputError(msg)
        missing = [n for n in _BREACH_FIELDS if n not in data]
        unknown = sorted(set(data) - set(_BREACH_FIELDS))
        if missing or unknown:
            msg = (
                f"`data` must have the keys {list(_BREACH_FIELDS)} "
                f"(missing {missing}, unknown {unknown})."
            )
            raise InvalidInputError(msg)
        lengths: dict[str, int] = {}
        for name in _BREACH_FIELDS:
            column = data[name]
            if isinstance(column, str | bytes | Mapping) or not isinstance(
                column, Sequence | np.ndarray
            ):
                msg = f"`data[{name!r}]` must be a list, one value per case (got {fmt(column)})."
                raise InvalidInputError(msg)
            lengths[name] = len(column)
        if len(set(lengths.values())) > 1:
            counts = list(lengths.values())
            usual = max(set(counts), key=counts.count)
            odd = next(n for n, k in lengths.items() if k != usual)
            ref = next(n for n, k in lengths.items() if k == usual)
            msg = (
                f"`{odd}` must have one value per case, as many as `{ref}` and the other "
                f"columns of `data` (columns of one length: {lengths[odd]} != {usual})."
            )
            raise InvalidInputError(msg)
        if not lengths["sla_id"]:
            return cls.concatenate([])
        return cls._read(data)

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
        return cls._read(data)

    @classmethod
    def _read(cls, data: Mapping[str, Any]) -> BreachedCases:
        """Check and convert the columns of a frame or of :meth:`to_dict` output."""
        return cls(
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


@attrs.frozen(kw_only=True, eq=False)
class SLAReport(Result):
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
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9,
    ...           compensation={"fixed_per_breach": 10})
    >>> report = evaluate_slas(log, sla)
    >>> report.observation_end, report.total_compensation
    ('2025-01-09T10:00:00', 20.0)
    >>> print(report.summary().splitlines()[2])
    fix-48h                            all             3      2   33.3%     90%    72.0h     20.00

    The report is stored as JSON and read back:

    >>> import json
    >>> from custcentric.sla import SLAReport
    >>> back = SLAReport.from_dict(json.loads(json.dumps(report.to_dict())))
    >>> back.rows == report.rows, back.breached.case_id.tolist()
    (True, ['k2', 'k3'])
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
        """Return the report as strict-JSON data; :meth:`from_dict` reads it back."""
        return {
            "observation_end": self.observation_end,
            "confidence_level": self.confidence_level,
            "rows": [r.to_dict() for r in self.rows],
            "breached": self.breached.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SLAReport:
        """Read a report back from :meth:`to_dict` output (or JSON read back from it).

        Rows written before ``time_unit`` replaced ``unit`` still load.

        Raises
        ------
        InvalidInputError
            For a missing or unknown key or a bad value.
        """
        keys = ("observation_end", "confidence_level", "rows", "breached")
        if not isinstance(cast(object, data), Mapping) or sorted(data) != sorted(keys):
            got = sorted(data) if isinstance(cast(object, data), Mapping) else fmt(data)
            msg = f"`data` must be a mapping with the keys {sorted(keys)} (got {got})."
            raise InvalidInputError(msg)
        end = data["observation_end"]
        if not isinstance(end, str):
            msg = f"`observation_end` must be an ISO 8601 string (got {fmt(end)})."
            raise InvalidInputError(msg)
        rows = data["rows"]
        if isinstance(rows, str | Mapping) or not isinstance(rows, Sequence):
            msg = f"`rows` must be a list of SLAResult dicts (got {fmt(rows)})."
            raise InvalidInputError(msg)
        return cls(
            rows=tuple(SLAResult.from_dict(r) for r in rows),
            breached=BreachedCases.from_dict(data["breached"]),
            confidence_level=check_confidence_level(data["confidence_level"]),
            observation_end=end,
        )

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
        >>> sla = SLA(id="s", name="s", process_id="p", metric="cycle_time", target=12,
        ...           time_unit="h")
        >>> report = evaluate_slas(log, sla)
        >>> back = SLAReport.from_pandas(report.to_pandas(), breached=report.breached.to_pandas())
        >>> back.rows == report.rows, back.observation_end, back.breached.lateness.tolist()
        (True, '2025-01-07T09:00:00', [12.0])
        """
        if "unit" in frame.columns and "time_unit" not in frame.columns:  # before 0.2
            frame = frame.rename(columns={"unit": "time_unit"})
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
            pct = "-" if r.percentile is None else f"{r.percentile:.1f}{r.time_unit}"
            lines.append(
                f"{r.sla_id[:34]:<34} {r.tier[:10]:<10} {r.cases:>6} {r.breaches:>6} "
                f"{share:>7} {100 * r.target_share:>6.0f}% {pct:>8} {r.compensation:>9.2f}"
            )
        return "\n".join(lines)


_RESULT_FIELDS: Final = tuple(f.name for f in attrs.fields(SLAResult))

#: The column types of an empty table of breached cases.
_EMPTY: Final[Mapping[str, NDArray[Any]]] = {
    "sla_id": np.empty(0, dtype=np.str_),
    "case_id": np.empty(0, dtype=np.str_),
    "customer_id": np.empty(0, dtype=np.str_),
    "tier": np.empty(0, dtype=np.str_),
    "start": np.empty(0, dtype="datetime64[s]"),
    "duration": np.empty(0),
    "lateness": np.empty(0),
    "open": np.empty(0, dtype=bool),
    "compensation": np.empty(0),
}


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
    "time_unit": _texts,
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
