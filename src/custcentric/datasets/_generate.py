"""``generate_sample_company``: the seeded generator behind the bundled sample company."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import numpy as np

from custcentric._validation import check_number
from custcentric.datasets._catalogue import COMPANY_NAME, PROCESSES, SLAS
from custcentric.datasets._gen_channels import channel_keys, profile_consent
from custcentric.datasets._gen_events import Events, generate_events, step_names
from custcentric.datasets._gen_feedback import (
    generate_interactions,
    generate_maturity,
    generate_surveys,
    invite_surveys,
)
from custcentric.datasets._gen_people import People, generate_people, generate_profiles
from custcentric.datasets._gen_purchases import Purchases, generate_purchases, minute_of_day
from custcentric.datasets._io import (
    check_output_directory,
    csv_bytes,
    format_amounts,
    format_dates,
    json_bytes,
    write_files,
)
from custcentric.datasets._readme import readme_text
from custcentric.exceptions import InvalidInputError
from custcentric.tables._cases import closed_cases
from custcentric.typing import DatetimeArray, FloatArray, IntArray, StrArray

__all__ = ["CURRENCY", "DEFAULT_SEED", "END", "FILES", "START", "generate_sample_company"]

DEFAULT_SEED: Final = 20261124
START: Final = np.datetime64("2024-01-01T00:00:00", "s")  # a Monday
END: Final = np.datetime64("2025-12-31T23:59:00", "s")
_WINDOW_DAYS: Final = 731.0
_END_MINUTE: Final = _WINDOW_DAYS * 1440.0 - 1.0

CURRENCY: Final = "EUR"
"""The ISO 4217 code of the company's money: amounts, revenue and SLA compensation."""

FILES: Final[tuple[str, ...]] = (
    "README.md",
    "customers.csv.gz",
    "events.csv.gz",
    "interactions.csv.gz",
    "maturity.csv",
    "processes.json",
    "profiles.csv.gz",
    "slas.json",
    "surveys.csv.gz",
    "transactions.csv.gz",
)
"""The files :func:`generate_sample_company` writes."""


def _timestamps(minute: FloatArray) -> StrArray:
    stamps = START + np.floor(minute).astype(np.int64).astype("timedelta64[m]")
    return np.datetime_as_string(stamps.astype("datetime64[s]"), unit="s")


def _tiers(purchases: Purchases, n: int) -> tuple[StrArray, FloatArray]:
    """Gold = top 20 % of buyers by revenue, silver = next 30 %, bronze = the rest.

    The same split as :func:`custcentric.segmentation.value_tiers` with its default shares
    when no two buyers at a tier boundary have equal revenue (as in the bundled data; a test
    checks it); ``datasets`` sits below the analytic parts, so it cannot call it.
    """
    revenue = np.bincount(purchases.owner, weights=purchases.amount, minlength=n).astype(np.float64)
    buyers = np.flatnonzero(revenue > 0)
    order = buyers[np.lexsort((buyers, -revenue[buyers]))]
    tier = np.full(n, "bronze", dtype="<U6")
    n_gold, n_silver = round(0.2 * order.size), round(0.3 * order.size)
    tier[order[:n_gold]] = "gold"
    tier[order[n_gold : n_gold + n_silver]] = "silver"
    return tier, revenue


def _lifecycle(
    rng: np.random.Generator, people: People, purchases: Purchases
) -> tuple[StrArray, IntArray, FloatArray]:
    n = people.customer_id.size
    count = np.bincount(purchases.owner, minlength=n)
    last = np.full(n, -np.inf)
    np.maximum.at(last, purchases.owner, purchases.minute)
    idle_days = (_END_MINUTE - last) / 1440.0
    stage = np.where(rng.random(n) < 0.6, "identify", "select").astype("<U8")
    stage = np.where(count == 1, "convert", stage)
    stage = np.where(count >= 2, "develop", stage)
    stage = np.where(count >= 6, "retain", stage)
    stage = np.where((count > 0) & (idle_days > 300), "lapsed", stage)
    return stage, count, last


def _process_starts(
    rng: np.random.Generator,
    people: People,
    purchases: Purchases,
    count: IntArray,
    last: FloatArray,
    stage: StrArray,
) -> list[tuple[IntArray, FloatArray]]:
    """Return customers and start minutes of each process's cases, by the process's trigger."""
    buyers = np.flatnonzero(people.is_buyer)
    first = np.full(people.is_buyer.size, np.inf)
    np.minimum.at(first, purchases.owner, purchases.minute)
    lapsed = np.flatnonzero(stage == "lapsed")
    starts: list[tuple[IntArray, FloatArray]] = []
    scale = people.is_buyer.size / 5000  # case numbers are set for 5,000 customers
    for plan in PROCESSES:
        n = max(1, round(plan.n_cases * scale))
        if plan.trigger == "purchase":
            pick = rng.choice(
                purchases.owner.size, size=min(n, purchases.owner.size), replace=False
            )
            delay = (
                0.0 if plan.id == "order-to-delivery" else 1440.0 * rng.uniform(3, 25, pick.size)
            )
            customer, start = purchases.owner[pick], purchases.minute[pick] + delay
        elif plan.trigger == "signup":
            customer = rng.choice(buyers, size=min(n, buyers.size), replace=False)
            delay = 0.0 if plan.id == "onboarding" else 1440.0 * rng.uniform(1, 4, customer.size)
            start = first[customer] + delay
        elif plan.trigger == "lapse":
            customer = rng.choice(lapsed, size=min(n, lapsed.size), replace=False)
            start = last[customer] + 1440.0 * rng.uniform(20, 120, customer.size)
        else:
            weights = count[buyers] + 1.0
            customer = rng.choice(buyers, size=n, p=weights / weights.sum())
            lo = np.floor(first[customer] / 1440.0)
            day = np.floor(lo + rng.random(n) * (_WINDOW_DAYS - lo))
            start = day * 1440.0 + minute_of_day(rng, n)
        keep = start <= _END_MINUTE
        starts.append((customer[keep].astype(np.int64), np.floor(start[keep])))
    return starts


def _birthdays(birth: DatetimeArray, signup_minute: FloatArray) -> list[FloatArray]:
    """Minute of 09:00 on each birthday in 2024 and 2025 (NaN before the customer signed up)."""
    month = birth.astype("datetime64[M]")
    day_offset = (birth - month.astype("datetime64[D]")).astype(np.int64)
    month_of_year = month.astype(np.int64) % 12
    out = []
    for year in (2024, 2025):
        date = (np.datetime64(f"{year}-01", "M") + month_of_year).astype("datetime64[D]")
        date = date + day_offset
        minute = (date - START.astype("datetime64[D]")).astype(np.float64) * 1440.0 + 540.0
        out.append(np.where(minute >= signup_minute, minute, np.nan))
    return out


def generate_sample_company(
    directory: str | os.PathLike[str],
    *,
    seed: int = DEFAULT_SEED,
    n_customers: int = 5000,
    overwrite: bool = False,
) -> tuple[Path, ...]:
    """Generate the synthetic sample company and write its files into ``directory``.

    Parameters
    ----------
    directory : str or path-like
        Where to write; created if missing; ``"."`` for the current directory (an empty path
        is refused).
    seed : int, default 20261124
        Seed of :func:`numpy.random.default_rng`; every part draws from its own stream spawned
        from it, so the same seed (and NumPy and zlib versions) gives the same bytes.
    n_customers : int, default 5000
        Number of true customers (at least 100). The bundled data uses the defaults.
    overwrite : bool, default False
        Whether files of the same names already in ``directory`` may be replaced. Without
        it, a directory that holds any of them is refused before anything is generated.
        Files are never written through a link planted under one of their names.

    Returns
    -------
    tuple of pathlib.Path
        The files written, in the order of :data:`FILES`.

    Raises
    ------
    InvalidInputError
        If ``seed`` is not a non-negative integer or ``n_customers`` is below 100, or if
        ``directory`` is not a path or cannot be written (a name too long, no permission, an
        existing file): the message gives the system's reason. The files are written under
        temporary names and renamed into place only when all are written; on a failure
        nothing is left behind, not even the directories this call created.

    Notes
    -----
    The company, *Brightline*, sells broadband plans, devices and accessories. Its customers
    buy following a BG/NBD-like buy-till-you-die process with heterogeneous rates and
    heavy-tailed spend from 2024-01-01 to 2025-12-31; their profile records come from five
    channels, with deliberate duplicates (typos, formatting, missing fields); ten customer
    processes produce event logs; contacts, survey answers and a maturity self-assessment by
    six departments complete the picture. All money is in euros (:data:`CURRENCY`, declared as
    ``currency`` in ``slas.json``). ``README.md`` in ``directory`` documents every file and
    column.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy way:
    an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275-284.

    Examples
    --------
    >>> import tempfile
    >>> from custcentric.datasets import generate_sample_company
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = generate_sample_company(tmp, n_customers=200)
    ...     [f.name for f in files][:3]
    ['README.md', 'customers.csv.gz', 'events.csv.gz']
    """
    seed_value = int(check_number(seed, "seed", low=0, integer=True))
    n = int(check_number(n_customers, "n_customers", low=100, integer=True))
    folder = check_output_directory(directory)
    if not overwrite:
        present = [name for name in FILES if os.path.lexists(folder / name)]
        if present:
            msg = (
                f"`directory` already holds {present[0]!r}; pass overwrite=True to replace the "
                "sample company's files."
            )
            raise InvalidInputError(msg)
    streams = np.random.default_rng(seed_value).spawn(
        9
    )  # a ninth child leaves the first eight unchanged
    reference = END.astype("datetime64[D]")

    people = generate_people(streams[0], n, _WINDOW_DAYS, reference)
    profiles = generate_profiles(streams[1], people)
    purchases = generate_purchases(streams[2], people.is_buyer, people.signup_time, _WINDOW_DAYS)
    tier, revenue = _tiers(purchases, n)
    stage, count, last = _lifecycle(streams[3], people, purchases)
    starts = _process_starts(streams[4], people, purchases, count, last, stage)
    events, cases = generate_events(streams[5], starts, tier == "gold", _END_MINUTE)

    feedback = streams[6].spawn(3)
    invited, responded, invite_minute = invite_surveys(feedback[0], cases, _END_MINUTE)
    complaints = np.bincount(
        cases.customer[cases.process == _process_index("complaint-to-resolution")], minlength=n
    )
    surveys = generate_surveys(
        feedback[1], cases, responded, invite_minute, tier, people.is_buyer,
        stage == "lapsed", complaints, _END_MINUTE,
    )  # fmt: skip
    signup_minute = np.floor(people.signup_time) * 1440.0
    activity = np.where(people.is_buyer, count + 0.5, 0.2)
    contacts = generate_interactions(
        feedback[2], cases, people.preferred_channel, people.marketing_opt_in, tier, activity,
        _birthdays(people.birth_date, signup_minute), invited, responded, invite_minute,
        _END_MINUTE,
    )  # fmt: skip
    maturity = generate_maturity(streams[7])
    # The channel profile each record is kept under: its own stream, drawn last, so the
    # records themselves are those of the streams above.
    owner, rank = profiles["owner"], profiles["rank"]
    kept_under = streams[8].spawn(3)
    purchase_profile = channel_keys(kept_under[0], profiles, owner, rank, purchases.owner, None)
    contact_profile = channel_keys(
        kept_under[1], profiles, owner, rank, contacts.customer, contacts.channel
    )
    answer_profile = channel_keys(
        kept_under[2], profiles, owner, rank, surveys.customer, surveys.channel
    )

    ids = people.customer_id
    tables = {
        "customers.csv.gz": {
            "customer_id": ids,
            "name": people.name,
            "email": people.email,
            "phone": people.phone,
            "birth_date": format_dates(people.birth_date),
            "lifecycle_stage": stage,
            "region": people.region,
            "preferred_channel": people.preferred_channel,
            "marketing_opt_in": np.where(people.marketing_opt_in, "true", "false"),
            "signup_date": format_dates(
                START.astype("datetime64[D]")
                + np.floor(people.signup_time).astype("timedelta64[D]")
            ),
            "service_tier": np.where(people.is_buyer, tier, "none"),
        },
        "profiles.csv.gz": {
            "customer_id": profiles["channel_customer_id"],
            "name": profiles["name"],
            "email": profiles["email"],
            "phone": profiles["phone"],
            "birth_date": profiles["birth_date"],
            "channel": profiles["channel"],
            "source_record_id": profiles["record_id"],
            "true_customer_id": profiles["customer_id"],
            "marketing_opt_in": profile_consent(rank, people.marketing_opt_in[owner]),
        },
        "transactions.csv.gz": {
            "customer_id": ids[purchases.owner],
            "timestamp": _timestamps(purchases.minute),
            "amount": format_amounts(purchases.amount),
            "profile_id": purchase_profile,
        },
        "events.csv.gz": _event_columns(events, ids),
        "interactions.csv.gz": {
            "customer_id": ids[contacts.customer],
            "timestamp": _timestamps(contacts.minute),
            "channel": contacts.channel,
            "direction": contacts.direction,
            "kind": contacts.kind,
            "outcome": contacts.outcome,
            "profile_id": contact_profile,
        },
        "surveys.csv.gz": {
            "customer_id": ids[surveys.customer],
            "timestamp": _timestamps(surveys.minute),
            "instrument": surveys.instrument,
            "score": surveys.score,
            "process": surveys.process,
            "channel": surveys.channel,
            "profile_id": answer_profile,
        },
        "maturity.csv": maturity,
    }
    contents = {name: csv_bytes(name, columns) for name, columns in tables.items()}
    contents["processes.json"] = json_bytes(
        {
            "schema_version": 1,
            "company": COMPANY_NAME,
            "processes": [p.to_json() for p in PROCESSES],
        }
    )
    contents["slas.json"] = json_bytes(
        {"schema_version": 1, "company": COMPANY_NAME, "currency": CURRENCY, "slas": list(SLAS)}
    )
    counts = {name: len(next(iter(columns.values()))) for name, columns in tables.items()}
    top = np.sort(revenue[revenue > 0])[::-1]
    share = float(top[: round(0.2 * top.size)].sum() / top.sum())
    contents["README.md"] = readme_text(
        seed=seed_value, n_customers=n, counts=counts, top_share=share, currency=CURRENCY,
        open_cases=int((~cases.closed).sum()), open_in_log=_open_in_log(events),
        n_cases=cases.closed.size,
    ).encode("utf-8")  # fmt: skip
    write_files(folder, {name: contents[name] for name in FILES}, overwrite=overwrite)
    return tuple(folder / name for name in FILES)


def _process_index(process_id: str) -> int:
    return next(k for k, p in enumerate(PROCESSES) if p.id == process_id)


def _open_in_log(events: Events) -> int:
    """Count the cases the log shows as open: their last event is not their process's last step.

    The rule of :func:`custcentric.process.cycle_times` and :func:`custcentric.sla.evaluate_slas`
    (:func:`custcentric.tables._cases.closed_cases`), applied to the generator's events.
    """
    if not events.case.size:
        return 0
    order = np.lexsort((events.minute, events.case))
    case = events.case[order]
    last = np.r_[case[1:] != case[:-1], True]
    process_ids, steps, _ = step_names()
    process = events.process[order][last]
    final = {p.id: p.steps[-1].id for p in PROCESSES}
    closed, _ = closed_cases(process_ids[process], steps[process, events.step[order][last]], final)
    return int(np.count_nonzero(~closed))


def _event_columns(events: Events, ids: StrArray) -> dict[str, StrArray]:
    process_ids, steps, departments = step_names()
    width = max(6, len(str(events.case.max() + 1))) if events.case.size else 6
    case_id = np.char.add("K", np.char.zfill((events.case + 1).astype(np.str_), width))
    return {
        "case_id": case_id,
        "process": process_ids[events.process],
        "activity": steps[events.process, events.step],
        "timestamp": _timestamps(events.minute),
        "customer_id": ids[events.customer],
        "department": departments[events.process, events.step],
    }
