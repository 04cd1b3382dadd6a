"""Step durations on a Dask event log equal custcentric.process.step_durations on the same events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, spans_partitions, split
from tests.dask.test_events import company, events, memory_log  # noqa: F401  (fixtures)

from custcentric.exceptions import InvalidInputError
from custcentric.process import step_durations as memory_step_durations

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import StepDurationFrame, step_durations  # noqa: E402

COLUMNS = ("case_id", "process", "from_activity", "activity", "start", "end", "duration")


def assert_same(got: StepDurationFrame, want: Any, scheduler: str) -> None:
    local = got.compute(scheduler=scheduler)
    expected = want.to_pandas()
    assert list(local.columns) == list(COLUMNS)
    assert len(local) == len(expected)
    for name in COLUMNS:
        values, wanted = local[name].to_numpy(), expected[name].to_numpy()
        if name in ("start", "end"):
            values, wanted = values.astype("datetime64[s]"), wanted.astype("datetime64[s]")
        elif name != "duration":
            values, wanted = values.astype(str), wanted.astype(str)
        assert np.array_equal(values, wanted), name
    assert got.time_unit == want.unit


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_step_durations_equal_in_memory(events: Any, k: int, scheduler: str) -> None:  # noqa: F811
    frame = split(events, k)
    if k > 1:
        assert spans_partitions([p.compute() for p in frame.partitions], "case_id")
    want = memory_step_durations(memory_log(events), calendar=None)
    assert_same(step_durations(frame), want, scheduler)


def test_time_unit_and_renamed_columns(events: Any) -> None:  # noqa: F811
    renamed = events.rename(columns={"activity": "step"})
    got = step_durations(split(renamed, 3), time_unit="h", columns={"activity": "step"})
    log = memory_log(events)
    hours = memory_step_durations(log, **{"time_unit" if _renamed() else "unit": "h"})
    assert_same(got, hours, "sync")


def _renamed() -> bool:
    import inspect

    return "time_unit" in inspect.signature(memory_step_durations).parameters


def test_empty_partitions_and_an_empty_frame(events: Any) -> None:  # noqa: F811
    got = step_durations(split(events.iloc[:0], 3)).compute(scheduler="sync")
    assert list(got.columns) == list(COLUMNS)
    assert len(got) == 0


def test_bad_events_name_the_column_partition_and_row(events: Any) -> None:  # noqa: F811
    with pytest.raises(InvalidInputError, match="column 'timestamp' for `timestamp`"):
        step_durations(split(events.drop(columns=["timestamp"]), 3))
    with pytest.raises(InvalidInputError, match="time_unit"):
        step_durations(split(events, 3), time_unit="fortnight")
    blank = events.copy()
    blank.loc[7, "activity"] = ""
    with pytest.raises(
        InvalidInputError, match=r"`activity` must be non-empty text \(partition 0, row 7"
    ):
        step_durations(split(blank, 1)).compute(scheduler="sync")
    late = events.copy()
    late["timestamp"] = late["timestamp"].astype("datetime64[ns]")
    late.loc[len(late) - 1, "timestamp"] = pd.NaT
    with pytest.raises(
        InvalidInputError, match=r"`timestamp` must not be missing \(partition 2, row"
    ):
        step_durations(split(late, 3)).compute(scheduler="sync")
    mixed = events.copy()
    case = mixed["case_id"].iloc[0]
    rows = mixed.index[mixed["case_id"] == case]
    mixed.loc[rows[-1], "process"] = "another-process"
    with pytest.raises(InvalidInputError, match="one process"):
        step_durations(split(mixed, 3)).compute(scheduler="sync")
