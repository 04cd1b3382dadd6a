"""Lazy Dask import: the extra is named when dask is missing."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any

from custcentric.exceptions import InvalidInputError, MissingDependencyError

__all__ = ["check_frame", "compute_quietly", "dask_quietly", "import_dask"]

# pandas 3.1 deprecates ``inplace=`` (PDEP-8); dask 2026.8's parquet reader and writer still
# pass it, so computing a frame read by ``dd.read_parquet`` warns from inside dask.
_INPLACE = r"The inplace keyword in DataFrame\.\w+ is deprecated"

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


@contextlib.contextmanager
def dask_quietly() -> Iterator[None]:
    """Silence, while the library computes, only pandas' ``inplace`` deprecation raised in dask.

    The filter names the warning's category (``Pandas4Warning``, when pandas has it), its
    message and the module it is attributed to (``dask.*``); any other warning, and this one
    from the user's own code, still shows.

    Examples
    --------
    >>> import warnings
    >>> from custcentric.dask._deps import dask_quietly
    >>> with dask_quietly():
    ...     warnings.warn("something else")  # doctest: +SKIP
    """
    try:
        from pandas.errors import Pandas4Warning
    except ImportError:
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _INPLACE, Pandas4Warning, r"dask\.")
        yield


def compute_quietly(collection: Any, **compute_kwargs: Any) -> Any:
    """Return ``collection.compute(**compute_kwargs)`` under :func:`dask_quietly`."""
    with dask_quietly():
        return collection.compute(**compute_kwargs)
