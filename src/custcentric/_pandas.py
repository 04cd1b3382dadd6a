"""Lazy pandas interop: import on demand, name the extra when pandas is missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from custcentric.exceptions import InvalidInputError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame_columns", "import_pandas", "make_frame"]


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
    mapping = dict(columns or {})
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
        series = frame[header]
        if str(series.dtype).startswith("datetime64"):
            values = series.to_numpy(dtype="datetime64[ns]")
        elif series.dtype.kind == "O" or str(series.dtype) in ("string", "str"):
            values = np.array(series.to_numpy(dtype=object), dtype=object)
        else:
            values = series.to_numpy()
        out[field] = values
    return out
