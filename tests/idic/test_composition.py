"""IDIC as one composition (issue 14): the resolved person flows through every step.

On the bundled company, whose purchases, contacts and survey answers are recorded against
channel profiles (``channel_transactions``, ...), a person with several profiles is valued
once, counted once against the contact policy and offered at most once; consent is never
assumed; life events from the user's own table trigger contacts; every step can be swapped.
The IDIC model is Peppers & Rogers' (Managing Customer Relationships, ch. 3-4: identify,
differentiate, interact, customize); "the customer's interest first" is source S4.
"""

from __future__ import annotations

import json
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.idic import (
    ContactPolicy,
    FrequencyCap,
    IDICPipeline,
    IDICRun,
    Inactivity,
    LifeEvent,
    ModelValue,
    Offer,
)
from custcentric.tables import CustomerTable, InteractionLog, PerCustomer, TransactionLog
from custcentric.value import ParetoNBD


@pytest.fixture(scope="module")
def run(company):
    return IDICPipeline().run(company, rng=7)


@pytest.fixture(scope="module")
def triples(company, run):
    """True customers with three profile records that the run resolved into one person."""
    truth = np.asarray(company.profiles.attributes["true_customer_id"])
    people: dict[str, set[str]] = {}
    records: dict[str, list[str]] = {}
    for cid, pid, person in zip(
        truth.tolist(), run.profile_id.tolist(), run.profile_person.tolist(), strict=True
    ):
        people.setdefault(cid, set()).add(person)
        records.setdefault(cid, []).append(pid)
    found = {
        cid: (next(iter(people[cid])), records[cid])
        for cid in people
        if len(records[cid]) == 3 and len(people[cid]) == 1
    }
    assert len(found) > 150  # about 5 % of 5,000 people have three records
    return found


def test_records_are_kept_by_channel_profile(company):
    # The bundled data key every record by a channel profile, as a company's systems do.
    profile_ids = set(company.profiles.customer_id.tolist())
    for log in (company.channel_transactions, company.channel_interactions):
        assert set(log.customer_id.tolist()) <= profile_ids
    assert set(company.channel_surveys.customer_id.tolist()) <= profile_ids
    assert len(company.channel_transactions) == len(company.transactions)


def test_a_persons_three_profiles_give_one_value_one_count_one_offer(company, run, triples):
    rows = {p: i for i, p in enumerate(run.customer_id.tolist())}
    assert len(rows) == run.customer_id.size  # one row per person
    tx_by_customer = dict(
        zip(*np.unique(company.transactions.customer_id, return_counts=True), strict=False)
    )
    it_by_customer = dict(
        zip(*np.unique(company.interactions.customer_id, return_counts=True), strict=False)
    )
    summary = company.channel_transactions.summary(run.observation_end, time_unit="W")
    per_profile = set(summary.customer_id.tolist())
    contacts = run.interact.contacts.sum(axis=1)
    offers = run.customize.assigned.sum(axis=1)
    spread = 0
    for cid, (person, profile_ids) in triples.items():
        i = rows[person]
        # One contact count: every contact of the three profiles counts for the person.
        assert contacts[i] == it_by_customer.get(cid, 0)
        # At most one offer per person, not one per profile.
        assert offers[i] <= 1
        # One value, from all the purchases of the three profiles together.
        if cid in tx_by_customer:
            assert run.value[i] > 0
            spread += sum(p in per_profile for p in profile_ids) > 1
    # The purchases really were spread over several profiles for many of these people.
    assert spread > 50


def test_the_value_is_the_persons_not_the_profiles(company, run, triples):
    # Re-valuing the same purchases keyed by the true customer gives the same inputs: the
    # person's repeat frequency is the true customer's.
    by_person = TransactionLog.from_arrays(
        run.person_of(company.channel_transactions.customer_id),
        company.channel_transactions.timestamp,
        company.channel_transactions.amount,
    ).summary(run.observation_end, time_unit="W")
    truth = company.transactions.summary(run.observation_end, time_unit="W")
    f_person = dict(zip(by_person.customer_id.tolist(), by_person.frequency.tolist(), strict=False))
    f_true = dict(zip(truth.customer_id.tolist(), truth.frequency.tolist(), strict=False))
    for cid, (person, _) in triples.items():
        if cid in f_true:
            assert f_person[person] == f_true[cid]


def test_no_recorded_opt_in_means_no_marketing_contact(company, run):
    assert not run.customize.assigned[~run.consent].any()
    due = run.triggers
    no_consent = ~np.isin(due.customer_id, run.customer_id[run.consent])
    marketing = np.isin(due.kind, ContactPolicy().consent_kinds)
    assert not due.allowed[no_consent & marketing].any()
    # Persons whose records hold no recorded opt-in are split-off duplicates and prospects
    # who said no: none of them consents, and the refusals are counted.
    assert run.offer_refused["no_consent"] > 0
    assert run.refused["offers"] == run.offer_refused
    assert int(run.consent.sum()) < len(run.customer_id)


def test_consent_is_not_assumed_when_nothing_is_recorded(company):
    # Profiles without any marketing_opt_in attribute: before, everyone counted as
    # consenting (1,271 offers became 2,053); now nobody does, unless the user says so.
    bare = CustomerTable.from_arrays(
        company.profiles.customer_id,
        name=company.profiles.name,
        email=company.profiles.email,
        phone=company.profiles.phone,
        birth_date=company.profiles.birth_date,
        unique_ids=False,
    )
    data = SimpleNamespace(
        profiles=bare,
        channel_transactions=company.channel_transactions,
        channel_interactions=company.channel_interactions,
        customers=company.customers,
    )
    triggers = (Inactivity(180),)
    none = IDICPipeline(triggers=triggers).run(data, rng=7)
    assert none.customize.n_assigned == 0
    assert not none.consent.any()
    assert set(none.offer_refused) == {"no_consent"}
    assumed = IDICPipeline(triggers=triggers, assume_consent=True).run(data, rng=7)
    assert assumed.customize.n_assigned > 1500
    assert "no_consent" not in assumed.offer_refused


def test_opted_out_reaches_the_policy_and_the_offers(company, run):
    # Everyone offered in the default run opts out: no contact and no offer is made.
    chosen = run.customer_id[run.customize.assigned.any(axis=1)][:100]
    again = IDICPipeline().run(company, rng=7, opted_out=chosen)
    rows = np.isin(again.customer_id, chosen)
    assert not again.customize.assigned[rows].any()
    assert again.offer_refused["opted_out"] == 100
    assert not again.consent[rows].any()


def test_every_offer_goes_through_the_contact_policy(company, run):
    # A cap of one outbound e-mail a year: people e-mailed in the last year get no offer.
    policy = ContactPolicy(caps=[FrequencyCap(max_contacts=1, days=365, channel="email")])
    capped = IDICPipeline(policy=policy).run(company, rng=7)
    assert capped.customize.n_assigned < run.customize.n_assigned
    reason = "cap 1 per 365 days (email)"
    assert capped.offer_refused[reason] > 0
    assert capped.customize.refused[f"policy: {reason}"] > 0


def test_a_life_event_from_the_users_table_triggers_the_contact(company, run):
    consenting = run.customer_id[run.consent][0]
    refusing = run.customer_id[~run.consent & ~run.opted_out][0]
    profile = run.profile_id[run.profile_person == consenting][0]  # keyed by channel profile
    day = run.observation_end
    events = {
        "customer_id": [profile, refusing],
        "kind": ["new_baby", "new_baby"],
        "date": [day - np.timedelta64(7, "D"), day - np.timedelta64(7, "D")],
    }
    pipeline = IDICPipeline(triggers=[LifeEvent("new_baby", lag_days=7)])
    due = pipeline.run(company, rng=7, life_events=events).triggers
    assert due.customer_id.tolist() == sorted([consenting, refusing])
    verdict = dict(zip(due.customer_id.tolist(), due.reason.tolist(), strict=False))
    assert verdict == {consenting: "", refusing: "no_consent"}
    assert set(due.trigger.tolist()) == {"life_event:new_baby"}
    assert set(due.kind.tolist()) == {"offer"}
    with pytest.raises(InvalidInputError, match=re.escape("`life_events` must be given to run()")):
        pipeline.run(company, rng=7)


def test_user_values_and_segments_replace_the_defaults(company, run):
    ids = run.customer_id
    values = PerCustomer(
        customer_id=ids, values=np.linspace(1000.0, 0.0, ids.size), name="value", unit="EUR"
    )
    segments = {p: ("young" if i % 2 else "family") for i, p in enumerate(ids.tolist())}
    mine = IDICPipeline().run(company, rng=7, values=values, segments=segments)
    assert np.array_equal(mine.value, np.asarray(values))
    assert set(mine.differentiate.needs_labels.tolist()) == {"family", "young"}
    assert mine.needs[1] == "young"
    with pytest.raises(InvalidInputError, match="must give every person a value"):
        IDICPipeline().run(company, rng=7, values=values.select(ids[:10]))


def test_user_defined_steps_are_honoured(company):
    calls = []

    def flat_value(transactions, *, customer_id, observation_end, horizon, discount_rate):
        calls.append((len(transactions), horizon))
        return np.full(len(customer_id), 50.0)

    class OneSegment:
        def __call__(self, interact, *, n_segments, rng):
            return np.full(interact.customer_id.size, "everyone")

    run = IDICPipeline(value=flat_value, needs=OneSegment(), horizon=6).run(company, rng=7)
    assert calls == [(len(company.channel_transactions), 6)]
    assert np.all(run.value == 50.0)
    assert run.differentiate.needs_labels.tolist() == ["everyone"]
    with pytest.raises(InvalidInputError, match="`value` is a step of your own"):
        IDICPipeline(value=flat_value).to_dict()


def test_a_per_customer_benefit_per_offer_and_another_purchase_model(company, run):
    ids = run.customer_id
    loses = np.where(np.arange(ids.size) % 2 == 0, -1.0, 5.0)
    benefit = {"upgrade": PerCustomer(customer_id=ids, values=loses, name="gain", unit="EUR")}
    mine = IDICPipeline().run(company, rng=7, customer_benefit=benefit)
    column = [o.name for o in mine.offers].index("upgrade")
    assert not mine.customize.assigned[loses < 0, column].any()
    assert mine.customize.refused["negative_benefit"] > 0
    pareto = IDICPipeline(value=ModelValue(ParetoNBD)).run(company, rng=7)
    assert np.all(np.isfinite(pareto.value))
    assert not np.array_equal(pareto.value, run.value)


def test_records_keyed_by_customer_need_identities_resolved(company):
    data = SimpleNamespace(
        profiles=company.profiles,
        transactions=company.transactions,  # keyed by C00001 ..., not by profile
        interactions=company.interactions,
        customers=company.customers,
    )
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            "`transactions.customer_id` must hold a profile id or person id of the data "
            "(index 0: 'C00001'); if the records are keyed by customer id already, pass "
            "IDICPipeline(identities='resolved')."
        ),
    ):
        IDICPipeline().run(data, rng=7)
    resolved = IDICPipeline(identities="resolved").run(data, rng=7)
    assert resolved.customize.n_assigned == 1271  # the numbers before 0.2
    assert resolved.identify is None


def _no_dropout_company(n: int = 300) -> SimpleNamespace:
    """Everybody buys at one steady rate for two years: nobody drops out."""
    rng = np.random.default_rng(1)
    sizes = rng.poisson(30, n) + 1
    owner = np.repeat(np.arange(n), sizes)
    day = rng.integers(0, 730, owner.size)
    ids = np.char.add("c", owner.astype(str))
    log = TransactionLog.from_arrays(
        ids, np.datetime64("2024-01-01") + day.astype("timedelta64[D]"), rng.gamma(6, 5, owner.size)
    )
    people = np.char.add("c", np.arange(n).astype(str))
    customers = CustomerTable.from_arrays(people, attributes={"marketing_opt_in": ["true"] * n})
    contacts = InteractionLog.from_arrays(
        people, ["2025-06-01T10:00"] * n, ["email"] * n, ["outbound"] * n, ["offer"] * n
    )
    return SimpleNamespace(customers=customers, transactions=log, interactions=contacts)


def test_a_degenerate_fit_warns_and_falls_back():
    # On data with no dropout BG/NBD drives a to 0 and r to millions and its CLVs are NaN;
    # before, the run failed with "`value` must be finite", naming an internal variable.
    data = _no_dropout_company()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", DegenerateDataWarning)
        with pytest.warns(DegenerateDataWarning, match=r"BetaGeo fit is degenerate .*Pareto/NBD"):
            run = IDICPipeline(identities="resolved", triggers=[Inactivity(90)]).run(data, rng=1)
    assert np.all(np.isfinite(run.value))
    assert np.all(run.value > 0)


def test_the_configuration_round_trips_through_json():
    pipeline = IDICPipeline(
        horizon=6,
        triggers=[LifeEvent("new_baby", lag_days=14), Inactivity(90)],
        policy=ContactPolicy(caps=[FrequencyCap(max_contacts=2, days=30)], quiet_hours=(21, 8)),
        offers=[Offer(name="visit", uplift=0.2, cost=1.0, capacity=50, channel="phone")],
        assume_consent=True,
        value=ModelValue("ParetoNBD"),
    )
    data = json.loads(json.dumps(pipeline.to_dict(), allow_nan=False))
    assert data["schema_version"] == 1
    back = IDICPipeline.from_dict(data)
    assert back.to_dict() == pipeline.to_dict()
    assert back.value.purchase_model is ParetoNBD
    with pytest.raises(InvalidInputError, match="IDICPipeline has no field 'horizn'"):
        IDICPipeline.from_dict({**data, "horizn": 3})
    with pytest.raises(InvalidInputError, match="Offer has no field 'price'"):
        Offer.from_dict({"name": "x", "uplift": 0.1, "price": 3})


def test_the_run_is_stored_as_strict_json(run):
    data = json.loads(json.dumps(run.to_dict(), allow_nan=False))
    assert data["schema_version"] == 1
    assert data["identities"] == "resolve"
    assert len(data["customer_id"]) == len(data["consent"]) == run.customer_id.size
    assert data["offer_refused"] == run.offer_refused
    assert data["profiles"]["person_id"] == run.profile_person.tolist()
    back = IDICRun.from_dict(data)
    assert back.summary() == run.summary()
    assert np.array_equal(back.customize.assigned, run.customize.assigned)
    assert np.array_equal(
        back.interact.days_since_last_contact, run.interact.days_since_last_contact
    )
    assert back.triggers.to_dict() == run.triggers.to_dict()
    assert {k: v for k, v in back.to_dict().items() if k != "identify"} == {
        k: v for k, v in data.items() if k != "identify"
    }
    with pytest.raises(InvalidInputError, match="IDICRun has no field 'valeu'"):
        IDICRun.from_dict({**data, "valeu": []})


def test_summary_takes_a_width_and_shows_the_currency(run):
    text = run.summary(width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "expected value EUR " in text
    assert "USD " in run.summary(currency="USD")
    assert text.splitlines()[:2] == [
        "IDIC as of 2026-01-01 for 5,084 people (6,386 profile",
        "  records)",
    ]
