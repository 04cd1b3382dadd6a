"""Net Promoter Score: published intervals, loop oracle, properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from custcentric.exceptions import InvalidInputError
from custcentric.metrics import NPSResult, nps, nps_difference

# methods.md §4.1 test vectors [C] (z = 1.959964, values x100), from Rocks (2016), The American
# Statistician 70(4), 365-372 (adjusted Wald: n + 3, 3/4 promoter and 3/4 detractor added).
# Columns: counts, NPS, Wald SE, Wald CI, adjusted centre, adjusted SE, adjusted-Wald CI.
TABLE_4_1 = [
    ((50, 30, 20), 30.00, 7.810, (14.69, 45.31), 29.126, 7.692, (14.05, 44.20)),
    ((20, 10, 10), 25.00, 13.110, (-0.70, 50.70), 23.256, 12.561, (-1.36, 47.88)),
    ((8, 2, 0), 80.00, 12.649, (55.21, 104.79), 61.538, 16.457, (29.28, 93.79)),
]
Z95 = 1.959964


def _answers(pro: int, pas: int, det: int) -> list[int]:
    return [10] * pro + [8] * pas + [3] * det


@pytest.mark.parametrize("row", TABLE_4_1, ids=["50-30-20", "20-10-10", "8-2-0"])
def test_methods_4_1_table(row) -> None:
    # Tolerance: half a unit in the last published decimal (0.005 points, 0.0005 for SEs).
    counts, score, se, wald, centre, adj_se, adjusted = row
    for result in (
        nps(_answers(*counts)),
        NPSResult.from_counts(n_promoters=counts[0], n_passives=counts[1], n_detractors=counts[2]),
    ):
        assert result.score == pytest.approx(score, abs=5e-3)
        assert result.standard_error == pytest.approx(se, abs=5e-4)
        ci = result.confidence_interval(0.95, method="wald")
        assert (ci.low, ci.high) == pytest.approx(wald, abs=5e-3)
        ci = result.confidence_interval()
        assert ci.method == "adjusted_wald"
        assert (ci.low, ci.high) == pytest.approx(adjusted, abs=5e-3)
        assert (ci.low + ci.high) / 2 == pytest.approx(centre, abs=5e-4)
        assert (ci.high - ci.low) / (2 * Z95) == pytest.approx(adj_se, abs=5e-4)


def test_trinomial_mean_check() -> None:
    # methods.md §4.1: "Trinomial-mean check for 50/30/20: mean 0.30, SE with n-1 = 0.07850".
    result = nps(_answers(50, 30, 20))
    recoded = np.array([1] * 50 + [0] * 30 + [-1] * 20)
    assert recoded.std(ddof=1) / 10 == pytest.approx(0.07850, abs=5e-6)
    # The trinomial SE is the n-denominator version of the same quantity.
    assert result.standard_error * math.sqrt(100 / 99) / 100 == pytest.approx(0.07850, abs=5e-6)


def test_sample_size_rule_of_thumb() -> None:
    # methods.md §4.1 [V: cybaea]: with p = q = 1/3 the 95 % full width is about 320/sqrt(n) points.
    result = nps([10] * 342 + [8] * 341 + [3] * 341)
    ci = result.confidence_interval(method="wald")
    assert ci.high - ci.low == pytest.approx(320 / math.sqrt(1024), rel=0.01)


def test_shares_and_string() -> None:
    result = nps([10, 9, 8, 7, 6, 0])
    assert (result.promoters, result.passives, result.detractors) == pytest.approx((1 / 3,) * 3)
    assert result.n == 6
    assert result.n_effective == 6
    assert str(result).startswith("NPS 0.0 (n = 6;")


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.integers(0, 10), min_size=1, max_size=40),
    weights=st.none() | st.lists(st.floats(0.1, 10), min_size=40, max_size=40),
)
def test_against_loop_oracle(scores, weights, nps_oracle) -> None:
    w = None if weights is None else weights[: len(scores)]
    result = nps(scores, weights=w)
    expected = nps_oracle(scores, w)
    assert result.score == pytest.approx(expected["score"], abs=1e-9)
    assert result.promoters == pytest.approx(expected["promoters"], abs=1e-12)
    assert result.detractors == pytest.approx(expected["detractors"], abs=1e-12)
    assert result.standard_error == pytest.approx(expected["se"], abs=1e-9)
    assert result.n_effective == pytest.approx(expected["n_eff"], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.integers(0, 10), min_size=1, max_size=60), seed=st.integers(0, 99))
def test_properties(scores, seed) -> None:
    result = nps(scores)
    assert -100 <= result.score <= 100
    assert result.promoters + result.passives + result.detractors == pytest.approx(1.0)
    adjusted = result.confidence_interval()
    assert -100 <= adjusted.low <= adjusted.high <= 100
    wald = result.confidence_interval(method="wald")
    assert wald.low <= result.score <= wald.high
    # Order does not matter; equal weights change nothing.
    shuffled = np.random.default_rng(seed).permutation(scores)
    assert nps(shuffled).score == pytest.approx(result.score, abs=1e-9)
    weighted = nps(scores, weights=np.full(len(scores), 2.5))
    assert weighted.standard_error == pytest.approx(result.standard_error, abs=1e-9)


def test_wider_at_higher_confidence() -> None:
    result = nps([10, 9, 7, 5, 10, 2, 9])
    narrow = result.confidence_interval(0.8)
    wide = result.confidence_interval(0.99)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_single_category_wald_collapses_adjusted_does_not() -> None:
    result = nps([10, 10, 10])
    wald = result.confidence_interval(method="wald")
    assert wald.low == wald.high == 100.0
    adjusted = result.confidence_interval()
    assert adjusted.low < 100.0
    assert adjusted.high <= 100.0


def test_adjusted_wald_is_clipped_to_the_scale() -> None:
    ci = nps([10] * 40).confidence_interval(method="adjusted_wald")
    assert ci.high == 100.0


def test_weights_follow_the_design() -> None:
    # A weight of 2 equals answering twice, for the score and shares.
    weighted = nps([10, 3, 8], weights=[2, 1, 1])
    repeated = nps([10, 10, 3, 8])
    assert weighted.score == pytest.approx(repeated.score)
    assert weighted.n == 3
    assert weighted.n_effective == pytest.approx(16 / 6)


def test_difference() -> None:
    a = NPSResult.from_counts(n_promoters=50, n_passives=30, n_detractors=20)
    b = NPSResult.from_counts(n_promoters=20, n_passives=10, n_detractors=10)
    d = nps_difference(a, b)
    assert d.difference == pytest.approx(5.0)
    # Var(NPS1 - NPS2) = Var1 + Var2 (methods.md §4.1), SEs 7.810 and 13.110.
    assert d.standard_error == pytest.approx(math.hypot(7.8102, 13.1101), abs=1e-3)
    assert d.z_statistic == pytest.approx(5.0 / d.standard_error)
    assert d.p_value == pytest.approx(2 * stats.norm.sf(d.z_statistic), rel=1e-12)
    wald = d.confidence_interval(method="wald")
    assert (wald.low + wald.high) / 2 == pytest.approx(5.0)
    adjusted = d.confidence_interval()
    assert (adjusted.low + adjusted.high) / 2 == pytest.approx(29.126 - 23.256, abs=1e-3)
    assert nps_difference(_answers(50, 30, 20), _answers(20, 10, 10)).difference == pytest.approx(5)
    assert d.to_dict()["first"]["score"] == pytest.approx(30.0)


def test_difference_of_identical_single_category_groups() -> None:
    d = nps_difference([10, 10], [10])
    assert d.z_statistic == 0.0
    assert d.p_value == 1.0
    d = nps_difference([10, 10], [0])
    assert d.z_statistic == math.inf
    assert d.to_dict()["z_statistic"] is None


def test_to_dict_is_plain() -> None:
    import json

    data = nps([10, 9, 3]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {
        "score", "promoters", "passives", "detractors", "n", "n_effective", "standard_error"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("scores", "match"),
    [
        ([10, 11], r"`scores` must lie in \[0, 10\] \(index 1: 11\)\."),
        ([10, -1], r"`scores` must lie in \[0, 10\] \(index 1: -1\)\."),
        ([10, 8.5], r"`scores` must hold whole numbers \(index 1: 8\.5\)\."),
        ([10, float("nan")], r"`scores` must be finite \(index 1: nan\)\."),
        ([], r"`scores` must not be empty\."),
        ([[1, 2]], r"`scores` must be one-dimensional \(got shape \(1, 2\)\)\."),
        (["a"], r"`scores` must hold numbers"),
    ],
)
def test_bad_scores(scores, match) -> None:
    with pytest.raises(InvalidInputError, match=match):
        nps(scores)


def test_bad_weights_and_options() -> None:
    with pytest.raises(
        InvalidInputError, match=r"`weights` must be non-negative \(index 1: -1\.0\)\."
    ):
        nps([1, 2], weights=[1, -1])
    with pytest.raises(
        InvalidInputError, match=r"`weights` must have the same length as `scores` \(1 != 2\)\."
    ):
        nps([1, 2], weights=[1])
    with pytest.raises(
        InvalidInputError, match=r"`weights` must have a positive total \(got 0\.0\)\."
    ):
        nps([1, 2], weights=[0, 0])
    result = nps([1, 2])
    with pytest.raises(
        InvalidInputError,
        match=r"`method` must be one of 'adjusted_wald', 'wald' \(got 'exact'\)\.",
    ):
        result.confidence_interval(method="exact")
    with pytest.raises(
        InvalidInputError, match=r"`confidence_level` must lie in \(0, 1\) \(got 95\)\."
    ):
        result.confidence_interval(95)
    with pytest.raises(
        InvalidInputError, match=r"`n_passives` must lie in \[0, inf\] \(got -1\)\."
    ):
        NPSResult.from_counts(n_promoters=1, n_passives=-1, n_detractors=0)
    with pytest.raises(InvalidInputError, match=r"must be positive \(got 0\)\."):
        NPSResult.from_counts(n_promoters=0, n_passives=0, n_detractors=0)
    with pytest.raises(
        InvalidInputError, match=r"`weights_a` must be None when `a` is an NPSResult\."
    ):
        nps_difference(result, [1], weights_a=[1.0])
    with pytest.raises(InvalidInputError, match=r"`b` must lie in \[0, 10\] \(index 0: 12\)\."):
        nps_difference([1], [12])


def test_equal_weights_give_the_unweighted_intervals() -> None:
    scores = [10, 9, 8, 7, 6, 0, 10, 3]
    plain = nps(scores)
    weighted = nps(scores, weights=[0.5] * len(scores))
    for method in ("wald", "adjusted_wald"):
        a = plain.confidence_interval(method=method)
        b = weighted.confidence_interval(method=method)
        assert (a.low, a.high) == pytest.approx((b.low, b.high), abs=1e-9)
    # Unequal weights shrink the effective sample size and widen the adjusted interval.
    uneven = nps(scores, weights=[4, 1, 1, 1, 1, 1, 1, 1])
    assert uneven.n_effective < len(scores)


@pytest.mark.parametrize("factor", [1e200, 1e-200])
def test_weights_scale_free_even_at_extreme_magnitudes(factor) -> None:
    # Every statistic is invariant to a common factor in the weights. Before the fix, weights
    # near 1e200 overflowed Σw² (a RuntimeWarning, turned into an error by pytest) and weights
    # near 1e-200 underflowed (Σw)² to 0 (NaN standard errors). Exact invariance is expected
    # up to rounding (rel 1e-12).
    from custcentric.metrics import ces, churn_rate, csat, nps_by_group

    scores = [10, 9, 8, 7, 6, 0, 10, 3]
    w = np.array([4.0, 1, 2, 1, 1, 3, 1, 1])
    for call in (
        lambda ws: nps(scores, weights=ws).to_dict(),
        lambda ws: csat([5, 4, 3, 1, 5, 2, 4, 4], weights=ws).to_dict(),
        lambda ws: ces([7, 6, 5, 1, 2, 3, 4, 7], weights=ws).to_dict(),
        lambda ws: churn_rate([1, 0, 0, 1, 0, 0, 0, 1], weights=ws).to_dict(),
    ):
        plain, scaled = call(w), call(w / w.max() * factor)
        for key, value in plain.items():
            if isinstance(value, float) and key != "n_events":  # n_events is in weight units
                assert scaled[key] == pytest.approx(value, rel=1e-12), key
    weighted_churn = churn_rate([1, 0, 1], weights=[2e200, 1e200, 1e200])
    assert weighted_churn.n_events == pytest.approx(3e200, rel=1e-12)
    grouped = nps_by_group(scores, [1, 1, 1, 1, 2, 2, 2, 2], weights=w * factor)
    expected = nps_by_group(scores, [1, 1, 1, 1, 2, 2, 2, 2], weights=w)
    np.testing.assert_allclose(grouped.standard_error, expected.standard_error, rtol=1e-12)
    np.testing.assert_allclose(grouped.low, expected.low, rtol=1e-12)
