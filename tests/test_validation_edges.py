"""Edge inputs of the shared checks: every one refused with custcentric's own message.

The suite turns every warning into an error, so each test here also proves that no NumPy
warning (RuntimeWarning, ComplexWarning, UserWarning) leaks out.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric._validation import (
    MAX_TEXT_LENGTH,
    as_datetime_array,
    as_float_array,
    as_int_array,
    as_str_array,
    is_missing,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables import TransactionLog
from custcentric.tables._columns import as_id_array, as_optional_text

# -- as_int_array: range and finiteness before any cast ---------------------------------------


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1.0, 1e308], "1e+308"),
        ([1.0, 2.0**63], "9.223372036854776e+18"),
        ([1.0, -1e19], "-1e+19"),
        (np.array([1, 2**64 - 1], dtype=np.uint64), "18446744073709551615"),
        (np.array([1, 2**63], dtype=np.uint64), "9223372036854775808"),
        ([1, 2**70], "1180591620717411303424"),
    ],
)
def test_as_int_array_refuses_values_outside_int64(values: object, shown: str) -> None:
    with pytest.raises(
        InvalidInputError,
        match=rf"`n` must lie within the int64 range \(index 1: {re.escape(shown)}\)\.",
    ):
        as_int_array(values, "n")  # type: ignore[arg-type]


def test_as_int_array_refuses_infinity_and_keeps_the_int64_edges() -> None:
    with pytest.raises(InvalidInputError, match=r"`n` must be finite \(index 0: inf\)"):
        as_int_array([np.inf], "n")
    edges = as_int_array([-(2.0**63), 2.0**62], "n")
    assert edges.tolist() == [-(2**63), 2**62]
    assert as_int_array(np.array([2**63 - 1], dtype=np.uint64), "n").tolist() == [2**63 - 1]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20))
def test_as_int_array_returns_the_same_numbers_or_refuses(values: list[float]) -> None:
    finite = [math.isfinite(v) for v in values]
    ok = [
        f and -(2.0**63) <= v < 2.0**63 and v == round(v)
        for f, v in zip(finite, values, strict=True)
    ]
    first_bad = finite.index(False) if not all(finite) else ok.index(False) if not all(ok) else 0
    if all(ok):
        out = as_int_array(values, "n")
        assert out.dtype == np.int64
        assert [float(v) for v in out] == values
    else:
        with pytest.raises(InvalidInputError, match=rf"\(index {first_bad}: "):
            as_int_array(values, "n")


# -- as_float_array: complex, booleans, None ---------------------------------------------------


def test_as_float_array_refuses_complex() -> None:
    with pytest.raises(InvalidInputError, match=r"`x` must hold real numbers \(got dtype complex"):
        as_float_array(np.array([1 + 0j, 2 + 1j]), "x")
    with pytest.raises(
        InvalidInputError,
        match=r"`x` must hold real numbers, not complex ones \(index 1: \(1\+2j\)\)",
    ):
        as_float_array(np.array([1.0, 1 + 2j], dtype=object), "x")
    with pytest.raises(InvalidInputError, match=r"not complex ones \(index 0: 0j\)"):
        as_float_array(np.array([0j, 1.0], dtype=object), "x")


def test_as_float_array_refuses_booleans() -> None:
    with pytest.raises(InvalidInputError, match=r"got dtype bool\)\. Booleans are refused"):
        as_float_array(np.array([True, False]), "x")
    with pytest.raises(InvalidInputError, match=r"`x` must hold numbers \(index 1: True\)"):
        as_float_array(np.array([2.0, True], dtype=object), "x")
    with pytest.raises(InvalidInputError, match=r"`x` must hold numbers \(index 0: False\)"):
        as_float_array(np.array([np.False_, 3], dtype=object), "x")


def test_as_float_array_names_none_in_object_arrays() -> None:
    with pytest.raises(InvalidInputError, match=r"`x` must hold numbers \(index 2: None\)"):
        as_float_array(np.array([1.0, 2, None], dtype=object), "x")
    out = as_float_array(np.array([0, 1, 1.0, np.float32(0.5)], dtype=object), "x")
    assert out.tolist() == [0.0, 1.0, 1.0, 0.5]


# -- missing values in text and id columns -----------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "shown"),
    [
        (None, "None"),
        (float("nan"), "nan"),
        (np.float64("nan"), "nan"),
        (pd.NA, "<NA>"),
        (pd.NaT, "NaT"),
        (np.datetime64("NaT"), "NaT"),
    ],
)
def test_text_and_id_columns_refuse_missing_values(marker: object, shown: str) -> None:
    values = np.array(["a", "b", marker], dtype=object)
    message = rf"`id` must not hold missing values \(index 2: {shown}\)"
    with pytest.raises(InvalidInputError, match=message):
        as_str_array(values, "id")
    with pytest.raises(InvalidInputError, match=message):
        as_id_array(values, "id")
    with pytest.raises(InvalidInputError, match=message):
        as_id_array(["a", "b", marker], "id")
    assert as_optional_text(values, "id", 3).tolist() == ["a", "b", ""]


def test_the_text_nan_is_a_valid_id() -> None:
    assert as_str_array(["nan", "None", "NaT"], "id").tolist() == ["nan", "None", "NaT"]
    assert not is_missing("nan")


def test_numeric_id_columns_refuse_nan_and_keep_int64() -> None:
    with pytest.raises(
        InvalidInputError, match=r"`id` must not hold missing values \(index 1: nan\)"
    ):
        as_id_array(np.array([1.0, np.nan]), "id")
    with pytest.raises(
        InvalidInputError, match=r"`id` must not hold missing values \(index 1: nan\)"
    ):
        as_id_array(np.array([1, np.nan], dtype=object), "id")
    with pytest.raises(
        InvalidInputError, match=r"must hold integers or strings \(got dtype float64\)"
    ):
        as_id_array(np.array([1.0, 2.0]), "id")
    assert as_id_array([3, 1], "id").dtype == np.int64
    assert as_id_array(np.array([3, 1], dtype=object), "id").dtype == np.int64


def _frame(customer_id: object, timestamp: object = None) -> pd.DataFrame:
    if timestamp is None:
        timestamp = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])
    return pd.DataFrame(
        {"customer_id": customer_id, "timestamp": timestamp, "amount": [1.0, 2.0, 3.0]}
    )


@pytest.mark.parametrize(
    "ids",
    [
        ["a", "b", None],
        pd.array(["a", "b", None], dtype="string"),
        np.array(["a", "b", np.nan], dtype=object),
        pd.array([1, 2, None], dtype="Int64"),
        [1.0, 2.0, np.nan],
    ],
)
def test_from_pandas_refuses_a_missing_id_naming_the_row(ids: object) -> None:
    with pytest.raises(
        InvalidInputError, match=r"`customer_id` must not hold missing values \(index 2: "
    ):
        TransactionLog.from_pandas(_frame(ids))


def test_from_pandas_keeps_int_ids_and_text_ids() -> None:
    assert TransactionLog.from_pandas(_frame([3, 1, 2])).customer_id.dtype == np.int64
    log = TransactionLog.from_pandas(_frame(pd.array(["a", "b", "c"], dtype="string")))
    assert log.customer_id.tolist() == ["a", "b", "c"]


# -- very long strings -------------------------------------------------------------------------


def test_long_text_is_refused_before_widening() -> None:
    long = "x" * (MAX_TEXT_LENGTH + 1)
    message = rf"must hold text of at most {MAX_TEXT_LENGTH} characters \(index 2: {MAX_TEXT_LENGTH + 1} characters\)"
    with pytest.raises(InvalidInputError, match=message):
        as_str_array(["a", "b", long], "id")
    with pytest.raises(InvalidInputError, match=message):
        as_str_array(np.array(["a", "b", long], dtype=object), "id")
    with pytest.raises(InvalidInputError, match=message):
        as_str_array(np.array(["a", "b", long]), "id")
    with pytest.raises(InvalidInputError, match=message):
        as_id_array(["a", "b", long], "id")
    with pytest.raises(InvalidInputError, match=message):
        as_optional_text(["a", "b", long], "id", 3)


def test_text_at_the_bound_is_accepted() -> None:
    at_bound = "y" * MAX_TEXT_LENGTH
    assert as_str_array(["a", at_bound], "id").dtype == np.dtype(f"<U{MAX_TEXT_LENGTH}")


# -- datetimes: time zones and sub-second parts ------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-01T10:00Z",
        "2026-01-01T10:00:00+02:00",
        "2026-01-01T10:00:00-0500",
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        pd.Timestamp("2026-01-01", tz="Europe/Paris"),
    ],
)
def test_as_datetime_array_refuses_time_zones(value: object) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"`ts` must hold time-zone-naive timestamps; convert aware values to naive UTC"
        r".* \(index 1: ",
    ):
        as_datetime_array(np.array(["2026-01-01", value], dtype=object), "ts")


@pytest.mark.parametrize(
    "values",
    [
        np.array(["2026-01-01T00:00:00", "2026-01-01T00:00:00.250"], dtype="datetime64[ms]"),
        np.array(["2026-01-01", "2026-01-01T00:00:00.000000001"], dtype="datetime64[ns]"),
        ["2026-01-01", "2026-01-01T00:00:00.5"],
        [dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, 0, 0, 0, 1)],
    ],
)
def test_as_datetime_array_refuses_sub_second_parts(values: object) -> None:
    with pytest.raises(
        InvalidInputError, match=r"`ts` must not have a part finer than whole s.* \(index 1: "
    ):
        as_datetime_array(values, "ts")  # type: ignore[arg-type]


def test_as_datetime_array_accepts_whole_seconds_at_any_unit() -> None:
    fine = np.array(["2026-01-01T00:00:01", "NaT"], dtype="datetime64[ns]")[:1]
    assert as_datetime_array(fine, "ts").tolist() == [dt.datetime(2026, 1, 1, 0, 0, 1)]
    zero_fraction = as_datetime_array(["2026-01-01T00:00:01.000"], "ts")
    assert zero_fraction.tolist() == [dt.datetime(2026, 1, 1, 0, 0, 1)]
    as_object = np.array(["2026-01-01", "2026-01-01T00:00:00.5"], dtype=object)
    with pytest.raises(InvalidInputError, match=r"finer than whole s.*\(index 1: "):
        as_datetime_array(as_object, "ts")
    days = as_datetime_array(["2026-01-01T10:30"], "day", unit="D")
    assert days.tolist() == [dt.date(2026, 1, 1)]


def test_from_pandas_refuses_aware_and_sub_second_timestamps() -> None:
    aware = pd.to_datetime(["2024-01-01"] * 3).tz_localize("Europe/Paris")
    with pytest.raises(
        InvalidInputError, match=r"`timestamp` must hold time-zone-naive timestamps.*\(index 0: "
    ):
        TransactionLog.from_pandas(_frame([1, 2, 3], aware))
    sub = pd.to_datetime(["2024-01-01", "2024-01-01 00:00:00.5", "2024-01-02"], format="ISO8601")
    with pytest.raises(InvalidInputError, match=r"finer than whole s.*\(index 1: "):
        TransactionLog.from_pandas(_frame([1, 2, 3], sub))


def test_from_pandas_keeps_far_dates_beyond_the_nanosecond_range() -> None:
    far = pd.Series(np.array(["2300-01-01", "2301-01-01", "2302-01-01"], dtype="datetime64[s]"))
    log = TransactionLog.from_pandas(_frame([1, 2, 3], far))
    assert str(log.timestamp[0]) == "2300-01-01T00:00:00"


# --- check_number refuses text; as_rng checks seeds -----------------------------------------


@pytest.mark.parametrize("value", ["3", "3.0", b"3", np.str_("3"), np.array("3")])
def test_check_number_refuses_numeric_text(value: object) -> None:
    # Before: "3" was parsed and accepted as 3.0.
    from custcentric._validation import check_number

    with pytest.raises(InvalidInputError, match=r"`n` must be a real number \(got "):
        check_number(value, "n")


def test_check_number_still_takes_numpy_and_python_numbers() -> None:
    from custcentric._validation import check_number

    assert check_number(np.int64(3), "n", integer=True) == 3.0
    assert check_number(np.float32(0.5), "n") == 0.5
    assert check_number(np.array(2.0), "n") == 2.0


@pytest.mark.parametrize(
    "seed",
    [-1, 1.5, 2.0, math.nan, math.inf, -math.inf, 1e308, 1j, "abc", "3", True, [1, 2], object()],
)
def test_as_rng_refuses_bad_seeds(seed: object) -> None:
    from custcentric._validation import as_rng

    with pytest.raises(InvalidInputError, match=r"^`rng` must be None, a whole-number seed"):
        as_rng(seed)


def test_as_rng_accepts_seeds_generators_and_none() -> None:
    from custcentric._validation import as_rng

    gen = np.random.default_rng(5)
    assert as_rng(gen) is gen
    assert as_rng(0).integers(1000) == np.random.default_rng(0).integers(1000)
    assert as_rng(np.int64(7)).integers(1000) == np.random.default_rng(7).integers(1000)
    assert as_rng(2**62).integers(1000) == np.random.default_rng(2**62).integers(1000)
    seq = np.random.SeedSequence(3)
    assert as_rng(seq).integers(1000) == np.random.default_rng(np.random.SeedSequence(3)).integers(
        1000
    )
    assert isinstance(as_rng(None), np.random.Generator)
    assert isinstance(as_rng(np.random.PCG64(1)), np.random.Generator)
    with pytest.raises(InvalidInputError, match=r"^`seed` must be None"):
        as_rng(-3, "seed")
