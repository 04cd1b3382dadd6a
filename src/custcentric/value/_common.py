"""Pieces shared by the purchase models: parameter fields, time arguments, simulation output."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import as_float_array, check_in_range, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.typing import FloatArray, IntArray, TimeUnit
from custcentric.value._mle import check_parameter, to_float

__all__ = [
    "as_times",
    "check_model_unit",
    "fit_time_unit",
    "parameter",
    "rescale",
    "simulation_time_unit",
    "summary_from_arrays",
]


def parameter(name: str) -> Any:
    """Return an attrs field for a positive model parameter (converted to float, checked)."""
    return attrs.field(converter=to_float, validator=check_parameter(name))


def check_model_unit(instance: Any, attribute: Any, value: Any) -> None:
    """Validate a purchase model's ``time_unit``: a known unit, or None (unit unknown).

    ``None`` means the model takes every history as already being in its unit, as models
    did before they carried one.
    """
    if value is not None:
        check_time_unit(value)


def rescale(values: Any, from_unit: str, to_unit: str) -> Any:
    """Convert durations from ``from_unit`` to ``to_unit`` (exact up to rounding)."""
    if from_unit == to_unit:
        return values
    return values * (SECONDS_PER_UNIT[from_unit] / SECONDS_PER_UNIT[to_unit])


def fit_time_unit(frequency: Any, time_unit: str | None) -> TimeUnit | None:
    """Return the unit a fit's model carries: ``time_unit``, else the summary's, else None."""
    if time_unit is not None:
        return check_time_unit(time_unit)
    if isinstance(frequency, CustomerSummary):
        return frequency.time_unit
    return None


def simulation_time_unit(model_unit: str | None, time_unit: str | None, *, func: str) -> str:
    """Return the unit a simulated summary is stamped with (the model's; "D" without one)."""
    if time_unit is None:
        return "D" if model_unit is None else model_unit
    unit = check_time_unit(time_unit)
    if model_unit is not None and unit != model_unit:
        msg = (
            f"{func}: `time_unit` {unit!r} differs from the model's time unit "
            f"{model_unit!r}; simulate in the model's unit (T is read in it) and convert "
            "afterwards, or leave `time_unit` out."
        )
        raise InvalidInputError(msg)
    return unit


def as_times(t: ArrayLike, name: str = "t") -> FloatArray:
    """Return a non-negative duration (scalar or array) as a float array."""
    array = np.asarray(t, dtype=object if isinstance(t, str) else None)
    if array.ndim == 0:
        return np.array([check_number(t, name, low=0)])
    return as_float_array(array, name, non_negative=True)


def summary_from_arrays(
    x: IntArray, t_x: FloatArray, t: FloatArray, *, time_unit: str
) -> CustomerSummary:
    """Wrap simulated arrays in a CustomerSummary with ids 0..n-1."""
    return CustomerSummary.from_arrays(
        np.arange(x.size, dtype=np.int64), x, t_x, t, time_unit=check_time_unit(time_unit)
    )


#: The most customers one simulation draws (about 5 GB of working arrays), and the longest
#: observation, in the model's time unit (purchase counts stay far inside int64).
MAX_SIMULATED_CUSTOMERS = 10**8
MAX_SIMULATED_T = 1e9


def simulation_sizes(n_customers: Any, T: Any) -> tuple[int, FloatArray]:  # noqa: N803
    """Check ``n_customers`` and broadcast ``T`` to one observation length per customer."""
    n = int(
        check_number(n_customers, "n_customers", low=0, high=MAX_SIMULATED_CUSTOMERS, integer=True)
    )
    if np.ndim(T) == 0:
        length = check_number(T, "T", low=0, low_inclusive=False, high=MAX_SIMULATED_T)
        return n, np.full(n, length)
    lengths = as_float_array(T, "T", positive=True, label="customer")
    check_in_range(lengths, "T", low=0.0, high=MAX_SIMULATED_T, label="customer")
    if lengths.size != n:
        msg = f"`T` must be a number or hold one entry per customer ({lengths.size} != {n})."
        raise InvalidInputError(msg)
    return n, lengths
