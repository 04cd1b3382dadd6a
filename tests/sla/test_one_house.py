"""The SLA part in the library's one vocabulary: data first, time_unit, segmentation results,
the result base (strict JSON, read-only arrays, str from summary) and the metric table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.sla.test_compliance import END, LOG, PROCESS, SLA48

from custcentric.domain import SLA, SLAMetric
from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.segmentation import Segmentation, assign_service_tiers, value_tiers
from custcentric.sla import (
    BreachedCases,
    BusinessCalendar,
    SLAReport,
    SLAResult,
    TieredSLA,
    erlang_a,
    evaluate_slas,
)
from custcentric.sla._inputs import CustomerSegments
from custcentric.sla._measure import INTERVALS

TIERED = TieredSLA(sla=SLA48, targets={"gold": {"target": 24}, "bronze": {"target": 72}})


def _run(slas: object = TIERED, **kwargs: object) -> SLAReport:
    return evaluate_slas(LOG, slas, processes=[PROCESS], observation_end=END, **kwargs)  # type: ignore[arg-type]


def _customers() -> np.ndarray:
    return np.unique(LOG.customer_id)


def _pair() -> tuple[np.ndarray, np.ndarray]:
    ids = _customers()
    return ids, np.where(np.arange(ids.size) % 2 == 0, "gold", "bronze")


def test_the_former_order_configuration_first_still_works_with_a_warning():
    new = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END)
    with pytest.warns(CustcentricDeprecationWarning, match=r"evaluate_slas\(event_log, slas\)"):
        old = evaluate_slas(SLA48, LOG, processes=[PROCESS], observation_end=END)  # type: ignore[arg-type]
    assert old.rows == new.rows
    assert old.to_dict() == new.to_dict()


def test_neither_argument_an_event_log_is_refused_naming_it():
    with pytest.raises(InvalidInputError, match=r"`event_log` must be an EventLog \(got SLA\)"):
        evaluate_slas(SLA48, SLA48)  # type: ignore[arg-type]


def test_a_segmentation_gives_the_same_report_as_the_id_tier_pair():
    ids, labels = _pair()
    by_pair = _run(segments=(ids, labels))
    seg = Segmentation.from_labels(labels, customer_id=ids)
    assert isinstance(seg, CustomerSegments)
    by_seg = _run(segments=seg)
    assert by_seg.rows == by_pair.rows
    assert {r.tier for r in by_seg.rows} == {"gold", "bronze"}


def test_a_segmentation_gives_the_service_tier_where_its_segments_have_one():
    ids = _customers()
    ranks = np.where(np.arange(ids.size) % 2 == 0, "top", "rest")
    seg = assign_service_tiers(
        Segmentation.from_labels(ranks, order=["top", "rest"], customer_id=ids),
        {1: "gold", 2: "bronze"},
    )
    expected = _run(segments=(ids, np.where(ranks == "top", "gold", "bronze")))
    assert _run(segments=seg).rows == expected.rows


def test_value_tiers_with_ids_are_accepted_through_their_segmentation():
    ids = _customers()
    tiers = value_tiers(np.arange(ids.size, dtype=float) + 1.0, customer_id=ids)
    labels = tiers.labels
    expected = _run(SLA48, segments=(ids, labels))
    assert _run(SLA48, segments=tiers).rows == expected.rows


def test_a_users_own_segments_class_is_accepted_by_its_attributes():
    ids, labels = _pair()

    class Mine:
        customer_id = ids
        labels = np.asarray(_pair()[1])

    assert _run(segments=Mine()).rows == _run(segments=(ids, labels)).rows


def test_a_segmentation_without_ids_is_refused_with_the_fix():
    seg = Segmentation.from_labels(["gold", "bronze"])
    with pytest.raises(InvalidInputError, match=r"`segments` must carry customer ids"):
        _run(segments=seg)


def test_report_round_trips_through_strict_json():
    ids, labels = _pair()
    report = _run(segments=(ids, labels))
    text = json.dumps(report.to_dict(), allow_nan=False)
    back = SLAReport.from_dict(json.loads(text))
    assert back.rows == report.rows
    assert back.to_dict() == report.to_dict()
    assert len(back.breached) == len(report.breached) > 0
    assert back.breached.start.dtype == np.dtype("datetime64[s]")


def test_a_report_without_breaches_round_trips():
    lenient = SLA(id="slow", name="slow", process_id="repair", metric="cycle_time", target=10_000)
    report = _run(lenient)
    assert len(report.breached) == 0
    assert SLAReport.from_dict(report.to_dict()).rows == report.rows


def test_stored_report_rows_with_the_former_unit_key_load():
    data = _run(SLA48).to_dict()
    for row in data["rows"]:
        row["unit"] = row.pop("time_unit")
    assert SLAReport.from_dict(data).rows[0].time_unit == "h"


def test_from_dict_refuses_bad_data_naming_it():
    with pytest.raises(InvalidInputError, match=r"`data` must be a mapping with the keys"):
        SLAReport.from_dict({"rows": []})
    data = _run(SLA48).to_dict()
    data["rows"][0]["cases"] = -1
    with pytest.raises(InvalidInputError, match="`cases`"):
        SLAReport.from_dict(data)
    data = _run(SLA48).to_dict()
    data["breached"]["duration"][0] = -5.0
    with pytest.raises(InvalidInputError, match="`duration`"):
        SLAReport.from_dict(data)


def test_result_row_uses_time_unit_and_keeps_unit_as_deprecated_alias():
    row = _run(SLA48).row("fix-48h")
    assert row.time_unit == "h"
    assert "time_unit" in row.to_dict()
    assert "unit" not in row.to_dict()
    with pytest.warns(CustcentricDeprecationWarning, match=r"`SLAResult\.unit`"):
        assert row.unit == "h"
    assert str(row) == row.summary()
    assert SLAResult.from_dict(row.to_dict()) == row


def test_breached_cases_are_read_only_and_print_their_summary():
    breached = _run(SLA48).breached
    for name in ("sla_id", "case_id", "duration", "lateness", "open", "compensation", "start"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(breached, name)[0] = getattr(breached, name)[0]
    assert str(breached).startswith(f"{len(breached)} breached case")
    assert list(breached.to_pandas().columns)[:2] == ["sla_id", "case_id"]


def test_the_report_prints_its_summary_and_tabulates_with_time_unit():
    report = _run(SLA48)
    assert str(report) == report.summary()
    assert "time_unit" in report.to_pandas().columns
    assert SLAReport.from_pandas(report.to_pandas()).rows == report.rows


def test_calendar_duration_takes_time_unit_and_the_former_unit_with_a_warning():
    cal = BusinessCalendar()
    start, end = ["2025-12-01T09:00"], ["2025-12-01T13:00"]
    assert cal.duration(start, end, time_unit="h").tolist() == [4.0]
    assert cal.duration(start, end, "m").tolist() == [240.0]  # the process Calendar protocol
    with pytest.warns(CustcentricDeprecationWarning, match="use `time_unit=` instead"):
        assert cal.duration(start, end, unit="h").tolist() == [4.0]
    with pytest.raises(InvalidInputError, match="`time_unit` must be one of"):
        cal.duration(start, end, time_unit="M")  # type: ignore[arg-type]


def test_erlang_a_result_is_read_only_strict_json_and_printable():
    res = erlang_a(200, [11, 14], interval="h", handle_time=180, patience=120)
    with pytest.raises(ValueError, match="read-only"):
        res.probability_wait[0] = 0.0
    json.dumps(res.to_dict(), allow_nan=False)
    assert str(res).startswith("Erlang A, 2 scenarios")
    assert len(res.to_pandas()) == 2
    one = erlang_a(200, 11, interval="h", handle_time=180, patience=120)
    assert isinstance(one.probability_wait, float)


def test_every_sla_metric_has_one_interval_function():
    # Adding a metric is one enum member, one function and one entry in this table.
    assert set(INTERVALS) == set(SLAMetric)


def test_breached_cases_from_dict_refuses_ragged_or_missing_columns():
    data = _run(SLA48).breached.to_dict()
    ragged = {**data, "case_id": []}
    with pytest.raises(InvalidInputError, match="columns of one length"):
        BreachedCases.from_dict(ragged)
    with pytest.raises(InvalidInputError, match=r"`data\['sla_id'\]` must be a list"):
        BreachedCases.from_dict({**data, "sla_id": None})
    with pytest.raises(InvalidInputError, match="missing"):
        BreachedCases.from_dict({k: v for k, v in data.items() if k != "tier"})
