"""Time optimal offer assignment (custcentric.idic.assign_offers) under offer capacities.

Usage::

    python benchmarks/idic_offers.py --sizes 10000 100000 --repeat 3

Each size draws a seeded ``n x 5`` matrix of net expected values (normal, mean 10, sd 8, so
about 10 % of pairs are worth nothing) and gives every offer a capacity of ``n / 10``: the
capacities bind (they cover half the customers), so the problem is a transportation problem that
``assign_offers`` solves exactly as an LP with an integral vertex (``transportation_lp``).

The baseline, measured in the same run on the same matrix, is one ``np.argmax`` pass — each
customer's best offer, ignoring capacities. It is the fair floor: it reads the same input, and
it is exactly what ``assign_offers`` returns when nothing binds, so the ratio is the price of
the capacity constraints. (A ``linear_sum_assignment`` on a square subproblem would solve a
different, smaller problem; one on the column-replicated ``n x n/2`` matrix does not fit in
memory at 10^5.) The table also shows the optimum against the argmax value, which is an upper
bound of it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.idic import assign_offers

N_OFFERS = 5


def best_of(repeat: int, func: Callable[[], Any]) -> tuple[float, Any]:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def problem(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return a seeded value matrix and capacities for ``n`` customers."""
    rng = np.random.default_rng(seed)
    value = rng.normal(10.0, 8.0, size=(n, N_OFFERS))
    capacity = np.full(N_OFFERS, max(1, n // 10))
    return value, capacity


def _argmax_value(value: np.ndarray) -> float:
    best = value.max(axis=1)
    return float(best[best > 0].sum())


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"assign_offers, n customers x {N_OFFERS} offers, capacity n/10 per offer")
    print(
        f"{'customers':>10} {'assign_offers':>14} {'np.argmax':>10} {'ratio':>8} "
        f"{'method':>18} {'optimum':>14} {'argmax bound':>14} {'share':>7}"
    )
    for n in args.sizes:
        value, capacity = problem(n)
        t_plan, plan = best_of(
            args.repeat, lambda v=value, c=capacity: assign_offers(v, capacity=c)
        )
        t_base, _ = best_of(args.repeat, lambda v=value: np.argmax(v, axis=1))
        bound = _argmax_value(value)
        assert (plan.offer_counts <= capacity).all()
        print(
            f"{n:>10,} {_fmt(t_plan):>14} {_fmt(t_base):>10} {t_plan / max(t_base, 1e-9):>7.0f}x "
            f"{plan.method:>18} {plan.total_value:>14,.1f} {bound:>14,.1f} "
            f"{plan.total_value / bound:>7.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
