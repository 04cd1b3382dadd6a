"""Positions, period counts and labels are checked at the edge, naming the argument."""

from __future__ import annotations

import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import MigrationModel, Segmentation, profile_segments


@pytest.mark.parametrize(
    ("i", "match"),
    [
        (float("inf"), r"`i` must be finite"),
        (2**62, r"`i` must lie in \[-2, 1\]"),
        (2, r"`i` must lie in \[-2, 1\]"),
        (1.5, r"`i` must be a whole number"),
        ("0", r"`i` must be a real number"),
        (None, r"`i` must be a real number"),
    ],
)
def test_segment_refuses_what_is_not_a_customer_position(i: object, match: str) -> None:
    seg = Segmentation.from_labels(["a", "b"])
    with pytest.raises(InvalidInputError, match=match):
        seg.segment(i)  # type: ignore[arg-type]


def test_segment_counts_negative_positions_from_the_end() -> None:
    seg = Segmentation.from_labels(["a", "b"])
    assert seg.segment(-1).name == "b"
    assert seg.segment(0).name == "a"


@pytest.mark.parametrize("n_periods", [2**62, 1e308, 1_000_001])
def test_project_refuses_more_periods_than_it_can_keep(n_periods: object) -> None:
    model = MigrationModel.from_matrix([[0.5, 0.5], [0.0, 1.0]], states=["a", "b"])
    with pytest.raises(InvalidInputError, match=r"`n_periods` must"):
        model.project("a", n_periods)  # type: ignore[arg-type]


def test_profile_segments_refuses_complex_labels() -> None:
    with pytest.raises(InvalidInputError, match=r"`labels` must be sortable .* \(index 0: "):
        profile_segments([[1.0], [2.0]], [1 + 1j, 2])
