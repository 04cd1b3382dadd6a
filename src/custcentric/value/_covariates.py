r"""BG/NBD and Pareto/NBD with time-invariant covariates (Fader & Hardie 2007, note 019).

Each customer :math:`i` has covariates :math:`z_i^{(p)}` for the purchase process and
:math:`z_i^{(d)}` for the drop-out process, and his own gamma/beta mixing parameters, in the
parameterisation of the R package CLVTools (Bachmann, Meierer & Näf):

- purchase: :math:`\alpha_i = \alpha_0 \exp(-\gamma_p^\top z_i^{(p)})` (both models), so a
  positive coefficient raises the mean purchase rate :math:`r / \alpha_i`;
- drop-out, Pareto/NBD: :math:`\beta_i = \beta_0 \exp(-\gamma_d^\top z_i^{(d)})`, so a
  positive coefficient raises the mean drop-out rate :math:`s / \beta_i`;
- drop-out, BG/NBD: :math:`a_i = a_0 \exp(\gamma_d^\top z_i^{(d)})` and
  :math:`b_i = b_0 \exp(\gamma_d^\top z_i^{(d)})` (one coefficient for both).

Given its individual parameters a customer is a plain BG/NBD or Pareto/NBD customer, so every
formula is the plain model's with per-customer parameters. The fit evaluates the likelihood
once per distinct (history, covariate row), with the number of customers holding it as weight.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._result import Result, read_only
from custcentric._stats import ConfidenceInterval
from custcentric._validation import as_rng, check_confidence_level, check_number, fmt
from custcentric.exceptions import ConvergenceWarning, InvalidInputError
from custcentric.tables import CustomerSummary, PerCustomer
from custcentric.typing import FloatArray, IntArray, RNGLike, TimeUnit
from custcentric.value._betageo import BetaGeo
from custcentric.value._common import (
    as_times,
    check_model_unit,
    fit_time_unit,
    parameter,
    simulation_sizes,
    simulation_time_unit,
    summary_from_arrays,
)
from custcentric.value._covariates_input import (
    check_constant_and_collinear,
    covariate_matrix,
    names_for,
)
from custcentric.value._covariates_kernels import (
    bg_alive_mean,
    bg_loglik,
    bg_loglik_and_scores,
    bg_p_alive,
)
from custcentric.value._covariates_kernels_pareto import (
    pareto_alive_mean,
    pareto_loglik,
    pareto_p_alive,
)
from custcentric.value._histories import (
    check_fit_data,
    check_histories,
    check_weights,
    unique_histories,
)
from custcentric.value._pareto import ParetoNBD
from custcentric.value._purchase import is_frame, keyed, table_input

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BetaGeoWithCovariates",
    "CovariateFitResult",
    "CustomersWithCovariates",
    "ParetoNBDWithCovariates",
]

_PROCESSES = ("purchase", "dropout")
_BOUND_BASE = 30.0  # log baseline parameters stay within exp(+-30)
_BOUND_COEFFICIENT = 20.0  # coefficients of standardised covariates stay within +-20
_GRADIENT_TOLERANCE = 1e-6


def _coefficients(values: Any) -> FloatArray:
    out = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if out.ndim != 1 or not np.all(np.isfinite(out)):
        msg = f"covariate coefficients must be a 1-D array of finite numbers (got {values!r})."
        raise InvalidInputError(msg)
    return read_only(out)


def _names(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@attrs.frozen(kw_only=True, eq=False)
class _Rows:
    """Distinct (history, covariate row) rows, their weights and the map back to customers.

    ``x_values``/``x_code``: the distinct frequencies and each row's; ``pair_x``, ``pair_zd``
    and ``pair_code``: the distinct (frequency, drop-out covariate row) pairs and each row's,
    on which the BG/NBD beta-function terms are evaluated once.
    """

    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    zp: FloatArray
    zd: FloatArray
    weight: FloatArray
    inverse: IntArray
    x_values: FloatArray
    x_code: IntArray
    pair_x: FloatArray
    pair_zd: FloatArray
    pair_code: IntArray


def _row_codes(z: FloatArray) -> tuple[IntArray, int]:
    """Return a code per row of ``z`` (equal rows, equal codes) and the number of codes.

    One ``np.unique`` per column, combined column by column into a key that is re-coded
    after each step (so it stays below ``n**2``): much faster than ``np.unique(axis=0)``.
    """
    n = z.shape[0]
    code = np.zeros(n, dtype=np.int64)
    count = 1
    for j in range(z.shape[1]):  # a loop over columns, not customers
        values, column = np.unique(z[:, j], return_inverse=True)
        key = code * values.size + column.reshape(-1)
        distinct, code = np.unique(key, return_inverse=True)
        code = code.reshape(-1).astype(np.int64)
        count = int(distinct.size)
    return code, count


def _distinct_rows(
    x: IntArray,
    t_x: FloatArray,
    t: FloatArray,
    zp: FloatArray,
    zd: FloatArray,
    weights: FloatArray | None,
) -> _Rows:
    """Collapse customers to distinct (history, covariate row) rows with their weights."""
    h = unique_histories(x, t_x, t, return_inverse=True)
    assert h.inverse is not None
    cov_code, n_cov = _row_codes(np.hstack([zp, zd]))
    key = h.inverse * n_cov + cov_code
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1).astype(np.int64)
    weight = np.bincount(inverse, weights=weights, minlength=first.size).astype(np.float64)
    xs = x[first].astype(np.float64)
    zd_rows = zd[first]
    x_values, x_code = np.unique(xs, return_inverse=True)
    x_code = x_code.reshape(-1).astype(np.int64)
    d_code, n_d = _row_codes(zd_rows)
    _, pair_first, pair_code = np.unique(
        x_code * n_d + d_code, return_index=True, return_inverse=True
    )
    return _Rows(
        x=xs,
        t_x=t_x[first],
        T=t[first],
        zp=zp[first],
        zd=zd_rows,
        weight=weight,
        inverse=inverse,
        x_values=x_values,
        x_code=x_code,
        pair_x=xs[pair_first],
        pair_zd=zd_rows[pair_first],
        pair_code=pair_code.reshape(-1).astype(np.int64),
    )


class _CovariateModel:
    """What the two models share: per-customer parameters, predictions, fitting."""

    __slots__ = ()

    _BASE: ClassVar[tuple[str, ...]] = ()
    #: which baseline parameters each process's covariates scale, and with which sign
    _LINKS: ClassVar[dict[str, tuple[tuple[int, float], ...]]] = {}
    _PLAIN: ClassVar[Any] = None
    _NUMERIC_SCORES: ClassVar[bool] = True  # False where the gradient is in closed form

    if TYPE_CHECKING:
        purchase_coefficients: FloatArray
        dropout_coefficients: FloatArray
        purchase_names: tuple[str, ...]
        dropout_names: tuple[str, ...]
        time_unit: TimeUnit | None

        def __init__(self, **kwargs: Any) -> None: ...

    # ------------------------------------------------------------------ hooks
    @staticmethod
    def _loglik(base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray) -> FloatArray:
        raise NotImplementedError  # pragma: no cover - every model defines it

    @staticmethod
    def _p_alive_rows(
        base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray
    ) -> FloatArray:
        raise NotImplementedError  # pragma: no cover - every model defines it

    @staticmethod
    def _alive_mean_rows(
        base: Sequence[Any], x: FloatArray, t: FloatArray, horizon: Any
    ) -> FloatArray:
        raise NotImplementedError  # pragma: no cover - every model defines it

    @classmethod
    def _scores(
        cls, base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Row log-likelihoods and derivatives in the log of each per-row parameter.

        By central differences in each log parameter (all rows at once), so the cost does
        not grow with the number of covariates; models with closed forms override it.
        """
        ll = cls._loglik(base, x, t_x, t)
        step = 1e-5
        scores = np.empty((len(base), x.size))
        for j in range(len(base)):  # a loop over the four parameters, not customers
            up, down = list(base), list(base)
            up[j] = base[j] * math.exp(step)
            down[j] = base[j] * math.exp(-step)
            scores[j] = (cls._loglik(up, x, t_x, t) - cls._loglik(down, x, t_x, t)) / (2 * step)
        return ll, scores

    @staticmethod
    def _draw(
        gen: np.random.Generator, base: Sequence[FloatArray], lengths: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        raise NotImplementedError  # pragma: no cover - every model defines it

    # ------------------------------------------------------------------ parameters
    def __attrs_post_init__(self) -> None:
        for process in _PROCESSES:
            coef = getattr(self, f"{process}_coefficients")
            names = getattr(self, f"{process}_names")
            if coef.size != len(names):
                msg = (
                    f"`{process}_coefficients` must have one entry per name of "
                    f"`{process}_names` ({coef.size} != {len(names)})."
                )
                raise InvalidInputError(msg)

    @property
    def parameters(self) -> dict[str, float]:
        """Baseline parameters and coefficients by name (``purchase:<name>``, ``dropout:<name>``)."""
        out = {name: float(getattr(self, name)) for name in self._BASE}
        for process in _PROCESSES:
            coef = getattr(self, f"{process}_coefficients")
            for name, value in zip(getattr(self, f"{process}_names"), coef.tolist(), strict=True):
                out[f"{process}:{name}"] = float(value)
        return out

    def plain_model(self) -> Any:
        """Return the plain model of a customer whose covariates are all zero.

        Examples
        --------
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> model = BetaGeoWithCovariates(r=0.24, alpha=4.4, a=0.79, b=2.4,
        ...     purchase_coefficients=[0.3], purchase_names=["gold"], time_unit="W")
        >>> model.plain_model()
        BetaGeo(r=0.24, alpha=4.4, a=0.79, b=2.4, time_unit='W')
        """
        return self._PLAIN(*(getattr(self, n) for n in self._BASE), time_unit=self.time_unit)

    def to_dict(self) -> dict[str, Any]:
        """Return the model as JSON-ready data (baseline, coefficients by name, time unit)."""
        out: dict[str, Any] = {"model": type(self).__name__}
        out.update({name: float(getattr(self, name)) for name in self._BASE})
        for process in _PROCESSES:
            coef = getattr(self, f"{process}_coefficients").tolist()
            out[f"{process}_coefficients"] = dict(
                zip(getattr(self, f"{process}_names"), coef, strict=True)
            )
        out["time_unit"] = self.time_unit
        return out

    def _row_parameters(self, zp: FloatArray, zd: FloatArray) -> list[Any]:
        """Each row's baseline parameters scaled by its covariates (see the module docs)."""
        base: list[Any] = [float(getattr(self, n)) for n in self._BASE]
        for process, z in (("purchase", zp), ("dropout", zd)):
            coef = getattr(self, f"{process}_coefficients")
            if coef.size == 0:
                continue
            score = z @ coef
            for j, sign in self._LINKS[process]:
                base[j] = base[j] * np.exp(sign * score)
        return base

    def _covariates(
        self, purchase_covariates: Any, dropout_covariates: Any, n: int, ids: Any
    ) -> tuple[FloatArray, FloatArray]:
        out = []
        for process, values in (("purchase", purchase_covariates), ("dropout", dropout_covariates)):
            names = getattr(self, f"{process}_names")
            arg = f"{process}_covariates"
            if not names:
                if values is not None and np.size(values) and np.shape(values)[-1:] != (0,):
                    msg = f"`{arg}`: the model has no {process} covariates; pass None."
                    raise InvalidInputError(msg)
                out.append(np.zeros((n, 0)))
                continue
            if values is None:
                msg = (
                    f"`{arg}` is needed: the model has {process} coefficients for "
                    f"{', '.join(map(repr, names))}; pass each customer's values."
                )
                raise InvalidInputError(msg)
            z, _ = covariate_matrix(values, arg, n, expected=names, ids=ids)
            out.append(z)
        return out[0], out[1]

    def _inputs(
        self,
        frequency: Any,
        recency: Any,
        T: Any,  # noqa: N803
        purchase_covariates: Any,
        dropout_covariates: Any,
        *,
        func: str,
    ) -> tuple[_Rows, list[Any], Any]:
        data = table_input(frequency, time_unit=self.time_unit or "D")
        x, t_x, t = check_histories(data, recency, T, func=func, time_unit=self.time_unit)
        ids = data.customer_id if isinstance(data, CustomerSummary) else None
        zp, zd = self._covariates(purchase_covariates, dropout_covariates, x.size, ids)
        rows = _distinct_rows(x, t_x, t, zp, zd, None)
        return rows, self._row_parameters(rows.zp, rows.zd), ids

    # ------------------------------------------------------------------ predictions
    def individual_parameters(
        self, *, purchase_covariates: Any = None, dropout_covariates: Any = None
    ) -> dict[str, FloatArray]:
        """Return each customer's own mixing parameters given his covariates.

        Parameters
        ----------
        purchase_covariates, dropout_covariates : array_like or DataFrame
            One row per customer, the model's columns (a DataFrame is matched by column
            name); needed when the model has coefficients for that process.

        Returns
        -------
        dict of str to ndarray
            One array per baseline parameter (``r`` and ``s`` are the same for everyone).

        Examples
        --------
        >>> from custcentric.value import ParetoNBDWithCovariates
        >>> model = ParetoNBDWithCovariates(r=0.5, alpha=10.0, s=0.6, beta=12.0,
        ...     purchase_coefficients=[0.5], purchase_names=["gold"])
        >>> model.individual_parameters(purchase_covariates=[[0.0], [1.0]])["alpha"].round(3)
        array([10.   ,  6.065])
        """
        sizes = [np.shape(v)[0] for v in (purchase_covariates, dropout_covariates) if v is not None]
        n = sizes[0] if sizes else 1
        zp, zd = self._covariates(purchase_covariates, dropout_covariates, n, None)
        base = self._row_parameters(zp, zd)
        return {
            name: np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()
            for name, value in zip(self._BASE, base, strict=True)
        }

    def log_likelihood(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
    ) -> FloatArray:
        """Return each customer's log-likelihood contribution given his covariates.

        Parameters
        ----------
        frequency, recency, T : array_like, CustomerSummary or DataFrame
            The histories, as for the plain models (in the model's ``time_unit``).
        purchase_covariates, dropout_covariates : array_like or DataFrame
            One row per customer, in the order of the histories.

        Returns
        -------
        ndarray of float64
            One log-likelihood per customer; their sum is the total.
        """
        rows, base, _ = self._inputs(
            frequency, recency, T, purchase_covariates, dropout_covariates, func="log_likelihood"
        )
        values = self._loglik(base, rows.x, rows.t_x, rows.T)
        out: FloatArray = values[rows.inverse]
        return out

    def probability_alive(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
    ) -> PerCustomer | FloatArray:
        """Return P(alive at T) for each customer given his history and covariates.

        Parameters
        ----------
        frequency, recency, T : array_like, CustomerSummary or DataFrame
            The histories, as for the plain models (in the model's ``time_unit``).
        purchase_covariates, dropout_covariates : array_like or DataFrame
            One row per customer, in the order of the histories.

        Returns
        -------
        PerCustomer or ndarray of float64
            Keyed by customer id with a summary or a DataFrame; an array with arrays.

        Examples
        --------
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> model = BetaGeoWithCovariates(r=0.24, alpha=4.4, a=0.79, b=2.4,
        ...     dropout_coefficients=[1.0], dropout_names=["late_repair"], time_unit="W")
        >>> model.probability_alive([2, 2], [30.0, 30.0], [38.0, 38.0],
        ...                         dropout_covariates=[[0.0], [1.0]]).round(3)
        array([0.729, 0.687])
        """
        rows, base, ids = self._inputs(
            frequency, recency, T, purchase_covariates, dropout_covariates, func="probability_alive"
        )
        values = self._p_alive_rows(base, rows.x, rows.t_x, rows.T)[rows.inverse]
        out: PerCustomer | FloatArray = keyed(
            values, ids, name="probability_alive", unit="probability"
        )
        return out

    def conditional_expected_purchases(
        self,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        t: float,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
    ) -> PerCustomer | FloatArray:
        """Return each customer's expected repeat purchases in ``(T, T + t]``.

        Parameters
        ----------
        frequency, recency, T : array_like, CustomerSummary or DataFrame
            The histories, as for the plain models (in the model's ``time_unit``).
        t : float
            The horizon, in the model's ``time_unit``.
        purchase_covariates, dropout_covariates : array_like or DataFrame
            One row per customer, in the order of the histories.

        Returns
        -------
        PerCustomer or ndarray of float64
            P(alive) times the expectation of an alive customer, per customer.

        Examples
        --------
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> model = BetaGeoWithCovariates(r=0.24, alpha=4.4, a=0.79, b=2.4,
        ...     purchase_coefficients=[0.5], purchase_names=["gold"], time_unit="W")
        >>> model.conditional_expected_purchases([2, 2], [30.0, 30.0], [38.0, 38.0], t=39.0,
        ...     purchase_covariates=[[0.0], [1.0]]).round(3)
        array([1.25 , 1.287])
        """
        horizon = float(check_number(t, "t", low=0))
        rows, base, ids = self._inputs(
            frequency,
            recency,
            T,
            purchase_covariates,
            dropout_covariates,
            func="conditional_expected_purchases",
        )
        per_row = self._p_alive_rows(base, rows.x, rows.t_x, rows.T) * self._alive_mean_rows(
            base, rows.x, rows.T, horizon
        )
        out: PerCustomer | FloatArray = keyed(
            per_row[rows.inverse], ids, name="expected_purchases", unit="purchases"
        )
        return out

    def simulate(
        self,
        T: ArrayLike,  # noqa: N803
        *,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
        rng: RNGLike = None,
        time_unit: str | None = None,
    ) -> CustomerSummary:
        """Draw one customer per covariate row from the model and return their summary.

        Parameters
        ----------
        T : float or array_like
            Observation length after the first purchase (one number, or one per customer),
            in the model's ``time_unit``.
        purchase_covariates, dropout_covariates : array_like or DataFrame
            One row per customer to draw (the number of rows is the number of customers).
        rng : None, int, SeedSequence or Generator
            Passed to :func:`numpy.random.default_rng`.
        time_unit : str, optional
            The unit stamped on the summary (the model's by default).

        Returns
        -------
        CustomerSummary
            Customers ``0 .. n - 1`` in the order of the covariate rows.

        Notes
        -----
        Exact and vectorised, as the plain model's ``simulate``, with each customer's
        individual parameters.

        Examples
        --------
        >>> from custcentric.value import ParetoNBDWithCovariates
        >>> model = ParetoNBDWithCovariates(r=0.55, alpha=10.6, s=0.61, beta=11.7,
        ...     purchase_coefficients=[1.0], purchase_names=["gold"], time_unit="W")
        >>> drawn = model.simulate(39.0, purchase_covariates=[0.0, 1.0, 1.0], rng=1)
        >>> len(drawn), drawn.time_unit
        (3, 'W')
        """
        func = f"{type(self).__name__}.simulate"
        unit = simulation_time_unit(self.time_unit, time_unit, func=func)
        given = [v for v in (purchase_covariates, dropout_covariates) if v is not None]
        if not given:
            msg = f"{func}: pass the covariates of the customers to draw (one row each)."
            raise InvalidInputError(msg)
        n = int(np.shape(given[0])[0])
        n, lengths = simulation_sizes(n, T)
        zp, zd = self._covariates(purchase_covariates, dropout_covariates, n, None)
        base = [
            np.broadcast_to(np.asarray(v, dtype=np.float64), (n,))
            for v in self._row_parameters(zp, zd)
        ]
        x, t_x = self._draw(as_rng(rng), base, lengths)
        return summary_from_arrays(x, t_x, lengths, time_unit=unit)

    def bind(
        self,
        summary: CustomerSummary,
        *,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
    ) -> CustomersWithCovariates:
        """Return a purchase model for the customers of ``summary`` with their covariates.

        The result has the three members of :class:`~custcentric.value.PurchaseModel`
        (``time_unit``, ``probability_alive(summary)``,
        ``conditional_expected_purchases(summary, t=...)``) and answers for the customers of
        ``summary`` (or some of them, by id) with the histories they have there.

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeoWithCovariates, PurchaseModel
        >>> cdnow = load_cdnow_summary()
        >>> model = BetaGeoWithCovariates(r=0.24, alpha=4.4, a=0.79, b=2.4,
        ...     purchase_coefficients=[0.2], purchase_names=["z"], time_unit="W")
        >>> bound = model.bind(cdnow, purchase_covariates=np.zeros(len(cdnow)))
        >>> isinstance(bound, PurchaseModel), round(float(bound.probability_alive(cdnow).values[0]), 3)
        (True, 0.726)
        """
        table: object = summary
        if not isinstance(table, CustomerSummary):
            msg = f"`summary` must be a CustomerSummary (got {type(table).__name__})."
            raise InvalidInputError(msg)
        x, t_x, t = check_histories(summary, None, None, func="bind", time_unit=self.time_unit)
        zp, zd = self._covariates(
            purchase_covariates, dropout_covariates, x.size, summary.customer_id
        )
        return CustomersWithCovariates(
            model=self, customer_id=summary.customer_id, x=x, t_x=t_x, T=t, zp=zp, zd=zd
        )

    # ------------------------------------------------------------------ fitting
    @classmethod
    def fit(
        cls,
        frequency: ArrayLike | CustomerSummary | pd.DataFrame,
        recency: ArrayLike | None = None,
        T: ArrayLike | None = None,  # noqa: N803
        *,
        purchase_covariates: Any = None,
        dropout_covariates: Any = None,
        covariate_names: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
        constraints: Sequence[str] = (),
        weights: ArrayLike | None = None,
        time_unit: str | None = None,
    ) -> CovariateFitResult:
        """Estimate the baseline parameters and the coefficients by maximum likelihood.

        Parameters
        ----------
        frequency, recency, T : array_like, CustomerSummary or DataFrame
            The histories, as for the plain model's ``fit``.
        purchase_covariates, dropout_covariates : array_like or DataFrame, optional
            One row per customer (in the histories' order), one column per covariate of the
            purchase (drop-out) process; a DataFrame's column labels are the names. None:
            no covariates for that process.
        covariate_names : sequence of str or mapping, optional
            Names of array columns: one sequence for both processes, or
            ``{"purchase": [...], "dropout": [...]}``. Default ``z0, z1, ...``.
        constraints : sequence of str, default ()
            Names of covariates present in both processes whose coefficient is to be one
            and the same for both (as CLVTools' ``names.cov.constr``).
        weights : array_like of float, optional
            A non-negative weight per customer.
        time_unit : str, optional
            As for the plain model's ``fit``.

        Returns
        -------
        CovariateFitResult
            The fitted model, the estimates with standard errors and intervals, and the
            plain model's log-likelihood on the same data (for the likelihood-ratio test).

        Raises
        ------
        InvalidInputError
            For bad histories; covariates with the wrong number of rows, NaN or infinity
            (naming the column and the customer), a constant or collinear column (naming
            it); constraints that do not name a covariate of both processes.

        Notes
        -----
        The search starts at the plain model's estimate with every coefficient 0 and runs
        over the log baseline parameters and the coefficients of the standardised
        covariates (centred and scaled, so the search is well conditioned); the estimates
        are reported for the covariates as given. Standard errors come from the inverse of
        the observed information (the Hessian by differences of the gradient).

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> cdnow = load_cdnow_summary()
        >>> fit = BetaGeoWithCovariates.fit(cdnow)
        >>> round(fit.log_likelihood, 1), round(fit.model.alpha, 3)
        (-9582.4, 4.414)
        """
        func = f"{cls.__name__}.fit"
        if is_frame(frequency):
            if time_unit is None:
                msg = f"{func}: a DataFrame carries no time unit; pass `time_unit=`."
                raise InvalidInputError(msg)
            frequency = table_input(frequency, time_unit=time_unit)
        unit = fit_time_unit(frequency, time_unit)
        x, t_x, t = check_histories(frequency, recency, T, func=func, time_unit=unit)
        ids = frequency.customer_id if isinstance(frequency, CustomerSummary) else None
        w = check_weights(weights, x.size)
        check_fit_data(x.size, w, name="frequency", func=func)
        matrices: dict[str, tuple[FloatArray, tuple[str, ...]]] = {}
        for process, values in (("purchase", purchase_covariates), ("dropout", dropout_covariates)):
            arg = f"{process}_covariates"
            if values is None:
                matrices[process] = (np.zeros((x.size, 0)), ())
                continue
            z, names = covariate_matrix(
                values, arg, x.size, names=names_for(covariate_names, process), ids=ids
            )
            check_constant_and_collinear(z, names, arg)
            matrices[process] = (z, names)
        (zp, p_names), (zd, d_names) = matrices["purchase"], matrices["dropout"]
        shared = _check_constraints(constraints, p_names, d_names)
        rows = _distinct_rows(x, t_x, t, zp, zd, w)
        n_obs = float(rows.weight.sum())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            plain = cls._PLAIN.fit(x, t_x, t, weights=w)
        transform, free_names = _design(cls, rows, p_names, d_names, shared)
        start_full = np.concatenate(
            [np.log(plain.model._vector()), np.zeros(len(p_names) + len(d_names))]
        )
        v0 = np.linalg.lstsq(transform, start_full, rcond=None)[0]

        def loglik_and_grad(v: FloatArray) -> tuple[float, FloatArray]:
            full = transform @ v
            ll, grad_full = cls._total(full, rows, len(p_names))
            return ll, transform.T @ grad_full

        v_hat, success, message, n_iter = _optimise(loglik_and_grad, v0, n_obs, len(cls._BASE))
        ll, _ = loglik_and_grad(v_hat)
        cov_v = _covariance(loglik_and_grad, v_hat, central=cls._NUMERIC_SCORES)
        full = transform @ v_hat
        cov_full = transform @ cov_v @ transform.T
        k = len(cls._BASE)
        base = np.exp(full[:k])
        model = cls(
            **dict(zip(cls._BASE, base.tolist(), strict=True)),
            purchase_coefficients=full[k : k + len(p_names)],
            dropout_coefficients=full[k + len(p_names) :],
            purchase_names=p_names,
            dropout_names=d_names,
            time_unit=unit,
        )
        variances = np.diag(cov_full)
        se = np.sqrt(np.where(variances >= 0, variances, np.nan))
        se[:k] = se[:k] * base  # delta method: SE(theta) = theta * SE(log theta)
        if not success:
            warnings.warn(f"{func} did not converge: {message}.", ConvergenceWarning, stacklevel=2)
        elif not np.all(np.isfinite(se)):
            msg = (
                f"{func}: the Hessian at the estimate is not negative definite, so the "
                "standard errors are NaN; the data may not identify every coefficient."
            )
            warnings.warn(msg, ConvergenceWarning, stacklevel=2)
        del free_names
        return CovariateFitResult(
            model=model,
            parameter=np.array(list(model.parameters), dtype=str),
            estimate=np.array(list(model.parameters.values())),
            standard_error=se,
            covariance=cov_full,
            log_likelihood=float(ll),
            plain_log_likelihood=float(plain.log_likelihood),
            n_free=int(transform.shape[1]),
            n_observations=n_obs,
            n_distinct=int(rows.x.size),
            constraints=shared,
            success=success,
            message=message,
            n_iter=n_iter,
        )

    @classmethod
    def _total(cls, full: FloatArray, rows: _Rows, n_purchase: int) -> tuple[float, FloatArray]:
        """Total weighted log-likelihood and its gradient in the full parameter vector."""
        k = len(cls._BASE)
        log_base = full[:k]
        gammas = {"purchase": full[k : k + n_purchase], "dropout": full[k + n_purchase :]}
        zs = {"purchase": rows.zp, "dropout": rows.zd}
        per_row = [np.full(rows.x.size, v) for v in log_base]
        for process in _PROCESSES:
            if gammas[process].size:
                score = zs[process] @ gammas[process]
                for j, sign in cls._LINKS[process]:
                    per_row[j] = per_row[j] + sign * score
        with np.errstate(all="ignore"):
            base: list[Any] = [np.exp(v) for v in per_row]
            base[0] = float(math.exp(log_base[0]))  # r: the same for everyone
            if cls._BASE[2] == "s":
                base[2] = float(math.exp(log_base[2]))  # s: the same for everyone
            ll, scores = cls._scores(base, rows.x, rows.t_x, rows.T)
        total = float(np.dot(rows.weight, ll))
        weighted = scores * rows.weight
        grad = np.zeros(full.size)
        grad[:k] = weighted.sum(axis=1)
        for process, offset in (("purchase", k), ("dropout", k + n_purchase)):
            g = gammas[process]
            if g.size:
                combined = sum(sign * weighted[j] for j, sign in cls._LINKS[process])
                grad[offset : offset + g.size] = zs[process].T @ combined
        if not (math.isfinite(total) and np.all(np.isfinite(grad))):
            return -math.inf, np.zeros(full.size)
        return total, grad


def _check_constraints(
    constraints: Sequence[str], p_names: tuple[str, ...], d_names: tuple[str, ...]
) -> tuple[str, ...]:
    if isinstance(constraints, str):
        msg = "`constraints` must be a sequence of covariate names, not one string."
        raise InvalidInputError(msg)
    shared = tuple(str(c) for c in constraints)
    for name in shared:
        if name not in p_names or name not in d_names:
            msg = (
                f"`constraints` names {name!r}, which must be a covariate of both processes "
                f"(purchase: {', '.join(map(repr, p_names)) or 'none'}; dropout: "
                f"{', '.join(map(repr, d_names)) or 'none'})."
            )
            raise InvalidInputError(msg)
    if len(set(shared)) != len(shared):
        msg = "`constraints` names a covariate twice."
        raise InvalidInputError(msg)
    return shared


def _design(
    cls: type[_CovariateModel],
    rows: _Rows,
    p_names: tuple[str, ...],
    d_names: tuple[str, ...],
    shared: tuple[str, ...],
) -> tuple[FloatArray, list[str]]:
    """Return ``A`` with full parameters ``= A v``: standardisation and equality constraints.

    ``v`` holds the log baseline parameters of the standardised covariates and the free
    coefficients of the standardised covariates. A shared coefficient is one entry of ``v``.
    """
    k = len(cls._BASE)
    kp, kd = len(p_names), len(d_names)
    n_full = k + kp + kd
    weights = rows.weight / rows.weight.sum()

    def moments(z: FloatArray) -> tuple[FloatArray, FloatArray]:
        mean = weights @ z if z.shape[1] else np.zeros(0)
        sd = np.sqrt(weights @ (z - mean) ** 2) if z.shape[1] else np.zeros(0)
        return mean, np.where(sd > 0, sd, 1.0)

    mp, sp = moments(rows.zp)
    md, sd = moments(rows.zd)
    # T: full (original) = T @ standardised full
    transform = np.eye(n_full)
    for process, offset, mean, scale in (
        ("purchase", k, mp, sp),
        ("dropout", k + kp, md, sd),
    ):
        for c in range(mean.size):
            transform[offset + c, offset + c] = 1.0 / scale[c]
            for j, sign in cls._LINKS[process]:
                transform[j, offset + c] -= sign * mean[c] / scale[c]
    # M: standardised full = M @ free; a shared dropout coefficient follows the purchase one
    columns: list[FloatArray] = []
    names: list[str] = []
    for j in range(k):
        col = np.zeros(n_full)
        col[j] = 1.0
        columns.append(col)
        names.append(cls._BASE[j])
    for c, name in enumerate(p_names):
        col = np.zeros(n_full)
        col[k + c] = 1.0
        if name in shared:
            dc = d_names.index(name)
            col[k + kp + dc] = sd[dc] / sp[c]
        columns.append(col)
        names.append(f"purchase:{name}")
    for dc, name in enumerate(d_names):
        if name in shared:
            continue
        col = np.zeros(n_full)
        col[k + kp + dc] = 1.0
        columns.append(col)
        names.append(f"dropout:{name}")
    constraint = np.column_stack(columns)
    out: FloatArray = transform @ constraint
    return out, names


def _optimise(
    loglik_and_grad: Callable[[FloatArray], tuple[float, FloatArray]],
    v0: FloatArray,
    n_obs: float,
    n_base: int,
) -> tuple[FloatArray, bool, str, int]:
    """Maximise the mean log-likelihood by L-BFGS-B over ``v`` (analytic or row-wise gradient)."""
    from scipy.optimize import minimize

    def objective(v: FloatArray) -> tuple[float, FloatArray]:
        ll, grad = loglik_and_grad(v)
        if not math.isfinite(ll):
            return 1e300, np.zeros(v.size)
        return -ll / n_obs, -grad / n_obs

    bounds = [(-_BOUND_BASE, _BOUND_BASE)] * n_base + [
        (-_BOUND_COEFFICIENT, _BOUND_COEFFICIENT)
    ] * (v0.size - n_base)
    start = np.clip(v0, [b[0] for b in bounds], [b[1] for b in bounds])
    found = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-9, "maxcor": 30},
    )
    success = bool(found.success)
    message = str(found.message)
    gradient = objective(found.x)[1]
    if (
        not success
        and found.fun < 1e299
        and np.max(np.abs(gradient), initial=0.0) < _GRADIENT_TOLERANCE
    ):
        success = True
        message = "converged: the gradient is below 1e-6 (line search at rounding noise)"
    edge = np.array([b[1] for b in bounds]) - 1e-6
    if np.any(np.abs(found.x) >= edge):
        success = False
        message = "a parameter ran to the edge of the search box; the data may not identify it"
    return np.asarray(found.x, dtype=np.float64), success, message, int(found.nit)


def _covariance(
    loglik_and_grad: Callable[[FloatArray], tuple[float, FloatArray]],
    v: FloatArray,
    *,
    central: bool = True,
) -> FloatArray:
    """Inverse observed information in ``v``, the Hessian by differences of the gradient."""
    k = v.size
    step = 1e-5
    hessian = np.empty((k, k))
    at = loglik_and_grad(v)[1] if not central else None
    for i in range(k):  # a loop over parameters, not customers
        up, down = v.copy(), v.copy()
        up[i] += step
        down[i] -= step
        if at is None:
            hessian[i] = (loglik_and_grad(up)[1] - loglik_and_grad(down)[1]) / (2 * step)
        else:  # an analytic gradient: forward differences are accurate enough, half the cost
            hessian[i] = (loglik_and_grad(up)[1] - at) / step
    hessian = 0.5 * (hessian + hessian.T)
    information = -hessian
    nan = np.full((k, k), np.nan)
    if not np.all(np.isfinite(information)):
        return nan
    try:
        if np.linalg.eigvalsh(information).min() <= 0:
            return nan
        out: FloatArray = np.asarray(np.linalg.inv(information), dtype=np.float64)
    except np.linalg.LinAlgError:
        return nan
    return out


# ------------------------------------------------------------------------------ models
def _no_coefficients() -> FloatArray:
    return _coefficients([])


@attrs.frozen(kw_only=True, eq=False)
class BetaGeoWithCovariates(_CovariateModel):
    r"""BG/NBD with time-invariant covariates for the purchase and drop-out processes.

    Parameters
    ----------
    r, alpha, a, b : float
        The baseline BG/NBD parameters: those of a customer whose covariates are all 0.
    purchase_coefficients, dropout_coefficients : array_like of float, default empty
        One coefficient per covariate of each process.
    purchase_names, dropout_names : sequence of str, default empty
        The covariates' names, in the order of the coefficients.
    time_unit : {"s", "m", "h", "D", "W"} or None, default None
        The unit of ``alpha`` and of every time argument, as for :class:`BetaGeo`.

    Notes
    -----
    Customer :math:`i` is a BG/NBD customer with
    :math:`\alpha_i = \alpha \exp(-\gamma_p^\top z_i^{(p)})`,
    :math:`a_i = a \exp(\gamma_d^\top z_i^{(d)})` and
    :math:`b_i = b \exp(\gamma_d^\top z_i^{(d)})` (Fader & Hardie 2007, note 019, in the
    parameterisation of CLVTools' ``bgnbd`` with static covariates). A positive purchase
    coefficient raises the mean purchase rate :math:`r/\alpha_i`. The drop-out coefficient
    scales :math:`a_i` and :math:`b_i` together: the mean drop-out probability
    :math:`a/(a+b)` is the same for every customer, and a positive coefficient concentrates
    the drop-out probabilities around it (a smaller spread), so it is not a "more or less
    loyal" effect; use Pareto/NBD with covariates when that is the question.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "Incorporating time-invariant covariates into the
    Pareto/NBD and BG/NBD models", http://www.brucehardie.com/notes/019/.
    P. Bachmann, M. Meierer and J. Näf, CLVTools (R package), ``bgnbd_staticcov_LL_ind``.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.datasets import load_cdnow_summary
    >>> from custcentric.value import BetaGeoWithCovariates
    >>> cdnow = load_cdnow_summary()
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(size=len(cdnow))
    >>> fit = BetaGeoWithCovariates.fit(cdnow, purchase_covariates=noise,
    ...                                 covariate_names=["noise"])
    >>> fit.model.purchase_names
    ('noise',)
    >>> bool(fit.likelihood_ratio_test()["p_value"] > 0.01)
    True
    """

    r: float = parameter("r")
    alpha: float = parameter("alpha")
    a: float = parameter("a")
    b: float = parameter("b")
    purchase_coefficients: FloatArray = attrs.field(
        factory=_no_coefficients, converter=_coefficients
    )
    dropout_coefficients: FloatArray = attrs.field(
        factory=_no_coefficients, converter=_coefficients
    )
    purchase_names: tuple[str, ...] = attrs.field(factory=tuple, converter=_names)
    dropout_names: tuple[str, ...] = attrs.field(factory=tuple, converter=_names)
    time_unit: TimeUnit | None = attrs.field(default=None, validator=check_model_unit)

    _BASE: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _LINKS: ClassVar[dict[str, tuple[tuple[int, float], ...]]] = {
        "purchase": ((1, -1.0),),
        "dropout": ((2, 1.0), (3, 1.0)),
    }
    _PLAIN: ClassVar[Any] = BetaGeo
    _NUMERIC_SCORES: ClassVar[bool] = False

    @staticmethod
    def _draw(
        gen: np.random.Generator, base: Sequence[FloatArray], lengths: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        r, alpha, a, b = base
        lam = gen.gamma(r, 1.0 / alpha)
        p = np.clip(gen.beta(a, b), 1e-300, 1.0)
        arrivals = gen.poisson(lam * lengths)
        x = np.minimum(arrivals, gen.geometric(p)).astype(np.int64)
        safe = np.maximum(x, 1)
        t_x = np.where(x > 0, lengths * gen.beta(safe, np.maximum(arrivals - safe + 1, 1)), 0.0)
        return x, np.minimum(t_x, lengths)

    @classmethod
    def _total(cls, full: FloatArray, rows: _Rows, n_purchase: int) -> tuple[float, FloatArray]:
        """Total log-likelihood and gradient, with the special functions on few values.

        The beta-function and digamma terms depend on a row only through its frequency and
        drop-out covariates, the gamma-function terms only through its frequency: they are
        evaluated once per distinct pair (value) and gathered; per row remain logarithms.
        """
        from scipy import special

        psi = special.digamma
        r, alpha0, a0, b0 = np.exp(full[:4]).tolist()
        gp, gd = full[4 : 4 + n_purchase], full[4 + n_purchase :]
        with np.errstate(all="ignore"):
            # per distinct (frequency, drop-out row) pair
            px = rows.pair_x
            scale = np.exp(rows.pair_zd @ gd) if gd.size else np.ones(px.size)
            a, b = a0 * scale, b0 * scale
            safe = np.maximum(px, 1.0)
            base = special.betaln(a, b)
            alive_p = special.betaln(a, b + px) - base
            dead_p = np.where(px > 0, special.betaln(a + 1.0, b + safe - 1.0) - base, -np.inf)
            common = psi(a + b) - psi(a + b + px)
            extra_b = psi(b + px) - psi(b)
            # per distinct frequency
            xv = rows.x_values
            head_x = special.gammaln(r + xv) - special.gammaln(r)
            psi_x = psi(r + xv) - psi(r)
            # per row
            x, pc = rows.x, rows.pair_code
            log_alpha = math.log(alpha0) - (rows.zp @ gp if gp.size else 0.0)
            alpha = np.exp(log_alpha)
            log_t = np.log(alpha + rows.T)
            log_tx = np.log(alpha + rows.t_x)
            rx = r + x
            alive = alive_p[pc]
            dead = dead_p[pc] + rx * (log_t - log_tx)
            ll = head_x[rows.x_code] + r * log_alpha - rx * log_t + np.logaddexp(alive, dead)
            w = special.expit(dead - alive)
            weight = rows.weight
            total = float(np.dot(weight, ll))
            ww = weight * w
            d_r = psi_x[rows.x_code] + log_alpha - log_t + w * (log_t - log_tx)
            d_alpha = (
                r
                - alpha * (rx / (alpha + rows.T))
                + w * rx * alpha * (1.0 / (alpha + rows.T) - 1.0 / (alpha + rows.t_x))
            )
            sum_w = np.bincount(pc, weights=weight, minlength=px.size)
            sum_ww = np.bincount(pc, weights=ww, minlength=px.size)
            score_a = a * (common * sum_w) + sum_ww  # a * (common + w / a), summed
            score_b = b * ((common + extra_b) * sum_w - sum_ww / (b + safe - 1.0))
            grad = np.zeros(full.size)
            grad[0] = r * float(np.dot(weight, d_r))
            weighted_alpha = weight * d_alpha
            grad[1] = float(weighted_alpha.sum())
            grad[2] = float(score_a.sum())
            grad[3] = float(score_b.sum())
            if gp.size:
                grad[4 : 4 + n_purchase] = -(rows.zp.T @ weighted_alpha)
            if gd.size:
                grad[4 + n_purchase :] = rows.pair_zd.T @ (score_a + score_b)
        if not (math.isfinite(total) and np.all(np.isfinite(grad))):
            return -math.inf, np.zeros(full.size)
        return total, grad

    @staticmethod
    def _loglik(base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray) -> FloatArray:
        r, alpha, a, b = base
        return bg_loglik(r, alpha, a, b, x, t_x, t)

    @classmethod
    def _scores(
        cls, base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        r, alpha, a, b = base
        return bg_loglik_and_scores(r, alpha, a, b, x, t_x, t)

    @staticmethod
    def _p_alive_rows(
        base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray
    ) -> FloatArray:
        r, alpha, a, b = base
        return bg_p_alive(r, alpha, a, b, x, t_x, t)

    @staticmethod
    def _alive_mean_rows(
        base: Sequence[Any], x: FloatArray, t: FloatArray, horizon: Any
    ) -> FloatArray:
        r, alpha, a, b = base
        return bg_alive_mean(r, alpha, a, b, x, t, horizon)


@attrs.frozen(kw_only=True, eq=False)
class ParetoNBDWithCovariates(_CovariateModel):
    r"""Pareto/NBD with time-invariant covariates for the purchase and drop-out processes.

    Parameters
    ----------
    r, alpha, s, beta : float
        The baseline Pareto/NBD parameters: those of a customer whose covariates are all 0.
    purchase_coefficients, dropout_coefficients : array_like of float, default empty
        One coefficient per covariate of each process.
    purchase_names, dropout_names : sequence of str, default empty
        The covariates' names, in the order of the coefficients.
    time_unit : {"s", "m", "h", "D", "W"} or None, default None
        The unit of ``alpha``, ``beta`` and of every time argument, as for
        :class:`ParetoNBD`.

    Notes
    -----
    Customer :math:`i` is a Pareto/NBD customer with
    :math:`\alpha_i = \alpha \exp(-\gamma_p^\top z_i^{(p)})` and
    :math:`\beta_i = \beta \exp(-\gamma_d^\top z_i^{(d)})` (Fader & Hardie 2007, note 019;
    CLVTools' ``pnbd`` with static covariates): a positive purchase coefficient raises the
    mean purchase rate :math:`r/\alpha_i`, a positive drop-out coefficient the mean drop-out
    rate :math:`s/\beta_i`. The likelihood is that of :class:`ParetoNBD` with these
    parameters (its tail integral through a hypergeometric function, branch by branch per
    customer as :math:`\alpha_i \ge \beta_i` or not).

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "Incorporating time-invariant covariates into the
    Pareto/NBD and BG/NBD models", http://www.brucehardie.com/notes/019/.

    Examples
    --------
    >>> from custcentric.value import ParetoNBDWithCovariates
    >>> model = ParetoNBDWithCovariates(r=0.55, alpha=10.58, s=0.61, beta=11.67,
    ...     dropout_coefficients=[0.7], dropout_names=["late_repair"], time_unit="W")
    >>> model.probability_alive([2, 2], [30.43, 30.43], [38.86, 38.86],
    ...                         dropout_covariates=[[0.0], [1.0]]).round(3)
    array([0.868, 0.851])
    """

    r: float = parameter("r")
    alpha: float = parameter("alpha")
    s: float = parameter("s")
    beta: float = parameter("beta")
    purchase_coefficients: FloatArray = attrs.field(
        factory=_no_coefficients, converter=_coefficients
    )
    dropout_coefficients: FloatArray = attrs.field(
        factory=_no_coefficients, converter=_coefficients
    )
    purchase_names: tuple[str, ...] = attrs.field(factory=tuple, converter=_names)
    dropout_names: tuple[str, ...] = attrs.field(factory=tuple, converter=_names)
    time_unit: TimeUnit | None = attrs.field(default=None, validator=check_model_unit)

    _BASE: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    _LINKS: ClassVar[dict[str, tuple[tuple[int, float], ...]]] = {
        "purchase": ((1, -1.0),),
        "dropout": ((3, -1.0),),
    }
    _PLAIN: ClassVar[Any] = ParetoNBD

    @staticmethod
    def _draw(
        gen: np.random.Generator, base: Sequence[FloatArray], lengths: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        r, alpha, s, beta = base
        lam = gen.gamma(r, 1.0 / alpha)
        mu = gen.gamma(s, 1.0 / beta)
        with np.errstate(divide="ignore", over="ignore"):
            lifetime = gen.exponential(1.0, size=lengths.size) / mu
        active = np.minimum(lifetime, lengths)
        x = gen.poisson(lam * active).astype(np.int64)
        t_x = np.where(x > 0, active * gen.beta(np.maximum(x, 1), 1.0), 0.0)
        return x, t_x

    @staticmethod
    def _loglik(base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray) -> FloatArray:
        r, alpha, s, beta = base
        return pareto_loglik(r, alpha, s, beta, x, t_x, t)

    @staticmethod
    def _p_alive_rows(
        base: Sequence[Any], x: FloatArray, t_x: FloatArray, t: FloatArray
    ) -> FloatArray:
        r, alpha, s, beta = base
        return pareto_p_alive(r, alpha, s, beta, x, t_x, t)

    @staticmethod
    def _alive_mean_rows(
        base: Sequence[Any], x: FloatArray, t: FloatArray, horizon: Any
    ) -> FloatArray:
        r, alpha, s, beta = base
        return pareto_alive_mean(r, alpha, s, beta, x, t, horizon)


# ------------------------------------------------------------------------------ results
@attrs.frozen(kw_only=True, eq=False)
class CovariateFitResult(Result):
    """The outcome of fitting a purchase model with covariates.

    Attributes
    ----------
    model : BetaGeoWithCovariates or ParetoNBDWithCovariates
        The fitted model.
    parameter : ndarray of str
        The names: the baseline parameters, then ``purchase:<name>`` and
        ``dropout:<name>`` for the coefficients.
    estimate, standard_error : ndarray of float64
        The estimates and their asymptotic standard errors (NaN when the Hessian is not
        negative definite). A constrained coefficient appears in both processes with the
        same estimate and error.
    covariance : ndarray of shape (k, k)
        Covariance of the log baseline parameters and the coefficients.
    log_likelihood : float
        The total (weighted) log-likelihood at the estimate.
    plain_log_likelihood : float
        The plain model's maximum log-likelihood on the same data.
    n_free : int
        The number of free parameters (a constraint removes one).
    n_observations : float
        Customers (the sum of the weights).
    n_distinct : int
        Distinct (history, covariate row) rows the likelihood was evaluated on.
    constraints : tuple of str
        The covariates whose coefficient both processes share.
    success : bool
        Whether the search converged.
    message : str
        The optimiser's message.
    n_iter : int
        Optimiser iterations.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow_summary
    >>> from custcentric.value import ParetoNBDWithCovariates
    >>> fit = ParetoNBDWithCovariates.fit(load_cdnow_summary())
    >>> fit.parameter.tolist(), round(fit.log_likelihood, 1)
    (['r', 'alpha', 's', 'beta'], -9595.0)
    """

    _columns: ClassVar[tuple[str, ...]] = ("parameter", "estimate", "standard_error")

    model: Any
    parameter: Any
    estimate: FloatArray
    standard_error: FloatArray
    covariance: FloatArray
    log_likelihood: float
    plain_log_likelihood: float
    n_free: int
    n_observations: float
    n_distinct: int
    constraints: tuple[str, ...]
    success: bool
    message: str
    n_iter: int

    @property
    def standard_errors(self) -> dict[str, float]:
        """The standard errors by parameter name."""
        return dict(zip(self.parameter.tolist(), self.standard_error.tolist(), strict=True))

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2k - 2 LL`` (k the free parameters)."""
        return 2.0 * self.n_free - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """Schwarz's criterion, ``k ln n - 2 LL``."""
        return self.n_free * math.log(self.n_observations) - 2.0 * self.log_likelihood

    def confidence_intervals(
        self, *, confidence_level: float = 0.95
    ) -> dict[str, ConfidenceInterval]:
        """Return Wald intervals: on the log scale for baseline parameters, plain for coefficients.

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> fit = BetaGeoWithCovariates.fit(load_cdnow_summary())
        >>> low, high = fit.confidence_intervals()["alpha"]
        >>> bool(low < fit.model.alpha < high)
        True
        """
        from scipy.special import ndtri

        level = check_confidence_level(confidence_level)
        z = float(ndtri(0.5 + level / 2.0))
        out: dict[str, ConfidenceInterval] = {}
        k = len(self.model._BASE)
        for i, (name, value, se) in enumerate(
            zip(
                self.parameter.tolist(),
                self.estimate.tolist(),
                self.standard_error.tolist(),
                strict=True,
            )
        ):
            if i < k:
                spread = z * se / value
                with np.errstate(over="ignore"):
                    low, high = value * math.exp(-spread), value * float(np.exp(spread))
                method = "wald_log"
            else:
                low, high = value - z * se, value + z * se
                method = "wald"
            out[name] = ConfidenceInterval(
                low=float(low), high=float(high), confidence_level=level, method=method
            )
        return out

    def likelihood_ratio_test(self) -> dict[str, float]:
        """Test the covariates against the plain model fitted on the same data.

        Returns
        -------
        dict
            ``statistic`` (twice the gain in log-likelihood), ``df`` (the free
            coefficients) and ``p_value`` (chi-squared upper tail).

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeoWithCovariates
        >>> BetaGeoWithCovariates.fit(load_cdnow_summary()).likelihood_ratio_test()["df"]
        0.0
        """
        from scipy.stats import chi2

        df = float(self.n_free - len(self.model._BASE))
        statistic = max(2.0 * (self.log_likelihood - self.plain_log_likelihood), 0.0)
        p_value = float(chi2.sf(statistic, df)) if df > 0 else 1.0
        return {"statistic": statistic, "df": df, "p_value": p_value}

    def to_pandas(self, *, confidence_level: float = 0.95) -> pd.DataFrame:
        """Return one row per parameter: estimate, standard error and interval."""
        from custcentric._pandas import make_frame

        intervals = self.confidence_intervals(confidence_level=confidence_level)
        names = self.parameter.tolist()
        return make_frame(
            {
                "parameter": np.array(names),
                "estimate": self.estimate,
                "standard_error": self.standard_error,
                "lower": np.array([intervals[n].low for n in names]),
                "upper": np.array([intervals[n].high for n in names]),
            }
        )

    def summary(self, *, confidence_level: float = 0.95) -> str:
        """Return a readable table of the estimates, errors, intervals and the LR test."""
        intervals = self.confidence_intervals(confidence_level=confidence_level)
        test = self.likelihood_ratio_test()
        width = max([12, *(len(n) + 2 for n in self.parameter.tolist())])
        lines = [
            f"{type(self.model).__name__} fitted on {self.n_observations:,.0f} customers "
            f"({self.n_distinct:,} distinct rows; converged: {'yes' if self.success else 'NO'})",
            f"  log-likelihood {self.log_likelihood:,.2f} (plain model "
            f"{self.plain_log_likelihood:,.2f}; LR {test['statistic']:.2f} on "
            f"{test['df']:g} df, p = {test['p_value']:.3g})",
            f"  {'parameter':<{width}}{'estimate':>12}{'std. error':>12}   "
            f"{100 * confidence_level:g} % interval",
        ]
        for name, value, se in zip(
            self.parameter.tolist(),
            self.estimate.tolist(),
            self.standard_error.tolist(),
            strict=True,
        ):
            ci = intervals[name]
            lines.append(
                f"  {name:<{width}}{value:>12.4f}{se:>12.4f}   [{ci.low:.4f}, {ci.high:.4f}]"
            )
        if self.constraints:
            lines.append(f"  shared by both processes: {', '.join(self.constraints)}")
        return "\n".join(lines)


@attrs.frozen(kw_only=True, eq=False)
class CustomersWithCovariates:
    """A covariate model bound to the customers of one summary: a :class:`PurchaseModel`.

    Made by ``model.bind(summary, purchase_covariates=..., dropout_covariates=...)``. Its
    ``probability_alive`` and ``conditional_expected_purchases`` take a summary of these
    customers (all or some, matched by ``customer_id``) with the same histories, and use
    each one's covariates. A summary with an unknown customer, or a history that differs
    from the bound one, is refused: the covariates belong to those customers.

    Attributes
    ----------
    model : BetaGeoWithCovariates or ParetoNBDWithCovariates
        The covariate model.
    customer_id : ndarray
        The bound customers.
    x, t_x, T : ndarray
        Their histories, in the model's unit.
    zp, zd : ndarray
        Their purchase and drop-out covariates.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables import CustomerSummary
    >>> from custcentric.value import BetaGeoWithCovariates
    >>> summary = CustomerSummary.from_arrays([7, 8], [2, 2], [30.0, 30.0], [38.0, 38.0],
    ...                                       time_unit="W")
    >>> model = BetaGeoWithCovariates(r=0.24, alpha=4.4, a=0.79, b=2.4,
    ...     purchase_coefficients=[0.5], purchase_names=["gold"], time_unit="W")
    >>> bound = model.bind(summary, purchase_covariates=[0.0, 1.0])
    >>> bound.conditional_expected_purchases(summary, t=39.0).values.round(3)
    array([1.25 , 1.287])
    """

    #: tells callers that collapse customers to distinct histories not to: the answer
    #: depends on each customer's covariates too
    per_customer_inputs: ClassVar[bool] = True

    model: Any
    customer_id: Any
    x: IntArray
    t_x: FloatArray
    T: FloatArray
    zp: FloatArray
    zd: FloatArray

    @property
    def time_unit(self) -> TimeUnit | None:
        """The model's time unit."""
        unit: TimeUnit | None = self.model.time_unit
        return unit

    def _positions(self, summary: CustomerSummary, func: str) -> tuple[IntArray, Any]:
        table: object = summary
        if not isinstance(table, CustomerSummary):
            msg = f"{func}: `summary` must be a CustomerSummary (got {type(table).__name__})."
            raise InvalidInputError(msg)
        x, t_x, t = check_histories(summary, None, None, func=func, time_unit=self.time_unit)
        order = np.argsort(self.customer_id, kind="stable")
        ids = summary.customer_id
        at = np.searchsorted(self.customer_id[order], ids)
        at = np.minimum(at, max(order.size - 1, 0))
        pos = order[at] if order.size else np.zeros(ids.size, dtype=np.int64)
        found = self.customer_id[pos] == ids if order.size else np.zeros(ids.size, dtype=bool)
        if not np.all(found):
            i = int(np.flatnonzero(~found)[0])
            msg = (
                f"{func}: `summary` customer {fmt(ids[i])} (row {i}) has no covariates: the "
                "model was bound to other customers."
            )
            raise InvalidInputError(msg)
        same = (
            (self.x[pos] == x)
            & np.isclose(self.t_x[pos], t_x, rtol=1e-12, atol=0)
            & (np.isclose(self.T[pos], t, rtol=1e-12, atol=0))
        )
        if not np.all(same):
            i = int(np.flatnonzero(~same)[0])
            msg = (
                f"{func}: `summary` customer {fmt(ids[i])} (row {i}) has another history than "
                "the one the covariates were bound with; bind the model to this summary "
                "(a caller that collapses customers to distinct histories cannot use it)."
            )
            raise InvalidInputError(msg)
        return pos, ids

    def probability_alive(self, summary: CustomerSummary, /) -> PerCustomer:
        """P(alive at T) for each customer of ``summary`` given his covariates."""
        pos, _ = self._positions(summary, "probability_alive")
        out: PerCustomer = self.model.probability_alive(
            summary,
            purchase_covariates=self._z(self.zp, pos),
            dropout_covariates=self._z(self.zd, pos),
        )
        return out

    def conditional_expected_purchases(
        self, summary: CustomerSummary, /, *, t: float
    ) -> PerCustomer:
        """Each customer's expected repeat purchases in ``(T, T + t]`` given his covariates."""
        pos, _ = self._positions(summary, "conditional_expected_purchases")
        out: PerCustomer = self.model.conditional_expected_purchases(
            summary,
            t=float(as_times(t)[0]),
            purchase_covariates=self._z(self.zp, pos),
            dropout_covariates=self._z(self.zd, pos),
        )
        return out

    @staticmethod
    def _z(z: FloatArray, pos: IntArray) -> FloatArray | None:
        return z[pos] if z.shape[1] else None
