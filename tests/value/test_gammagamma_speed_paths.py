"""The fast gamma-gamma fit: analytic derivatives, cent compression and the Newton path."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from custcentric.value import GammaGamma
from custcentric.value._gammagamma import _moment_start, _SpendData


def _sample(n: int = 4000, seed: int = 3, v: float = 15.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 12, size=n)
    m = GammaGamma(6.0, 4.0, v).simulate(x, rng=rng)
    return x, m


def test_grouped_log_likelihood_equals_the_per_customer_sum(cdnow):
    keep = cdnow.frequency > 0
    x, m = cdnow.frequency[keep].astype(float), cdnow.monetary[keep]
    data = _SpendData.build(x, m, np.ones(x.size))
    for theta in ([6.25, 3.74, 15.44], [1.0, 2.0, 30.0], [20.0, 0.5, 2.0]):
        total = GammaGamma(*theta).log_likelihood(x.astype(int), m).sum()
        assert data.loglik(np.array(theta)) == pytest.approx(total, rel=1e-12)
        assert data.derivatives(np.array(theta), hessian=False)[0] == pytest.approx(
            total, rel=1e-12
        )


@pytest.mark.parametrize("theta", [[6.25, 3.74, 15.44], [1.5, 0.8, 4.0], [30.0, 9.0, 100.0]])
def test_analytic_gradient_and_hessian_match_finite_differences(cdnow, theta):
    # Forward differences with step 1e-6 relative to each parameter: the truncation and
    # rounding error is about 1e-5 of the largest entry, so the tolerance is 1e-4 relative
    # to the largest gradient (Hessian) entry.
    keep = cdnow.frequency > 0
    x, m = cdnow.frequency[keep].astype(float), cdnow.monetary[keep]
    w = np.linspace(0.5, 1.5, x.size)
    data = _SpendData.build(x, m, w)
    point = np.array(theta)
    step = 1e-6 * point
    _, grad, hess = data.derivatives(point, hessian=True)
    assert hess is not None
    numeric = approx_fprime(point, data.loglik, step)
    np.testing.assert_allclose(grad, numeric, rtol=0, atol=1e-4 * np.abs(numeric).max())
    numeric_h = np.array(
        [
            approx_fprime(point, lambda t, i=i: data.derivatives(t, hessian=False)[1][i], step)
            for i in range(3)
        ]
    )
    np.testing.assert_allclose(hess, numeric_h, rtol=0, atol=1e-4 * np.abs(numeric_h).max())
    np.testing.assert_allclose(hess, hess.T, rtol=1e-12)


def test_compressed_fit_equals_the_uncompressed_fit():
    x, m = _sample(20_000, v=1.5)  # mean spend about 3
    cents = np.round(m, 1)  # on the cent grid, and the totals in cents repeat
    w = np.ones(x.size)
    packed = _SpendData.build(x.astype(float), cents, w)
    plain = _SpendData.build(x.astype(float), cents, w, compress=False)
    assert packed.spend.size < plain.spend.size  # the totals in cents repeat
    theta = np.array([6.0, 4.0, 1.5])
    assert packed.loglik(theta) == pytest.approx(plain.loglik(theta), rel=1e-12)
    for a, b in zip(
        packed.derivatives(theta, hessian=True)[1:],
        plain.derivatives(theta, hessian=True)[1:],
        strict=True,
    ):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    # the public fit on cent data equals the old (uncompressed, L-BFGS-B) answer
    fit = GammaGamma.fit(x, cents)
    ref = GammaGamma.fit(x, cents + 1e-7)  # off the cent grid: not compressed
    for name, value in fit.model.parameters.items():
        assert value == pytest.approx(ref.model.parameters[name], rel=1e-4), name
    direct = GammaGamma(**fit.model.parameters).log_likelihood(x, cents).sum()
    assert fit.log_likelihood == pytest.approx(direct, rel=1e-10)


def test_repeated_customers_equal_weights():
    x, m = _sample(600)
    cents = np.round(m, 2)
    twice = GammaGamma.fit(np.concatenate([x, x]), np.concatenate([cents, cents]))
    weighted = GammaGamma.fit(x, cents, weights=np.full(x.size, 2.0))
    for name, value in twice.model.parameters.items():
        assert value == pytest.approx(weighted.model.parameters[name], rel=1e-8), name
        assert twice.standard_errors[name] == pytest.approx(
            weighted.standard_errors[name], rel=1e-6
        )
    assert twice.log_likelihood == pytest.approx(weighted.log_likelihood, rel=1e-10)


@pytest.mark.parametrize("penalty", [0.0, 0.05])
def test_newton_fit_matches_the_generic_optimiser(cdnow, penalty):
    # The generic L-BFGS-B search of the shared base on the same objective; estimates to
    # 1e-5 relative, log-likelihood to 1e-9 relative.
    from custcentric.value._mle import fit_model

    keep = cdnow.frequency > 0
    x, m = cdnow.frequency[keep].astype(float), cdnow.monetary[keep]
    data = _SpendData.build(x, m, np.ones(x.size))
    ref = fit_model(
        GammaGamma,
        lambda t: float(GammaGamma(*t).log_likelihood(x.astype(int), m).sum()),
        [(1.0, 2.0, 30.0)],
        n_observations=float(x.size),
        penalty=penalty,
    )
    fit = GammaGamma.fit(cdnow, penalty=penalty)
    assert fit.success
    assert fit.message.startswith("converged")
    assert fit.penalty == penalty
    for name, value in fit.model.parameters.items():
        assert value == pytest.approx(ref.model.parameters[name], rel=1e-5), name
        assert fit.standard_errors[name] == pytest.approx(ref.standard_errors[name], rel=1e-2)
    assert fit.log_likelihood == pytest.approx(ref.log_likelihood, rel=1e-9)
    assert np.all(np.isfinite(_moment_start(data)))
