"""Erlang B / C, service level, ASA, occupancy and required_agents (methods.md §6.3)."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.sla import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
)


def exact_erlang_c(traffic: Fraction, n: int) -> Fraction:
    """The textbook formula in exact rational arithmetic (obviously correct, slow)."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(n):
        total += term  # A^k / k!
        term = term * traffic / (k + 1)
    top = term * Fraction(n) / (n - traffic)  # A^n / n! * n / (n - A)
    return top / (total + top)


def exact_erlang_b(traffic: Fraction, n: int) -> Fraction:
    term = Fraction(1)
    total = Fraction(1)
    for k in range(1, n + 1):
        term = term * traffic / k
        total += term
    return term / total


# --- published: Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked
# Example", https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm
# Inputs: 100 calls in 30 minutes, AHT 180 s, 80 % answered within 20 s, maximum occupancy
# 85 %, shrinkage 30 %. Traffic A = 200 calls/h * 3 min / 60 = 10 Erlangs. Published result
# for N = 14: P[w] = 0.1741, service level 88.8 %, ASA 7.8 s, 82.6 % answered immediately,
# occupancy 71.4 %; agents required with shrinkage 14 / 0.7 = 20. Tolerance: half a unit
# of the last published digit.
CCH_RATE = 100 / 1800
CCH_AHT = 180.0


def test_call_centre_helper_fourteen_agents():
    a = CCH_RATE * CCH_AHT
    assert a == pytest.approx(10.0)
    assert erlang_c(a, 14) == pytest.approx(0.1741, abs=5e-5)
    assert service_level(a, 14, answer_time=20, handle_time=CCH_AHT) == pytest.approx(
        0.888, abs=5e-4
    )
    assert average_speed_of_answer(a, 14, handle_time=CCH_AHT) == pytest.approx(7.8, abs=0.05)
    assert 1 - erlang_c(a, 14) == pytest.approx(0.826, abs=5e-4)
    assert occupancy(a, 14) == pytest.approx(0.714, abs=5e-4)


def test_call_centre_helper_starting_point():
    # The page starts its search at N = A + 1 = 11 agents; P[w](11) = 0.6821 and
    # SL = 39.0 % there (computed [C], and checked exactly below against fractions).
    assert erlang_c(10.0, 11) == pytest.approx(0.6821, abs=5e-5)
    assert float(exact_erlang_c(Fraction(10), 11)) == pytest.approx(0.6821, abs=5e-5)


def test_call_centre_helper_agents_and_shrinkage():
    kwargs = {"answer_time": 20, "target_service_level": 0.8}
    half_hour = np.timedelta64(30, "m")
    assert required_agents(100, CCH_AHT, interval=half_hour, **kwargs) == 14
    assert required_agents(200, CCH_AHT, interval="h", **kwargs) == 14
    assert required_agents(100, CCH_AHT, interval=dt.timedelta(minutes=30), **kwargs) == 14
    assert required_agents(CCH_RATE, CCH_AHT, interval="s", **kwargs) == 14
    assert required_agents(100, CCH_AHT, interval=half_hour, shrinkage=0.3, **kwargs) == 20
    assert required_agents(200, CCH_AHT, interval="h", shrinkage=0.3, **kwargs) == 20
    # 13 agents fall just short of 80 % (computed [C]: 79.56 %); 14 reach 88.84 %.
    assert service_level(10.0, 13, answer_time=20, handle_time=180) < 0.8
    assert service_level(10.0, 14, answer_time=20, handle_time=180) >= 0.8


def test_call_centre_helper_max_occupancy_binds():
    # An 85 % occupancy cap (their worked example's check) does not bind at 14 agents;
    # a 70 % cap needs ceil(10 / 0.7) = 15.
    assert (
        required_agents(
            200, CCH_AHT, interval="h", answer_time=20, target_service_level=0.8, max_occupancy=0.85
        )
        == 14
    )
    assert (
        required_agents(
            200, CCH_AHT, interval="h", answer_time=20, target_service_level=0.8, max_occupancy=0.7
        )
        == 15
    )


@pytest.mark.parametrize(
    ("traffic", "n"),
    [
        (Fraction(1, 2), 1),
        (Fraction(10), 11),
        (Fraction(10), 14),
        (Fraction(47, 3), 20),
        (Fraction(100), 101),
        (Fraction(100), 130),
        (Fraction(450), 480),
    ],
)
def test_erlang_c_matches_exact_fractions(traffic, n):
    # Exact reference in rational arithmetic; tolerance 1e-12 relative.
    assert erlang_c(float(traffic), n) == pytest.approx(
        float(exact_erlang_c(traffic, n)), rel=1e-12
    )
    assert erlang_b(float(traffic), n) == pytest.approx(
        float(exact_erlang_b(traffic, n)), rel=1e-12
    )


def test_erlang_b_below_capacity_matches_fractions():
    # n far below the traffic (the Poisson cdf underflows): the finite series path.
    for traffic, n in [(Fraction(2000), 100), (Fraction(900), 850), (Fraction(5), 2)]:
        assert erlang_b(float(traffic), n) == pytest.approx(
            float(exact_erlang_b(traffic, n)), rel=1e-10
        )


def test_erlang_b_recursion_oracle():
    rng = np.random.default_rng(3)
    traffic = rng.uniform(0.1, 60, 40)
    n = rng.integers(0, 90, 40)
    got = erlang_b(traffic, n)
    for a, k, g in zip(traffic, n, got, strict=True):
        b = 1.0
        for j in range(1, k + 1):
            b = a * b / (j + a * b)
        assert g == pytest.approx(b, rel=1e-11)


def test_stable_for_ten_thousand_agents():
    # 10^4 and 10^6 agents: no overflow, no warnings. Reference: the Erlang B recursion
    # (stable, all terms in (0, 1]) run for 10,100 steps; tolerance 1e-9 relative.
    a, n = 10_000.0, 10_100
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    exact_c = n * b / (n - a * (1 - b))
    value = erlang_c(a, n)
    assert 0 < value < 1
    assert value == pytest.approx(exact_c, rel=1e-9)
    assert 0 < erlang_c(1e6, 1_001_000) < 1
    assert erlang_b(1.0, 10_000) < 1e-300


def test_unstable_queue_waits_with_certainty():
    assert erlang_c(10.0, [5, 10]).tolist() == [1.0, 1.0]
    assert service_level(10.0, 10, answer_time=20, handle_time=180) == 0.0
    assert average_speed_of_answer(10.0, 9, handle_time=180) == math.inf
    assert occupancy(10.0, 9) == 1.0


def test_broadcasting_shapes():
    out = erlang_c(np.array([[5.0], [8.0]]), np.array([6, 9, 12]))
    assert out.shape == (2, 3)
    assert out[0, 1] == pytest.approx(erlang_c(5.0, 9))


def test_asa_and_service_level_formulas():
    c = erlang_c(10.0, 12)
    assert average_speed_of_answer(10.0, 12, handle_time=180) == pytest.approx(c * 180 / 2)
    sl = service_level(10.0, 12, answer_time=20, handle_time=180)
    assert sl == pytest.approx(1 - c * math.exp(-2 * 20 / 180))


def brute_force_agents(rate, aht, answer, target, max_occ=None, shrink=0.0):
    a = rate * aht
    n = 1
    while True:
        ok = n > a and service_level(a, n, answer_time=answer, handle_time=aht) >= target
        if max_occ is not None:
            ok = ok and a / n <= max_occ + 1e-12
        if ok:
            return math.ceil(n / (1 - shrink) - 1e-9)
        n += 1


def test_required_agents_equals_brute_force_on_a_grid():
    rates = np.array([0.01, 0.1, 0.5, 2.0, 7.5])
    ahts = np.array([1.0, 3.0, 10.0])
    targets = np.array([0.5, 0.8, 0.95])
    r, h, t = np.meshgrid(rates, ahts, targets, indexing="ij")
    got = required_agents(r, h, interval="s", answer_time=0.5, target_service_level=t)
    assert got.shape == r.shape
    for idx in np.ndindex(r.shape):
        assert got[idx] == brute_force_agents(r[idx], h[idx], 0.5, t[idx]), idx
    got_occ = required_agents(
        r,
        h,
        interval="s",
        answer_time=0.5,
        target_service_level=t,
        max_occupancy=0.8,
        shrinkage=0.25,
    )
    for idx in np.ndindex(r.shape):
        assert got_occ[idx] == brute_force_agents(r[idx], h[idx], 0.5, t[idx], 0.8, 0.25), idx


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(0.0, 500.0),
    extra=st.integers(1, 60),
)
def test_probabilities_in_unit_interval_and_monotone(traffic, extra):
    n = math.floor(traffic) + extra
    c = erlang_c(traffic, [n, n + 1])
    b = erlang_b(traffic, [n, n + 1])
    assert np.all((c >= 0) & (c <= 1))
    assert np.all((b >= 0) & (b <= c + 1e-15))
    assert c[1] <= c[0] + 1e-15


@settings(max_examples=40, deadline=None)
@given(rate=st.floats(0.0, 50.0), aht=st.floats(0.05, 5.0), target=st.floats(0.05, 0.99))
def test_required_agents_is_minimal(rate, aht, target):
    n = int(required_agents(rate, aht, interval="s", answer_time=0.2, target_service_level=target))
    a = rate * aht
    assert n > a
    assert service_level(a, n, answer_time=0.2, handle_time=aht) >= target
    if n - 1 > a:
        assert service_level(a, n - 1, answer_time=0.2, handle_time=aht) < target


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: erlang_c(-1.0, 3), r"`traffic` must be non-negative \(index 0: -1.0\)"),
        (lambda: erlang_c(1.0, 2.5), r"`n_agents` must hold whole numbers \(index 0: 2.5\)"),
        (lambda: erlang_c(1.0, 0), r"`n_agents` must be at least 1 \(index 0: 0.0\)"),
        (lambda: erlang_b([1.0, np.nan], 2), r"`traffic` must be finite \(index 1: nan\)"),
        (
            lambda: service_level(1.0, 2, answer_time=-1, handle_time=1),
            r"`answer_time` must be non-negative",
        ),
        (
            lambda: average_speed_of_answer(1.0, 2, handle_time=0),
            r"`handle_time` must be positive \(index 0: 0.0\)",
        ),
        (
            lambda: required_agents(1, 1, interval="s", answer_time=1, target_service_level=1.0),
            r"`target_service_level` must lie in \(0, 1\) \(index 0: 1.0\)",
        ),
        (
            lambda: required_agents(1, 1, interval="s", answer_time=1, target_service_level=0.0),
            r"`target_service_level` must lie in \(0, 1\)",
        ),
        (
            lambda: required_agents(
                1, 1, interval="s", answer_time=1, target_service_level=0.8, shrinkage=1.0
            ),
            r"`shrinkage` must lie in \[0, 1\)",
        ),
        (
            lambda: required_agents(
                1, 1, interval="s", answer_time=1, target_service_level=0.8, max_occupancy=1.5
            ),
            r"`max_occupancy` must be at most 1",
        ),
        (lambda: erlang_c("a", 1), r"`traffic` must hold numbers"),
    ],
)
def test_errors(call, match):
    with pytest.raises(InvalidInputError, match=match):
        call()


def test_required_agents_refuses_loads_it_cannot_count():
    # Past 2**52 a float cannot step n to n + 1, so the search never ended (a hang) and a
    # tiny max_occupancy overflowed the start to inf (a RuntimeWarning on the int cast).
    # Traffic itself is capped at 1e7 Erlangs, checked before any work.
    match = r"must be at most 1e\+07 Erlangs \(scenario 1: 1e\+300 Erlangs\)"
    with pytest.raises(InvalidInputError, match=match):
        required_agents([1.0, 1e300], 1.0, interval="s", answer_time=0, target_service_level=0.5)
    with pytest.raises(InvalidInputError, match=r"\(scenario 0: inf Erlangs\)"):
        required_agents(1e300, 1e300, interval="s", answer_time=0, target_service_level=0.5)
    with pytest.raises(InvalidInputError, match=r"\(scenario 0: 10\.0 Erlangs / 1e-300\)"):
        required_agents(
            10.0, 1.0, interval="s", answer_time=0, target_service_level=0.5, max_occupancy=1e-300
        )
    with pytest.raises(InvalidInputError, match=r"`shrinkage` must leave a rostered head count"):
        required_agents(
            1e6, 1.0, interval="s", answer_time=1, target_service_level=0.5, shrinkage=1 - 1e-14
        )


def test_extreme_times_give_limits_not_warnings():
    # answer_time / handle_time overflowing to inf: everyone is answered within T (SL = 1),
    # where a RuntimeWarning was raised before. Exact.
    assert service_level(10.0, 11, answer_time=1e300, handle_time=1e-300) == 1.0
    got = required_agents(10.0, 1e-300, interval="s", answer_time=1e300, target_service_level=0.99)
    assert got >= 1


# --- units: the reported bug and the migration path -----------------------------------


def test_calls_per_hour_and_seconds_give_a_sensible_head_count():
    # The reported bug: 300 calls an hour at 240 s is A = 20 Erlangs, not 72,000. Computed
    # [C]: brute force over service_level at A = 20.
    got = required_agents(300, 240, interval="h", answer_time=20, target_service_level=0.8)
    assert got == brute_force_agents(300 / 3600, 240, 20, 0.8)
    assert 20 < got < 40
    # The same load per minute or per day gives the same answer.
    assert required_agents(5, 240, interval="m", answer_time=20, target_service_level=0.8) == got
    assert (
        required_agents(300 * 24, 240, interval="D", answer_time=20, target_service_level=0.8)
        == got
    )


def test_old_call_form_fails_naming_interval():
    with pytest.raises(TypeError, match="interval"):
        required_agents(300, 240, answer_time=20, target_service_level=0.8)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("interval", "match"),
    [
        ("hour", r"`interval` must be one of 's', 'm', 'h', 'D', 'W'; got 'hour'"),
        (3600, r"`interval` must be a time unit .* or a timedelta"),
        (np.timedelta64(0, "s"), r"`interval` must be a positive duration"),
        (dt.timedelta(minutes=-30), r"`interval` must be a positive duration"),
        (np.timedelta64("NaT"), r"`interval` must be a duration, not NaT"),
        (np.timedelta64(1, "M"), r"`interval` must have a fixed length"),
        (None, r"`interval` must be a time unit"),
    ],
)
def test_bad_interval(interval, match):
    with pytest.raises(InvalidInputError, match=match):
        required_agents(1, 1, interval=interval, answer_time=1, target_service_level=0.8)


def test_traffic_above_the_documented_range_is_refused():
    for call in (
        lambda: erlang_b(1.1e7, 2),
        lambda: erlang_c(1.1e7, 2),
        lambda: service_level(1.1e7, 2, answer_time=1, handle_time=1),
        lambda: average_speed_of_answer(1.1e7, 2, handle_time=1),
        lambda: occupancy(1.1e7, 2),
    ):
        with pytest.raises(InvalidInputError, match=r"`traffic` must be at most 1e\+07"):
            call()
    assert 0 <= erlang_b(1e7, 10**7 - 110_000) <= 1  # the top of the range is accepted
