"""The default catalogue and catalogue validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.domain import CapabilityArea, MaturityStage
from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.maturity import Catalogue, default_catalogue, load_catalogue


def test_default_catalogue_has_75_plus_capabilities_in_every_area():
    catalogue = default_catalogue()
    assert len(catalogue) >= 75
    assert set(catalogue.areas) == set(CapabilityArea)
    for area in CapabilityArea:
        assert sum(c.area is area for c in catalogue) >= 5
    for cap in catalogue:
        assert len(cap.descriptors) == len(MaturityStage)
        assert len(set(cap.descriptors)) == 4, cap.id  # four different descriptions
        assert catalogue.required_stages(cap.id)[-1] is MaturityStage.CUSTOMER_CENTRIC


def test_default_catalogue_contains_the_company_capabilities_with_their_areas(company):
    catalogue = default_catalogue()
    rated = set(
        zip(company.maturity.capability_id.tolist(), company.maturity.area.tolist(), strict=True)
    )
    assert len(rated) == 30
    for cid, area in rated:
        assert cid in catalogue
        assert catalogue[cid].area.value == area


def test_shipped_file_is_versioned_and_round_trips():
    path = Path(__file__).resolve().parents[2] / "src/custcentric/maturity/data/catalogue.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    assert data["version"] == default_catalogue().version
    assert default_catalogue().to_dict() == data
    assert Catalogue.from_dict(default_catalogue().to_dict()) == default_catalogue()


def test_load_catalogue_reads_a_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(default_catalogue().to_dict()), encoding="utf-8")
    assert load_catalogue(path) == default_catalogue()


def test_load_catalogue_reports_every_problem_with_its_id(tmp_path):
    data = default_catalogue().to_dict()
    caps = data["capabilities"]
    caps.append(dict(caps[0]))  # duplicate strategy-01
    caps[2]["area"] = "astrology"  # strategy-03
    del caps[3]["descriptors"]["customer_centric"]  # strategy-04
    caps[4]["depends_on"] = ["nope-99"]  # strategy-05
    caps[5]["required_at"] = ["golden_age"]  # strategy-06
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_catalogue(path)
    text = str(info.value)
    assert text.startswith("`catalogue` has 5 problems:")
    assert "capability 'strategy-05': `depends_on` names an unknown capability 'nope-99'" in text
    assert "capability 'strategy-03': `area` must be one of" in text
    assert "(got 'astrology')" in text
    assert (
        "capability 'strategy-04': `descriptors` has no text for stage 'customer_centric'" in text
    )
    assert "capability 'strategy-06': `required_at` must hold stages" in text
    assert "capability 'strategy-01': duplicate id (entries 0, 82)" in text
    # the unknown dependency is reported once the entries themselves are valid
    caps[2]["area"] = "strategy_leadership"
    del caps[3]["descriptors"]
    caps[3]["descriptors"] = caps[0]["descriptors"]
    caps[5]["required_at"] = ["customer_value"]
    caps.pop()
    with pytest.raises(
        InvalidInputError,
        match=r"capability 'strategy-05': `depends_on` names an unknown capability 'nope-99'",
    ):
        Catalogue.from_dict(data)


def test_circular_dependencies_are_refused(make_catalogue):
    with pytest.raises(InvalidInputError, match=r"must not be circular: A -> B -> C -> A"):
        make_catalogue([("A", [1], ["B"]), ("B", [1], ["C"]), ("C", [1], ["A"])])
    with pytest.raises(InvalidInputError, match=r"'A': `depends_on` must not name itself"):
        make_catalogue([("A", [1], ["A"])])


def test_bad_json_and_bad_layout(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"capabilities": [', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"`path` must hold valid JSON"):
        load_catalogue(path)
    with pytest.raises(InvalidInputError, match=r"`capabilities` must be a non-empty list"):
        Catalogue.from_dict({"name": "x", "version": "1", "capabilities": []})
    with pytest.raises(InvalidInputError, match=r"unknown key 'colour' at the top level"):
        Catalogue.from_dict({**default_catalogue().to_dict(), "colour": "red"})
    with pytest.raises(InvalidInputError, match=r"`schema_version` must be 1 \(got 2\)"):
        Catalogue.from_dict({**default_catalogue().to_dict(), "schema_version": 2})
    entry = default_catalogue().to_dict()["capabilities"][0]
    entry["colour"] = "red"
    with pytest.raises(InvalidInputError, match=r"capability 'strategy-01': unknown key 'colour'"):
        Catalogue.from_dict({"name": "x", "version": "1", "capabilities": [entry]})
    with pytest.raises(InvalidInputError, match=r"capability at index 0: `id` must be a non-empty"):
        Catalogue.from_dict({"name": "x", "version": "1", "capabilities": [{"name": "n"}]})


def test_catalogue_lookup_and_text():
    catalogue = default_catalogue()
    assert catalogue.index("strategy-01") == 0
    assert catalogue.prerequisites("insight-02") == ("insight-01", "measurement-03")
    assert "82 capabilities in 12 areas" in str(catalogue)
    with pytest.raises(
        InvalidInputError, match=r"`capability_id` must be in the catalogue \(got 'x'\)"
    ):
        catalogue["x"]


STAGE_NAMES = ["product_centric", "customer_focus", "customer_value", "customer_centric"]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_random_catalogues_round_trip(data):
    n = data.draw(st.integers(1, 6))
    ids = [f"cap-{i}" for i in range(n)]
    entries = []
    for i, cid in enumerate(ids):
        required = data.draw(st.lists(st.sampled_from(STAGE_NAMES), min_size=1, unique=True))
        depends = data.draw(st.lists(st.sampled_from(ids[:i]), unique=True)) if i else []
        entries.append(
            {
                "id": cid,
                "area": data.draw(st.sampled_from([a.value for a in CapabilityArea])),
                "name": data.draw(st.text(min_size=1, max_size=10).filter(str.strip)),
                "required_at": required,
                "depends_on": depends,
                "descriptors": {s: f"{cid} {s}" for s in STAGE_NAMES},
            }
        )
    catalogue = Catalogue.from_dict({"name": "random", "version": "0", "capabilities": entries})
    again = Catalogue.from_dict(json.loads(json.dumps(catalogue.to_dict())))
    assert again == catalogue
    for cid, entry in zip(ids, entries, strict=True):
        assert [s.value for s in again.required_stages(cid)] == [
            s for s in STAGE_NAMES if s in entry["required_at"]
        ]
