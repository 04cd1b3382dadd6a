"""cycle_times and step_durations against a per-case loop, with censoring and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.domain import SLA, CustomerProcess, ProcessStep
from custcentric.exceptions import InvalidInputError
from custcentric.process import cycle_times, process_performance, step_durations
from custcentric.sla import evaluate_slas
from custcentric.tables import EventLog

CLOSERS = {"p": "d", "q": "d"}


def _oracle(log: EventLog, end: np.datetime64) -> dict[str, tuple[float, bool, int, str]]:
    """Loop over cases: (duration in days, closed, events, last activity)."""
    out = {}
    for case in sorted(set(log.case_id.tolist())):
        idx = [i for i in range(len(log)) if log.case_id[i] == case]
        idx.sort(key=lambda i: (log.timestamp[i], i))
        first, last = idx[0], idx[-1]
        closed = str(log.activity[last]) == CLOSERS[str(log.process[first])]
        stop = log.timestamp[last] if closed else end
        days = (stop - log.timestamp[first]) / np.timedelta64(1, "D")
        out[case] = (float(days), closed, len(idx), str(log.activity[last]))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_cycle_times_match_a_loop_over_cases(random_log, seed):
    log = random_log(seed)
    end = np.datetime64("2024-06-01T00:00", "s")
    ct = cycle_times(log, processes=CLOSERS, observation_end=end)
    expected = _oracle(log, end)
    assert ct.case_id.tolist() == sorted(expected)
    for i, case in enumerate(ct.case_id.tolist()):
        days, closed, n, last = expected[case]
        assert ct.duration[i] == pytest.approx(days, abs=1e-12)
        assert bool(ct.closed[i]) is closed
        assert int(ct.n_events[i]) == n
        assert ct.last_activity[i] == last
    # Open cases are kept, censored at the observation end, never dropped.
    assert len(ct) == len(expected)
    assert (ct.end[~ct.closed] == end).all()


def test_open_case_is_right_censored_at_observation_end():
    log = EventLog.from_arrays(
        ["k1", "k1", "k2"],
        ["claim"] * 3,
        ["open", "close", "open"],
        ["2024-01-01", "2024-01-03", "2024-01-02"],
        ["c1", "c1", "c2"],
    )
    ct = cycle_times(log, processes={"claim": "close"}, observation_end="2024-01-06", time_unit="h")
    assert ct.duration.tolist() == [48.0, 96.0]
    assert ct.closed.tolist() == [True, False]
    assert ct.n_open == 1
    assert "1 open" in str(ct)
    # Without observation_end the log's last event is the end.
    assert cycle_times(log, processes={"claim": "close"}).duration.tolist() == [2.0, 1.0]
    # Without a catalogue the final activity is inferred per process: the most common last
    # activity ('close' and 'open' tie once each; the alphabetically first wins).
    inferred = cycle_times(log)
    assert inferred.closed.tolist() == [True, False]
    assert inferred.final_activity == {"claim": ("close",)}
    assert inferred.final_activity_inferred
    assert "final activity inferred from the log ('claim': 'close')" in str(inferred)


def test_catalogue_of_customer_processes_closes_at_the_last_step():
    process = CustomerProcess(
        id="claim",
        name="Claim",
        kind="vertical",
        lifecycle_stage="retain",
        owner="Head",
        steps=(ProcessStep(id="open", name="Open"), ProcessStep(id="close", name="Close")),
    )
    log = EventLog.from_arrays(
        ["k"] * 2, ["claim"] * 2, ["open", "close"], ["2024-01-01", "2024-01-02"], ["c"] * 2
    )
    assert cycle_times(log, processes=[process]).closed.tolist() == [True]


def test_bundled_company_open_cases_and_order(company):
    ct = cycle_times(company.events, processes=company.processes)
    assert len(ct) == 6201
    assert ct.n_open == 109  # the same rule as the demo's process table
    assert (ct.duration >= 0).all()
    assert (np.diff(ct.n_events) != 0).any()
    frame = ct.to_pandas()
    assert frame.shape == (6201, 9)
    data = ct.to_dict()
    assert data["observation_end"] == "2025-12-31T23:06:00"


class _HalfClock:
    """A toy calendar that counts half of calendar time."""

    def duration(self, start, end, unit):
        return 0.5 * ((end - start) / np.timedelta64(1, "s")) / {"D": 86400.0, "h": 3600.0}[unit]


def test_calendar_object_measures_durations(random_log):
    log = random_log(3)
    plain = cycle_times(log, processes=CLOSERS)
    halved = cycle_times(log, processes=CLOSERS, calendar=_HalfClock())
    np.testing.assert_allclose(halved.duration, 0.5 * plain.duration)
    steps = step_durations(log, calendar=_HalfClock(), time_unit="h")
    np.testing.assert_allclose(steps.duration, 0.5 * step_durations(log, time_unit="h").duration)


@pytest.mark.parametrize("seed", range(3))
def test_step_intervals_add_up_to_closed_cycle_times(random_log, seed):
    log = random_log(seed)
    every = {p: ["a", "b", "c", "d"] for p in ("p", "q")}
    ct = cycle_times(log, processes=every)  # every case closed at its last event
    assert ct.closed.all()
    steps = step_durations(log)
    sums = dict.fromkeys(ct.case_id.tolist(), 0.0)
    for case, d in zip(steps.case_id.tolist(), steps.duration.tolist(), strict=True):
        sums[case] += d
    np.testing.assert_allclose([sums[c] for c in ct.case_id.tolist()], ct.duration, atol=1e-9)
    assert len(steps) == len(log) - len(ct)


def test_step_durations_by_step_matches_a_loop(random_log):
    steps = step_durations(random_log(4))
    table = steps.by_step()
    for p, a, n, total, median in zip(
        table["process"],
        table["activity"],
        table["n"],
        table["total"],
        table["median"],
        strict=True,
    ):
        mask = (steps.process == p) & (steps.activity == a)
        assert n == mask.sum()
        assert total == pytest.approx(steps.duration[mask].sum())
        assert median == pytest.approx(np.median(steps.duration[mask]))
    assert steps.to_pandas().shape[0] == len(steps)
    assert "intervals" in str(steps)


@settings(max_examples=40, deadline=None)
@given(
    events=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from("abcd"), st.integers(0, 10**6)),
        min_size=1,
        max_size=30,
        unique_by=lambda e: e[2],
    ),
    perm_seed=st.integers(0, 2**32 - 1),
)
def test_cycle_times_do_not_depend_on_event_order(events, perm_seed):
    cases = np.array([f"k{c}" for c, _, _ in events])
    activity = np.array([a for _, a, _ in events])
    times = np.datetime64("2024-01-01", "s") + np.array([t for _, _, t in events], "timedelta64[s]")
    customers = np.array([f"c{c}" for c, _, _ in events])
    process = np.full(len(events), "p")
    log = EventLog.from_arrays(cases, process, activity, times, customers)
    perm = np.random.default_rng(perm_seed).permutation(len(events))
    shuffled = EventLog.from_arrays(
        cases[perm], process[perm], activity[perm], times[perm], customers[perm]
    )
    a = cycle_times(log, processes={"p": "d"})
    b = cycle_times(shuffled, processes={"p": "d"})
    assert a.case_id.tolist() == b.case_id.tolist()
    np.testing.assert_array_equal(a.duration, b.duration)
    np.testing.assert_array_equal(a.closed, b.closed)
    assert (a.duration >= 0).all()
    # The inferred final activity (ties to the first name) does not depend on the order either.
    inferred, shuffled_inferred = cycle_times(log), cycle_times(shuffled)
    assert inferred.final_activity == shuffled_inferred.final_activity
    np.testing.assert_array_equal(inferred.closed, shuffled_inferred.closed)
    assert (
        np.sort(step_durations(log).duration).tolist()
        == np.sort(step_durations(shuffled).duration).tolist()
    )


def test_empty_log_needs_an_observation_end():
    empty = EventLog.from_arrays([], [], [], [], [])
    with pytest.raises(InvalidInputError, match=r"`observation_end` must be given"):
        cycle_times(empty)
    assert len(cycle_times(empty, observation_end="2024-01-01")) == 0
    assert len(step_durations(empty)) == 0


def test_bad_input_is_refused():
    log = EventLog.from_arrays(
        ["k1", "k1", "k2"],
        ["a", "b", "a"],
        ["x", "y", "x"],
        ["2024-01-01", "2024-01-02", "2024-01-03"],
        ["c1", "c1", "c2"],
    )
    with pytest.raises(
        InvalidInputError, match=r"one process \(case 'k1': 'a' at event 0, 'b' at event 1\)"
    ):
        cycle_times(log)
    mixed = EventLog.from_arrays(
        ["k1", "k1"], ["a", "a"], ["x", "y"], ["2024-01-01", "2024-01-02"], ["c1", "c2"]
    )
    with pytest.raises(InvalidInputError, match=r"one customer \(case 'k1'"):
        cycle_times(mixed)
    ok = EventLog.from_arrays(
        ["k1", "k2"], ["a", "b"], ["x", "y"], ["2024-01-01", "2024-01-05"], ["c1", "c2"]
    )
    with pytest.raises(
        InvalidInputError,
        match=r"not be later than `observation_end` \(event 1: 2024-01-05T00:00:00 > 2024-01-02T00:00:00\)",
    ):
        cycle_times(ok, observation_end="2024-01-02")
    with pytest.raises(
        InvalidInputError,
        match=r"processes must be listed in `processes` \(event 1: 'b'; known: 'a'\)",
    ):
        cycle_times(ok, processes={"a": "x"})
    with pytest.raises(InvalidInputError, match=r"`event_log` must be an EventLog \(got list\)"):
        cycle_times([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`time_unit` must be one of"):
        cycle_times(ok, time_unit="days")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`processes\[0\]` must be a CustomerProcess"):
        cycle_times(ok, processes=["a"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match=r"`observation_end` must be one timestamp"):
        cycle_times(ok, observation_end=["2024-02-01", "2024-03-01"])


class _BadClock:
    def __init__(self, values):
        self.values = values

    def duration(self, start, end, unit):
        return self.values


def test_bad_calendars_are_refused():
    log = EventLog.from_arrays(
        ["k1", "k1"], ["a", "a"], ["x", "y"], ["2024-01-01", "2024-01-02"], ["c1", "c1"]
    )
    with pytest.raises(InvalidInputError, match=r"`calendar` must have a method duration"):
        cycle_times(log, calendar=object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"one duration per interval \(2 != 1\)"):
        cycle_times(log, calendar=_BadClock([1.0, 2.0]))
    with pytest.raises(InvalidInputError, match=r"must be non-negative \(index 0: -1.0\)"):
        cycle_times(log, calendar=_BadClock([-1.0]))


def test_select_keeps_rows_and_columns_aligned(random_log):
    log = random_log(2)
    ct = cycle_times(log, processes=CLOSERS)
    open_only = ct.select(~ct.closed)
    assert len(open_only) == ct.n_open
    assert not open_only.closed.any()
    steps = step_durations(log)
    first = steps.select(steps.case_id == steps.case_id[0])
    assert (first.case_id == steps.case_id[0]).all()
    seconds = (first.end - first.start) / np.timedelta64(1, "s")
    np.testing.assert_allclose(seconds, first.duration * 86400, atol=1e-6)
    assert first.from_activity.tolist()[1:] == first.activity.tolist()[:-1]
    assert (first.process == first.process[0]).all()


def _helpdesk_log(n_closed: int = 53, n_open: int = 47) -> EventLog:
    """Tickets (closed by 'close'; open ones stop at 'open' or 'reply') and complaints ('settle')."""
    cases, processes, activities, times, customers = [], [], [], [], []
    start = np.datetime64("2024-03-01T08:00", "s")
    hour = np.timedelta64(3600, "s")
    for k in range(n_closed + n_open):
        steps = ["open", "reply", "close"] if k < n_closed else ["open", "reply"][: 1 + k % 2]
        for j, activity in enumerate(steps):
            cases.append(f"t{k:03d}")
            processes.append("ticket")
            activities.append(activity)
            times.append(start + (k + 5 * j + 1) * hour)
            customers.append(f"c{k % 11}")
    for k in range(9):  # 6 settled, 3 still under review
        steps = ["filed", "review", "settle"] if k < 6 else ["filed", "review"]
        for j, activity in enumerate(steps):
            cases.append(f"m{k}")
            processes.append("complaint")
            activities.append(activity)
            times.append(start + (3 * k + 7 * j + 1) * hour)
            customers.append(f"c{k}")
    order = np.random.default_rng(0).permutation(len(cases))
    return EventLog.from_arrays(
        *(np.array(column)[order] for column in (cases, processes, activities, times, customers))
    )


def test_without_catalogue_open_cases_are_reported_not_called_closed():
    log = _helpdesk_log()
    ct = cycle_times(log)
    # Fails on the old rule ("every case is closed without a catalogue": 0 open).
    assert ct.n_open == 47 + 3
    assert int((~ct.closed & (ct.process == "ticket")).sum()) == 47
    assert ct.final_activity == {"complaint": ("settle",), "ticket": ("close",)}
    assert ct.final_activity_inferred
    assert "50 open" in str(ct)
    assert "final activity inferred from the log ('complaint': 'settle', 'ticket': 'close')" in str(
        ct
    )
    given = cycle_times(log, processes={"ticket": "close", "complaint": "settle"})
    np.testing.assert_array_equal(ct.closed, given.closed)
    np.testing.assert_array_equal(ct.duration, given.duration)
    assert not given.final_activity_inferred
    assert "inferred" not in str(given)
    data = ct.to_dict()
    assert data["final_activity"] == {"complaint": ["settle"], "ticket": ["close"]}
    assert data["final_activity_inferred"] is True
    # Open cases are censored at the observation end, never dropped.
    assert (ct.end[~ct.closed] == ct.observation_end).all()
    assert process_performance(ct).row("ticket")["n_open"] == 47


def test_inferred_final_activity_is_per_process_with_ties_to_the_first_name():
    log = EventLog.from_arrays(
        ["a1", "a2", "a3", "b1", "b2", "b2"],
        ["p", "p", "p", "q", "q", "q"],
        ["z", "y", "z", "y", "x", "y"],
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-01", "2024-01-02", "2024-01-04"],
        ["c"] * 6,
    )
    ct = cycle_times(log)
    assert ct.final_activity == {"p": ("z",), "q": ("y",)}
    assert ct.closed.tolist() == [True, False, True, True, True]
    empty = cycle_times(EventLog.from_arrays([], [], [], [], []), observation_end="2024-01-01")
    assert empty.final_activity == {}
    assert empty.final_activity_inferred
    assert "inferred" not in str(empty)


@pytest.mark.parametrize("source", ["helpdesk", 0, 1, 2, 3])
def test_cycle_times_and_evaluate_slas_agree_on_closed_cases(random_log, source):
    log = _helpdesk_log() if source == "helpdesk" else random_log(source)
    ct = cycle_times(log)
    for name in np.unique(ct.process).tolist():
        mine = ct.process == name
        # A target nothing can miss: evaluated cases are exactly the closed ones.
        lenient = SLA(id="all", name="all", process_id=name, metric="cycle_time", target=1e9)
        row = evaluate_slas(log, lenient).row("all")
        assert (row.cases, row.pending) == (
            int((ct.closed & mine).sum()),
            int((~ct.closed & mine).sum()),
        )
        # A target every case with a positive duration misses: the breaches name the cases.
        strict = SLA(id="none", name="none", process_id=name, metric="cycle_time", target=1e-9)
        breached = evaluate_slas(log, strict).breached
        positive = mine & (ct.duration > 1e-9)
        assert set(breached.case_id[~breached.open].tolist()) == set(
            ct.case_id[positive & ct.closed].tolist()
        )
        assert set(breached.case_id[breached.open].tolist()) == set(
            ct.case_id[positive & ~ct.closed].tolist()
        )
