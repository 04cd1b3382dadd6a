"""TransactionLog construction, validation, read-only arrays and interop."""

from __future__ import annotations

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.tables import TransactionLog


def test_from_arrays_keeps_order_and_dtypes():
    log = TransactionLog.from_arrays([3, 1], ["2024-01-02", "2024-01-01"], [1, 2])
    assert log.customer_id.dtype == np.int64
    assert log.customer_id.tolist() == [3, 1]
    assert log.amount.dtype == np.float64
    assert len(log) == 2
    log = TransactionLog.from_arrays(["x"], np.array(["2024-01-01"], "datetime64[D]"), [1.0])
    assert log.customer_id.dtype.kind == "U"
    assert log.timestamp.dtype == np.dtype("datetime64[s]")


@pytest.mark.parametrize(
    ("ids", "times", "amounts", "match"),
    [
        ([1, 2], ["2024-01-01"] * 2, [1.0, np.nan], r"`amount` must be finite \(index 1: nan\)"),
        ([1, 2], ["2024-01-01"] * 2, [np.inf, 1.0], r"`amount` must be finite \(index 0: inf\)"),
        ([1, 2], ["2024-01-01"] * 2, [1.0, -2.0], r"`amount` must be non-negative \(index 1"),
        ([1, 2], ["2024-01-01"], [1.0, 2.0], r"`timestamp` must have the same length"),
        (["a", ""], ["2024-01-01"] * 2, [1.0, 2.0], r"`customer_id` must not hold empty strings"),
        ([1, 2], ["2024-01-01", "NaT"], [1.0, 2.0], r"`timestamp` must not hold missing"),
        ([1, 2], ["2024-01-01", "soon"], [1.0, 2.0], r"`timestamp` must hold ISO 8601 .*index 1"),
        ([1.5], ["2024-01-01"], [1.0], r"`customer_id` must hold integers or strings"),
    ],
)
def test_from_arrays_rejects_bad_input(ids, times, amounts, match):
    with pytest.raises(InvalidInputError, match=match):
        TransactionLog.from_arrays(ids, times, amounts)


def test_arrays_are_read_only_even_when_given_writable_views():
    amounts = np.array([1.0, 2.0])
    log = TransactionLog.from_arrays([1, 2], ["2024-01-01"] * 2, amounts)
    for name in ("customer_id", "timestamp", "amount"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(log, name)[0] = getattr(log, name)[1]
    amounts[0] = 99.0
    assert log.amount[0] == 1.0


def test_from_records_mappings_and_errors():
    log = TransactionLog.from_records(
        [
            {"customer_id": 1, "timestamp": "2024-01-01", "amount": 2},
            {"customer_id": 2, "timestamp": np.datetime64("2024-01-02"), "amount": 3.5},
        ]
    )
    assert log.customer_id.dtype == np.int64
    assert log.amount.tolist() == [2.0, 3.5]
    with pytest.raises(InvalidInputError, match="record 0 must have key `amount`"):
        TransactionLog.from_records([{"customer_id": 1, "timestamp": "2024-01-01"}])
    with pytest.raises(InvalidInputError, match="`records` must hold mappings"):
        TransactionLog.from_records([("a", "2024-01-01", 1.0)])
    assert len(TransactionLog.from_records([])) == 0


def test_str_and_empty():
    empty = TransactionLog.from_arrays([], [], [])
    assert len(empty) == 0
    assert len(empty.summary("2024-01-01")) == 0
    assert str(TransactionLog.from_records([])) == "TransactionLog(0 transactions)"


def test_pandas_round_trip():
    pd = pytest.importorskip("pandas")
    log = TransactionLog.from_arrays(["a", "b"], ["2024-01-01T10:00", "2024-01-02"], [1.0, 2.0])
    frame = log.to_pandas()
    assert list(frame.columns) == ["customer_id", "timestamp", "amount"]
    assert pd.api.types.is_datetime64_any_dtype(frame["timestamp"])
    frame.loc[0, "amount"] = 5.0  # the frame is a copy, the log stays read-only
    back = TransactionLog.from_pandas(log.to_pandas())
    np.testing.assert_array_equal(back.timestamp, log.timestamp)
    np.testing.assert_array_equal(back.customer_id, log.customer_id)
    assert log.amount[0] == 1.0
    with pytest.raises(InvalidInputError, match=r"must have a column 'customer_id'.*'x'"):
        TransactionLog.from_pandas(pd.DataFrame({"x": [1]}))


def test_missing_pandas_names_the_extra(monkeypatch):
    import sys

    from custcentric.exceptions import MissingDependencyError

    monkeypatch.setitem(sys.modules, "pandas", None)
    log = TransactionLog.from_arrays([1], ["2024-01-01"], [1.0])
    with pytest.raises(MissingDependencyError, match=r"custcentric\[pandas\]"):
        log.to_pandas()


def test_transaction_item_access():
    from custcentric import domain

    log = TransactionLog.from_arrays([7], ["2024-01-01T10:00"], [2.5])
    item = log.transaction(0)
    assert isinstance(item, domain.Transaction)
    assert (item.customer_id, item.amount) == ("7", 2.5)
    assert item.timestamp == np.datetime64("2024-01-01T10:00", "s")
    again = TransactionLog.from_records([item])
    assert again.customer_id.tolist() == ["7"]
