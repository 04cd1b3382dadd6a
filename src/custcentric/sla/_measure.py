"""Per-case start and stop times of an SLA's measured interval, from an event log."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric.domain import SLA, CustomerProcess, SLAMetric
from custcentric.exceptions import InvalidInputError
from custcentric.tables import EventLog
from custcentric.tables._cases import infer_final_activities
from custcentric.typing import BoolArray, DatetimeArray, IntArray, StrArray

__all__ = [
    "INTERVALS",
    "Interval",
    "IntervalFunction",
    "ProcessCases",
    "cycle_time_interval",
    "final_step",
    "first_response_interval",
    "process_cases",
    "process_lookup",
    "sla_interval",
    "step_duration_interval",
]


@attrs.frozen(eq=False)
class ProcessCases:
    """One process's events, sorted by case then time, with case boundaries."""

    process_id: str
    case_id: NDArray[Any]  # per case
    customer_id: NDArray[Any]  # per case
    first: IntArray  # index of each case's first event
    last: IntArray  # index of each case's last event
    case_of: IntArray  # per event: the case number
    activity: StrArray  # per event
    timestamp: DatetimeArray  # per event
    steps: tuple[str, ...]  # the process's step ids, in order ('' when unknown)

    @property
    def n_cases(self) -> int:
        return int(self.first.size)

    def first_hit(self, activity: str) -> IntArray:
        """Return each case's first event index with ``activity``, or -1."""
        hits = np.flatnonzero(self.activity == activity)
        out = np.full(self.n_cases, -1, dtype=np.int64)
        if hits.size:
            cases = self.case_of[hits]
            new = np.empty(hits.size, dtype=bool)
            new[0] = True
            new[1:] = cases[1:] != cases[:-1]
            out[cases[new]] = hits[new]
        return out


@attrs.frozen(eq=False)
class Interval:
    """The measured interval of each applicable case: start, stop (closed) or open."""

    case: IntArray  # case numbers within ProcessCases
    start: DatetimeArray
    stop: DatetimeArray  # observation end for open cases
    closed: BoolArray


#: The signature of a metric's interval function: the SLA, one process's cases, and the
#: observation end (the stop of a case still open).
IntervalFunction: TypeAlias = Callable[[SLA, ProcessCases, np.datetime64], Interval]


def process_cases(
    log: EventLog,
    process_id: str,
    process: CustomerProcess | None,
    observation_end: np.datetime64,
) -> ProcessCases:
    """Select, order and group the events of one process up to ``observation_end``."""
    keep = (log.process == process_id) & (log.timestamp <= observation_end)
    idx = np.flatnonzero(keep)
    cases = log.case_id[idx]
    times = log.timestamp[idx]
    if idx.size > 1:
        same = cases[1:] == cases[:-1]
        ordered = bool(np.all(cases[1:] >= cases[:-1])) and bool(
            np.all(times[1:][same] >= times[:-1][same])
        )
        if not ordered:
            order = np.lexsort((times, cases))
            idx = idx[order]
            cases = cases[order]
            times = times[order]
    boundary = np.empty(idx.size, dtype=bool)
    if idx.size:
        boundary[0] = True
        boundary[1:] = cases[1:] != cases[:-1]
    first = np.flatnonzero(boundary)
    last = np.append(first[1:] - 1, idx.size - 1) if first.size else first
    steps = process.step_ids if process is not None else ()
    return ProcessCases(
        process_id=process_id,
        case_id=cases[first],
        customer_id=log.customer_id[idx[first]],
        first=first,
        last=last,
        case_of=np.cumsum(boundary) - 1,
        activity=log.activity[idx],
        timestamp=times,
        steps=steps,
    )


def final_step(pc: ProcessCases) -> str | None:
    """Return the activity that completes the process's cases (None: no case to infer it from).

    The process's last step when it is defined; otherwise inferred from the log by the rule
    shared with ``process.cycle_times`` (:func:`custcentric.tables._cases.infer_final_activities`):
    the most common last activity of the process's cases, ties to the alphabetically first.
    """
    if pc.steps:
        return pc.steps[-1]
    last = pc.activity[pc.last]
    return infer_final_activities(np.full(last.size, pc.process_id), last).get(pc.process_id)


def _all_cases(pc: ProcessCases, observation_end: np.datetime64) -> tuple[IntArray, DatetimeArray]:
    """Every case number, and ``observation_end`` per case (the stop of an open case)."""
    n = pc.n_cases
    return np.arange(n), np.full(n, observation_end, dtype="datetime64[s]")


def cycle_time_interval(sla: SLA, pc: ProcessCases, observation_end: np.datetime64) -> Interval:
    """``cycle_time``: from the case's first event (the request) to its last event.

    Closed once the last event is the process's final step (see :func:`final_step`); open
    cases run to ``observation_end``.
    """
    all_cases, end = _all_cases(pc, observation_end)
    closed = pc.activity[pc.last] == final_step(pc)
    stop = np.where(closed, pc.timestamp[pc.last], end)
    return Interval(all_cases, pc.timestamp[pc.first], stop, closed)


def first_response_interval(sla: SLA, pc: ProcessCases, observation_end: np.datetime64) -> Interval:
    """``first_response``: from the first event to the first ``first_response`` step.

    The process's second step stands in when none has that id; a case completed without a
    response is answered at its completion.
    """
    target = "first_response"
    if pc.steps and target not in pc.steps:
        if len(pc.steps) < 2:
            msg = (
                f"`metric` of SLA {sla.id!r} is 'first_response' but process "
                f"{pc.process_id!r} has fewer than two steps."
            )
            raise InvalidInputError(msg)
        target = pc.steps[1]
    elif not pc.steps and not np.any(pc.activity == target):
        msg = (
            f"`metric` of SLA {sla.id!r} is 'first_response' but process "
            f"{pc.process_id!r} has no 'first_response' events; pass `processes`."
        )
        raise InvalidInputError(msg)
    all_cases, end = _all_cases(pc, observation_end)
    hit = pc.first_hit(target)
    responded = hit >= 0
    # A case completed without a first-response event (resolved at first contact) was
    # answered by its completion at the latest: it is closed then, not open for ever.
    done = pc.activity[pc.last] == final_step(pc)
    closed = responded | done
    stop = np.where(
        responded, pc.timestamp[np.maximum(hit, 0)], np.where(done, pc.timestamp[pc.last], end)
    )
    return Interval(all_cases, pc.timestamp[pc.first], stop, closed)


def step_duration_interval(sla: SLA, pc: ProcessCases, observation_end: np.datetime64) -> Interval:
    """``step_duration``: the wait before ``step_id``.

    From the event just before its first occurrence to it; a case whose last event is the
    step before ``step_id`` is open.
    """
    step = str(sla.step_id)
    if pc.steps:
        if step not in pc.steps:
            msg = (
                f"`step_id` of SLA {sla.id!r} must be a step of process {pc.process_id!r}, "
                f"one of {list(pc.steps)} (got {step!r})."
            )
            raise InvalidInputError(msg)
        position = pc.steps.index(step)
        if position == 0:
            msg = (
                f"`step_id` of SLA {sla.id!r} must not be the first step of process "
                f"{pc.process_id!r} (got {step!r}); nothing comes before it."
            )
            raise InvalidInputError(msg)
        before: str | None = pc.steps[position - 1]
    else:
        before = None
    all_cases, end = _all_cases(pc, observation_end)
    hit = pc.first_hit(step)
    reached = (hit >= 0) & (hit != pc.first)
    waiting = (
        (hit < 0) & (pc.activity[pc.last] == before)
        if before is not None
        else np.zeros(pc.n_cases, dtype=bool)
    )
    use = reached | waiting
    cases = all_cases[use]
    h = hit[use]
    r = reached[use]
    start = np.where(r, pc.timestamp[np.maximum(h - 1, 0)], pc.timestamp[pc.last[cases]])
    stop = np.where(r, pc.timestamp[np.maximum(h, 0)], end[use])
    return Interval(cases, start, stop, r)


#: What each SLA metric measures: the function that returns its per-case interval. Adding a
#: metric is one member of :class:`custcentric.domain.SLAMetric`, one function with this
#: signature, and one entry here.
INTERVALS: Final[Mapping[SLAMetric, IntervalFunction]] = MappingProxyType(
    {
        SLAMetric.CYCLE_TIME: cycle_time_interval,
        SLAMetric.FIRST_RESPONSE: first_response_interval,
        SLAMetric.STEP_DURATION: step_duration_interval,
    }
)


def sla_interval(sla: SLA, pc: ProcessCases, observation_end: np.datetime64) -> Interval:
    """Return the measured interval of every case the SLA's metric applies to.

    Looks the metric up in :data:`INTERVALS`: :func:`cycle_time_interval`,
    :func:`first_response_interval` or :func:`step_duration_interval`.
    """
    return INTERVALS[sla.metric](sla, pc, observation_end)


def process_lookup(processes: Sequence[object] | None) -> dict[str, CustomerProcess]:
    """Return processes by id, refusing anything that is not a CustomerProcess."""
    if processes is None:
        return {}
    out: dict[str, CustomerProcess] = {}
    for i, p in enumerate(processes):
        if not isinstance(p, CustomerProcess):
            msg = f"`processes` must hold CustomerProcess values (item {i}: {type(p).__name__})."
            raise InvalidInputError(msg)
        out[p.id] = p
    return out
