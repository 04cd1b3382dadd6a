"""BG/NBD and Pareto/NBD with time-invariant covariates (Fader & Hardie 2007, note 019).

Correct three ways: coefficients at zero reproduce the plain models exactly on CDNOW; the
log-likelihood equals a slow per-customer loop (numerical integration for Pareto/NBD); and
coefficients simulated with known values are recovered within 3 standard errors.
"""
# ruff: noqa: N806

from __future__ import annotations

import json

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.value import (
    BetaGeo,
    BetaGeoWithCovariates,
    CustomersWithCovariates,
    GammaGamma,
    ParetoNBD,
    ParetoNBDWithCovariates,
    PurchaseModel,
    customer_lifetime_value,
)

MODELS = [(BetaGeoWithCovariates, BetaGeo), (ParetoNBDWithCovariates, ParetoNBD)]


@pytest.fixture(scope="module")
def noise(cdnow):
    return np.random.default_rng(11).normal(size=len(cdnow))


@pytest.fixture(scope="module")
def plain_fits(cdnow):
    return {BetaGeo: BetaGeo.fit(cdnow), ParetoNBD: ParetoNBD.fit(cdnow)}


def _zero_model(cls, plain):
    return cls(
        **plain.parameters,
        purchase_coefficients=[0.0, 0.0],
        purchase_names=["noise", "other"],
        dropout_coefficients=[0.0],
        dropout_names=["noise"],
        time_unit=plain.time_unit,
    )


# ------------------------------------------------------------------- zero = the plain model
@pytest.mark.parametrize(("cls", "plain_cls"), MODELS)
def test_zero_coefficients_reproduce_the_plain_model_on_cdnow(
    cls, plain_cls, cdnow, noise, plain_fits
):
    plain = plain_fits[plain_cls].model
    model = _zero_model(cls, plain)
    zp = np.column_stack([noise, noise**2])
    kwargs = {"purchase_covariates": zp, "dropout_covariates": noise}
    np.testing.assert_allclose(
        model.log_likelihood(cdnow, **kwargs), plain.log_likelihood(cdnow), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        np.asarray(model.probability_alive(cdnow, **kwargs)),
        np.asarray(plain.probability_alive(cdnow)),
        rtol=1e-12,
        atol=1e-15,
    )
    for horizon in (1.0, 39.0, 520.0):
        np.testing.assert_allclose(
            np.asarray(model.conditional_expected_purchases(cdnow, t=horizon, **kwargs)),
            np.asarray(plain.conditional_expected_purchases(cdnow, t=horizon)),
            rtol=1e-12,
            atol=1e-15,
        )
    assert model.plain_model() == plain


@pytest.mark.parametrize(("cls", "plain_cls"), MODELS)
def test_fit_without_covariates_is_the_plain_fit(cls, plain_cls, cdnow, plain_fits):
    plain = plain_fits[plain_cls]
    fit = cls.fit(cdnow)
    assert fit.log_likelihood == pytest.approx(plain.log_likelihood, abs=1e-8)
    np.testing.assert_allclose(fit.estimate, plain.model._vector(), rtol=1e-6)
    np.testing.assert_allclose(fit.standard_error, list(plain.standard_errors.values()), rtol=1e-3)
    assert fit.likelihood_ratio_test() == {"statistic": 0.0, "df": 0.0, "p_value": 1.0}
    assert fit.model.time_unit == "W"


# ------------------------------------------------------------- log-likelihood oracles
def _individual(model, zp, zd):
    return model.individual_parameters(purchase_covariates=zp, dropout_covariates=zd)


def test_bgnbd_log_likelihood_equals_the_per_customer_loop(cdnow, oracles):
    rng = np.random.default_rng(5)
    n = 300
    x, t_x, T = cdnow.frequency[:n], cdnow.recency[:n], cdnow.T[:n]
    zp = np.column_stack([rng.integers(0, 2, n), rng.normal(size=n)]).astype(float)
    zd = rng.normal(size=(n, 1))
    model = BetaGeoWithCovariates(
        r=0.24,
        alpha=4.4,
        a=0.79,
        b=2.4,
        purchase_coefficients=[0.6, -0.4],
        purchase_names=["gold", "age"],
        dropout_coefficients=[0.9],
        dropout_names=["late"],
    )
    # Fader & Hardie (2007, note 019) as in CLVTools: alpha_i = alpha exp(-z'g_p),
    # a_i = a exp(z'g_d), b_i = b exp(z'g_d); written out here, not taken from the model.
    p = {
        "alpha": 4.4 * np.exp(-(zp @ [0.6, -0.4])),
        "a": 0.79 * np.exp(zd[:, 0] * 0.9),
        "b": 2.4 * np.exp(zd[:, 0] * 0.9),
    }
    for name, values in _individual(model, zp, zd).items():
        if name in p:
            np.testing.assert_allclose(values, p[name], rtol=1e-14)
    expected = np.array(
        [
            oracles.bgnbd_loglik(
                0.24, p["alpha"][i], p["a"][i], p["b"][i], [x[i]], [t_x[i]], [T[i]]
            )[0]
            for i in range(n)  # the slow, obviously correct loop
        ]
    )
    got = model.log_likelihood(x, t_x, T, purchase_covariates=zp, dropout_covariates=zd)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-8)


def test_pareto_log_likelihood_equals_the_integral_loop(cdnow, oracles):
    # Coefficients large enough that alpha_i >= beta_i for some customers and < for others:
    # both hypergeometric branches are checked against scipy.integrate.quad.
    rng = np.random.default_rng(6)
    n = 200
    x, t_x, T = cdnow.frequency[:n], cdnow.recency[:n], cdnow.T[:n]
    zp = rng.normal(size=(n, 1))
    zd = rng.normal(size=(n, 1))
    model = ParetoNBDWithCovariates(
        r=0.55,
        alpha=10.6,
        s=0.61,
        beta=11.7,
        purchase_coefficients=[0.8],
        purchase_names=["gold"],
        dropout_coefficients=[-0.7],
        dropout_names=["late"],
    )
    # alpha_i = alpha exp(-z'g_p), beta_i = beta exp(-z'g_d) (note 019; CLVTools' pnbd)
    p = {"alpha": 10.6 * np.exp(-0.8 * zp[:, 0]), "beta": 11.7 * np.exp(0.7 * zd[:, 0])}
    for name, values in _individual(model, zp, zd).items():
        if name in p:
            np.testing.assert_allclose(values, p[name], rtol=1e-14)
    assert (p["alpha"] >= p["beta"]).any()
    assert (p["alpha"] < p["beta"]).any()
    expected = np.array(
        [
            oracles.pareto_loglik(
                0.55, p["alpha"][i], 0.61, p["beta"][i], [x[i]], [t_x[i]], [T[i]]
            )[0]
            for i in range(n)
        ]
    )
    got = model.log_likelihood(x, t_x, T, purchase_covariates=zp, dropout_covariates=zd)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-8)


@pytest.mark.parametrize("cls", [BetaGeoWithCovariates, ParetoNBDWithCovariates])
def test_gradient_equals_finite_differences_of_the_likelihood(cls, cdnow):
    from custcentric.value._covariates import _distinct_rows

    rng = np.random.default_rng(8)
    n = len(cdnow)
    zp = rng.normal(size=(n, 2))
    zd = rng.integers(0, 2, size=(n, 1)).astype(float)
    rows = _distinct_rows(cdnow.frequency, cdnow.recency, cdnow.T, zp, zd, None)
    full = np.array([np.log(0.3), np.log(5.0), np.log(0.8), np.log(2.5), 0.2, -0.1, 0.4])
    total, grad = cls._total(full, rows, 2)
    model = cls(
        **dict(zip(cls._BASE, np.exp(full[:4]).tolist(), strict=True)),
        purchase_coefficients=full[4:6],
        purchase_names=["p0", "p1"],
        dropout_coefficients=full[6:],
        dropout_names=["d0"],
    )
    by_customer = model.log_likelihood(
        cdnow.frequency, cdnow.recency, cdnow.T, purchase_covariates=zp, dropout_covariates=zd
    )
    assert total == pytest.approx(by_customer.sum(), rel=1e-12)
    step = 1e-6
    numeric = np.empty(full.size)
    for i in range(full.size):
        up, down = full.copy(), full.copy()
        up[i] += step
        down[i] -= step
        numeric[i] = (cls._total(up, rows, 2)[0] - cls._total(down, rows, 2)[0]) / (2 * step)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-4)


# ---------------------------------------------------------------------- compression
def test_fit_on_distinct_rows_with_weights_equals_the_fit_on_every_customer():
    model = BetaGeoWithCovariates(
        r=0.3, alpha=5.0, a=0.8, b=2.5, purchase_coefficients=[0.5], purchase_names=["gold"]
    )
    rng = np.random.default_rng(2)
    gold = rng.integers(0, 2, 4000).astype(float)
    drawn = model.simulate(np.round(rng.uniform(10, 40, 4000)), purchase_covariates=gold, rng=3)
    # day-granular histories: many customers share (history, covariate row)
    x, t_x, T = drawn.frequency, np.round(drawn.recency), drawn.T
    t_x = np.where(x > 0, np.maximum(t_x, 1.0), 0.0)
    t_x = np.minimum(t_x, T)
    full = BetaGeoWithCovariates.fit(x, t_x, T, purchase_covariates=gold)
    assert full.n_distinct < 2000
    key = np.column_stack([x, t_x, T, gold])
    rows, counts = np.unique(key, axis=0, return_counts=True)
    weighted = BetaGeoWithCovariates.fit(
        rows[:, 0].astype(np.int64),
        rows[:, 1],
        rows[:, 2],
        purchase_covariates=rows[:, 3],
        weights=counts,
    )
    assert weighted.n_distinct == full.n_distinct == rows.shape[0]
    assert weighted.log_likelihood == pytest.approx(full.log_likelihood, rel=1e-12)
    np.testing.assert_allclose(weighted.estimate, full.estimate, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- parameter recovery
def _recover(cls, base, n, seed, *, max_z=3.0):
    truth = cls(
        **base,
        purchase_coefficients=[0.5, -0.3],
        purchase_names=["gold", "age"],
        dropout_coefficients=[0.8],
        dropout_names=["gold"],
        time_unit="W",
    )
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 2, n).astype(float)
    age = rng.normal(size=n)
    zp, zd = np.column_stack([gold, age]), gold[:, None]
    drawn = truth.simulate(39.0, purchase_covariates=zp, dropout_covariates=zd, rng=seed + 1)
    fit = cls.fit(
        drawn,
        purchase_covariates=zp,
        dropout_covariates=zd,
        covariate_names={"purchase": ["gold", "age"], "dropout": ["gold"]},
    )
    assert fit.success
    z = (fit.estimate - np.array(list(truth.parameters.values()))) / fit.standard_error
    assert np.all(np.abs(z) < max_z), dict(
        zip(fit.parameter.tolist(), z.round(2).tolist(), strict=True)
    )
    assert fit.likelihood_ratio_test()["p_value"] < 1e-6
    return fit


def test_bgnbd_recovers_known_coefficients():
    _recover(BetaGeoWithCovariates, {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}, 20_000, 1)


def test_pareto_recovers_known_coefficients():
    _recover(ParetoNBDWithCovariates, {"r": 0.55, "alpha": 10.6, "s": 0.61, "beta": 11.7}, 4_000, 2)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cls", "base"),
    [
        (BetaGeoWithCovariates, {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}),
        (ParetoNBDWithCovariates, {"r": 0.55, "alpha": 10.6, "s": 0.61, "beta": 11.7}),
    ],
)
def test_recovers_known_coefficients_on_100_000_customers(cls, base):
    _recover(cls, base, 100_000, 7)


def test_constraint_shares_one_coefficient(cdnow, noise):
    fit = BetaGeoWithCovariates.fit(
        cdnow,
        purchase_covariates=noise,
        dropout_covariates=noise,
        covariate_names=["noise"],
        constraints=["noise"],
    )
    assert fit.model.purchase_coefficients[0] == pytest.approx(fit.model.dropout_coefficients[0])
    assert fit.n_free == 5
    assert fit.standard_errors["purchase:noise"] == pytest.approx(
        fit.standard_errors["dropout:noise"]
    )
    free = BetaGeoWithCovariates.fit(
        cdnow, purchase_covariates=noise, dropout_covariates=noise, covariate_names=["noise"]
    )
    assert free.log_likelihood >= fit.log_likelihood - 1e-9
    assert fit.log_likelihood >= fit.plain_log_likelihood - 1e-9


def test_result_has_names_errors_intervals_and_strict_json(cdnow, noise):
    fit = ParetoNBDWithCovariates.fit(cdnow, purchase_covariates=noise, covariate_names=["noise"])
    assert fit.parameter.tolist() == ["r", "alpha", "s", "beta", "purchase:noise"]
    ci = fit.confidence_intervals(confidence_level=0.9)["purchase:noise"]
    se = fit.standard_errors["purchase:noise"]
    assert ci.high - ci.low == pytest.approx(2 * 1.6448536269514722 * se)
    assert ci.confidence_level == 0.9
    frame = fit.to_pandas()
    assert list(frame.columns) == ["parameter", "estimate", "standard_error", "lower", "upper"]
    json.dumps(fit.to_dict(), allow_nan=False)
    assert "purchase:noise" in str(fit)


# -------------------------------------------------------------------- predictions, CLV
def test_frame_covariates_are_matched_by_column_name(cdnow):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {"age": rng.normal(size=len(cdnow)), "gold": rng.integers(0, 2, len(cdnow))}
    )
    fit = BetaGeoWithCovariates.fit(cdnow, purchase_covariates=frame)
    assert fit.model.purchase_names == ("age", "gold")
    swapped = frame[["gold", "age"]]
    np.testing.assert_array_equal(
        np.asarray(fit.model.probability_alive(cdnow, purchase_covariates=swapped)),
        np.asarray(fit.model.probability_alive(cdnow, purchase_covariates=frame)),
    )
    with pytest.raises(InvalidInputError, match=r"purchase_covariates.*lacks.*'gold'"):
        fit.model.probability_alive(cdnow, purchase_covariates=frame[["age"]])


def test_bound_model_is_a_purchase_model_for_its_customers(cdnow):
    rng = np.random.default_rng(9)
    gold = rng.integers(0, 2, len(cdnow)).astype(float)
    model = ParetoNBDWithCovariates(
        r=0.55,
        alpha=10.6,
        s=0.61,
        beta=11.7,
        purchase_coefficients=[0.5],
        purchase_names=["gold"],
        time_unit="W",
    )
    bound = model.bind(cdnow, purchase_covariates=gold)
    assert isinstance(bound, PurchaseModel)
    assert isinstance(bound, CustomersWithCovariates)
    direct = model.probability_alive(cdnow, purchase_covariates=gold)
    np.testing.assert_array_equal(bound.probability_alive(cdnow).values, direct.values)
    some = CustomerSummary.from_arrays(
        cdnow.customer_id[[5, 2]],
        cdnow.frequency[[5, 2]],
        cdnow.recency[[5, 2]],
        cdnow.T[[5, 2]],
        time_unit="W",
    )
    np.testing.assert_allclose(
        bound.conditional_expected_purchases(some, t=10.0).values,
        np.asarray(model.conditional_expected_purchases(cdnow, t=10.0, purchase_covariates=gold))[
            [5, 2]
        ],
    )
    stranger = CustomerSummary.from_arrays([10**9], [1], [2.0], [3.0], time_unit="W")
    with pytest.raises(InvalidInputError, match=r"customer 1000000000 .*has no covariates"):
        bound.probability_alive(stranger)
    changed = CustomerSummary.from_arrays(
        cdnow.customer_id[:1], [cdnow.frequency[0] + 1], [cdnow.T[0]], [cdnow.T[0]], time_unit="W"
    )
    with pytest.raises(InvalidInputError, match="another history"):
        bound.probability_alive(changed)


def test_lifetime_value_with_covariates_equals_the_value_per_group(cdnow):
    gold = (cdnow.customer_id % 3 == 0).astype(float)
    model = BetaGeoWithCovariates(
        r=0.24,
        alpha=4.4,
        a=0.79,
        b=2.4,
        purchase_coefficients=[0.5],
        purchase_names=["gold"],
        time_unit="W",
    )
    spend = GammaGamma(p=6.25, q=3.74, v=15.44)
    options = {"horizon": 12, "time_unit": "M", "discount_rate": 0.01}
    got = customer_lifetime_value(
        model.bind(cdnow, purchase_covariates=gold), spend, cdnow, **options
    )
    expected = np.empty(len(cdnow))
    for value in (0.0, 1.0):  # a loop over the two groups: each is a plain BG/NBD
        at = gold == value
        group = CustomerSummary.from_arrays(
            cdnow.customer_id[at],
            cdnow.frequency[at],
            cdnow.recency[at],
            cdnow.T[at],
            cdnow.monetary[at],
            time_unit="W",
        )
        plain = BetaGeo(0.24, 4.4 * np.exp(-0.5 * value), 0.79, 2.4, time_unit="W")
        expected[at] = customer_lifetime_value(plain, spend, group, **options).values
    np.testing.assert_allclose(got.values, expected, rtol=1e-10)


def test_simulate_follows_the_covariates():
    model = BetaGeoWithCovariates(
        r=0.5, alpha=5.0, a=0.8, b=2.5, purchase_coefficients=[1.0], purchase_names=["gold"]
    )
    gold = np.repeat([0.0, 1.0], 20_000)
    drawn = model.simulate(39.0, purchase_covariates=gold, rng=1)
    low, high = drawn.frequency[:20_000].mean(), drawn.frequency[20_000:].mean()
    assert high > 1.5 * low  # the rate of a gold customer is e = 2.7 times as high


# ------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("cls", [BetaGeoWithCovariates, ParetoNBDWithCovariates])
def test_bad_covariates_are_refused_naming_argument_column_and_customer(cls, cdnow, noise):
    n = len(cdnow)
    with pytest.raises(
        InvalidInputError,
        match=r"`purchase_covariates` must have one row per customer \(10 rows, 2357",
    ):
        cls.fit(cdnow, purchase_covariates=np.zeros((10, 1)))
    bad = np.column_stack([noise, noise**2])
    bad[17, 1] = np.nan
    with pytest.raises(
        InvalidInputError,
        match=r"`dropout_covariates` must be finite: column 'b', customer 17 \(id 18\) has nan",
    ):
        cls.fit(cdnow, dropout_covariates=bad, covariate_names=["a", "b"])
    bad[17, 1] = np.inf
    with pytest.raises(InvalidInputError, match=r"column 'z1', customer 17 \(id 18\) has inf"):
        cls.fit(cdnow, purchase_covariates=bad)
    with pytest.raises(InvalidInputError, match=r"column 'one' is constant"):
        cls.fit(
            cdnow,
            purchase_covariates=np.column_stack([noise, np.ones(n)]),
            covariate_names=["z", "one"],
        )
    collinear = np.column_stack([noise, noise**2, 2 * noise - 3 * noise**2])
    with pytest.raises(
        InvalidInputError, match=r"column 'c' is collinear with the columns before it \('a', 'b'\)"
    ):
        cls.fit(cdnow, dropout_covariates=collinear, covariate_names=["a", "b", "c"])
    with pytest.raises(InvalidInputError, match="must hold numbers"):
        cls.fit(cdnow, purchase_covariates=np.array(["x"] * n))
    with pytest.raises(InvalidInputError, match=r"one column per name of `covariate_names`"):
        cls.fit(cdnow, purchase_covariates=noise, covariate_names=["a", "b"])
    with pytest.raises(InvalidInputError, match=r"`constraints` names 'noise'"):
        cls.fit(cdnow, purchase_covariates=noise, covariate_names=["noise"], constraints=["noise"])


def test_missing_covariates_at_prediction_are_refused(cdnow, noise):
    model = BetaGeoWithCovariates(
        r=0.24, alpha=4.4, a=0.79, b=2.4, dropout_coefficients=[0.5], dropout_names=["late"]
    )
    with pytest.raises(InvalidInputError, match=r"`dropout_covariates` is needed.*'late'"):
        model.probability_alive(cdnow)
    short = noise[:-1]
    with pytest.raises(
        InvalidInputError,
        match=r"`dropout_covariates` must have one row per customer \(2356 rows, 2357",
    ):
        model.conditional_expected_purchases(cdnow, t=10.0, dropout_covariates=short)
    gap = noise.copy()
    gap[3] = np.nan
    with pytest.raises(InvalidInputError, match=r"column 'late', customer 3 \(id 4\) has nan"):
        model.probability_alive(cdnow, dropout_covariates=gap)
    with pytest.raises(InvalidInputError, match="the model has no purchase covariates"):
        model.probability_alive(cdnow, purchase_covariates=noise, dropout_covariates=noise)


def test_model_values_are_checked():
    with pytest.raises(InvalidInputError, match="`alpha`"):
        BetaGeoWithCovariates(r=0.2, alpha=-1.0, a=0.8, b=2.0)
    with pytest.raises(InvalidInputError, match="one entry per name"):
        ParetoNBDWithCovariates(
            r=0.5,
            alpha=10.0,
            s=0.6,
            beta=12.0,
            purchase_coefficients=[1.0, 2.0],
            purchase_names=["a"],
        )
    with pytest.raises(InvalidInputError, match="finite"):
        ParetoNBDWithCovariates(
            r=0.5,
            alpha=10.0,
            s=0.6,
            beta=12.0,
            purchase_coefficients=[np.nan],
            purchase_names=["a"],
        )


def test_a_summary_in_another_unit_is_converted_into_the_models(cdnow):
    model = ParetoNBDWithCovariates(
        r=0.55,
        alpha=10.6,
        s=0.61,
        beta=11.7,
        purchase_coefficients=[0.5],
        purchase_names=["gold"],
        time_unit="W",
    )
    gold = (cdnow.customer_id % 2).astype(float)
    days = CustomerSummary.from_arrays(
        cdnow.customer_id, cdnow.frequency, cdnow.recency * 7, cdnow.T * 7, time_unit="D"
    )
    np.testing.assert_allclose(
        model.probability_alive(days, purchase_covariates=gold).values,
        model.probability_alive(cdnow, purchase_covariates=gold).values,
        rtol=1e-12,
    )
    in_days = ParetoNBDWithCovariates.fit(days, purchase_covariates=gold, time_unit="W")
    in_weeks = ParetoNBDWithCovariates.fit(cdnow, purchase_covariates=gold)
    assert in_days.model.time_unit == "W"
    assert in_days.log_likelihood == pytest.approx(in_weeks.log_likelihood, rel=1e-10)
