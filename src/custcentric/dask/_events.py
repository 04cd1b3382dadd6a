"""Cycle times per case on a Dask DataFrame of events (cases may span partitions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from custcentric._time import check_time_unit
from custcentric._validation import as_datetime_array, fmt
from custcentric.dask._checks import Kind, check_meta, check_partition, column_mapping
from custcentric.dask._deps import check_frame
from custcentric.dask._summary import ORDER_SHIFT
from custcentric.exceptions import InvalidInputError

__all__ = ["CycleTimeFrame", "cycle_times"]

_SPEC: dict[str, Kind] = {
    "case_id": "id",
    "process": "text",
    "activity": "text",
    "timestamp": "timestamp",
    "customer_id": "id",
}
_OUT = (
    "case_id",
    "process",
    "customer_id",
    "start",
    "end",
    "duration",
    "closed",
    "n_events",
    "last_activity",
)


@attrs.frozen(eq=False)
class CycleTimeFrame:
    """Cycle times per case as a Dask DataFrame, with how cases were judged closed.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        Columns ``case_id, process, customer_id, start, end, duration, closed, n_events,
        last_activity`` (those of :class:`custcentric.process.CycleTimes`), one row per
        case, each case in one partition, ids ascending within a partition.
    observation_end : numpy.datetime64
        Where open cases are censored.
    unit : str
        The unit of ``duration``.
    final_activity : dict of str to tuple of str
        The activities that close each process's cases.
    final_activity_inferred : bool
        True when ``final_activity`` was inferred from the whole log.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import cycle_times
    >>> events = dd.from_pandas(pd.DataFrame({"case_id": ["k1", "k1"],
    ...     "process": ["claim"] * 2, "activity": ["open", "close"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03"]),
    ...     "customer_id": ["c1", "c1"]}), npartitions=2)
    >>> ct = cycle_times(events, processes={"claim": "close"})
    >>> ct.final_activity, ct.final_activity_inferred, ct.unit
    ({'claim': ('close',)}, False, 'D')
    """

    frame: Any
    observation_end: np.datetime64
    unit: str
    final_activity: dict[str, tuple[str, ...]]
    final_activity_inferred: bool

    def compute(self, **compute_kwargs: Any) -> Any:
        """Compute into one pandas DataFrame ordered by case id (as the in-memory result).

        Examples
        --------
        >>> import pandas as pd, dask.dataframe as dd
        >>> from custcentric.dask import cycle_times
        >>> events = dd.from_pandas(pd.DataFrame({"case_id": ["k2", "k1", "k1"],
        ...     "process": ["claim"] * 3, "activity": ["open", "open", "close"],
        ...     "timestamp": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"]),
        ...     "customer_id": ["c2", "c1", "c1"]}), npartitions=2)
        >>> ct = cycle_times(events, processes={"claim": "close"}, observation_end="2024-01-06")
        >>> ct.compute()[["case_id", "duration", "closed"]].to_dict("list")
        {'case_id': ['k1', 'k2'], 'duration': [2.0, 4.0], 'closed': [True, False]}
        """
        local = self.frame.compute(**compute_kwargs)
        order = np.argsort(local["case_id"].to_numpy(), kind="stable")
        return local.iloc[order].reset_index(drop=True)


def _prepare(
    part: Any,
    mapping: Mapping[str, str],
    end: np.datetime64 | None,
    partition_info: Mapping[str, Any] | None = None,
) -> Any:
    number = int(partition_info["number"]) if partition_info else 0
    check_partition(part, _SPEC, mapping, number)
    stamps = part[mapping["timestamp"]].to_numpy()
    if end is not None and stamps.size:
        late = stamps > end
        if late.any():
            row = int(np.argmax(late))
            msg = (
                f"`timestamp` must not be later than `observation_end` (partition {number}, "
                f"row {row}: {fmt(stamps[row])} > {end})."
            )
            raise InvalidInputError(msg)
    out = part[[mapping[f] for f in _SPEC]].rename(columns={mapping[f]: f for f in _SPEC})
    return out.assign(_order=(np.int64(number) << ORDER_SHIFT) + np.arange(len(part)))


def _local_log(part: Any) -> Any:
    from custcentric.tables import EventLog

    part = part.iloc[np.argsort(part["_order"].to_numpy(), kind="stable")]
    return EventLog.from_arrays(
        part["case_id"].to_numpy(),
        part["process"].to_numpy(dtype=object).astype(str),
        part["activity"].to_numpy(dtype=object).astype(str),
        part["timestamp"].to_numpy(),
        part["customer_id"].to_numpy(),
    )


def _last_activities(part: Any, end: np.datetime64) -> Any:
    """Per partition: how many cases of each process end on each activity."""
    import pandas as pd

    from custcentric.process import cycle_times as local_cycle_times

    if not len(part):
        return pd.DataFrame({"process": [], "activity": [], "count": np.zeros(0, np.int64)})
    ct = local_cycle_times(_local_log(part), observation_end=end)
    frame = pd.DataFrame({"process": ct.process, "activity": ct.last_activity})
    return (
        frame.groupby(["process", "activity"], as_index=False, sort=True)
        .size()
        .rename(columns={"size": "count"})
    )


def _merge_counts(part: Any) -> Any:
    return part.groupby(["process", "activity"], as_index=False, sort=True)["count"].sum()


def _cycle_partition(
    part: Any,
    closers: dict[str, tuple[str, ...]],
    end: np.datetime64,
    unit: str,
    calendar: Any,
    meta: Any,
) -> Any:
    import pandas as pd

    from custcentric.process import cycle_times as local_cycle_times

    if not len(part):
        return meta
    ct = local_cycle_times(
        _local_log(part),
        processes=closers,
        observation_end=end,
        unit=check_time_unit(unit, name="unit"),
        calendar=calendar,
    )
    out = pd.DataFrame({name: getattr(ct, name) for name in _OUT})
    return out.astype(meta.dtypes.to_dict())


def cycle_times(
    events: Any,
    *,
    processes: Mapping[str, str | Iterable[str]] | Iterable[Any] | None = None,
    observation_end: Any = None,
    unit: str = "D",
    calendar: Any = None,
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
    **compute_kwargs: Any,
) -> CycleTimeFrame:
    """Each case's end-to-end cycle time, open cases right-censored, on Dask.

    The numbers of :func:`custcentric.process.cycle_times` on the same events: a case
    starts at its first event and ends at its last; it is closed when its latest event is
    its process's final activity, otherwise its duration runs to ``observation_end``.
    Events with equal timestamps keep their log order (partition, then row).

    Parameters
    ----------
    events : dask.dataframe.DataFrame
        Columns ``case_id`` (integer or text), ``process``, ``activity`` (text),
        ``timestamp`` (naive datetime64) and ``customer_id``; a case's events may lie in
        several partitions.
    processes : mapping or iterable of CustomerProcess, optional
        Process id to closing activity (or activities); without it each process's final
        activity is inferred from the whole log (its cases' most common last activity,
        ties to the alphabetically first), which costs one more pass.
    observation_end : datetime64 or str, optional
        Default: the latest event (one more pass).
    unit : {"s", "m", "h", "D", "W"}, default "D"
    calendar : object with ``duration(start, end, unit)``, optional
        E.g. ``custcentric.sla.BusinessCalendar`` (it must pickle for a cluster).
    columns : mapping, optional
        Field to frame column (either direction).
    npartitions : int, optional
        Partitions of the result (default: those of ``events``).
    **compute_kwargs
        Passed to ``compute`` for the passes run now (the default end, inference).

    Returns
    -------
    CycleTimeFrame

    Raises
    ------
    InvalidInputError
        For a missing column or wrong dtype (at once), and when computed for missing or
        empty values, NaT, an event after ``observation_end`` (naming the partition and
        row), a case that mixes processes or customers, or a process missing from
        ``processes``.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import cycle_times
    >>> events = dd.from_pandas(pd.DataFrame({"case_id": [1, 1, 2, 3, 3],
    ...     "process": ["claim"] * 5, "activity": ["open", "close", "open", "open", "close"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02",
    ...                                  "2024-01-02", "2024-01-04"]),
    ...     "customer_id": [7, 7, 8, 9, 9]}), npartitions=3)
    >>> ct = cycle_times(events, observation_end="2024-01-06")
    >>> ct.final_activity, ct.compute()["duration"].tolist()
    ({'claim': ('close',)}, [2.0, 4.0, 2.0])
    """
    import pandas as pd

    check_frame(events, "events")
    unit = check_time_unit(unit, name="unit")
    mapping = column_mapping(list(_SPEC), columns, [str(c) for c in events.columns])
    check_meta(events._meta, _SPEC, mapping)
    end = None
    if observation_end is not None:
        given = as_datetime_array(observation_end, "observation_end")
        if given.size != 1:
            msg = f"`observation_end` must be one timestamp (got {given.size})."
            raise InvalidInputError(msg)
        end = np.datetime64(given[0], "s")
    meta_in = events._meta
    prepared_meta = pd.DataFrame(
        {f: meta_in[mapping[f]] for f in _SPEC} | {"_order": np.zeros(0, np.int64)}
    )
    prepared = events.map_partitions(
        _prepare, dict(mapping), end, meta=prepared_meta, enforce_metadata=False
    )
    if end is None:
        latest = prepared["timestamp"].max().compute(**compute_kwargs)
        if pd.isna(latest):
            msg = "`observation_end` must be given for an empty `events` frame."
            raise InvalidInputError(msg)
        end = as_datetime_array([pd.Timestamp(latest).to_datetime64()], "observation_end")[0]
    shuffled = prepared.shuffle(on="case_id", npartitions=npartitions)
    inferred = processes is None
    if processes is None:
        counts = shuffled.reduction(
            _last_activities,
            aggregate=_merge_counts,
            combine=_merge_counts,
            meta=pd.DataFrame({"process": [], "activity": [], "count": np.zeros(0, np.int64)}),
            chunk_kwargs={"end": end},
        ).compute(**compute_kwargs)
        ranked = counts.sort_values(
            ["process", "count", "activity"], ascending=[True, False, True], kind="stable"
        ).drop_duplicates("process")
        closers: dict[str, tuple[str, ...]] = {
            str(p): (str(a),) for p, a in zip(ranked["process"], ranked["activity"], strict=True)
        }
    else:
        from custcentric.process import cycle_times as local_cycle_times
        from custcentric.tables import EventLog

        probe = local_cycle_times(
            EventLog.from_arrays([], [], [], np.zeros(0, "datetime64[s]"), []),
            processes=processes,
            observation_end=end,
        )
        closers = {p: tuple(a) for p, a in probe.final_activity.items()}
    meta = pd.DataFrame(
        {
            "case_id": meta_in[mapping["case_id"]],
            "process": pd.Series([], dtype=object),
            "customer_id": meta_in[mapping["customer_id"]],
            "start": np.zeros(0, "datetime64[s]"),
            "end": np.zeros(0, "datetime64[s]"),
            "duration": np.zeros(0),
            "closed": np.zeros(0, bool),
            "n_events": np.zeros(0, np.int64),
            "last_activity": pd.Series([], dtype=object),
        }
    )
    frame = shuffled.map_partitions(
        _cycle_partition, closers, end, unit, calendar, meta, meta=meta, enforce_metadata=False
    )
    return CycleTimeFrame(
        frame=frame,
        observation_end=end,
        unit=unit,
        final_activity=closers,
        final_activity_inferred=inferred,
    )
