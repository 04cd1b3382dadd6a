"""Hypothesis: evaluate_slas against a per-case loop oracle on random logs, in any row order."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.domain import SLA, CustomerProcess
from custcentric.sla import evaluate_slas
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
    report = evaluate_slas(sla, log, processes=[PROCESS], segments=tiers)

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
