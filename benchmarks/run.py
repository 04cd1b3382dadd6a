"""Time custcentric's core table operations on seeded synthetic data.

Usage::

    python benchmarks/run.py --sizes 10000 100000 1000000 --repeat 3

Each figure is the best of ``--repeat`` runs (``time.perf_counter``). The baseline is one
``np.lexsort`` of the same (customer, timestamp) arrays, measured in the same run; the goal
is ``TransactionLog.summary <= 3x`` that baseline at 10^6 transactions.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from custcentric.tables import EventLog, TransactionLog

GOAL = 3.0
START = np.datetime64("2024-01-01T00:00:00", "s")
SPAN_SECONDS = 730 * 86400


def synthetic(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Return columns of ``n`` purchases by about ``n / 5`` customers over two years."""
    n_customers = max(1, n // 5)
    return {
        "customer_id": rng.integers(0, n_customers, size=n, dtype=np.int64),
        "timestamp": START + rng.integers(0, SPAN_SECONDS, size=n).astype("timedelta64[s]"),
        "amount": np.round(rng.gamma(2.0, 20.0, size=n), 2),
    }


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def time_size(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time every operation on ``n`` synthetic rows."""
    rng = np.random.default_rng([seed, n])
    data = synthetic(n, rng)
    log = TransactionLog.from_arrays(**data)
    end = START + np.timedelta64(SPAN_SECONDS, "s")
    cal = START + np.timedelta64(SPAN_SECONDS // 2, "s")
    n_cases = max(1, n // 4)
    events = {
        "case_id": rng.integers(0, n_cases, size=n, dtype=np.int64),
        "process": np.full(n, "onboarding"),
        "activity": rng.choice(np.array(["received", "checked", "approved", "closed"]), n),
        "timestamp": data["timestamp"],
        "customer_id": data["customer_id"],
    }
    row: dict[str, Any] = {
        "n": n,
        "from_arrays": best_of(repeat, lambda: TransactionLog.from_arrays(**data)),
        "summary": best_of(repeat, lambda: log.summary(end, time_unit="W")),
        "calibration_holdout": best_of(repeat, lambda: log.calibration_holdout(cal, end)),
        "EventLog": best_of(repeat, lambda: EventLog.from_arrays(**events)),
        "lexsort": best_of(repeat, lambda: np.lexsort((data["timestamp"], data["customer_id"]))),
    }
    row["ratio"] = row["summary"] / row["lexsort"]
    return row


def run(sizes: Sequence[int], repeat: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Time the operations at each size and return one row of timings per size."""
    return [time_size(n, repeat, seed) for n in sizes]


def time_read_csv(n: int, repeat: int, seed: int = 2026) -> float:
    """Write ``n`` purchases to a gzipped CSV and time :meth:`TransactionLog.read_csv`."""
    data = synthetic(n, np.random.default_rng([seed, n]))
    stamps = np.datetime_as_string(data["timestamp"], unit="s")
    lines = [
        f"C{c:07d},{t},{a:.2f}"
        for c, t, a in zip(
            data["customer_id"].tolist(), stamps.tolist(), data["amount"].tolist(), strict=True
        )
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "transactions.csv.gz"
        path.write_bytes(
            gzip.compress(("customer_id,timestamp,amount\n" + "\n".join(lines)).encode())
        )
        return best_of(repeat, lambda: TransactionLog.read_csv(path))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv-size", type=int, default=100_000)
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeat)
    columns = ["from_arrays", "summary", "calibration_holdout", "EventLog", "lexsort"]
    print(f"{'rows':>10} " + " ".join(f"{c:>20}" for c in columns) + f" {'summary/lexsort':>16}")
    for row in rows:
        cells = " ".join(f"{row[c] * 1e3:>17.1f} ms" for c in columns)
        print(f"{row['n']:>10} {cells} {row['ratio']:>15.2f}x")
    csv_time = time_read_csv(args.csv_size, args.repeat)
    print(f"\nread_csv (.csv.gz, {args.csv_size} rows): {csv_time * 1e3:.1f} ms")
    largest = rows[-1]
    met = largest["ratio"] <= GOAL
    print(
        f"goal summary <= {GOAL:g}x lexsort at {largest['n']} rows: "
        f"{largest['ratio']:.2f}x -> {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
