"""The fast event-log kernels (codes, case grouping, packed orders) against plain NumPy oracles.

``cycle_times`` and ``step_durations`` group events by case with scatter reductions and one
value sort of a packed key (cached per log); these tests compare every route (integer ids in
a compact or a wide range, text ids, ties in time, keys too wide to pack) with the two-key
``np.lexsort`` the functions used before, and check that the cache cannot leak between logs.
"""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.process import cycle_times, step_durations
from custcentric.tables import EventLog
from custcentric.tables._events import _CACHE, case_groups, case_order, column_codes
from custcentric.tables._grouping import encode, grouped_order

ACTIVITIES = np.array(["a", "b", "c", "done"])


def _log(case: np.ndarray, seconds: np.ndarray, rng: np.random.Generator) -> EventLog:
    """A log whose cases each keep one process and one customer."""
    _, inverse = np.unique(case, return_inverse=True)
    process = np.array(["p", "q", "r"])[inverse % 3]
    customer = (inverse // 2).astype(np.int64)
    return EventLog.from_arrays(
        case,
        process,
        ACTIVITIES[rng.integers(0, ACTIVITIES.size, case.size)],
        np.datetime64("2024-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]"),
        customer,
    )


def _lexsort_reference(log: EventLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The previous kernel: a stable two-key sort, then the run boundaries."""
    order = np.lexsort((log.timestamp, log.case_id))
    cases = log.case_id[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = cases[1:] != cases[:-1]
    firsts = np.flatnonzero(new)
    lasts = np.append(firsts[1:] - 1, order.size - 1)
    return order, firsts, lasts


ID_KINDS = ("compact", "wide", "text", "negative")


def _ids(kind: str, raw: np.ndarray) -> np.ndarray:
    if kind == "compact":
        return raw.astype(np.int64)
    if kind == "wide":
        return raw.astype(np.int64) * 1_000_003_251 + 7
    if kind == "negative":
        return -raw.astype(np.int64) * 13
    return np.char.add("case-", raw.astype(str))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 5)), min_size=1, max_size=60),
    st.sampled_from(ID_KINDS),
    st.integers(0, 2**32 - 1),
)
def test_order_and_groups_equal_the_lexsort(pairs, kind, seed):
    raw = np.array([p[0] for p in pairs])
    seconds = np.array([p[1] for p in pairs]) * 3600  # many ties in time
    log = _log(_ids(kind, raw), seconds, np.random.default_rng(seed))
    order, firsts, lasts = _lexsort_reference(log)
    assert np.array_equal(case_order(log), order)
    groups = case_groups(log)
    assert np.array_equal(groups.first, order[firsts])
    assert np.array_equal(groups.last, order[lasts])
    assert np.array_equal(groups.case_id, log.case_id[order[firsts]])
    assert np.array_equal(groups.n_events, lasts - firsts + 1)


@pytest.mark.parametrize("kind", ID_KINDS)
def test_cycle_times_and_steps_equal_the_lexsort_route(kind):
    rng = np.random.default_rng(7)
    n = 5_000
    log = _log(_ids(kind, rng.integers(0, 900, n)), rng.integers(0, 40 * 86400, n), rng)
    order, firsts, lasts = _lexsort_reference(log)
    ct = cycle_times(log, processes={"p": "done", "q": "done", "r": "done"})
    first, last = order[firsts], order[lasts]
    assert np.array_equal(ct.case_id, log.case_id[first])
    assert np.array_equal(ct.start, log.timestamp[first])
    assert np.array_equal(ct.last_activity, log.activity[last])
    assert np.array_equal(ct.closed, log.activity[last] == "done")
    assert np.array_equal(ct.n_events, lasts - firsts + 1)
    inferred = cycle_times(log)
    assert inferred.final_activity_inferred
    steps = step_durations(log)
    keep = np.ones(n, dtype=bool)
    keep[firsts] = False
    assert np.array_equal(steps.event, order[keep])
    assert np.array_equal(steps.previous, order[np.flatnonzero(keep) - 1])


def test_time_span_too_wide_for_one_key_uses_the_time_rank():
    # 40 years in seconds times 2**k rows and many cases: the single packed key overflows.
    rng = np.random.default_rng(3)
    n = 4_000
    code = rng.integers(0, 3_000, n)
    time = rng.integers(0, 2**40, n) * 1_000
    time[::7] = time[0]  # ties keep the row order
    expected = np.lexsort((time, code))
    assert np.array_equal(grouped_order(code, 3_000, time), expected)
    huge = rng.integers(0, 2**61, n)
    assert np.array_equal(grouped_order(code, 3_000, huge), np.lexsort((huge, code)))


@pytest.mark.parametrize(
    "values",
    [
        np.array(["b", "a", "b", "", "ä", "a"]),
        np.array(["x" * 40, "x" * 39, "x" * 40]),
        np.array([5, -3, 5, 2**40]),
        np.array([3, 1, 2, 1], dtype=np.uint8),
        np.array([], dtype="<U3"),
    ],
)
def test_encode_equals_np_unique(values):
    uniques, codes = encode(values)
    expected, inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(uniques, expected)
    assert uniques.dtype == expected.dtype
    assert np.array_equal(codes, inverse)
    assert codes.dtype == np.int64


def test_encode_survives_a_hash_collision(monkeypatch):
    import custcentric.tables._grouping as grouping

    monkeypatch.setattr(grouping, "_hash_text", lambda v: np.zeros(v.size, dtype=np.uint64))
    uniques, codes = grouping.encode(np.array(["b", "a", "b"]))
    assert uniques.tolist() == ["a", "b"]
    assert codes.tolist() == [1, 0, 1]


def test_cache_is_per_log_and_released():
    rng = np.random.default_rng(0)
    log = _log(np.array([1, 1, 2]), np.array([0, 5, 3]), rng)
    other = _log(np.array([2, 2, 1]), np.array([0, 5, 3]), rng)
    assert column_codes(log, "case_id")[1].tolist() == [0, 0, 1]
    assert column_codes(other, "case_id")[1].tolist() == [1, 1, 0]
    assert log in _CACHE
    del log
    gc.collect()
    assert all(len(entry) for entry in _CACHE.values())
    assert len([k for k in _CACHE if k is other]) == 1


def test_mixed_process_message_names_the_events_in_time_order():
    log = EventLog.from_arrays(
        ["k", "k", "k"],
        ["p", "p", "q"],
        ["a", "b", "c"],
        ["2024-01-03", "2024-01-01", "2024-01-02"],
        [1, 1, 1],
    )
    with pytest.raises(InvalidInputError, match=r"case 'k': 'p' at event 1, 'q' at event 2"):
        cycle_times(log)
    # The failed check is not cached as passed.
    with pytest.raises(InvalidInputError, match="one process"):
        cycle_times(log)


def test_unit_is_the_deprecated_name_of_time_unit():
    log = EventLog.from_arrays(
        ["k", "k"], ["p", "p"], ["a", "b"], ["2024-01-01", "2024-01-02"], [1, 1]
    )
    assert cycle_times(log, time_unit="h").duration.tolist() == [24.0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = cycle_times(log, unit="h")
    assert old.duration.tolist() == [24.0]
    assert old.unit == "h"
    assert any(issubclass(w.category, CustcentricDeprecationWarning) for w in caught)
    assert "time_unit" in str(caught[0].message)
    with pytest.raises(InvalidInputError, match="not both"):
        cycle_times(log, unit="h", time_unit="h")
    with pytest.raises(InvalidInputError, match="time_unit"):
        cycle_times(log, time_unit="fortnight")
