"""Customer migration (Pfeifer & Carraway 2000) and the lifecycle funnel (methods.md §3.4-3.5)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.domain import LifecycleStage
from custcentric.segmentation import MigrationModel, lifecycle_funnel

STATES = ["1", "2", "3", "4", "former"]


def test_pfeifer_carraway_recency_example(pc_recency) -> None:
    # Pfeifer & Carraway (2000), JIM 14(2):43-55, recency illustration, as reproduced in
    # methods.md §3.4 / T16: V1 = 64.25 at d = 0 [V]; the other values [C] to 2 decimals.
    matrix, rewards = pc_recency
    model = MigrationModel.from_matrix(matrix, states=STATES)
    v0 = model.lifetime_value(rewards, discount_rate=0)
    assert v0[0] == pytest.approx(64.25, abs=0.005)
    assert v0 == pytest.approx([64.25, 12.83, 4.97, -0.79, 0], abs=0.005)
    v20 = model.lifetime_value(rewards, discount_rate=0.2)
    assert v20 == pytest.approx([52.32, 5.55, 1.25, -1.82, 0], abs=0.005)
    # Finite horizons for state 1 at d = 0.2 (T = 0 .. 10 means n_periods = T + 1 terms).
    expected = {0: 36.00, 1: 42.67, 2: 46.28, 3: 48.48, 4: 50.11, 10: 52.22}
    for horizon, value in expected.items():
        got = model.lifetime_value(rewards, discount_rate=0.2, n_periods=horizon + 1)[0]
        assert got == pytest.approx(value, abs=0.005)
    # Policy reading [C]: stop mailing recency-4 customers (R4 = 0, p4 = 0).
    policy = matrix.copy()
    policy[3] = [0, 0, 0, 0, 1]
    stop = MigrationModel.from_matrix(policy).lifetime_value(
        {"0": 36, "1": -4, "2": -4, "3": 0, "4": 0}, discount_rate=0.2
    )
    assert stop == pytest.approx([53.15, 6.62, 2.64, 0, 0], abs=0.005)


def lifetime_value_loop(matrix, rewards, d, n_periods):
    """The defining sum, term by term: sum_t ((1+d)^-1 P)^t R."""
    s = len(rewards)
    total = np.zeros(s)
    power = np.eye(s)
    for _ in range(n_periods):
        total += power @ rewards
        power = power @ matrix / (1 + d)
    return total


def test_lifetime_value_against_loop_oracle(pc_recency) -> None:
    matrix, rewards = pc_recency
    model = MigrationModel.from_matrix(matrix)
    for d in (0.0, 0.1, 0.3):
        for n in (1, 2, 7):
            assert model.lifetime_value(rewards, discount_rate=d, n_periods=n) == pytest.approx(
                lifetime_value_loop(matrix, rewards, d, n), abs=1e-10
            )
        # The infinite horizon is the limit of the finite sums.
        assert model.lifetime_value(rewards, discount_rate=d) == pytest.approx(
            lifetime_value_loop(matrix, rewards, d, 3000), abs=1e-6
        )


def test_fit_recovers_a_known_chain() -> None:
    # Customers drawn from a known 3-state chain; each estimated p_ij within 4 standard
    # errors sqrt(p(1-p)/n_i) of the truth.
    truth = np.array([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.05, 0.15, 0.8]])
    rng = np.random.default_rng(12)
    before = rng.integers(0, 3, size=30_000)
    u = rng.random(before.size)
    after = (u[:, None] > np.cumsum(truth, axis=1)[before]).sum(axis=1)
    names = np.array(["gold", "silver", "bronze"])
    fit = MigrationModel.fit(names[before], names[after], states=["gold", "silver", "bronze"])
    se = fit.standard_errors()
    assert np.all(np.abs(fit.transition_matrix - truth) <= 4 * se + 1e-12)
    assert fit.counts is not None
    assert int(fit.counts.sum()) == before.size
    assert fit.transition_matrix.sum(axis=1) == pytest.approx(np.ones(3))
    assert fit.to_dict()["states"] == ["gold", "silver", "bronze"]


def test_fit_counts_against_loop() -> None:
    before = ["a", "b", "a", "c", "a", "b"]
    after = ["a", "a", "b", "c", "a", "b"]
    fit = MigrationModel.fit(before, after)
    states = ["a", "b", "c"]
    for i, s in enumerate(states):
        for j, t in enumerate(states):
            n_ij = sum(1 for x, y in zip(before, after, strict=True) if x == s and y == t)
            assert fit.counts[i, j] == n_ij


def test_projection_steady_state_and_absorption(pc_recency) -> None:
    chain = MigrationModel.from_matrix([[0.9, 0.1], [0.5, 0.5]], states=["active", "idle"])
    pi = chain.steady_state()
    assert pi == pytest.approx([5 / 6, 1 / 6])
    path = chain.project([100, 0], 200)
    assert path[0].tolist() == [100, 0]
    assert path[-1] == pytest.approx(100 * pi)
    assert chain.project("idle", 1)[1].tolist() == [0.5, 0.5]
    assert chain.matrix_power(2) == pytest.approx(np.array([[0.86, 0.14], [0.7, 0.3]]))
    matrix, _ = pc_recency
    model = MigrationModel.from_matrix(matrix, states=STATES)
    assert model.absorbing_states == ("former",)
    assert model.steady_state() == pytest.approx([0, 0, 0, 0, 1], abs=1e-12)
    t = model.expected_time_to_absorption()
    # First-step analysis by hand: t = 1 + Q t, solved by fixed-point iteration.
    q = matrix[:4, :4]
    t_loop = np.zeros(4)
    for _ in range(5000):
        t_loop = 1 + q @ t_loop
    assert t[:4] == pytest.approx(t_loop)
    assert t[4] == 0
    assert model.absorption_probabilities()[:, 0] == pytest.approx(np.ones(5))
    assert "MigrationModel(5 states)" in str(model)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(0, 2**32 - 1))
def test_projection_stays_a_distribution(size, seed) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.dirichlet(np.ones(size), size=size)
    matrix /= matrix.sum(axis=1, keepdims=True)
    model = MigrationModel.from_matrix(matrix)
    path = model.project(rng.dirichlet(np.ones(size)), 5)
    assert np.all(path >= -1e-15)
    assert path.sum(axis=1) == pytest.approx(np.ones(6))
    pi = model.steady_state()
    assert pi @ matrix == pytest.approx(pi, abs=1e-10)


def test_funnel_example(funnel_example) -> None:
    # methods.md §3.5 / T19 [C], 4 decimals (tolerance 5e-5).
    q, r = funnel_example
    funnel = lifecycle_funnel(q, r)
    assert funnel.stages == ("identify", "select", "convert", "develop")
    assert funnel.outcomes == ("lapsed", "retain")
    assert funnel.fundamental[0] == pytest.approx([2.5, 1.25, 0.9375, 1.1719], abs=5e-5)
    assert funnel.absorption == pytest.approx(
        np.array([[0.8828, 0.1172], [0.8125, 0.1875], [0.6875, 0.3125], [0.5, 0.5]]), abs=5e-5
    )
    assert funnel.expected_periods == pytest.approx([5.8594, 5.375, 5.625, 5.0], abs=5e-5)
    assert funnel.conversion(LifecycleStage.RETAIN) == pytest.approx(0.1172, abs=5e-5)
    assert funnel.conversion("retain", start="develop") == pytest.approx(0.5)
    assert np.diag(funnel.reach) == pytest.approx(np.ones(4))
    assert funnel.reach[0, 3] == pytest.approx(0.25 / 0.4 * 0.3 / 0.5 * 0.25 / 0.4)
    assert "identify: 5.86 periods" in str(funnel)


def test_funnel_from_a_migration_model_agrees(funnel_example) -> None:
    q, r = funnel_example
    full = np.zeros((6, 6))
    full[:4, :4], full[:4, 4:] = q, r
    full[4:, 4:] = np.eye(2)
    stages = [*LifecycleStage.path()[:4], LifecycleStage.LAPSED, LifecycleStage.RETAIN]
    model = MigrationModel.from_matrix(full, states=stages)
    funnel = lifecycle_funnel(model)
    assert funnel.stages == ("identify", "select", "convert", "develop")
    assert funnel.outcomes == ("lapsed", "retain")
    assert funnel.absorption == pytest.approx(lifecycle_funnel(q, r).absorption)
    assert model.expected_time_to_absorption()[:4] == pytest.approx(funnel.expected_periods)


def simulate_funnel(q, r, n, rng):
    """Walk n customers through the chain one step at a time (slow Monte Carlo oracle)."""
    p = np.hstack([q, r])
    k = q.shape[0]
    ends = np.zeros(r.shape[1])
    steps = 0
    for _ in range(n):
        state = 0
        while state < k:
            state = rng.choice(p.shape[1], p=p[state])
            steps += 1
        ends[state - k] += 1
    return ends / n, steps / n


def test_funnel_against_simulation(funnel_example) -> None:
    # 4,000 simulated customers: absorption share within 4 binomial standard errors.
    q, r = funnel_example
    shares, mean_steps = simulate_funnel(q, r, 4000, np.random.default_rng(0))
    funnel = lifecycle_funnel(q, r)
    b = funnel.absorption[0]
    assert np.all(np.abs(shares - b) <= 4 * np.sqrt(b * (1 - b) / 4000))
    assert mean_steps == pytest.approx(funnel.expected_periods[0], rel=0.05)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: MigrationModel.from_matrix([[0.5, 0.4], [0, 1]]),
            r"`P` rows must sum to 1 \(row 0: 0.9\)",
        ),
        (
            lambda: MigrationModel.from_matrix([[1.1, -0.1], [0, 1]]),
            r"`P` must be non-negative \(row 0, column 1: -0.1\)",
        ),
        (
            lambda: MigrationModel.from_matrix([[np.nan, 1], [0, 1]]),
            r"`P` must be finite \(row 0, column 0: nan\)",
        ),
        (lambda: MigrationModel.from_matrix([[1.0, 0, 0]]), r"`P` must be square"),
        (
            lambda: MigrationModel.from_matrix(np.eye(2), states=["a"]),
            r"`states` must name each of the 2",
        ),
        (
            lambda: MigrationModel.fit(["a", "x"], ["a", "b"], states=["a", "b"]),
            r"`labels_before` must hold only labels listed in `states` \(customer 1: 'x'\)",
        ),
        (
            lambda: MigrationModel.fit(["a", "b"], ["a", "z"], states=["a", "b"]),
            r"`labels_after` must hold only labels listed in `states` \(customer 1: 'z'\)",
        ),
        (
            lambda: MigrationModel.fit(["a"], ["a", "b"]),
            r"`labels_after` must have the same length",
        ),
        (lambda: MigrationModel.fit([], []), r"`labels_before` must not be empty"),
        (lambda: MigrationModel.fit(["a"], ["b"], states=["a", "b"]), r"state 'b' has no customer"),
        (lambda: MigrationModel.from_matrix(np.eye(2)).steady_state(), r"single closed class"),
        (
            lambda: MigrationModel.from_matrix(
                [[0.5, 0.5], [0.5, 0.5]]
            ).expected_time_to_absorption(),
            r"must have an absorbing state",
        ),
        (
            lambda: MigrationModel.from_matrix(
                [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
            ).expected_time_to_absorption(),
            r"state '0' never does",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).lifetime_value([1, 0], discount_rate=0),
            r"`rewards` must be 0 in absorbing states .* \(state '0': 1.0\)",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).lifetime_value([1], discount_rate=0.1),
            r"`rewards` must hold one entry per state",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).lifetime_value(
                {"0": 1}, discount_rate=0.1
            ),
            r"missing '1'",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).lifetime_value(
                [1, 0], discount_rate=-0.1
            ),
            r"`discount_rate` must lie in \[0, inf\]",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).lifetime_value(
                [1, 0], discount_rate=0.1, n_periods=0
            ),
            r"`n_periods` must lie in \[1, 100000\]",
        ),
        (
            lambda: MigrationModel.from_matrix(np.eye(2)).project("x", 1),
            r"`initial` must be one of",
        ),
        (lambda: MigrationModel.from_matrix(np.eye(2)).standard_errors(), r"needs a fitted model"),
        (
            lambda: lifecycle_funnel([[0.5]], [[0.4]]),
            r"`transient` and `absorbing` rows must sum to 1 \(stage 0: 0.9\)",
        ),
        (lambda: lifecycle_funnel([[0.5]]), r"`absorbing` must be given"),
        (
            lambda: lifecycle_funnel([[0.0, 1.0], [1.0, 0.0]], [[0.0], [0.0]]),
            r"stage 'identify' never does",
        ),
        (
            lambda: lifecycle_funnel(MigrationModel.from_matrix(np.eye(2)), [[1.0]]),
            r"`absorbing` must be left out",
        ),
        (
            lambda: lifecycle_funnel(MigrationModel.from_matrix(np.eye(2))),
            r"`transient` must have a state that is not absorbing .* \(all 2 states are absorbing\)",
        ),
        (
            lambda: lifecycle_funnel([[0.5]], [[0.5]]).conversion("won"),
            r"`outcome` must be one of 'lapsed'",
        ),
    ],
)
def test_bad_input_is_refused(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_fit_orders_numeric_states_as_numbers() -> None:
    # Recency classes 1..11 as integers: the default state order is 1, 2, ..., 11, so row k
    # of the matrix is state k + 1 (a text sort would give 1, 10, 11, 2, ...).
    before = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11])
    after = np.array([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 1])
    model = MigrationModel.fit(before, after)
    assert model.states == tuple(str(k) for k in range(1, 12))
    for k in range(10):
        assert model.transition_matrix[k, k + 1] == 1.0
    assert model.transition_matrix[10].tolist() == [0.5] + [0.0] * 9 + [0.5]


def test_fit_takes_states_from_any_iterable() -> None:
    # `states` was read twice (once to count it), so a generator came out empty.
    fit = MigrationModel.fit(["a", "b"], ["b", "b"], states=(s for s in ["a", "b"]))
    assert fit.states == ("a", "b")
    assert fit.transition_matrix.tolist() == [[0.0, 1.0], [0.0, 1.0]]
