"""Time custcentric.sla on seeded synthetic data, each figure beside a same-run baseline.

Usage::

    python benchmarks/sla.py --sizes 10000 100000 1000000 --repeat 3

* ``required_agents`` on a grid of scenarios in one vectorised call, beside a plain NumPy
  Erlang C pass over the same grid at its answer (goal: a small multiple of it), and beside
  pyworkforce's ``ErlangC.required_positions`` when pyworkforce is installed (with the
  number of scenarios where the agent counts disagree).
* ``evaluate_slas`` on ``n`` cases (two events each), beside one ``np.lexsort`` of the same
  (case, timestamp) arrays; the goal is ``<= 3x`` at 10^6 cases.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.domain import SLA, CustomerProcess
from custcentric.sla import erlang_c, evaluate_slas, required_agents
from custcentric.tables import EventLog

GOAL = 3.0
START = np.datetime64("2024-01-01T00:00:00", "s")
PROCESS = CustomerProcess(
    id="repair",
    name="Repair",
    kind="vertical",
    lifecycle_stage="retain",
    owner="ops",
    steps=[{"id": "reported", "name": "Reported"}, {"id": "fixed", "name": "Fixed"}],
)
SLA48 = SLA(
    id="fix-48h",
    name="Fixed in 48 h",
    process_id="repair",
    metric="cycle_time",
    target=48,
    time_unit="h",
    target_share=0.9,
    compensation={"fixed_per_breach": 10, "per_unit_late": 5, "cap": 50},
)


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def scenarios(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Return ``n`` staffing scenarios: calls per hour, handle time, targets."""
    return {
        "arrival_rate": rng.uniform(5.0, 2000.0, n),
        "handle_time": rng.uniform(2.0, 12.0, n) / 60.0,  # hours
        "answer_time": rng.choice([10.0, 20.0, 30.0], n) / 3600.0,  # hours
        "target": rng.choice([0.7, 0.8, 0.9], n),
    }


def event_log(n_cases: int, rng: np.random.Generator) -> EventLog:
    """Return a log of ``n_cases`` two-event cases, 2 % of them still open."""
    starts = START + rng.integers(0, 700 * 86400, n_cases).astype("timedelta64[s]")
    takes = (rng.lognormal(np.log(30 * 3600), 0.6, n_cases)).astype("timedelta64[s]")
    done = rng.random(n_cases) > 0.02
    case = np.arange(n_cases, dtype=np.int64)
    cases = np.concatenate([case, case[done]])
    times = np.concatenate([starts, (starts + takes)[done]])
    acts = np.concatenate([np.full(n_cases, "reported"), np.full(int(done.sum()), "fixed")])
    order = np.lexsort((times, cases))
    return EventLog.from_arrays(
        cases[order],
        np.full(cases.size, "repair"),
        acts[order],
        times[order],
        (cases[order] % max(n_cases // 3, 1)),
    )


def pyworkforce_agents(data: dict[str, Any], limit: int) -> tuple[float, np.ndarray] | None:
    """Time pyworkforce on the first ``limit`` scenarios (a Python loop), if installed."""
    try:
        from pyworkforce.queuing import ErlangC  # type: ignore[import-not-found]
    except ImportError:
        return None
    k = min(limit, data["arrival_rate"].size)

    def run() -> np.ndarray:
        out = np.empty(k, dtype=np.int64)
        for i in range(k):
            model = ErlangC(
                transactions=data["arrival_rate"][i],  # calls per hour (interval = 60 min)
                aht=data["handle_time"][i] * 60,  # minutes
                asa=data["answer_time"][i] * 60,  # minutes
                interval=60,
            )
            res = model.required_positions(service_level=data["target"][i], max_occupancy=1.0)
            out[i] = res["raw_positions"]
        return out

    start = time.perf_counter()
    counts = run()
    return time.perf_counter() - start, counts


def time_size(n: int, repeat: int, seed: int) -> list[tuple[str, int, float, float]]:
    """Return rows (name, size, seconds, baseline seconds) for ``n`` scenarios and cases."""
    rng = np.random.default_rng([seed, n])
    data = scenarios(n, rng)

    def call() -> Any:
        return required_agents(
            data["arrival_rate"],
            data["handle_time"] * 3600.0,
            interval="h",
            answer_time=data["answer_time"] * 3600.0,
            target_service_level=data["target"],
        )

    agents = call()
    traffic = data["arrival_rate"] * data["handle_time"]
    rows = [
        (
            "required_agents/erlang_c",
            n,
            best_of(repeat, call),
            best_of(repeat, lambda: erlang_c(traffic, agents)),
        )
    ]
    pwf = pyworkforce_agents(data, limit=min(n, 2000))
    if pwf is not None:
        seconds, counts = pwf
        k = counts.size
        head = {key: value[:k] for key, value in data.items()}
        ours = best_of(
            repeat,
            lambda: required_agents(
                head["arrival_rate"],
                head["handle_time"] * 3600.0,
                interval="h",
                answer_time=head["answer_time"] * 3600.0,
                target_service_level=head["target"],
            ),
        )
        differ = int(np.count_nonzero(counts != agents[:k]))
        rows.append((f"required_agents/pyworkforce ({differ} of {k} differ)", k, ours, seconds))
    log = event_log(n, rng)
    rows.append(
        (
            "evaluate_slas/lexsort",
            n,
            best_of(repeat, lambda: evaluate_slas(log, SLA48, processes=[PROCESS])),
            best_of(repeat, lambda: np.lexsort((log.timestamp, log.case_id))),
        )
    )
    return rows


def run(sizes: Sequence[int], repeat: int, seed: int) -> list[tuple[str, int, float, float]]:
    """Return rows (name, size, seconds, baseline seconds) for every size."""
    rows: list[tuple[str, int, float, float]] = []
    for n in sizes:
        rows.extend(time_size(n, repeat, seed))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table of timings and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeat, args.seed)
    print(f"{'operation/baseline':<48} {'size':>9} {'seconds':>9} {'baseline':>9} {'ratio':>7}")
    for name, n, seconds, baseline in rows:
        ratio = seconds / baseline if baseline > 0 else float("inf")
        print(f"{name:<48} {n:>9} {seconds:>9.4f} {baseline:>9.4f} {ratio:>7.2f}")
    largest = max(args.sizes)
    for name, n, seconds, baseline in rows:
        if name == "evaluate_slas/lexsort" and n == largest:
            verdict = "met" if seconds <= GOAL * baseline else "missed"
            print(
                f"goal evaluate_slas <= {GOAL:g}x lexsort at {n} cases: {verdict} "
                f"({seconds / baseline:.2f}x)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
