"""The shared statistical kernels of ``custcentric._stats`` against slow, obvious loops."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric._stats import (
    ConfidenceInterval,
    first_times,
    product_limit,
    scalar_or_array,
    survival_band,
    wilson_interval,
)
from custcentric.process._censored import km_attained, km_quantile, km_summary
from custcentric.sla._stats import censored_quantile

_CASES = st.lists(st.tuples(st.integers(0, 15).map(float), st.booleans()), min_size=0, max_size=40)


def _loop_product_limit(durations, observed):
    """Kaplan & Meier (1958) by hand: walk the distinct event times one at a time."""
    rows, s, g = [], 1.0, 0.0
    for t in sorted({x for x, e in zip(durations, observed, strict=True) if e}):
        d = sum(1 for x, e in zip(durations, observed, strict=True) if x == t and e)
        n = sum(1 for x in durations if x >= t)
        s *= 1.0 - d / n
        g = g + d / (n * (n - d)) if n > d else math.inf
        rows.append((t, n, d, s, g))
    return rows


def _loop_first(time, curve, level):
    for t, c in zip(time, curve, strict=True):
        if c <= level + 1e-12:
            return t
    return math.inf


def _split(cases):
    durations = np.array([x for x, _ in cases], dtype=np.float64)
    observed = np.array([e for _, e in cases], dtype=bool)
    return durations, observed


@settings(max_examples=150, deadline=None)
@given(cases=_CASES)
def test_product_limit_matches_a_loop(cases) -> None:
    durations, observed = _split(cases)
    table = product_limit(durations, observed)
    rows = _loop_product_limit(durations.tolist(), observed.tolist())
    assert table.time.tolist() == [r[0] for r in rows]
    assert table.n_at_risk.tolist() == [r[1] for r in rows]
    assert table.n_events.tolist() == [r[2] for r in rows]
    np.testing.assert_allclose(table.survival, [r[3] for r in rows], atol=1e-12)
    np.testing.assert_allclose(table.greenwood, [r[4] for r in rows], atol=1e-12)
    assert table.time.dtype == np.float64
    assert table.n_at_risk.dtype == np.int64


@settings(max_examples=100, deadline=None)
@given(cases=_CASES, q=st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9, 0.95]))
def test_the_three_parts_read_the_same_curve(cases, q) -> None:
    # process and sla once had their own Kaplan-Meier copies; they now read this one.
    durations, observed = _split(cases)
    rows = _loop_product_limit(durations.tolist(), observed.tolist())
    expected = _loop_first([r[0] for r in rows], [r[3] for r in rows], 1.0 - q)
    assert km_quantile(durations, observed, q) == expected
    got = censored_quantile(durations, observed, q)
    assert got == (None if math.isinf(expected) else expected)
    if durations.size:
        mean, estimates, intervals = km_summary(durations, observed, (q,), 1.96)
        assert estimates.tolist() == [expected]
        assert intervals.shape == (1, 2)
        # Restricted mean: the area under the step curve up to the longest duration.
        area, last, level = 0.0, 0.0, 1.0
        for t, _, _, s, _ in rows:
            area += level * (t - last)
            last, level = t, s
        area += level * (durations.max() - last)
        assert mean == pytest.approx(area, abs=1e-9)
    target = 7.0
    s_target = next((r[3] for r in reversed(rows) if r[0] <= target), 1.0)
    assert km_attained(durations, observed, target) == pytest.approx(1.0 - s_target, abs=1e-12)


def test_no_event_gives_an_empty_table_and_nothing_reached() -> None:
    durations, observed = np.array([1.0, 2.0]), np.zeros(2, dtype=bool)
    table = product_limit(durations, observed)
    assert table.time.size == 0
    assert table.standard_error.size == 0
    assert first_times(table.time, table.survival, [0.5]).tolist() == [math.inf]
    assert censored_quantile(durations, observed, 0.5) is None
    low, high = survival_band(table.survival, table.greenwood, 1.96)
    assert low.size == high.size == 0


@pytest.mark.parametrize("method", ["log-log", "log", "plain"])
def test_band_holds_the_curve_and_carries_past_zero(method) -> None:
    table = product_limit(np.array([1.0, 2, 3, 4]), np.array([1, 0, 1, 1], dtype=bool))
    assert table.survival[-1] == 0.0
    low, high = survival_band(table.survival, table.greenwood, 1.96, method)
    assert np.all(low <= table.survival + 1e-12)
    assert np.all(high >= table.survival - 1e-12)
    assert (low[-1], high[-1]) == (0.0, high[-2])


def test_wilson_worked_example_and_the_empty_sample() -> None:
    # Wilson (1927), JASA 22(158): 45 of 60 at 95 % -> (0.6277, 0.8422) to 4 decimals.
    low, high = wilson_interval([45 / 60, 0.0], [60, 0], 0.95)
    assert low.round(4).tolist() == [0.6277, 0.0]
    assert high.round(4).tolist() == [0.8422, 1.0]


def test_scalar_or_array_follows_its_inputs() -> None:
    assert type(scalar_or_array(np.array(2.5))) is float
    assert type(scalar_or_array(np.array([2.5]), 1.0)) is float
    assert isinstance(scalar_or_array(np.array([2.5]), [1.0]), np.ndarray)
    assert isinstance(scalar_or_array(np.array([2.5])), np.ndarray)


def test_confidence_interval_keeps_the_quantile_fields_only_when_set() -> None:
    plain = ConfidenceInterval(low=1.0, high=math.inf, confidence_level=0.9, method="t")
    assert plain.to_dict() == {"low": 1.0, "high": None, "confidence_level": 0.9, "method": "t"}
    ranked = ConfidenceInterval(
        low=2.0,
        high=5.0,
        confidence_level=0.95,
        method="order_statistic",
        coverage=0.97,
        n=10,
        q=0.5,
        lower_rank=2,
        upper_rank=9,
    )
    assert ranked.to_dict()["lower_rank"] == 2
    assert (ranked.lower, ranked.upper) == tuple(ranked) == (2.0, 5.0)
