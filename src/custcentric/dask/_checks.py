"""Column, dtype and value checks of Dask partitions, naming the partition and the row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from custcentric._validation import fmt
from custcentric.exceptions import InvalidInputError

__all__ = ["Kind", "check_meta", "check_partition", "column_mapping"]

Kind = Literal["id", "text", "timestamp", "amount"]

_WANTED: dict[str, str] = {
    "id": "int64 ids or text",
    "text": "text",
    "timestamp": "time-zone-naive datetime64",
    "amount": "numbers",
}


def column_mapping(
    fields: Sequence[str], columns: Mapping[str, str] | None, available: Sequence[str]
) -> dict[str, str]:
    """Map each field to its frame column; ``columns`` may be given in either direction."""
    mapping = {field: field for field in fields}
    for key, value in (columns or {}).items():
        if key in mapping:
            mapping[key] = value
        elif value in mapping:
            mapping[value] = key
        else:
            listed = ", ".join(repr(f) for f in fields)
            msg = f"`columns` must map the fields {listed} to frame columns (got {key!r})."
            raise InvalidInputError(msg)
    missing = [f for f in fields if mapping[f] not in available]
    if missing:
        field = missing[0]
        listed = ", ".join(repr(c) for c in available)
        msg = f"`frame` must have a column {mapping[field]!r} for `{field}` (available: {listed})."
        raise InvalidInputError(msg)
    return mapping


def _dtype_ok(dtype: Any, kind: Kind) -> bool:
    numpy_kind = getattr(dtype, "kind", "O")
    if getattr(dtype, "tz", None) is not None:
        return False
    stringy = numpy_kind in "OU" or str(dtype) in ("string", "str") or "string" in str(dtype)
    if kind == "id":
        return numpy_kind in "iu" or stringy
    if kind == "text":
        return stringy
    if kind == "timestamp":
        return numpy_kind == "M"
    return numpy_kind in "iuf"


def _dtype_error(field: str, header: str, dtype: Any, kind: Kind, where: str) -> InvalidInputError:
    named = f"`{field}`" if field == header else f"`{field}` (column {header!r})"
    return InvalidInputError(f"{named} must hold {_WANTED[kind]} ({where}: dtype {dtype}).")


def check_meta(meta: Any, spec: Mapping[str, Kind], mapping: Mapping[str, str]) -> None:
    """Check the declared dtypes of a frame's columns (no data read)."""
    for field, kind in spec.items():
        header = mapping[field]
        dtype = meta[header].dtype
        if not _dtype_ok(dtype, kind):
            raise _dtype_error(field, header, dtype, kind, "the frame's metadata")


def check_partition(
    part: Any, spec: Mapping[str, Kind], mapping: Mapping[str, str], number: int
) -> None:
    """Check one partition's columns and values; the message names the partition and row."""
    available = [str(c) for c in part.columns]
    for field, kind in spec.items():
        header = mapping[field]
        named = f"`{field}`" if field == header else f"`{field}` (column {header!r})"
        if header not in available:
            msg = f"{named} is missing from partition {number} (columns: {available})."
            raise InvalidInputError(msg)
        series = part[header]
        if not _dtype_ok(series.dtype, kind):
            raise _dtype_error(field, header, series.dtype, kind, f"partition {number}")
        if not len(series):
            continue
        missing = series.isna().to_numpy()
        if missing.any():
            row = int(np.argmax(missing))
            what = "NaT" if kind == "timestamp" else fmt(series.iloc[row])
            msg = f"{named} must not be missing (partition {number}, row {row}: {what})."
            raise InvalidInputError(msg)
        if kind in ("id", "text") and series.dtype.kind not in "iu":
            empty = (series.astype(str).str.strip() == "").to_numpy()
            if empty.any():
                row = int(np.argmax(empty))
                msg = (
                    f"{named} must be non-empty text (partition {number}, row {row}: "
                    f"{fmt(series.iloc[row])})."
                )
                raise InvalidInputError(msg)
        if kind == "amount":
            values = series.to_numpy(dtype=np.float64)
            for bad, rule in ((~np.isfinite(values), "finite"), (values < 0, "non-negative")):
                if bad.any():
                    row = int(np.argmax(bad))
                    msg = (
                        f"{named} must be {rule} (partition {number}, row {row}: "
                        f"{fmt(values[row])})."
                    )
                    raise InvalidInputError(msg)
