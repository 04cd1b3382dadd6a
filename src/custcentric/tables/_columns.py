"""Column checks shared by the tables: id columns, optional text, read-only storage."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._result import read_only
from custcentric._validation import (
    as_1d,
    as_datetime_array,
    as_int_array,
    as_str_array,
    as_text_input,
    check_text_values,
    first_true,
    fmt,
    is_missing,
)
from custcentric.exceptions import InvalidInputError

__all__ = [
    "as_id_array",
    "as_optional_text",
    "as_timestamps",
    "frozen",
    "read_only",
    "record_columns",
    "record_list",
    "scalar",
]

A = TypeVar("A", bound=NDArray[Any])


def frozen(array: A) -> A:
    """Return a read-only array with the values of ``array`` (see :func:`~custcentric._result.read_only`).

    An array that already owns its data and is read-only is shared; anything else is copied,
    so the caller's arrays are neither frozen nor able to change the table.
    """
    return cast(A, read_only(array))


def as_id_array(values: ArrayLike, name: str) -> NDArray[Any]:
    """Return ids as int64 when they are integers, else as a non-empty unicode array.

    Missing ids (None, NaN, ``pandas.NA``, NaT) are refused naming the row, also in a float
    column (where a missing integer id turns up as NaN); other float, complex and boolean
    columns are refused. Text ids longer than
    :data:`~custcentric._validation.MAX_TEXT_LENGTH` characters are refused before a
    fixed-width array is built.

    Examples
    --------
    >>> as_id_array([3, 1], "customer_id")
    array([3, 1])
    >>> as_id_array(["a", ""], "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must not hold empty strings (index 1: '').
    >>> as_id_array(["a", None], "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must not hold missing values (index 1: None).
    >>> as_id_array([1.0, float("nan")], "customer_id")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `customer_id` must not hold missing values (index 1: nan).
    """
    if isinstance(values, list | tuple):
        # Check text lengths on the objects first: ``np.asarray`` on a list of strings widens
        # every row to the longest one. Then infer the dtype as ``np.asarray`` does.
        check_text_values(as_text_input(values, name), name)
    raw = as_1d(values, name)
    if raw.dtype.kind in "iu" or (raw.size == 0 and raw.dtype.kind == "f"):
        return as_int_array(raw, name)
    if raw.dtype.kind == "f":
        nan = np.isnan(raw)
        if nan.any():
            i = first_true(nan)
            msg = f"`{name}` must not hold missing values (index {i}: {fmt(raw[i])})."
            raise InvalidInputError(msg)
    if raw.dtype.kind in "fcbmM":
        msg = f"`{name}` must hold integers or strings (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    if raw.dtype.kind == "O" and raw.size:
        is_int = np.fromiter(
            (isinstance(v, int | np.integer) and not isinstance(v, bool) for v in raw),
            dtype=bool,
            count=raw.size,
        )
        if is_int.all():
            return as_int_array(raw, name)
    return as_str_array(raw, name)


def as_timestamps(values: ArrayLike, name: str) -> NDArray[np.datetime64]:
    """Return ``datetime64[s]`` timestamps (an empty input of any dtype gives an empty array)."""
    raw = as_1d(values, name)
    if raw.size == 0:
        return np.empty(0, dtype="datetime64[s]")
    return as_datetime_array(raw, name)


def as_optional_text(values: ArrayLike | None, name: str, n: int) -> NDArray[np.str_]:
    """Return a unicode array where ``""`` means missing; all ``""`` if omitted.

    ``None``, NaN, ``pandas.NA`` and NaT mean missing too (never the text ``"nan"``). Values
    longer than :data:`~custcentric._validation.MAX_TEXT_LENGTH` characters are refused.

    Examples
    --------
    >>> as_optional_text(["gold", None, float("nan")], "segment", 3)
    array(['gold', '', ''], dtype='<U4')
    """
    if values is None:
        return np.full(n, "", dtype="<U1")
    raw = as_text_input(values, name)
    if raw.dtype.kind == "O":
        items = [v.value if isinstance(v, enum.Enum) else v for v in raw]
        objects = np.fromiter(
            ("" if is_missing(v) else v for v in items), dtype=object, count=len(items)
        )
        check_text_values(objects, name)
        raw = objects.astype(np.str_)
    elif raw.dtype.kind != "U":
        if raw.dtype.kind not in "S" and raw.size:
            msg = f"`{name}` must hold strings (got dtype {raw.dtype})."
            raise InvalidInputError(msg)
        raw = raw.astype(np.str_)
    else:
        check_text_values(raw, name)
    if raw.size == 0:
        raw = raw.astype("<U1")
    return np.ascontiguousarray(raw)


def scalar(value: Any) -> Any:
    """Return a NumPy scalar as the matching Python object (datetime64 stays datetime64)."""
    if isinstance(value, np.datetime64):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def record_list(records: object, name: str = "records") -> list[Any]:
    """Return the records as a list, refusing what is not a sequence of records.

    None, text, a single mapping and a multi-dimensional array are refused naming ``name``
    (a list is expected, and a mapping passed alone is almost always a missing ``[...]``).

    Examples
    --------
    >>> record_list({"customer_id": "c1"})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `records` must be a sequence of records, not one record (got a dict); wrap it in a list.
    """
    if isinstance(records, Mapping):
        msg = (
            f"`{name}` must be a sequence of records, not one record "
            f"(got a {type(records).__name__}); wrap it in a list."
        )
        raise InvalidInputError(msg)
    if isinstance(records, np.ndarray) and records.ndim != 1:
        msg = f"`{name}` must be a sequence of records (got an array of shape {records.shape})."
        raise InvalidInputError(msg)
    if records is None or isinstance(records, str | bytes) or not isinstance(records, Iterable):
        msg = f"`{name}` must be a sequence of records (got {fmt(records)[:80]})."
        raise InvalidInputError(msg)
    return list(records)


def record_columns(
    records: Iterable[object],
    fields: tuple[str, ...],
    *,
    required: tuple[str, ...],
    domain_type: type | None = None,
) -> dict[str, list[Any]]:
    """Turn mappings (or attrs domain values) into one list per field, naming a missing key."""
    columns: dict[str, list[Any]] = {f: [] for f in fields}
    for index, record in enumerate(records):
        if isinstance(record, Mapping):
            missing = [f for f in required if f not in record]
            if missing:
                msg = f"record {index} must have key `{missing[0]}` (got keys {sorted(record)})."
                raise InvalidInputError(msg)
        elif domain_type is not None and isinstance(record, domain_type):
            pass
        else:
            what = domain_type.__name__ if domain_type is not None else "mapping"
            msg = f"`records` must hold mappings or {what} values (index {index}: {fmt(record)})."
            raise InvalidInputError(msg)
        for f in fields:
            value = record.get(f) if isinstance(record, Mapping) else getattr(record, f, None)
            columns[f].append(value.value if isinstance(value, enum.Enum) else value)
    return columns
