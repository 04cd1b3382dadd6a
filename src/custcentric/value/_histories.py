"""Purchase histories: checked (frequency, recency, T) arrays and their unique rows.

The likelihoods of the buy-till-you-die models depend on a customer only through
``(frequency, recency, T)``; many customers share a history (all one-time buyers acquired the
same day share one), so each model evaluates its likelihood once per distinct history with the
number of customers holding it as weight. The distinct rows come from one ``np.unique`` over a
single packed int64 key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._time import SECONDS_PER_UNIT
from custcentric._validation import (
    as_float_array,
    as_int_array,
    check_equal_length,
    check_not_greater,
    first_true,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.typing import FloatArray, IntArray

__all__ = ["Histories", "check_fit_data", "check_histories", "unique_histories"]


def check_histories(
    frequency: ArrayLike | CustomerSummary,
    recency: ArrayLike | None,
    T: ArrayLike | None,  # noqa: N803
    *,
    func: str,
    time_unit: str | None = None,
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Return checked ``frequency, recency, T`` arrays (or those of a summary).

    Rules: equal lengths; frequency a non-negative whole number; recency and T finite and
    non-negative; ``recency <= T``; ``recency == 0`` when ``frequency == 0``.

    With a ``time_unit`` (the model's), a summary in another unit has its recency and T
    converted exactly into ``time_unit``; arrays are taken as already being in it.
    """
    if isinstance(frequency, CustomerSummary):
        if recency is not None or T is not None:
            msg = f"{func}: pass either a CustomerSummary or the three arrays, not both."
            raise InvalidInputError(msg)
        t_x, t = frequency.recency, frequency.T
        if time_unit is not None and frequency.time_unit != time_unit:
            factor = SECONDS_PER_UNIT[frequency.time_unit] / SECONDS_PER_UNIT[time_unit]
            t_x, t = t_x * factor, t * factor
        return frequency.frequency, t_x, t
    if recency is None or T is None:
        msg = f"{func}: `recency` and `T` are needed with a `frequency` array."
        raise InvalidInputError(msg)
    x = as_int_array(frequency, "frequency", non_negative=True, label="customer")
    t_x = as_float_array(recency, "recency", non_negative=True, label="customer")
    t = as_float_array(T, "T", non_negative=True, label="customer")
    check_equal_length({"frequency": x, "recency": t_x, "T": t})
    check_not_greater(t_x, "recency", t, "T", label="customer")
    bad = (x == 0) & (t_x > 0)
    if bad.any():
        i = first_true(bad)
        msg = (
            f"`recency` must be 0 when `frequency` is 0 "
            f"(customer {i}: frequency 0, recency {fmt(t_x[i])})."
        )
        raise InvalidInputError(msg)
    return x, t_x, t


@attrs.frozen(kw_only=True, eq=False)
class Histories:
    """Distinct ``(x, t_x, T)`` rows and the (weighted) number of customers holding each."""

    x: FloatArray
    t_x: FloatArray
    T: FloatArray
    weight: FloatArray
    x_values: FloatArray
    x_code: IntArray
    inverse: IntArray | None = None
    tx_values: FloatArray | None = None
    tx_code: IntArray | None = None
    T_values: FloatArray | None = None
    T_code: IntArray | None = None

    @property
    def n_customers(self) -> float:
        """The number of customers (sum of weights)."""
        return float(self.weight.sum())

    def __len__(self) -> int:
        return int(self.x.size)


def _codes(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Return the distinct values and each value's code, cheaply when they are whole numbers."""
    if values.size and np.all(values == np.floor(values)):
        low = float(values.min())
        span = float(values.max()) - low + 1
        if span <= 4 * values.size + 1024:
            ints = (values - low).astype(np.int64)
            present = np.zeros(int(span), dtype=bool)
            present[ints] = True
            lookup = np.cumsum(present) - 1
            return np.flatnonzero(present).astype(np.float64) + low, lookup[ints]
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse.astype(np.int64)


def unique_histories(
    x: IntArray,
    t_x: FloatArray,
    t: FloatArray,
    weights: FloatArray | None = None,
    *,
    return_inverse: bool = False,
) -> Histories:
    """Collapse customers to distinct histories with their counts (or summed weights).

    Frequency, recency and T are each turned into small integer codes (a direct lookup when
    they are whole numbers, as day-granular data are), packed into one int64 key and passed
    once through ``np.unique``.
    """
    if x.size == 0:
        empty = np.zeros(0)
        none = np.zeros(0, dtype=np.int64)
        return Histories(
            x=empty,
            t_x=empty,
            T=empty,
            weight=empty,
            x_values=empty,
            x_code=none,
            inverse=none if return_inverse else None,
        )
    rec_values, rec_code = _codes(t_x)
    t_values, t_code = _codes(t)
    x_min = int(x.min())
    n_x = int(x.max()) - x_min + 1
    n_rec, n_t = rec_values.size, t_values.size
    if n_x * n_rec * n_t < 2**62:
        key = ((x - x_min) * n_rec + rec_code) * n_t + t_code
        x_offset: Any = x_min
        x_values = None
    else:  # pragma: no cover - needs astronomically many distinct frequencies
        x_values, x_code = np.unique(x, return_inverse=True)
        key = (x_code * n_rec + rec_code) * n_t + t_code
        x_offset = 0
    inverse = None
    if weights is None and not return_inverse:
        keys, counts = np.unique(key, return_counts=True)
        weight = counts.astype(np.float64)
    else:
        keys, inverse = np.unique(key, return_inverse=True)
        weight = np.bincount(inverse, weights=weights, minlength=keys.size).astype(np.float64)
    rest, tc = np.divmod(keys, n_t)
    xc, rc = np.divmod(rest, n_rec)
    xs = ((xc + x_offset) if x_values is None else x_values[xc]).astype(np.float64)
    distinct_x, x_code = np.unique(xs, return_inverse=True)
    return Histories(
        x=xs,
        t_x=rec_values[rc],
        T=t_values[tc],
        weight=weight,
        x_values=distinct_x,
        x_code=x_code.astype(np.int64),
        inverse=None if inverse is None or not return_inverse else inverse.astype(np.int64),
        tx_values=rec_values,
        tx_code=rc.astype(np.int64),
        T_values=t_values,
        T_code=tc.astype(np.int64),
    )


def per_customer(
    rows: Callable[[Histories], FloatArray], x: IntArray, t_x: FloatArray, t: FloatArray
) -> FloatArray:
    """Evaluate ``rows`` once per distinct history and spread the values back to customers."""
    h = unique_histories(x, t_x, t, return_inverse=True)
    values = rows(h)
    out: FloatArray = values if h.inverse is None else values[h.inverse]
    return out


def check_weights(weights: ArrayLike | None, n: int) -> FloatArray | None:
    """Return checked non-negative weights of length ``n`` (or None)."""
    if weights is None:
        return None
    w = as_float_array(weights, "weights", non_negative=True, label="customer")
    if w.size != n:
        msg = f"`weights` must have one entry per customer ({w.size} != {n})."
        raise InvalidInputError(msg)
    return w


def check_fit_data(n: int, weights: FloatArray | None, *, name: str, func: str) -> None:
    """Refuse a fit without data: no customers, or weights that are all zero.

    Without this an empty fit would stop at its start values (or fail deep inside the
    optimiser) instead of saying what is wrong.
    """
    if n == 0:
        msg = f"{func}: `{name}` must hold at least one customer to fit (got 0 customers)."
        raise InvalidInputError(msg)
    if weights is not None and not float(weights.sum()) > 0:
        msg = f"{func}: `weights` must not all be zero (the total weight is 0)."
        raise InvalidInputError(msg)
