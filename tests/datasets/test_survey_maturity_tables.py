"""SurveyResponses and MaturityRatings: validation messages, read-only arrays, pandas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.datasets import SCALES, MaturityRatings, SurveyResponses
from custcentric.exceptions import InvalidInputError


def _answers(**kwargs: object) -> SurveyResponses:
    columns: dict[str, object] = {
        "customer_id": ["C1", "C2", "C3"],
        "timestamp": ["2025-01-01T10:00", "2025-01-02T11:00", "2025-01-03T12:00"],
        "instrument": ["nps", "csat", "ces"],
        "score": [0, 5, 7],
    }
    options = {k: kwargs.pop(k) for k in ("process", "channel") if k in kwargs}
    columns.update(kwargs)
    return SurveyResponses.from_arrays(*columns.values(), **options)  # type: ignore[arg-type]


def test_survey_defaults_and_read_only() -> None:
    answers = _answers()
    assert len(answers) == 3
    assert answers.process.tolist() == ["", "", ""]
    assert answers.channel.tolist() == ["email"] * 3
    assert answers.timestamp.dtype == np.dtype("datetime64[s]")
    with pytest.raises(ValueError, match="read-only"):
        answers.score[0] = 3
    assert str(answers) == "SurveyResponses(3 answers: 1 ces, 1 csat, 1 nps)"


def test_survey_does_not_freeze_the_callers_array() -> None:
    scores = np.array([1, 2, 3])
    answers = _answers(score=scores)
    scores[0] = 2  # still writeable
    assert answers.score.tolist() == [1, 2, 3]  # and the table holds its own copy


def test_survey_accepts_no_answers() -> None:
    # Empty lists arrive as float64 arrays; an empty table must still be built (as the
    # tables of custcentric.tables are), not refused for the timestamps' dtype.
    empty = SurveyResponses.from_arrays([], [], [], [])
    assert len(empty) == 0
    assert empty.timestamp.dtype == np.dtype("datetime64[s]")
    assert empty.score.dtype == np.int64
    assert str(empty) == "SurveyResponses(0 answers: none)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"score": [11, 5, 7]}, r"`score` must lie in \[0, 10\] for nps \(index 0: 11\)\."),
        ({"score": [1, 0, 7]}, r"`score` must lie in \[1, 5\] for csat \(index 1: 0\)\."),
        ({"score": [1, 1, 8]}, r"`score` must lie in \[1, 7\] for ces \(index 2: 8\)\."),
        ({"score": [1, 1.5, 7]}, r"`score` must hold whole numbers \(index 1: 1\.5\)\."),
        (
            {"instrument": ["nps", "csi", "ces"]},
            r"`instrument` must be one of 'nps', 'csat', 'ces' \(index 1: 'csi'\)\.",
        ),
        ({"channel": ["email", "fax", "web"]}, r"`channel` must be one of .* \(index 1: 'fax'\)\."),
        (
            {"customer_id": ["C1", "", "C3"]},
            r"`customer_id` must not hold empty strings \(index 1: ''\)\.",
        ),
        (
            {"timestamp": ["2025-01-01", "soon", "2025-01-03"]},
            r"`timestamp` must hold ISO 8601 timestamps \(index 1: 'soon'\)\.",
        ),
        (
            {"process": ["", None, ""]},
            r"`process` must not hold missing values \(index 1: None\)\.",
        ),
        ({"score": [1, 2]}, r"`score` must have the same length as `customer_id` \(2 != 3\)\."),
    ],
)
def test_survey_rejects_bad_input(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        _answers(**kwargs)


def test_survey_to_pandas() -> None:
    frame = _answers(process=["fault-repair", "", ""]).to_pandas()
    assert frame.columns.tolist() == [
        "customer_id",
        "timestamp",
        "instrument",
        "score",
        "process",
        "channel",
    ]
    assert frame["process"].tolist() == ["fault-repair", "", ""]


@given(
    st.lists(
        st.sampled_from(sorted(SCALES)).flatmap(
            lambda k: st.tuples(st.just(k), st.integers(*SCALES[k]))
        ),
        min_size=1,
        max_size=20,
    )
)
def test_survey_accepts_every_score_on_its_scale(items: list[tuple[str, int]]) -> None:
    n = len(items)
    answers = SurveyResponses.from_arrays(
        [f"C{i}" for i in range(n)],
        np.full(n, np.datetime64("2025-06-01T09:00", "s")),
        [k for k, _ in items],
        [s for _, s in items],
    )
    assert answers.score.tolist() == [s for _, s in items]


def test_maturity_ratings() -> None:
    ratings = MaturityRatings.from_arrays(
        ["sales", "it", "sales"],
        ["insight-01", "insight-01", "process-02"],
        ["customer_insight", "CUSTOMER_INSIGHT", "customer_processes"],
        [4, 1, 2],
        note=["strong", "", "partly"],
    )
    assert len(ratings) == 3
    assert ratings.area.tolist() == ["customer_insight", "customer_insight", "customer_processes"]
    assert not ratings.level.flags.writeable
    assert str(ratings) == "MaturityRatings(3 ratings: 2 departments x 2 capabilities)"
    assert ratings.to_pandas().shape == (3, 5)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((["it"], ["x-1"], ["nowhere"], [2]), r"`area` must be one of .* \(index 0: 'nowhere'\)\."),
        ((["it"], ["x-1"], ["measurement"], [0]), r"`level` must lie in \[1, 4\] \(index 0: 0\)\."),
        (
            (["it", "it"], ["x-1", "x-1"], ["measurement"] * 2, [1, 2]),
            r"`capability_id` must be rated once per department \(index 1: 'x-1' again by 'it'\)\.",
        ),
        (
            (["it", ""], ["x-1", "x-1"], ["measurement"] * 2, [1, 2]),
            r"`department` must not hold empty strings \(index 1: ''\)\.",
        ),
        (
            (["it"], ["x-1", "x-2"], ["measurement"], [1]),
            r"`capability_id` must have the same length as `department` \(2 != 1\)\.",
        ),
    ],
)
def test_maturity_rejects_bad_input(args: tuple[list[object], ...], match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        MaturityRatings.from_arrays(*args)  # type: ignore[arg-type]
