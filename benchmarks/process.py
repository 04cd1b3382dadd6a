"""Time cycle_times and step_durations against one np.lexsort of (case, timestamp).

Usage::

    python benchmarks/process.py --sizes 100000 1000000 5000000 --repeat 3

Each figure is the best of ``--repeat`` runs (``time.perf_counter``) on a seeded synthetic
event log (integer case ids, about five events per case, ten processes, two years). The
baseline is one ``np.lexsort((timestamp, case_id))`` over the same arrays, measured in the same
run; the goal is ``cycle_times`` and ``step_durations`` within 3x that baseline at 5 * 10^6
events. pm4py's case durations are timed too when pm4py is installed. ``process_performance``
(closed cases only, and Kaplan-Meier with open cases censored) is timed on the cycle times
against one ``np.lexsort((duration, process))``: the grouped sort any per-process percentile
needs. The comparison with the pandas code a user would write (and pm4py / lifetimes in the
peer environment), cold and warm, is ``benchmarks/event_logs.py``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.process import cycle_times, process_performance, step_durations
from custcentric.tables import EventLog

GOAL = 3.0
START = np.datetime64("2024-01-01T00:00:00", "s")
SPAN_SECONDS = 730 * 86400
PROCESSES = np.array([f"process-{k}" for k in range(10)])
ACTIVITIES = np.array(["received", "checked", "approved", "shipped", "closed"])


def synthetic(n: int, rng: np.random.Generator) -> EventLog:
    """Return a log of ``n`` events in about ``n / 5`` cases (one process and customer each)."""
    n_cases = max(1, n // 5)
    case = rng.integers(0, n_cases, size=n, dtype=np.int64)
    process_of_case = rng.integers(0, PROCESSES.size, size=n_cases)
    customer_of_case = rng.integers(0, max(1, n_cases // 2), size=n_cases, dtype=np.int64)
    return EventLog.from_arrays(
        case,
        PROCESSES[process_of_case[case]],
        ACTIVITIES[rng.integers(0, ACTIVITIES.size, size=n)],
        START + rng.integers(0, SPAN_SECONDS, size=n).astype("timedelta64[s]"),
        customer_of_case[case],
    )


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _pm4py_timer(log: EventLog, repeat: int) -> float | None:
    """Time pm4py's case durations on the same events, or None when pm4py is absent."""
    try:
        import pm4py  # type: ignore[import-not-found]
    except ImportError:
        return None
    frame = log.to_pandas().rename(
        columns={
            "case_id": "case:concept:name",
            "activity": "concept:name",
            "timestamp": "time:timestamp",
        }
    )
    frame["case:concept:name"] = frame["case:concept:name"].astype(str)
    return best_of(repeat, lambda: pm4py.get_all_case_durations(frame))


def time_size(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time each operation on ``n`` synthetic events."""
    log = synthetic(n, np.random.default_rng([seed, n]))
    closers = {str(p): "closed" for p in PROCESSES}
    ct = cycle_times(log, processes=closers)
    row: dict[str, Any] = {
        "n": n,
        "cycle_times": best_of(repeat, lambda: cycle_times(log)),
        "cycle_times_catalogue": best_of(repeat, lambda: cycle_times(log, processes=closers)),
        "step_durations": best_of(repeat, lambda: step_durations(log)),
        "lexsort": best_of(repeat, lambda: np.lexsort((log.timestamp, log.case_id))),
        "pm4py": _pm4py_timer(log, repeat),
        "performance": best_of(repeat, lambda: process_performance(ct)),
        "performance_km": best_of(
            repeat, lambda: process_performance(ct, censoring="kaplan_meier")
        ),
        "sort": best_of(repeat, lambda: np.lexsort((ct.duration, ct.process))),
        "n_cases": len(ct),
    }
    for key in ("cycle_times", "cycle_times_catalogue", "step_durations"):
        row[f"{key}_ratio"] = row[key] / row["lexsort"]
    return row


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:,.1f} ms"


def report(rows: Sequence[dict[str, Any]]) -> str:
    """Return the timings as a table, with the ratios to the lexsort baseline and the goal."""
    head = (
        f"{'events':>10}  {'cycle_times':>12}  {'+catalogue':>12}  {'step_durations':>14}  "
        f"{'np.lexsort':>11}  {'cycle/lexsort':>13}  {'catalogue/lexsort':>17}  "
        f"{'steps/lexsort':>13}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['n']:>10,}  {_ms(r['cycle_times']):>12}  {_ms(r['cycle_times_catalogue']):>12}  "
            f"{_ms(r['step_durations']):>14}  {_ms(r['lexsort']):>11}  "
            f"{r['cycle_times_ratio']:>12.2f}x  {r['cycle_times_catalogue_ratio']:>16.2f}x  "
            f"{r['step_durations_ratio']:>12.2f}x"
        )
    last = rows[-1]
    for key, label in (("cycle_times", "cycle_times"), ("step_durations", "step_durations")):
        verdict = "met" if last[f"{key}_ratio"] <= GOAL else "NOT met"
        lines.append(
            f"goal {label} <= {GOAL:g}x lexsort at {last['n']:,} events: {verdict} "
            f"({last[f'{key}_ratio']:.2f}x)"
        )
    lines.append(
        f"{'cases':>10}  {'performance':>12}  {'+kaplan_meier':>13}  {'np.lexsort':>10}  "
        f"{'perf/lexsort':>12}  {'km/lexsort':>10}"
    )
    for r in rows:
        lines.append(
            f"{r['n_cases']:>10,}  {_ms(r['performance']):>12}  {_ms(r['performance_km']):>13}  "
            f"{_ms(r['sort']):>10}  {r['performance'] / r['sort']:>11.2f}x  "
            f"{r['performance_km'] / r['sort']:>9.2f}x"
        )
    if last["pm4py"] is None:
        lines.append("pm4py is not installed: no pm4py ratio measured.")
    else:
        lines.append(
            f"pm4py get_all_case_durations: {_ms(last['pm4py'])}; cycle_times / pm4py = "
            f"{last['cycle_times'] / last['pm4py']:.2f}x"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rows = [time_size(n, args.repeat, args.seed) for n in args.sizes]
    print(report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
