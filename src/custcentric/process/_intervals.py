"""``StepDurations`` and ``step_durations``: the intervals between a case's events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import renamed_argument
from custcentric._pandas import make_frame
from custcentric._time import check_time_unit
from custcentric.process._cycle import Calendar, durations, require_type, sorted_cases
from custcentric.tables import EventLog
from custcentric.tables._columns import read_only
from custcentric.tables._events import column_codes
from custcentric.typing import DatetimeArray, FloatArray, IntArray, StrArray, TimeUnit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["StepDurations", "step_durations"]


@attrs.frozen(eq=False, kw_only=True)
class StepDurations:
    """The interval that ends at each event of a case (every event but the case's first).

    The text columns are gathered from the log on first use, so timing the intervals does
    not pay for copying strings nobody reads.

    Attributes
    ----------
    case_id : ndarray
        The interval's case, ascending (events of a case in time order).
    duration : ndarray of float64
        ``end - start`` in ``unit``.
    event, previous : ndarray of int64
        Log positions of the event that ends the interval and of the one before it.
    log : EventLog
        The log the positions refer to.
    unit : str
    process, from_activity, activity : ndarray of str
        (Properties.) The interval's process, and the activities of the previous event and of
        the event that ends the interval.
    start, end : ndarray of datetime64[s]
        (Properties.) The previous event's and this event's timestamps.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import step_durations
    >>> log = EventLog.from_arrays(["k", "k", "k"], ["p"] * 3, ["a", "b", "c"],
    ...     ["2024-01-01", "2024-01-02", "2024-01-05"], ["c1"] * 3)
    >>> steps = step_durations(log)
    >>> len(steps), steps.from_activity.tolist(), steps.activity.tolist()
    (2, ['a', 'b'], ['b', 'c'])
    >>> steps.duration.tolist(), steps.unit
    ([1.0, 3.0], 'D')
    """

    case_id: NDArray[Any] = attrs.field(converter=read_only)
    duration: FloatArray = attrs.field(converter=read_only)
    event: IntArray = attrs.field(converter=read_only)
    previous: IntArray = attrs.field(converter=read_only)
    log: EventLog
    unit: str

    @property
    def process(self) -> StrArray:
        """The interval's process."""
        return self.log.process[self.event]

    @property
    def activity(self) -> StrArray:
        """The activity of the event that ends the interval."""
        return self.log.activity[self.event]

    @property
    def from_activity(self) -> StrArray:
        """The activity of the previous event."""
        return self.log.activity[self.previous]

    @property
    def start(self) -> DatetimeArray:
        """The previous event's timestamp."""
        return self.log.timestamp[self.previous]

    @property
    def end(self) -> DatetimeArray:
        """The timestamp of the event that ends the interval."""
        return self.log.timestamp[self.event]

    def select(self, mask: ArrayLike) -> StepDurations:
        """Return the intervals where the boolean ``mask`` is True."""
        keep = np.asarray(mask, dtype=bool)
        return attrs.evolve(
            self,
            case_id=self.case_id[keep],
            duration=self.duration[keep],
            event=self.event[keep],
            previous=self.previous[keep],
        )

    def __len__(self) -> int:
        return int(self.case_id.size)

    def __str__(self) -> str:
        return f"StepDurations({len(self)} intervals; unit {self.unit!r})"

    def by_step(self) -> dict[str, Any]:
        """Return per (process, activity): intervals, total, mean and median duration.

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> from custcentric.process import step_durations
        >>> log = EventLog.from_arrays(["k", "k", "k"], ["p"] * 3, ["a", "b", "c"],
        ...     ["2024-01-01", "2024-01-02", "2024-01-05"], ["c1"] * 3)
        >>> step_durations(log).by_step()["total"]
        [1.0, 3.0]
        """
        processes, p_all = column_codes(self.log, "process")
        activities, a_all = column_codes(self.log, "activity")
        p_code, a_code = p_all[self.event], a_all[self.event]
        pairs, inverse = np.unique(p_code * activities.size + a_code, return_inverse=True)
        counts = np.bincount(inverse, minlength=pairs.size)
        totals = np.bincount(inverse, weights=self.duration, minlength=pairs.size)
        order = np.lexsort((self.duration, inverse))
        starts = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
        sorted_d = self.duration[order]
        medians = 0.5 * (sorted_d[starts + (counts - 1) // 2] + sorted_d[starts + counts // 2])
        return {
            "process": processes[pairs // max(activities.size, 1)].tolist(),
            "activity": activities[pairs % max(activities.size, 1)].tolist(),
            "n": counts.tolist(),
            "total": totals.tolist(),
            "mean": (totals / counts).tolist(),
            "median": medians.tolist(),
            "unit": self.unit,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per interval as a DataFrame (needs the ``pandas`` extra)."""
        names = ("case_id", "process", "from_activity", "activity", "start", "end", "duration")
        return make_frame({name: getattr(self, name) for name in names})


def step_durations(
    event_log: EventLog,
    *,
    calendar: Calendar | None = None,
    time_unit: TimeUnit | None = None,
    unit: TimeUnit | None = None,
) -> StepDurations:
    """Return the time between each pair of consecutive events of a case.

    Parameters
    ----------
    event_log : EventLog
    calendar : object with ``duration(start, end, unit)``, optional
        A clock such as ``custcentric.sla.BusinessCalendar``; calendar time when omitted.
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The unit of the durations.
    unit : str, optional
        Deprecated name of ``time_unit``.

    Returns
    -------
    StepDurations
        One interval per event except each case's first, in (case, time) order;
        :meth:`StepDurations.by_step` aggregates them per process and activity.

    Notes
    -----
    An event log records one timestamp per activity, so the time *in* an activity and the
    wait *before* it cannot be told apart: the interval from the previous event to an event
    is attributed to that event's activity (the time it took to reach that step). Within a
    case the intervals add up to the cycle time of the case, so each step's share of the
    total is its share of the cycle time. Rework (a repeated activity) adds one interval
    per repetition.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import step_durations
    >>> log = EventLog.from_arrays(["k", "k", "k"], ["p"] * 3, ["a", "b", "c"],
    ...     ["2024-01-01", "2024-01-02", "2024-01-05"], ["c1"] * 3)
    >>> steps = step_durations(log)
    >>> steps.activity.tolist(), steps.duration.tolist()
    (['b', 'c'], [1.0, 3.0])
    """
    require_type(event_log, EventLog, "event_log")
    chosen = renamed_argument(time_unit, unit, new="time_unit", old="unit")
    unit = check_time_unit(chosen or "D", name="unit" if unit is not None else "time_unit")
    log = event_log
    if len(log) == 0:
        order = np.empty(0, dtype=np.int64)
        following = order
    else:
        order, firsts, _ = sorted_cases(log)
        keep = np.ones(order.size, dtype=bool)
        keep[firsts] = False
        following = order[keep]
        previous_pos = np.flatnonzero(keep) - 1
        order = order[previous_pos]
    times = log.timestamp
    return StepDurations(
        case_id=log.case_id[following],
        duration=durations(times[order], times[following], unit, calendar),
        event=following,
        previous=order,
        log=log,
        unit=unit,
    )
