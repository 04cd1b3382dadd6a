"""BG/NBD and MBG/NBD: published estimates, loop oracles, predictions, edges and errors."""
# ruff: noqa: N803, N806, PT018

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from custcentric.exceptions import InvalidInputError
from custcentric.value import BetaGeo, ModifiedBetaGeo

PUBLISHED_BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_MBG = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}


@pytest.fixture(scope="module")
def bg_fit(cdnow):
    return BetaGeo.fit(cdnow)


@pytest.fixture(scope="module")
def mbg_fit(cdnow):
    return ModifiedBetaGeo.fit(cdnow)


def test_bgnbd_reproduces_fader_hardie_lee_2005_on_cdnow(bg_fit):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 280: r = 0.243, alpha = 4.414,
    # a = 0.793, b = 2.426, LL = -9582.4. Tolerance: half a unit in the last published digit.
    for name, value in PUBLISHED_BG.items():
        assert bg_fit.model.parameters[name] == pytest.approx(value, abs=5e-4), name
    assert bg_fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert bg_fit.success
    assert bg_fit.n_iter > 0


def test_bgnbd_predictions_match_hardies_spreadsheet(bg_fit):
    # Values from Hardie's BG/NBD Excel workbook for CDNOW (as pinned in lifetimes' tests):
    # E[X(t)] at t = 1/7, 1, 3, 31.857, 32, 78 weeks; tolerance 1e-3 (3 published decimals,
    # the 78-week value differs in the 4th decimal between the workbook and the exact MLE).
    times = np.array([0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00])
    expected = np.array([0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576])
    np.testing.assert_allclose(bg_fit.model.expected_purchases(times), expected, atol=1e-3)
    # FHL (2005), p. 281: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
    # 1.226 purchases in the next 39 weeks; tolerance 5e-4.
    value = bg_fit.model.conditional_expected_purchases(2, 30.43, 38.86, t=39)
    assert value[0] == pytest.approx(1.226, abs=5e-4)


def test_mbgnbd_matches_btydplus_on_cdnow(mbg_fit):
    # Batislam, Denizel & Filiztekin (2007) published no estimates on public data; the CDNOW
    # estimates of the BTYDplus R package (Platzer; also pinned in lifetimes' tests) are
    # r = 0.525, alpha = 6.183, a = 0.891, b = 1.614. Tolerance 5e-4.
    for name, value in PUBLISHED_MBG.items():
        assert mbg_fit.model.parameters[name] == pytest.approx(value, abs=5e-4), name


@pytest.mark.parametrize(("cls", "modified"), [(BetaGeo, False), (ModifiedBetaGeo, True)])
def test_log_likelihood_equals_loop_oracle(cdnow, oracles, cls, modified):
    params = (0.3, 5.0, 0.8, 2.5)
    vectorised = cls(*params).log_likelihood(cdnow)
    loop = oracles.bgnbd_loglik(*params, cdnow.frequency, cdnow.recency, cdnow.T, modified=modified)
    np.testing.assert_allclose(vectorised, loop, rtol=1e-12, atol=1e-10)


def test_fit_log_likelihood_is_the_sum_over_customers(bg_fit, cdnow):
    total = bg_fit.model.log_likelihood(cdnow).sum()
    assert bg_fit.log_likelihood == pytest.approx(total, rel=1e-12)


def test_conditional_expectation_equals_the_printed_formula(bg_fit, cdnow, oracles):
    m = bg_fit.model
    ours = m.conditional_expected_purchases(cdnow, t=52.0)
    textbook = oracles.bgnbd_conditional_textbook(
        m.r, m.alpha, m.a, m.b, cdnow.frequency, cdnow.recency, cdnow.T, 52.0
    )
    np.testing.assert_allclose(ours, textbook, rtol=1e-9)


def _posterior_oracle(model, x, t_x, T, t, *, modified):
    """E[future purchases] by integrating over p on a grid (lambda integrated analytically)."""
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    shift = 1 if modified else 0

    def weight(p):
        # joint density of the data and p, up to the common Gamma factor
        alive = (1 - p) ** (x + shift) * (alpha + T) ** -(r + x)
        dead = (
            p * (1 - p) ** (x - 1 + shift) * (alpha + t_x) ** -(r + x) if (x > 0 or modified) else 0
        )
        return stats.beta.pdf(p, a, b) * (alive + dead)

    def future(p):
        alive = (1 - p) ** (x + shift) * (alpha + T) ** -(r + x)
        e_decay = ((alpha + T) / (alpha + T + p * t)) ** (r + x)
        return stats.beta.pdf(p, a, b) * alive * (1 - e_decay) / p

    num, _ = integrate.quad(future, 0, 1, limit=200, epsabs=0, epsrel=1e-11)
    den, _ = integrate.quad(weight, 0, 1, limit=200, epsabs=0, epsrel=1e-11)
    return num / den


@pytest.mark.parametrize(("cls", "modified"), [(BetaGeo, False), (ModifiedBetaGeo, True)])
@pytest.mark.parametrize(("x", "t_x", "T"), [(0, 0.0, 30.0), (3, 20.0, 35.0), (12, 33.0, 38.0)])
def test_conditional_expectation_equals_numerical_posterior(cls, modified, x, t_x, T):
    model = cls(0.5, 6.0, 1.7, 2.5)
    ours = model.conditional_expected_purchases(x, t_x, T, t=26.0)[0]
    assert ours == pytest.approx(
        _posterior_oracle(model, x, t_x, T, 26.0, modified=modified), rel=1e-8
    )


@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_new_customer_expectation_is_conditional_at_time_zero_for_bgnbd(cls):
    model = cls(0.5, 6.0, 1.7, 2.5)
    simulated = model.simulate(200_000, 52.0, rng=7)
    # Sampling check (not an oracle): mean of 2e5 draws within 4 standard errors.
    mean = simulated.frequency.mean()
    se = simulated.frequency.std() / np.sqrt(simulated.frequency.size)
    assert abs(model.expected_purchases(52.0) - mean) < 4 * se


@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_probability_of_purchases_sums_to_one_and_matches_mean(cls):
    model = cls(0.5, 6.0, 1.7, 2.5)
    n = np.arange(0, 3000)
    probabilities = model.probability_of_purchases(n, 40.0)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-9)
    assert (probabilities >= 0).all()
    assert np.dot(n, probabilities) == pytest.approx(model.expected_purchases(40.0), rel=1e-8)


def test_probability_of_purchases_equals_the_printed_sum():
    # FHL (2005), eq. 8, with the negative-binomial tail as 1 - the explicit finite sum.
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    t = 39.0
    model = BetaGeo(r, alpha, a, b)
    from math import exp, lgamma

    def lbeta(u, v):
        return lgamma(u) + lgamma(v) - lgamma(u + v)

    for n in range(6):
        q = alpha / (alpha + t)
        first = (
            exp(lbeta(a, b + n) - lbeta(a, b) + lgamma(r + n) - lgamma(r) - lgamma(n + 1))
            * q**r
            * (1 - q) ** n
        )
        tail = 1 - sum(
            exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1)) * q**r * (1 - q) ** j for j in range(n)
        )
        second = exp(lbeta(a + 1, b + n - 1) - lbeta(a, b)) * tail if n > 0 else 0.0
        assert model.probability_of_purchases(n, t)[0] == pytest.approx(first + second, rel=1e-10)


def test_probability_alive_conventions(bg_fit, mbg_fit):
    # BG/NBD: a customer without repeat purchase cannot have dropped out (FHL 2005, eq. 11).
    assert bg_fit.model.probability_alive(0, 0.0, 38.0)[0] == 1.0
    # MBG/NBD: a one-time buyer may be dead.
    assert mbg_fit.model.probability_alive(0, 0.0, 38.0)[0] < 1.0


@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(0, 10_000),
    t_x=st.floats(0, 10_000),
    gap=st.floats(0, 10_000),
    t=st.floats(0, 10_000),
)
@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_extreme_histories_give_finite_answers_without_warnings(cls, x, t_x, gap, t):
    t_x = t_x if x > 0 else 0.0
    T = t_x + gap
    model = cls(0.243, 4.414, 0.793, 2.426)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ll = model.log_likelihood(x, t_x, T)
        alive = model.probability_alive(x, t_x, T)
        future = model.conditional_expected_purchases(x, t_x, T, t=t)
    assert np.isfinite(ll).all()
    assert 0.0 <= alive[0] <= 1.0
    assert np.isfinite(future).all() and future[0] >= 0


@settings(max_examples=40, deadline=None)
@given(x=st.integers(1, 500), t_x=st.floats(0, 100), extra=st.floats(0.01, 100))
def test_probability_alive_falls_as_the_last_purchase_recedes(x, t_x, extra):
    model = BetaGeo(0.243, 4.414, 0.793, 2.426)
    T = t_x + 50.0
    later = model.probability_alive(x, t_x, T + extra)[0]
    now = model.probability_alive(x, t_x, T)[0]
    assert later <= now + 1e-15


def test_fit_recovers_simulated_parameters():
    truth = BetaGeo(0.5, 6.0, 1.2, 3.0)
    data = truth.simulate(50_000, 100.0, rng=2026)
    fit = BetaGeo.fit(data)
    for name, value in truth.parameters.items():
        # within 4 standard errors of the truth
        assert abs(fit.model.parameters[name] - value) < 4 * fit.standard_errors[name], name


def test_weights_equal_repeated_rows(cdnow):
    x, t_x, T = cdnow.frequency[:300], cdnow.recency[:300], cdnow.T[:300]
    doubled = BetaGeo.fit(np.tile(x, 2), np.tile(t_x, 2), np.tile(T, 2))
    weighted = BetaGeo.fit(x, t_x, T, weights=np.full(300, 2.0))
    for name in PUBLISHED_BG:
        assert weighted.model.parameters[name] == pytest.approx(
            doubled.model.parameters[name], rel=1e-5
        )
    assert weighted.log_likelihood == pytest.approx(doubled.log_likelihood, rel=1e-9)


def test_penalty_shrinks_the_parameters(cdnow):
    plain = BetaGeo.fit(cdnow).model.parameters
    shrunk = BetaGeo.fit(cdnow, penalty=0.1).model.parameters
    assert sum(v**2 for v in shrunk.values()) < sum(v**2 for v in plain.values())


def test_model_is_a_value():
    model = BetaGeo(0.243, 4.414, 0.793, 2.426)
    assert model == BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert BetaGeo.from_dict(model.to_dict()) == model
    assert hash(model) == hash(BetaGeo(0.243, 4.414, 0.793, 2.426))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([1], [5.0], [4.0]), r"`recency` must not exceed `T` \(customer 0: 5.0 > 4.0\)"),
        (([0, -1], [0.0, 0.0], [4.0, 4.0]), r"`frequency` must be non-negative \(customer 1: -1\)"),
        (
            ([1, 0], [1.0, 2.0], [4.0, 4.0]),
            r"`recency` must be 0 when `frequency` is 0 \(customer 1: frequency 0, recency 2.0\)",
        ),
        (
            ([1, 2], [1.0], [4.0, 4.0]),
            r"`T` must have the same length as `frequency`|`recency` must have",
        ),
        (([1.5], [1.0], [4.0]), r"`frequency` must hold whole numbers \(customer 0: 1.5\)"),
        (([1], [np.nan], [4.0]), r"`recency` must be finite \(customer 0: nan\)"),
    ],
)
def test_bad_histories_are_refused(args, match):
    with pytest.raises(InvalidInputError, match=match):
        BetaGeo.fit(*args)


def test_bad_parameters_and_options_are_refused(cdnow):
    with pytest.raises(
        InvalidInputError, match=r"`alpha` of BetaGeo must be a finite positive number \(got -1.0\)"
    ):
        BetaGeo(0.2, -1, 0.5, 0.5)
    with pytest.raises(InvalidInputError, match=r"`penalty` must lie in \[0, inf\] \(got -1\)"):
        BetaGeo.fit(cdnow, penalty=-1)
    with pytest.raises(
        InvalidInputError, match=r"`weights` must have one entry per customer \(2 != 2357\)"
    ):
        BetaGeo.fit(cdnow, weights=[1.0, 2.0])
    with pytest.raises(
        InvalidInputError, match="pass either a CustomerSummary or the three arrays"
    ):
        BetaGeo.fit(cdnow, [1.0], [2.0])
    with pytest.raises(InvalidInputError, match=r"`recency` and `T` are needed"):
        BetaGeo.fit([1, 2])
    with pytest.raises(InvalidInputError, match=r"`t` must lie in \[0, inf\] \(got -1\)"):
        BetaGeo(0.2, 1, 0.5, 0.5).conditional_expected_purchases(cdnow, t=-1)
    with pytest.raises(InvalidInputError, match="exactly the parameters r, alpha, a, b"):
        BetaGeo.from_dict({"r": 1.0})


@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_probability_of_purchases_at_time_zero_is_a_point_mass(cls):
    # At t = 0 nobody has bought yet: P(X(0) = 0) = 1 exactly (the negative binomial term is
    # 0 * log(0) there, which must not become NaN nor warn).
    model = cls(0.243, 4.414, 0.793, 2.426)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        at_zero = model.probability_of_purchases([0, 1, 2], 0.0)
    assert at_zero.tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)


@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_fit_without_data_is_refused(cls):
    name = cls.__name__
    with pytest.raises(
        InvalidInputError,
        match=rf"{name}.fit: `frequency` must hold at least one customer to fit \(got 0 customers\)",
    ):
        cls.fit([], [], [])
    with pytest.raises(InvalidInputError, match=rf"{name}.fit: `weights` must not all be zero"):
        cls.fit([1, 0], [2.0, 0.0], [5.0, 5.0], weights=[0.0, 0.0])
