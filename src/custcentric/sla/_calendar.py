"""``BusinessCalendar``: working days, holidays and opening hours, for business-time clocks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._deprecation import renamed_argument
from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import as_datetime_array, check_not_greater, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, TimeUnit

__all__ = ["BusinessCalendar", "clock_duration"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_ANCHOR = np.datetime64("1970-01-01", "D")


def _weekmask(value: object) -> str:
    """Normalise a weekmask to seven 0/1 characters, Monday first."""
    if isinstance(value, str):
        raw = value.strip()
        if re.fullmatch(r"[01]{7}", raw):
            mask = raw
        else:
            names = raw.replace(",", " ").split()
            unknown = [n for n in names if n.capitalize() not in _DAYS]
            if not names or unknown:
                msg = (
                    "`weekmask` must be seven 0/1 characters (Monday first) or day names "
                    f"such as 'Mon Tue Wed Thu Fri' (got {value!r})."
                )
                raise InvalidInputError(msg)
            chosen = {n.capitalize() for n in names}
            mask = "".join("1" if d in chosen else "0" for d in _DAYS)
    else:
        msg = f"`weekmask` must be a string such as '1111100' (got {fmt(value)})."
        raise InvalidInputError(msg)
    if "1" not in mask:
        msg = f"`weekmask` must have at least one working day (got {value!r})."
        raise InvalidInputError(msg)
    return mask


def _opens(value: object) -> float:
    return _hours(value, "opens")


def _closes(value: object) -> float:
    return _hours(value, "closes")


def _hours(value: object, name: str) -> float:
    if isinstance(value, str):
        match = _HHMM.fullmatch(value.strip())
        if match is None:
            msg = f"`{name}` must be a time 'HH:MM' or hours as a number (got {value!r})."
            raise InvalidInputError(msg)
        hours = int(match.group(1)) + int(match.group(2)) / 60.0
    elif isinstance(value, bool) or not isinstance(value, int | float | np.number):
        msg = f"`{name}` must be a time 'HH:MM' or hours as a number (got {fmt(value)})."
        raise InvalidInputError(msg)
    else:
        hours = float(value)
    if not 0.0 <= hours <= 24.0:
        msg = f"`{name}` must lie in [0, 24] hours (got {fmt(value)})."
        raise InvalidInputError(msg)
    return hours


def _holidays(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    try:
        days = as_datetime_array(np.asarray(list(value), dtype=object), "holidays", unit="D")  # type: ignore[call-overload]
    except TypeError:
        msg = f"`holidays` must be a list of dates (got {fmt(value)})."
        raise InvalidInputError(msg) from None
    return tuple(str(d) for d in np.unique(days))


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """Working days, holidays and daily opening hours: the business-hours clock of an SLA.

    A business clock runs only while the company is open: on working days of the
    ``weekmask`` that are not ``holidays``, between ``opens`` and ``closes`` local time.
    Durations are computed with NumPy's business-day functions (:func:`numpy.busday_count`),
    vectorised over arrays of timestamps.

    Parameters
    ----------
    weekmask : str, default "1111100"
        The working days, Monday first, as seven 0/1 characters or day names
        (``"Mon Tue Wed Thu Fri"``), as in :func:`numpy.busdaycalendar`.
    holidays : sequence of dates, default ()
        Closed days (ISO 8601 strings or ``datetime64``); stored sorted, as ``YYYY-MM-DD``.
    opens, closes : float or str, default 9.0 and 17.0
        Opening hours each working day, as hours (``8.5``) or ``"HH:MM"``; ``opens < closes``.

    Notes
    -----
    With ``H = closes - opens`` hours a day, the business time from a fixed anchor to a
    timestamp ``t`` on day ``d`` at time of day ``s`` is

    ``F(t) = H * busday_count(anchor, d) + is_busday(d) * clip(s - opens, 0, H)``

    and the business duration from ``a`` to ``b`` is ``F(b) - F(a)``: whole working days in
    between count ``H`` each, and the first and last day count only their open part.
    Timestamps are taken as local time; time zones and daylight-saving shifts are left to the
    caller.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.sla import BusinessCalendar
    >>> cal = BusinessCalendar(opens="08:00", closes="18:00", holidays=["2025-12-25"])
    >>> cal.hours_per_day
    10.0

    A request on Friday at 16:00 answered on Monday at 10:00 took 4 business hours:

    >>> cal.duration(["2025-12-05T16:00"], ["2025-12-08T10:00"], time_unit="h").tolist()
    [4.0]

    Christmas Day does not count:

    >>> cal.duration(["2025-12-24T17:00"], ["2025-12-26T09:00"], time_unit="h").tolist()
    [2.0]
    """

    weekmask: str = attrs.field(default="1111100", converter=_weekmask)
    holidays: tuple[str, ...] = attrs.field(default=(), converter=_holidays)
    opens: float = attrs.field(default=9.0, converter=_opens)
    closes: float = attrs.field(default=17.0, converter=_closes)

    def __attrs_post_init__(self) -> None:
        if not self.opens < self.closes:
            msg = (
                f"`opens` must be earlier than `closes` (got {self.opens:g} h >= "
                f"{self.closes:g} h)."
            )
            raise InvalidInputError(msg)

    @property
    def hours_per_day(self) -> float:
        """The open hours of one working day."""
        return self.closes - self.opens

    def _busdaycal(self) -> np.busdaycalendar:
        return np.busdaycalendar(
            weekmask=self.weekmask, holidays=np.array(self.holidays, dtype="datetime64[D]")
        )

    def business_seconds(self, timestamps: ArrayLike) -> FloatArray:
        """Return the business seconds from a fixed anchor (1970-01-01) to each timestamp.

        Differences of these numbers are business durations; see the class Notes.

        Examples
        --------
        >>> from custcentric.sla import BusinessCalendar
        >>> cal = BusinessCalendar()
        >>> s = cal.business_seconds(["2025-12-01T09:30", "2025-12-01T20:00"])
        >>> float(s[1] - s[0]) / 3600
        7.5
        """
        times = as_datetime_array(timestamps, "timestamps")
        return self._seconds(times)

    def _seconds(self, times: DatetimeArray) -> FloatArray:
        cal = self._busdaycal()
        days = times.astype("datetime64[D]")
        of_day = (times - days) / np.timedelta64(1, "s")
        open_s = self.opens * 3600.0
        span = self.hours_per_day * 3600.0
        whole = np.busday_count(_ANCHOR, days, busdaycal=cal).astype(np.float64)
        today = np.where(
            np.is_busday(days, busdaycal=cal), np.clip(of_day - open_s, 0.0, span), 0.0
        )
        return np.asarray(whole * span + today, dtype=np.float64)

    def is_open(self, timestamps: ArrayLike) -> BoolArray:
        """Return whether the business clock runs at each timestamp.

        Examples
        --------
        >>> from custcentric.sla import BusinessCalendar
        >>> BusinessCalendar().is_open(["2025-12-06T10:00", "2025-12-08T10:00"]).tolist()
        [False, True]
        """
        times = as_datetime_array(timestamps, "timestamps")
        days = times.astype("datetime64[D]")
        hours = (times - days) / np.timedelta64(1, "h")
        open_day = np.is_busday(days, busdaycal=self._busdaycal())
        return np.asarray(open_day & (hours >= self.opens) & (hours < self.closes))

    def duration(
        self,
        start: ArrayLike,
        end: ArrayLike,
        time_unit: TimeUnit | None = None,
        *,
        unit: TimeUnit | None = None,
    ) -> FloatArray:
        """Return the business time from each ``start`` to each ``end``, in ``time_unit``.

        Parameters
        ----------
        start, end : array_like of datetime64 or ISO 8601 strings
            Equal-length timestamps with ``start <= end``.
        time_unit : {"s", "m", "h", "D", "W"}, default "h"
            The clock unit of the result ("D" is 24 business hours, not one working day).
            It may be given by position, so that the calendar is the ``duration(start, end,
            time_unit)`` clock :func:`custcentric.process.cycle_times` takes.
        unit : deprecated
            The former name of ``time_unit`` (warns).

        Raises
        ------
        InvalidInputError
            For unequal lengths or an ``end`` before its ``start``.
        """
        starts = as_datetime_array(start, "start")
        ends = as_datetime_array(end, "end")
        if starts.size != ends.size:
            msg = f"`end` must have the same length as `start` ({ends.size} != {starts.size})."
            raise InvalidInputError(msg)
        check_not_greater(starts, "start", ends, "end")
        chosen = renamed_argument(time_unit, unit, new="time_unit", old="unit")
        seconds = self._seconds(ends) - self._seconds(starts)
        name = "unit" if unit is not None else "time_unit"
        return seconds / SECONDS_PER_UNIT[check_time_unit(chosen or "h", name=name)]

    def to_dict(self) -> dict[str, Any]:
        """Return the calendar as plain JSON-ready data.

        Examples
        --------
        >>> from custcentric.sla import BusinessCalendar
        >>> BusinessCalendar().to_dict()
        {'weekmask': '1111100', 'holidays': [], 'opens': 9.0, 'closes': 17.0}
        """
        return {
            "weekmask": self.weekmask,
            "holidays": list(self.holidays),
            "opens": self.opens,
            "closes": self.closes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        """Build a calendar from :meth:`to_dict` output.

        Examples
        --------
        >>> from custcentric.sla import BusinessCalendar
        >>> cal = BusinessCalendar(holidays=["2026-01-01"])
        >>> BusinessCalendar.from_dict(cal.to_dict()) == cal
        True
        """
        allowed = {"weekmask", "holidays", "opens", "closes"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            msg = f"`data` must only have the keys {sorted(allowed)} (got {unknown})."
            raise InvalidInputError(msg)
        return cls(**dict(data))


def clock_duration(
    starts: DatetimeArray,
    ends: DatetimeArray,
    calendar: BusinessCalendar | None,
    time_unit: TimeUnit,
) -> FloatArray:
    """Return durations on the calendar clock (``calendar=None``) or the business clock.

    Inputs are already-checked ``datetime64[s]`` arrays; no validation here.
    """
    if calendar is None:
        seconds = (ends - starts) / np.timedelta64(1, "s")
    else:
        seconds = calendar._seconds(ends) - calendar._seconds(starts)
    return np.asarray(seconds, dtype=np.float64) / SECONDS_PER_UNIT[time_unit]
