"""Metrics pictures: survival curves, cohort retention and satisfaction by group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from custcentric.exceptions import InvalidInputError
from custcentric.plot._style import colour, finish, new_axes, require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.metrics import GroupedMetric, KaplanMeierResult, RetentionCurve

__all__ = ["metric_by_group", "retention_curves", "survival_curves"]

_PERIOD_WORDS = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters", "Y": "years"}
_METRIC_WORDS = {
    "nps": ("Net Promoter Score", "NPS (points, -100 to 100)"),
    "csat": ("Customer satisfaction (CSAT)", "CSAT (share satisfied)"),
    "ces": ("Customer effort score (CES)", "CES (mean answer)"),
}


def survival_curves(
    results: KaplanMeierResult | Mapping[str, KaplanMeierResult],
    ax: Axes | None = None,
    *,
    censored: ArrayLike | Mapping[str, ArrayLike] | None = None,
    time_unit: str = "days",
    xlabel: str | None = None,
    bands: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw Kaplan–Meier curves (one per group) with their confidence bands and censor marks.

    Parameters
    ----------
    results : KaplanMeierResult or mapping of str to KaplanMeierResult
        From :func:`custcentric.metrics.kaplan_meier`; a mapping draws one curve per group,
        labelled by its key.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    censored : array_like or mapping of str to array_like, optional
        The censoring times (durations whose event was not observed), marked with a tick on
        the curve; a mapping gives them per group. The result holds only the event times, so
        the marks need these.
    time_unit : str, default "days"
        The unit of the durations, shown in the axis label.
    xlabel : str, optional
        The label of the time axis, instead of "Time since the start (<time_unit>)".
    bands : bool, default True
        Whether to shade the pointwise confidence band.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One step line per group (drawstyle ``"steps-post"``), in the order given:
        ``get_ydata()`` is ``1`` followed by the result's ``survival``; with ``censored``,
        the ticks and a flat line from the last event to the last censored duration.

    Examples
    --------
    >>> from custcentric.metrics import kaplan_meier
    >>> from custcentric.plot import survival_curves
    >>> ax = survival_curves(kaplan_meier([3, 5, 5, 8, 10], [1, 1, 0, 1, 0]), censored=[5, 10])
    >>> ax.lines[0].get_ydata().round(2).tolist()
    [1.0, 0.8, 0.6, 0.3]
    """
    groups = _as_groups(results)
    marks = _censor_marks(censored, groups)
    ax = new_axes(ax, figsize)
    for k, (label, km) in enumerate(groups.items()):
        require(km, "metrics", "KaplanMeierResult", f"results[{label!r}]")
        shade = colour(k)
        x = np.concatenate(([0.0], km.time))
        ax.step(
            x,
            np.concatenate(([1.0], km.survival)),
            where="post",
            color=shade,
            linewidth=2,
            label=f"{label} (n = {km.n_observations:,})" if label else None,
        )
        if bands:
            low = np.concatenate(([1.0], km.low))
            high = np.concatenate(([1.0], km.high))
            ax.fill_between(x, low, high, step="post", color=shade, alpha=0.18, linewidth=0)
        times = marks.get(label)
        if times is not None and times.size:
            ax.plot(
                times,
                km.survival_at(times),
                linestyle="none",
                marker="|",
                color=shade,
                markersize=8,
                markeredgewidth=1.2,
            )
            if km.time.size and times.max() > km.time[-1]:
                # The curve stays flat after the last event, up to the last censored customer.
                last = float(km.survival[-1])
                ax.plot([km.time[-1], times.max()], [last, last], color=shade, linewidth=2)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if any(groups):
        ax.legend(frameon=False, loc="lower left")
    first = next(iter(groups.values()))
    level = f"{100 * first.confidence_level:g} % band" if bands else "no band"
    return finish(
        ax,
        title=title,
        default_title=f"Share still active over time (Kaplan–Meier, {level})",
        xlabel=xlabel or f"Time since the start ({time_unit})",
        ylabel="Still active (share)",
    )


def retention_curves(
    result: RetentionCurve,
    ax: Axes | None = None,
    *,
    average: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each cohort's retention by age, with the size-weighted average across cohorts.

    Parameters
    ----------
    result : RetentionCurve
        From :func:`custcentric.metrics.retention_curve`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    average : bool, default True
        Whether to draw the pooled curve (:meth:`~custcentric.metrics.RetentionCurve.average`) in black.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One line per cohort (its observed ages only), then the average.

    Examples
    --------
    >>> from custcentric.metrics import retention_curve
    >>> from custcentric.plot import retention_curves
    >>> curve = retention_curve(["2024-01-05", "2024-01-20", "2024-02-03"],
    ...                         ["2024-02-10", "NaT", "NaT"], observation_end="2024-03-31")
    >>> ax = retention_curves(curve)
    >>> ax.lines[0].get_ydata().tolist(), ax.lines[-1].get_ydata().tolist()
    ([1.0, 1.0, 0.5], [1.0, 1.0, 0.5])
    """
    require(result, "metrics", "RetentionCurve", "result")
    ax = new_axes(ax, figsize)
    period = _PERIOD_WORDS.get(result.period, "periods")
    names = np.datetime_as_string(result.cohort, unit="D")
    for k in range(result.retention.shape[0]):
        seen = result.observed[k]
        age = np.flatnonzero(seen)
        ax.plot(
            age,
            result.retention[k, seen],
            color=colour(k % 7),
            marker=".",
            linewidth=1.2,
            label=f"{names[k]} (n = {int(result.n_customers[k]):,})",
        )
    if average:
        pooled = result.average()
        ax.plot(
            pooled["age"], pooled["retention"], color="black", linewidth=2.5, label="all cohorts"
        )
    ax.set_ylim(0, 1.02)
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=7, ncol=2, loc="lower left")
    return finish(
        ax,
        title=title,
        default_title="Retention by acquisition cohort",
        xlabel=f"Age of the cohort ({period} since acquisition)",
        ylabel="Customers still active (share of cohort)",
    )


def metric_by_group(
    result: GroupedMetric,
    ax: Axes | None = None,
    *,
    order: list[str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw NPS, CSAT or CES per group as points with their confidence intervals.

    Parameters
    ----------
    result : GroupedMetric
        From :func:`custcentric.metrics.nps_by_group`, ``csat_by_group`` or
        ``ces_by_group``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    order : list of str, optional
        The groups to show, top to bottom (default: the result's order).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` holds the estimates (x) per group (y from 0, top down).

    Examples
    --------
    >>> from custcentric.metrics import nps_by_group
    >>> from custcentric.plot import metric_by_group
    >>> ax = metric_by_group(nps_by_group([10, 9, 3, 8, 10, 6], ["a", "a", "a", "b", "b", "b"]))
    >>> ax.lines[0].get_xdata().round(1).tolist()
    [33.3, 0.0]
    """
    require(result, "metrics", "GroupedMetric", "result")
    labels = [str(g) for g in result.group.tolist()]
    wanted = labels if order is None else [str(g) for g in order]
    missing = [g for g in wanted if g not in labels]
    if missing:
        msg = f"`order` must name groups of the result (got {missing[0]!r}; groups: {labels})."
        raise InvalidInputError(msg)
    index = np.array([labels.index(g) for g in wanted], dtype=np.int64)
    ax = new_axes(ax, figsize or (6.4, max(2.4, 0.4 * index.size + 1.4)))
    y = np.arange(index.size, dtype=np.float64)
    estimate = result.estimate[index]
    scale = 100.0 if result.metric == "csat" else 1.0
    ax.errorbar(
        estimate * scale,
        y,
        xerr=np.vstack((estimate - result.low[index], result.high[index] - estimate)) * scale,
        fmt="o",
        color=colour(0),
        ecolor=colour(5),
        elinewidth=3,
        capsize=0,
    )
    ax.set_yticks(
        y, [f"{g} (n = {int(result.n[i]):,})" for g, i in zip(wanted, index, strict=True)]
    )
    ax.invert_yaxis()
    name, axis_label = _METRIC_WORDS.get(result.metric, (result.metric, result.metric))
    if result.metric == "csat":
        axis_label = "CSAT (% satisfied)"
    level = f"{100 * result.confidence_level:g} %"
    return finish(
        ax,
        title=title,
        default_title=f"{name} by group, with {level} intervals",
        xlabel=axis_label,
        ylabel="Group",
    )


def _as_groups(
    results: KaplanMeierResult | Mapping[str, KaplanMeierResult],
) -> dict[str, KaplanMeierResult]:
    if isinstance(results, Mapping):
        groups = {str(k): v for k, v in results.items()}
        if not groups:
            msg = "`results` must hold at least one curve (got an empty mapping)."
            raise InvalidInputError(msg)
        return groups
    return {"": results}


def _censor_marks(
    censored: ArrayLike | Mapping[str, ArrayLike] | None, groups: Mapping[str, object]
) -> dict[str, np.ndarray[tuple[int], np.dtype[np.float64]]]:
    if censored is None:
        return {}
    if not isinstance(censored, Mapping) and len(groups) > 1:
        msg = "`censored` must be a mapping of group to times when `results` has several curves."
        raise InvalidInputError(msg)
    given = censored if isinstance(censored, Mapping) else dict.fromkeys(groups, censored)
    out = {}
    for key, times in given.items():
        if str(key) not in groups:
            msg = f"`censored` must be keyed by the groups of `results` (got {key!r})."
            raise InvalidInputError(msg)
        out[str(key)] = np.asarray(times, dtype=np.float64).ravel()
    return out
