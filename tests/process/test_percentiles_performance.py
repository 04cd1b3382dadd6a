"""Percentile definitions, order-statistic intervals, and per-process performance."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from custcentric.exceptions import InvalidInputError
from custcentric.process import (
    cycle_times,
    process_performance,
    quantile,
    quantile_ci,
    step_durations,
)
from custcentric.tables import EventLog


def test_percentiles_on_one_to_ten():
    # methods.md §6.2 test vector T27 (Hyndman & Fan 1996, types 7 and 1); exact.
    data = np.arange(1, 11)
    assert quantile(data, [0.9, 0.5]).tolist() == pytest.approx([9.1, 5.5], abs=1e-12)
    assert quantile(data, 0.9, percentile_method="nearest_rank").tolist() == [9.0]


def test_quantile_interval_for_n_100_q_09():
    # methods.md §6.2 test vector T28: [x_(84), x_(96)], coverage 0.9557 (4 d.p.).
    ci = quantile_ci(np.arange(1, 101) * 2.0, 0.9)
    assert (ci.lower_rank, ci.upper_rank) == (84, 96)
    assert (ci.lower, ci.upper) == (168.0, 192.0)
    assert ci.coverage == pytest.approx(0.9557, abs=5e-5)
    assert ci.to_dict()["n"] == 100


def _nearest_rank_oracle(x, q):
    ordered = sorted(x)
    return ordered[max(1, math.ceil(round(q * len(x), 9))) - 1]


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
    q=st.floats(0, 1),
)
def test_quantiles_agree_with_numpy_and_a_rank_loop(x, q):
    assert quantile(x, q)[0] == pytest.approx(np.percentile(x, 100 * q), rel=1e-9, abs=1e-6)
    assert quantile(x, q, percentile_method="nearest_rank")[0] == _nearest_rank_oracle(x, q)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), q=st.floats(0.01, 0.99), level=st.floats(0.5, 0.99))
def test_interval_coverage_is_the_binomial_probability(n, q, level):
    ci = quantile_ci(np.arange(n, dtype=float), q, confidence_level=level)
    assert 1 <= ci.lower_rank <= ci.upper_rank <= n
    exact = sum(binom.pmf(k, n, q) for k in range(ci.lower_rank, ci.upper_rank))
    assert ci.coverage == pytest.approx(exact, abs=1e-9)
    lo, hi = binom.ppf((1 - level) / 2, n, q), binom.ppf((1 + level) / 2, n, q) + 1
    if lo >= 1 and hi <= n:  # the ranks exist: the nominal level is reached
        assert ci.coverage >= level - 1e-12


def test_percentile_errors():
    with pytest.raises(InvalidInputError, match=r"`q` must lie in \[0, 1\] \(index 1: 1.5\)"):
        quantile([1, 2], [0.5, 1.5])
    with pytest.raises(
        InvalidInputError,
        match=r"`percentile_method` must be one of 'type7', 'nearest_rank' \(got 'type1'\)",
    ):
        quantile([1, 2], 0.5, percentile_method="type1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`values` must hold at least one number"):
        quantile([], 0.5)
    with pytest.raises(InvalidInputError, match=r"`values` must hold at least one number"):
        quantile_ci([], 0.5)
    with pytest.raises(InvalidInputError, match=r"`q` must lie in \(0, 1\) \(got 1.0\)"):
        quantile_ci([1, 2], 1.0)
    with pytest.raises(InvalidInputError, match=r"`confidence_level` must lie in \(0, 1\)"):
        quantile_ci([1, 2], 0.5, confidence_level=95)


def test_performance_against_a_loop(random_log):
    log = random_log(7, n_cases=80)
    ct = cycle_times(log, processes={"p": "d", "q": "d"})
    perf = process_performance(
        ct,
        step_durations=step_durations(log),
        percentile_method="nearest_rank",
        confidence_level=0.9,
    )
    for i, name in enumerate(perf.process.tolist()):
        mask = ct.process == name
        closed = np.sort(ct.duration[mask & ct.closed])
        assert perf.n_cases[i] == mask.sum()
        assert perf.n_open[i] == (mask & ~ct.closed).sum()
        assert perf.mean[i] == pytest.approx(closed.mean())
        assert perf.p90[i] == _nearest_rank_oracle(closed.tolist(), 0.9)
        ci = quantile_ci(closed, 0.9, confidence_level=0.9)
        assert perf.p90_ci[i].tolist() == [ci.lower, ci.upper]
        assert perf.open_beyond_p90[i] == (ct.duration[mask & ~ct.closed] > perf.p90[i]).sum()
        shares = [b.share for b in perf.bottlenecks[name]]
        assert sum(shares) == pytest.approx(1.0)
        assert shares == sorted(shares, reverse=True)
    assert "Cycle time per process" in perf.summary()
    assert perf.to_pandas().shape[0] == len(perf)


def test_bottleneck_share_is_the_steps_share_of_cycle_time():
    log = EventLog.from_arrays(
        ["k1"] * 3 + ["k2"] * 3,
        ["p"] * 6,
        ["a", "b", "c"] * 2,
        ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-01", "2024-01-04", "2024-01-05"],
        ["c1"] * 3 + ["c2"] * 3,
    )
    perf = process_performance(
        cycle_times(log, processes={"p": "c"}), step_durations=step_durations(log)
    )
    steps = perf.bottlenecks["p"]
    # b: 1 + 3 = 4 days, c: 3 + 1 = 4 days of 8: a tie, broken by name.
    assert [(s.activity, s.share, s.n) for s in steps] == [("b", 0.5, 2), ("c", 0.5, 2)]


def test_process_without_closed_cases_reports_none():
    log = EventLog.from_arrays(["k1"], ["p"], ["a"], ["2024-01-01"], ["c1"])
    perf = process_performance(cycle_times(log, processes={"p": "z"}, observation_end="2024-01-03"))
    row = perf.row("p")
    assert row["n_open"] == 1
    assert row["median"] is None
    assert row["p90_ci"] == [None, None]
    with pytest.raises(InvalidInputError, match=r"`process` must be one of \['p'\] \(got 'x'\)"):
        perf.row("x")


def test_performance_errors(random_log):
    log = random_log(1)
    ct = cycle_times(log)
    with pytest.raises(InvalidInputError, match=r"`cycle_times` must be a CycleTimes"):
        process_performance(log)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"must use the unit of `cycle_times` \('h' != 'D'\)"
    ):
        process_performance(ct, step_durations=step_durations(log, time_unit="h"))
    other = EventLog.from_arrays(
        ["zz", "zz"], ["p", "p"], ["a", "b"], ["2024-01-01", "2024-01-02"], ["c", "c"]
    )
    with pytest.raises(
        InvalidInputError, match=r"hold only cases of `cycle_times` \(interval 0: case 'zz'\)"
    ):
        process_performance(ct, step_durations=step_durations(other))
    with pytest.raises(InvalidInputError, match=r"`confidence_level` must lie in \(0, 1\)"):
        process_performance(ct, confidence_level=1.0)


# --- Kaplan-Meier percentiles: open cases right-censored (methods.md §6.1) -------------------

_OBSERVATION_END = np.datetime64("2024-12-31T00:00", "s")


def _censored_log(durations, closed, processes=None):
    """Cases whose cycle times (days) are ``durations``; an open case is censored at its age."""
    cases, procs, activities, times, customers = [], [], [], [], []
    day = np.timedelta64(86400, "s")
    for i, (d, done) in enumerate(zip(durations, closed, strict=True)):
        process = "p" if processes is None else processes[i]
        seconds = np.timedelta64(round(float(d) * 86400), "s")
        if done:
            start = _OBSERVATION_END - 1200 * day
            stamps, acts = [start, start + seconds], ["open", "close"]
        else:
            stamps, acts = [_OBSERVATION_END - seconds], ["open"]
        for t, a in zip(stamps, acts, strict=True):
            cases.append(f"k{i:04d}")
            procs.append(process)
            activities.append(a)
            times.append(t)
            customers.append(f"c{i}")
    log = EventLog.from_arrays(cases, procs, activities, times, customers)
    closers = dict.fromkeys(set(procs), "close")
    return cycle_times(log, processes=closers, observation_end=_OBSERVATION_END)


def _km_oracle(durations, closed, q):
    """A plain loop over the distinct closing times: Ŝ, then the first time with Ŝ <= 1 - q."""
    survival, area, previous, level = 1.0, 0.0, 0.0, 1.0
    quantile = math.inf
    for t in sorted({d for d, c in zip(durations, closed, strict=True) if c}):
        at_risk = sum(1 for d in durations if d >= t)
        events = sum(1 for d, c in zip(durations, closed, strict=True) if c and d == t)
        area += level * (t - previous)
        survival *= 1 - events / at_risk
        previous, level = t, survival
        if quantile == math.inf and survival <= 1 - q + 1e-12:
            quantile = t
    area += level * (max(durations) - previous)
    return quantile, area


def test_kaplan_meier_median_of_the_6mp_arm():
    # methods.md §3.7 test vector T20: the 6-MP arm of Freireich et al. (1963), as in Gehan
    # (1965), n = 21, "+" censored. Kaplan-Meier median = 23 weeks (exact; here days stand in
    # for weeks). Interval: 95 % log-log band read as Brookmeyer & Crowley (1982), (13, inf),
    # the same as custcentric.metrics.kaplan_meier(...).median_confidence_interval() (exact).
    weeks = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    relapse = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    ct = _censored_log(weeks, [bool(r) for r in relapse])
    perf = process_performance(ct, censoring="kaplan_meier")
    assert perf.median[0] == 23.0
    assert perf.median_ci[0].tolist() == [13.0, math.inf]
    # Ŝ never falls to 0.1 or 0.05 (it ends at 0.4482): p90 and p95 are not reached.
    assert perf.p90[0] == math.inf
    assert perf.p95[0] == math.inf
    assert perf.row("p")["p90"] is None
    assert perf.censoring == "kaplan_meier"
    assert perf.percentile_method == "nearest_rank"
    assert np.isnan(perf.ci_coverage).all()
    # Closed cases alone (9 relapses) put the median at 10 weeks: the bias toward fast cases.
    assert process_performance(ct, percentile_method="nearest_rank").median[0] == 10.0


def test_kaplan_meier_matches_the_metrics_estimator():
    from custcentric.metrics import kaplan_meier

    rng = np.random.default_rng(3)
    durations = np.round(rng.exponential(5.0, size=150), 2)
    closed = rng.random(150) < 0.7
    perf = process_performance(_censored_log(durations, closed), censoring="kaplan_meier")
    km = kaplan_meier(durations, closed)
    for q, value in zip((0.5, 0.9, 0.95), (perf.median, perf.p90, perf.p95), strict=True):
        assert value[0] == pytest.approx(km.quantile(q), abs=1e-9)
    ci = km.median_confidence_interval()
    assert perf.median_ci[0].tolist() == pytest.approx([ci.low, ci.high], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=30),
)
def test_kaplan_meier_against_a_loop(data):
    durations = [float(d) for d, _ in data]
    closed = [c for _, c in data]
    perf = process_performance(_censored_log(durations, closed), censoring="kaplan_meier")
    for q, value in zip((0.5, 0.9, 0.95), (perf.median, perf.p90, perf.p95), strict=True):
        expected, area = _km_oracle(durations, closed, q)
        assert value[0] == expected
    assert perf.mean[0] == pytest.approx(area, rel=1e-12, abs=1e-9)
    assert perf.n_open[0] == closed.count(False)


@settings(max_examples=40, deadline=None)
@given(durations=st.lists(st.floats(0, 1000), min_size=1, max_size=40))
def test_kaplan_meier_without_open_cases_is_the_nearest_rank(durations):
    ct = _censored_log(durations, [True] * len(durations))
    km = process_performance(ct, censoring="kaplan_meier")
    plain = process_performance(ct, percentile_method="nearest_rank")
    for name in ("median", "p90", "p95"):
        assert getattr(km, name).tolist() == getattr(plain, name).tolist()
    assert km.mean[0] == pytest.approx(plain.mean[0], rel=1e-12, abs=1e-9)


def test_kaplan_meier_per_process_and_errors():
    ct = _censored_log([1, 2, 3, 4, 5, 6], [True, False, True, True, False, False], list("ppqqqq"))
    perf = process_performance(ct, censoring="kaplan_meier")
    assert perf.process.tolist() == ["p", "q"]
    # q: 3 closes (1 of 4 at risk), 4 closes (1 of 3): Ŝ = 0.75, 0.5 -> median 4.
    assert perf.median.tolist() == [1.0, 4.0]
    assert "Kaplan-Meier, open cases censored" in perf.summary()
    assert perf.to_dict()["censoring"] == "kaplan_meier"
    with pytest.raises(
        InvalidInputError,
        match=r"`censoring` must be one of 'closed_only', 'kaplan_meier' \(got 'km'\)",
    ):
        process_performance(ct, censoring="km")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError,
        match=r"`percentile_method` must be 'nearest_rank' with censoring='kaplan_meier' "
        r"\(got 'type7'\)",
    ):
        process_performance(ct, censoring="kaplan_meier", percentile_method="type7")


def test_summary_names_an_inferred_final_activity():
    log = EventLog.from_arrays(
        ["k1", "k1", "k2", "k3", "k3"],
        ["claim"] * 5,
        ["open", "close", "open", "open", "close"],
        ["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-02", "2024-01-04"],
        ["c1", "c1", "c2", "c3", "c3"],
    )
    perf = process_performance(cycle_times(log, observation_end="2024-01-06"))
    assert perf.row("claim")["n_open"] == 1
    assert perf.final_activity == {"claim": ("close",)}
    assert perf.to_dict()["final_activity_inferred"] is True
    assert "inferred from the log as the most common last activity: claim 'close'" in str(perf)
    given = process_performance(cycle_times(log, processes={"claim": "close"}))
    assert not given.final_activity_inferred
    assert "inferred" not in given.summary()
