"""IDIC configuration values go through JSON and back unchanged, with a schema version."""

from __future__ import annotations

import json

import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.idic import (
    TRIGGERS,
    Birthday,
    ContactPolicy,
    FrequencyCap,
    Inactivity,
    LifeEvent,
    trigger_from_dict,
)

VALUES = [
    FrequencyCap(max_contacts=2, days=7, channel="email"),
    FrequencyCap(max_contacts=1, days=30),
    ContactPolicy(),
    ContactPolicy(
        caps=[FrequencyCap(max_contacts=1, days=7, channel="phone")],
        min_gap_days=2.5,
        quiet_hours=(21, 8),
        consent_kinds=("offer", "greeting"),
    ),
    Birthday(lead_days=3, channel="sms"),
    LifeEvent("new_baby", lag_days=14),
    Inactivity(90, channel="phone"),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_round_trip_through_json(value: object) -> None:
    data = value.to_dict()  # type: ignore[attr-defined]
    assert data["schema_version"] == 1
    back = type(value).from_dict(json.loads(json.dumps(data, allow_nan=False)))  # type: ignore[attr-defined]
    assert back == value


@pytest.mark.parametrize("trigger", VALUES[4:], ids=lambda v: type(v).__name__)
def test_any_trigger_comes_back_by_its_name(trigger: object) -> None:
    data = json.loads(json.dumps(trigger.to_dict()))  # type: ignore[attr-defined]
    assert TRIGGERS[data["trigger"]] is type(trigger)
    assert trigger_from_dict(data) == trigger


def test_wrong_or_unknown_trigger_names_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="`trigger` must be one of 'birthday'"):
        trigger_from_dict({"trigger": "anniversary"})
    with pytest.raises(InvalidInputError, match="`trigger` must be 'birthday' for Birthday"):
        Birthday.from_dict({"trigger": "inactivity", "lead_days": 1})
    with pytest.raises(InvalidInputError, match="has no field 'lead'"):
        Birthday.from_dict({"lead": 1})
    with pytest.raises(InvalidInputError, match="`schema_version` must be 1"):
        ContactPolicy.from_dict({"schema_version": 2})
