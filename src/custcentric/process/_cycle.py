"""End-to-end cycle times per case, with open cases right-censored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import renamed_argument
from custcentric._pandas import make_frame
from custcentric._time import check_time_unit, to_duration
from custcentric._validation import as_datetime_array, as_float_array, first_true, fmt
from custcentric.domain import CustomerProcess
from custcentric.exceptions import InvalidInputError
from custcentric.tables import EventLog
from custcentric.tables._cases import closing_table, infer_final_codes
from custcentric.tables._columns import read_only
from custcentric.tables._events import cached, case_codes, case_groups, case_order
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


def sorted_cases(log: EventLog) -> tuple[IntArray, IntArray, IntArray]:
    """Return the event order (case, time, log order) and each case's first/last position.

    The order is computed once per log (one value sort of a packed int64 key, see
    :func:`custcentric.tables._grouping.grouped_order`) and cached beside it.
    """
    order = case_order(log)
    counts = case_groups(log).n_events
    firsts = np.zeros(counts.size, dtype=np.int64)
    np.cumsum(counts[:-1], out=firsts[1:])
    lasts = firsts + counts - 1
    return order, firsts, lasts


def _report_mixed(values: NDArray[Any], log: EventLog, name: str) -> None:
    """Raise for the first event, in (case, time) order, whose ``name`` differs from the last."""
    order = case_order(log)
    codes = case_groups(log).code[order]
    ordered = values[order]
    changed = ordered[1:] != ordered[:-1]
    changed &= codes[1:] == codes[:-1]
    i = first_true(changed) + 1
    event, previous = int(order[i]), int(order[i - 1])
    msg = (
        f"`event_log` must give each case one {name} (case {fmt(log.case_id[event])}: "
        f"{fmt(values[previous])} at event {previous}, {fmt(values[event])} at event {event})."
    )
    raise InvalidInputError(msg)


def check_one_per_case(log: EventLog, field: str, name: str) -> None:
    """Every event of a case must carry the same ``field`` (checked once per log, on codes)."""

    def check() -> bool:
        groups = case_groups(log)
        values = getattr(log, field)
        if (values[groups.first][groups.code] != values).any():
            _report_mixed(getattr(log, field), log, name)
        return True

    cached(log, f"one:{field}", check)


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
    time_unit: TimeUnit | None = None,
    unit: TimeUnit | None = None,
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
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The unit of the durations.
    unit : deprecated
        The former name of ``time_unit`` (warns; removed in 0.2).

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

    No sort of the events is needed: case ids are coded to integers once, each case's first
    and last event come from scatter reductions (``np.minimum.at`` / ``np.maximum.at``) of
    one packed (time, log position) key, and the closing rule runs on per-case integer
    codes. The codes, the grouping and the checks of the log are kept beside the
    (immutable) log while it lives, so later calls on the same log skip them.

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
    chosen = renamed_argument(time_unit, unit, new="time_unit", old="unit")
    unit = check_time_unit(chosen or "D", name="unit" if unit is not None else "time_unit")
    closers = None if processes is None else closing_activities(processes)
    log = event_log
    end_time = _observation_end(log, observation_end)
    if len(log) == 0:
        return _empty(log, unit, end_time, closers)
    groups = case_groups(log)
    check_one_per_case(log, "process", "process")
    check_one_per_case(log, "customer_id", "customer")
    first_event, last_event = groups.first, groups.last
    process_names, case_process = case_codes(log, "process", "first")
    activity_names, case_activity = case_codes(log, "activity", "last")
    process = process_names[case_process]
    last_activity = activity_names[case_activity]
    if closers is None:
        best = infer_final_codes(case_process, case_activity, activity_names.size)
        closed = case_activity == best[case_process]
        final: dict[str, tuple[str, ...]] = {
            str(process_names[p]): (str(activity_names[a]),)
            for p, a in enumerate(best.tolist())
            if a >= 0
        }
    else:
        table, known = closing_table(process_names, activity_names, closers)
        missing = ~known[case_process]
        if missing.any():
            case = first_true(missing)
            listed = ", ".join(repr(k) for k in sorted(closers))
            msg = (
                f"`event_log` processes must be listed in `processes` (event "
                f"{int(first_event[case])}: {fmt(process[case])}; known: {listed})."
            )
            raise InvalidInputError(msg)
        closed = table[case_process, case_activity]
        final = {p: tuple(sorted(a)) for p, a in closers.items()}
    start = log.timestamp[first_event]
    end = np.where(closed, log.timestamp[last_event], end_time)
    return CycleTimes(
        case_id=groups.case_id,
        process=process,
        customer_id=log.customer_id[first_event],
        start=start,
        end=end,
        duration=durations(start, end, unit, calendar),
        closed=closed,
        n_events=groups.n_events,
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
