"""simulate: the plain models reproduced, the service parts checked against their theory."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from custcentric.domain import SLA
from custcentric.exceptions import InvalidInputError
from custcentric.simulate import (
    ContactCentre,
    CycleTime,
    Population,
    RetentionCampaign,
    Scenario,
    ServiceProcess,
    example_scenario,
    simulate,
)
from custcentric.sla import evaluate_slas, service_level
from custcentric.value import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
)

# CDNOW estimates, weekly: Fader, Hardie & Lee (2005), Marketing Science 24(2), table 1
# (BG/NBD); Batislam et al. (2007) / Fader-Hardie notes for MBG/NBD and Pareto/NBD.
BG = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
MBG = ModifiedBetaGeo(0.525, 6.183, 0.891, 1.614, time_unit="W")
PNBD = ParetoNBD(0.553, 10.578, 0.606, 11.669, time_unit="W")
# Fader, Hardie & Shang (2010), Marketing Science 29(6), the 1995 donor cohort.
BGBB = BetaGeoBetaBinom(1.204, 0.750, 0.657, 2.783)
SPEND = GammaGamma(6.25, 3.74, 15.44)


def _plain(model, n=20000, horizon=39, **kw):
    return Scenario(
        population=Population(purchase_model=model, n_customers=n, **kw), horizon=horizon
    )


@pytest.mark.parametrize("model", [BG, MBG, PNBD], ids=["bgnbd", "mbgnbd", "pareto"])
def test_no_links_reproduce_expected_purchases_within_monte_carlo_error(model):
    result = simulate(_plain(model), n_replications=2, rng=11)
    per_customer = result.purchases.sum(axis=1) / 20000
    expected = model.expected_purchases(39.0)
    # Each replication's mean of 20,000 customers; the customer-level sd is below 4 here.
    se = 4.0 / np.sqrt(20000)
    assert np.all(np.abs(per_customer - expected) < 4 * se)
    cumulative = result.purchases[0].cumsum() / 20000
    assert abs(cumulative[12] - model.expected_purchases(13.0)) < 4 * se


def test_bgbb_and_sbg_reproduce_their_closed_forms():
    result = simulate(_plain(BGBB, horizon=6), n_replications=1, rng=3)
    assert abs(result.purchases.sum() / 20000 - BGBB.expected_purchases(6)) < 0.04
    sbg = ShiftedBetaGeometric(0.704, 1.182)  # Fader & Hardie (2007), "regular" customers
    result = simulate(_plain(sbg, horizon=7), n_replications=1, rng=3)
    survival = result.customers_alive[0] / 20000
    assert np.allclose(survival, sbg.survival(np.arange(1, 8)), atol=0.015)


def test_same_seed_same_result_and_replications_differ():
    a = simulate(_plain(BG, n=500), n_replications=3, rng=5)
    b = simulate(_plain(BG, n=500), n_replications=3, rng=np.random.SeedSequence(5))
    assert np.array_equal(a.purchases, b.purchases)
    assert not np.array_equal(a.purchases[0], a.purchases[1])
    # A replication's numbers do not depend on how many replications run.
    assert np.array_equal(
        simulate(_plain(BG, n=500), n_replications=1, rng=5).purchases[0], a.purchases[0]
    )


def test_spend_totals_follow_gamma_gamma():
    s = _plain(BG, n=20000, horizon=39)
    s = s.replace("population.spend_model", SPEND)
    result = simulate(s, rng=2)
    mean_spend = result.revenue.sum() / result.purchases.sum()
    assert abs(mean_spend - SPEND.mean_spend) / SPEND.mean_spend < 0.05


def test_kept_tables_are_the_library_tables_and_agree_with_evaluate_slas():
    scenario = example_scenario(n_customers=1500, horizon=20)
    result = simulate(scenario, rng=7, keep_tables=True)
    kept = result.tables
    assert kept is not None
    repeat = len(kept.transactions) - kept.customer_id.size
    assert repeat == int(result.purchases[0].sum())
    assert np.isclose(kept.transactions.amount.sum() - 0, kept.transactions.amount.sum())
    slas = [s for p in scenario.processes for s in p.slas]
    report = evaluate_slas(
        kept.events,
        slas,
        segments=(kept.customer_id, kept.service_tier),
        observation_end=kept.events.timestamp.max(),
    )
    for k, tier in enumerate(result.tiers):
        cases = int(result.sla_cases[0, :, k].sum())
        breaches = int(result.sla_breaches[0, :, k].sum())
        rows = [r for r in report.rows if r.tier == tier]
        assert sum(r.cases for r in rows) == cases
        # Durations are rounded to the second in the log: a breach at the boundary may flip.
        assert abs(sum(r.breaches for r in rows) - breaches) <= 2
    total = sum(r.compensation for r in report.rows if r.tier == "all")
    assert abs(total - result.compensation[0].sum()) < 1.0 + 0.001 * total


def test_simulated_cycle_time_percentiles_match_the_distribution():
    dist = CycleTime(kind="lognormal", scale=30.0, shape=0.6, time_unit="h")
    sla = SLA(id="r", name="r", process_id="p", metric="cycle_time", target=48, time_unit="h")
    proc = ServiceProcess(
        process_id="p", trigger="purchase", share=1.0, cycle_time={"all": dist}, slas=[sla]
    )
    s = _plain(BG, n=5000, horizon=20).replace("processes", (proc,))
    kept = simulate(s, rng=1, keep_tables=True).tables
    ev = kept.events
    order = np.argsort(ev.case_id, kind="stable")
    times = ev.timestamp[order].reshape(-1, 2) if False else None
    start = ev.timestamp[ev.activity == "requested"]
    end = ev.timestamp[ev.activity == "completed"]
    hours = (end - start).astype(np.float64) / 3600
    assert hours.size > 2000
    for q in (0.1, 0.5, 0.9):
        assert abs(np.quantile(hours, q) - dist.quantile(q)) / dist.quantile(q) < 0.05
    # Share breached equals the distribution's tail beyond 48 h.
    assert abs(np.mean(hours > 48) - stats.lognorm(0.6, scale=30).sf(48)) < 0.02
    del times, order


def test_simulated_service_level_matches_erlang_c():
    cc = ContactCentre(
        contact_rate=0.05,
        handle_time=300.0,
        agents=4,
        interval="h",
        intervals_per_period=50.0,
        answer_time=20.0,
    )
    s = _plain(ParetoNBD(0.553, 10.578, 0.0001, 11.669, time_unit="W"), n=20000, horizon=4).replace(
        "contact_centre", cc
    )
    result = simulate(s, n_replications=3, rng=4)
    load = result.contacts / 50 * 300 / 3600
    erlang = service_level(load.reshape(-1), 4, answer_time=20, handle_time=300)
    simulated = result.service_level.reshape(-1)
    assert np.allclose(result.erlang_service_level.reshape(-1), erlang)
    # 1,000 contacts a period: binomial error about 0.015.
    assert np.all(np.abs(simulated - erlang) < 0.05)
    unstable = simulate(s.replace("contact_centre.agents", 1), rng=4)
    assert np.all(unstable.service_level == 0.0)
    assert np.all(np.isinf(unstable.average_wait))


def test_links_and_campaign_change_retention_in_the_expected_direction():
    dist = CycleTime(kind="lognormal", scale=30.0, shape=0.6, time_unit="h")
    sla = SLA(id="r", name="r", process_id="p", metric="cycle_time", target=48, time_unit="h")
    proc = ServiceProcess(
        process_id="p", trigger="purchase", share=1.0, cycle_time={"all": dist}, slas=[sla]
    )
    no_links = _plain(BG, n=5000, horizon=26).replace("processes", (proc,))
    linked = no_links.replace("links", {"dropout_per_breach": 3.0, "persistence": 1.0})
    with_links = simulate(linked, n_replications=3, rng=9).kpis()["customers_alive"].mean()
    without = simulate(no_links, n_replications=3, rng=9).kpis()["customers_alive"].mean()
    assert with_links < without - 50
    campaign = RetentionCampaign(
        period=0, top_share=0.5, cost_per_contact=1.0, dropout_multiplier=0.2, duration=26
    )
    kept = simulate(no_links.replace("campaign", campaign), n_replications=3, rng=9)
    assert kept.kpis()["customers_alive"].mean() > without
    assert np.all(kept.campaign_cost[:, 0] == 1.0 * kept.campaign_contacts[:, 0])


def test_memory_limit_and_options_are_checked_before_running():
    s = _plain(BG, n=10**6)
    with pytest.raises(InvalidInputError, match="`memory_limit`"):
        simulate(s, memory_limit=1e6)
    with pytest.raises(InvalidInputError, match="`n_replications`"):
        simulate(s, n_replications=0)
    with pytest.raises(InvalidInputError, match="`progress`"):
        simulate(_plain(BG, n=10), progress=3)


def test_progress_callable_gets_one_event_per_replication():
    events = []
    simulate(_plain(BG, n=50, horizon=3), n_replications=3, rng=1, progress=events.append)
    assert [e.step for e in events] == [1, 2, 3]
    assert events[-1].task == "simulate"


def test_result_tables_and_json():
    import json

    result = simulate(example_scenario(n_customers=300, horizon=5), n_replications=2, rng=1)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["summary"]["purchases"]["mean"] == pytest.approx(
        result.purchases.sum(axis=1).mean()
    )
    frame = result.to_pandas()
    purchases = frame[(frame.kpi == "purchases")]
    assert len(purchases) == 10
    assert purchases.value.sum() == result.purchases.sum()
    assert result.purchases.flags.writeable is False


def test_campaign_contacts_pass_the_idic_contact_policy():
    from custcentric.idic import ContactPolicy

    campaign = RetentionCampaign(
        period=1, top_share=0.2, cost_per_contact=3.0, dropout_multiplier=0.5, duration=4
    )
    s = _plain(BG, n=1000, horizon=6).replace("campaign", campaign)
    allowed = simulate(s, rng=1, keep_tables=True)
    assert allowed.campaign_contacts[0, 1] == 200
    assert allowed.campaign_cost[0, 1] == 600.0
    offers = allowed.tables.interactions
    assert int(np.count_nonzero(offers.kind == "offer")) == 200
    # Contacts are planned at 10:00: quiet hours 9-11 refuse them all, and none is paid.
    quiet = s.replace("campaign.contact_policy", ContactPolicy(quiet_hours=(9, 11)))
    refused = simulate(quiet, rng=1)
    assert refused.campaign_contacts.sum() == 0
    assert refused.campaign_cost.sum() == 0.0
