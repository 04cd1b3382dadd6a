"""Segment, ProcessStep and CustomerProcess: round trips, checks, immutability."""

from __future__ import annotations

import json
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.domain import CustomerProcess, LifecycleStage, ProcessKind, ProcessStep, Segment
from custcentric.exceptions import InvalidInputError

# ---------------------------------------------------------------------------------------------
# Strategies

texts = st.text(min_size=1, max_size=12).filter(str.strip)
optional_texts = st.none() | texts

segments = st.builds(
    Segment,
    name=texts,
    tier_rank=st.integers(1, 1000),
    rule=st.text(max_size=20),
    service_tier=optional_texts,
)


@st.composite
def processes(draw):
    departments = draw(st.lists(texts, max_size=4, unique=True))
    step_ids = draw(st.lists(texts, max_size=5, unique=True))
    department = st.none() | st.sampled_from(departments) if departments else st.none()
    steps = [
        ProcessStep(
            id=i,
            name=draw(texts),
            department=draw(department),
            customer_facing=draw(st.booleans()),
        )
        for i in step_ids
    ]
    return CustomerProcess(
        id=draw(texts),
        name=draw(texts),
        kind=draw(st.sampled_from(ProcessKind)),
        lifecycle_stage=draw(st.sampled_from(LifecycleStage)),
        owner=draw(texts),
        departments=departments,
        partners=draw(st.lists(texts, max_size=3)),
        suppliers=draw(st.lists(texts, max_size=3)),
        steps=steps,
    )


steps = st.builds(
    ProcessStep, id=texts, name=texts, department=optional_texts, customer_facing=st.booleans()
)
values = segments | steps | processes()


def through_json(value):
    return json.loads(json.dumps(value.to_dict()))


def process(**changes):
    base = {
        "id": "o2d",
        "name": "Order to delivery",
        "kind": "horizontal",
        "lifecycle_stage": "convert",
        "owner": "Head of Fulfilment",
        "departments": ("sales", "logistics"),
        "steps": (
            {"id": "ordered", "name": "Order received", "department": "sales"},
            {"id": "delivered", "name": "Delivered", "department": "logistics"},
        ),
    }
    return CustomerProcess(**{**base, **changes})


# ---------------------------------------------------------------------------------------------
# Round trips


@given(values)
def test_dict_round_trip(value):
    assert type(value).from_dict(value.to_dict()) == value


@given(values)
def test_json_round_trip(value):
    assert type(value).from_dict(through_json(value)) == value


def test_process_to_dict_nests_steps_without_schema_version():
    data = process().to_dict()
    assert data["schema_version"] == 1
    assert data["departments"] == ["sales", "logistics"]
    assert data["steps"][0] == {
        "id": "ordered",
        "name": "Order received",
        "department": "sales",
        "customer_facing": True,
    }


def test_process_converts_lists_and_dicts():
    p = process()
    assert isinstance(p.departments, tuple)
    assert all(isinstance(s, ProcessStep) for s in p.steps)
    assert p.step_ids == ("ordered", "delivered")
    assert p.step("delivered").department == "logistics"
    assert p.kind is ProcessKind.HORIZONTAL


def test_segment_rule_none_means_empty():
    assert Segment(name="gold", tier_rank=1, rule=None).rule == ""


# ---------------------------------------------------------------------------------------------
# Validation messages


@pytest.mark.parametrize("bad", [0, -1, True, False, 1.0, "1", None])
def test_segment_rejects_bad_tier_rank(bad):
    msg = f"`tier_rank` must be an integer >= 1, 1 for the most valuable (got {bad!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Segment(name="gold", tier_rank=bad)


@pytest.mark.parametrize("bad", ["", " ", 7, None])
def test_segment_rejects_bad_name(bad):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`name` must be a non-empty string (got {bad!r}).")
    ):
        Segment(name=bad, tier_rank=1)


def test_segment_rejects_non_string_rule_and_tier():
    with pytest.raises(InvalidInputError, match=re.escape("`rule` must be a string (got 3).")):
        Segment(name="gold", tier_rank=1, rule=3)
    with pytest.raises(
        InvalidInputError, match=re.escape("`service_tier` must be a string or None (got 3).")
    ):
        Segment(name="gold", tier_rank=1, service_tier=3)


@pytest.mark.parametrize("field", ["id", "name", "owner"])
def test_process_rejects_empty_text(field):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`{field}` must be a non-empty string (got '').")
    ):
        process(**{field: ""})


def test_process_rejects_unknown_kind_and_stage():
    msg = "`kind` must be one of 'horizontal', 'vertical' (got 'diagonal')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process(kind="diagonal")
    msg = "`lifecycle_stage` must be one of 'identify', 'select', 'convert', 'develop', 'retain', 'lapsed' (got 'x')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process(lifecycle_stage="x")


def test_process_rejects_duplicate_step_ids():
    twice = ({"id": "s", "name": "a"}, {"id": "t", "name": "b"}, {"id": "s", "name": "c"})
    with pytest.raises(
        InvalidInputError, match=re.escape("`steps` must not repeat an id (index 2: 's').")
    ):
        process(steps=twice)


def test_process_rejects_duplicate_departments():
    msg = "`departments` must not repeat an id (index 1: 'sales')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process(departments=("sales", "sales"), steps=())


def test_process_rejects_step_department_not_listed():
    msg = "`steps` must name departments listed in `departments` (step 1: 'it' not in ['sales'])."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process(
            departments=["sales"],
            steps=[
                {"id": "a", "name": "A", "department": "sales"},
                {"id": "b", "name": "B", "department": "it"},
            ],
        )


@pytest.mark.parametrize(
    ("field", "bad", "msg"),
    [("departments", "sales", "`departments` must be a sequence (got 'sales')."),
     ("partners", None, "`partners` must be a sequence (got None)."),
     ("suppliers", [""], "`suppliers[0]` must be a non-empty string (got '')."),
     ("steps", [3], "`steps[0]` must be a ProcessStep or a mapping (got 3)."),
     ("steps", {"id": "a"}, "`steps` must be a sequence (got {'id': 'a'}).")],
)  # fmt: skip
def test_process_rejects_bad_sequences(field, bad, msg):
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process(**{field: bad})


def test_process_step_lookup_rejects_unknown_id():
    msg = "`step_id` must be a step of process 'o2d', one of ['ordered', 'delivered'] (got 'lost')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        process().step("lost")


@pytest.mark.parametrize("bad", [1, 0, "yes", None])
def test_step_rejects_non_bool_customer_facing(bad):
    msg = f"`customer_facing` must be True or False (got {bad!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        ProcessStep(id="s", name="S", customer_facing=bad)


def test_step_rejects_empty_id():
    with pytest.raises(
        InvalidInputError, match=re.escape("`id` must be a non-empty string (got '').")
    ):
        ProcessStep(id="", name="S")


def test_nested_step_dict_with_unknown_key_is_refused():
    with pytest.raises(
        InvalidInputError, match=re.escape("ProcessStep has no field 'owner' (fields: id, name")
    ):
        process(steps=[{"id": "a", "name": "A", "owner": "x"}])


@pytest.mark.parametrize("cls", [Segment, ProcessStep, CustomerProcess])
def test_from_dict_rejects_unknown_key(cls):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"{cls.__name__} has no field 'colour' (fields: ")
    ):
        cls.from_dict({"name": "x", "colour": "red"})


@pytest.mark.parametrize("cls", [Segment, ProcessStep, CustomerProcess])
def test_from_dict_rejects_other_schema_version(cls):
    with pytest.raises(
        InvalidInputError,
        match=re.escape(f"`schema_version` must be 1 for {cls.__name__} (got '1')."),
    ):
        cls.from_dict({"schema_version": "1", "name": "x"})


@pytest.mark.parametrize("cls", [Segment, ProcessStep, CustomerProcess])
def test_from_dict_rejects_non_mapping(cls):
    with pytest.raises(
        InvalidInputError,
        match=re.escape(f"`data` must be a mapping for {cls.__name__}.from_dict (got 'x')."),
    ):
        cls.from_dict("x")


# ---------------------------------------------------------------------------------------------
# Frozen, evolve, hash


@given(values)
def test_values_are_frozen(value):
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        value.name = "changed"


def test_evolve_revalidates():
    gold = Segment(name="gold", tier_rank=1)
    assert attrs.evolve(gold, tier_rank=2).tier_rank == 2
    with pytest.raises(InvalidInputError, match=re.escape("`tier_rank` must be an integer >= 1")):
        attrs.evolve(gold, tier_rank=0)
    with pytest.raises(
        InvalidInputError, match=re.escape("`steps` must name departments listed in `departments`")
    ):
        attrs.evolve(process(), departments=("sales",))


@given(values)
def test_equal_values_hash_equal(value):
    again = type(value).from_dict(through_json(value))
    assert hash(again) == hash(value)
    assert len({value, again}) == 1
