"""Key processes (Pareto), weighted scoring, and AHP weights against Saaty's example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.process import (
    CRM_GOALS,
    RANDOM_INDEX,
    ahp_weights,
    combine_judgements,
    key_processes,
    prioritise,
)

PARETO = [40, 25, 12, 8, 5, 4, 3, 2, 1]

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. International
# Journal of Services Sciences, 1(1), 83-98, table 2: relative consumption of drinks in the
# United States. Published eigenvector (3 d.p.) and consistency ratio 0.022.
DRINKS = np.array(
    [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
)
DRINK_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


@pytest.mark.parametrize(("coverage", "n_key"), [(0.80, 4), (0.90, 5), (0.99, 8), (1.0, 9)])
def test_pareto_example(coverage, n_key):
    # methods.md §5.3 test vector T26; cumulative shares exact to 1e-12.
    kp = key_processes(PARETO, coverage=coverage, names=list("abcdefghi"))
    assert kp.n_key == n_key
    assert kp.key == tuple("abcdefghi"[:n_key])
    np.testing.assert_allclose(
        kp.cumulative_share, [0.40, 0.65, 0.77, 0.85, 0.90, 0.94, 0.97, 0.99, 1.00], atol=1e-12
    )
    assert kp.to_dict()["key"] == list(kp.key)
    assert kp.to_pandas()["key"].sum() == n_key


def test_ties_at_the_cut_off_are_all_included():
    kp = key_processes({"a": 5, "b": 3, "c": 3, "d": 1}, coverage=0.6)
    assert kp.key == ("a", "b", "c")
    assert kp.share == pytest.approx(11 / 12)


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.integers(0, 50), min_size=1, max_size=12).filter(lambda v: sum(v) > 0),
    coverage=st.floats(0.05, 1.0),
    seed=st.integers(0, 1000),
)
def test_key_set_is_minimal_and_order_free(values, coverage, seed):
    names = [f"p{i}" for i in range(len(values))]
    kp = key_processes(values, coverage=coverage, names=names)
    assert kp.share >= coverage - 1e-9
    ordered = sorted(values, reverse=True)
    smallest = next(
        k for k in range(1, len(values) + 1) if sum(ordered[:k]) / sum(values) >= coverage - 1e-9
    )
    assert kp.n_key == sum(v >= ordered[smallest - 1] for v in values)
    perm = np.random.default_rng(seed).permutation(len(values))
    again = key_processes(
        [values[i] for i in perm], coverage=coverage, names=[names[i] for i in perm]
    )
    assert set(again.key) == set(kp.key)


def test_key_process_errors():
    with pytest.raises(InvalidInputError, match=r"`impact` must be non-negative \(index 1: -1.0\)"):
        key_processes([1, -1])
    with pytest.raises(InvalidInputError, match=r"`impact` must hold a positive total"):
        key_processes([0, 0])
    with pytest.raises(InvalidInputError, match=r"`coverage` must lie in \(0, 1\] \(got 0\)"):
        key_processes([1], coverage=0)
    with pytest.raises(
        InvalidInputError, match=r"`names` must have the same length as `impact` \(1 != 2\)"
    ):
        key_processes([1, 2], names=["a"])
    with pytest.raises(InvalidInputError, match=r"`names` must be omitted"):
        key_processes({"a": 1}, names=["a"])


def _saw_oracle(x, w, reverse):
    out = []
    for row in x:
        total = 0.0
        for g, weight in enumerate(w):
            col = [r[g] for r in x]
            lo, hi = min(col), max(col)
            s = 1.0 if hi == lo else ((hi - row[g]) if reverse[g] else (row[g] - lo)) / (hi - lo)
            total += weight / sum(w) * s
        out.append(total)
    return out


def test_prioritise_matches_a_loop():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 10, size=(6, 4)).astype(float)
    x[:, 2] = 3.0  # a constant goal gives every process 1
    w = [4.0, 3.0, 2.0, 1.0]
    p = prioritise(x, w, processes=list("abcdef"), lower_is_better=["profitability"])
    assert p.goals == CRM_GOALS
    expected = dict(
        zip("abcdef", _saw_oracle(x.tolist(), w, [False, False, True, False]), strict=True)
    )
    assert [expected[name] for name in p.processes] == pytest.approx(p.score.tolist())
    assert p.score.tolist() == sorted(p.score.tolist(), reverse=True)
    assert p.weights.sum() == pytest.approx(1.0)
    assert p.to_dict()["rank"][0] == 1
    assert list(p.to_pandas().columns[:3]) == ["process", "score", "rank"]


def test_ratio_max_and_none_normalisations():
    scores = {"a": {"g": 2.0, "cost": 4.0}, "b": {"g": 4.0, "cost": 2.0}}
    p = prioritise(scores, {"g": 1, "cost": 1}, normalisation="ratio_max", lower_is_better=["cost"])
    # a: 2/4 and 2/4; b: 4/4 and 2/2.
    assert dict(zip(p.processes, p.score.tolist(), strict=True)) == {"b": 1.0, "a": 0.5}
    raw = prioritise(scores, {"g": 1}, normalisation="none")
    assert raw.score.tolist() == [4.0, 2.0]


def test_prioritise_errors():
    scores = {"a": {"g": 1.0}, "b": {"g": 2.0}}
    with pytest.raises(
        InvalidInputError, match=r"`goal_weights` must be non-negative \(goal 'g': -1.0\)"
    ):
        prioritise(scores, {"g": -1})
    with pytest.raises(InvalidInputError, match=r"`goal_weights` must have a positive sum"):
        prioritise(scores, {"g": 0})
    with pytest.raises(
        InvalidInputError, match=r"`goal_weights` must name goals of `scores` \['g'\] \(got 'h'\)"
    ):
        prioritise(scores, {"h": 1})
    with pytest.raises(InvalidInputError, match=r"`normalisation` must be one of"):
        prioritise(scores, {"g": 1}, normalisation="z")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`lower_is_better` must name goals"):
        prioritise(scores, {"g": 1}, lower_is_better=["x"])
    with pytest.raises(InvalidInputError, match=r"every goal for every process \('b' lacks 'h'\)"):
        prioritise({"a": {"g": 1, "h": 1}, "b": {"g": 1}}, {"g": 1})
    with pytest.raises(InvalidInputError, match=r"`scores` must be two-dimensional"):
        prioritise([1, 2], [1])
    with pytest.raises(InvalidInputError, match=r"one weight per goal \(1 != 2\)"):
        prioritise([[1, 2]], [1])
    with pytest.raises(
        InvalidInputError,
        match=r"non-negative for ratio_max normalisation \(process 0, goal 0: -1.0\)",
    ):
        prioritise([[-1.0], [1.0]], [1], normalisation="ratio_max")


def test_ahp_reproduces_saatys_drinks_example():
    result = ahp_weights(DRINKS, labels=["coffee", "wine", "tea", "beer", "sodas", "milk", "water"])
    np.testing.assert_allclose(result.weights, DRINK_WEIGHTS, atol=5e-4)
    assert result.consistency_ratio == pytest.approx(0.022, abs=5e-4)
    assert result.consistency_index == pytest.approx(result.consistency_ratio * 1.32)
    assert result.consistent
    assert result.as_mapping()["water"] == pytest.approx(0.327, abs=5e-4)
    assert "acceptable" in result.summary()
    assert result.to_dict()["method"] == "eigenvector"


def test_geometric_method_and_consistent_matrices():
    w = np.array([0.5, 0.3, 0.2])
    consistent = w[:, None] / w[None, :]
    for method in ("eigenvector", "geometric"):
        result = ahp_weights(consistent, method=method)  # type: ignore[arg-type]
        np.testing.assert_allclose(result.weights, w, atol=1e-12)
        assert result.lambda_max == pytest.approx(3.0)
        assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    geo = ahp_weights(DRINKS, method="geometric")
    np.testing.assert_allclose(geo.weights, DRINK_WEIGHTS, atol=0.01)
    assert ahp_weights([[1, 3], [1 / 3, 1]]).consistency_ratio == 0.0


def test_inconsistent_judgements_are_flagged():
    cyclic = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    result = ahp_weights(cyclic)
    assert result.consistency_ratio > 0.1
    assert not result.consistent
    assert "INCONSISTENT" in str(result)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1, 3, 5, 9]), min_size=3, max_size=3),
    st.lists(st.sampled_from([1 / 9, 1 / 3, 1, 3, 9]), min_size=3, max_size=3),
)
def test_group_geometric_mean_stays_reciprocal(upper_a, upper_b):
    def build(u):
        m = np.ones((3, 3))
        m[0, 1], m[0, 2], m[1, 2] = u
        m[1, 0], m[2, 0], m[2, 1] = 1 / u[0], 1 / u[1], 1 / u[2]
        return m

    combined = combine_judgements([build(upper_a), build(upper_b)])
    np.testing.assert_allclose(combined * combined.T, 1.0)
    result = ahp_weights([build(upper_a), build(upper_b)])
    assert result.n_judges == 2
    assert result.weights.sum() == pytest.approx(1.0)
    assert (result.weights > 0).all()
    assert result.lambda_max >= 3 - 1e-9


def test_random_index_is_saatys():
    assert RANDOM_INDEX[3] == 0.58
    assert RANDOM_INDEX[7] == 1.32
    assert RANDOM_INDEX[10] == 1.49


def test_ahp_errors():
    with pytest.raises(
        InvalidInputError,
        match=r"reciprocal with a unit diagonal, a_ji = 1 / a_ij \(entry \(0, 1\): 3.0, entry \(1, 0\): 0.5\)",
    ):
        ahp_weights([[1, 3], [0.5, 1]])
    with pytest.raises(InvalidInputError, match=r"judge 1, entry \(0, 1\)"):
        ahp_weights([[[1, 3], [1 / 3, 1]], [[1, 2], [1, 1]]])
    with pytest.raises(
        InvalidInputError, match=r"positive, finite judgements \(entry \(0, 1\): -3.0\)"
    ):
        ahp_weights([[1, -3], [-1 / 3, 1]])
    with pytest.raises(InvalidInputError, match=r"must be a square matrix"):
        ahp_weights([[1, 2, 3]])
    with pytest.raises(InvalidInputError, match=r"at most 10 items \(got 11\)"):
        ahp_weights(np.ones((11, 11)))
    with pytest.raises(
        InvalidInputError, match=r"`method` must be one of 'eigenvector', 'geometric'"
    ):
        ahp_weights(np.ones((2, 2)), method="mean")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`labels` must name the 2 items once each"):
        ahp_weights(np.ones((2, 2)), labels=["a", "a"])
    with pytest.raises(InvalidInputError, match=r"`pairwise` must hold numbers"):
        ahp_weights([["a", "b"], ["c", "d"]])
