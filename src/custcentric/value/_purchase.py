r"""The purchase-model contract (:class:`PurchaseModel`) and the base the library's models share.

:class:`PurchaseModel` is what the rest of the library calls: customer lifetime value,
:func:`~custcentric.value.holdout_check` and the IDIC pipeline use only a model's
``time_unit``, ``probability_alive(summary)`` and ``conditional_expected_purchases(summary,
t=...)``. Any object with those three members plugs in; it need not derive from anything here.

:class:`PurchaseModelBase` implements the public methods of the continuous-time models
(BG/NBD, MBG/NBD, Pareto/NBD) once: input checking (arrays, a
:class:`~custcentric.tables.CustomerSummary` or a pandas DataFrame with its columns), time-unit
conversion, fitting on distinct histories with weights, per-customer log-likelihood, P(alive),
conditional expectations, results keyed by customer id, serialisation. A model declares its
parameters and a few formulas (hooks):

- ``_rows(h)``: the log-likelihood of each distinct history in ``h`` (:class:`Histories`);
- ``_p_alive(x, t_x, T)``: P(alive at T) given the history;
- ``_alive_mean(x, T, t)``: expected purchases in ``(T, T + t]`` of a customer alive at T;
- ``_starts(scale)``: starting points of the search (``scale`` is the mean T);
- optionally ``_objective(h)``: the total log-likelihood (and its gradient) the optimiser
  maximises, when the model has a faster one than the weighted sum of ``_rows``;
- ``_repeat_times(gen, T)``: simulated repeat-purchase times (owner, time after the first
  purchase), for :meth:`PurchaseModelBase.simulate_transactions`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, overload, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from custcentric._time import SECONDS_PER_UNIT
from custcentric._validation import (
    as_datetime_array,
    as_float_array,
    as_int_array,
    as_rng,
    check_equal_length,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary, PerCustomer, TransactionLog
from custcentric.typing import FloatArray, IntArray, RNGLike, TimeUnit
from custcentric.value._common import as_times, fit_time_unit, simulation_sizes
from custcentric.value._histories import (
    Histories,
    check_fit_data,
    check_histories,
    check_weights,
    per_customer,
    unique_histories,
)
from custcentric.value._mle import FitResult, ParametricModel, fit_model

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PurchaseModel",
    "PurchaseModelBase",
    "is_frame",
    "keyed",
    "table_input",
]

Objective = tuple[
    Callable[[FloatArray], float], Callable[[FloatArray], tuple[float, FloatArray]] | None
]


@runtime_checkable
class PurchaseModel(Protocol):
    r"""What a purchase model must offer to be valued, checked on a holdout or used by IDIC.

    :func:`~custcentric.value.customer_lifetime_value`,
    :func:`~custcentric.value.holdout_check` and the IDIC pipeline call a purchase model
    only through these members; :class:`BetaGeo`, :class:`ModifiedBetaGeo` and
    :class:`ParetoNBD` have them, and so may a model of your own (no base class needed;
    ``isinstance(model, PurchaseModel)`` checks that the members exist).

    Attributes
    ----------
    time_unit : str or None
        The unit the model's rates are per (``"D"``, ``"W"``, ...). Callers convert the
        summary's recency, T and every horizon into it exactly before calling; ``None``
        means the model takes histories in the summary's own unit.

    Methods
    -------
    probability_alive(summary)
        P(alive at T) for each customer of a
        :class:`~custcentric.tables.CustomerSummary`: one number per customer, in its order
        (an array, or a :class:`~custcentric.tables.PerCustomer`).
    conditional_expected_purchases(summary, *, t)
        Each customer's expected repeat purchases in ``(T, T + t]``, ``t`` in the model's
        unit (a float).

    Notes
    -----
    The callers pass a summary whose recency and T are already in the model's ``time_unit``
    (a summary of the customers' distinct histories, for CLV), so a model need not convert.
    A model whose expectation factors as :math:`P(\text{alive}) \cdot A(x, T, t)`, as the
    library's do, may also offer ``expected_purchases_if_alive(frequency, T, *, t)``
    returning :math:`A`; :func:`~custcentric.value.customer_lifetime_value` then evaluates
    it once per distinct ``(frequency, T)`` and period instead of calling
    ``conditional_expected_purchases`` once per period (same values, faster).

    Examples
    --------
    >>> from custcentric.value import BetaGeo, GammaGamma, PurchaseModel
    >>> isinstance(BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W"), PurchaseModel)
    True
    >>> isinstance(GammaGamma(6.25, 3.74, 15.44), PurchaseModel)
    False
    """

    @property
    def time_unit(self) -> str | None:
        """The unit of the model's rates, or None when unknown."""
        ...

    def probability_alive(self, summary: CustomerSummary, /) -> ArrayLike:
        """P(alive at T) for each customer of ``summary``."""
        ...

    def conditional_expected_purchases(self, summary: CustomerSummary, /, *, t: float) -> ArrayLike:
        """Each customer's expected repeat purchases in ``(T, T + t]``."""
        ...


# ------------------------------------------------------------------------------ inputs
def is_frame(value: object) -> bool:
    """Whether ``value`` is a pandas DataFrame (without importing pandas)."""
    return type(value).__module__.startswith("pandas") and hasattr(value, "columns")


def table_input(data: Any, *, time_unit: str) -> Any:
    """Return a DataFrame as a :class:`CustomerSummary` in ``time_unit``; anything else as is.

    The frame goes through :meth:`CustomerSummary.from_pandas`, so it gets the same checks
    (columns ``customer_id, frequency, recency, T`` and optionally ``monetary``).
    """
    if not is_frame(data):
        return data
    return CustomerSummary.from_pandas(data, time_unit=time_unit)


def keyed(values: FloatArray, ids: Any, *, name: str, unit: str) -> Any:
    """Return ``values`` as a :class:`PerCustomer` keyed by ``ids`` (values as is without ids)."""
    if ids is None:
        return values
    return PerCustomer(customer_id=ids, values=values, name=name, unit=unit)


def _frame_fit_unit(time_unit: str | None, *, func: str) -> str:
    if time_unit is None:
        msg = (
            f"{func}: a DataFrame carries no time unit; pass `time_unit=` (the unit of its "
            "recency and T, which the fitted model then carries)."
        )
        raise InvalidInputError(msg)
    return time_unit


# -------------------------------------------------------------------------------- base
class PurchaseModelBase(ParametricModel):
    """The public methods of the continuous-time purchase models, from a few formulas.

    Subclasses are ``attrs`` frozen classes that declare their parameters (fields and
    ``_PARAMETERS``), a ``time_unit`` field, and the hooks listed in the module docstring.
    """

    __slots__ = ()

    _OPTIONS: ClassVar[tuple[str, ...]] = ("time_unit",)

    if TYPE_CHECKING:
        time_unit: TimeUnit | None

        def __init__(self, *args: float, time_unit: str | None = None) -> None: ...

    # ------------------------------------------------------------------ the hooks
    def _rows(self, h: Histories) -> FloatArray:
        """Log-likelihood of each distinct history."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    def _p_alive(self, x: FloatArray, t_x: FloatArray, t: FloatArray) -> FloatArray:
        """P(alive at ``t``) given ``x`` repeat purchases, the last at ``t_x``."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    def _alive_mean(self, x: FloatArray, t: FloatArray, horizon: Any) -> FloatArray:
        """Return the expected purchases in the next ``horizon`` of a customer alive at ``t``."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    @classmethod
    def _starts(cls, scale: float) -> Sequence[Sequence[float]]:
        """Return starting points of the search; ``scale`` is the mean observation length."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    def _repeat_times(
        self, gen: np.random.Generator, lengths: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        """Return simulated repeat purchases: each one's customer and time after the first."""
        raise NotImplementedError  # pragma: no cover - every model defines it

    @classmethod
    def _objective(cls, h: Histories) -> Objective:
        """Return the total log-likelihood (and optionally its gradient) as functions of theta."""

        def loglik(theta: FloatArray) -> float:
            return float(np.dot(h.weight, cls(*theta)._rows(h)))

        return loglik, None

    # ------------------------------------------------------------------ inputs
    def _histories(
        self,
        frequency: Any,
        recency: ArrayLike | None,
        T: ArrayLike | None,  # noqa: N803
        *,
        func: str,
    ) -> tuple[IntArray, FloatArray, FloatArray, Any]:
        """Return checked histories in the model's unit and the customer ids (None for arrays)."""
        data = table_input(frequency, time_unit=self.time_unit or "D")
        x, t_x, t = check_histories(data, recency, T, func=func, time_unit=self.time_unit)
        ids = data.customer_id if isinstance(data, CustomerSummary) else None
        return x, t_x, t, ids

    # ------------------------------------------------------------------ likelihood
    def log_likelihood(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
    ) -> FloatArray:
        """Return each customer's log-likelihood contribution (see the class Notes).

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat purchases, or a summary (or a DataFrame with its columns, read in the
            model's ``time_unit``) carrying all three fields.
        recency, T : array_like of float, optional
            Time of the last purchase and length of observation, both from the first
            purchase, in the model's ``time_unit`` (a summary in another unit is converted
            into it first, so the densities are per the model's unit).

        Returns
        -------
        ndarray of float64
            One log-likelihood per customer, in their order; their sum is the total.
        """
        x, t_x, t, _ = self._histories(frequency, recency, T, func=type(self).__name__)
        return per_customer(self._rows, x, t_x, t)

    @classmethod
    def fit(
        cls,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        weights: ArrayLike | None = None,
        penalty: float = 0.0,
        time_unit: str | None = None,
    ) -> FitResult[Self]:
        """Estimate the parameters by maximum likelihood.

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat purchases, or a summary holding frequency, recency and T, or a DataFrame
            with the columns of :meth:`CustomerSummary.from_pandas` (``customer_id,
            frequency, recency, T``).
        recency, T : array_like of float, optional
            Needed with a frequency array; same time unit throughout.
        weights : array_like of float, optional
            A non-negative weight per customer (e.g. how many customers share the row).
        penalty : float, default 0
            L2 penalty added to the mean negative log-likelihood: ``penalty * sum(theta**2)``.
        time_unit : {"s", "m", "h", "D", "W"}, optional
            The unit the fitted model carries (its rates are per that unit). Default: the
            summary's ``time_unit``; with arrays, ``None`` (unit unknown: the model then
            takes every history, summaries included, as being in its unit, as before models
            carried a unit). With a summary in another unit, its recency and T are converted
            into ``time_unit`` before fitting. A DataFrame carries no unit, so it needs
            ``time_unit`` (the unit of its recency and T).

        Returns
        -------
        FitResult
            ``.model`` is the fitted value; see :class:`FitResult` for the rest.

        Raises
        ------
        InvalidInputError
            For bad histories or weights, no customers, or a DataFrame without
            ``time_unit``.

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeo, ParetoNBD
        >>> cdnow = load_cdnow_summary()
        >>> BetaGeo.fit(cdnow).model.time_unit, ParetoNBD.fit(cdnow).model.time_unit
        ('W', 'W')
        >>> arrays = (cdnow.frequency, cdnow.recency, cdnow.T)
        >>> BetaGeo.fit(*arrays).model.time_unit is None
        True
        >>> round(BetaGeo.fit(cdnow.to_pandas(), time_unit="W").log_likelihood, 1)
        -9582.4
        """
        func = f"{cls.__name__}.fit"
        if is_frame(frequency):
            frequency = table_input(frequency, time_unit=_frame_fit_unit(time_unit, func=func))
        unit = fit_time_unit(frequency, time_unit)
        x, t_x, t = check_histories(frequency, recency, T, func=func, time_unit=unit)
        w = check_weights(weights, x.size)
        check_fit_data(x.size, w, name="frequency", func=func)
        h = unique_histories(x, t_x, t, w)
        loglik, loglik_and_score = cls._objective(h)
        # The start follows the customers the weights stand for, so a fit on distinct
        # histories with their counts is the same fit as on every customer.
        scale = float(np.average(t, weights=w)) if t.size else 1.0
        scale = scale if scale > 0 else 1.0
        return fit_model(
            cls,
            loglik,
            cls._starts(scale),
            n_observations=h.n_customers,
            penalty=penalty,
            loglik_and_score=loglik_and_score,
            options={"time_unit": unit},
        )

    # ------------------------------------------------------------------ predictions
    @overload
    def probability_alive(
        self,
        frequency: CustomerSummary | pd.DataFrame,
        recency: None = None,
        T: None = None,  # noqa: N803
    ) -> PerCustomer: ...

    @overload
    def probability_alive(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,  # noqa: N803
    ) -> FloatArray: ...

    def probability_alive(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
    ) -> PerCustomer | FloatArray:
        """Return P(alive at T) for each customer given the history.

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat purchases, or a summary (or a DataFrame with its columns, read in the
            model's ``time_unit``).
        recency, T : array_like of float, optional
            With a frequency array: the histories, in the model's ``time_unit``.

        Returns
        -------
        PerCustomer or ndarray of float64
            With a summary or a DataFrame, a :class:`~custcentric.tables.PerCustomer`
            named ``"probability_alive"`` (unit ``"probability"``) keyed by the customer
            ids; with arrays, an array in their order.

        Notes
        -----
        The model's formula is in its class Notes. Recency and T are in the model's
        ``time_unit``; a summary in another unit is converted into it exactly.

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeo
        >>> model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
        >>> alive = model.probability_alive(load_cdnow_summary())
        >>> alive.name, int(alive.customer_id[0]), round(float(alive.values[0]), 3)
        ('probability_alive', 1, 0.727)
        >>> model.probability_alive([2], [30.43], [38.86]).round(3)
        array([0.727])
        """
        x, t_x, t, ids = self._histories(frequency, recency, T, func="probability_alive")
        values = self._p_alive(x.astype(np.float64), t_x, t)
        out: PerCustomer | FloatArray = keyed(
            values, ids, name="probability_alive", unit="probability"
        )
        return out

    @overload
    def conditional_expected_purchases(
        self,
        frequency: CustomerSummary | pd.DataFrame,
        recency: None = None,
        T: None = None,  # noqa: N803
        *,
        t: float,
    ) -> PerCustomer: ...

    @overload
    def conditional_expected_purchases(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,  # noqa: N803
        *,
        t: ArrayLike,
    ) -> FloatArray: ...

    def conditional_expected_purchases(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        t: ArrayLike,
    ) -> PerCustomer | FloatArray:
        r"""Return each customer's expected repeat purchases in ``(T, T + t]``.

        Parameters
        ----------
        frequency : array_like of int, CustomerSummary or DataFrame
            Repeat purchases, or a summary (or a DataFrame with its columns, read in the
            model's ``time_unit``).
        recency, T : array_like of float, optional
            With a frequency array: the histories, in the model's ``time_unit``.
        t : float or array_like
            The horizon (or one per customer), in the model's ``time_unit``.

        Returns
        -------
        PerCustomer or ndarray of float64
            With a summary or a DataFrame, a :class:`~custcentric.tables.PerCustomer`
            named ``"expected_purchases"`` (unit ``"purchases"``) keyed by the customer
            ids; with arrays, an array in their order.

        Notes
        -----
        :math:`P(\text{alive}) \cdot A(x, T, t)` with :math:`A` the expectation of a
        customer alive at T (:meth:`expected_purchases_if_alive`); the model's formulas are
        in its method Notes. A summary in another unit is converted into the model's unit
        (so the same customers give the same answer in any unit).

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeo
        >>> model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
        >>> future = model.conditional_expected_purchases(load_cdnow_summary(), t=39.0)
        >>> future.name, future.unit, round(float(future.values[0]), 3)
        ('expected_purchases', 'purchases', 1.226)
        """
        x, t_x, big_t, ids = self._histories(
            frequency, recency, T, func="conditional_expected_purchases"
        )
        horizon = float(as_times(t)[0]) if np.ndim(t) == 0 else as_times(t)
        xf = x.astype(np.float64)
        values = self._p_alive(xf, t_x, big_t) * self._alive_mean(xf, big_t, horizon)
        out: PerCustomer | FloatArray = keyed(
            values, ids, name="expected_purchases", unit="purchases"
        )
        return out

    def expected_purchases_if_alive(
        self,
        frequency: ArrayLike,
        T: ArrayLike,  # noqa: N803
        *,
        t: float,
    ) -> FloatArray:
        """Return the expected repeat purchases in ``(T, T + t]`` of customers alive at ``T``.

        The factor of :meth:`conditional_expected_purchases` beside P(alive): it depends on
        a customer only through ``frequency`` and ``T``, so
        :func:`~custcentric.value.customer_lifetime_value` evaluates it once per distinct
        pair. ``T`` and ``t`` are in the model's ``time_unit``.

        Examples
        --------
        >>> from custcentric.value import BetaGeo
        >>> model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
        >>> alive = model.expected_purchases_if_alive([2], [38.86], t=39.0)
        >>> p = model.probability_alive([2], [30.43], [38.86])
        >>> round(float(p[0] * alive[0]), 3)
        1.226
        """
        x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
        big_t = as_float_array(T, "T", non_negative=True, label="customer")
        check_equal_length({"frequency": x, "T": big_t})
        horizon = float(as_times(t)[0])
        return self._alive_mean(x.astype(np.float64), big_t, horizon)

    def simulate_transactions(
        self,
        n_customers: int,
        T: ArrayLike,  # noqa: N803
        *,
        start: Any,
        rng: RNGLike = None,
        spend_model: Any = None,
    ) -> TransactionLog:
        r"""Draw customers from the model and return their purchases as a transaction log.

        Parameters
        ----------
        n_customers : int
            How many customers (ids ``0 .. n_customers - 1``).
        T : float or array_like
            Observation length after each customer's first purchase, in the model's
            ``time_unit`` ("D" for a model without one): one number, or one per customer.
        start : datetime64 or ISO 8601 str
            The first purchase of the customers observed longest; customer ``i`` makes the
            first purchase ``max(T) - T[i]`` later, so everyone is observed to
            ``start + max(T)``, and ``log.summary(start + max(T), time_unit=...)`` gives each
            customer's ``T`` back.
        rng : None, int, SeedSequence or Generator
            Passed to :func:`numpy.random.default_rng`.
        spend_model : GammaGamma, optional
            Draws each transaction's amount (every customer's rate from the model, then the
            amounts around it); without it every amount is 0.

        Returns
        -------
        TransactionLog
            One row per purchase (the first included), timestamps to the second.

        Notes
        -----
        Vectorised over customers and purchases (one ``lexsort`` of all the purchase times,
        no loop per customer); the purchase process is the model's own (see
        :meth:`simulate`), drawn from a stream of its own, so the histories differ from
        those of :meth:`simulate` with the same ``rng``. Customers who buy more than once
        on a day count one repeat purchase day in a day-granular summary.

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.value import BetaGeo
        >>> model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
        >>> log = model.simulate_transactions(1000, 39.0, start="1997-01-01", rng=7)
        >>> summary = log.summary(np.datetime64("1997-01-01") + np.timedelta64(39 * 7, "D"),
        ...                       time_unit="W")
        >>> len(summary), float(summary.T.max())
        (1000, 39.0)
        """
        unit = self.time_unit or "D"
        n, lengths = simulation_sizes(n_customers, T)
        begin = as_datetime_array([start], "start")[0]
        gen = as_rng(rng)
        owner, offset = self._repeat_times(gen, lengths)
        seconds = SECONDS_PER_UNIT[unit]
        longest = float(lengths.max()) if n else 0.0
        if longest * seconds > 1e15:  # about 31 million years: beyond datetime64[s] sense
            msg = (
                f"`T` must be at most {1e15 / seconds:.3g} {unit} for simulated timestamps "
                f"(got {longest:.3g})."
            )
            raise InvalidInputError(msg)
        first = np.floor((longest - lengths) * seconds).astype(np.int64)
        repeat = first[owner] + np.floor(offset * seconds).astype(np.int64)
        customer = np.concatenate([np.arange(n, dtype=np.int64), owner])
        at = np.concatenate(
            [
                first,
                np.minimum(
                    repeat, first[owner] + np.floor(lengths[owner] * seconds).astype(np.int64)
                ),
            ]
        )
        order = np.lexsort((at, customer))
        customer, at = customer[order], at[order]
        if spend_model is None:
            amount = np.zeros(customer.size)
        else:
            from custcentric.value._gammagamma import GammaGamma  # it imports this module

            if not isinstance(spend_model, GammaGamma):
                msg = (
                    "`spend_model` must be a GammaGamma or None "
                    f"(got {type(spend_model).__name__})."
                )
                raise InvalidInputError(msg)
            nu = gen.gamma(spend_model.q, 1.0 / spend_model.v, size=n)
            amount = gen.gamma(spend_model.p, 1.0 / nu[customer])
        timestamp = begin.astype("datetime64[s]") + at.astype("timedelta64[s]")
        return TransactionLog.from_arrays(customer, timestamp, amount)
