"""CustomerTable construction, attributes, missing values and interop."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerTable


def test_defaults_and_read_only():
    table = CustomerTable.from_arrays(["a", "b"], attributes={"score": [1, 2]})
    assert table.name.tolist() == ["", ""]
    assert np.isnat(table.birth_date).all()
    assert table.lifecycle_stage.tolist() == ["identify", "identify"]
    for name in ("customer_id", "name", "email", "phone", "birth_date", "lifecycle_stage"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(table, name)[0] = getattr(table, name)[1]
    with pytest.raises(ValueError, match="read-only"):
        table.attributes["score"][0] = 5


def test_birth_dates_accept_missing_values():
    table = CustomerTable.from_arrays(
        ["a", "b", "c", "d"], birth_date=["1980-01-02", "", None, dt.date(1990, 5, 6)]
    )
    assert table.birth_date.dtype == np.dtype("datetime64[D]")
    assert [str(d) for d in table.birth_date] == ["1980-01-02", "NaT", "NaT", "1990-05-06"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"customer_id": ["a", "a"]}, r"`customer_id` must hold unique ids \(index 1: 'a'\)"),
        ({"customer_id": ["a", ""]}, r"`customer_id` must not hold empty strings \(index 1"),
        ({"name": ["x"]}, r"`name` must have the same length as `customer_id` \(1 != 2\)"),
        ({"lifecycle_stage": ["retain", "gone"]}, r"`lifecycle_stage` must be one of 'identify'"),
        (
            {"birth_date": ["1980-01-01", "someday"]},
            r"`birth_date` must hold ISO 8601 dates \(index 1",
        ),
        ({"attributes": {"name": ["x", "y"]}}, r"`attributes` keys must be new"),
        ({"attributes": {"region": ["x"]}}, r"`region` must have the same length"),
    ],
)
def test_rejects_bad_input(kwargs, match):
    args = {"customer_id": ["a", "b"], **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        CustomerTable.from_arrays(args.pop("customer_id"), **args)


def test_profiles_may_repeat_ids():
    table = CustomerTable.from_arrays(["a", "a"], unique_ids=False)
    assert len(table) == 2


def test_read_csv_extra_headers_become_attributes(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "customer_id,name,birth_date,lifecycle_stage,region\n"
        "C1,Ada,1980-02-29,Retain,north\nC2,,,identify,\n"
    )
    table = CustomerTable.read_csv(path)
    assert table.name.tolist() == ["Ada", ""]
    assert table.lifecycle_stage.tolist() == ["retain", "identify"]
    assert table.attributes["region"].tolist() == ["north", ""]
    path.write_text("customer_id,birth_date\nC1,1980-02-30\n")
    with pytest.raises(Exception, match="line 2") as info:
        CustomerTable.read_csv(path)
    assert info.value.column == "birth_date"


def test_records_and_pandas():
    table = CustomerTable.from_records(
        [{"customer_id": "a", "email": "a@x.example", "tier": "gold"}, {"customer_id": "b"}]
    )
    assert table.email.tolist() == ["a@x.example", ""]
    assert table.attributes["tier"].tolist() == ["gold", ""]
    with pytest.raises(InvalidInputError, match="record 1 must be a mapping with key"):
        CustomerTable.from_records([{"customer_id": "a"}, {"name": "b"}])
    pytest.importorskip("pandas")
    back = CustomerTable.from_pandas(table.to_pandas())
    assert back.attributes["tier"].tolist() == ["gold", ""]
    assert back.attributes["tier"].dtype.kind == "U"
    np.testing.assert_array_equal(back.birth_date, table.birth_date)


def test_customer_round_trip():
    from custcentric import domain

    items = [
        domain.Customer(id="a", name="Ada", birth_date="1980-01-02", lifecycle_stage="retain",
                        attributes={"vip": True, "region": "north"}),
        domain.Customer(id="b", attributes={"vip": False, "region": "south"}),
    ]  # fmt: skip
    table = CustomerTable.from_customers(items)
    assert [table.customer(i) for i in range(len(table))] == items
    assert CustomerTable.from_records(items).customer(1) == items[1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)).map(str),
            st.just(""),
            st.dates().map(lambda d: f"{d}T10:30"),
        ),
        max_size=12,
    )
)
def test_vectorised_birth_dates_match_a_per_item_parse(texts):
    # The text column is parsed in one numpy cast; the oracle parses one value at a time.
    table = CustomerTable.from_arrays(
        [f"c{i}" for i in range(len(texts))], birth_date=np.array(texts, dtype=str)
    )
    expected = [np.datetime64("NaT") if not t else np.datetime64(t, "D") for t in texts]
    assert [str(d) for d in table.birth_date] == [str(d) for d in expected]


def test_a_bad_date_among_text_dates_is_named_by_index():
    with pytest.raises(
        InvalidInputError, match=r"`birth_date` must hold ISO 8601 dates \(index 2: '1980-02-30'\)"
    ):
        CustomerTable.from_arrays(
            ["a", "b", "c"], birth_date=np.array(["1980-01-01", "", "1980-02-30"])
        )
