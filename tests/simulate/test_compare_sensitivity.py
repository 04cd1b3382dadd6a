"""compare on common random numbers; sensitivity through scipy's Sobol indices."""

from __future__ import annotations

import json

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.simulate import compare, example_scenario, sensitivity


def test_identical_scenarios_differ_by_exactly_zero_on_common_random_numbers():
    base = example_scenario(n_customers=500, horizon=8)
    cmp = compare(base, base, n_replications=3, rng=2)
    assert np.all(cmp.difference == 0)
    assert np.all(cmp.low == 0)
    assert np.all(cmp.high == 0)
    assert json.loads(json.dumps(cmp.to_dict(), allow_nan=False))["common_random_numbers"]


def test_common_random_numbers_narrow_the_interval_measured():
    base = example_scenario(n_customers=2000, horizon=13)
    alt = base.replace("contact_centre.agents", 1)
    crn = compare(base, alt, n_replications=10, rng=5)
    ind = compare(base, alt, n_replications=10, rng=5, common_random_numbers=False)
    for kpi in ("net_value", "revenue"):
        w_crn = crn.interval(kpi).high - crn.interval(kpi).low
        w_ind = ind.interval(kpi).high - ind.interval(kpi).low
        assert w_crn < 0.5 * w_ind, (kpi, w_crn, w_ind)
    # Fewer agents: worse service, measured with an interval that excludes 0.
    assert crn.interval("service_level").high < 0


def test_compare_refuses_bad_input():
    base = example_scenario(n_customers=100, horizon=3)
    with pytest.raises(InvalidInputError, match="`n_replications`"):
        compare(base, base, n_replications=1)
    with pytest.raises(InvalidInputError, match="`alternative`"):
        compare(base, "x", n_replications=2)


def test_sensitivity_ranks_the_input_that_drives_the_kpi():
    s = example_scenario(n_customers=300, horizon=6)
    res = sensitivity(
        s,
        {"population.spend_model.p": (2.0, 4.0), "contact_centre.handle_time": (200.0, 400.0)},
        kpi="revenue",
        n=8,
        rng=1,
    )
    assert res.first_order[0] > 0.8
    assert res.total_order[0] > 0.8
    assert abs(res.total_order[1]) < 0.05
    assert res.kpi_at_high[0] > res.base_value > res.kpi_at_low[0]
    assert list(res.to_pandas().columns)[:3] == ["parameter", "low", "high"]


def test_sensitivity_refuses_bad_parameters():
    s = example_scenario(n_customers=100, horizon=3)
    with pytest.raises(InvalidInputError, match="`path`"):
        sensitivity(s, {"links.nothing": (0, 1)}, n=4)
    with pytest.raises(InvalidInputError, match="low < high"):
        sensitivity(s, {"links.persistence": (0.5, 0.1)}, n=4)
    with pytest.raises(InvalidInputError, match="power of 2"):
        sensitivity(s, {"links.persistence": (0.1, 0.5)}, n=6)
    with pytest.raises(InvalidInputError, match="`kpi`"):
        sensitivity(s, {"links.persistence": (0.1, 0.5)}, kpi="profit", n=4)
