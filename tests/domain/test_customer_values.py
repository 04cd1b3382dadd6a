"""Customer, Transaction and Interaction: round trips, checks, immutability, table interop."""

from __future__ import annotations

import datetime as dt
import json
import re

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.domain import (
    Channel,
    Customer,
    Direction,
    Interaction,
    InteractionKind,
    LifecycleStage,
    Outcome,
    Transaction,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerTable, InteractionLog, TransactionLog

# ---------------------------------------------------------------------------------------------
# Strategies

texts = st.text(min_size=1, max_size=12).filter(str.strip)
optional_texts = st.none() | texts
seconds = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
# The same instant given as a datetime64, a naive datetime or an ISO string.
timestamps = seconds.flatmap(lambda d: st.sampled_from([np.datetime64(d, "s"), d, d.isoformat()]))
birth_dates = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31))
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
scalars = texts | st.booleans() | st.integers(-(2**53), 2**53) | finite_floats
attributes = st.dictionaries(texts, scalars, max_size=4)
channel_ids = st.dictionaries(st.sampled_from(Channel), texts, max_size=3)
amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False)


@st.composite
def customers(draw, with_channel_ids=True):
    return Customer(
        id=draw(texts),
        name=draw(optional_texts),
        email=draw(optional_texts),
        phone=draw(optional_texts),
        birth_date=draw(birth_dates),
        channel_ids=draw(channel_ids) if with_channel_ids else {},
        lifecycle_stage=draw(st.sampled_from(LifecycleStage)),
        attributes=draw(attributes),
    )


transactions = st.builds(Transaction, customer_id=texts, timestamp=timestamps, amount=amounts)
interactions = st.builds(
    Interaction,
    customer_id=texts,
    timestamp=timestamps,
    channel=st.sampled_from(Channel),
    direction=st.sampled_from(Direction),
    kind=st.sampled_from(InteractionKind),
    outcome=st.none() | st.sampled_from(Outcome),
)
values = customers() | transactions | interactions


def through_json(value):
    return json.loads(json.dumps(value.to_dict()))


TS = "2025-03-01T09:30"


def txn(**changes):
    return Transaction(**{"customer_id": "c-1", "timestamp": TS, "amount": 1.0, **changes})


def contact(**changes):
    base = {
        "customer_id": "c-1",
        "timestamp": TS,
        "channel": "web",
        "direction": "inbound",
        "kind": "inquiry",
    }
    return Interaction(**{**base, **changes})


# ---------------------------------------------------------------------------------------------
# Round trips


@given(values)
def test_dict_round_trip(value):
    assert type(value).from_dict(value.to_dict()) == value


@given(values)
def test_json_round_trip(value):
    assert type(value).from_dict(through_json(value)) == value


@given(values)
def test_to_dict_carries_schema_version(value):
    assert value.to_dict()["schema_version"] == 1


def test_to_dict_is_plain_data():
    c = Customer(id="c", birth_date="1990-04-02", channel_ids={"EMAIL": "e"}, attributes={"a": 1})
    assert c.to_dict() == {
        "schema_version": 1,
        "id": "c",
        "name": None,
        "email": None,
        "phone": None,
        "birth_date": "1990-04-02",
        "channel_ids": {"email": "e"},
        "lifecycle_stage": "identify",
        "attributes": {"a": 1},
    }


def test_timestamp_forms_agree():
    forms = [TS, dt.datetime(2025, 3, 1, 9, 30), np.datetime64(TS), np.datetime64(TS, "ms")]
    assert len({txn(timestamp=f) for f in forms}) == 1
    assert txn(timestamp=TS).timestamp.dtype == np.dtype("datetime64[s]")


def test_birth_date_forms_agree():
    forms = ["1990-04-02", dt.date(1990, 4, 2), np.datetime64("1990-04-02")]
    assert {Customer(id="c", birth_date=f).birth_date for f in forms} == {dt.date(1990, 4, 2)}


def test_empty_optional_text_means_none():
    assert Customer(id="c", name="", email="", phone="", birth_date="").name is None
    assert Customer(id="c", birth_date="").birth_date is None


def test_enums_accept_any_case():
    i = contact(channel="PHONE", direction="Outbound", kind="SERVICE_REQUEST", outcome="Pending")
    assert (i.channel, i.direction, i.kind, i.outcome) == (
        Channel.PHONE,
        Direction.OUTBOUND,
        InteractionKind.SERVICE_REQUEST,
        Outcome.PENDING,
    )


# ---------------------------------------------------------------------------------------------
# Validation messages


def test_invalid_input_error_is_value_error():
    assert issubclass(InvalidInputError, ValueError)
    with pytest.raises(ValueError):  # noqa: PT011 - the point is the builtin base class
        Customer(id="")


@pytest.mark.parametrize("bad", ["", "   ", None, 3])
def test_customer_rejects_empty_or_non_string_id(bad):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`id` must be a non-empty string (got {bad!r}).")
    ):
        Customer(id=bad)


@pytest.mark.parametrize("field", ["name", "email", "phone"])
def test_customer_rejects_non_string_contact(field):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`{field}` must be a string or None (got 3).")
    ):
        Customer(id="c", **{field: 3})


def test_customer_rejects_unknown_lifecycle_stage():
    msg = "`lifecycle_stage` must be one of 'identify', 'select', 'convert', 'develop', 'retain', 'lapsed' (got 'gone')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Customer(id="c", lifecycle_stage="gone")


def test_birth_date_rejects_datetime():
    value = dt.datetime(1990, 4, 2)
    msg = f"`birth_date` must be a date, not a datetime (got {value!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Customer(id="c", birth_date=value)


@pytest.mark.parametrize(
    "bad",
    [
        "02/04/1990",
        "1990-13-01",
        "someday",
        19900402,
        "1990-04",
        "1990",
        "1990-04-02T00:00",
    ],
)
def test_birth_date_rejects_non_iso_text(bad):
    msg = f"`birth_date` must be a date, an ISO 8601 'YYYY-MM-DD' string or None (got {bad!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Customer(id="c", birth_date=bad)


@pytest.mark.parametrize("bad", [[1], {"a": 1}, None, float("nan"), float("inf")])
def test_attributes_reject_non_scalar_or_non_finite(bad):
    msg = "`attributes['x']` must be a string, bool, integer or finite float"
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Customer(id="c", attributes={"x": bad})


def test_attributes_reject_empty_key_and_non_mapping():
    with pytest.raises(
        InvalidInputError, match=re.escape("`attributes` keys must be non-empty strings (got '').")
    ):
        Customer(id="c", attributes={"": 1})
    with pytest.raises(
        InvalidInputError, match=re.escape("`attributes` must be a mapping (got [1]).")
    ):
        Customer(id="c", attributes=[1])


def test_attributes_unwrap_numpy_scalars():
    c = Customer(id="c", attributes={"n": np.int64(3), "f": np.float64(0.5), "b": np.bool_(True)})
    assert c.attributes == {"n": 3, "f": 0.5, "b": True}
    assert type(c.attributes["n"]) is int


def test_channel_ids_reject_empty_id():
    msg = "`channel_ids['web']` must be a non-empty string (got '')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Customer(id="c", channel_ids={"web": ""})


def test_channel_ids_reject_unknown_channel():
    with pytest.raises(
        InvalidInputError, match=re.escape("`channel_ids` must be one of 'web', 'email'")
    ):
        Customer(id="c", channel_ids={"fax": "x"})


def test_channel_ids_keys_become_channels():
    assert dict(Customer(id="c", channel_ids={"WEB": "u-1"}).channel_ids) == {Channel.WEB: "u-1"}


@pytest.mark.parametrize(
    ("amount", "got"),
    [(float("nan"), "must be finite (got nan)"), (float("inf"), "must be finite (got inf)"),
     (-1, "must lie in [0, inf] (got -1)"), (True, "must be a real number (got True)"),
     (np.bool_(False), "must be a real number (got False)")],
)  # fmt: skip
def test_transaction_rejects_bad_amount(amount, got):
    with pytest.raises(InvalidInputError, match=re.escape(f"`amount` {got}.")):
        txn(amount=amount)


def test_transaction_accepts_zero_and_integer_amount():
    assert txn(amount=0).amount == 0.0
    assert isinstance(txn(amount=3).amount, float)


def test_transaction_rejects_empty_customer_id():
    with pytest.raises(
        InvalidInputError, match=re.escape("`customer_id` must be a non-empty string (got '').")
    ):
        txn(customer_id="")


def test_timestamp_rejects_tz_aware_datetime():
    value = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    msg = f"`timestamp` must be a naive datetime (got {value!r}); convert it to UTC first."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        txn(timestamp=value)


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-01T09:30:00.5",
        np.datetime64("2025-03-01T09:30:00.001"),
        dt.datetime(2025, 3, 1, 9, 30, 0, 7),
    ],
)
def test_timestamp_rejects_sub_second(value):
    with pytest.raises(
        InvalidInputError, match=re.escape("`timestamp` must be a whole number of seconds (got ")
    ):
        txn(timestamp=value)


@pytest.mark.parametrize("value", ["NaT", np.datetime64("NaT")])
def test_timestamp_rejects_nat(value):
    with pytest.raises(InvalidInputError, match=re.escape("`timestamp` must not be missing (got ")):
        txn(timestamp=value)


@pytest.mark.parametrize("value", ["garbage", 5, None, 1.5])
def test_timestamp_rejects_non_time(value):
    msg = f"`timestamp` must be a datetime64, datetime or ISO 8601 string (got {value!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        txn(timestamp=value)


@pytest.mark.parametrize(
    ("field", "options"),
    [("channel", "'web', 'email', 'phone', 'store', 'app', 'sms', 'chat', 'social', 'mail'"),
     ("direction", "'inbound', 'outbound'"),
     ("kind", "'inquiry', 'complaint', 'compliment', 'idea', 'service_request', 'order', "
              "'offer', 'reminder', 'greeting', 'survey', 'other'"),
     ("outcome", "'resolved', 'unresolved', 'responded', 'no_response', 'converted', "
                 "'declined', 'pending'")],
)  # fmt: skip
def test_interaction_rejects_unknown_enum(field, options):
    msg = f"`{field}` must be one of {options} (got 'fax')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        contact(**{field: "fax"})


@pytest.mark.parametrize("cls", [Customer, Transaction, Interaction])
def test_from_dict_rejects_unknown_key(cls):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"{cls.__name__} has no field 'colour' (fields: ")
    ):
        cls.from_dict({"customer_id": "c", "id": "c", "colour": "red"})


@pytest.mark.parametrize("cls", [Customer, Transaction, Interaction])
def test_from_dict_rejects_other_schema_version(cls):
    msg = f"`schema_version` must be 1 for {cls.__name__} (got 2)."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        cls.from_dict({"schema_version": 2, "id": "c"})


@pytest.mark.parametrize("cls", [Customer, Transaction, Interaction])
def test_from_dict_rejects_non_mapping(cls):
    msg = f"`data` must be a mapping for {cls.__name__}.from_dict (got ['c'])."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        cls.from_dict(["c"])


def test_from_dict_schema_version_may_be_left_out():
    assert Transaction.from_dict({"customer_id": "c-1", "timestamp": TS, "amount": 1.0}) == txn()


# ---------------------------------------------------------------------------------------------
# Frozen, evolve, hash


@given(values)
def test_values_are_frozen(value):
    name = attrs.fields(type(value))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, name, "x")


def test_evolve_revalidates():
    with pytest.raises(InvalidInputError, match=re.escape("`amount` must be finite (got nan).")):
        attrs.evolve(txn(), amount=float("nan"))
    with pytest.raises(InvalidInputError, match=re.escape("`channel` must be one of 'web'")):
        attrs.evolve(contact(), channel="fax")
    with pytest.raises(
        InvalidInputError, match=re.escape("`channel_ids['sms']` must be a non-empty")
    ):
        attrs.evolve(Customer(id="c"), channel_ids={"sms": " "})
    assert (
        attrs.evolve(Customer(id="c"), lifecycle_stage="RETAIN").lifecycle_stage
        is LifecycleStage.RETAIN
    )


def test_mappings_are_read_only():
    c = Customer(id="c", attributes={"a": 1}, channel_ids={"web": "u"})
    with pytest.raises(TypeError):
        c.attributes["a"] = 2  # type: ignore[index]
    with pytest.raises(TypeError):
        c.channel_ids[Channel.WEB] = "v"  # type: ignore[index]


@given(values)
def test_equal_values_hash_equal(value):
    again = type(value).from_dict(through_json(value))
    assert hash(again) == hash(value)
    assert len({value, again}) == 1


def test_customer_with_mappings_is_hashable():
    a = Customer(id="c", attributes={"x": 1, "y": "z"}, channel_ids={"web": "u", "sms": "s"})
    b = Customer(id="c", attributes={"y": "z", "x": 1}, channel_ids={"sms": "s", "web": "u"})
    assert a == b
    assert hash(a) == hash(b)
    assert a != attrs.evolve(a, attributes={"x": 2})


# ---------------------------------------------------------------------------------------------
# Tables <-> domain

ids = st.text(alphabet="abcdefghij0123456789-", min_size=1, max_size=8).map(lambda s: "c" + s)
plain_text = st.none() | st.text(alphabet="abcdef xyz@.", min_size=1, max_size=8).filter(str.strip)
column_values = {
    "str": plain_text.filter(bool),
    "bool": st.booleans(),
    "int": st.integers(-(2**53), 2**53),
    "float": finite_floats,
}


@st.composite
def customer_batches(draw):
    kinds = draw(
        st.dictionaries(
            st.sampled_from(["k_a", "k_b", "k_c"]), st.sampled_from(list(column_values))
        )
    )
    unique_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    return [
        Customer(
            id=i,
            name=draw(plain_text),
            email=draw(plain_text),
            phone=draw(plain_text),
            birth_date=draw(birth_dates),
            lifecycle_stage=draw(st.sampled_from(LifecycleStage)),
            attributes={k: draw(column_values[kind]) for k, kind in kinds.items()},
        )
        for i in unique_ids
    ]


@given(customer_batches())
def test_customer_table_round_trip(items):
    table = CustomerTable.from_customers(items)
    assert [table.customer(i) for i in range(len(table))] == items


def test_customer_table_drops_channel_ids():
    c = Customer(id="c", channel_ids={"web": "u"})
    assert CustomerTable.from_customers([c]).customer(0) == attrs.evolve(c, channel_ids={})


@given(
    st.lists(
        st.builds(Transaction, customer_id=ids, timestamp=timestamps, amount=amounts),
        min_size=1,
        max_size=5,
    )
)
def test_transaction_log_round_trip(items):
    log = TransactionLog.from_records(items)
    assert [log.transaction(i) for i in range(len(items))] == items


@given(
    st.lists(
        st.builds(
            Interaction,
            customer_id=ids,
            timestamp=timestamps,
            channel=st.sampled_from(Channel),
            direction=st.sampled_from(Direction),
            kind=st.sampled_from(InteractionKind),
            outcome=st.none() | st.sampled_from(Outcome),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_interaction_log_round_trip(items):
    log = InteractionLog.from_records(items)
    assert [log.interaction(i) for i in range(len(items))] == items
