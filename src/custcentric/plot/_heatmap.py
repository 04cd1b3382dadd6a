"""An annotated heatmap, the shape several pictures share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from custcentric.plot._style import sequential_cmap
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["annotated_heatmap"]


def annotated_heatmap(
    ax: Axes,
    values: FloatArray,
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    text: Sequence[Sequence[str]] | None,
    vmin: float | None,
    vmax: float | None,
    colorbar_label: str,
    cmap: str | None = None,
) -> None:
    """Draw ``values`` (rows × columns) with a colour bar and, optionally, a text per cell.

    NaN cells are left blank. The text is dark on light cells and light on dark ones.
    """
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=cmap or sequential_cmap(),
        vmin=vmin,
        vmax=vmax,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(np.arange(len(columns)), list(columns), rotation=30, ha="right")
    ax.set_yticks(np.arange(len(rows)), list(rows))
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.9)
    bar.set_label(colorbar_label)
    if text is None:
        return
    low = float(np.nanmin(values)) if vmin is None else vmin
    high = float(np.nanmax(values)) if vmax is None else vmax
    middle = (low + high) / 2
    for i, row in enumerate(text):
        for j, label in enumerate(row):
            if label and np.isfinite(values[i, j]):
                shade = "black" if values[i, j] > middle else "white"
                ax.text(j, i, label, ha="center", va="center", color=shade, fontsize=8)
