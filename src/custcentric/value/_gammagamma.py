r"""The gamma-gamma model of spend per transaction (Fader, Hardie & Lee 2005; Colombo & Jiang 1999).

Each transaction value of a customer is :math:`z \sim \mathrm{Gamma}(p, \nu)` (shape, rate)
and the customer's rate is :math:`\nu \sim \mathrm{Gamma}(q, \gamma)`; the parameter
:math:`\gamma` is called ``v`` here (as in the *lifetimes* package). The data per customer are
the number of repeat transactions ``x`` and their mean value ``m`` ("monetary": the **mean
value of the repeat transactions**, not the total, and without the first purchase).
"""

from __future__ import annotations

import math
from typing import ClassVar, Self

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._validation import (
    as_float_array,
    as_int_array,
    check_equal_length,
    first_true,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.typing import FloatArray, IntArray, RNGLike
from custcentric.value._common import parameter
from custcentric.value._histories import check_fit_data, check_weights
from custcentric.value._mle import FitResult, ParametricModel, fit_model

__all__ = ["GammaGamma"]


def _check_spend(
    frequency: ArrayLike | CustomerSummary, monetary: ArrayLike | None, *, func: str
) -> tuple[IntArray, FloatArray]:
    if isinstance(frequency, CustomerSummary):
        if monetary is not None:
            msg = f"{func}: pass either a CustomerSummary or `frequency` and `monetary`."
            raise InvalidInputError(msg)
        return frequency.frequency, frequency.monetary
    if monetary is None:
        msg = f"{func}: `monetary` is needed with a `frequency` array."
        raise InvalidInputError(msg)
    x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
    m = as_float_array(monetary, "monetary", label="customer")
    check_equal_length({"frequency": x, "monetary": m})
    return x, m


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
        self, frequency: ArrayLike | CustomerSummary, monetary: ArrayLike | None = None
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
        frequency: ArrayLike | CustomerSummary,
        monetary: ArrayLike | None = None,
        *,
        weights: ArrayLike | None = None,
        penalty: float = 0.0,
    ) -> FitResult[Self]:
        """Estimate ``p, q, v`` by maximum likelihood on the customers with repeat purchases.

        Parameters
        ----------
        frequency : array_like of int or CustomerSummary
            Repeat transactions per customer (customers with 0 are skipped: they carry no
            repeat-transaction value), or a summary holding frequency and monetary.
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

        def loglik(theta: FloatArray) -> float:
            return float(np.dot(wf, cls(*theta)._rows(xf, mf)))

        mean = float(np.average(mf, weights=wf)) if wf.sum() > 0 else 1.0
        starts = [(1.0, 2.0, mean), (5.0, 3.0, 2.0 * mean), (1.0, 1.0, 1.0)]
        return fit_model(cls, loglik, starts, n_observations=float(wf.sum()), penalty=penalty)

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

    def expected_spend(
        self, frequency: ArrayLike | CustomerSummary, monetary: ArrayLike | None = None
    ) -> FloatArray:
        r"""Return each customer's expected spend per transaction given their history.

        Notes
        -----
        :math:`E[Z \mid x, m] = \frac{p(\gamma + x m)}{px + q - 1}`, a weighted mean of the
        population mean :math:`p\gamma/(q-1)` and the customer's own mean ``m``
        (Fader, Hardie & Lee 2005, JMR, eq. 5). Customers without repeat purchase get the
        population mean.

        Raises
        ------
        InvalidInputError
            When ``q <= 1``: the expectation does not exist, and no number is returned.
        """
        self._require_mean()
        x, m = _check_spend(frequency, monetary, func="GammaGamma.expected_spend")
        _check_positive_where_bought(x, m)
        xf = x.astype(np.float64)
        mm = np.where(x > 0, m, 0.0)
        out: FloatArray = self.p * (self.v + xf * mm) / (self.p * xf + self.q - 1.0)
        return out

    def simulate(self, frequency: ArrayLike, *, rng: RNGLike = None) -> FloatArray:
        r"""Draw each customer's mean spend over ``frequency`` transactions (0 where none).

        Notes
        -----
        :math:`\nu \sim \mathrm{Gamma}(q, \gamma)`; the sum of ``x`` transactions is
        :math:`\mathrm{Gamma}(px, \nu)`, so the mean is that divided by ``x``.
        """
        x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
        gen = np.random.default_rng(rng)
        nu = gen.gamma(self.q, 1.0 / self.v, size=x.size)
        safe = np.maximum(x, 1).astype(np.float64)
        total = gen.gamma(self.p * safe, 1.0 / nu)
        out: FloatArray = np.where(x > 0, total / safe, 0.0)
        return out
