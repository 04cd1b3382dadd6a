"""EventLog: process events (case, process, activity, timestamp) as read-only columns."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._validation import as_str_array, check_equal_length
from custcentric.tables._columns import (
    as_id_array,
    as_optional_text,
    as_timestamps,
    frozen,
    record_columns,
    scalar,
)
from custcentric.tables._csv import CsvErrors, IdKind, read_columns
from custcentric.tables._summary import assign
from custcentric.typing import DatetimeArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EventLog"]

_FIELDS = ("case_id", "process", "activity", "timestamp", "customer_id", "department")
_REQUIRED = _FIELDS[:5]


@attrs.frozen(eq=False)
class EventLog:
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
        columns: dict[str, Any] = {
            "case_id": case_id,
            "process": process,
            "activity": activity,
            "timestamp": timestamp,
            "customer_id": customer_id,
            "department": department,
        }
        return cls(**columns)  # __attrs_post_init__ converts and checks once

    def __attrs_post_init__(self) -> None:
        """Convert and check the columns, whatever the route of construction.

        ``__init__``, :func:`attrs.evolve` and every constructor end here: one validating
        pass per column, then read-only storage.
        """
        cases = as_id_array(self.case_id, "case_id")
        processes = as_str_array(self.process, "process")
        activities = as_str_array(self.activity, "activity")
        times = as_timestamps(self.timestamp, "timestamp")
        customers = as_id_array(self.customer_id, "customer_id")
        columns: dict[str, Sequence[Any] | NDArray[Any]] = {
            "case_id": cases,
            "process": processes,
            "activity": activities,
            "timestamp": times,
            "customer_id": customers,
        }
        departments = None
        if self.department is not None:
            departments = as_optional_text(self.department, "department", cases.size)
            columns["department"] = departments
        check_equal_length(columns)
        assign(
            self,
            case_id=frozen(cases),
            process=frozen(processes),
            activity=frozen(activities),
            timestamp=frozen(times),
            customer_id=frozen(customers),
            department=None if departments is None else frozen(departments),
        )

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
        items = list(records)
        columns = record_columns(items, _FIELDS, required=_REQUIRED)
        has_department = any(isinstance(r, Mapping) and "department" in r for r in items)
        c = {f: np.array(columns[f], dtype=object) for f in _REQUIRED}
        return cls.from_arrays(
            c["case_id"],
            c["process"],
            c["activity"],
            c["timestamp"],
            c["customer_id"],
            department=np.array(columns["department"], dtype=object) if has_department else None,
        )

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["raise"] = ...,
    ) -> EventLog: ...

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["report"],
    ) -> tuple[EventLog, CsvErrors]: ...

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        delimiter: str | None = ",",
        names: Sequence[str] | None = None,
        ids: IdKind = "str",
        errors: Literal["raise", "report"] = "raise",
    ) -> EventLog | tuple[EventLog, CsvErrors]:
        r"""Read a log from CSV (``.gz`` decompressed transparently).

        Headers ``case_id,process,activity,timestamp,customer_id`` and optionally
        ``department`` unless mapped with ``columns``.

        See :meth:`TransactionLog.read_csv` for ``columns`` (either direction), ``date_format``,
        ``delimiter``, ``names`` (a file without a header line), ``ids`` (``"str"`` keeps
        ids as written, ``"int"`` parses them) and ``errors`` (``"report"`` returns
        ``(table, CsvErrors)``). ``ids`` applies to ``case_id`` and ``customer_id``.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import EventLog
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
        >>> _ = path.write_text("case_id,process,activity,timestamp\nk,p,a,2024-01-01\n")
        >>> EventLog.read_csv(path)
        Traceback (most recent call last):
        ...
        custcentric.exceptions.DataFormatError: file '...e.csv', line 1, column 'customer_id': missing column 'customer_id' for `customer_id` (available: 'case_id', 'process', 'activity', 'timestamp').
        """
        table = read_columns(
            path,
            _FIELDS,
            columns=columns,
            required=_REQUIRED,
            delimiter=delimiter,
            names=names,
            errors=errors,
        )
        case_id = table.ids("case_id", ids)
        process = table.text("process")
        activity = table.text("activity")
        times = table.times("timestamp", date_format)
        customer_id = table.ids("customer_id", ids)
        department = (
            table.text("department", allow_empty=True) if "department" in table.data else None
        )
        log = cls.from_arrays(
            table.rows(case_id),
            table.rows(process),
            table.rows(activity),
            table.rows(times),
            table.rows(customer_id),
            table.rows(department),
        )
        return cast("EventLog | tuple[EventLog, CsvErrors]", table.result(log))

    @classmethod
    def from_pandas(
        cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
    ) -> EventLog:
        """Build a log from a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> log = EventLog.from_arrays([1], ["p"], ["a"], ["2024-01-01"], [9], ["sales"])
        >>> EventLog.from_pandas(log.to_pandas()).department.tolist()
        ['sales']
        """
        data = frame_columns(frame, _FIELDS, columns=columns, required=_REQUIRED)
        return cls.from_arrays(
            data["case_id"],
            data["process"],
            data["activity"],
            data["timestamp"],
            data["customer_id"],
            department=data.get("department"),
        )

    def to_pandas(self) -> pd.DataFrame:
        """Return the log as a DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> EventLog.from_arrays([1], ["p"], ["a"], ["2024-01-01"], [9]).to_pandas().shape
        (1, 5)
        """
        return make_frame({f: getattr(self, f) for f in _FIELDS})

    def event(self, i: int) -> dict[str, Any]:
        """Return row ``i`` as a plain dict of Python values (timestamps stay datetime64).

        Examples
        --------
        >>> from custcentric.tables import EventLog
        >>> EventLog.from_arrays([1], ["p"], ["a"], ["2024-01-01"], [9]).event(0)
        {'case_id': 1, 'process': 'p', 'activity': 'a', 'timestamp': np.datetime64('2024-01-01T00:00:00'), 'customer_id': 9, 'department': None}
        """
        row = {f: scalar(getattr(self, f)[i]) for f in _REQUIRED}
        row["department"] = None if self.department is None else str(self.department[i])
        return row

    def __len__(self) -> int:
        return int(self.case_id.size)

    def __str__(self) -> str:
        if not len(self):
            return "EventLog(0 events)"
        return (
            f"EventLog({len(self)} events, {np.unique(self.case_id).size} cases, "
            f"{np.unique(self.process).size} processes, "
            f"{self.timestamp.min()} .. {self.timestamp.max()})"
        )
