"""Per-customer summaries of a Dask DataFrame of transactions (one shuffle, one kernel)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._time import check_time_unit
from custcentric.dask._checks import Kind, check_meta, check_partition, column_mapping
from custcentric.dask._deps import check_frame, dask_quietly
from custcentric.dask._end import End, as_end, days_per_unit
from custcentric.exceptions import InvalidInputError
from custcentric.tables import CalibrationHoldout, CustomerSummary

__all__ = [
    "ORDER_SHIFT",
    "HoldoutFrame",
    "SummaryFrame",
    "calibration_holdout",
    "check_summary",
    "summarise",
    "summary_frame",
]

ORDER_SHIFT = 40
"""Bits for the row within a partition in the log-order tag (partition << 40 | row)."""

_SPEC: dict[str, Kind] = {"customer_id": "id", "timestamp": "timestamp", "amount": "amount"}
_SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary")


@attrs.frozen(eq=False)
class SummaryFrame:
    """A per-customer summary held as a Dask DataFrame, with its unit and end.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        Columns ``customer_id, frequency, recency, T, monetary``, one row per customer; each
        customer in exactly one partition, ids ascending within a partition.
    time_unit : {"s", "m", "h", "D", "W"}
        The unit of ``recency`` and ``T``.
    observation_end : numpy.datetime64 or None
        The end of observation (``datetime64[s]``; midnight of the named day for a date).

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import summarise
    >>> frame = dd.from_pandas(pd.DataFrame({
    ...     "customer_id": [1, 1, 2],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-03"]),
    ...     "amount": [5.0, 7.0, 1.0]}), npartitions=2)
    >>> s = summarise(frame, "2024-01-15", time_unit="W")
    >>> s.time_unit, str(s.observation_end)
    ('W', '2024-01-15T00:00:00')
    >>> s.compute().T.tolist()
    [2.0, 1.7142857142857142]
    """

    frame: Any
    time_unit: str = "D"
    observation_end: np.datetime64 | None = None

    def compute(self, **compute_kwargs: Any) -> CustomerSummary:
        """Compute the frame into one in-memory :class:`~custcentric.tables.CustomerSummary`.

        The rows come back ordered by customer id, as :meth:`TransactionLog.summary` gives
        them. ``compute_kwargs`` go to ``dask.compute`` (e.g. ``scheduler="threads"``).

        Examples
        --------
        >>> import pandas as pd, dask.dataframe as dd
        >>> from custcentric.dask import summarise
        >>> frame = dd.from_pandas(pd.DataFrame({
        ...     "customer_id": ["b", "a", "b"],
        ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"]),
        ...     "amount": [1.0, 2.0, 3.0]}), npartitions=3)
        >>> s = summarise(frame, "2024-01-10").compute()
        >>> s.customer_id.tolist(), s.frequency.tolist(), s.monetary.tolist()
        (['a', 'b'], [0, 1], [0.0, 3.0])
        """
        with dask_quietly():
            local = self.frame.compute(**compute_kwargs)
        ids = _id_values(local["customer_id"])
        order = np.argsort(ids, kind="stable")
        return CustomerSummary.from_arrays(
            ids[order],
            local["frequency"].to_numpy(dtype=np.int64)[order],
            local["recency"].to_numpy(dtype=np.float64)[order],
            local["T"].to_numpy(dtype=np.float64)[order],
            local["monetary"].to_numpy(dtype=np.float64)[order],
            time_unit=self.time_unit,
            observation_end=self.observation_end,
        )


def check_summary(summary: object) -> SummaryFrame:
    """Return ``summary`` if it is a :class:`SummaryFrame`, else raise."""
    if not isinstance(summary, SummaryFrame):
        msg = f"`summary` must be a SummaryFrame (got {type(summary).__name__})."
        raise InvalidInputError(msg)
    return summary


def _id_values(series: Any) -> NDArray[Any]:
    """Ids as int64, or as a NumPy array of str (what the tables hold)."""
    if series.dtype.kind in "iu":
        values: NDArray[Any] = series.to_numpy(dtype=np.int64)
        return values
    return np.asarray(series.to_numpy(dtype=object).astype(str))


def summary_frame(
    frame: Any,
    *,
    time_unit: str = "D",
    observation_end: Any = None,
    columns: Mapping[str, str] | None = None,
) -> SummaryFrame:
    """Wrap a Dask DataFrame that already holds a summary (e.g. read back from parquet).

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        Columns ``customer_id, frequency, recency, T`` and optionally ``monetary`` (0 when
        absent), one row per customer.
    time_unit : {"s", "m", "h", "D", "W"}
        The unit of ``recency`` and ``T``.
    observation_end : date, datetime64 or str, optional
        The end of observation, when known.
    columns : mapping, optional
        Field to frame column (either direction), e.g. ``{"customer_id": "ID"}``.

    Returns
    -------
    SummaryFrame

    Raises
    ------
    InvalidInputError
        If a column is missing or not numeric.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import summary_frame
    >>> frame = dd.from_pandas(pd.DataFrame({"ID": [1, 2], "frequency": [0, 2],
    ...     "recency": [0.0, 3.0], "T": [4.0, 5.0]}), npartitions=1)
    >>> summary_frame(frame, columns={"customer_id": "ID"}).compute().monetary.tolist()
    [0.0, 0.0]
    """
    check_frame(frame, "frame")
    unit = check_time_unit(time_unit)
    end = None if observation_end is None else as_end(observation_end, "observation_end").instant
    available = [str(c) for c in frame.columns]
    fields = ["customer_id", "frequency", "recency", "T"]
    optional = ["monetary"] if "monetary" in available or "monetary" in dict(columns or {}) else []
    mapping = column_mapping(fields + optional, columns, available)
    spec: dict[str, Kind] = {"customer_id": "id", "frequency": "amount"}
    spec |= {"recency": "amount", "T": "amount"}
    check_meta(frame._meta, spec, mapping)
    renamed = frame[[mapping[f] for f in fields + optional]].rename(
        columns={mapping[f]: f for f in fields + optional}
    )
    if not optional:
        renamed = renamed.assign(monetary=0.0)
    return SummaryFrame(frame=renamed, time_unit=unit, observation_end=end)


def _prepare(
    part: Any,
    mapping: Mapping[str, str],
    end: End,
    calibration: End | None,
    partition_info: Mapping[str, Any] | None = None,
) -> Any:
    """Check a partition, keep the purchases up to the end, tag each row with its log order.

    With a calibration end, ``_calibration`` marks the purchases it covers.
    """
    import pandas as pd

    number = int(partition_info["number"]) if partition_info else 0
    check_partition(part, _SPEC, mapping, number)
    stamps = part[mapping["timestamp"]].to_numpy()
    keep = np.asarray(end.covers(stamps), dtype=bool)
    rows = np.flatnonzero(keep)
    ids = part[mapping["customer_id"]].iloc[rows]
    columns = {
        "customer_id": ids.to_numpy(),
        "day": stamps[rows].astype("datetime64[D]").astype(np.int64),
        "amount": part[mapping["amount"]].to_numpy(dtype=np.float64)[rows],
        "_order": (np.int64(number) << ORDER_SHIFT) + rows.astype(np.int64),
    }
    if calibration is not None:
        columns["_calibration"] = np.asarray(calibration.covers(stamps[rows]), dtype=bool)
    return pd.DataFrame(columns).astype({"customer_id": ids.dtype})


def customer_codes(ids: Any, span: int) -> tuple[NDArray[np.int64], Any, int]:
    """Return codes ordered like the ids, the sorted distinct ids (or None) and an offset.

    Integer ids whose range (times ``span``) fits an int64 key are their own codes (offset
    by the minimum); other ids are factorised with sorted uniques.
    """
    import pandas as pd

    if ids.dtype.kind in "iu":
        values = ids.to_numpy(dtype=np.int64)
        low = int(values.min())
        if (int(values.max()) - low + 1) * span < 2**62:
            return values - low, None, low
    codes, uniques = pd.factorize(ids, sort=True)
    return codes.astype(np.int64), uniques, 0


@attrs.frozen(eq=False)
class _Days:
    """Per-customer aggregates of purchase days (ids ascending)."""

    customer_id: NDArray[Any]
    n_days: NDArray[np.int64]
    first: NDArray[np.int64]
    last: NDArray[np.int64]
    repeat_total: NDArray[np.float64]
    total: NDArray[np.float64]


def _aggregate_days(ids: Any, day: NDArray[np.int64], amount: NDArray[np.float64]) -> _Days:
    """Aggregate to purchase days per customer: one stable sort of one key, ``reduceat``.

    The rows must be in log order (the order of summing a day's amounts).
    """
    if not day.size:
        none = np.zeros(0, dtype=np.int64)
        return _Days(np.asarray(ids)[:0], none, none, none, np.zeros(0), np.zeros(0))
    day_min = int(day.min())
    span = int(day.max()) - day_min + 1
    codes, uniques, low = customer_codes(ids, span)
    key = codes * span + (day - day_min)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    n = key.size
    new_day = np.empty(n, dtype=bool)
    new_day[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new_day[1:])
    day_start = np.flatnonzero(new_day)
    day_value = np.add.reduceat(amount[order], day_start)
    day_code, day_offset = np.divmod(sorted_key[day_start], span)
    m = day_start.size
    new_customer = np.empty(m, dtype=bool)
    new_customer[0] = True
    np.not_equal(day_code[1:], day_code[:-1], out=new_customer[1:])
    cust_start = np.flatnonzero(new_customer)
    cust_end = np.append(cust_start[1:], m)
    codes_out = day_code[cust_start]
    out_ids = codes_out + low if uniques is None else np.asarray(uniques)[codes_out]
    repeat_value = day_value.copy()
    repeat_value[cust_start] = 0.0
    return _Days(
        customer_id=out_ids,
        n_days=(cust_end - cust_start).astype(np.int64),
        first=day_offset[cust_start] + day_min,
        last=day_offset[cust_end - 1] + day_min,
        repeat_total=np.add.reduceat(repeat_value, cust_start),
        total=np.add.reduceat(day_value, cust_start),
    )


def _summary_columns(days: _Days, end_day: int, per_unit: float) -> dict[str, Any]:
    frequency = days.n_days - 1
    monetary = np.divide(
        days.repeat_total, frequency, out=np.zeros(frequency.size), where=frequency > 0
    )
    return {
        "customer_id": days.customer_id,
        "frequency": frequency,
        "recency": (days.last - days.first) / per_unit,
        "T": (end_day - days.first) / per_unit,
        "monetary": monetary,
    }


def _in_log_order(part: Any) -> Any:
    return part.iloc[np.argsort(part["_order"].to_numpy(), kind="stable")]


def _summarise_partition(part: Any, meta: Any, end_day: int, per_unit: float) -> Any:
    """Run the in-memory kernel on one partition that holds every purchase of its customers."""
    import pandas as pd

    if not len(part):
        return meta
    part = _in_log_order(part)
    days = _aggregate_days(part["customer_id"], part["day"].to_numpy(), part["amount"].to_numpy())
    out = pd.DataFrame(_summary_columns(days, end_day, per_unit))
    return out.astype(meta.dtypes.to_dict())


def _split_partition(part: Any, meta: Any, cal_day: int, per_unit: float) -> Any:
    """Return the calibration summary and the holdout purchase days of the customers."""
    import pandas as pd

    if not len(part):
        return meta
    part = _in_log_order(part)
    inside = part["_calibration"].to_numpy()
    cal, hold = part[inside], part[~inside]
    days = _aggregate_days(cal["customer_id"], cal["day"].to_numpy(), cal["amount"].to_numpy())
    columns = _summary_columns(days, cal_day, per_unit)
    later = _aggregate_days(hold["customer_id"], hold["day"].to_numpy(), hold["amount"].to_numpy())
    frequency = np.zeros(days.customer_id.size, dtype=np.int64)
    monetary = np.zeros(days.customer_id.size)
    if later.customer_id.size and days.customer_id.size:
        ids = days.customer_id
        pos = np.minimum(np.searchsorted(ids, later.customer_id), ids.size - 1)
        known = ids[pos] == later.customer_id
        frequency[pos[known]] = later.n_days[known]
        monetary[pos[known]] = later.total[known] / later.n_days[known]
    columns |= {"frequency_holdout": frequency, "monetary_holdout": monetary}
    return pd.DataFrame(columns).astype(meta.dtypes.to_dict())


def _shuffled(
    transactions: Any,
    end: End,
    calibration: End | None,
    columns: Mapping[str, str] | None,
    npartitions: int | None,
    shuffle_method: str | None,
) -> tuple[Any, Any]:
    """Check the frame's metadata; return the checked rows shuffled by customer, id dtype."""
    import pandas as pd

    check_frame(transactions, "transactions")
    mapping = column_mapping(list(_SPEC), columns, [str(c) for c in transactions.columns])
    meta_in = transactions._meta
    check_meta(meta_in, _SPEC, mapping)
    if npartitions is not None and (not isinstance(npartitions, int) or npartitions < 1):
        msg = f"`npartitions` must be a positive integer (got {npartitions!r})."
        raise InvalidInputError(msg)
    id_dtype = meta_in[mapping["customer_id"]].dtype
    prepared_meta = pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype=id_dtype),
            "day": np.zeros(0, dtype=np.int64),
            "amount": np.zeros(0),
            "_order": np.zeros(0, dtype=np.int64),
        }
        | ({} if calibration is None else {"_calibration": np.zeros(0, dtype=bool)})
    )
    prepared = transactions.map_partitions(
        _prepare, dict(mapping), end, calibration, meta=prepared_meta, enforce_metadata=False
    )
    shuffled = prepared.shuffle(
        on="customer_id", npartitions=npartitions, shuffle_method=shuffle_method
    )
    return shuffled, id_dtype


def _summary_meta(id_dtype: Any) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype=id_dtype),
            "frequency": np.zeros(0, dtype=np.int64),
            "recency": np.zeros(0),
            "T": np.zeros(0),
            "monetary": np.zeros(0),
        }
    )


def summarise(
    transactions: Any,
    observation_end: Any,
    *,
    time_unit: str = "D",
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
    shuffle_method: str | None = None,
) -> SummaryFrame:
    """Summarise each customer's repeat purchases up to ``observation_end``, on Dask.

    The numbers are those of :meth:`custcentric.tables.TransactionLog.summary` on the same
    rows: purchases on one calendar day count once (their amounts summed, in log order),
    ``frequency`` is the repeat purchase days, ``recency`` the first to the last purchase
    day, ``T`` the first purchase day to the day of the end, ``monetary`` the mean value of
    the repeat purchase days. Purchases after the end are left out.

    Parameters
    ----------
    transactions : dask.dataframe.DataFrame
        Columns ``customer_id`` (integer or text), ``timestamp`` (naive datetime64) and
        ``amount`` (non-negative numbers); any partitioning (a customer's purchases may
        span partitions).
    observation_end : date, datetime64 or ISO 8601 str
        A date covers the whole named day; an instant covers purchases up to and including
        it. ``T`` is counted to the calendar day of the end.
    time_unit : {"D", "W", "h", "m", "s"}
        The unit of ``recency`` and ``T``.
    columns : mapping, optional
        Field to frame column (either direction), e.g. ``{"customer_id": "CustID"}``.
    npartitions : int, optional
        Partitions of the result (default: those of ``transactions``).
    shuffle_method : {"tasks", "disk", "p2p"}, optional
        How Dask moves each customer's rows into one partition (default: Dask's choice;
        ``"disk"`` bounds the memory of a large job on one machine, ``"p2p"`` needs
        ``distributed``).

    Returns
    -------
    SummaryFrame
        Lazy: ``.frame`` is the Dask DataFrame (one row per customer with a purchase by the
        end), ``.compute()`` the in-memory summary. An end before every purchase gives no
        customers.

    Raises
    ------
    InvalidInputError
        At once for a missing column or a wrong dtype in the frame's metadata; when the
        partition is computed for a wrong dtype, a missing id or timestamp (NaT), an empty
        id, a NaN, infinite or negative amount, naming the column, the partition and the
        row.

    Notes
    -----
    Each partition is checked, filtered to the end and tagged with its log order, then the
    rows are shuffled by customer so that every customer lands in one partition, where the
    same sort-and-``reduceat`` kernel as the in-memory summary runs. Persist the result
    (``s.frame.persist()``) or write it out when it feeds several steps.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import summarise
    >>> frame = dd.from_pandas(pd.DataFrame({
    ...     "customer_id": [1, 2, 1, 1],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-29T18:00", "2024-01-01T15:00",
    ...                                  "2024-01-15"], format="ISO8601"),
    ...     "amount": [10.0, 7.0, 5.0, 20.0]}), npartitions=2)
    >>> s = summarise(frame, "2024-01-29", time_unit="W").compute()
    >>> s.frequency.tolist(), s.recency.tolist(), s.T.tolist(), s.monetary.tolist()
    ([1, 0], [2.0, 0.0], [4.0, 0.0], [20.0, 0.0])
    """
    unit = check_time_unit(time_unit)
    end = as_end(observation_end, "observation_end")
    shuffled, id_dtype = _shuffled(transactions, end, None, columns, npartitions, shuffle_method)
    out_meta = _summary_meta(id_dtype)
    summary = shuffled.map_partitions(
        _summarise_partition,
        out_meta,
        end.day,
        days_per_unit(unit),
        meta=out_meta,
        enforce_metadata=False,
    )
    return SummaryFrame(frame=summary, time_unit=unit, observation_end=end.instant)


@attrs.frozen(eq=False)
class HoldoutFrame:
    """A calibration summary with each customer's holdout purchases, as a Dask DataFrame.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        The summary columns at ``calibration_end`` plus ``frequency_holdout`` (distinct
        purchase days in the holdout) and ``monetary_holdout`` (their mean value).
    time_unit : str
    calibration_end : numpy.datetime64
    duration_holdout : float
        The holdout's length in ``time_unit`` (calibration day to observation day).

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import calibration_holdout
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": ["a", "a"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-09"]),
    ...     "amount": [5.0, 9.0]}), npartitions=2)
    >>> split = calibration_holdout(frame, "2024-01-06", "2024-01-13")
    >>> split.time_unit, split.calibration.compute().frequency.tolist()
    ('D', [0])
    """

    frame: Any
    time_unit: str
    calibration_end: np.datetime64
    duration_holdout: float

    @property
    def calibration(self) -> SummaryFrame:
        """The calibration summary alone, as a :class:`SummaryFrame`."""
        return SummaryFrame(
            frame=self.frame[list(_SUMMARY_COLUMNS)],
            time_unit=self.time_unit,
            observation_end=self.calibration_end,
        )

    def compute(self, **compute_kwargs: Any) -> CalibrationHoldout:
        """Compute into the in-memory :class:`~custcentric.tables.CalibrationHoldout`.

        Examples
        --------
        >>> import pandas as pd, dask.dataframe as dd
        >>> from custcentric.dask import calibration_holdout
        >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 1, 2],
        ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-25"]),
        ...     "amount": [4.0, 6.0, 1.0]}), npartitions=2)
        >>> split = calibration_holdout(frame, "2024-01-10", "2024-01-31").compute()
        >>> split.calibration.customer_id.tolist(), split.frequency_holdout.tolist()
        ([1], [1])
        >>> split.monetary_holdout.tolist(), split.duration_holdout
        ([6.0], 21.0)
        """
        with dask_quietly():
            local = self.frame.compute(**compute_kwargs)
        ids = _id_values(local["customer_id"])
        order = np.argsort(ids, kind="stable")
        calibration = CustomerSummary.from_arrays(
            ids[order],
            local["frequency"].to_numpy(dtype=np.int64)[order],
            local["recency"].to_numpy(dtype=np.float64)[order],
            local["T"].to_numpy(dtype=np.float64)[order],
            local["monetary"].to_numpy(dtype=np.float64)[order],
            time_unit=self.time_unit,
            observation_end=self.calibration_end,
        )
        return CalibrationHoldout(
            calibration=calibration,
            frequency_holdout=local["frequency_holdout"].to_numpy(dtype=np.int64)[order],
            monetary_holdout=local["monetary_holdout"].to_numpy(dtype=np.float64)[order],
            duration_holdout=self.duration_holdout,
        )


def calibration_holdout(
    transactions: Any,
    calibration_end: Any,
    observation_end: Any,
    *,
    time_unit: str = "D",
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
    shuffle_method: str | None = None,
) -> HoldoutFrame:
    """Split at ``calibration_end``: a calibration summary and the holdout purchases, on Dask.

    The numbers of :meth:`custcentric.tables.TransactionLog.calibration_holdout`: the
    summary at ``calibration_end`` of the customers who bought by then, with their distinct
    purchase days and mean day value in ``(calibration_end, observation_end]``. Parameters
    as in :func:`summarise`; both ends follow its date and instant rules.

    Returns
    -------
    HoldoutFrame
        Lazy; ``.compute()`` gives the in-memory ``CalibrationHoldout``.

    Raises
    ------
    InvalidInputError
        If ``observation_end`` is before ``calibration_end``, and for bad input as in
        :func:`summarise`.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import calibration_holdout
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": ["a", "a", "a"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09"]),
    ...     "amount": [5.0, 7.0, 9.0]}), npartitions=3)
    >>> split = calibration_holdout(frame, "2024-01-06", "2024-01-13")
    >>> split.duration_holdout, split.frame.compute()["frequency_holdout"].tolist()
    (7.0, [1])
    """
    unit = check_time_unit(time_unit)
    cal = as_end(calibration_end, "calibration_end")
    end = as_end(observation_end, "observation_end")
    cal_bound = np.datetime64(cal.day + 1, "D") if cal.whole_day else cal.instant
    end_bound = np.datetime64(end.day + 1, "D") if end.whole_day else end.instant
    if cal_bound > end_bound:
        msg = (
            f"`calibration_end` ({cal.instant}) must not be later than `observation_end` "
            f"({end.instant})."
        )
        raise InvalidInputError(msg)
    shuffled, id_dtype = _shuffled(transactions, end, cal, columns, npartitions, shuffle_method)
    meta = _summary_meta(id_dtype).assign(
        frequency_holdout=np.zeros(0, dtype=np.int64), monetary_holdout=np.zeros(0)
    )
    per_unit = days_per_unit(unit)
    frame = shuffled.map_partitions(
        _split_partition, meta, cal.day, per_unit, meta=meta, enforce_metadata=False
    )
    return HoldoutFrame(
        frame=frame,
        time_unit=unit,
        calibration_end=cal.instant,
        duration_holdout=float((end.day - cal.day) / per_unit),
    )
