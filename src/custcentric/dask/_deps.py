"""Lazy Dask import: the extra is named when dask is missing."""

from __future__ import annotations

from typing import Any

from custcentric.exceptions import InvalidInputError, MissingDependencyError

__all__ = ["check_frame", "import_dask"]

_HINT = 'install it with `pip install "custcentric[dask]"`'


def import_dask() -> Any:
    """Return ``dask.dataframe`` or raise :class:`MissingDependencyError` naming the extra."""
    try:
        import dask.dataframe
    except ImportError:
        msg = f"dask (with dask.dataframe and pyarrow) is needed for this; {_HINT}."
        raise MissingDependencyError(msg) from None
    return dask.dataframe


def check_frame(frame: object, name: str) -> Any:
    """Return ``frame`` if it is a Dask DataFrame, else raise :class:`InvalidInputError`."""
    dd = import_dask()
    if not isinstance(frame, dd.DataFrame):
        msg = f"`{name}` must be a dask.dataframe.DataFrame (got {type(frame).__name__})."
        raise InvalidInputError(msg)
    return frame
