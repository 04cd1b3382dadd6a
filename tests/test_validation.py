"""The shared input checks: each rule, each message, and the edges found by hypothesis."""

from __future__ import annotations

import datetime as dt
import enum

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from custcentric._time import check_time_unit, to_duration
from custcentric._validation import (
    as_1d,
    as_datetime_array,
    as_float_array,
    as_int_array,
    as_str_array,
    check_equal_length,
    check_in_range,
    check_not_greater,
    check_number,
    to_enum,
    to_enum_array,
)
from custcentric.exceptions import InvalidInputError


class Colour(enum.Enum):
    RED = "red"
    DARK_BLUE = "dark_blue"


def test_as_1d_accepts_scalars_and_refuses_matrices() -> None:
    assert as_1d(3.0, "x").shape == (1,)
    with pytest.raises(
        InvalidInputError, match=r"`x` must be one-dimensional \(got shape \(2, 2\)\)"
    ):
        as_1d(np.zeros((2, 2)), "x")


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([1.0, np.nan], {}, r"`amount` must be finite \(index 1: nan\)\."),
        ([1.0, 2.0, np.inf], {}, r"`amount` must be finite \(index 2: inf\)\."),
        ([1.0, -0.5], {"non_negative": True}, r"`amount` must be non-negative \(index 1: -0.5\)\."),
        ([1.0, 0.0], {"positive": True}, r"`amount` must be positive \(index 1: 0.0\)\."),
        (["1", "x"], {}, r"`amount` must hold numbers \(got dtype <U1\)\."),
        ([True, False], {}, r"`amount` must hold numbers \(got dtype bool\)\."),
        (
            np.array([1.0, "x"], dtype=object),
            {"label": "customer"},
            r"`amount` must hold numbers \(customer 1: 'x'\)\.",
        ),
    ],
)
def test_as_float_array_messages(values: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        as_float_array(values, "amount", **kwargs)  # type: ignore[arg-type]


def test_as_float_array_allows_nan_when_asked_but_never_inf() -> None:
    out = as_float_array([1.0, np.nan], "x", allow_nan=True)
    assert np.isnan(out[1])
    with pytest.raises(InvalidInputError, match=r"index 0: -inf"):
        as_float_array([-np.inf, np.nan], "x", allow_nan=True)


def test_as_float_array_empty_is_fine() -> None:
    assert as_float_array([], "x").shape == (0,)
    assert as_float_array(np.array([], dtype=object), "x").dtype == np.float64


def test_as_int_array() -> None:
    assert as_int_array([1.0, 2.0], "n").dtype == np.int64
    with pytest.raises(InvalidInputError, match=r"`n` must hold whole numbers \(index 1: 2.5\)"):
        as_int_array([1.0, 2.5], "n")
    with pytest.raises(InvalidInputError, match=r"`n` must be non-negative \(index 0: -1\)"):
        as_int_array([-1, 2], "n", non_negative=True)


def test_as_str_array() -> None:
    with pytest.raises(
        InvalidInputError, match=r"`id` must not hold empty strings \(index 1: ''\)"
    ):
        as_str_array(["a", ""], "id")
    with pytest.raises(
        InvalidInputError, match=r"`id` must not hold missing values \(index 0: None\)"
    ):
        as_str_array([None, "a"], "id")


def test_as_datetime_array() -> None:
    out = as_datetime_array([dt.datetime(2026, 1, 2, 3, 4, 5), "2026-01-03"], "ts")
    assert out.dtype == np.dtype("datetime64[s]")
    with pytest.raises(
        InvalidInputError, match=r"`ts` must hold ISO 8601 timestamps \(index 1: 'soon'\)"
    ):
        as_datetime_array(["2026-01-01", "soon"], "ts")
    with pytest.raises(InvalidInputError, match=r"`ts` must not hold missing timestamps \(NaT\)"):
        as_datetime_array(np.array(["2026-01-01", "NaT"], dtype="datetime64[D]"), "ts")
    with pytest.raises(InvalidInputError, match=r"`ts` must hold datetime64 values"):
        as_datetime_array([1, 2], "ts")


def test_check_equal_length() -> None:
    assert check_equal_length({"a": [1, 2], "b": [3, 4]}) == 2
    assert check_equal_length({}) == 0
    with pytest.raises(InvalidInputError, match=r"`b` must have the same length as `a` \(1 != 2\)"):
        check_equal_length({"a": [1, 2], "b": [3]})


def test_check_not_greater_names_the_customer() -> None:
    recency = np.zeros(20)
    recency[17] = 41.0
    with pytest.raises(
        InvalidInputError, match=r"`recency` must not exceed `T` \(customer 17: 41.0 > 39.0\)"
    ):
        check_not_greater(recency, "recency", np.full(20, 39.0), "T", label="customer")


def test_check_in_range() -> None:
    check_in_range(np.array([0, 10]), "score", low=0, high=10)
    with pytest.raises(InvalidInputError, match=r"`score` must lie in \[0, 10\] \(index 0: -1\)"):
        check_in_range(np.array([-1, 10]), "score", low=0, high=10)


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("a", {}, r"`x` must be a real number \(got 'a'\)"),
        (True, {}, r"`x` must be a real number \(got True\)"),
        (float("nan"), {}, r"`x` must be finite \(got nan\)"),
        (2.5, {"integer": True}, r"`x` must be a whole number \(got 2.5\)"),
        (0, {"low": 0, "low_inclusive": False}, r"`x` must lie in \(0, inf\] \(got 0\)"),
        (5, {"high": 4}, r"`x` must lie in \[-inf, 4\] \(got 5\)"),
    ],
)
def test_check_number_messages(value: object, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_number(value, "x", **kwargs)  # type: ignore[arg-type]


def test_to_enum() -> None:
    assert to_enum(Colour, "Dark_Blue", "colour") is Colour.DARK_BLUE
    assert to_enum(Colour, Colour.RED, "colour") is Colour.RED
    with pytest.raises(InvalidInputError, match=r"one of 'red', 'dark_blue' \(got 3\)"):
        to_enum(Colour, 3, "colour")


def test_to_enum_array() -> None:
    out = to_enum_array(np.array(["RED", "dark_blue"]), Colour, "colour")
    assert out.tolist() == ["red", "dark_blue"]
    assert to_enum_array([], Colour, "colour").shape == (0,)
    with pytest.raises(InvalidInputError, match=r"\(index 2: 'green'\)"):
        to_enum_array(["red", "red", "green"], Colour, "colour")


def test_time_units() -> None:
    assert check_time_unit("h") == "h"
    with pytest.raises(
        InvalidInputError, match=r"`time_unit` must be one of 's', 'm', 'h', 'D', 'W'"
    ):
        check_time_unit("Y")
    delta = np.array([90], dtype="timedelta64[m]")
    np.testing.assert_allclose(to_duration(delta, "h"), [1.5])


@given(hnp.arrays(np.float64, st.integers(0, 50), elements=st.floats(allow_nan=True)))
def test_as_float_array_never_returns_non_finite(values: np.ndarray) -> None:
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        with pytest.raises(InvalidInputError, match=rf"must be finite \(index {bad[0]}: "):
            as_float_array(values, "x")
    else:
        np.testing.assert_array_equal(as_float_array(values, "x"), values)


@given(st.lists(st.sampled_from(["red", "RED", "dark_blue", "Dark_Blue", "blue"]), max_size=30))
def test_to_enum_array_maps_or_names_the_first_bad(values: list[str]) -> None:
    if "blue" in values:
        with pytest.raises(InvalidInputError, match=rf"\(index {values.index('blue')}: 'blue'\)"):
            to_enum_array(values, Colour, "colour")
    else:
        out = to_enum_array(values, Colour, "colour")
        assert out.tolist() == [v.lower() for v in values]
