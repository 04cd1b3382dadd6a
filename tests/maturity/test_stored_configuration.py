"""Maturity configuration users keep in files: catalogue, scorecard measures, team members.

Each has ``to_dict`` with a ``schema_version`` and ``from_dict`` that gives back an equal value
and refuses an unknown key by name (a misspelt field is never silently dropped).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.maturity import Catalogue, Measure, Scorecard, TeamMember, default_catalogue


def _trip(data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(data, allow_nan=False))
    return loaded


def test_the_default_catalogue_survives_a_trip_through_json() -> None:
    catalogue = default_catalogue()
    back = Catalogue.from_dict(_trip(catalogue.to_dict()))
    assert back == catalogue
    assert back.to_dict() == catalogue.to_dict()
    assert back.to_dict()["schema_version"] == 1


def test_an_unknown_catalogue_key_is_named() -> None:
    data = default_catalogue().to_dict()
    data["colour"] = "blue"
    with pytest.raises(InvalidInputError, match=r"unknown key 'colour' at the top level"):
        Catalogue.from_dict(data)


def test_a_catalogue_has_its_three_faces() -> None:
    catalogue = default_catalogue()
    frame = catalogue.to_pandas()
    assert len(frame) == len(catalogue)
    assert frame["id"].tolist() == list(catalogue.ids)
    assert str(catalogue) == catalogue.summary()
    assert str(catalogue).startswith("Catalogue('custcentric default capability catalogue' v1.0.0")


@pytest.mark.parametrize(
    "measure",
    [
        Measure(name="retention", target=0.85, actual=0.8),
        Measure(name="queue_minutes", target=3.0, kind="efficiency", higher_is_better=False),
        Measure(name="nps", target=30.0, actual=None, unit="points"),
    ],
    ids=["known", "custom", "open"],
)
def test_measures_round_trip(measure: Measure) -> None:
    data = measure.to_dict()
    assert data["schema_version"] == 1
    assert Measure.from_dict(_trip(data)) == measure


def test_measure_from_dict_refuses_unknown_keys_and_versions() -> None:
    with pytest.raises(InvalidInputError, match=r"Measure has no field 'goal'"):
        Measure.from_dict({"name": "retention", "target": 0.8, "goal": 0.9})
    with pytest.raises(InvalidInputError, match=r"`schema_version` must be 1"):
        Measure.from_dict({"schema_version": 7, "name": "retention", "target": 0.8})


def test_the_scorecard_layout_is_unchanged() -> None:
    card = Scorecard(measures=[Measure(name="service_cost", target=4.0, actual=3.5)])
    assert card.to_dict() == {
        "measures": [
            {
                "name": "service_cost",
                "target": 4.0,
                "actual": 3.5,
                "kind": "efficiency",
                "higher_is_better": False,
                "unit": "",
            }
        ]
    }
    assert Scorecard.from_dict(_trip(card.to_dict())) == card
    assert card.to_pandas()["met"].tolist() == [True]


@pytest.mark.parametrize(
    "member",
    [
        TeamMember(name="Ana", expertise=["technical", "organisational"], fte=0.5),
        TeamMember(name="Bo", expertise="technical", core=False),
    ],
    ids=["core", "network"],
)
def test_team_members_round_trip(member: TeamMember) -> None:
    data = member.to_dict()
    assert data["schema_version"] == 1
    assert TeamMember.from_dict(_trip(data)) == member


def test_team_member_from_dict_refuses_unknown_keys_and_bad_values() -> None:
    with pytest.raises(InvalidInputError, match=r"TeamMember has no field 'role'"):
        TeamMember.from_dict({"name": "Bo", "expertise": "technical", "role": "lead"})
    with pytest.raises(InvalidInputError, match=r"`fte` must"):
        TeamMember.from_dict({"name": "Bo", "expertise": "technical", "fte": 2})
    with pytest.raises(InvalidInputError, match=r"`expertise` must name"):
        TeamMember.from_dict({"name": "Bo", "expertise": ["legal"]})


def test_text_faces_of_the_configuration_values() -> None:
    assert str(TeamMember(name="Ana", expertise="technical", fte=0.5)) == (
        "Ana (technical; 0.5 FTE, core)"
    )
    assert str(Measure(name="retention", target=0.85, actual=0.9)) == (
        "retention: target 0.85, actual 0.9 (met)"
    )


def test_an_assessment_whose_parts_disagree_is_refused_naming_the_field() -> None:
    from custcentric.maturity import Assessment, assess

    data = assess(default_catalogue(), {"sales": {"insight-01": 3, "insight-02": 2}}).to_dict()
    for key, value, match in [
        ("areas", data["areas"][:-1], r"`areas` must have one entry per capability"),
        ("names", [], r"`names` must have one entry per capability"),
        ("levels", [[v] for v in data["levels"]], r"`levels` must have shape \(2,\)"),
        ("raters", [], r"`raters`, `capability_ids` and the level arrays must agree"),
        ("capability_ids", [[c] for c in data["capability_ids"]], r"one text per entry"),
    ]:
        with pytest.raises(InvalidInputError, match=match):
            Assessment.from_dict({**data, key: value})


@pytest.mark.parametrize(
    ("capabilities", "match"),
    [
        (None, r"`capabilities` must be a sequence of Capability values"),
        ([[1, 2]], r"`capabilities` must hold Capability values \(index 0: "),
        ((), r"`capabilities` must hold at least one capability"),
    ],
)
def test_a_catalogue_refuses_what_is_not_capabilities(capabilities: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        Catalogue(
            name="x",
            version="1",
            capabilities=capabilities,  # type: ignore[arg-type]
            required_at=(),
            depends_on=(),
        )


def test_an_assessment_built_directly_checks_its_rater_rows() -> None:
    import attrs

    result = assess_two()
    with pytest.raises(InvalidInputError, match=r"`rater_levels` must have shape \(0, 2\)"):
        attrs.evolve(result, raters=())


def assess_two() -> Any:
    from custcentric.maturity import assess

    return assess(default_catalogue(), {"sales": {"insight-01": 3, "insight-02": 2}})
