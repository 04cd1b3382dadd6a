"""BusinessCalendar against a minute-by-minute loop oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.sla import BusinessCalendar

CAL = BusinessCalendar(opens="08:30", closes="17:00", holidays=["2025-12-25", "2026-01-01"])


def loop_hours(cal, start, end):
    """Count open minutes one by one (obviously correct, slow)."""
    t = np.datetime64(start, "m")
    stop = np.datetime64(end, "m")
    minutes = 0
    holidays = {np.datetime64(h, "D") for h in cal.holidays}
    while t < stop:
        day = t.astype("datetime64[D]")
        weekday = int((day.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday
        hour = (t - day) / np.timedelta64(1, "h")
        if cal.weekmask[weekday] == "1" and day not in holidays and cal.opens <= hour < cal.closes:
            minutes += 1
        t += np.timedelta64(1, "m")
    return minutes / 60


@settings(max_examples=25, deadline=None)
@given(a=st.integers(0, 20 * 24 * 60), length=st.integers(0, 6 * 24 * 60))
def test_duration_matches_minute_loop(a, length):
    base = np.datetime64("2025-12-18T00:00", "m")
    start = base + np.timedelta64(a, "m")
    end = start + np.timedelta64(length, "m")
    got = CAL.duration([start], [end], time_unit="h")[0]
    assert got == pytest.approx(loop_hours(CAL, start, end), abs=1e-9)


def test_weekend_and_holiday():
    cal = BusinessCalendar(weekmask="Mon Tue Wed Thu Fri", opens=8, closes=18)
    assert cal.duration(["2025-12-05T16:00"], ["2025-12-08T10:00"]).tolist() == [4.0]
    assert cal.hours_per_day == 10.0
    assert CAL.is_open(["2025-12-25T10:00", "2025-12-24T10:00"]).tolist() == [False, True]


def test_units_and_round_trip():
    hours = CAL.duration(["2025-12-01T09:00"], ["2025-12-02T09:00"], time_unit="h")
    minutes = CAL.duration(["2025-12-01T09:00"], ["2025-12-02T09:00"], time_unit="m")
    assert minutes[0] == pytest.approx(hours[0] * 60)
    assert BusinessCalendar.from_dict(CAL.to_dict()) == CAL


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weekmask": "0000000"}, r"`weekmask` must have at least one working day"),
        ({"weekmask": "Mon Funday"}, r"`weekmask` must be seven 0/1 characters"),
        ({"opens": "18:00", "closes": "08:00"}, r"`opens` must be earlier than `closes`"),
        ({"opens": "8am"}, r"`opens` must be a time 'HH:MM'"),
        ({"closes": 25}, r"`closes` must lie in \[0, 24\] hours \(got 25\)"),
        ({"holidays": ["2025-13-45"]}, r"`holidays` must hold ISO 8601 timestamps"),
    ],
)
def test_bad_calendar(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        BusinessCalendar(**kwargs)


def test_end_before_start():
    with pytest.raises(InvalidInputError, match=r"`start` must not exceed `end` \(index 0"):
        CAL.duration(["2025-12-02"], ["2025-12-01"])
