"""Customer lifetime value from a purchase model and a spend model, with explicit time units."""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import as_float_array, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary, PerCustomer
from custcentric.typing import FloatArray
from custcentric.value._gammagamma import GammaGamma
from custcentric.value._histories import check_histories, unique_histories
from custcentric.value._purchase import PurchaseModel

__all__ = ["PERIOD_DAYS", "customer_lifetime_value"]

_MAX_HORIZON: Final[int] = 10_000  # periods summed over at most: the cost grows with them

PERIOD_DAYS: Final[dict[str, float]] = {
    **{unit: seconds / 86400.0 for unit, seconds in SECONDS_PER_UNIT.items()},
    "M": 365.25 / 12.0,
    "Q": 365.25 / 4.0,
    "Y": 365.25,
}
"""Length in days of each period ``customer_lifetime_value`` accepts as ``time_unit``:
seconds to weeks as in the rest of the library, and the mean Gregorian month (30.44 days),
quarter and year (365.25 days): never a hard-coded 30-day month."""


def model_check_message(name: str, given: object) -> str:
    """Return the message refusing ``given`` as a purchase model (argument ``name``)."""
    return (
        f"`{name}` must be a BetaGeo, ModifiedBetaGeo, ParetoNBD or another PurchaseModel "
        "(with `time_unit`, `probability_alive` and `conditional_expected_purchases`) "
        f"(got {type(given).__name__})."
    )


def model_values(values: Any, n: int, *, what: str) -> FloatArray:
    """Return a purchase model's per-customer output as a checked float array of length n."""
    out = as_float_array(np.asarray(values, dtype=np.float64), what, label="customer")
    if out.shape != (n,):
        msg = f"`{what}` must give one number per customer (got shape {out.shape}, {n} customers)."
        raise InvalidInputError(msg)
    return out


def customer_lifetime_value(
    purchase_model: PurchaseModel,
    spend_model: GammaGamma | PerCustomer | ArrayLike,
    summary: CustomerSummary,
    *,
    horizon: int,
    time_unit: str,
    discount_rate: float,
    margin: float = 1.0,
) -> PerCustomer:
    r"""Return each customer's discounted expected value over the next ``horizon`` periods.

    Parameters
    ----------
    purchase_model : PurchaseModel
        A purchase model: :class:`BetaGeo`, :class:`ModifiedBetaGeo`, :class:`ParetoNBD` or
        a model of your own with the members of :class:`PurchaseModel`. When it carries a
        ``time_unit`` (every fitted model does), the summary's recency and T are converted
        exactly into that unit, so a model fitted on weekly data values a daily summary
        correctly; a model without one is taken to be in ``summary.time_unit``.
    spend_model : GammaGamma, PerCustomer or array_like of float
        Gives the expected value per transaction of each customer
        (:meth:`GammaGamma.expected_spend` on ``summary``), or those values directly: a
        :class:`~custcentric.tables.PerCustomer` is matched to the summary by customer id,
        an array by position.
    summary : CustomerSummary
        Frequency, recency, T (and monetary for a GammaGamma spend model) per customer.
    horizon : int
        How many periods of ``time_unit`` ahead, from 1 to 10,000 (the sum runs over the
        periods, so a larger horizon is refused with :class:`InvalidInputError` before any
        work rather than left to run for ever).
    time_unit : {"D", "W", "M", "Q", "Y", "h", "m", "s"}
        The length of one period: a day, a week, a mean month of 365.25/12 days, a quarter or
        a year of 365.25 days, independent of ``summary.time_unit``.
    discount_rate : float
        The discount rate per period (e.g. ``0.01`` a month), ``>= 0``; a rate so large that
        :math:`(1+d)^k` exceeds the float range discounts those periods to 0.
    margin : float, default 1.0
        Share of spend that is profit.

    Returns
    -------
    PerCustomer
        One value per customer, in the currency of the spend, named ``"clv"`` (unit
        ``"currency"``) and keyed by ``summary.customer_id`` (``np.asarray`` gives the values
        in the summary's order; ``.to_pandas()`` a Series indexed by id).

    Notes
    -----
    With :math:`E_i(t)` the expected purchases of customer :math:`i` in the next :math:`t`
    units and :math:`\Delta` one period in the model's unit,

    .. math::

        \mathrm{CLV}_i = m\,\bar z_i \sum_{k=1}^{H}
            \frac{E_i(k\Delta) - E_i((k-1)\Delta)}{(1+d)^k}

    (purchases of period ``k`` are discounted to its end, as in *lifetimes*). The expected
    purchases depend on a customer only through ``(frequency, recency, T)``, so they are
    evaluated once per distinct history, through the model's public
    ``conditional_expected_purchases`` on a summary of the distinct histories in the model's
    unit. A model that also offers ``expected_purchases_if_alive(frequency, T, *, t)`` (as the
    library's do) has :math:`E_i(t)` taken as ``probability_alive`` times that factor, which
    depends only on ``(frequency, T)`` and is evaluated once per distinct pair and period.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value curves
    for customer base analysis", *Journal of Marketing Research* 42(4):415-430.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow_summary
    >>> from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value
    >>> summary = load_cdnow_summary()
    >>> bg = BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = GammaGamma(p=6.25, q=3.74, v=15.44)
    >>> clv = customer_lifetime_value(bg, gg, summary, horizon=12, time_unit="M",
    ...                               discount_rate=0.01)
    >>> round(float(clv.values[0]), 2), clv.name, clv.unit
    (36.31, 'clv', 'currency')
    """
    if not isinstance(purchase_model, PurchaseModel):
        raise InvalidInputError(model_check_message("purchase_model", purchase_model))
    table: object = summary
    if not isinstance(table, CustomerSummary):
        msg = f"`summary` must be a CustomerSummary (got {type(table).__name__})."
        raise InvalidInputError(msg)
    number = check_number(horizon, "horizon", low=1, integer=True)
    if number > _MAX_HORIZON:
        msg = (
            f"`horizon` must be at most {_MAX_HORIZON:,} periods (got {number:g}): the value "
            "is summed period by period; use a longer `time_unit` for a longer horizon."
        )
        raise InvalidInputError(msg)
    periods = int(number)
    if time_unit not in PERIOD_DAYS:
        options = ", ".join(repr(u) for u in PERIOD_DAYS)
        msg = f"`time_unit` must be one of {options} (got {time_unit!r})."
        raise InvalidInputError(msg)
    d = check_number(discount_rate, "discount_rate", low=0)
    share = check_number(margin, "margin")
    spend = _spend(spend_model, summary)
    unit = check_time_unit(
        purchase_model.time_unit or summary.time_unit, name="purchase_model.time_unit"
    )
    step = PERIOD_DAYS[time_unit] / PERIOD_DAYS[unit]
    x, t_x, big_t = check_histories(
        summary, None, None, func="customer_lifetime_value", time_unit=unit
    )
    h = unique_histories(x, t_x, big_t, return_inverse=True)
    assert h.inverse is not None
    n = len(h)
    # The distinct histories, in the model's unit: the model is asked once per history.
    distinct = CustomerSummary.from_arrays(
        np.arange(n, dtype=np.int64), h.x.astype(np.int64), h.t_x, h.T, time_unit=unit
    )
    factor = getattr(purchase_model, "expected_purchases_if_alive", None)
    if getattr(purchase_model, "per_customer_inputs", False):
        # The model's answer depends on more than the history (e.g. covariates): ask it
        # about every customer, by id, instead of about the distinct histories.
        n = x.size
        distinct = CustomerSummary.from_arrays(summary.customer_id, x, t_x, big_t, time_unit=unit)
        h = attrs.evolve(h, inverse=np.arange(n, dtype=np.int64))
        factor = None
    # (1 + d) ** k as a NumPy float: a rate so large that it overflows discounts to 0.
    growth = np.float64(1.0 + d)
    if callable(factor):
        p_alive = model_values(
            purchase_model.probability_alive(distinct), n, what="probability_alive"
        )
        # The alive-customer expectation depends only on (frequency, T): collapse further.
        _, t_code = np.unique(h.T, return_inverse=True)
        pair_key = h.x_code * max(n, 1) + t_code
        pairs, pair_inverse = np.unique(pair_key, return_inverse=True)
        first = np.zeros(pairs.size, dtype=np.int64)
        first[pair_inverse] = np.arange(pair_inverse.size)
        pair_x, pair_t = h.x[first].astype(np.int64), h.T[first]

        def expected(horizon: float) -> FloatArray:
            return model_values(
                factor(pair_x, pair_t, t=horizon), pairs.size, what="expected_purchases_if_alive"
            )
    else:

        def expected(horizon: float) -> FloatArray:
            values = purchase_model.conditional_expected_purchases(distinct, t=horizon)
            return model_values(values, n, what="conditional_expected_purchases")

    discounted = np.zeros(pairs.size if callable(factor) else n)
    previous = np.zeros_like(discounted)
    for k in range(1, periods + 1):  # a loop over periods, vectorised over histories
        current = expected(k * step)
        with np.errstate(over="ignore"):
            discounted += (current - previous) / growth**k
        previous = current
    per_history = p_alive * discounted[pair_inverse] if callable(factor) else discounted
    values = share * spend * per_history[h.inverse]
    return PerCustomer(customer_id=summary.customer_id, values=values, name="clv", unit="currency")


def _spend(spend_model: Any, summary: CustomerSummary) -> FloatArray:
    """Return the expected spend per transaction of each customer of ``summary``."""
    if isinstance(spend_model, GammaGamma):
        return np.asarray(spend_model.expected_spend(summary), dtype=np.float64)
    if isinstance(spend_model, PerCustomer):
        same = spend_model.customer_id.shape == summary.customer_id.shape and bool(
            np.array_equal(spend_model.customer_id, summary.customer_id)
        )
        chosen = spend_model if same else spend_model.select(summary.customer_id)
        return chosen.values
    spend = as_float_array(spend_model, "spend_model", label="customer")
    if spend.size != len(summary):
        msg = f"`spend_model` values must be one per customer ({spend.size} != {len(summary)})."
        raise InvalidInputError(msg)
    return spend
