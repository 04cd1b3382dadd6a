"""Generate the sample company's interactions, survey answers and maturity self-assessment."""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np

from custcentric.datasets._catalogue import CAPABILITIES, PROCESSES, RATING_DEPARTMENTS
from custcentric.datasets._gen_events import Cases, business_time
from custcentric.typing import BoolArray, FloatArray, IntArray, StrArray

__all__ = ["Answers", "Contacts", "generate_interactions", "generate_maturity", "generate_surveys"]

_INBOUND: Final = np.array(["web", "email", "phone", "store", "app", "chat", "social"])
# What a case's opening contact is, by process (order of PROCESSES).
_OPENING_KIND: Final = {
    "order-to-delivery": "order",
    "complaint-to-resolution": "complaint",
    "fault-repair": "service_request",
    "onboarding": "order",
    "returns-refund": "service_request",
    "billing-inquiry": "inquiry",
    "contract-renewal": "offer",
    "cancellation-win-back": "service_request",
    "address-change": "service_request",
    "installation": "service_request",
}


@attrs.frozen(eq=False)
class Contacts:
    """Interactions: customer index, minute, channel, direction, kind, outcome."""

    customer: IntArray
    minute: FloatArray
    channel: StrArray
    direction: StrArray
    kind: StrArray
    outcome: StrArray


@attrs.frozen(eq=False)
class Answers:
    """Survey answers: customer index, minute, instrument, score, process id, channel."""

    customer: IntArray
    minute: FloatArray
    instrument: StrArray
    score: IntArray
    process: StrArray
    channel: StrArray


def _pick(rng: np.random.Generator, options: StrArray, p: list[float], size: int) -> StrArray:
    return options[rng.choice(options.size, size=size, p=p)]


def _inbound_channel(rng: np.random.Generator, preferred: StrArray) -> StrArray:
    """Return the preferred channel 70 % of the time, otherwise any inbound channel."""
    other = _pick(rng, _INBOUND, [0.2, 0.15, 0.3, 0.1, 0.1, 0.1, 0.05], preferred.size)
    return np.where(rng.random(preferred.size) < 0.7, preferred, other)


def generate_interactions(
    rng: np.random.Generator,
    cases: Cases,
    preferred: StrArray,
    opt_in: BoolArray,
    tier: StrArray,
    activity: FloatArray,
    birthday_minutes: list[FloatArray],
    invited: BoolArray,
    responded: BoolArray,
    invite_minute: FloatArray,
    end_minute: float,
) -> Contacts:
    """Build the contact history from the cases, surveys, campaigns and background traffic."""
    n_people = preferred.size
    parts: list[tuple[IntArray, FloatArray, StrArray, str, StrArray, StrArray]] = []

    # 1. The contact that opened each case (renewals are opened by the company).
    kinds = np.array([_OPENING_KIND[p.id] for p in PROCESSES])[cases.process]
    outbound = kinds == "offer"
    outcome = np.where(cases.closed, "resolved", "pending")
    outcome = np.where(outbound, np.where(cases.closed, "converted", "pending"), outcome)
    channel = np.where(outbound, "email", _inbound_channel(rng, preferred[cases.customer]))
    direction = np.where(outbound, "outbound", "inbound")
    for d in ("inbound", "outbound"):
        m = direction == d
        parts.append((cases.customer[m], cases.start[m], channel[m], d, kinds[m], outcome[m]))

    # 2. A reminder a week into each contract renewal; a response when the case closed.
    renewal = np.flatnonzero(kinds == "offer")
    parts.append(
        (
            cases.customer[renewal],
            business_time(rng, cases.start[renewal] + 7 * 1440.0),
            _pick(rng, np.array(["email", "sms"]), [0.6, 0.4], renewal.size),
            "outbound",
            np.full(renewal.size, "reminder"),
            np.where(cases.closed[renewal], "responded", "no_response"),
        )
    )

    # 3. Survey invitations after closed cases.
    who = cases.customer[invited]
    parts.append(
        (
            who,
            invite_minute[invited],
            _pick(rng, np.array(["email", "sms", "app"]), [0.6, 0.25, 0.15], who.size),
            "outbound",
            np.full(who.size, "survey"),
            np.where(responded[invited], "responded", "no_response"),
        )
    )

    # 4. Marketing offers, mostly to customers who opted in (about 2 % go to those who did not).
    scale = n_people / 5000  # volumes are set for 5,000 customers
    n_offers = round(8000 * scale)
    weights = np.where(opt_in, 1.0, 0.02 / 0.98 * opt_in.mean() / max(1 - opt_in.mean(), 1e-9))
    who = rng.choice(n_people, size=n_offers, p=weights / weights.sum())
    minute = business_time(rng, rng.random(n_offers) * end_minute)
    convert = np.where(tier[who] == "gold", 0.12, np.where(tier[who] == "silver", 0.07, 0.03))
    u = rng.random(n_offers)
    outcome = np.where(u < convert, "converted", np.where(u < convert + 0.1, "declined", ""))
    outcome = np.where(outcome == "", "no_response", outcome)
    channel = _pick(
        rng, np.array(["email", "sms", "app", "mail"]), [0.5, 0.25, 0.15, 0.1], n_offers
    )
    parts.append((who, minute, channel, "outbound", np.full(n_offers, "offer"), outcome))

    # 5. Birthday greetings to opted-in gold and silver customers, 09:00 on the day.
    for minutes in birthday_minutes:
        who = np.flatnonzero(opt_in & (tier != "bronze") & ~np.isnan(minutes))
        outcome = np.where(rng.random(who.size) < 0.08, "responded", "no_response")
        parts.append(
            (
                who,
                minutes[who],
                _pick(rng, np.array(["email", "sms", "app"]), [0.5, 0.3, 0.2], who.size),
                "outbound",
                np.full(who.size, "greeting"),
                outcome,
            )
        )

    # 6. Background inbound traffic, from the more active customers more often.
    n_background = round(8500 * scale)
    who = rng.choice(n_people, size=n_background, p=activity / activity.sum())
    minute = rng.random(n_background) * end_minute
    channel = _inbound_channel(rng, preferred[who])
    staffed = np.isin(channel, ["phone", "store"])
    minute = np.where(staffed, business_time(rng, minute), minute)
    kind = _pick(
        rng,
        np.array(["inquiry", "complaint", "compliment", "idea", "service_request", "other"]),
        [0.58, 0.1, 0.08, 0.05, 0.14, 0.05],
        n_background,
    )
    u = rng.random(n_background)
    outcome = np.where(u < 0.82, "resolved", np.where(u < 0.95, "unresolved", "pending"))
    outcome = np.where(np.isin(kind, ["compliment", "idea"]), "responded", outcome)
    parts.append((who, minute, channel, "inbound", kind, outcome))

    customer = np.concatenate([p[0] for p in parts])
    minutes_all = np.concatenate([p[1] for p in parts])
    keep = minutes_all <= end_minute
    order = np.lexsort((minutes_all[keep], customer[keep]))
    return Contacts(
        customer=customer[keep][order],
        minute=np.floor(minutes_all[keep][order]),
        channel=np.concatenate([p[2] for p in parts]).astype(np.str_)[keep][order],
        direction=np.concatenate([np.full(p[0].size, p[3]) for p in parts])[keep][order],
        kind=np.concatenate([p[4] for p in parts]).astype(np.str_)[keep][order],
        outcome=np.concatenate([p[5] for p in parts]).astype(np.str_)[keep][order],
    )


def invite_surveys(
    rng: np.random.Generator, cases: Cases, end_minute: float
) -> tuple[BoolArray, BoolArray, FloatArray]:
    """Decide which closed cases get a survey, when, and who answers it."""
    n = cases.process.size
    invite_minute = cases.end + 60.0 * np.exp(np.log(18.0) + 0.6 * rng.standard_normal(n))
    invited = cases.closed & (rng.random(n) < 0.4) & (invite_minute <= end_minute)
    responded = invited & (rng.random(n) < 0.55)
    return invited, responded, invite_minute


def _scale(latent: FloatArray, centre: float, spread: float, low: int, high: int) -> IntArray:
    return np.clip(np.round(centre + spread * latent), low, high).astype(np.int64)


def generate_surveys(
    rng: np.random.Generator,
    cases: Cases,
    responded: BoolArray,
    invite_minute: FloatArray,
    tier: StrArray,
    is_buyer: BoolArray,
    lapsed: BoolArray,
    complaints: IntArray,
    end_minute: float,
) -> Answers:
    """Answers after cases (CSAT always, NPS and CES often) and a relationship NPS survey.

    Satisfaction falls with the case's cycle time relative to its process's median, with
    rework, and rises with the customer's tier, so analyses find those links.
    """
    cycle = cases.end - cases.start
    median = np.zeros(len(PROCESSES))
    for k in range(len(PROCESSES)):
        closed = cases.closed & (cases.process == k)
        median[k] = np.median(cycle[closed]) if closed.any() else 1.0
    idx = np.flatnonzero(responded)
    c = cases.customer[idx]
    z = np.log(np.maximum(cycle[idx], 1.0) / median[cases.process[idx]])
    tier_effect = np.select([tier[c] == "gold", tier[c] == "bronze"], [0.25, -0.15], 0.0)
    # Processes that take longer overall are rated lower too, not only slow cases within one.
    slow_process = np.log(median / np.median(median))[cases.process[idx]]
    latent = 0.35 - 0.9 * z - 0.35 * slow_process - 0.7 * cases.rework[idx] + tier_effect
    latent = latent + 0.6 * rng.standard_normal(idx.size)
    minute = invite_minute[idx] + 60.0 * np.exp(np.log(5.0) + 1.2 * rng.standard_normal(idx.size))
    channel = _pick(rng, np.array(["email", "sms", "app"]), [0.6, 0.25, 0.15], idx.size)
    process = np.array([p.id for p in PROCESSES])[cases.process[idx]]
    with_nps = rng.random(idx.size) < 0.6
    with_ces = rng.random(idx.size) < 0.5
    noise = 0.45 * rng.standard_normal((3, idx.size))

    rel = np.flatnonzero(is_buyer)
    rel = rel[rng.random(rel.size) < 0.32]
    tier_rel = np.select([tier[rel] == "gold", tier[rel] == "bronze"], [0.45, -0.2], 0.0)
    rel_latent = 0.3 + tier_rel - 0.35 * np.minimum(complaints[rel], 3) - 0.6 * lapsed[rel]
    rel_latent = rel_latent + 0.8 * rng.standard_normal(rel.size)
    rel_minute = business_time(rng, end_minute - rng.random(rel.size) * 330 * 1440.0)

    parts = [
        (c, minute, "csat", _scale(latent + noise[0], 3.9, 0.9, 1, 5), process, channel),
        (
            c[with_nps],
            minute[with_nps],
            "nps",
            _scale(latent[with_nps] + noise[1][with_nps], 7.4, 1.9, 0, 10),
            process[with_nps],
            channel[with_nps],
        ),
        (
            c[with_ces],
            minute[with_ces],
            "ces",
            _scale(latent[with_ces] + noise[2][with_ces], 5.1, 1.2, 1, 7),
            process[with_ces],
            channel[with_ces],
        ),
        (
            rel,
            rel_minute,
            "nps",
            _scale(rel_latent, 7.2, 1.9, 0, 10),
            np.full(rel.size, ""),
            _pick(rng, np.array(["email", "web", "app"]), [0.6, 0.25, 0.15], rel.size),
        ),
    ]
    customer = np.concatenate([p[0] for p in parts])
    minutes_all = np.concatenate([p[1] for p in parts])
    keep = minutes_all <= end_minute
    order = np.lexsort((minutes_all[keep], customer[keep]))
    return Answers(
        customer=customer[keep][order],
        minute=np.floor(minutes_all[keep][order]),
        instrument=np.concatenate([np.full(p[0].size, p[2]) for p in parts])[keep][order],
        score=np.concatenate([p[3] for p in parts])[keep][order],
        process=np.concatenate([p[4] for p in parts]).astype(np.str_)[keep][order],
        channel=np.concatenate([p[5] for p in parts]).astype(np.str_)[keep][order],
    )


_BIAS: Final = {
    "sales": 0.45,
    "marketing": 0.3,
    "customer_service": -0.2,
    "operations": -0.35,
    "finance": -0.1,
    "it": 0.1,
}
# Capabilities on which the front office and the back office see the company differently.
_CONTESTED: Final = (
    "insight-01",
    "process-03",
    "interaction-01",
    "recovery-02",
    "measurement-02",
    "technology-02",
)
_FRONT_OFFICE: Final = ("sales", "marketing", "it")
_NOTES: Final = {
    1: "Not in place yet: each department works on its own",
    2: "In place for some segments or channels, measured per department",
    3: "Works across departments and is measured end to end",
    4: "Run together with customers, who shape it",
}


def generate_maturity(rng: np.random.Generator) -> dict[str, StrArray]:
    """Ratings 1-4 of every capability by every rating department, with short notes."""
    n_cap, n_dep = len(CAPABILITIES), len(RATING_DEPARTMENTS)
    base = np.clip(1.9 + 0.55 * rng.standard_normal(n_cap), 1.0, 3.6)
    bias = np.array([_BIAS[d] for d in RATING_DEPARTMENTS])
    raw = base[:, None] + bias[None, :] + 0.4 * rng.standard_normal((n_cap, n_dep))
    level = np.clip(np.round(raw), 1, 4).astype(np.int64)
    ids = np.array([c[0] for c in CAPABILITIES])
    contested = np.isin(ids, _CONTESTED)
    front = np.isin(np.array(RATING_DEPARTMENTS), _FRONT_OFFICE)
    high = rng.integers(3, 5, size=(n_cap, n_dep))
    level = np.where(contested[:, None] & front[None, :], high, level)
    level = np.where(contested[:, None] & ~front[None, :], 1, level)
    note = np.array([_NOTES[v] for v in level.ravel().tolist()]).reshape(level.shape)
    note = np.where(
        contested[:, None],
        np.char.add(note, np.where(front[None, :], " (front office view)", " (back office view)")),
        note,
    )
    return {
        "department": np.tile(np.array(RATING_DEPARTMENTS), n_cap),
        "capability_id": np.repeat(ids, n_dep),
        "area": np.repeat(np.array([c[1] for c in CAPABILITIES]), n_dep),
        "level": level.ravel().astype(np.str_),
        "note": note.ravel(),
    }
