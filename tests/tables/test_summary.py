"""TransactionLog.summary / calibration_holdout against a loop oracle and the CDNOW summary."""

from __future__ import annotations

import csv
import datetime
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.tables import CustomerSummary, TransactionLog

DATA = Path(__file__).resolve().parents[2] / "src" / "custcentric" / "datasets" / "data" / "cdnow"
BASE = np.datetime64("2024-01-01T00:00:00", "s")


def oracle(ids, times, amounts, end, unit_days, after=None):
    """Slow, obviously correct: a dict of day totals per customer."""
    days: dict[object, dict[np.datetime64, float]] = defaultdict(lambda: defaultdict(float))
    for c, t, a in zip(ids, times, amounts, strict=True):
        if t <= end and (after is None or t > after):
            days[c][t.astype("datetime64[D]")] += a
    end_d = end.astype("datetime64[D]")
    out = {}
    for c in sorted(days):
        ds = sorted(days[c])
        x = len(ds) - 1
        repeat = [days[c][d] for d in ds[1:]]
        out[c] = (
            x,
            (ds[-1] - ds[0]).astype(int) / unit_days,
            (end_d - ds[0]).astype(int) / unit_days,
            sum(repeat) / x if x else 0.0,
            len(ds),
            sum(days[c].values()) / len(ds),
        )
    return out


@st.composite
def logs(draw):
    n = draw(st.integers(0, 40))
    str_ids = draw(st.booleans())
    pool = draw(st.lists(st.integers(-5, 10**6), min_size=1, max_size=6, unique=True))
    ids = [draw(st.sampled_from(pool)) for _ in range(n)]
    if str_ids:
        ids = [f"c{i}" for i in ids]
    offsets = [draw(st.integers(0, 60 * 86400)) for _ in range(n)]
    # force same-day repeats
    offsets = [o - o % 86400 if k % 3 == 0 else o for k, o in enumerate(offsets)]
    amounts = [draw(st.floats(0, 1000, allow_nan=False)) for _ in range(n)]
    times = [BASE + np.timedelta64(o, "s") for o in offsets]
    end = BASE + np.timedelta64(draw(st.integers(0, 60 * 86400)), "s")
    return ids, times, amounts, end


@settings(max_examples=150, deadline=None)
@given(logs(), st.sampled_from(["D", "W", "h"]))
def test_summary_matches_loop_oracle(data, unit):
    ids, times, amounts, end = data
    unit_days = {"D": 1.0, "W": 7.0, "h": 1 / 24}[unit]
    log = TransactionLog.from_arrays(
        np.array(ids) if ids else np.array([], dtype=np.int64),
        np.array(times, dtype="datetime64[s]"),
        np.array(amounts, dtype=float),
    )
    if times and end < min(times):  # no customer would be left: refused
        with pytest.raises(InvalidInputError, match="must not fall before the first"):
            log.summary(end, time_unit=unit)
        return
    s = log.summary(end, time_unit=unit)
    expected = oracle(ids, times, amounts, end, unit_days)
    assert s.customer_id.tolist() == list(expected)
    assert s.frequency.tolist() == [v[0] for v in expected.values()]
    np.testing.assert_allclose(s.recency, [v[1] for v in expected.values()])
    np.testing.assert_allclose(s.T, [v[2] for v in expected.values()])
    np.testing.assert_allclose(s.monetary, [v[3] for v in expected.values()], rtol=1e-9)
    assert s.time_unit == unit
    assert s.observation_end == end


@settings(max_examples=100, deadline=None)
@given(logs(), st.integers(0, 60 * 86400))
def test_calibration_holdout_matches_loop_oracle(data, cal_offset):
    ids, times, amounts, end = data
    cal = min(BASE + np.timedelta64(cal_offset, "s"), end)
    log = TransactionLog.from_arrays(
        np.array(ids) if ids else np.array([], dtype=np.int64),
        np.array(times, dtype="datetime64[s]"),
        np.array(amounts, dtype=float),
    )
    if times and cal < min(times):  # no customer would be left: refused
        with pytest.raises(InvalidInputError, match=r"`calibration_end` .* must not fall before"):
            log.calibration_holdout(cal, end)
        return
    split = log.calibration_holdout(cal, end)
    calib = oracle(ids, times, amounts, cal, 1.0)
    hold = oracle(ids, times, amounts, end, 1.0, after=cal)
    assert split.calibration.customer_id.tolist() == list(calib)
    assert split.frequency_holdout.tolist() == [hold[c][4] if c in hold else 0 for c in calib]
    np.testing.assert_allclose(
        split.monetary_holdout, [hold[c][5] if c in hold else 0.0 for c in calib], rtol=1e-9
    )
    cal_d, end_d = cal.astype("datetime64[D]"), end.astype("datetime64[D]")
    assert split.duration_holdout == float((end_d - cal_d).astype(int))
    assert len(split) == len(calib)


def test_summary_counts_same_day_purchases_once():
    log = TransactionLog.from_arrays(
        [1, 1, 1], ["2024-01-01T09:00", "2024-01-01T18:00", "2024-01-02"], [1.0, 2.0, 4.0]
    )
    s = log.summary("2024-01-03")
    assert s.frequency.tolist() == [1]
    assert s.monetary.tolist() == [4.0]


def test_summary_excludes_purchases_after_observation_end():
    log = TransactionLog.from_arrays(
        [1, 1, 2], ["2024-01-01", "2024-02-01", "2024-03-01"], [1, 2, 3]
    )
    s = log.summary("2024-01-31")
    assert s.customer_id.tolist() == [1]
    assert s.frequency.tolist() == [0]
    assert s.T.tolist() == [30.0]


def test_summary_large_int_ids_fall_back_to_unique():
    ids = np.array([2**62, -(2**62), 2**62])
    log = TransactionLog.from_arrays(ids, ["2024-01-01", "2024-01-01", "2024-01-05"], [1, 2, 3])
    s = log.summary("2024-01-05")
    assert s.customer_id.tolist() == [-(2**62), 2**62]
    assert s.frequency.tolist() == [0, 1]


def test_summary_rejects_bad_arguments():
    log = TransactionLog.from_arrays([1], ["2024-01-01"], [1.0])
    with pytest.raises(InvalidInputError, match="`time_unit` must be one of"):
        log.summary("2024-02-01", time_unit="Y")
    with pytest.raises(InvalidInputError, match="`observation_end` must not hold missing"):
        log.summary(np.datetime64("NaT"))
    with pytest.raises(InvalidInputError, match="`calibration_end` must not exceed"):
        log.calibration_holdout("2024-03-01", "2024-02-01")


def _load_cdnow_sample() -> TransactionLog:
    raw = np.loadtxt(DATA / "CDNOW_sample.txt", dtype=str)
    dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in raw[:, 2]], dtype="datetime64[s]")
    return TransactionLog.from_arrays(raw[:, 1].astype(np.int64), dates, raw[:, 4].astype(float))


def test_summary_reproduces_published_cdnow_summary():
    # Fader, Hardie & Lee (2005); cdnow_customers_summary.csv from the lifetimes package:
    # 39 weeks to 1997-09-30 (counted as 1997-09-30 00:00, so T of customer 1 is 272/7).
    log = _load_cdnow_sample()
    s = log.summary(np.datetime64("1997-09-30"), time_unit="W")
    with open(DATA / "cdnow_customers_summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert s.customer_id.tolist() == [int(r["ID"]) for r in rows]
    assert s.frequency.tolist() == [int(r["frequency"]) for r in rows]
    np.testing.assert_allclose(
        s.recency, [float(r["recency"]) for r in rows], rtol=0, atol=0.005 + 1e-9
    )
    np.testing.assert_allclose(s.T, [float(r["T"]) for r in rows], rtol=0, atol=0.005 + 1e-9)
    assert s.T[0] == pytest.approx(272 / 7)


def test_read_csv_whitespace_reproduces_cdnow(tmp_path):
    text = (DATA / "CDNOW_sample.txt").read_text()
    path = tmp_path / "cdnow.txt"
    path.write_text("master sample date n_cds value\n" + text)
    log = TransactionLog.read_csv(
        path,
        delimiter=None,
        date_format="%Y%m%d",
        columns={"customer_id": "sample", "timestamp": "date", "amount": "value"},
        ids="int",
    )
    reference = _load_cdnow_sample()
    np.testing.assert_array_equal(log.customer_id, reference.customer_id)
    np.testing.assert_array_equal(log.timestamp, reference.timestamp)
    np.testing.assert_array_equal(log.amount, reference.amount)


def test_customer_summary_validation_and_readonly():
    with pytest.raises(
        InvalidInputError, match=r"`frequency` must be non-negative \(index 1: -1\)"
    ):
        CustomerSummary.from_arrays([1, 2], [0, -1], [0.0, 0.0], [1.0, 1.0])
    with pytest.raises(InvalidInputError, match=r"`frequency` must hold whole numbers"):
        CustomerSummary.from_arrays([1], [0.5], [0.0], [1.0])
    with pytest.raises(InvalidInputError, match=r"`recency` must not exceed `T` \(index 0"):
        CustomerSummary.from_arrays([1], [1], [2.0], [1.0])
    with pytest.raises(InvalidInputError, match=r"`monetary` must be non-negative \(index 0"):
        CustomerSummary.from_arrays([1], [1], [0.0], [1.0], [-3.0])
    with pytest.raises(InvalidInputError, match=r"`T` must be finite \(index 0: nan\)"):
        CustomerSummary.from_arrays([1], [1], [0.0], [np.nan])
    with pytest.raises(InvalidInputError, match=r"`recency` must have the same length"):
        CustomerSummary.from_arrays([1, 2], [1, 1], [0.0], [1.0, 1.0])
    s = CustomerSummary.from_arrays(["a"], [1], [0.0], [1.0], observation_end="2024-01-01")
    for name in ("customer_id", "frequency", "recency", "T", "monetary"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(s, name)[0] = getattr(s, name)[0]
    assert "1 customers" in str(s)


def test_customer_summary_read_csv_and_pandas(tmp_path):
    path = DATA / "cdnow_customers_summary.csv"
    s = CustomerSummary.read_csv(path, columns={"customer_id": "ID"}, time_unit="W", ids="int")
    assert len(s) == 2357
    assert s.customer_id.dtype == np.int64
    pd = pytest.importorskip("pandas")
    frame = s.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    back = CustomerSummary.from_pandas(frame, time_unit="W")
    np.testing.assert_array_equal(back.T, s.T)
    np.testing.assert_array_equal(back.customer_id, s.customer_id)


def test_customer_summary_refuses_a_repeated_customer():
    with pytest.raises(
        InvalidInputError,
        match=re.escape("`customer_id` must not repeat a customer (index 2: 'a')."),
    ):
        CustomerSummary.from_arrays(["a", "b", "a"], [0, 1, 2], [0.0, 1.0, 2.0], [3.0, 3.0, 3.0])


def _end_day_log() -> TransactionLog:
    return TransactionLog.from_arrays(
        [1, 1, 1, 2, 3],
        [
            "2025-06-01T10:00",
            "2025-06-15T09:00",
            "2025-06-30T14:00",
            "2025-06-30T08:00",
            "2025-07-01T00:00",
        ],
        [10.0, 20.0, 30.0, 5.0, 7.0],
    )


@pytest.mark.parametrize(
    "end",
    [
        "2025-06-30",
        np.datetime64("2025-06-30"),
        datetime.date(2025, 6, 30),
    ],
)
def test_summary_date_end_includes_the_whole_day_like_lifetimes(end):
    # Hand-computed with lifetimes' convention (summary_data_from_transaction_data,
    # freq="D"): times floored to the day, days <= observation_period_end kept, and
    # T = observation day - first purchase day. Customer 1 buys on 1, 15 and 30 June:
    # frequency 2, recency 29, T 29, monetary (20 + 30) / 2; customer 2 first buys on
    # the observation day (T = 0); customer 3 only on 1 July (left out).
    s = _end_day_log().summary(end)
    assert s.customer_id.tolist() == [1, 2]
    assert s.frequency.tolist() == [2, 0]
    assert s.recency.tolist() == [29.0, 0.0]
    assert s.T.tolist() == [29.0, 0.0]
    assert s.monetary.tolist() == [25.0, 0.0]
    assert s.observation_end == np.datetime64("2025-06-30T00:00:00")
    weeks = _end_day_log().summary(end, time_unit="W")
    np.testing.assert_allclose(weeks.T, [29 / 7, 0.0])


def test_summary_date_end_keeps_every_order_of_the_last_day():
    stamps = np.datetime64("2025-06-30T08:00", "s") + np.arange(50) * np.timedelta64(10, "m")
    log = TransactionLog.from_arrays(
        np.r_[np.arange(50), 0], np.r_[stamps, np.datetime64("2025-06-01", "s")], np.ones(51)
    )
    s = log.summary("2025-06-30")
    assert len(s) == 50
    assert s.frequency.tolist() == [1] + [0] * 49


def test_summary_instant_end_stops_at_the_instant():
    s = _end_day_log().summary("2025-06-30T12:00")
    assert s.customer_id.tolist() == [1, 2]
    assert s.frequency.tolist() == [1, 0]
    assert s.T.tolist() == [29.0, 0.0]
    midnight = _end_day_log().summary(np.datetime64("2025-06-30T00:00:00"))
    assert midnight.customer_id.tolist() == [1]  # an instant, even at midnight


def test_calibration_holdout_date_end_puts_the_whole_day_in_calibration():
    log = TransactionLog.from_arrays(
        [1, 1, 1, 1],
        ["2025-06-01", "2025-06-15T09:00", "2025-06-20", "2025-06-30T22:00"],
        [1.0, 2.0, 4.0, 8.0],
    )
    split = log.calibration_holdout("2025-06-15", "2025-06-30")
    assert split.calibration.frequency.tolist() == [1]
    assert split.calibration.T.tolist() == [14.0]
    assert split.frequency_holdout.tolist() == [2]
    assert split.monetary_holdout.tolist() == [6.0]
    assert split.duration_holdout == 15.0


def test_summary_refuses_an_end_before_all_data():
    log = _end_day_log()
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            "`observation_end` (2025-05-31T00:00:00) must not fall before the first "
            "transaction (2025-06-01T10:00:00)"
        ),
    ):
        log.summary("2025-05-31")
    with pytest.raises(InvalidInputError, match=r"`observation_end` .* must not fall before"):
        log.summary("2025-06-01T09:59")
    assert len(log.summary("2025-06-01")) == 1  # the first day itself is fine
    with pytest.raises(InvalidInputError, match=r"`calibration_end` .* must not fall before"):
        log.calibration_holdout("2025-05-01", "2025-06-30")


def test_summary_warns_about_an_end_long_after_the_data():
    from custcentric.exceptions import DegenerateDataWarning

    log = _end_day_log()
    with pytest.warns(DegenerateDataWarning, match=r"\(2027-01-01T00:00:00\) is 549 days after"):
        log.summary("2027-01-01")
    with pytest.warns(DegenerateDataWarning, match=r"`observation_end` .* days after the last"):
        log.calibration_holdout("2025-06-15", "2027-01-01")
    assert len(log.summary("2026-07-01")) == 3  # 365 days: no warning (errors are on)
