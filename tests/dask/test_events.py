"""Cycle times on a Dask event log equal custcentric.process.cycle_times on the same events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, spans_partitions, split

from custcentric.exceptions import InvalidInputError
from custcentric.process import cycle_times as memory_cycle_times
from custcentric.tables import EventLog

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import CycleTimeFrame, cycle_times  # noqa: E402

FIELDS = (
    "case_id",
    "process",
    "customer_id",
    "start",
    "end",
    "duration",
    "closed",
    "n_events",
    "last_activity",
)


@pytest.fixture(scope="module")
def company() -> Any:
    from custcentric.datasets import load_sample_company

    return load_sample_company()


@pytest.fixture(scope="module", params=["str", "int"])
def events(request: pytest.FixtureRequest, company: Any) -> Any:
    """The sample company's events (a slice), shuffled, with text or integer case ids."""
    log = company.events
    frame = pd.DataFrame(
        {
            "case_id": log.case_id,
            "process": log.process,
            "activity": log.activity,
            "timestamp": log.timestamp,
            "customer_id": log.customer_id,
        }
    ).iloc[:6000]
    if request.param == "int":
        frame["case_id"] = pd.factorize(frame["case_id"])[0] * 3 + 11
    # equal timestamps within a case: the log order decides the last activity
    frame.loc[frame.index[1], "timestamp"] = frame["timestamp"].iloc[0]
    return frame.sample(frac=1.0, random_state=5).reset_index(drop=True)


def memory_log(frame: Any) -> Any:
    return EventLog.from_arrays(
        frame["case_id"].to_numpy(),
        frame["process"].to_numpy(),
        frame["activity"].to_numpy(),
        frame["timestamp"].to_numpy(dtype="datetime64[s]"),
        frame["customer_id"].to_numpy(),
    )


def assert_same(got: CycleTimeFrame, want: Any, scheduler: str) -> None:
    local = got.compute(scheduler=scheduler)
    assert len(local) == len(want)
    for name in FIELDS:
        values = local[name].to_numpy()
        expected = getattr(want, name)
        if name in ("start", "end"):
            values = values.astype("datetime64[s]")
        assert np.array_equal(values.astype(expected.dtype), expected), name
    assert got.final_activity == want.final_activity
    assert got.final_activity_inferred == want.final_activity_inferred
    assert got.observation_end == want.observation_end


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_cycle_times_equal_in_memory(events: Any, company: Any, k: int, scheduler: str) -> None:
    frame = split(events, k)
    if k > 1:
        assert spans_partitions([p.compute() for p in frame.partitions], "case_id")
    log = memory_log(events)
    want = memory_cycle_times(log, processes=company.processes, observation_end="2026-01-10")
    got = cycle_times(
        frame, processes=company.processes, observation_end="2026-01-10", scheduler=scheduler
    )
    assert_same(got, want, scheduler)


@pytest.mark.parametrize("k", [1, 17])
def test_inferred_final_activities_and_default_end(events: Any, k: int) -> None:
    want = memory_cycle_times(memory_log(events), time_unit="h")
    got = cycle_times(split(events, k), time_unit="h", scheduler="sync")
    assert_same(got, want, "sync")


def test_bad_events_name_the_partition_and_row(events: Any) -> None:
    frame = split(events, 3)
    late = cycle_times(
        frame,
        processes=dict.fromkeys(events["process"].unique(), "x"),
        observation_end="2024-06-01",
    )
    with pytest.raises(
        InvalidInputError, match=r"later than `observation_end` \(partition [02], row \d+: "
    ):
        late.compute(scheduler="sync")
    with pytest.raises(InvalidInputError, match="column 'activity' for `activity`"):
        cycle_times(frame.drop(columns=["activity"]), observation_end="2026-01-10")
    blank = events.copy()
    blank.loc[7, "activity"] = ""
    bad = cycle_times(
        split(blank, 1),
        observation_end="2026-01-10",
        processes=dict.fromkeys(events["process"].unique(), "x"),
    )
    with pytest.raises(
        InvalidInputError, match=r"`activity` must be non-empty text \(partition 0, row 7"
    ):
        bad.compute(scheduler="sync")
    with pytest.raises(InvalidInputError, match="listed in `processes`"):
        cycle_times(frame, processes={"nothing": "x"}, observation_end="2026-01-10").compute(
            scheduler="sync"
        )
