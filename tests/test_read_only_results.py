"""Every ndarray on a result of segmentation, metrics and process is read-only.

The result classes are frozen attrs values; their arrays are frozen at construction with
:func:`custcentric.tables._columns.frozen`, so ``result.duration[0] = -99`` raises. The checks
loop over ``attrs.fields`` of each instance, so a new array field is covered without
touching this file, and every attrs class with an array field in these packages must be
built here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np
import pytest

from custcentric import metrics, process, segmentation
from custcentric.metrics._inputs import moments, score_histogram
from custcentric.tables import EventLog


def _event_log() -> EventLog:
    t = np.datetime64("2024-01-01T09:00", "s")
    hour = np.timedelta64(3600, "s")
    return EventLog.from_arrays(
        ["k1", "k1", "k1", "k2", "k2", "k3"],
        ["p", "p", "p", "p", "p", "p"],
        ["a", "b", "c", "a", "c", "a"],
        [t, t + hour, t + 5 * hour, t + 2 * hour, t + 30 * hour, t + 3 * hour],
        ["c1", "c1", "c1", "c2", "c2", "c3"],
    )


def _segmentation_results() -> Iterator[object]:
    revenue = [1200, 80, 45, 300, 15, 60, 950, 20, 10, 35]
    tiers = segmentation.value_tiers(revenue, customer_id=list(range(10)))
    yield tiers
    yield tiers.segmentation
    yield segmentation.assign_service_tiers(
        tiers.segmentation, {1: "gold", 2: "silver", 3: "bronze"}
    )
    yield segmentation.abc_classes(revenue)
    yield segmentation.concentration(revenue)
    features = np.array([[1.0, 2.0], [1.1, 2.1], [5.0, 6.0], [5.2, 6.1], [9.0, 1.0], [9.1, 1.2]])
    yield segmentation.kmeans(features, 2, rng=1)
    yield segmentation.choose_n_clusters(features, [2, 3], rng=1)
    yield segmentation.profile_segments(features, [0, 0, 1, 1, 2, 2])
    before = ["a", "a", "b", "b", "c", "c"]
    after = ["a", "b", "b", "c", "c", "a"]
    model = segmentation.MigrationModel.fit(before, after)
    yield model
    yield segmentation.lifecycle_funnel([[0.5, 0.3], [0.0, 0.6]], [[0.2, 0.0], [0.1, 0.3]])


def _metrics_results() -> Iterator[object]:
    scores = [10, 9, 3, 8, 10, 6]
    groups = ["a", "a", "a", "b", "b", "b"]
    yield metrics.nps_by_group(scores, groups)
    yield metrics.csat_by_group([5, 4, 1, 3, 5, 2], groups)
    yield metrics.ces_by_group([7, 6, 1, 3, 5, 2], groups)
    yield metrics.kaplan_meier([3.0, 5.0, 5.0, 8.0, 12.0], [1, 1, 0, 1, 0])
    start = np.array(["2024-01-10", "2024-01-20", "2024-02-05", "2024-02-10"], "datetime64[D]")
    churn = np.array(["2024-03-01", "NaT", "2024-04-15", "NaT"], "datetime64[D]")
    yield metrics.retention_curve(start, churn, period="M", observation_end="2024-06-30")
    inverse = np.array([0, 0, 1, 1], dtype=np.int64)
    yield moments(np.array([1.0, 2.0, 3.0, 5.0]), inverse, 2, None)
    yield score_histogram(np.array([1, 2, 2, 3], dtype=np.int64), 1, 3, inverse, 2, None)


def _process_results() -> Iterator[object]:
    log = _event_log()
    cycles = process.cycle_times(log)
    steps = process.step_durations(log)
    yield cycles
    yield steps
    yield process.process_performance(cycles, step_durations=steps)
    yield process.ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    y = x @ np.array([1.0, 0.5, 0.2]) + rng.normal(size=40)
    yield process.driver_importance(x, y, n_bootstrap=20, rng=1)
    yield process.key_processes({"a": 5.0, "b": 3.0, "c": 1.0})
    yield process.prioritise(
        {"a": {"cost": 1.0, "speed": 2.0}, "b": {"cost": 3.0, "speed": 1.0}},
        {"cost": 0.6, "speed": 0.4},
    )


BUILDERS: dict[str, Callable[[], Iterator[object]]] = {
    "segmentation": _segmentation_results,
    "metrics": _metrics_results,
    "process": _process_results,
}


def _results() -> list[object]:
    return [result for build in BUILDERS.values() for result in build()]


def _arrays(result: object) -> Iterator[tuple[str, np.ndarray[Any, Any]]]:
    """Yield every ndarray held by an attrs field, also inside a dict or tuple field."""
    for field in attrs.fields(type(result)):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray):
            yield field.name, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, np.ndarray):
                    yield f"{field.name}[{key!r}]", item
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, np.ndarray):
                    yield f"{field.name}[{i}]", item


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_every_array_of_a_result_is_read_only(result: object) -> None:
    found = list(_arrays(result))
    assert found, f"{type(result).__name__} holds no array"
    for name, array in found:
        assert not array.flags.writeable, f"{type(result).__name__}.{name} is writeable"
        if array.size:
            index = (0,) * array.ndim
            with pytest.raises(ValueError, match="read-only"):
                array[index] = array[index]


def test_cycle_times_duration_cannot_be_overwritten() -> None:
    cycles = process.cycle_times(_event_log())
    with pytest.raises(ValueError, match="read-only"):
        cycles.duration[0] = -99
    assert cycles.duration[0] != -99


def test_construction_copies_the_callers_arrays() -> None:
    mine = np.array([0.0, 0.5, 1.0])
    result = segmentation.Concentration(
        n_customers=2, gini=0.5, lorenz_x=mine, lorenz_y=mine, top=(0.5,), top_shares=mine[:1]
    )
    assert mine.flags.writeable  # the caller's array is not frozen ...
    mine[0] = 9.0
    assert result.lorenz_x[0] == 0.0  # ... and changing it does not change the result


def _array_classes(package: Any) -> set[type]:
    """The attrs classes of ``package`` with a field annotated as an array."""
    found = set()
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if not (attrs.has(obj) and obj.__module__ == module.__name__):
                continue
            if any("Array" in str(field.type) for field in attrs.fields(obj)):
                found.add(obj)
    return found


@pytest.mark.parametrize("package", [segmentation, metrics, process], ids=lambda p: p.__name__)
def test_every_result_class_with_arrays_is_checked(package: Any) -> None:
    built = {type(result) for result in BUILDERS[package.__name__.rsplit(".", 1)[1]]()}
    missing = _array_classes(package) - built
    assert not missing, f"build a result of {sorted(c.__name__ for c in missing)} above"
