"""Input checks for the broadcasting capacity functions (any shape, not only 1-D).

The checks are :mod:`custcentric._validation`'s, applied to the flattened values;
``scalar_or_array`` is re-exported from :mod:`custcentric._stats` for the callers here.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._stats import scalar_or_array
from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import as_float_array, first_true, fmt
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
    """Return ``values`` as a float array of any shape, finite and within the stated rules.

    The numbers, finiteness and sign are checked by :func:`custcentric._validation.as_float_array`
    on the flattened values (an offending index is a flat one); only the bounds of the capacity
    functions are checked here.

    Examples
    --------
    >>> as_scenarios([[1, 2], [3, 4]], "n_agents", integer=True, low=1).shape
    (2, 2)
    >>> as_scenarios([2, 0], "n_agents", low=1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `n_agents` must be at least 1 (index 1: 0.0).
    """
    raw = np.asarray(values)
    shape = raw.shape
    array = as_float_array(raw.reshape(-1), name, positive=positive, non_negative=not positive)
    rules: list[tuple[NDArray[np.bool_], str]] = []
    if low is not None:
        rules.append((array < low, f"be at least {low:g}"))
    if high is not None:
        too_high = array > high if high_inclusive else array >= high
        rules.append(
            (too_high, f"be at most {high:g}" if high_inclusive else f"be less than {high:g}")
        )
    if integer:
        rules.append((array != np.round(array), "hold whole numbers"))
    for bad, rule in rules:
        _refuse(array, bad, name, rule)
    return array.reshape(shape)


def _refuse(array: FloatArray, bad: NDArray[np.bool_], name: str, rule: str) -> None:
    if bad.any():
        i = first_true(bad)
        msg = f"`{name}` must {rule} (index {i}: {fmt(array[i])})."
        raise InvalidInputError(msg)


def check_share(value: ArrayLike, name: str) -> FloatArray:
    """Return an array of shares strictly inside (0, 1).

    Examples
    --------
    >>> check_share([0.8, 1.0], "target_service_level")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `target_service_level` must lie in (0, 1) (index 1: 1.0).
    """
    array = as_scenarios(value, name)
    _refuse(
        array.reshape(-1),
        (array.reshape(-1) <= 0) | (array.reshape(-1) >= 1),
        name,
        "lie in (0, 1)",
    )
    return array


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
