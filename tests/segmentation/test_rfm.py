"""Named RFM segments from ordered rule tables (methods.md §3.1, test vector T10)."""

from __future__ import annotations

import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import (
    RFM_PACKAGE_RULES,
    RFM_SEGMENT_RULES,
    RFMRule,
    RFMRules,
    rfm_segments,
)

NAMES = (
    "Champions",
    "Loyal",
    "Potential loyalist",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
    "Lost",
)


def test_default_table_names_the_eleven_segments_and_covers_every_cell() -> None:
    assert RFM_SEGMENT_RULES.segment_names == NAMES
    assert RFM_SEGMENT_RULES.fallback is None
    coverage = RFM_SEGMENT_RULES.cell_coverage(n_bins=5)
    assert "(unmatched)" not in coverage
    assert sum(coverage.values()) == 125
    assert all(count > 0 for count in coverage.values())  # no rule is shadowed
    # Each (R, F) cell lies in exactly one rule: no overlap, so rule order does not matter.
    grid = np.arange(1, 6)
    for r in grid:
        for f in grid:
            hits = [
                rule.name
                for rule in RFM_SEGMENT_RULES.rules
                if rule.matches(np.array([r]), np.array([f]), np.array([3]))[0]
            ]
            assert len(hits) == 1, (r, f, hits)


def test_default_table_examples() -> None:
    seg = rfm_segments(([5, 4, 1, 2, 3, 1], [5, 1, 5, 1, 3, 2], [4, 2, 5, 1, 3, 1]))
    assert seg.labels.tolist() == [
        "Champions",
        "Promising",
        "Can't lose them",
        "Hibernating",
        "Need attention",
        "Lost",
    ]
    assert seg.segment(0).tier_rank == 1
    assert seg.segment(0).rule == "R 5, F 4-5"


def test_rfm_package_table_as_published() -> None:
    # T10: the R package rfm (<= 0.2.x) table, first match wins, unmatched -> "Others".
    table = RFM_PACKAGE_RULES
    assert table.fallback == "Others"
    scores = types.SimpleNamespace(
        r=np.array([5, 5, 3, 1, 1, 2, 3]),
        f=np.array([5, 1, 1, 5, 1, 2, 5]),
        m=np.array([5, 1, 1, 5, 1, 2, 1]),
    )
    seg = rfm_segments(scores, rules=table)
    assert seg.labels.tolist() == [
        "Champions",
        "Potential Loyalist",  # New Customers (R 4-5, F 1, M 1) is shadowed, as published
        "Potential Loyalist",
        "At Risk",  # At Risk (R 1-2, F 2-5, M 2-5) comes before Can't Lose Them
        "Lost",
        "Need Attention",
        "Others",
    ]
    coverage = table.cell_coverage()
    assert coverage["New Customers"] == 0
    assert coverage["Promising"] == 0
    assert coverage["Others"] > 0


def test_scores_with_long_attribute_names() -> None:
    # The shape of custcentric.value.RFMScores (duck-typed: segmentation does not import value).
    scores = types.SimpleNamespace(
        recency_score=np.array([5, 1]),
        frequency_score=np.array([5, 1]),
        monetary_score=np.array([5, 1]),
    )
    assert rfm_segments(scores).labels.tolist() == ["Champions", "Lost"]


def test_default_table_refuses_scores_on_another_scale() -> None:
    # Tercile scores (1-3) fit inside the default 1-5 grid, so the best customers (R 3,
    # F 3) were silently named "Need attention"; scores that say how many bins they have
    # are now checked, and a table of one's own is still accepted.
    terciles = types.SimpleNamespace(
        recency_score=np.array([3, 1]),
        frequency_score=np.array([3, 1]),
        monetary_score=np.array([3, 1]),
        n_bins=3,
    )
    with pytest.raises(
        InvalidInputError,
        match=r"`rules` must be given for scores that are not 1-5: .*\(got n_bins=3\)",
    ):
        rfm_segments(terciles)
    own = rfm_segments(terciles, rules=RFMRules(rules=[{"name": "top", "r": 3}], fallback="rest"))
    assert own.labels.tolist() == ["top", "rest"]
    quintiles = types.SimpleNamespace(**{**vars(terciles), "n_bins": 5})
    assert rfm_segments(quintiles).labels.tolist() == ["Need attention", "Lost"]


def test_rules_from_mappings_and_fallback() -> None:
    table = RFMRules(rules=[{"name": "Best", "r": (4, 5), "f": (4, 5)}], fallback="Rest")
    seg = rfm_segments({"r": [5, 1], "f": [5, 5], "m": [1, 1]}, rules=table)
    assert seg.labels.tolist() == ["Best", "Rest"]
    assert seg.segment(1).rule == "no rule above matches"
    assert table.describe() == {"Best": "R 4-5, F 4-5", "Rest": "no rule above matches"}
    # Several rules may name one segment.
    two = RFMRules(rules=[RFMRule(name="x", r=5), RFMRule(name="x", f=5)], fallback="y")
    assert two.segment_names == ("x", "y")
    assert two.describe()["x"] == "R 5 or F 5"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=60
    ),
)
def test_first_match_against_loop_oracle(first_match_loop, rows) -> None:
    r, f, m = (np.array(col) for col in zip(*rows, strict=True))
    for table in (RFM_SEGMENT_RULES, RFM_PACKAGE_RULES):
        got = rfm_segments((r, f, m), rules=table).labels.tolist()
        assert got == first_match_loop(r, f, m, table.rules, table.fallback)


def test_wide_score_ranges_take_the_direct_path(first_match_loop) -> None:
    # Scores spanning more than 10^6 cells skip the lookup table; the answer is the same.
    rng = np.random.default_rng(5)
    r, f, m = (rng.integers(1, 6, size=200) for _ in range(3))
    r[0], f[0], m[0] = 1, 1, 1
    r[1], f[1], m[1] = 200, 200, 200
    table = RFMRules(
        rules=[RFMRule(name="hi", r=(4, 300)), RFMRule(name="mid", f=(2, 3))], fallback="lo"
    )
    got = rfm_segments((r, f, m), rules=table).labels.tolist()
    assert got == first_match_loop(r, f, m, table.rules, "lo")


def test_segment_labels_do_not_change_when_customers_are_permuted() -> None:
    rng = np.random.default_rng(2)
    r, f, m = (rng.integers(1, 6, size=100) for _ in range(3))
    order = rng.permutation(100)
    base = rfm_segments((r, f, m)).labels
    assert rfm_segments((r[order], f[order], m[order])).labels.tolist() == base[order].tolist()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: rfm_segments(([5, 1], [5, 1], [5, 1]), rules=[{"name": "Best", "r": 5}]),
            r"`rules` must assign every customer, or have a fallback "
            r"\(customer 1: r=1, f=1, m=1 matches no rule\)",
        ),
        (lambda: rfm_segments(([1, 2], [1], [1, 2])), r"`f` must have the same length as `r`"),
        (lambda: rfm_segments(([1.5], [1], [1])), r"`r` must hold whole numbers \(customer 0"),
        (lambda: rfm_segments(([1, np.nan], [1, 1], [1, 1])), r"`r` must be finite \(customer 1"),
        (lambda: rfm_segments(([], [], [])), r"`scores` must not be empty"),
        (lambda: rfm_segments(42), r"`scores` must have integer arrays r, f and m"),
        (lambda: rfm_segments(([1], [1], [1]), rules="x"), r"`rules` must be an RFMRules"),
        (lambda: RFMRules(rules=[]), r"`rules` must hold at least one rule"),
        (lambda: RFMRule(name="x", r=(5, 1)), r"`r` must have low <= high \(got 5 > 1\)"),
        (lambda: RFMRule(name="x", f=(1.5, 2)), r"`f` must be a \(low, high\) pair"),
        (lambda: RFMRule(name=" ", r=1), r"`name` must be a non-empty segment name"),
        (lambda: RFMRules(rules=[{"name": "x", "q": 1}]), r"`rules` rows take keys name, r, f, m"),
    ],
)
def test_bad_input_is_refused(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
