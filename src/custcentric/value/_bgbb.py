r"""The BG/BB model of discrete-time repeat buying (Fader, Hardie & Shang 2010).

At each of ``n`` transaction opportunities after the first purchase an alive customer buys
with probability :math:`p \sim \mathrm{Beta}(\alpha, \beta)`; at the start of each
opportunity an alive customer dies with probability :math:`\theta \sim \mathrm{Beta}(\gamma,
\delta)`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final, Self

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._stats import scalar_or_array
from custcentric._validation import (
    as_int_array,
    as_rng,
    check_equal_length,
    check_number,
    first_true,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray, RNGLike
from custcentric.value._common import parameter
from custcentric.value._histories import check_fit_data, check_weights, unique_histories
from custcentric.value._mle import FitResult, ParametricModel, fit_model

__all__ = ["BetaGeoBetaBinom"]

MAX_OPPORTUNITIES: Final[int] = 100_000
"""The most transaction opportunities per customer BG/BB accepts (one pass over customers per
opportunity after the last purchase)."""


def _check_discrete(
    frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
) -> tuple[IntArray, IntArray, IntArray]:
    x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
    t_x = as_int_array(recency, "recency", non_negative=True, label="customer")
    n = as_int_array(n_periods, "n_periods", non_negative=True, label="customer")
    if n.size == 1 and x.size > 1:
        n = np.full(x.size, n[0])
    too_many = n > MAX_OPPORTUNITIES
    if too_many.any():
        i = first_true(too_many)
        msg = (
            f"`n_periods` must be at most {MAX_OPPORTUNITIES:,} opportunities (customer {i}: "
            f"{fmt(n[i])}): the likelihood sums over the opportunities after the last purchase."
        )
        raise InvalidInputError(msg)
    check_equal_length({"frequency": x, "recency": t_x, "n_periods": n})
    rules = (
        (x > t_x, "`frequency` must not exceed `recency`", x, t_x),
        (t_x > n, "`recency` must not exceed `n_periods`", t_x, n),
    )
    for bad, text, left, right in rules:
        if bad.any():
            i = first_true(bad)
            msg = f"{text} (customer {i}: {fmt(left[i])} > {fmt(right[i])})."
            raise InvalidInputError(msg)
    bad = (x == 0) & (t_x > 0)
    if bad.any():
        i = first_true(bad)
        msg = f"`recency` must be 0 when `frequency` is 0 (customer {i}: recency {fmt(t_x[i])})."
        raise InvalidInputError(msg)
    return x, t_x, n


@attrs.frozen
class BetaGeoBetaBinom(ParametricModel):
    r"""The BG/BB model, a frozen value of ``alpha, beta`` (buying) and ``gamma, delta`` (dying).

    Parameters
    ----------
    alpha, beta : float
        Beta distribution of the purchase probability per opportunity.
    gamma, delta : float
        Beta distribution of the death probability per opportunity.

    Notes
    -----
    For ``x`` purchases, the last at opportunity ``t_x``, out of ``n`` (Fader, Hardie & Shang
    2010, eq. 5), evaluated in log space with ``logsumexp``:

    .. math::

        L = \frac{B(\alpha+x, \beta+n-x)}{B(\alpha,\beta)}
            \frac{B(\gamma, \delta+n)}{B(\gamma,\delta)}
          + \sum_{i=0}^{n-t_x-1} \frac{B(\alpha+x, \beta+t_x-x+i)}{B(\alpha,\beta)}
            \frac{B(\gamma+1, \delta+t_x+i)}{B(\gamma,\delta)}

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086-1108 (the 1995
    donor cohort, 11,104 donors, six opportunities: alpha = 1.204, beta = 0.750,
    gamma = 0.657, delta = 2.783, LL = -33,225.6).

    Examples
    --------
    >>> from custcentric.value import BetaGeoBetaBinom
    >>> model = BetaGeoBetaBinom(1.204, 0.750, 0.657, 2.783)
    >>> round(float(model.expected_purchases(6)), 3)
    2.22
    """

    alpha: float = parameter("alpha")
    beta: float = parameter("beta")
    gamma: float = parameter("gamma")
    delta: float = parameter("delta")

    _PARAMETERS: ClassVar[tuple[str, ...]] = ("alpha", "beta", "gamma", "delta")

    def _rows(self, x: FloatArray, t_x: FloatArray, n: FloatArray) -> FloatArray:
        al, be, ga, de = self.alpha, self.beta, self.gamma, self.delta
        base = special.betaln(al, be) + special.betaln(ga, de)
        total = special.betaln(al + x, be + n - x) + special.betaln(ga, de + n) - base
        gap = (n - t_x).astype(np.int64)
        longest = int(gap.max()) if gap.size else 0
        out: FloatArray = total
        # One pass per opportunity, vectorised over customers; a running log-sum keeps the
        # memory at one array per customer (stacking the terms would take n_periods arrays).
        for i in range(longest):
            term = (
                special.betaln(al + x, be + t_x - x + i)
                + special.betaln(ga + 1.0, de + t_x + i)
                - base
            )
            out = np.logaddexp(out, np.where(i < gap, term, -np.inf))
        return out

    def log_likelihood(
        self, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> FloatArray:
        """Return each customer's log-likelihood contribution (see the class Notes)."""
        x, t_x, n = _check_discrete(frequency, recency, n_periods)
        return self._rows(x.astype(np.float64), t_x.astype(np.float64), n.astype(np.float64))

    @classmethod
    def fit(
        cls,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
        *,
        weights: ArrayLike | None = None,
        penalty: float = 0.0,
    ) -> FitResult[Self]:
        """Estimate the parameters by maximum likelihood.

        Parameters
        ----------
        frequency : array_like of int
            Repeat transactions (opportunities with a purchase).
        recency : array_like of int
            The opportunity of the last purchase (0 when there was none).
        n_periods : int or array_like of int
            Opportunities observed.
        weights : array_like of float, optional
            How many customers share each row (e.g. the donation data's counts).
        penalty : float, default 0
            L2 penalty on the parameters.
        """
        x, t_x, n = _check_discrete(frequency, recency, n_periods)
        w = check_weights(weights, x.size)
        check_fit_data(x.size, w, name="frequency", func="BetaGeoBetaBinom.fit")
        # The likelihood depends on a customer only through (x, t_x, n): once per distinct row.
        h = unique_histories(x, t_x.astype(np.float64), n.astype(np.float64), w)
        weight, xf, tf, nf = h.weight, h.x, h.t_x, h.T

        def loglik(theta: FloatArray) -> float:
            return float(np.dot(weight, cls(*theta)._rows(xf, tf, nf)))

        return fit_model(
            cls,
            loglik,
            [(1.0, 1.0, 1.0, 1.0), (0.5, 0.5, 0.5, 2.0)],
            n_observations=float(weight.sum()),
            penalty=penalty,
        )

    def expected_purchases(self, n: ArrayLike) -> Any:
        r"""Return the expected purchases of a new customer in ``n`` opportunities.

        Notes
        -----
        :math:`E[X(n)] = \frac{\alpha}{\alpha+\beta}\frac{\delta}{\gamma-1}
        \bigl[1 - \frac{\Gamma(\gamma+\delta)\Gamma(1+\delta+n)}
        {\Gamma(\gamma+\delta+n)\Gamma(1+\delta)}\bigr]` (Fader, Hardie & Shang 2010,
        eq. 7), continuous through ``gamma = 1``.
        """
        periods = as_int_array(n, "n", non_negative=True).astype(np.float64)
        values = self.alpha / (self.alpha + self.beta) * self._survivals(0.0, periods)
        return scalar_or_array(values, n)

    def _survivals(self, start: Any, n: Any) -> Any:
        """``sum_{k=1}^{n} B(gamma, delta + start + k) / B(gamma, delta)`` in closed form."""
        ga, de = self.gamma, self.delta
        if abs(ga - 1.0) < 1e-8:  # the sum of delta / (delta + j): digamma differences
            return de * (special.digamma(de + start + n + 1.0) - special.digamma(de + start + 1.0))

        def g(m: Any) -> Any:
            return np.exp(
                special.gammaln(ga + de)
                - special.gammaln(1.0 + de)
                + special.gammaln(1.0 + de + m)
                - special.gammaln(ga + de + m)
            )

        return de / (ga - 1.0) * (g(start) - g(start + n))

    def _log_l(self, x: FloatArray, t_x: FloatArray, n: FloatArray) -> FloatArray:
        return self._rows(x, t_x, n)

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> FloatArray:
        """Return P(alive at opportunity n + 1) given the history (Fader et al. 2010, eq. 11)."""
        x, t_x, n = _check_discrete(frequency, recency, n_periods)
        xf, tf, nf = x.astype(np.float64), t_x.astype(np.float64), n.astype(np.float64)
        log_alive = (
            special.betaln(self.alpha + xf, self.beta + nf - xf)
            - special.betaln(self.alpha, self.beta)
            + special.betaln(self.gamma, self.delta + nf + 1.0)
            - special.betaln(self.gamma, self.delta)
        )
        out: FloatArray = np.exp(log_alive - self._rows(xf, tf, nf))
        return out

    def conditional_expected_purchases(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
        *,
        n_future: int,
    ) -> FloatArray:
        r"""Return each customer's expected purchases in the next ``n_future`` opportunities.

        Notes
        -----
        :math:`\frac{1}{L}\frac{B(\alpha+x+1, \beta+n-x)}{B(\alpha,\beta)}
        \sum_{k=1}^{n^*}\frac{B(\gamma, \delta+n+k)}{B(\gamma,\delta)}`
        (Fader, Hardie & Shang 2010, eq. 13), the sum in closed form.
        """
        x, t_x, n = _check_discrete(frequency, recency, n_periods)
        horizon = check_number(n_future, "n_future", low=0, integer=True)
        xf, tf, nf = x.astype(np.float64), t_x.astype(np.float64), n.astype(np.float64)
        log_buy = special.betaln(self.alpha + xf + 1.0, self.beta + nf - xf) - special.betaln(
            self.alpha, self.beta
        )
        # In log space: the ratio of a purchase's probability to the history's likelihood can
        # be huge where the expected number of survivals is tiny (or zero), and their product
        # is finite. No future opportunity means no purchase, whatever the history.
        survivals = np.asarray(self._survivals(nf, horizon), dtype=np.float64)
        positive = survivals > 0.0
        log_survivals = np.log(np.where(positive, survivals, 1.0))
        exponent = np.where(positive, log_buy - self._rows(xf, tf, nf) + log_survivals, -np.inf)
        out: FloatArray = np.exp(exponent)
        return out

    def simulate(
        self,
        n_customers: int,
        T: int,  # noqa: N803
        *,
        rng: RNGLike = None,
    ) -> tuple[IntArray, IntArray, IntArray]:
        """Draw ``n_customers`` histories over ``T`` opportunities.

        Returns
        -------
        frequency, recency, n_periods : ndarray of int64
            As :meth:`fit` takes them.
        """
        n = int(check_number(n_customers, "n_customers", low=0, integer=True))
        periods = int(check_number(T, "T", low=1, integer=True))
        gen = as_rng(rng)
        p = gen.beta(self.alpha, self.beta, size=n)
        theta = np.clip(gen.beta(self.gamma, self.delta, size=n), 1e-300, 1.0)
        alive_periods = np.minimum(gen.geometric(theta) - 1, periods)
        frequency = np.zeros(n, dtype=np.int64)
        recency = np.zeros(n, dtype=np.int64)
        for k in range(1, periods + 1):  # one pass per opportunity, vectorised
            buys = (k <= alive_periods) & (gen.random(n) < p)
            frequency += buys
            recency[buys] = k
        return frequency, recency, np.full(n, periods, dtype=np.int64)
