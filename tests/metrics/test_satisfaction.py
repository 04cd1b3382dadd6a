"""CSAT (Wilson) and CES (t interval): published numbers, oracles, properties, bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from custcentric.exceptions import InvalidInputError
from custcentric.metrics import CSATResult, ces, csat


def test_wilson_45_of_60() -> None:
    # methods.md §4.2 test vector [C] (Wilson 1927, JASA 22(158), 209-212):
    # 45 of 60 satisfied -> p = 0.75, 95 % Wilson CI (0.6277, 0.8422); tolerance 5e-5.
    result = csat([5] * 30 + [4] * 15 + [3] * 10 + [1] * 5)
    assert result.share == 0.75
    assert result.n == 60
    ci = result.confidence_interval()
    assert ci.method == "wilson"
    assert (ci.low, ci.high) == pytest.approx((0.6277, 0.8422), abs=5e-5)


def test_wilson_agrees_with_scipy() -> None:
    # scipy.stats.binomtest(...).proportion_ci(method="wilson") implements Wilson (1927).
    for k, n in [(0, 5), (1, 7), (45, 60), (19, 20), (20, 20)]:
        expected = stats.binomtest(k, n).proportion_ci(0.9, method="wilson")
        ci = csat([5] * k + [1] * (n - k)).confidence_interval(0.9)
        assert (ci.low, ci.high) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_wald_share_and_mean_interval() -> None:
    scores = [5, 4, 2, 3, 5, 5, 1]
    result = csat(scores)
    p = 4 / 7
    assert result.standard_error == pytest.approx(math.sqrt(p * (1 - p) / 7))
    ci = result.confidence_interval(method="wald")
    assert (ci.low, ci.high) == pytest.approx(
        (p - 1.959964 * result.standard_error, p + 1.959964 * result.standard_error), abs=1e-6
    )
    mean = result.mean_confidence_interval(0.9)
    low, high = stats.t.interval(0.9, 6, loc=np.mean(scores), scale=stats.sem(scores))
    assert (mean.low, mean.high) == pytest.approx((low, high), abs=1e-12)


def test_ces_t_interval_matches_scipy() -> None:
    scores = [7, 6, 5, 6, 2, 4, 7, 7]
    result = ces(scores)
    assert result.mean == pytest.approx(np.mean(scores))
    assert result.standard_deviation == pytest.approx(np.std(scores, ddof=1))
    assert result.standard_error == pytest.approx(stats.sem(scores))
    low, high = stats.t.interval(0.95, 7, loc=np.mean(scores), scale=stats.sem(scores))
    ci = result.confidence_interval()
    assert (ci.low, ci.high) == pytest.approx((low, min(high, 7.0)), abs=1e-12)
    assert result.higher_is_better
    assert str(result) == "CES 5.50 on 1-7 (higher is easier; n = 8, SD 1.77)"


def test_ces_version_1_scale_and_direction() -> None:
    result = ces([1, 2, 2, 5], scale=(1, 5), higher_is_better=False)
    assert result.scale == (1, 5)
    assert "lower is easier" in str(result)
    assert result.to_dict()["higher_is_better"] is False


def test_small_groups_get_honest_intervals() -> None:
    one = ces([4])
    assert one.standard_error == math.inf
    assert one.standard_deviation == 0.0
    ci = one.confidence_interval()
    assert (ci.low, ci.high) == (1.0, 7.0)
    assert one.to_dict()["standard_error"] is None
    single = csat([5])
    ci = single.confidence_interval()
    assert 0.0 < ci.low < 1.0
    assert ci.high == 1.0
    assert single.to_dict()["mean_standard_error"] is None
    # All answers equal: the t interval is a point, as the t method says.
    same = ces([6, 6, 6]).confidence_interval()
    assert same.low == same.high == 6.0


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.integers(1, 5), min_size=1, max_size=40),
    weights=st.none() | st.lists(st.floats(0.1, 10), min_size=40, max_size=40),
)
def test_csat_against_loop_oracle(scores, weights, weighted_mean_oracle) -> None:
    w = None if weights is None else weights[: len(scores)]
    result = csat(scores, weights=w)
    ones = [1.0] * len(scores) if w is None else w
    share, var = weighted_mean_oracle([1.0 if s >= 4 else 0.0 for s in scores], ones)
    mean, _ = weighted_mean_oracle([float(s) for s in scores], ones)
    assert result.share == pytest.approx(share, abs=1e-12)
    assert result.standard_error == pytest.approx(math.sqrt(var), abs=1e-12)
    assert result.mean_score == pytest.approx(mean, abs=1e-12)
    ci = result.confidence_interval()
    assert 0.0 <= ci.low <= result.share <= ci.high <= 1.0


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.floats(1, 7), min_size=2, max_size=40),
    weights=st.lists(st.floats(0.1, 10), min_size=40, max_size=40),
)
def test_ces_weighted_against_loop_oracle(scores, weights, weighted_mean_oracle) -> None:
    w = weights[: len(scores)]
    result = ces(scores, weights=w)
    mean, var = weighted_mean_oracle(scores, w)
    n_eff = sum(w) ** 2 / sum(x * x for x in w)
    assert result.mean == pytest.approx(mean, rel=1e-12)
    assert result.n_effective == pytest.approx(n_eff, rel=1e-12)
    if n_eff > 1:
        assert result.standard_error == pytest.approx(
            math.sqrt(var * n_eff / (n_eff - 1)), rel=1e-9, abs=1e-12
        )
    ci = result.confidence_interval()
    assert 1.0 <= ci.low <= ci.high <= 7.0


def test_satisfied_set_and_scale() -> None:
    result = csat([7, 6, 5, 2, 1], satisfied=(6, 7), scale=(1, 7))
    assert result.share == pytest.approx(0.4)
    assert result.satisfied == (6, 7)
    assert str(result) == "CSAT 40.0 % satisfied (answers 6, 7 on 1-7; n = 5; mean 4.20)"
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["scale"] == [1, 7]
    assert isinstance(result, CSATResult)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: csat([5, 6]), r"`scores` must lie in \[1, 5\] \(index 1: 6\)\."),
        (lambda: csat([5, 4.5]), r"`scores` must hold whole numbers \(index 1: 4\.5\)\."),
        (lambda: csat([]), r"`scores` must not be empty\."),
        (
            lambda: csat([5], satisfied=(4, 6)),
            r"`satisfied` must lie on the scale \[1, 5\] \(index 1: 6\)\.",
        ),
        (
            lambda: csat([5], satisfied=()),
            r"`satisfied` must name at least one answer \(got \(\)\)\.",
        ),
        (
            lambda: csat([5], scale=(5, 1)),
            r"`scale` must be a pair \(lowest, highest\) of whole numbers, lowest first \(got \(5, 1\)\)\.",
        ),
        (lambda: csat([5], scale=(1, 2, 3)), r"`scale` must be a pair"),
        (
            lambda: csat([5]).confidence_interval(method="exact"),
            r"`method` must be one of 'wilson', 'wald' \(got 'exact'\)\.",
        ),
        (lambda: ces([0]), r"`scores` must lie in \[1, 7\] \(index 0: 0\.0\)\."),
        (
            lambda: ces([1], higher_is_better="yes"),
            r"`higher_is_better` must be True or False \(got 'yes'\)\.",
        ),
        (
            lambda: ces([1, 2], weights=[1, float("inf")]),
            r"`weights` must be finite \(index 1: inf\)\.",
        ),
        (
            lambda: ces([1, 2]).confidence_interval(0),
            r"`confidence_level` must lie in \(0, 1\) \(got 0\)\.",
        ),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(InvalidInputError, match=match):
        call()


def test_weighted_wilson_uses_the_effective_sample_size() -> None:
    scores = [5, 5, 4, 2, 1, 3]
    w = [3.0, 1.0, 1.0, 1.0, 2.0, 1.0]
    result = csat(scores, weights=w)
    n_eff = sum(w) ** 2 / sum(x * x for x in w)
    assert result.n_effective == pytest.approx(n_eff)
    assert result.share == pytest.approx(5 / 9)
    z = stats.norm.ppf(0.975)
    p = 5 / 9
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff**2)) / (1 + z * z / n_eff)
    ci = result.confidence_interval()
    assert (ci.low, ci.high) == pytest.approx((centre - half, centre + half), abs=1e-12)
