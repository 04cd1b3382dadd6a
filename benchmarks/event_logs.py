"""Time cycle_times, step_durations and TransactionLog.summary against their peers and one NumPy pass.

Usage::

    python benchmarks/event_logs.py --sizes 1000000 5000000 --repeat 3

For each size ``n`` (seeded synthetic data, integer ids, two years of second-resolution
timestamps; the event log of ``benchmarks/process.py``: about five events per case, ten
processes; the transactions of ``benchmarks/run.py``: about five purchases per customer),
best of ``--repeat`` (``time.perf_counter``):

- ``cycle_times(log)`` and ``step_durations(log)`` on a fresh log (*cold*: the first call,
  which codes the ids and groups the cases) and again on the same log (*warm*: the log keeps
  its codes and grouping while it lives), and ``step_durations(log).by_step()``;
- ``TransactionLog.summary`` of ``n`` transactions;

each beside the pandas code a user would write instead, run in this process on a DataFrame
of the same columns (first/last timestamp per case with ``groupby().agg(["min", "max"])``;
per-activity durations by ``sort_values`` + ``groupby().diff()`` + ``groupby(activity).agg``),
and beside one NumPy pass measured in the same run: one ``np.argsort`` of a packed int64
(case, time) key (for the summary: of a packed (customer, day) key). pm4py
(``get_all_case_durations``) and lifetimes (``summary_data_from_transaction_data``) run in
the peer environment (``--peer-python``, default ``/work/venv-peer/bin/python``) in a
subprocess on the same data when they are installed there; the report says plainly when
one is not. The goals (issue 23): at least 2x faster than the pandas groupby and at most 2x
one argsort, at 10^6 and 5 * 10^6 events; the summary at 10^6 within 2x one argsort.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from custcentric.process import cycle_times, step_durations
from custcentric.tables import EventLog, TransactionLog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process import synthetic as synthetic_events
from run import SPAN_SECONDS, START
from run import synthetic as synthetic_transactions

PEER_PYTHON = Path("/work/venv-peer/bin/python")
FASTER_THAN_PANDAS = 2.0
WITHIN_ARGSORT = 2.0

_PEER_SCRIPT = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
data = np.load(sys.argv[1])
which, repeat = sys.argv[2], int(sys.argv[3])
def best(func):
    times = []
    for _ in range(repeat):
        start = time.perf_counter(); func(); times.append(time.perf_counter() - start)
    return min(times)
out = {}
if which == "pm4py":
    try:
        import pm4py
    except ImportError:
        print(json.dumps({"missing": "pm4py"})); sys.exit(0)
    frame = pd.DataFrame({"case:concept:name": data["case_id"].astype(str),
                          "concept:name": data["activity"],
                          "time:timestamp": data["timestamp"].astype("datetime64[ns]")})
    out["cycle"] = best(lambda: pm4py.get_all_case_durations(frame))
else:
    try:
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError:
        print(json.dumps({"missing": "lifetimes"})); sys.exit(0)
    frame = pd.DataFrame({"customer_id": data["customer_id"],
                          "timestamp": data["timestamp"].astype("datetime64[ns]"),
                          "amount": data["amount"]})
    end = pd.Timestamp(str(data["end"]))
    out["summary"] = best(lambda: summary_data_from_transaction_data(
        frame, "customer_id", "timestamp", monetary_value_col="amount",
        observation_period_end=end, freq="W"))
print(json.dumps(out))
"""


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_best_of(repeat: int, make: Callable[[], Any], func: Callable[[Any], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func(make())``, ``make()`` not timed."""
    times = []
    for _ in range(repeat):
        fresh = make()
        start = time.perf_counter()
        func(fresh)
        times.append(time.perf_counter() - start)
        del fresh
        gc.collect()
    return min(times)


def packed_argsort(major: np.ndarray, minor: np.ndarray) -> Callable[[], object]:
    """The NumPy pass: one ``np.argsort`` of (major - min) * span + (minor - min)."""
    span = int(minor.max()) - int(minor.min()) + 1
    key = (major.astype(np.int64) - major.min()) * span + (minor - minor.min())
    return lambda: np.argsort(key)


def run_peer(python: Path, which: str, arrays: dict[str, np.ndarray], repeat: int) -> Any:
    """Time pm4py or lifetimes in the peer environment; a float, or why it was skipped."""
    if not python.exists():
        return f"skipped: no peer environment at {python}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.npz"
        np.savez(path, **arrays)
        try:
            done = subprocess.run(
                [str(python), "-c", _PEER_SCRIPT, str(path), which, str(repeat)],
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"skipped: {which} took longer than 30 minutes"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"skipped: {which} failed ({last})"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if "missing" in result:
        return f"not installed in {python.parent.parent}: no {which} ratio measured"
    return next(iter(result.values()))


def _pandas_cycle(frame: Any) -> Callable[[], object]:
    def run() -> object:
        spans = frame.groupby("case_id")["timestamp"].agg(["min", "max"])
        return spans["max"] - spans["min"]

    return run


def _pandas_steps(frame: Any) -> Callable[[], object]:
    def run() -> object:
        ordered = frame.sort_values(["case_id", "timestamp"], kind="stable")
        waits = ordered.groupby("case_id")["timestamp"].diff().dt.total_seconds() / 86400
        return waits.groupby([ordered["process"], ordered["activity"]]).agg(
            ["count", "sum", "mean", "median"]
        )

    return run


def time_events(n: int, repeat: int, seed: int, peers: bool, python: Path) -> dict[str, Any]:
    """Time the event-log operations on ``n`` synthetic events."""
    log = synthetic_events(n, np.random.default_rng([seed, n]))
    columns = (log.case_id, log.process, log.activity, log.timestamp, log.customer_id)

    def fresh() -> EventLog:
        return EventLog.from_arrays(*columns)

    row: dict[str, Any] = {
        "n": n,
        "from_arrays": best_of(repeat, fresh),
        "cycle_cold": cold_best_of(repeat, fresh, cycle_times),
        "steps_cold": cold_best_of(repeat, fresh, step_durations),
    }
    cycle_times(log)
    row["cycle_warm"] = best_of(repeat, lambda: cycle_times(log))
    row["steps_warm"] = best_of(repeat, lambda: step_durations(log))
    row["by_step"] = best_of(repeat, lambda: step_durations(log).by_step())
    row["argsort"] = best_of(repeat, packed_argsort(log.case_id, log.timestamp.astype(np.int64)))
    try:
        frame = log.to_pandas()
    except ImportError:
        row["pandas_cycle"] = row["pandas_steps"] = None
    else:
        row["pandas_cycle"] = best_of(repeat, _pandas_cycle(frame))
        row["pandas_steps"] = best_of(repeat, _pandas_steps(frame))
        del frame
    row["pm4py"] = (
        run_peer(
            python,
            "pm4py",
            {"case_id": log.case_id, "activity": log.activity, "timestamp": log.timestamp},
            1,
        )
        if peers
        else "skipped (--no-peers)"
    )
    return row


def time_summary(n: int, repeat: int, seed: int, peers: bool, python: Path) -> dict[str, Any]:
    """Time ``TransactionLog.summary`` on ``n`` synthetic transactions."""
    data = synthetic_transactions(n, np.random.default_rng([seed, n]))
    log = TransactionLog.from_arrays(**data)
    end = START + np.timedelta64(SPAN_SECONDS, "s")
    day = data["timestamp"].astype("datetime64[D]").astype(np.int64)
    row: dict[str, Any] = {
        "n": n,
        "summary": best_of(repeat, lambda: log.summary(end, time_unit="W")),
        "argsort": best_of(repeat, packed_argsort(data["customer_id"], day)),
    }
    row["lifetimes"] = (
        run_peer(python, "lifetimes", {**data, "end": np.array(str(end))}, 1)
        if peers
        else "skipped (--no-peers)"
    )
    return row


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{1000 * seconds:,.1f} ms"


def _x(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None:
        return "-"
    return f"{numerator / denominator:.2f}x"


def report(events: Sequence[dict[str, Any]], summaries: Sequence[dict[str, Any]]) -> str:
    """Return the tables: time, peer time, peer / custcentric, custcentric / one argsort."""
    lines = [
        f"{'workload':<34}{'events':>11}{'custcentric':>13}{'pandas':>12}"
        f"{'pandas/cc':>11}{'cc/argsort':>12}"
    ]
    verdicts = []
    for r in events:
        rows = (
            ("cycle_times (cold: first call)", r["cycle_cold"], r["pandas_cycle"]),
            ("cycle_times (warm: same log)", r["cycle_warm"], r["pandas_cycle"]),
            ("step_durations (cold)", r["steps_cold"], r["pandas_steps"]),
            ("step_durations (warm)", r["steps_warm"], r["pandas_steps"]),
            ("step_durations + by_step (warm)", r["by_step"], r["pandas_steps"]),
        )
        for label, ours, peer in rows:
            lines.append(
                f"{label:<34}{r['n']:>11,}{_ms(ours):>13}{_ms(peer):>12}"
                f"{_x(peer, ours):>11}{_x(ours, r['argsort']):>12}"
            )
        lines.append(
            f"{'  EventLog.from_arrays':<34}{r['n']:>11,}{_ms(r['from_arrays']):>13}"
            f"{'':>12}{'':>11}{_x(r['from_arrays'], r['argsort']):>12}"
        )
        lines.append(f"{'  one np.argsort, packed key':<34}{r['n']:>11,}{_ms(r['argsort']):>13}")
        if isinstance(r["pm4py"], float):
            lines.append(
                f"{'  pm4py get_all_case_durations':<34}{r['n']:>11,}{_ms(r['pm4py']):>13}"
                f"  pm4py / cycle_times cold: {_x(r['pm4py'], r['cycle_cold'])}"
            )
        else:
            lines.append(f"  pm4py at {r['n']:,}: {r['pm4py']}")
        for key, peer in (("cycle_warm", "pandas_cycle"), ("steps_warm", "pandas_steps")):
            if r[peer] is not None:
                fast = r[peer] / r[key] >= FASTER_THAN_PANDAS
                near = r[key] / r["argsort"] <= WITHIN_ARGSORT
                verdicts.append(
                    f"goal {key} >= {FASTER_THAN_PANDAS:g}x pandas and <= {WITHIN_ARGSORT:g}x "
                    f"argsort at {r['n']:,}: {'met' if fast and near else 'NOT met'}"
                )
    lines.append(
        f"{'workload':<34}{'rows':>11}{'custcentric':>13}{'lifetimes':>12}"
        f"{'lt/cc':>11}{'cc/argsort':>12}"
    )
    for r in summaries:
        peer = r["lifetimes"] if isinstance(r["lifetimes"], float) else None
        lines.append(
            f"{'TransactionLog.summary':<34}{r['n']:>11,}{_ms(r['summary']):>13}{_ms(peer):>12}"
            f"{_x(peer, r['summary']):>11}{_x(r['summary'], r['argsort']):>12}"
        )
        if peer is None:
            lines.append(f"  lifetimes at {r['n']:,}: {r['lifetimes']}")
        near = r["summary"] / r["argsort"] <= WITHIN_ARGSORT
        verdicts.append(
            f"goal summary <= {WITHIN_ARGSORT:g}x argsort at {r['n']:,}: "
            f"{'met' if near else 'NOT met'}"
        )
    return "\n".join([*lines, *verdicts])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--summary-sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--peer-python", type=Path, default=PEER_PYTHON)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args(argv)
    peers = not args.no_peers
    events = [time_events(n, args.repeat, args.seed, peers, args.peer_python) for n in args.sizes]
    summaries = [
        time_summary(n, args.repeat, args.seed, peers, args.peer_python) for n in args.summary_sizes
    ]
    print(report(events, summaries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
