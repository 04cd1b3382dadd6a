"""Hypothesis: evaluate_slas against a loop oracle; Erlang functions at extreme inputs."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.domain import SLA, CustomerProcess
from custcentric.sla import (
    average_speed_of_answer,
    erlang_a,
    erlang_b,
    erlang_c,
    evaluate_slas,
    occupancy,
    required_agents,
    service_level,
)
from custcentric.tables import EventLog

PROCESS = CustomerProcess(
    id="p",
    name="P",
    kind="horizontal",
    lifecycle_stage="retain",
    owner="o",
    steps=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}],
)
BASE = np.datetime64("2025-03-03T00:00", "s")

case_strategy = st.tuples(
    st.integers(0, 3),  # customer
    st.integers(0, 200),  # start hour
    st.lists(st.integers(1, 60), min_size=0, max_size=2),  # gaps to the next steps
)


@settings(max_examples=25, deadline=None)
@given(
    cases=st.lists(case_strategy, min_size=1, max_size=25),
    seed=st.integers(0, 10**6),
    target=st.integers(1, 100),
)
def test_matches_loop_oracle_in_any_order(cases, seed, target):
    rows = []
    for k, (customer, start, gaps) in enumerate(cases):
        t = start
        rows.append((f"k{k:03d}", "p", "a", BASE + np.timedelta64(t, "h"), f"c{customer}"))
        for step, gap in zip(("b", "c"), gaps, strict=False):
            t += gap
            rows.append((f"k{k:03d}", "p", step, BASE + np.timedelta64(t, "h"), f"c{customer}"))
    order = np.random.default_rng(seed).permutation(len(rows))
    shuffled = [rows[i] for i in order]
    log = EventLog.from_arrays(*[list(c) for c in zip(*shuffled, strict=True)])
    end = max(r[3] for r in rows)
    tiers = {"c0": "gold", "c1": "gold", "c2": "silver", "c3": "silver"}
    sla = SLA(
        id="s",
        name="s",
        process_id="p",
        metric="cycle_time",
        target=target,
        compensation={"fixed_per_breach": 1.0},
    )
    report = evaluate_slas(log, sla, processes=[PROCESS], segments=tiers)

    expected: dict[str, list[int]] = {}
    for customer, start, gaps in cases:
        closed = len(gaps) == 2
        hours = sum(gaps) if closed else (end - BASE) / np.timedelta64(1, "h") - start
        late = hours > target
        if not closed and not late:
            continue
        for tier in (tiers[f"c{customer}"], "all"):
            e = expected.setdefault(tier, [0, 0])
            e[0] += 1
            e[1] += int(late)
    for tier, (n, breaches) in expected.items():
        row = report.row("s", tier)
        assert (row.cases, row.breaches) == (n, breaches)
        assert row.compensation == breaches
        if row.compliance is not None:
            assert row.ci_low <= row.compliance <= row.ci_high


# --- Erlang B / C / A at extreme but valid inputs: finite, in range, monotone, silent ------

traffic_st = st.one_of(
    st.floats(0.0, 1e5, allow_subnormal=True),
    st.sampled_from([0.0, 5e-324, 1e-300, 1.0, 1e5]),
)
agents_st = st.integers(1, 10**6)
time_st = st.floats(1e-300, 1e300)


@settings(max_examples=150, deadline=None)
@given(traffic=traffic_st, n=agents_st, answer=st.floats(0.0, 1e300), handle=time_st)
def test_erlang_outputs_are_finite_probabilities_without_warnings(traffic, n, answer, handle):
    ns = np.array([n, n + 1, n + 1000])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = erlang_b(traffic, ns)
        c = erlang_c(traffic, ns)
        sl = service_level(traffic, ns, answer_time=answer, handle_time=handle)
        asa = average_speed_of_answer(traffic, ns, handle_time=handle)
        occ = occupancy(traffic, ns)
    for p in (b, c, sl, occ):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1))
    assert np.all(b <= c + 1e-12)
    # More agents never answer fewer calls in time, nor make them wait longer.
    assert np.all(np.diff(sl) >= -1e-12)
    assert np.all(np.diff(c) <= 1e-12)
    stable = ns > traffic
    assert np.all(np.isfinite(asa[stable]))
    assert np.all(asa[stable] >= 0)
    assert np.all(asa[~stable] == np.inf)


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(0.0, 1e5),
    handle=st.floats(0.01, 3600.0),
    answer=st.floats(0.0, 600.0),
    target=st.floats(0.01, 0.99),
)
def test_required_agents_at_extreme_loads_is_silent_and_minimal(rate, handle, answer, target):
    # Up to 1e5 calls per hour at up to an hour each: at most 1e5 Erlangs.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = int(
            required_agents(
                rate, handle, interval="h", answer_time=answer, target_service_level=target
            )
        )
        a = rate * handle / 3600
        assert n > a
        assert service_level(a, n, answer_time=answer, handle_time=handle) >= target
        if n - 1 > a:
            assert service_level(a, n - 1, answer_time=answer, handle_time=handle) < target


@settings(max_examples=100, deadline=None)
@given(traffic=traffic_st, n=agents_st, handle=st.floats(1e-3, 1e4), patience=st.floats(1e-3, 1e4))
def test_erlang_a_is_finite_and_silent(traffic, n, handle, patience):
    rate = traffic / handle  # calls per second giving `traffic` Erlangs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = erlang_a(rate, [n, n + 1], interval="s", handle_time=handle, patience=patience)
    for p in (res.probability_wait, res.probability_abandon, res.occupancy):
        assert np.all(np.isfinite(p))
        assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.isfinite(res.average_wait))
    assert np.all(res.average_wait >= 0)
    assert res.probability_abandon[1] <= res.probability_abandon[0] + 1e-9
