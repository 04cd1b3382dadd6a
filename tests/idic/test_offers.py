from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import ContactPolicy, assign_offers
from custcentric.tables import InteractionLog

# Methods reference §2.4, test vector T7 [C] (Kuhn 1955 / Munkres 1957 assignment):
# 4 customers x 3 offers, capacity one per offer -> (0,0), (1,1), (2,2), total 33; customer 3 none.
T7 = [[12, 7, 9], [8, 10, 4], [6, 9, 11], [10, 3, 8]]
# Methods reference §2.4, test vector T8 [C] (NBA MILP after Cohen 2004): p, v, c give the net
# values below; K_i = 1, Cap = (2, 1, 1): optimum 79.5; with budget B = 15: 64.5, cost used 15.
P = np.array([[0.10, 0.05, 0.20], [0.30, 0.10, 0.05], [0.05, 0.25, 0.10], [0.20, 0.20, 0.15]])
V_OFFER = np.array([100, 150, 60])
C_OFFER = np.array([5, 8, 2])
T8 = P * V_OFFER - C_OFFER
TOL = 1e-9  # exact up to float rounding of the sums


def test_t8_net_values_as_published():
    # methods reference §2.4: net values [[5,-0.5,10],[25,7,1],[0,29.5,4],[15,22,7]]
    expected = [[5, -0.5, 10], [25, 7, 1], [0, 29.5, 4], [15, 22, 7]]
    np.testing.assert_allclose(T8, expected, atol=1e-12)


def test_t7_linear_assignment():
    plan = assign_offers(T7, capacity=[1, 1, 1])
    assert plan.method == "linear_sum_assignment"
    customer, offer = plan.pairs()
    assert list(zip(customer.tolist(), offer.tolist(), strict=True)) == [(0, 0), (1, 1), (2, 2)]
    assert plan.total_value == pytest.approx(33, abs=TOL)
    assert plan.offer.tolist() == [0, 1, 2, -1]


def test_t8_capacities_without_budget():
    plan = assign_offers(T8, capacity=[2, 1, 1])
    assert plan.total_value == pytest.approx(79.5, abs=TOL)
    # c0 -> offer 2, c1 -> offer 0, c2 -> offer 1, c3 -> offer 0
    assert plan.offer.tolist() == [2, 0, 1, 0]
    assert plan.feasible
    assert plan.status == "optimal"


def test_t8_capacities_with_budget_uses_milp():
    plan = assign_offers(T8, capacity=[2, 1, 1], budget=15, cost=C_OFFER)
    assert plan.method == "milp"
    assert plan.total_value == pytest.approx(64.5, abs=1e-6)  # MILP tolerance of HiGHS
    assert plan.total_cost == pytest.approx(15, abs=1e-9)
    assert plan.offer.tolist() == [2, 0, 1, -1]  # c3 receives nothing


def test_transportation_lp_on_t8():
    # several offers per customer keep the problem totally unimodular: solved as an LP
    plan = assign_offers(T8, capacity=[2, 1, 1], max_offers=2)
    assert plan.method == "transportation_lp"
    # offer 0 to c1, c3 (25 + 15), offer 1 to c2 (29.5), offer 2 to c0 (10)
    assert plan.total_value == pytest.approx(79.5, abs=1e-6)
    one = assign_offers(T8, capacity=[2, 1, 1], minimum=[0, 0, 0])
    assert one.method == "transportation_lp"
    assert one.total_value == pytest.approx(79.5, abs=1e-6)


def test_milp_and_hungarian_agree_on_t8():
    # forcing MILP with a budget that does not bind gives the same optimum as the Hungarian method
    plan = assign_offers(T8, capacity=[2, 1, 1], budget=1e9, cost=C_OFFER)
    assert plan.method == "milp"
    assert plan.total_value == pytest.approx(79.5, abs=1e-6)


def test_no_constraints_takes_each_customers_best_positive_offer():
    plan = assign_offers(T8)
    assert plan.method == "argmax"
    assert plan.offer.tolist() == [2, 0, 1, 1]
    two = assign_offers(T8, max_offers=2)
    assert two.assigned.sum(axis=1).tolist() == [2, 2, 2, 2]
    assert two.total_value == pytest.approx(10 + 5 + 25 + 7 + 29.5 + 4 + 22 + 15)


def test_non_positive_values_are_never_assigned():
    plan = assign_offers([[-1.0, 0.0], [3.0, -2.0]], capacity=[1, 1])
    assert plan.offer.tolist() == [-1, 0]


def test_refusals_are_counted_by_reason():
    benefit = np.ones((4, 3))
    benefit[2, 1] = -5.0  # the best pair of customer 2 would cost the customer
    consent = np.array([True, True, True, False])
    plan = assign_offers(T8, capacity=[2, 1, 1], customer_benefit=benefit, consent=consent)
    assert plan.refused == {"no_consent": 3, "negative_benefit": 1}
    assert plan.n_refused == 4
    assert not plan.assigned[2, 1]
    assert not plan.assigned[3].any()
    assert "refused, no_consent: 3" in plan.summary()


def test_refusal_counts_each_pair_once_and_skip_ineligible():
    benefit = -np.ones((2, 2))
    plan = assign_offers(
        [[1.0, 2.0], [3.0, 4.0]],
        eligibility=[[True, False], [True, True]],
        customer_benefit=benefit,
        consent=[False, False],
    )
    assert plan.refused == {"negative_benefit": 3}
    assert plan.n_ineligible == 1
    assert plan.n_assigned == 0


def test_policy_check_refusals_are_reported_with_the_rule():
    planned = InteractionLog.from_arrays(
        ["a", "b", "c", "d"],
        ["2024-03-01T10:00", "2024-03-01T22:00", "2024-03-01T10:00", "2024-03-01T10:00"],
        ["email"] * 4,
        ["outbound"] * 4,
        ["offer"] * 4,
    )
    check = ContactPolicy(quiet_hours=(21, 8)).check(planned, consent=["a", "b", "c"])
    plan = assign_offers(T8, capacity=[2, 1, 1], policy=check)
    assert plan.refused == {"policy: no_consent": 3, "policy: quiet_hours": 3}
    assert plan.offer.tolist() == [2, -1, 1, -1]
    mask = assign_offers(T8, policy=[True, False, True, True])
    assert mask.refused == {"policy: refused": 3}


def test_minimum_that_cannot_be_met_is_an_explicit_infeasibility():
    plan = assign_offers(
        T7, capacity=[3, 3, 3], minimum=[0, 0, 2], consent=[True, False, False, False]
    )
    assert not plan.feasible
    assert plan.status == "infeasible"
    assert plan.n_assigned == 0
    assert "offer 2 must go to at least 2 customers but only 1" in plan.message
    assert "INFEASIBLE" in plan.summary()


def test_minimum_beyond_the_budget_is_infeasible_from_the_solver():
    plan = assign_offers(T8, minimum=[2, 2, 0], capacity=[4, 4, 4], budget=20, cost=C_OFFER)
    assert not plan.feasible
    assert plan.message == "no assignment meets the minimums within the capacities and budget"
    assert plan.to_dict()["status"] == "infeasible"


def test_minimum_can_force_a_loss_making_offer():
    plan = assign_offers([[5.0, -1.0], [4.0, -3.0]], minimum=[0, 1])
    assert plan.feasible
    assert plan.method == "transportation_lp"
    assert plan.offer.tolist() == [1, 0]
    assert plan.total_value == pytest.approx(3.0, abs=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"expected_value": [[1.0, np.nan]]},
            r"`expected_value` must be finite \(customer 0, offer 1: nan\)",
        ),
        ({"expected_value": [1.0, 2.0]}, r"`expected_value` must be a 2-D .* \(got shape \(2,\)\)"),
        ({"expected_value": np.zeros((0, 2))}, r"at least one customer and one offer"),
        ({"expected_value": [["a"]]}, r"`expected_value` must hold numbers"),
        ({"capacity": [1, -1]}, r"`capacity` must be whole numbers >= 0 \(offer 1: -1.0\)"),
        ({"capacity": [1, 1.5]}, r"`capacity` must be whole numbers >= 0 \(offer 1: 1.5\)"),
        ({"capacity": [1, 1, 1]}, r"`capacity` must hold 2 numbers, one per offer"),
        ({"budget": 3}, r"`cost` must be given with `budget`"),
        ({"budget": -3, "cost": [1, 1]}, r"`budget` must lie in \[0, inf\] \(got -3\)"),
        ({"cost": [[1, 1], [1, -2]]}, r"`cost` must be >= 0 \(customer 1, offer 1: -2.0\)"),
        ({"customer_benefit": [[0, np.nan], [0, 0]]}, r"`customer_benefit` must be finite"),
        ({"customer_benefit": [[0, 0]]}, r"`customer_benefit` must have shape \(2, 2\)"),
        ({"consent": [1, 0]}, r"`consent` must hold booleans"),
        ({"eligibility": [True, True, True]}, r"`eligibility` must have shape \(2, 2\) or \(2,\)"),
        (
            {"minimum": [2, 0], "capacity": [1, 1]},
            r"`minimum` must not exceed `capacity` \(offer 0: 2 > 1\)",
        ),
        ({"max_offers": 0}, r"`max_offers` must lie in \[1, inf\]"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"expected_value": [[1.0, 2.0], [3.0, 4.0]], **kwargs}
    value = args.pop("expected_value")
    with pytest.raises(InvalidInputError, match=match):
        assign_offers(value, **args)


def test_policy_check_of_the_wrong_size_raises():
    planned = InteractionLog.from_arrays(
        ["a"], ["2024-03-01T10:00"], ["email"], ["outbound"], ["reminder"]
    )
    check = ContactPolicy().check(planned)
    with pytest.raises(InvalidInputError, match=r"`policy` must decide 2 contacts .* \(got 1\)"):
        assign_offers([[1.0], [2.0]], policy=check)


def test_result_serialises():
    plan = assign_offers(T8, capacity=[2, 1, 1], budget=15, cost=C_OFFER)
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["pairs"] == {"customer": [0, 1, 2], "offer": [2, 0, 1]}
    assert data["offer_counts"] == [1, 1, 1]
    frame = plan.to_pandas()
    assert frame["value"].sum() == pytest.approx(64.5)
    assert str(plan) == plan.summary()


def _oracle(value, allowed, capacity, budget, cost, minimum):
    """Slow, obviously correct: every way to give each customer one offer or none."""
    n, m = value.shape
    best = None
    for choice in itertools.product(range(-1, m), repeat=n):
        counts = np.zeros(m)
        total = spent = 0.0
        ok = True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if not allowed[i, j]:
                ok = False
                break
            counts[j] += 1
            total += value[i, j]
            spent += cost[i, j]
        if not ok or (counts > capacity).any() or spent > budget + 1e-9 or (counts < minimum).any():
            continue
        if best is None or total > best:
            best = total
    return best


@st.composite
def _problems(draw):
    n = draw(st.integers(1, 5))
    m = draw(st.integers(1, 3))
    cells = st.integers(-20, 40).map(lambda x: x / 2)
    value = np.array(draw(st.lists(cells, min_size=n * m, max_size=n * m))).reshape(n, m)
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))).reshape(n, m)
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    use_budget = draw(st.booleans())
    cost = np.array(draw(st.lists(st.integers(0, 6), min_size=m, max_size=m)), dtype=float)
    budget = float(draw(st.integers(0, 15))) if use_budget else None
    minimum = None
    consent = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    benefit = np.array(draw(st.lists(st.integers(-2, 5), min_size=n * m, max_size=n * m)), float)
    if draw(st.booleans()):
        minimum = np.minimum(
            np.array(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))), capacity
        )
    return value, allowed, capacity, budget, cost, minimum, consent, benefit.reshape(n, m)


@settings(max_examples=150, deadline=None)
@given(_problems())
def test_matches_brute_force_oracle(problem):
    value, allowed, capacity, budget, cost, minimum, consent, benefit = problem
    plan = assign_offers(
        value,
        eligibility=allowed,
        consent=consent,
        customer_benefit=benefit,
        capacity=capacity,
        budget=budget,
        cost=cost if budget is not None else None,
        minimum=minimum,
    )
    n, m = value.shape
    refused_benefit = allowed & (benefit < 0)
    refused_consent = allowed & ~refused_benefit & ~consent[:, None]
    assert plan.refused.get("negative_benefit", 0) == refused_benefit.sum()
    assert plan.refused.get("no_consent", 0) == refused_consent.sum()
    allowed = allowed & (benefit >= 0) & consent[:, None]
    best = _oracle(
        value,
        allowed,
        capacity,
        np.inf if budget is None else budget,
        np.broadcast_to(cost, (n, m)),
        np.zeros(m) if minimum is None else minimum,
    )
    if best is None:
        assert not plan.feasible
        assert plan.n_assigned == 0
        return
    assert plan.feasible
    assert plan.total_value == pytest.approx(best, abs=1e-6)
    # the plan itself meets every constraint
    assert (plan.assigned.sum(axis=1) <= 1).all()
    assert not (plan.assigned & ~allowed).any()
    assert (plan.offer_counts <= capacity).all()
    if minimum is not None:
        assert (plan.offer_counts >= minimum).all()
    if budget is not None:
        assert plan.total_cost <= budget + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 4),
    st.data(),
)
def test_hungarian_and_milp_agree(n, m, data):
    cells = st.integers(-10, 30)
    value = np.array(data.draw(st.lists(cells, min_size=n * m, max_size=n * m)), float).reshape(
        n, m
    )
    capacity = np.array(data.draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    hungarian = assign_offers(value, capacity=capacity)
    lp = assign_offers(value, capacity=capacity, minimum=np.zeros(m))
    milp = assign_offers(value, capacity=capacity, budget=1e9, cost=np.ones(m))
    assert hungarian.method == "linear_sum_assignment"
    assert lp.method == "transportation_lp"
    assert milp.method == "milp"
    assert hungarian.total_value == pytest.approx(milp.total_value, abs=1e-6)
    assert lp.total_value == pytest.approx(milp.total_value, abs=1e-6)
    k = data.draw(st.integers(1, 3))
    several = assign_offers(value, capacity=capacity, max_offers=k)
    several_milp = assign_offers(
        value, capacity=capacity, max_offers=k, budget=1e9, cost=np.ones(m)
    )
    assert several.total_value == pytest.approx(several_milp.total_value, abs=1e-6)
    assert (several.assigned.sum(axis=1) <= k).all()


def test_benchmark_runs_at_a_tiny_size(capsys):
    import importlib.util
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "idic_offers.py"
    spec = importlib.util.spec_from_file_location("benchmarks_idic_offers", bench)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "200", "3000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "np.argmax" in out
    assert "transportation_lp" in out
