"""Input checks shared by every public function.

Each check raises :class:`~custcentric.exceptions.InvalidInputError` with a message that
names the argument, the rule, and the first offending index and value, e.g.
``"`recency` must not exceed `T` (index 17: 41.0 > 39.0)."``. Public functions call these
once at their edge; numerical kernels below them never re-check.

Examples
--------
>>> from custcentric._validation import as_float_array
>>> as_float_array([1, 2.5], "amount", non_negative=True)
array([1. , 2.5])
>>> as_float_array([1.0, -2.0], "amount", non_negative=True)
Traceback (most recent call last):
...
custcentric.exceptions.InvalidInputError: `amount` must be non-negative (index 1: -2.0).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray, StrArray

__all__ = [
    "as_1d",
    "as_datetime_array",
    "as_float_array",
    "as_int_array",
    "as_str_array",
    "check_confidence_level",
    "check_equal_length",
    "check_in_range",
    "check_not_greater",
    "check_number",
    "first_true",
    "fmt",
    "to_enum",
    "to_enum_array",
]

E = TypeVar("E", bound=enum.Enum)


def fmt(value: object) -> str:
    """Format one offending value for a message (NumPy scalars shown as plain Python)."""
    if isinstance(value, np.datetime64 | np.timedelta64):
        return str(value)
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def first_true(mask: BoolArray) -> int:
    """Return the index of the first True in a boolean array (which must hold one)."""
    return int(np.argmax(mask))


def _fail(name: str, rule: str, index: int | None, value: object, label: str) -> InvalidInputError:
    where = f" ({label} {index}: {fmt(value)})" if index is not None else f" (got {fmt(value)})"
    return InvalidInputError(f"`{name}` must {rule}{where}.")


def as_1d(values: ArrayLike, name: str) -> NDArray[Any]:
    """Return ``values`` as a 1-D NumPy array, or raise naming ``name`` and the shape.

    Examples
    --------
    >>> as_1d([[1, 2]], "x")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `x` must be one-dimensional (got shape (1, 2)).
    """
    array = np.asarray(values)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        msg = f"`{name}` must be one-dimensional (got shape {array.shape})."
        raise InvalidInputError(msg)
    return array


def as_float_array(
    values: ArrayLike,
    name: str,
    *,
    non_negative: bool = False,
    positive: bool = False,
    allow_nan: bool = False,
    label: str = "index",
) -> FloatArray:
    """Return a 1-D float64 array of finite numbers, checking sign rules on request.

    Parameters
    ----------
    values : array_like
        Numbers (booleans, strings and objects are refused).
    name : str
        The argument's name, used in messages.
    non_negative, positive : bool
        Require ``values >= 0`` or ``values > 0``.
    allow_nan : bool
        Accept NaN as "missing" (infinities are still refused).
    label : str
        The noun for an index in messages, e.g. ``"customer"``.

    Raises
    ------
    InvalidInputError
        For a non-numeric or multi-dimensional input, NaN or infinity, or a sign rule broken;
        the message holds the first offending index and value.
    """
    raw = as_1d(values, name)
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O" and raw.size:
            try:
                raw = raw.astype(np.float64)
            except (TypeError, ValueError):
                bad = next(i for i, v in enumerate(raw) if not _is_number(v))
                raise _fail(name, "hold numbers", bad, raw[bad], label) from None
        elif raw.size or raw.dtype.kind not in "OU":
            msg = f"`{name}` must hold numbers (got dtype {raw.dtype})."
            raise InvalidInputError(msg)
    array = np.ascontiguousarray(raw, dtype=np.float64)
    finite = np.isfinite(array)
    if not finite.all():
        bad_mask = ~finite & ~np.isnan(array) if allow_nan else ~finite
        if bad_mask.any():
            i = first_true(bad_mask)
            raise _fail(name, "be finite", i, array[i], label)
    if positive:
        bad_mask = array <= 0
        if bad_mask.any():
            i = first_true(bad_mask)
            raise _fail(name, "be positive", i, array[i], label)
    elif non_negative:
        bad_mask = array < 0
        if bad_mask.any():
            i = first_true(bad_mask)
            raise _fail(name, "be non-negative", i, array[i], label)
    return array


def _is_number(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def as_int_array(
    values: ArrayLike,
    name: str,
    *,
    non_negative: bool = False,
    label: str = "index",
) -> IntArray:
    """Return a 1-D int64 array; floats are accepted only when they hold whole numbers.

    Examples
    --------
    >>> as_int_array([1.0, 2.5], "frequency")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `frequency` must hold whole numbers (index 1: 2.5).
    """
    raw = as_1d(values, name)
    if raw.dtype.kind in "iu":
        array = raw.astype(np.int64, copy=False)
    else:
        floats = as_float_array(raw, name, label=label)
        whole = floats == np.round(floats)
        if not whole.all():
            i = first_true(~whole)
            raise _fail(name, "hold whole numbers", i, floats[i], label)
        array = floats.astype(np.int64)
    if non_negative:
        bad_mask = array < 0
        if bad_mask.any():
            i = first_true(bad_mask)
            raise _fail(name, "be non-negative", i, array[i], label)
    return np.ascontiguousarray(array)


def as_str_array(values: ArrayLike, name: str, *, label: str = "index") -> StrArray:
    """Return a 1-D unicode array; ``None`` and empty strings are refused.

    Examples
    --------
    >>> as_str_array(["a", "b"], "customer_id")
    array(['a', 'b'], dtype='<U1')
    """
    raw = as_1d(values, name)
    if raw.dtype.kind == "O":
        missing = np.fromiter((v is None for v in raw), dtype=bool, count=raw.size)
        if missing.any():
            i = first_true(missing)
            raise _fail(name, "not hold missing values", i, None, label)
    array = raw.astype(np.str_) if raw.dtype.kind != "U" else raw
    if array.size:
        empty = np.char.str_len(array) == 0
        if empty.any():
            i = first_true(empty)
            raise _fail(name, "not hold empty strings", i, "", label)
    return np.ascontiguousarray(array)


def as_datetime_array(
    values: ArrayLike,
    name: str,
    *,
    unit: str = "s",
    label: str = "index",
) -> DatetimeArray:
    """Return a 1-D ``datetime64[unit]`` array; NaT and unparsable strings are refused.

    Examples
    --------
    >>> as_datetime_array(["2026-01-02", "2026-01-03T12:00"], "timestamp")
    array(['2026-01-02T00:00:00', '2026-01-03T12:00:00'], dtype='datetime64[s]')
    """
    raw = as_1d(values, name)
    if raw.dtype.kind == "M":
        array = raw.astype(f"datetime64[{unit}]")
    else:
        if raw.dtype.kind in "iufb":
            msg = (
                f"`{name}` must hold datetime64 values or ISO 8601 strings (got dtype {raw.dtype})."
            )
            raise InvalidInputError(msg)
        try:
            array = raw.astype(f"datetime64[{unit}]")
        except (TypeError, ValueError):
            for i, value in enumerate(raw):
                try:
                    np.datetime64(str(value), unit)  # type: ignore[call-overload]
                except (TypeError, ValueError):
                    raise _fail(name, "hold ISO 8601 timestamps", i, value, label) from None
            raise  # pragma: no cover - every element parsed, so the array did too
    missing = np.isnat(array)
    if missing.any():
        i = first_true(missing)
        raise _fail(name, "not hold missing timestamps (NaT)", i, raw[i], label)
    return np.ascontiguousarray(array)


def check_equal_length(arrays: dict[str, Sequence[Any] | NDArray[Any]]) -> int:
    """Check that all named arrays have the same length and return it.

    Examples
    --------
    >>> check_equal_length({"customer_id": [1, 2], "amount": [1.0]})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `amount` must have the same length as `customer_id` (1 != 2).
    """
    items = list(arrays.items())
    if not items:
        return 0
    first_name, first = items[0]
    n = len(first)
    for other_name, other in items[1:]:
        if len(other) != n:
            msg = (
                f"`{other_name}` must have the same length as `{first_name}` ({len(other)} != {n})."
            )
            raise InvalidInputError(msg)
    return n


def check_not_greater(
    lower: NDArray[Any],
    lower_name: str,
    upper: NDArray[Any],
    upper_name: str,
    *,
    label: str = "index",
) -> None:
    """Check ``lower <= upper`` elementwise, naming the first violation.

    Examples
    --------
    >>> import numpy as np
    >>> check_not_greater(np.array([1.0, 41.0]), "recency", np.array([2.0, 39.0]), "T",
    ...                   label="customer")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `recency` must not exceed `T` (customer 1: 41.0 > 39.0).
    """
    bad = lower > upper
    if bad.any():
        i = first_true(bad)
        msg = (
            f"`{lower_name}` must not exceed `{upper_name}` "
            f"({label} {i}: {fmt(lower[i])} > {fmt(upper[i])})."
        )
        raise InvalidInputError(msg)


def check_in_range(
    array: NDArray[Any],
    name: str,
    *,
    low: float,
    high: float,
    label: str = "index",
) -> None:
    """Check ``low <= array <= high`` elementwise, naming the first violation.

    Examples
    --------
    >>> import numpy as np
    >>> check_in_range(np.array([0, 11]), "score", low=0, high=10)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `score` must lie in [0, 10] (index 1: 11).
    """
    bad = (array < low) | (array > high)
    if bad.any():
        i = first_true(bad)
        raise _fail(name, f"lie in [{low}, {high}]", i, array[i], label)


def check_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Check one scalar option: a finite real number, optionally an integer within bounds.

    Examples
    --------
    >>> check_number(0.95, "confidence_level", low=0, high=1,
    ...              low_inclusive=False, high_inclusive=False)
    0.95
    >>> check_number(1.5, "confidence_level", low=0, high=1,
    ...              low_inclusive=False, high_inclusive=False)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `confidence_level` must lie in (0, 1) (got 1.5).
    """
    if not _is_number(value):
        raise _fail(name, "be a real number", None, value, "index")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise _fail(name, "be finite", None, value, "index")
    if integer and number != round(number):
        raise _fail(name, "be a whole number", None, value, "index")
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise _fail(name, f"lie in {left}{lo}, {hi}{right}", None, value, "index")
    return number


def check_confidence_level(value: object, name: str = "confidence_level") -> float:
    """Check a confidence level, a number strictly between 0 and 1, and return it as a float.

    Examples
    --------
    >>> check_confidence_level(0.9)
    0.9
    >>> check_confidence_level(95)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `confidence_level` must lie in (0, 1) (got 95).
    """
    return check_number(value, name, low=0, high=1, low_inclusive=False, high_inclusive=False)


def to_enum(enum_type: type[E], value: object, name: str) -> E:
    """Convert a string (or a member) to a member of ``enum_type``, listing the options if not.

    Matching is on the member's value, then case-insensitively on its value or name.

    Examples
    --------
    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    ...     BLUE = "blue"
    >>> to_enum(Colour, "RED", "colour")
    <Colour.RED: 'red'>
    >>> to_enum(Colour, "green", "colour")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `colour` must be one of 'red', 'blue' (got 'green').
    """
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        for member in enum_type:
            if key in (str(member.value).lower(), member.name.lower()):
                return member
    options = ", ".join(repr(m.value) for m in enum_type)
    msg = f"`{name}` must be one of {options} (got {fmt(value)})."
    raise InvalidInputError(msg)


def to_enum_array(
    values: ArrayLike | Iterable[object],
    enum_type: type[enum.Enum],
    name: str,
    *,
    label: str = "index",
) -> StrArray:
    """Return a 1-D array of the enum's value strings, refusing values outside its vocabulary.

    Members and their values are accepted; matching is case-insensitive on value or name.

    Examples
    --------
    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    ...     BLUE = "blue"
    >>> to_enum_array(["red", "BLUE", Colour.RED], Colour, "colour")
    array(['red', 'blue', 'red'], dtype='<U4')
    >>> to_enum_array(["red", "green"], Colour, "colour")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `colour` must be one of 'red', 'blue' (index 1: 'green').
    """
    if not isinstance(values, np.ndarray):
        items = cast("Iterable[object]", values)
        values = np.array([v.value if isinstance(v, enum.Enum) else v for v in items], dtype=object)
    raw = as_1d(values, name)
    lookup: dict[str, str] = {}
    for member in enum_type:
        lookup[str(member.value).lower()] = str(member.value)
        lookup[member.name.lower()] = str(member.value)
    canonical = np.array(sorted({str(m.value) for m in enum_type}))
    text = raw.astype(np.str_) if raw.size else raw.astype("<U1")
    ok = np.isin(text, canonical)
    if ok.all():
        return np.ascontiguousarray(text)
    uniques, inverse = np.unique(text, return_inverse=True)
    mapped = np.array([lookup.get(u.strip().lower(), "") for u in uniques], dtype=np.str_)
    result = mapped[inverse]
    bad = result == ""
    if bad.any():
        i = first_true(bad)
        options = ", ".join(repr(m.value) for m in enum_type)
        msg = f"`{name}` must be one of {options} ({label} {i}: {fmt(raw[i])})."
        raise InvalidInputError(msg)
    return np.ascontiguousarray(result)
