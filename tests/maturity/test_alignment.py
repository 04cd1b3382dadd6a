"""alignment(): index definition, r_WG per capability, Kendall's W, stage spreads, target fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.maturity import alignment, assess, default_catalogue, kendall_w, rwg


def test_index_by_hand(abcd_catalogue):
    ratings = {
        "r1": {"A": 1, "B": 2, "C": 3},
        "r2": {"A": 4, "B": 2, "C": 2},
        "r3": {"A": 1, "B": 2},
    }
    result = alignment(assess(abcd_catalogue, ratings))
    # spreads A 3, B 0, C 1 on a 1-4 scale -> 1 - (3 + 0 + 1) / (3 * 3)
    assert result.index == pytest.approx(1 - 4 / 9, abs=1e-15)
    assert [d.capability_id for d in result.disagreements] == ["A", "C"]
    assert result.disagreements[0].counts == (0, 2, 0, 0, 1)
    assert result.disagreements[0].spread == 3
    # r_WG per capability on the 4-point scale of levels
    assert result.rwg[0] == pytest.approx(rwg([1, 4, 1], n_options=4))
    assert result.rwg[1] == 1.0
    # Kendall's W over the capabilities every rater rated (A and B)
    assert result.concordance is not None
    assert result.concordance.statistic == pytest.approx(
        kendall_w([[1, 2], [4, 2], [1, 2]]).statistic
    )


def test_target_fit_methods_1_4_d(abcd_catalogue):
    ratings = {"r": {"A": 1, "B": 2, "C": 3, "D": 4}}
    result = alignment(assess(abcd_catalogue, ratings), target_stage="customer_focus")
    # methods.md §1.4 (d): 1 - Σ|c_i - s*| / (n (S_max - S_min)) = 1 - (1 + 0 + 1 + 2) / (4 * 3)
    assert result.target_alignment == pytest.approx(1 - 4 / 12, abs=1e-15)
    assert result.ahead == ("C", "D")
    assert result.behind == ("A",)
    assert result.index == 1.0  # a single rater cannot disagree with itself
    assert result.n_single_rater == 4
    assert result.concordance is None


levels = st.integers(1, 4)


@settings(max_examples=50, deadline=None)
@given(
    ratings=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.fixed_dictionaries({"A": levels, "B": levels, "C": levels, "D": levels}),
        min_size=1,
    ),
    target=st.sampled_from(["product_centric", "customer_value", "customer_centric"]),
)
def test_index_is_in_unit_interval_and_matches_loop(abcd_catalogue, ratings, target):
    result = alignment(assess(abcd_catalogue, ratings), target_stage=target)
    assert 0.0 <= result.index <= 1.0
    assert 0.0 <= result.target_alignment <= 1.0
    if len(ratings) >= 2:
        spreads = [
            max(r[c] for r in ratings.values()) - min(r[c] for r in ratings.values())
            for c in "ABCD"
        ]
        assert result.index == pytest.approx(1 - sum(spreads) / (4 * 3), abs=1e-12)
    assert np.all((result.rwg >= 0) & (result.rwg <= 1))


def test_company_alignment(company):
    result = alignment(assess(default_catalogue(), company.maturity), target_stage="customer_focus")
    # Loop oracle on the raw table: each capability's range of department levels on 1-4.
    by_capability: dict[str, list[int]] = {}
    for cid, level in zip(company.maturity.capability_id, company.maturity.level, strict=True):
        by_capability.setdefault(str(cid), []).append(int(level))
    spreads = [max(v) - min(v) for v in by_capability.values() if len(v) >= 2]
    assert result.index == pytest.approx(1 - sum(spreads) / (3 * len(spreads)), abs=1e-12)
    assert 0.3 < result.index < 0.7
    assert result.concordance is not None
    assert result.concordance.n_raters == 6
    assert result.concordance.n_items == 30
    assert result.disagreements[0].spread == 3
    assert result.to_dict()["target_stage"] == "customer_focus"
    assert result.to_pandas().shape == (30, 2)
    text = result.summary()
    assert text.startswith("Alignment index 0.")
    assert "Kendall's W of the departments' orderings" in text


def test_alignment_errors(abcd_catalogue):
    result = assess(abcd_catalogue, {"r": {"A": 2}})
    with pytest.raises(
        InvalidInputError, match=r"`min_spread` must be a whole number >= 1 \(got 0\)"
    ):
        alignment(result, min_spread=0)
    with pytest.raises(InvalidInputError, match=r"`assessment` must be an Assessment \(got dict\)"):
        alignment({})
    # The message names the argument the user passed (it used to say `maturity_stage`).
    with pytest.raises(
        InvalidInputError,
        match=r"`target_stage` must be one of 'product_centric', .* \(got 'golden_age'\)",
    ):
        alignment(result, target_stage="golden_age")


def test_target_fit_stays_in_unit_interval_with_unrated_in_scope(abcd_catalogue):
    # unrated="not_achieved" keeps B, C, D in scope at level 0, below the 1-4 level scale.
    # The fit used to divide by n (4 - 1) and came out negative (1 - 13/12); with the range
    # running from level 0 it is 1 - (|1 - 4| + 3 * |0 - 4|) / (4 * 4) = 1/16 (exact).
    result = assess(abcd_catalogue, {"r": {"A": 1}}, unrated="not_achieved")
    assert result.levels.tolist() == [1, 0, 0, 0]
    fit = alignment(result, target_stage="customer_centric")
    assert fit.target_alignment == pytest.approx(1 / 16, abs=1e-15)
    assert fit.behind == ("A", "B", "C", "D")


def test_achievement_scale_uses_levels_0_to_4(abcd_catalogue):
    ratings = {
        "r1": {"A": {"product_centric": "F", "customer_focus": "F"}, "D": {"customer_value": "F"}},
        "r2": {"A": {"product_centric": "N"}, "D": {"customer_value": "F"}},
    }
    result = assess(abcd_catalogue, ratings)
    assert result.scale == "achievement"
    assert result.scale_range == (0, 4)
    assert result.levels_by_rater("A") == {"r1": 2, "r2": 0}
    fit = alignment(result)
    # spreads A 2, D 0 on a 0-4 scale -> 1 - (2 + 0) / (2 * 4)
    assert fit.index == pytest.approx(0.75, abs=1e-15)
    assert fit.rwg[0] == pytest.approx(rwg([3, 1], n_options=5))
