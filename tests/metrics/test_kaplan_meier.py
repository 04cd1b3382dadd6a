"""Kaplan-Meier: the 6-MP table, loop oracle, properties and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.metrics import kaplan_meier

# methods.md §3.7 test vector (T20): Freireich et al. (1963), Blood 21(6), 699-716, 6-MP arm as
# listed by Gehan (1965), Biometrika 52, 203-223; Kaplan & Meier (1958) estimate with
# Greenwood (1926) standard errors. Columns: t, n_j, d_j, S(t), SE. Published to 4 decimals.
SIX_MP_TABLE = [
    (6, 21, 3, 0.8571, 0.0764),
    (7, 17, 1, 0.8067, 0.0869),
    (10, 15, 1, 0.7529, 0.0963),
    (13, 12, 1, 0.6902, 0.1068),
    (16, 11, 1, 0.6275, 0.1141),
    (22, 7, 1, 0.5378, 0.1282),
    (23, 6, 1, 0.4482, 0.1346),
]


def test_six_mp_table(six_mp) -> None:
    # Tolerance: half a unit in the 4th decimal (5e-5).
    km = kaplan_meier(*six_mp)
    t, n, d, s, se = (np.array(col) for col in zip(*SIX_MP_TABLE, strict=True))
    np.testing.assert_array_equal(km.time, t)
    np.testing.assert_array_equal(km.n_at_risk, n)
    np.testing.assert_array_equal(km.n_events, d)
    np.testing.assert_allclose(km.survival, s, atol=5e-5)
    np.testing.assert_allclose(km.standard_error, se, atol=5e-5)
    # "Median = 23" (methods.md §3.7).
    assert km.median == 23.0
    assert km.n_observations == 21
    assert km.n_censored == 12


def test_six_mp_intervals_follow_their_formulas(six_mp) -> None:
    z = 1.959963984540054
    s = np.array([row[3] for row in SIX_MP_TABLE])
    for method in ("log-log", "log", "plain"):
        km = kaplan_meier(*six_mp, method=method)
        sigma = km.standard_error / km.survival
        if method == "plain":
            low, high = (
                km.survival - z * km.standard_error,
                np.minimum(km.survival + z * km.standard_error, 1),
            )
        elif method == "log":
            low, high = (
                km.survival * np.exp(-z * sigma),
                np.minimum(km.survival * np.exp(z * sigma), 1),
            )
        else:
            v = sigma / np.log(km.survival)
            low, high = km.survival ** np.exp(-z * v), km.survival ** np.exp(z * v)
        np.testing.assert_allclose(km.low, low, atol=1e-12)
        np.testing.assert_allclose(km.high, high, atol=1e-12)
        assert np.all(km.low <= s + 5e-5)
        assert np.all(s - 5e-5 <= km.high)
    # Median interval read off the log bands: lower band first reaches 0.5 at t = 16
    # (0.4394 vs 0.5096 at t = 13); the upper band never does, so the upper end is open.
    ci = kaplan_meier(*six_mp, method="log").median_confidence_interval()
    assert (ci.low, ci.high) == (16.0, math.inf)


# Pointwise 95 % intervals for the 6-MP arm, from an independent implementation:
# scipy.stats.ecdf(CensoredData(...)).sf.confidence_interval(0.95, method=...) (SciPy >= 1.11;
# Greenwood variance, "log-log" and "linear" transforms), rounded to 4 decimals.
SIX_MP_LOG_LOG = [
    (0.6197, 0.9516), (0.5631, 0.9228), (0.5032, 0.8894), (0.4316, 0.8491),
    (0.3675, 0.8049), (0.2678, 0.7468), (0.1881, 0.6801),
]  # fmt: skip
SIX_MP_PLAIN = [
    (0.7075, 1.0), (0.6363, 0.9771), (0.5641, 0.9418), (0.4808, 0.8995),
    (0.4039, 0.8510), (0.2865, 0.7891), (0.1844, 0.7120),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "table"), [("log-log", SIX_MP_LOG_LOG), ("plain", SIX_MP_PLAIN)]
)
def test_six_mp_intervals_against_scipy(six_mp, method, table) -> None:
    # Tolerance: half a unit in the 4th decimal (5e-5) for the rounded table, and 1e-10
    # against SciPy's own numbers.
    from scipy import stats

    km = kaplan_meier(*six_mp, method=method)
    np.testing.assert_allclose(km.low, [lo for lo, _ in table], atol=5e-5)
    np.testing.assert_allclose(km.high, [hi for _, hi in table], atol=5e-5)
    weeks, relapse = (np.asarray(x) for x in six_mp)
    event = relapse == 1
    data = stats.CensoredData(uncensored=weeks[event], right=weeks[~event])
    ci = stats.ecdf(data).sf.confidence_interval(
        0.95, method="log-log" if method == "log-log" else "linear"
    )
    np.testing.assert_allclose(km.low, ci.low.evaluate(km.time), atol=1e-10)
    np.testing.assert_allclose(km.high, ci.high.evaluate(km.time), atol=1e-10)


@settings(max_examples=80, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 12).map(float), st.integers(0, 1)), min_size=1, max_size=30
    )
)
def test_against_loop_oracle(data, km_oracle) -> None:
    durations = [x for x, _ in data]
    observed = [e for _, e in data]
    assume(any(observed))  # all censored is refused: test_no_events_is_refused
    km = kaplan_meier(durations, observed)
    rows = km_oracle(durations, observed)
    assert len(km) == len(rows)
    for i, (t, n, d, s, se) in enumerate(rows):
        assert km.time[i] == t
        assert km.n_at_risk[i] == n
        assert km.n_events[i] == d
        assert km.survival[i] == pytest.approx(s, abs=1e-12)
        assert km.standard_error[i] == pytest.approx(se, abs=1e-12)
    # Properties: S falls, stays in [0, 1], and the bands hold it.
    assert np.all(np.diff(km.survival) <= 0)
    assert np.all((km.low >= 0) & (km.low <= km.survival + 1e-12))
    assert np.all((km.high <= 1) & (km.high >= km.survival - 1e-12))
    # Order of the customers does not matter.
    again = kaplan_meier(durations[::-1], observed[::-1])
    np.testing.assert_allclose(again.survival, km.survival)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=1, max_size=30))
def test_without_censoring_it_is_the_empirical_survival_function(durations) -> None:
    km = kaplan_meier(durations)
    x = np.asarray(durations)
    expected = [(x > t).mean() for t in km.time]
    np.testing.assert_allclose(km.survival, expected, atol=1e-12)


def test_time_unit_does_not_change_survival(six_mp) -> None:
    weeks, relapse = six_mp
    a = kaplan_meier(weeks, relapse)
    b = kaplan_meier(np.asarray(weeks) * 7.0, relapse)
    np.testing.assert_allclose(a.survival, b.survival)
    assert b.median == 7 * a.median


def test_everyone_churns_at_the_end() -> None:
    km = kaplan_meier([1, 2, 3], [1, 1, 1])
    assert km.survival.tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert km.standard_error[-1] == 0.0
    assert km.low[-1] == 0.0
    assert km.high[-1] == km.high[-2]
    only = kaplan_meier([4.0])
    assert (only.low[0], only.high[0]) == (0.0, 1.0)


def test_no_events_is_refused_and_a_median_not_reached_is_inf() -> None:
    # Every duration censored: the curve is 1 throughout and the median undefined; refused
    # rather than returned as an empty table with an infinite median.
    with pytest.raises(
        InvalidInputError,
        match=r"`observed` must flag at least one event \(all 3 durations are censored",
    ):
        kaplan_meier([1, 2, 3], [0, 0, 0])
    km = kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0])
    assert km.median == math.inf
    assert km.survival_at([0.5, 5]).tolist() == [1.0, 0.75]


def test_accessors_and_output(six_mp) -> None:
    km = kaplan_meier(*six_mp)
    assert km.survival_at([0, 6, 6.5, 23, 100]).tolist() == pytest.approx(
        [1.0, 0.857142857, 0.857142857, 0.448179, 0.448179], abs=1e-6
    )
    assert km.quantile(0.5) == km.median
    assert km.quantile(0.1) == 6.0
    assert km.quantile(0.6) == math.inf
    data = km.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["median"] == 23.0
    assert km.to_pandas().shape == (7, 7)
    text = str(km)
    assert text.splitlines()[0] == "Kaplan-Meier: 21 observations, 9 events, 12 censored; median 23"
    assert kaplan_meier([1, 2, 3], [1, 0, 0]).to_dict()["median"] is None
    assert "not reached" in str(kaplan_meier([1, 2, 3], [1, 0, 0]))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: kaplan_meier([1, -2]), r"`durations` must be non-negative \(index 1: -2\.0\)\."),
        (lambda: kaplan_meier([1, float("nan")]), r"`durations` must be finite \(index 1: nan\)\."),
        (lambda: kaplan_meier([]), r"`durations` must not be empty\."),
        (
            lambda: kaplan_meier([1, 2], [1, 2]),
            r"`observed` must hold 0/1 or booleans \(index 1: 2\.0\)\.",
        ),
        (
            lambda: kaplan_meier([1, 2], [1]),
            r"`observed` must have the same length as `durations` \(1 != 2\)\.",
        ),
        (
            lambda: kaplan_meier([1], method="arcsine"),
            r"`method` must be one of 'log-log', 'log', 'plain' \(got 'arcsine'\)\.",
        ),
        (
            lambda: kaplan_meier([1], confidence_level=1),
            r"`confidence_level` must lie in \(0, 1\) \(got 1\)\.",
        ),
        (lambda: kaplan_meier([1]).quantile(1.5), r"`q` must lie in \(0, 1\) \(got 1\.5\)\."),
        (lambda: kaplan_meier([1]).survival_at(["x"]), r"`times` must hold numbers"),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(InvalidInputError, match=match):
        call()
