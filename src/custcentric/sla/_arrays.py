"""Input checks for the broadcasting capacity functions (any shape, not only 1-D)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, TimeUnit

__all__ = [
    "MAX_TRAFFIC",
    "Interval",
    "as_scenarios",
    "check_share",
    "interval_seconds",
    "offered_traffic",
    "scalar_or_array",
]

#: Largest offered load, in Erlangs, the capacity functions accept. Far above any contact
#: centre (the largest run a few thousand agents); it bounds the cost of the Erlang B series
#: used where the Poisson distribution function underflows (n far below A).
MAX_TRAFFIC: Final[float] = 1e7

#: A counting interval: a time-unit name ("s", "m", "h", "D", "W") or a positive duration.
Interval: TypeAlias = TimeUnit | dt.timedelta | np.timedelta64


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


def interval_seconds(interval: Interval, name: str = "interval") -> float:
    """Return the length of ``interval`` in seconds.

    ``interval`` is a time-unit name of :data:`custcentric._time.SECONDS_PER_UNIT` or a
    positive ``datetime.timedelta`` / ``numpy.timedelta64`` (e.g. 30 minutes). Plain numbers
    are refused: ``30`` could mean seconds or minutes.

    Examples
    --------
    >>> import numpy as np
    >>> interval_seconds("h"), interval_seconds(np.timedelta64(30, "m"))
    (3600.0, 1800.0)
    """
    value: object = interval  # callers without a type checker may pass anything
    if isinstance(value, str):
        return SECONDS_PER_UNIT[check_time_unit(value, name=name)]
    if isinstance(value, dt.timedelta):  # also pandas.Timedelta
        seconds = value.total_seconds()
    elif isinstance(value, np.timedelta64):
        if np.isnat(value):
            msg = f"`{name}` must be a duration, not NaT."
            raise InvalidInputError(msg)
        try:
            seconds = float(value / np.timedelta64(1, "s"))
        except (TypeError, ValueError) as exc:  # months and years have no fixed length
            msg = f"`{name}` must have a fixed length; got {value!r}."
            raise InvalidInputError(msg) from exc
    else:
        msg = (
            f"`{name}` must be a time unit ('s', 'm', 'h', 'D', 'W') or a timedelta, "
            f"e.g. interval='h' for calls per hour; got {value!r}."
        )
        raise InvalidInputError(msg)
    if not seconds > 0:
        msg = f"`{name}` must be a positive duration; got {interval!r}."
        raise InvalidInputError(msg)
    return seconds


def offered_traffic(rate: FloatArray, handle_time: FloatArray, seconds: float) -> FloatArray:
    """Return ``A = rate * handle_time / seconds`` in Erlangs, refusing loads above the cap.

    ``rate`` is calls per interval of ``seconds`` seconds, ``handle_time`` in seconds; both
    checked arrays that broadcast.
    """
    with np.errstate(over="ignore"):
        a = np.asarray(rate * (handle_time / seconds), dtype=np.float64)
    bad = ~(a <= MAX_TRAFFIC)
    if bad.any():
        i = int(np.argmax(bad.reshape(-1)))
        msg = (
            "offered traffic `arrival_rate` * `handle_time` / seconds per `interval` must be "
            f"at most {MAX_TRAFFIC:g} Erlangs (scenario {i}: "
            f"{fmt(float(a.reshape(-1)[i]))} Erlangs)."
        )
        raise InvalidInputError(msg)
    return a
