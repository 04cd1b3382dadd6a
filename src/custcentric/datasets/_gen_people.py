"""Generate the sample company's customers and their channel profile records."""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric.datasets._names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, REGIONS
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray, StrArray

__all__ = ["PROFILE_CHANNELS", "People", "generate_people", "generate_profiles"]

PROFILE_CHANNELS: Final[tuple[str, ...]] = ("web", "store", "phone", "app", "email")
"""Channels that capture a customer profile, in the order of :data:`_MISSING`."""

_PREFERRED_WEIGHTS: Final = np.array([0.34, 0.24, 0.14, 0.20, 0.08])
_RECORDS_PER_CUSTOMER: Final = np.array([0.77, 0.18, 0.05])  # 1, 2 or 3 records
_PROSPECT_SHARE: Final = 0.06
_ACQUISITION_SHARE: Final = 0.75  # buyers' first purchases fall in the first 75 % of the window

# Probability that a channel leaves (email, phone, birth_date) empty.
_MISSING: Final = {
    "web": (0.00, 0.45, 0.35),
    "store": (0.35, 0.10, 0.50),
    "phone": (0.50, 0.00, 0.40),
    "app": (0.00, 0.20, 0.60),
    "email": (0.00, 0.70, 0.70),
}
_ID_PREFIX: Final = {"web": "W", "store": "S", "phone": "T", "app": "A", "email": "E"}


@attrs.frozen(eq=False)
class People:
    """The true customers, before their purchases are known (one array per field)."""

    customer_id: StrArray
    first_name: StrArray
    last_name: StrArray
    email: StrArray
    phone_digits: StrArray  # ten digits, "555" + subscriber number
    birth_date: DatetimeArray  # datetime64[D]
    region: StrArray
    preferred_channel: StrArray
    marketing_opt_in: BoolArray
    is_buyer: BoolArray
    signup_time: FloatArray  # days since the window opened (first purchase for buyers)

    @property
    def name(self) -> StrArray:
        """Full names, "First Last"."""
        return np.char.add(np.char.add(self.first_name, " "), self.last_name)

    @property
    def phone(self) -> StrArray:
        """Telephone numbers in the canonical form ``+1 555-123-4567``."""
        return _format_phones(self.phone_digits, "web")


def customer_ids(n_customers: int) -> StrArray:
    """Return ``C00001`` … ``Cnnnnn`` (at least five digits)."""
    width = max(5, len(str(n_customers)))
    return np.char.add("C", np.char.zfill(np.arange(1, n_customers + 1).astype(np.str_), width))


def generate_people(
    rng: np.random.Generator, n_customers: int, window_days: float, reference: np.datetime64
) -> People:
    """Draw names, contact details, birth dates and sign-up times of ``n_customers`` people."""
    n = n_customers
    first = np.array(FIRST_NAMES)[rng.integers(len(FIRST_NAMES), size=n)]
    last = np.array(LAST_NAMES)[rng.integers(len(LAST_NAMES), size=n)]
    pattern = rng.integers(4, size=n)
    with_digits = rng.random(n) < 0.45
    digits = rng.integers(10, 100, size=n)
    domains = np.array(EMAIL_DOMAINS)[
        rng.choice(len(EMAIL_DOMAINS), size=n, p=[0.4, 0.25, 0.2, 0.15])
    ]
    emails = _emails(first, last, pattern, with_digits, digits, domains)
    subscriber = rng.choice(9_000_000, size=n, replace=False) + 1_000_000
    phone_digits = np.char.add("555", subscriber.astype(np.str_))
    age_days = np.round((18 + 67 * rng.beta(2.0, 3.2, size=n)) * 365.25).astype(np.int64)
    birth = reference.astype("datetime64[D]") - age_days.astype("timedelta64[D]")
    region = np.array(REGIONS)[rng.choice(len(REGIONS), size=n, p=[0.22, 0.2, 0.18, 0.2, 0.2])]
    preferred = np.array(PROFILE_CHANNELS)[rng.choice(5, size=n, p=_PREFERRED_WEIGHTS)]
    opt_in = rng.random(n) < 0.62
    is_buyer = rng.random(n) >= _PROSPECT_SHARE
    signup = np.where(
        is_buyer,
        rng.random(n) * _ACQUISITION_SHARE * window_days,
        rng.random(n) * window_days,
    )
    return People(
        customer_id=customer_ids(n),
        first_name=first,
        last_name=last,
        email=emails,
        phone_digits=phone_digits,
        birth_date=birth,
        region=region,
        preferred_channel=preferred,
        marketing_opt_in=opt_in,
        is_buyer=is_buyer,
        signup_time=signup,
    )


def _emails(
    first: StrArray,
    last: StrArray,
    pattern: IntArray,
    with_digits: BoolArray,
    digits: IntArray,
    domains: StrArray,
) -> StrArray:
    seen: set[str] = set()
    out: list[str] = []
    for i, (f, la, p) in enumerate(
        zip(first.tolist(), last.tolist(), pattern.tolist(), strict=True)
    ):
        f, la = f.lower(), la.lower()
        local = (f"{f}.{la}", f"{f}{la}", f"{f[0]}.{la}", f"{f}_{la}")[p]
        if with_digits[i]:
            local += str(digits[i])
        address = f"{local}@{domains[i]}"
        if address in seen:  # same name, same pattern: disambiguate with the customer number
            address = f"{local}{i + 1}@{domains[i]}"
        seen.add(address)
        out.append(address)
    return np.array(out, dtype=np.str_)


def _format_phones(digits: StrArray, channel: str) -> StrArray:
    """Format ten-digit numbers the way ``channel``'s system stores them."""
    lead, mid, tail = {
        "web": ("+1 ", "-", "-"),
        "store": ("(", ") ", "-"),
        "phone": ("", " ", " "),
        "app": ("+1", "", ""),
        "email": ("", ".", "."),
    }[channel]
    return np.array(
        [f"{lead}{d[:3]}{mid}{d[3:6]}{tail}{d[6:]}" for d in digits.tolist()], dtype=np.str_
    )


def _typo(rng: np.random.Generator, word: str) -> str:
    """Return ``word`` with one typing error: two letters swapped, one dropped or one doubled."""
    if len(word) < 3:
        return word + word[-1]
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(3))
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _captured_name(rng: np.random.Generator, first: str, last: str, *, duplicate: bool) -> str:
    if rng.random() < (0.35 if duplicate else 0.03):
        if rng.random() < 0.5:
            first = _typo(rng, first)
        else:
            last = _typo(rng, last)
    if not duplicate:
        return f"{first} {last}"
    u = rng.random()
    if u < 0.10:
        return f"{last}, {first}"
    if u < 0.18:
        return f"{first[0]}. {last}"
    if u < 0.26:
        return f"{first} {last}".upper()
    if u < 0.32:
        return f"{first} {last}".lower()
    return f"{first} {last}"


def _captured_email(rng: np.random.Generator, email: str, *, duplicate: bool) -> str:
    local, _, domain = email.partition("@")
    if duplicate and rng.random() < 0.10:
        local = _typo(rng, local)
    if duplicate and rng.random() < 0.30:
        return f"{local.title()}@{domain.title()}" if rng.random() < 0.5 else email.upper()
    return f"{local}@{domain}"


def _captured_birth_date(rng: np.random.Generator, date: np.datetime64) -> np.datetime64:
    u = rng.random()
    year, month, day = (int(x) for x in str(date).split("-"))
    if u < 0.04 and day <= 12 and day != month:  # day and month swapped
        return np.datetime64(f"{year:04d}-{day:02d}-{month:02d}", "D")
    if u < 0.06:  # year mistyped by one
        return np.datetime64(f"{year + (1 if u < 0.05 else -1):04d}-{month:02d}-{day:02d}", "D")
    return date


def generate_profiles(rng: np.random.Generator, people: People) -> dict[str, NDArray[Any]]:
    """Return the channel profile records: 1–3 per customer from distinct channels.

    The first record of each customer comes from the preferred channel and is clean apart
    from fields that channel does not capture; further records are duplicates from other
    channels with typos, reformatted telephone numbers, e-mail case changes and missing
    fields. Rows are shuffled and numbered ``R000001`` … . Besides the written columns the
    result holds ``owner`` (each record's person index) and ``rank`` (0 for the first record).
    """
    n = people.customer_id.size
    n_records = rng.choice(3, size=n, p=_RECORDS_PER_CUSTOMER) + 1
    owner = np.repeat(np.arange(n), n_records)
    rank = np.arange(owner.size) - np.repeat(np.cumsum(n_records) - n_records, n_records)
    channels: list[str] = []
    for i, k in zip(range(n), n_records.tolist(), strict=True):
        first_channel = str(people.preferred_channel[i])
        others = [c for c in PROFILE_CHANNELS if c != first_channel]
        picked = rng.choice(len(others), size=k - 1, replace=False)
        channels.extend([first_channel, *(others[j] for j in picked.tolist())])
    channel = np.array(channels, dtype=np.str_)

    names, emails, births = [], [], []
    missing = np.array([_MISSING[c] for c in channels])
    empty = rng.random((owner.size, 3)) < missing
    for i, dup in zip(owner.tolist(), (rank > 0).tolist(), strict=True):
        names.append(
            _captured_name(rng, str(people.first_name[i]), str(people.last_name[i]), duplicate=dup)
        )
        emails.append(_captured_email(rng, str(people.email[i]), duplicate=dup))
        births.append(
            _captured_birth_date(rng, people.birth_date[i]) if dup else people.birth_date[i]
        )
    phone = np.empty(owner.size, dtype="<U16")
    for c in PROFILE_CHANNELS:
        here = channel == c
        phone[here] = _format_phones(people.phone_digits[owner[here]], c)
    email = np.where(empty[:, 0], "", np.array(emails, dtype=np.str_))
    phone = np.where(empty[:, 1], "", phone)
    birth = np.array(births, dtype="datetime64[D]")
    birth_text = np.where(empty[:, 2], "", np.datetime_as_string(birth, unit="D"))

    channel_customer_id = np.empty(owner.size, dtype="<U12")
    for c in PROFILE_CHANNELS:
        here = np.flatnonzero(channel == c)
        numbers = rng.permutation(here.size) + 100_001
        channel_customer_id[here] = np.char.add(_ID_PREFIX[c], numbers.astype(np.str_))

    order = rng.permutation(owner.size)
    record_id = np.char.add("R", np.char.zfill(np.arange(1, owner.size + 1).astype(np.str_), 6))
    return {
        "record_id": record_id,
        "channel": channel[order],
        "channel_customer_id": channel_customer_id[order],
        "name": np.array(names, dtype=np.str_)[order],
        "email": email[order],
        "phone": phone[order],
        "birth_date": birth_text[order],
        "customer_id": people.customer_id[owner[order]],
        "owner": owner[order],
        "rank": rank[order],
    }
