"""Analytic Hierarchy Process: priority weights and consistency from pairwise judgements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable, read_only
from custcentric._validation import as_float_array, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RANDOM_INDEX", "AHPResult", "ahp_weights", "combine_judgements"]

RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's random consistency index RI(n) (Saaty 1980, table 1.7; Saaty 2008, table 3)."""

CR_THRESHOLD = 0.10
_RECIPROCAL_TOLERANCE = 1e-6


@attrs.frozen(eq=False, kw_only=True)
class AHPResult(Result):
    """AHP priority weights and the consistency of the judgements behind them.

    Attributes
    ----------
    labels : tuple of str
    weights : ndarray of float64
        The priority vector, summing to 1.
    lambda_max : float
        The principal eigenvalue (eigenvector method) or ``mean((A w)_i / w_i)`` (geometric).
    consistency_index : float
        ``CI = (λ_max - n) / (n - 1)`` (0 for n <= 2).
    consistency_ratio : float
        ``CR = CI / RI(n)`` (0 for n <= 2).
    consistent : bool
        ``CR <= 0.10`` (Saaty's rule); False flags judgements to revisit.
    method : str
        ``"eigenvector"`` or ``"geometric"``.
    n_judges : int
        How many matrices were combined by geometric mean.
    matrix : ndarray of float64
        The (combined) pairwise matrix the weights come from.

    Examples
    --------
    >>> from custcentric.process import ahp_weights
    >>> result = ahp_weights([[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]],
    ...                      labels=["retention", "satisfaction", "cost"])
    >>> {goal: round(weight, 3) for goal, weight in result.as_mapping().items()}
    {'retention': 0.637, 'satisfaction': 0.258, 'cost': 0.105}
    >>> round(result.consistency_ratio, 3), result.consistent
    (0.033, True)
    >>> result.to_pandas().columns.tolist()
    ['label', 'weight']
    """

    labels: tuple[str, ...]
    weights: FloatArray = attrs.field(converter=read_only)
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool
    method: str
    n_judges: int
    matrix: FloatArray = attrs.field(converter=read_only)

    def as_mapping(self) -> dict[str, float]:
        """Return ``{label: weight}``, ready for :func:`prioritise`'s ``goal_weights``."""
        return dict(zip(self.labels, self.weights.tolist(), strict=True))

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data (a non-finite number becomes ``None``)."""
        data: dict[str, Any] = jsonable(
            {
                "labels": list(self.labels),
                "weights": self.weights.tolist(),
                "lambda_max": self.lambda_max,
                "consistency_index": self.consistency_index,
                "consistency_ratio": self.consistency_ratio,
                "consistent": self.consistent,
                "method": self.method,
                "n_judges": self.n_judges,
                "matrix": self.matrix.tolist(),
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per label with its weight (needs the ``pandas`` extra)."""
        return make_frame({"label": np.array(self.labels, dtype=np.str_), "weight": self.weights})

    def summary(self) -> str:
        """Return a readable account of the weights and their consistency."""
        verdict = "acceptable" if self.consistent else "INCONSISTENT: revisit the judgements"
        lines = [
            f"AHP weights ({self.method}, {self.n_judges} judge(s)): "
            f"lambda_max {self.lambda_max:.4f}, CI {self.consistency_index:.4f}, "
            f"CR {self.consistency_ratio:.4f} ({verdict})"
        ]
        lines += [f"  {lab:<24}{w:.4f}" for lab, w in zip(self.labels, self.weights, strict=True)]
        return "\n".join(lines)


def _check_matrix(matrix: FloatArray, name: str, *, stacked: bool) -> None:
    n = matrix.shape[-1]
    bad_value = ~np.isfinite(matrix) | (matrix <= 0)
    if bad_value.any():
        where = np.argwhere(bad_value)[0]
        judge = f"judge {where[0]}, " if stacked else ""
        msg = (
            f"`{name}` must hold positive, finite judgements ({judge}entry "
            f"({int(where[-2])}, {int(where[-1])}): {fmt(matrix[tuple(where)])})."
        )
        raise InvalidInputError(msg)
    # a_ij a_ji = 1 checked in log space, |log a_ij + log a_ji| <= tol (the same test to
    # first order), so that entries up to the float64 maximum cannot overflow the product.
    logs = np.log(matrix)
    bad = np.abs(logs + np.swapaxes(logs, -1, -2)) > _RECIPROCAL_TOLERANCE
    bad |= np.eye(n, dtype=bool) & (np.abs(matrix - 1.0) > _RECIPROCAL_TOLERANCE)
    if bad.any():
        where = np.argwhere(bad)[0]
        judge = f"judge {where[0]}, " if stacked else ""
        i, j = int(where[-2]), int(where[-1])
        value, back = matrix[tuple(where)], matrix[(*where[:-2], j, i)]
        msg = (
            f"`{name}` must be reciprocal with a unit diagonal, a_ji = 1 / a_ij "
            f"({judge}entry ({i}, {j}): {float(value)!r}, entry ({j}, {i}): {float(back)!r})."
        )
        raise InvalidInputError(msg)


def _as_matrices(pairwise: ArrayLike) -> FloatArray:
    try:
        raw = np.asarray(pairwise)
    except (TypeError, ValueError):  # ragged nesting
        msg = "`pairwise` must hold numbers (a square matrix, or a stack of them)."
        raise InvalidInputError(msg) from None
    array: FloatArray
    if raw.dtype.kind == "O":
        # Python numbers (fractions.Fraction, say) are read one by one; None, booleans,
        # complex values and text are refused, naming the flat index.
        array = as_float_array(raw.reshape(-1), "pairwise").reshape(raw.shape)
    elif raw.dtype.kind in "iuf":
        array = raw.astype(np.float64)
    else:
        rule = "hold real numbers, not complex ones" if raw.dtype.kind == "c" else "hold numbers"
        msg = (
            f"`pairwise` must {rule} (a square matrix, or a stack of them; got dtype {raw.dtype})."
        )
        raise InvalidInputError(msg)
    if array.ndim not in (2, 3) or array.shape[-1] != array.shape[-2] or array.shape[-1] == 0:
        msg = f"`pairwise` must be a square matrix or a stack of square matrices (got shape {array.shape})."
        raise InvalidInputError(msg)
    n = array.shape[-1]
    if n > max(RANDOM_INDEX):
        msg = (
            f"`pairwise` must compare at most {max(RANDOM_INDEX)} items (got {n}): "
            "group them into a hierarchy."
        )
        raise InvalidInputError(msg)
    if array.ndim == 3 and array.shape[0] == 0:
        msg = "`pairwise` must hold at least one judge's matrix (got an empty stack)."
        raise InvalidInputError(msg)
    return array


def combine_judgements(pairwise: ArrayLike) -> FloatArray:
    """Combine several judges' pairwise matrices by the element-wise geometric mean.

    Parameters
    ----------
    pairwise : array_like, shape (n_judges, n, n)
        Positive, reciprocal matrices, one per judge.

    Returns
    -------
    ndarray of float64, shape (n, n)
        The combined matrix; still reciprocal.

    References
    ----------
    Aczél, J., & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. *Journal of
    Mathematical Psychology*, 27(1), 93-102.

    Examples
    --------
    >>> from custcentric.process import combine_judgements
    >>> combine_judgements([[[1, 4], [1/4, 1]], [[1, 1], [1, 1]]]).round(3).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    array = _as_matrices(pairwise)
    stacked = array.ndim == 3
    if not stacked:
        array = array[None]
    _check_matrix(array, "pairwise", stacked=stacked)
    combined: FloatArray = np.exp(np.log(array).mean(axis=0))
    return combined


def ahp_weights(
    pairwise: ArrayLike,
    *,
    method: Literal["eigenvector", "geometric"] = "eigenvector",
    labels: Sequence[str] | None = None,
) -> AHPResult:
    """Return AHP priority weights, λ_max, and the consistency index and ratio.

    Parameters
    ----------
    pairwise : array_like, shape (n, n) or (n_judges, n, n)
        ``a_ij`` = importance of item i over item j on Saaty's 1-9 scale, with
        ``a_ji = 1 / a_ij`` and ``a_ii = 1``. A stack of matrices (one per judge) is combined
        by element-wise geometric mean first.
    method : {"eigenvector", "geometric"}, default "eigenvector"
        The principal right eigenvector (Saaty), or the normalised geometric row means
        (Crawford & Williams).
    labels : sequence of str, optional
        Item names (default "0", "1", ...).

    Returns
    -------
    AHPResult

    Raises
    ------
    InvalidInputError
        For a matrix that is not square, has non-positive or non-finite entries, is not
        reciprocal (tolerance 1e-6), has more than 10 items, or an unknown method.

    Notes
    -----
    ``A w = λ_max w`` with ``Σ w = 1``; geometric: ``w_i ∝ (Π_j a_ij)^{1/n}`` and
    ``λ_max = mean_i((A w)_i / w_i)``. ``CI = (λ_max - n)/(n - 1)`` and ``CR = CI / RI(n)``
    with Saaty's random index (:data:`RANDOM_INDEX`); ``CR > 0.10`` sets ``consistent`` to
    False. For n <= 2 every reciprocal matrix is consistent and CI = CR = 0.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*, McGraw-Hill. Saaty, T. L. (2008).
    Decision making with the analytic hierarchy process. *International Journal of Services
    Sciences*, 1(1), 83-98 (the drinks example, table 2; RI, table 3). Crawford, G., &
    Williams, C. (1985). A note on the analysis of subjective judgment matrices. *Journal of
    Mathematical Psychology*, 29(4), 387-405. Aczél & Saaty (1983) for group judgements.

    Examples
    --------
    Saaty's (2008) relative consumption of drinks in the United States:

    >>> from custcentric.process import ahp_weights
    >>> drinks = [[1, 9, 5, 2, 1, 1, 1/2], [1/9, 1, 1/3, 1/9, 1/9, 1/9, 1/9],
    ...           [1/5, 3, 1, 1/3, 1/4, 1/3, 1/9], [1/2, 9, 3, 1, 1/2, 1, 1/3],
    ...           [1, 9, 4, 2, 1, 2, 1/2], [1, 9, 3, 1, 1/2, 1, 1/3], [2, 9, 9, 3, 2, 3, 1]]
    >>> result = ahp_weights(drinks)
    >>> result.weights.round(3).tolist()
    [0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327]
    >>> round(result.consistency_ratio, 3), result.consistent
    (0.022, True)
    """
    if method not in ("eigenvector", "geometric"):
        msg = f"`method` must be one of 'eigenvector', 'geometric' (got {method!r})."
        raise InvalidInputError(msg)
    array = _as_matrices(pairwise)
    n_judges = array.shape[0] if array.ndim == 3 else 1
    matrix = combine_judgements(array)
    n = matrix.shape[0]
    names = _labels(labels, n)
    if method == "eigenvector":
        values, vectors = np.linalg.eig(matrix)
        k = int(np.argmax(values.real))
        weights = np.abs(vectors[:, k].real)
        lambda_max = float(values[k].real)
    else:
        weights = np.exp(np.log(matrix).mean(axis=1))
        weights = weights / weights.sum()
        lambda_max = float(np.mean(matrix @ weights / weights))
    weights = weights / weights.sum()
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    return AHPResult(
        labels=names,
        weights=weights,
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        consistent=cr <= CR_THRESHOLD,
        method=method,
        n_judges=n_judges,
        matrix=matrix,
    )


def _labels(labels: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if labels is None:
        return tuple(str(i) for i in range(n))
    names = tuple(str(x) for x in labels)
    if len(names) != n or len(set(names)) != n:
        msg = f"`labels` must name the {n} items once each (got {list(names)})."
        raise InvalidInputError(msg)
    return names
