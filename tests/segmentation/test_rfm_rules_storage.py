"""RFM rule tables are configuration: ``to_dict``/``from_dict`` with a schema version, exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import (
    RFM_PACKAGE_RULES,
    RFM_SEGMENT_RULES,
    RFMRule,
    RFMRules,
    rfm_segments,
)


@pytest.mark.parametrize("table", [RFM_SEGMENT_RULES, RFM_PACKAGE_RULES], ids=["default", "rfm"])
def test_the_shipped_tables_survive_a_trip_through_json(table: RFMRules) -> None:
    text = json.dumps(table.to_dict(), allow_nan=False)
    back = RFMRules.from_dict(json.loads(text))
    assert back == table
    assert back.to_dict() == table.to_dict()
    grid = np.arange(1, 6)
    r, f, m = (a.ravel() for a in np.meshgrid(grid, grid, grid, indexing="ij"))
    np.testing.assert_array_equal(back.lookup(r, f, m), table.lookup(r, f, m))


def test_the_dict_layout_is_versioned_and_plain() -> None:
    table = RFMRules(rules=[RFMRule(name="Best", r=(4, 5), f=5)], fallback="Rest", source="mine")
    assert table.to_dict() == {
        "schema_version": 1,
        "rules": [{"name": "Best", "r": [4, 5], "f": [5, 5], "m": None}],
        "fallback": "Rest",
        "source": "mine",
    }
    assert RFMRule.from_dict({"name": "Best", "r": [4, 5], "f": 5}) == table.rules[0]


def test_a_stored_table_segments_customers_as_the_original() -> None:
    table = RFMRules(
        rules=[{"name": "VIP", "r": (4, 5), "m": 5}, {"name": "lapsing", "r": (1, 2)}],
        fallback="regular",
    )
    back = RFMRules.from_dict(json.loads(json.dumps(table.to_dict())))
    scores = {"r": [5, 1, 3, 4], "f": [5, 4, 2, 1], "m": [5, 5, 2, 5]}
    assert rfm_segments(scores, rules=back).labels.tolist() == ["VIP", "lapsing", "regular", "VIP"]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"rules": [{"name": "A"}], "fallbak": "x"}, r"no field 'fallbak'"),
        ({"rules": [{"name": "A", "q": 3}]}, r"row 0: unknown \['q'\]"),
        ({"schema_version": 2, "rules": [{"name": "A"}]}, r"`schema_version` must be 1"),
        ({"rules": []}, r"at least one rule"),
        ({"rules": [{"name": "A", "r": [3, 1]}]}, r"`r` must have low <= high"),
        ("rules", r"`data` must be a mapping"),
    ],
)
def test_bad_stored_tables_are_refused_naming_the_problem(data: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        RFMRules.from_dict(data)  # type: ignore[arg-type]


def test_text_and_table_faces() -> None:
    table = RFMRules(rules=[{"name": "Best", "r": 5}, {"name": "Any"}])
    assert str(table) == "RFM rules (2 rules, no fallback)\n  Best: R 5\n  Any: any scores"
    frame = table.to_pandas()
    assert frame.to_dict("list") == {
        "name": ["Best", "Any"],
        "r": ["5", "any"],
        "f": ["any", "any"],
        "m": ["any", "any"],
    }
