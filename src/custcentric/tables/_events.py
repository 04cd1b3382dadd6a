"""EventLog: process events (case, process, activity, timestamp) as read-only columns."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric.tables._grouping import encode, grouped_order, pack_fits
from custcentric.tables._table import CsvLog, Field, Schema
from custcentric.typing import DatetimeArray, IntArray, StrArray

__all__ = [
    "CaseGroups",
    "EventLog",
    "cached",
    "case_codes",
    "case_groups",
    "case_order",
    "column_codes",
]

T = TypeVar("T")


@attrs.frozen(eq=False)
class EventLog(CsvLog):
    """Events of customer processes: one read-only array per field, in the order given.

    Attributes
    ----------
    case_id : ndarray of int64 or str
        The process instance each event belongs to.
    process : ndarray of str
        The :class:`~custcentric.domain.CustomerProcess` id.
    activity : ndarray of str
        The :class:`~custcentric.domain.ProcessStep` id.
    timestamp : ndarray of datetime64[s]
    customer_id : ndarray of int64 or str
    department : ndarray of str or None
        The department handling the event (``""`` where unknown); None when not recorded.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays(["k1", "k1"], ["claims", "claims"], ["open", "close"],
    ...                            ["2024-01-01T09:00", "2024-01-02T10:00"], ["c1", "c1"])
    >>> print(log)
    EventLog(2 events, 1 cases, 1 processes, 2024-01-01T09:00:00 .. 2024-01-02T10:00:00)
    >>> log.event(1)["activity"]
    'close'
    """

    _SCHEMA: ClassVar[Schema] = Schema(
        (
            Field("case_id", "id", "The process instance: int64 ids, or non-empty text."),
            Field("process", "text", "The process id: non-empty text."),
            Field("activity", "text", "The process step id: non-empty text."),
            Field("timestamp", "timestamp", "When: datetime64[s], no NaT."),
            Field("customer_id", "id", "Whose case: int64 ids, or non-empty text."),
            Field(
                "department",
                "text",
                'Who handled it: text, "" where unknown; None when not recorded.',
                required=False,
                missing=True,
            ),
        ),
        "events",
    )

    case_id: NDArray[Any]
    process: StrArray
    activity: StrArray
    timestamp: DatetimeArray
    customer_id: NDArray[Any]
    department: StrArray | None = None

    @classmethod
    def from_arrays(
        cls,
        case_id: ArrayLike,
        process: ArrayLike,
        activity: ArrayLike,
        timestamp: ArrayLike,
        customer_id: ArrayLike,
        department: ArrayLike | None = None,
    ) -> EventLog:
        """Convert and check the columns and return the read-only log.

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty ids, processes or activities, NaT or unparsable
            timestamps; the message names the field and the first bad index.

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> EventLog.from_arrays([1], ["p"], [""], ["2024-01-01"], [1])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `activity` must not hold empty strings (index 0: '').
        """
        return cls._new(case_id, process, activity, timestamp, customer_id, department)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> EventLog:
        """Build a log from mappings with the field names as keys (department optional).

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> log = EventLog.from_records([{"case_id": "k", "process": "p", "activity": "a",
        ...                               "timestamp": "2024-01-01", "customer_id": "c"}])
        >>> len(log), log.department
        (1, None)
        """
        return cls._from_records(records)

    def event(self, i: int) -> dict[str, Any]:
        """Return row ``i`` as a plain dict of Python values (timestamps stay datetime64).

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> EventLog.from_arrays([1], ["p"], ["a"], ["2024-01-01"], [9]).event(0)
        {'case_id': 1, 'process': 'p', 'activity': 'a', 'timestamp': np.datetime64('2024-01-01T00:00:00'), 'customer_id': 9, 'department': None}
        """
        return self._row(i)

    def _describe(self) -> list[str]:
        if not len(self):
            return []
        cases = self._distinct("case_id", "cases")
        return [cases, self._distinct("process", "processes"), self._span("timestamp")]


# The log is immutable, so what is derived from its columns alone (integer codes, the case
# grouping, the (case, time) order) is computed once per log and kept beside it, not in it:
# the cache goes when the log does, and ``attrs.evolve`` makes a new log with a new cache.
_CACHE: weakref.WeakKeyDictionary[EventLog, dict[str, Any]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def cached(log: EventLog, key: str, make: Callable[[], T]) -> T:
    """Return ``make()`` computed once per log and ``key`` (kept while the log lives)."""
    with _LOCK:
        entry = _CACHE.get(log)
        if entry is not None and key in entry:
            return entry[key]  # type: ignore[no-any-return]
    value = make()
    with _LOCK:
        _CACHE.setdefault(log, {})[key] = value
    return value


def column_codes(log: EventLog, field: str) -> tuple[NDArray[Any], IntArray]:
    """Return a column's sorted distinct values and each event's int64 code (cached per log).

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.tables._events import column_codes
    >>> log = EventLog.from_arrays([1, 2], ["q", "p"], ["a", "a"], ["2024-01-01"] * 2, [5, 5])
    >>> names, codes = column_codes(log, "process")
    >>> names.tolist(), codes.tolist()
    (['p', 'q'], [1, 0])
    """
    return cached(log, f"codes:{field}", lambda: encode(getattr(log, field)))


@attrs.frozen(eq=False)
class CaseGroups:
    """The events of a log grouped by case, without a sort.

    Attributes
    ----------
    case_id : ndarray
        The distinct case ids, ascending.
    code : ndarray of int64
        Each event's case, as its index in ``case_id``.
    first, last : ndarray of int64
        Per case, the log position of its earliest and of its latest event (equal timestamps
        in log order: the first of them starts a case, the last of them ends it).
    n_events : ndarray of int64
        Events per case.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.tables._events import case_groups
    >>> log = EventLog.from_arrays(["k2", "k1", "k2"], ["p"] * 3, ["a", "a", "b"],
    ...     ["2024-01-03", "2024-01-01", "2024-01-02"], [1, 1, 2])
    >>> groups = case_groups(log)
    >>> groups.case_id.tolist(), groups.first.tolist(), groups.last.tolist()
    (['k1', 'k2'], [1, 2], [1, 0])
    """

    case_id: NDArray[Any]
    code: IntArray
    first: IntArray
    last: IntArray
    n_events: IntArray


def _make_groups(log: EventLog) -> CaseGroups:
    ids, code = column_codes(log, "case_id")
    n, k = code.size, ids.size
    seconds = log.timestamp.astype(np.int64)
    if n and pack_fits(int(seconds.max()) - int(seconds.min()) + 1, n):
        key = (seconds - seconds.min()) * n
        key += np.arange(n, dtype=np.int64)
        first_key = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
        last_key = np.full(k, -1, dtype=np.int64)
        np.minimum.at(first_key, code, key)
        np.maximum.at(last_key, code, key)
        first, last = first_key % n, last_key % n
    else:
        order = case_order(log)
        starts = np.zeros(k, dtype=np.int64)
        counts = np.bincount(code, minlength=k)
        np.cumsum(counts[:-1], out=starts[1:])
        first, last = order[starts], order[starts + counts - 1]
    return CaseGroups(
        case_id=ids,
        code=code,
        first=first,
        last=last,
        n_events=np.bincount(code, minlength=k).astype(np.int64),
    )


def case_groups(log: EventLog) -> CaseGroups:
    """Return the log's events grouped by case (cached per log; no sort of the events)."""
    return cached(log, "groups", lambda: _make_groups(log))


def case_order(log: EventLog) -> IntArray:
    """Return the event positions in (case, time) order, equal times in log order (cached).

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.tables._events import case_order
    >>> log = EventLog.from_arrays(["k2", "k1", "k2"], ["p"] * 3, ["a", "a", "b"],
    ...     ["2024-01-03", "2024-01-01", "2024-01-02"], [1, 1, 2])
    >>> case_order(log).tolist()
    [1, 2, 0]
    """

    def make() -> IntArray:
        ids, code = column_codes(log, "case_id")
        return grouped_order(code, ids.size, log.timestamp.astype(np.int64))

    return cached(log, "order", make)


def case_codes(
    log: EventLog, field: str, event: Literal["first", "last"]
) -> tuple[NDArray[Any], IntArray]:
    """Return the codes of ``field`` at each case's first (or last) event (cached per log).

    The sorted distinct values at those events and, per case, the index of its value.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> from custcentric.tables._events import case_codes
    >>> log = EventLog.from_arrays(["k2", "k1", "k2"], ["p"] * 3, ["a", "a", "b"],
    ...     ["2024-01-03", "2024-01-01", "2024-01-02"], [1, 1, 2])
    >>> names, codes = case_codes(log, "activity", "last")
    >>> names.tolist(), codes.tolist()
    (['a'], [0, 0])
    """

    def make() -> tuple[NDArray[Any], IntArray]:
        groups = case_groups(log)
        at = groups.first if event == "first" else groups.last
        return encode(getattr(log, field)[at])

    return cached(log, f"case:{field}:{event}", make)
