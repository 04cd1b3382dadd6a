"""EventLog: process events (case, process, activity, timestamp) as read-only columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
from numpy.typing import ArrayLike, NDArray

from custcentric.tables._table import CsvLog, Field, Schema
from custcentric.typing import DatetimeArray, StrArray

__all__ = ["EventLog"]


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
