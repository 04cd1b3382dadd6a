"""SLA compliance per tier on a Dask event log equals custcentric.sla.evaluate_slas's counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, split
from tests.dask.test_events import company, events, memory_log  # noqa: F401  (fixtures)

from custcentric.exceptions import InvalidInputError
from custcentric.sla import BusinessCalendar, evaluate_slas

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import sla_compliance  # noqa: E402

END = "2026-01-10"
CALENDAR = BusinessCalendar(opens="08:00", closes="18:00")
FIELDS = ("cases", "breaches", "open_breaches", "pending", "ci_low", "ci_high", "target")


def _segments(company: Any, events: Any) -> tuple[Any, Any]:  # noqa: F811
    ids = company.customers.customer_id
    tiers = np.asarray(company.customers.attributes["service_tier"]).astype(str)
    return ids, tiers


def assert_same(got: Any, report: Any) -> None:
    assert [(r.sla_id, r.tier) for r in report.rows] == list(
        zip(got["sla_id"], got["tier"], strict=True)
    )
    for row, (_, mine) in zip(report.rows, got.iterrows(), strict=True):
        for name in FIELDS:
            assert mine[name] == getattr(row, name), (row.sla_id, row.tier, name)
        if row.compliance is None:
            assert pd.isna(mine["compliance"])
            assert pd.isna(mine["met"])
        else:
            assert mine["compliance"] == pytest.approx(row.compliance, rel=1e-12)
            assert bool(mine["met"]) is row.met
        assert mine["group"] == row.group
        assert mine["process_id"] == row.process_id


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_compliance_per_tier_equals_in_memory(
    events: Any,  # noqa: F811
    company: Any,  # noqa: F811
    k: int,
    scheduler: str,
) -> None:
    segments = _segments(company, events)
    report = evaluate_slas(
        memory_log(events),
        company.slas,
        segments=segments,
        processes=company.processes,
        observation_end=END,
        calendar=CALENDAR,
        period=None,
    )
    got = sla_compliance(
        split(events, k),
        company.slas,
        processes=company.processes,
        segments=segments,
        observation_end=END,
        calendar=CALENDAR,
        scheduler=scheduler,
    )
    assert_same(got, report)
    assert (got["tier"] != "all").any()  # tiers were evaluated, not only the total


def test_default_end_is_the_latest_event(events: Any, company: Any) -> None:  # noqa: F811
    segments = _segments(company, events)
    report = evaluate_slas(
        memory_log(events),
        company.slas,
        segments=segments,
        processes=company.processes,
        calendar=CALENDAR,
        period=None,
    )
    got = sla_compliance(
        split(events, 3),
        company.slas,
        segments=segments,
        processes=company.processes,
        calendar=CALENDAR,
    )
    assert_same(got, report)


def test_bad_input_names_column_partition_and_row(events: Any, company: Any) -> None:  # noqa: F811
    with pytest.raises(InvalidInputError, match="column 'process' for `process`"):
        sla_compliance(
            split(events.drop(columns=["process"]), 3), company.slas, processes=company.processes
        )
    blank = events.copy()
    blank["activity"] = blank["activity"].astype(object)
    blank.loc[4, "activity"] = None
    with pytest.raises(
        InvalidInputError, match=r"`activity` must not be missing \(partition 0, row 4"
    ):
        sla_compliance(split(blank, 1), company.slas, processes=company.processes)
    with pytest.raises(InvalidInputError, match="at least one event"):
        sla_compliance(
            split(events.iloc[:0], 3),
            company.slas,
            processes=company.processes,
            observation_end=END,
            calendar=CALENDAR,
        )
