r"""The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) and its DERT.

A customer buys at Poisson rate :math:`\lambda \sim \mathrm{Gamma}(r, \alpha)` while alive
and lives an exponential lifetime with rate :math:`\mu \sim \mathrm{Gamma}(s, \beta)`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._stats import scalar_or_array
from custcentric._validation import as_rng, check_number
from custcentric.tables import CustomerSummary, PerCustomer
from custcentric.typing import FloatArray, IntArray, RNGLike, TimeUnit
from custcentric.value._common import (
    as_times,
    check_model_unit,
    parameter,
    simulation_sizes,
    simulation_time_unit,
    summary_from_arrays,
)
from custcentric.value._histories import Histories
from custcentric.value._mle import vdot
from custcentric.value._purchase import Objective, PurchaseModelBase, keyed

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ParetoNBD"]


@attrs.frozen(kw_only=True, eq=False)
class _Pairs:
    """Distinct (x, t) pairs of a set of histories, for the hypergeometric tails."""

    x: FloatArray
    t: FloatArray
    inverse: IntArray


def _pairs(x_code: IntArray, x_values: FloatArray, t: FloatArray) -> _Pairs:
    t_values, t_code = np.unique(t, return_inverse=True)
    key = x_code * max(t_values.size, 1) + t_code
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return _Pairs(x=x_values[x_code[first]], t=t[first], inverse=inverse.astype(np.int64))


def _relative_growth(k: float, u: FloatArray) -> FloatArray:
    """``(1 - (1 + u)**-k) / k``, continuous through ``k = 0`` (where it is ``log1p(u)``)."""
    log_growth = np.log1p(u)
    if abs(k) < 1e-10:
        return log_growth
    out: FloatArray = -np.expm1(-k * log_growth) / k
    return out


def _discounted_lifetime(s: float, span: FloatArray, delta: float) -> FloatArray:
    """``span * U(1, 2 - s; delta * span)``, by its asymptotic series for a large argument."""
    w = delta * span
    large = w > max(1e6, 1e3 * (s + 4.0))
    out = np.empty_like(w)
    small = ~large
    out[small] = span[small] * special.hyperu(1.0, 2.0 - s, w[small])
    inv = -1.0 / w[large]
    series = 1.0 + s * inv * (1.0 + (s + 1.0) * inv * (1.0 + (s + 2.0) * inv))
    out[large] = series / delta
    result: FloatArray = out
    return result


def _log_tail(rx: FloatArray, t: FloatArray, alpha: float, s: float, beta: float) -> FloatArray:
    """Log of I(t), the integral from ``t`` to infinity (see the ParetoNBD Notes).

    ``s`` may be any number with ``rx + s > 0`` (the likelihood's tail has the model's ``s``;
    the alive term's tail, :func:`_log_alive_gap`, has ``s - 1``).
    """
    total = rx + s
    if alpha >= beta:
        z = (alpha - beta) / (alpha + t)
        hyper = special.hyp2f1(1.0, rx, total + 1.0, z)
        out: FloatArray = (
            -rx * np.log(alpha + t) - s * np.log(beta + t) - np.log(total) + np.log(hyper)
        )
        return out
    w = (beta - alpha) / (beta + t)
    hyper = special.hyp2f1(1.0, s + 1.0, total + 1.0, w)
    out = (1.0 - rx) * np.log(alpha + t) - (s + 1.0) * np.log(beta + t) - np.log(total)
    out += np.log(hyper)
    return out


def _log_alive_gap(x: FloatArray, t: FloatArray, theta: FloatArray) -> FloatArray:
    r"""Log of :math:`A(T) - s I(T)`: the alive term less the tail beyond ``T``.

    Integrating :math:`d[(\alpha+\tau)^{-a}(\beta+\tau)^{-s}]` from ``T`` to infinity gives
    :math:`A(T) - s I(T) = a \int_T^\infty (\alpha+\tau)^{-a-1}(\beta+\tau)^{-s} d\tau`,
    ``a = r + x``: a tail with ``(a + 1, s - 1)``, positive, so no difference is taken.
    """
    r, alpha, s, beta = (float(v) for v in theta)
    rx = r + x
    out: FloatArray = np.log(rx) + _log_tail(rx + 1.0, t, alpha, s - 1.0, beta)
    return out


def _log_dead_tail(x: FloatArray, t: FloatArray, theta: FloatArray) -> FloatArray:
    """Log of ``s I(t_x)``."""
    r, alpha, s, beta = (float(v) for v in theta)
    out: FloatArray = math.log(s) + _log_tail(r + x, t, alpha, s, beta)
    return out


_PAIR_STEP = 1e-5  # central differences of the pair terms, on the log-parameter scale


@attrs.frozen(kw_only=True, eq=False)
class _PairedLikelihood:
    r"""The total log-likelihood through the two per-pair terms, with its gradient.

    A history's likelihood is :math:`C(x)\,[A(T) - sI(T) + sI(t_x)]`: the first term
    depends on ``(x, T)`` only, the second on ``(x, t_x)`` only (each evaluated once per
    distinct pair, both positive), so each history costs two gathers and one ``logaddexp``.
    The gradient of the total is the head's (closed form per distinct ``x``) plus the
    per-pair derivatives weighted by each pair's share of the likelihood, summed per pair with
    one ``np.bincount``: the derivatives of the two per-pair terms come from central
    differences of those terms alone (a few thousand hypergeometric values), never of the
    per-history sum.
    """

    history: Histories
    at_t: _Pairs
    at_tx: _Pairs
    weight_x: FloatArray  # total weight per distinct frequency

    @classmethod
    def build(cls, h: Histories, pairs: tuple[_Pairs, _Pairs]) -> _PairedLikelihood:
        at_tx, at_t = pairs
        weight_x = np.bincount(h.x_code, weights=h.weight, minlength=h.x_values.size)
        return cls(history=h, at_t=at_t, at_tx=at_tx, weight_x=weight_x.astype(np.float64))

    def _terms(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        with np.errstate(all="ignore"):
            return (
                _log_alive_gap(self.at_t.x, self.at_t.t, theta),
                _log_dead_tail(self.at_tx.x, self.at_tx.t, theta),
            )

    def loglik_and_score(self, theta: FloatArray) -> tuple[float, FloatArray]:
        """``(LL, dLL/dtheta)`` at natural-scale ``theta = (r, alpha, s, beta)``."""
        h = self.history
        r, alpha, s, beta = (float(v) for v in theta)
        n = float(self.weight_x.sum())
        xv = h.x_values
        with np.errstate(all="ignore"):
            head = vdot(self.weight_x, special.gammaln(r + xv)) + n * (
                r * math.log(alpha) + s * math.log(beta) - float(special.gammaln(r))
            )
            head_score = np.array(
                [
                    vdot(self.weight_x, special.digamma(r + xv))
                    - n * float(special.digamma(r))
                    + n * math.log(alpha),
                    n * r / alpha,
                    n * math.log(beta),
                    n * s / beta,
                ]
            )
            alive, dead = self._terms(theta)
            a_h = alive[self.at_t.inverse]
            d_h = dead[self.at_tx.inverse]
            total = head + vdot(h.weight, np.logaddexp(a_h, d_h))
            share = special.expit(a_h - d_h) * h.weight  # weight of the alive-gap term
            w_alive: FloatArray = np.bincount(
                self.at_t.inverse, weights=share, minlength=alive.size
            ).astype(np.float64, copy=False)
            w_dead: FloatArray = np.bincount(
                self.at_tx.inverse, weights=h.weight - share, minlength=dead.size
            ).astype(np.float64, copy=False)
            score = head_score.copy()
            log_theta = np.log(theta)
            for i in range(4):
                up, down = log_theta.copy(), log_theta.copy()
                up[i] += _PAIR_STEP
                down[i] -= _PAIR_STEP
                alive_up, dead_up = self._terms(np.exp(up))
                alive_down, dead_down = self._terms(np.exp(down))
                change = vdot(w_alive, alive_up - alive_down) + vdot(w_dead, dead_up - dead_down)
                score[i] += change / (2.0 * _PAIR_STEP) / float(theta[i])
        return float(total), score


@attrs.frozen
class ParetoNBD(PurchaseModelBase):
    r"""The Pareto/NBD model of repeat buying, a frozen value of its four parameters.

    Parameters
    ----------
    r, alpha : float
        Gamma distribution of purchase rates (``alpha`` in the data's time unit).
    s, beta : float
        Gamma distribution of drop-out rates (``beta`` in the data's time unit).
    time_unit : {"s", "m", "h", "D", "W"} or None, keyword-only, default None
        The unit of ``alpha`` and ``beta`` (set by :meth:`fit` from the summary). Every time
        argument (recency, T, the horizon ``t`` of predictions, the DERT discount rate per
        unit) is in this unit, and a :class:`CustomerSummary` in another unit is converted
        into it exactly. ``None`` means unknown: histories are used as given.

    Notes
    -----
    The likelihood of a history (Fader & Hardie 2005, "A note on deriving the Pareto/NBD
    model and related expressions", eq. 17–19) is written here as

    .. math::

        L = \frac{\Gamma(r+x)\,\alpha^r\beta^s}{\Gamma(r)} \Bigl[
            (\alpha+T)^{-(r+x)}(\beta+T)^{-s}
            + s\!\int_{t_x}^{T} (\alpha+\tau)^{-(r+x)} (\beta+\tau)^{-(s+1)}\,d\tau \Bigr]

    and the integral is :math:`I(t_x) - I(T)` with the tail
    :math:`I(t) = \frac{(\alpha+t)^{-(r+x)}(\beta+t)^{-s}}{r+s+x}\,
    {}_2F_1(1, r+x; r+s+x+1; \frac{\alpha-\beta}{\alpha+t})` when
    :math:`\alpha \ge \beta`, and
    :math:`\frac{(\alpha+t)^{1-r-x}(\beta+t)^{-(s+1)}}{r+s+x}\,
    {}_2F_1(1, s+1; r+s+x+1; \frac{\beta-\alpha}{\beta+t})` otherwise: Euler's
    transformation of the usual :math:`A_0` leaves a hypergeometric function with first
    parameter 1 and argument in [0, 1), a convergent series of positive terms bounded by
    :math:`1/(1-z)`. Everything else is in logs, so heavy buyers (frequency in the thousands)
    neither overflow nor lose precision, where the textbook form's
    :math:`{}_2F_1(r+s+x, s+1; \dots)` overflows.

    P(alive at T) is the first bracketed term over the sum; the expected purchases in
    ``(T, T + t]`` are :math:`P(\text{alive}) \frac{(r+x)(\beta+T)}{(\alpha+T)(s-1)}
    [1 - (\frac{\beta+T}{\beta+T+t})^{s-1}]` (Fader & Hardie 2005 note, eq. 22), continuous
    through ``s = 1``.

    References
    ----------
    D. C. Schmittlein, D. G. Morrison and R. Colombo (1987), "Counting your customers: who
    are they and what will they do next?", *Management Science* 33(1):1-24.
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "'Counting your customers' the easy
    way", *Marketing Science* 24(2):275-284 (CDNOW estimates, p. 280: r = 0.553,
    alpha = 10.578, s = 0.606, beta = 11.669, LL = -9595.0).
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value curves
    for customer base analysis", *Journal of Marketing Research* 42(4):415-430 (DERT,
    eq. 2).

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow_summary
    >>> from custcentric.value import ParetoNBD
    >>> fit = ParetoNBD.fit(load_cdnow_summary())
    >>> {k: round(v, 2) for k, v in fit.model.parameters.items()}
    {'r': 0.55, 'alpha': 10.58, 's': 0.61, 'beta': 11.67}
    >>> round(fit.log_likelihood, 1)
    -9595.0
    """

    r: float = parameter("r")
    alpha: float = parameter("alpha")
    s: float = parameter("s")
    beta: float = parameter("beta")
    time_unit: TimeUnit | None = attrs.field(default=None, kw_only=True, validator=check_model_unit)

    _PARAMETERS: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    _OPTIONS: ClassVar[tuple[str, ...]] = ("time_unit",)

    # ----------------------------------------------------------------- likelihood
    def _log_tail(self, rx: FloatArray, t: FloatArray) -> FloatArray:
        """Log of I(t), the integral from ``t`` to infinity (see the class Notes)."""
        return _log_tail(rx, t, self.alpha, self.s, self.beta)

    def _parts(
        self,
        x: FloatArray,
        t_x: FloatArray,
        t: FloatArray,
        pairs: tuple[_Pairs, _Pairs] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Log of the two bracketed terms: alive at T, and dropped out in (t_x, T).

        The tails depend only on (x, t_x) and (x, T); with ``pairs`` they are evaluated once
        per distinct pair.
        """
        rx = self.r + x
        alive = -rx * np.log(self.alpha + t) - self.s * np.log(self.beta + t)
        if pairs is None:
            upper = self._log_tail(rx, t_x)
            lower = self._log_tail(rx, t)
        else:
            at_tx, at_t = pairs
            upper = self._log_tail(self.r + at_tx.x, at_tx.t)[at_tx.inverse]
            lower = self._log_tail(self.r + at_t.x, at_t.t)[at_t.inverse]
        gap = np.minimum(lower - upper, 0.0)
        with np.errstate(divide="ignore"):
            dead = np.log(self.s) + upper + np.log(-np.expm1(gap))
        dead = np.where(t > t_x, dead, -np.inf)
        return alive, dead

    def _rows(self, h: Histories, pairs: tuple[_Pairs, _Pairs] | None = None) -> FloatArray:
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        head_x = (
            special.gammaln(r + h.x_values)
            - special.gammaln(r)
            + r * np.log(alpha)
            + s * np.log(beta)
        )
        alive, dead = self._parts(h.x, h.t_x, h.T, pairs)
        out: FloatArray = head_x[h.x_code] + np.logaddexp(alive, dead)
        return out

    @classmethod
    def _objective(cls, h: Histories) -> Objective:
        # The hypergeometric tails depend only on (x, t_x) and (x, T): once per distinct pair.
        pairs = (_pairs(h.x_code, h.x_values, h.t_x), _pairs(h.x_code, h.x_values, h.T))
        likelihood = _PairedLikelihood.build(h, pairs)

        def loglik(theta: FloatArray) -> float:
            return vdot(h.weight, cls(*theta)._rows(h, pairs))

        return loglik, likelihood.loglik_and_score

    @classmethod
    def _starts(cls, scale: float) -> Sequence[Sequence[float]]:
        return [(1.0, scale / 2, 1.0, scale / 2), (0.5, scale, 0.5, scale), (1.0, 1.0, 1.0, 1.0)]

    # ---------------------------------------------------------------- predictions
    def expected_purchases(self, t: ArrayLike) -> Any:
        r"""Return the expected repeat purchases of a new customer in ``(0, t]``.

        Notes
        -----
        :math:`E[X(t)] = \frac{r\beta}{\alpha(s-1)}[1 - (\frac{\beta}{\beta+t})^{s-1}]`
        (Schmittlein et al. 1987), continuous through ``s = 1``; ``t`` is in the model's
        ``time_unit``.
        """
        times = as_times(t)
        values = self.r / self.alpha * self.beta * _relative_growth(self.s - 1.0, times / self.beta)
        return scalar_or_array(values, t)

    def _p_alive(self, x: FloatArray, t_x: FloatArray, t: FloatArray) -> FloatArray:
        alive, dead = self._parts(x, t_x, t)
        out: FloatArray = np.exp(alive - np.logaddexp(alive, dead))
        return out

    def _alive_mean(self, x: FloatArray, t: FloatArray, horizon: Any) -> FloatArray:
        """Return the expected purchases in the next ``horizon`` of a customer alive at ``t``."""
        rate = (self.r + x) / (self.alpha + t)
        span = (self.beta + t) * _relative_growth(self.s - 1.0, horizon / (self.beta + t))
        out: FloatArray = rate * span
        return out

    def probability_of_purchases(self, n: ArrayLike, t: ArrayLike) -> FloatArray:
        r"""Return P(X(t) = n): the chance a new customer makes ``n`` repeat purchases in ``t``.

        Notes
        -----
        Alive throughout ``(0, t]`` or dying at :math:`\tau < t` (Fader & Hardie 2006,
        "Deriving an expression for P(X(t) = x) under the Pareto/NBD model"):

        .. math::

            P(X(t)=n) = \mathrm{NB}_t(n) \Bigl(\frac{\beta}{\beta+t}\Bigr)^s
              + \int_0^t \frac{s\beta^s}{(\beta+\tau)^{s+1}}\, \mathrm{NB}_\tau(n)\, d\tau

        with :math:`\mathrm{NB}_\tau` the negative binomial
        :math:`(r, \alpha/(\alpha+\tau))`. The integral of this smooth integrand is taken by
        adaptive vectorised quadrature (``scipy.integrate.quad_vec``, relative error below
        1e-10), which avoids the cancelling alternating sum of hypergeometric terms of the
        printed closed form. ``t`` is in the model's ``time_unit``.
        """
        from scipy import integrate

        from custcentric._validation import as_int_array

        counts = as_int_array(n, "n", non_negative=True).astype(np.float64)
        times = as_times(t)
        counts, times = np.broadcast_arrays(counts, times)
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        log_coef = special.gammaln(r + counts) - special.gammaln(r) - special.gammaln(counts + 1.0)

        def log_nb(tau: float, k: FloatArray, coef: FloatArray) -> FloatArray:
            q = alpha / (alpha + tau)
            if tau <= 0:  # nobody has bought yet
                at_zero: FloatArray = np.where(k > 0, -np.inf, 0.0)
                return at_zero
            out: FloatArray = coef + r * np.log(q) + k * np.log1p(-q)
            return out

        result = np.empty(counts.size)
        flat_n, flat_t, flat_c = counts.ravel(), times.ravel(), log_coef.ravel()
        for horizon in np.unique(flat_t):
            at = flat_t == horizon
            k, coef = flat_n[at], flat_c[at]
            alive = np.exp(log_nb(float(horizon), k, coef) + s * np.log(beta / (beta + horizon)))
            if horizon > 0:

                def integrand(tau: float, k: FloatArray = k, coef: FloatArray = coef) -> FloatArray:
                    density = s * beta**s * (beta + tau) ** -(s + 1.0)
                    values: FloatArray = density * np.exp(log_nb(tau, k, coef))
                    return values

                dead, _ = integrate.quad_vec(
                    integrand, 0.0, float(horizon), epsabs=1e-14, epsrel=1e-10
                )
            else:
                dead = np.zeros(k.size)
            result[at] = alive + dead
        out: FloatArray = result.reshape(counts.shape)
        return out

    @overload
    def discounted_expected_residual_transactions(
        self,
        frequency: CustomerSummary | pd.DataFrame,
        recency: None = None,
        T: None = None,  # noqa: N803
        *,
        discount_rate: float,
    ) -> PerCustomer: ...

    @overload
    def discounted_expected_residual_transactions(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,  # noqa: N803
        *,
        discount_rate: float,
    ) -> FloatArray: ...

    def discounted_expected_residual_transactions(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        discount_rate: float,
    ) -> PerCustomer | FloatArray:
        r"""Return DERT: the discounted expected number of future purchases of each customer.

        Parameters
        ----------
        frequency, recency, T : array_like, CustomerSummary or DataFrame
            The histories (as for :meth:`fit`; a DataFrame is read in the model's
            ``time_unit``).
        discount_rate : float
            The discount rate per time unit of the model (e.g. weekly for a model fitted in
            weeks: ``1.15 ** (1 / 52) - 1`` for 15 % a year); compounded continuously as
            :math:`\delta = \ln(1 + d)`.

        Returns
        -------
        PerCustomer or ndarray of float64
            With a summary or a DataFrame, a :class:`~custcentric.tables.PerCustomer`
            named ``"dert"`` (unit ``"purchases"``) keyed by the customer ids; with arrays,
            an array in their order.

        Notes
        -----
        Fader, Hardie & Lee (2005, JMR, eq. 2):

        .. math::

            \mathrm{DERT} = \frac{\alpha^r\beta^s\delta^{s-1}\Gamma(r+x+1)
            \Psi(s, s; \delta(\beta+T))}{\Gamma(r)(\alpha+T)^{r+x+1} L}
            = P(\text{alive}) \frac{r+x}{\alpha+T} (\beta+T)\,
              U(1, 2-s; \delta(\beta+T))

        with :math:`\Psi = U` Tricomi's confluent hypergeometric function; the second form
        (expected rate times the expected discounted remaining lifetime
        :math:`E[1/(\delta+\mu)]`) is the one evaluated. For a large argument
        :math:`w = \delta(\beta+T)` (above ``max(1e6, 1e3 (s + 4))``, where SciPy's ``hyperu``
        eventually returns NaN) the asymptotic series
        :math:`w\,U(1, 2-s; w) = \sum_k (s)_k (-1/w)^k` is summed to four terms instead
        (relative error below 1e-12), so DERT stays finite for any finite T.

        Examples
        --------
        >>> from custcentric.value import ParetoNBD
        >>> model = ParetoNBD(0.553, 10.578, 0.606, 11.669, time_unit="W")
        >>> dert = model.discounted_expected_residual_transactions(
        ...     [2, 2], [30.43, 30.43], [38.86, 1e300], discount_rate=0.0027)
        >>> round(float(dert[0]), 2), float(dert[1])
        (6.49, 0.0)
        """
        x, t_x, big_t, ids = self._histories(
            frequency, recency, T, func="discounted_expected_residual_transactions"
        )
        d = check_number(discount_rate, "discount_rate", low=0, low_inclusive=False)
        delta = float(np.log1p(d))
        xf = x.astype(np.float64)
        p_alive = self._p_alive(xf, t_x, big_t)
        life = _discounted_lifetime(self.s, self.beta + big_t, delta)
        values = p_alive * (self.r + xf) / (self.alpha + big_t) * life
        out: PerCustomer | FloatArray = keyed(values, ids, name="dert", unit="purchases")
        return out

    def _repeat_times(
        self, gen: np.random.Generator, lengths: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        # As simulate: purchases at rate lambda over the active time min(lifetime, T).
        n = lengths.size
        lam = gen.gamma(self.r, 1.0 / self.alpha, size=n)
        mu = gen.gamma(self.s, 1.0 / self.beta, size=n)
        with np.errstate(divide="ignore", over="ignore"):
            lifetime = gen.exponential(1.0, size=n) / mu
        active = np.minimum(lifetime, lengths)
        counts = gen.poisson(lam * active)
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        return owner, gen.random(owner.size) * active[owner]

    def simulate(
        self,
        n_customers: int,
        T: ArrayLike,  # noqa: N803
        *,
        rng: RNGLike = None,
        time_unit: str | None = None,
    ) -> CustomerSummary:
        r"""Draw customers from the model and return their summary (see :meth:`BetaGeo.simulate`).

        Notes
        -----
        Lifetime :math:`\tau \sim \mathrm{Exp}(\mu)`; active time
        :math:`a = \min(\tau, T)`; :math:`x \sim \mathrm{Poisson}(\lambda a)`; the last
        purchase is the largest of ``x`` uniform times on ``(0, a)``: ``a * Beta(x, 1)``.
        """
        unit = simulation_time_unit(self.time_unit, time_unit, func="ParetoNBD.simulate")
        n, lengths = simulation_sizes(n_customers, T)
        gen = as_rng(rng)
        lam = gen.gamma(self.r, 1.0 / self.alpha, size=n)
        mu = gen.gamma(self.s, 1.0 / self.beta, size=n)
        with np.errstate(divide="ignore", over="ignore"):
            lifetime = gen.exponential(1.0, size=n) / mu
        active = np.minimum(lifetime, lengths)
        x = gen.poisson(lam * active).astype(np.int64)
        safe = np.maximum(x, 1)
        t_x = np.where(x > 0, active * gen.beta(safe, 1.0), 0.0)
        return summary_from_arrays(x, t_x, lengths, time_unit=unit)
