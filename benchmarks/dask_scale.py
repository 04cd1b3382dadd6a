"""Scale benchmark of custcentric.dask: parquet transactions -> summary -> histories -> fit -> CLV.

Generates (seeded) ``--rows`` BG/NBD transactions into parquet files
of ``--file-rows`` rows (about 5.7 purchases per customer; a customer's repeat purchases go to the next file, so customers span
partitions), then times on Dask, reading the parquet:

1. ``summarise`` -> ``write_parquet`` (the per-customer summary, one shuffle);
2. ``compress_histories`` of the summary read back (a tree reduction);
3. ``BetaGeo`` fit on the compressed table (and ``GammaGamma`` on a 1 % sample of the
   repeat buyers, for the spend);
4. ``lifetime_value`` -> ``write_parquet``.

Each stage reports wall time and the peak RSS of the process so far (the threaded scheduler
runs in this process). The baseline, measured in the same run on a ``--baseline-rows`` slice
and extrapolated linearly: reading the same parquet columns with pyarrow plus one
``np.unique`` of the packed (customer, day) int64 key. ``--compare`` adds the pandas
group-by summary and the in-memory ``TransactionLog.summary`` on that slice (and lifetimes'
``summary_data_from_transaction_data`` when it is installed).

    python benchmarks/dask_scale.py --rows 10000000 --compare
    python benchmarks/dask_scale.py --rows 100000000 --dir /data/bench   # the full run
"""

from __future__ import annotations

import argparse
import pathlib
import resource
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

EPOCH = np.datetime64("2024-01-01T00:00:00", "s")
DAYS = 730  # two years of purchases
END = "2025-12-31"


def peak_rss_gib() -> float:
    """The peak resident set size of this process so far, in GiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def customers_block(rng: np.random.Generator, first_id: int, n: int) -> tuple[Any, Any]:
    """BG/NBD customers: first purchases and repeat purchases (ids, seconds, amounts).

    Purchases arrive as a Poisson process while alive; after each repeat purchase the
    customer leaves with probability ``p``. Given N arrivals in the window their times are
    sorted uniforms; the first min(N, lifetime purchases) are kept. No loop over customers.
    """
    birth = rng.uniform(0, 365, n)
    rate = rng.gamma(0.5, 1 / 17.0, n)  # purchases per day while alive
    drop = rng.beta(0.8, 2.5, n)  # chance of leaving after each repeat purchase
    lives = rng.geometric(drop)  # repeat purchases until (and including) the last one
    window = DAYS - birth
    arrivals = rng.poisson(rate * window)
    who = np.repeat(np.arange(n), arrivals)
    u = np.sort(who + rng.uniform(0, 0.999999, who.size)) - who  # sorted within customer
    starts = np.concatenate([[0], np.cumsum(arrivals)[:-1]])
    rank = np.arange(who.size) - starts[who]
    keep = rank < lives[who]
    who, u = who[keep], u[keep]
    spend = rng.gamma(6.0, 5.0, n)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    first = (ids, (birth * 86400).astype(np.int64), np.round(rng.gamma(4.0, spend / 4.0), 2))
    seconds = ((birth[who] + u * window[who]) * 86400).astype(np.int64)
    amount = np.round(rng.gamma(4.0, spend[who] / 4.0), 2)
    return first, (ids[who], seconds, amount)


def generate(directory: pathlib.Path, rows: int, file_rows: int, seed: int) -> int:
    """Write about ``rows`` transactions into parquet files; return the rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    n_files = max(1, round(rows / file_rows))
    per_file = rows // n_files
    customers = max(1, round(per_file / 5.7))  # about 5.7 purchases per customer
    written = 0
    blocks = []
    for i in range(n_files):
        rng = np.random.default_rng([seed, i])
        first, repeat = customers_block(rng, i * customers * 4, customers)
        blocks.append((first, repeat))
    for i in range(n_files):
        first = blocks[i][0]
        repeat = blocks[i - 1][1]  # the previous block's repeat purchases: customers span files
        ids = np.concatenate([first[0], repeat[0]])
        seconds = np.concatenate([first[1], repeat[1]])
        amount = np.concatenate([first[2], repeat[2]])
        order = np.random.default_rng([seed, i, 1]).permutation(ids.size)
        table = pa.table(
            {
                "customer_id": ids[order],
                "timestamp": (EPOCH + seconds[order].astype("timedelta64[s]")),
                "amount": amount[order],
            }
        )
        pq.write_table(table, directory / f"part-{i:05d}.parquet")
        written += ids.size
    return written


def timed(label: str, func: Callable[[], Any], results: list[tuple[str, float, float]]) -> Any:
    start = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - start
    results.append((label, seconds, peak_rss_gib()))
    print(f"  {label:<44} {seconds:9.2f} s   peak RSS {peak_rss_gib():6.2f} GiB", flush=True)
    return out


def baseline(directory: pathlib.Path, rows: int) -> tuple[float, float, int]:
    """Time reading the columns of the first files holding ``rows`` rows with pyarrow plus
    one ``np.unique`` of the packed (customer, day) key, and the same with one ``np.sort``
    (NumPy 2.4's hashing ``np.unique`` is far slower than a sort here); the rows read."""
    import pyarrow.parquet as pq

    start = time.perf_counter()
    read = 0
    ids_parts, day_parts = [], []
    for path in sorted(directory.glob("part-*.parquet")):
        table = pq.read_table(path, columns=["customer_id", "timestamp", "amount"])
        ids_parts.append(table.column("customer_id").to_numpy())
        stamps = table.column("timestamp").to_numpy()
        day_parts.append(stamps.astype("datetime64[D]").astype(np.int64))
        table.column("amount").to_numpy()
        read += table.num_rows
        if read >= rows:
            break
    ids = np.concatenate(ids_parts)
    day = np.concatenate(day_parts)
    low = int(day.min())
    span = int(day.max()) - low + 1
    key = ids * span + (day - low)
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    np.unique(key)
    unique_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ordered = np.sort(key)
    np.flatnonzero(ordered[1:] != ordered[:-1])
    sort_seconds = time.perf_counter() - start
    return read_seconds + unique_seconds, read_seconds + sort_seconds, read


def compare(directory: pathlib.Path, rows: int) -> None:
    """The pandas group-by summary and the in-memory summary on the baseline slice."""
    import pandas as pd
    import pyarrow.parquet as pq

    from custcentric.tables import TransactionLog

    frames = []
    read = 0
    for path in sorted(directory.glob("part-*.parquet")):
        frames.append(pq.read_table(path).to_pandas())
        read += len(frames[-1])
        if read >= rows:
            break
    frame = pd.concat(frames, ignore_index=True)
    start = time.perf_counter()
    day = frame["timestamp"].dt.floor("D")
    days = frame.assign(day=day).groupby(["customer_id", "day"], sort=False)["amount"].sum()
    per = (
        days.reset_index()
        .groupby("customer_id")
        .agg(n=("day", "size"), first=("day", "min"), last=("day", "max"), total=("amount", "sum"))
    )
    print(
        f"  pandas group-by summary ({read:,} rows)          {time.perf_counter() - start:9.2f} s"
    )
    del per
    start = time.perf_counter()
    log = TransactionLog.from_arrays(
        frame["customer_id"].to_numpy(),
        frame["timestamp"].to_numpy(dtype="datetime64[s]"),
        frame["amount"].to_numpy(),
    )
    log.summary(END, time_unit="W")
    print(
        f"  in-memory TransactionLog.summary ({read:,} rows) {time.perf_counter() - start:9.2f} s"
    )
    try:
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError:
        print("  lifetimes not installed: its summary not timed")
        return
    start = time.perf_counter()
    summary_data_from_transaction_data(frame, "customer_id", "timestamp", "amount", freq="W")
    print(f"  lifetimes summary ({read:,} rows)               {time.perf_counter() - start:9.2f} s")


def run(args: argparse.Namespace) -> list[tuple[str, float, float]]:
    import dask.dataframe as dd

    import dask
    from custcentric.dask import (
        compress_histories,
        lifetime_value,
        summarise,
        summary_frame,
        write_parquet,
    )
    from custcentric.value import BetaGeo, GammaGamma

    root = pathlib.Path(args.dir) if args.dir else pathlib.Path(tempfile.mkdtemp())
    data = root / "transactions"
    results: list[tuple[str, float, float]] = []
    print(f"custcentric.dask scale benchmark: {args.rows:,} rows, scheduler {args.scheduler}")
    if not (args.reuse and data.exists()):
        shutil.rmtree(data, ignore_errors=True)
        rows = timed(
            "generate parquet (seeded)",
            lambda: generate(data, args.rows, args.file_rows, args.seed),
            results,
        )
    else:
        import pyarrow.parquet as pq

        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in data.glob("part-*.parquet"))
    print(f"  {rows:,} transactions in {len(list(data.glob('*.parquet')))} files")
    for name in ("summary", "clv"):
        shutil.rmtree(root / name, ignore_errors=True)
    with dask.config.set(scheduler=args.scheduler), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's parquet I/O warns about pandas deprecations
        transactions = dd.read_parquet(data)
        summary = summarise(transactions, END, time_unit="W", shuffle_method=args.shuffle)
        timed("1. summary -> parquet", lambda: write_parquet(summary, root / "summary"), results)
        stored = summary_frame(dd.read_parquet(root / "summary"), time_unit="W")
        histories = timed("2. compressed histories", lambda: compress_histories(stored), results)
        print(
            f"     {histories.n_customers:,} customers in {len(histories):,} distinct histories "
            f"(compression ratio {histories.compression_ratio:,.1f})"
        )
        fit = timed(
            "3. BG/NBD fit on the compressed table", lambda: histories.fit(BetaGeo), results
        )
        print(f"     {fit.model}")
        sample = stored.frame[stored.frame["frequency"] > 0].sample(frac=0.01, random_state=1)
        local = sample.compute()
        spend = timed(
            "   gamma-gamma fit on a 1 % sample",
            lambda: (
                GammaGamma.fit(local["frequency"].to_numpy(), local["monetary"].to_numpy()).model
            ),
            results,
        )
        clv = lifetime_value(
            fit.model, spend, stored, horizon=12, time_unit="M", discount_rate=0.01
        )
        timed("4. CLV scoring -> parquet", lambda: write_parquet(clv, root / "clv"), results)
    total = sum(s for label, s, _ in results if label[0].isdigit())
    unique_seconds, sort_seconds, base_rows = baseline(data, args.baseline_rows)
    scale = rows / base_rows
    print(
        f"  baseline on {base_rows:,} rows, extrapolated to {rows:,}: pyarrow read + "
        f"np.unique of the packed key {unique_seconds * scale:.2f} s; with np.sort instead "
        f"{sort_seconds * scale:.2f} s"
    )
    print(
        f"  stages 1-4: {total:.2f} s = {total / (unique_seconds * scale):.2f}x the "
        f"np.unique baseline, {total / (sort_seconds * scale):.2f}x the np.sort baseline; "
        f"peak RSS {peak_rss_gib():.2f} GiB"
    )
    if args.compare:
        compare(data, args.baseline_rows)
    if not args.dir:
        shutil.rmtree(root, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10**8, help="transactions to generate")
    parser.add_argument("--file-rows", type=int, default=10**6, help="rows per parquet file")
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=10**7,
        help="rows of the same-run baseline slice (extrapolated)",
    )
    parser.add_argument("--dir", default=None, help="keep the data here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="reuse parquet found in --dir")
    parser.add_argument("--scheduler", default="threads", choices=["threads", "sync"])
    parser.add_argument(
        "--shuffle",
        default=None,
        choices=[None, "tasks", "disk"],
        help="Dask shuffle method (default: Dask's choice)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time pandas, in-memory (and lifetimes) on the baseline slice",
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
