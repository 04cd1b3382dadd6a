"""Scenario: construction checks naming the field, and the JSON round trip."""

from __future__ import annotations

import json

import pytest

from custcentric.domain import SLA
from custcentric.exceptions import InvalidInputError
from custcentric.simulate import (
    BehaviouralLinks,
    ContactCentre,
    CycleTime,
    Population,
    RetentionCampaign,
    Scenario,
    ServiceProcess,
    ServiceTiers,
    example_scenario,
)
from custcentric.value import BetaGeo, GammaGamma, ParetoNBD

MODEL = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")


def _sla(tiers=(), process="repair", sla_id="r48"):
    return SLA(
        id=sla_id,
        name="x",
        process_id=process,
        metric="cycle_time",
        target=48,
        time_unit="h",
        tiers=tiers,
        compensation={"fixed_per_breach": 10.0},
    )


def _process(**kw):
    args = {
        "process_id": "repair",
        "trigger": "purchase",
        "share": 0.1,
        "cycle_time": {"all": CycleTime(kind="lognormal", scale=30.0, shape=0.5)},
        "slas": [_sla()],
    }
    args.update(kw)
    return ServiceProcess(**args)


def _scenario(**kw):
    args = {
        "population": Population(
            purchase_model=MODEL, spend_model=GammaGamma(6.25, 3.74, 15.44), n_customers=100
        ),
        "horizon": 10,
    }
    args.update(kw)
    return Scenario(**args)


def test_round_trip_through_json_is_exact():
    scenario = example_scenario(n_customers=100).replace(
        "campaign",
        RetentionCampaign(
            period=2, top_share=0.1, cost_per_contact=1.0, dropout_multiplier=0.5, duration=3
        ),
    )
    data = json.loads(json.dumps(scenario.to_dict(), allow_nan=False))
    assert data["schema_version"] == 1
    assert Scenario.from_dict(data) == scenario


def test_unknown_and_missing_keys_are_refused_naming_the_key():
    data = _scenario().to_dict()
    with pytest.raises(InvalidInputError, match="has no field 'horizn'"):
        Scenario.from_dict({**data, "horizn": 3})
    missing = {k: v for k, v in data.items() if k != "horizon"}
    with pytest.raises(InvalidInputError, match="needs the field 'horizon'"):
        Scenario.from_dict(missing)
    with pytest.raises(InvalidInputError, match="schema_version"):
        Scenario.from_dict({**data, "schema_version": 99})
    nested = json.loads(json.dumps(data))
    nested["links"]["dropout_per_breech"] = 2.0
    with pytest.raises(InvalidInputError, match="'dropout_per_breech'"):
        Scenario.from_dict(nested)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (
            lambda: ContactCentre(
                contact_rate=-0.1, handle_time=60, agents=1, intervals_per_period=5
            ),
            "contact_rate",
        ),
        (
            lambda: Population(purchase_model=MODEL, n_customers=10, acquisition_per_period=-1),
            "acquisition_per_period",
        ),
        (lambda: _process(share=1.5), "share"),
        (
            lambda: RetentionCampaign(
                period=0, top_share=1.2, cost_per_contact=1, dropout_multiplier=0.5
            ),
            "top_share",
        ),
        (lambda: BehaviouralLinks(detractor_share_breached=-0.1), "detractor_share_breached"),
        (lambda: BehaviouralLinks(persistence=2), "persistence"),
        (lambda: ServiceTiers(names=["a", "b"], shares=[0.5, 0.6]), "shares"),
        (lambda: _scenario(processes=[_process(slas=[_sla(tiers=("gold",))])]), "processes"),
        (
            lambda: _scenario(
                processes=[_process(cycle_time={"gold": CycleTime(kind="gamma", scale=1, shape=1)})]
            ),
            "processes",
        ),
        (lambda: _process(slas=[_sla(process="other")]), "slas"),
        (
            lambda: _scenario(
                population=Population(
                    purchase_model=BetaGeo(1, 1, 1, 1, time_unit="D"), n_customers=5
                )
            ),
            "time_unit",
        ),
        (
            lambda: _scenario(
                contact_centre=ContactCentre(
                    contact_rate=0.1, handle_time=60, agents=1, intervals_per_period=200
                ),
                time_unit="W",
            ),
            "contact_centre.intervals_per_period",
        ),
        (
            lambda: _scenario(
                campaign=RetentionCampaign(
                    period=10, top_share=0.1, cost_per_contact=1, dropout_multiplier=0.5
                )
            ),
            "campaign.period",
        ),
        (lambda: _scenario(processes=[_process(trigger="contact")]), "contact_centre"),
        (lambda: _process(trigger="email"), "trigger"),
        (lambda: CycleTime(kind="weibull", scale=1, shape=1), "kind"),
        (
            lambda: _process(
                slas=[SLA(id="f", name="f", process_id="repair", metric="first_response", target=4)]
            ),
            "slas",
        ),
    ],
)
def test_bad_input_is_refused_on_construction_naming_the_field(build, field):
    with pytest.raises(InvalidInputError, match=f"`{field}"):
        build()


def test_replace_and_get_walk_paths():
    s = _scenario(processes=[_process()])
    assert s.replace("processes.0.share", 0.3).processes[0].share == 0.3
    assert s.get("processes.0.cycle_time.all.scale") == 30.0
    assert (
        s.replace("processes.0.cycle_time.all.scale", 10.0).get("processes.0.cycle_time.all.scale")
        == 10.0
    )
    assert s.replace("population.purchase_model.r", 0.5).population.purchase_model.r == 0.5
    with pytest.raises(InvalidInputError, match="`share`"):
        s.replace("processes.0.share", -1.0)


def test_any_supported_model_round_trips():
    s = _scenario(
        population=Population(
            purchase_model=ParetoNBD(0.55, 10.58, 0.61, 11.67, time_unit="W"), n_customers=5
        )
    )
    assert Scenario.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    bad = s.to_dict()
    bad["population"]["purchase_model"]["model"] = "Lifetimes"
    with pytest.raises(InvalidInputError, match="`purchase_model`"):
        Scenario.from_dict(bad)


def test_attainment_bands_are_refused_not_ignored():
    banded = SLA(
        id="d",
        name="d",
        process_id="repair",
        metric="cycle_time",
        target=72,
        compensation={"bands": [{"lower": 0.0, "upper": 0.9, "rate": 0.1}]},
    )
    with pytest.raises(InvalidInputError, match="attainment bands"):
        _process(slas=[banded])
