"""CLV with explicit time units, RFM scores, the holdout check and the FitResult surface."""
# ruff: noqa: PT018

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.datasets import load_cdnow
from custcentric.exceptions import ConvergenceWarning, InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.value import (
    PERIOD_DAYS,
    BetaGeo,
    FitResult,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    TieMethod,
    customer_lifetime_value,
    holdout_check,
    rfm_scores,
)

BG = BetaGeo(0.243, 4.414, 0.793, 2.426)
GG = GammaGamma(6.25, 3.74, 15.44)


# ----------------------------------------------------------------------------- CLV
@pytest.mark.parametrize(
    "model",
    [BG, ModifiedBetaGeo(0.525, 6.183, 0.891, 1.614), ParetoNBD(0.553, 10.578, 0.606, 11.669)],
)
def test_clv_equals_a_loop_over_months_and_customers(cdnow, model):
    result = customer_lifetime_value(
        model, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.01
    )
    assert result.customer_id.tolist() == cdnow.customer_id.tolist()
    assert (result.name, result.unit) == ("clv", "currency")
    clv = np.asarray(result)
    step = 365.25 / 12 / 7  # one mean month in weeks
    spend = np.asarray(GG.expected_spend(cdnow))
    rows = range(0, len(cdnow), 37)
    for i in rows:
        total, previous = 0.0, 0.0
        for k in range(1, 13):
            args = (cdnow.frequency[i], cdnow.recency[i], cdnow.T[i])
            current = model.conditional_expected_purchases(*args, t=k * step)[0]
            total += spend[i] * (current - previous) / 1.01**k
            previous = current
        assert clv[i] == pytest.approx(total, rel=1e-10)


def test_clv_does_not_depend_on_the_summary_time_unit(cdnow):
    # The same customers in days, with the model's rate parameter rescaled to days, must get
    # the same 12-month CLV: periods are calendar lengths, not "30 days" or "4 weeks".
    days = CustomerSummary.from_arrays(
        cdnow.customer_id,
        cdnow.frequency,
        cdnow.recency * 7,
        cdnow.T * 7,
        cdnow.monetary,
        time_unit="D",
    )
    in_days = BetaGeo(BG.r, BG.alpha * 7, BG.a, BG.b)
    a = customer_lifetime_value(BG, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.01)
    b = customer_lifetime_value(in_days, GG, days, horizon=12, time_unit="M", discount_rate=0.01)
    np.testing.assert_allclose(a, b, rtol=1e-10)
    yearly = customer_lifetime_value(BG, GG, cdnow, horizon=1, time_unit="Y", discount_rate=0.0)
    monthly = customer_lifetime_value(BG, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.0)
    np.testing.assert_allclose(yearly, monthly, rtol=1e-10)
    assert PERIOD_DAYS["M"] == pytest.approx(30.4375)


def test_clv_accepts_spend_values_and_margin(cdnow):
    spend = GG.expected_spend(cdnow)
    a = customer_lifetime_value(
        BG, spend, cdnow, horizon=6, time_unit="M", discount_rate=0.01, margin=0.3
    )
    b = customer_lifetime_value(BG, GG, cdnow, horizon=6, time_unit="M", discount_rate=0.01)
    np.testing.assert_allclose(a, 0.3 * np.asarray(b), rtol=1e-12)
    # Spend as a PerCustomer is matched by customer id, not by position.
    shuffled = spend.select(spend.customer_id[::-1])
    c = customer_lifetime_value(
        BG, shuffled, cdnow, horizon=6, time_unit="M", discount_rate=0.01, margin=0.3
    )
    np.testing.assert_allclose(c, a, rtol=0)
    with pytest.raises(InvalidInputError, match=r"`mask_or_ids` must hold ids of the customers"):
        customer_lifetime_value(
            BG,
            spend.select(spend.customer_id[:5]),
            cdnow,
            horizon=1,
            time_unit="M",
            discount_rate=0.01,
        )


def test_clv_refuses_bad_input_and_undefined_spend(cdnow):
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of .* \(got 'month'\)"):
        customer_lifetime_value(BG, GG, cdnow, horizon=12, time_unit="month", discount_rate=0.01)
    with pytest.raises(InvalidInputError, match=r"`horizon` must lie in \[1, inf\] \(got 0\)"):
        customer_lifetime_value(BG, GG, cdnow, horizon=0, time_unit="M", discount_rate=0.01)
    with pytest.raises(
        InvalidInputError, match=r"`purchase_model` must be a BetaGeo, .* \(got GammaGamma\)"
    ):
        customer_lifetime_value(GG, GG, cdnow, horizon=1, time_unit="M", discount_rate=0.01)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"expected spend is undefined when `q` <= 1"):
        customer_lifetime_value(
            BG, GammaGamma(6.0, 0.8, 15.0), cdnow, horizon=1, time_unit="M", discount_rate=0.01
        )
    with pytest.raises(
        InvalidInputError, match=r"`spend_model` values must be one per customer \(2 != 2357\)"
    ):
        customer_lifetime_value(BG, [1.0, 2.0], cdnow, horizon=1, time_unit="M", discount_rate=0.01)


def test_clv_of_no_customers_is_empty_like_the_other_predictions():
    # An empty base (e.g. a filter that kept nobody) used to fail with a bare AssertionError.
    none = np.zeros(0)
    empty = CustomerSummary.from_arrays(
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), none, none, none, time_unit="W"
    )
    clv = customer_lifetime_value(BG, GG, empty, horizon=12, time_unit="M", discount_rate=0.01)
    assert len(clv) == 0
    assert len(BG.conditional_expected_purchases(empty, t=52.0)) == 0


# ----------------------------------------------------------------------------- RFM
RECENCY = [5, 10, 10, 20, 30, 45, 60, 90, 120, 365]
FREQUENCY = [10, 8, 8, 5, 3, 3, 2, 1, 1, 1]
MONETARY = [900, 400, 650, 300, 220, 150, 80, 60, 40, 25]


def test_rfm_tie_methods_reproduce_the_reference_vector():
    # methods.md §3.1 test vector T9 (computed, [C]).
    ordinal = rfm_scores(
        time_since_last=RECENCY, frequency=FREQUENCY, monetary=MONETARY, tie_method="ordinal"
    )
    assert ordinal.recency_score.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert ordinal.frequency_score.tolist() == [5, 4, 5, 4, 3, 3, 2, 1, 1, 2]
    assert ordinal.monetary_score.tolist() == [5, 4, 5, 4, 3, 3, 2, 2, 1, 1]
    minimum = rfm_scores(time_since_last=RECENCY, frequency=FREQUENCY, monetary=MONETARY)
    assert minimum.tie_method is TieMethod.MIN
    assert minimum.frequency_score.tolist() == [5, 4, 4, 4, 3, 3, 2, 1, 1, 1]
    assert minimum.recency_score.tolist() == [5, 4, 4, 4, 3, 3, 2, 2, 1, 1]
    assert minimum.code[0] == 555 and minimum.total[-1] == 3


def test_rfm_quantile_edges_and_thresholds():
    edges = rfm_scores(
        time_since_last=RECENCY, frequency=FREQUENCY, monetary=MONETARY, tie_method="quantile_edges"
    )
    # Cut points (1, 2.6, 3.8, 8) with lower <= x < upper: the first edge equals the minimum,
    # so bin 1 stays empty (methods.md §3.1: quantile edges can use fewer than n_bins bins).
    assert edges.frequency_score.tolist() == [5, 5, 5, 4, 3, 3, 2, 2, 2, 2]
    fixed = rfm_scores(
        time_since_last=RECENCY,
        frequency=FREQUENCY,
        monetary=MONETARY,
        n_bins=3,
        tie_method="thresholds",
        thresholds={"time_since_last": [30, 90], "frequency": [2, 5], "monetary": [100, 500]},
    )
    assert fixed.recency_score.tolist() == [3, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    assert fixed.frequency_score.tolist() == [3, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    assert json.loads(json.dumps(fixed.to_dict()))["n_bins"] == 3
    assert list(fixed.to_pandas().columns) == [
        "recency_score",
        "frequency_score",
        "monetary_score",
        "code",
        "total",
    ]
    assert str(fixed).startswith("RFMScores(10 customers, 3 bins")


@settings(max_examples=50, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 9), st.integers(0, 500)),
        min_size=1,
        max_size=60,
    ),
    seed=st.integers(0, 99),
)
def test_rfm_min_scores_do_not_change_when_customers_are_permuted(data, seed):
    rec, freq, money = (np.array(c, dtype=float) for c in zip(*data, strict=True))
    order = np.random.default_rng(seed).permutation(rec.size)
    base = rfm_scores(time_since_last=rec, frequency=freq, monetary=money)
    moved = rfm_scores(time_since_last=rec[order], frequency=freq[order], monetary=money[order])
    assert np.array_equal(base.code[order], moved.code)
    assert base.recency_score.min() >= 1 and base.recency_score.max() <= 5


def test_rfm_refuses_bad_input():
    with pytest.raises(InvalidInputError, match=r"`tie_method` must be one of 'ordinal', 'min'"):
        rfm_scores(time_since_last=[1], frequency=[1], monetary=[1], tie_method="dense")
    with pytest.raises(InvalidInputError, match=r"`thresholds` must be given"):
        rfm_scores(time_since_last=[1], frequency=[1], monetary=[1], tie_method="thresholds")
    with pytest.raises(
        InvalidInputError, match=r"`thresholds\['frequency'\]` must hold 4 increasing cut points"
    ):
        rfm_scores(
            time_since_last=[1],
            frequency=[1],
            monetary=[1],
            tie_method="thresholds",
            thresholds={
                "time_since_last": [1, 2, 3, 4],
                "frequency": [1, 1, 2, 3],
                "monetary": [1, 2, 3, 4],
            },
        )
    with pytest.raises(
        InvalidInputError, match=r"`time_since_last` must be non-negative \(customer 0: -1.0\)"
    ):
        rfm_scores(time_since_last=[-1], frequency=[1], monetary=[1])
    with pytest.raises(
        InvalidInputError, match=r"`monetary` must have the same length as `time_since_last`"
    ):
        rfm_scores(time_since_last=[1, 2], frequency=[1, 2], monetary=[1])
    with pytest.raises(InvalidInputError, match=r"`thresholds` is used only with"):
        rfm_scores(time_since_last=[1], frequency=[1], monetary=[1], thresholds={})


# ----------------------------------------------------------------------------- holdout
@pytest.fixture(scope="module")
def split():
    return load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="W")


def test_holdout_check_on_cdnow(split, cdnow):
    # The calibration summary equals the published one (FHL 2005's 39 weeks).
    assert int(split.calibration.frequency.sum()) == int(cdnow.frequency.sum())
    fit = BetaGeo.fit(split.calibration)
    check = holdout_check(fit.model, split)
    assert check.n_customers.sum() == len(cdnow)
    assert check.frequency.tolist() == list(range(8))
    assert check.total_actual == split.frequency_holdout.sum()
    # The model tracks the holdout within 15 % in total and per group is increasing.
    assert abs(check.total_expected / check.total_actual - 1) < 0.15
    assert np.all(np.diff(check.expected) > 0)
    assert "7+" in str(check)
    assert check.to_pandas().shape == (8, 4)
    assert json.loads(json.dumps(check.to_dict()))["max_frequency"] == 7


def test_holdout_check_refuses_bad_input(split):
    with pytest.raises(
        InvalidInputError, match=r"`model` must be a BetaGeo, .* \(got GammaGamma\)"
    ):
        holdout_check(GG, split)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"`split` must be a CalibrationHoldout \(got list\)"
    ):
        holdout_check(BG, [])  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- FitResult
def test_fit_result_surface(cdnow):
    fit = BetaGeo.fit(cdnow)
    intervals = fit.confidence_intervals(confidence_level=0.9)
    for name, (low, high) in intervals.items():
        assert low < fit.model.parameters[name] < high
    wide = fit.confidence_intervals()["r"]
    assert wide[0] < intervals["r"][0]
    assert fit.aic == pytest.approx(2 * 4 - 2 * fit.log_likelihood)
    assert fit.bic == pytest.approx(4 * np.log(2357) - 2 * fit.log_likelihood)
    assert json.loads(json.dumps(fit.to_dict()))["model"]["model"] == "BetaGeo"
    assert fit.to_pandas().shape == (4, 5)
    assert "log-likelihood -9,582.43" in fit.summary()
    assert fit.covariance.shape == (4, 4)
    with pytest.raises(
        InvalidInputError, match=r"`confidence_level` must lie in \(0, 1\) \(got 1.5\)"
    ):
        fit.confidence_intervals(confidence_level=1.5)


def _natural_hessian(loglik, theta):
    """Central-difference Hessian of ``loglik`` on the natural scale (the oracle)."""
    k = theta.size
    step = 1e-4 * theta
    out = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            e_i, e_j = np.zeros(k), np.zeros(k)
            e_i[i], e_j[j] = step[i], step[j]
            out[i, j] = (
                loglik(theta + e_i + e_j)
                - loglik(theta + e_i - e_j)
                - loglik(theta - e_i + e_j)
                + loglik(theta - e_i - e_j)
            ) / (4 * step[i] * step[j])
    return out


@pytest.mark.parametrize("penalty", [0.0, 0.1])
def test_standard_errors_are_the_inverse_information_of_the_log_likelihood(cdnow, penalty):
    # FitResult documents the errors as the inverse observed information of the
    # log-likelihood. Under an L2 penalty the log-likelihood's gradient is not zero at the
    # estimate, and converting the log-scale Hessian as if it were gave errors up to 2.8x
    # too large; both the analytic-gradient path (BetaGeo) and the finite-difference path
    # (GammaGamma) are checked against a natural-scale Hessian. Tolerance 1e-3 relative.
    cases = [
        (BetaGeo, (cdnow,), lambda m: m.log_likelihood(cdnow).sum()),
        (
            GammaGamma,
            (cdnow,),
            lambda m: m.log_likelihood(
                cdnow.frequency[cdnow.frequency > 0], cdnow.monetary[cdnow.frequency > 0]
            ).sum(),
        ),
    ]
    for cls, args, total in cases:
        fit = cls.fit(*args, penalty=penalty)
        theta = fit.model._vector()
        hessian = _natural_hessian(lambda t, cls=cls, total=total: total(cls(*t)), theta)
        oracle = np.sqrt(np.diag(np.linalg.inv(-hessian)))
        got = np.array(list(fit.standard_errors.values()))
        np.testing.assert_allclose(got, oracle, rtol=1e-3, err_msg=cls.__name__)


def test_data_that_cannot_identify_the_model_warn_and_say_so():
    # Nobody ever bought again: the drop-out parameters run off; the fit must say so.
    with pytest.warns(ConvergenceWarning, match="BetaGeo.fit"):
        fit = BetaGeo.fit(np.zeros(500, dtype=int), np.zeros(500), np.full(500, 30.0))
    assert not fit.success or not np.all(np.isfinite(list(fit.standard_errors.values())))
    assert np.all(np.isfinite(list(fit.model.parameters.values())))


def test_no_warning_on_cdnow_fits(cdnow):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for model in (BetaGeo, ModifiedBetaGeo, ParetoNBD):
            assert model.fit(cdnow).success


def test_prediction_intervals_from_parameter_draws(cdnow):
    fit = BetaGeo.fit(cdnow)
    models = fit.sample_models(4000, rng=1)
    r = np.array([m.r for m in models])
    # the draws centre on the estimate with the reported standard error (log-normal draws)
    assert r.mean() == pytest.approx(fit.model.r, rel=0.01)
    assert r.std() == pytest.approx(fit.standard_errors["r"], rel=0.05)
    low, high = fit.prediction_interval(
        lambda m: m.conditional_expected_purchases(cdnow, t=39.0).values[:5], rng=2
    )
    point = fit.model.conditional_expected_purchases(cdnow, t=39.0).values[:5]
    assert np.all(low <= point)
    assert np.all(point <= high)
    again = fit.prediction_interval(
        lambda m: m.conditional_expected_purchases(cdnow, t=39.0).values[:5], rng=2
    )
    np.testing.assert_array_equal(low, again[0])
    narrow = fit.prediction_interval(
        lambda m: m.expected_purchases(52.0), confidence_level=0.5, rng=2
    )
    wide = fit.prediction_interval(lambda m: m.expected_purchases(52.0), rng=2)
    assert wide[0][0] < narrow[0][0] < narrow[1][0] < wide[1][0]


def test_prediction_intervals_need_a_covariance(cdnow):
    fit = BetaGeo.fit(cdnow)
    broken = FitResult(
        model=fit.model,
        log_likelihood=fit.log_likelihood,
        standard_errors=fit.standard_errors,
        covariance=np.full((4, 4), np.nan),
        n_observations=fit.n_observations,
        penalty=0.0,
        success=True,
        message="",
        n_iter=1,
    )
    with pytest.raises(InvalidInputError, match="the covariance of this fit is not available"):
        broken.prediction_interval(lambda m: m.expected_purchases(1.0))
    with pytest.raises(InvalidInputError, match=r"`n_draws` must lie in \[1, inf\] \(got 0\)"):
        fit.sample_models(0)


@pytest.mark.parametrize(
    "model",
    [
        BetaGeo(0.243, 4.414, 0.793, 2.426),
        ModifiedBetaGeo(0.525, 6.183, 0.891, 1.614),
        ParetoNBD(0.553, 10.578, 0.606, 11.669),
        GammaGamma(6.25, 3.74, 15.44),
    ],
    ids=lambda m: type(m).__name__,
)
def test_every_model_round_trips_through_json(model):
    data = json.loads(json.dumps(model.to_dict()))
    assert data["model"] == type(model).__name__
    assert type(model).from_dict(data) == model


@settings(max_examples=40, deadline=None)
@given(
    x=st.integers(0, 300),
    t_x=st.floats(0, 200),
    gap=st.floats(0, 200),
    extra=st.floats(0.01, 100),
)
def test_pareto_probability_alive_falls_as_time_passes_without_purchase(x, t_x, gap, extra):
    model = ParetoNBD(0.553, 10.578, 0.606, 11.669)
    t_x = t_x if x > 0 else 0.0
    now = model.probability_alive(x, t_x, t_x + gap)[0]
    later = model.probability_alive(x, t_x, t_x + gap + extra)[0]
    assert later <= now + 1e-12


@settings(max_examples=25, deadline=None)
@given(months=st.integers(1, 36), rate=st.floats(0, 0.1))
def test_clv_is_non_negative_and_grows_with_the_horizon(cdnow, months, rate):
    shorter = customer_lifetime_value(
        BG, GG, cdnow, horizon=months, time_unit="M", discount_rate=rate
    )
    longer = customer_lifetime_value(
        BG, GG, cdnow, horizon=months + 1, time_unit="M", discount_rate=rate
    )
    assert np.all(shorter.values >= 0)
    assert np.all(longer.values >= shorter.values)
