"""The one maximum-likelihood base behind every value model: optimiser, Hessian, intervals.

Each model is a frozen attrs value of its parameters that subclasses :class:`ParametricModel`,
declares ``_PARAMETERS`` (the positive parameters, in order) and passes a vectorised total
log-likelihood ``loglik(theta) -> float`` to :func:`maximise`. The optimiser works on the
logarithms of the parameters (so every step stays positive), minimises the mean negative
log-likelihood plus an optional L2 penalty, and the covariance comes from the numerical Hessian
of the log-likelihood at the optimum.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._stats import ConfidenceInterval
from custcentric._validation import as_rng, check_confidence_level, check_number
from custcentric.exceptions import ConvergenceError, ConvergenceWarning, InvalidInputError
from custcentric.typing import FloatArray, RNGLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FitResult",
    "ParameterInterval",
    "ParametricModel",
    "check_parameter",
    "cholesky_solve",
    "fit_model",
    "inverse_positive_definite",
    "maximise",
    "vdot",
    "weighted_sums",
]

M = TypeVar("M", bound="ParametricModel")

_LOG_BOUND = 30.0  # parameters stay within exp(+-30) during the search
_GRADIENT_TOLERANCE = 1e-6  # on the mean log-likelihood per customer, log-parameter scale


def vdot(a: FloatArray, b: FloatArray) -> float:
    """Return ``sum(a * b)`` of two 1-D float arrays without multithreaded BLAS.

    ``np.dot`` hands long vectors to OpenBLAS, which splits them across threads: on a
    machine whose cores are busy (or few) waking those threads costs more than the sum
    itself, and a fit that evaluates a few dozen such sums ran 3-4x slower with numpy's
    default threads than with one. ``np.einsum`` sums in NumPy's own single-threaded loop.
    """
    return float(np.einsum("i,i->", a, b))


def weighted_sums(weights: FloatArray, values: FloatArray) -> FloatArray:
    """Return ``weights @ values`` for a (k, n) matrix and an n-vector without threaded BLAS."""
    out: FloatArray = np.einsum("ij,j->i", weights, values)
    return out


def check_parameter(name: str) -> Callable[[Any, Any, Any], None]:
    """Return an attrs validator that requires a finite, positive number."""

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        number = value if isinstance(value, float) else float("nan")
        if not (math.isfinite(number) and number > 0):
            cls = type(instance).__name__
            msg = f"`{name}` of {cls} must be a finite positive number (got {value!r})."
            raise InvalidInputError(msg)

    return validate


def to_float(value: Any) -> float:
    """Convert a parameter to float, leaving non-numbers for the validator to refuse."""
    if isinstance(value, bool):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


_MODELS: dict[str, type[ParametricModel]] = {}  # class name -> model class, for from_dict


class ParametricModel:
    """Mixin for the value models: parameters by name, dict round trip, a compact repr."""

    __slots__ = ()

    _PARAMETERS: ClassVar[tuple[str, ...]] = ()
    _OPTIONS: ClassVar[tuple[str, ...]] = ()  # non-parameter fields kept by to_dict

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls._PARAMETERS:  # attrs rebuilds slotted classes: the last one built is kept
            _MODELS[cls.__name__] = cls

    @property
    def parameters(self) -> dict[str, float]:
        """The parameters by name, in the model's order."""
        return {name: float(getattr(self, name)) for name in self._PARAMETERS}

    def _option_values(self) -> dict[str, Any]:
        """Return the non-parameter fields by name (e.g. ``time_unit``; empty for most)."""
        return {name: getattr(self, name) for name in self._OPTIONS}

    def to_dict(self) -> dict[str, Any]:
        """Return the model as ``{"model": class name, **parameters, **options}`` (JSON-ready).

        The continuous-time purchase models add their ``time_unit`` (``None`` when unknown).
        """
        return {"model": type(self).__name__, **self.parameters, **self._option_values()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild the model from :meth:`to_dict` output.

        Every parameter is required. Options (``time_unit``) may be missing, as in dicts
        written before they existed: the model then gets the option's default (no time unit,
        which takes every history as already being in the model's unit). A ``"model"`` entry
        naming another class is refused (a ModifiedBetaGeo dict does not load as a BetaGeo).
        """
        named = data.get("model", cls.__name__) if isinstance(data, dict) else cls.__name__
        if named != cls.__name__:
            msg = (
                f'`data` describes a {named!r} model, not a {cls.__name__} (its "model" '
                f"entry); load it with {named}.from_dict."
            )
            raise InvalidInputError(msg)
        values = {k: v for k, v in data.items() if k != "model" and k not in cls._OPTIONS}
        options = {k: v for k, v in data.items() if k in cls._OPTIONS}
        if set(values) != set(cls._PARAMETERS):
            extra = f" and optionally {', '.join(cls._OPTIONS)}" if cls._OPTIONS else ""
            msg = (
                f"`data` must hold exactly the parameters {', '.join(cls._PARAMETERS)} of "
                f"{cls.__name__}{extra} (got {', '.join(sorted(values))})."
            )
            raise InvalidInputError(msg)
        return cls(**values, **options)

    def _vector(self) -> FloatArray:
        return np.array([getattr(self, n) for n in self._PARAMETERS], dtype=np.float64)


@attrs.frozen(kw_only=True, eq=False)
class ParameterInterval(ConfidenceInterval):
    """A :class:`~custcentric.metrics.ConfidenceInterval` of a fitted parameter.

    It also reads as the ``(low, high)`` pair :meth:`FitResult.confidence_intervals` gave
    before intervals were one type: ``interval[0]``, ``interval[1]``, ``len(interval)`` and
    ``interval == (low, high)`` keep working.

    Examples
    --------
    >>> ci = ParameterInterval(low=0.5, high=0.9, confidence_level=0.95, method="wald-log")
    >>> print(ci)
    95% wald-log interval (0.5, 0.9)
    >>> ci[1], ci == (0.5, 0.9)
    (0.9, True)
    """

    def __getitem__(self, index: int) -> float:
        return (self.low, self.high)[index]

    def __len__(self) -> int:
        return 2

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple):
            return (self.low, self.high) == other
        if isinstance(other, ConfidenceInterval):
            return attrs.astuple(self) == attrs.astuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(attrs.astuple(self))


_INTERVAL_METHOD = "wald-log"  # Wald on the log scale: theta * exp(-+ z SE / theta)


@attrs.frozen(kw_only=True, eq=False)
class FitResult(Result, Generic[M]):
    """The outcome of a maximum-likelihood fit of a value model.

    Attributes
    ----------
    model : model value
        The fitted model (a frozen value of the estimated parameters).
    log_likelihood : float
        The total (weighted) log-likelihood at the estimate, without the penalty.
    standard_errors : dict of str to float
        Asymptotic standard errors from the inverse of the observed information (the
        negative Hessian of the log-likelihood, by central differences); NaN, with a
        warning, when the Hessian is not negative definite.
    covariance : ndarray of shape (k, k)
        The asymptotic covariance matrix of the parameters.
    n_observations : float
        The number of customers (the sum of the weights) the likelihood was computed on.
    penalty : float
        The L2 penalty used (0 for plain maximum likelihood).
    success : bool
        Whether the optimiser reported convergence.
    message : str
        The optimiser's message.
    n_iter : int
        Optimiser iterations.

    Examples
    --------
    >>> from custcentric.value import ShiftedBetaGeometric
    >>> fit = ShiftedBetaGeometric.fit_cohort([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(fit.model.alpha, 3), round(fit.log_likelihood, 1), fit.success
    (0.704, -1680.3, True)
    >>> low, high = fit.confidence_intervals(confidence_level=0.95)["alpha"]
    >>> round(low, 3), round(high, 3)
    (0.587, 0.845)
    """

    model: M
    log_likelihood: float
    standard_errors: dict[str, float]
    covariance: FloatArray
    n_observations: float
    penalty: float
    success: bool
    message: str
    n_iter: int

    @property
    def n_parameters(self) -> int:
        """The number of estimated parameters."""
        return len(self.standard_errors)

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2k - 2 LL``."""
        return 2.0 * self.n_parameters - 2.0 * self.log_likelihood

    @property
    def bic(self) -> float:
        """Schwarz's Bayesian information criterion, ``k ln n - 2 LL``."""
        n = self.n_observations
        log_n = math.log(n) if math.isfinite(n) and n > 0 else math.nan
        return self.n_parameters * log_n - 2.0 * self.log_likelihood

    def confidence_intervals(
        self, *, confidence_level: float = 0.95
    ) -> dict[str, ParameterInterval]:
        """Return Wald intervals for each parameter, computed on the log scale.

        Parameters
        ----------
        confidence_level : float, default 0.95
            In (0, 1).

        Returns
        -------
        dict of str to ParameterInterval
            One :class:`~custcentric.metrics.ConfidenceInterval` per parameter (method
            ``"wald-log"``; it also unpacks and indexes as the ``(low, high)`` pair):
            ``theta * exp(-+ z SE / theta)``, always positive, like the parameters, and
            first-order equal to ``theta -+ z SE``. When the standard error is so large
            against the estimate that the upper end exceeds the float range (a poorly
            identified parameter, as a Pareto/NBD drop-out rate can be), the interval is
            reported as unbounded: upper end ``inf``, lower end ``0.0``; so is a parameter
            whose standard error is NaN (not identified): nothing bounds it.

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.value import FitResult, ShiftedBetaGeometric
        >>> fit = FitResult(model=ShiftedBetaGeometric(0.7, 1.2), log_likelihood=-1.0,
        ...                 standard_errors={"alpha": 0.05, "beta": 1e6}, covariance=np.eye(2),
        ...                 n_observations=10.0, penalty=0.0, success=True, message="",
        ...                 n_iter=1)
        >>> low, high = fit.confidence_intervals()["beta"]
        >>> low, high
        (0.0, inf)
        >>> print(fit.confidence_intervals()["alpha"])
        95% wald-log interval (0.6086, 0.8052)
        """
        from scipy.special import ndtri

        level = check_confidence_level(confidence_level)
        z = float(ndtri(0.5 + level / 2.0))
        out: dict[str, ParameterInterval] = {}
        for name, value in self.model.parameters.items():
            spread = z * self.standard_errors[name] / value
            if math.isnan(spread):  # no standard error: nothing bounds the positive parameter
                low, high = 0.0, math.inf
            else:
                with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                    low = value * float(np.exp(-spread))
                    high = value * float(np.exp(spread))
            out[name] = ParameterInterval(
                low=low,
                high=high,
                confidence_level=level,
                method=_INTERVAL_METHOD,
            )
        return out

    def sample_models(self, n_draws: int, *, rng: RNGLike = None) -> list[M]:
        """Draw models from the estimate's asymptotic distribution (normal on the log scale).

        Parameters
        ----------
        n_draws : int
            How many models.
        rng : None, int, SeedSequence or Generator
            Passed to :func:`numpy.random.default_rng`.

        Raises
        ------
        InvalidInputError
            When the covariance is not available (the Hessian was not negative definite).
        """
        n = int(check_number(n_draws, "n_draws", low=1, integer=True))
        if not np.all(np.isfinite(self.covariance)):
            msg = (
                "the covariance of this fit is not available (the Hessian was not negative "
                "definite), so parameter uncertainty cannot be sampled."
            )
            raise InvalidInputError(msg)
        theta = self.model._vector()
        cov_log = self.covariance / np.outer(theta, theta)
        gen = as_rng(rng)
        draws = np.exp(gen.multivariate_normal(np.log(theta), cov_log, size=n))
        cls = type(self.model)
        options = self.model._option_values()
        return [cls(*row, **options) for row in draws.tolist()]

    def prediction_interval(
        self,
        predict: Callable[[M], Any],
        *,
        confidence_level: float = 0.95,
        n_draws: int = 500,
        rng: RNGLike = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Return an interval for any prediction, from the uncertainty of the parameters.

        Parameters
        ----------
        predict : callable
            ``predict(model) -> float or array``, e.g.
            ``lambda m: m.conditional_expected_purchases(summary, t=52)``.
        confidence_level : float, default 0.95
            In (0, 1).
        n_draws : int, default 500
            Parameter draws (see :meth:`sample_models`).
        rng : None, int, SeedSequence or Generator
            Passed to :func:`numpy.random.default_rng`.

        Returns
        -------
        low, high : ndarray of float64
            Equal-tailed percentiles of the prediction over the draws.

        Notes
        -----
        A parametric bootstrap from the asymptotic normal distribution of the log
        parameters: it reflects estimation uncertainty, not the randomness of a single
        customer's future.

        Examples
        --------
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeo
        >>> fit = BetaGeo.fit(load_cdnow_summary())
        >>> low, high = fit.prediction_interval(lambda m: m.expected_purchases(52.0), rng=1)
        >>> bool(low[0] < fit.model.expected_purchases(52.0) < high[0])
        True
        """
        level = check_confidence_level(confidence_level)
        values = np.array(
            [
                np.atleast_1d(np.asarray(predict(m), dtype=np.float64))
                for m in self.sample_models(n_draws, rng=rng)
            ]
        )
        tail = 50.0 * (1.0 - level)
        low: FloatArray = np.percentile(values, tail, axis=0)
        high: FloatArray = np.percentile(values, 100.0 - tail, axis=0)
        return low, high

    def to_dict(self) -> dict[str, Any]:
        """Return the result as strict-JSON data (non-finite numbers become ``None``).

        The model's dict, the log-likelihood, standard errors, covariance matrix (nested
        lists), the counts and the optimiser's report, plus the derived ``aic``, ``bic`` and
        95 % ``confidence_intervals`` for reading; :meth:`from_dict` loads it back.

        Examples
        --------
        >>> import json
        >>> from custcentric.value import FitResult, ShiftedBetaGeometric
        >>> fit = ShiftedBetaGeometric.fit_cohort([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> data = json.loads(json.dumps(fit.to_dict(), allow_nan=False))
        >>> data["model"]["model"], sorted(data["confidence_intervals"])
        ('ShiftedBetaGeometric', ['alpha', 'beta'])
        >>> FitResult.from_dict(data).model == fit.model
        True
        """
        out: dict[str, Any] = {
            "model": self.model.to_dict(),
            "log_likelihood": jsonable(self.log_likelihood),
            "standard_errors": jsonable(dict(self.standard_errors)),
            "covariance": jsonable(np.asarray(self.covariance, dtype=np.float64)),
            "aic": jsonable(self.aic),
            "bic": jsonable(self.bic),
            "confidence_intervals": {
                name: interval.to_dict() for name, interval in self.confidence_intervals().items()
            },
            "n_observations": jsonable(self.n_observations),
            "penalty": jsonable(self.penalty),
            "success": self.success,
            "message": self.message,
            "n_iter": self.n_iter,
        }
        return out

    @classmethod
    def from_dict(cls, data: Any) -> FitResult[Any]:
        """Rebuild a result from :meth:`to_dict` output (``None`` numbers read as NaN).

        The model comes back through its class's ``from_dict`` (the ``"model"`` entry of the
        model's dict names the class). The derived entries (``aic``, ``bic``,
        ``confidence_intervals``) are recomputed, not read; a dict without ``covariance``
        (written before it was stored) gives a NaN covariance.

        Raises
        ------
        InvalidInputError
            When an entry is missing or the model's class is unknown.
        """
        if not isinstance(data, dict):
            msg = f"`data` must be a dict from FitResult.to_dict (got {type(data).__name__})."
            raise InvalidInputError(msg)
        needed = ("model", "log_likelihood", "standard_errors", "n_observations")
        missing = [key for key in needed if key not in data]
        if missing:
            msg = f"`data` lacks the entries {', '.join(missing)} of FitResult.to_dict."
            raise InvalidInputError(msg)
        described = data["model"]
        name = described.get("model") if isinstance(described, dict) else None
        model_cls = _MODELS.get(name) if isinstance(name, str) else None
        if model_cls is None:
            msg = (
                f'`data["model"]` must be a model dict naming one of {", ".join(sorted(_MODELS))} '
                f"(got {described!r:.80})."
            )
            raise InvalidInputError(msg)
        model = model_cls.from_dict(described)

        def number(value: Any, key: str) -> float:
            """Read a stored number that may be NaN (written as None): a standard error."""
            if value is None:
                return math.nan
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                msg = f"`data['{key}']` must be a number or None (got {value!r:.40})."
                raise InvalidInputError(msg)
            return float(value)

        def finite(value: Any, key: str, *, low: float = -math.inf) -> float:
            """Read a stored number a fit always has: finite, at least ``low``."""
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                msg = f"`data['{key}']` must be a finite number (got {value!r:.40})."
                raise InvalidInputError(msg)
            if not math.isfinite(value) or value < low:
                rule = "a finite number" if low == -math.inf else f"a finite number >= {low:g}"
                msg = f"`data['{key}']` must be {rule} (got {value!r})."
                raise InvalidInputError(msg)
            return float(value)

        errors_in = data["standard_errors"]
        if not isinstance(errors_in, dict) or set(errors_in) != set(model_cls._PARAMETERS):
            msg = (
                "`data['standard_errors']` must map each parameter "
                f"{', '.join(model_cls._PARAMETERS)} to a number."
            )
            raise InvalidInputError(msg)
        errors = {
            key: number(errors_in[key], f"standard_errors.{key}") for key in model_cls._PARAMETERS
        }
        k = len(model_cls._PARAMETERS)
        stored = data.get("covariance")
        if stored is None:
            covariance = np.full((k, k), np.nan)
        else:
            shape_msg = (
                f"`data['covariance']` must be {k} rows of {k} numbers (None for NaN: a "
                "parameter the data do not identify)"
            )
            if not isinstance(stored, list) or len(stored) != k:
                raise InvalidInputError(f"{shape_msg}; got {stored!r:.60}.")
            rows = []
            for i, row in enumerate(stored):
                if not isinstance(row, list) or len(row) != k:
                    raise InvalidInputError(f"{shape_msg}; row {i} is {row!r:.60}.")
                rows.append([number(v, "covariance") for v in row])
            covariance = np.asarray(rows, dtype=np.float64)
            if np.isinf(covariance).any():
                msg = "`data['covariance']` must not hold an infinite entry (None stands for NaN)."
                raise InvalidInputError(msg)
        n_iter = data.get("n_iter", 0)
        if isinstance(n_iter, bool) or not isinstance(n_iter, int) or n_iter < 0:
            msg = f"`data['n_iter']` must be a whole number >= 0 (got {n_iter!r:.40})."
            raise InvalidInputError(msg)
        return FitResult(
            model=model,
            log_likelihood=finite(data["log_likelihood"], "log_likelihood"),
            standard_errors=errors,
            covariance=covariance,
            n_observations=finite(data["n_observations"], "n_observations", low=0.0),
            penalty=finite(data.get("penalty", 0.0), "penalty", low=0.0),
            success=bool(data.get("success", True)),
            message=str(data.get("message", "")),
            n_iter=n_iter,
        )

    def to_pandas(self, *, confidence_level: float = 0.95) -> pd.DataFrame:
        """Return one row per parameter: estimate, standard error and interval."""
        intervals = self.confidence_intervals(confidence_level=confidence_level)
        names = list(self.model.parameters)
        return make_frame(
            {
                "parameter": np.array(names),
                "estimate": np.array(list(self.model.parameters.values())),
                "standard_error": np.array([self.standard_errors[n] for n in names]),
                "lower": np.array([intervals[n][0] for n in names]),
                "upper": np.array([intervals[n][1] for n in names]),
            }
        )

    def summary(self, *, confidence_level: float = 0.95) -> str:
        """Return a readable table of the estimates with their errors and intervals."""
        intervals = self.confidence_intervals(confidence_level=confidence_level)
        pct = f"{100 * confidence_level:g} %"
        lines = [
            f"{type(self.model).__name__} fitted on {self.n_observations:,.0f} customers "
            f"(converged: {'yes' if self.success else 'NO'}, {self.n_iter} iterations)",
            f"  log-likelihood {self.log_likelihood:,.2f}   AIC {self.aic:,.2f}   "
            f"BIC {self.bic:,.2f}",
            f"  {'parameter':<10}{'estimate':>12}{'std. error':>12}   {pct} interval",
        ]
        for name, value in self.model.parameters.items():
            low, high = intervals[name]
            lines.append(
                f"  {name:<10}{value:>12.4f}{self.standard_errors[name]:>12.4f}"
                f"   [{low:.4f}, {high:.4f}]"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@attrs.frozen(kw_only=True)
class Optimum:
    """What :func:`maximise` found (natural-scale parameters and diagnostics)."""

    theta: FloatArray
    log_likelihood: float
    covariance: FloatArray
    success: bool
    message: str
    n_iter: int


def maximise(
    loglik: Callable[[FloatArray], float],
    starts: Sequence[Sequence[float]],
    *,
    n_observations: float,
    penalty: float = 0.0,
    names: Sequence[str] = (),
    loglik_and_score: Callable[[FloatArray], tuple[float, FloatArray]] | None = None,
) -> Optimum:
    """Maximise a total log-likelihood over positive parameters.

    Parameters
    ----------
    loglik : callable
        ``loglik(theta)`` with ``theta`` the natural-scale parameters; returns the total
        log-likelihood (``-inf`` or NaN where it cannot be evaluated).
    starts : sequence of parameter vectors
        Starting points; the best converged optimum wins.
    n_observations : float
        The number of customers, used to scale the objective to a mean.
    penalty : float
        L2 penalty: the objective is ``-LL / n + penalty * sum(theta**2)``.
    names : sequence of str
        Parameter names for messages.
    loglik_and_score : callable, optional
        ``(LL, dLL/dtheta)`` at ``theta``: an analytic gradient, used for the search and for
        the Hessian (central differences of the gradient) instead of differences of ``loglik``.

    Returns
    -------
    Optimum
    """
    from scipy.optimize import minimize

    scale = 1.0 / max(n_observations, 1.0)

    def objective(log_theta: FloatArray) -> float:
        theta = np.exp(log_theta)
        with np.errstate(all="ignore"):
            value = -loglik(theta) * scale + penalty * float(np.dot(theta, theta))
        return value if math.isfinite(value) else 1e300

    def gradient(log_theta: FloatArray) -> FloatArray:
        step = 1e-6
        out = np.empty(log_theta.size)
        for i in range(log_theta.size):
            up, down = log_theta.copy(), log_theta.copy()
            up[i] += step
            down[i] -= step
            out[i] = (objective(up) - objective(down)) / (2 * step)
        return out

    def objective_and_gradient(log_theta: FloatArray) -> tuple[float, FloatArray]:
        assert loglik_and_score is not None
        theta = np.exp(log_theta)
        with np.errstate(all="ignore"):
            value, score = loglik_and_score(theta)
            total = -value * scale + penalty * float(np.dot(theta, theta))
            grad = -score * theta * scale + 2.0 * penalty * theta * theta
        if not (math.isfinite(total) and np.all(np.isfinite(grad))):
            return 1e300, np.zeros(log_theta.size)
        return total, grad

    analytic = loglik_and_score is not None
    if analytic:

        def gradient(log_theta: FloatArray) -> FloatArray:
            return objective_and_gradient(log_theta)[1]

    best: Any = None
    if analytic:
        # Damped Newton from the first start (Hessian from differences of the analytic
        # gradient, all on k x k matrices in plain Python): a handful of iterations, and no
        # call into OpenBLAS, whose threads made L-BFGS-B's tiny updates cost milliseconds
        # each with numpy's default threading. L-BFGS-B over every start is the fallback.
        best = _newton_search(
            objective_and_gradient, np.log(np.asarray(starts[0], dtype=np.float64))
        )
    for start in starts if best is None else ():
        x0 = np.log(np.asarray(start, dtype=np.float64))
        bounds = [(-_LOG_BOUND, _LOG_BOUND)] * x0.size
        found = minimize(
            objective_and_gradient if analytic else objective,
            x0,
            jac=True if analytic else gradient,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-8, "maxcor": 20},
        )
        # L-BFGS-B stops "ABNORMAL" when its line search meets the rounding noise of the
        # gradient right at the optimum: accept the point when the gradient is that small.
        if (
            not found.success
            and found.fun < 1e299
            and np.max(np.abs(gradient(found.x))) < _GRADIENT_TOLERANCE
        ):
            found.success = True
            found.message = "converged: the gradient is below 1e-6 (line search at rounding noise)"
        if best is None or found.fun < best.fun:
            best = found
        if found.success and found.fun < 1e299:
            break
    assert best is not None
    theta = np.exp(best.x)
    value = loglik(theta)
    if not (np.all(np.isfinite(theta)) and math.isfinite(value)):
        listed = ", ".join(names) or "the parameters"
        msg = (
            f"the likelihood could not be evaluated at any point the optimiser reached "
            f"({listed}: {theta.tolist()}); check the data."
        )
        raise ConvergenceError(msg)
    at_bound = bool(np.any(np.abs(best.x) >= _LOG_BOUND - 1e-6))
    success = bool(best.success) and not at_bound
    message = str(best.message)
    if at_bound:
        message = (
            "a parameter ran to the edge of the search box exp(+-30); the data may not identify it"
        )
    covariance = _covariance(loglik, best.x, theta, loglik_and_score)
    return Optimum(
        theta=theta,
        log_likelihood=float(value),
        covariance=covariance,
        success=success,
        message=message,
        n_iter=int(best.nit),
    )


@attrs.frozen(kw_only=True)
class _Found:
    """What :func:`_newton_search` found, shaped like SciPy's ``OptimizeResult``."""

    x: FloatArray
    fun: float
    success: bool
    message: str
    nit: int


def cholesky_solve(matrix: list[list[float]], rhs: list[float]) -> list[float] | None:
    """Solve ``matrix @ x = rhs`` for a small symmetric matrix; None unless positive definite.

    Plain Python on a few parameters: a LAPACK call would go through OpenBLAS's threads.
    """
    k = len(rhs)
    low = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            total = matrix[i][j] - sum(low[i][m] * low[j][m] for m in range(j))
            if i == j:
                if not (total > 0 and math.isfinite(total)):
                    return None
                low[i][i] = math.sqrt(total)
            else:
                low[i][j] = total / low[j][j]
    y = [0.0] * k
    for i in range(k):
        y[i] = (rhs[i] - sum(low[i][m] * y[m] for m in range(i))) / low[i][i]
    out = [0.0] * k
    for i in reversed(range(k)):
        out[i] = (y[i] - sum(low[m][i] * out[m] for m in range(i + 1, k))) / low[i][i]
    return out


_NEWTON_TOLERANCE = 1e-9  # largest gradient entry of the mean objective at convergence


def _newton_search(
    objective_and_gradient: Callable[[FloatArray], tuple[float, FloatArray]],
    start: FloatArray,
    *,
    max_iter: int = 100,
) -> _Found | None:
    """Damped Newton on ``objective_and_gradient`` (log-parameters); None when it fails.

    The Hessian comes from forward differences of the gradient (``k`` gradient evaluations
    per iteration), made positive definite by a Levenberg shift when it is not; steps are
    capped at 2 on the log scale and halved until the objective decreases (Armijo, with
    slack for its rounding). It stops when the largest gradient entry is below 1e-9, or
    below 1e-7 once the Newton step is below 1e-9 (the rounding floor of the gradient).
    Failure (a non-finite value, no descent, a parameter beyond ``exp(+-29)``,
    ``max_iter`` iterations) returns None and the caller falls back to L-BFGS-B.
    """
    u = np.array(start, dtype=np.float64)
    k = u.size
    f, g = objective_and_gradient(u)
    if not f < 1e299:
        return None
    difference = 1e-5

    def differenced(point: FloatArray, at: FloatArray) -> list[list[float]] | None:
        rows = []
        for i in range(k):
            moved = point.copy()
            moved[i] += difference
            f_i, g_i = objective_and_gradient(moved)
            if not f_i < 1e299:
                return None
            rows.append(((g_i - at) / difference).tolist())
        return [[0.5 * (rows[i][j] + rows[j][i]) for j in range(k)] for i in range(k)]

    hess: list[list[float]] | None = None
    for iteration in range(max_iter):
        gmax = float(np.abs(g).max())
        if gmax < _NEWTON_TOLERANCE:
            return _Found(x=u, fun=f, success=True, message=_NEWTON_MESSAGE, nit=iteration)
        grad = g.tolist()
        solved = None if hess is None else cholesky_solve(hess, grad)
        if solved is None:  # first iteration, or the quasi-Newton update lost definiteness
            hess = differenced(u, g)
            if hess is None:
                return None
            solved = _shifted_solve(hess, grad)
            if solved is None:
                return None
        step = -np.array(solved)
        longest = float(np.abs(step).max())
        if longest < 1e-9 and gmax < 100 * _NEWTON_TOLERANCE:
            return _Found(x=u, fun=f, success=True, message=_NEWTON_MESSAGE, nit=iteration)
        if longest > 2.0:
            step *= 2.0 / longest
        slope = float(np.sum(g * step))
        t = 1.0
        while True:
            trial = u + t * step
            if np.any(np.abs(trial) >= _LOG_BOUND - 1.0):
                return None
            f_t, g_t = objective_and_gradient(trial)
            if f_t < 1e299 and (
                f_t <= f + 1e-4 * t * slope + 1e-14 * max(1.0, abs(f))
                or (gmax < 1e-6 and float(np.abs(g_t).max()) < gmax)
            ):
                break
            t /= 2.0
            if t < 1e-10:
                return None
        # BFGS update of the Hessian: one gradient per iteration instead of k + 1
        assert hess is not None
        moved_by = (trial - u).tolist()
        change = (g_t - g).tolist()
        curvature = sum(a * b for a, b in zip(moved_by, change, strict=True))
        h_s = [sum(hess[i][j] * moved_by[j] for j in range(k)) for i in range(k)]
        s_h_s = sum(a * b for a, b in zip(moved_by, h_s, strict=True))
        if t < 1.0 or not (curvature > 1e-12 * s_h_s > 0):
            hess = None  # a fresh differenced Hessian at the next point
        else:
            hess = [
                [
                    hess[i][j] + change[i] * change[j] / curvature - h_s[i] * h_s[j] / s_h_s
                    for j in range(k)
                ]
                for i in range(k)
            ]
        u, f, g = trial, f_t, g_t
    return None


def _shifted_solve(hess: list[list[float]], grad: list[float]) -> list[float] | None:
    """Solve with the smallest Levenberg shift ``hess + c I`` that is positive definite."""
    k = len(grad)
    size = max(abs(v) for row in hess for v in row)
    shift = 0.0
    while True:
        shifted = [[hess[i][j] + (shift if i == j else 0.0) for j in range(k)] for i in range(k)]
        solved = cholesky_solve(shifted, grad)
        if solved is not None:
            return solved
        shift = max(4.0 * shift, 1e-8 * (1.0 + size))
        if not math.isfinite(shift) or shift > 1e12 * (1.0 + size):
            return None


_NEWTON_MESSAGE = "converged: Newton steps, the gradient below 1e-9"


def _covariance(
    loglik: Callable[[FloatArray], float],
    log_theta: FloatArray,
    theta: FloatArray,
    loglik_and_score: Callable[[FloatArray], tuple[float, FloatArray]] | None = None,
) -> FloatArray:
    """Covariance of the natural parameters from the Hessian in log space (central differences)."""
    k = log_theta.size
    step = 1e-4

    def f(point: NDArray[np.float64]) -> float:
        with np.errstate(all="ignore"):
            return float(loglik(np.exp(point)))

    def g(point: NDArray[np.float64]) -> FloatArray:
        assert loglik_and_score is not None
        with np.errstate(all="ignore"):
            natural = np.exp(point)
            score: FloatArray = loglik_and_score(natural)[1] * natural
        return score

    hessian = np.empty((k, k))
    score_log = np.zeros(k)  # dLL/dlog(theta): zero at an unpenalised interior optimum
    f0 = f(log_theta)
    for i in range(k if loglik_and_score is None else 0):
        for j in range(i, k):
            if i == j:
                up, down = log_theta.copy(), log_theta.copy()
                up[i] += step
                down[i] -= step
                f_up, f_down = f(up), f(down)
                hessian[i, i] = (f_up - 2 * f0 + f_down) / step**2
                score_log[i] = (f_up - f_down) / (2 * step)
            else:
                pp, pm, mp, mm = (log_theta.copy() for _ in range(4))
                pp[i] += step
                pp[j] += step
                pm[i] += step
                pm[j] -= step
                mp[i] -= step
                mp[j] += step
                mm[i] -= step
                mm[j] -= step
                value = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * step**2)
                hessian[i, j] = hessian[j, i] = value
    if loglik_and_score is not None:
        # forward differences of the analytic gradient: k gradient evaluations
        small = 1e-5
        g0 = g(log_theta)
        score_log = g0.copy()
        for i in range(k):
            up = log_theta.copy()
            up[i] += small
            hessian[i] = (g(up) - g0) / small
        hessian = 0.5 * (hessian + hessian.T)
    # With u = log(theta) and D = diag(theta), d2LL/du2 = D H D + diag(dLL/du), H the
    # natural-scale Hessian. dLL/du vanishes at an unpenalised optimum but not under an L2
    # penalty, so it is taken out: the covariance is D (-(d2LL/du2 - diag(dLL/du)))^-1 D,
    # the inverse observed information of the log-likelihood on the natural scale.
    information = -(hessian - np.diag(score_log))
    nan = np.full((k, k), np.nan)
    if not np.all(np.isfinite(information)):
        return nan
    cov_log = inverse_positive_definite(information)
    if cov_log is None:
        return nan
    out: FloatArray = cov_log * np.outer(theta, theta)
    return out


def inverse_positive_definite(matrix: FloatArray) -> FloatArray | None:
    """Return the inverse of a small symmetric matrix, or None unless it is positive definite.

    By Cholesky in plain Python (a few parameters: LAPACK would go through OpenBLAS's threads).
    """
    k = matrix.shape[0]
    rows = matrix.tolist()
    columns = []
    for i in range(k):
        unit = [1.0 if j == i else 0.0 for j in range(k)]
        solved = cholesky_solve(rows, unit)
        if solved is None:
            return None
        columns.append(solved)
    out = np.array(columns).T
    result: FloatArray = 0.5 * (out + out.T)
    return result


def fit_model(
    cls: type[M],
    loglik: Callable[[FloatArray], float],
    starts: Sequence[Sequence[float]],
    *,
    n_observations: float,
    penalty: Any = 0.0,
    loglik_and_score: Callable[[FloatArray], tuple[float, FloatArray]] | None = None,
    options: dict[str, Any] | None = None,
) -> FitResult[M]:
    """Run :func:`maximise` for ``cls`` and wrap the optimum in a :class:`FitResult`.

    ``options`` are the model's non-parameter fields (e.g. ``time_unit``), passed to ``cls``.
    """
    pen = check_number(penalty, "penalty", low=0)
    names = cls._PARAMETERS
    optimum = maximise(
        loglik,
        starts,
        n_observations=n_observations,
        penalty=pen,
        names=names,
        loglik_and_score=loglik_and_score,
    )
    model = cls(**dict(zip(names, optimum.theta.tolist(), strict=True)), **(options or {}))
    variances = np.diag(optimum.covariance)
    if not optimum.success:
        msg = f"{cls.__name__}.fit did not converge: {optimum.message}."
        warnings.warn(msg, ConvergenceWarning, stacklevel=3)
    elif not np.all(np.isfinite(variances)):
        msg = (
            f"{cls.__name__}.fit: the Hessian at the estimate is not negative definite, "
            "so the standard errors are NaN; the data may not identify every parameter."
        )
        warnings.warn(msg, ConvergenceWarning, stacklevel=3)
    errors = {
        n: float(math.sqrt(v)) if v >= 0 else math.nan
        for n, v in zip(names, variances, strict=True)
    }
    return FitResult(
        model=model,
        log_likelihood=optimum.log_likelihood,
        standard_errors=errors,
        covariance=optimum.covariance,
        n_observations=float(n_observations),
        penalty=pen,
        success=optimum.success,
        message=optimum.message,
        n_iter=optimum.n_iter,
    )
