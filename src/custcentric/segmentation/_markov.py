"""Markov-chain kernels shared by the migration model and the lifecycle funnel."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from custcentric._validation import fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, FloatArray

__all__ = [
    "ROW_SUM_TOLERANCE",
    "absorbing_mask",
    "absorbing_parts",
    "as_stochastic_rows",
    "check_row_sums",
    "reaches_absorption",
    "states_tuple",
]

ROW_SUM_TOLERANCE = 1e-8


def as_stochastic_rows(
    matrix: ArrayLike,
    name: str,
    *,
    square: bool,
    row_label: str = "row",
    columns: int | None = None,
) -> FloatArray:
    """Return a 2-D float matrix of finite, non-negative entries (square on request)."""
    raw = np.asarray(matrix)
    if raw.ndim != 2:
        msg = f"`{name}` must be a two-dimensional matrix (got shape {raw.shape})."
        raise InvalidInputError(msg)
    if raw.dtype.kind not in "iuf":
        msg = f"`{name}` must hold numbers (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    array = np.array(raw, dtype=np.float64)
    if array.size == 0:
        msg = f"`{name}` must not be empty (got shape {array.shape})."
        raise InvalidInputError(msg)
    if square and array.shape[0] != array.shape[1]:
        msg = f"`{name}` must be square (got shape {array.shape})."
        raise InvalidInputError(msg)
    if columns is not None and array.shape[0] != columns:
        msg = f"`{name}` must have {columns} rows (got {array.shape[0]})."
        raise InvalidInputError(msg)
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        rule = "be finite" if not np.isfinite(array[i, j]) else "be non-negative"
        msg = f"`{name}` must {rule} ({row_label} {i}, column {j}: {fmt(array[i, j])})."
        raise InvalidInputError(msg)
    return array


def check_row_sums(sums: FloatArray, name: str, row_label: str = "row") -> None:
    """Raise unless every row sum is 1 (within :data:`ROW_SUM_TOLERANCE`)."""
    bad = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`{name}` rows must sum to 1 ({row_label} {i}: {sums[i]:.10g})."
        raise InvalidInputError(msg)


def absorbing_mask(p: FloatArray) -> BoolArray:
    """Return which states are absorbing (:math:`P_{ii} = 1`)."""
    return np.abs(np.diag(p) - 1.0) <= ROW_SUM_TOLERANCE


def reaches_absorption(p: FloatArray, absorbing: BoolArray) -> BoolArray:
    """Return which states reach an absorbing state with positive probability."""
    reach = absorbing.copy()
    for _ in range(p.shape[0]):
        new = reach | ((p[:, reach] > 0).any(axis=1))
        if np.array_equal(new, reach):
            break
        reach = new
    return reach


def absorbing_parts(q: FloatArray, r: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Return the fundamental matrix :math:`N`, absorption probabilities :math:`B` and times :math:`t`.

    :math:`N = (I - Q)^{-1}`, :math:`B = N R` and :math:`t = N \mathbf{1}`, each found with
    :func:`numpy.linalg.solve` (never an explicit inverse). The caller checks that every
    transient state reaches absorption, so :math:`I - Q` is non-singular.
    """
    eye = np.eye(q.shape[0])
    lhs = eye - q
    n = np.linalg.solve(lhs, eye)
    b = np.linalg.solve(lhs, r)
    t = np.linalg.solve(lhs, np.ones(q.shape[0]))
    return n.astype(np.float64), b.astype(np.float64), t.astype(np.float64)


def states_tuple(states: Any, size: int, name: str = "states") -> tuple[str, ...]:
    """Return ``states`` as distinct strings, ``"0" .. "size-1"`` when None."""
    if states is None:
        return tuple(str(i) for i in range(size))
    items = tuple(s.value if hasattr(s, "value") else str(s) for s in states)
    items = tuple(str(s) for s in items)
    if len(items) != size:
        msg = f"`{name}` must name each of the {size} states (got {len(items)})."
        raise InvalidInputError(msg)
    if len(set(items)) != len(items):
        dup = next(s for s in items if items.count(s) > 1)
        msg = f"`{name}` must be distinct (got {dup!r} twice)."
        raise InvalidInputError(msg)
    return items
