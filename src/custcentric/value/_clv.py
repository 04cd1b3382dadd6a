"""Customer lifetime value from a purchase model and a spend model, with explicit time units."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike

from custcentric._time import SECONDS_PER_UNIT
from custcentric._validation import as_float_array, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.typing import FloatArray
from custcentric.value._betageo import BetaGeo, ModifiedBetaGeo
from custcentric.value._gammagamma import GammaGamma
from custcentric.value._histories import check_histories, unique_histories
from custcentric.value._pareto import ParetoNBD

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


def customer_lifetime_value(
    purchase_model: BetaGeo | ModifiedBetaGeo | ParetoNBD,
    spend_model: GammaGamma | ArrayLike,
    summary: CustomerSummary,
    *,
    horizon: int,
    time_unit: str,
    discount_rate: float,
    margin: float = 1.0,
) -> FloatArray:
    r"""Return each customer's discounted expected value over the next ``horizon`` periods.

    Parameters
    ----------
    purchase_model : BetaGeo, ModifiedBetaGeo or ParetoNBD
        A purchase model. When it carries a ``time_unit`` (every fitted model does), the
        summary's recency and T are converted exactly into that unit, so a model fitted on
        weekly data values a daily summary correctly; a model without one is taken to be
        in ``summary.time_unit``.
    spend_model : GammaGamma or array_like of float
        Gives the expected value per transaction of each customer
        (:meth:`GammaGamma.expected_spend` on ``summary``), or those values directly.
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
        The discount rate per period (e.g. ``0.01`` a month), ``>= 0``.
    margin : float, default 1.0
        Share of spend that is profit.

    Returns
    -------
    ndarray of float64
        One value per customer, in the currency of the spend.

    Notes
    -----
    With :math:`E_i(t)` the expected purchases of customer :math:`i` in the next :math:`t`
    units and :math:`\Delta` one period in the model's unit,

    .. math::

        \mathrm{CLV}_i = m\,\bar z_i \sum_{k=1}^{H}
            \frac{E_i(k\Delta) - E_i((k-1)\Delta)}{(1+d)^k}

    (purchases of period ``k`` are discounted to its end, as in *lifetimes*). The expected
    purchases depend on a customer only through ``(frequency, recency, T)``, so they are
    evaluated once per distinct history; the hypergeometric part only through
    ``(frequency, T)``.

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
    >>> round(float(clv[0]), 2)
    36.31
    """
    given: object = purchase_model
    if not isinstance(given, BetaGeo | ModifiedBetaGeo | ParetoNBD):
        msg = (
            "`purchase_model` must be a BetaGeo, ModifiedBetaGeo or ParetoNBD "
            f"(got {type(given).__name__})."
        )
        raise InvalidInputError(msg)
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
    if isinstance(spend_model, GammaGamma):
        spend = spend_model.expected_spend(summary)
    else:
        spend = as_float_array(spend_model, "spend_model", label="customer")
        if spend.size != len(summary):
            msg = f"`spend_model` values must be one per customer ({spend.size} != {len(summary)})."
            raise InvalidInputError(msg)
    unit = purchase_model.time_unit or summary.time_unit
    step = PERIOD_DAYS[time_unit] / PERIOD_DAYS[unit]
    x, t_x, big_t = check_histories(
        summary, None, None, func="customer_lifetime_value", time_unit=unit
    )

    h = unique_histories(x, t_x, big_t, return_inverse=True)
    assert h.inverse is not None
    # The alive-customer expectation depends only on (frequency, T): collapse further.
    span = h.T.size
    _, t_code = np.unique(h.T, return_inverse=True)
    pair_key = h.x_code * max(span, 1) + t_code
    pairs, pair_inverse = np.unique(pair_key, return_inverse=True)
    first = np.zeros(pairs.size, dtype=np.int64)
    first[pair_inverse] = np.arange(pair_inverse.size)
    pair_x, pair_t = h.x[first], h.T[first]
    discounted = np.zeros(pairs.size)
    previous = np.zeros(pairs.size)
    for k in range(1, periods + 1):  # a loop over periods, vectorised over histories
        current = purchase_model._alive_mean(pair_x, pair_t, k * step)
        discounted += (current - previous) / (1.0 + d) ** k
        previous = current
    per_history = purchase_model._p_alive(h.x, h.t_x, h.T) * discounted[pair_inverse]
    out: FloatArray = share * spend * per_history[h.inverse]
    return out
