"""Value tiers, ABC classes and concentration (methods.md §3.2)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import abc_classes, concentration, value_tiers

finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_gini_of_published_vector() -> None:
    # methods.md §3.2 / test vector T11 [C]: Gini of (1, 2, 3, 4, 10) is 0.40 (exact; tol 1e-12).
    c = concentration([1, 2, 3, 4, 10])
    assert c.gini == pytest.approx(0.40, abs=1e-12)
    # The top 20 % (one customer of five) holds 10 / 20 = 50 %.
    assert c.top_share(0.2) == pytest.approx(0.5, abs=1e-12)
    assert c.lorenz_y.tolist() == pytest.approx([0, 0.05, 0.15, 0.30, 0.50, 1.0])


def test_gini_against_loop_oracle(gini_loop) -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.gamma(0.7, 100, size=60)
        assert concentration(x).gini == pytest.approx(gini_loop(x), rel=1e-12)


def test_concentration_extremes_and_text() -> None:
    equal = concentration([5, 5, 5, 5])
    assert equal.gini == pytest.approx(0.0, abs=1e-15)
    one = concentration([0, 0, 0, 8])
    assert one.gini == pytest.approx(0.75)  # 1 - 1/n
    assert one.top_share(0.25) == pytest.approx(1.0)
    # Between whole customers the Lorenz curve is linear: 0.8 of the top customer.
    assert one.to_dict()["top_shares"]["0.2"] == pytest.approx(0.8)
    assert "Gini 0.750" in str(one)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=40).filter(lambda v: sum(v) > 0))
def test_gini_in_range_and_permutation_invariant(values) -> None:
    c = concentration(values)
    n = len(values)
    assert -1e-12 <= c.gini <= 1 - 1 / n + 1e-12
    assert concentration(values[::-1]).gini == pytest.approx(c.gini, abs=1e-12)
    assert np.all(np.diff(c.lorenz_y) >= -1e-12)
    assert 0 <= c.top_share(0.2) <= 1 + 1e-12


def tiers_loop(values, shares):
    """One customer at a time: the number of customers strictly above it decides its tier."""
    n = len(values)
    bounds = [round(s * n) for s in np.cumsum(shares)[:-1]]
    out = []
    for v in values:
        above = sum(1 for w in values if w > v)
        out.append(1 + sum(1 for b in bounds if above >= b))
    return out


def test_value_tiers_default_shares() -> None:
    values = np.arange(1, 11, dtype=float)  # 10 customers, all distinct
    tiers = value_tiers(values)
    assert tiers.tier.tolist() == [3, 3, 3, 3, 3, 2, 2, 2, 1, 1]
    assert tiers.sizes.tolist() == [2, 3, 5]
    assert tiers.value_share.tolist() == pytest.approx([19 / 55, 21 / 55, 15 / 55])
    assert tiers.customer_share.tolist() == pytest.approx([0.2, 0.3, 0.5])
    assert tiers.thresholds.tolist() == [9.0, 6.0]
    assert tiers.names == ("top 20 %", "20-50 %", "bottom 50 %")
    assert tiers.segmentation.segment(9).tier_rank == 1
    assert tiers.to_dict()["tiers"][0]["n_customers"] == 2
    assert "top 20 %: 2 customers" in str(tiers)


def test_value_tiers_against_loop_oracle_with_ties() -> None:
    rng = np.random.default_rng(7)
    for shares in [(0.2, 0.3, 0.5), (0.1, 0.9), (0.25, 0.25, 0.25, 0.25)]:
        values = rng.integers(0, 12, size=57).astype(float)  # many ties
        got = value_tiers(values, shares=shares).tier.tolist()
        assert got == tiers_loop(values.tolist(), shares)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=50), st.randoms(use_true_random=False))
def test_value_tiers_do_not_change_when_customers_are_permuted(values, random) -> None:
    order = list(range(len(values)))
    random.shuffle(order)
    base = value_tiers(values).tier
    permuted = value_tiers([values[i] for i in order]).tier
    assert permuted.tolist() == base[order].tolist()
    # A more valuable customer is never in a worse tier.
    v = np.array(values)
    for i in range(len(values)):
        assert np.all(base[v > v[i]] <= base[i])


def test_customer_ids_are_kept() -> None:
    ids = np.array(["c1", "c2", "c3"])
    tiers = value_tiers([3.0, 1.0, 2.0], customer_id=ids)
    assert tiers.segmentation.customer_id.tolist() == ["c1", "c2", "c3"]
    ids[0] = "zz"  # the caller's array is copied
    assert tiers.segmentation.customer_id[0] == "c1"
    assert abc_classes([3.0, 1.0], customer_id=[7, 8]).segmentation.customer_id.tolist() == [7, 8]
    with pytest.raises(ValueError, match="`customer_id` must have the same length as `codes`"):
        value_tiers([1.0, 2.0], customer_id=[1])


def test_value_tiers_labels_and_single_tier() -> None:
    tiers = value_tiers([3, 1, 2], shares=[1.0], labels=["everyone"])
    assert tiers.labels.tolist() == ["everyone"] * 3
    pyramid = value_tiers(
        [10, 0, 5, 1], shares=(0.25, 0.25, 0.5), labels=["platinum", "gold", "iron"]
    )
    assert pyramid.labels.tolist() == ["platinum", "iron", "gold", "iron"]


def abc_loop(values, cutoffs):
    """One customer at a time: the value share of strictly more valuable customers decides."""
    positive = [v for v in values if v > 0]
    total = sum(positive)
    out = []
    for v in values:
        if v <= 0:
            out.append(len(cutoffs) + 1)
            continue
        before = sum(w for w in positive if w > v) / total
        out.append(sum(1 for c in cutoffs if before >= c - 1e-12))
    return out


def test_abc_classes_against_loop_oracle() -> None:
    rng = np.random.default_rng(11)
    values = np.round(rng.pareto(1.2, size=80) * 10)  # ties and zeros
    values[:3] = [-5.0, 0.0, -1.0]
    abc = abc_classes(values)
    assert abc.segmentation.codes.tolist() == abc_loop(values.tolist(), (0.8, 0.95))
    assert abc.method == "abc"
    assert abc.names == ("A", "B", "C", "D")


def test_abc_classes_example() -> None:
    # 500 + 300 = 80 % of 1,000 -> A; 100 and 50 reach 95 % -> B; the rest C; <= 0 -> D.
    abc = abc_classes([500, 300, 100, 50, 30, 20, 0, -10])
    assert abc.labels.tolist() == ["A", "A", "B", "B", "C", "C", "D", "D"]
    assert abc.thresholds.tolist() == [300.0, 50.0, 20.0]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: value_tiers([1.0, np.nan]), r"`values` must be finite \(customer 1: nan\)"),
        (lambda: value_tiers([]), r"`values` must not be empty"),
        (lambda: value_tiers([1, 2], shares=(0.5, 0.4)), r"`shares` must sum to 1 \(got 0.9\)"),
        (lambda: value_tiers([1, 2], shares=(1.2, -0.2)), r"`shares` must be positive \(index 1"),
        (lambda: value_tiers([1, 2], labels=["a", "b"]), r"`labels` must hold 3 names"),
        (lambda: value_tiers([1, 2], labels=["a", "a", "b"]), r"`labels` must be distinct"),
        (lambda: abc_classes([1, 2], cutoffs=(0.9, 0.8)), r"`cutoffs` must be one or more"),
        (lambda: abc_classes([1, 2], cutoffs=(0.8, 1.0)), r"`cutoffs\[1\]` must lie in \(0, 1\)"),
        (lambda: concentration([1, -1]), r"`values` must be non-negative \(customer 1: -1.0\)"),
        (lambda: concentration([0, 0]), r"`values` must not all be zero"),
        (lambda: concentration([]), r"`values` must not be empty"),
        (lambda: concentration([1, 2]).top_share(1.5), r"`share` must lie in \[0, 1\]"),
    ],
)
def test_bad_input_is_refused(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_to_pandas() -> None:
    pytest.importorskip("pandas")
    frame = value_tiers(np.arange(10.0)).to_pandas()
    assert frame["n_customers"].tolist() == [2, 3, 5]
    assert concentration([1, 2, 3]).to_pandas().shape == (4, 2)


# --- a PerCustomer brings its ids -------------------------------------------------------------


def _clv() -> Any:
    from custcentric.tables import PerCustomer

    return PerCustomer(
        customer_id=["a", "b", "c", "d", "e"],
        values=[5.0, 90.0, 20.0, 1.0, 8.0],
        name="clv",
        unit="currency",
    )


@pytest.mark.parametrize("split", [value_tiers, abc_classes])
def test_per_customer_values_keep_their_ids(split: Any) -> None:
    clv = _clv()
    tiers = split(clv)
    assert tiers.segmentation.customer_id.tolist() == ["a", "b", "c", "d", "e"]
    plain = split(np.asarray(clv), customer_id=clv.customer_id)
    assert tiers.tier.tolist() == plain.tier.tolist()
    np.testing.assert_array_equal(tiers.value_share, plain.value_share)
    # The same ids given again are accepted; the ids are a copy, not the PerCustomer's.
    again = split(clv, customer_id=["a", "b", "c", "d", "e"])
    assert again.segmentation.customer_id.tolist() == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("split", [value_tiers, abc_classes])
def test_per_customer_values_refuse_other_ids(split: Any) -> None:
    clv = _clv()
    with pytest.raises(InvalidInputError, match=r"`customer_id` must match the ids .*customer 1"):
        split(clv, customer_id=["a", "x", "c", "d", "e"])
    with pytest.raises(InvalidInputError, match=r"`customer_id` must match the ids .*\(2 != 5\)"):
        split(clv, customer_id=["a", "b"])


def test_per_customer_integer_ids_are_kept() -> None:
    from custcentric.tables import PerCustomer

    p = PerCustomer(customer_id=[7, 8, 9], values=[1.0, 3.0, 2.0], name="clv", unit="currency")
    tiers = value_tiers(p, shares=[0.5, 0.5])
    assert tiers.segmentation.customer_id.tolist() == [7, 8, 9]
    assert tiers.tier.tolist() == [2, 1, 1]


def test_abc_classes_without_a_positive_value_write_strict_json() -> None:
    # Every class but the last is empty: its threshold is infinite (no value reaches it), and
    # JSON, which has no infinity, gets None for it rather than ``Infinity``.
    abc = abc_classes([0.0, -3.0, 0.0])
    assert abc.labels.tolist() == ["D", "D", "D"]
    assert np.isinf(abc.thresholds).all()
    tiers = abc.to_dict()["tiers"]
    assert [t["lower_bound"] for t in tiers] == [None, None, None, None]
    json.dumps(abc.to_dict(), allow_nan=False)


def test_value_tiers_with_an_empty_top_tier_write_strict_json() -> None:
    tiers = value_tiers([5.0, 1.0], shares=(0.1, 0.9))
    assert tiers.sizes.tolist() == [0, 2]
    assert tiers.to_dict()["tiers"][0]["lower_bound"] is None
    json.dumps(tiers.to_dict(), allow_nan=False)
