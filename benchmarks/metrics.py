"""Time custcentric.metrics on seeded synthetic survey answers and tenures.

Usage::

    python benchmarks/metrics.py --sizes 1000000 10000000 --repeat 3

Each figure is the best of ``--repeat`` runs (``time.perf_counter``), printed beside baselines
measured in the same run on the same arrays: one ``np.argsort`` of the labels (what a
sort-based group-by pays before it computes anything) and one ``np.bincount`` pass (the
cheapest possible per-group sum). Goals, as ratios at the largest size: the grouped metrics
with integer labels take at most 1x the argsort, ``kaplan_meier`` at most 2x one ``np.argsort``
of the durations.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.metrics import csat_by_group, kaplan_meier, nps_by_group

GOAL_GROUPED = 1.0
GOAL_KM = 2.0
N_GROUPS = 1_000
TIERS = np.array(["gold", "silver", "bronze", "none", "platinum", "trial", "staff", "partner"])


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Answers, integer and text labels, and censored tenures in whole days."""
    return {
        "nps": rng.integers(0, 11, size=n),
        "csat": rng.integers(1, 6, size=n),
        "labels": rng.integers(0, N_GROUPS, size=n),
        "tiers": TIERS[rng.integers(0, TIERS.size, size=n)],
        "durations": np.floor(rng.exponential(400.0, size=n)),
        "observed": rng.random(n) < 0.6,
    }


def time_size(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time every operation and its baselines on ``n`` rows."""
    data = synthetic(n, np.random.default_rng([seed, n]))
    labels, tiers, durations = data["labels"], data["tiers"], data["durations"]
    row: dict[str, Any] = {
        "n": n,
        "nps_by_group": best_of(repeat, lambda: nps_by_group(data["nps"], labels)),
        "csat_by_group": best_of(repeat, lambda: csat_by_group(data["csat"], labels)),
        "nps_by_tier_text": best_of(repeat, lambda: nps_by_group(data["nps"], tiers)),
        "kaplan_meier": best_of(repeat, lambda: kaplan_meier(durations, data["observed"])),
        "argsort_labels": best_of(repeat, lambda: np.argsort(labels)),
        "bincount_labels": best_of(
            repeat, lambda: np.bincount(labels, weights=data["nps"], minlength=N_GROUPS)
        ),
        "argsort_text": best_of(repeat, lambda: np.argsort(tiers)),
        "argsort_durations": best_of(repeat, lambda: np.argsort(durations)),
    }
    row["ratio_nps"] = row["nps_by_group"] / row["argsort_labels"]
    row["ratio_csat"] = row["csat_by_group"] / row["argsort_labels"]
    row["ratio_text"] = row["nps_by_tier_text"] / row["argsort_text"]
    row["ratio_km"] = row["kaplan_meier"] / row["argsort_durations"]
    return row


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rows = [time_size(n, args.repeat, args.seed) for n in args.sizes]

    print(f"grouped metrics ({N_GROUPS} integer groups) and kaplan_meier; best of {args.repeat}")
    columns = [
        ("nps_by_group", "nps_by_group"),
        ("csat_by_group", "csat_by_group"),
        ("argsort_labels", "argsort labels"),
        ("bincount_labels", "bincount labels"),
        ("nps_by_tier_text", "nps_by_group(text)"),
        ("argsort_text", "argsort text"),
        ("kaplan_meier", "kaplan_meier"),
        ("argsort_durations", "argsort durations"),
    ]
    print(f"{'rows':>10} " + " ".join(f"{title:>19}" for _, title in columns))
    for row in rows:
        print(f"{row['n']:>10} " + " ".join(f"{row[key] * 1e3:>16.1f} ms" for key, _ in columns))
    print(
        f"\n{'rows':>10} {'nps/argsort':>12} {'csat/argsort':>13} {'text/argsort':>13} {'km/argsort':>11}"
    )
    for row in rows:
        print(
            f"{row['n']:>10} {row['ratio_nps']:>11.2f}x {row['ratio_csat']:>12.2f}x "
            f"{row['ratio_text']:>12.2f}x {row['ratio_km']:>10.2f}x"
        )
    largest = rows[-1]
    grouped = max(largest["ratio_nps"], largest["ratio_csat"])
    met = grouped <= GOAL_GROUPED
    print(
        f"goal grouped <= {GOAL_GROUPED:g}x argsort at {largest['n']} rows: "
        f"{grouped:.2f}x -> {'met' if met else 'NOT met'}"
    )
    met = largest["ratio_km"] <= GOAL_KM
    print(
        f"goal kaplan_meier <= {GOAL_KM:g}x argsort at {largest['n']} rows: "
        f"{largest['ratio_km']:.2f}x -> {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
