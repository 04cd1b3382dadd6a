"""Lazy pandas interop: import on demand, name the extra when pandas is missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from custcentric._validation import field_mapping
from custcentric.exceptions import InvalidInputError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame_columns", "frame_other_columns", "import_pandas", "make_frame"]


def import_pandas() -> Any:
    """Return the pandas module or raise :class:`MissingDependencyError` naming the extra."""
    try:
        import pandas
    except ImportError:
        msg = 'pandas is needed for this; install it with `pip install "custcentric[pandas]"`.'
        raise MissingDependencyError(msg) from None
    return pandas


def make_frame(columns: Mapping[str, NDArray[Any] | None]) -> pd.DataFrame:
    """Build a DataFrame from the non-None columns (copies, so the frame is writable)."""
    pandas = import_pandas()
    frame: pd.DataFrame = pandas.DataFrame(
        {name: np.array(values) for name, values in columns.items() if values is not None}
    )
    return frame


def frame_columns(
    frame: Any,
    fields: Sequence[str],
    *,
    columns: Mapping[str, str] | None,
    required: Sequence[str],
) -> dict[str, NDArray[Any]]:
    """Pull the arrays of ``fields`` (mapped to frame columns by ``columns``) out of a frame."""
    import_pandas()
    mapping = field_mapping(columns or {}, fields)
    available = [str(c) for c in frame.columns]
    out: dict[str, NDArray[Any]] = {}
    for field in fields:
        header = mapping.get(field, field)
        if header not in available:
            if field in required:
                listed = ", ".join(repr(c) for c in available)
                msg = f"`frame` must have a column {header!r} for `{field}` (available: {listed})."
                raise InvalidInputError(msg)
            continue
        out[field] = _column_values(frame[header], field)
    return out


def frame_other_columns(
    frame: Any, fields: Sequence[str], *, columns: Mapping[str, str] | None
) -> dict[str, NDArray[Any]]:
    """Return the frame's columns that no field takes (``columns`` read either direction).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"ID": ["c1"], "region": ["north"]})
    >>> list(frame_other_columns(frame, ["customer_id"], columns={"ID": "customer_id"}))
    ['region']
    """
    import_pandas()
    mapping = field_mapping(columns or {}, fields)
    used = {mapping.get(field, field) for field in fields}
    return {str(c): frame[c].to_numpy() for c in frame.columns if str(c) not in used}


def _column_values(series: Any, field: str) -> NDArray[Any]:
    """Return one column as a NumPy array without a silent conversion.

    Time-zone-aware columns are refused (not shifted to UTC); naive datetime columns keep their
    own unit (so the checks downstream see any sub-second part, and no ``ns`` overflow); text
    columns become object arrays that keep pandas' missing markers (NaN, ``pandas.NA``), which
    the text checks refuse naming the row, instead of the text ``"nan"``.
    """
    dtype = series.dtype
    if getattr(dtype, "tz", None) is not None:
        present = series.notna().to_numpy()
        i = int(np.argmax(present)) if present.any() else 0
        msg = (
            f"`{field}` must hold time-zone-naive timestamps; convert aware values to naive "
            f"UTC (or local) time first, e.g. with `.dt.tz_convert(None)` "
            f"(index {i}: {series.iloc[i]!r})."
        )
        raise InvalidInputError(msg)
    if str(dtype).startswith("datetime64"):
        values: NDArray[Any] = series.to_numpy()
        return values
    if dtype.kind == "O" or str(dtype) in ("string", "str"):
        values = np.array(series.to_numpy(dtype=object), dtype=object)
        return values
    values = series.to_numpy()
    return values
