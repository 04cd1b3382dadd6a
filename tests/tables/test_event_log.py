"""EventLog construction, validation and interop."""

from __future__ import annotations

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.tables import EventLog

ARGS = (["k1", "k1"], ["claims"] * 2, ["open", "close"], ["2024-01-01", "2024-01-02"], [1, 1])


def test_from_arrays_dtypes_order_and_read_only():
    log = EventLog.from_arrays(*ARGS)
    assert log.case_id.dtype.kind == "U"
    assert log.customer_id.dtype == np.int64
    assert log.department is None
    assert len(log) == 2
    assert log.event(0) == {
        "case_id": "k1",
        "process": "claims",
        "activity": "open",
        "timestamp": np.datetime64("2024-01-01T00:00:00"),
        "customer_id": 1,
        "department": None,
    }
    for name in ("case_id", "process", "activity", "timestamp", "customer_id"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(log, name)[0] = getattr(log, name)[1]
    with_dept = EventLog.from_arrays(*ARGS, department=["ops", None])
    assert with_dept.department is not None
    assert with_dept.department.tolist() == ["ops", ""]
    with pytest.raises(ValueError, match="read-only"):
        with_dept.department[0] = "x"


@pytest.mark.parametrize(
    ("index", "value", "match"),
    [
        (0, ["", "k"], r"`case_id` must not hold empty strings \(index 0"),
        (1, ["p", ""], r"`process` must not hold empty strings \(index 1"),
        (3, ["2024-01-01", "NaT"], r"`timestamp` must not hold missing"),
        (4, [1], r"`customer_id` must have the same length as `case_id` \(1 != 2\)"),
    ],
)
def test_from_arrays_rejects_bad_input(index, value, match):
    args = list(ARGS)
    args[index] = value
    with pytest.raises(InvalidInputError, match=match):
        EventLog.from_arrays(*args)


def test_from_records_and_pandas():
    records = [
        {"case_id": 1, "process": "p", "activity": "a", "timestamp": "2024-01-01",
         "customer_id": "c", "department": "sales"},
    ]  # fmt: skip
    log = EventLog.from_records(records)
    assert log.case_id.tolist() == [1]
    assert log.department is not None
    assert log.department.tolist() == ["sales"]
    with pytest.raises(InvalidInputError, match="record 0 must have key `process`"):
        EventLog.from_records([{"case_id": 1}])
    pytest.importorskip("pandas")
    back = EventLog.from_pandas(log.to_pandas())
    assert back.event(0) == log.event(0)
    assert "1 cases" in str(log)
    assert str(EventLog.from_records([])) == "EventLog(0 events)"
