"""The nine-step redesign programme on the bundled company, and its bad input."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from custcentric.domain import SLA, CustomerProcess
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.process import RedesignPlan, RedesignProgramme, ahp_weights
from custcentric.tables import EventLog

GOALS = ["retention", "sales_development", "profitability", "satisfaction"]


def _scores(programme):
    rng = np.random.default_rng(0)
    return {
        p.id: dict(zip(GOALS, rng.uniform(0, 10, 4).tolist(), strict=True)) for p in programme.key
    }


def test_nine_steps_on_the_bundled_company(company):
    programme = RedesignProgramme(company.processes, company.events)
    assert programme.plan() == RedesignPlan(key=tuple(p.id for p in company.processes))
    programme = programme.audit().key_processes(coverage=0.8)
    weights = ahp_weights(
        [[1, 2, 3, 1], [1 / 2, 1, 2, 1 / 2], [1 / 3, 1 / 2, 1, 1 / 3], [1, 2, 3, 1]], labels=GOALS
    )
    programme = programme.prioritise(_scores(programme), weights.as_mapping())
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 3))
    y = x @ [1.0, 0.5, 0.1] + rng.normal(size=200)
    programme = programme.value_contribution(
        x,
        y,
        names=["order-to-delivery", "fault-repair", "onboarding"],
        minimum_standard={"fault-repair": 2.0},
    )
    programme = programme.implementation().ownership().dependencies().slas(target_share=0.9)
    tiers = company.customers.attributes["service_tier"]
    programme = programme.segment(company.customers.customer_id, tiers, top_tier="gold", n_top=5)
    plan = programme.plan()

    audit = {a.process: a for a in plan.audit}
    assert len(audit) == 10
    assert all(a.touches_customers for a in plan.audit)
    assert sum(a.n_cases for a in plan.audit) == 6201
    assert sum(a.n_open for a in plan.audit) == 109
    assert plan.key_processes.n_key == 7
    assert set(plan.priorities.processes) == set(plan.key)
    assert plan.value_contribution.ranked()[0] == "order-to-delivery"
    assert plan.ownership == ()
    assert plan.dependencies[0].party in ("Northgate warehouse", "ParcelNow couriers")
    slas = {p.sla.process_id: p for p in plan.slas}
    assert set(slas) == set(plan.key)
    assert slas["fault-repair"].sla.target == 2.0  # the customers' standard is tighter
    assert not slas["fault-repair"].meets_standard
    assert isinstance(slas["onboarding"].sla, SLA)
    assert plan.segments.top_tier == "gold"
    assert all(p.sla.tiers for p in plan.segments.slas)
    text = plan.summary()
    for step in range(1, 10):
        assert f"\n{step} " in text
    json.dumps(plan.to_dict())  # plain data all the way down
    assert str(plan) == text


def test_slas_target_is_observed_percentile_rounded_up(company):
    programme = RedesignProgramme(company.processes, company.events).slas(
        target_share=0.9, percentile_method="nearest_rank"
    )
    ct = programme.cycle_times
    for proposal in programme.plan().slas:
        closed = np.sort(ct.duration[(ct.process == proposal.sla.process_id) & ct.closed])
        observed = closed[int(np.ceil(0.9 * closed.size)) - 1]
        assert proposal.observed == observed
        assert proposal.sla.target == pytest.approx(np.ceil(observed * 10) / 10)
        assert proposal.attainment >= 0.9


def _tiny():
    process = CustomerProcess(
        id="p",
        name="P",
        kind="horizontal",
        lifecycle_stage="retain",
        owner="sales",
        departments=("sales", "it"),
        partners=("Acme",),
        steps=({"id": "a", "name": "A"}, {"id": "b", "name": "B", "customer_facing": False}),
    )
    log = EventLog.from_arrays(
        ["k1", "k1", "k2", "x"],
        ["p", "p", "p", "z"],
        ["a", "b", "a", "q"],
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        ["c1", "c1", "c2", "c3"],
    )
    return process, log


def test_uncatalogued_processes_are_listed_not_dropped_silently():
    process, log = _tiny()
    programme = RedesignProgramme([process], log).audit().ownership().implementation()
    plan = programme.plan()
    audit = {a.process: a for a in plan.audit}
    assert not audit["z"].in_catalogue
    assert audit["z"].n_events == 1
    assert audit["p"].n_open == 1
    assert "not in the catalogue: z" in plan.summary()
    assert plan.ownership[0].reason == "owner is one of the 2 departments the process crosses"
    assert plan.implementation[0].support == ("b",)
    owned = programme.ownership({"p": "Director of Customer Value"}).plan()
    assert owned.ownership == ()


def test_programme_errors(company):
    process, log = _tiny()
    programme = RedesignProgramme([process], log)
    with pytest.raises(
        InvalidInputError, match=r"`scores` must score every key process \(missing 'p'\)"
    ):
        programme.prioritise({}, {"retention": 1})
    with pytest.raises(
        InvalidInputError, match=r"`top_tier` must be one of the tiers \['a', 'b'\] \(got 'gold'\)"
    ):
        programme.segment(["c1", "c2", "c3"], ["a", "b", "a"], top_tier="gold")
    with pytest.raises(
        InvalidInputError,
        match=r"`customer_id` must list every customer of the event log \(case 'k2': customer 'c2' has no tier\)",
    ):
        programme.segment(["c1"], ["a"], top_tier="a")
    with pytest.raises(  # an empty tier table used to raise a bare IndexError
        InvalidInputError,
        match=r"`customer_id` must list every customer of the event log \(got none; case 'k1'",
    ):
        programme.segment([], [], top_tier="a")
    with pytest.raises(
        InvalidInputError, match=r"`customer_id` must not repeat \(customer 'c1' twice\)"
    ):
        programme.segment(["c1", "c1", "c2"], ["a", "a", "b"], top_tier="a")
    with pytest.raises(InvalidInputError, match=r"`processes\[0\]` must be a CustomerProcess"):
        RedesignProgramme(["p"], log)  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match=r"`processes` must have distinct ids"):
        RedesignProgramme([process, process], log)
    with pytest.raises(InvalidInputError, match=r"`events` must be an EventLog"):
        RedesignProgramme([process], "log")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`target_share` must lie in \(0, 1\]"):
        programme.slas(target_share=0)
    with pytest.raises(
        InvalidInputError, match=r"`minimum_standard\['p'\]` must lie in \[0, inf\]"
    ):
        programme.value_contribution(
            np.random.default_rng(0).normal(size=(10, 1)),
            np.arange(10.0),
            names=["p"],
            minimum_standard={"p": -1},
        )


def _km_quantile_loop(durations, closed, q):
    """Kaplan–Meier, one distinct closing time at a time: the first t with S(t) <= 1 - q."""
    survival = 1.0
    for t in sorted({d for d, c in zip(durations, closed, strict=True) if c}):
        at_risk = sum(d >= t for d in durations)
        events = sum(d == t and c for d, c in zip(durations, closed, strict=True))
        survival *= 1 - events / at_risk
        if survival <= 1 - q + 1e-12:
            return t
    return float("inf")


def test_censored_sla_proposals_count_open_cases(company):
    # methods.md §6.1: open cases are right-censored, not dropped, when estimating percentiles.
    plain = RedesignProgramme(company.processes, company.events).slas(target_share=0.9)
    km = RedesignProgramme(company.processes, company.events).slas(
        target_share=0.9, censoring="kaplan_meier"
    )
    ct = km.cycle_times
    by_id = {p.sla.process_id: p for p in plain.plan().slas}
    for proposal in km.plan().slas:
        cases = ct.process == proposal.sla.process_id
        expected = _km_quantile_loop(ct.duration[cases].tolist(), ct.closed[cases].tolist(), 0.9)
        assert proposal.observed == pytest.approx(expected, rel=1e-12)
        # Open cases are the slow ones: counting them never makes today look faster.
        assert proposal.observed >= by_id[proposal.sla.process_id].observed
        assert proposal.attainment >= 0.9 - 1e-12


def test_censored_proposal_needs_enough_closed_cases():
    process, log = _tiny()
    # Of two cases one is open and older than the closed one: the 0.9 quantile is unreachable.
    programme = RedesignProgramme([process], log, observation_end="2024-01-10").key_processes(
        coverage=1.0
    )
    with pytest.warns(DegenerateDataWarning, match="too many cases are still open"):
        result = programme.slas(target_share=0.9, censoring="kaplan_meier")
    assert result.plan().slas == ()
    with pytest.raises(InvalidInputError, match=re.escape("`censoring` must be one of")):
        programme.slas(censoring="drop")
