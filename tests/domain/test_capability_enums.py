"""Capability and the closed vocabularies: lookup, messages, maturity ordering, lifecycle path."""

from __future__ import annotations

import json
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.domain import (
    Capability,
    CapabilityArea,
    Channel,
    Clock,
    Direction,
    InteractionKind,
    LifecycleStage,
    MaturityStage,
    Outcome,
    ProcessKind,
    SLAMetric,
)
from custcentric.exceptions import InvalidInputError

ENUMS = [
    CapabilityArea,
    Channel,
    Clock,
    Direction,
    InteractionKind,
    LifecycleStage,
    MaturityStage,
    Outcome,
    ProcessKind,
    SLAMetric,
]
# The argument name each enum's own message uses.
NAMES = {
    CapabilityArea: "capability_area",
    Channel: "channel",
    Clock: "clock",
    Direction: "direction",
    InteractionKind: "interaction_kind",
    LifecycleStage: "lifecycle_stage",
    MaturityStage: "maturity_stage",
    Outcome: "outcome",
    ProcessKind: "process_kind",
    SLAMetric: "sla_metric",
}
members = st.sampled_from([m for e in ENUMS for m in e])

texts = st.text(min_size=1, max_size=12).filter(str.strip)
capabilities = st.builds(
    Capability,
    id=texts,
    area=st.sampled_from(CapabilityArea),
    name=texts,
    descriptors=st.lists(texts, min_size=4, max_size=4),
)
DESCRIPTORS = ["None", "Internal targets only", "Published with compensation", "Automatic"]


def capability(**changes):
    base = {"id": "D8", "area": "customer_processes", "name": "SLAs", "descriptors": DESCRIPTORS}
    return Capability(**{**base, **changes})


# ---------------------------------------------------------------------------------------------
# Enums


@given(members, st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_lookup_by_value_or_name_in_any_case(member, change):
    enum_type = type(member)
    assert enum_type(change(member.value)) is member
    assert enum_type(change(member.name)) is member


@given(members)
def test_values_are_lower_case_strings(member):
    assert member.value == member.value.lower()
    assert member == member.value


@pytest.mark.parametrize(
    "enum_type",
    ENUMS,
)
def test_unknown_string_lists_options(enum_type):
    options = ", ".join(repr(m.value) for m in enum_type)
    msg = f"`{NAMES[enum_type]}` must be one of {options} (got 'bogus')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        enum_type("bogus")


@pytest.mark.parametrize("bad", [5, None, 1.5])
def test_non_string_raises_invalid_input(bad):
    with pytest.raises(
        InvalidInputError,
        match=re.escape("must be one of 'web', 'email'") + ".*" + re.escape(f"(got {bad!r})."),
    ):
        Channel(bad)


def test_maturity_stages_are_ordered():
    stages = list(MaturityStage)
    shuffled = [stages[2], stages[0], stages[3], stages[1]]
    assert sorted(shuffled) == stages
    assert (
        MaturityStage.PRODUCT_CENTRIC < MaturityStage.CUSTOMER_FOCUS < MaturityStage.CUSTOMER_VALUE
    )
    assert MaturityStage.CUSTOMER_VALUE < MaturityStage.CUSTOMER_CENTRIC
    assert MaturityStage.CUSTOMER_CENTRIC >= MaturityStage.CUSTOMER_CENTRIC
    assert not MaturityStage.CUSTOMER_FOCUS > MaturityStage.CUSTOMER_VALUE
    assert max(stages) is MaturityStage.CUSTOMER_CENTRIC


@given(st.sampled_from(MaturityStage), st.sampled_from(MaturityStage))
def test_maturity_order_follows_level(a, b):
    assert (a < b) == (a.level < b.level)
    assert (a <= b) == (a.level <= b.level)
    assert (a > b) == (a.level > b.level)
    assert (a >= b) == (a.level >= b.level)


def test_maturity_levels_and_from_level():
    assert [s.level for s in MaturityStage] == [1, 2, 3, 4]
    for stage in MaturityStage:
        assert MaturityStage.from_level(stage.level) is stage
    assert MaturityStage.from_level(4) is MaturityStage.CUSTOMER_CENTRIC


@pytest.mark.parametrize("bad", [0, 5, -1, True, 2.0, "2", None])
def test_from_level_rejects_bad_level(bad):
    msg = f"`level` must be an integer in [1, 4] (got {bad!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        MaturityStage.from_level(bad)


def test_maturity_stage_hashes_like_its_value():
    assert hash(MaturityStage.CUSTOMER_VALUE) == hash("customer_value")
    assert {MaturityStage.CUSTOMER_VALUE: 1}["customer_value"] == 1


def test_maturity_comparison_with_non_stage_is_refused():
    with pytest.raises(TypeError):
        _ = MaturityStage.CUSTOMER_VALUE < 3


def test_lifecycle_path():
    path = LifecycleStage.path()
    assert [s.value for s in path] == ["identify", "select", "convert", "develop", "retain"]
    assert LifecycleStage.LAPSED not in path
    assert set(path) | {LifecycleStage.LAPSED} == set(LifecycleStage)


# ---------------------------------------------------------------------------------------------
# Capability


@given(capabilities)
def test_capability_dict_round_trip(value):
    assert Capability.from_dict(value.to_dict()) == value


@given(capabilities)
def test_capability_json_round_trip(value):
    assert Capability.from_dict(json.loads(json.dumps(value.to_dict()))) == value


def test_capability_to_dict_keys_descriptors_by_stage():
    data = capability().to_dict()
    assert data["descriptors"] == {
        "product_centric": "None",
        "customer_focus": "Internal targets only",
        "customer_value": "Published with compensation",
        "customer_centric": "Automatic",
    }
    assert data["area"] == "customer_processes"
    assert data["schema_version"] == 1


def test_capability_descriptor_lookup():
    cap = capability()
    assert cap.descriptors == tuple(DESCRIPTORS)
    assert cap.descriptor(MaturityStage.CUSTOMER_VALUE) == "Published with compensation"
    assert cap.descriptor("CUSTOMER_FOCUS") == "Internal targets only"
    with pytest.raises(
        InvalidInputError, match=re.escape("`stage` must be one of 'product_centric'")
    ):
        cap.descriptor("best")


def test_capability_mapping_in_any_order_equals_sequence():
    mapping = dict(
        zip(reversed([s.value for s in MaturityStage]), reversed(DESCRIPTORS), strict=True)
    )
    assert capability(descriptors=mapping) == capability()


def test_capability_rejects_three_descriptors():
    msg = "`descriptors` must hold one text per maturity stage, 4 in all (got 3)."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        capability(descriptors=DESCRIPTORS[:3])


def test_capability_rejects_missing_stage():
    partial = {"product_centric": "a", "customer_focus": "b", "customer_centric": "d"}
    msg = "`descriptors` must describe every maturity stage (missing 'customer_value')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        capability(descriptors=partial)


def test_capability_rejects_unknown_stage_key():
    bad = {"product_centric": "a", "customer_focus": "b", "customer_value": "c", "best": "d"}
    with pytest.raises(
        InvalidInputError, match=re.escape("`descriptors` must be one of 'product_centric'")
    ):
        capability(descriptors=bad)


@pytest.mark.parametrize("bad", ["abcd", 4, None])
def test_capability_rejects_non_sequence_descriptors(bad):
    msg = f"`descriptors` must be a mapping of stage to text or a sequence of 4 (got {bad!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        capability(descriptors=bad)


def test_capability_rejects_empty_descriptor():
    msg = "`descriptors['customer_value']` must be a non-empty string (got '')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        capability(descriptors=["a", "b", "", "d"])


def test_capability_rejects_unknown_area_and_empty_id():
    with pytest.raises(
        InvalidInputError, match=re.escape("`area` must be one of 'strategy_leadership'")
    ):
        capability(area="marketing")
    with pytest.raises(
        InvalidInputError, match=re.escape("`id` must be a non-empty string (got '').")
    ):
        capability(id="")


def test_capability_from_dict_checks():
    with pytest.raises(
        InvalidInputError, match=re.escape("Capability has no field 'level' (fields: id, area")
    ):
        Capability.from_dict({**capability().to_dict(), "level": 2})
    with pytest.raises(
        InvalidInputError, match=re.escape("`schema_version` must be 1 for Capability (got 0).")
    ):
        Capability.from_dict({**capability().to_dict(), "schema_version": 0})
    with pytest.raises(
        InvalidInputError, match=re.escape("`data` must be a mapping for Capability.from_dict")
    ):
        Capability.from_dict(None)


def test_capability_frozen_evolve_hash():
    cap = capability()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cap.name = "x"  # type: ignore[misc]
    with pytest.raises(
        InvalidInputError, match=re.escape("`descriptors` must hold one text per maturity")
    ):
        attrs.evolve(cap, descriptors=["x"])
    assert hash(cap) == hash(Capability.from_dict(cap.to_dict()))
