"""Time custcentric.value's fits and CLV on seeded, day-granular synthetic customers.

Usage::

    python benchmarks/value.py --sizes 1000000 --repeat 3

For each size ``n`` it times, best of ``--repeat``:

- ``BetaGeo.fit`` on ``n`` customers,
- ``ParetoNBD.fit`` on ``n / 10`` customers (the size lifetimes is run at) and on ``n``,
- ``customer_lifetime_value`` (BG/NBD + gamma-gamma, 12 months) of ``n`` customers,
- ``GammaGamma.fit`` on the ``n`` customers (those with repeat purchases count), with the
  spend as drawn and rounded to the cent, beside one ``np.sort`` of the spend array and the
  previous implementation's approach (per-customer log-likelihood, finite-difference
  gradient in the shared L-BFGS-B base; ``--no-previous`` skips it),

each beside a baseline measured in the same run on the same rows: one
``np.unique(return_counts=True)`` over a single packed int64 key of (frequency, recency, T).

Then (``--no-threads`` skips it) ``BetaGeo.fit`` and ``ParetoNBD.fit`` on ``n`` customers
again in a subprocess with ``OPENBLAS_NUM_THREADS=1``: the goal is that NumPy's default
threading (this process) is never slower than one thread.

Then the per-customer paths (``--no-ids`` skips them): ``probability_alive``,
``conditional_expected_purchases`` (BG/NBD) and ``GammaGamma.expected_spend`` given the
``CustomerSummary`` (a ``PerCustomer`` keyed by id comes back) and given a pandas DataFrame
with the summary's columns (converted through ``CustomerSummary.from_pandas``, so its checks
run), each as a ratio to the same call on the three plain arrays (an ndarray back), timed in
the same run in CPU time (``time.process_time``). The goal: at most 10 % more than the array
path. When a virtual environment with
lifetimes 0.11.3 exists (``--lifetimes-python``, default ``/work/lifetimes-venv/bin/python``),
the same three tasks run there in a subprocess on the same data (once: they are slow) and the
speed-ups are printed; otherwise the comparison is reported as skipped.

The data: purchase rates and drop-out from a BG/NBD with the CDNOW estimates rescaled to days
(r = 0.243, alpha = 30.9, a = 0.793, b = 2.426), customers acquired uniformly over two years
and observed to the end (T uniform in 1..730 days), recency floored to whole days, and mean
spend drawn from a gamma-gamma (p = 6.25, q = 3.74, v = 15.44).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from custcentric.tables import CustomerSummary
from custcentric.value import BetaGeo, GammaGamma, ParetoNBD, customer_lifetime_value

LIFETIMES_PYTHON = next(
    (
        path
        for path in (Path("/work/lifetimes-venv/bin/python"), Path("/work/venv-peer/bin/python"))
        if path.exists()
    ),
    Path("/work/lifetimes-venv/bin/python"),
)
TRUTH = BetaGeo(0.243, 4.414 * 7, 0.793, 2.426)
SPEND = GammaGamma(6.25, 3.74, 15.44)

_LIFETIMES_SCRIPT = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter, GammaGammaFitter
data = np.load(sys.argv[1])
x, tx, T, m = (pd.Series(data[k]) for k in ("x", "tx", "T", "m"))
k = int(sys.argv[2])
out = {}
start = time.perf_counter()
bgf = BetaGeoFitter().fit(x, tx, T)
out["bg_fit"] = time.perf_counter() - start
start = time.perf_counter()
ParetoNBDFitter().fit(x[:k], tx[:k], T[:k])
out["pareto_fit"] = time.perf_counter() - start
ggf = GammaGammaFitter()
ggf.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
start = time.perf_counter()
ggf.customer_lifetime_value(bgf, x, tx, T, m, time=12, discount_rate=0.01, freq="D")
out["clv"] = time.perf_counter() - start
keep = x > 0
for key, spend in (("gg_fit", m), ("gg_fit_cents", m.round(2))):
    start = time.perf_counter()
    GammaGammaFitter().fit(x[keep], spend[keep])
    out[key] = time.perf_counter() - start
print(json.dumps(out))
"""


def synthetic(n: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Return day-granular (x, t_x, T, monetary) arrays of ``n`` customers."""
    rng = np.random.default_rng([seed, n])
    lengths = rng.integers(1, 731, size=n).astype(np.float64)
    drawn = TRUTH.simulate(n, lengths, rng=rng)
    x = drawn.frequency
    return {
        "x": x,
        "tx": np.floor(drawn.recency),
        "T": drawn.T,
        "m": SPEND.simulate(x, rng=rng),
    }


def packed_unique(data: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The baseline: one ``np.unique(return_counts=True)`` over a packed int64 key of (x, t_x, T)."""
    span = int(data["T"].max()) + 1
    key = (data["x"] * span + data["tx"].astype(np.int64)) * span + data["T"].astype(np.int64)
    return np.unique(key, return_counts=True)


_ONE_THREAD_SCRIPT = r"""
import sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
from value import synthetic
from custcentric.value import BetaGeo, ParetoNBD
n, repeat = int(sys.argv[2]), int(sys.argv[3])
d = synthetic(n)
BetaGeo.fit(d["x"][:500], d["tx"][:500], d["T"][:500])
out = []
for cls in (BetaGeo, ParetoNBD):
    for clock in (time.perf_counter, time.process_time):
        best = float("inf")
        for _ in range(repeat):
            start = clock()
            cls.fit(d["x"], d["tx"], d["T"])
            best = min(best, clock() - start)
        out.append(best)
print(*out)
"""


def time_one_thread(n: int, repeat: int) -> list[float] | str:
    """Time ``BetaGeo.fit`` and ``ParetoNBD.fit`` at ``n`` in a subprocess limited to one thread.

    ``OPENBLAS_NUM_THREADS=1`` (and the OpenMP/MKL equivalents) must be set before NumPy is
    imported, hence the subprocess; the parent process keeps NumPy's default threading.
    Returns wall and CPU seconds of each fit: BG/NBD wall, CPU, Pareto/NBD wall, CPU.
    """
    import os
    import sys

    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", _ONE_THREAD_SCRIPT, here, str(n), str(repeat)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"skipped: the one-thread run failed ({last})"
    return [float(v) for v in done.stdout.split()]


def previous_gammagamma_fit(x: np.ndarray, m: np.ndarray) -> object:
    """The previous ``GammaGamma.fit``: per-customer rows, numeric gradient, three starts."""
    from custcentric.value._mle import fit_model

    keep = x > 0
    xf, mf = x[keep].astype(np.float64), m[keep]

    def loglik(theta: np.ndarray) -> float:
        return float(GammaGamma(*theta)._rows(xf, mf).sum())

    mean = float(mf.mean())
    starts = [(1.0, 2.0, mean), (5.0, 3.0, 2.0 * mean), (1.0, 1.0, 1.0)]
    return fit_model(GammaGamma, loglik, starts, n_observations=float(xf.size))


def best_of(
    repeat: int, func: Callable[[], object], clock: Callable[[], float] = time.perf_counter
) -> float:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds (of ``clock``)."""
    times = []
    for _ in range(repeat):
        start = clock()
        func()
        times.append(clock() - start)
    return min(times)


def time_size(n: int, repeat: int, seed: int = 2026, *, previous: bool = True) -> dict[str, Any]:
    """Time the three tasks and their baselines at size ``n``."""
    data = synthetic(n, seed)
    k = max(n // 10, 1)
    small = {key: value[:k] for key, value in data.items()}
    summary = CustomerSummary.from_arrays(
        np.arange(n), data["x"], data["tx"], data["T"], data["m"], time_unit="D"
    )
    BetaGeo.fit(small["x"][:500], small["tx"][:500], small["T"][:500])  # warm the imports
    fitted = BetaGeo.fit(data["x"], data["tx"], data["T"]).model
    cents = np.round(data["m"], 2)
    old: dict[str, float] = {}
    if previous:  # once: it is slow
        old["gg_fit"] = best_of(1, lambda: previous_gammagamma_fit(data["x"], data["m"]))
        old["gg_fit_cents"] = best_of(1, lambda: previous_gammagamma_fit(data["x"], cents))
    return {
        "previous": old,
        "n": n,
        "k": k,
        "data": data,
        "bg_fit": best_of(repeat, lambda: BetaGeo.fit(data["x"], data["tx"], data["T"])),
        "pareto_fit": best_of(repeat, lambda: ParetoNBD.fit(small["x"], small["tx"], small["T"])),
        "pareto_fit_n": best_of(repeat, lambda: ParetoNBD.fit(data["x"], data["tx"], data["T"])),
        "bg_fit_cpu": best_of(
            repeat, lambda: BetaGeo.fit(data["x"], data["tx"], data["T"]), time.process_time
        ),
        "pareto_fit_n_cpu": best_of(
            repeat, lambda: ParetoNBD.fit(data["x"], data["tx"], data["T"]), time.process_time
        ),
        "clv": best_of(
            repeat,
            lambda: customer_lifetime_value(
                fitted, SPEND, summary, horizon=12, time_unit="M", discount_rate=0.01
            ),
        ),
        "gg_fit": best_of(repeat, lambda: GammaGamma.fit(data["x"], data["m"])),
        "gg_fit_cents": best_of(repeat, lambda: GammaGamma.fit(data["x"], cents)),
        "sort_m": best_of(repeat, lambda: np.sort(data["m"])),
        "sort_m_cents": best_of(repeat, lambda: np.sort(cents)),
        "unique_n": best_of(repeat, lambda: packed_unique(data)),
        "unique_k": best_of(repeat, lambda: packed_unique(small)),
    }


def time_id_paths(n: int, repeat: int, seed: int = 2026) -> list[tuple[str, float, float, float]]:
    """Time the summary (ids) and DataFrame routes against the array route at size ``n``.

    Returns ``(task, arrays, summary, frame)`` seconds; ``frame`` is NaN without pandas.
    """
    data = synthetic(n, seed)
    x, tx, big_t, m = data["x"], data["tx"], data["T"], data["m"]
    summary = CustomerSummary.from_arrays(np.arange(n), x, tx, big_t, m, time_unit="D")
    try:
        frame: Any = summary.to_pandas()
    except ImportError:  # pragma: no cover - pandas is an optional extra
        frame = None
    model = BetaGeo(TRUTH.r, TRUTH.alpha, TRUTH.a, TRUTH.b, time_unit="D")
    tasks: list[tuple[str, Callable[[Any], object], Callable[[], object]]] = [
        (
            "P(alive)",
            lambda table: model.probability_alive(table),
            lambda: model.probability_alive(x, tx, big_t),
        ),
        (
            "expected purchases, 1 year",
            lambda table: model.conditional_expected_purchases(table, t=365.0),
            lambda: model.conditional_expected_purchases(x, tx, big_t, t=365.0),
        ),
        (
            "expected spend",
            lambda table: SPEND.expected_spend(table),
            lambda: SPEND.expected_spend(x, m),
        ),
    ]
    rows = []
    for label, on_table, on_arrays in tasks:
        # CPU time: on a shared machine the wall time of these short calls swings too much.
        cpu = time.process_time
        arrays = best_of(repeat, on_arrays, cpu)
        keyed = best_of(repeat, lambda on_table=on_table: on_table(summary), cpu)
        framed = (
            best_of(repeat, lambda on_table=on_table: on_table(frame), cpu)
            if frame is not None
            else float("nan")
        )
        rows.append((label, arrays, keyed, framed))
    return rows


def time_lifetimes(row: dict[str, Any], python: Path) -> dict[str, float] | str:
    """Run lifetimes on the same data in a subprocess; return timings or why it was skipped."""
    if not python.exists():
        return f"skipped: no lifetimes environment at {python}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.npz"
        np.savez(path, **row["data"])
        try:
            done = subprocess.run(
                [str(python), "-c", _LIFETIMES_SCRIPT, str(path), str(row["k"])],
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return "skipped: lifetimes took longer than 30 minutes"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"skipped: lifetimes failed ({last})"
    timings: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the timings and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lifetimes-python", type=Path, default=LIFETIMES_PYTHON)
    parser.add_argument("--no-lifetimes", action="store_true")
    parser.add_argument("--no-previous", action="store_true")
    parser.add_argument("--no-ids", action="store_true")
    parser.add_argument(
        "--no-threads",
        action="store_true",
        help="skip the one-thread comparison (BetaGeo and Pareto/NBD fits in a subprocess)",
    )
    args = parser.parse_args(argv)
    print(
        f"{'task':<28}{'customers':>11}{'custcentric':>13}{'np.unique':>11}"
        f"{'ratio':>8}{'lifetimes':>11}{'speed-up':>10}"
    )
    for n in args.sizes:
        row = time_size(n, args.repeat, previous=not args.no_previous)
        peer: dict[str, float] | str = (
            "skipped: --no-lifetimes"
            if args.no_lifetimes
            else time_lifetimes(row, args.lifetimes_python)
        )
        tasks = [
            ("BG/NBD fit", "bg_fit", n, row["unique_n"]),
            ("Pareto/NBD fit", "pareto_fit", row["k"], row["unique_k"]),
            ("Pareto/NBD fit", "pareto_fit_n", n, row["unique_n"]),
            ("12-month CLV (BG/NBD + GG)", "clv", n, row["unique_n"]),
        ]
        for label, key, size, base in tasks:
            ours = row[key]
            if isinstance(peer, dict) and key in peer:
                other = f"{peer[key]:>10.2f}s{peer[key] / ours:>9.1f}x"
            else:
                other = f"{'-':>11}{'-':>10}"
            print(f"{label:<28}{size:>11,}{ours:>12.3f}s{base:>10.3f}s{ours / base:>7.1f}x{other}")
        n_spend = int((row["data"]["x"] > 0).sum())
        for label, key, base in (
            ("gamma-gamma fit", "gg_fit", row["sort_m"]),
            ("gamma-gamma fit, cents", "gg_fit_cents", row["sort_m_cents"]),
        ):
            ours = row[key]
            if isinstance(peer, dict):
                other = f"{peer[key]:>10.2f}s{peer[key] / ours:>9.1f}x"
            else:
                other = f"{'-':>11}{'-':>10}"
            print(
                f"{label:<28}{n_spend:>11,}{ours:>12.3f}s{base:>10.3f}s{ours / base:>7.1f}x{other}"
            )
            if key in row["previous"]:
                was = row["previous"][key]
                print(f"  previous implementation {was:.3f}s: {was / ours:.1f}x slower")
        print("gamma-gamma baseline: one np.sort of the spend array (all n customers)")
        print(
            "fit baseline: one np.unique(return_counts=True) of the packed (x, t_x, T) key; "
            "lifetimes' Pareto/NBD runs on the first n/10 customers only (it is slow)"
        )
        if not args.no_threads:
            single = time_one_thread(n, args.repeat)
            if isinstance(single, str):
                print(f"threads comparison {single}")
            else:
                for label, key, alone, alone_cpu in (
                    ("BG/NBD fit", "bg_fit", single[0], single[1]),
                    ("Pareto/NBD fit", "pareto_fit_n", single[2], single[3]),
                ):
                    ours, cpu = row[key], row[key + "_cpu"]
                    print(
                        f"{label + ', threads':<28}{n:>11,}  default {ours:.3f}s "
                        f"({cpu:.3f}s CPU), one thread {alone:.3f}s ({alone_cpu:.3f}s CPU): "
                        f"default / one = {ours / alone:.2f}x wall, {cpu / alone_cpu:.2f}x CPU "
                        "(goal <= 1)"
                    )
        if isinstance(peer, str):
            print(f"lifetimes comparison {peer}")
        else:
            print("lifetimes 0.11.3 timed once per task in a subprocess on the same data")
    if not args.no_ids:
        print(
            f"\n{'per-customer path':<28}{'customers':>11}{'arrays':>10}{'summary':>10}"
            f"{'ratio':>8}{'DataFrame':>11}{'ratio':>8}"
        )
        for n in args.sizes:
            for label, arrays, keyed, framed in time_id_paths(n, args.repeat):
                print(
                    f"{label:<28}{n:>11,}{arrays:>9.3f}s{keyed:>9.3f}s{keyed / arrays:>7.2f}x"
                    f"{framed:>10.3f}s{framed / arrays:>7.2f}x"
                )
        print(
            "CPU seconds; summary: PerCustomer keyed by id; DataFrame: through "
            "CustomerSummary.from_pandas"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
