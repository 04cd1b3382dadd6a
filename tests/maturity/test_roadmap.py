"""roadmap(): waves respect stages and prerequisites; impact and effort order a wave."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.maturity import assess, default_catalogue, roadmap


def test_waves_follow_stages_then_dependencies(make_catalogue):
    catalogue = make_catalogue(
        [
            ("id", [1, 2, 3, 4], []),
            ("value", [2, 3, 4], ["id"]),
            ("tiers", [2, 3, 4], ["value"]),
            ("cocreate", [3, 4], []),
        ]
    )
    result = assess(catalogue, {"r": {"id": 1, "value": 1, "tiers": 1, "cocreate": 1}})
    plan = roadmap(result, "customer_value")
    got = [(s.wave, s.capability_id, s.from_level, s.to_level) for s in plan.steps]
    assert got == [
        (1, "id", 1, 2),
        (2, "value", 1, 2),
        (3, "tiers", 1, 2),
        (4, "cocreate", 1, 3),
        (4, "id", 2, 3),
        (5, "value", 2, 3),
        (6, "tiers", 2, 3),
    ]
    assert plan.n_waves == 6
    assert [s.capability_id for s in plan.wave(4)] == ["cocreate", "id"]
    assert plan.steps[3].priority == 2.0  # a gap of two stages


def test_impact_and_effort_order_a_wave(make_catalogue):
    catalogue = make_catalogue([("a", [1, 2], []), ("b", [1, 2], []), ("c", [1, 2], [])])
    result = assess(catalogue, {"r": {"a": 1, "b": 1, "c": 1}})
    plan = roadmap(result, "customer_focus", impact={"c": 3.0}, effort={"a": 2.0})
    assert [s.capability_id for s in plan.steps] == ["c", "b", "a"]
    assert [s.priority for s in plan.steps] == [3.0, 1.0, 0.5]


@settings(max_examples=40, deadline=None)
@given(
    levels=st.fixed_dictionaries({cid: st.integers(1, 4) for cid in default_catalogue().ids[:40]}),
    target=st.sampled_from(["customer_focus", "customer_value", "customer_centric"]),
)
def test_roadmap_reaches_the_target_and_respects_prerequisites(levels, target):
    result = assess(default_catalogue(), {"r": levels})
    if result.level > {"customer_focus": 2, "customer_value": 3, "customer_centric": 4}[target]:
        return
    plan = roadmap(result, target)
    reached = dict(result.capability_levels())
    wave_of: dict[tuple[str, int], int] = {}
    previous = (0, 0)
    for step in plan.steps:
        assert step.from_level == reached[step.capability_id] < step.to_level
        reached[step.capability_id] = step.to_level
        wave_of[(step.capability_id, step.to_level)] = step.wave
        assert (step.to_level, step.wave) >= previous  # stages in order, waves non-decreasing
        previous = (step.to_level, step.wave)
    for cid, level in reached.items():
        for stage in default_catalogue().required_stages(cid):
            if stage.level <= plan.target_stage.level:
                assert level >= stage.level
    for (cid, level), wave in wave_of.items():
        for dep in default_catalogue().prerequisites(cid):
            if (dep, level) in wave_of:
                assert wave_of[(dep, level)] < wave


def test_company_roadmap(company):
    result = assess(default_catalogue(), company.maturity)
    plan = roadmap(result, "customer_value")
    first = [(s.wave, s.capability_id) for s in plan.steps[:3]]
    assert first == [(1, "proposition-01"), (1, "process-03"), (1, "interaction-03")]
    assert all(s.to_level == 2 for s in plan.wave(1))
    assert plan.to_pandas().shape == (len(plan.steps), 7)
    assert (
        plan.summary(max_steps=2)
        .splitlines()[0]
        .startswith("Roadmap product_centric -> customer_value")
    )
    assert plan.to_dict()["steps"][0]["capability_id"] == "proposition-01"
    assert roadmap(result, "product_centric").steps == ()


def test_roadmap_errors():
    result = assess(default_catalogue(), {"r": {"strategy-01": 3, "insight-02": 3}})
    assert result.level == 3
    with pytest.raises(
        InvalidInputError,
        match=r"`target_stage` must not be below the current stage \('customer_focus' < 'customer_value'\)",
    ):
        roadmap(result, "customer_focus")
    with pytest.raises(InvalidInputError) as info:
        roadmap(result, "customer_centric", impact={"Z": 1.0, "strategy-01": -2.0})
    text = str(info.value)
    assert text.startswith("`impact` has 2 problem(s):")
    assert "capability 'Z' is not in the assessment" in text
    assert "`impact['strategy-01']` must lie in (0, inf]" in text
    with pytest.raises(InvalidInputError, match=r"`effort` must be a mapping"):
        roadmap(result, "customer_centric", effort=[1, 2])
    with pytest.raises(InvalidInputError, match=r"`assessment` must be an Assessment"):
        roadmap("x", "customer_centric")
    with pytest.raises(InvalidInputError, match=r"`target_stage` must be one of .*\(got 5\)"):
        roadmap(result, 5)  # type: ignore[arg-type]
