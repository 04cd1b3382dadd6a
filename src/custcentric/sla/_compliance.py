"""``evaluate_slas``: compliance, breaches and compensation per SLA and customer tier."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import REMOVED_IN, SINCE, warn_deprecated
from custcentric._stats import wilson_interval
from custcentric._time import SECONDS_PER_UNIT
from custcentric._validation import (
    as_datetime_array,
    check_confidence_level,
    check_number,
)
from custcentric.domain import SLA, Clock, CustomerProcess
from custcentric.exceptions import InvalidInputError
from custcentric.sla._calendar import BusinessCalendar, clock_duration
from custcentric.sla._inputs import (
    CustomerSegments,
    HasSegmentation,
    check_band_gaps,
    flatten_slas,
    lookup_tiers,
    pause_intervals,
    segment_table,
)
from custcentric.sla._measure import ProcessCases, process_cases, process_lookup, sla_interval
from custcentric.sla._report import ALL_TIERS, BreachedCases, SLAReport, SLAResult
from custcentric.sla._stats import censored_quantile
from custcentric.sla._tiered import TieredSLA
from custcentric.tables import EventLog
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray, StrArray, TimeUnit

__all__ = ["evaluate_slas"]

_PERIODS = ("D", "W", "M", "Y")


def _paused(
    pause: tuple[NDArray[Any], DatetimeArray, DatetimeArray] | None,
    pc: ProcessCases,
    case: IntArray,
    start: DatetimeArray,
    stop: DatetimeArray,
    calendar: BusinessCalendar | None,
    time_unit: TimeUnit,
) -> FloatArray:
    """Return the paused clock time inside each measured interval."""
    out = np.zeros(case.size)
    if pause is None or not case.size:
        return out
    p_case, p_start, p_end = pause
    if (p_case.dtype.kind in "iu") != (pc.case_id.dtype.kind in "iu"):
        msg = "`pauses` case ids must be of the same kind (numbers or text) as the event log's."
        raise InvalidInputError(msg)
    pos = np.clip(np.searchsorted(pc.case_id, p_case), 0, max(pc.n_cases - 1, 0))
    hit = pc.case_id[pos] == p_case if pc.n_cases else np.zeros(p_case.size, dtype=bool)
    row_of_case = np.full(pc.n_cases, -1, dtype=np.int64)
    row_of_case[case] = np.arange(case.size)
    rows = np.where(hit, row_of_case[pos], -1)
    use = rows >= 0
    rows = rows[use]
    lo = np.maximum(p_start[use], start[rows])
    hi = np.minimum(p_end[use], stop[rows])
    hi = np.maximum(hi, lo)
    length = clock_duration(lo, hi, calendar, time_unit)
    return np.asarray(np.bincount(rows, weights=length, minlength=case.size), dtype=np.float64)


def _group_codes(customers: NDArray[Any], starts: DatetimeArray, period: str | None) -> IntArray:
    """Return a group number per case for (customer, period of its start)."""
    _, cust = np.unique(customers, return_inverse=True)
    if period is None:
        return np.asarray(cust, dtype=np.int64)
    if period == "W":
        # numpy counts weeks from 1970-01-01, a Thursday; shift by 3 days so that weeks run
        # Monday to Sunday (ISO 8601), as customers and contracts count them.
        per = (starts.astype("datetime64[D]").astype(np.int64) + 3) // 7
    else:
        per = starts.astype(f"datetime64[{period}]").astype(np.int64)
    per = per - (per.min() if per.size else 0)
    key = cust.astype(np.int64) * (int(per.max()) + 1 if per.size else 1) + per
    _, codes = np.unique(key, return_inverse=True)
    return np.asarray(codes, dtype=np.int64)


#: The forms ``segments`` takes: a mapping id -> tier, a pair (ids, tiers), a Segmentation (any
#: ``CustomerSegments`` protocol) or a result carrying one (ValueTiers).
Segments: TypeAlias = (
    Mapping[Any, str] | tuple[ArrayLike, ArrayLike] | CustomerSegments | HasSegmentation
)


def _data_first(first: object, second: object) -> tuple[EventLog, object]:
    """Return (event log, slas), accepting the former order (slas, event log) with a warning."""
    if isinstance(second, EventLog) and not isinstance(first, EventLog):
        warn_deprecated(
            "`evaluate_slas(slas, event_log)` (configuration first)",
            "`evaluate_slas(event_log, slas)`",
            since=SINCE,
            removed_in=REMOVED_IN,
            stacklevel=4,
        )
        return second, first
    if not isinstance(first, EventLog):
        msg = f"`event_log` must be an EventLog (got {type(first).__name__})."
        raise InvalidInputError(msg)
    return first, second


def evaluate_slas(
    event_log: EventLog,
    slas: SLA | TieredSLA | Iterable[SLA | TieredSLA],
    *,
    segments: Segments | None = None,
    calendar: BusinessCalendar | None = None,
    observation_end: object = None,
    processes: Sequence[CustomerProcess] | None = None,
    pauses: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    fee: float | None = None,
    period: str | None = "M",
    period_cap: float | None = None,
    confidence_level: float = 0.95,
    tier_order: Sequence[str] | None = None,
) -> SLAReport:
    """Measure every SLA on an event log: compliance per tier, breaches and compensation.

    Parameters
    ----------
    event_log : EventLog
        The process events; a case's first event is the customer's request.
    slas : SLA, TieredSLA or sequence of them
        The promises to check (``company.slas`` for the bundled company). The former order
        ``evaluate_slas(slas, event_log)`` still works for one release, with a
        :class:`~custcentric.exceptions.CustcentricDeprecationWarning`.
    segments : Segmentation, ValueTiers, mapping customer id -> tier, or pair (ids, tiers), optional
        Each customer's service tier. Needed when an SLA names ``tiers``; customers not
        listed are tier ``"unassigned"``. Without it every case is tier ``"all"``. A
        :class:`~custcentric.segmentation.Segmentation` (built with ``customer_id``) gives
        each customer its segment's ``service_tier``, or the segment's name where it has
        none; a :class:`~custcentric.segmentation.ValueTiers` its tier names. Any object
        with ``customer_id`` and per-customer ``labels`` (see
        ``CustomerSegments`` protocol) is read the same way.
    calendar : BusinessCalendar, optional
        The clock of SLAs with ``clock="business"`` (required when there are any);
        calendar-clock SLAs always run on calendar time.
    observation_end : datetime64 or ISO string, optional
        The moment of evaluation: later events are ignored and cases still open run to it.
        Default: the log's last timestamp.
    processes : sequence of CustomerProcess, optional
        The process definitions (``company.processes``): the last step is completion, a
        ``first_response`` step (or else the second step) ends a first response, and the
        step before ``step_id`` starts a step duration. Without them every SLA's process
        must occur in the log and its completion is inferred per process: the most common
        last activity of the process's cases (ties to the alphabetically first), the rule
        :func:`custcentric.process.cycle_times` uses too, so both call the same cases closed.
    pauses : (case_id, start, end) arrays, optional
        Intervals when the clock stops (waiting on the customer), non-overlapping per case;
        the paused clock time inside each measured interval is subtracted.
    fee : float, optional
        The fee per customer and ``period`` that attainment ``bands`` credit a share of;
        without it band credits are not paid (``band_rate`` is still reported).
    period : {"D", "W", "M", "Y"} or None, default "M"
        The period of band attainment and of ``period_cap`` (by case start; weeks run Monday
        to Sunday); None for the whole window.
    period_cap : float, optional
        The most one customer receives per SLA and period; larger totals are scaled down.
    confidence_level : float, default 0.95
        For the Wilson interval of compliance.
    tier_order : sequence of str, optional
        The order of tier rows, highest tier first (e.g. ``("gold", "silver", "bronze")``);
        unlisted tiers follow alphabetically. An SLA's own ``tiers`` order comes first.

    Returns
    -------
    SLAReport
        One row per SLA and tier, and an ``"all"`` row per SLA, plus the breached cases.

    Notes
    -----
    A case is *evaluated* when it is closed or, still open, already past its target
    (those count as breaches); open cases not yet due are *pending* and left out of the
    share. ``compliance = (evaluated - breaches) / evaluated`` with a Wilson interval;
    ``percentile`` is the duration achieved by ``target_share`` of cases, the Kaplan-Meier
    quantile with open cases censored (the nearest-rank quantile when all are closed),
    against the target. A breached case earns ``Compensation.case_amount`` of
    its lateness (``fixed_per_breach + per_unit_late * max(0, late - grace)``, capped per
    case); a customer's attainment in a period earns ``fee * Compensation.band_rate``;
    ``period_cap`` then caps each customer's period total.

    Raises
    ------
    InvalidInputError
        For SLAs on processes that are neither in ``processes`` nor in the log, unknown
        steps, compensation bands with gaps between them (overlaps are refused by
        :class:`~custcentric.domain.Compensation` itself), business-clock SLAs without a ``calendar``, tiered SLAs without
        ``segments``, overlapping pauses, or bad options.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.sla import BusinessCalendar, evaluate_slas
    >>> company = load_sample_company()
    >>> tiers = (company.customers.customer_id,
    ...          company.customers.attributes["service_tier"])
    >>> report = evaluate_slas(company.events, company.slas, segments=tiers,
    ...                        calendar=BusinessCalendar(opens="08:00", closes="18:00"),
    ...                        processes=company.processes)
    >>> row = report.row("repair-48h")
    >>> row.cases, row.breaches, round(row.compliance, 3)
    (799, 194, 0.757)

    A :class:`~custcentric.segmentation.Segmentation` gives the tiers as well:

    >>> from custcentric.segmentation import Segmentation
    >>> seg = Segmentation.from_labels(tiers[1], customer_id=tiers[0])
    >>> again = evaluate_slas(company.events, company.slas, segments=seg,
    ...                       calendar=BusinessCalendar(opens="08:00", closes="18:00"),
    ...                       processes=company.processes)
    >>> again.rows == report.rows
    True
    """
    event_log, given = _data_first(event_log, slas)
    items = flatten_slas(given)
    level = check_confidence_level(confidence_level)
    if period is not None and period not in _PERIODS:
        msg = f"`period` must be one of {list(_PERIODS)} or None (got {period!r})."
        raise InvalidInputError(msg)
    fee_value = None if fee is None else check_number(fee, "fee", low=0)
    cap_value = None if period_cap is None else check_number(period_cap, "period_cap", low=0)
    if calendar is not None and not isinstance(cast(object, calendar), BusinessCalendar):
        msg = f"`calendar` must be a BusinessCalendar or None (got {type(calendar).__name__})."
        raise InvalidInputError(msg)
    if observation_end is None:
        if not len(event_log):
            msg = "`observation_end` must be given when `event_log` is empty."
            raise InvalidInputError(msg)
        end = event_log.timestamp.max()
    else:
        end = as_datetime_array(np.asarray([observation_end], dtype=object), "observation_end")[0]
    defined = process_lookup(processes)
    known = set(defined) if processes is not None else set(np.unique(event_log.process).tolist())
    seg = segment_table(segments)
    pause = pause_intervals(pauses)
    for sla, _ in items:
        if sla.process_id not in known:
            where = "`processes`" if processes is not None else "the event log"
            msg = (
                f"`process_id` of SLA {sla.id!r} must name a process in {where} "
                f"(got {sla.process_id!r})."
            )
            raise InvalidInputError(msg)
        if sla.clock is Clock.BUSINESS and calendar is None:
            msg = (
                f"`calendar` must be given: SLA {sla.id!r} runs on business hours "
                "(pass a BusinessCalendar)."
            )
            raise InvalidInputError(msg)
        check_band_gaps(sla)
        if sla.tiers and seg is None:
            msg = f"`segments` must be given: SLA {sla.id!r} covers tiers {list(sla.tiers)} only."
            raise InvalidInputError(msg)

    ranking = tuple(str(t) for t in tier_order) if tier_order is not None else ()
    cases_by_process: dict[str, tuple[ProcessCases, StrArray]] = {}
    rows: list[SLAResult] = []
    breached: list[dict[str, NDArray[Any]]] = []
    for sla, group in items:
        if sla.process_id not in cases_by_process:
            pc = process_cases(event_log, sla.process_id, defined.get(sla.process_id), end)
            cases_by_process[sla.process_id] = (pc, lookup_tiers(pc.customer_id, seg))
        pc, tier_of_case = cases_by_process[sla.process_id]
        rows_sla, breach_cols = _evaluate_one(
            sla,
            group,
            pc,
            tier_of_case,
            end,
            calendar,
            pause,
            fee_value,
            period,
            cap_value,
            level,
            ranking,
        )
        rows.extend(rows_sla)
        breached.append(breach_cols)
    return SLAReport(
        rows=tuple(rows),
        breached=BreachedCases.concatenate(breached),
        confidence_level=level,
        observation_end=str(end),
    )


def _evaluate_one(
    sla: SLA,
    group: str,
    pc: ProcessCases,
    tier_of_case: StrArray,
    end: np.datetime64,
    calendar: BusinessCalendar | None,
    pause: tuple[NDArray[Any], DatetimeArray, DatetimeArray] | None,
    fee: float | None,
    period: str | None,
    cap: float | None,
    level: float,
    ranking: tuple[str, ...],
) -> tuple[list[SLAResult], dict[str, NDArray[Any]]]:
    iv = sla_interval(sla, pc, end)
    tiers = tier_of_case[iv.case]
    keep: BoolArray = np.isin(tiers, sla.tiers) if sla.tiers else np.ones(tiers.size, dtype=bool)
    case, start, stop, closed = iv.case[keep], iv.start[keep], iv.stop[keep], iv.closed[keep]
    tiers = tiers[keep]
    clock = calendar if sla.clock is Clock.BUSINESS else None
    duration = clock_duration(start, stop, clock, sla.time_unit)
    duration = duration - _paused(pause, pc, case, start, stop, clock, sla.time_unit)
    lateness = duration - sla.target
    breach = lateness > 0
    evaluated = closed | breach
    customers = pc.customer_id[case]

    amount = np.zeros(case.size)
    credit = np.zeros(case.size)
    comp = sla.compensation
    if comp is not None:
        late = lateness * (SECONDS_PER_UNIT[sla.time_unit] / SECONDS_PER_UNIT[comp.time_unit])
        amount = np.where(evaluated, comp.case_amount(late), 0.0)
        need_groups = (comp.bands and fee is not None) or cap is not None
        if need_groups and case.size:
            groups = _group_codes(customers, start, period)
            n_groups = int(groups.max()) + 1
            if comp.bands and fee is not None:
                n_eval = np.bincount(groups, weights=evaluated, minlength=n_groups)
                n_ok = np.bincount(groups, weights=evaluated & ~breach, minlength=n_groups)
                has = n_eval > 0
                rate = np.zeros(n_groups)
                rate[has] = comp.band_rate(n_ok[has] / n_eval[has])
                # Credit the group once, on its first evaluated case.
                first = np.full(n_groups, -1, dtype=np.int64)
                idx = np.flatnonzero(evaluated)
                first[groups[idx[::-1]]] = idx[::-1]
                paid = first[first >= 0]
                credit[paid] = fee * rate[groups[paid]]
            if cap is not None:
                total = np.bincount(groups, weights=amount + credit, minlength=n_groups)
                scale = np.ones(n_groups)
                over = total > cap
                scale[over] = cap / total[over]
                amount = amount * scale[groups]
                credit = credit * scale[groups]
    paid_total = amount + credit

    present = set(tiers.tolist()) - {ALL_TIERS}
    order = list(dict.fromkeys([*sla.tiers, *ranking, *sorted(present)]))
    labels = [t for t in order if np.any(tiers == t)] if tiers.size else []
    rows: list[SLAResult] = []
    if len(sla.tiers) != 1:
        labels.append(ALL_TIERS)
    for label in labels:
        mask = np.ones(tiers.size, dtype=bool) if label == ALL_TIERS else tiers == label
        rows.append(
            _row(sla, group, label, mask, duration, closed, evaluated, breach, paid_total, level)
        )
    sel = breach
    breach_cols = {
        "sla_id": np.full(int(sel.sum()), sla.id),
        "case_id": pc.case_id[case[sel]],
        "customer_id": customers[sel],
        "tier": tiers[sel],
        "start": start[sel],
        "duration": duration[sel],
        "lateness": lateness[sel],
        "open": ~closed[sel],
        "compensation": amount[sel],
    }
    return rows, breach_cols


def _row(
    sla: SLA,
    group: str,
    tier: str,
    mask: BoolArray,
    duration: FloatArray,
    closed: BoolArray,
    evaluated: BoolArray,
    breach: BoolArray,
    paid: FloatArray,
    level: float,
) -> SLAResult:
    n_eval = int(np.count_nonzero(evaluated & mask))
    n_breach = int(np.count_nonzero(breach & mask))
    n_open_breach = int(np.count_nonzero(breach & ~closed & mask))
    pending = int(np.count_nonzero(~evaluated & mask))
    compliance = None if n_eval == 0 else (n_eval - n_breach) / n_eval
    ends = wilson_interval(0.0 if compliance is None else compliance, n_eval, level)
    low, high = float(ends[0]), float(ends[1])
    achieved = censored_quantile(duration[mask], closed[mask], sla.target_share)
    comp = sla.compensation
    band = 0.0
    if comp is not None and comp.bands and compliance is not None:
        band = float(comp.band_rate([compliance])[0])
    return SLAResult(
        sla_id=sla.id,
        group=group,
        process_id=sla.process_id,
        metric=sla.metric.value,
        tier=tier,
        target=sla.target,
        time_unit=sla.time_unit,
        target_share=sla.target_share,
        cases=n_eval,
        breaches=n_breach,
        open_breaches=n_open_breach,
        pending=pending,
        compliance=compliance,
        ci_low=low,
        ci_high=high,
        met=None if compliance is None else compliance >= sla.target_share,
        percentile=achieved,
        band_rate=band,
        compensation=round(float(paid[mask].sum()), 2),
    )
