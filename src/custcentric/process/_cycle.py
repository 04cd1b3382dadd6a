"""End-to-end cycle times per case, with open cases right-censored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._time import check_time_unit, to_duration
from custcentric._validation import as_datetime_array, as_float_array, first_true, fmt
from custcentric.domain import CustomerProcess
from custcentric.exceptions import InvalidInputError
from custcentric.tables import EventLog
from custcentric.tables._cases import closed_cases, infer_final_activities
from custcentric.tables._columns import read_only
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray, StrArray, TimeUnit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Calendar",
    "CycleTimes",
    "closing_activities",
    "cycle_times",
]


def require_type(value: object, kind: type, name: str) -> None:
    """Raise :class:`InvalidInputError` unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        article = "an" if kind.__name__[0] in "AEIOU" else "a"
        msg = f"`{name}` must be {article} {kind.__name__} (got {type(value).__name__})."
        raise InvalidInputError(msg)


class Calendar(Protocol):
    """Anything that measures the time between timestamps on its own clock.

    ``custcentric.sla.BusinessCalendar`` is one; any object with this method will do.
    """

    def duration(self, start: Any, end: Any, unit: Any) -> Any:
        """Return the durations from ``start`` to ``end`` in ``unit``, elementwise."""


@attrs.frozen(eq=False, kw_only=True)
class CycleTimes:
    """End-to-end cycle times, one row per case, ordered by case id.

    Attributes
    ----------
    case_id : ndarray
        The case ids, ascending.
    process : ndarray of str
        Each case's process.
    customer_id : ndarray
        Each case's customer.
    start : ndarray of datetime64[s]
        The case's first event (the customer's request).
    end : ndarray of datetime64[s]
        The last event of a closed case; the observation end for an open one.
    duration : ndarray of float64
        ``end - start`` in ``unit`` (on the calendar's clock when one was given); for an open
        case a lower bound (right-censored), never dropped.
    closed : ndarray of bool
        Whether the case reached its process's final activity (its latest event is it).
    n_events : ndarray of int64
        Events per case.
    last_activity : ndarray of str
        The activity of each case's latest event.
    unit : str
        The duration unit.
    observation_end : numpy.datetime64
        When observation stopped; open cases are censored there.
    final_activity : dict of str to tuple of str
        Per process, the activities that close its cases: given by ``processes``, or inferred
        from the log (the most common last activity of the process's cases).
    final_activity_inferred : bool
        True when ``final_activity`` was inferred from the log (no ``processes`` given);
        ``str()`` then says so and names it.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import cycle_times
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2"], ["claim"] * 3, ["open", "close", "open"],
    ...     ["2024-01-01", "2024-01-03", "2024-01-02"], ["c1", "c1", "c2"])
    >>> ct = cycle_times(log, processes={"claim": "close"}, observation_end="2024-01-06")
    >>> len(ct), ct.n_open, ct.case_id.tolist()
    (2, 1, ['k1', 'k2'])
    >>> ct.last_activity.tolist(), str(ct.observation_end)
    (['close', 'open'], '2024-01-06T00:00:00')
    >>> ct.final_activity, ct.final_activity_inferred
    ({'claim': ('close',)}, False)
    """

    case_id: NDArray[Any] = attrs.field(converter=read_only)
    process: StrArray = attrs.field(converter=read_only)
    customer_id: NDArray[Any] = attrs.field(converter=read_only)
    start: DatetimeArray = attrs.field(converter=read_only)
    end: DatetimeArray = attrs.field(converter=read_only)
    duration: FloatArray = attrs.field(converter=read_only)
    closed: BoolArray = attrs.field(converter=read_only)
    n_events: IntArray = attrs.field(converter=read_only)
    last_activity: StrArray = attrs.field(converter=read_only)
    unit: str
    observation_end: np.datetime64
    final_activity: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    final_activity_inferred: bool = False

    def __len__(self) -> int:
        return int(self.case_id.size)

    @property
    def n_open(self) -> int:
        """The number of open (right-censored) cases."""
        return int(self.closed.size - np.count_nonzero(self.closed))

    def __str__(self) -> str:
        inferred = ""
        if self.final_activity_inferred and self.final_activity:
            named = ", ".join(
                f"{p!r}: {' | '.join(map(repr, a))}" for p, a in sorted(self.final_activity.items())
            )
            inferred = f"; final activity inferred from the log ({named})"
        return (
            f"CycleTimes({len(self)} cases, {self.n_open} open, censored at "
            f"{self.observation_end}; unit {self.unit!r}{inferred})"
        )

    def select(self, mask: ArrayLike) -> CycleTimes:
        """Return the cases where the boolean ``mask`` is True."""
        keep = np.asarray(mask, dtype=bool)
        fields = ("case_id", "process", "customer_id", "start", "end", "duration", "closed")
        subset = {f: getattr(self, f)[keep] for f in (*fields, "n_events", "last_activity")}
        return attrs.evolve(self, **subset)

    def to_dict(self) -> dict[str, Any]:
        """Return the columns as plain lists (timestamps as ISO strings)."""
        return {
            "case_id": self.case_id.tolist(),
            "process": self.process.tolist(),
            "customer_id": self.customer_id.tolist(),
            "start": np.datetime_as_string(self.start).tolist(),
            "end": np.datetime_as_string(self.end).tolist(),
            "duration": self.duration.tolist(),
            "closed": self.closed.tolist(),
            "n_events": self.n_events.tolist(),
            "last_activity": self.last_activity.tolist(),
            "unit": self.unit,
            "observation_end": str(self.observation_end),
            "final_activity": {p: list(a) for p, a in self.final_activity.items()},
            "final_activity_inferred": self.final_activity_inferred,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per case as a DataFrame (needs the ``pandas`` extra)."""
        return make_frame(
            {
                "case_id": self.case_id,
                "process": self.process,
                "customer_id": self.customer_id,
                "start": self.start,
                "end": self.end,
                "duration": self.duration,
                "closed": self.closed,
                "n_events": self.n_events,
                "last_activity": self.last_activity,
            }
        )


def closing_activities(
    processes: Iterable[CustomerProcess] | Mapping[str, str | Iterable[str]],
) -> dict[str, frozenset[str]]:
    """Map each process id to the activities that close its cases (a process's last step)."""
    if isinstance(processes, Mapping):
        out: dict[str, frozenset[str]] = {}
        for key, value in processes.items():
            out[str(key)] = frozenset([value] if isinstance(value, str) else map(str, value))
        return out
    out = {}
    for i, process in enumerate(processes):
        require_type(process, CustomerProcess, f"processes[{i}]")
        out[process.id] = frozenset(process.step_ids[-1:])
    return out


def _case_time_order(case_id: NDArray[Any], timestamp: DatetimeArray) -> IntArray:
    """Return the stable order by (case, time), ties in log order.

    Integer case ids are folded with the seconds into one int64 key when the ranges allow, so
    one stable argsort replaces the two-key lexsort; other ids use ``np.lexsort``.
    """
    if case_id.dtype.kind in "iu" and case_id.size:
        seconds = timestamp.astype(np.int64)
        case_low, case_high = int(case_id.min()), int(case_id.max())
        time_low, time_high = int(seconds.min()), int(seconds.max())
        span = time_high - time_low + 1
        if (case_high - case_low + 1) * span < 2**62:
            key = (case_id.astype(np.int64) - case_low) * span + (seconds - time_low)
            return np.argsort(key, kind="stable").astype(np.int64)
    return np.lexsort((timestamp, case_id)).astype(np.int64)


def sorted_cases(log: EventLog) -> tuple[IntArray, IntArray, IntArray]:
    """Return the event order (case, time, log order) and each case's first/last position."""
    order = _case_time_order(log.case_id, log.timestamp)
    cases = log.case_id[order]
    new = np.empty(order.size, dtype=bool)
    new[:1] = True
    np.not_equal(cases[1:], cases[:-1], out=new[1:])
    firsts = np.flatnonzero(new)
    lasts = np.empty_like(firsts)
    lasts[:-1] = firsts[1:] - 1
    lasts[-1:] = order.size - 1
    return order, firsts, lasts


def _check_constant(
    values: NDArray[Any], order: IntArray, new: BoolArray, log: EventLog, name: str
) -> None:
    """Every event of a case must carry the same ``name`` (process, customer)."""
    ordered = values[order]
    changed = ordered[1:] != ordered[:-1]
    changed &= ~new[1:]
    if changed.any():
        i = first_true(changed) + 1
        event, previous = int(order[i]), int(order[i - 1])
        msg = (
            f"`event_log` must give each case one {name} (case {fmt(log.case_id[event])}: "
            f"{fmt(values[previous])} at event {previous}, {fmt(values[event])} at event {event})."
        )
        raise InvalidInputError(msg)


def durations(
    start: DatetimeArray, end: DatetimeArray, unit: TimeUnit, calendar: Calendar | None
) -> FloatArray:
    if calendar is None:
        return to_duration(end - start, unit)
    if not callable(getattr(calendar, "duration", None)):
        msg = f"`calendar` must have a method duration(start, end, unit) (got {fmt(calendar)})."
        raise InvalidInputError(msg)
    result = as_float_array(calendar.duration(start, end, unit), "calendar.duration(...)")
    if result.size != start.size:
        msg = (
            f"`calendar.duration(...)` must return one duration per interval "
            f"({result.size} != {start.size})."
        )
        raise InvalidInputError(msg)
    negative = result < 0
    if negative.any():
        i = first_true(negative)
        msg = f"`calendar.duration(...)` must be non-negative (index {i}: {fmt(result[i])})."
        raise InvalidInputError(msg)
    return result


def cycle_times(
    event_log: EventLog,
    *,
    processes: Iterable[CustomerProcess] | Mapping[str, str | Iterable[str]] | None = None,
    calendar: Calendar | None = None,
    observation_end: ArrayLike | None = None,
    unit: TimeUnit = "D",
) -> CycleTimes:
    """Return each case's end-to-end cycle time, with open cases right-censored.

    Parameters
    ----------
    event_log : EventLog
        The events of the customer processes.
    processes : iterable of CustomerProcess, or mapping, optional
        The process catalogue: a case is closed when its latest event is its process's last
        step (its final activity). A mapping from process id to closing activity (or
        activities) works too. Every process in the log must be listed. Without it, each
        process's final activity is inferred from the log as the most common last activity of
        its cases (ties to the alphabetically first), the same rule as
        :func:`custcentric.sla.evaluate_slas`; the result records it in ``final_activity``
        with ``final_activity_inferred=True`` and its ``str()`` names it.
    calendar : object with ``duration(start, end, unit)``, optional
        A clock such as ``custcentric.sla.BusinessCalendar``; calendar time when omitted.
    observation_end : datetime64 or str, optional
        When observation stopped (default: the latest event). Open cases are censored here.
    unit : {"s", "m", "h", "D", "W"}, default "D"
        The unit of the durations.

    Returns
    -------
    CycleTimes
        One row per case, ordered by case id.

    Raises
    ------
    InvalidInputError
        If a case mixes processes or customers, an event lies after ``observation_end``, a
        process is missing from ``processes``, or the calendar returns a bad duration.

    Notes
    -----
    A case starts at its first event (the customer's request) and ends at its last. A case
    that has not reached its closing step by ``observation_end`` is *open*: its duration
    ``observation_end - start`` is a lower bound on the true cycle time (right-censored),
    and it is kept and flagged, never dropped; estimating percentiles from closed cases alone
    biases them toward fast cases. Events with equal timestamps keep their log order.

    Which cases are closed is decided by one rule shared with
    :func:`custcentric.sla.evaluate_slas`: on the same log (and the same catalogue, or none)
    both call the same cases closed. Pass ``processes`` whenever the catalogue is known: an
    inferred final activity is a guess, wrong for a process whose cases are mostly open.

    References
    ----------
    Rance, D. *Customer Centricity: A Home Run for Customers* (end-to-end cycle time as the key
    metric of a customer process); van der Aalst, W. M. P. (2016). *Process Mining* (2nd ed.),
    Springer, ch. 2 (event logs, cases and traces).

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.process import cycle_times
    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2"], ["claim"] * 3, ["open", "close", "open"],
    ...     ["2024-01-01", "2024-01-03", "2024-01-02"], ["c1", "c1", "c2"])
    >>> ct = cycle_times(log, processes={"claim": "close"}, observation_end="2024-01-06")
    >>> ct.duration.tolist(), ct.closed.tolist()
    ([2.0, 4.0], [True, False])

    Without a catalogue the final activity is inferred from the log:

    >>> log = EventLog.from_arrays(
    ...     ["k1", "k1", "k2", "k3", "k3"], ["claim"] * 5,
    ...     ["open", "close", "open", "open", "close"],
    ...     ["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-02", "2024-01-04"],
    ...     ["c1", "c1", "c2", "c3", "c3"])
    >>> print(cycle_times(log, observation_end="2024-01-06"))
    CycleTimes(3 cases, 1 open, censored at 2024-01-06T00:00:00; unit 'D'; final activity inferred from the log ('claim': 'close'))
    """
    require_type(event_log, EventLog, "event_log")
    unit = check_time_unit(unit, name="unit")
    closers = None if processes is None else closing_activities(processes)
    log = event_log
    end_time = _observation_end(log, observation_end)
    if len(log) == 0:
        return _empty(log, unit, end_time, closers)
    order, firsts, lasts = sorted_cases(log)
    new = np.zeros(order.size, dtype=bool)
    new[firsts] = True
    _check_constant(log.process, order, new, log, "process")
    _check_constant(log.customer_id, order, new, log, "customer")
    first_event, last_event = order[firsts], order[lasts]
    process = log.process[first_event]
    last_activity = log.activity[last_event]
    if closers is None:
        inferred = infer_final_activities(process, last_activity)
        closed, _ = closed_cases(process, last_activity, inferred)
        final: dict[str, tuple[str, ...]] = {p: (a,) for p, a in inferred.items()}
    else:
        closed = _closed(process, last_activity, closers, first_event)
        final = {p: tuple(sorted(a)) for p, a in closers.items()}
    start = log.timestamp[first_event]
    end = np.where(closed, log.timestamp[last_event], end_time)
    return CycleTimes(
        case_id=log.case_id[first_event],
        process=process,
        customer_id=log.customer_id[first_event],
        start=start,
        end=end,
        duration=durations(start, end, unit, calendar),
        closed=closed,
        n_events=(lasts - firsts + 1).astype(np.int64),
        last_activity=last_activity,
        unit=unit,
        observation_end=end_time,
        final_activity=final,
        final_activity_inferred=closers is None,
    )


def _observation_end(log: EventLog, observation_end: ArrayLike | None) -> np.datetime64:
    if observation_end is None:
        if len(log) == 0:
            msg = "`observation_end` must be given for an empty `event_log`."
            raise InvalidInputError(msg)
        return np.datetime64(log.timestamp.max(), "s")
    end = as_datetime_array(observation_end, "observation_end")
    if end.size != 1:
        msg = f"`observation_end` must be one timestamp (got {end.size})."
        raise InvalidInputError(msg)
    late = log.timestamp > end[0]
    if late.any():
        i = first_true(late)
        msg = (
            f"`event_log` timestamps must not be later than `observation_end` "
            f"(event {i}: {log.timestamp[i]} > {end[0]})."
        )
        raise InvalidInputError(msg)
    return np.datetime64(end[0], "s")


def _closed(
    process: StrArray,
    last_activity: StrArray,
    closers: dict[str, frozenset[str]],
    first_event: IntArray,
) -> BoolArray:
    closed, known = closed_cases(process, last_activity, closers)
    if not known.all():
        case = first_true(~known)
        listed = ", ".join(repr(k) for k in sorted(closers))
        msg = (
            f"`event_log` processes must be listed in `processes` (event {int(first_event[case])}: "
            f"{fmt(process[case])}; known: {listed})."
        )
        raise InvalidInputError(msg)
    return closed


def _empty(
    log: EventLog, unit: str, end_time: np.datetime64, closers: dict[str, frozenset[str]] | None
) -> CycleTimes:
    times = np.empty(0, dtype="datetime64[s]")
    return CycleTimes(
        case_id=log.case_id[:0],
        process=log.process[:0],
        customer_id=log.customer_id[:0],
        start=times,
        end=times,
        duration=np.empty(0),
        closed=np.empty(0, dtype=bool),
        n_events=np.empty(0, dtype=np.int64),
        last_activity=log.activity[:0],
        unit=unit,
        observation_end=end_time,
        final_activity={} if closers is None else {p: tuple(sorted(a)) for p, a in closers.items()},
        final_activity_inferred=closers is None,
    )
