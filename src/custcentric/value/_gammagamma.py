r"""The gamma-gamma model of spend per transaction (Fader, Hardie & Lee 2005; Colombo & Jiang 1999).

Each transaction value of a customer is :math:`z \sim \mathrm{Gamma}(p, \nu)` (shape, rate)
and the customer's rate is :math:`\nu \sim \mathrm{Gamma}(q, \gamma)`; the parameter
:math:`\gamma` is called ``v`` here (as in the *lifetimes* package). The data per customer are
the number of repeat transactions ``x`` and their mean value ``m`` ("monetary": the **mean
value of the repeat transactions**, not the total, and without the first purchase).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._validation import (
    as_float_array,
    as_int_array,
    as_rng,
    check_equal_length,
    check_number,
    first_true,
    fmt,
)
from custcentric.exceptions import ConvergenceWarning, InvalidInputError
from custcentric.tables import CustomerSummary, PerCustomer
from custcentric.typing import FloatArray, IntArray, RNGLike
from custcentric.value._common import parameter
from custcentric.value._histories import check_fit_data, check_weights
from custcentric.value._mle import (
    FitResult,
    ParametricModel,
    cholesky_solve,
    fit_model,
    inverse_positive_definite,
    vdot,
    weighted_sums,
)
from custcentric.value._purchase import keyed, table_input

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GammaGamma"]

_G = TypeVar("_G", bound="GammaGamma")


def _check_spend(
    frequency: Any, monetary: ArrayLike | None, *, func: str
) -> tuple[IntArray, FloatArray]:
    x, m, _ = _spend_input(frequency, monetary, func=func)
    return x, m


def _spend_input(
    frequency: Any, monetary: ArrayLike | None, *, func: str
) -> tuple[IntArray, FloatArray, Any]:
    """Return checked frequency and monetary arrays and the customer ids (None for arrays).

    A DataFrame (the :meth:`CustomerSummary.from_pandas` columns, ``monetary`` included) is
    converted into a summary first, so it gets the same checks; its time unit does not
    matter to spend.
    """
    frequency = table_input(frequency, time_unit="D")
    if isinstance(frequency, CustomerSummary):
        if monetary is not None:
            msg = f"{func}: pass either a CustomerSummary or `frequency` and `monetary`."
            raise InvalidInputError(msg)
        _check_magnitude(frequency.monetary)
        return frequency.frequency, frequency.monetary, frequency.customer_id
    if monetary is None:
        msg = f"{func}: `monetary` is needed with a `frequency` array."
        raise InvalidInputError(msg)
    x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
    m = as_float_array(monetary, "monetary", label="customer")
    check_equal_length({"frequency": x, "monetary": m})
    _check_magnitude(m)
    return x, m, None


#: The largest mean spend accepted: the likelihood multiplies spends by frequencies and
#: parameters, which must stay far inside the float range.
MAX_MONETARY = 1e100


def _check_magnitude(m: FloatArray) -> None:
    big = np.abs(m) > MAX_MONETARY
    if big.any():
        i = first_true(big)
        msg = f"`monetary` must be at most {MAX_MONETARY:g} in size (customer {i}: {fmt(m[i])})."
        raise InvalidInputError(msg)


def _check_positive_where_bought(x: IntArray, m: FloatArray) -> None:
    bad = (x > 0) & (m <= 0)
    if bad.any():
        i = first_true(bad)
        msg = (
            "`monetary` must be positive for customers with repeat purchases "
            f"(customer {i}: frequency {fmt(x[i])}, monetary {fmt(m[i])})."
        )
        raise InvalidInputError(msg)
    negative = m < 0
    if negative.any():
        i = first_true(negative)
        msg = f"`monetary` must be non-negative (customer {i}: {fmt(m[i])})."
        raise InvalidInputError(msg)


_TABLE_MIN = 1 << 16  # np.bincount tables of max(_TABLE_MIN, 8 n) entries: no sort needed


@attrs.frozen(eq=False)
class _SpendData:
    r"""The customers reduced to what the likelihood needs, with the constants precomputed.

    The log-likelihood of customer ``i`` with ``x_i`` transactions and total spend
    ``s_i = x_i m_i`` is
    :math:`\ln\Gamma(px+q) - \ln\Gamma(px) - \ln\Gamma(q) + q\ln v + px\ln s - \ln m
    - (px+q)\ln(v+s)`. Every term but the last depends on the customer only through ``x``
    (few distinct values) or is a constant, so one evaluation costs one pass of
    ``log(v + s)`` (and ``1/(v + s)`` for the gradient) over the distinct totals ``s``, with
    the weights ``w`` and ``w x`` summed per total (:func:`_compress`).
    """

    xs: FloatArray  # distinct frequencies
    wx: FloatArray  # total weight per distinct frequency
    total_weight: float
    constant: float  # sum of -w log m
    p_coef: float  # sum of w x log s
    spend: FloatArray  # distinct (or all) totals s
    weights: FloatArray  # shape (2, len(spend)): sum of w and of w x per total
    log_spend_moments: tuple[float, float, float]  # weighted mean x, mean and var of log m

    @classmethod
    def build(cls, x: FloatArray, m: FloatArray, w: FloatArray, *, compress: bool = True) -> Self:
        """Precompute the constants of the likelihood of customers ``x, m`` with weights ``w``."""
        xi = x.astype(np.int64)
        if int(xi.max()) <= max(_TABLE_MIN, 8 * xi.size):
            per_x = np.bincount(xi, weights=w)
            xs_f = np.flatnonzero(per_x > 0).astype(np.float64)
            wx = per_x[per_x > 0].astype(np.float64)
        else:
            xs_u, inverse = np.unique(xi, return_inverse=True)
            wx = np.bincount(inverse, weights=w).astype(np.float64)
            xs_f = xs_u.astype(np.float64)
        wxw = w * x
        log_m = np.log(m)
        total_weight = float(w.sum())
        sum_log_m = vdot(w, log_m)
        mean_x = vdot(wx, xs_f) / total_weight
        mean_log = sum_log_m / total_weight
        var_log = vdot(w, (log_m - mean_log) ** 2) / total_weight
        # sum w x log s = sum w x log m + sum over distinct x of (sum w) x log x
        p_coef = vdot(wxw, log_m) + vdot(wx * xs_f, np.log(xs_f))
        spend, weights = _compress(xi, m, w, wxw) if compress else (None, np.empty((2, 0)))
        if spend is None:
            spend, weights = x * m, np.vstack([w, wxw])
        return cls(
            xs=xs_f,
            wx=wx,
            total_weight=total_weight,
            constant=-sum_log_m,
            p_coef=p_coef,
            spend=spend,
            weights=weights,
            log_spend_moments=(mean_x, mean_log, var_log),
        )

    def _x_terms(self, p: float, q: float) -> float:
        px = p * self.xs
        return float(
            vdot(self.wx, special.gammaln(px + q) - special.gammaln(px))
            - self.total_weight * special.gammaln(q)
        )

    def _value(self, p: float, q: float, v: float, log_sums: FloatArray) -> float:
        return (
            self._x_terms(p, q)
            + self.total_weight * q * math.log(v)
            + p * self.p_coef
            + self.constant
            - q * float(log_sums[0])
            - p * float(log_sums[1])
        )

    def loglik(self, theta: FloatArray) -> float:
        """Total log-likelihood at natural-scale ``theta = (p, q, v)``."""
        p, q, v = (float(t) for t in theta)
        return self._value(p, q, v, weighted_sums(self.weights, np.log(v + self.spend)))

    def derivatives(
        self, theta: FloatArray, *, hessian: bool
    ) -> tuple[float, FloatArray, FloatArray | None]:
        """Total log-likelihood, its gradient and (optionally) Hessian, natural scale."""
        p, q, v = (float(t) for t in theta)
        t = v + self.spend
        log_sums = weighted_sums(self.weights, np.log(t))
        r = np.reciprocal(t, out=t)
        r_sums = weighted_sums(self.weights, r)
        px = p * self.xs
        a = px + q
        w = self.total_weight
        dig_a = special.digamma(a)
        value = self._value(p, q, v, log_sums)
        grad = np.array(
            [
                vdot(self.wx * self.xs, dig_a - special.digamma(px))
                + self.p_coef
                - float(log_sums[1]),
                vdot(self.wx, dig_a)
                - w * float(special.digamma(q))
                + w * math.log(v)
                - float(log_sums[0]),
                w * q / v - p * float(r_sums[1]) - q * float(r_sums[0]),
            ]
        )
        if not hessian:
            return value, grad, None
        r2_sums = weighted_sums(self.weights, np.square(r, out=r))
        tri_a = special.polygamma(1, a)
        wxx = self.wx * self.xs
        h_pp = vdot(wxx * self.xs, tri_a - special.polygamma(1, px))
        h_pq = vdot(wxx, tri_a)
        h_pv = -float(r_sums[1])
        h_qq = vdot(self.wx, tri_a) - w * float(special.polygamma(1, q))
        h_qv = w / v - float(r_sums[0])
        h_vv = -w * q / v**2 + p * float(r2_sums[1]) + q * float(r2_sums[0])
        hess = np.array([[h_pp, h_pq, h_pv], [h_pq, h_qq, h_qv], [h_pv, h_qv, h_vv]])
        return value, grad, hess

    def loglik_and_score(self, theta: FloatArray) -> tuple[float, FloatArray]:
        """``(LL, dLL/dtheta)`` for the shared optimiser."""
        value, grad, _ = self.derivatives(theta, hessian=False)
        return value, grad


def _compress(
    x: IntArray, m: FloatArray, w: FloatArray, wxw: FloatArray
) -> tuple[FloatArray | None, FloatArray]:
    """Sum the weights per distinct total spend when spend is stored to the cent.

    Only ``log(v + s)`` of the total ``s = x m`` depends on both the customer and the
    parameters, so customers with the same total in cents share one term. Returns
    ``(None, empty)`` when the spend is not exactly on a cent grid, when the totals in cents
    would need a large table (``np.bincount``, no sort) or when they hardly repeat.
    """
    empty = np.empty((2, 0))
    head = m[:1000]
    if not np.array_equal(np.rint(head * 100.0) / 100.0, head):
        return None, empty
    cents = np.rint(m * 100.0)
    if not np.array_equal(cents / 100.0, m):
        return None, empty
    if float(np.max(x * cents, initial=0.0)) > 2.0**52:  # totals in cents beyond exact integers
        return None, empty
    key = x * cents.astype(np.int64)
    top = int(key.max())
    if top > max(_TABLE_MIN, 8 * key.size):
        return None, empty
    w0 = np.bincount(key, weights=w, minlength=top + 1)
    used = np.flatnonzero(w0)
    if used.size > 0.5 * key.size:
        return None, empty
    w1 = np.bincount(key, weights=wxw, minlength=top + 1)
    spend = used.astype(np.float64) / 100.0
    return spend, np.vstack([w0[used], w1[used]])


def _moment_start(data: _SpendData) -> FloatArray:
    r"""Method-of-moments start from the log spend (moments that always exist).

    With :math:`m = G/(x\nu)`, :math:`G \sim \Gamma(px, 1)`, :math:`\nu \sim \Gamma(q, v)`:
    :math:`E[\ln m \mid x] = \psi(px) - \ln x - \psi(q) + \ln v` and
    :math:`\mathrm{Var}[\ln m \mid x] = \psi_1(px) + \psi_1(q) \approx 1/(px) + \psi_1(q)`.
    The pooled moments are matched at the mean frequency with ``p = 4``: rough, but a few
    Newton steps from the estimate on the data tried (CDNOW, simulated).
    """
    x_bar, mu, var = data.log_spend_moments
    p = 4.0
    tri_q = var - 1.0 / (p * x_bar)
    if not (math.isfinite(tri_q) and tri_q > 1e-6):
        tri_q = var / 2.0 if math.isfinite(var) and var > 1e-6 else 0.5
    q = _inverse_trigamma(tri_q)
    log_v = mu - float(special.digamma(p * x_bar)) + math.log(x_bar) + float(special.digamma(q))
    return np.array([p, q, math.exp(min(max(log_v, -20.0), 20.0))])


def _inverse_trigamma(y: float) -> float:
    """Solve ``polygamma(1, q) = y`` for ``q > 0`` by Newton steps."""
    q = 0.5 + 1.0 / y
    for _ in range(50):
        step = (float(special.polygamma(1, q)) - y) / float(special.polygamma(2, q))
        q = q - step if q - step > 0 else q / 2.0
        if abs(step) < 1e-10 * q:
            break
    return q


@attrs.frozen(eq=False)
class _NewtonOptimum:
    theta: FloatArray
    log_likelihood: float
    hessian: FloatArray  # of the log-likelihood, natural scale, at theta
    n_iter: int


def _newton(
    data: _SpendData, start: FloatArray, n_obs: float, penalty: float
) -> _NewtonOptimum | None:
    """Damped Newton on the mean penalised objective in log-parameters; ``None`` if it fails.

    The objective is the shared base's (``-LL / n + penalty * sum(theta**2)`` over
    ``log(theta)``); it stops when the largest gradient entry is below 1e-10. On failure
    (non-finite values, no descent, a parameter beyond ``exp(+-29)``, 100 iterations) the
    caller falls back to the shared L-BFGS-B search.
    """
    scale = 1.0 / max(n_obs, 1.0)

    def evaluate(
        log_theta: FloatArray,
    ) -> tuple[float, FloatArray, FloatArray, float, FloatArray] | None:
        theta = np.exp(log_theta)
        with np.errstate(all="ignore"):
            value, grad, h = data.derivatives(theta, hessian=True)
        assert h is not None
        f = -value * scale + penalty * vdot(theta, theta)
        g = -grad * theta * scale + 2.0 * penalty * theta * theta
        hu = -(h * np.outer(theta, theta) + np.diag(grad * theta)) * scale
        hu += np.diag(4.0 * penalty * theta * theta)
        if not (math.isfinite(f) and np.all(np.isfinite(g)) and np.all(np.isfinite(hu))):
            return None
        return f, g, hu, value, h

    u = np.log(start)
    current = evaluate(u)
    if current is None:
        return None
    for iteration in range(1, 101):
        f, g, hu, value, h = current
        gmax = float(np.abs(g).max())
        if gmax < 1e-10:
            return _NewtonOptimum(
                theta=np.exp(u), log_likelihood=value, hessian=h, n_iter=iteration - 1
            )
        damping = 0.0
        rhs = g.tolist()
        while True:  # plain-Python Cholesky on 3 x 3: no OpenBLAS threads
            solved = cholesky_solve((hu + damping * np.eye(3)).tolist(), rhs)
            if solved is not None:
                break
            damping = max(4.0 * damping, 1e-8 * (1.0 + float(np.abs(hu).max())))
            if not math.isfinite(damping):
                return None
        step = -np.array(solved)
        longest = float(np.abs(step).max())
        if longest > 2.0:
            step *= 2.0 / longest
        t = 1.0
        while True:
            trial = u + t * step
            found = None if np.any(np.abs(trial) >= 29.0) else evaluate(trial)
            # Armijo, with slack for the rounding of f; near the optimum (gradient below
            # 1e-6, where f is flat to rounding) a step that shrinks the gradient is taken.
            if found is not None and (
                found[0] <= f + 1e-4 * t * vdot(g, step) + 1e-14 * max(1.0, abs(f))
                or (gmax < 1e-6 and float(np.abs(found[1]).max()) < gmax)
            ):
                break
            t /= 2.0
            if t < 1e-10:
                return None
        if float(np.abs(t * step).max()) < 1e-14:
            return None
        u, current = trial, found
    return None


def _finish(cls: type[_G], optimum: _NewtonOptimum, n_obs: float, penalty: float) -> FitResult[_G]:
    """Wrap a Newton optimum as the shared base would (covariance from the exact Hessian)."""
    information = -optimum.hessian
    k = information.shape[0]
    covariance = np.full((k, k), np.nan)
    if np.all(np.isfinite(information)):
        inverse = inverse_positive_definite(information)
        if inverse is not None:
            covariance = inverse
    variances = np.diag(covariance)
    if not np.all(np.isfinite(variances)):
        msg = (
            f"{cls.__name__}.fit: the Hessian at the estimate is not negative definite, "
            "so the standard errors are NaN; the data may not identify every parameter."
        )
        warnings.warn(msg, ConvergenceWarning, stacklevel=3)
    names = cls._PARAMETERS
    return FitResult(
        model=cls(*optimum.theta.tolist()),
        log_likelihood=optimum.log_likelihood,
        standard_errors={
            n: float(math.sqrt(v)) if v >= 0 else math.nan
            for n, v in zip(names, variances, strict=True)
        },
        covariance=covariance,
        n_observations=float(n_obs),
        penalty=penalty,
        success=True,
        message="converged: Newton steps with the analytic Hessian, gradient below 1e-10",
        n_iter=optimum.n_iter,
    )


@attrs.frozen
class GammaGamma(ParametricModel):
    r"""The gamma-gamma spend model, a frozen value of ``p``, ``q`` and ``v`` (:math:`\gamma`).

    Parameters
    ----------
    p : float
        Shape of the gamma distribution of transaction values around a customer's mean.
    q, v : float
        Shape and rate of the gamma distribution of the customers' rates :math:`\nu`
        (so the mean spend per transaction across customers is :math:`pv/(q-1)`, defined
        only when ``q > 1``).

    Notes
    -----
    Per-customer likelihood of the mean :math:`m` of :math:`x \ge 1` transactions
    (Fader, Hardie & Lee 2005, JMR, appendix; Fader & Hardie 2013, eq. 3):

    .. math::

        f(m \mid x) = \frac{\Gamma(px+q)}{\Gamma(px)\Gamma(q)}
            \frac{\gamma^q\, m^{px-1} x^{px}}{(\gamma + m x)^{px+q}}

    The model assumes spend independent of the purchase process; check the correlation of
    ``frequency`` and ``monetary`` first.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value curves
    for customer base analysis", *Journal of Marketing Research* 42(4):415-430 (CDNOW,
    946 customers with repeat purchases: p = 6.25, q = 3.74, gamma = 15.44).
    P. S. Fader and B. G. S. Hardie (2013), "The gamma-gamma model of monetary value",
    http://www.brucehardie.com/notes/025/.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow_summary
    >>> from custcentric.value import GammaGamma
    >>> fit = GammaGamma.fit(load_cdnow_summary())
    >>> {k: round(v, 2) for k, v in fit.model.parameters.items()}
    {'p': 6.25, 'q': 3.74, 'v': 15.44}
    >>> round(fit.model.mean_spend, 2)
    35.17
    """

    p: float = parameter("p")
    q: float = parameter("q")
    v: float = parameter("v")

    _PARAMETERS: ClassVar[tuple[str, ...]] = ("p", "q", "v")

    def _rows(self, x: FloatArray, m: FloatArray) -> FloatArray:
        p, q, v = self.p, self.q, self.v
        px = p * x
        out: FloatArray = (
            special.gammaln(px + q)
            - special.gammaln(px)
            - special.gammaln(q)
            + q * math.log(v)
            + (px - 1.0) * np.log(m)
            + px * np.log(x)
            - (px + q) * np.log(v + m * x)
        )
        return out

    def log_likelihood(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        monetary: ArrayLike | None = None,
    ) -> FloatArray:
        """Return the log-density of each customer's mean spend (NaN-free; ``x >= 1`` only).

        Raises
        ------
        InvalidInputError
            If a customer has no repeat purchase (no spend to explain) or non-positive spend.
        """
        x, m = _check_spend(frequency, monetary, func="GammaGamma.log_likelihood")
        none = x == 0
        if none.any():
            i = first_true(none)
            msg = f"`frequency` must be at least 1 for the spend likelihood (customer {i}: 0)."
            raise InvalidInputError(msg)
        _check_positive_where_bought(x, m)
        return self._rows(x.astype(np.float64), m)

    @classmethod
    def fit(
        cls,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        monetary: ArrayLike | None = None,
        *,
        weights: ArrayLike | None = None,
        penalty: float = 0.0,
    ) -> FitResult[Self]:
        """Estimate ``p, q, v`` by maximum likelihood on the customers with repeat purchases.

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat transactions per customer (customers with 0 are skipped: they carry no
            repeat-transaction value), or a summary holding frequency and monetary, or a
            DataFrame with the columns of :meth:`CustomerSummary.from_pandas` (``monetary``
            included).
        monetary : array_like of float, optional
            Mean value of each customer's repeat transactions; positive where frequency > 0.
        weights : array_like of float, optional
            Non-negative weight per customer.
        penalty : float, default 0
            L2 penalty on the parameters (see :meth:`BetaGeo.fit`).
        """
        x, m = _check_spend(frequency, monetary, func="GammaGamma.fit")
        _check_positive_where_bought(x, m)
        w = check_weights(weights, x.size)
        keep = x > 0
        if not keep.any():
            msg = "`frequency` must be positive for at least one customer to fit spend."
            raise InvalidInputError(msg)
        xf, mf = x[keep].astype(np.float64), m[keep]
        wf = np.ones(xf.size) if w is None else w[keep]
        check_fit_data(xf.size, None if w is None else wf, name="frequency", func="GammaGamma.fit")

        pen = float(check_number(penalty, "penalty", low=0))
        data = _SpendData.build(xf, mf, wf)
        n_obs = data.total_weight
        found = _newton(data, _moment_start(data), n_obs, pen)
        if found is not None:
            return _finish(cls, found, n_obs, pen)
        # Newton failed (degenerate data): the shared L-BFGS-B search, with its messages.
        mean = float(np.average(mf, weights=wf))
        starts = [(1.0, 2.0, mean), (5.0, 3.0, 2.0 * mean), (1.0, 1.0, 1.0)]
        return fit_model(
            cls,
            data.loglik,
            starts,
            n_observations=n_obs,
            penalty=pen,
            loglik_and_score=data.loglik_and_score,
        )

    def _require_mean(self) -> None:
        if self.q <= 1.0:
            msg = (
                f"the expected spend is undefined when `q` <= 1 (q = {self.q!r}): the "
                "customers' mean spend has infinite expectation under this model; refit "
                "with more data or a penalty rather than use a number."
            )
            raise InvalidInputError(msg)

    @property
    def mean_spend(self) -> float:
        r"""The population mean spend per transaction, :math:`p\gamma/(q-1)` (needs ``q > 1``)."""
        self._require_mean()
        return self.p * self.v / (self.q - 1.0)

    @overload
    def expected_spend(
        self, frequency: CustomerSummary | pd.DataFrame, monetary: None = None
    ) -> PerCustomer: ...

    @overload
    def expected_spend(self, frequency: ArrayLike, monetary: ArrayLike) -> FloatArray: ...

    def expected_spend(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        monetary: ArrayLike | None = None,
    ) -> PerCustomer | FloatArray:
        r"""Return each customer's expected spend per transaction given their history.

        Notes
        -----
        :math:`E[Z \mid x, m] = \frac{p(\gamma + x m)}{px + q - 1}`, a weighted mean of the
        population mean :math:`p\gamma/(q-1)` and the customer's own mean ``m``
        (Fader, Hardie & Lee 2005, JMR, eq. 5). Customers without repeat purchase get the
        population mean.

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat transactions, or a summary (or a DataFrame with its columns) holding
            frequency and monetary.
        monetary : array_like of float, optional
            With a frequency array: the mean value of each customer's repeat transactions.

        Returns
        -------
        PerCustomer or ndarray of float64
            With a summary or a DataFrame, a :class:`~custcentric.tables.PerCustomer` named
            ``"expected_spend"`` (unit ``"currency"``) keyed by the customer ids; with
            arrays, an array in their order.

        Raises
        ------
        InvalidInputError
            When ``q <= 1``: the expectation does not exist, and no number is returned.

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import GammaGamma
        >>> spend = GammaGamma(6.25, 3.74, 15.44).expected_spend(load_cdnow_summary())
        >>> spend.name, spend.unit, int(spend.customer_id[0]), round(float(spend.values[0]), 2)
        ('expected_spend', 'currency', 1, 24.66)
        """
        self._require_mean()
        x, m, ids = _spend_input(frequency, monetary, func="GammaGamma.expected_spend")
        _check_positive_where_bought(x, m)
        xf = x.astype(np.float64)
        mm = np.where(x > 0, m, 0.0)
        values = self.p * (self.v + xf * mm) / (self.p * xf + self.q - 1.0)
        out: PerCustomer | FloatArray = keyed(values, ids, name="expected_spend", unit="currency")
        return out

    def simulate(self, frequency: ArrayLike, *, rng: RNGLike = None) -> FloatArray:
        r"""Draw each customer's mean spend over ``frequency`` transactions (0 where none).

        Notes
        -----
        :math:`\nu \sim \mathrm{Gamma}(q, \gamma)`; the sum of ``x`` transactions is
        :math:`\mathrm{Gamma}(px, \nu)`, so the mean is that divided by ``x``.
        """
        x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
        gen = as_rng(rng)
        nu = gen.gamma(self.q, 1.0 / self.v, size=x.size)
        safe = np.maximum(x, 1).astype(np.float64)
        total = gen.gamma(self.p * safe, 1.0 / nu)
        out: FloatArray = np.where(x > 0, total / safe, 0.0)
        return out
