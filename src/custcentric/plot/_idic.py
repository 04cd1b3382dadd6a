"""IDIC pictures: the value × needs differentiation matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from custcentric.plot._heatmap import annotated_heatmap
from custcentric.plot._style import finish, new_axes, require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.idic import Differentiation

__all__ = ["differentiation_matrix"]


def differentiation_matrix(
    result: Differentiation,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the value × needs matrix: each cell's share of value, with its customers.

    Parameters
    ----------
    result : Differentiation
        From :func:`custcentric.idic.differentiate`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title; by default it names the strategy the base calls for.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` is ``value_share`` (rows: value tiers, most valuable
        first; columns: needs segments); each cell's text gives the share and the count.

    Examples
    --------
    >>> from custcentric.idic import differentiate
    >>> from custcentric.plot import differentiation_matrix
    >>> d = differentiate([90, 50, 10, 8, 5, 4, 3, 2, 1, -1], list("aabbabbaab"))
    >>> ax = differentiation_matrix(d)
    >>> ax.texts[0].get_text().splitlines()
    ['81 %', '2 customers']
    """
    require(result, "idic", "Differentiation", "result")
    share = np.asarray(result.value_share, dtype=np.float64)
    counts = np.asarray(result.counts)
    rows, columns = share.shape
    ax = new_axes(ax, figsize or (max(5.0, 1.5 * columns + 2.5), 1.0 * rows + 2.2))
    text = [
        [f"{100 * share[i, j]:.0f} %\n{int(counts[i, j]):,} customers" for j in range(columns)]
        for i in range(rows)
    ]
    annotated_heatmap(
        ax,
        share,
        rows=[str(t) for t in result.tier_labels.tolist()],
        columns=[str(n) for n in result.needs_labels.tolist()],
        text=text,
        vmin=0.0,
        vmax=float(share.max()) if share.size and share.max() > 0 else 1.0,
        colorbar_label="Share of total value",
    )
    return finish(
        ax,
        title=title,
        default_title=f"Value x needs: {result.strategy}",
        xlabel="Needs segment",
        ylabel="Value tier (most valuable first)",
    )
