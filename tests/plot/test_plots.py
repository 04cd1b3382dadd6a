"""Every picture drawn on the bundled company: labels, the data drawn, a non-blank canvas."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from custcentric import plot
from custcentric.exceptions import InvalidInputError, MissingDependencyError
from custcentric.sla import service_level


def _pixels(ax: Axes) -> np.ndarray:
    canvas = FigureCanvasAgg(ax.figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(np.float64)


def _check_drawn(ax: Axes) -> None:
    assert isinstance(ax, Axes)
    assert ax.get_title().strip(), "no title"
    assert ax.get_xlabel().strip(), "no x label"
    assert ax.get_ylabel().strip(), "no y label"
    pixels = _pixels(ax)
    assert pixels.std() > 10, "the canvas is (nearly) blank"
    # Not one colour dominating: at least 3 % of pixels differ from the background.
    background = np.all(pixels == pixels[0, 0], axis=-1)
    assert background.mean() < 0.97


def _draw(func: Callable[..., Axes], *args: Any, **kwargs: Any) -> Axes:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = func(*args, **kwargs)
        _check_drawn(ax)
    return ax


def _bars(ax: Axes) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def test_lorenz_curve_draws_the_curve_and_the_top_share(results: Any) -> None:
    c = results.concentration
    ax = _draw(plot.lorenz_curve, c)
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    assert c.lorenz_x.size <= 2000 or x.size <= 2000
    index = np.searchsorted(c.lorenz_x, x)
    np.testing.assert_allclose(c.lorenz_x[index], x)
    np.testing.assert_allclose(c.lorenz_y[index], y)
    assert x[0] == 0
    assert x[-1] == 1
    point = ax.lines[2]
    assert point.get_xdata()[0] == pytest.approx(0.8)
    assert point.get_ydata()[0] == pytest.approx(1 - c.top_share(0.2))
    assert f"{c.gini:.2f}" in ax.get_title()


def test_lorenz_curve_keeps_every_point_of_a_small_base() -> None:
    from custcentric.segmentation import concentration

    c = concentration([1, 2, 3, 4, 10])
    ax = plot.lorenz_curve(c)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), c.lorenz_x)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), c.lorenz_y)


def test_value_tiers_bars_are_the_shares(results: Any) -> None:
    t = results.tiers
    ax = _draw(plot.value_tiers, t)
    customers, value = _bars(ax)
    np.testing.assert_allclose([p.get_height() for p in customers], t.customer_share)
    np.testing.assert_allclose([p.get_height() for p in value], t.value_share)
    assert [tick.get_text() for tick in ax.get_xticklabels()] == list(t.names)


def test_rfm_segments_bars_are_the_sizes(results: Any) -> None:
    ax = _draw(plot.rfm_segments, results.rfm)
    np.testing.assert_array_equal([p.get_width() for p in ax.patches], results.rfm.sizes)


def test_migration_matrix_image_is_the_matrix(results: Any) -> None:
    m = results.migration
    ax = _draw(plot.migration_matrix, m)
    np.testing.assert_allclose(ax.images[0].get_array(), m.transition_matrix)
    assert [tick.get_text() for tick in ax.get_yticklabels()] == list(m.states)


@pytest.mark.parametrize("quantity", ["probability_alive", "expected_purchases"])
def test_frequency_recency_heatmap_cells_are_the_model(results: Any, quantity: str) -> None:
    model = results.model
    ax = _draw(
        plot.frequency_recency_heatmap, model, T=104.0, max_frequency=20, quantity=quantity, t=52.0
    )
    grid = ax.images[0].get_array()
    assert grid.shape == (21, 60)
    assert grid.mask[0, 1:].all()
    assert not grid.mask[0, 0]
    recency = np.linspace(0, 104.0, 60)
    if quantity == "probability_alive":
        expected = model.probability_alive(np.full(60, 5), recency, np.full(60, 104.0))
    else:
        expected = model.conditional_expected_purchases(
            np.full(60, 5), recency, np.full(60, 104.0), t=52.0
        )
    np.testing.assert_allclose(grid[5], expected)
    assert "weeks" in ax.get_xlabel()


def test_frequency_recency_heatmap_refuses_an_unknown_quantity(results: Any) -> None:
    with pytest.raises(InvalidInputError, match="quantity"):
        plot.frequency_recency_heatmap(results.model, T=10, max_frequency=3, quantity="clv")
    with pytest.raises(InvalidInputError, match="PurchaseModel"):
        plot.frequency_recency_heatmap("model", T=10, max_frequency=3)


def test_calibration_holdout_lines_are_the_means(results: Any) -> None:
    h = results.holdout
    ax = _draw(plot.calibration_holdout, h)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), h.actual)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), h.expected)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), h.frequency)
    assert ax.get_xticklabels()[-1].get_text() == f"{h.max_frequency}+"


def test_clv_distribution_counts_every_customer(results: Any) -> None:
    ax = _draw(plot.clv_distribution, results.clv, currency="EUR")
    assert sum(p.get_height() for p in ax.patches) == len(np.asarray(results.clv))
    assert "EUR" in ax.get_xlabel()
    mean = float(np.mean(np.asarray(results.clv)))
    assert ax.lines[0].get_xdata()[0] == pytest.approx(mean)


def test_clv_distribution_refuses_nan() -> None:
    with pytest.raises(InvalidInputError, match="index 1"):
        plot.clv_distribution([1.0, float("nan")])


def test_survival_curves_steps_bands_and_marks(results: Any) -> None:
    ax = _draw(plot.survival_curves, results.km, censored=results.censored)
    curves = [line for line in ax.lines if line.get_drawstyle() == "steps-post"]
    assert len(curves) == 2
    for line, km in zip(curves, results.km.values(), strict=True):
        np.testing.assert_allclose(line.get_ydata(), np.concatenate(([1.0], km.survival)))
        np.testing.assert_allclose(line.get_xdata(), np.concatenate(([0.0], km.time)))
    marks = [line for line in ax.lines if line.get_marker() == "|"]
    gold = results.km["gold"]
    np.testing.assert_allclose(marks[0].get_ydata(), gold.survival_at(results.censored["gold"]))
    assert len(ax.collections) == 2  # one band per group


def test_survival_curves_refuse_unkeyed_marks_for_several_groups(results: Any) -> None:
    with pytest.raises(InvalidInputError, match="mapping"):
        plot.survival_curves(results.km, censored=[1.0, 2.0])


def test_retention_curves_one_line_per_cohort_and_the_average(results: Any) -> None:
    r = results.retention
    ax = _draw(plot.retention_curves, r)
    assert len(ax.lines) == r.retention.shape[0] + 1
    np.testing.assert_allclose(ax.lines[0].get_ydata(), r.retention[0, r.observed[0]])
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), r.average()["retention"])


def test_metric_by_group_points_and_intervals(results: Any) -> None:
    g = results.nps
    ax = _draw(plot.metric_by_group, g)
    np.testing.assert_allclose(ax.lines[0].get_xdata(), g.estimate)
    assert "NPS" in ax.get_xlabel()
    with pytest.raises(InvalidInputError, match="order"):
        plot.metric_by_group(g, order=["nonsense"])


def test_cycle_time_distribution_medians_targets_and_share_late(results: Any) -> None:
    ct, targets = results.cycle, results.targets
    ax = _draw(plot.cycle_time_distribution, ct, targets=targets)
    processes = np.unique(ct.process)
    medians = [
        line
        for line in ax.lines
        if line.get_linewidth() == 2
        and len(line.get_xdata()) == 2
        and line.get_color() != "#D55E00"
    ]
    for k, pid in enumerate(processes.tolist()):
        closed = ct.duration[(ct.process == pid) & ct.closed]
        assert medians[k].get_xdata()[0] == pytest.approx(np.median(closed))
    assert len(ax.texts) == len(set(targets) & set(processes.tolist()))
    pid = sorted(set(targets) & set(processes.tolist()))[0]
    inside = ct.process == pid
    late = ct.duration[inside] > targets[pid]
    share = late[ct.closed[inside] | late].mean()
    assert f"{100 * share:.0f} % late" in [t.get_text() for t in ax.texts]


def test_sla_compliance_bars_are_the_rows(results: Any) -> None:
    report = results.sla
    ax = _draw(plot.sla_compliance, report)
    bars = _bars(ax)
    tiers = [*dict.fromkeys(r.tier for r in report.rows if r.tier != "all"), "all"]
    assert len(bars) == len(tiers)
    groups = list(dict.fromkeys(r.group for r in report.rows))
    cell = {(r.group, r.tier): r for r in report.rows}
    for tier, container in zip(tiers, bars, strict=True):
        for group, patch in zip(groups, container, strict=True):
            row = cell.get((group, tier))
            want = row.compliance if row is not None and row.compliance is not None else 0.0
            assert patch.get_width() == pytest.approx(want)


def test_compensation_paid_bars_are_the_amounts(results: Any) -> None:
    report = results.sla
    ax = _draw(plot.compensation_paid, report, currency="EUR")
    groups = list(dict.fromkeys(r.group for r in report.rows))
    want = [report.row(g).compensation for g in groups]
    np.testing.assert_allclose([p.get_width() for p in ax.patches], want)


def test_service_level_curve_is_erlang_c() -> None:
    ax = _draw(plot.service_level_curve, 12.5, handle_time=360, answer_time=20, target=0.8)
    agents = ax.lines[0].get_xdata()
    np.testing.assert_allclose(
        ax.lines[0].get_ydata(), service_level(12.5, agents, answer_time=20, handle_time=360)
    )
    assert agents[0] == 13
    level = ax.lines[0].get_ydata()
    first = agents[np.flatnonzero(level >= 0.8)[0]]
    assert ax.lines[2].get_xdata()[0] == first


def test_maturity_heatmap_cells_are_the_mean_levels(results: Any) -> None:
    a = results.assessment
    ax = _draw(plot.maturity_heatmap, a)
    grid = ax.images[0].get_array()
    assert grid.shape[0] == len(a.raters)
    areas = list(dict.fromkeys(x.value for x in a.areas))
    inside = np.array([x.value == areas[0] for x in a.areas])
    row = a.rater_levels[0, inside]
    assert grid[0, 0] == pytest.approx(row[row >= 0].mean())


def test_roadmap_waves_count_every_step(results: Any) -> None:
    plan = results.roadmap
    ax = _draw(plot.roadmap_waves, plan)
    assert sum(p.get_height() for p in ax.patches) == len(plan.steps)


def test_differentiation_matrix_is_the_value_share(differentiation: Any) -> None:
    d = differentiation
    ax = _draw(plot.differentiation_matrix, d)
    np.testing.assert_allclose(ax.images[0].get_array(), d.value_share)
    assert d.strategy in ax.get_title()


def test_every_function_draws_on_a_given_axes_and_leaves_settings_alone(results: Any) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    figure = Figure()
    ax = figure.add_subplot()
    assert plot.lorenz_curve(results.concentration, ax) is ax
    assert plot.value_tiers(results.tiers, ax=figure.add_subplot(2, 1, 2)).figure is figure
    assert dict(matplotlib.rcParams) == before
    with pytest.raises(InvalidInputError, match="Axes"):
        plot.lorenz_curve(results.concentration, ax="not axes")  # type: ignore[arg-type]


def test_wrong_result_types_are_refused(results: Any) -> None:
    for func in (
        plot.lorenz_curve,
        plot.value_tiers,
        plot.sla_compliance,
        plot.maturity_heatmap,
        plot.cycle_time_distribution,
        plot.survival_curves,
    ):
        with pytest.raises(InvalidInputError, match="must be a custcentric"):
            func(results.holdout)


def test_drawing_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from custcentric.segmentation import concentration

    result = concentration([1, 2, 3])
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError, match=r'pip install "custcentric\[plot\]"'):
        plot.lorenz_curve(result)


def test_importing_the_plots_does_not_import_matplotlib_and_drawing_skips_pyplot() -> None:
    code = (
        "import sys, custcentric.plot\n"
        "assert 'matplotlib' not in sys.modules, 'imported matplotlib'\n"
        "from custcentric.segmentation import concentration\n"
        "custcentric.plot.lorenz_curve(concentration([1, 2, 3]))\n"
        "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names_have_examples() -> None:
    import inspect

    for name in plot.__all__:
        obj = getattr(plot, name)
        if inspect.isfunction(obj):
            assert ">>>" in (obj.__doc__ or ""), name


def test_clv_distribution_clips_the_tail_into_the_last_bar(results: Any) -> None:
    values = np.asarray(results.clv)
    ax = plot.clv_distribution(values, clip=0.99, bins=20)
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights.sum() == values.size
    right = ax.patches[-1].get_x() + ax.patches[-1].get_width()
    assert right == pytest.approx(np.quantile(values, 0.99))
    assert heights[-1] >= np.count_nonzero(values >= np.quantile(values, 0.99))
    assert "last bar" in ax.get_xlabel()


def test_survival_curve_runs_flat_to_the_last_censored_customer() -> None:
    from custcentric.metrics import kaplan_meier

    km = kaplan_meier([3, 5, 5, 8, 10, 14], [1, 1, 0, 1, 0, 0])
    ax = plot.survival_curves(km, censored=[5, 10, 14], xlabel="Tenure (weeks)")
    flat = ax.lines[-1]
    assert flat.get_xdata().tolist() == [8.0, 14.0]
    assert flat.get_ydata().tolist() == [km.survival[-1]] * 2
    assert ax.get_xlabel() == "Tenure (weeks)"


def test_maturity_radar_draws_the_area_levels_and_the_target(results: Any) -> None:
    a = results.assessment
    ax = _draw(plot.maturity_radar, a, target="customer_centric")
    assert ax.name == "polar"
    levels = a.area_levels()
    values = list(levels.values())
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [*values, values[0]])
    assert set(ax.lines[1].get_ydata().tolist()) == {4.0}
    assert [t.get_text() for t in ax.get_xticklabels()] == [n.replace("_", " ") for n in levels]
    with pytest.raises(InvalidInputError, match="polar"):
        plot.maturity_radar(a, Figure().add_subplot())
    with pytest.raises(InvalidInputError, match="maturity stage"):
        plot.maturity_radar(a, target="excellent")


def test_cumulative_purchases_actual_and_expected(results: Any) -> None:
    from custcentric.value import PERIOD_DAYS

    log, model = results.company.transactions, results.model
    ax = _draw(plot.cumulative_purchases, model, log, calibration_end="2025-06-30", n_points=50)
    dates = ax.lines[0].get_xdata().astype("datetime64[D]")
    # Actual: repeat purchase days (distinct days after each customer's first) up to each date.
    days = log.timestamp.astype("datetime64[D]")
    pairs = np.unique(np.rec.fromarrays([log.customer_id, days.astype(np.int64)]))
    ids, day = pairs["f0"], pairs["f1"]
    first = np.r_[True, ids[1:] != ids[:-1]]
    want = [(day[~first] <= d).sum() for d in dates.astype(np.int64)]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), want)
    # Expected: the sum over customers born by each date of E[X(age)].
    birth = day[first]
    k = len(dates) // 2
    age = (dates[k].astype(np.int64) - birth[birth <= dates[k].astype(np.int64)]) / PERIOD_DAYS["W"]
    expected = np.sum(model.expected_purchases(age))
    assert ax.lines[1].get_ydata()[k] == pytest.approx(expected, rel=1e-9)
    assert len(ax.lines) == 3  # and the end of calibration


def test_rfm_grid_counts_and_names_the_cells(results: Any) -> None:
    scores, segments = results.scores, results.rfm
    ax = _draw(plot.rfm_grid, scores, segments)
    grid = ax.images[0].get_array()
    r, f = np.asarray(scores.recency_score), np.asarray(scores.frequency_score)
    assert grid[4, 4] == np.count_nonzero((r == 5) & (f == 5))
    assert grid.sum() == len(scores)
    inside = (r == 5) & (f == 5)
    names, counts = np.unique(np.asarray(segments.labels)[inside], return_counts=True)
    top = str(names[np.argmax(counts)])
    assert any(t.get_text().startswith(top.split()[0]) for t in ax.texts)
    from custcentric.segmentation import Segmentation

    two = Segmentation.from_labels(["a", "b"])
    with pytest.raises(InvalidInputError, match="one label per customer"):
        plot.rfm_grid(scores, two)


def test_frequency_recency_heatmap_draws_a_users_own_model() -> None:
    # Any PurchaseModel: one whose customers are alive with probability 1 / (1 + frequency).
    import attrs

    from custcentric.tables import PerCustomer

    @attrs.frozen
    class Toy:
        time_unit: str = "W"

        def probability_alive(self, summary: Any) -> PerCustomer:
            values = 1.0 / (1.0 + np.asarray(summary.frequency, dtype=np.float64))
            return PerCustomer(
                customer_id=summary.customer_id, values=values, name="p", unit="probability"
            )

        def conditional_expected_purchases(self, summary: Any, *, t: float) -> PerCustomer:
            values = np.full(len(summary), t)
            return PerCustomer(
                customer_id=summary.customer_id, values=values, name="x", unit="purchases"
            )

    ax = plot.frequency_recency_heatmap(Toy(), T=10.0, max_frequency=3, n_recency=5)
    grid = np.ma.getdata(ax.images[0].get_array())
    np.testing.assert_allclose(grid[1:, -1], 1.0 / (1.0 + np.arange(1, 4)))  # x = 0: blank
    assert grid[0, 0] == 1.0
