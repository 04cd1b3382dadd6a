"""The fast fit paths: Newton search, the paired Pareto/NBD objective, no threaded BLAS, FitResult.

Every fast path is checked against the slow, obviously-correct one it replaces (the sum of
per-history log-likelihoods, numerical derivatives, SciPy's L-BFGS-B, NumPy's LAPACK), never by
timing.
"""
# ruff: noqa: PT018

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from custcentric._stats import ConfidenceInterval
from custcentric.exceptions import ConvergenceWarning, InvalidInputError
from custcentric.value import BetaGeo, FitResult, GammaGamma, ParetoNBD, ShiftedBetaGeometric
from custcentric.value._histories import unique_histories
from custcentric.value._mle import (
    ParameterInterval,
    cholesky_solve,
    fit_model,
    inverse_positive_definite,
    vdot,
    weighted_sums,
)

THETAS = [
    (0.553, 10.578, 0.606, 11.669),  # CDNOW estimates (alpha < beta branch)
    (1.0, 5.0, 2.0, 1.0),  # alpha > beta branch
    (0.1, 100.0, 0.05, 3.0),
    (3.0, 1.0, 1.5, 50.0),
]


def _histories(summary):
    return unique_histories(
        np.asarray(summary.frequency, dtype=np.int64),
        np.asarray(summary.recency, dtype=np.float64),
        np.asarray(summary.T, dtype=np.float64),
    )


def _simulated(n=3000, seed=5):
    return ParetoNBD(0.5, 70.0, 0.7, 160.0).simulate(n, np.arange(1, n + 1) % 730 + 1.0, rng=seed)


# --------------------------------------------------------------------- Pareto/NBD objective
@pytest.mark.parametrize("theta", THETAS)
def test_paired_pareto_objective_equals_the_sum_of_history_rows(cdnow, theta):
    h = _histories(cdnow)
    loglik, loglik_and_score = ParetoNBD._objective(h)
    rows = ParetoNBD(*theta)._rows(h)
    total, _ = loglik_and_score(np.array(theta))
    assert total == pytest.approx(float(np.sum(h.weight * rows)), rel=1e-12)
    assert loglik(np.array(theta)) == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("theta", THETAS)
def test_pareto_gradient_equals_differences_of_the_likelihood(theta):
    h = _histories(_simulated())
    loglik, loglik_and_score = ParetoNBD._objective(h)
    point = np.array(theta)
    _, score = loglik_and_score(point)
    step = 1e-5
    numeric = np.array(
        [
            (loglik(point * np.exp(step * e)) - loglik(point * np.exp(-step * e))) / (2 * step) / t
            for e, t in zip(np.eye(4), point, strict=True)
        ]
    )
    np.testing.assert_allclose(score, numeric, rtol=1e-5, atol=1e-4)


def test_pareto_fit_equals_the_lbfgsb_search_on_the_per_history_sum():
    summary = _simulated(4000, seed=11)
    fast = ParetoNBD.fit(summary.frequency, summary.recency, summary.T)
    h = _histories(summary)

    def loglik(theta):
        return float(np.sum(h.weight * ParetoNBD(*theta)._rows(h)))

    slow = fit_model(ParetoNBD, loglik, ParetoNBD._starts(365.0), n_observations=h.n_customers)
    assert fast.message.startswith("converged: Newton")
    assert fast.log_likelihood >= slow.log_likelihood - 1e-6
    for name, value in slow.model.parameters.items():
        assert fast.model.parameters[name] == pytest.approx(value, rel=2e-4), name


# ------------------------------------------------------------------- no multithreaded BLAS
def test_newton_path_needs_no_scipy_minimize(cdnow, monkeypatch):
    # The Newton search replaces L-BFGS-B (whose tiny BLAS calls went through OpenBLAS's
    # threads); SciPy's minimize is only the fallback, so a fit that converges never calls it.
    import scipy.optimize

    def refuse(*args, **kwargs):
        raise AssertionError("minimize called")

    monkeypatch.setattr(scipy.optimize, "minimize", refuse)
    fit = BetaGeo.fit(cdnow)
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 279: r = 0.243, alpha = 4.414,
    # a = 0.793, b = 2.426, LL = -9582.4.
    assert fit.model.r == pytest.approx(0.243, abs=5e-4)
    assert fit.model.alpha == pytest.approx(4.414, abs=5e-4)
    assert fit.model.a == pytest.approx(0.793, abs=5e-4)
    assert fit.model.b == pytest.approx(2.426, abs=5e-4)
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    ParetoNBD.fit(cdnow)
    spend = GammaGamma.fit(cdnow)
    # Fader, Hardie & Lee (2005), JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44.
    assert [round(v, 2) for v in spend.model.parameters.values()] == [6.25, 3.74, 15.44]


def test_an_unidentified_parameter_is_still_reported():
    # Nobody ever repeats: the likelihood is flat in the purchase scale, so the search either
    # runs to the edge of the box or stops where the Hessian is singular; both warn.
    with pytest.warns(ConvergenceWarning):
        fit = BetaGeo.fit([0] * 50, [0.0] * 50, np.linspace(1, 50, 50))
    assert not fit.success or any(math.isnan(v) for v in fit.standard_errors.values())


def test_small_linear_algebra_equals_numpy():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 4))
    spd = a @ a.T + 4 * np.eye(4)
    b = rng.normal(size=4)
    np.testing.assert_allclose(cholesky_solve(spd.tolist(), b.tolist()), np.linalg.solve(spd, b))
    np.testing.assert_allclose(inverse_positive_definite(spd), np.linalg.inv(spd), rtol=1e-12)
    assert cholesky_solve((-spd).tolist(), b.tolist()) is None
    assert inverse_positive_definite(np.diag([1.0, -1.0])) is None
    x, y = rng.normal(size=100_000), rng.normal(size=100_000)
    assert vdot(x, y) == pytest.approx(float(np.dot(x, y)), rel=1e-12)
    w = rng.normal(size=(2, 100_000))
    np.testing.assert_allclose(weighted_sums(w, x), w @ x, rtol=1e-12)


# ------------------------------------------------------------------------------ FitResult
COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]


def test_intervals_are_confidence_intervals_that_still_read_as_pairs():
    fit = ShiftedBetaGeometric.fit_cohort(COHORT)
    intervals = fit.confidence_intervals(confidence_level=0.9)
    ci = intervals["alpha"]
    assert isinstance(ci, ConfidenceInterval) and isinstance(ci, ParameterInterval)
    assert ci.confidence_level == 0.9 and ci.method == "wald-log"
    low, high = ci
    assert (ci[0], ci[1], len(ci)) == (low, high, 2)
    assert ci == (low, high) and (low, high) == ci
    assert low < fit.model.alpha < high
    # theta * exp(-+ z SE / theta), z = 1.6449 for 90 %
    spread = 1.6448536269514722 * fit.standard_errors["alpha"] / fit.model.alpha
    assert low == pytest.approx(fit.model.alpha * math.exp(-spread), rel=1e-12)


def test_to_dict_is_strict_json_and_loads_back():
    fit = ShiftedBetaGeometric.fit_cohort(COHORT)
    data = json.loads(json.dumps(fit.to_dict(), allow_nan=False))
    back = FitResult.from_dict(data)
    assert back.model == fit.model
    assert back.to_dict() == data
    np.testing.assert_allclose(back.covariance, fit.covariance)
    assert back.summary() == fit.summary()


def test_non_finite_numbers_round_trip_as_none_and_summary_never_overflows():
    fit = FitResult(
        model=ParetoNBD(0.03, 0.5, 1e5, 11.7, time_unit="W"),
        log_likelihood=-9595.0,
        standard_errors={"r": 0.01, "alpha": 0.1, "s": 1e300, "beta": math.nan},
        covariance=np.full((4, 4), np.nan),
        n_observations=2357.0,
        penalty=0.0,
        success=False,
        message="a parameter ran to the edge",
        n_iter=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = fit.summary()
        frame = fit.to_pandas()
        data = json.loads(json.dumps(fit.to_dict(), allow_nan=False))
    assert "[0.0000, inf]" in text
    assert frame["upper"].tolist()[2] == math.inf
    assert data["standard_errors"]["beta"] is None
    assert data["confidence_intervals"]["s"]["high"] is None
    back = FitResult.from_dict(data)
    assert math.isnan(back.standard_errors["beta"]) and np.isnan(back.covariance).all()
    assert back.model.time_unit == "W"


def test_bic_without_customers_is_nan_not_an_error():
    fit = ShiftedBetaGeometric.fit_cohort(COHORT)
    data = fit.to_dict()
    data["n_observations"] = 0.0
    assert math.isnan(FitResult.from_dict(data).bic)


def test_older_dicts_without_covariance_load():
    fit = ShiftedBetaGeometric.fit_cohort(COHORT)
    data = fit.to_dict()
    for key in ("covariance", "confidence_intervals"):
        del data[key]
    back = FitResult.from_dict(data)
    assert back.model == fit.model and np.isnan(back.covariance).all()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.pop("model"), "lacks the entries model"),
        (lambda d: d.update(model={"model": "Nonsense", "a": 1.0}), "must be a model dict"),
        (lambda d: d.update(standard_errors={"alpha": 1.0}), "must map each parameter"),
        (lambda d: d.update(log_likelihood="high"), "must be a finite number"),
        (lambda d: d.update(covariance=[[1.0]]), "must be 2 rows of 2 numbers"),
    ],
)
def test_from_dict_refuses_bad_data(change, match):
    data = ShiftedBetaGeometric.fit_cohort(COHORT).to_dict()
    change(data)
    with pytest.raises(InvalidInputError, match=match):
        FitResult.from_dict(data)
    with pytest.raises(InvalidInputError, match="must be a dict"):
        FitResult.from_dict([1, 2])
