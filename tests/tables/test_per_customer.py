"""PerCustomer: ids travel with the numbers; checked on every construction; pandas round trip."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.tables import PerCustomer


def make() -> PerCustomer:
    return PerCustomer(
        customer_id=["c", "a", "b"], values=[3.0, 1.0, 2.0], name="clv", unit="currency"
    )


def test_numpy_sees_the_values_and_they_are_read_only() -> None:
    p = make()
    assert np.asarray(p) is p.values
    assert float(np.sum(p)) == p.total == 6.0
    with pytest.raises(ValueError, match="read-only"):
        p.values[0] = 9.0
    copy = np.array(p, dtype=np.float32)
    copy[0] = 9.0  # a requested copy is the caller's
    assert p.values[0] == 3.0


def test_select_by_ids_keeps_the_order_given_and_names_an_unknown_id() -> None:
    p = make()
    picked = p.select(["b", "c"])
    assert picked.customer_id.tolist() == ["b", "c"]
    assert picked.values.tolist() == [2.0, 3.0]
    with pytest.raises(InvalidInputError, match=r"ids of the customers \(index 1: 'z'\)"):
        p.select(["a", "z"])
    with pytest.raises(InvalidInputError, match="length 3"):
        p.select([True, False])


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"values": [1.0, float("nan"), 2.0]}, r"`values` must .*customer 1"),
        ({"values": [1.0, 2.0]}, "same length"),
        ({"customer_id": ["a", None, "b"]}, r"missing values \(index 1: None\)"),
    ],
)
def test_every_construction_is_checked(changes: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        attrs.evolve(make(), **changes)


def test_pandas_round_trip_is_indexed_by_customer_id() -> None:
    pytest.importorskip("pandas")
    series = make().to_pandas()
    assert series.index.name == "customer_id"
    assert series.name == "clv"
    assert series["a"] == 1.0
    back = PerCustomer.from_pandas(series, unit="currency")
    assert back.customer_id.tolist() == ["c", "a", "b"]
    assert back.values.tolist() == [3.0, 1.0, 2.0]


def test_to_dict_is_strict_json() -> None:
    import json

    text = json.dumps(make().to_dict(), allow_nan=False)
    assert json.loads(text)["customer_id"] == ["c", "a", "b"]
