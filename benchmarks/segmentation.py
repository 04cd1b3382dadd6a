"""Time custcentric.segmentation on seeded synthetic customers, each beside a same-run baseline.

Usage::

    python benchmarks/segmentation.py --sizes 100000 1000000 10000000 --kmeans-sizes 1000000 --repeat 3

* ``value_tiers`` and ``rfm_segments`` on ``n`` customers against one ``np.argsort`` of the same
  value array (goal: at most 3x at 10^7). When ``custcentric.value.rfm_scores`` is available,
  ``rfm_scores + rfm_segments`` is timed as well.
* ``kmeans`` (one k-means++ start, standardised features) on ``n x 5`` features against scipy's
  ``kmeans2`` doing the same work: standardising, k-means++ seeding and the same number of Lloyd
  iterations (goal: at most 1.5x at 10^6 x 5).

Each figure is the best of ``--repeat`` runs (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.segmentation import kmeans, rfm_segments, value_tiers

TIER_GOAL = 3.0
KMEANS_GOAL = 1.5


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _rfm_scores() -> Callable[..., Any] | None:
    try:
        from custcentric.value import rfm_scores  # type: ignore[attr-defined]
    except ImportError:
        return None
    return rfm_scores  # type: ignore[no-any-return]


def time_tiers(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time value_tiers and rfm_segments on ``n`` synthetic customers."""
    rng = np.random.default_rng([seed, n])
    value = rng.gamma(0.8, 120.0, size=n)
    scores = {
        "r": rng.integers(1, 6, size=n),
        "f": rng.integers(1, 6, size=n),
        "m": rng.integers(1, 6, size=n),
    }
    row: dict[str, Any] = {
        "n": n,
        "value_tiers": best_of(repeat, lambda: value_tiers(value)),
        "rfm_segments": best_of(repeat, lambda: rfm_segments(scores)),
        "argsort": best_of(repeat, lambda: np.argsort(value)),
    }
    scorer = _rfm_scores()
    if scorer is not None:
        since_last = rng.integers(0, 730, size=n).astype(np.float64)
        frequency = rng.integers(1, 30, size=n).astype(np.float64)
        row["rfm_scores+segments"] = best_of(
            repeat,
            lambda: rfm_segments(
                scorer(time_since_last=since_last, frequency=frequency, monetary=value)
            ),
        )
    return row


def time_kmeans(n: int, repeat: int, seed: int, n_clusters: int) -> dict[str, Any]:
    """Time kmeans against scipy's kmeans2 on ``n x 5`` features, for the same work."""
    from scipy.cluster.vq import kmeans2

    rng = np.random.default_rng([seed, n, 5])
    centres = rng.normal(scale=4.0, size=(n_clusters, 5))
    x = centres[rng.integers(0, n_clusters, size=n)] + rng.normal(size=(n, 5))
    fit = kmeans(x, n_clusters, n_init=1, rng=seed)
    n_iter = fit.n_iter

    def ours() -> object:
        return kmeans(x, n_clusters, n_init=1, max_iter=n_iter, tol=0.0, rng=seed)

    def theirs() -> object:
        z = (x - x.mean(axis=0)) / x.std(axis=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return kmeans2(z, n_clusters, iter=n_iter, minit="++", rng=seed)

    return {
        "n": n,
        "n_clusters": n_clusters,
        "n_iter": n_iter,
        "kmeans": best_of(repeat, ours),
        "kmeans2": best_of(repeat, theirs),
    }


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:,.1f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--kmeans-sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--n-clusters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    print("value_tiers / rfm_segments vs one np.argsort of the same values")
    print(
        f"{'customers':>12} {'value_tiers':>13} {'rfm_segments':>13} {'rfm_scores+seg':>15} "
        f"{'np.argsort':>12} {'tiers/argsort':>14} {'rfm/argsort':>12}"
    )
    rows = [time_tiers(n, args.repeat, args.seed) for n in args.sizes]
    for row in rows:
        rfm_time = row.get("rfm_scores+segments", row["rfm_segments"])
        both = row.get("rfm_scores+segments")
        print(
            f"{row['n']:>12,} {_ms(row['value_tiers']):>13} {_ms(row['rfm_segments']):>13} "
            f"{(_ms(both) if both is not None else 'n/a'):>15} {_ms(row['argsort']):>12} "
            f"{row['value_tiers'] / row['argsort']:>13.2f}x {rfm_time / row['argsort']:>11.2f}x"
        )
    last = rows[-1]
    checks = [("value_tiers", last["value_tiers"]), ("rfm_segments", last["rfm_segments"])]
    if "rfm_scores+segments" in last:
        checks.append(("rfm_scores + rfm_segments", last["rfm_scores+segments"]))
    for name, seconds in checks:
        ratio = seconds / last["argsort"]
        verdict = "met" if ratio <= TIER_GOAL else "NOT met"
        print(
            f"goal {name} <= {TIER_GOAL:g}x argsort at {last['n']:,} customers: "
            f"{ratio:.2f}x ({verdict})"
        )
    print()
    print(
        f"kmeans vs scipy.cluster.vq.kmeans2 (5 features, {args.n_clusters} clusters, "
        "one k-means++ start, same iterations, both standardising)"
    )
    print(f"{'customers':>12} {'iterations':>10} {'kmeans':>12} {'kmeans2':>12} {'ratio':>8}")
    krows = [time_kmeans(n, args.repeat, args.seed, args.n_clusters) for n in args.kmeans_sizes]
    for row in krows:
        print(
            f"{row['n']:>12,} {row['n_iter']:>10} {_ms(row['kmeans']):>12} "
            f"{_ms(row['kmeans2']):>12} {row['kmeans'] / row['kmeans2']:>7.2f}x"
        )
    klast = krows[-1]
    kratio = klast["kmeans"] / klast["kmeans2"]
    verdict = "met" if kratio <= KMEANS_GOAL else "NOT met"
    print(
        f"goal kmeans <= {KMEANS_GOAL:g}x kmeans2 at {klast['n']:,} x 5: {kratio:.2f}x ({verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
