"""SLA pictures: compliance per tier against the promise, compensation, staffing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.plot._style import colour, finish, new_axes, require, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.sla import SLAReport

__all__ = ["compensation_paid", "service_level_curve", "sla_compliance"]


def sla_compliance(
    result: SLAReport,
    ax: Axes | None = None,
    *,
    tiers: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each SLA's compliance per customer tier, with intervals and the promised share.

    Parameters
    ----------
    result : SLAReport
        From :func:`custcentric.sla.evaluate_slas`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    tiers : sequence of str, optional
        The tiers to show, in order (default: every tier of the report, in report order,
        ``"all"`` last).
    names : mapping of str to str, optional
        A title per SLA id (default: the ids).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One ``BarContainer`` per tier, a horizontal bar per SLA
        (top down) with its compliance (0 width where the tier has no case; ``ax.patches``
        in that order); each SLA's promise is a black segment.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.plot import sla_compliance
    >>> from custcentric.sla import evaluate_slas
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2"], ["repair"] * 4, ["reported", "fixed"] * 2,
    ...     ["2025-01-06T09:00", "2025-01-06T17:00", "2025-01-06T10:00", "2025-01-09T10:00"],
    ...     ["c1", "c1", "c2", "c2"])
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair",
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9)
    >>> ax = sla_compliance(evaluate_slas(log, sla))
    >>> [float(p.get_width()) for p in ax.patches]
    [0.5]
    """
    require(result, "sla", "SLAReport", "result")
    slas = list(dict.fromkeys(r.group for r in result.rows))
    if not slas:
        msg = "`result` must hold at least one SLA row (got none)."
        raise InvalidInputError(msg)
    present = list(dict.fromkeys(r.tier for r in result.rows if r.tier != "all"))
    shown = list(tiers) if tiers is not None else [*present, "all"]
    cell = {(r.group, r.tier): r for r in result.rows}
    ax = new_axes(ax, figsize or (7.0, max(3.0, 0.2 * len(slas) * (len(shown) + 1) + 1.6)))
    position = np.arange(len(slas), dtype=np.float64)
    width = 0.8 / max(len(shown), 1)
    for k, tier in enumerate(shown):
        rows = [cell.get((s, tier)) for s in slas]
        value = np.array([r.compliance if r and r.compliance is not None else 0.0 for r in rows])
        low = np.array([r.ci_low if r and r.compliance is not None else 0.0 for r in rows])
        high = np.array([r.ci_high if r and r.compliance is not None else 0.0 for r in rows])
        offset = (k - (len(shown) - 1) / 2) * width
        ax.barh(
            position + offset,
            value,
            width * 0.92,
            label=tier,
            color="0.6" if tier == "all" else colour(k),
            xerr=np.vstack((value - low, high - value)),
            ecolor="0.25",
            capsize=1.5,
        )
    for j, s in enumerate(slas):
        promise = next(r.target_share for r in result.rows if r.group == s)
        ax.plot([promise, promise], [j - 0.45, j + 0.45], color="black", linewidth=2)
    ax.plot([], [], color="black", linewidth=2, label="promised share")
    labels = names or {}
    ax.set_yticks(position, [wrap(labels.get(s, s)) for s in slas])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(
        frameon=False,
        fontsize=8,
        ncol=min(len(shown) + 1, 5),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
    )
    level = f"{100 * result.confidence_level:g} %"
    return finish(
        ax,
        title=title,
        default_title=f"SLA compliance by customer tier ({level} Wilson intervals)",
        xlabel="Cases within target (share)",
        ylabel="Service-level agreement",
    )


def compensation_paid(
    result: SLAReport,
    ax: Axes | None = None,
    *,
    currency: str = "",
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the compensation owed under each SLA, with its breached cases.

    Parameters
    ----------
    result : SLAReport
        From :func:`custcentric.sla.evaluate_slas`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    currency : str, default ""
        The currency, shown in the axis label.
    names : mapping of str to str, optional
        A title per SLA id (default: the ids).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One horizontal bar per SLA (report order, top down): the ``"all"`` row's
        compensation.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.plot import compensation_paid
    >>> from custcentric.sla import evaluate_slas
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2"], ["repair"] * 4, ["reported", "fixed"] * 2,
    ...     ["2025-01-06T09:00", "2025-01-06T17:00", "2025-01-06T10:00", "2025-01-09T10:00"],
    ...     ["c1", "c1", "c2", "c2"])
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair", metric="cycle_time",
    ...           target=48, time_unit="h", compensation={"fixed_per_breach": 10})
    >>> [float(p.get_width()) for p in compensation_paid(evaluate_slas(log, sla)).patches]
    [10.0]
    """
    require(result, "sla", "SLAReport", "result")
    groups = list(dict.fromkeys(r.group for r in result.rows))
    rows = [result.row(g) for g in groups]
    owed = np.array([r.compensation for r in rows], dtype=np.float64)
    ax = new_axes(ax, figsize or (6.4, max(2.4, 0.45 * len(groups) + 1.4)))
    position = np.arange(len(groups))
    bars = ax.barh(position, owed, color=colour(1))
    ax.bar_label(bars, labels=[f"{r.breaches:,} breaches" for r in rows], padding=3, fontsize=8)
    labels = names or {}
    ax.set_yticks(position, [wrap(labels.get(g, g)) for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, float(owed.max()) * 1.35 if owed.max() > 0 else 1.0)
    unit = currency or "currency"
    return finish(
        ax,
        title=title,
        default_title=f"Compensation owed for breaches (total {result.total_compensation:,.2f})",
        xlabel=f"Compensation owed ({unit})",
        ylabel="Service-level agreement",
    )


def service_level_curve(
    traffic: float,
    ax: Axes | None = None,
    *,
    handle_time: float,
    answer_time: float,
    target: float = 0.8,
    n_agents: ArrayLike | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the Erlang C service level against the number of agents, with the target marked.

    Parameters
    ----------
    traffic : float
        The offered load in Erlangs (calls per unit time × handle time in the same unit).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    handle_time : float
        The mean handle time, in seconds.
    answer_time : float
        The answer-time target, in seconds (e.g. 20 for "80 % in 20 s").
    target : float, default 0.8
        The target service level, drawn as a line; the fewest agents meeting it is marked.
    n_agents : array_like of int, optional
        The agent counts drawn (default: from just above the traffic to 2.5 × it, plus 5).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` is the curve: ``get_xdata()`` the agents, ``get_ydata()``
        :func:`custcentric.sla.service_level` at each.

    Examples
    --------
    >>> from custcentric.plot import service_level_curve
    >>> ax = service_level_curve(10.0, handle_time=180, answer_time=20, n_agents=[12, 13, 14])
    >>> ax.lines[0].get_ydata().round(4).tolist()
    [0.6402, 0.7956, 0.8884]
    """
    from custcentric.sla import service_level

    load = check_number(traffic, "traffic", low=0, low_inclusive=False)
    goal = check_number(target, "target", low=0, high=1, low_inclusive=False, high_inclusive=False)
    if n_agents is None:
        start = int(np.floor(load)) + 1
        agents = np.arange(start, int(np.ceil(2.5 * load)) + 6, dtype=np.int64)
    else:
        agents = np.asarray(n_agents, dtype=np.int64).ravel()
        if agents.size == 0:
            msg = "`n_agents` must hold at least one agent count (got none)."
            raise InvalidInputError(msg)
    level = np.asarray(
        service_level(load, agents, answer_time=answer_time, handle_time=handle_time),
        dtype=np.float64,
    )
    ax = new_axes(ax, figsize)
    ax.plot(
        agents,
        level,
        "o-",
        color=colour(0),
        markersize=4,
        linewidth=2,
        label="service level (Erlang C)",
    )
    ax.axhline(goal, color=colour(3), linestyle="--", label=f"target {100 * goal:g} %")
    meets = np.flatnonzero(level >= goal)
    if meets.size:
        first = int(agents[meets[0]])
        ax.axvline(first, color=colour(2), linestyle=":", label=f"{first} agents meet it")
    ax.set_ylim(0, 1.02)
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, loc="lower right")
    return finish(
        ax,
        title=title,
        default_title=(
            f"Calls answered within {answer_time:g} s at {load:.1f} Erlangs "
            f"({handle_time:g} s handle time)"
        ),
        xlabel="Agents on the phones (count)",
        ylabel="Calls answered in time (share)",
    )
