"""Generate the event logs of the sample company's customer processes.

Times are minutes since the window opened (a Monday, 00:00). Each case walks through its
process's steps; the wait before each step is lognormal (shorter for gold-tier customers);
back-office steps are pushed into business hours (Monday to Friday, 08:00-18:00); some cases
repeat a loop of steps (rework) and a few stall for about two months. Events after the end of
the window are cut off, so cases still running then stay open.
"""

from __future__ import annotations

import attrs
import numpy as np

from custcentric.datasets._catalogue import PROCESSES, ProcessPlan
from custcentric.typing import BoolArray, FloatArray, IntArray, StrArray

__all__ = ["Cases", "Events", "business_time", "generate_events"]

_OPEN, _CLOSE = 8 * 60, 18 * 60


@attrs.frozen(eq=False)
class Events:
    """One row per event: case number, process index, step index, minute, customer index."""

    case: IntArray
    process: IntArray
    step: IntArray
    minute: FloatArray
    customer: IntArray


@attrs.frozen(eq=False)
class Cases:
    """One row per case: process index, customer index, start and end minute, closed, rework."""

    process: IntArray
    customer: IntArray
    start: FloatArray
    end: FloatArray
    closed: BoolArray
    rework: BoolArray


def business_time(rng: np.random.Generator, minute: FloatArray) -> FloatArray:
    """Move times outside Monday-Friday 08:00-18:00 to the next opening plus up to an hour.

    Infinite times (cases that never reach a step) stay infinite.
    """
    finite = np.isfinite(minute)
    minute = np.where(finite, minute, 0.0)
    day = np.floor(minute / 1440.0)
    in_day = minute - day * 1440.0
    weekday = day % 7  # the window opens on a Monday
    before = (weekday < 5) & (in_day < _OPEN)
    after = (weekday >= 5) | (in_day >= _CLOSE)
    next_day = day + 1
    next_weekday = next_day % 7
    next_day = next_day + np.where(next_weekday == 5, 2, np.where(next_weekday == 6, 1, 0))
    jitter = rng.random(minute.size) * 60.0
    moved = np.where(before, day * 1440.0 + _OPEN, np.where(after, next_day * 1440.0 + _OPEN, 0))
    return np.where(finite, np.where(before | after, moved + jitter, minute), np.inf)


def _case_events(
    rng: np.random.Generator,
    plan: ProcessPlan,
    start: FloatArray,
    gold: BoolArray,
    end_minute: float,
) -> tuple[list[FloatArray], IntArray, BoolArray, FloatArray, BoolArray]:
    """Return per-position event times (NaN where absent), the step sequence, rework, end, closed."""
    n = start.size
    n_steps = len(plan.steps)
    lo, hi = plan.loop
    sequence = np.array([*range(n_steps)[: hi + 1], *range(lo, n_steps)], dtype=np.int64)
    # Positions of the normal path inside ``sequence``; rework cases use every position.
    normal = np.ones(sequence.size, dtype=bool)
    normal[hi + 1 : hi + 1 + (hi - lo + 1)] = False
    rework = rng.random(n) < plan.rework
    u = rng.random(n)
    stall_at = np.where(u < plan.stall, rng.integers(1, n_steps, size=n), -1)
    # Half the stalled cases are forgotten: they never reach their next step.
    stall_wait = np.where(
        u < plan.stall / 2, np.inf, 60 * 1440.0 * np.exp(0.6 * rng.standard_normal(n))
    )
    speed = np.where(gold, plan.gold_speedup, 1.0)
    times: list[FloatArray] = []
    current = start.copy()
    for position, step_index in enumerate(sequence.tolist()):
        present = rework | normal[position]
        if position > 0:
            step = plan.steps[step_index]
            wait = step.median_hours * 60.0 * np.exp(step.sigma * rng.standard_normal(n))
            wait = wait * speed + np.where(stall_at == step_index, stall_wait, 0.0)
            moved = current + wait
            if not step.customer_facing or step.department != "logistics":
                moved = business_time(rng, moved)
            current = np.where(present, moved, current)
        times.append(np.where(present, current, np.nan))
    closed = current <= end_minute
    return times, sequence, rework, current, closed


def generate_events(
    rng: np.random.Generator,
    starts: list[tuple[IntArray, FloatArray]],
    gold_customer: BoolArray,
    end_minute: float,
) -> tuple[Events, Cases]:
    """Simulate every process's cases; ``starts[k]`` holds the customers and start minutes of process k."""
    columns: dict[str, list[np.ndarray]] = {k: [] for k in ("proc", "step", "min", "cust", "row")}
    case_parts: dict[str, list[np.ndarray]] = {k: [] for k in ("proc", "cust", "start", "end")}
    closed_parts, rework_parts = [], []
    offset = 0
    for k, (plan, (customer, start)) in enumerate(zip(PROCESSES, starts, strict=True)):
        times, sequence, rework, end, closed = _case_events(
            rng, plan, start, gold_customer[customer], end_minute
        )
        matrix = np.column_stack(times)  # cases x positions
        rows, positions = np.nonzero(~np.isnan(matrix) & (matrix <= end_minute))
        columns["proc"].append(np.full(rows.size, k))
        columns["step"].append(sequence[positions])
        columns["min"].append(matrix[rows, positions])
        columns["cust"].append(customer[rows])
        columns["row"].append(rows + offset)
        offset += start.size
        case_parts["proc"].append(np.full(start.size, k))
        case_parts["cust"].append(customer)
        case_parts["start"].append(start)
        case_parts["end"].append(end)
        closed_parts.append(closed)
        rework_parts.append(rework)
    case_start = np.concatenate(case_parts["start"])
    # Number cases by their start time, so case ids read in order.
    order = np.argsort(case_start, kind="stable")
    number = np.empty(order.size, dtype=np.int64)
    number[order] = np.arange(order.size)
    case = number[np.concatenate(columns["row"])]
    minute = np.concatenate(columns["min"])
    event_order = np.lexsort((minute, case))
    events = Events(
        case=case[event_order],
        process=np.concatenate(columns["proc"])[event_order],
        step=np.concatenate(columns["step"])[event_order],
        minute=minute[event_order],
        customer=np.concatenate(columns["cust"])[event_order],
    )
    cases = Cases(
        process=np.concatenate(case_parts["proc"])[order],
        customer=np.concatenate(case_parts["cust"])[order],
        start=case_start[order],
        end=np.concatenate(case_parts["end"])[order],
        closed=np.concatenate(closed_parts)[order],
        rework=np.concatenate(rework_parts)[order],
    )
    return events, cases


def step_names() -> tuple[StrArray, StrArray, StrArray]:
    """Return process ids, and per process the padded step ids and departments (2-D arrays)."""
    width = max(len(p.steps) for p in PROCESSES)
    ids = np.array([p.id for p in PROCESSES], dtype=np.str_)
    steps = np.array(
        [[s.id for s in p.steps] + [""] * (width - len(p.steps)) for p in PROCESSES], dtype=np.str_
    )
    departments = np.array(
        [[s.department for s in p.steps] + [""] * (width - len(p.steps)) for p in PROCESSES],
        dtype=np.str_,
    )
    return ids, steps, departments
