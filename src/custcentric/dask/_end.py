"""The end of an observation period: a whole named day, or an instant (as the tables read it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import as_datetime_array

__all__ = ["End", "as_end", "days_per_unit"]


@attrs.frozen
class End:
    """A date covers the whole named day; any other value is an instant, covered inclusively."""

    instant: np.datetime64  # datetime64[s]; midnight of the day for a date
    whole_day: bool

    @property
    def day(self) -> int:
        """The calendar day (days since 1970-01-01) that ``T`` is counted to."""
        return int(self.instant.astype("datetime64[D]").astype(np.int64))

    def covers(self, timestamp: Any) -> Any:
        """Whether each timestamp (an ndarray of datetime64) lies in the period."""
        if self.whole_day:
            return timestamp < np.datetime64(self.day + 1, "D")
        return timestamp <= self.instant


def _is_date(value: Any) -> bool:
    if isinstance(value, np.datetime64):
        return np.datetime_data(value.dtype)[0] == "D"
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str):
        try:
            parsed = np.datetime64(value)
        except ValueError:
            return False
        return np.datetime_data(parsed.dtype)[0] == "D"
    return False


def as_end(value: Any, name: str) -> End:
    """Return the checked end (NaT and unparsable values refused, naming ``name``)."""
    instant: np.datetime64 = as_datetime_array([value], name)[0]
    return End(instant=instant, whole_day=_is_date(value))


def days_per_unit(time_unit: str) -> float:
    """How many days one ``time_unit`` lasts."""
    return SECONDS_PER_UNIT[check_time_unit(time_unit)] / 86400.0
