"""Every public result class of metrics, segmentation and maturity has the three faces.

The result base (:class:`custcentric._result.Result`) promises, for each class it serves:
``str(result) == result.summary()``, a strict-JSON ``to_dict()`` (``json.dumps(d,
allow_nan=False)`` accepts it), a ``to_pandas()`` DataFrame, and read-only arrays on every
array field. The classes are enumerated from each package's ``__all__``, so a new public
result class fails here until :data:`EXAMPLES` builds one; several examples are edge cases
(empty tiers, an infinite median, an infinite standard error) where non-finite numbers
could leak into JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from custcentric import maturity, metrics, segmentation
from custcentric._result import Result
from custcentric._stats import ConfidenceInterval

PACKAGES = (metrics, segmentation, maturity)
#: Public classes of these packages that are not results of theirs: the interval value lives
#: in ``custcentric._stats`` and is shared by every part (it has ``to_dict`` and ``__str__``).
NOT_RESULTS = {ConfidenceInterval}


def _ratings() -> dict[str, dict[str, int]]:
    return {
        "sales": {"insight-01": 3, "insight-02": 2, "strategy-01": 3},
        "it": {"insight-01": 1, "insight-02": 2, "strategy-01": 2},
    }


def _assessment() -> maturity.Assessment:
    return maturity.assess(maturity.default_catalogue(), _ratings())


def _team() -> list[maturity.TeamMember]:
    team = [maturity.TeamMember(name=f"m{i}", expertise="organisational") for i in range(7)]
    team.append(maturity.TeamMember(name="dev", expertise="technical"))
    team.append(maturity.TeamMember(name="net", expertise="technical", fte=0.5, core=False))
    return team


_FEATURES = np.array([[1.0, 2.0], [1.1, 2.1], [5.0, 6.0], [5.2, 6.1], [9.0, 1.0], [9.1, 1.2]])
_REVENUE = [1200, 80, 45, 300, 15, 60, 950, 20, 10, 35]


def _metrics() -> Iterator[object]:
    yield metrics.nps([10, 9, 8, 6, 10, 3, 9, 7])
    yield metrics.nps_difference([10, 10, 9, 8, 3], [10, 7, 6, 5, 2, 1])
    # Both standard errors 0 and the scores differ: an infinite z statistic.
    yield metrics.nps_difference([10, 10], [0, 0])
    yield metrics.csat([5, 4, 3, 5])
    yield metrics.csat([5])  # one answer: an infinite standard error of the mean
    yield metrics.ces([7, 6, 5, 6, 2])
    yield metrics.ces([7])  # one answer: an infinite standard error
    yield metrics.churn_rate([1, 0, 0, 1, 0])
    yield metrics.RateResult.from_counts(45, 60, kind="retention")
    groups = ["a", "a", "a", "b", "b", "b"]
    yield metrics.nps_by_group([10, 9, 3, 8, 10, 6], groups)
    yield metrics.csat_by_group([5, 4, 1, 3, 5, 2], groups)
    yield metrics.ces_by_group([7, 6, 1, 3, 5, 2], ["a", "a", "a", "b", "b", "c"])
    yield metrics.kaplan_meier([3.0, 5.0, 5.0, 8.0, 12.0], [1, 1, 0, 1, 0])  # median not reached
    yield metrics.kaplan_meier([2.0, 3.0, 3.0, 7.0], [1, 1, 0, 1])  # the curve reaches 0
    yield metrics.retention_curve(
        ["2024-01-05", "2024-01-20", "2024-02-03"],
        ["2024-02-10", "NaT", "NaT"],
        observation_end="2024-03-31",
    )


def _segmentation() -> Iterator[object]:
    tiers = segmentation.value_tiers(_REVENUE, customer_id=list(range(10)))
    yield tiers
    yield tiers.segmentation
    yield segmentation.value_tiers([5.0, 1.0], shares=(0.1, 0.9))  # an empty top tier
    yield segmentation.abc_classes(_REVENUE)
    yield segmentation.abc_classes([0.0, -1.0, 0.0])  # no positive value: every class empty
    yield segmentation.concentration(_REVENUE)
    yield segmentation.kmeans(_FEATURES, 2, rng=1)
    yield segmentation.choose_n_clusters(_FEATURES, [2, 3], rng=1)
    yield segmentation.profile_segments(_FEATURES, [0, 0, 1, 1, 2, 2])
    yield segmentation.MigrationModel.fit(
        ["a", "a", "b", "b", "c", "c"], ["a", "b", "b", "c", "c", "a"]
    )
    yield segmentation.lifecycle_funnel([[0.5, 0.3], [0.0, 0.6]], [[0.2, 0.0], [0.1, 0.3]])
    yield segmentation.rfm_segments(([5, 4, 1], [5, 1, 5], [4, 2, 5]))
    yield segmentation.RFM_SEGMENT_RULES
    yield segmentation.RFM_PACKAGE_RULES
    yield segmentation.RFMRule(name="Best", r=(4, 5), f=5)


def _maturity() -> Iterator[object]:
    result = _assessment()
    yield result
    yield result.blocking[0]
    yield maturity.default_catalogue()
    aligned = maturity.alignment(result, target_stage="customer_focus")
    yield aligned
    yield aligned.disagreements[0]
    yield maturity.kendall_w([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]])
    plan = maturity.roadmap(result, "customer_focus")
    yield plan
    yield plan.steps[0]
    yield maturity.Measure(name="retention", target=0.85, actual=0.8)
    yield maturity.Measure(name="queue", target=3.0, kind="efficiency", unit="min")
    yield maturity.Scorecard(measures=[{"name": "service_cost", "target": 4.0, "actual": 3.5}])
    yield maturity.readiness({k: [4, 5] for k in maturity.CHARACTERISTICS}, team=_team())
    yield maturity.check_team(_team())
    yield _team()[0]


EXAMPLES: tuple[Callable[[], Iterator[object]], ...] = (_metrics, _segmentation, _maturity)


def _instances() -> list[object]:
    return [item for build in EXAMPLES for item in build()]


def _public_result_classes() -> list[type]:
    found = []
    for package in PACKAGES:
        for name in package.__all__:
            value = getattr(package, name)
            if isinstance(value, type) and attrs.has(value) and value not in NOT_RESULTS:
                found.append(value)
    return found


INSTANCES = _instances()
CLASSES = _public_result_classes()


def _id(value: object) -> str:
    return type(value).__name__


def test_the_registry_builds_every_public_result_class() -> None:
    built = {type(x) for x in INSTANCES}
    missing = sorted(c.__name__ for c in CLASSES if c not in built)
    assert not missing, f"add an example of {missing} to EXAMPLES"
    assert len(CLASSES) >= 31


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_public_result_class_derives_from_the_result_base(cls: type) -> None:
    assert issubclass(cls, Result)


@pytest.mark.parametrize("result", INSTANCES, ids=_id)
def test_str_is_the_summary(result: Any) -> None:
    text = result.summary()
    assert isinstance(text, str)
    assert text.strip()
    assert str(result) == text
    assert type(result).summary is not Result.summary  # written for the class, not the fallback


@pytest.mark.parametrize("result", INSTANCES, ids=_id)
def test_to_dict_is_strict_json(result: Any) -> None:
    data = result.to_dict()
    assert isinstance(data, dict)
    assert data
    text = json.dumps(data, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == data  # nothing but plain JSON types inside


@pytest.mark.parametrize("result", INSTANCES, ids=_id)
def test_to_pandas_is_a_data_frame(result: Any) -> None:
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape[1] >= 1


def _arrays(value: object, seen: set[int] | None = None) -> Iterator[tuple[str, np.ndarray]]:
    """Every ndarray reachable through attrs fields, dicts and tuples (nested results too)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        yield "", value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            for path, array in _arrays(getattr(value, field.name), seen):
                yield f".{field.name}{path}", array
    elif isinstance(value, dict):
        for key, item in value.items():
            for path, array in _arrays(item, seen):
                yield f"[{key!r}]{path}", array
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            for path, array in _arrays(item, seen):
                yield f"[{i}]{path}", array


@pytest.mark.parametrize("result", INSTANCES, ids=_id)
def test_every_array_field_is_read_only(result: Any) -> None:
    for path, array in _arrays(result):
        assert not array.flags.writeable, f"{type(result).__name__}{path} is writable"
        with pytest.raises(ValueError, match="read-only"):
            array.reshape(-1)[:1] = array.reshape(-1)[:1]


def test_the_array_walk_can_fail() -> None:
    @attrs.frozen
    class Loose:
        values: np.ndarray

    assert [p for p, a in _arrays(Loose(np.zeros(2))) if a.flags.writeable] == [".values"]
