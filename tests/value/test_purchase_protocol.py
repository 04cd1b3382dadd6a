"""The PurchaseModel protocol, results keyed by customer id, and DataFrames in.

A model of the user's own (not derived from the library's base) must go through
``customer_lifetime_value`` and ``holdout_check``; predictions on a summary or a DataFrame
carry the customers' ids; arrays in still give arrays out.
"""
# ruff: noqa: PT018

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

from custcentric.datasets import load_cdnow
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary, PerCustomer
from custcentric.value import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    PurchaseModel,
    customer_lifetime_value,
    holdout_check,
)

BG = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
MBG = ModifiedBetaGeo(0.525, 6.183, 0.891, 1.614, time_unit="W")
PARETO = ParetoNBD(0.553, 10.578, 0.606, 11.669, time_unit="W")
GG = GammaGamma(6.25, 3.74, 15.44)
MODELS = [BG, MBG, PARETO]


@attrs.frozen
class SteadyBuyer:
    """A user's model: every customer alive for ever, buying at ``rate`` per week.

    Written against the protocol only: no base class from the library.
    """

    rate: float
    time_unit: str = "W"

    def probability_alive(self, summary: CustomerSummary) -> np.ndarray:
        return np.ones(len(summary))

    def conditional_expected_purchases(self, summary: CustomerSummary, *, t: float) -> np.ndarray:
        return np.full(len(summary), self.rate * t)


@attrs.frozen
class BrokenBuyer(SteadyBuyer):
    def conditional_expected_purchases(self, summary: CustomerSummary, *, t: float) -> np.ndarray:
        return np.ones(3)


# ------------------------------------------------------------------------ protocol
def test_the_library_models_and_a_users_model_satisfy_the_protocol():
    for model in [*MODELS, SteadyBuyer(0.1)]:
        assert isinstance(model, PurchaseModel)
    assert not isinstance(GG, PurchaseModel)
    assert not isinstance(BetaGeoBetaBinom(1.2, 0.75, 0.66, 2.78), PurchaseModel)
    # BG/NBD and MBG/NBD are two classes with their own formulas, not one class and a flag.
    assert not hasattr(BetaGeo, "_MODIFIED") and not hasattr(ModifiedBetaGeo, "_MODIFIED")
    assert BetaGeo._log_dead_odds is not ModifiedBetaGeo._log_dead_odds


def test_a_users_model_goes_through_clv_against_the_closed_form(cdnow):
    model = SteadyBuyer(0.1)
    clv = customer_lifetime_value(model, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.01)
    assert isinstance(clv, PerCustomer)
    assert clv.customer_id.tolist() == cdnow.customer_id.tolist()
    # E(t) = rate * t, so each month brings rate * (one month in weeks) purchases.
    month = 365.25 / 12 / 7
    factor = sum(0.1 * month / 1.01**k for k in range(1, 13))
    expected = np.asarray(GG.expected_spend(cdnow)) * factor
    np.testing.assert_allclose(clv, expected, rtol=1e-12)


def test_a_users_model_is_given_the_summary_in_its_own_unit(cdnow):
    seen: list[str] = []

    @attrs.frozen
    class Recording(SteadyBuyer):
        def conditional_expected_purchases(
            self, summary: CustomerSummary, *, t: float
        ) -> np.ndarray:
            seen.append(summary.time_unit)
            return super().conditional_expected_purchases(summary, t=t)

    daily = CustomerSummary.from_arrays(
        cdnow.customer_id,
        cdnow.frequency,
        cdnow.recency * 7,
        cdnow.T * 7,
        cdnow.monetary,
        time_unit="D",
    )
    a = customer_lifetime_value(
        Recording(0.1), GG, daily, horizon=3, time_unit="M", discount_rate=0.0
    )
    b = customer_lifetime_value(
        SteadyBuyer(0.1), GG, cdnow, horizon=3, time_unit="M", discount_rate=0.0
    )
    assert set(seen) == {"W"}
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_users_model_goes_through_the_holdout_check():
    split = load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="W")
    check = holdout_check(SteadyBuyer(0.05), split)
    np.testing.assert_allclose(check.expected, 0.05 * float(split.duration_holdout))
    # The same model stated per day gets the holdout length in days.
    per_day = holdout_check(SteadyBuyer(0.05 / 7, time_unit="D"), split)
    np.testing.assert_allclose(per_day.expected, check.expected, rtol=1e-12)


def test_the_library_models_give_the_same_check_through_the_protocol():
    split = load_cdnow().calibration_holdout("1997-09-30", "1998-06-30", time_unit="W")
    check = holdout_check(BG, split)
    direct = np.asarray(BG.conditional_expected_purchases(split.calibration, t=39.0))
    assert check.total_expected == pytest.approx(direct.sum(), rel=1e-12)


def test_a_model_without_the_members_or_with_wrong_output_is_refused(cdnow):
    with pytest.raises(InvalidInputError, match=r"another PurchaseModel .* \(got GammaGamma\)"):
        customer_lifetime_value(GG, GG, cdnow, horizon=1, time_unit="M", discount_rate=0.0)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"`conditional_expected_purchases` must give one number per"
    ):
        customer_lifetime_value(
            BrokenBuyer(0.1), GG, cdnow, horizon=1, time_unit="M", discount_rate=0.0
        )
    with pytest.raises(InvalidInputError, match=r"`purchase_model.time_unit` must be one of"):
        customer_lifetime_value(
            SteadyBuyer(0.1, time_unit="month"),
            GG,
            cdnow,
            horizon=1,
            time_unit="M",
            discount_rate=0.0,
        )


def test_clv_fast_path_equals_the_protocol_path(cdnow):
    # The library's models offer expected_purchases_if_alive; without it CLV calls
    # conditional_expected_purchases once per period. Both give the same values.
    @attrs.frozen
    class OnlyTheProtocol:
        inner: BetaGeo

        @property
        def time_unit(self) -> str | None:
            return self.inner.time_unit

        def probability_alive(self, summary: CustomerSummary) -> PerCustomer:
            return self.inner.probability_alive(summary)

        def conditional_expected_purchases(
            self, summary: CustomerSummary, *, t: float
        ) -> PerCustomer:
            return self.inner.conditional_expected_purchases(summary, t=t)

    for model in MODELS:
        fast = customer_lifetime_value(
            model, GG, cdnow, horizon=6, time_unit="M", discount_rate=0.01
        )
        slow = customer_lifetime_value(
            OnlyTheProtocol(model), GG, cdnow, horizon=6, time_unit="M", discount_rate=0.01
        )
        np.testing.assert_allclose(fast, slow, rtol=1e-10)


def test_clv_at_a_huge_discount_rate_is_finite_and_only_counts_the_first_period(cdnow):
    # Was a raw OverflowError from (1 + d) ** k (battery: discount_rate 1e308).
    huge = customer_lifetime_value(BG, GG, cdnow, horizon=12, time_unit="M", discount_rate=1e308)
    first = customer_lifetime_value(BG, GG, cdnow, horizon=1, time_unit="M", discount_rate=0.0)
    assert np.all(np.isfinite(huge.values))
    np.testing.assert_allclose(huge, first.values / (1.0 + 1e308), rtol=1e-12, atol=1e-320)


# ------------------------------------------------------------------------ ids out
@pytest.mark.parametrize("model", MODELS, ids=lambda m: type(m).__name__)
def test_predictions_on_a_summary_carry_the_ids_and_equal_the_array_path(model, cdnow):
    arrays = (cdnow.frequency, cdnow.recency, cdnow.T)
    alive = model.probability_alive(cdnow)
    assert isinstance(alive, PerCustomer)
    assert (alive.name, alive.unit) == ("probability_alive", "probability")
    assert alive.customer_id.tolist() == cdnow.customer_id.tolist()
    plain = model.probability_alive(*arrays)
    assert type(plain) is np.ndarray
    np.testing.assert_array_equal(alive.values, plain)
    future = model.conditional_expected_purchases(cdnow, t=39.0)
    assert (future.name, future.unit) == ("expected_purchases", "purchases")
    np.testing.assert_array_equal(
        future.values, model.conditional_expected_purchases(*arrays, t=39.0)
    )
    assert type(model.log_likelihood(cdnow)) is np.ndarray


def test_dert_and_spend_carry_the_ids(cdnow):
    dert = PARETO.discounted_expected_residual_transactions(cdnow, discount_rate=0.003)
    assert (dert.name, dert.unit) == ("dert", "purchases")
    np.testing.assert_array_equal(
        dert.values,
        PARETO.discounted_expected_residual_transactions(
            cdnow.frequency, cdnow.recency, cdnow.T, discount_rate=0.003
        ),
    )
    spend = GG.expected_spend(cdnow)
    assert (spend.name, spend.unit) == ("expected_spend", "currency")
    assert type(GG.expected_spend(cdnow.frequency, cdnow.monetary)) is np.ndarray


def test_results_join_by_id_whatever_the_row_order(cdnow):
    pd = pytest.importorskip("pandas")
    order = np.random.default_rng(3).permutation(len(cdnow))
    shuffled = cdnow.select(cdnow.customer_id[order])
    a = customer_lifetime_value(BG, GG, cdnow, horizon=12, time_unit="M", discount_rate=0.01)
    b = customer_lifetime_value(BG, GG, shuffled, horizon=12, time_unit="M", discount_rate=0.01)
    joined = pd.concat([a.to_pandas(), b.to_pandas().rename("again")], axis=1)
    np.testing.assert_allclose(joined["clv"], joined["again"], rtol=1e-12)


# ------------------------------------------------------------------------ DataFrames in
def test_models_take_a_dataframe_with_the_summary_columns(cdnow):
    pytest.importorskip("pandas")
    frame = cdnow.to_pandas()
    fit = BetaGeo.fit(frame, time_unit="W")
    assert fit.model.time_unit == "W"
    assert fit.log_likelihood == pytest.approx(BetaGeo.fit(cdnow).log_likelihood, rel=1e-12)
    alive = BG.probability_alive(frame)
    assert isinstance(alive, PerCustomer)
    np.testing.assert_array_equal(alive.values, BG.probability_alive(cdnow).values)
    future = PARETO.conditional_expected_purchases(frame, t=39.0)
    np.testing.assert_array_equal(
        future.values, PARETO.conditional_expected_purchases(cdnow, t=39.0).values
    )
    spend = GammaGamma.fit(frame).model
    assert spend.p == pytest.approx(GammaGamma.fit(cdnow).model.p, rel=1e-12)
    np.testing.assert_array_equal(GG.expected_spend(frame), GG.expected_spend(cdnow))
    assert GG.expected_spend(frame).customer_id.tolist() == cdnow.customer_id.tolist()


def test_a_dataframe_is_read_in_the_model_unit_and_a_fit_needs_one(cdnow):
    pytest.importorskip("pandas")
    frame = cdnow.to_pandas()
    with pytest.raises(InvalidInputError, match=r"a DataFrame carries no time unit; pass"):
        BetaGeo.fit(frame)
    in_days = BetaGeo(BG.r, BG.alpha * 7, BG.a, BG.b, time_unit="D")
    daily = frame.assign(recency=frame["recency"] * 7, T=frame["T"] * 7)
    np.testing.assert_allclose(
        in_days.probability_alive(daily), BG.probability_alive(frame), rtol=1e-12
    )
    # The same checks as CustomerSummary.from_pandas: a missing column is named.
    with pytest.raises(InvalidInputError, match=r"recency"):
        BG.probability_alive(frame.drop(columns="recency"))
    bad = frame.assign(recency=frame["T"] + 1)
    with pytest.raises(InvalidInputError, match=r"`recency` must not exceed `T`"):
        BG.conditional_expected_purchases(bad, t=1.0)


def test_pandas_is_not_imported_by_the_value_models():
    import subprocess
    import sys

    code = (
        "import sys, custcentric.value as v\n"
        "m = v.BetaGeo(0.2, 4.0, 0.8, 2.4)\n"
        "m.probability_alive([1], [1.0], [2.0])\n"
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_probability_alive_stays_a_probability_through_every_route(cdnow):
    for model in MODELS:
        values = model.probability_alive(cdnow).values
        assert np.all((values >= 0) & (values <= 1))
        assert not math.isnan(float(values.sum()))


# ------------------------------------------------------------------------ simulated logs
@pytest.mark.parametrize(
    "model",
    [
        BetaGeo(2.0, 40.0, 0.8, 2.4, time_unit="W"),
        ModifiedBetaGeo(2.0, 40.0, 0.8, 2.4, time_unit="W"),
        ParetoNBD(2.0, 40.0, 0.6, 11.7, time_unit="W"),
    ],
    ids=lambda m: type(m).__name__,
)
def test_simulated_transactions_reproduce_the_model_expectations(model):
    # Monte-Carlo tolerance: 4 standard errors of the mean over 40,000 customers (a false
    # alarm about once in 15,000 runs; the seed is fixed, so the run is reproducible). The
    # purchase rates (mean 0.05 a week) make two purchases on one day rare, so the
    # day-granular summary's repeat-purchase days equal the repeat purchases.
    n, weeks = 40_000, 52.0
    start = np.datetime64("2024-01-01")
    log = model.simulate_transactions(n, weeks, start=start, rng=11)
    summary = log.summary(start + np.timedelta64(int(weeks * 7), "D"), time_unit="W")
    assert len(summary) == n
    np.testing.assert_allclose(summary.T, weeks)
    x = summary.frequency.astype(float)
    error = 4.0 * x.std() / math.sqrt(n)
    assert abs(x.mean() - model.expected_purchases(weeks)) < error
    zero = float(np.mean(x == 0))
    p0 = float(model.probability_of_purchases(0, weeks)[0])
    assert abs(zero - p0) < 4.0 * math.sqrt(p0 * (1 - p0) / n)
    # The same histories as the model's own summaries, in distribution.
    drawn = model.simulate(n, weeks, rng=12)
    assert abs(x.mean() - drawn.frequency.mean()) < 1.5 * error


def test_simulated_transactions_are_seeded_and_vectorised_with_spend():
    start = "2024-01-01"
    a = BG.simulate_transactions(500, 39.0, start=start, rng=3, spend_model=GG)
    b = BG.simulate_transactions(500, 39.0, start=start, rng=3, spend_model=GG)
    assert np.array_equal(a.timestamp, b.timestamp)
    assert np.array_equal(a.amount, b.amount)
    assert np.all(a.amount > 0)
    assert np.unique(a.customer_id).size == 500  # every customer made the first purchase
    lengths = np.linspace(1.0, 39.0, 500)
    c = PARETO.simulate_transactions(500, lengths, start=start, rng=3)
    end = np.datetime64(start) + np.timedelta64(39 * 7, "D")
    summary = c.summary(end, time_unit="W")
    np.testing.assert_allclose(summary.T, np.round(lengths * 7) / 7, atol=1 / 7 + 1e-9)
    assert np.all(c.amount == 0.0)
    with pytest.raises(InvalidInputError, match=r"`n_customers`"):
        BG.simulate_transactions(-1, 39.0, start=start)
    with pytest.raises(InvalidInputError, match=r"`spend_model` must be a GammaGamma or None"):
        BG.simulate_transactions(5, 39.0, start=start, spend_model=BG)


def test_from_dict_refuses_another_models_dict():
    # Before, BetaGeo.from_dict(ModifiedBetaGeo(...).to_dict()) built a BetaGeo silently.
    assert ModifiedBetaGeo.from_dict(MBG.to_dict()) == MBG
    with pytest.raises(
        InvalidInputError, match=r"describes a 'ModifiedBetaGeo' model, not a BetaGeo"
    ):
        BetaGeo.from_dict(MBG.to_dict())
    legacy = {k: v for k, v in BG.to_dict().items() if k != "model"}
    assert BetaGeo.from_dict(legacy) == BG
