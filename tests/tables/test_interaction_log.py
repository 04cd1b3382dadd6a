"""InteractionLog construction, vocabulary checks and interop."""

from __future__ import annotations

import numpy as np
import pytest

from custcentric.domain import Channel, Outcome
from custcentric.exceptions import InvalidInputError
from custcentric.tables import InteractionLog

BASE = (["c1", "c2"], ["2024-01-01", "2024-01-02"], ["web", Channel.EMAIL], ["inbound"] * 2,
        ["inquiry", "COMPLAINT"])  # fmt: skip


def test_from_arrays_canonicalises_enums():
    log = InteractionLog.from_arrays(*BASE, [Outcome.RESOLVED, None])
    assert log.channel.tolist() == ["web", "email"]
    assert log.kind.tolist() == ["inquiry", "complaint"]
    assert log.outcome.tolist() == ["resolved", ""]
    assert InteractionLog.from_arrays(*BASE).outcome.tolist() == ["", ""]
    for name in ("customer_id", "timestamp", "channel", "direction", "kind", "outcome"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(log, name)[0] = getattr(log, name)[1]


@pytest.mark.parametrize(
    ("index", "value", "match"),
    [
        (2, ["web", "fax"], r"`channel` must be one of 'web', .* \(index 1: 'fax'\)"),
        (3, ["in", "inbound"], r"`direction` must be one of 'inbound', 'outbound' \(index 0"),
        (4, ["idea", "rant"], r"`kind` must be one of .*'other' \(index 1: 'rant'\)"),
        (5, ["", "maybe"], r"`outcome` must be one of .* or empty \(index 1: 'maybe'\)"),
        (1, ["2024-01-01"], r"`timestamp` must have the same length"),
    ],
)
def test_from_arrays_rejects_bad_input(index, value, match):
    args = [*BASE, None]
    args[index] = value
    with pytest.raises(InvalidInputError, match=match):
        InteractionLog.from_arrays(*args)


def test_records_and_pandas_round_trip():
    log = InteractionLog.from_records(
        [{"customer_id": 5, "timestamp": "2024-03-01T12:00", "channel": Channel.PHONE,
          "direction": "outbound", "kind": "survey", "outcome": "no_response"}]
    )  # fmt: skip
    assert log.customer_id.dtype == np.int64
    assert log.outcome.tolist() == ["no_response"]
    pytest.importorskip("pandas")
    back = InteractionLog.from_pandas(log.to_pandas())
    for name in ("customer_id", "timestamp", "channel", "direction", "kind", "outcome"):
        np.testing.assert_array_equal(getattr(back, name), getattr(log, name))


def test_interaction_item_access():
    log = InteractionLog.from_arrays(*BASE, ["resolved", ""])
    first, second = log.interaction(0), log.interaction(1)
    assert first.outcome == Outcome.RESOLVED
    assert second.outcome is None
    assert second.channel == Channel.EMAIL
    again = InteractionLog.from_records([first, second])
    np.testing.assert_array_equal(again.outcome, log.outcome)
