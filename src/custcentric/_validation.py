"""Input checks shared by every public function.

Each check raises :class:`~custcentric.exceptions.InvalidInputError` with a message that
names the argument, the rule, and the first offending index and value, e.g.
``"`recency` must not exceed `T` (index 17: 41.0 > 39.0)."``. Public functions call these
once at their edge; numerical kernels below them never re-check.

Every rule is checked on the values as passed, before any cast, so no NumPy warning leaks out
and no value is converted silently:

* numbers: booleans and complex values are refused, and so is a scalar option given as text
  (``"3"``); integers must fit in int64;
* text and ids: missing markers (None, NaN, ``pandas.NA``, NaT) and empty strings are refused,
  and so is text longer than :data:`MAX_TEXT_LENGTH` characters, found before a fixed-width
  array is built;
* timestamps: time-zone-aware values are refused (convert them to naive UTC or local time
  first), and so is a part finer than the target unit (e.g. sub-second for seconds).

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
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray, StrArray

__all__ = [
    "MAX_TEXT_LENGTH",
    "as_1d",
    "as_datetime_array",
    "as_float_array",
    "as_int_array",
    "as_rng",
    "as_str_array",
    "as_text_input",
    "check_confidence_level",
    "check_equal_length",
    "check_in_range",
    "check_not_greater",
    "check_number",
    "check_text_values",
    "field_mapping",
    "first_true",
    "fmt",
    "is_missing",
    "to_enum",
    "to_enum_array",
]

E = TypeVar("E", bound=enum.Enum)

#: The longest text value (in characters) accepted in a text or id column. Text columns are
#: stored as fixed-width unicode arrays, where every row takes the width of the longest value,
#: so one huge value would make the whole column allocate ``n * 4 * length`` bytes.
MAX_TEXT_LENGTH = 10_000

_INT64_MAX = np.iinfo(np.int64).max
# The smallest float above int64's range: 2**63 is exact as a float, every float below it fits.
_INT64_LIMIT = float(2**63)
_MISSING_TEXT = ("None", "nan", "NaN", "<NA>", "NaT")
_EXACT_UNITS = frozenset({"s", "ms", "us", "ns"})


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
            raw = _object_to_float(raw, name, label)
        elif raw.dtype.kind == "b":
            msg = (
                f"`{name}` must hold numbers (got dtype bool). Booleans are refused rather than "
                "read as 0 and 1; convert them explicitly if that is meant."
            )
            raise InvalidInputError(msg)
        elif raw.dtype.kind == "c":
            msg = (
                f"`{name}` must hold real numbers (got dtype {raw.dtype}); complex values are "
                "refused rather than losing their imaginary part."
            )
            raise InvalidInputError(msg)
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
    if value is None or isinstance(value, _NOT_NUMBERS):
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False
    return True


# Python's ``float()`` accepts these, but a number must not arrive as one: booleans are not
# read as 0 and 1, text is not parsed (``"1.5"`` is a column read without conversion, and a
# silent parse would make an object array behave unlike a text array), complex values would
# lose their imaginary part.
_NOT_NUMBERS = (bool, np.bool_, str, bytes, complex, np.complexfloating)

_IS_MISSING = np.frompyfunc(lambda value: is_missing(value), 1, 1)


def _object_to_float(raw: NDArray[Any], name: str, label: str) -> FloatArray:
    """Convert an object array to float64, refusing None, booleans, text, complex, non-numbers.

    One pass over the element types finds what the cast would convert silently (``"1.5"``,
    ``True``, ``None``); only then is the first such element looked for.
    """
    floats: FloatArray | None
    try:
        with warnings.catch_warnings():
            # A complex object would cast with a ComplexWarning; make it an error to catch.
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            floats = raw.astype(np.float64)
    except (TypeError, ValueError, OverflowError, np.exceptions.ComplexWarning):
        floats = None
    if floats is not None:
        types = set(map(type, raw.tolist()))
        if not any(t is type(None) or issubclass(t, _NOT_NUMBERS) for t in types):
            return floats
    bad = next((i for i, v in enumerate(raw) if not _is_number(v)), None)
    if bad is None:  # pragma: no cover - every element converts, so the cast did too
        msg = f"`{name}` must hold numbers (got an object array that does not convert)."
        raise InvalidInputError(msg)
    value = raw[bad]
    if isinstance(value, complex | np.complexfloating):
        raise _fail(name, "hold real numbers, not complex ones", bad, value, label)
    if isinstance(value, int) and not isinstance(value, bool):  # beyond float64's range
        digits = int(value.bit_length() * math.log10(2)) + 1
        msg = f"`{name}` must lie within the float64 range ({label} {bad}: {digits} digits)."
        raise InvalidInputError(msg)
    raise _fail(name, "hold numbers", bad, value, label)


def as_int_array(
    values: ArrayLike,
    name: str,
    *,
    non_negative: bool = False,
    label: str = "index",
) -> IntArray:
    """Return a 1-D int64 array; floats are accepted only when they hold whole numbers.

    Every check runs on the values as passed, before any cast, so a message always shows a
    value the caller gave (never the wrapped-around result of an overflowing cast).

    Parameters
    ----------
    values : array_like
        Integers, or floats holding whole numbers (booleans, strings and complex refused).
    name : str
        The argument's name, used in messages.
    non_negative : bool
        Require ``values >= 0``.
    label : str
        The noun for an index in messages, e.g. ``"customer"``.

    Raises
    ------
    InvalidInputError
        For a non-numeric input, NaN or infinity, a fraction, a value outside the int64 range
        (``-2**63 <= value < 2**63``, unsigned values included), or a negative value when
        ``non_negative``; the message names the first offending index and value.

    Examples
    --------
    >>> as_int_array([1.0, 2.5], "frequency")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `frequency` must hold whole numbers (index 1: 2.5).
    >>> as_int_array([1.0, 1e308], "frequency")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `frequency` must lie within the int64 range (index 1: 1e+308).
    """
    raw = as_1d(values, name)
    if raw.dtype.kind == "u" and raw.dtype.itemsize >= 8:
        too_big = raw > _INT64_MAX
        if too_big.any():
            i = first_true(too_big)
            raise _fail(name, "lie within the int64 range", i, raw[i], label)
    if raw.dtype.kind in "iu":
        array = raw.astype(np.int64, copy=False)
    else:
        floats = as_float_array(raw, name, label=label)
        # Range first (NaN and infinity are already refused): a cast outside int64 is undefined.
        outside = (floats < -_INT64_LIMIT) | (floats >= _INT64_LIMIT)
        bad_mask = outside | (floats != np.round(floats))
        if bad_mask.any():
            i = first_true(bad_mask)
            rule = "lie within the int64 range" if outside[i] else "hold whole numbers"
            raise _fail(name, rule, i, raw[i], label)
        array = floats.astype(np.int64)
    if non_negative:
        bad_mask = array < 0
        if bad_mask.any():
            i = first_true(bad_mask)
            raise _fail(name, "be non-negative", i, array[i], label)
    return np.ascontiguousarray(array)


def is_missing(value: object) -> bool:
    """Tell whether one object is a missing-value marker: None, NaN, ``pandas.NA`` or NaT.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "nan", 0)]
    [True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA: its comparison is NA, whose truth is an error
        return True


def as_text_input(values: ArrayLike, name: str) -> NDArray[Any]:
    """Return ``values`` as a 1-D array without building a fixed-width array from a list.

    ``np.asarray`` on a list of strings makes every row as wide as the longest one, so lists
    and tuples become object arrays here and their lengths are checked before any widening.
    """
    if isinstance(values, list | tuple):
        values = np.array(values, dtype=object)
    return as_1d(values, name)


def check_text_values(raw: NDArray[Any], name: str, *, label: str = "index") -> None:
    """Refuse missing values and values longer than :data:`MAX_TEXT_LENGTH` in a text column.

    Works on object arrays through NumPy's variable-width string dtype, so a long value is
    found before it widens a fixed-width array; fixed-width input is checked only when its
    width exceeds the bound.

    Examples
    --------
    >>> import numpy as np
    >>> check_text_values(np.array(["a", None], dtype=object), "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must not hold missing values (index 1: None).
    >>> check_text_values(np.array(["a", "b" * 20_000], dtype=object), "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must hold text of at most 10000 characters (index 1: 20000 characters).
    """
    if not raw.size:
        return
    kind = raw.dtype.kind
    if kind == "f":
        nan = np.isnan(raw)
        if nan.any():
            i = first_true(nan)
            raise _fail(name, "not hold missing values", i, raw[i], label)
        return
    if kind in "mM":
        nat = np.isnat(raw)
        if nat.any():
            i = first_true(nat)
            raise _fail(name, "not hold missing values", i, raw[i], label)
        return
    if kind == "O":
        text = raw.astype(np.dtypes.StringDType())
        # Missing markers print as one of a few words; only those rows are looked at closely.
        suspects = np.flatnonzero(np.isin(text, _MISSING_TEXT))
        if suspects.size:
            missing = _IS_MISSING(raw[suspects]).astype(bool)
            if missing.any():
                i = int(suspects[first_true(missing)])
                raise _fail(name, "not hold missing values", i, raw[i], label)
    elif kind == "U" and raw.dtype.itemsize // 4 > MAX_TEXT_LENGTH:
        text = raw
    else:
        return
    lengths = np.strings.str_len(text)
    too_long = lengths > MAX_TEXT_LENGTH
    if too_long.any():
        i = first_true(too_long)
        msg = (
            f"`{name}` must hold text of at most {MAX_TEXT_LENGTH} characters "
            f"({label} {i}: {int(lengths[i])} characters)."
        )
        raise InvalidInputError(msg)


def as_str_array(values: ArrayLike, name: str, *, label: str = "index") -> StrArray:
    """Return a 1-D unicode array; missing values, empty and over-long strings are refused.

    Parameters
    ----------
    values : array_like
        Text (numbers are written as text).
    name : str
        The argument's name, used in messages.
    label : str
        The noun for an index in messages.

    Raises
    ------
    InvalidInputError
        For a missing value (None, NaN, ``pandas.NA``, NaT), an empty string, or a string
        longer than :data:`MAX_TEXT_LENGTH` characters (checked before the fixed-width array
        is built); the message names the first offending index.

    Examples
    --------
    >>> as_str_array(["a", "b"], "customer_id")
    array(['a', 'b'], dtype='<U1')
    >>> as_str_array(["a", float("nan")], "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must not hold missing values (index 1: nan).
    """
    raw = as_text_input(values, name)
    check_text_values(raw, name, label=label)
    array = raw.astype(np.str_) if raw.dtype.kind != "U" else raw
    if array.size:
        empty = np.strings.str_len(array) == 0
        if empty.any():
            i = first_true(empty)
            raise _fail(name, "not hold empty strings", i, "", label)
    return np.ascontiguousarray(array)


_TZ_RULE = (
    "hold time-zone-naive timestamps; convert aware values to naive UTC (or local) time first"
)


def as_datetime_array(
    values: ArrayLike,
    name: str,
    *,
    unit: str = "s",
    label: str = "index",
) -> DatetimeArray:
    """Return a 1-D ``datetime64[unit]`` array; NaT, unparsable and aware values are refused.

    Time zones: values that carry one (an ISO 8601 string ending in ``Z`` or an offset such
    as ``+02:00``, or an aware :class:`datetime.datetime`) are refused rather than converted
    to UTC silently; convert them to naive UTC or local time first. Precision: with a unit of
    seconds or finer, a value with a part finer than ``unit`` (e.g. ``12:00:00.5`` for
    seconds) is refused rather than truncated. Calendar units (``"D"``) truncate as before.

    Parameters
    ----------
    values : array_like
        ``datetime64`` values, ISO 8601 strings, or :class:`datetime.datetime` objects.
    name : str
        The argument's name, used in messages.
    unit : str
        The NumPy unit of the result.
    label : str
        The noun for an index in messages.

    Raises
    ------
    InvalidInputError
        For numbers, unparsable strings, NaT, a time zone, or a sub-unit part; the message
        names the first offending index and value.

    Examples
    --------
    >>> as_datetime_array(["2026-01-02", "2026-01-03T12:00"], "timestamp")
    array(['2026-01-02T00:00:00', '2026-01-03T12:00:00'], dtype='datetime64[s]')
    >>> as_datetime_array(["2026-01-02T10:00Z"], "timestamp")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `timestamp` must hold time-zone-naive timestamps; convert aware values to naive UTC (or local) time first (index 0: '2026-01-02T10:00Z').
    >>> as_datetime_array(["2026-01-02T10:00:00.25"], "timestamp")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `timestamp` must not have a part finer than whole s, which would be truncated (index 0: '2026-01-02T10:00:00.25').
    """
    raw = as_1d(values, name)
    if raw.dtype.kind == "M":
        parsed = raw
    else:
        if raw.dtype.kind in "iufcb":
            msg = (
                f"`{name}` must hold datetime64 values or ISO 8601 strings (got dtype {raw.dtype})."
            )
            raise InvalidInputError(msg)
        parsed = _parse_datetimes(raw, name, unit, label)
    missing = np.isnat(parsed)
    if missing.any():
        i = first_true(missing)
        raise _fail(name, "not hold missing timestamps (NaT)", i, raw[i], label)
    array = parsed.astype(f"datetime64[{unit}]")
    if unit in _EXACT_UNITS:
        truncated = array != parsed
        if truncated.any():
            i = first_true(truncated)
            rule = f"not have a part finer than whole {unit}, which would be truncated"
            raise _fail(name, rule, i, raw[i], label)
    return np.ascontiguousarray(array)


def _parse_datetimes(raw: NDArray[Any], name: str, unit: str, label: str) -> NDArray[np.datetime64]:
    """Parse strings or objects at their own precision, refusing time zones and bad text."""
    fast = raw.dtype.kind == "U" and unit in _EXACT_UNITS
    try:
        with warnings.catch_warnings():
            # NumPy parses an offset or an aware datetime to UTC with a warning; make that an
            # error here, then find the value.
            warnings.simplefilter("error")
            if not fast:
                return raw.astype("datetime64")
            # Fixed-width text: parsing at the target unit is twice as fast as letting NumPy
            # pick one; only strings with a fraction can lose a part, so parse those exactly.
            parsed = raw.astype(f"datetime64[{unit}]")
            with_fraction = np.flatnonzero(np.strings.find(raw, ".") >= 0)
            exact = raw[with_fraction].astype("datetime64")
    except (TypeError, ValueError, Warning):
        pass
    else:
        truncated = exact != parsed[with_fraction]
        if truncated.any():
            i = int(with_fraction[first_true(truncated)])
            rule = f"not have a part finer than whole {unit}, which would be truncated"
            raise _fail(name, rule, i, raw[i], label)
        return parsed
    for i, value in enumerate(raw):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                np.datetime64(value if not isinstance(value, str | np.str_) else str(value))
        except Warning:
            raise _fail(name, _TZ_RULE, i, value, label) from None
        except (TypeError, ValueError):
            raise _fail(name, "hold ISO 8601 timestamps", i, value, label) from None
    raise AssertionError(
        "unreachable: every element parsed, so the array did too"
    )  # pragma: no cover


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

    Text is refused rather than parsed: a number that arrives as a string is almost always
    a column read without conversion.

    >>> check_number("3", "n_clusters")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `n_clusters` must be a real number (got '3').
    """
    if isinstance(value, str | bytes | np.str_ | np.bytes_):
        raise _fail(name, "be a real number", None, value, "index")
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "US":
        raise _fail(name, "be a real number", None, value.item(), "index")
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


def as_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from a seed, a generator or None.

    Accepted: None (fresh entropy), a whole number at least 0 (an ``int`` or a NumPy integer;
    a float is refused even when whole, as a seed that arrives as a float is usually a
    mistake), a :class:`numpy.random.SeedSequence`, a :class:`numpy.random.BitGenerator` or a
    :class:`numpy.random.Generator` (returned as is, so its stream is shared).

    Parameters
    ----------
    rng : object
        What the caller passed as ``rng``.
    name : str, default "rng"
        The argument's name, used in messages.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    InvalidInputError
        For anything else, naming ``name``: a negative, fractional, NaN, infinite, complex,
        boolean or text value, or a sequence.

    Examples
    --------
    >>> import numpy as np
    >>> bool(as_rng(0).integers(10) == np.random.default_rng(0).integers(10))
    True
    >>> as_rng(-1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `rng` must be None, a whole-number seed at least 0, a SeedSequence or a Generator (got -1).
    >>> as_rng(1.5)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `rng` must be None, a whole-number seed at least 0, a SeedSequence or a Generator (got 1.5).
    """
    if rng is None or isinstance(
        rng, np.random.Generator | np.random.SeedSequence | np.random.BitGenerator
    ):
        return np.random.default_rng(rng)
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool | np.bool_) and rng >= 0:
        return np.random.default_rng(int(rng))
    rule = "be None, a whole-number seed at least 0, a SeedSequence or a Generator"
    raise _fail(name, rule, None, rng, "index")


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


def field_mapping(mapping: Mapping[str, str], fields: Sequence[str]) -> dict[str, str]:
    """Return a ``columns`` mapping as field -> header, accepting header -> field too.

    The reverse (pandas ``rename``) direction is taken when some keys are not field names,
    all values are distinct field names, and no key is a field name: then it cannot mean
    anything else.
    """
    known = set(fields)
    keys, values = set(mapping), list(mapping.values())
    if keys <= known:
        return dict(mapping)
    if (
        all(isinstance(v, str) for v in values)
        and set(values) <= known
        and len(set(values)) == len(values)
        and not keys & known
    ):
        return {field: header for header, field in mapping.items()}
    options = ", ".join(repr(f) for f in fields)
    wrong = sorted(keys - known)[0]
    msg = (
        f"`columns` maps field names to headers, so its keys must be among {options} "
        f"(got {wrong!r}); the reverse direction (header -> field) is accepted when all "
        "values are distinct field names."
    )
    raise InvalidInputError(msg)
