"""Scenario pictures (Agg): trajectories with bands, compare deltas, tornado."""

from __future__ import annotations

import io

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from custcentric.exceptions import InvalidInputError  # noqa: E402
from custcentric.plot._simulate import comparison_deltas, kpi_trajectory, tornado  # noqa: E402
from custcentric.simulate import compare, example_scenario, sensitivity, simulate  # noqa: E402


@pytest.fixture(scope="module")
def runs():
    base = example_scenario(n_customers=400, horizon=8)
    result = simulate(base, n_replications=4, rng=1)
    cmp = compare(base, base.replace("contact_centre.agents", 1), n_replications=3, rng=1)
    sens = sensitivity(
        base,
        {"population.spend_model.p": (2.0, 4.0), "contact_centre.handle_time": (200.0, 400.0)},
        kpi="revenue",
        n=4,
        rng=0,
    )
    return result, cmp, sens


def test_trajectory_draws_the_mean_and_a_band(runs):
    result, _, _ = runs
    ax = kpi_trajectory(result, "revenue")
    assert np.allclose(ax.lines[0].get_ydata(), result.revenue.mean(axis=0))
    assert len(ax.collections) == 1
    ax.figure.savefig(io.BytesIO(), format="png")
    with pytest.raises(InvalidInputError, match="`kpi`"):
        kpi_trajectory(result, "profit")
    with pytest.raises(InvalidInputError, match="`result`"):
        kpi_trajectory("x")


def test_deltas_are_in_percent_of_the_baseline(runs):
    _, cmp, _ = runs
    ax = comparison_deltas(cmp, kpis=["service_level"])
    i = cmp.kpi.tolist().index("service_level")
    x = ax.lines[0].get_xdata()[0]
    assert x == pytest.approx(100 * cmp.difference[i] / cmp.baseline[i])
    with pytest.raises(InvalidInputError, match="`kpis`"):
        comparison_deltas(cmp, kpis=["campaign_cost"])


def test_tornado_puts_the_largest_swing_on_top(runs):
    _, _, sens = runs
    ax = tornado(sens)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "population.spend_model.p"
    assert len(ax.patches) == 4
