"""Maturity pictures: capability levels by department and area, the roadmap's waves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from custcentric.exceptions import InvalidInputError
from custcentric.plot._heatmap import annotated_heatmap
from custcentric.plot._style import colour, finish, new_axes, require
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.maturity import Assessment, Roadmap

__all__ = ["area_levels_by_rater", "maturity_heatmap", "maturity_radar", "roadmap_waves"]


def area_levels_by_rater(result: Assessment) -> tuple[tuple[str, ...], FloatArray]:
    """Return the areas rated and each rater's mean level per area (NaN where none rated).

    Returns
    -------
    (tuple of str, ndarray of float64, shape (n_raters, n_areas))
        The area values in catalogue order, and the means of ``rater_levels`` over the
        capabilities of each area the rater rated.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> result = assess(default_catalogue(), {"it": {"insight-01": 3, "insight-02": 2}})
    >>> areas, means = area_levels_by_rater(result)
    >>> areas, means.tolist()
    (('customer_insight',), [[2.5]])
    """
    area = np.array([a.value for a in result.areas])
    names = tuple(dict.fromkeys(area.tolist()))
    position = {name: k for k, name in enumerate(names)}
    column = np.array([position[a] for a in area.tolist()], dtype=np.int64)
    levels = np.asarray(result.rater_levels, dtype=np.float64)
    rated = levels >= 0
    n_raters = levels.shape[0]
    sums = np.zeros((n_raters, len(names)))
    counts = np.zeros((n_raters, len(names)))
    for k in range(len(names)):
        inside = column == k
        sums[:, k] = np.where(rated[:, inside], levels[:, inside], 0.0).sum(axis=1)
        counts[:, k] = rated[:, inside].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return names, means


def maturity_heatmap(
    result: Assessment,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each department's mean capability level per area: where they see the company.

    Parameters
    ----------
    result : Assessment
        From :func:`custcentric.maturity.assess`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title; by default it names the assessed stage.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` holds ``area_levels_by_rater`` (rows: raters).

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> from custcentric.plot import maturity_heatmap
    >>> ratings = {"sales": {"insight-01": 3, "strategy-01": 2}, "it": {"insight-01": 1}}
    >>> ax = maturity_heatmap(assess(default_catalogue(), ratings))
    >>> ax.images[0].get_array().tolist()
    [[2.0, 3.0], [None, 1.0]]
    """
    require(result, "maturity", "Assessment", "result")
    areas, means = area_levels_by_rater(result)
    ax = new_axes(ax, figsize or (max(6.4, 0.75 * len(areas) + 2.5), 0.5 * means.shape[0] + 2.6))
    low, high = result.scale_range
    annotated_heatmap(
        ax,
        means,
        rows=result.raters,
        columns=[a.replace("_", " ") for a in areas],
        text=[[f"{v:.1f}" for v in row] for row in means.tolist()],
        vmin=float(low),
        vmax=float(high),
        colorbar_label=f"Mean capability level ({low} to {high})",
    )
    stage = "no stage" if result.stage is None else result.stage.value.replace("_", " ")
    return finish(
        ax,
        title=title,
        default_title=f"Capability levels by department and area (company at {stage})",
        xlabel="Capability area",
        ylabel="Department (rater)",
    )


def roadmap_waves(
    result: Roadmap,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the number of roadmap steps in each wave, stacked by the level they reach.

    Parameters
    ----------
    result : Roadmap
        From :func:`custcentric.maturity.roadmap`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One bar container per level reached (``ax.containers``), one bar per wave.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue, roadmap
    >>> from custcentric.plot import roadmap_waves
    >>> ratings = {"sales": {"insight-01": 1, "technology-02": 1, "insight-02": 1}}
    >>> ax = roadmap_waves(roadmap(assess(default_catalogue(), ratings), "customer_focus"))
    >>> float(sum(p.get_height() for p in ax.patches))
    3.0
    """
    require(result, "maturity", "Roadmap", "result")
    waves = np.array([s.wave for s in result.steps], dtype=np.int64)
    reach = np.array([s.to_level for s in result.steps], dtype=np.int64)
    ax = new_axes(ax, figsize)
    n_waves = int(waves.max()) if waves.size else 0
    position = np.arange(1, n_waves + 1)
    bottom = np.zeros(n_waves)
    for k, level in enumerate(np.unique(reach).tolist()):
        counts = np.bincount(waves[reach == level], minlength=n_waves + 1)[1:].astype(np.float64)
        ax.bar(position, counts, bottom=bottom, color=colour(k), label=f"to level {level}")
        bottom += counts
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if waves.size:
        ax.legend(frameon=False)
    return finish(
        ax,
        title=title,
        default_title=(
            f"Roadmap to {result.target_stage.value.replace('_', ' ')}: "
            f"{len(result.steps)} steps in {n_waves} waves"
        ),
        xlabel="Wave (steps of one wave can run side by side)",
        ylabel="Capability steps (count)",
    )


def maturity_radar(
    result: Assessment,
    ax: Axes | None = None,
    *,
    target: str | None = None,
    how: str = "min",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each capability area's level on a radar, against the level of a target stage.

    Parameters
    ----------
    result : Assessment
        From :func:`custcentric.maturity.assess`.
    ax : matplotlib Axes, optional
        A polar Axes to draw on (``projection="polar"``); a new figure when omitted.
    target : str or MaturityStage, optional
        The stage to reach (its level is drawn as a ring); default the stage after the
        assessed one (none at the last stage).
    how : {"min", "median"}, default "min"
        How an area's level is read from its capabilities
        (:meth:`~custcentric.maturity.Assessment.area_levels`).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is the closed polygon of the area levels (the first area repeated at
        the end), in the order of :meth:`~custcentric.maturity.Assessment.area_levels`.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> from custcentric.plot import maturity_radar
    >>> ratings = {"sales": {"insight-01": 3, "strategy-01": 2, "measurement-01": 1}}
    >>> ax = maturity_radar(assess(default_catalogue(), ratings), target="customer_value")
    >>> ax.lines[0].get_ydata().tolist()
    [2.0, 3.0, 1.0, 2.0]
    """
    from custcentric.domain import MaturityStage

    require(result, "maturity", "Assessment", "result")
    levels = result.area_levels(how=how)
    try:
        goal = result.next_stage if target is None else MaturityStage(target)
    except ValueError:
        known = ", ".join(repr(s.value) for s in MaturityStage)
        msg = f"`target` must be a maturity stage, one of {known} (got {target!r})."
        raise InvalidInputError(msg) from None
    names = list(levels)
    values = np.array([levels[n] for n in names], dtype=np.float64)
    angle = np.linspace(0.0, 2 * np.pi, len(names), endpoint=False)
    closed = np.concatenate((angle, angle[:1]))
    ax = new_axes(ax, figsize or (6.0, 6.0), projection="polar")
    ax.plot(
        closed,
        np.concatenate((values, values[:1])),
        color=colour(0),
        linewidth=2,
        marker="o",
        label="area level",
    )
    ax.fill(closed, np.concatenate((values, values[:1])), color=colour(0), alpha=0.2)
    if goal is not None:
        ring = np.linspace(0.0, 2 * np.pi, 200)
        ax.plot(
            ring,
            np.full(ring.size, float(goal.level)),
            color=colour(3),
            linestyle="--",
            linewidth=1.5,
            label=f"target: {goal.value.replace('_', ' ')} ({goal.level})",
        )
    ax.set_xticks(angle, [n.replace("_", " ") for n in names], fontsize=8)
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4])
    ax.legend(frameon=False, loc="upper right", bbox_to_anchor=(1.15, 1.12), fontsize=8)
    return finish(
        ax,
        title=title,
        default_title=f"Level of each capability area ({how} of its capabilities)",
        xlabel="Capability area",
        ylabel="Level (0 to 4)",
    )
