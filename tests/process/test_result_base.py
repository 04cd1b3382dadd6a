"""Process results on the result base: strict JSON, read-only arrays, str from summary,
``time_unit`` with ``unit`` deprecated, and the redesign plan's JSON round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.process import (
    RedesignPlan,
    RedesignProgramme,
    ahp_weights,
    cycle_times,
    driver_importance,
    key_processes,
    prioritise,
    process_performance,
    step_durations,
)
from custcentric.tables import EventLog

LOG = EventLog.from_arrays(
    ["k1", "k1", "k1", "k2", "k2"],
    ["claim"] * 5,
    ["open", "check", "close", "open", "close"],
    ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-02", "2024-01-04"],
    ["c1", "c1", "c1", "c2", "c2"],
)


def _results():
    perf = process_performance(cycle_times(LOG), step_durations=step_durations(LOG))
    return {
        "ahp": ahp_weights([[1, 3], [1 / 3, 1]], labels=["a", "b"]),
        "key": key_processes({"repair": 50, "billing": 30, "moving": 20}, coverage=0.8),
        "priorities": prioritise(
            {"repair": {"retention": 9}, "billing": {"retention": 3}}, {"retention": 1.0}
        ),
        "drivers": driver_importance(
            [[1, 3], [2, 1], [3, 4], [4, 2], [5, 5], [6, 3]], [2, 3, 5, 6, 9, 9]
        ),
        "performance": perf,
        "bottleneck": perf.bottlenecks["claim"][0],
    }


@pytest.mark.parametrize("name", sorted(_results()))
def test_results_print_their_summary_and_write_strict_json(name):
    result = _results()[name]
    assert str(result) == result.summary()
    assert str(result)  # not empty
    json.dumps(result.to_dict(), allow_nan=False)
    assert len(result.to_pandas()) >= 1


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("ahp", "weights"),
        ("ahp", "matrix"),
        ("key", "impact"),
        ("priorities", "score"),
        ("drivers", "raw"),
        ("performance", "median"),
    ],
)
def test_array_fields_are_read_only(name, field):
    array = getattr(_results()[name], field)
    with pytest.raises(ValueError, match="read-only"):
        array.flat[0] = -99.0


def test_performance_reports_time_unit_and_keeps_unit_deprecated():
    perf = _results()["performance"]
    assert perf.time_unit == "D"
    assert perf.to_dict()["time_unit"] == "D"
    assert "unit" not in perf.to_dict()
    with pytest.warns(CustcentricDeprecationWarning, match=r"`ProcessPerformance\.unit`"):
        assert perf.unit == "D"


def test_redesign_plan_round_trips_through_json_with_every_step(company):
    programme = RedesignProgramme(company.processes, company.events)
    programme = programme.audit().key_processes(coverage=0.8).implementation()
    programme = programme.ownership().dependencies()
    plan = programme.plan()
    text = json.dumps(plan.to_dict(), allow_nan=False)
    back = RedesignPlan.from_dict(json.loads(text))
    assert back.to_dict() == plan.to_dict()
    assert back.audit == plan.audit
    assert back.key_processes.key == plan.key_processes.key
    assert back.time_unit == "D"
    assert str(programme).startswith("Redesign programme over")


def test_redesign_plan_from_dict_reads_the_former_unit_key_and_refuses_bad_data():
    plan = RedesignPlan(key=("a",), time_unit="h")
    data = plan.to_dict()
    data["unit"] = data.pop("time_unit")
    assert RedesignPlan.from_dict(data).time_unit == "h"
    with pytest.raises(InvalidInputError, match="must only have the keys"):
        RedesignPlan.from_dict({**plan.to_dict(), "colour": 1})
    with pytest.raises(InvalidInputError, match=r"`audit\[0\]` must hold the fields of AuditEntry"):
        RedesignPlan.from_dict({**plan.to_dict(), "audit": [{"process": "x"}]})
    with pytest.warns(CustcentricDeprecationWarning, match="`unit=` is deprecated"):
        assert RedesignPlan(unit="h").time_unit == "h"


def test_redesign_plan_key_processes_arrays_come_back_equal():
    kp = key_processes({"repair": 50, "billing": 30}, coverage=0.8)
    back = RedesignPlan.from_dict(RedesignPlan(key_processes=kp).to_dict())
    assert back.key_processes is not None
    np.testing.assert_array_equal(back.key_processes.impact, kp.impact)
