"""Cohort retention tables and churn / retention rates."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.metrics import RateResult, churn_rate, retention_curve, retention_rate


def _month_start(year: int, month: int, add: int) -> dt.datetime:
    index = year * 12 + (month - 1) + add
    return dt.datetime(index // 12, index % 12 + 1, 1)


def _monthly_oracle(starts, churns, end):
    """Loop oracle: for every cohort and age, count customers not churned before that month."""
    cohorts = sorted({(s.year, s.month) for s in starts})
    first = cohorts[0]
    n_ages = (end.year * 12 + end.month) - (first[0] * 12 + first[1]) + 1
    table = {}
    for year, month in cohorts:
        members = [i for i, s in enumerate(starts) if (s.year, s.month) == (year, month)]
        row = []
        for age in range(n_ages):
            begin = _month_start(year, month, age)
            if begin > end:
                row.append(None)
                continue
            row.append(sum(1 for i in members if churns[i] is None or churns[i] >= begin))
        table[(year, month)] = (len(members), row)
    return table


stamp = st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2024, 6, 30))


@settings(max_examples=50, deadline=None)
@given(
    customers=st.lists(
        st.tuples(stamp, st.none() | st.integers(0, 500 * 86400)), min_size=1, max_size=25
    )
)
def test_monthly_table_against_loop_oracle(customers) -> None:
    end = dt.datetime(2024, 12, 31, 23, 59)
    starts = [s.replace(microsecond=0) for s, _ in customers]
    churns = [
        None if gap is None else min(s + dt.timedelta(seconds=gap), end)
        for s, gap in zip(starts, [g for _, g in customers], strict=True)
    ]
    curve = retention_curve(
        np.array(starts, dtype="datetime64[s]"),
        np.array([c if c is not None else None for c in churns], dtype="datetime64[s]"),
        observation_end=np.datetime64(end, "s"),
    )
    expected = _monthly_oracle(starts, churns, end)
    assert curve.shape[0] == len(expected)
    for i, (key, (size, row)) in enumerate(sorted(expected.items())):
        assert str(curve.cohort[i]) == f"{key[0]:04d}-{key[1]:02d}-01"
        assert curve.n_customers[i] == size
        for age, value in enumerate(row):
            if value is None:
                assert not curve.observed[i, age]
                assert math.isnan(curve.retention[i, age])
            else:
                assert curve.observed[i, age]
                assert curve.active[i, age] == value
                assert curve.retention[i, age] == pytest.approx(value / size)
    # S_c(age) never rises, and starts at 1.
    assert np.all(curve.retention[:, 0] == 1.0)
    diffs = np.diff(np.where(curve.observed, curve.retention, 0.0), axis=1)
    assert np.all(diffs[curve.observed[:, 1:]] <= 1e-12)


def test_small_example_by_hand() -> None:
    curve = retention_curve(
        ["2024-01-05", "2024-01-20", "2024-01-31", "2024-02-03", "2024-02-10"],
        ["2024-01-25", "2024-03-02", None, "NaT", ""],
        observation_end="2024-03-31",
    )
    assert [str(c) for c in curve.cohort] == ["2024-01-01", "2024-02-01"]
    assert curve.n_customers.tolist() == [3, 2]
    assert curve.active.tolist() == [[3, 2, 2], [2, 2, 0]]
    assert curve.observed.tolist() == [[True, True, True], [True, True, False]]
    r = curve.period_retention()
    assert r[0].tolist() == pytest.approx([2 / 3, 1.0])
    assert r[1, 0] == 1.0
    assert math.isnan(r[1, 1])
    avg = curve.average()
    # Age 2: only the January cohort is old enough (2 of 3) - never averaged with a zero.
    assert avg["retention"].tolist() == pytest.approx([1.0, 4 / 5, 2 / 3])
    assert avg["n_customers"].tolist() == [5, 5, 3]
    assert avg["n_cohorts"].tolist() == [2, 2, 1]
    assert np.all(avg["low"] <= avg["retention"])
    assert np.all(avg["retention"] <= avg["high"])
    data = curve.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["retention"][1][2] is None
    frame = curve.to_pandas()
    assert frame.shape == (2, 4)
    assert "2024-01" in str(curve)


@pytest.mark.parametrize(
    ("period", "cohorts", "n_ages"),
    [
        ("D", ["2024-01-01", "2024-01-02"], 31),
        ("W", ["2023-12-25", "2024-01-01"], 5),  # 2024-01-01 was a Monday
        ("Q", ["2024-01-01"], 1),
        ("Y", ["2024-01-01"], 1),
    ],
)
def test_other_periods(period, cohorts, n_ages) -> None:
    curve = retention_curve(["2023-12-31", "2024-01-02"], [None, None], period=period,
                            observation_end="2024-01-31")  # fmt: skip
    if period in ("D", "W"):
        assert [str(c) for c in curve.cohort] == (
            ["2023-12-31", "2024-01-02"] if period == "D" else cohorts
        )
    else:
        assert [str(c) for c in curve.cohort] == (
            ["2023-10-01", "2024-01-01"] if period == "Q" else ["2023-01-01", "2024-01-01"]
        )
    assert curve.active[:, 0].tolist() == [1, 1]
    assert curve.period == period
    assert curve.shape[1] >= n_ages
    if period == "Q":
        assert str(curve).splitlines()[2].split()[0] == "2023Q4"


def test_default_observation_end_is_the_latest_timestamp() -> None:
    curve = retention_curve(["2024-01-05", "2024-03-01"], ["2024-02-01", None])
    assert str(curve.observation_end) == "2024-03-01T00:00:00"
    assert curve.shape == (2, 3)


def test_rates() -> None:
    # methods.md §4.2 Wilson vector, as a retention rate: 45 of 60 -> (0.6277, 0.8422).
    r = retention_rate([1] * 45 + [0] * 15)
    assert r.kind == "retention"
    ci = r.confidence_interval()
    assert (ci.low, ci.high) == pytest.approx((0.6277, 0.8422), abs=5e-5)
    c = churn_rate(np.array([True] * 15 + [False] * 45))
    assert c.rate == 0.25
    assert c.n_events == 15
    assert c.n == 60
    assert RateResult.from_counts(15, 60) == c
    wald = c.confidence_interval(method="wald")
    assert wald.low == pytest.approx(0.25 - 1.959964 * math.sqrt(0.25 * 0.75 / 60), abs=1e-6)
    weighted = churn_rate([1, 0], weights=[3, 1])
    assert weighted.rate == 0.75
    assert weighted.n_events == 3.0
    assert json.loads(json.dumps(c.to_dict())) == c.to_dict()
    assert str(c) == "churn rate 25.0 % (15 of 60 customers)"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: retention_curve(["2024-01-05"], ["2024-01-01"]),
            r"`churn_time` must not precede `cohort_start` \(index 0: 2024-01-01T00:00:00 < 2024-01-05T00:00:00\)\.",
        ),
        (
            lambda: retention_curve(["2024-01-05"], ["2024-02-01"], observation_end="2024-01-31"),
            r"`churn_time` must not be after `observation_end` \(index 0: 2024-02-01T00:00:00 > 2024-01-31T00:00:00\)\.",
        ),
        (
            lambda: retention_curve(
                ["2024-01-05", "2024-03-01"], [None, None], observation_end="2024-02-01"
            ),
            r"`cohort_start` must not be after `observation_end` \(index 1: ",
        ),
        (
            lambda: retention_curve(["2024-01-05"], ["soon"]),
            r"`churn_time` must hold ISO 8601 timestamps or NaT \(index 0: 'soon'\)\.",
        ),
        (
            lambda: retention_curve(["2024-01-05"], [3]),
            r"`churn_time` must hold datetime64 values, ISO 8601 strings or NaT \(got dtype int64\)\.",
        ),
        (
            lambda: retention_curve(["2024-01-05"], [None, None]),
            r"`churn_time` must have the same length as `cohort_start` \(2 != 1\)\.",
        ),
        (
            lambda: retention_curve(np.array([], dtype="datetime64[s]"), []),
            r"`cohort_start` must not be empty",
        ),
        (
            lambda: retention_curve(["NaT"], [None]),
            r"`cohort_start` must not hold missing timestamps \(NaT\) \(index 0: 'NaT'\)\.",
        ),
        (
            lambda: retention_curve(["2024-01-05"], [None], period="fortnight"),
            r"`period` must be one of 'D', 'W', 'M', 'Q', 'Y' \(got 'fortnight'\)\.",
        ),
        (lambda: churn_rate([0, 2]), r"`churned` must hold 0/1 or booleans \(index 1: 2\.0\)\."),
        (lambda: retention_rate([]), r"`retained` must not be empty"),
        (lambda: RateResult.from_counts(7, 5), r"`n_events` must lie in \[0, 5\] \(got 7\)\."),
        (
            lambda: RateResult.from_counts(1, 5, kind="loss"),
            r"`kind` must be one of 'churn', 'retention' \(got 'loss'\)\.",
        ),
    ],
)
def test_bad_input(call, match) -> None:
    with pytest.raises(InvalidInputError, match=match):
        call()
