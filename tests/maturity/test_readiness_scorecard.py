"""readiness(), the CRM team check and the scorecard (seed 002)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.maturity import (
    CHARACTERISTICS,
    Measure,
    Scorecard,
    TeamMember,
    check_team,
    readiness,
)


def good_team(n_core: int = 10) -> list[TeamMember]:
    team = [TeamMember(name=f"biz{i}", expertise="organisational") for i in range(n_core - 2)]
    team += [
        TeamMember(name="dev", expertise=["technical"]),
        TeamMember(name="lead", expertise=("organisational", "technical")),
    ]
    team += [TeamMember(name="lawyer", expertise="organisational", fte=0.1, core=False)]
    return team


def test_seven_characteristics():
    assert len(CHARACTERISTICS) == 7


def test_team_check_passes_and_fails():
    assert check_team(good_team()).ok
    assert check_team(good_team(8)).ok
    assert check_team(good_team(12)).ok
    small = check_team(good_team(7))
    assert small.issues == ("7 full-time core members; a core team needs 8-12",)
    big = check_team(good_team(13))
    assert not big.size_ok
    no_tech = [m for m in good_team() if "technical" not in m.expertise]
    check = check_team(no_tech)
    assert not check.technical
    assert check.organisational
    assert "no full-time core member brings technical expertise" in check.issues
    part_time = [
        TeamMember(name=f"p{i}", expertise=["organisational", "technical"], fte=0.5)
        for i in range(10)
    ]
    check = check_team(part_time)
    assert check.n_core == 10
    assert check.n_core_full_time == 0


def test_readiness_scores_and_team():
    answers = {key: [5, 4] for key in CHARACTERISTICS}
    result = readiness(answers, team=good_team())
    assert result.ready
    assert result.index == pytest.approx((4.5 - 1) / 4)
    assert result.agreement["long_term_results"] == 1.0
    answers["long_term_results"] = 2
    weak = readiness(answers, team=check_team(good_team(5)))
    assert not weak.ready
    assert weak.weakest == ("long_term_results",)
    text = weak.summary()
    assert "[gap] long_term_results: 2.00 (0% agree)" in text
    assert "team: 5 full-time core members" in text
    assert weak.to_dict()["ready"] is False


def test_readiness_reports_every_problem():
    answers = dict.fromkeys(list(CHARACTERISTICS)[:5], 4)
    answers["customer_value_focus"] = [4, 9]
    answers["astrology"] = 5
    with pytest.raises(InvalidInputError) as info:
        readiness(answers)
    text = str(info.value)
    assert text.startswith("`scores` has 4 problem(s):")
    assert "characteristic 'training_and_culture' has no answers" in text
    assert "characteristic 'internal_champions' has no answers" in text
    assert "unknown characteristic 'astrology'" in text
    assert "characteristic 'customer_value_focus': answer 9.0 (index 1) is outside [1, 5]" in text
    with pytest.raises(InvalidInputError, match=r"`scale` must be a pair of whole numbers"):
        readiness({}, scale=(5, 1))
    with pytest.raises(InvalidInputError, match=r"`expertise` must name one or both"):
        TeamMember(name="x", expertise="magic")
    with pytest.raises(InvalidInputError, match=r"`fte` must lie in \(0, 1\]"):
        TeamMember(name="x", expertise="technical", fte=1.5)
    with pytest.raises(
        InvalidInputError, match=r"`members` must hold TeamMember values \(index 0: str\)"
    ):
        check_team(["bob"])


def test_scorecard_separates_and_flags():
    card = Scorecard(
        measures=[
            Measure(name="service_cost", target=4.0, actual=3.5),
            Measure(name="sales_productivity", target=10, actual=12),
            {"name": "retention", "target": 0.85, "actual": 0.80},
            Measure(
                name="complaints_per_1000",
                kind="effectiveness",
                higher_is_better=False,
                target=5,
                actual=4,
            ),
        ]
    )
    assert [m.name for m in card.efficiency] == ["service_cost", "sales_productivity"]
    assert [m.name for m in card.effectiveness] == ["retention", "complaints_per_1000"]
    assert not card.efficiency_only
    assert card.attainment() == {
        "service_cost": True,
        "sales_productivity": True,
        "retention": False,
        "complaints_per_1000": True,
    }
    assert card.flags == ()
    assert Scorecard.from_dict(card.to_dict()) == card
    text = card.summary()
    assert text.index("effectiveness:") < text.index("efficiency:")
    assert "retention: target 0.85, actual 0.8 (missed)" in text


def test_efficiency_only_programme_is_flagged():
    card = Scorecard(
        measures=[
            Measure(name="mailing_cost", target=1.0, actual=0.9),
            Measure(name="cost_per_contact", target=3),
        ]
    )
    assert card.efficiency_only
    assert card.flags[0].startswith("measured by efficiency alone")
    assert card.flags[1] == "no actual value yet for cost_per_contact"
    assert "(none)" in card.summary()
    lopsided = Scorecard(
        measures=[
            Measure(name="service_cost", target=4, actual=3),
            Measure(name="revenue", target=10, actual=8),
        ]
    )
    assert lopsided.flags == ("efficiency targets met while every effectiveness target is missed",)


def test_scorecard_errors():
    with pytest.raises(
        InvalidInputError,
        match=r"`kind` must be one of 'efficiency', 'effectiveness' for measure 'x'",
    ):
        Measure(name="x", target=1)
    with pytest.raises(
        InvalidInputError, match=r"`measures` must have unique names \(repeated: 'nps'\)"
    ):
        Scorecard(measures=[Measure(name="nps", target=1), Measure(name="nps", target=2)])
    with pytest.raises(InvalidInputError, match=r"`target` must be a real number"):
        Measure(name="nps", target="high")
    with pytest.raises(InvalidInputError, match=r"`name` must be a non-empty string"):
        Measure(name="", target=1, kind="efficiency")


@settings(max_examples=50, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {key: st.lists(st.integers(1, 5), min_size=1, max_size=6) for key in CHARACTERISTICS}
    )
)
def test_readiness_index_is_in_unit_interval(answers):
    result = readiness(answers)
    assert 0.0 <= result.index <= 1.0
    assert result.ready == all(sum(v) / len(v) >= 4 for v in answers.values())
    assert set(result.weakest) == {k for k, v in answers.items() if sum(v) / len(v) < 4}


def test_an_empty_scorecard_is_not_called_efficiency_only():
    # It used to be flagged "measured by efficiency alone" with no efficiency measure at all.
    card = Scorecard(measures=[])
    assert not card.efficiency_only
    assert card.flags == (
        "no measures: add effectiveness measures such as retention, brand perception, "
        "revenue or satisfaction",
    )


def test_scorecard_from_bad_dicts_names_the_measure():
    # These used to escape as bare TypeErrors from Measure(**item).
    with pytest.raises(
        InvalidInputError,
        match=r"`measures` must hold valid measures \(measure 0: missing field 'target'\)",
    ):
        Scorecard.from_dict({"measures": [{"name": "retention"}]})
    with pytest.raises(InvalidInputError, match=r"\(measure 1: unknown field 'colour'\)"):
        Scorecard.from_dict(
            {
                "measures": [
                    {"name": "nps", "target": 1},
                    {"name": "revenue", "target": 2, "colour": 1},
                ]
            }
        )
    with pytest.raises(
        InvalidInputError, match=r"`measures` must hold Measure values or dicts \(measure 0: 3\)"
    ):
        Scorecard(measures=[3])
    with pytest.raises(
        InvalidInputError, match=r"`measures` must be a sequence of measures \(got str\)"
    ):
        Scorecard.from_dict({"measures": "retention"})
