"""assess(): the §1.3 stage example, loop oracles, the company, JSON round trip, bad input."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.datasets import MaturityRatings
from custcentric.domain import MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.maturity import Assessment, assess, default_catalogue

STAGES = ["product_centric", "customer_focus", "customer_value", "customer_centric"]

# methods.md §1.3 test vector T1 [C/P]: A(s1=F, s2=F, s3=L); B(s1=F, s2=L); C(s2=L, s3=F); D(s3=P).
ABCD_RATINGS = {
    "assessor": {
        "A": {"product_centric": "F", "customer_focus": "F", "customer_value": "L"},
        "B": {"product_centric": "F", "customer_focus": "L"},
        "C": {"customer_focus": "L", "customer_value": "F"},
        "D": {"customer_value": "P"},
    }
}


def blockers(result):
    return [(b.capability_id, b.stage.level, b.achievement) for b in result.blocking]


def test_methods_1_3_default_rule(abcd_catalogue):
    # methods.md §1.3 (test vector T1): default rule -> stage 2, blocking set {D@s3}. Exact.
    result = assess(abcd_catalogue, ABCD_RATINGS)
    assert result.stage is MaturityStage.CUSTOMER_FOCUS
    assert blockers(result) == [("D", 3, "P")]


def test_methods_1_3_strict_rule(abcd_catalogue):
    # methods.md §1.3 (T1): strict ISO-style rule -> stage 2, blocking {B@s2 (L), C@s2 (L), D@s3 (P)}.
    result = assess(abcd_catalogue, ABCD_RATINGS, rule="strict")
    assert result.level == 2
    assert blockers(result) == [("B", 2, "L"), ("C", 2, "L"), ("D", 3, "P")]
    assert result.capability_levels() == {"A": 3, "B": 2, "C": 2, "D": 0}


def test_methods_1_3_capability_levels_and_thresholds(abcd_catalogue):
    result = assess(abcd_catalogue, ABCD_RATINGS)
    assert result.capability_levels() == {"A": 3, "B": 2, "C": 3, "D": 0}
    # a lower threshold lets D's P count: every stage-3 requirement is met
    assert assess(abcd_catalogue, ABCD_RATINGS, threshold="P").level == 4
    # requiring F makes A@s3 (L) and B@s2, C@s2 (L) fail
    full = assess(abcd_catalogue, ABCD_RATINGS, threshold="F")
    assert full.level == 1
    assert blockers(full) == [("B", 2, "L"), ("C", 2, "L")]


def test_level_ratings_are_aggregated_by_lower_median(abcd_catalogue):
    ratings = {"r1": {"A": 1}, "r2": {"A": 4}, "r3": {"A": 2}, "r4": {"A": 3}}
    assert assess(abcd_catalogue, ratings).capability_levels() == {"A": 2}
    assert assess(abcd_catalogue, ratings, aggregate="min").capability_levels() == {"A": 1}
    assert assess(abcd_catalogue, ratings, aggregate="max").capability_levels() == {"A": 4}


level_ratings = st.dictionaries(
    st.sampled_from(["sales", "it", "finance", "ops", "hr"]),
    st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), st.integers(1, 4), min_size=1),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(ratings=level_ratings, aggregate=st.sampled_from(["median", "min", "max"]))
def test_level_stage_matches_loop_oracle(abcd_catalogue, level_oracle, ratings, aggregate):
    result = assess(abcd_catalogue, ratings, aggregate=aggregate)
    stage, levels = level_oracle(abcd_catalogue, ratings, aggregate)
    assert result.level == stage
    assert result.capability_levels() == levels


achievement_ratings = st.dictionaries(
    st.sampled_from(["sales", "it", "ops"]),
    st.dictionaries(
        st.sampled_from(["A", "B", "C", "D"]),
        st.dictionaries(st.sampled_from(STAGES), st.sampled_from("NPLF"), min_size=1),
        min_size=1,
    ),
    min_size=1,
)


@settings(max_examples=80, deadline=None)
@given(
    ratings=achievement_ratings,
    aggregate=st.sampled_from(["median", "min", "max"]),
    threshold=st.sampled_from("PLF"),
    rule=st.sampled_from(["threshold", "strict"]),
)
def test_achievement_stage_matches_loop_oracle(
    abcd_catalogue, achievement_oracle, ratings, aggregate, threshold, rule
):
    result = assess(abcd_catalogue, ratings, aggregate=aggregate, threshold=threshold, rule=rule)
    assert result.level == achievement_oracle(abcd_catalogue, ratings, aggregate, threshold, rule)


@settings(max_examples=40, deadline=None)
@given(
    ratings=st.dictionaries(
        st.sampled_from(["sales", "it", "ops"]),
        st.dictionaries(
            st.sampled_from(["strategy-01", "insight-02", "proposition-07", "partners-06"]),
            st.integers(1, 4),
            min_size=1,
        ),
        min_size=1,
    )
)
def test_equivalent_staging_equals_the_stage_when_requirements_run_to_the_top(ratings):
    # CMMI equivalent staging: stage s when every capability required up to s has level >= s;
    # in the default catalogue every requirement runs to customer_centric, so both agree.
    result = assess(default_catalogue(), ratings)
    assert result.equivalent_stage() == result.stage


@settings(max_examples=40, deadline=None)
@given(ratings=level_ratings)
def test_permuting_raters_does_not_change_the_result(abcd_catalogue, ratings):
    forward = assess(abcd_catalogue, ratings)
    backward = assess(abcd_catalogue, dict(reversed(list(ratings.items()))))
    assert forward.stage == backward.stage
    assert forward.capability_levels() == backward.capability_levels()


@settings(max_examples=40, deadline=None)
@given(
    ratings=st.one_of(level_ratings, achievement_ratings),
    rule=st.sampled_from(["threshold", "strict"]),
)
def test_json_round_trip_is_exact(abcd_catalogue, ratings, rule):
    result = assess(abcd_catalogue, ratings, rule=rule)
    text = result.to_json()
    back = Assessment.from_json(text)
    assert back == result
    assert back.to_json() == text
    assert json.loads(text)["schema_version"] == 1


def test_company_self_assessment(company):
    result = assess(default_catalogue(), company.maturity)
    assert result.raters == (
        "customer_service",
        "finance",
        "it",
        "marketing",
        "operations",
        "sales",
    )
    assert len(result.capability_ids) == 30
    assert len(result.unrated) == len(default_catalogue()) - 30
    assert result.stage is MaturityStage.PRODUCT_CENTRIC
    assert [b.capability_id for b in result.blocking][:3] == [
        "insight-01",
        "proposition-01",
        "process-03",
    ]
    assert all(b.stage is MaturityStage.CUSTOMER_FOCUS for b in result.blocking)
    assert len(result.notes) == 180
    # the table and the mapping form give the same assessment
    mapping: dict[str, dict[str, dict[str, object]]] = {}
    m = company.maturity
    for dept, cid, level, note in zip(m.department, m.capability_id, m.level, m.note, strict=True):
        mapping.setdefault(str(dept), {})[str(cid)] = {"level": int(level), "note": str(note)}
    from_mapping = assess(default_catalogue(), dict(sorted(mapping.items())))
    assert attrs.evolve(from_mapping, notes=()) == attrs.evolve(result, notes=())
    assert sorted(from_mapping.notes) == sorted(result.notes)
    assert Assessment.from_json(result.to_json()) == result
    frame = result.to_pandas()
    assert frame.shape == (30, 10)
    assert result.area_levels()["partners_suppliers"] == 2


def test_unrated_capabilities_can_count_as_not_achieved(abcd_catalogue):
    result = assess(abcd_catalogue, {"r": {"A": 4, "B": 4}}, unrated="not_achieved")
    assert result.capability_ids == ("A", "B", "C", "D")
    assert result.level == 1
    assert blockers(result) == [("C", 2, None)]
    excluded = assess(abcd_catalogue, {"r": {"A": 4, "B": 4}})
    assert excluded.level == 4
    assert excluded.unrated == ("C", "D")


def test_summary_reads_well(company):
    text = assess(default_catalogue(), company.maturity).summary(max_blockers=2)
    lines = text.splitlines()
    assert lines[0] == "Maturity assessment: stage product_centric (1 of 4)"
    assert "30 of 82 capabilities rated" in lines[1]
    assert "  blocking customer_focus (9):" in lines
    assert "    ... and 7 more" in lines
    assert str(assess(default_catalogue(), company.maturity)).startswith("Maturity assessment")


def test_every_problem_in_a_mapping_is_reported():
    ratings = {
        "sales": {"strategy-01": 5, "nope-01": 2},
        "it": {},
        "ops": {"insight-01": {"customer_focus": "X", "golden_age": "F"}},
    }
    with pytest.raises(InvalidInputError) as info:
        assess(default_catalogue(), ratings)
    text = str(info.value)
    assert text.startswith("`ratings` has 6 problems:")
    assert "- rater 'sales', capability 'strategy-01': level 5 is outside the scale 1-4" in text
    assert "- rater 'sales': capability 'nope-01' is not in the catalogue" in text
    assert "- rater 'it' has no ratings" in text
    assert "achievement 'X' is outside the scale N, P, L, F" in text
    assert "unknown stage 'golden_age'" in text
    assert "levels and per-stage achievements must not be mixed" in text


def test_every_problem_in_a_table_is_reported():
    table = MaturityRatings.from_arrays(
        ["sales", "sales", "it"],
        ["strategy-01", "nope-01", "insight-01"],
        ["strategy_leadership", "customer_insight", "measurement"],
        [2, 3, 4],
    )
    with pytest.raises(InvalidInputError) as info:
        assess(default_catalogue(), table)
    text = str(info.value)
    assert text.startswith("`ratings` has 2 problems:")
    assert "row 1: capability 'nope-01' (rater 'sales') is not in the catalogue" in text
    assert (
        "row 2: capability 'insight-01' (rater 'it') is in area 'customer_insight' in the catalogue, "
        "not 'measurement'" in text
    )

    @attrs.frozen
    class Plain:
        department: np.ndarray
        capability_id: np.ndarray
        level: np.ndarray

    bad = Plain(np.array(["a", "a", "b"]), np.array(["strategy-01"] * 3), np.array([0, 2, 9]))
    with pytest.raises(InvalidInputError) as info:
        assess(default_catalogue(), bad)
    text = str(info.value)
    assert "row 0: capability 'strategy-01' (rater 'a'): level 0 is outside the scale 1-4" in text
    assert "row 2: capability 'strategy-01' (rater 'b'): level 9" in text
    twice = Plain(np.array(["a", "a"]), np.array(["strategy-01"] * 2), np.array([1, 2]))
    with pytest.raises(
        InvalidInputError, match=r"capability 'strategy-01' is rated more than once by rater 'a'"
    ):
        assess(default_catalogue(), twice)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"aggregate": "mean"},
            r"`aggregate` must be one of 'median', 'min', 'max' \(got 'mean'\)",
        ),
        ({"rule": "loose"}, r"`rule` must be one of 'threshold', 'strict' \(got 'loose'\)"),
        ({"threshold": "N"}, r"`threshold` must be one of 'P', 'L', 'F' \(got 'N', which every"),
        ({"threshold": "Q"}, r"`threshold` must be one of 'P', 'L', 'F' \(got 'Q'\)"),
        ({"unrated": "drop"}, r"`unrated` must be one of 'exclude', 'not_achieved'"),
    ],
)
def test_bad_options(abcd_catalogue, kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        assess(abcd_catalogue, {"r": {"A": 2}}, **kwargs)


def test_bad_containers(abcd_catalogue):
    with pytest.raises(InvalidInputError, match=r"`ratings` has 1 problem:\n- there are no raters"):
        assess(abcd_catalogue, {})
    with pytest.raises(InvalidInputError, match=r"`ratings` must be a mapping"):
        assess(abcd_catalogue, [1, 2])
    with pytest.raises(InvalidInputError, match=r"`catalogue` must be a Catalogue \(got dict\)"):
        assess({}, {"r": {"A": 2}})
    with pytest.raises(InvalidInputError, match=r"`schema_version` must be 1 \(got 7\)"):
        Assessment.from_dict({"schema_version": 7})
    with pytest.raises(InvalidInputError, match=r"`how` must be one of 'min', 'median'"):
        assess(abcd_catalogue, {"r": {"A": 2}}).area_levels(how="mean")
    with pytest.raises(InvalidInputError, match=r"`rater` must be one of 'r' \(got 'x'\)"):
        assess(abcd_catalogue, {"r": {"A": 2}}).rater_profile("x")


def test_levels_by_rater(company):
    result = assess(default_catalogue(), company.maturity)
    by_rater = result.levels_by_rater("insight-01")
    assert by_rater == {
        "customer_service": 1,
        "finance": 1,
        "it": 3,
        "marketing": 3,
        "operations": 1,
        "sales": 4,
    }
    with pytest.raises(
        InvalidInputError, match=r"`capability_id` must be a capability of the assessment"
    ):
        result.levels_by_rater("governance-07")


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.text(alphabet="abcé-01Ωz", max_size=7), min_size=1, max_size=40),
    ids=st.lists(
        st.text(alphabet="abcé-01", min_size=1, max_size=9), min_size=1, max_size=6, unique=True
    ),
)
def test_string_factorisation_matches_numpy(values, ids):
    from custcentric.maturity._factorize import factorize, lookup

    column = np.array(values)
    uniques, inverse = factorize(column)
    expected_uniques, expected_inverse = np.unique(column, return_inverse=True)
    assert uniques.tolist() == expected_uniques.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    position, known = lookup(column, ids)
    for value, pos, ok in zip(values, position.tolist(), known.tolist(), strict=True):
        assert ok == (value in ids)
        if ok:
            assert ids[pos] == value


def test_whole_number_float_levels_in_a_mapping_count_as_levels():
    # JSON and float columns give 2.0 for level 2; the table form accepted it, the mapping
    # form used to reject it as "outside the scale 1-4".
    as_float = assess(default_catalogue(), {"a": {"insight-01": 2.0}, "b": {"insight-01": 3}})
    as_int = assess(default_catalogue(), {"a": {"insight-01": 2}, "b": {"insight-01": 3}})
    assert as_float == as_int
    for bad in (2.5, float("nan"), True):
        with pytest.raises(InvalidInputError, match=r"level .* is outside the scale 1-4"):
            assess(default_catalogue(), {"a": {"insight-01": bad}})


def test_from_dict_with_a_damaged_array_names_the_field(abcd_catalogue):
    # A hand-edited file with a wrong shape used to escape as numpy's bare ValueError.
    data = assess(abcd_catalogue, {"r": {"A": 2}, "s": {"A": 3}}).to_dict()
    data["rater_levels"] = [[2]]
    with pytest.raises(
        InvalidInputError,
        match=r"`data\['rater_levels'\]` must be whole numbers of shape \(2, 1\) "
        r"\(for 2 raters and 1 capabilities\)",
    ):
        Assessment.from_dict(data)
    data = assess(abcd_catalogue, {"r": {"A": 2}}).to_dict()
    data["blocking"] = [{"capability_id": "A"}]
    with pytest.raises(InvalidInputError, match=r"`data\['blocking'\]` must hold dicts"):
        Assessment.from_dict(data)
