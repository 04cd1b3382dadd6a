"""Time units and conversions shared by every part of the library.

Timestamps are ``numpy.datetime64``; durations are floats in a stated unit.
"""

from __future__ import annotations

from typing import Final, get_args

import numpy as np
from numpy.typing import ArrayLike

from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, TimeUnit

__all__ = ["SECONDS_PER_UNIT", "TIME_UNITS", "check_time_unit", "to_duration"]

TIME_UNITS: Final[tuple[str, ...]] = get_args(TimeUnit)

SECONDS_PER_UNIT: Final[dict[str, float]] = {
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
    "D": 86400.0,
    "W": 7 * 86400.0,
}


def check_time_unit(unit: str, *, name: str = "time_unit") -> TimeUnit:
    """Return ``unit`` if it is a known time unit, else raise :class:`InvalidInputError`.

    Examples
    --------
    >>> check_time_unit("W")
    'W'
    """
    if not isinstance(unit, str) or unit not in SECONDS_PER_UNIT:
        options = ", ".join(repr(u) for u in TIME_UNITS)
        msg = f"`{name}` must be one of {options}; got {unit!r}."
        raise InvalidInputError(msg)
    return unit  # type: ignore[return-value]


def to_duration(delta: ArrayLike, unit: TimeUnit) -> FloatArray:
    """Convert ``timedelta64`` values to float durations in ``unit``.

    Parameters
    ----------
    delta : array_like of timedelta64
        Time differences of any NumPy resolution.
    unit : {"s", "m", "h", "D", "W"}
        The unit of the returned floats.

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> import numpy as np
    >>> to_duration(np.array([7, 14], dtype="timedelta64[D]"), "W")
    array([1., 2.])
    """
    seconds = np.asarray(delta) / np.timedelta64(1, "s")
    return (
        np.asarray(seconds, dtype=np.float64) / SECONDS_PER_UNIT[check_time_unit(unit, name="unit")]
    )
