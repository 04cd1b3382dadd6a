"""CustomerSummary (frequency, recency, T, monetary) and the vectorised summarising kernels."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import (
    as_datetime_array,
    as_float_array,
    as_int_array,
    check_equal_length,
    check_not_greater,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import as_id_array, frozen
from custcentric.tables._csv import read_columns
from custcentric.typing import FloatArray, IntArray, TimeUnit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CalibrationHoldout",
    "CustomerSummary",
    "aggregate_days",
    "as_instant",
    "days_per_unit",
    "end_day",
]

_FIELDS = ("customer_id", "frequency", "recency", "T", "monetary")


@attrs.frozen(eq=False)
class CustomerSummary:
    """Per-customer repeat-purchase summary: frequency, recency, T and monetary value.

    Build it with :meth:`TransactionLog.summary`, :meth:`from_arrays`, :meth:`read_csv` or
    :meth:`from_pandas`; the arrays are read-only and checked once on construction.

    Attributes
    ----------
    customer_id : ndarray of int64 or str
        One entry per customer.
    frequency : ndarray of int64
        Repeat purchase days (distinct purchase days after the first).
    recency : ndarray of float64
        Time from the first to the last purchase day, in ``time_unit``.
    T : ndarray of float64
        Time from the first purchase day to the end of observation, in ``time_unit``.
    monetary : ndarray of float64
        Mean value of the repeat purchase days (0 when ``frequency`` is 0).
    time_unit : {"s", "m", "h", "D", "W"}
        The unit of ``recency`` and ``T``.
    observation_end : numpy.datetime64 or None
        The end of the observation period, when known.

    Examples
    --------
    >>> from custcentric.tables import CustomerSummary
    >>> s = CustomerSummary.from_arrays([1, 2], [2, 0], [30.43, 0.0], [38.86, 38.86],
    ...                                 time_unit="W")
    >>> len(s), s.frequency.tolist(), s.monetary.tolist()
    (2, [2, 0], [0.0, 0.0])
    >>> print(s)
    CustomerSummary(2 customers, time_unit='W', mean frequency 1.00, observation_end=None)
    """

    customer_id: NDArray[Any]
    frequency: IntArray
    recency: FloatArray
    T: FloatArray
    monetary: FloatArray
    time_unit: TimeUnit = "D"
    observation_end: np.datetime64 | None = None

    @classmethod
    def from_arrays(
        cls,
        customer_id: ArrayLike,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,  # noqa: N803
        monetary: ArrayLike | None = None,
        *,
        time_unit: str = "D",
        observation_end: Any = None,
    ) -> CustomerSummary:
        """Convert and check the columns and return the read-only summary.

        Parameters
        ----------
        customer_id : array_like of int or str
            Integer ids are kept as int64, any other ids as non-empty strings.
        frequency : array_like of int
            Non-negative whole numbers.
        recency, T : array_like of float
            Finite, with ``0 <= recency <= T``.
        monetary : array_like of float, optional
            Finite and non-negative; all zero when omitted (e.g. a published summary that
            carries no values).
        time_unit : {"s", "m", "h", "D", "W"}
            The unit of ``recency`` and ``T``.
        observation_end : datetime64, str or None
            The end of observation, stored as ``datetime64[s]``.

        Raises
        ------
        InvalidInputError
            For unequal lengths, a negative or fractional frequency, NaN or infinity,
            negative values, or ``recency > T``; the message names the field and index.

        Examples
        --------
        >>> from custcentric.tables import CustomerSummary
        >>> CustomerSummary.from_arrays([1], [1], [5.0], [4.0])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `recency` must not exceed `T` (index 0: 5.0 > 4.0).
        """
        ids = as_id_array(customer_id, "customer_id")
        freq = as_int_array(frequency, "frequency", non_negative=True)
        rec = as_float_array(recency, "recency", non_negative=True)
        t = as_float_array(T, "T", non_negative=True)
        money = (
            np.zeros(ids.size)
            if monetary is None
            else as_float_array(monetary, "monetary", non_negative=True)
        )
        check_equal_length(
            {"customer_id": ids, "frequency": freq, "recency": rec, "T": t, "monetary": money}
        )
        check_not_greater(rec, "recency", t, "T")
        _check_unique_ids(ids)
        end = None if observation_end is None else as_instant(observation_end, "observation_end")
        return cls(
            customer_id=frozen(ids),
            frequency=frozen(freq),
            recency=frozen(rec),
            T=frozen(t),
            monetary=frozen(money),
            time_unit=check_time_unit(time_unit),
            observation_end=end,
        )

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        delimiter: str | None = ",",
        time_unit: str = "D",
        observation_end: Any = None,
    ) -> CustomerSummary:
        r"""Read a summary from CSV (headers customer_id, frequency, recency, T[, monetary]).

        Whole-number ids become int64, other ids stay text. A bad cell raises
        :class:`~custcentric.exceptions.DataFormatError` with file, line and column.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import CustomerSummary
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
        >>> _ = path.write_text("ID,frequency,recency,T\n1,2,30.43,38.86\n")
        >>> s = CustomerSummary.read_csv(path, columns={"customer_id": "ID"}, time_unit="W")
        >>> s.customer_id.tolist(), s.T.tolist()
        ([1], [38.86])
        """
        table = read_columns(
            path, _FIELDS, columns=columns, required=_FIELDS[:4], delimiter=delimiter
        )
        return cls.from_arrays(
            table.ids("customer_id"),
            table.integers("frequency"),
            table.numbers("recency", non_negative=True),
            table.numbers("T", non_negative=True),
            table.numbers("monetary", non_negative=True) if "monetary" in table.data else None,
            time_unit=time_unit,
            observation_end=observation_end,
        )

    @classmethod
    def from_pandas(
        cls,
        frame: pd.DataFrame,
        *,
        columns: Mapping[str, str] | None = None,
        time_unit: str = "D",
        observation_end: Any = None,
    ) -> CustomerSummary:
        """Build a summary from a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> import pandas as pd
        >>> from custcentric.tables import CustomerSummary
        >>> frame = pd.DataFrame({"customer_id": [1], "frequency": [0], "recency": [0.0],
        ...                       "T": [3.0]})
        >>> len(CustomerSummary.from_pandas(frame))
        1
        """
        data = frame_columns(frame, _FIELDS, columns=columns, required=_FIELDS[:4])
        return cls.from_arrays(
            data["customer_id"],
            data["frequency"],
            data["recency"],
            data["T"],
            data.get("monetary"),
            time_unit=time_unit,
            observation_end=observation_end,
        )

    def to_pandas(self) -> pd.DataFrame:
        """Return the summary as a DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import CustomerSummary
        >>> CustomerSummary.from_arrays([1], [0], [0.0], [2.0]).to_pandas().columns.tolist()
        ['customer_id', 'frequency', 'recency', 'T', 'monetary']
        """
        return make_frame({f: getattr(self, f) for f in _FIELDS})

    def __len__(self) -> int:
        return int(self.customer_id.size)

    def __str__(self) -> str:
        mean = float(self.frequency.mean()) if len(self) else 0.0
        end = None if self.observation_end is None else str(self.observation_end)
        return (
            f"CustomerSummary({len(self)} customers, time_unit={self.time_unit!r}, "
            f"mean frequency {mean:.2f}, observation_end={end})"
        )


@attrs.frozen(eq=False)
class CalibrationHoldout:
    """A calibration summary and the same customers' purchases in the holdout period.

    Mirrors ``calibration_and_holdout_data`` of the *lifetimes* package.

    Attributes
    ----------
    calibration : CustomerSummary
        The summary at ``calibration_end`` of the customers who bought by then.
    frequency_holdout : ndarray of int64
        Distinct purchase days in ``(calibration_end, observation_end]``, aligned with
        ``calibration.customer_id``.
    monetary_holdout : ndarray of float64
        Mean value of those purchase days (0 when there were none).
    duration_holdout : float
        The length of the holdout period in ``calibration.time_unit``.

    Examples
    --------
    >>> from custcentric.tables import TransactionLog
    >>> log = TransactionLog.from_arrays([1, 1, 1], ["2024-01-01", "2024-01-05", "2024-01-09"],
    ...                                  [5.0, 7.0, 9.0])
    >>> split = log.calibration_holdout("2024-01-06", "2024-01-13")
    >>> split.calibration.frequency.tolist(), split.frequency_holdout.tolist()
    ([1], [1])
    >>> split.monetary_holdout.tolist(), split.duration_holdout
    ([9.0], 7.0)
    """

    calibration: CustomerSummary
    frequency_holdout: IntArray
    monetary_holdout: FloatArray
    duration_holdout: float

    def __len__(self) -> int:
        return len(self.calibration)


@attrs.frozen(eq=False)
class DayAggregate:
    """Per-customer aggregates of purchase days (ids sorted ascending)."""

    customer_id: NDArray[Any]
    n_days: IntArray
    first_day: IntArray  # days since 1970-01-01
    last_day: IntArray
    repeat_total: FloatArray  # value of all purchase days but the first
    total: FloatArray


def aggregate_days(
    customer_id: NDArray[Any],
    timestamp: NDArray[np.datetime64],
    amount: FloatArray,
    *,
    after: np.datetime64 | None,
    until: np.datetime64,
) -> DayAggregate:
    """Aggregate purchases with ``after < timestamp <= until`` to calendar days per customer.

    One stable sort of a single int64 key (customer code x day span + day), then
    ``reduceat`` reductions: no Python loop over customers or rows.
    """
    keep = timestamp <= until
    if after is not None:
        keep &= timestamp > after
    if not keep.all():
        customer_id, timestamp, amount = customer_id[keep], timestamp[keep], amount[keep]
    n = customer_id.size
    if n == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        return DayAggregate(
            customer_id=customer_id[:0],
            n_days=empty_i,
            first_day=empty_i,
            last_day=empty_i,
            repeat_total=np.zeros(0),
            total=np.zeros(0),
        )
    day = timestamp.astype("datetime64[D]").astype(np.int64)
    day_min = int(day.min())
    span = int(day.max()) - day_min + 1
    uniques: NDArray[Any] | None = None
    if customer_id.dtype.kind == "i":
        id_min = int(customer_id.min())
        if (int(customer_id.max()) - id_min + 1) * span < 2**62:
            codes = customer_id - id_min
        else:
            uniques, codes = np.unique(customer_id, return_inverse=True)
    else:
        uniques, codes = np.unique(customer_id, return_inverse=True)
    key = codes.astype(np.int64, copy=False) * span + (day - day_min)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
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
    ids = codes_out + id_min if uniques is None else uniques[codes_out]
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


def as_instant(value: Any, name: str) -> np.datetime64:
    """Return one timestamp as ``datetime64[s]``, refusing NaT and unparsable values."""
    instant: np.datetime64 = as_datetime_array([value], name)[0]
    return instant


def days_per_unit(time_unit: str) -> float:
    """Return how many days one ``time_unit`` lasts."""
    return SECONDS_PER_UNIT[check_time_unit(time_unit)] / 86400.0


def end_day(end: np.datetime64) -> int:
    """Return the calendar day (days since 1970-01-01) holding ``end``."""
    return int(end.astype("datetime64[D]").astype(np.int64))


def _check_unique_ids(ids: NDArray[Any]) -> None:
    """Refuse a summary that holds one customer twice, naming the first repeat."""
    if ids.size < 2:
        return
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    repeated = ordered[1:] == ordered[:-1]
    if repeated.any():
        index = int(order[1:][repeated].min())
        msg = f"`customer_id` must not repeat a customer (index {index}: {fmt(ids[index])})."
        raise InvalidInputError(msg)
