"""``TransactionLog.summary``'s packed-key kernel against the two-pass ``aggregate_days``.

The summary sorts the values of one (customer, day, row) key instead of an ``argsort``;
these tests pin that it gives the numbers of the previous kernel bit for bit (the same
summation order) for every id route: compact and wide integer ranges, negative ids, text,
and windows (calibration / holdout) that drop rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.tables import TransactionLog
from custcentric.tables._summary import aggregate_days, as_end
from custcentric.tables._transactions import _aggregate

START = np.datetime64("2024-01-01T00:00:00", "s")


def _ids(kind: str, raw: np.ndarray) -> np.ndarray:
    if kind == "compact":
        return raw.astype(np.int64)
    if kind == "wide":
        return raw.astype(np.int64) * 4_000_000_000_037
    if kind == "negative":
        return -raw.astype(np.int64)
    return np.char.add("C", raw.astype(str))


def _same(left, right):
    for name in ("customer_id", "n_days", "first_day", "last_day", "repeat_total", "total"):
        a, b = getattr(left, name), getattr(right, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name  # bit for bit: same summation order


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 40 * 24), st.floats(0, 1e6)),
        min_size=1,
        max_size=80,
    ),
    st.sampled_from(["compact", "wide", "negative", "text"]),
)
def test_aggregate_equals_the_previous_kernel(rows, kind):
    ids = _ids(kind, np.array([r[0] for r in rows]))
    stamps = START + (np.array([r[1] for r in rows]) * 3600).astype("timedelta64[s]")
    amounts = np.array([r[2] for r in rows])
    log = TransactionLog.from_arrays(ids, stamps, amounts)
    cal, end = as_end("2024-01-20", "c"), as_end("2024-02-15T06:00", "e")
    _same(
        _aggregate(log, after=None, until=end),
        aggregate_days(log.customer_id, log.timestamp, log.amount, after=None, until=end),
    )
    if stamps.min() <= np.datetime64("2024-01-20T23:59:59"):
        _same(
            _aggregate(log, after=None, until=cal),
            aggregate_days(log.customer_id, log.timestamp, log.amount, after=None, until=cal),
        )
    _same(
        _aggregate(log, after=cal, until=end),
        aggregate_days(log.customer_id, log.timestamp, log.amount, after=cal, until=end),
    )


@pytest.mark.parametrize("kind", ["compact", "wide", "text"])
def test_summary_at_scale_equals_the_previous_kernel(kind):
    rng = np.random.default_rng(11)
    n = 50_000
    ids = _ids(kind, rng.integers(0, 9_000, n))
    stamps = START + rng.integers(0, 730 * 86400, n).astype("timedelta64[s]")
    log = TransactionLog.from_arrays(ids, stamps, np.round(rng.gamma(2.0, 20.0, n), 2))
    end = as_end("2025-12-31", "e")
    _same(
        _aggregate(log, after=None, until=end),
        aggregate_days(log.customer_id, log.timestamp, log.amount, after=None, until=end),
    )
    summary = log.summary("2025-12-31")
    assert np.array_equal(summary.customer_id, np.unique(ids))  # ids ascending, none lost
