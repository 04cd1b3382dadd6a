"""Key-driver analysis: Johnson's relative weights and the Shapley (LMG) decomposition of R²."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable, read_only
from custcentric._validation import (
    as_float_array,
    as_rng,
    check_confidence_level,
    check_number,
    fmt,
)
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.typing import FloatArray, RNGLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_BOOTSTRAP", "DriverImportance", "driver_importance"]

MAX_SHAPLEY_DRIVERS = 15
#: The most bootstrap resamples accepted (``n_bootstrap``), so that a typo cannot start a run
#: that never ends.
MAX_BOOTSTRAP = 100_000
_COLLINEAR = 1e-10
_NO_FIT = 1e-12
"""R² at or below which the drivers explain nothing (rounding, not signal)."""


@attrs.frozen(eq=False, kw_only=True)
class DriverImportance(Result):
    """Each driver's share of the explained variance R².

    Attributes
    ----------
    names : tuple of str
    raw : ndarray of float64
        Raw weights, non-negative and summing to ``r_squared``.
    rescaled : ndarray of float64
        ``100 raw / r_squared`` (percent, summing to 100); all 0, with a
        :class:`~custcentric.exceptions.DegenerateDataWarning`, when R² is 0.
    r_squared : float
        R² of the full linear model.
    method : str
        ``"relative_weights"`` or ``"shapley"``.
    n : int
        Respondents (rows).
    raw_ci, rescaled_ci : ndarray of float64, shape (n_drivers, 2), or None
        Bootstrap percentile intervals (None without bootstrap).
    confidence_level : float
    n_bootstrap : int
        Resamples drawn (0: none).
    n_failed : int
        Resamples skipped because a driver or the outcome was constant or collinear in them.

    Examples
    --------
    >>> from custcentric.process import driver_importance
    >>> X = [[1, 3], [2, 1], [3, 4], [4, 2], [5, 5], [6, 3]]
    >>> y = [2, 3, 5, 6, 9, 9]
    >>> result = driver_importance(X, y, names=["repair", "billing"])
    >>> result.ranked(), result.rescaled.round(1).tolist()
    (('repair', 'billing'), [84.4, 15.6])
    >>> round(result.r_squared, 3), result.n
    (0.99, 6)
    """

    names: tuple[str, ...]
    raw: FloatArray = attrs.field(converter=read_only)
    rescaled: FloatArray = attrs.field(converter=read_only)
    r_squared: float
    method: str
    n: int
    raw_ci: FloatArray | None = attrs.field(
        default=None, converter=attrs.converters.optional(read_only)
    )
    rescaled_ci: FloatArray | None = attrs.field(
        default=None, converter=attrs.converters.optional(read_only)
    )
    confidence_level: float = 0.95
    n_bootstrap: int = 0
    n_failed: int = 0

    def ranked(self) -> tuple[str, ...]:
        """Return the drivers from most to least important."""
        return tuple(self.names[i] for i in np.argsort(-self.raw, kind="stable"))

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data (a non-finite number becomes ``None``)."""
        data: dict[str, Any] = jsonable(
            {
                "names": list(self.names),
                "raw": self.raw.tolist(),
                "rescaled": self.rescaled.tolist(),
                "r_squared": self.r_squared,
                "method": self.method,
                "n": self.n,
                "raw_ci": None if self.raw_ci is None else self.raw_ci.tolist(),
                "rescaled_ci": None if self.rescaled_ci is None else self.rescaled_ci.tolist(),
                "confidence_level": self.confidence_level,
                "n_bootstrap": self.n_bootstrap,
                "n_failed": self.n_failed,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per driver (needs the ``pandas`` extra)."""
        columns: dict[str, Any] = {
            "driver": np.array(self.names, dtype=np.str_),
            "raw": self.raw,
            "rescaled": self.rescaled,
        }
        if self.rescaled_ci is not None:
            columns["rescaled_lower"] = self.rescaled_ci[:, 0]
            columns["rescaled_upper"] = self.rescaled_ci[:, 1]
        return make_frame(columns)

    def summary(self) -> str:
        """Return a readable table of the weights."""
        lines = [f"Driver importance ({self.method}), R² = {self.r_squared:.4f}, n = {self.n}"]
        for i in np.argsort(-self.raw, kind="stable"):
            ci = ""
            if self.rescaled_ci is not None:
                ci = f"  [{self.rescaled_ci[i, 0]:.1f}, {self.rescaled_ci[i, 1]:.1f}]"
            lines.append(f"  {self.names[i]:<26}{self.raw[i]:.4f}{self.rescaled[i]:>8.1f} %{ci}")
        return "\n".join(lines)


def _correlations(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """Return (R_xx, r_xy), or None when a column is constant or the drivers are collinear."""
    data = np.column_stack([x, y])
    # Correlations do not depend on the unit: each column is divided by a power of two near
    # its largest magnitude (exact), so that squares cannot overflow near the float64 maximum.
    peak = np.abs(data).max(axis=0)
    power = np.ldexp(1.0, np.minimum(np.frexp(peak)[1], 1023))
    data = data / power
    centred = data - data.mean(axis=0)
    scale = np.sqrt((centred**2).sum(axis=0))
    # The constant-column test of the original units, 1e-12 (1 + max|x|) sqrt(n), rescaled.
    if (scale <= 1e-12 * (1.0 / power + peak / power) * math.sqrt(len(data))).any():
        return None
    z = centred / scale
    corr = z.T @ z
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    if np.linalg.eigvalsh(rxx)[0] < _COLLINEAR:
        return None
    return rxx, rxy


def _relative_weights(rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    values, vectors = np.linalg.eigh(rxx)
    lam = (vectors * np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    return np.asarray((lam**2) @ (beta**2), dtype=np.float64)


def _shapley(rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    p = rxy.size
    masks = np.arange(1 << p)
    r2 = np.zeros(masks.size)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r = rxy[idx]
        r2[mask] = r @ np.linalg.solve(rxx[np.ix_(idx, idx)], r)
    sizes = np.array([bin(m).count("1") for m in masks])
    weight = np.array(
        [math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)]
    )
    phi = np.empty(p)
    for j in range(p):
        without = masks[(masks >> j & 1) == 0]
        phi[j] = np.sum(weight[sizes[without]] * (r2[without | (1 << j)] - r2[without]))
    return phi


def _weights(x: FloatArray, y: FloatArray, method: str) -> tuple[FloatArray, float] | None:
    corr = _correlations(x, y)
    if corr is None:
        return None
    rxx, rxy = corr
    r_squared = float(rxy @ np.linalg.solve(rxx, rxy))
    raw = _relative_weights(rxx, rxy) if method == "relative_weights" else _shapley(rxx, rxy)
    return raw, r_squared


def _driver_iv(
    X: ArrayLike,  # noqa: N803
    y: ArrayLike,
    names: Sequence[str] | None,
    method: str,
) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    if method not in ("relative_weights", "shapley"):
        msg = f"`method` must be one of 'relative_weights', 'shapley' (got {method!r})."
        raise InvalidInputError(msg)
    matrix = np.asarray(X, dtype=object)
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        msg = f"`X` must be two-dimensional, respondents × drivers (got shape {matrix.shape})."
        raise InvalidInputError(msg)
    n, p = matrix.shape
    x = as_float_array(matrix.reshape(-1), "X").reshape(n, p)
    outcome = as_float_array(y, "y")
    if outcome.size != n:
        msg = f"`y` must have one value per row of `X` ({outcome.size} != {n})."
        raise InvalidInputError(msg)
    if n < p + 2:
        msg = f"`X` must have at least {p + 2} rows for {p} drivers (got {n})."
        raise InvalidInputError(msg)
    if method == "shapley" and p > MAX_SHAPLEY_DRIVERS:
        msg = (
            f"`X` must have at most {MAX_SHAPLEY_DRIVERS} drivers for method 'shapley' "
            f"(got {p}; 2^p regressions): use 'relative_weights'."
        )
        raise InvalidInputError(msg)
    labels = tuple(str(i) for i in range(p)) if names is None else tuple(map(str, names))
    if len(labels) != p or len(set(labels)) != p:
        msg = f"`names` must name the {p} drivers once each (got {list(labels)})."
        raise InvalidInputError(msg)
    spread = x.max(axis=0) - x.min(axis=0)
    if (spread == 0).any():
        j = int(np.argmax(spread == 0))
        msg = f"`X` must not hold a constant driver (driver {labels[j]!r}: all {fmt(x[0, j])})."
        raise InvalidInputError(msg)
    if outcome.max() == outcome.min():
        msg = f"`y` must not be constant (all {fmt(outcome[0])})."
        raise InvalidInputError(msg)
    return x, outcome, labels


def driver_importance(
    X: ArrayLike,  # noqa: N803 - the usual name of a design matrix
    y: ArrayLike,
    *,
    method: Literal["relative_weights", "shapley"] = "relative_weights",
    names: Sequence[str] | None = None,
    n_bootstrap: int = 0,
    confidence_level: float = 0.95,
    rng: RNGLike = None,
) -> DriverImportance:
    """Split the R² of ``y`` on the drivers ``X`` into each driver's share.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Driver scores per respondent, e.g. satisfaction with each key process.
    y : array_like, shape (n,)
        The outcome: overall satisfaction, perceived value or likelihood to recommend.
    method : {"relative_weights", "shapley"}, default "relative_weights"
        Johnson's relative weights (O(p³), any p) or the exact Shapley value / LMG
        decomposition (2^p regressions, p <= 15).
    names : sequence of str, optional
        Driver names (default "0", "1", ...).
    n_bootstrap : int, default 0
        Resamples of the rows for percentile intervals (0: no intervals), at most
        ``MAX_BOOTSTRAP`` (100 000).
    confidence_level : float, default 0.95
        Of the bootstrap intervals.
    rng : None, int, SeedSequence or Generator
        Randomness for the bootstrap (``numpy.random.default_rng(rng)``); a seed is a whole
        number at least 0.

    Returns
    -------
    DriverImportance

    Raises
    ------
    InvalidInputError
        For non-finite data, fewer than p + 2 rows, a constant driver or outcome, collinear
        drivers (smallest eigenvalue of the correlation matrix below 1e-10), or too many
        drivers for Shapley.

    Notes
    -----
    With predictor correlations ``R_xx = V Λ Vᵀ`` and predictor-outcome correlations
    ``r_xy``, relative weights are ``Λ* = V Λ^{1/2} Vᵀ``, ``β* = Λ*^{-1} r_xy`` and
    ``ε_j = Σ_k Λ*_{jk}² β*_k²``. Shapley (LMG, general dominance):
    ``φ_j = Σ_{S ⊆ P∖{j}} |S|!(p-|S|-1)!/p! [R²(S ∪ {j}) - R²(S)]`` with
    ``R²(S) = r_ySᵀ R_SS^{-1} r_yS``. Both sum to the full R²; ``rescaled = 100 ε / R²``.
    Bootstrap intervals are percentile intervals over ``n_bootstrap`` row resamples.
    Importance is not causality, and halo effects inflate every process's weight.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1-19.
    Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and
    Multivariate Analysis*, Scott, Foresman. Lipovetsky, S., & Conklin, M. (2001). Analysis of
    regression in game theory approach. *Applied Stochastic Models in Business and Industry*,
    17(4), 319-330. Grömping, U. (2006). Relative importance for linear regression in R: the
    package relaimpo. *Journal of Statistical Software*, 17(1). Tonidandel, S., LeBreton,
    J. M., & Johnson, J. W. (2009). *Psychological Methods*, 14(4), 387-399 (bootstrap).

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.process import driver_importance
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(200, 3))
    >>> y = X @ [1.0, 0.5, 0.0] + rng.normal(size=200)
    >>> result = driver_importance(X, y, names=["repair", "billing", "moving"])
    >>> result.ranked()
    ('repair', 'billing', 'moving')
    >>> bool(np.isclose(result.raw.sum(), result.r_squared))
    True
    """
    x, outcome, labels = _driver_iv(X, y, names, method)
    n_boot = int(check_number(n_bootstrap, "n_bootstrap", low=0, high=MAX_BOOTSTRAP, integer=True))
    level = check_confidence_level(confidence_level)
    generator = as_rng(rng)
    fitted = _weights(x, outcome, method)
    if fitted is None:
        values = np.linalg.eigvalsh(np.corrcoef(x, rowvar=False).reshape(x.shape[1], -1))
        msg = (
            f"`X` must not hold collinear drivers (smallest eigenvalue of their correlation "
            f"matrix {float(values[0]):.3g} < {_COLLINEAR:g}): drop or combine drivers."
        )
        raise InvalidInputError(msg)
    raw, r_squared = fitted
    raw = np.maximum(raw, 0.0)
    if r_squared <= _NO_FIT:
        msg = (
            "driver_importance: the drivers explain none of `y` (R² = 0), so there is no "
            "R² to share out; the rescaled weights are reported as 0."
        )
        warnings.warn(msg, DegenerateDataWarning, stacklevel=2)
    result = DriverImportance(
        names=labels,
        raw=raw,
        rescaled=100.0 * raw / r_squared if r_squared > _NO_FIT else np.zeros_like(raw),
        r_squared=r_squared,
        method=method,
        n=int(x.shape[0]),
        confidence_level=level,
    )
    if n_boot == 0:
        return result
    draws_raw, draws_scaled, failed = [], [], 0
    n = x.shape[0]
    for _ in range(n_boot):
        rows = generator.integers(0, n, size=n)
        again = _weights(x[rows], outcome[rows], method)
        if again is None or again[1] <= 0:
            failed += 1
            continue
        draws_raw.append(np.maximum(again[0], 0.0))
        draws_scaled.append(100.0 * draws_raw[-1] / again[1])
    if not draws_raw:
        msg = f"`n_bootstrap` resamples must leave usable fits (all {n_boot} were degenerate)."
        raise InvalidInputError(msg)
    tails = [50.0 * (1.0 - level), 50.0 * (1.0 + level)]
    return attrs.evolve(
        result,
        raw_ci=np.percentile(np.array(draws_raw), tails, axis=0).T,
        rescaled_ci=np.percentile(np.array(draws_scaled), tails, axis=0).T,
        n_bootstrap=n_boot,
        n_failed=failed,
    )
