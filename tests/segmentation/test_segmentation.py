"""The Segmentation result and service tiers per segment."""

from __future__ import annotations

import numpy as np
import pytest

from custcentric.domain import Segment
from custcentric.segmentation import Segmentation, assign_service_tiers, value_tiers


def test_segmentation_maps_customers_to_domain_segments() -> None:
    seg = Segmentation.from_labels(
        ["gold", "bronze", "gold", "silver"],
        order=["gold", "silver", "bronze"],
        rules={"gold": "top 20 %"},
        customer_id=[11, 12, 13, 14],
    )
    assert isinstance(seg.segment(0), Segment)
    assert seg.segment(0) == Segment(name="gold", tier_rank=1, rule="top 20 %")
    assert seg.tier_rank.tolist() == [1, 3, 1, 2]
    assert seg.sizes.tolist() == [2, 1, 1]
    assert seg.members("gold").tolist() == [0, 2]
    assert len(seg) == 4
    assert seg.to_dict()["customer_id"] == [11, 12, 13, 14]
    assert seg.to_dict()["segments"][0]["name"] == "gold"
    assert str(seg) == "Segmentation(4 customers; gold: 2, silver: 1, bronze: 1)"
    with pytest.raises(ValueError, match="read-only"):
        seg.codes[0] = 1


def test_caller_arrays_stay_writeable() -> None:
    codes = np.array([0, 1, 0])
    seg = Segmentation(
        segments=(Segment(name="a", tier_rank=1), Segment(name="b", tier_rank=2)), codes=codes
    )
    codes[0] = 1
    assert seg.codes[0] == 0


def test_assign_service_tiers_by_name_rank_and_default() -> None:
    tiers = value_tiers(np.arange(10.0))
    served = assign_service_tiers(
        tiers.segmentation, {"top 20 %": "platinum", 2: "gold"}, default="standard"
    )
    assert served.service_tier.tolist()[-3:] == ["gold", "platinum", "platinum"]
    assert served.service_tier.tolist()[0] == "standard"
    assert served.segments[0].service_tier == "platinum"
    # Customers and codes are unchanged; only the segments gain their tier.
    assert np.array_equal(served.codes, tiers.segmentation.codes)
    none = assign_service_tiers(tiers.segmentation, {1: None}, default="x")
    assert none.service_tier.tolist()[-1] == ""


def test_to_pandas() -> None:
    pytest.importorskip("pandas")
    seg = Segmentation.from_labels(["a", "b"], customer_id=["c1", "c2"])
    frame = seg.to_pandas()
    assert frame.columns.tolist() == ["customer_id", "segment", "tier_rank", "service_tier"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: Segmentation.from_labels(["a", "z"], order=["a", "b"]),
            r"`labels` must be one of `order` \(customer 1: 'z'\)",
        ),
        (lambda: Segmentation.from_labels([]), r"`labels` must not be empty"),
        (lambda: Segmentation(segments=(), codes=[]), r"`segments` must hold at least one"),
        (
            lambda: Segmentation(segments=("a",), codes=[0]),
            r"`segments` must hold Segment values \(index 0: 'a'\)",
        ),
        (
            lambda: Segmentation(segments=(Segment(name="a", tier_rank=1),), codes=[0, 1]),
            r"`codes` must lie in \[0, 0\], one position in `segments` each \(customer 1: 1\)",
        ),
        (
            lambda: Segmentation(
                segments=(Segment(name="a", tier_rank=1), Segment(name="a", tier_rank=2)), codes=[0]
            ),
            r"distinct names",
        ),
        (
            lambda: Segmentation.from_labels(["a"], customer_id=[1, 2]),
            r"`customer_id` must have the same length",
        ),
        (lambda: Segmentation.from_labels(["a"]).members("b"), r"`name` must be one of 'a'"),
        (
            lambda: assign_service_tiers(Segmentation.from_labels(["a", "b"]), {"a": "gold"}),
            r"segment 'b' \(tier_rank 2\)",
        ),
        (
            lambda: assign_service_tiers(Segmentation.from_labels(["a"]), {"zz": "gold"}),
            r"`policy` names no segment .* \(got key 'zz'\)",
        ),
        (lambda: assign_service_tiers("a", {}), r"`segmentation` must be a Segmentation"),
        (
            lambda: assign_service_tiers(Segmentation.from_labels(["a"]), ["gold"]),
            r"`policy` must be a mapping",
        ),
    ],
)
def test_bad_input_is_refused(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_default_order_sorts_numeric_labels_as_numbers() -> None:
    # Tier numbers 1..12 must keep their numeric order (tier_rank 2 for label 2, not for 10);
    # sorting their text would put 10, 11 and 12 between 1 and 2.
    labels = [12, 1, 2, 10, 11, 3]
    seg = Segmentation.from_labels(labels)
    assert seg.names == ("1", "2", "3", "10", "11", "12")
    assert seg.tier_rank.tolist() == [6, 1, 2, 4, 5, 3]
    text = Segmentation.from_labels(["b", "a", "c", "a"])
    assert text.names == ("a", "b", "c")
    mixed = Segmentation.from_labels(np.array([2, "x", 1], dtype=object))
    assert mixed.names == ("1", "2", "x")


def _same_segmentation(a: Segmentation, b: Segmentation) -> None:
    """Every field equal (Segmentation compares by identity)."""
    assert a.segments == b.segments
    assert a.codes.dtype == b.codes.dtype
    assert np.array_equal(a.codes, b.codes)
    if a.customer_id is None:
        assert b.customer_id is None
    else:
        assert b.customer_id is not None
        assert a.customer_id.dtype == b.customer_id.dtype
        assert np.array_equal(a.customer_id, b.customer_id)


@pytest.mark.parametrize(
    "seg",
    [
        Segmentation.from_labels(
            ["gold", "bronze", "gold"],
            order=["gold", "silver", "bronze"],  # silver has no customer
            rules={"gold": "top 20 %"},
            customer_id=["c1", "c2", "c3"],
        ),
        assign_service_tiers(
            Segmentation.from_labels([2, 10, 2], customer_id=[7, 8, 9]), {1: "gold", 2: None}
        ),
        Segmentation.from_labels(["x", "y"]),
    ],
)
def test_from_pandas_reads_to_pandas_back(seg: Segmentation) -> None:
    pytest.importorskip("pandas")
    _same_segmentation(seg, Segmentation.from_pandas(seg.to_pandas()))


def test_from_pandas_without_attrs_infers_the_segments_from_the_rows() -> None:
    pd = pytest.importorskip("pandas")
    seg = assign_service_tiers(
        Segmentation.from_labels(["b", "a", "c", "a"], customer_id=[1, 2, 3, 4]),
        {"a": "gold", "b": "silver", "c": None},
    )
    frame = pd.DataFrame(seg.to_pandas().to_dict("list"))  # a plain frame: no attrs
    assert not frame.attrs
    _same_segmentation(seg, Segmentation.from_pandas(frame))
    renamed = frame.rename(columns={"segment": "tier"})
    back = Segmentation.from_pandas(renamed, columns={"segment": "tier"})
    assert back.labels.tolist() == ["b", "a", "c", "a"]
    # Without tier_rank the names are ranked as from_labels ranks them: sorted.
    plain = Segmentation.from_pandas(pd.DataFrame({"segment": ["b", "a", "b"]}))
    assert plain.names == ("a", "b")
    assert [s.tier_rank for s in plain.segments] == [1, 2]


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        ({"label": ["a"]}, r"`frame` must have a column 'segment' for `segment`"),
        ({"segment": ["a", None]}, r"`segment` must not hold missing values \(customer 1"),
        (
            {"segment": ["a", "a"], "tier_rank": [1, 2]},
            r"`tier_rank` must be the same for every customer of a segment \(customer 1: 2 "
            r"for segment 'a', 1 before\)",
        ),
        (
            {"segment": ["a", "a"], "service_tier": ["gold", "silver"]},
            r"`service_tier` must be the same for every customer of a segment \(customer 1",
        ),
        ({"segment": ["a"], "tier_rank": [1.5]}, r"`tier_rank` must hold whole numbers"),
    ],
)
def test_from_pandas_bad_frames(frame, match) -> None:
    pd = pytest.importorskip("pandas")
    from custcentric.exceptions import InvalidInputError

    with pytest.raises(InvalidInputError, match=match):
        Segmentation.from_pandas(pd.DataFrame(frame))
