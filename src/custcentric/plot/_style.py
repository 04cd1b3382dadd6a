"""Shared drawing helpers: the lazy matplotlib import, the palette and new axes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from custcentric.exceptions import InvalidInputError, MissingDependencyError
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "OKABE_ITO",
    "as_values",
    "colour",
    "finish",
    "import_matplotlib",
    "new_axes",
    "require",
    "sequential_cmap",
    "thin",
    "wrap",
]

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe–Ito palette, safe for the common colour-vision deficiencies."""

_MISSING = 'matplotlib is needed to draw; install it with `pip install "custcentric[plot]"`.'


def import_matplotlib() -> Any:
    """Return ``matplotlib`` or raise :class:`MissingDependencyError` naming the extra."""
    try:
        import matplotlib
    except ImportError:
        raise MissingDependencyError(_MISSING) from None
    return matplotlib


def colour(i: int) -> str:
    """Return the ``i``-th colour of the palette (cycling)."""
    return OKABE_ITO[i % len(OKABE_ITO)]


def sequential_cmap() -> str:
    """Return the name of the colour map used for heatmaps (perceptually uniform, CVD-safe)."""
    return "cividis"


def new_axes(
    ax: Axes | None, figsize: tuple[float, float] | None, *, projection: str | None = None
) -> Axes:
    """Return ``ax`` or the axes of a new figure of ``figsize`` inches (no global state changed).

    The new figure is made with ``matplotlib.figure.Figure``, not ``pyplot``, so that
    no figure is registered with pyplot and nothing needs closing.
    """
    if ax is not None:
        from matplotlib.axes import Axes as AxesType

        given: object = ax
        if not isinstance(given, AxesType):
            msg = f"`ax` must be a matplotlib Axes or None (got {type(given).__name__})."
            raise InvalidInputError(msg)
        if projection is not None and getattr(given, "name", None) != projection:
            msg = f"`ax` must be a {projection!r} Axes (got {getattr(given, 'name', '?')!r})."
            raise InvalidInputError(msg)
        return ax
    import_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize or (6.4, 4.0), layout="constrained")
    made: Axes = figure.add_subplot(projection=projection)
    return made


def finish(ax: Axes, *, title: str | None, default_title: str, xlabel: str, ylabel: str) -> Axes:
    """Label the axes and set the title (``title=""`` leaves it empty on purpose)."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(default_title if title is None else title)
    return ax


def require(obj: object, module: str, names: str | tuple[str, ...], argument: str) -> None:
    """Refuse ``obj`` unless it is an instance of ``custcentric.<module>.<name>`` (any of them)."""
    import importlib

    wanted = (names,) if isinstance(names, str) else names
    package = importlib.import_module(f"custcentric.{module}")
    if not isinstance(obj, tuple(getattr(package, name) for name in wanted)):
        listed = " or ".join(f"custcentric.{module}.{name}" for name in wanted)
        msg = f"`{argument}` must be a {listed} (got {type(obj).__name__})."
        raise InvalidInputError(msg)


def as_values(values: ArrayLike, name: str) -> FloatArray:
    """Return finite float values as a 1-d array (a PerCustomer gives its values)."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        msg = f"`{name}` must be a non-empty 1-d array of numbers (got shape {array.shape})."
        raise InvalidInputError(msg)
    bad = ~np.isfinite(array)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        msg = f"`{name}` must hold finite numbers (index {i}: {array[i]!r})."
        raise InvalidInputError(msg)
    return array


def thin(n: int, max_points: int) -> IntArray:
    """Return at most ``max_points`` indices of ``0 .. n-1``, evenly spread, both ends kept."""
    if max_points < 2:
        msg = f"`max_points` must be at least 2 (got {max_points!r})."
        raise InvalidInputError(msg)
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(np.int64))


def wrap(label: str, width: int = 26) -> str:
    """Break a long tick label over lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(label, width)) or label
