"""CustomerSummary (frequency, recency, T, monetary) and the vectorised summarising kernels."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import (
    as_datetime_array,
    as_float_array,
    as_int_array,
    check_equal_length,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import frozen
from custcentric.tables._csv import CsvErrors, IdKind
from custcentric.tables._per_customer import rows_for
from custcentric.tables._table import Field, Schema, Table, assign
from custcentric.typing import FloatArray, IntArray, TimeUnit

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CalibrationHoldout",
    "CustomerSummary",
    "End",
    "aggregate_days",
    "as_end",
    "as_instant",
    "assign",
    "days_per_unit",
    "end_day",
]


@attrs.frozen(eq=False)
class CustomerSummary(Table):
    """Per-customer repeat-purchase summary: frequency, recency, T and monetary value.

    Build it with :meth:`TransactionLog.summary`, :meth:`from_arrays`, :meth:`read_csv` or
    :meth:`from_pandas`; the arrays are read-only and checked once on construction. Every
    route runs the same checks, ``__init__`` and :func:`attrs.evolve` included, so a summary
    with columns of different lengths cannot exist; take subsets with :meth:`select`.

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
        The end of the observation period, when known, as ``datetime64[s]`` (midnight of the
        named day when :meth:`TransactionLog.summary` was given a date; ``T`` counts to that
        day).

    Examples
    --------
    >>> from custcentric.tables import CustomerSummary
    >>> s = CustomerSummary.from_arrays([1, 2], [2, 0], [30.43, 0.0], [38.86, 38.86],
    ...                                 time_unit="W")
    >>> len(s), s.frequency.tolist(), s.monetary.tolist()
    (2, [2, 0], [0.0, 0.0])
    >>> print(s)
    CustomerSummary(2 customers, time_unit='W', mean frequency 1.00, observation_end=None)
    >>> import attrs
    >>> attrs.evolve(s, customer_id=s.customer_id[:1])
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `frequency` must have the same length as `customer_id` (2 != 1).
    """

    _SCHEMA: ClassVar[Schema] = Schema(
        (
            Field("customer_id", "id", "One per customer: int64 ids, or non-empty text."),
            Field("frequency", "int", "Repeat purchase days: whole, >= 0.", non_negative=True),
            Field(
                "recency", "float", "First to last purchase day: finite, >= 0.", non_negative=True
            ),
            Field("T", "float", "First purchase day to the end: finite, >= 0.", non_negative=True),
            Field(
                "monetary",
                "float",
                "Mean repeat purchase value: finite, >= 0; all 0 when omitted.",
                required=False,
                default=0.0,
                non_negative=True,
            ),
        ),
        "customers",
        not_above=(("recency", "T"),),
    )

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
        return cls._new(
            customer_id,
            frequency,
            recency,
            T,
            monetary,
            time_unit=time_unit,
            observation_end=observation_end,
        )

    def _check_rows(self, columns: Mapping[str, NDArray[Any]]) -> None:
        """Refuse a summary that holds one customer twice, naming the first repeat."""
        ids = columns["customer_id"]
        if ids.size < 2:
            return
        order = np.argsort(ids, kind="stable")
        ordered = ids[order]
        repeated = ordered[1:] == ordered[:-1]
        if repeated.any():
            index = int(order[1:][repeated].min())
            msg = f"`customer_id` must not repeat a customer (index {index}: {fmt(ids[index])})."
            raise InvalidInputError(msg)

    def _options(self) -> dict[str, Any]:
        """Check ``observation_end`` (stored as ``datetime64[s]``) and ``time_unit``."""
        end = self.observation_end
        return {
            "observation_end": None if end is None else as_instant(end, "observation_end"),
            "time_unit": check_time_unit(self.time_unit),
        }

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        delimiter: str | None = ...,
        time_unit: str = ...,
        observation_end: Any = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["raise"] = ...,
    ) -> CustomerSummary: ...

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        delimiter: str | None = ...,
        time_unit: str = ...,
        observation_end: Any = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["report"],
    ) -> tuple[CustomerSummary, CsvErrors]: ...

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        delimiter: str | None = ",",
        time_unit: str = "D",
        observation_end: Any = None,
        names: Sequence[str] | None = None,
        ids: IdKind = "str",
        errors: Literal["raise", "report"] = "raise",
    ) -> CustomerSummary | tuple[CustomerSummary, CsvErrors]:
        r"""Read a summary from CSV (headers customer_id, frequency, recency, T[, monetary]).

        Ids stay text unless ``ids="int"``. A bad cell raises
        :class:`~custcentric.exceptions.DataFormatError` with file, line and column (also a
        ``recency`` above ``T``, or a negative ``frequency``). See
        :meth:`TransactionLog.read_csv` for ``columns`` (either direction), ``delimiter``,
        ``names`` (a file without a header line), ``ids`` (``"str"`` keeps ids as written,
        ``"int"`` parses them) and ``errors`` (``"report"`` returns ``(table, CsvErrors)``).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import CustomerSummary
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
        >>> _ = path.write_text("ID,frequency,recency,T\n1,2,30.43,38.86\n")
        >>> s = CustomerSummary.read_csv(path, columns={"customer_id": "ID"}, time_unit="W")
        >>> s.customer_id.tolist(), s.T.tolist()
        (['1'], [38.86])
        >>> CustomerSummary.read_csv(path, columns={"ID": "customer_id"}, ids="int").customer_id
        array([1])
        """
        return cls._read_csv(
            path,
            columns=columns,
            delimiter=delimiter,
            names=names,
            errors=errors,
            ids=ids,
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
        return cls._from_frame(frame, columns, time_unit=time_unit, observation_end=observation_end)

    def select(self, mask_or_ids: ArrayLike) -> CustomerSummary:
        """Return the checked subset of customers picked by a mask or by their ids.

        This is the way to subset a summary (``attrs.evolve`` with sliced columns also works,
        and is re-checked, but is easy to get wrong).

        Parameters
        ----------
        mask_or_ids : array_like of bool, or array_like of int or str
            A boolean mask of length ``len(self)`` keeps the rows where it is True, in table
            order; otherwise the values are customer *ids* (not positions), returned in the
            order given.

        Returns
        -------
        CustomerSummary
            The same ``time_unit`` and ``observation_end``; the columns re-checked.

        Raises
        ------
        InvalidInputError
            For a mask of the wrong length, an id that is not in the summary, or an id given
            twice.

        Examples
        --------
        >>> from custcentric.tables import CustomerSummary
        >>> s = CustomerSummary.from_arrays([7, 8, 9], [0, 1, 2], [0.0, 1.0, 2.0], [3.0] * 3)
        >>> s.select(s.frequency > 0).customer_id.tolist()
        [8, 9]
        >>> s.select([9, 7]).frequency.tolist()
        [2, 0]
        >>> s.select([5])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `mask_or_ids` must hold ids of the customers (index 0: 5).
        """
        index = rows_for(self.customer_id, mask_or_ids)
        return attrs.evolve(self, **{f: getattr(self, f)[index] for f in self._SCHEMA.names})

    def _describe(self) -> list[str]:
        mean = float(self.frequency.mean()) if len(self) else 0.0
        end = None if self.observation_end is None else str(self.observation_end)
        return [
            f"time_unit={self.time_unit!r}",
            f"mean frequency {mean:.2f}",
            f"observation_end={end}",
        ]


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

    def __attrs_post_init__(self) -> None:
        """Check the holdout columns against the calibration summary, on any construction."""
        calibration: object = self.calibration  # any value may arrive through __init__
        if not isinstance(calibration, CustomerSummary):
            msg = f"`calibration` must be a CustomerSummary (got {fmt(calibration)})."
            raise InvalidInputError(msg)
        freq = as_int_array(self.frequency_holdout, "frequency_holdout", non_negative=True)
        money = as_float_array(self.monetary_holdout, "monetary_holdout", non_negative=True)
        check_equal_length(
            {
                "calibration.customer_id": self.calibration.customer_id,
                "frequency_holdout": freq,
                "monetary_holdout": money,
            }
        )
        duration = as_float_array([self.duration_holdout], "duration_holdout", non_negative=True)
        assign(
            self,
            frequency_holdout=frozen(freq),
            monetary_holdout=frozen(money),
            duration_holdout=float(duration[0]),
        )

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
    after: End | None,
    until: End,
) -> DayAggregate:
    """Aggregate purchases after ``after`` and up to ``until`` to calendar days per customer.

    One stable sort of a single int64 key (customer code x day span + day), then
    ``reduceat`` reductions: no Python loop over customers or rows.
    """
    keep = until.covers(timestamp)
    if after is not None:
        keep &= ~after.covers(timestamp)
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


@attrs.frozen
class End:
    """The end of an observation period, as given by the caller.

    A date (day precision: ``"2025-06-30"``, :class:`datetime.date`, ``datetime64[D]``)
    covers the whole named day; any other value is an instant, covered up to and including
    that instant. ``instant`` is what summaries store (midnight for a date) and ``day`` the
    calendar day that ``T`` is counted to.
    """

    instant: np.datetime64
    whole_day: bool

    @property
    def day(self) -> int:
        """The calendar day (days since 1970-01-01) of the end."""
        return end_day(self.instant)

    @property
    def bound(self) -> np.datetime64:
        """The instant up to which purchases count (the next midnight for a date)."""
        if self.whole_day:
            return np.datetime64(self.day + 1, "D")
        return self.instant

    def covers(self, timestamp: NDArray[np.datetime64]) -> NDArray[np.bool_]:
        """Return whether each timestamp falls within the period ending here."""
        if self.whole_day:
            return timestamp < self.bound
        return timestamp <= self.instant


def as_end(value: Any, name: str) -> End:
    """Return the end of a period: a whole day for a date, else an instant (see :class:`End`)."""
    return End(instant=as_instant(value, name), whole_day=_is_date(value))


def _is_date(value: Any) -> bool:
    """Whether ``value`` names a calendar day rather than an instant."""
    if isinstance(value, np.datetime64):
        return np.datetime_data(value.dtype)[0] == "D"
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str):
        try:
            parsed = np.datetime64(value)
        except ValueError:
            return False
        return np.datetime_data(parsed.dtype)[0] == "D"
    return False


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
