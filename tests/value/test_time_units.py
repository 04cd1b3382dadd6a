"""Purchase models carry the time unit they were fitted in; numerics at extreme inputs."""
# ruff: noqa: PT018

from __future__ import annotations

import json
import time
import warnings

import numpy as np
import pytest

from custcentric.datasets import load_cdnow
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.value import (
    BetaGeo,
    FitResult,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
    customer_lifetime_value,
    holdout_check,
)

GG = GammaGamma(6.25, 3.74, 15.44)
PURCHASE_MODELS = [BetaGeo, ModifiedBetaGeo, ParetoNBD]


@pytest.fixture(scope="module")
def daily(cdnow):
    """The CDNOW customers with recency and T in days instead of weeks."""
    return CustomerSummary.from_arrays(
        cdnow.customer_id,
        cdnow.frequency,
        cdnow.recency * 7,
        cdnow.T * 7,
        cdnow.monetary,
        time_unit="D",
    )


@pytest.fixture(scope="module")
def weekly_fits(cdnow):
    return {cls: cls.fit(cdnow).model for cls in PURCHASE_MODELS}


# ------------------------------------------------------------------------ Task A: units
@pytest.mark.parametrize("cls", PURCHASE_MODELS, ids=lambda c: c.__name__)
def test_weekly_fit_values_a_daily_summary_like_the_weekly_one(cls, cdnow, daily, weekly_fits):
    # Before models carried their unit, a weekly BG/NBD applied to the daily summary read
    # T = 273 days as 273 weeks and gave another CLV, without a warning.
    model = weekly_fits[cls]
    assert model.time_unit == "W"
    on_weeks = customer_lifetime_value(
        model, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.01
    )
    on_days = customer_lifetime_value(
        model, GG, daily, horizon=12, time_unit="M", discount_rate=0.01
    )
    np.testing.assert_allclose(on_days, on_weeks, rtol=1e-10)
    # The old behaviour (the summary's numbers taken as weeks) is measurably different.
    unitless = cls(*model.parameters.values())
    wrong = customer_lifetime_value(
        unitless, GG, daily, horizon=12, time_unit="M", discount_rate=0.01
    )
    assert abs(wrong.total / on_weeks.total - 1) > 0.01


@pytest.mark.parametrize("cls", PURCHASE_MODELS, ids=lambda c: c.__name__)
def test_predictions_convert_a_summary_into_the_model_unit(cls, cdnow, daily, weekly_fits):
    model = weekly_fits[cls]
    np.testing.assert_allclose(
        model.probability_alive(daily), model.probability_alive(cdnow), rtol=1e-12
    )
    # t is in the model's unit (weeks) whatever the summary's unit.
    np.testing.assert_allclose(
        model.conditional_expected_purchases(daily, t=39.0),
        model.conditional_expected_purchases(cdnow, t=39.0),
        rtol=1e-10,
    )
    np.testing.assert_allclose(model.log_likelihood(daily), model.log_likelihood(cdnow), rtol=1e-12)
    if cls is ParetoNBD:
        np.testing.assert_allclose(
            model.discounted_expected_residual_transactions(daily, discount_rate=0.003),
            model.discounted_expected_residual_transactions(cdnow, discount_rate=0.003),
            rtol=1e-10,
        )


@pytest.mark.parametrize("cls", PURCHASE_MODELS, ids=lambda c: c.__name__)
def test_rate_parameters_scale_with_the_unit(cls, cdnow, daily, weekly_fits):
    weekly = weekly_fits[cls]
    in_days = cls.fit(daily).model
    assert in_days.time_unit == "D"
    rates = {"alpha", "beta"}
    for name, value in weekly.parameters.items():
        scale = 7.0 if name in rates else 1.0
        assert in_days.parameters[name] == pytest.approx(value * scale, rel=1e-3)
    # A daily summary can be fitted in weeks directly.
    again = cls.fit(daily, time_unit="W").model
    assert again.time_unit == "W"
    for name, value in weekly.parameters.items():
        assert again.parameters[name] == pytest.approx(value, rel=1e-4)


def test_arrays_only_fits_have_no_unit_unless_told(cdnow):
    arrays = (cdnow.frequency, cdnow.recency, cdnow.T)
    plain = BetaGeo.fit(*arrays).model
    assert plain.time_unit is None
    # Unknown unit: histories are used as given (the behaviour before units were carried).
    keyed = plain.probability_alive(cdnow)
    assert keyed.values.tolist() == plain.probability_alive(*arrays).tolist()
    assert BetaGeo.fit(*arrays, time_unit="W").model.time_unit == "W"
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of .* got 'weeks'"):
        BetaGeo.fit(*arrays, time_unit="weeks")
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of"):
        ParetoNBD(0.5, 10.0, 0.6, 11.0, time_unit="month")  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", PURCHASE_MODELS, ids=lambda c: c.__name__)
def test_time_unit_round_trips_and_old_dicts_still_load(cls, weekly_fits):
    model = weekly_fits[cls]
    data = json.loads(json.dumps(model.to_dict()))
    assert data["time_unit"] == "W"
    assert cls.from_dict(data) == model
    old = {k: v for k, v in data.items() if k != "time_unit"}
    restored = cls.from_dict(old)
    assert restored.time_unit is None
    assert restored.parameters == model.parameters
    assert restored != model  # the unit is part of the value
    with pytest.raises(InvalidInputError, match=r"and optionally time_unit"):
        cls.from_dict({"model": cls.__name__, "time_unit": "W"})
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of"):
        cls.from_dict({**data, "time_unit": "fortnight"})


def test_other_models_serialise_as_before():
    assert ShiftedBetaGeometric(0.7, 1.2).to_dict() == {
        "model": "ShiftedBetaGeometric",
        "alpha": 0.7,
        "beta": 1.2,
    }
    assert set(GG.to_dict()) == {"model", "p", "q", "v"}


def test_sampled_models_keep_the_unit(cdnow):
    fit = BetaGeo.fit(cdnow)
    assert {m.time_unit for m in fit.sample_models(3, rng=1)} == {"W"}


@pytest.mark.parametrize("cls", PURCHASE_MODELS, ids=lambda c: c.__name__)
def test_simulate_stamps_the_model_unit(cls, weekly_fits):
    model = weekly_fits[cls]
    assert model.simulate(10, 39.0, rng=1).time_unit == "W"
    assert model.simulate(10, 39.0, rng=1, time_unit="W").time_unit == "W"
    with pytest.raises(InvalidInputError, match=r"`time_unit` 'D' differs from .* 'W'"):
        model.simulate(10, 39.0, rng=1, time_unit="D")
    unitless = cls(*model.parameters.values())
    assert unitless.simulate(5, 39.0, rng=1).time_unit == "D"
    assert unitless.simulate(5, 39.0, rng=1, time_unit="h").time_unit == "h"


def test_holdout_check_converts_the_holdout_length():
    weeks = load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="W")
    days = load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="D")
    model = BetaGeo.fit(weeks.calibration).model
    a, b = holdout_check(model, weeks), holdout_check(model, days)
    np.testing.assert_allclose(b.expected, a.expected, rtol=1e-9)
    assert b.duration == pytest.approx(a.duration * 7)


# --------------------------------------------------------------------- Task B: numerics
def _fit_result(standard_errors: dict[str, float]) -> FitResult[ParetoNBD]:
    return FitResult(
        model=ParetoNBD(0.55, 10.6, 0.61, 11.7, time_unit="W"),
        log_likelihood=-9595.0,
        standard_errors=standard_errors,
        covariance=np.diag(np.square(list(standard_errors.values()))),
        n_observations=2357.0,
        penalty=0.0,
        success=True,
        message="",
        n_iter=10,
    )


def test_huge_standard_errors_give_unbounded_intervals_without_errors():
    # A poorly identified Pareto/NBD drop-out parameter: z * SE / theta far above 709,
    # where math.exp raised OverflowError from summary() and to_pandas().
    fit = _fit_result({"r": 0.03, "alpha": 0.5, "s": 1e5, "beta": float("nan")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        intervals = fit.confidence_intervals()
        text = fit.summary()
        frame = fit.to_pandas()
    assert intervals["s"] == (0.0, float("inf"))
    # No standard error (not identified): nothing bounds the positive parameter, never NaN ends.
    assert intervals["beta"] == (0.0, float("inf"))
    assert intervals["r"][0] < 0.55 < intervals["r"][1]
    assert "[0.0000, inf]" in text
    assert frame["upper"].tolist()[2] == float("inf")


@pytest.mark.parametrize("cls", [BetaGeo, ModifiedBetaGeo])
def test_betageo_expectation_is_quiet_up_to_its_bound_and_refuses_beyond(cls):
    model = cls(0.243, 4.414, 0.793, 2.426)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = model.expected_purchases(np.array([1e6, 1e9, 4.4e12]))
        conditional = model.conditional_expected_purchases([2], [30.0], [38.0], t=4e13)
    assert np.all(np.isfinite(values)) and np.all(np.diff(values) > 0)
    assert np.isfinite(conditional[0])
    # a > 1: the expectation is bounded by (a + b - 1) / (a - 1)
    bounded = cls(0.243, 4.414, 1.5, 2.426).expected_purchases(4.4e12)
    assert 0 < bounded < (1.5 + 2.426 - 1) / 0.5
    for t in (1e17, 1e300):
        with pytest.raises(InvalidInputError, match=r"`t` must be at most 1e\+12 times alpha"):
            model.expected_purchases(t)
    with pytest.raises(InvalidInputError, match=r"`t` must be at most 1e\+12 times alpha"):
        model.conditional_expected_purchases([2], [30.0], [38.0], t=1e20)


def test_pareto_dert_is_finite_at_huge_t_and_continuous_at_the_switch():
    model = ParetoNBD(0.553, 10.578, 0.606, 11.669)
    big_t = np.array([38.86, 1e5, 1e8, 1e15, 1e100, 1e300, 1e307])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dert = model.discounted_expected_residual_transactions(
            np.full(big_t.size, 2), np.full(big_t.size, 30.43), big_t, discount_rate=0.01
        )
    assert np.all(np.isfinite(dert)) and np.all(dert >= 0)
    assert np.all(np.diff(dert) <= 0)
    # Either side of the switch to the asymptotic series (w = delta (beta + T) = 1e6).
    delta = np.log1p(0.01)
    edge = 1e6 / delta - model.beta
    pair = model.discounted_expected_residual_transactions(
        [0, 0], [0.0, 0.0], [edge * (1 - 1e-9), edge * (1 + 1e-9)], discount_rate=0.01
    )
    assert pair[0] == pytest.approx(pair[1], rel=1e-7)


def test_clv_refuses_an_endless_horizon_before_any_work(cdnow):
    model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
    start = time.perf_counter()
    for horizon in (1e308, 10_001):
        with pytest.raises(InvalidInputError, match=r"`horizon` must be at most 10,000 periods"):
            customer_lifetime_value(
                model, GG, cdnow, horizon=horizon, time_unit="M", discount_rate=0.01
            )  # type: ignore[arg-type]
    assert time.perf_counter() - start < 1.0
