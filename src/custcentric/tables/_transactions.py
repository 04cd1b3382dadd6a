"""TransactionLog: purchases as read-only columns, with the Fader-Hardie summary."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._validation import as_float_array, check_equal_length
from custcentric.tables._columns import as_id_array, as_timestamps, frozen, record_columns, scalar
from custcentric.tables._csv import read_columns
from custcentric.tables._summary import (
    CalibrationHoldout,
    CustomerSummary,
    aggregate_days,
    as_instant,
    days_per_unit,
    end_day,
)
from custcentric.typing import DatetimeArray, FloatArray

if TYPE_CHECKING:
    import pandas as pd

    from custcentric.domain import Transaction

__all__ = ["TransactionLog"]

_FIELDS = ("customer_id", "timestamp", "amount")


@attrs.frozen(eq=False)
class TransactionLog:
    """Purchases: one read-only array per field, in the order given.

    Attributes
    ----------
    customer_id : ndarray of int64 or str
        Integer ids stay int64; any other ids are non-empty strings.
    timestamp : ndarray of datetime64[s]
        When each purchase happened (no NaT).
    amount : ndarray of float64
        Finite, non-negative purchase values.

    Examples
    --------
    >>> from custcentric.tables import TransactionLog
    >>> log = TransactionLog.from_arrays(["a", "a", "b"],
    ...                                  ["2024-01-01", "2024-01-08", "2024-01-03"],
    ...                                  [10.0, 20.0, 5.0])
    >>> print(log)
    TransactionLog(3 transactions, 2 customers, 2024-01-01T00:00:00 .. 2024-01-08T00:00:00, total 35.00)
    >>> log.amount[0] = 1.0
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    customer_id: NDArray[Any]
    timestamp: DatetimeArray
    amount: FloatArray

    @classmethod
    def from_arrays(
        cls, customer_id: ArrayLike, timestamp: ArrayLike, amount: ArrayLike
    ) -> TransactionLog:
        """Convert and check the columns and return the read-only log.

        Parameters
        ----------
        customer_id : array_like of int or str
        timestamp : array_like of datetime64 or ISO 8601 str
        amount : array_like of float

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty ids, NaT or unparsable timestamps, NaN, infinite or
            negative amounts; the message names the field and the first bad index.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> TransactionLog.from_arrays([1, 2], ["2024-01-01", "2024-01-02"], [3.0, -1.0])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `amount` must be non-negative (index 1: -1.0).
        """
        ids = as_id_array(customer_id, "customer_id")
        times = as_timestamps(timestamp, "timestamp")
        amounts = as_float_array(amount, "amount", non_negative=True)
        check_equal_length({"customer_id": ids, "timestamp": times, "amount": amounts})
        return cls(customer_id=frozen(ids), timestamp=frozen(times), amount=frozen(amounts))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any] | Transaction]) -> TransactionLog:
        """Build a log from mappings or :class:`custcentric.domain.Transaction` values.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> log = TransactionLog.from_records(
        ...     [{"customer_id": "c1", "timestamp": "2024-01-01T10:00", "amount": 9.5}])
        >>> log.timestamp.tolist()
        [datetime.datetime(2024, 1, 1, 10, 0)]
        """
        from custcentric import domain

        columns = record_columns(
            records, _FIELDS, required=_FIELDS, domain_type=getattr(domain, "Transaction", None)
        )
        return cls.from_arrays(
            np.array(columns["customer_id"], dtype=object),
            np.array(columns["timestamp"], dtype=object),
            np.array(columns["amount"], dtype=object),
        )

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        delimiter: str | None = ",",
    ) -> TransactionLog:
        r"""Read a log from a CSV file (``.gz`` decompressed transparently).

        Parameters
        ----------
        path : path-like
            The file; headers ``customer_id,timestamp,amount`` unless mapped.
        columns : mapping of field to header, optional
            E.g. ``{"customer_id": "sample_id", "timestamp": "date"}``.
        date_format : str, optional
            None for ISO 8601, else a :func:`~datetime.datetime.strptime` format such as
            ``"%Y%m%d"`` (fixed-width formats are parsed vectorised).
        delimiter : str or None
            The field separator; None splits on runs of whitespace.

        Raises
        ------
        DataFormatError
            For a missing header (listing those available) or a bad cell (file, 1-based line
            and column); nothing is returned.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import TransactionLog
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = path.write_text("id date value\n7 19970101 29.33\n7 19970118 x\n")
        >>> TransactionLog.read_csv(path, delimiter=None, date_format="%Y%m%d",
        ...     columns={"customer_id": "id", "timestamp": "date", "amount": "value"})
        Traceback (most recent call last):
        ...
        custcentric.exceptions.DataFormatError: file '...t.csv', line 3, column 'value': `amount` must be a number (got 'x').
        """
        table = read_columns(path, _FIELDS, columns=columns, required=_FIELDS, delimiter=delimiter)
        ids = table.ids("customer_id")
        times = table.times("timestamp", date_format)
        amounts = table.numbers("amount", non_negative=True)
        return cls.from_arrays(ids, times, amounts)

    @classmethod
    def from_pandas(
        cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
    ) -> TransactionLog:
        """Build a log from a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> import pandas as pd
        >>> from custcentric.tables import TransactionLog
        >>> frame = pd.DataFrame({"cid": [1, 2], "timestamp": pd.to_datetime(["2024-01-01"] * 2),
        ...                       "amount": [1.0, 2.0]})
        >>> len(TransactionLog.from_pandas(frame, columns={"customer_id": "cid"}))
        2
        """
        data = frame_columns(frame, _FIELDS, columns=columns, required=_FIELDS)
        return cls.from_arrays(data["customer_id"], data["timestamp"], data["amount"])

    def to_pandas(self) -> pd.DataFrame:
        """Return the log as a DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> TransactionLog.from_arrays([1], ["2024-01-01"], [2.0]).to_pandas().shape
        (1, 3)
        """
        return make_frame({f: getattr(self, f) for f in _FIELDS})

    def transaction(self, i: int) -> Transaction:
        """Return row ``i`` as a :class:`custcentric.domain.Transaction` (id as text).

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> TransactionLog.from_arrays([7], ["2024-01-01"], [2.0]).transaction(0).customer_id
        '7'
        """
        from custcentric.domain import Transaction

        return Transaction(
            customer_id=str(scalar(self.customer_id[i])),
            timestamp=self.timestamp[i],
            amount=float(self.amount[i]),
        )

    def __len__(self) -> int:
        return int(self.customer_id.size)

    def __str__(self) -> str:
        if not len(self):
            return "TransactionLog(0 transactions)"
        n_customers = np.unique(self.customer_id).size
        return (
            f"TransactionLog({len(self)} transactions, {n_customers} customers, "
            f"{self.timestamp.min()} .. {self.timestamp.max()}, "
            f"total {float(self.amount.sum()):.2f})"
        )

    def summary(self, observation_end: Any, *, time_unit: str = "D") -> CustomerSummary:
        r"""Summarise each customer's repeat purchases up to ``observation_end``.

        Follows Fader, Hardie and Lee (2005) and the *lifetimes* package: purchases on the
        same calendar day count once (their amounts are summed). Transactions after
        ``observation_end`` are excluded.

        Parameters
        ----------
        observation_end : datetime64 or ISO 8601 str
            The end of observation. A date such as ``"1997-09-30"`` means midnight at the
            start of that day: purchases later that day are excluded, and ``T`` is counted
            to that day.
        time_unit : {"D", "W", "h", "m", "s"}
            The unit of ``recency`` and ``T``.

        Returns
        -------
        CustomerSummary
            One row per customer with a purchase by ``observation_end``, ids ascending.

        Notes
        -----
        With purchase days :math:`d_1 < \dots < d_{x+1}` and observation day :math:`d_T`:
        frequency :math:`x`, recency :math:`d_{x+1} - d_1`, :math:`T = d_T - d_1` and
        monetary the mean value of the days :math:`d_2 .. d_{x+1}` (0 when :math:`x = 0`).

        References
        ----------
        P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
        way", *Marketing Science* 24(2):275-284.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> log = TransactionLog.from_arrays(
        ...     [1, 1, 1, 2], ["2024-01-01", "2024-01-01T15:00", "2024-01-15", "2024-01-08"],
        ...     [10.0, 5.0, 20.0, 7.0])
        >>> s = log.summary("2024-01-29", time_unit="W")
        >>> s.frequency.tolist(), s.recency.tolist(), s.T.tolist(), s.monetary.tolist()
        ([1, 0], [2.0, 0.0], [4.0, 3.0], [20.0, 0.0])
        """
        end = as_instant(observation_end, "observation_end")
        per_unit = days_per_unit(time_unit)
        agg = aggregate_days(self.customer_id, self.timestamp, self.amount, after=None, until=end)
        frequency = agg.n_days - 1
        monetary = np.divide(
            agg.repeat_total,
            frequency,
            out=np.zeros(frequency.size),
            where=frequency > 0,
        )
        return CustomerSummary.from_arrays(
            agg.customer_id,
            frequency,
            (agg.last_day - agg.first_day) / per_unit,
            (end_day(end) - agg.first_day) / per_unit,
            monetary,
            time_unit=time_unit,
            observation_end=end,
        )

    def calibration_holdout(
        self, calibration_end: Any, observation_end: Any, *, time_unit: str = "D"
    ) -> CalibrationHoldout:
        """Split at ``calibration_end``: a calibration summary and holdout purchases.

        Parameters
        ----------
        calibration_end, observation_end : datetime64 or ISO 8601 str
            The calibration period is up to ``calibration_end`` (see :meth:`summary`); the
            holdout is ``(calibration_end, observation_end]``.
        time_unit : {"D", "W", "h", "m", "s"}
            The unit of the durations.

        Returns
        -------
        CalibrationHoldout
            For customers whose first purchase is by ``calibration_end``: their calibration
            summary, the distinct purchase days and mean day value in the holdout, and the
            holdout's length.

        Raises
        ------
        InvalidInputError
            If ``observation_end`` is before ``calibration_end``.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> log = TransactionLog.from_arrays([1, 1, 2], ["2024-01-01", "2024-01-20", "2024-01-25"],
        ...                                  [4.0, 6.0, 1.0])
        >>> split = log.calibration_holdout("2024-01-10", "2024-01-31", time_unit="D")
        >>> split.calibration.customer_id.tolist(), split.frequency_holdout.tolist()
        ([1], [1])
        >>> split.duration_holdout
        21.0
        """
        from custcentric._validation import check_not_greater

        cal = as_instant(calibration_end, "calibration_end")
        end = as_instant(observation_end, "observation_end")
        check_not_greater(np.array([cal]), "calibration_end", np.array([end]), "observation_end")
        calibration = self.summary(cal, time_unit=time_unit)
        hold = aggregate_days(self.customer_id, self.timestamp, self.amount, after=cal, until=end)
        frequency = np.zeros(len(calibration), dtype=np.int64)
        monetary = np.zeros(len(calibration))
        if hold.customer_id.size and len(calibration):
            ids = calibration.customer_id
            pos = np.searchsorted(ids, hold.customer_id)
            pos_clipped = np.minimum(pos, ids.size - 1)
            known = ids[pos_clipped] == hold.customer_id
            frequency[pos_clipped[known]] = hold.n_days[known]
            monetary[pos_clipped[known]] = hold.total[known] / hold.n_days[known]
        return CalibrationHoldout(
            calibration=calibration,
            frequency_holdout=frozen(frequency),
            monetary_holdout=frozen(monetary),
            duration_holdout=float((end_day(end) - end_day(cal)) / days_per_unit(time_unit)),
        )
