"""Gamma-gamma spend, sBG retention and BG/BB: published estimates, oracles and errors."""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pytest
from scipy import special

from custcentric.exceptions import InvalidInputError
from custcentric.value import BetaGeoBetaBinom, GammaGamma, ShiftedBetaGeometric

# Fader & Hardie (2007), J. Interactive Marketing 21(1), Table 1: % still active at the start
# and after each of the first seven years, for the "regular" and "high end" segments.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


# ----------------------------------------------------------------------------- Gamma-gamma
def test_gammagamma_reproduces_fader_hardie_lee_2005(cdnow):
    # Fader, Hardie & Lee (2005), JMR 42(4) (and Fader & Hardie 2013, "The gamma-gamma model
    # of monetary value"): 946 CDNOW customers with repeat purchases in weeks 1-39,
    # p = 6.25, q = 3.74, gamma = 15.44. Tolerance 5e-3 (two published decimals).
    fit = GammaGamma.fit(cdnow)
    assert fit.n_observations == 946
    for name, value in {"p": 6.25, "q": 3.74, "v": 15.44}.items():
        assert fit.model.parameters[name] == pytest.approx(value, abs=5e-3), name
    assert fit.success


def test_gammagamma_log_likelihood_equals_loop(cdnow, oracles):
    keep = cdnow.frequency > 0
    x, m = cdnow.frequency[keep], cdnow.monetary[keep]
    model = GammaGamma(6.25, 3.74, 15.44)
    np.testing.assert_allclose(
        model.log_likelihood(x, m), oracles.gammagamma_loglik(6.25, 3.74, 15.44, x, m), rtol=1e-12
    )


def test_expected_spend_is_the_weighted_mean(cdnow):
    model = GammaGamma(6.25, 3.74, 15.44)
    x, m = cdnow.frequency.astype(float), cdnow.monetary
    weight = (model.q - 1) / (model.p * x + model.q - 1)
    expected = weight * model.mean_spend + (1 - weight) * m
    np.testing.assert_allclose(model.expected_spend(cdnow), expected, rtol=1e-12)
    assert model.expected_spend([0], [0.0])[0] == pytest.approx(model.mean_spend)


def test_simulated_spend_matches_the_model():
    model = GammaGamma(6.0, 4.0, 15.0)
    x = np.full(30_000, 3)
    spend = model.simulate(x, rng=5)
    refit = GammaGamma.fit(x, spend)
    for name, value in model.parameters.items():
        assert abs(refit.model.parameters[name] - value) < 4 * refit.standard_errors[name], name


def test_gammagamma_refuses_undefined_spend_and_bad_values():
    with pytest.raises(
        InvalidInputError, match=r"expected spend is undefined when `q` <= 1 \(q = 0.9\)"
    ):
        GammaGamma(6.0, 0.9, 15.0).expected_spend([1], [10.0])
    with pytest.raises(InvalidInputError, match=r"expected spend is undefined when `q` <= 1"):
        _ = GammaGamma(6.0, 1.0, 15.0).mean_spend
    with pytest.raises(
        InvalidInputError,
        match=r"`monetary` must be positive for customers with repeat purchases \(customer 1: frequency 2, monetary 0.0\)",
    ):
        GammaGamma.fit([1, 2], [5.0, 0.0])
    with pytest.raises(
        InvalidInputError, match=r"`monetary` must be non-negative \(customer 0: -5.0\)"
    ):
        GammaGamma.fit([0, 2], [-5.0, 1.0])
    with pytest.raises(
        InvalidInputError, match="`frequency` must be positive for at least one customer"
    ):
        GammaGamma.fit([0, 0], [0.0, 0.0])
    with pytest.raises(
        InvalidInputError, match=r"`frequency` must be at least 1 .* \(customer 0: 0\)"
    ):
        GammaGamma(6.0, 4.0, 15.0).log_likelihood([0], [0.0])


# ----------------------------------------------------------------------------- sBG
@pytest.mark.parametrize(
    ("survivors", "alpha", "beta", "log_likelihood"),
    [
        # Fader & Hardie (2007), p. 82 and their spreadsheet: regular alpha = 0.704,
        # beta = 1.182 (LL -1680.3); high end alpha = 0.668, beta = 3.806 (LL -1611.2).
        (REGULAR, 0.704, 1.182, -1680.3),
        (HIGH_END, 0.668, 3.806, -1611.2),
    ],
)
def test_sbg_reproduces_fader_hardie_2007(survivors, alpha, beta, log_likelihood):
    fit = ShiftedBetaGeometric.fit_cohort(survivors)
    # Tolerance: half a unit of the last published digit.
    assert fit.model.alpha == pytest.approx(alpha, abs=5e-4)
    assert fit.model.beta == pytest.approx(beta, abs=5e-4)
    assert fit.log_likelihood == pytest.approx(log_likelihood, abs=0.05)


def test_sbg_per_customer_fit_equals_cohort_fit():
    counts = np.array(REGULAR)
    lost = counts[:-1] - counts[1:]
    duration = np.r_[np.repeat(np.arange(1, 8), lost), np.full(counts[-1], 7)]
    censored = np.r_[np.zeros(lost.sum(), bool), np.ones(counts[-1], bool)]
    per_customer = ShiftedBetaGeometric.fit(duration, censored)
    cohort = ShiftedBetaGeometric.fit_cohort(REGULAR)
    assert per_customer.log_likelihood == pytest.approx(cohort.log_likelihood, rel=1e-10)
    assert per_customer.model.alpha == pytest.approx(cohort.model.alpha, rel=1e-5)


def test_sbg_quantities_equal_their_recursions():
    model = ShiftedBetaGeometric(0.704, 1.182)
    a, b = model.alpha, model.beta
    survival, churn = [1.0], []
    for t in range(1, 13):  # methods.md §3.3 recursions
        churn.append(a / (a + b) if t == 1 else churn[-1] * (b + t - 2) / (a + b + t - 1))
        survival.append(survival[-1] * (b + t - 1) / (a + b + t - 1))
    np.testing.assert_allclose(model.survival(np.arange(13)), survival, rtol=1e-12)
    np.testing.assert_allclose(model.probability_churn(np.arange(1, 13)), churn, rtol=1e-12)
    np.testing.assert_allclose(
        model.retention_rate(np.arange(1, 13)), np.array(survival[1:]) / np.array(survival[:-1])
    )


def test_derl_equals_the_discounted_sum_and_the_constant_retention_limit():
    model = ShiftedBetaGeometric(0.668, 3.806)
    d = 0.10
    for k in range(5):
        s_k = model.survival(k)
        total = sum(model.survival(k + 1 + j) / s_k / (1 + d) ** j for j in range(4000))
        assert model.discounted_expected_residual_lifetime(k, discount_rate=d) == pytest.approx(
            total, rel=1e-9
        )
    # Without heterogeneity (alpha, beta -> infinity, retention r) DERL = r (1+d) / (1+d-r):
    # methods.md §3.3 (Gupta & Lehmann 2003) with the next payment undiscounted.
    homogeneous = ShiftedBetaGeometric(2e7, 8e7)
    r = 0.8
    assert homogeneous.discounted_expected_residual_lifetime(0, discount_rate=d) == pytest.approx(
        r * (1 + d) / (1 + d - r), rel=1e-5
    )


def test_sbg_simulation_refits():
    truth = ShiftedBetaGeometric(0.7, 1.2)
    duration, censored = truth.simulate(200_000, 8, rng=4)
    fit = ShiftedBetaGeometric.fit(duration, censored)
    assert abs(fit.model.alpha - 0.7) < 4 * fit.standard_errors["alpha"]
    assert abs(fit.model.beta - 1.2) < 4 * fit.standard_errors["beta"]


def test_sbg_refuses_bad_input():
    with pytest.raises(
        InvalidInputError, match=r"`survivors` must not rise .* \(period 3: 700.0 > 653.0\)"
    ):
        ShiftedBetaGeometric.fit_cohort([1000, 869, 653, 700])
    with pytest.raises(InvalidInputError, match=r"`survivors` must start with a positive count"):
        ShiftedBetaGeometric.fit_cohort([0, 0])
    with pytest.raises(
        InvalidInputError, match=r"`survivors` must be non-negative \(period 1: -1.0\)"
    ):
        ShiftedBetaGeometric.fit_cohort([10, -1])
    with pytest.raises(
        InvalidInputError, match=r"`duration` must be at least 1 period \(customer 1: 0\)"
    ):
        ShiftedBetaGeometric.fit([1, 0], [True, False])
    with pytest.raises(InvalidInputError, match=r"`censored` must hold booleans"):
        ShiftedBetaGeometric.fit([1, 2], [1, 0])
    with pytest.raises(InvalidInputError, match=r"undiscounted expected lifetime is infinite"):
        ShiftedBetaGeometric(0.7, 1.2).discounted_expected_residual_lifetime(0, discount_rate=0)


# ----------------------------------------------------------------------------- BG/BB
def test_bgbb_reproduces_fader_hardie_shang_2010(donations):
    # Fader, Hardie & Shang (2010), Marketing Science 29(6), p. 1094: the 1995 donor cohort
    # (11,104 donors, 6 opportunities): alpha = 1.204, beta = 0.750, gamma = 0.657,
    # delta = 2.783, LL = -33,225.6. Tolerance: 5e-4 on parameters, 0.05 on LL.
    fit = BetaGeoBetaBinom.fit(
        donations.frequency, donations.recency, donations.periods, weights=donations.weights
    )
    published = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
    for name, value in published.items():
        assert fit.model.parameters[name] == pytest.approx(value, abs=5e-4), name
    assert fit.log_likelihood == pytest.approx(-33225.6, abs=0.05)
    assert fit.n_observations == 11104


def test_bgbb_log_likelihood_equals_loop(donations, oracles):
    params = (1.204, 0.750, 0.657, 2.783)
    model = BetaGeoBetaBinom(*params)
    ours = model.log_likelihood(donations.frequency, donations.recency, donations.periods)
    loop = oracles.bgbb_loglik(*params, donations.frequency, donations.recency, donations.periods)
    np.testing.assert_allclose(ours, loop, rtol=1e-12)


def _beta_ratio(a1, b1, a0, b0):
    return math.exp(special.betaln(a1, b1) - special.betaln(a0, b0))


def test_bgbb_predictions_equal_explicit_sums(donations):
    m = BetaGeoBetaBinom(1.204, 0.750, 0.657, 2.783)
    al, be, ga, de = m.alpha, m.beta, m.gamma, m.delta
    # E[X(n)] = sum over opportunities k of P(alive at k) P(buy) = alpha/(alpha+beta) sum B(ga, de+k)/B(ga, de)
    for n in (1, 6, 11):
        explicit = al / (al + be) * sum(_beta_ratio(ga, de + k, ga, de) for k in range(1, n + 1))
        assert m.expected_purchases(n) == pytest.approx(explicit, rel=1e-12)
    x, t_x, n = donations.frequency, donations.recency, donations.periods
    likelihood = np.exp(m.log_likelihood(x, t_x, n))
    for i in range(len(x)):
        xi, ni = x[i], n[i]
        alive = _beta_ratio(al + xi, be + ni - xi, al, be) * _beta_ratio(ga, de + ni + 1, ga, de)
        assert m.probability_alive(x[i], t_x[i], n[i])[0] == pytest.approx(
            alive / likelihood[i], rel=1e-12
        )
        future = _beta_ratio(al + xi + 1, be + ni - xi, al, be) * sum(
            _beta_ratio(ga, de + ni + k, ga, de) for k in range(1, 6)
        )
        got = m.conditional_expected_purchases(x[i], t_x[i], n[i], n_future=5)[0]
        assert got == pytest.approx(future / likelihood[i], rel=1e-10)


def test_bgbb_simulation_refits():
    truth = BetaGeoBetaBinom(1.2, 0.75, 0.66, 2.8)
    x, t_x, n = truth.simulate(50_000, 6, rng=9)
    fit = BetaGeoBetaBinom.fit(x, t_x, n)
    for name, value in truth.parameters.items():
        assert abs(fit.model.parameters[name] - value) < 4 * fit.standard_errors[name], name


def test_bgbb_refuses_bad_input():
    with pytest.raises(
        InvalidInputError, match=r"`frequency` must not exceed `recency` \(customer 0: 3 > 2\)"
    ):
        BetaGeoBetaBinom.fit([3], [2], [6])
    with pytest.raises(
        InvalidInputError, match=r"`recency` must not exceed `n_periods` \(customer 0: 7 > 6\)"
    ):
        BetaGeoBetaBinom.fit([3], [7], [6])
    with pytest.raises(
        InvalidInputError,
        match=r"`recency` must be 0 when `frequency` is 0 \(customer 1: recency 2\)",
    ):
        BetaGeoBetaBinom.fit([1, 0], [1, 2], 6)


def test_fits_without_data_are_refused():
    # An empty fit used to stop at its start values with a Hessian warning (or fail inside
    # the optimiser); it now names what is missing.
    with pytest.raises(
        InvalidInputError,
        match=r"BetaGeoBetaBinom.fit: `frequency` must hold at least one customer to fit",
    ):
        BetaGeoBetaBinom.fit([], [], [])
    with pytest.raises(
        InvalidInputError, match=r"BetaGeoBetaBinom.fit: `weights` must not all be zero"
    ):
        BetaGeoBetaBinom.fit([1], [1], [6], weights=[0.0])
    with pytest.raises(
        InvalidInputError,
        match=r"ShiftedBetaGeometric.fit: `duration` must hold at least one customer to fit",
    ):
        ShiftedBetaGeometric.fit(np.array([], dtype=np.int64), np.array([], dtype=bool))
    with pytest.raises(
        InvalidInputError, match=r"ShiftedBetaGeometric.fit: `weights` must not all be zero"
    ):
        ShiftedBetaGeometric.fit([1, 2], [True, False], weights=[0.0, 0.0])
    with pytest.raises(InvalidInputError, match=r"GammaGamma.fit: `weights` must not all be zero"):
        GammaGamma.fit([1, 0], [5.0, 0.0], weights=[0.0, 1.0])


def test_bgbb_likelihood_memory_does_not_grow_with_the_opportunities(oracles):
    # Daily opportunities over a year: the likelihood used to stack one array per
    # opportunity (365 x 20,000 floats, about 58 MB, before the log-sum); a running
    # log-sum needs a few arrays per customer. The values still equal the loop oracle.
    model = BetaGeoBetaBinom(1.204, 0.750, 0.657, 2.783)
    x, t_x, n = model.simulate(20_000, 365, rng=3)
    tracemalloc.start()
    try:
        ours = model.log_likelihood(x, t_x, n)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6
    rows = slice(0, 20_000, 499)
    loop = oracles.bgbb_loglik(*model._vector(), x[rows], t_x[rows], n[rows])
    np.testing.assert_allclose(ours[rows], loop, rtol=1e-12)


def test_sbg_without_any_churn_warns_that_the_fit_means_nothing():
    from custcentric.exceptions import ConvergenceWarning, DegenerateDataWarning
    from custcentric.value import ShiftedBetaGeometric

    # Without churn the likelihood has no interior maximum: whether the optimiser's end point
    # also has an indefinite Hessian (a ConvergenceWarning) depends on the SciPy release.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ShiftedBetaGeometric.fit_cohort([1000, 1000, 1000])
    kinds = {type(w.message) for w in caught}
    assert DegenerateDataWarning in kinds
    assert any("no customer churned" in str(w.message) for w in caught)
    assert kinds <= {DegenerateDataWarning, ConvergenceWarning}
    # The per-customer form also says that the Hessian there gives no standard errors.
    with (
        pytest.warns(ConvergenceWarning, match="not negative definite"),
        pytest.warns(DegenerateDataWarning, match="no customer churned"),
    ):
        ShiftedBetaGeometric.fit([3, 3, 2], [True, True, True])
