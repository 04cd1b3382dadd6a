"""SLA, Compensation and CompensationBand: round trips, checks, published vectors, oracle."""

from __future__ import annotations

import itertools
import json
import re
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.domain import SLA, Clock, Compensation, CompensationBand, SLAMetric
from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError

# ---------------------------------------------------------------------------------------------
# Strategies

texts = st.text(min_size=1, max_size=12).filter(str.strip)
units = st.sampled_from(["s", "m", "h", "D", "W"])
money = st.floats(min_value=0, max_value=1e6, allow_nan=False)
shares = st.floats(min_value=0, max_value=1)


@st.composite
def band_sets(draw):
    """Non-overlapping bands between distinct cut points, some left out, in any order."""
    cuts = sorted(draw(st.lists(shares, min_size=2, max_size=6, unique=True)))
    bands = []
    previous_upper_inclusive = False
    for lower, upper in itertools.pairwise(cuts):
        if not draw(st.booleans()):
            previous_upper_inclusive = False
            continue
        lower_inclusive = draw(st.booleans()) and not previous_upper_inclusive
        upper_inclusive = draw(st.booleans())
        bands.append(
            CompensationBand(
                lower=lower,
                upper=upper,
                rate=draw(st.floats(min_value=0, max_value=2)),
                lower_inclusive=lower_inclusive,
                upper_inclusive=upper_inclusive,
            )
        )
        previous_upper_inclusive = upper_inclusive
    return draw(st.permutations(bands))


compensations = st.builds(
    Compensation,
    fixed_per_breach=money,
    per_unit_late=money,
    time_unit=units,
    grace=money,
    bands=band_sets(),
    cap=st.none() | money,
)


@st.composite
def slas(draw):
    metric = draw(st.sampled_from(SLAMetric))
    return SLA(
        id=draw(texts),
        name=draw(texts),
        process_id=draw(texts),
        metric=metric,
        target=draw(st.floats(min_value=1e-6, max_value=1e6)),
        time_unit=draw(units),
        target_share=draw(st.floats(min_value=1e-6, max_value=1)),
        clock=draw(st.sampled_from(Clock)),
        tiers=draw(st.lists(texts, max_size=3)),
        step_id=draw(texts) if metric is SLAMetric.STEP_DURATION else None,
        compensation=draw(st.none() | compensations),
    )


single_bands = st.builds(
    lambda cut, rate, lo, hi: CompensationBand(
        lower=min(cut), upper=max(cut), rate=rate, lower_inclusive=lo, upper_inclusive=hi
    ),
    st.lists(shares, min_size=2, max_size=2, unique=True),
    st.floats(min_value=0, max_value=2),
    st.booleans(),
    st.booleans(),
)
values = slas() | compensations | single_bands


def through_json(value):
    return json.loads(json.dumps(value.to_dict()))


def sla(**changes):
    base = {
        "id": "r48",
        "name": "Repair in 48 h",
        "process_id": "repair",
        "metric": "cycle_time",
        "target": 48,
    }
    return SLA(**{**base, **changes})


def band(lower, upper, **kw):
    return {"lower": lower, "upper": upper, "rate": 0.1, **kw}


# ---------------------------------------------------------------------------------------------
# Round trips


@given(values)
def test_dict_round_trip(value):
    assert type(value).from_dict(value.to_dict()) == value


@given(values)
def test_json_round_trip(value):
    assert type(value).from_dict(through_json(value)) == value


def test_sla_to_dict_nests_compensation_and_bands():
    data = sla(compensation={"bands": [band(0.5, 1.0)], "cap": 5}).to_dict()
    assert data["metric"] == "cycle_time"
    assert data["clock"] == "calendar"
    assert data["compensation"]["bands"] == [
        {"lower": 0.5, "upper": 1.0, "rate": 0.1, "lower_inclusive": True, "upper_inclusive": False}
    ]
    assert "schema_version" not in data["compensation"]


def test_sla_defaults_and_applies_to():
    s = sla()
    assert (s.time_unit, s.target_share, s.clock, s.tiers, s.compensation) == (
        "h",
        1.0,
        Clock.CALENDAR,
        (),
        None,
    )
    assert s.applies_to("bronze")
    assert s.applies_to(None)
    gold = sla(tiers=["gold"])
    assert gold.applies_to("gold")
    assert not gold.applies_to("silver")


# ---------------------------------------------------------------------------------------------
# Validation messages


@pytest.mark.parametrize("field", ["id", "name", "process_id"])
def test_sla_rejects_empty_text(field):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`{field}` must be a non-empty string (got '').")
    ):
        sla(**{field: ""})


def test_sla_rejects_unknown_metric():
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            "`metric` must be one of 'cycle_time', 'first_response', 'step_duration' (got 'uptime')."
        ),
    ):
        sla(metric="uptime")


@pytest.mark.parametrize(
    ("target", "got"),
    [(0, "must lie in (0, inf] (got 0)"), (-1.5, "must lie in (0, inf] (got -1.5)"),
     (float("nan"), "must be finite (got nan)"), (float("inf"), "must be finite (got inf)"),
     (True, "must be a real number (got True)")],
)  # fmt: skip
def test_sla_rejects_bad_target(target, got):
    with pytest.raises(InvalidInputError, match=re.escape(f"`target` {got}.")):
        sla(target=target)


@pytest.mark.parametrize("share", [0, 0.0, 1.0000001, 2, -0.5])
def test_sla_rejects_target_share_outside_unit_interval(share):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`target_share` must lie in (0, 1] (got {share!r}).")
    ):
        sla(target_share=share)


def test_sla_accepts_full_target_share():
    assert sla(target_share=1).target_share == 1.0


@pytest.mark.parametrize("unit", ["y", "d", "hours", "", "M", "Q", "Y"])
def test_sla_rejects_bad_unit(unit):
    # Calendar units (months, quarters, years) are not durations: refused as time_unit.
    msg = f"`time_unit` must be one of 's', 'm', 'h', 'D', 'W'; got {unit!r}."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        sla(time_unit=unit)


def test_unit_rejects_unhashable_value():
    with pytest.raises(InvalidInputError, match=re.escape("`time_unit` must be one of 's'")):
        Compensation(time_unit=["D"])


DEPRECATED_UNIT = r"`unit=` is deprecated since custcentric 0\.1 .* use `time_unit=` instead"


@pytest.mark.parametrize("cls", [SLA, Compensation])
def test_the_former_keyword_unit_still_works_with_a_deprecation_warning(cls):
    make = sla if cls is SLA else Compensation
    with pytest.warns(CustcentricDeprecationWarning, match=DEPRECATED_UNIT):
        value = make(unit="W")
    assert value.time_unit == "W"
    assert value == make(time_unit="W")
    with pytest.warns(
        CustcentricDeprecationWarning, match=rf"`{cls.__name__}\.unit` is deprecated"
    ):
        assert value.unit == "W"


def test_the_former_keyword_is_still_checked_and_refused_with_the_new_one():
    with (
        pytest.warns(CustcentricDeprecationWarning),
        pytest.raises(InvalidInputError, match=re.escape("`time_unit` must be one of")),
    ):
        sla(unit="M")
    with pytest.raises(InvalidInputError, match=r"pass `time_unit=` only \(`unit=` is its"):
        sla(unit="h", time_unit="h")


def test_the_dict_layout_is_version_2_with_time_unit():
    data = sla(compensation={"per_unit_late": 1.0}).to_dict()
    assert data["schema_version"] == 2
    assert "unit" not in data
    assert data["time_unit"] == "h"
    assert "unit" not in data["compensation"]
    assert data["compensation"]["time_unit"] == "D"
    assert Compensation().to_dict()["schema_version"] == 2
    assert CompensationBand(lower=0, upper=1, rate=0).to_dict()["schema_version"] == 1


def test_a_version_1_dict_with_unit_loads_silently_nested_compensation_too():
    new = sla(time_unit="D", compensation={"per_unit_late": 1.0, "time_unit": "h"})
    old = new.to_dict()
    old["schema_version"] = 1
    old["unit"] = old.pop("time_unit")
    old["compensation"]["unit"] = old["compensation"].pop("time_unit")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SLA.from_dict(old) == new
        assert Compensation.from_dict({"schema_version": 1, "unit": "W"}).time_unit == "W"


def test_the_old_key_in_a_dict_of_todays_layout_warns_and_both_keys_are_refused():
    with pytest.warns(CustcentricDeprecationWarning, match="the key 'unit' in Compensation"):
        assert Compensation.from_dict({"unit": "W"}).time_unit == "W"
    with pytest.raises(InvalidInputError, match="must give `time_unit` only"):
        Compensation.from_dict({"schema_version": 1, "unit": "W", "time_unit": "W"})


def test_step_duration_requires_step_id():
    msg = "`step_id` must name the step measured when `metric` is 'step_duration' (got None)."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        sla(metric="step_duration")
    assert sla(metric="STEP_DURATION", step_id="shipped").step_id == "shipped"


@pytest.mark.parametrize("metric", ["cycle_time", "first_response"])
def test_other_metrics_refuse_step_id(metric):
    msg = f"`step_id` must be None when `metric` is {metric!r} (got 'shipped')."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        sla(metric=metric, step_id="shipped")


def test_sla_rejects_bad_compensation():
    msg = "`compensation` must be a Compensation or a mapping (got 5)."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        sla(compensation=5)
    with pytest.raises(
        InvalidInputError, match=re.escape("Compensation has no field 'fee' (fields: ")
    ):
        sla(compensation={"fee": 5})


@pytest.mark.parametrize("field", ["fixed_per_breach", "per_unit_late", "grace", "cap"])
def test_compensation_rejects_negative_amounts(field):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`{field}` must lie in [0, inf] (got -1).")
    ):
        Compensation(**{field: -1})


@pytest.mark.parametrize("field", ["fixed_per_breach", "per_unit_late", "grace", "cap"])
def test_compensation_rejects_non_finite_and_bool(field):
    with pytest.raises(InvalidInputError, match=re.escape(f"`{field}` must be finite (got nan).")):
        Compensation(**{field: float("nan")})
    with pytest.raises(
        InvalidInputError, match=re.escape(f"`{field}` must be a real number (got False).")
    ):
        Compensation(**{field: False})


@pytest.mark.parametrize(("lower", "upper"), [(0.5, 0.5), (0.9, 0.1)])
def test_band_rejects_lower_not_below_upper(lower, upper):
    msg = f"`lower` must be less than `upper` (got {float(lower)!r} >= {float(upper)!r})."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        CompensationBand(lower=lower, upper=upper, rate=0.1)


@pytest.mark.parametrize(
    ("field", "value", "msg"),
    [("lower", -0.1, "`lower` must lie in [0, 1] (got -0.1)."),
     ("upper", 1.5, "`upper` must lie in [0, 1] (got 1.5)."),
     ("rate", -1, "`rate` must lie in [0, inf] (got -1)."),
     ("rate", float("inf"), "`rate` must be finite (got inf)."),
     ("lower_inclusive", 1, "`lower_inclusive` must be True or False (got 1)."),
     ("upper_inclusive", "no", "`upper_inclusive` must be True or False (got 'no').")],
)  # fmt: skip
def test_band_rejects_bad_fields(field, value, msg):
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        CompensationBand(**{"lower": 0.2, "upper": 0.8, "rate": 0.1, field: value})


def test_bands_reject_overlap():
    msg = "`bands` must not overlap (band 1: [0, 0.6] and band 0: [0.5, 1])."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Compensation(bands=[band(0.5, 1.0), band(0.0, 0.6)])


def test_bands_reject_touching_when_both_inclusive():
    msg = "`bands` must not overlap (band 0: [0, 0.5] and band 1: [0.5, 1])."
    with pytest.raises(InvalidInputError, match=re.escape(msg)):
        Compensation(bands=[band(0.0, 0.5, upper_inclusive=True), band(0.5, 1.0)])


@pytest.mark.parametrize(
    ("upper_inclusive", "lower_inclusive"), [(False, True), (True, False), (False, False)]
)
def test_bands_may_touch_when_one_side_exclusive(upper_inclusive, lower_inclusive):
    bands = [
        band(0.0, 0.5, upper_inclusive=upper_inclusive),
        band(0.5, 1.0, lower_inclusive=lower_inclusive),
    ]
    assert len(Compensation(bands=bands).bands) == 2


def test_bands_reject_bad_items():
    with pytest.raises(
        InvalidInputError,
        match=re.escape("`bands[0]` must be a CompensationBand or a mapping (got 0.5)."),
    ):
        Compensation(bands=[0.5])
    with pytest.raises(InvalidInputError, match=re.escape("`bands` must be a sequence (got 0.5).")):
        Compensation(bands=0.5)


def test_band_rate_rejects_attainment_outside_unit_interval():
    with pytest.raises(
        InvalidInputError, match=re.escape("`attainment` must lie in [0, 1] (index 1: ")
    ):
        Compensation().band_rate([0.5, 1.5])


def test_band_rate_message_shows_plain_value():
    with pytest.raises(
        InvalidInputError, match=re.escape("`attainment` must lie in [0, 1] (index 1: 1.5).")
    ):
        Compensation().band_rate([0.5, 1.5])


def test_case_amount_rejects_non_finite_lateness():
    with pytest.raises(InvalidInputError, match=re.escape("`lateness`")):
        Compensation(per_unit_late=1).case_amount([1.0, float("nan")])


@pytest.mark.parametrize("cls", [SLA, Compensation, CompensationBand])
def test_from_dict_rejects_unknown_key(cls):
    with pytest.raises(
        InvalidInputError, match=re.escape(f"{cls.__name__} has no field 'colour' (fields: ")
    ):
        cls.from_dict({"colour": "red"})


def test_from_dict_rejects_other_schema_version():
    with pytest.raises(
        InvalidInputError,
        match=re.escape("`schema_version` must be 1 for CompensationBand (got 2)."),
    ):
        CompensationBand.from_dict({"schema_version": 2})
    for cls in (SLA, Compensation):
        for bad in (3, 0, "2", True):
            with pytest.raises(
                InvalidInputError,
                match=re.escape(f"`schema_version` must be one of 1, 2 for {cls.__name__} (got"),
            ):
                cls.from_dict({"schema_version": bad})


@pytest.mark.parametrize("cls", [SLA, Compensation, CompensationBand])
def test_from_dict_rejects_non_mapping(cls):
    with pytest.raises(
        InvalidInputError,
        match=re.escape(f"`data` must be a mapping for {cls.__name__}.from_dict (got 3)."),
    ):
        cls.from_dict(3)


# ---------------------------------------------------------------------------------------------
# Frozen, evolve, hash


@given(values)
def test_values_are_frozen(value):
    name = attrs.fields(type(value))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, name, 0)


def test_evolve_revalidates():
    with pytest.raises(InvalidInputError, match=re.escape("`step_id` must name the step measured")):
        attrs.evolve(sla(), metric="step_duration")
    with pytest.raises(
        InvalidInputError, match=re.escape("`target` must lie in (0, inf] (got 0).")
    ):
        attrs.evolve(sla(), target=0)
    with pytest.raises(InvalidInputError, match=re.escape("`lower` must be less than `upper`")):
        attrs.evolve(CompensationBand(lower=0.1, upper=0.2, rate=1), upper=0.1)
    with pytest.raises(InvalidInputError, match=re.escape("`bands` must not overlap")):
        attrs.evolve(Compensation(bands=[band(0, 0.5)]), bands=[band(0, 0.5), band(0.4, 0.6)])


@given(values)
def test_equal_values_hash_equal(value):
    again = type(value).from_dict(through_json(value))
    assert hash(again) == hash(value)
    assert len({value, again}) == 1


# ---------------------------------------------------------------------------------------------
# Published test vectors: reference/methods.md §6.4 (Ofcom 2017 statement; AWS Compute SLA).
# Tolerance: exact equality (every vector is a product or sum of exactly representable steps).

AWS = Compensation(
    bands=[
        {"lower": 0.99, "upper": 0.9999, "rate": 0.10},
        {"lower": 0.95, "upper": 0.99, "rate": 0.30},
        {"lower": 0.0, "upper": 0.95, "rate": 1.00},
    ]
)


@pytest.mark.parametrize(
    ("attainment", "rate"),
    [(0.99995, 0.0), (0.995, 0.10), (0.97, 0.30), (0.94, 1.00), (0.99, 0.10), (0.95, 0.30)],
)
def test_aws_compute_bands(attainment, rate):
    # reference/methods.md §6.4 (Ofcom 2017 statement; AWS Compute SLA); exact.
    assert AWS.band_rate([attainment]).tolist() == [rate]


def test_aws_compute_bands_vectorised():
    # reference/methods.md §6.4 (Ofcom 2017 statement; AWS Compute SLA); exact.
    got = AWS.band_rate([0.99995, 0.995, 0.97, 0.94, 0.99, 0.95])
    assert got.tolist() == [0.0, 0.10, 0.30, 1.00, 0.10, 0.30]


def test_ofcom_repair_accrual_with_and_without_cap():
    # reference/methods.md §6.4 (Ofcom 2017 statement; AWS Compute SLA); exact.
    ofcom = Compensation(per_unit_late=8.0, time_unit="D", grace=2.0)
    assert ofcom.case_amount([5.0]).tolist() == [24.0]
    assert attrs.evolve(ofcom, cap=20.0).case_amount([5.0]).tolist() == [20.0]


def test_ofcom_missed_appointments():
    # reference/methods.md §6.4 (Ofcom 2017 statement; AWS Compute SLA); exact.
    # Three missed appointments are three late cases; the lateness itself does not matter.
    fixed = Compensation(fixed_per_breach=25.0)
    assert fixed.case_amount([0.5, 1.0, 7.0]).sum() == 75.0
    assert fixed.case_amount([0.0, -1.0]).tolist() == [0.0, 0.0]


# ---------------------------------------------------------------------------------------------
# Oracle: a plain loop, compared exactly with the vectorised methods.


def slow_band_rate(bands, attainment):
    out = []
    for a in attainment:
        rate = 0.0
        for b in bands:
            above = a >= b.lower if b.lower_inclusive else a > b.lower
            below = a <= b.upper if b.upper_inclusive else a < b.upper
            if above and below:
                rate = b.rate
        out.append(rate)
    return out


def slow_case_amount(comp, lateness):
    out = []
    for late in lateness:
        if late <= 0:
            out.append(0.0)
            continue
        amount = comp.fixed_per_breach + comp.per_unit_late * max(late - comp.grace, 0.0)
        if comp.cap is not None and amount > comp.cap:
            amount = comp.cap
        out.append(amount)
    return out


@given(band_sets(), st.lists(shares, max_size=20))
def test_band_rate_matches_loop(bands, attainment):
    comp = Compensation(bands=bands)
    cut_points = [b.lower for b in bands] + [b.upper for b in bands]
    points = attainment + cut_points
    assert comp.band_rate(points).tolist() == slow_band_rate(bands, points)


@given(band_sets(), shares)
def test_at_most_one_band_contains_an_attainment(bands, attainment):
    assert sum(b.contains(attainment) for b in bands) <= 1


@given(compensations, st.lists(st.floats(min_value=-10, max_value=1e4), max_size=20))
def test_case_amount_matches_loop(comp, lateness):
    got = comp.case_amount(lateness)
    assert got.tolist() == slow_case_amount(comp, lateness)
    assert np.all(got >= 0)
