"""``differentiate``: the value × needs matrix against a loop oracle, categories, quadrants, errors."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import differentiate
from custcentric.segmentation import value_tiers

VALUES = [90, 50, 10, 8, 5, 4, 3, 2, 1, -1]
NEEDS = list("aabbabbaab")


def _oracle_tiers(values, shares=(0.2, 0.3, 0.5)):
    """Tier (0 = best) per customer, one customer at a time: tier k holds everyone whose
    value reaches the round(S_k n)-th largest value (value_tiers' documented rule)."""
    ranked = sorted(values, reverse=True)
    cuts, total = [], 0.0
    for s in shares[:-1]:
        total += s
        b = round(total * len(values))
        cuts.append(ranked[b - 1] if b >= 1 else math.inf)
    return [next((k for k, c in enumerate(cuts) if v >= c), len(cuts)) for v in values]


def _oracle(values, needs):
    """Counts and value shares per (tier, needs) cell, one customer at a time."""
    tiers = _oracle_tiers(values)
    labels = sorted({str(n) for n in needs})
    counts = [[0] * len(labels) for _ in range(3)]
    weights = [[0.0] * len(labels) for _ in range(3)]
    for i, v in enumerate(values):
        t, k = tiers[i], labels.index(str(needs[i]))
        counts[t][k] += 1
        weights[t][k] += max(v, 0.0)
    total = sum(max(v, 0.0) for v in values)
    return counts, [[w / total for w in row] for row in weights]


def test_small_example_matches_the_oracle():
    d = differentiate(VALUES, NEEDS)
    counts, shares = _oracle(VALUES, NEEDS)
    assert d.counts.tolist() == counts
    np.testing.assert_allclose(d.value_share, shares, rtol=0, atol=1e-12)
    assert d.tier_labels.tolist() == ["top 20 %", "20-50 %", "bottom 50 %"]
    assert d.needs_labels.tolist() == ["a", "b"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-50, 1000, allow_nan=False), st.sampled_from(["x", "y", "z"])),
        min_size=1,
        max_size=40,
    ).filter(lambda rows: any(v > 0 for v, _ in rows))
)
def test_matrix_matches_the_oracle(rows):
    values = [v for v, _ in rows]
    needs = [n for _, n in rows]
    d = differentiate(values, needs)
    counts, shares = _oracle(values, needs)
    assert d.counts.tolist() == counts
    np.testing.assert_allclose(d.value_share, shares, rtol=1e-9, atol=1e-12)
    assert d.counts.sum() == len(values)
    assert d.value_share.sum() == pytest.approx(1.0)


def test_categories_follow_peppers_and_rogers():
    # MVC = top tier, BZ = value below zero, MGC = largest unrealised potential (methods.md §2.2).
    potential = [90, 50, 400, 8, 5, 4, 3, 2, 1, -1]
    d = differentiate(VALUES, NEEDS, potential=potential, growth_share=0.1)
    assert d.category.tolist() == ["MVC", "MVC", "MGC"] + ["other"] * 6 + ["BZ"]


def test_customers_below_zero_never_share_the_top_tier():
    # Regression: tiers were cut on max(value, 0), so when fewer than 20 % of customers had a
    # positive value the zero- and negative-valued ones tied into the top tier as MVCs.
    values = [100, 0, 0, 0, 0, -5, -5, -5, -5, -5]
    d = differentiate(values, list("ababababab"))
    assert d.tier.tolist() == _oracle_tiers(values)
    assert d.tier[5:].tolist() == [2] * 5  # below zero: the bottom tier
    assert d.category.tolist() == ["MVC"] + ["other"] * 4 + ["BZ"] * 5
    assert differentiate([0, 0, 0], list("abc")).category.tolist() == ["other"] * 3


def test_tiers_agree_with_value_tiers():
    d = differentiate(VALUES, NEEDS)
    assert (d.tier + 1).tolist() == value_tiers(VALUES).tier.tolist()


def test_needs_diversity_is_the_normalised_entropy():
    d = differentiate([1, 2, 3, 4], ["a", "a", "a", "b"])
    s = np.array([0.75, 0.25])
    assert d.needs_diversity == pytest.approx(-(s * np.log(s)).sum() / math.log(2), abs=1e-12)
    assert differentiate([1, 2], ["a", "a"]).needs_diversity == 0.0


@pytest.mark.parametrize(
    ("values", "needs", "strategy"),
    [
        ([100, 1, 1, 1, 1, 1, 1, 1, 1, 1], ["a"] * 10, "value-tier management (key accounts)"),
        ([100, 1, 1, 1, 1, 1, 1, 1, 1, 1], list("abcdeabcde"), "one-to-one customisation"),
        ([5] * 10, ["a"] * 10, "mass marketing"),
        ([5] * 10, list("abcdeabcde"), "needs-segment (target) marketing"),
    ],
)
def test_quadrants_of_the_differentiation_matrix(values, needs, strategy):
    assert differentiate(values, needs).strategy == strategy


def test_custom_treatments_and_frames():
    d = differentiate(
        VALUES,
        NEEDS,
        treatments={"top 20 %": "key account", "20-50 %": "grow", "bottom 50 %": "automate"},
    )
    assert d.treatment(9) == "automate (needs b)"
    frame = d.to_pandas()
    assert frame["customers"].sum() == 10
    data = d.to_dict()
    assert data["category_counts"] == {"MVC": 2, "MGC": 0, "BZ": 1, "other": 7}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"value": [1.0, float("nan")], "needs": ["a", "b"]},
            "`value` must be finite (customer 1: nan).",
        ),
        (
            {"value": [1.0, 2.0], "needs": ["a"]},
            "`needs` must have the same length as `value` (1 != 2).",
        ),
        (
            {"value": [], "needs": []},
            "`value` must hold at least one customer (got an empty array).",
        ),
        (
            {"value": [1.0], "needs": ["a"], "growth_share": 2},
            "`growth_share` must lie in [0, 1] (got 2).",
        ),
        (
            {"value": [1.0], "needs": ["a"], "treatments": {"top 20 %": "x"}},
            "`treatments` must name a treatment for every tier (missing '20-50 %'",
        ),
        (
            {"value": [1.0, 2.0], "needs": ["a", "b"], "potential": [1.0]},
            "`potential` must have the same length as `value` (1 != 2).",
        ),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(InvalidInputError, match=re.escape(message)):
        differentiate(**kwargs)


@pytest.mark.parametrize(
    ("needs", "shown"),
    [([0, float("nan"), 1.0], "nan"), (["a", None, "b"], "None"), (["a", "", "b"], "''")],
)
def test_missing_needs_labels_are_refused(needs, shown):
    # Regression: NaN, None and "" became needs segments called "nan", "None" and "".
    with pytest.raises(
        InvalidInputError,
        match=re.escape(f"`needs` must not hold missing labels (customer 1: {shown})."),
    ):
        differentiate([1.0, 2.0, 3.0], needs)
