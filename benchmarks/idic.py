"""Time identity resolution (custcentric.idic.resolve_identities) on seeded synthetic records.

Usage::

    python benchmarks/idic.py --sizes 100000 1000000 --repeat 1

Each size generates people with names from a large synthetic vocabulary, e-mail addresses,
telephone numbers and birth dates, and about 25 % extra records of the same people as another
channel captured them (case changes, "Last, First", one-letter typos, other phone layouts,
missing fields). The figure is the best of ``--repeat`` runs of ``resolve_identities`` with the
default fields and blocking (EM-estimated m/u), printed with candidate pairs per second. The
baseline, measured in the same run, is one ``np.argsort`` of the blocking keys (the int64
codes of every rule's key, concatenated). The issue's goal: 10^6 records in minutes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from custcentric.idic import DEFAULT_BLOCKING, resolve_identities
from custcentric.tables import CustomerTable

GOAL_SECONDS = 300.0
_SYLLABLES = np.array(
    [
        *("ka", "lo", "mi", "ra", "ten", "sa", "ber", "vo", "lin", "da", "mar", "el"),
        *("to", "ni", "gus", "an", "jo", "pe", "hu", "fi", "wa", "ce", "zo", "ol"),
    ]
)


def _words(rng: np.random.Generator, n: int, parts: int) -> np.ndarray:
    words = _SYLLABLES[rng.integers(_SYLLABLES.size, size=n)]
    for _ in range(parts - 1):
        words = np.strings.add(words, _SYLLABLES[rng.integers(_SYLLABLES.size, size=n)])
    return np.strings.capitalize(words)


def _typo(rng: np.random.Generator, words: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Replace one letter (not the first) of each word where ``hit``."""
    width = max(1, words.dtype.itemsize // 4)
    codes = np.ascontiguousarray(words).view(np.uint32).reshape(words.size, width).copy()
    length = np.strings.str_len(words)
    rows = np.flatnonzero(hit & (length > 2))
    position = 1 + (rng.random(rows.size) * (length[rows] - 1)).astype(np.int64)
    codes[rows, position] = ord("a") + rng.integers(26, size=rows.size)
    return codes.view(f"<U{width}").ravel()


def synthetic_records(n: int, rng: np.random.Generator) -> tuple[CustomerTable, np.ndarray]:
    """Return ``n`` channel records and each record's true person (for reference only)."""
    n_people = max(1, int(n / 1.25))
    first_vocab = np.unique(_words(rng, 3000, 3))
    last_vocab = np.unique(_words(rng, max(50, n_people // 20), 4))
    first = first_vocab[rng.integers(first_vocab.size, size=n_people)]
    last = last_vocab[rng.integers(last_vocab.size, size=n_people)]
    ids = np.arange(n_people).astype(np.str_)
    email = np.strings.add(
        np.strings.add(np.strings.add(np.strings.lower(first), "."), np.strings.lower(last)),
        np.strings.add(ids, "@example.org"),
    )
    digits = (rng.choice(9_000_000_000, size=n_people, replace=False) + 1_000_000_000).astype(
        np.str_
    )
    birth = np.datetime64("1940-01-01") + rng.integers(0, 60 * 365, size=n_people).astype(
        "timedelta64[D]"
    )
    owner = np.concatenate([np.arange(n_people), rng.integers(n_people, size=n - n_people)])
    dup = np.arange(n) >= n_people
    f, la = first[owner], last[owner]
    la = _typo(rng, la, dup & (rng.random(n) < 0.15))
    name = np.where(
        dup & (rng.random(n) < 0.2),
        np.strings.add(np.strings.add(la, ", "), f),
        np.strings.add(np.strings.add(f, " "), la),
    )
    name = np.where(dup & (rng.random(n) < 0.2), np.strings.upper(name), name)
    mail = np.where(dup & (rng.random(n) < 0.3), np.strings.upper(email[owner]), email[owner])
    d = digits[owner]
    dashed = np.strings.add(
        np.strings.add(np.strings.slice(d, 0, 3), "-"),
        np.strings.add(np.strings.add(np.strings.slice(d, 3, 6), "-"), np.strings.slice(d, 6, 10)),
    )
    phone = np.where(dup & (rng.random(n) < 0.5), np.strings.add("+1 ", dashed), d)
    missing = rng.random((n, 3)) < np.where(dup, 0.35, 0.1)[:, None]
    table = CustomerTable.from_arrays(
        np.char.add("R", np.arange(n).astype(np.str_)),
        name=name,
        email=np.where(missing[:, 0], "", mail),
        phone=np.where(missing[:, 1], "", phone),
        birth_date=np.where(missing[:, 2], np.datetime64("NaT", "D"), birth[owner]),
        unique_ids=False,
    )
    return table, owner


def best_of(repeat: int, func: Callable[[], Any]) -> tuple[float, Any]:
    """Return the fastest of ``repeat`` timings of ``func()`` in seconds, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def blocking_keys(table: CustomerTable) -> np.ndarray:
    """The int64 key codes of every default blocking rule, concatenated (the baseline's input)."""
    from custcentric.idic._blocking import key_codes
    from custcentric.idic._fields import FieldColumns

    columns = FieldColumns(table)
    return np.concatenate([key_codes([columns[f] for f in rule]) for rule in DEFAULT_BLOCKING])


def time_size(n: int, repeat: int, seed: int) -> dict[str, Any]:
    """Time resolve_identities and the argsort baseline on ``n`` synthetic records."""
    table, owner = synthetic_records(n, np.random.default_rng([seed, n]))
    keys = blocking_keys(table)
    baseline, _ = best_of(repeat, lambda: np.argsort(keys, kind="stable"))
    seconds, result = best_of(repeat, lambda: resolve_identities(table))
    quality = result.evaluate(owner)
    return {
        "n": n,
        "resolve": seconds,
        "argsort": baseline,
        "ratio": seconds / baseline,
        "pairs": result.n_pairs,
        "pairs_per_s": result.n_pairs / seconds,
        "people": result.n_people,
        "true_people": quality.n_true_people,
        "precision": quality.precision,
        "recall": quality.recall,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    header = (
        f"{'records':>10} {'resolve':>10} {'argsort':>10} {'ratio':>9} {'pairs':>11} "
        f"{'pairs/s':>11} {'people':>9} {'true':>9} {'precision':>9} {'recall':>7}"
    )
    print(header)
    rows = []
    for n in args.sizes:
        row = time_size(n, args.repeat, args.seed)
        rows.append(row)
        print(
            f"{row['n']:>10} {row['resolve']:>9.2f}s {row['argsort'] * 1e3:>8.1f}ms "
            f"{row['ratio']:>8.0f}x {row['pairs']:>11,} {row['pairs_per_s']:>11,.0f} "
            f"{row['people']:>9,} {row['true_people']:>9,} {row['precision']:>9.4f} "
            f"{row['recall']:>7.4f}",
            flush=True,
        )
    largest = rows[-1]
    met = largest["resolve"] <= GOAL_SECONDS
    print(
        f"goal resolve_identities <= {GOAL_SECONDS:g} s at {largest['n']} records: "
        f"{largest['resolve']:.1f} s -> {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
