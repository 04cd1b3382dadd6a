"""Erlang A (abandonment) and the priority-queue vector (methods.md §6.3)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.sla import erlang_a, erlang_c, priority_waits


def chain_oracle(rate, n, aht, patience, states=4000):
    """Truncated birth-death chain of M/M/n+M, summed state by state."""
    mu, theta = 1 / aht, 1 / patience
    p = [1.0]
    for k in range(1, states):
        death = k * mu if k <= n else n * mu + (k - n) * theta
        p.append(p[-1] * rate / death)
    z = sum(p)
    p = [v / z for v in p]
    wait = sum(p[n:])
    queue = sum((k - n) * p[k] for k in range(n, states))
    return wait, theta * queue / rate, queue


@pytest.mark.parametrize(
    ("rate", "n", "aht", "patience"),
    [
        (100 / 1800, 11, 180, 120),
        (5.0, 3, 1.0, 0.5),
        (2.0, 4, 1.0, 10.0),
        (30.0, 25, 1.0, 2.0),
        (0.5, 1, 1.0, 1.0),
    ],
)
def test_erlang_a_matches_birth_death_chain(rate, n, aht, patience):
    res = erlang_a(rate, n, interval="s", handle_time=aht, patience=patience)
    wait, abandon, queue = chain_oracle(rate, n, aht, patience)
    # Tolerance 1e-9 relative: the chain is truncated where its tail is below 1e-300.
    assert res.probability_wait == pytest.approx(wait, rel=1e-9)
    assert res.probability_abandon == pytest.approx(abandon, rel=1e-9)
    assert res.average_queue_length == pytest.approx(queue, rel=1e-9)


def test_erlang_a_tends_to_erlang_c_with_infinite_patience():
    res = erlang_a(100 / 1800, 11, interval="s", handle_time=180, patience=1e9)
    assert res.probability_wait == pytest.approx(erlang_c(10.0, 11), rel=1e-5)
    assert res.probability_abandon < 1e-6


def test_erlang_a_overloaded_is_still_finite():
    res = erlang_a(20.0, 10, interval="s", handle_time=1.0, patience=0.5)
    assert 0 < res.probability_abandon < 1
    assert res.occupancy <= 1.0
    big = erlang_a(
        np.array([9_000.0, 11_000.0]), 10_000, interval="s", handle_time=1.0, patience=1.0
    )
    assert np.all(np.isfinite(big.probability_wait))
    assert big.to_dict()["probability_wait"][1] > big.to_dict()["probability_wait"][0]


def test_erlang_a_no_calls():
    res = erlang_a(0.0, 2, interval="s", handle_time=1.0, patience=1.0)
    assert res.probability_wait == 0.0
    assert res.average_wait == 0.0


def test_erlang_a_errors():
    with pytest.raises(InvalidInputError, match=r"`patience` must be positive \(index 0: 0.0\)"):
        erlang_a(1.0, 2, interval="s", handle_time=1.0, patience=0.0)


def test_priority_queue_vector():
    # methods.md §6.3 test vector [C] (Cobham 1954): mu = 1, lambda = (.2, .3, .3)
    # -> W0 = 0.8, Wq = (1, 2, 8); the lambda-weighted mean 4.0 equals FCFS rho/(mu(1-rho)).
    waits = priority_waits([0.2, 0.3, 0.3], [1, 1, 1], [2, 2, 2])
    assert waits.tolist() == pytest.approx([1.0, 2.0, 8.0], abs=1e-12)
    assert np.average(waits, weights=[0.2, 0.3, 0.3]) == pytest.approx(4.0)


def test_priority_queue_saturated_class_is_infinite():
    assert priority_waits([0.5, 0.6], [1, 1], [2, 2])[1] == np.inf


def test_priority_queue_errors():
    with pytest.raises(InvalidInputError, match=r"`second_moment` must be at least"):
        priority_waits([0.1], [2.0], [1.0])


def test_erlang_a_result_tables():
    pytest.importorskip("pandas")
    res = erlang_a([1.0, 2.0], 3, interval="s", handle_time=1.0, patience=1.0)
    assert len(res.to_pandas()) == 2
    assert set(res.to_dict()) == {
        "probability_wait",
        "probability_abandon",
        "average_wait",
        "average_queue_length",
        "occupancy",
    }


def test_erlang_a_load_that_rounds_blocking_to_one():
    # 1e7 Erlangs (the top of the range) on one agent with tiny patience: log(1 - B) was a
    # division by zero (RuntimeWarning) where B rounds to 1. Every caller waits.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = erlang_a(1e7, 1, interval="s", handle_time=1.0, patience=1e-300)
    assert float(res.probability_wait) == pytest.approx(1.0)
    assert 0.0 <= float(res.probability_abandon) <= 1.0
    with pytest.raises(InvalidInputError, match=r"must be at most 1e\+07 Erlangs"):
        erlang_a(1e20, 1, interval="s", handle_time=1.0, patience=1.0)


def test_erlang_a_units_per_hour_and_seconds():
    # Call Centre Helper's load three ways: 100 per 30 min, 200 per hour, 1/18 per second.
    ref = erlang_a(100 / 1800, 11, interval="s", handle_time=180, patience=120)
    for rate, interval in [(100, np.timedelta64(30, "m")), (200, "h"), (4800, "D")]:
        res = erlang_a(rate, 11, interval=interval, handle_time=180, patience=120)
        assert res.probability_abandon == pytest.approx(ref.probability_abandon, rel=1e-12)
        assert res.average_wait == pytest.approx(ref.average_wait, rel=1e-12)
    # average_wait is in seconds: P(abandon) times the mean patience of 120 s.
    assert ref.average_wait == pytest.approx(ref.probability_abandon * 120)


def test_erlang_a_old_call_form_fails_naming_interval():
    with pytest.raises(TypeError, match="interval"):
        erlang_a(1.0, 2, handle_time=1.0, patience=1.0)  # type: ignore[call-arg]


def test_priority_waits_with_astronomic_loads_are_infinite_without_warnings():
    # lambda * E[S] overflowed (RuntimeWarning) before; the saturated classes wait forever.
    waits = priority_waits([1e308, 1e308], [10.0, 10.0], [100.0, 100.0])
    assert waits.tolist() == [float("inf"), float("inf")]
