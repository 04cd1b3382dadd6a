"""Every route of construction (``__init__``, ``attrs.evolve``, constructors) runs the checks."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.tables import (
    CalibrationHoldout,
    CustomerSummary,
    CustomerTable,
    EventLog,
    InteractionLog,
    TransactionLog,
)


@pytest.fixture
def summary() -> CustomerSummary:
    n = 20
    return CustomerSummary.from_arrays(
        np.arange(n), np.arange(n) % 3, np.arange(n) * 0.5, np.full(n, 30.0), np.arange(n) * 1.0
    )


def test_evolve_with_a_sliced_column_is_refused(summary):
    with pytest.raises(InvalidInputError, match=r"`frequency` must have the same length"):
        attrs.evolve(summary, customer_id=summary.customer_id[:10])


def test_public_init_checks_values_and_time_unit():
    with pytest.raises(InvalidInputError, match=r"`frequency` must be non-negative"):
        CustomerSummary(
            customer_id=np.array([1]),
            frequency=np.array([-3]),
            recency=np.array([0.0]),
            T=np.array([1.0]),
            monetary=np.array([0.0]),
        )
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of"):
        CustomerSummary(
            customer_id=np.array([1]),
            frequency=np.array([0]),
            recency=np.array([0.0]),
            T=np.array([1.0]),
            monetary=np.array([0.0]),
            time_unit="lightyears",  # type: ignore[arg-type]
        )


def test_init_converts_and_freezes(summary):
    s = CustomerSummary(
        customer_id=[1, 2],  # type: ignore[arg-type]
        frequency=[0, 1],  # type: ignore[arg-type]
        recency=[0.0, 1.0],  # type: ignore[arg-type]
        T=[2.0, 2.0],  # type: ignore[arg-type]
        monetary=[0.0, 3.0],  # type: ignore[arg-type]
        observation_end="2024-01-01",  # type: ignore[arg-type]
    )
    assert s.frequency.dtype == np.int64
    assert s.observation_end == np.datetime64("2024-01-01T00:00:00")
    assert not s.T.flags.writeable
    evolved = attrs.evolve(summary, monetary=summary.monetary * 2)
    assert not evolved.monetary.flags.writeable
    assert evolved.T is summary.T  # an unchanged, owned read-only column is shared
    with pytest.raises(InvalidInputError, match=r"`recency` must not exceed `T`"):
        attrs.evolve(summary, T=summary.T / 100)
    with pytest.raises(InvalidInputError, match=r"`customer_id` must not repeat"):
        attrs.evolve(summary, customer_id=np.zeros(len(summary), dtype=np.int64))


def test_select_by_mask_and_ids(summary):
    picked = summary.select(summary.frequency == 2)
    assert picked.customer_id.tolist() == [2, 5, 8, 11, 14, 17]
    assert picked.frequency.tolist() == [2] * 6
    assert not picked.frequency.flags.writeable
    assert picked.time_unit == summary.time_unit
    by_id = summary.select([17, 2])
    assert by_id.customer_id.tolist() == [17, 2]
    np.testing.assert_array_equal(by_id.monetary, [17.0, 2.0])
    assert len(summary.select([])) == 0
    with pytest.raises(InvalidInputError, match=r"must hold ids of the customers \(index 1: 99\)"):
        summary.select([1, 99])
    with pytest.raises(InvalidInputError, match=r"as a mask must have length 20"):
        summary.select(np.ones(3, dtype=bool))
    with pytest.raises(InvalidInputError, match=r"`customer_id` must not repeat"):
        summary.select([1, 1])
    with pytest.raises(InvalidInputError, match=r"must hold ids of the customers"):
        summary.select(["a"])
    text = CustomerSummary.from_arrays(["a", "b"], [0, 1], [0.0, 1.0], [2.0, 2.0])
    assert text.select(["b"]).frequency.tolist() == [1]


def test_select_feeds_bg_nbd():
    from custcentric.datasets import load_cdnow_summary
    from custcentric.value import BetaGeo

    s = load_cdnow_summary()
    subset = s.select(s.frequency > 0)
    assert (subset.frequency > 0).all()
    BetaGeo.fit(subset)


def test_calibration_holdout_checks_on_init():
    log = TransactionLog.from_arrays([1, 1], ["2024-01-01", "2024-01-20"], [4.0, 6.0])
    split = log.calibration_holdout("2024-01-10", "2024-01-31")
    with pytest.raises(InvalidInputError, match=r"`frequency_holdout` must have the same length"):
        attrs.evolve(split, frequency_holdout=np.array([1, 2]))
    with pytest.raises(InvalidInputError, match=r"`monetary_holdout` must be non-negative"):
        attrs.evolve(split, monetary_holdout=np.array([-1.0]))
    with pytest.raises(InvalidInputError, match=r"`calibration` must be a CustomerSummary"):
        CalibrationHoldout(
            calibration=None,  # type: ignore[arg-type]
            frequency_holdout=np.array([1]),
            monetary_holdout=np.array([1.0]),
            duration_holdout=1.0,
        )


def test_transaction_log_checks_on_init_and_evolve():
    log = TransactionLog.from_arrays([1, 2], ["2024-01-01", "2024-01-02"], [1.0, 2.0])
    with pytest.raises(InvalidInputError, match=r"`amount` must have the same length"):
        attrs.evolve(log, customer_id=log.customer_id[:1], timestamp=log.timestamp[:1])
    with pytest.raises(InvalidInputError, match=r"`amount` must be non-negative"):
        TransactionLog(
            customer_id=np.array([1]),
            timestamp=np.array(["2024-01-01"], dtype="datetime64[s]"),
            amount=np.array([-1.0]),
        )
    assert not attrs.evolve(log, amount=log.amount + 1).amount.flags.writeable


def test_event_and_interaction_logs_check_on_evolve():
    events = EventLog.from_arrays([1, 2], ["p", "p"], ["a", "b"], ["2024-01-01"] * 2, [9, 9])
    with pytest.raises(InvalidInputError, match=r"must have the same length"):
        attrs.evolve(events, activity=events.activity[:1])
    with pytest.raises(InvalidInputError, match=r"`activity` must not hold empty strings"):
        attrs.evolve(events, activity=np.array(["a", ""]))
    contacts = InteractionLog.from_arrays(
        ["c", "d"], ["2024-01-01"] * 2, ["web", "web"], ["inbound"] * 2, ["idea"] * 2
    )
    with pytest.raises(InvalidInputError, match=r"`channel` must be one of"):
        attrs.evolve(contacts, channel=np.array(["web", "fax"]))
    with pytest.raises(InvalidInputError, match=r"must have the same length"):
        attrs.evolve(contacts, kind=contacts.kind[:1])


def test_customer_table_checks_on_evolve_and_remembers_unique_ids():
    table = CustomerTable.from_arrays(["c1", "c2"], attributes={"region": ["n", "w"]})
    with pytest.raises(InvalidInputError, match=r"must have the same length"):
        attrs.evolve(table, name=np.array(["Ada"]))
    with pytest.raises(InvalidInputError, match=r"`customer_id` must hold unique ids"):
        attrs.evolve(table, customer_id=np.array(["c1", "c1"]))
    with pytest.raises(InvalidInputError, match=r"`region` must have the same length"):
        attrs.evolve(table, attributes={"region": np.array(["n"])})
    raw = CustomerTable.from_arrays(["c1", "c1"], unique_ids=False)
    assert raw.unique_ids is False
    assert len(attrs.evolve(raw, email=np.array(["a@b.example", ""]))) == 2
    assert not attrs.evolve(table, name=np.array(["A", "B"])).name.flags.writeable
