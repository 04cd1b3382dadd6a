"""Process pictures: the cycle-time distribution of each process against its target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.plot._style import colour, finish, new_axes, require, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.process import CycleTimes

__all__ = ["cycle_time_distribution", "share_late"]

_UNIT_WORDS = {"s": "seconds", "m": "minutes", "h": "hours", "D": "days", "W": "weeks"}


def share_late(duration: np.ndarray, closed: np.ndarray, target: float) -> float:
    """Return the share of cases over ``target``: closed cases, and open ones already past it.

    Open cases still under the target are pending and not counted (as in
    :func:`custcentric.sla.evaluate_slas`); NaN when no case is evaluated.

    Examples
    --------
    >>> import numpy as np
    >>> share_late(np.array([1.0, 5.0, 2.0, 9.0]), np.array([True, True, False, False]), 4.0)
    0.6666666666666666
    """
    late = duration > target
    evaluated = closed | late
    n = int(np.count_nonzero(evaluated))
    return float(np.count_nonzero(late & evaluated) / n) if n else float("nan")


def cycle_time_distribution(
    result: CycleTimes,
    ax: Axes | None = None,
    *,
    targets: float | Mapping[str, float] | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each process's cycle times as a box (5th to 95th percentile whiskers), with its target.

    Boxes are of the closed cases; the share late also counts the open cases already past
    the target (they are late whatever happens next).

    Parameters
    ----------
    result : CycleTimes
        From :func:`custcentric.process.cycle_times`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    targets : float or mapping of str to float, optional
        The SLA target in the result's ``unit``: one for every process, or one per process
        id (processes without one get no line).
    names : mapping of str to str, optional
        A title per process id (default: the ids).
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        One box per process (sorted by process id, the first at the top); each target is a
        red vertical segment across its box, labelled with the share late.

    Examples
    --------
    >>> from custcentric.plot import cycle_time_distribution
    >>> from custcentric.process import cycle_times
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k2", "k3", "k3"], ["claim"] * 6,
    ...     ["open", "close"] * 3,
    ...     ["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-09", "2024-01-02", "2024-01-04"],
    ...     ["c1", "c1", "c2", "c2", "c3", "c3"])
    >>> ax = cycle_time_distribution(cycle_times(log, time_unit="D"), targets=5)
    >>> [t.get_text() for t in ax.texts]
    ['33 % late']
    """
    require(result, "process", "CycleTimes", "result")
    processes = np.unique(result.process)
    if processes.size == 0:
        msg = "`result` must hold at least one case (got none)."
        raise InvalidInputError(msg)
    goal = _targets(targets, processes)
    labels = names or {}
    ax = new_axes(ax, figsize or (7.0, max(2.6, 0.55 * processes.size + 1.4)))
    position = np.arange(processes.size, dtype=np.float64)
    closed = [result.duration[(result.process == p) & result.closed] for p in processes]
    drawn = [c if c.size else np.array([np.nan]) for c in closed]
    ax.boxplot(
        drawn,
        positions=position,
        orientation="horizontal",
        whis=(5, 95),
        showfliers=False,
        widths=0.55,
        patch_artist=True,
        boxprops={"facecolor": colour(5), "edgecolor": colour(0)},
        medianprops={"color": colour(0), "linewidth": 2},
        whiskerprops={"color": colour(0)},
        capprops={"color": colour(0)},
    )
    unit = _UNIT_WORDS.get(result.unit, result.unit)
    high = [float(np.percentile(c, 95)) for c in closed if c.size]
    right = max(max(high, default=1.0), max(goal.values(), default=0.0))
    for k, pid in enumerate(processes.tolist()):
        target = goal.get(pid)
        if target is None:
            continue
        inside = result.process == pid
        late = share_late(result.duration[inside], result.closed[inside], target)
        ax.plot([target, target], [k - 0.38, k + 0.38], color=colour(3), linewidth=2.5)
        ax.text(
            right * 1.02, k, f"{100 * late:.0f} % late", va="center", fontsize=8, color=colour(3)
        )
    ax.set_yticks(position, [wrap(labels.get(p, p)) for p in processes.tolist()])
    ax.set_xlim(left=0, right=right * 1.2)
    ax.invert_yaxis()
    if goal:
        ax.plot([], [], color=colour(3), linewidth=2.5, label="SLA target")
        ax.legend(frameon=False, loc="lower right", fontsize=8)
    return finish(
        ax,
        title=title,
        default_title="Cycle time per process (box: quartiles, whiskers: 5th-95th percentile)",
        xlabel=f"Cycle time, request to last step ({unit})",
        ylabel="Process",
    )


def _targets(
    targets: float | Mapping[str, float] | None, processes: np.ndarray
) -> dict[str, float]:
    if targets is None:
        return {}
    if isinstance(targets, Mapping):
        known = set(processes.tolist())
        out = {}
        for key, value in targets.items():
            if key not in known:
                continue
            out[str(key)] = check_number(value, f"targets[{key!r}]", low=0, low_inclusive=False)
        return out
    value = check_number(targets, "targets", low=0, low_inclusive=False)
    return dict.fromkeys(processes.tolist(), value)
