"""Result classes of :func:`evaluate_slas`: one row per SLA and tier, and the breached cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._pandas import make_frame
from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ALL_TIERS", "BreachedCases", "SLAReport", "SLAResult"]

ALL_TIERS: Final = "all"
"""The tier label of a report's row over every tier (and of every case without segments)."""

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
        """Return the cases as a DataFrame (needs the ``pandas`` extra)."""
        return make_frame({name: getattr(self, name) for name in _BREACH_FIELDS})


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
        """Return the rows as a DataFrame (needs the ``pandas`` extra)."""
        names = [f.name for f in attrs.fields(SLAResult)]
        columns = {
            n: np.array([np.nan if getattr(r, n) is None else getattr(r, n) for r in self.rows])
            for n in names
        }
        return make_frame(columns)

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
