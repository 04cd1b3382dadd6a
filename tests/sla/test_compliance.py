"""evaluate_slas: compliance, open cases, pauses, tiers and compensation (methods.md §6)."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

from custcentric._stats import wilson_interval
from custcentric.domain import SLA, Compensation, CustomerProcess
from custcentric.exceptions import InvalidInputError
from custcentric.sla import BreachedCases, BusinessCalendar, SLAReport, TieredSLA, evaluate_slas
from custcentric.sla._stats import censored_quantile
from custcentric.tables import EventLog

PROCESS = CustomerProcess(
    id="repair",
    name="Repair",
    kind="vertical",
    lifecycle_stage="retain",
    owner="Ops",
    steps=[
        {"id": "reported", "name": "Reported"},
        {"id": "first_response", "name": "Reply"},
        {"id": "fixed", "name": "Fixed"},
    ],
)


def make_log(cases):
    """cases: list of (case_id, customer, [(activity, hours after 2025-01-06T00:00)])."""
    rows = []
    base = np.datetime64("2025-01-06T00:00", "s")
    for case, customer, events in cases:
        for activity, hours in events:
            t = base + np.timedelta64(round(hours * 3600), "s")
            rows.append((case, "repair", activity, t, customer))
    cols = list(zip(*rows, strict=True))
    return EventLog.from_arrays(*cols)


LOG = make_log(
    [
        ("k1", "c1", [("reported", 0), ("first_response", 1), ("fixed", 10)]),
        ("k2", "c1", [("reported", 2), ("first_response", 3), ("fixed", 60)]),
        ("k3", "c2", [("reported", 5), ("first_response", 9), ("fixed", 30)]),
        ("k4", "c3", [("reported", 20), ("first_response", 21)]),  # open, elapsed 80 h at end
        ("k5", "c3", [("reported", 90)]),  # open, elapsed 10 h at end: pending
        ("k6", "c2", [("reported", 95), ("first_response", 96), ("fixed", 100)]),
    ]
)
END = np.datetime64("2025-01-06T00:00") + np.timedelta64(100, "h")
SLA48 = SLA(
    id="fix-48h",
    name="Fixed in 48 h",
    process_id="repair",
    metric="cycle_time",
    target=48,
    time_unit="h",
    target_share=0.9,
    compensation={
        "fixed_per_breach": 10,
        "per_unit_late": 8,
        "time_unit": "D",
        "grace": 0.5,
        "cap": 30,
    },
)


def test_open_cases_past_target_count_as_breaches():
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END)
    row = report.row("fix-48h")
    # closed: k1 10 h, k2 58 h (late), k3 25 h, k6 5 h; open k4 at 80 h (late), k5 pending.
    assert (row.cases, row.breaches, row.open_breaches, row.pending) == (5, 2, 1, 1)
    assert row.compliance == pytest.approx(3 / 5)
    assert row.met is False
    assert set(report.breached.case_id.tolist()) == {"k2", "k4"}
    assert report.breached.open.tolist() == [False, True]
    # k2: 10 h late = 0.4167 D < grace 0.5 -> 10; k4: 32 h = 1.333 D -> 10 + 8 * 0.8333.
    expected = 10 + min(30, 10 + 8 * (32 / 24 - 0.5))
    assert row.compensation == pytest.approx(round(expected, 2))
    lo, hi = wilson_interval(3 / 5, 5, 0.95)
    assert (row.ci_low, row.ci_high) == pytest.approx((float(lo), float(hi)))


def test_percentile_is_kaplan_meier_with_open_cases_censored():
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END)
    # closed 5, 10, 25, 58; censored 80 and 10 -> 90 % is never reached: None.
    assert report.row("fix-48h").percentile is None
    lenient = SLA(
        id="x", name="x", process_id="repair", metric="cycle_time", target=48, target_share=0.5
    )
    assert (
        evaluate_slas(LOG, lenient, processes=[PROCESS], observation_end=END).row("x").percentile
        == 25.0
    )


def test_censored_quantile_without_censoring_is_nearest_rank():
    # methods.md T27 [C]: data 1..10 -> p90 nearest rank = 9; p50 = 5.
    data = np.arange(1.0, 11.0)
    closed = np.ones(10, dtype=bool)
    assert censored_quantile(data, closed, 0.9) == 9.0
    assert censored_quantile(data, closed, 0.5) == 5.0


def test_wilson_vector():
    # methods.md T22 [C] (Wilson 1927): 45 of 60 at 95 % -> (0.6277, 0.8422), abs 5e-5.
    lo, hi = wilson_interval(45 / 60, 60, 0.95)
    assert (float(lo), float(hi)) == pytest.approx((0.6277, 0.8422), abs=5e-5)


def test_first_response_and_step_duration():
    fr = SLA(id="fr", name="fr", process_id="repair", metric="first_response", target=2)
    step = SLA(
        id="st", name="st", process_id="repair", metric="step_duration", target=24, step_id="fixed"
    )
    report = evaluate_slas(LOG, [fr, step], processes=[PROCESS], observation_end=END)
    # first responses: 1, 1, 4 (late), 1, 1; k5 still waiting after 10 h (late).
    assert (report.row("fr").cases, report.row("fr").breaches) == (6, 2)
    # waits before "fixed": 9, 57 (late), 21, 4; k4 waiting since hour 21 -> 79 h (late).
    assert (report.row("st").cases, report.row("st").breaches) == (5, 2)


def test_pauses_stop_the_clock():
    pauses = (["k2"], ["2025-01-07T00:00"], ["2025-01-07T12:00"])  # 12 h inside k2
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END, pauses=pauses)
    assert report.row("fix-48h").breaches == 1  # k2 now 46 h
    with pytest.raises(InvalidInputError, match=r"`pauses` must not overlap within a case"):
        evaluate_slas(
            LOG,
            SLA48,
            processes=[PROCESS],
            observation_end=END,
            pauses=(
                ["k2", "k2"],
                ["2025-01-07T00:00", "2025-01-07T06:00"],
                ["2025-01-07T12:00", "2025-01-07T13:00"],
            ),
        )


def test_business_clock():
    sla = SLA(
        id="b", name="b", process_id="repair", metric="cycle_time", target=8, clock="business"
    )
    cal = BusinessCalendar(opens=8, closes=18)
    report = evaluate_slas(LOG, sla, processes=[PROCESS], observation_end=END, calendar=cal)
    # 2025-01-06 is a Monday; k1 runs 00:00-10:00 -> 2 business hours.
    durations = cal.duration(["2025-01-06T00:00"], ["2025-01-06T10:00"])
    assert durations.tolist() == [2.0]
    assert report.row("b").cases == 5


def test_compliance_does_not_depend_on_the_time_unit():
    in_days = SLA(
        id="d", name="d", process_id="repair", metric="cycle_time", target=2, time_unit="D"
    )
    in_hours = SLA(
        id="h", name="h", process_id="repair", metric="cycle_time", target=48, time_unit="h"
    )
    report = evaluate_slas(LOG, [in_days, in_hours], processes=[PROCESS], observation_end=END)
    a, b = report.row("d"), report.row("h")
    assert (a.cases, a.breaches, a.compliance) == (b.cases, b.breaches, b.compliance)


def test_tiered_sla_rows_per_tier():
    tiered = TieredSLA(
        sla=SLA(id="t", name="t", process_id="repair", metric="cycle_time", target=48),
        targets={"gold": {"target": 12}, "bronze": {"target": 72}},
    )
    segments = {"c1": "gold", "c2": "bronze", "c3": "bronze"}
    report = evaluate_slas(LOG, tiered, processes=[PROCESS], observation_end=END, segments=segments)
    gold, bronze = report.row("t", "gold"), report.row("t", "bronze")
    assert (gold.cases, gold.breaches) == (2, 1)  # k1 10 h ok, k2 58 h late
    assert (bronze.cases, bronze.breaches) == (3, 1)  # k3, k6 ok; k4 80 h late; k5 pending
    assert gold.sla_id == "t[gold]"


def test_band_credits_and_period_cap():
    # AWS-style bands on each customer's monthly attainment (methods.md §6.4).
    comp = Compensation(
        bands=[
            {"lower": 0.99, "upper": 0.9999, "rate": 0.10},
            {"lower": 0.95, "upper": 0.99, "rate": 0.30},
            {"lower": 0.0, "upper": 0.95, "rate": 1.00},
        ]
    )
    sla = SLA(
        id="bands", name="b", process_id="repair", metric="cycle_time", target=48, compensation=comp
    )
    report = evaluate_slas(LOG, sla, processes=[PROCESS], observation_end=END, fee=20.0)
    # c1: 1 of 2 within -> 50 % -> 100 % of 20; c2: 2 of 2 -> 0; c3: 0 of 1 -> 20.
    assert report.row("bands").compensation == pytest.approx(40.0)
    capped = evaluate_slas(
        LOG, sla, processes=[PROCESS], observation_end=END, fee=20.0, period_cap=15.0
    )
    assert capped.row("bands").compensation == pytest.approx(30.0)


def test_compensation_vectors_of_methods_6_4():
    # methods.md §6.4 / T31 [C]: accrual 8/day after 2 days on a 5-day outage -> 24, cap 20
    # -> 20; fixed 25 per missed appointment x 3 -> 75; AWS bands 99.995/99.5/97/94 % ->
    # 0/10/30/100 %, boundaries 99.0 % -> 10 %, 95.0 % -> 30 %. Exact.
    assert Compensation(per_unit_late=8, grace=2).case_amount([5.0]).tolist() == [24.0]
    assert Compensation(per_unit_late=8, grace=2, cap=20).case_amount([5.0]).tolist() == [20.0]
    assert Compensation(fixed_per_breach=25).case_amount([1, 1, 1]).sum() == 75.0
    aws = Compensation(
        bands=[
            {"lower": 0.99, "upper": 0.9999, "rate": 0.10},
            {"lower": 0.95, "upper": 0.99, "rate": 0.30},
            {"lower": 0.0, "upper": 0.95, "rate": 1.00},
        ]
    )
    rates = aws.band_rate([0.99995, 0.995, 0.97, 0.94, 0.99, 0.95])
    assert rates.tolist() == [0.0, 0.10, 0.30, 1.00, 0.10, 0.30]
    # Through evaluate_slas: one case 5 days long against a 0-grace... target 2 days.
    log = make_log([("k1", "c1", [("reported", 0), ("first_response", 1), ("fixed", 120)])])
    sla = SLA(
        id="ofcom",
        name="o",
        process_id="repair",
        metric="cycle_time",
        target=2,
        time_unit="D",
        compensation={"per_unit_late": 8, "time_unit": "D"},
    )
    assert evaluate_slas(log, sla, processes=[PROCESS]).row("ofcom").compensation == 24.0


def test_company_report_against_a_loop_oracle(company, tiers, office_hours):
    report = evaluate_slas(
        company.events,
        company.slas,
        segments=tiers,
        calendar=office_hours,
        processes=company.processes,
    )
    sla = next(s for s in company.slas if s.id == "repair-48h")
    process = next(p for p in company.processes if p.id == sla.process_id)
    tier_of = dict(zip(tiers[0].tolist(), tiers[1].tolist(), strict=True))
    end = company.events.timestamp.max()
    by_case: dict[str, list[tuple[np.datetime64, str, str]]] = {}
    ev = company.events
    for i in range(len(ev)):
        if ev.process[i] == sla.process_id:
            by_case.setdefault(ev.case_id[i], []).append(
                (ev.timestamp[i], ev.activity[i], ev.customer_id[i])
            )
    counts: dict[str, list[int]] = {}
    for events in by_case.values():
        events.sort(key=lambda e: e[0])
        closed = events[-1][1] == process.steps[-1].id
        stop = events[-1][0] if closed else end
        hours = (stop - events[0][0]) / np.timedelta64(1, "h")
        late = hours > sla.target
        if not closed and not late:
            continue
        tier = tier_of.get(events[0][2], "unassigned")
        c = counts.setdefault(tier, [0, 0])
        c[0] += 1
        c[1] += int(late)
    for tier, (n, breaches) in counts.items():
        row = report.row("repair-48h", tier)
        assert (row.cases, row.breaches) == (n, breaches), tier
    assert report.row("repair-48h").cases == sum(c[0] for c in counts.values())
    assert math.isclose(
        report.total_compensation, sum(report.row(s.id).compensation for s in company.slas)
    )
    frame_dict = report.to_dict()
    assert len(frame_dict["rows"]) == len(report.rows)
    assert len(report.breached) == len(frame_dict["breached"]["case_id"])


def test_report_order_of_tiers(company, tiers, office_hours):
    report = evaluate_slas(
        company.events,
        company.slas[0],
        segments=tiers,
        processes=company.processes,
        tier_order=("gold", "silver", "bronze"),
    )
    assert [r.tier for r in report.rows] == ["gold", "silver", "bronze", "all"]
    assert "repair-48h" in report.summary()


def test_to_pandas(company, tiers, office_hours):
    pytest.importorskip("pandas")
    report = evaluate_slas(
        company.events,
        company.slas,
        segments=tiers,
        calendar=office_hours,
        processes=company.processes,
    )
    assert len(report.to_pandas()) == len(report.rows)
    assert len(report.breached.to_pandas()) == len(report.breached)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"slas": SLA(id="x", name="x", process_id="nope", metric="cycle_time", target=1)},
            r"`process_id` of SLA 'x' must name a process in `processes` \(got 'nope'\)",
        ),
        (
            {
                "slas": SLA(
                    id="x",
                    name="x",
                    process_id="repair",
                    metric="cycle_time",
                    target=1,
                    clock="business",
                )
            },
            r"`calendar` must be given: SLA 'x' runs on business hours",
        ),
        (
            {
                "slas": SLA(
                    id="x",
                    name="x",
                    process_id="repair",
                    metric="cycle_time",
                    target=1,
                    tiers=["gold"],
                )
            },
            r"`segments` must be given: SLA 'x' covers tiers \['gold'\] only",
        ),
        (
            {
                "slas": SLA(
                    id="x",
                    name="x",
                    process_id="repair",
                    metric="step_duration",
                    target=1,
                    step_id="nope",
                )
            },
            r"`step_id` of SLA 'x' must be a step of process 'repair'",
        ),
        (
            {
                "slas": SLA(
                    id="x",
                    name="x",
                    process_id="repair",
                    metric="step_duration",
                    target=1,
                    step_id="reported",
                )
            },
            r"`step_id` of SLA 'x' must not be the first step",
        ),
        ({"slas": [SLA48, SLA48]}, r"`slas` must have distinct ids \(repeated: \['fix-48h'\]\)"),
        ({"slas": []}, r"`slas` must hold at least one SLA"),
        ({"slas": "fix"}, r"`slas` must be an SLA, a TieredSLA or a list of them"),
        ({"confidence_level": 1.0}, r"`confidence_level` must lie in \(0, 1\)"),
        ({"period": "Q"}, r"`period` must be one of"),
        ({"fee": -1.0}, r"`fee` must lie in \[0, inf\]"),
        ({"segments": 5}, r"`segments` must be a mapping customer id -> tier"),
        (
            {"segments": (["c1", "c1"], ["gold", "silver"])},
            r"`segments` must give each customer one tier \(customer 'c1' twice\)",
        ),
        ({"observation_end": "yesterday"}, r"`observation_end` must hold ISO 8601 timestamps"),
    ],
)
def test_errors(kwargs, match):
    args = {"slas": SLA48, "processes": [PROCESS]} | kwargs
    slas = args.pop("slas")
    with pytest.raises(InvalidInputError, match=match):
        evaluate_slas(LOG, slas, **args)


def test_bands_with_gaps_are_refused():
    gappy = SLA(
        id="g",
        name="g",
        process_id="repair",
        metric="cycle_time",
        target=48,
        compensation={
            "bands": [
                {"lower": 0.0, "upper": 0.5, "rate": 1.0},
                {"lower": 0.6, "upper": 0.9, "rate": 0.5},
            ]
        },
    )
    with pytest.raises(
        InvalidInputError, match=r"`bands` of SLA 'g' must not leave gaps .*between 0.5 and 0.6"
    ):
        evaluate_slas(LOG, gappy, processes=[PROCESS])
    point = SLA(
        id="p",
        name="p",
        process_id="repair",
        metric="cycle_time",
        target=48,
        compensation={
            "bands": [
                {"lower": 0.0, "upper": 0.5, "rate": 1.0},
                {"lower": 0.5, "upper": 0.9, "rate": 0.5, "lower_inclusive": False},
            ]
        },
    )
    with pytest.raises(InvalidInputError, match=r"between 0.5 and 0.5"):
        evaluate_slas(LOG, point, processes=[PROCESS])


def test_bad_bands_are_refused_by_the_domain():
    with pytest.raises(InvalidInputError, match=r"`bands` must not overlap"):
        Compensation(
            bands=[
                {"lower": 0.0, "upper": 0.5, "rate": 1.0},
                {"lower": 0.4, "upper": 0.9, "rate": 0.5},
            ]
        )


def test_tiered_sla_errors():
    base = SLA(id="t", name="t", process_id="repair", metric="cycle_time", target=48)
    with pytest.raises(InvalidInputError, match=r"`targets` must name each tier once"):
        TieredSLA(sla=base, targets=[{"tier": "gold", "target": 1}, {"tier": "gold", "target": 2}])
    with pytest.raises(InvalidInputError, match=r"`sla` must not restrict `tiers` itself"):
        TieredSLA(
            sla=SLA(
                id="t", name="t", process_id="repair", metric="cycle_time", target=4, tiers=["gold"]
            ),
            targets={"gold": {"target": 1}},
        )
    with pytest.raises(InvalidInputError, match=r"`target` must lie in \(0, inf\]"):
        TieredSLA(sla=base, targets={"gold": {"target": 0}})


def test_without_process_definitions():
    report = evaluate_slas(LOG, SLA48, observation_end=END)
    # completion inferred as "fixed" (it ends most cases): the same as with the definition.
    assert report.row("fix-48h").cases == 5
    with pytest.raises(InvalidInputError, match=r"must name a process in the event log"):
        evaluate_slas(LOG, SLA(id="x", name="x", process_id="nope", metric="cycle_time", target=1))


def test_inferred_completion_is_per_process_and_shared_with_cycle_times():
    from custcentric.process import cycle_times

    rows = []
    base = np.datetime64("2025-01-06T00:00", "s")
    hour = np.timedelta64(3600, "s")
    # repair: 'fixed' ends 2 of 3 cases; callback: 'called' ends 2 of 3 (and 'fixed' ends none).
    for case, process, acts in [
        ("r1", "repair", ["reported", "fixed"]),
        ("r2", "repair", ["reported", "fixed"]),
        ("r3", "repair", ["reported"]),
        ("b1", "callback", ["asked", "called"]),
        ("b2", "callback", ["asked", "called"]),
        ("b3", "callback", ["asked", "fixed"]),
    ]:
        for j, activity in enumerate(acts):
            rows.append((case, process, activity, base + (3 * j + 1) * hour, "c1"))
    log = EventLog.from_arrays(*list(zip(*rows, strict=True)))
    end = base + np.timedelta64(100, "h")
    ct = cycle_times(log, observation_end=end)
    assert ct.final_activity == {"callback": ("called",), "repair": ("fixed",)}
    for process in ("repair", "callback"):
        sla = SLA(id=process, name=process, process_id=process, metric="cycle_time", target=1e9)
        row = evaluate_slas(log, sla, observation_end=end).row(process)
        mine = ct.process == process
        assert (row.cases, row.pending) == (2, 1)
        assert row.cases == int((ct.closed & mine).sum())


def test_inferred_completion_of_a_process_without_cases_by_the_observation_end():
    sla = SLA(id="fix", name="fix", process_id="repair", metric="cycle_time", target=1)
    row = evaluate_slas(LOG, sla, observation_end="2025-01-01").row("fix")
    assert (row.cases, row.pending, row.compliance) == (0, 0, None)


def test_observation_end_cuts_later_events():
    early = np.datetime64("2025-01-06T00:00") + np.timedelta64(40, "h")
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=early)
    row = report.row("fix-48h")
    # By hour 40: k1 and k3 closed on time; k2 and k4 open, not yet past 48 h.
    assert (row.cases, row.breaches, row.pending) == (2, 0, 2)
    assert report.observation_end == "2025-01-07T16:00:00"


def test_process_without_cases_gives_empty_rows():
    other = CustomerProcess(
        id="other",
        name="O",
        kind="vertical",
        lifecycle_stage="retain",
        owner="x",
        steps=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    )
    sla = SLA(id="o", name="o", process_id="other", metric="cycle_time", target=1)
    row = evaluate_slas(LOG, sla, processes=[PROCESS, other]).row("o")
    assert (row.cases, row.compliance, row.percentile, row.met) == (0, None, None, None)
    assert (row.ci_low, row.ci_high) == (0.0, 1.0)


def test_integer_ids_and_mapping_segments():
    log = EventLog.from_arrays(
        [1, 1, 2, 2],
        ["repair"] * 4,
        ["reported", "fixed"] * 2,
        ["2025-01-01T00:00", "2025-01-01T05:00", "2025-01-01T00:00", "2025-01-03T05:00"],
        [7, 7, 8, 8],
    )
    report = evaluate_slas(log, SLA48, processes=[PROCESS], segments={7: "gold", 8: "bronze"})
    assert report.row("fix-48h", "gold").breaches == 0
    assert report.row("fix-48h", "bronze").breaches == 1
    assert report.breached.customer_id.tolist() == [8]
    with pytest.raises(InvalidInputError, match=r"`sla_id` and `tier` must name a row"):
        report.row("fix-48h", "silver")


def test_business_clock_pauses():
    sla = SLA(
        id="b", name="b", process_id="repair", metric="cycle_time", target=10, clock="business"
    )
    cal = BusinessCalendar(opens=8, closes=18)
    # k2 runs Monday 02:00 to Wednesday 12:00: 10 + 10 + 4 = 24 business hours; a pause
    # all Tuesday removes 10 of them.
    pauses = (["k2"], ["2025-01-07T00:00"], ["2025-01-08T00:00"])
    plain = evaluate_slas(LOG, sla, processes=[PROCESS], observation_end=END, calendar=cal)
    paused = evaluate_slas(
        LOG, sla, processes=[PROCESS], observation_end=END, calendar=cal, pauses=pauses
    )
    k2 = list(plain.breached.case_id).index("k2")
    assert plain.breached.duration[k2] == pytest.approx(24.0)
    k2p = list(paused.breached.case_id).index("k2")
    assert paused.breached.duration[k2p] == pytest.approx(14.0)


def test_tiered_sla_round_trip_and_for_tier():
    base = SLA(id="t", name="t", process_id="repair", metric="cycle_time", target=48)
    tiered = TieredSLA(
        sla=base,
        targets=[
            {
                "tier": "gold",
                "target": 12,
                "target_share": 0.95,
                "compensation": {"fixed_per_breach": 5},
            }
        ],
    )
    assert TieredSLA.from_dict(tiered.to_dict()) == tiered
    gold = tiered.for_tier("gold")
    assert (gold.target, gold.target_share, gold.compensation.fixed_per_breach) == (12, 0.95, 5)
    with pytest.raises(InvalidInputError, match=r"`tier` must be one of \['gold'\]"):
        tiered.for_tier("bronze")


def test_report_is_json_ready(company, tiers, office_hours):
    import json

    report = evaluate_slas(
        company.events,
        company.slas,
        segments=tiers,
        calendar=office_hours,
        processes=company.processes,
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["rows"][0]["sla_id"] == "repair-48h"
    assert len(data["breached"]["start"]) == len(report.breached)


def test_weekly_period_cap_uses_monday_weeks():
    # Two late cases of one customer, opened on Wednesday 2025-01-08 and Thursday
    # 2025-01-09: the same Monday-to-Sunday week, so a weekly cap of 15 applies to their
    # 10 + 10 together. numpy's datetime64[W] counts weeks from Thursday 1970-01-01, which
    # put the two cases in different weeks and paid 20 before the fix.
    log = make_log(
        [
            ("a", "c1", [("reported", 48), ("fixed", 108)]),  # Wed 00:00, 60 h
            ("b", "c1", [("reported", 72), ("fixed", 132)]),  # Thu 00:00, 60 h
        ]
    )
    sla = SLA(
        id="w",
        name="w",
        process_id="repair",
        metric="cycle_time",
        target=48,
        compensation={"fixed_per_breach": 10},
    )
    kwargs = {"processes": [PROCESS], "period_cap": 15.0}
    assert evaluate_slas(log, sla, period="W", **kwargs).row("w").compensation == 15.0
    # Sunday 2025-01-12 and Monday 2025-01-13 are in different weeks: each capped alone.
    split = make_log(
        [
            ("a", "c1", [("reported", 144), ("fixed", 204)]),  # Sun 00:00
            ("b", "c1", [("reported", 168), ("fixed", 228)]),  # Mon 00:00
        ]
    )
    assert evaluate_slas(split, sla, period="W", **kwargs).row("w").compensation == 20.0


def test_tiered_sla_from_dict_names_missing_keys():
    # A missing key raised a bare KeyError('sla') before.
    with pytest.raises(
        InvalidInputError,
        match=r"`data` must be a mapping with the keys \['sla', 'targets'\] \(got \['targets'\]\)",
    ):
        TieredSLA.from_dict({"targets": []})
    with pytest.raises(InvalidInputError, match=r"\(got list\)"):
        TieredSLA.from_dict([])  # type: ignore[arg-type]


def test_first_response_of_a_case_completed_without_one():
    # k1 is resolved after 10 h without a first_response event, k2 after 1 h. Before the fix
    # both stayed "open" with the clock running to observation_end (hour 100): two open
    # breaches, 99 h and 90 h "late". Now they are answered at completion: k1 breaches the
    # 2 h target by 8 h (closed), k2 meets it. Exact.
    log = make_log(
        [
            ("k1", "c1", [("reported", 0), ("fixed", 10)]),
            ("k2", "c2", [("reported", 90), ("fixed", 91)]),
            ("k3", "c3", [("reported", 95), ("first_response", 96), ("fixed", 100)]),
        ]
    )
    fr = SLA(id="fr", name="fr", process_id="repair", metric="first_response", target=2)
    report = evaluate_slas(log, fr, processes=[PROCESS], observation_end=END)
    row = report.row("fr")
    assert (row.cases, row.breaches, row.open_breaches, row.pending) == (3, 1, 0, 0)
    assert report.breached.case_id.tolist() == ["k1"]
    assert report.breached.lateness.tolist() == [8.0]


# --- reports read back from their own pandas frames -----------------------------------------


def _same_cases(a: BreachedCases, b: BreachedCases) -> None:
    for field in attrs.fields(BreachedCases):
        x, y = getattr(a, field.name), getattr(b, field.name)
        assert np.array_equal(x, y), field.name
        if x.size:
            assert x.dtype.kind == y.dtype.kind, field.name
        assert not y.flags.writeable


def _same_report(a: SLAReport, b: SLAReport) -> None:
    assert a.rows == b.rows  # SLAResult compares field by field
    assert a.confidence_level == b.confidence_level
    assert a.observation_end == b.observation_end
    _same_cases(a.breached, b.breached)


def _round_trip(report: SLAReport) -> SLAReport:
    return SLAReport.from_pandas(report.to_pandas(), breached=report.breached.to_pandas())


def test_reports_round_trip_through_pandas(company, tiers, office_hours):
    pytest.importorskip("pandas")
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END)
    _same_report(report, _round_trip(report))
    # Every case still pending an hour in: compliance, met and percentile are None.
    early = evaluate_slas(
        LOG, SLA48, processes=[PROCESS], observation_end=np.datetime64("2025-01-06T01:00")
    )
    assert early.rows[0].compliance is None
    assert early.rows[0].met is None
    _same_report(early, _round_trip(early))
    assert len(SLAReport.from_pandas(early.to_pandas()).breached) == 0
    big = evaluate_slas(
        company.events,
        company.slas,
        segments=tiers,
        calendar=office_hours,
        processes=company.processes,
        confidence_level=0.9,
    )
    _same_report(big, _round_trip(big))
    _same_cases(big.breached, BreachedCases.from_pandas(big.breached.to_pandas()))


def test_a_report_frame_without_attrs_needs_the_settings():
    pd = pytest.importorskip("pandas")
    report = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END)
    plain = pd.DataFrame(report.to_pandas().to_dict("list"))
    with pytest.raises(InvalidInputError, match=r"`confidence_level` must be given"):
        SLAReport.from_pandas(plain)
    back = SLAReport.from_pandas(
        plain, confidence_level=0.95, observation_end=report.observation_end
    )
    assert back.rows == report.rows
    plain["met"] = pd.Series([False], dtype=object)
    assert (
        SLAReport.from_pandas(plain, confidence_level=0.9, observation_end="x").rows[0].met is False
    )
    plain["met"] = pd.Series([None], dtype=object)
    assert (
        SLAReport.from_pandas(plain, confidence_level=0.9, observation_end="x").rows[0].met is None
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f: f.drop(columns="cases"), r"`frame` must have a column 'cases'"),
        (lambda f: f.assign(cases=[1.5]), r"`cases` must hold whole numbers \(row 0: 1.5\)"),
        (lambda f: f.assign(met=[2.0]), r"`met` must hold booleans, 0/1 or missing values"),
        (lambda f: f.assign(ci_low=[np.inf]), r"`ci_low` must be finite \(row 0: inf\)"),
    ],
)
def test_bad_report_frames(change, match):
    pytest.importorskip("pandas")
    frame = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END).to_pandas()
    with pytest.raises(InvalidInputError, match=match):
        SLAReport.from_pandas(change(frame))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f: f.assign(open=[2, 0]), r"`open` must hold booleans or 0/1 \(row 0: 2\)"),
        (lambda f: f.assign(duration=[-1.0, 2.0]), r"`duration` must be non-negative"),
        (lambda f: f.assign(case_id=[None, "k3"]), r"`case_id` must not hold missing values"),
    ],
)
def test_bad_breach_frames(change, match):
    pytest.importorskip("pandas")
    frame = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END).breached.to_pandas()
    with pytest.raises(InvalidInputError, match=match):
        BreachedCases.from_pandas(change(frame))


def test_every_metric_has_one_interval_function(monkeypatch):
    from custcentric.domain import SLAMetric
    from custcentric.sla import _measure

    assert set(_measure.INTERVALS) == set(SLAMetric)
    # The table is all sla_interval reads: pointing cycle_time at the first-response
    # function makes a cycle-time SLA measure first responses.
    fr = SLA(id="fr", name="fr", process_id="repair", metric="first_response", target=48)
    expected = evaluate_slas(LOG, fr, processes=[PROCESS], observation_end=END).row("fr")
    before = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END).row("fix-48h")
    assert before.breaches != expected.breaches
    swapped = dict(_measure.INTERVALS)
    swapped[SLAMetric.CYCLE_TIME] = _measure.first_response_interval
    monkeypatch.setattr(_measure, "INTERVALS", swapped)
    after = evaluate_slas(LOG, SLA48, processes=[PROCESS], observation_end=END).row("fix-48h")
    assert (after.cases, after.breaches) == (expected.cases, expected.breaches)
