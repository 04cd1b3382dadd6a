"""Per-process performance: cycle-time percentiles with intervals, and bottleneck steps."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs
import numpy as np
from scipy.special import ndtri

from custcentric._deprecation import REMOVED_IN, SINCE, warn_deprecated
from custcentric._pandas import make_frame
from custcentric._result import Result, read_only
from custcentric._validation import check_confidence_level, fmt
from custcentric.domain._base import renamed_fields
from custcentric.exceptions import InvalidInputError
from custcentric.process._censored import km_summary
from custcentric.process._cycle import CycleTimes, require_type
from custcentric.process._intervals import StepDurations
from custcentric.process._percentiles import (
    PercentileMethod,
    check_method,
    order_statistic_ranks,
    sorted_quantile,
)
from custcentric.typing import FloatArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Bottleneck", "ProcessPerformance", "process_performance"]

_QUANTILES = (0.5, 0.9, 0.95)
_CENSORING = ("closed_only", "kaplan_meier")
Censoring = Literal["closed_only", "kaplan_meier"]


def check_censoring(value: object) -> Censoring:
    """Return ``value`` if it names a censoring rule, else raise :class:`InvalidInputError`."""
    if value not in _CENSORING:
        options = ", ".join(repr(c) for c in _CENSORING)
        msg = f"`censoring` must be one of {options} (got {value!r})."
        raise InvalidInputError(msg)
    return cast(Censoring, value)


def time_unit_of(value: object) -> str:
    """Return the ``time_unit`` of a cycle-time or step-duration table (``unit`` before it)."""
    unit = getattr(value, "time_unit", None)
    return str(unit if unit is not None else value.unit)  # type: ignore[attr-defined]


@attrs.frozen(kw_only=True)
class Bottleneck(Result):
    """One step's share of its process's cycle time.

    Attributes
    ----------
    activity : str
        The step (the interval ending at it is attributed to it).
    share : float
        Its total interval time over the total cycle time of the process's closed cases.
    mean : float
        Its mean interval, in the performance's unit.
    n : int
        Intervals counted (rework counts each repetition).

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import cycle_times, process_performance, step_durations
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k1", "k2", "k2"], ["claim"] * 5,
    ...     ["open", "check", "close", "open", "close"],
    ...     ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-02", "2024-01-04"],
    ...     ["c1", "c1", "c1", "c2", "c2"])
    >>> perf = process_performance(cycle_times(log), step_durations=step_durations(log))
    >>> top = perf.bottlenecks["claim"][0]
    >>> top.activity, round(top.share, 3), top.mean, top.n
    ('close', 0.833, 2.5, 2)
    >>> print(top)
    close: 83.3% of cycle time, mean 2.5 over 2 intervals
    """

    activity: str
    share: float
    mean: float
    n: int

    def summary(self) -> str:
        """Return the step's share of cycle time in one line."""
        return (
            f"{self.activity}: {self.share:.1%} of cycle time, mean {self.mean:.4g} "
            f"over {self.n} interval{'s' if self.n != 1 else ''}"
        )


@renamed_fields(unit="time_unit")
@attrs.frozen(eq=False, kw_only=True)
class ProcessPerformance(Result):
    """Cycle-time statistics per process (one entry per process, ordered by process id).

    Attributes
    ----------
    process : ndarray of str
    n_cases, n_closed, n_open : ndarray of int64
        Cases, closed cases, and open (right-censored) cases.
    mean, median, p90, p95 : ndarray of float64
        With ``censoring="closed_only"``: statistics of the closed cases' cycle times, NaN for
        a process without a closed case. With ``"kaplan_meier"``: the restricted mean (area
        under the Kaplan–Meier curve up to the longest observed cycle time) and the
        Kaplan–Meier percentiles; ``inf`` where the curve never falls that far (the
        percentile lies beyond every observed case).
    median_ci, p90_ci, p95_ci : ndarray of float64, shape (n_processes, 2)
        Distribution-free intervals from order statistics (see :func:`quantile_ci`); under
        Kaplan–Meier, Brookmeyer–Crowley intervals from the log-log band (an upper end the
        band never reaches is ``inf``).
    ci_coverage : ndarray of float64, shape (n_processes, 3)
        The exact coverage of each interval (below ``confidence_level`` for small samples);
        NaN under Kaplan–Meier, whose intervals are asymptotic at ``confidence_level``.
    open_beyond_p90 : ndarray of int64
        Open cases already older than the p90: under ``"closed_only"`` each would raise the
        true p90.
    bottlenecks : dict of str to tuple of Bottleneck
        Each process's steps ranked by share of cycle time (empty without step durations).
    percentile_method : str
        ``"type7"`` or ``"nearest_rank"`` (always ``"nearest_rank"`` under Kaplan–Meier).
    confidence_level : float
    time_unit : str
        The clock unit of the durations (``unit`` is its deprecated name).
    censoring : str
        ``"closed_only"`` or ``"kaplan_meier"``: how open cases enter the statistics.
    final_activity : dict of str to tuple of str
        The activities that closed each process's cases, from :class:`CycleTimes`.
    final_activity_inferred : bool
        Whether they were inferred from the log (no process catalogue); the summary then
        names them.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import cycle_times, process_performance
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2", "k3"], ["claim"] * 5,
    ...     ["open", "close", "open", "close", "open"],
    ...     ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-04", "2024-01-03"],
    ...     ["c1", "c1", "c2", "c2", "c3"])
    >>> ct = cycle_times(log, processes={"claim": "close"}, observation_end="2024-01-06")
    >>> perf = process_performance(ct)
    >>> perf.process.tolist(), perf.n_cases.tolist(), perf.n_open.tolist()
    (['claim'], [3], [1])
    >>> perf.median.tolist(), perf.p90.round(2).tolist()
    ([3.0], [3.8])
    """

    process: StrArray = attrs.field(converter=read_only)
    n_cases: IntArray = attrs.field(converter=read_only)
    n_closed: IntArray = attrs.field(converter=read_only)
    n_open: IntArray = attrs.field(converter=read_only)
    mean: FloatArray = attrs.field(converter=read_only)
    median: FloatArray = attrs.field(converter=read_only)
    p90: FloatArray = attrs.field(converter=read_only)
    p95: FloatArray = attrs.field(converter=read_only)
    median_ci: FloatArray = attrs.field(converter=read_only)
    p90_ci: FloatArray = attrs.field(converter=read_only)
    p95_ci: FloatArray = attrs.field(converter=read_only)
    ci_coverage: FloatArray = attrs.field(converter=read_only)
    open_beyond_p90: IntArray = attrs.field(converter=read_only)
    bottlenecks: dict[str, tuple[Bottleneck, ...]]
    percentile_method: str
    confidence_level: float
    time_unit: str
    censoring: str = "closed_only"
    final_activity: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    final_activity_inferred: bool = False

    def __len__(self) -> int:
        return int(self.process.size)

    @property
    def unit(self) -> str:
        """Deprecated name of ``time_unit`` (warns)."""
        warn_deprecated(
            "`ProcessPerformance.unit`",
            "`ProcessPerformance.time_unit`",
            since=SINCE,
            removed_in=REMOVED_IN,
        )
        return self.time_unit

    def row(self, process: str) -> dict[str, Any]:
        """Return one process's statistics as a plain dict."""
        where = np.flatnonzero(self.process == process)
        if where.size == 0:
            msg = f"`process` must be one of {self.process.tolist()} (got {process!r})."
            raise InvalidInputError(msg)
        return self.to_dict()["processes"][int(where[0])]  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (NaN written as None)."""
        rows = []
        for i, name in enumerate(self.process.tolist()):
            rows.append(
                {
                    "process": name,
                    "n_cases": int(self.n_cases[i]),
                    "n_closed": int(self.n_closed[i]),
                    "n_open": int(self.n_open[i]),
                    "mean": _plain(self.mean[i]),
                    "median": _plain(self.median[i]),
                    "p90": _plain(self.p90[i]),
                    "p95": _plain(self.p95[i]),
                    "median_ci": [_plain(v) for v in self.median_ci[i]],
                    "p90_ci": [_plain(v) for v in self.p90_ci[i]],
                    "p95_ci": [_plain(v) for v in self.p95_ci[i]],
                    "ci_coverage": [_plain(v) for v in self.ci_coverage[i]],
                    "open_beyond_p90": int(self.open_beyond_p90[i]),
                    "bottlenecks": [attrs.asdict(b) for b in self.bottlenecks.get(name, ())],
                }
            )
        return {
            "percentile_method": self.percentile_method,
            "confidence_level": self.confidence_level,
            "time_unit": self.time_unit,
            "censoring": self.censoring,
            "final_activity": {p: list(a) for p, a in self.final_activity.items()},
            "final_activity_inferred": self.final_activity_inferred,
            "processes": rows,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per process (needs the ``pandas`` extra)."""
        top = np.array(
            [b[0].activity if (b := self.bottlenecks.get(str(p))) else "" for p in self.process]
        )
        return make_frame(
            {
                "process": self.process,
                "n_cases": self.n_cases,
                "n_closed": self.n_closed,
                "n_open": self.n_open,
                "mean": self.mean,
                "median": self.median,
                "p90": self.p90,
                "p95": self.p95,
                "p90_lower": self.p90_ci[:, 0],
                "p90_upper": self.p90_ci[:, 1],
                "top_bottleneck": top,
            }
        )

    def summary(self) -> str:
        """Return a readable table of the statistics."""
        basis = (
            "Kaplan-Meier, open cases censored"
            if self.censoring == "kaplan_meier"
            else f"closed cases, percentiles by {self.percentile_method}"
        )
        head = (
            f"Cycle time per process ({self.time_unit}; {basis}, "
            f"{100 * self.confidence_level:g} % intervals)"
        )
        lines = [
            head,
            f"  {'process':<26}{'cases':>7}{'open':>6}{'median':>9}{'p90':>9}  bottleneck",
        ]
        for i, name in enumerate(self.process.tolist()):
            steps = self.bottlenecks.get(name, ())
            neck = f"{steps[0].activity} ({100 * steps[0].share:.0f} %)" if steps else "-"
            lines.append(
                f"  {name:<26}{int(self.n_cases[i]):>7}{int(self.n_open[i]):>6}"
                f"{self.median[i]:>9.2f}{self.p90[i]:>9.2f}  {neck}"
            )
        if self.final_activity_inferred and self.final_activity:
            named = ", ".join(
                f"{p} {' | '.join(map(repr, a))}" for p, a in sorted(self.final_activity.items())
            )
            lines.append(
                f"  Closed = last event is the final activity, inferred from the log as the most "
                f"common last activity: {named}."
            )
        return "\n".join(lines)


def _plain(value: float) -> float | None:
    """JSON-ready: NaN (no data) and inf (not reached) become None."""
    return float(value) if math.isfinite(value) else None


def process_performance(
    cycle_times: CycleTimes,
    *,
    step_durations: StepDurations | None = None,
    percentile_method: PercentileMethod | None = None,
    confidence_level: float = 0.95,
    censoring: Censoring = "closed_only",
) -> ProcessPerformance:
    """Summarise cycle times per process: cases, mean, median, p90, p95 and bottlenecks.

    Parameters
    ----------
    cycle_times : CycleTimes
        From :func:`cycle_times`.
    step_durations : StepDurations, optional
        From :func:`step_durations` on the same log (and unit); needed for bottlenecks.
    percentile_method : {"type7", "nearest_rank"}, optional
        The percentile definition (see :func:`quantile`); default ``"type7"`` for closed cases.
        Kaplan–Meier percentiles are nearest-rank by construction: only ``"nearest_rank"``
        (or the default) is accepted with ``censoring="kaplan_meier"``.
    confidence_level : float, default 0.95
        Of the intervals for the median, p90 and p95.
    censoring : {"closed_only", "kaplan_meier"}, default "closed_only"
        ``"closed_only"`` computes the statistics from closed cases and counts the open ones;
        ``"kaplan_meier"`` treats open cases as right-censored at their current age, which
        removes the bias toward fast cases.

    Returns
    -------
    ProcessPerformance

    Raises
    ------
    InvalidInputError
        For an unknown percentile method or censoring, ``"type7"`` with Kaplan–Meier, a
        confidence level outside (0, 1), or step durations in another unit or with cases the
        cycle times do not hold.

    Notes
    -----
    *Closed only* (the default): statistics are computed on closed cases; open cases are
    counted (``n_open``) and ``open_beyond_p90`` counts those already older than the closed
    p90, each of which can only raise the true p90 — read it as a warning that the
    closed-case figure is optimistic. Intervals come from order statistics
    (``B ~ Binomial(n, q)``, see :func:`quantile_ci`); they hold for any distribution.

    *Kaplan–Meier*: at the distinct closing times ``t_j`` with ``n_j`` cases still open just
    before ``t_j`` (cycle time ``>= t_j``, open cases of that age included) and ``d_j``
    closing, ``Ŝ(t) = Π_{t_j <= t} (1 - d_j / n_j)`` is the share of cases still open after
    ``t``. The ``q``-percentile is the smallest ``t_j`` with ``Ŝ(t_j) <= 1 - q`` — without
    open cases exactly the nearest-rank percentile of the closed cases — and ``inf`` when
    ``Ŝ`` never falls that far. Its interval is the set of times whose pointwise log-log
    band ``exp(-exp(log(-log Ŝ) ± z σ / |log Ŝ|))``, ``σ² = Σ d_j / (n_j (n_j - d_j))``
    (Greenwood), contains ``1 - q`` (Brookmeyer & Crowley), as R's ``survfit`` reads it.
    The mean is the area under ``Ŝ`` up to the longest observed cycle time: the plain mean
    without open cases, a lower bound on the true mean with them.

    A step's share is ``Σ intervals ending at the step / Σ cycle times`` over the process's
    closed cases; shares sum to 1 per process.

    References
    ----------
    Hyndman & Fan (1996), *The American Statistician* 50(4):361-365 (percentile types);
    Conover (1999), *Practical Nonparametric Statistics*, section 3.2 (quantile intervals);
    Kaplan & Meier (1958), *JASA* 53(282):457-481; Brookmeyer, R., & Crowley, J. (1982). A
    confidence interval for the median survival time. *Biometrics*, 38(1), 29-41;
    Beyer, Jones, Petoff & Murphy (2016), *Site Reliability Engineering*, ch. 4 (percentile
    targets).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import cycle_times, process_performance, step_durations
    >>> company = load_sample_company()
    >>> ct = cycle_times(company.events, processes=company.processes)
    >>> perf = process_performance(ct, step_durations=step_durations(company.events))
    >>> row = perf.row("order-to-delivery")
    >>> row["n_cases"], row["bottlenecks"][0]["activity"]
    (1400, 'delivered')

    Open cases counted as censored rather than left out raise the percentiles:

    >>> km = process_performance(ct, censoring="kaplan_meier")
    >>> round(perf.row("contract-renewal")["p90"], 2), round(km.row("contract-renewal")["p90"], 2)
    (22.09, 24.88)
    """
    require_type(cycle_times, CycleTimes, "cycle_times")
    check_censoring(censoring)
    kaplan_meier = censoring == "kaplan_meier"
    if percentile_method is None:
        percentile_method = "nearest_rank" if kaplan_meier else "type7"
    method = check_method(percentile_method)
    if kaplan_meier and method != "nearest_rank":
        msg = (
            "`percentile_method` must be 'nearest_rank' with censoring='kaplan_meier' "
            f"(got {method!r}): Kaplan-Meier percentiles are observed cycle times."
        )
        raise InvalidInputError(msg)
    level = check_confidence_level(confidence_level)
    ct = cycle_times
    names, inverse = np.unique(ct.process, return_inverse=True)
    k = names.size
    stats = np.full((k, 4), np.nan)
    cis = np.full((k, 3, 2), np.nan)
    coverage = np.full((k, 3), np.nan)
    n_cases = np.bincount(inverse, minlength=k).astype(np.int64)
    n_closed = np.bincount(inverse, weights=ct.closed, minlength=k).astype(np.int64)
    beyond = np.zeros(k, dtype=np.int64)
    # One sort by (process, duration); each process is then a contiguous, sorted slice.
    order = np.lexsort((ct.duration, inverse))
    bounds = np.concatenate(([0], np.cumsum(n_cases)))
    z = float(ndtri(0.5 + level / 2.0))
    for j in range(k):
        rows = order[bounds[j] : bounds[j + 1]]
        duration, closed_flag = ct.duration[rows], ct.closed[rows]
        open_duration = duration[~closed_flag]
        if kaplan_meier:
            stats[j, 0], stats[j, 1:], cis[j] = km_summary(duration, closed_flag, _QUANTILES, z)
        else:
            closed = duration[closed_flag]
            if closed.size == 0:
                continue
            stats[j, 0] = closed.mean()
            stats[j, 1:] = sorted_quantile(closed, np.array(_QUANTILES), method)
            for m, q in enumerate(_QUANTILES):
                low, high, cover = order_statistic_ranks(closed.size, q, level)
                cis[j, m] = closed[low - 1], closed[high - 1]
                coverage[j, m] = cover
        beyond[j] = np.count_nonzero(open_duration > stats[j, 2])
    bottlenecks = {} if step_durations is None else _bottlenecks(ct, step_durations)
    return ProcessPerformance(
        process=names,
        n_cases=n_cases,
        n_closed=n_closed,
        n_open=n_cases - n_closed,
        mean=stats[:, 0],
        median=stats[:, 1],
        p90=stats[:, 2],
        p95=stats[:, 3],
        median_ci=cis[:, 0],
        p90_ci=cis[:, 1],
        p95_ci=cis[:, 2],
        ci_coverage=coverage,
        open_beyond_p90=beyond,
        bottlenecks=bottlenecks,
        percentile_method=method,
        confidence_level=level,
        time_unit=time_unit_of(ct),
        censoring=censoring,
        final_activity=dict(ct.final_activity),
        final_activity_inferred=ct.final_activity_inferred,
    )


def _bottlenecks(ct: CycleTimes, steps: StepDurations) -> dict[str, tuple[Bottleneck, ...]]:
    require_type(steps, StepDurations, "step_durations")
    if time_unit_of(steps) != time_unit_of(ct):
        msg = (
            "`step_durations` must use the unit of `cycle_times` "
            f"({time_unit_of(steps)!r} != {time_unit_of(ct)!r})."
        )
        raise InvalidInputError(msg)
    where = np.searchsorted(ct.case_id, steps.case_id)
    where = np.clip(where, 0, max(len(ct) - 1, 0))
    known = (len(ct) > 0) & (ct.case_id[where] == steps.case_id)
    if not known.all():
        i = int(np.argmax(~known))
        msg = (
            f"`step_durations` must hold only cases of `cycle_times` "
            f"(interval {i}: case {fmt(steps.case_id[i])})."
        )
        raise InvalidInputError(msg)
    closed = ct.closed[where]
    table = steps.select(closed).by_step()
    out: dict[str, list[Bottleneck]] = {}
    totals: dict[str, float] = {}
    for process, total in zip(table["process"], table["total"], strict=True):
        totals[process] = totals.get(process, 0.0) + total
    for process, activity, n, total, mean in zip(
        table["process"],
        table["activity"],
        table["n"],
        table["total"],
        table["mean"],
        strict=True,
    ):
        share = total / totals[process] if totals[process] > 0 else 0.0
        out.setdefault(process, []).append(
            Bottleneck(activity=activity, share=share, mean=mean, n=n)
        )
    return {p: tuple(sorted(b, key=lambda x: (-x.share, x.activity))) for p, b in out.items()}
