"""``IDICPipeline``: the four steps composed on the bundled company, reproducibly."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from custcentric.datasets import load_sample_company
from custcentric.exceptions import InvalidInputError
from custcentric.idic import IDICPipeline, Inactivity, Offer


@pytest.fixture(scope="module")
def company():
    return load_sample_company()


@pytest.fixture(scope="module")
def run(company):
    return IDICPipeline().run(company, rng=7)


def test_every_step_covers_every_person(company, run):
    # Since issue 14 the steps run per resolved person, not per row of the customer table.
    n = run.identify.n_people
    assert run.customer_id.size == n == 5084
    assert run.value.shape == (n,)
    assert run.needs.shape == (n,)
    assert run.differentiate.counts.sum() == n
    assert run.customize.assigned.shape == (n, len(run.offers))
    assert run.identify.n_records == len(company.profiles)
    assert str(run.observation_end) == "2026-01-01"


def test_same_rng_same_run_other_rng_may_differ(company, run):
    again = IDICPipeline().run(company, rng=7)
    assert np.array_equal(again.needs, run.needs)
    assert np.array_equal(again.customize.assigned, run.customize.assigned)
    assert again.summary() == run.summary()


def test_customers_who_never_bought_have_no_value(company, run):
    buyers = np.isin(run.customer_id, run.person_of(company.channel_transactions.customer_id))
    assert np.all(run.value[~buyers] == 0.0)
    assert np.all(run.value[buyers] > 0.0)


def test_offers_respect_tiers_consent_and_one_per_customer(company, run):
    assigned = run.customize.assigned
    assert assigned.sum(axis=1).max() <= 1
    tier = run.differentiate.tier + 1
    for j, offer in enumerate(run.offers):
        if offer.tiers:
            assert np.isin(tier[assigned[:, j]], offer.tiers).all()
    opted_in = run.consent  # a recorded opt-in on one of the person's profiles
    assert not assigned[~opted_in].any()
    # Every pair refused is an eligible pair of a customer without consent, and all of those.
    eligible = np.column_stack(
        [np.isin(tier, o.tiers) if o.tiers else np.ones(tier.size, bool) for o in run.offers]
    )
    assert run.customize.refused == {"no_consent": int((eligible & ~opted_in[:, None]).sum())}


def test_triggered_contacts_respect_each_customers_consent(company, run):
    # Regression: the pipeline passed the opt-in *mask* where the policy takes customer ids,
    # so every triggered offer was refused for "no_consent", opted in or not.
    opted_in = set(run.customer_id[run.consent].tolist())
    due = run.triggers
    offers = due.kind == "offer"
    assert offers.any()
    for cid, kind, reason in zip(due.customer_id, due.kind, due.reason, strict=True):
        if kind == "offer":
            assert (reason == "no_consent") == (str(cid) not in opted_in)
    assert due.n_allowed > int((due.kind != "offer").sum())


def test_offer_with_negative_customer_benefit_is_never_made(company):
    offers = (
        Offer(name="fee hike", uplift=0.5, customer_benefit=-5.0),
        Offer(name="thank-you note", uplift=0.01),
    )
    result = IDICPipeline(offers=offers).run(company, rng=1)
    assert not result.customize.assigned[:, 0].any()
    assert result.customize.refused["negative_benefit"] > 0


def test_capacity_binds(company):
    offers = (Offer(name="visit", uplift=0.2, cost=1.0, capacity=50),)
    result = IDICPipeline(offers=offers, triggers=(Inactivity(90),)).run(company, rng=1)
    assert result.customize.n_assigned == 50
    # The 50 visits go to customers whose expected gain is among the largest.
    gains = np.maximum(result.value, 0.0) * 0.2 - 1.0
    chosen = gains[result.customize.assigned[:, 0]]
    eligible = result.customize.allowed[:, 0]
    assert chosen.min() >= np.sort(gains[eligible])[-50] - 1e-9


def test_summary_reads_well(run):
    text = run.summary()
    assert text.splitlines()[0] == "IDIC as of 2026-01-01 for 5,084 people (6,386 profile records)"
    assert "6,386 profile records resolve to 5,084 people" in text
    assert max(len(line) for line in text.splitlines()) <= 88


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"identity_threshold": 1.5}, "`identity_threshold` must lie in (0, 1) (got 1.5)."),
        ({"horizon": 0}, "`horizon` must lie in [1, inf] (got 0)."),
        ({"offers": ()}, "`offers` must hold at least one Offer (got none)."),
        ({"offers": ("gift",)}, "`offers` must hold Offer values (index 0: 'gift')."),
        ({"discount_rate": -0.1}, "`discount_rate` must lie in [0, inf] (got -0.1)."),
    ],
)
def test_bad_configuration_is_refused(kwargs, message):
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        IDICPipeline(**kwargs)


def test_bad_offer_and_bad_date_are_refused(company):
    with pytest.raises(InvalidInputError, match=re.escape("`cost` must lie in [0, inf] (got -1).")):
        Offer(name="x", uplift=0.1, cost=-1)
    with pytest.raises(InvalidInputError, match=re.escape("`name` must be a non-empty string")):
        Offer(name="", uplift=0.1)
    with pytest.raises(
        InvalidInputError, match=re.escape("`observation_end` must be a date (got 'soon').")
    ):
        IDICPipeline().run(company, observation_end="soon")


def test_run_serialises_to_json(run):
    data = json.loads(json.dumps(run.to_dict()))
    assert data["observation_end"] == "2026-01-01"
    assert data["identify"]["n_people"] == run.identify.n_people == 5084
    assert len(data["value"]) == len(data["needs"]) == run.customer_id.size
    assert data["customize"]["total_value"] == pytest.approx(run.customize.total_value)
    assert [o["name"] for o in data["offers"]] == [o.name for o in run.offers]
    assert data["offers"][0]["tiers"] == [1]


def test_as_of_before_any_purchase_is_explained(company):
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            "`observation_end` (2023-06-01) must fall after the first purchase (2024-01-01): "
            "no customer had bought by then."
        ),
    ):
        IDICPipeline().run(company, observation_end="2023-06-01", rng=1)


def test_as_of_is_the_deprecated_name_of_observation_end(company):
    from custcentric.exceptions import CustcentricDeprecationWarning

    pipeline = IDICPipeline(n_needs_segments=2)
    with pytest.warns(CustcentricDeprecationWarning, match="use `observation_end=` instead"):
        old = pipeline.run(company, as_of="2026-01-02", rng=3)
    new = pipeline.run(company, observation_end="2026-01-02", rng=3)
    assert old.to_dict() == new.to_dict()
    with pytest.warns(CustcentricDeprecationWarning):
        assert new.as_of == new.observation_end
