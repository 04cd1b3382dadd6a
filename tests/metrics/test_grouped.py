"""Grouped NPS / CSAT / CES: each row equals the scalar metric on that group; bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.metrics import (
    GroupedMetric,
    ces,
    ces_by_group,
    csat,
    csat_by_group,
    nps,
    nps_by_group,
)


def _rows_match_scalar(table: GroupedMetric, scores, labels, weights, scalar, interval) -> None:
    """Loop oracle: recompute every group with the scalar function."""
    scores, labels = np.asarray(scores), np.asarray(labels)
    assert table.group.tolist() == sorted(set(labels.tolist()))
    for i, label in enumerate(table.group.tolist()):
        mask = labels == label
        w = None if weights is None else np.asarray(weights)[mask]
        expected = scalar(scores[mask], w)
        ci = interval(expected)
        assert table.n[i] == mask.sum()
        assert table.low[i] == pytest.approx(ci.low, abs=1e-9)
        assert table.high[i] == pytest.approx(ci.high, abs=1e-9)
        assert table.standard_error[i] == pytest.approx(expected.standard_error, abs=1e-9)


labels_strategy = st.lists(
    st.sampled_from(["gold", "silver", "bronze", ""]), min_size=40, max_size=40
)
weights_strategy = st.none() | st.lists(st.floats(0.1, 10), min_size=40, max_size=40)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.integers(0, 10), min_size=1, max_size=40),
    labels=labels_strategy,
    weights=weights_strategy,
)
def test_nps_by_group_matches_nps(scores, labels, weights) -> None:
    labels = labels[: len(scores)]
    w = None if weights is None else weights[: len(scores)]
    for method in ("adjusted_wald", "wald"):
        table = nps_by_group(scores, labels, weights=w, method=method, confidence_level=0.9)
        _rows_match_scalar(
            table, scores, labels, w,
            lambda s, ww: nps(s, weights=ww),
            lambda r, m=method: r.confidence_interval(0.9, method=m),
        )  # fmt: skip
        for i, label in enumerate(table.group.tolist()):
            r = nps(np.asarray(scores)[np.asarray(labels) == label],
                    weights=None if w is None else np.asarray(w)[np.asarray(labels) == label])  # fmt: skip
            assert table.estimate[i] == pytest.approx(r.score, abs=1e-9)
            assert table.extra["promoters"][i] == pytest.approx(r.promoters, abs=1e-12)
            assert table.extra["detractors"][i] == pytest.approx(r.detractors, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.integers(1, 5), min_size=1, max_size=40),
    labels=labels_strategy,
    weights=weights_strategy,
)
def test_csat_by_group_matches_csat(scores, labels, weights) -> None:
    labels = labels[: len(scores)]
    w = None if weights is None else weights[: len(scores)]
    table = csat_by_group(scores, labels, weights=w)
    _rows_match_scalar(
        table,
        scores,
        labels,
        w,
        lambda s, ww: csat(s, weights=ww),
        lambda r: r.confidence_interval(),
    )
    for i, label in enumerate(table.group.tolist()):
        mask = np.asarray(labels) == label
        r = csat(np.asarray(scores)[mask], weights=None if w is None else np.asarray(w)[mask])
        assert table.estimate[i] == pytest.approx(r.share, abs=1e-12)
        assert table.extra["mean_score"][i] == pytest.approx(r.mean_score, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.integers(1, 7), min_size=1, max_size=40),
    labels=st.lists(st.integers(0, 3), min_size=40, max_size=40),
)
def test_ces_by_group_matches_ces(scores, labels) -> None:
    labels = labels[: len(scores)]
    table = ces_by_group(scores, labels)
    _rows_match_scalar(
        table, scores, labels, None, lambda s, ww: ces(s), lambda r: r.confidence_interval()
    )
    for i, label in enumerate(table.group.tolist()):
        r = ces(np.asarray(scores)[np.asarray(labels) == label])
        assert table.estimate[i] == pytest.approx(r.mean, abs=1e-12)
        assert table.extra["standard_deviation"][i] == pytest.approx(r.standard_deviation, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(scores=st.lists(st.integers(0, 10), min_size=2, max_size=40), seed=st.integers(0, 99))
def test_rows_do_not_change_when_answers_are_permuted(scores, seed) -> None:
    labels = np.arange(len(scores)) % 3
    order = np.random.default_rng(seed).permutation(len(scores))
    a = nps_by_group(scores, labels)
    b = nps_by_group(np.asarray(scores)[order], labels[order])
    assert a.group.tolist() == b.group.tolist()
    np.testing.assert_allclose(a.estimate, b.estimate, atol=1e-9)
    np.testing.assert_allclose(a.low, b.low, atol=1e-9)


def test_integer_labels_sparse_and_negative() -> None:
    table = csat_by_group([5, 1, 4, 4], [10**12, -3, 10**12, 7])
    assert table.group.tolist() == [-3, 7, 10**12]
    assert table.estimate.tolist() == [0.0, 1.0, 1.0]
    dense = csat_by_group([5, 1, 4, 4], np.array([3, 1, 3, 2], dtype=np.uint8))
    assert dense.group.tolist() == [1, 2, 3]
    assert dense.n.tolist() == [1, 1, 2]
    huge = nps_by_group([10, 0], np.array([2**64 - 1, 5], dtype=np.uint64))
    assert huge.group.tolist() == [5, 2**64 - 1]
    flags = nps_by_group([10, 0, 9], [True, False, True])
    assert flags.group.tolist() == [False, True]


def test_output_forms(tmp_path) -> None:
    table = nps_by_group([10, 9, 3, 8, 10, 6], ["a", "a", "a", "b", "b", "b"])
    assert len(table) == 2
    data = table.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["rows"][0]["group"] == "a"
    assert set(data["rows"][0]) >= {"promoters", "passives", "detractors", "low", "high"}
    frame = table.to_pandas()
    assert frame.shape == (2, 10)
    assert str(table).splitlines()[0] == "NPS by group (2 groups, 95% adjusted_wald intervals)"
    with pytest.raises(ValueError, match="read-only"):
        table.estimate[0] = 1.0
    ces_table = ces_by_group([7, 6, 2], ["x", "x", "y"])
    assert ces_table.to_dict()["rows"][1]["standard_error"] is None


def test_bad_input() -> None:
    with pytest.raises(
        InvalidInputError, match=r"`groups` must have the same length as `scores` \(2 != 3\)\."
    ):
        nps_by_group([1, 2, 3], ["a", "b"])
    with pytest.raises(
        InvalidInputError, match=r"`groups` must not hold missing labels \(index 1: None\)\."
    ):
        csat_by_group([1, 2], np.array(["a", None], dtype=object))
    with pytest.raises(
        InvalidInputError, match=r"`groups` must not hold NaN or infinite labels \(index 0: nan\)\."
    ):
        ces_by_group([1, 2], [float("nan"), 1.0])
    with pytest.raises(
        InvalidInputError,
        match=r"`weights` must have a positive total in every group \(`groups` 'b': 0\.0\)\.",
    ):
        nps_by_group([1, 2, 3], ["a", "b", "b"], weights=[1, 0, 0])
    with pytest.raises(InvalidInputError, match=r"`scores` must not be empty\."):
        nps_by_group([], [])
    with pytest.raises(
        InvalidInputError, match=r"`scores` must lie in \[0, 10\] \(index 2: 12\)\."
    ):
        nps_by_group([1, 2, 12], ["a", "b", "b"])
    with pytest.raises(
        InvalidInputError,
        match=r"`method` must be one of 'wilson', 'wald' \(got 'adjusted_wald'\)\.",
    ):
        csat_by_group([1], ["a"], method="adjusted_wald")


def test_to_dict_is_json_ready_for_date_labels() -> None:
    # Labels such as the day or month of an answer are datetime64; `.item()` turned them into
    # datetime.date objects, which json.dumps refuses. They are now ISO 8601 text.
    days = np.array(["2025-01-02", "2025-01-01", "2025-01-02"], dtype="datetime64[D]")
    data = csat_by_group([5, 1, 3], days).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert [row["group"] for row in data["rows"]] == ["2025-01-01", "2025-01-02"]
    # Integer, boolean and text labels keep their JSON type.
    assert nps_by_group([10, 3], [True, False]).to_dict()["rows"][1]["group"] is True
    assert nps_by_group([10, 3], [7, 8]).to_dict()["rows"][0]["group"] == 7
