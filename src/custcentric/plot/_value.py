"""Customer-value pictures: frequency × recency heatmaps, calibration vs holdout, CLV."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.plot._style import as_values, colour, finish, new_axes, require, sequential_cmap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from custcentric.tables import TransactionLog
    from custcentric.value import BetaGeo, HoldoutCheck, ModifiedBetaGeo, ParetoNBD, PurchaseModel

__all__ = [
    "calibration_holdout",
    "clv_distribution",
    "cumulative_purchases",
    "frequency_recency_heatmap",
]

_QUANTITIES = ("probability_alive", "expected_purchases")
_UNIT_WORDS = {"D": "days", "W": "weeks", "M": "months", "Y": "years", "h": "hours"}


def frequency_recency_heatmap(
    model: PurchaseModel,
    ax: Axes | None = None,
    *,
    T: float,  # noqa: N803
    max_frequency: int,
    quantity: str = "probability_alive",
    t: float | None = None,
    n_recency: int = 60,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw P(alive) or the expected purchases over a grid of frequency and recency.

    The picture of Fader, Hardie and Lee (2005) and of lifetimes: for a customer observed
    for ``T``, each cell is the model's answer for a history of ``frequency`` repeat
    purchases, the last at ``recency``. Histories with no repeat purchase have recency 0
    only; their other cells are blank.

    Parameters
    ----------
    model : PurchaseModel
        A fitted purchase model, e.g. ``BetaGeo.fit(summary).model``, or a model of your own
        that follows :class:`custcentric.value.PurchaseModel`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    T : float
        The customers' age (time since the first purchase), in the model's ``time_unit``.
    max_frequency : int
        The largest number of repeat purchases shown (rows ``0 .. max_frequency``).
    quantity : {"probability_alive", "expected_purchases"}, default "probability_alive"
        What the cells hold.
    t : float, optional
        For ``"expected_purchases"``: the horizon, in the model's ``time_unit`` (default
        ``T``).
    n_recency : int, default 60
        The number of recency columns, from 0 to ``T``.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.images[0].get_array()`` holds the grid (rows: frequency, columns: recency).

    Examples
    --------
    >>> from custcentric.plot import frequency_recency_heatmap
    >>> from custcentric.value import BetaGeo
    >>> model = BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W")
    >>> ax = frequency_recency_heatmap(model, T=39, max_frequency=10)
    >>> ax.images[0].get_array().shape
    (11, 60)
    >>> ax.get_xlabel()
    'Recency: time of the last purchase (weeks since the first)'
    """
    require(model, "value", "PurchaseModel", "model")
    if quantity not in _QUANTITIES:
        msg = f"`quantity` must be one of {', '.join(map(repr, _QUANTITIES))} (got {quantity!r})."
        raise InvalidInputError(msg)
    age = check_number(T, "T", low=0, low_inclusive=False)
    top = int(check_number(max_frequency, "max_frequency", low=1, integer=True))
    columns = int(check_number(n_recency, "n_recency", low=2, integer=True))
    frequency = np.arange(top + 1, dtype=np.int64)
    recency = np.linspace(0.0, age, columns)
    f_grid, r_grid = np.meshgrid(frequency, recency, indexing="ij")
    valid = (f_grid > 0) | (r_grid == 0)
    f, r = f_grid[valid], r_grid[valid]
    ages = np.full(f.size, age)
    # Any PurchaseModel: the grid goes in as a summary, in the model's own unit.
    from custcentric.tables import CustomerSummary

    grid_summary = CustomerSummary.from_arrays(
        np.arange(f.size), f, r, ages, time_unit=str(model.time_unit or "D")
    )
    if quantity == "probability_alive":
        values = np.asarray(model.probability_alive(grid_summary), dtype=np.float64)
        label, vmax, default = "P(alive) (probability)", 1.0, "Probability a customer is alive"
    else:
        horizon = age if t is None else check_number(t, "t", low=0, low_inclusive=False)
        values = np.asarray(
            model.conditional_expected_purchases(grid_summary, t=horizon), dtype=np.float64
        )
        unit = _unit_words(model)
        label, vmax = f"Expected purchases in the next {horizon:g} {unit} (count)", None
        default = "Expected purchases by frequency and recency"
    grid = np.full(f_grid.shape, np.nan)
    grid[valid] = values
    ax = new_axes(ax, figsize or (6.4, 4.4))
    step = age / (columns - 1)
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        origin="lower",
        aspect="auto",
        cmap=sequential_cmap(),
        vmin=0.0,
        vmax=vmax,
        extent=(-step / 2, age + step / 2, -0.5, top + 0.5),
        interpolation="nearest",
    )
    bar = ax.figure.colorbar(image, ax=ax)
    bar.set_label(label)
    unit = _unit_words(model)
    return finish(
        ax,
        title=title,
        default_title=f"{default} (customers aged {age:.4g} {unit})",
        xlabel=f"Recency: time of the last purchase ({unit} since the first)",
        ylabel="Frequency: repeat purchases (count)",
    )


def calibration_holdout(
    result: HoldoutCheck,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the mean actual and expected holdout purchases per calibration frequency.

    Parameters
    ----------
    result : HoldoutCheck
        From :func:`custcentric.value.holdout_check`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        Two lines: actual (``ax.lines[0]``) and expected (``ax.lines[1]``) means.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.plot import calibration_holdout
    >>> from custcentric.value import BetaGeo, HoldoutCheck, ModifiedBetaGeo, ParetoNBD
    >>> check = HoldoutCheck(frequency=np.array([0, 1]), n_customers=np.array([3, 1]),
    ...                      actual=np.array([0.5, 2.0]), expected=np.array([0.4, 1.5]),
    ...                      max_frequency=1, duration=39.0)
    >>> ax = calibration_holdout(check)
    >>> ax.lines[1].get_ydata().tolist()
    [0.4, 1.5]
    """
    require(result, "value", "HoldoutCheck", "result")
    ax = new_axes(ax, figsize)
    x = np.asarray(result.frequency, dtype=np.float64)
    ax.plot(x, result.actual, "o-", color=colour(0), label="actual", linewidth=2)
    ax.plot(x, result.expected, "s--", color=colour(1), label="expected by the model")
    ticks = [f"{v}+" if v == result.max_frequency else str(v) for v in result.frequency.tolist()]
    ax.set_xticks(x, ticks)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return finish(
        ax,
        title=title,
        default_title=(
            f"Holdout purchases, actual vs expected ({result.duration:.3g}-period holdout)"
        ),
        xlabel="Repeat purchases in the calibration period (count)",
        ylabel="Mean purchases in the holdout (per customer)",
    )


def clv_distribution(
    values: ArrayLike,
    ax: Axes | None = None,
    *,
    bins: int = 40,
    clip: float | None = None,
    currency: str = "",
    horizon: str = "12 months",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    """Draw the distribution of customer lifetime value, with the mean and median marked.

    Parameters
    ----------
    values : array_like of float or PerCustomer
        One value per customer, e.g. from :func:`custcentric.value.customer_lifetime_value`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    bins : int, default 40
        The number of bars.
    clip : float, optional
        A quantile (e.g. 0.99) above which values are counted in the last bar, so that a
        long tail does not squeeze the picture; the axis label says so.
    currency : str, default ""
        The currency, shown in the axis label.
    horizon : str, default "12 months"
        The horizon of the values, shown in the title.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        The bars' heights count the customers per bin (they sum to the number of values).

    Examples
    --------
    >>> from custcentric.plot import clv_distribution
    >>> ax = clv_distribution([10.0, 12.5, 30.0, 80.0, 400.0], currency="EUR", bins=4)
    >>> float(sum(p.get_height() for p in ax.patches))
    5.0
    """
    data = as_values(values, "values")
    n_bins = int(check_number(bins, "bins", low=1, integer=True))
    drawn, note = data, ""
    if clip is not None:
        q = check_number(clip, "clip", low=0, high=1, low_inclusive=False, high_inclusive=False)
        cap = float(np.quantile(data, q))
        drawn = np.minimum(data, cap)
        note = f"; above {cap:,.0f} in the last bar"
    ax = new_axes(ax, figsize)
    ax.hist(drawn, bins=n_bins, color=colour(0), edgecolor="white", linewidth=0.5)
    mean, median = float(data.mean()), float(np.median(data))
    money = f" {currency}" if currency else ""
    ax.axvline(mean, color=colour(3), linestyle="--", label=f"mean {mean:,.0f}{money}")
    ax.axvline(median, color=colour(2), linestyle=":", label=f"median {median:,.0f}{money}")
    ax.legend(frameon=False)
    unit = currency or "currency"
    return finish(
        ax,
        title=title,
        default_title=f"Customer lifetime value over {horizon} ({data.size:,} customers)",
        xlabel=f"Customer lifetime value ({unit}{note})",
        ylabel="Customers (count)",
    )


def _unit_words(model: object) -> str:
    unit = getattr(model, "time_unit", None)
    return _UNIT_WORDS.get(str(unit), "periods") if unit else "periods"


def cumulative_purchases(
    model: BetaGeo | ModifiedBetaGeo | ParetoNBD,
    transactions: TransactionLog,
    ax: Axes | None = None,
    *,
    calibration_end: str | np.datetime64 | None = None,
    n_points: int = 200,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Axes:
    r"""Draw the base's cumulative repeat purchases over calendar time, actual and expected.

    As in Fader, Hardie and Lee (2005, Figure 3): each customer is born on the day of their
    first purchase; a repeat purchase is any later day with a purchase (several on one day
    count once, as in :meth:`~custcentric.tables.TransactionLog.summary`). The expected curve
    is :math:`\sum_i E[X(t - t_{0,i})]` over the customers born by ``t``, from the model's
    ``expected_purchases``. Fit the model up to ``calibration_end`` to see how it tracks the
    purchases after it.

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo or ParetoNBD
        A fitted model; its ``time_unit`` converts days into its periods.
    transactions : TransactionLog
        The purchases.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    calibration_end : str or numpy.datetime64, optional
        Marked with a vertical line (the end of the data the model was fitted on).
    n_points : int, default 200
        The most days drawn, evenly spread from the first purchase to the last.
    title : str, optional
        The title.
    figsize : (float, float), optional
        The size of a new figure, in inches.

    Returns
    -------
    matplotlib Axes
        ``ax.lines[0]`` the actual and ``ax.lines[1]`` the expected cumulative repeat
        purchases; their ``get_xdata()`` are the days (``datetime64[D]``).

    Examples
    --------
    >>> from custcentric.plot import cumulative_purchases
    >>> from custcentric.tables import TransactionLog
    >>> from custcentric.value import BetaGeo
    >>> log = TransactionLog.from_arrays(
    ...     ["a", "a", "a", "b", "b"],
    ...     ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-03", "2024-02-01"],
    ...     [10.0, 5.0, 20.0, 8.0, 12.0])
    >>> ax = cumulative_purchases(BetaGeo(0.24, 4.4, 0.79, 2.4, time_unit="W"), log)
    >>> int(ax.lines[0].get_ydata()[-1])
    2
    """
    require(model, "value", ("BetaGeo", "ModifiedBetaGeo", "ParetoNBD"), "model")
    require(transactions, "tables", "TransactionLog", "transactions")
    points = int(check_number(n_points, "n_points", low=2, integer=True))
    if len(transactions) == 0:
        msg = "`transactions` must hold at least one purchase (got none)."
        raise InvalidInputError(msg)
    from custcentric.value import PERIOD_DAYS

    days = transactions.timestamp.astype("datetime64[D]").astype(np.int64)
    _, customer = np.unique(transactions.customer_id, return_inverse=True)
    first_day = int(days.min())
    span = int(days.max()) - first_day + 1
    key = np.unique(customer.astype(np.int64) * span + (days - first_day))
    who, day = key // span, key % span
    is_birth = np.r_[True, who[1:] != who[:-1]]
    births = np.bincount(day[is_birth], minlength=span)
    repeats = np.bincount(day[~is_birth], minlength=span)
    grid = np.unique(np.linspace(0, span - 1, min(points, span)).round().astype(np.int64))
    actual = np.cumsum(repeats)[grid].astype(np.float64)
    born = np.flatnonzero(births)
    unit = PERIOD_DAYS[str(model.time_unit or "D")]
    age = (grid[:, None] - born[None, :]) / unit
    mean = np.asarray(model.expected_purchases(np.maximum(age, 0.0).ravel()), dtype=np.float64)
    expected = (mean.reshape(age.shape) * (age >= 0) * births[born][None, :]).sum(axis=1)
    dates = (grid + first_day).astype("datetime64[D]")
    ax = new_axes(ax, figsize)
    ax.plot(dates, actual, color=colour(0), linewidth=2, label="actual")
    ax.plot(
        dates, expected, color=colour(1), linewidth=2, linestyle="--", label="expected by the model"
    )
    if calibration_end is not None:
        from matplotlib.dates import date2num

        end = float(date2num(np.datetime64(str(calibration_end), "D")))  # type: ignore[no-untyped-call]
        ax.axvline(end, color="0.4", linestyle=":", label="end of calibration")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="upper left")
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return finish(
        ax,
        title=title,
        default_title="Cumulative repeat purchases of the base, actual vs expected",
        xlabel="Date (day of purchase)",
        ylabel="Repeat purchases since the start (count)",
    )
