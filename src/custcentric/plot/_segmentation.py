"""Segmentation pictures: the Lorenz curve, value tiers, RFM segments and migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from custcentric.exceptions import InvalidInputError
from custcentric.plot._heatmap import annotated_heatmap
from custcentric.plot._style import colour, finish, new_axes, require, thin, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.segmentation import Concentration, MigrationModel, Segmentation, ValueTiers
    from custcentric.value import RFMScores

__all__ = ["lorenz_curve", "migration_matrix", "rfm_grid", "rfm_segments", "value_tiers"]


def lorenz_curve(
    result: Concentration,
    ax: Axes | None = None,
    *,
    top: float = 0.2,
    max_points: int = 2000,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the Lorenz curve of value, the line of equality, the Gini and the top-share point.

    Parameters
    ----------
    result : Concentration
        From :func:`custcentric.segmentation.concentration`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    top : float, default 0.2
        The share of customers whose share of value is marked (the Pareto point).
    max_points : int, default 2000
        The most points of the curve drawn: a larger base is thinned evenly (both ends
        kept), which a picture cannot tell apart.
    title : str, optional
        The title; by default it names the Gini coefficient.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        The first line is the curve (``get_xdata()`` the customer shares,
        ``get_ydata()`` the value shares).

    Examples
    --------
    >>> from custcentric.plot import lorenz_curve
    >>> from custcentric.segmentation import concentration
    >>> ax = lorenz_curve(concentration([1, 2, 3, 4, 10]))
    >>> ax.get_title()
    'Lorenz curve of value (Gini 0.40)'
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 0.05, 0.15, 0.3, 0.5, 1.0]
    """
    require(result, "segmentation", "Concentration", "result")
    ax = new_axes(ax, figsize or (5.0, 4.6))
    keep = thin(result.lorenz_x.size, max_points)
    x, y = result.lorenz_x[keep], result.lorenz_y[keep]
    ax.plot(x, y, color=colour(0), linewidth=2, label="Lorenz curve")
    ax.plot([0, 1], [0, 1], color="0.45", linestyle="--", linewidth=1, label="equal shares")
    ax.fill_between(x, y, x, color=colour(0), alpha=0.15, linewidth=0)
    share = result.top_share(top)
    ax.plot([1 - top], [1 - share], "o", color=colour(3), markersize=7)
    ax.annotate(
        f"top {100 * top:g} % of customers\nhold {100 * share:.1f} % of value",
        xy=(1 - top, 1 - share),
        xytext=(0.08, 0.72),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": "0.3"},
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    _percent_axes(ax, "xy")
    ax.legend(loc="upper left", frameon=False)
    return finish(
        ax,
        title=title,
        default_title=f"Lorenz curve of value (Gini {result.gini:.2f})",
        xlabel="Customers, lowest value first (cumulative %)",
        ylabel="Value they hold (cumulative %)",
    )


def value_tiers(
    result: ValueTiers,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each value tier's share of customers beside its share of value.

    Parameters
    ----------
    result : ValueTiers
        From :func:`custcentric.segmentation.value_tiers` or
        :func:`~custcentric.segmentation.abc_classes`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        Two bar containers: customer shares, then value shares, tier by tier.

    Examples
    --------
    >>> from custcentric.plot import value_tiers
    >>> from custcentric.segmentation import value_tiers as tiers_of
    >>> ax = value_tiers(tiers_of([50, 10, 5, 400, 20, 1, 3, 80, 2, 30]))
    >>> [round(float(p.get_height()), 2) for p in ax.containers[1]]
    [0.8, 0.17, 0.03]
    """
    require(result, "segmentation", "ValueTiers", "result")
    ax = new_axes(ax, figsize)
    position = np.arange(len(result.names), dtype=np.float64)
    width = 0.38
    shares = (
        ("customers", result.customer_share, colour(5)),
        ("value", result.value_share, colour(0)),
    )
    for k, (label, values, shade) in enumerate(shares):
        bars = ax.bar(
            position + (k - 0.5) * width, values, width, label=f"share of {label}", color=shade
        )
        ax.bar_label(bars, labels=[f"{100 * v:.0f} %" for v in values], padding=2, fontsize=8)
    ax.set_xticks(position, list(result.names))
    ax.set_ylim(0, max(1.0, float(np.max(result.value_share)) * 1.1))
    _percent_axes(ax, "y")
    ax.legend(frameon=False)
    return finish(
        ax,
        title=title,
        default_title="Value tiers: share of customers and share of value",
        xlabel="Value tier (most valuable first)",
        ylabel="Share (%)",
    )


def rfm_segments(
    result: Segmentation,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the number of customers in each segment, as horizontal bars in segment order.

    Parameters
    ----------
    result : Segmentation
        From :func:`custcentric.segmentation.rfm_segments` (or any segmentation).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One bar per segment, the first segment at the top.

    Examples
    --------
    >>> from custcentric.plot import rfm_segments
    >>> from custcentric.segmentation import Segmentation
    >>> seg = Segmentation.from_labels(["gold", "bronze", "gold"], order=["gold", "bronze"])
    >>> [float(p.get_width()) for p in rfm_segments(seg).patches]
    [2.0, 1.0]
    """
    require(result, "segmentation", "Segmentation", "result")
    sizes = np.asarray(result.sizes, dtype=np.float64)
    ax = new_axes(ax, figsize or (6.4, max(2.5, 0.32 * sizes.size + 1.2)))
    position = np.arange(sizes.size)
    bars = ax.barh(position, sizes, color=colour(0))
    total = float(sizes.sum())
    ax.bar_label(bars, labels=[f"{100 * s / total:.0f} %" for s in sizes], padding=2, fontsize=8)
    ax.set_yticks(position, list(result.names))
    ax.invert_yaxis()
    ax.set_xlim(0, float(sizes.max()) * 1.15 if sizes.max() > 0 else 1.0)
    return finish(
        ax,
        title=title,
        default_title="Customers per segment",
        xlabel="Customers (count)",
        ylabel="Segment",
    )


def migration_matrix(
    result: MigrationModel,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw a migration model's transition probabilities as an annotated heatmap.

    Parameters
    ----------
    result : MigrationModel
        From :meth:`custcentric.segmentation.MigrationModel.fit` or ``from_matrix``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        The image (``ax.images[0].get_array()``) is the transition matrix, rows the state
        this period.

    Examples
    --------
    >>> from custcentric.plot import migration_matrix
    >>> from custcentric.segmentation import MigrationModel
    >>> model = MigrationModel.from_matrix([[0.9, 0.1], [0.3, 0.7]], states=["active", "lapsed"])
    >>> migration_matrix(model).images[0].get_array().tolist()
    [[0.9, 0.1], [0.3, 0.7]]
    """
    require(result, "segmentation", "MigrationModel", "result")
    n = len(result.states)
    ax = new_axes(ax, figsize or (1.1 * n + 2.6, 0.9 * n + 1.8))
    annotated_heatmap(
        ax,
        np.asarray(result.transition_matrix, dtype=np.float64),
        rows=result.states,
        columns=result.states,
        text=[[f"{100 * v:.0f} %" for v in row] for row in result.transition_matrix.tolist()],
        vmin=0.0,
        vmax=1.0,
        colorbar_label="Probability of moving (share)",
    )
    return finish(
        ax,
        title=title,
        default_title="Customer migration over one period",
        xlabel="State next period",
        ylabel="State this period",
    )


def _percent_axes(ax: Axes, which: str) -> None:
    """Show the shares on ``which`` axes ("x", "y" or "xy") as percentages."""
    from matplotlib.ticker import PercentFormatter

    if "x" in which:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    if "y" in which:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))


def rfm_grid(
    scores: RFMScores,
    segments: Segmentation | None = None,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the R × F grid: customers per recency and frequency score, named by segment.

    Parameters
    ----------
    scores : RFMScores
        From :func:`custcentric.value.rfm_scores`.
    segments : Segmentation, optional
        The customers' segments in the same order (e.g. ``rfm_segments(scores)``); each cell
        is labelled with its most common segment.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()[f - 1, r - 1]`` counts the customers with frequency score
        ``f`` and recency score ``r`` (the best scores at the top right).

    Examples
    --------
    >>> from custcentric.plot import rfm_grid
    >>> from custcentric.segmentation import rfm_segments
    >>> from custcentric.value import rfm_scores
    >>> scores = rfm_scores(time_since_last=[5, 40, 200, 10, 90, 300, 20, 60, 150, 30],
    ...                     frequency=[9, 3, 1, 6, 2, 1, 5, 2, 1, 4],
    ...                     monetary=[900, 120, 15, 400, 60, 20, 300, 80, 10, 200])
    >>> ax = rfm_grid(scores, rfm_segments(scores))
    >>> int(ax.images[0].get_array().sum()), ax.images[0].get_array().shape
    (10, (5, 5))
    """
    require(scores, "value", "RFMScores", "scores")
    n = int(scores.n_bins)
    r = np.asarray(scores.recency_score, dtype=np.int64) - 1
    f = np.asarray(scores.frequency_score, dtype=np.int64) - 1
    cell = f * n + r
    counts = np.bincount(cell, minlength=n * n).reshape(n, n).astype(np.float64)
    names = [["" for _ in range(n)] for _ in range(n)]
    if segments is not None:
        require(segments, "segmentation", "Segmentation", "segments")
        codes = np.asarray(segments.codes, dtype=np.int64)
        if codes.size != cell.size:
            msg = (
                f"`segments` must have one label per customer of `scores` "
                f"({codes.size} != {cell.size})."
            )
            raise InvalidInputError(msg)
        n_segments = len(segments.names)
        table = np.bincount(cell * n_segments + codes, minlength=n * n * n_segments)
        top = table.reshape(n * n, n_segments).argmax(axis=1)
        for k in np.flatnonzero(counts.ravel()):
            names[k // n][k % n] = wrap(str(segments.names[top[k]]), 12) + "\n"
    text = [[f"{names[i][j]}{int(counts[i, j]):,}" for j in range(n)] for i in range(n)]
    ax = new_axes(ax, figsize or (max(4.0, 0.9 * n + 1.8), max(3.2, 0.8 * n + 1.2)))
    annotated_heatmap(
        ax,
        counts,
        rows=[str(k) for k in range(1, n + 1)],
        columns=[str(k) for k in range(1, n + 1)],
        text=text,
        vmin=0.0,
        vmax=None,
        colorbar_label="Customers (count)",
    )
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelrotation=0)
    return finish(
        ax,
        title=title,
        default_title="Customers by recency and frequency score",
        xlabel=f"Recency score (1 to {n}, {n} = bought most recently)",
        ylabel=f"Frequency score (1 to {n}, {n} = buys most often)",
    )
