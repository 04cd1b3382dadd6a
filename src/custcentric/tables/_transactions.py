"""TransactionLog: purchases as read-only columns, with the Fader-Hardie summary."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric.domain import Transaction
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.tables._grouping import encode, pack_fits
from custcentric.tables._summary import (
    CalibrationHoldout,
    CustomerSummary,
    DayAggregate,
    End,
    aggregate_days,
    as_end,
    days_per_unit,
    end_day,
)
from custcentric.tables._table import CsvLog, Field, Schema
from custcentric.typing import DatetimeArray, FloatArray, IntArray

__all__ = ["TransactionLog"]

_MAX_GAP_DAYS = 365  # an observation end further after the last transaction warns


@attrs.frozen(eq=False)
class TransactionLog(CsvLog):
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

    _SCHEMA: ClassVar[Schema] = Schema(
        (
            Field("customer_id", "id", "Who bought: int64 ids, or non-empty text."),
            Field("timestamp", "timestamp", "When: datetime64[s], no NaT."),
            Field("amount", "float", "The purchase value: finite, >= 0.", non_negative=True),
        ),
        "transactions",
    )

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
        return cls._new(customer_id, timestamp, amount)

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
        return cls._from_records(records, Transaction)

    def transaction(self, i: int) -> Transaction:
        """Return row ``i`` as a :class:`custcentric.domain.Transaction` (id as text).

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> TransactionLog.from_arrays([7], ["2024-01-01"], [2.0]).transaction(0).customer_id
        '7'
        """
        row = self._row(i)
        return Transaction(
            customer_id=str(row["customer_id"]), timestamp=row["timestamp"], amount=row["amount"]
        )

    def _describe(self) -> list[str]:
        if not len(self):
            return []
        total = f"total {float(self.amount.sum()):.2f}"
        return [self._distinct("customer_id", "customers"), self._span("timestamp"), total]

    def summary(self, observation_end: Any, *, time_unit: str = "D") -> CustomerSummary:
        r"""Summarise each customer's repeat purchases up to ``observation_end``.

        Follows Fader, Hardie and Lee (2005) and the *lifetimes* package: purchases on the
        same calendar day count once (their amounts are summed). Transactions after
        ``observation_end`` are left out (the calibration semantics: the log may run on).

        Parameters
        ----------
        observation_end : date, datetime64 or ISO 8601 str
            The end of observation. A *date* (day precision: ``"1997-09-30"``,
            :class:`datetime.date` or ``datetime64[D]``) includes the whole named day, as
            *lifetimes* does; an *instant* (``"1997-09-30T12:00"``, a
            :class:`~datetime.datetime`, ``datetime64[s]``, a pandas ``Timestamp``, even at
            midnight) includes purchases up to and including that instant. Either way ``T``
            is counted to the calendar day of the end.
        time_unit : {"D", "W", "h", "m", "s"}
            The unit of ``recency`` and ``T``.

        Returns
        -------
        CustomerSummary
            One row per customer with a purchase by ``observation_end``, ids ascending;
            ``observation_end`` is stored as ``datetime64[s]`` (midnight for a date).

        Raises
        ------
        InvalidInputError
            If ``observation_end`` falls before the first transaction (no customer would be
            left), naming both.

        Warns
        -----
        DegenerateDataWarning
            If ``observation_end`` is more than 365 days after the last transaction: every
            customer then looks long gone, which is more often a typo than intended.

        Notes
        -----
        With purchase days :math:`d_1 < \dots < d_{x+1}` and observation day :math:`d_T`:
        frequency :math:`x`, recency :math:`d_{x+1} - d_1`, :math:`T = d_T - d_1` and
        monetary the mean value of the days :math:`d_2 .. d_{x+1}` (0 when :math:`x = 0`).
        A customer whose first purchase is on the observation day has ``T = 0``.

        References
        ----------
        P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
        way", *Marketing Science* 24(2):275-284.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> log = TransactionLog.from_arrays(
        ...     [1, 1, 1, 2], ["2024-01-01", "2024-01-01T15:00", "2024-01-15", "2024-01-29T18:00"],
        ...     [10.0, 5.0, 20.0, 7.0])
        >>> s = log.summary("2024-01-29", time_unit="W")
        >>> s.frequency.tolist(), s.recency.tolist(), s.T.tolist(), s.monetary.tolist()
        ([1, 0], [2.0, 0.0], [4.0, 0.0], [20.0, 0.0])
        >>> log.summary("2024-01-29T12:00").customer_id.tolist()  # an instant: 18:00 is later
        [1]
        """
        end = as_end(observation_end, "observation_end")
        self._check_end(end, "observation_end")
        return self._summary(end, time_unit)

    def _check_end(self, end: End, name: str) -> None:
        """Refuse an end before all data; warn about one long after it."""
        if not len(self):
            return
        first = self.timestamp.min()
        if not end.covers(np.array([first]))[0]:
            msg = (
                f"`{name}` ({end.instant}) must not fall before the first transaction "
                f"({first}): no customer had bought by then."
            )
            raise InvalidInputError(msg)
        last = self.timestamp.max()
        gap = end.day - end_day(last)
        if gap > _MAX_GAP_DAYS:
            msg = (
                f"`{name}` ({end.instant}) is {gap} days after the last transaction ({last}); "
                "every customer will look inactive. Check the date."
            )
            warnings.warn(msg, DegenerateDataWarning, stacklevel=3)

    def _summary(self, end: End, time_unit: str) -> CustomerSummary:
        per_unit = days_per_unit(time_unit)
        agg = _aggregate(self, after=None, until=end)
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
            (end.day - agg.first_day) / per_unit,
            monetary,
            time_unit=time_unit,
            observation_end=end.instant,
        )

    def calibration_holdout(
        self, calibration_end: Any, observation_end: Any, *, time_unit: str = "D"
    ) -> CalibrationHoldout:
        """Split at ``calibration_end``: a calibration summary and holdout purchases.

        Parameters
        ----------
        calibration_end, observation_end : date, datetime64 or ISO 8601 str
            The calibration period is up to ``calibration_end`` and the holdout runs from
            there to ``observation_end``; a date includes the whole named day (see
            :meth:`summary`), so the holdout of ``calibration_end="2024-01-10"`` starts on
            11 January. Transactions after ``observation_end`` are left out.
        time_unit : {"D", "W", "h", "m", "s"}
            The unit of the durations.

        Returns
        -------
        CalibrationHoldout
            For customers whose first purchase is by ``calibration_end``: their calibration
            summary, the distinct purchase days and mean day value in the holdout, and the
            holdout's length (calendar days from the calibration day to the observation
            day, as *lifetimes* counts it).

        Raises
        ------
        InvalidInputError
            If ``observation_end`` is before ``calibration_end``, or ``calibration_end``
            before the first transaction.

        Warns
        -----
        DegenerateDataWarning
            If ``observation_end`` is more than 365 days after the last transaction.

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

        cal = as_end(calibration_end, "calibration_end")
        end = as_end(observation_end, "observation_end")
        check_not_greater(
            np.array([cal.bound]), "calibration_end", np.array([end.bound]), "observation_end"
        )
        self._check_end(cal, "calibration_end")
        self._check_end(end, "observation_end")
        calibration = self._summary(cal, time_unit)
        hold = _aggregate(self, after=cal, until=end)
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
            frequency_holdout=frequency,
            monetary_holdout=monetary,
            duration_holdout=float((end.day - cal.day) / days_per_unit(time_unit)),
        )


def _day_order(code: IntArray, n_codes: int, day: IntArray) -> tuple[IntArray, IntArray] | None:
    """Sort (customer, day, row) as one packed int64 key: the stable order and its group keys.

    Sorting the values of a key that ends in the row number gives the stable order without
    an ``argsort`` (the row is the key's low bits). None when the key cannot fit in int64.
    """
    n = code.size
    span = int(day.max()) + 1
    bits = max(n - 1, 1).bit_length()
    if not pack_fits(n_codes, span, 1 << bits):
        return None
    key = code * span
    key += day
    key <<= bits
    key |= np.arange(n, dtype=np.int64)
    key.sort()
    order = key & np.int64((1 << bits) - 1)
    key >>= bits
    return order, key


def _aggregate(log: TransactionLog, *, after: End | None, until: End) -> DayAggregate:
    """Aggregate purchases after ``after`` and up to ``until`` to calendar days per customer.

    The numbers of :func:`custcentric.tables._summary.aggregate_days`, summed in the same
    (customer, day, log) order: integer codes for the ids (a compact integer range is its
    own code; other ids through :func:`~custcentric.tables._grouping.encode`), one value sort
    of a packed (customer, day, row) key, then ``reduceat`` over the runs.
    """
    customer_id, timestamp, amount = log.customer_id, log.timestamp, log.amount
    keep = until.covers(timestamp)
    if after is not None:
        keep &= ~after.covers(timestamp)
    if not keep.all():
        customer_id, timestamp, amount = customer_id[keep], timestamp[keep], amount[keep]
    n = customer_id.size
    if n == 0:
        return aggregate_days(customer_id, timestamp, amount, after=None, until=until)
    day = timestamp.astype("datetime64[D]").astype(np.int64)
    day_min = int(day.min())
    day -= day_min
    span = int(day.max()) + 1
    uniques: NDArray[Any] | None = None
    id_min = 0
    if customer_id.dtype.kind in "iu":
        id_min = int(customer_id.min())
        n_codes = int(customer_id.max()) - id_min + 1
        code = customer_id.astype(np.int64) - id_min
    if customer_id.dtype.kind not in "iu" or not pack_fits(n_codes, span, 1 << n.bit_length()):
        uniques, code = encode(customer_id)
        n_codes = uniques.size
    sorted_ = _day_order(code, n_codes, day)
    if sorted_ is None:  # not even the codes leave room for the row: the two-pass sort
        return aggregate_days(customer_id, timestamp, amount, after=None, until=until)
    order, sorted_key = sorted_
    new_day = np.empty(n, dtype=bool)
    new_day[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new_day[1:])
    day_start = np.flatnonzero(new_day)
    day_value = np.add.reduceat(amount[order], day_start)
    day_key = sorted_key[day_start]
    day_code, day_offset = np.divmod(day_key, span)
    m = day_key.size
    new_customer = np.empty(m, dtype=bool)
    new_customer[0] = True
    np.not_equal(day_code[1:], day_code[:-1], out=new_customer[1:])
    cust_start = np.flatnonzero(new_customer)
    cust_end = np.append(cust_start[1:], m)
    codes_out = day_code[cust_start]
    if uniques is None:
        ids = (codes_out + id_min).astype(customer_id.dtype, copy=False)
    else:
        ids = uniques[codes_out]
    repeat_value = day_value.copy()
    repeat_value[cust_start] = 0.0
    return DayAggregate(
        customer_id=ids,
        n_days=(cust_end - cust_start).astype(np.int64),
        first_day=day_offset[cust_start] + day_min,
        last_day=day_offset[cust_end - 1] + day_min,
        repeat_total=np.add.reduceat(repeat_value, cust_start),
        total=np.add.reduceat(day_value, cust_start),
    )
