r"""The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007).

Each customer renews at the end of every period unless they churn, with a constant churn
probability :math:`\theta \sim \mathrm{Beta}(\alpha, \beta)`; the mix of churn probabilities
makes the cohort's retention rate rise with tenure.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Self

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._stats import scalar_or_array
from custcentric._validation import (
    as_1d,
    as_float_array,
    as_int_array,
    as_rng,
    check_equal_length,
    check_number,
    first_true,
    fmt,
)
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.typing import BoolArray, FloatArray, IntArray, RNGLike
from custcentric.value._common import parameter
from custcentric.value._histories import check_fit_data, check_weights
from custcentric.value._mle import FitResult, ParametricModel, fit_model

__all__ = ["ShiftedBetaGeometric"]


def _check_survivors(survivors: ArrayLike) -> FloatArray:
    counts = as_float_array(survivors, "survivors", non_negative=True, label="period")
    if counts.size < 2:
        msg = f"`survivors` must hold the count at the start and after at least one period (got {counts.size} value)."
        raise InvalidInputError(msg)
    if counts[0] <= 0:
        msg = f"`survivors` must start with a positive count (period 0: {fmt(counts[0])})."
        raise InvalidInputError(msg)
    rises = counts[1:] > counts[:-1]
    if rises.any():
        i = first_true(rises) + 1
        msg = (
            f"`survivors` must not rise from one period to the next "
            f"(period {i}: {fmt(counts[i])} > {fmt(counts[i - 1])})."
        )
        raise InvalidInputError(msg)
    return counts


#: The longest duration accepted, in periods: the likelihood sums one term per period.
MAX_DURATION = 1_000_000


@attrs.frozen
class ShiftedBetaGeometric(ParametricModel):
    r"""The sBG retention model, a frozen value of ``alpha`` and ``beta``.

    Parameters
    ----------
    alpha, beta : float
        The beta distribution of the per-period churn probability (mean
        :math:`\alpha/(\alpha+\beta)`).

    Notes
    -----
    With ``T`` the period in which a customer churns (Fader & Hardie 2007, eq. 3 and 4):

    .. math::

        P(T = t) = \frac{B(\alpha+1, \beta+t-1)}{B(\alpha,\beta)}, \qquad
        S(t) = \frac{B(\alpha, \beta+t)}{B(\alpha,\beta)}, \qquad
        r_t = \frac{\beta+t-1}{\alpha+\beta+t-1}

    A cohort's log-likelihood is :math:`\sum_t n_t^{lost} \ln P(T=t) + n_{alive} \ln S(n)`.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention", *Journal of
    Interactive Marketing* 21(1):76-90 (Table 1 data; estimates on the first seven years,
    p. 82: regular alpha = 0.704, beta = 1.182; high end alpha = 0.668, beta = 3.806).
    P. S. Fader and B. G. S. Hardie (2010), "Customer-base valuation in a contractual
    setting: the perils of ignoring heterogeneity", *Marketing Science* 29(1):85-93 (DERL).

    Examples
    --------
    >>> from custcentric.value import ShiftedBetaGeometric
    >>> fit = ShiftedBetaGeometric.fit_cohort([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> {k: round(v, 3) for k, v in fit.model.parameters.items()}
    {'alpha': 0.668, 'beta': 3.806}
    >>> [round(r, 3) for r in fit.model.retention_rate([1, 2, 8]).tolist()]
    [0.851, 0.878, 0.942]
    """

    alpha: float = parameter("alpha")
    beta: float = parameter("beta")

    _PARAMETERS: ClassVar[tuple[str, ...]] = ("alpha", "beta")

    def _log_churn(self, t: FloatArray) -> FloatArray:
        out: FloatArray = special.betaln(self.alpha + 1.0, self.beta + t - 1.0) - special.betaln(
            self.alpha, self.beta
        )
        return out

    def _log_survival(self, t: FloatArray) -> FloatArray:
        out: FloatArray = special.betaln(self.alpha, self.beta + t) - special.betaln(
            self.alpha, self.beta
        )
        return out

    @classmethod
    def fit_cohort(cls, survivors: ArrayLike, *, penalty: float = 0.0) -> FitResult[Self]:
        """Fit to one cohort's survivor counts.

        Parameters
        ----------
        survivors : array_like of float
            The number active at the start (period 0) and after each period, e.g.
            ``[1000, 631, 468, 382]``; must not rise.
        penalty : float, default 0
            L2 penalty on the parameters.

        Raises
        ------
        InvalidInputError
            If the counts rise, the first is not positive, or fewer than two are given.
        """
        counts = _check_survivors(survivors)
        lost = counts[:-1] - counts[1:]
        if not lost.any():
            _warn_no_churn("ShiftedBetaGeometric.fit_cohort")
        periods = np.arange(1.0, counts.size)
        remaining = counts[-1]
        last = float(counts.size - 1)

        def loglik(theta: FloatArray) -> float:
            model = cls(*theta)
            value = float(np.dot(lost, model._log_churn(periods)))
            return value + float(remaining * model._log_survival(np.array([last]))[0])

        return fit_model(
            cls, loglik, [(1.0, 1.0), (0.5, 3.0)], n_observations=float(counts[0]), penalty=penalty
        )

    @classmethod
    def fit(
        cls,
        duration: ArrayLike,
        censored: ArrayLike,
        *,
        weights: ArrayLike | None = None,
        penalty: float = 0.0,
    ) -> FitResult[Self]:
        """Fit to per-customer durations with right-censoring.

        Parameters
        ----------
        duration : array_like of int
            Periods observed for each customer (at least 1).
        censored : array_like of bool
            True when the customer is still active after ``duration`` periods; False when
            they churned in period ``duration``.
        weights : array_like of float, optional
            Non-negative weight per customer.
        penalty : float, default 0
            L2 penalty on the parameters.
        """
        t = as_int_array(duration, "duration", label="customer")
        long = t > MAX_DURATION
        if long.any():
            i = first_true(long)
            msg = (
                f"`duration` must be at most {MAX_DURATION:,} periods (customer {i}: {fmt(t[i])})."
            )
            raise InvalidInputError(msg)
        low = t < 1
        if low.any():
            i = first_true(low)
            msg = f"`duration` must be at least 1 period (customer {i}: {fmt(t[i])})."
            raise InvalidInputError(msg)
        flags = as_1d(censored, "censored")
        if flags.dtype != np.bool_:
            msg = f"`censored` must hold booleans (got dtype {flags.dtype})."
            raise InvalidInputError(msg)
        check_equal_length({"duration": t, "censored": flags})
        w = check_weights(weights, t.size)
        check_fit_data(t.size, w, name="duration", func="ShiftedBetaGeometric.fit")
        weight = np.ones(t.size) if w is None else w
        tf = t.astype(np.float64)
        # Collapse to (duration, censored) cells: the likelihood depends on nothing else.
        key = t * 2 + flags.astype(np.int64)
        cells, inverse = np.unique(key, return_inverse=True)
        cell_weight = np.bincount(inverse, weights=weight, minlength=cells.size)
        cell_t = (cells // 2).astype(np.float64)
        cell_alive = (cells % 2).astype(bool)
        del tf
        if not np.any(cell_weight[~cell_alive] > 0):
            _warn_no_churn("ShiftedBetaGeometric.fit")

        def loglik(theta: FloatArray) -> float:
            model = cls(*theta)
            rows = np.where(cell_alive, model._log_survival(cell_t), model._log_churn(cell_t))
            return float(np.dot(cell_weight, rows))

        return fit_model(
            cls,
            loglik,
            [(1.0, 1.0), (0.5, 3.0)],
            n_observations=float(weight.sum()),
            penalty=penalty,
        )

    def probability_churn(self, t: ArrayLike) -> Any:
        """Return P(T = t): the chance a new customer churns in period ``t`` (t >= 1)."""
        periods = _periods(t, "t")
        return scalar_or_array(np.exp(self._log_churn(periods)), t)

    def survival(self, t: ArrayLike) -> Any:
        """Return S(t): the chance a new customer is still active after ``t`` periods."""
        periods = _periods(t, "t", low=0)
        return scalar_or_array(np.exp(self._log_survival(periods)), t)

    def retention_rate(self, t: ArrayLike) -> Any:
        r"""Return the cohort's retention rate in period ``t``, :math:`(\beta+t-1)/(\alpha+\beta+t-1)`."""
        periods = _periods(t, "t")
        return scalar_or_array(
            (self.beta + periods - 1.0) / (self.alpha + self.beta + periods - 1.0), t
        )

    def discounted_expected_residual_lifetime(
        self, renewals: ArrayLike, *, discount_rate: float
    ) -> Any:
        r"""Return DERL: the discounted expected number of future payments of a customer.

        Parameters
        ----------
        renewals : int or array_like of int
            Renewals the customer has made so far (0 for a customer who has just joined).
        discount_rate : float
            Per period, ``>= 0``.

        Notes
        -----
        Fader & Hardie (2010, eq. 6), counting the next payment undiscounted:

        .. math::

            \mathrm{DERL}(d \mid k) = \frac{\beta+k}{\alpha+\beta+k}\,
            {}_2F_1\!\bigl(1, \beta+k+1; \alpha+\beta+k+1; \tfrac{1}{1+d}\bigr)
            = \sum_{j \ge 0} \frac{S(k+1+j)}{S(k)} (1+d)^{-j}

        Residual CLV is the margin per period times DERL. With ``d = 0`` the sum diverges
        unless ``alpha > 1``.
        """
        k = _periods(renewals, "renewals", low=0)
        d = check_number(discount_rate, "discount_rate", low=0)
        if d == 0 and self.alpha <= 1:
            msg = (
                f"the undiscounted expected lifetime is infinite when `alpha` <= 1 "
                f"(alpha = {self.alpha!r}); use a positive `discount_rate`."
            )
            raise InvalidInputError(msg)
        head = (self.beta + k) / (self.alpha + self.beta + k)
        values = head * _hyp2f1_one(
            self.beta + k + 1.0, self.alpha + self.beta + k + 1.0, 1.0 / (1.0 + d)
        )
        return scalar_or_array(values, renewals)

    def simulate(
        self,
        n_customers: int,
        T: int,  # noqa: N803
        *,
        rng: RNGLike = None,
    ) -> tuple[IntArray, BoolArray]:
        """Draw ``n_customers`` customers followed for ``T`` periods.

        Returns
        -------
        duration : ndarray of int64
            The churn period, or ``T`` for customers still active.
        censored : ndarray of bool
            True for customers still active after ``T`` periods.
        """
        n = int(check_number(n_customers, "n_customers", low=0, integer=True))
        periods = int(check_number(T, "T", low=1, integer=True))
        gen = as_rng(rng)
        theta = np.clip(gen.beta(self.alpha, self.beta, size=n), 1e-300, 1.0)
        churn = gen.geometric(theta)
        censored = churn > periods
        return np.minimum(churn, periods).astype(np.int64), censored


def _hyp2f1_one(b: FloatArray, c: FloatArray, z: float) -> FloatArray:
    """``2F1(1, b; c; z)`` for ``0 < b < c`` and ``0 <= z < 1``.

    SciPy's ``hyp2f1`` is used where it returns a finite number; for very large ``b`` and
    ``c`` (near-homogeneous cohorts) it can return NaN, and the series of positive terms
    ``sum_j (b)_j / (c)_j z^j``, whose ratio is below ``z``, is summed instead.
    """
    with np.errstate(all="ignore"):
        values: FloatArray = np.asarray(special.hyp2f1(1.0, b, c, z), dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        bb, cc = np.broadcast_to(b, values.shape)[bad], np.broadcast_to(c, values.shape)[bad]
        total = np.ones(bb.size)
        term = np.ones(bb.size)
        for j in range(1_000_000):  # converges geometrically: the term ratio is below z
            term = term * (bb + j) / (cc + j) * z
            total += term
            if np.all(term <= 1e-17 * total):
                break
        values = values.copy()
        values[bad] = total
    return values


def _periods(values: ArrayLike, name: str, *, low: int = 1) -> FloatArray:
    periods = as_int_array(values, name)
    bad = periods < low
    if bad.any():
        i = first_true(bad)
        msg = f"`{name}` must be at least {low} (index {i}: {fmt(periods[i])})."
        raise InvalidInputError(msg)
    return periods.astype(np.float64)


def _warn_no_churn(func: str) -> None:
    """Warn that without a single churned customer the sBG parameters are not identified."""
    msg = (
        f"{func}: no customer churned in the data, so the retention rate estimate is 1 and "
        "alpha and beta run off towards 0 and infinity; the fitted values are not meaningful."
    )
    warnings.warn(msg, DegenerateDataWarning, stacklevel=3)
