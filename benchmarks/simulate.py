"""Time one replication of custcentric.simulate against drawing its variates with NumPy.

Usage::

    python benchmarks/simulate.py --customers 1000000 --weeks 104 --repeat 1

The scenario: BG/NBD with the CDNOW estimates (weekly), gamma-gamma spend, 10^6 customers
at the start, a contact centre (0.02 contacts per customer and week) and one fault-repair
process started by 5 % of the contacts, with a 48-hour SLA. The baseline, measured in the same
run: per week, one NumPy draw each of gamma, beta and exponential variates for every customer
(the variates a period of the simulation draws, at their cheapest). The goal: within 10x the
baseline. Peak RSS (``resource.getrusage``) is printed after the run. When lifetimes is
installed, its ``beta_geometric_nbd_model`` generator (a Python loop per customer) is timed on
``--lifetimes-customers`` customers and scaled up; otherwise the comparison is reported as
skipped.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Sequence

import numpy as np

from custcentric.domain import SLA
from custcentric.simulate import (
    ContactCentre,
    CycleTime,
    Population,
    Scenario,
    ServiceProcess,
    simulate,
)
from custcentric.value import BetaGeo, GammaGamma

GOAL = 10.0


def scenario(n: int, weeks: int) -> Scenario:
    """Return the benchmark's scenario."""
    sla = SLA(
        id="repair-48h",
        name="repair within 48 h",
        process_id="fault-repair",
        metric="cycle_time",
        target=48,
        time_unit="h",
        compensation={"fixed_per_breach": 10.0, "per_unit_late": 5.0, "cap": 50.0},
    )
    repair = ServiceProcess(
        process_id="fault-repair",
        trigger="contact",
        share=0.05,
        cycle_time={"all": CycleTime(kind="lognormal", scale=30.0, shape=0.6)},
        slas=[sla],
    )
    return Scenario(
        population=Population(
            purchase_model=BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W"),
            spend_model=GammaGamma(6.25, 3.74, 15.44),
            n_customers=n,
        ),
        horizon=weeks,
        processes=[repair],
        contact_centre=ContactCentre(
            contact_rate=0.02,
            handle_time=300.0,
            agents=max(1, n // 2000),
            intervals_per_period=50.0,
        ),
    )


def baseline(n: int, weeks: int, seed: int) -> float:
    """Seconds to draw, per week, n gamma, n beta and n exponential variates."""
    gen = np.random.default_rng(seed)
    start = time.perf_counter()
    for _ in range(weeks):
        gen.gamma(0.5, 1.0, size=n)
        gen.beta(0.8, 2.4, size=n)
        gen.exponential(1.0, size=n)
    return time.perf_counter() - start


def lifetimes_time(n: int, weeks: int) -> str:
    """Return lifetimes' generator time scaled to ``n`` customers, or why it was skipped."""
    try:
        from lifetimes.generate_data import (  # type: ignore[import-not-found]
            beta_geometric_nbd_model,
        )
    except ImportError:
        return "skipped: lifetimes is not installed"
    small = 2000
    start = time.perf_counter()
    beta_geometric_nbd_model(weeks, 0.243, 4.414, 0.793, 2.426, size=small)
    took = time.perf_counter() - start
    return f"{took * n / small:.1f}s (timed on {small:,} customers, scaled)"


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the timings and print them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-lifetimes", action="store_true")
    args = parser.parse_args(argv)
    s = scenario(args.customers, args.weeks)
    ours = min(_timed(lambda: simulate(s, rng=args.seed)) for _ in range(max(1, args.repeat)))
    base = min(baseline(args.customers, args.weeks, args.seed) for _ in range(max(1, args.repeat)))
    ratio = ours / base if base > 0 else float("inf")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / 2**20 if sys.platform == "darwin" else peak / 2**10
    print(f"{'task':<36}{'customers':>11}{'weeks':>7}{'seconds':>10}")
    print(f"{'simulate, 1 replication':<36}{args.customers:>11,}{args.weeks:>7}{ours:>10.3f}")
    print(
        f"{'baseline: gamma+beta+exponential':<36}{args.customers:>11,}{args.weeks:>7}{base:>10.3f}"
    )
    verdict = "within" if ratio <= GOAL else "beyond"
    print(f"ratio {ratio:.1f}x ({verdict} the {GOAL:g}x goal); peak RSS {peak_mib:,.0f} MiB")
    peer = (
        "skipped: --no-lifetimes"
        if args.no_lifetimes
        else lifetimes_time(args.customers, args.weeks)
    )
    print(f"lifetimes generate_data {peer}")
    return 0


def _timed(func: object) -> float:
    start = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
