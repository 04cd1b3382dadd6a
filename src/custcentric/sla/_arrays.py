"""Input checks for the broadcasting capacity functions (any shape, not only 1-D)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._validation import fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = ["as_scenarios", "check_share", "scalar_or_array"]


def _where(array: NDArray[Any], mask: NDArray[np.bool_]) -> str:
    i = int(np.argmax(mask.reshape(-1)))
    return f"index {i}: {fmt(array.reshape(-1)[i])}"


def as_scenarios(
    values: ArrayLike,
    name: str,
    *,
    positive: bool = False,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    high_inclusive: bool = True,
) -> FloatArray:
    """Return ``values`` as a float array of any shape, finite and within the stated rules."""
    raw = np.asarray(values)
    if raw.dtype.kind == "b" or raw.dtype.kind not in "iuf":
        msg = f"`{name}` must hold numbers (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    array = raw.astype(np.float64)
    bad = ~np.isfinite(array)
    if bad.any():
        msg = f"`{name}` must be finite ({_where(array, bad)})."
        raise InvalidInputError(msg)
    if positive:
        bad = array <= 0
        if bad.any():
            msg = f"`{name}` must be positive ({_where(array, bad)})."
            raise InvalidInputError(msg)
    else:
        bad = array < 0
        if bad.any():
            msg = f"`{name}` must be non-negative ({_where(array, bad)})."
            raise InvalidInputError(msg)
    if low is not None:
        bad = array < low
        if bad.any():
            msg = f"`{name}` must be at least {low:g} ({_where(array, bad)})."
            raise InvalidInputError(msg)
    if high is not None:
        bad = array > high if high_inclusive else array >= high
        if bad.any():
            rule = f"at most {high:g}" if high_inclusive else f"less than {high:g}"
            msg = f"`{name}` must be {rule} ({_where(array, bad)})."
            raise InvalidInputError(msg)
    if integer:
        bad = array != np.round(array)
        if bad.any():
            msg = f"`{name}` must hold whole numbers ({_where(array, bad)})."
            raise InvalidInputError(msg)
    return array


def check_share(value: ArrayLike, name: str) -> FloatArray:
    """Return an array of shares strictly inside (0, 1)."""
    array = as_scenarios(value, name)
    bad = (array <= 0) | (array >= 1)
    if bad.any():
        msg = f"`{name}` must lie in (0, 1) ({_where(array, bad)})."
        raise InvalidInputError(msg)
    return array


def scalar_or_array(out: NDArray[Any]) -> Any:
    """Return a NumPy scalar for a 0-d result, else the array."""
    return out[()] if out.ndim == 0 else out
