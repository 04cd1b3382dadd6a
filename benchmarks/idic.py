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

``--quality PEOPLE`` also scores CRM-style records (:func:`crm_records`) with the earlier
two-level comparisons, the defaults with and without term frequency, and — with
``--splink-python PATH``, an interpreter of an environment where splink is installed — splink
on the same records (``benchmarks/idic_splink.py``). ``--incremental EXISTING NEW`` times
linking NEW records to EXISTING ones against a full run of the existing ones.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs
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


_FIRST = np.array(
    [
        *("Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas"),
        *("Kim", "Lea", "Marco", "Nina", "Oscar", "Paula", "René", "Sara", "Tom", "Zoë"),
    ]
)
_LAST = np.array(
    [
        *("Kim", "Müller", "Silva", "Novak", "Berg", "Rossi", "García", "Dubois", "Olsen"),
        *("Costa", "Weber", "Lindqvist", "Moreau", "Horvath", "Jansen", "Kowalski", "Brown"),
    ]
)
_ASCII = str.maketrans("éëüíáçóöøåñ", "eeuiacooaan")


def crm_records(n_people: int, rng: np.random.Generator) -> tuple[CustomerTable, np.ndarray]:
    """Return records as a CRM sees them (1-4 channels per person), and the true person.

    A small name list (20 first x 17 last names, so "Anna Kim" is shared by dozens of
    people in 10^4), accented names captured with and without accents, "LAST, First" and
    initials; e-mail punctuation variants (``anna.kim22@`` / ``annakim22@``), gmail dots and
    ``+tags``, upper case; phones with and without country code in six layouts; birth dates
    with day and month swapped (3 %); each field missing on about a quarter of the records.
    Built with Python loops over records: a test and benchmark helper, not library code.
    """
    first = rng.choice(_FIRST, size=n_people)
    last = rng.choice(_LAST, size=n_people)
    number = rng.permutation(n_people) + 1  # e-mail addresses stay unique per person
    domain = rng.choice(["gmail.com", "example.com", "mail.example", "web.example"], n_people)
    style = rng.integers(3, size=n_people)
    digits = rng.choice(9_000_000_000, size=n_people, replace=False) + 1_000_000_000
    birth = np.datetime64("1950-01-01") + rng.integers(0, 50 * 365, n_people).astype(
        "timedelta64[D]"
    )
    n_records = rng.choice([1, 2, 3, 4], size=n_people, p=[0.45, 0.3, 0.15, 0.1])
    owner = np.repeat(np.arange(n_people), n_records)
    rows: dict[str, list[str]] = {"name": [], "email": [], "phone": [], "birth": []}
    for i in owner.tolist():
        f, la = str(first[i]), str(last[i])
        if rng.random() < 0.3:
            f, la = f.translate(_ASCII), la.translate(_ASCII)
        u = rng.random()
        if u < 0.15:
            name = f"{la.upper()}, {f}"
        elif u < 0.25:
            name = f"{f[0]}. {la}"
        else:
            name = f"{f} {la}"
        rows["name"].append(name)
        fa, lo = str(first[i]).translate(_ASCII).lower(), str(last[i]).translate(_ASCII).lower()
        local = (f"{fa}.{lo}", f"{fa}{lo}", f"{fa}_{lo}")[int(style[i])] + str(number[i])
        v = rng.random()
        if v < 0.2:
            local = local.replace(".", "").replace("_", "")
        elif v < 0.3 and domain[i] == "gmail.com":
            local = f"{local}+shop"
        address = f"{local}@{domain[i]}"
        rows["email"].append(address.upper() if rng.random() < 0.15 else address)
        d = str(digits[i])
        layouts = (
            f"+1 {d[:3]}-{d[3:6]}-{d[6:]}",
            f"({d[:3]}) {d[3:6]}-{d[6:]}",
            f"{d[:3]} {d[3:6]} {d[6:]}",
            f"001 {d}",
            f"{d[:3]}.{d[3:6]}.{d[6:]}",
            d,
        )
        rows["phone"].append(layouts[int(rng.integers(len(layouts)))])
        b = str(birth[i])
        if rng.random() < 0.03 and int(b[8:]) <= 12:
            b = f"{b[:4]}-{b[8:]}-{b[5:7]}"
        rows["birth"].append(b)
    n = owner.size
    gone = rng.random((n, 3)) < 0.25
    email = np.where(gone[:, 0], "", np.array(rows["email"]))
    phone = np.where(gone[:, 1], "", np.array(rows["phone"]))
    birth_text = np.where(gone[:, 2], "", np.array(rows["birth"]))
    table = CustomerTable.from_arrays(
        np.char.add("C", np.arange(n).astype(np.str_)),
        name=np.array(rows["name"]),
        email=email,
        phone=phone,
        birth_date=birth_text,
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


OLD_FIELDS = {
    "first_name": "jaro_winkler",
    "last_name": "jaro_winkler",
    "email": "jaro_winkler",
    "phone": "exact",
    "birth_date": "exact",
}
"""The two-level comparisons used before comparison levels (the "before" row)."""


def splink_clusters(table: CustomerTable, python: str) -> tuple[np.ndarray, float]:
    """Run ``benchmarks/idic_splink.py`` with splink's interpreter; clusters and seconds."""
    import csv
    import subprocess
    import tempfile
    from pathlib import Path

    from custcentric.idic._fields import FieldColumns

    columns = FieldColumns(table)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "records.csv", Path(folder) / "clusters.csv"
        with source.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["unique_id", "first_name", "surname", "email", "phone", "dob"])
            writer.writerows(
                zip(
                    range(len(table)),
                    columns["first_name"].tolist(),
                    columns["last_name"].tolist(),
                    columns["email"].tolist(),
                    columns["phone"].tolist(),
                    columns["birth_date"].tolist(),
                    strict=True,
                )
            )
        script = Path(__file__).with_name("idic_splink.py")
        done = subprocess.run(
            [python, str(script), str(source), str(target)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = float(done.stdout.strip().splitlines()[-1])
        cluster = np.full(len(table), -1, dtype=np.int64)
        with target.open() as handle:
            for row in csv.DictReader(handle):
                cluster[int(row["unique_id"])] = hash(row["cluster_id"]) & 0x7FFFFFFF
    return cluster, seconds


def quality_rows(n_people: int, seed: int, splink_python: str | None) -> list[dict[str, Any]]:
    """Precision, recall and F1 on CRM-style records: before, now, now without tf, splink."""
    from custcentric.idic._result import IdentityResolution

    table, owner = crm_records(n_people, np.random.default_rng([seed, n_people]))
    runs: dict[str, dict[str, Any]] = {
        "before (two-level, no tf)": {"fields": OLD_FIELDS, "term_frequency": []},
        "now, without tf": {"term_frequency": []},
        "now (defaults)": {},
    }
    rows = []
    for label, kwargs in runs.items():
        seconds, result = best_of(1, lambda kw=kwargs: resolve_identities(table, **kw))
        q = result.evaluate(owner)
        rows.append({"method": label, "seconds": seconds, **_pr(q)})
    if splink_python:
        cluster, seconds = splink_clusters(table, splink_python)
        base = resolve_identities(table)
        _, code = np.unique(cluster, return_inverse=True)
        faked: IdentityResolution = attrs.evolve(base, cluster=code.astype(np.int64))
        rows.append(
            {"method": "splink 5 (DuckDB)", "seconds": seconds, **_pr(faked.evaluate(owner))}
        )
    return rows


def _pr(quality: Any) -> dict[str, Any]:
    return {"precision": quality.precision, "recall": quality.recall, "f1": quality.f1}


def incremental_row(n: int, n_new: int, seed: int) -> dict[str, Any]:
    """Time linking ``n_new`` new records to ``n`` existing ones against a full run."""
    table, owner = synthetic_records(n + n_new, np.random.default_rng([seed, n, n_new]))
    order = np.random.default_rng(seed).permutation(n + n_new)
    old, new = order[:n], order[n:]

    def rows(index: np.ndarray) -> CustomerTable:
        return CustomerTable.from_arrays(
            table.customer_id[index],
            name=table.name[index],
            email=table.email[index],
            phone=table.phone[index],
            birth_date=table.birth_date[index],
            unique_ids=False,
        )

    existing_table, new_table = rows(old), rows(new)
    full, first = best_of(1, lambda: resolve_identities(existing_table))
    seconds, result = best_of(1, lambda: resolve_identities(new_table, existing=first))
    quality = result.evaluate(owner[np.r_[old, new]])
    return {
        "n": n,
        "new": n_new,
        "full": full,
        "incremental": seconds,
        "ratio": seconds / full,
        "precision": quality.precision,
        "recall": quality.recall,
        "implied_merges": len(result.implied_merges),
    }


def synthetic_company(n_people: int, rng: np.random.Generator) -> Any:
    """Return channel-level tables of about ``n_people`` people, keyed by profile id.

    Profiles as :func:`synthetic_records` (1.25 per person, half of them with a recorded
    opt-in), about six purchases and four contacts per person, each kept under one of the
    person's profiles.
    """
    from types import SimpleNamespace

    from custcentric.tables import InteractionLog, TransactionLog

    n_records = int(n_people * 1.25)
    profiles, _ = synthetic_records(n_records, rng)
    opt_in = np.where(rng.random(n_records) < 0.5, "true", "")
    profiles = CustomerTable.from_arrays(
        profiles.customer_id,
        name=profiles.name,
        email=profiles.email,
        phone=profiles.phone,
        birth_date=profiles.birth_date,
        attributes={"marketing_opt_in": opt_in},
        unique_ids=False,
    )
    ids = profiles.customer_id
    start = np.datetime64("2024-01-01T00:00", "s")
    n_tx, n_it = 6 * n_people, 4 * n_people
    tx_who = ids[rng.integers(n_records, size=n_tx)]
    tx_at = start + rng.integers(0, 730 * 86_400, size=n_tx).astype("timedelta64[s]")
    transactions = TransactionLog.from_arrays(tx_who, tx_at, rng.gamma(6.0, 6.0, size=n_tx))
    channels = np.array(["email", "phone", "web", "store", "app", "sms"])
    interactions = InteractionLog.from_arrays(
        ids[rng.integers(n_records, size=n_it)],
        start + rng.integers(0, 730 * 86_400, size=n_it).astype("timedelta64[s]"),
        channels[rng.integers(channels.size, size=n_it)],
        np.where(rng.random(n_it) < 0.5, "inbound", "outbound"),
        np.where(rng.random(n_it) < 0.5, "inquiry", "offer"),
    )
    return SimpleNamespace(profiles=profiles, transactions=transactions, interactions=interactions)


def pipeline_rows(n_people: int, repeat: int, seed: int) -> list[dict[str, Any]]:
    """Time ``IDICPipeline().run`` on the bundled company and on ``n_people`` synthetic people."""
    import warnings

    from custcentric.datasets import load_sample_company
    from custcentric.idic import IDICPipeline

    company = load_sample_company()
    pipeline = IDICPipeline()
    seconds, run = best_of(repeat, lambda: pipeline.run(company, rng=seed))
    rows = [{"data": "bundled company", "people": run.customer_id.size, "seconds": seconds,
             "steps": run.timings}]  # fmt: skip
    if n_people:
        data = synthetic_company(n_people, np.random.default_rng(seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds, run = best_of(1, lambda: pipeline.run(data, rng=seed))
        rows.append({"data": f"synthetic, {n_people:,} people", "people": run.customer_id.size,
                     "seconds": seconds, "steps": run.timings})  # fmt: skip
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--quality",
        type=int,
        default=0,
        metavar="PEOPLE",
        help="also score CRM-style records of this many people (0: skip)",
    )
    parser.add_argument(
        "--splink-python",
        default=None,
        help="interpreter of an environment with splink installed, to run it on the same records",
    )
    parser.add_argument(
        "--incremental",
        type=int,
        nargs=2,
        default=None,
        metavar=("EXISTING", "NEW"),
        help="time linking NEW records to EXISTING ones against a full run",
    )
    parser.add_argument(
        "--pipeline",
        type=int,
        default=None,
        metavar="PEOPLE",
        help="time IDICPipeline().run on the bundled company and, per step, on this many "
        "synthetic people (0: the bundled company only)",
    )
    args = parser.parse_args(argv)
    if args.pipeline is not None:
        for row in pipeline_rows(args.pipeline, args.repeat, args.seed):
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in row["steps"].items())
            print(f"IDICPipeline().run on {row['data']} ({row['people']:,} persons): "
                  f"{row['seconds']:.2f} s ({steps})", flush=True)  # fmt: skip
        if not args.sizes:
            return 0
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
    if args.quality:
        print(f"\nCRM-style records of {args.quality} people:")
        print(f"{'method':<28} {'seconds':>8} {'precision':>9} {'recall':>7} {'F1':>7}")
        for row in quality_rows(args.quality, args.seed, args.splink_python):
            print(
                f"{row['method']:<28} {row['seconds']:>8.2f} {row['precision']:>9.4f} "
                f"{row['recall']:>7.4f} {row['f1']:>7.4f}",
                flush=True,
            )
    if args.incremental:
        row = incremental_row(*args.incremental, args.seed)
        print(
            f"\nincremental: {row['new']} new records to {row['n']} existing in "
            f"{row['incremental']:.2f} s; full run of the existing {row['full']:.2f} s "
            f"(ratio {row['ratio']:.3f}); precision {row['precision']:.4f}, recall "
            f"{row['recall']:.4f}; {row['implied_merges']} implied merges for review"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
