"""Time custcentric.maturity on seeded synthetic self-assessments.

Usage::

    python benchmarks/maturity.py --sizes 1000 10000 100000 --repeat 3

Each size is a number of raters, each rating the first ``--items`` (default 75) capabilities of
the default catalogue with a level 1-4 (an item effect plus a rater bias plus noise, rounded and
clipped). Every figure is the best of ``--repeat`` runs (``time.perf_counter``) and is printed
beside the baseline measured in the same run: one ``np.sort`` of the same raters x items level
values. The operations timed:

* ``assess``: from a ratings table (integer rater ids, capability-id strings, levels), including
  the checks of every row;
* ``rwg``: r_WG(J) over the raters x items matrix;
* ``kendall_w``: Kendall's W of the raters' orderings of the items (with ties);
* ``alignment``: the alignment index, r_WG per item, W and the stage spreads of the assessment.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from custcentric.maturity import alignment, assess, default_catalogue, kendall_w, rwg


@attrs.frozen(eq=False)
class RatingsTable:
    """The columns ``assess`` reads from a ratings table."""

    department: np.ndarray
    capability_id: np.ndarray
    level: np.ndarray


def synthetic(
    n_raters: int, n_items: int, rng: np.random.Generator
) -> tuple[np.ndarray, RatingsTable]:
    """Return the raters x items level matrix and the same ratings as a long table."""
    ids = np.asarray(default_catalogue().ids[:n_items])
    item = rng.uniform(1.2, 3.6, size=n_items)
    bias = rng.normal(0.0, 0.6, size=(n_raters, 1))
    noise = rng.normal(0.0, 0.5, size=(n_raters, n_items))
    levels = np.clip(np.rint(item + bias + noise), 1, 4).astype(np.int64)
    table = RatingsTable(
        department=np.repeat(np.arange(n_raters, dtype=np.int64), n_items),
        capability_id=np.tile(ids, n_raters),
        level=levels.ravel(),
    )
    return levels, table


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def time_size(n_raters: int, n_items: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time every operation on ``n_raters`` synthetic raters."""
    rng = np.random.default_rng([seed, n_raters])
    levels, table = synthetic(n_raters, n_items, rng)
    catalogue = default_catalogue()
    assessment = assess(catalogue, table)
    kendall_w(levels[:2])  # warm up the lazy SciPy import outside the timings
    row: dict[str, Any] = {
        "raters": n_raters,
        "items": n_items,
        "assess": best_of(repeat, lambda: assess(catalogue, table)),
        "rwg": best_of(repeat, lambda: rwg(levels, n_options=4)),
        "kendall_w": best_of(repeat, lambda: kendall_w(levels)),
        "alignment": best_of(repeat, lambda: alignment(assessment)),
        "np.sort": best_of(repeat, lambda: np.sort(table.level)),
    }
    return row


def run(
    sizes: Sequence[int], repeat: int, n_items: int = 75, seed: int = 2026
) -> list[dict[str, Any]]:
    """Time the operations at each size and return one row per size."""
    return [time_size(n, n_items, repeat, seed) for n in sizes]


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:,.1f} ms"


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Lay out the timings, each with its ratio to the np.sort baseline."""
    ops = ("assess", "rwg", "kendall_w", "alignment")
    header = ["raters x items", "np.sort", *ops]
    lines = [header]
    for row in rows:
        base = row["np.sort"]
        cells = [f"{row['raters']:,} x {row['items']}", _ms(base)]
        cells += [f"{_ms(row[op])} ({row[op] / base:.1f}x)" for op in ops]
        lines.append(cells)
    widths = [max(len(line[j]) for line in lines) for j in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--items", type=int, default=75)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeat, n_items=args.items, seed=args.seed)
    print("custcentric.maturity: best of", args.repeat, "runs; ratio to one np.sort of the levels")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
