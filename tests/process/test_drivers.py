"""Relative weights and Shapley/LMG against slow oracles, and the rwa package's output."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.process import driver_importance


def _r2_lstsq(x, y):
    """R² of an ordinary least-squares fit with intercept (the slow way)."""
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ beta
    return 1.0 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def _shapley_oracle(x, y):
    """Regress y on every subset of drivers and average the marginal gains over orders."""
    p = x.shape[1]
    r2 = {(): 0.0}
    for size in range(1, p + 1):
        for subset in itertools.combinations(range(p), size):
            r2[subset] = _r2_lstsq(x[:, subset], y)
    phi = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            for subset in itertools.combinations(others, size):
                weight = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
                phi[j] += weight * (r2[tuple(sorted((*subset, j)))] - r2[subset])
    return phi, r2[tuple(range(p))]


def _relative_weights_oracle(x, y):
    """Johnson (2000) the original way: Z = P Qᵀ from the SVD of standardised X, then regress."""
    zx = (x - x.mean(0)) / x.std(0)
    zy = (y - y.mean()) / y.std()
    p_mat, _, q_t = np.linalg.svd(zx, full_matrices=False)
    z = p_mat @ q_t * math.sqrt(len(y))
    beta, *_ = np.linalg.lstsq(z, zy, rcond=None)  # y on the orthogonal Z
    lam, *_ = np.linalg.lstsq(z, zx, rcond=None)  # each x_j on Z: Λ (k × j)
    return (lam.T**2) @ (beta**2)


def _data(seed, n=120, p=4):
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))  # a halo shared by every driver
    x = 0.7 * common + rng.normal(size=(n, p))
    y = x @ rng.uniform(-0.5, 1.5, size=p) + rng.normal(size=n)
    return x, y


@pytest.mark.parametrize("seed", range(4))
def test_shapley_matches_regressing_every_subset(seed):
    x, y = _data(seed)
    phi, r2 = _shapley_oracle(x, y)
    result = driver_importance(x, y, method="shapley")
    np.testing.assert_allclose(result.raw, phi, atol=1e-10)
    assert result.r_squared == pytest.approx(r2, abs=1e-10)
    assert result.raw.sum() == pytest.approx(r2, abs=1e-10)
    assert result.rescaled.sum() == pytest.approx(100.0)


@pytest.mark.parametrize("seed", range(4))
def test_relative_weights_match_johnsons_construction(seed):
    x, y = _data(seed, p=5)
    result = driver_importance(x, y)
    np.testing.assert_allclose(result.raw, _relative_weights_oracle(x, y), atol=1e-10)
    assert result.raw.sum() == pytest.approx(_r2_lstsq(x, y), abs=1e-10)


def _with_correlations(corr, n=500, seed=0):
    """Data whose sample correlation matrix is exactly ``corr`` (drivers first, outcome last)."""
    z = np.random.default_rng(seed).normal(size=(n, corr.shape[0]))
    q, _ = np.linalg.qr(z - z.mean(0))
    data = q @ np.linalg.cholesky(corr).T
    return data[:, :-1], data[:, -1]


def test_relative_weights_reproduce_the_rwa_package_example():
    # R package rwa (Martin Chan, CRAN; its README example), rwa(diamonds, "price",
    # c("depth", "carat")):
    # RXX off-diagonal 0.02822431, RXY = (-0.0106474, 0.9215913) -> R² 0.8506755,
    # raw weights depth 0.000729149, carat 0.849946308. Inputs are rounded to 7-8 digits,
    # so agreement is to 1e-6.
    corr = np.array(
        [[1.0, 0.02822431, -0.0106474], [0.02822431, 1.0, 0.9215913], [-0.0106474, 0.9215913, 1.0]]
    )
    x, y = _with_correlations(corr)
    result = driver_importance(x, y, names=["depth", "carat"])
    assert result.r_squared == pytest.approx(0.8506755, abs=1e-6)
    np.testing.assert_allclose(result.raw, [0.000729149, 0.849946308], atol=1e-6)
    np.testing.assert_allclose(result.rescaled, [0.08571412, 99.91428588], atol=1e-4)
    assert result.ranked() == ("carat", "depth")


def test_independent_drivers_split_r2_into_squared_correlations():
    corr = np.array([[1, 0, 0.5], [0, 1, 0.3], [0.5, 0.3, 1]])
    x, y = _with_correlations(corr)
    for method in ("relative_weights", "shapley"):
        result = driver_importance(x, y, method=method)  # type: ignore[arg-type]
        np.testing.assert_allclose(result.raw, [0.25, 0.09], atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), p=st.integers(1, 5))
def test_weights_are_non_negative_and_sum_to_r2(seed, p):
    x, y = _data(seed, n=40, p=p)
    for method in ("relative_weights", "shapley"):
        result = driver_importance(x, y, method=method)  # type: ignore[arg-type]
        assert (result.raw >= 0).all()
        assert result.raw.sum() == pytest.approx(result.r_squared, abs=1e-9)
        # Relabelling the drivers permutes the weights.
        perm = np.random.default_rng(seed).permutation(p)
        again = driver_importance(x[:, perm], y, method=method)  # type: ignore[arg-type]
        np.testing.assert_allclose(again.raw, result.raw[perm], atol=1e-9)


def test_bootstrap_intervals_are_seeded():
    x, y = _data(9, n=80, p=3)
    a = driver_importance(x, y, n_bootstrap=60, rng=5, confidence_level=0.9)
    b = driver_importance(x, y, n_bootstrap=60, rng=np.random.default_rng(5), confidence_level=0.9)
    assert a.raw_ci is not None
    assert a.rescaled_ci is not None
    np.testing.assert_array_equal(a.raw_ci, b.raw_ci)
    assert (a.raw_ci[:, 0] <= a.raw_ci[:, 1]).all()
    assert a.n_bootstrap == 60
    assert a.n_failed == 0
    assert a.to_dict()["rescaled_ci"] is not None
    assert "[" in a.summary()
    assert list(a.to_pandas().columns) == [
        "driver",
        "raw",
        "rescaled",
        "rescaled_lower",
        "rescaled_upper",
    ]
    shap = driver_importance(x, y, method="shapley", n_bootstrap=10, rng=1)
    assert shap.raw_ci is not None


def test_driver_errors():
    x, y = _data(1, n=30, p=3)
    collinear = np.column_stack([x, x[:, 0] + x[:, 1]])
    with pytest.raises(InvalidInputError, match=r"`X` must not hold collinear drivers"):
        driver_importance(collinear, y)
    constant = x.copy()
    constant[:, 1] = 2.0
    with pytest.raises(
        InvalidInputError, match=r"`X` must not hold a constant driver \(driver 'b': all 2.0\)"
    ):
        driver_importance(constant, y, names=["a", "b", "c"])
    with pytest.raises(InvalidInputError, match=r"`y` must not be constant \(all 1.0\)"):
        driver_importance(x, np.ones(30))
    with pytest.raises(
        InvalidInputError, match=r"`X` must have at least 5 rows for 3 drivers \(got 4\)"
    ):
        driver_importance(x[:4], y[:4])
    with pytest.raises(
        InvalidInputError, match=r"`y` must have one value per row of `X` \(29 != 30\)"
    ):
        driver_importance(x, y[:-1])
    with pytest.raises(
        InvalidInputError, match=r"at most 15 drivers for method 'shapley' \(got 16"
    ):
        driver_importance(
            np.random.default_rng(0).normal(size=(40, 16)), np.arange(40.0), method="shapley"
        )
    with pytest.raises(
        InvalidInputError, match=r"`method` must be one of 'relative_weights', 'shapley'"
    ):
        driver_importance(x, y, method="lmg")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`X` must be two-dimensional"):
        driver_importance([1, 2, 3], [1, 2, 3])
    with pytest.raises(InvalidInputError, match=r"`names` must name the 3 drivers once each"):
        driver_importance(x, y, names=["a"])
    with pytest.raises(InvalidInputError, match=r"`X` must be finite \(index 0: nan\)"):
        driver_importance(np.full((30, 3), np.nan), y)
    with pytest.raises(InvalidInputError, match=r"`n_bootstrap` must lie in \[0, 100000\]"):
        driver_importance(x, y, n_bootstrap=-1)


def test_drivers_that_explain_nothing_warn_and_report_zero_shares():
    from custcentric.exceptions import DegenerateDataWarning

    x = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])  # uncorrelated with both drivers
    with pytest.warns(DegenerateDataWarning, match=r"explain none of `y` \(R² = 0\)"):
        result = driver_importance(x, y)
    assert result.r_squared == pytest.approx(0.0, abs=1e-12)
    assert result.rescaled.tolist() == [0.0, 0.0]
