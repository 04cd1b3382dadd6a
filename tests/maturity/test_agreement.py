"""r_WG and Kendall's W against published numbers and loop oracles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from custcentric.exceptions import InvalidInputError
from custcentric.maturity import kendall_w, rwg
from custcentric.maturity._agreement import average_ranks


def test_rwg_methods_1_4_vector():
    # methods.md §1.4 (b), test vector T2 [C]; James, Demaree & Wolf (1984) eq. 1:
    # ratings 4, 4, 5, 3, 4 on a 5-point scale -> s² = 0.5, σ²_EU = 2.0, r_WG = 0.75. Exact.
    assert rwg([4, 4, 5, 3, 4], n_options=5) == pytest.approx(0.75, abs=1e-15)


def test_rwg_extremes_and_truncation():
    assert rwg([3, 3, 3], n_options=5) == 1.0
    # variance 4.0 > σ²_EU = 2.0 -> truncated to 0
    assert rwg([1, 5, 1, 5], n_options=5) == 0.0
    assert rwg([[1, 1], [5, 5], [1, 1], [5, 5]], n_options=5) == 0.0


def _rwg_loop(column, a):
    k = len(column)
    mean = sum(column) / k
    s2 = sum((x - mean) ** 2 for x in column) / (k - 1)
    return max(0.0, 1.0 - s2 / ((a * a - 1) / 12))


@settings(max_examples=60, deadline=None)
@given(
    a=st.integers(2, 9),
    data=st.data(),
)
def test_rwg_j_matches_loop_and_spearman_brown(a, data):
    k = data.draw(st.integers(2, 8))
    j = data.draw(st.integers(1, 6))
    x = data.draw(hnp.arrays(np.int64, (k, j), elements=st.integers(1, a)))
    per_item = rwg(x, n_options=a, per_item=True)
    for col in range(j):
        assert per_item[col] == pytest.approx(_rwg_loop(x[:, col].tolist(), a), abs=1e-12)
    null = (a * a - 1) / 12
    mean_var = float(np.mean([np.var(x[:, c], ddof=1) for c in range(j)]))
    r = 1 - mean_var / null
    expected = 0.0 if r <= 0 else j * r / (1 + (j - 1) * r)  # Spearman-Brown step-up
    got = rwg(x, n_options=a)
    assert got == pytest.approx(expected, abs=1e-12)
    assert 0.0 <= got <= 1.0
    if j == 1:
        assert got == pytest.approx(per_item[0], abs=1e-12)


def test_kendall_w_nag_g08daf_example_with_ties():
    # NAG Library g08daf example (data of Siegel 1956, ch. 9: 3 comparisons x 10 objects with ties):
    # published "Kendall's coefficient = 0.828, Significance = 0.008" (3 decimals, so tol 5e-4).
    x = [
        [1.0, 4.5, 2.0, 4.5, 3.0, 7.5, 6.0, 9.0, 7.5, 10.0],
        [2.5, 1.0, 2.5, 4.5, 4.5, 8.0, 9.0, 6.5, 10.0, 6.5],
        [2.0, 1.0, 4.5, 4.5, 4.5, 4.5, 8.0, 8.0, 8.0, 10.0],
    ]
    result = kendall_w(x)
    assert result.statistic == pytest.approx(0.828, abs=5e-4)
    assert result.pvalue == pytest.approx(0.008, abs=5e-4)
    assert result.df == 9
    assert result.chi_square == pytest.approx(3 * 9 * result.statistic)
    # without the tie correction W would be 0.796: the correction matters here
    assert 12 * np.sum((result.rank_sums - 16.5) ** 2) / (9 * 990) == pytest.approx(
        0.79596, abs=1e-5
    )
    assert "Kendall's W = 0.8277" in str(result)


def _kendall_loop(x):
    m, n = len(x), len(x[0])
    ranks = [stats.rankdata(row).tolist() for row in x]
    sums = [sum(ranks[r][i] for r in range(m)) for i in range(n)]
    mean = sum(sums) / n
    s = sum((v - mean) ** 2 for v in sums)
    ties = 0
    for row in x:
        for value in set(row):
            t = row.count(value)
            ties += t**3 - t
    return 12 * s / (m * m * (n**3 - n) - m * ties)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_kendall_w_matches_loop_and_friedman(data):
    m = data.draw(st.integers(2, 6))
    n = data.draw(st.integers(2, 7))
    x = data.draw(hnp.arrays(np.int64, (m, n), elements=st.integers(1, 4)))
    if all(len(set(row)) == 1 for row in x.tolist()):
        with pytest.raises(InvalidInputError, match="must not tie every item for every rater"):
            kendall_w(x)
        return
    result = kendall_w(x)
    assert result.statistic == pytest.approx(_kendall_loop(x.tolist()), abs=1e-12)
    assert 0.0 <= result.statistic <= 1.0
    # Friedman's chi-square with the tie correction is m (n - 1) W
    if n >= 3:
        friedman = stats.friedmanchisquare(*x.T)
        assert result.chi_square == pytest.approx(friedman.statistic, rel=1e-10)
        assert result.pvalue == pytest.approx(friedman.pvalue, rel=1e-9)
    # invariant to relabelling the raters and to reversing every ranking
    assert kendall_w(x[::-1]).statistic == pytest.approx(result.statistic, abs=1e-12)
    assert kendall_w(-x).statistic == pytest.approx(result.statistic, abs=1e-12)


def test_kendall_w_perfect_agreement_without_ties():
    x = np.tile(np.arange(1, 8), (4, 1))
    result = kendall_w(x)
    assert result.statistic == 1.0
    assert result.tie_correction == 0.0
    assert math.isclose(result.pvalue, stats.chi2.sf(4 * 6, 6))


def test_average_ranks_loop_oracle():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=(50, 9))
    expected = np.vstack([stats.rankdata(row) for row in x])
    np.testing.assert_array_equal(average_ranks(x), expected)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: rwg([4, 6, 2], n_options=5),
            r"`ratings` must be whole numbers in \[1, 5\] \(index 1: 6.0\)",
        ),
        (lambda: rwg([[1, 2], [2, 0]], n_options=5), r"\(rater 1, item 1: 0.0\)"),
        (
            lambda: rwg([4], n_options=5),
            r"`ratings` must hold at least 2 raters \(rows\) \(got 1\)",
        ),
        (lambda: rwg([4, 4.5], n_options=5), r"whole numbers in \[1, 5\] \(index 1: 4.5\)"),
        (lambda: rwg([1, 2], n_options=1), r"`n_options` must lie in \[2, 1e\+06\]"),
        (
            lambda: rwg(np.ones((2, 2, 2)), n_options=5),
            r"one- or two-dimensional \(got shape \(2, 2, 2\)\)",
        ),
        (lambda: rwg(["a", "b"], n_options=5), r"`ratings` must hold numbers"),
        (lambda: kendall_w([1, 2, 3]), r"`rankings` must be two-dimensional: raters x items"),
        (lambda: kendall_w([[1, 2, 3]]), r"at least 2 raters and 2 items \(got 1 x 3\)"),
        (
            lambda: kendall_w([[1, 2], [np.nan, 1]]),
            r"`rankings` must be finite \(rater 1, item 0: nan\)",
        ),
        (lambda: kendall_w([[1, 1], [2, 2]]), r"must not tie every item for every rater"),
    ],
)
def test_error_messages(call, message):
    with pytest.raises(InvalidInputError, match=message):
        call()
