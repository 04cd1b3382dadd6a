"""Scenario pictures: KPI trajectories with replication bands, compare deltas, a tornado."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.plot._style import colour, finish, new_axes, require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["comparison_deltas", "kpi_trajectory", "tornado"]

_PER_PERIOD = (
    "customers_alive",
    "purchases",
    "revenue",
    "discounted_value",
    "net_value",
    "compensation",
    "campaign_cost",
    "contacts",
    "service_level",
    "average_wait",
)
_UNIT_WORDS = {"h": "hours", "D": "days", "W": "weeks"}


def kpi_trajectory(
    result: Any,
    kpi: str = "customers_alive",
    ax: Axes | None = None,
    *,
    band: tuple[float, float] = (0.05, 0.95),
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw one KPI per period: the mean over replications and a band between two quantiles.

    Parameters
    ----------
    result : custcentric.simulate.SimulationResult
        What :func:`custcentric.simulate.simulate` returned.
    kpi : str, default "customers_alive"
        A per-period KPI: ``customers_alive``, ``purchases``, ``revenue``,
        ``discounted_value``, ``net_value``, ``compensation``, ``campaign_cost``,
        ``contacts``, ``service_level`` or ``average_wait``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    band : (float, float), default (0.05, 0.95)
        The quantiles across replications that bound the band.
    title : str, optional
    figsize : (float, float), optional

    Returns
    -------
    matplotlib Axes
        One line (the mean) and, with two replications or more, one band.

    Examples
    --------
    >>> from custcentric.plot import kpi_trajectory
    >>> from custcentric.simulate import example_scenario, simulate
    >>> result = simulate(example_scenario(n_customers=300, horizon=6), n_replications=3,
    ...                   rng=1)
    >>> ax = kpi_trajectory(result, "customers_alive")
    >>> len(ax.lines[0].get_xdata())
    6
    """
    require(result, "simulate", "SimulationResult", "result")
    if kpi not in _PER_PERIOD:
        msg = f"`kpi` must be one of {', '.join(_PER_PERIOD)} (got {kpi!r})."
        raise InvalidInputError(msg)
    low_q = check_number(band[0], "band[0]", low=0, high=1)
    high_q = check_number(band[1], "band[1]", low=0, high=1)
    if not low_q < high_q:
        msg = f"`band` must be (low, high) with low < high (got {band!r})."
        raise InvalidInputError(msg)
    values = np.asarray(getattr(result, kpi), dtype=np.float64)
    periods = np.arange(1, values.shape[1] + 1)
    ax = new_axes(ax, figsize)
    with np.errstate(invalid="ignore"):
        finite = np.where(np.isfinite(values), values, np.nan)
        mean = (
            np.nanmean(finite, axis=0)
            if np.isfinite(finite).any()
            else np.full(periods.size, np.nan)
        )
    ax.plot(periods, mean, color=colour(0), label=f"mean of {result.n_replications}")
    if result.n_replications > 1 and np.isfinite(finite).any():
        lo = np.nanquantile(finite, low_q, axis=0)
        hi = np.nanquantile(finite, high_q, axis=0)
        ax.fill_between(
            periods,
            lo,
            hi,
            color=colour(0),
            alpha=0.25,
            linewidth=0,
            label=f"{100 * low_q:g}-{100 * high_q:g} % of replications",
        )
    ax.legend(frameon=False)
    unit = _UNIT_WORDS.get(result.time_unit, result.time_unit)
    return finish(
        ax,
        title=title,
        default_title=f"{kpi.replace('_', ' ').capitalize()}: {result.scenario_name}",
        xlabel=f"Period ({unit})",
        ylabel=kpi.replace("_", " "),
    )


def comparison_deltas(
    comparison: Any,
    ax: Axes | None = None,
    *,
    kpis: Sequence[str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw each KPI's difference (alternative - baseline) as a share of the baseline, with its interval.

    Parameters
    ----------
    comparison : custcentric.simulate.Comparison
        What :func:`custcentric.simulate.compare` returned.
    ax : matplotlib Axes, optional
    kpis : sequence of str, optional
        The KPIs to show (default: those with a non-zero baseline).
    title : str, optional
    figsize : (float, float), optional

    Returns
    -------
    matplotlib Axes
        One point with error bars per KPI, in % of the baseline mean.

    Examples
    --------
    >>> from custcentric.plot import comparison_deltas
    >>> from custcentric.simulate import compare, example_scenario
    >>> base = example_scenario(n_customers=300, horizon=6)
    >>> cmp = compare(base, base.replace("contact_centre.agents", 1), n_replications=3, rng=1)
    >>> ax = comparison_deltas(cmp, kpis=["revenue", "service_level"])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['revenue', 'service_level']
    """
    require(comparison, "simulate", "Comparison", "comparison")
    names = comparison.kpi.tolist()
    chosen = (
        list(kpis)
        if kpis is not None
        else [n for i, n in enumerate(names) if comparison.baseline[i] != 0]
    )
    for name in chosen:
        if name not in names:
            msg = f"`kpis` must name KPIs of the comparison ({', '.join(names)}; got {name!r})."
            raise InvalidInputError(msg)
    if not chosen:
        msg = "`kpis` must name at least one KPI with a non-zero baseline."
        raise InvalidInputError(msg)
    index = [names.index(n) for n in chosen]
    base = comparison.baseline[index]
    if np.any(base == 0):
        bad = chosen[int(np.flatnonzero(base == 0)[0])]
        msg = f"`kpis` must have a non-zero baseline to be shown in % ({bad!r} is 0)."
        raise InvalidInputError(msg)
    scale = 100.0 / np.abs(base)
    diff = comparison.difference[index] * scale
    low = comparison.low[index] * scale
    high = comparison.high[index] * scale
    ax = new_axes(ax, figsize)
    y = np.arange(len(chosen))
    ax.errorbar(diff, y, xerr=[diff - low, high - diff], fmt="o", color=colour(0), capsize=3)
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.set_yticks(y, chosen)
    ax.invert_yaxis()
    level = f"{100 * comparison.confidence_level:g} %"
    return finish(
        ax,
        title=title,
        default_title=(
            f"{comparison.alternative_result.scenario_name} vs "
            f"{comparison.baseline_result.scenario_name}"
        ),
        xlabel=f"Difference (% of baseline, {level} interval)",
        ylabel="",
    )


def tornado(
    sensitivity: Any,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the one-at-a-time tornado: the KPI at each parameter's low and high end.

    Parameters
    ----------
    sensitivity : custcentric.simulate.Sensitivity
        What :func:`custcentric.simulate.sensitivity` returned.
    ax : matplotlib Axes, optional
    title : str, optional
    figsize : (float, float), optional

    Returns
    -------
    matplotlib Axes
        Two bars per parameter from the base value, the largest swing on top.

    Examples
    --------
    >>> from custcentric.plot import tornado
    >>> from custcentric.simulate import example_scenario, sensitivity
    >>> res = sensitivity(example_scenario(n_customers=200, horizon=4),
    ...                   {"population.spend_model.p": (2.0, 4.0)}, kpi="revenue", n=4, rng=0)
    >>> len(tornado(res).patches)
    2
    """
    require(sensitivity, "simulate", "Sensitivity", "sensitivity")
    order = np.argsort(-sensitivity.swing, kind="stable")
    base = sensitivity.base_value
    ax = new_axes(ax, figsize)
    y = np.arange(order.size)
    low = sensitivity.kpi_at_low[order] - base
    high = sensitivity.kpi_at_high[order] - base
    ax.barh(y, low, left=base, color=colour(1), label="parameter at low end")
    ax.barh(y, high, left=base, color=colour(0), label="parameter at high end")
    ax.axvline(base, color="0.3", linewidth=0.8)
    ax.set_yticks(y, [str(sensitivity.parameter[i]) for i in order])
    ax.invert_yaxis()
    ax.legend(frameon=False)
    return finish(
        ax,
        title=title,
        default_title=f"What moves {sensitivity.kpi.replace('_', ' ')}",
        xlabel=f"{sensitivity.kpi.replace('_', ' ')} (base {base:,.4g})",
        ylabel="",
    )
