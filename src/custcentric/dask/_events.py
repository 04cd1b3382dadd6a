"""Cycle times and step durations per case on a Dask DataFrame of events (cases span partitions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from custcentric._deprecation import renamed_argument
from custcentric._time import check_time_unit
from custcentric._validation import as_datetime_array, fmt
from custcentric.dask._checks import Kind, check_meta, check_partition, column_mapping
from custcentric.dask._deps import check_frame, compute_quietly, dask_quietly
from custcentric.dask._summary import ORDER_SHIFT
from custcentric.exceptions import InvalidInputError

__all__ = [
    "CycleTimeFrame",
    "StepDurationFrame",
    "cycle_times",
    "sla_compliance",
    "step_durations",
]

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
        with dask_quietly():
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
        time_unit=check_time_unit(unit, name="time_unit"),
        calendar=calendar,
    )
    out = pd.DataFrame({name: getattr(ct, name) for name in _OUT})
    return out.astype(meta.dtypes.to_dict())


def cycle_times(
    events: Any,
    *,
    processes: Mapping[str, str | Iterable[str]] | Iterable[Any] | None = None,
    observation_end: Any = None,
    time_unit: str | None = None,
    calendar: Any = None,
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
    unit: str | None = None,
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
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The unit of ``duration``.
    calendar : object with ``duration(start, end, unit)``, optional
        E.g. ``custcentric.sla.BusinessCalendar`` (it must pickle for a cluster).
    columns : mapping, optional
        Field to frame column (either direction).
    npartitions : int, optional
        Partitions of the result (default: those of ``events``).
    unit : deprecated
        The former name of ``time_unit`` (warns; removed in 0.2).
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
    chosen = renamed_argument(time_unit, unit, new="time_unit", old="unit")
    unit = check_time_unit(chosen or "D", name="unit" if unit is not None else "time_unit")
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
        with dask_quietly():
            latest = prepared["timestamp"].max().compute(**compute_kwargs)
        if pd.isna(latest):
            msg = "`observation_end` must be given for an empty `events` frame."
            raise InvalidInputError(msg)
        end = as_datetime_array([pd.Timestamp(latest).to_datetime64()], "observation_end")[0]
    shuffled = prepared.shuffle(on="case_id", npartitions=npartitions)
    inferred = processes is None
    if processes is None:
        counts = compute_quietly(
            shuffled.reduction(
                _last_activities,
                aggregate=_merge_counts,
                combine=_merge_counts,
                meta=pd.DataFrame({"process": [], "activity": [], "count": np.zeros(0, np.int64)}),
                chunk_kwargs={"end": end},
            ),
            **compute_kwargs,
        )
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


_STEP_OUT = ("case_id", "process", "from_activity", "activity", "start", "end", "duration")


@attrs.frozen(eq=False)
class StepDurationFrame:
    """The intervals between consecutive events of each case, as a Dask DataFrame.

    Attributes
    ----------
    frame : dask.dataframe.DataFrame
        Columns ``case_id, process, from_activity, activity, start, end, duration`` (those
        of :meth:`custcentric.process.StepDurations.to_pandas`), one row per event but each
        case's first; each case in one partition, its intervals in time order.
    time_unit : str
        The unit of ``duration``.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import step_durations
    >>> events = dd.from_pandas(pd.DataFrame({"case_id": ["k", "k", "k"],
    ...     "process": ["p"] * 3, "activity": ["a", "b", "c"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"]),
    ...     "customer_id": [1, 1, 1]}), npartitions=2)
    >>> steps = step_durations(events)
    >>> steps.time_unit, steps.compute()["duration"].tolist()
    ('D', [1.0, 3.0])
    """

    frame: Any
    time_unit: str

    def compute(self, **compute_kwargs: Any) -> Any:
        """Compute into one pandas DataFrame in (case, time) order, as the in-memory result.

        Examples
        --------
        >>> import pandas as pd, dask.dataframe as dd
        >>> from custcentric.dask import step_durations
        >>> events = dd.from_pandas(pd.DataFrame({"case_id": [2, 1, 2, 1],
        ...     "process": ["p"] * 4, "activity": ["a", "a", "b", "b"],
        ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-03",
        ...                                  "2024-01-02"]),
        ...     "customer_id": [7, 8, 7, 8]}), npartitions=3)
        >>> step_durations(events, time_unit="h").compute()[["case_id", "duration"]].to_dict("list")
        {'case_id': [1, 2], 'duration': [24.0, 48.0]}
        """
        with dask_quietly():
            local = self.frame.compute(**compute_kwargs)
        order = np.argsort(local["case_id"].to_numpy(), kind="stable")
        return local.iloc[order].reset_index(drop=True)


def _steps_partition(part: Any, time_unit: str, calendar: Any, meta: Any) -> Any:
    import pandas as pd

    from custcentric.process import step_durations as local_step_durations
    from custcentric.process._cycle import check_one_per_case

    if not len(part):
        return meta
    log = _local_log(part)
    check_one_per_case(log, "process", "process")
    unit_option: dict[str, Any] = {_unit_keyword(): time_unit}
    steps = local_step_durations(log, calendar=calendar, **unit_option)
    out = pd.DataFrame({name: getattr(steps, name) for name in _STEP_OUT})
    return out.astype(meta.dtypes.to_dict())


def _unit_keyword() -> str:
    """Return the in-memory ``step_durations``' name for the time unit (``unit`` until renamed)."""
    import inspect

    from custcentric.process import step_durations as local_step_durations

    parameters = inspect.signature(local_step_durations).parameters
    return "time_unit" if "time_unit" in parameters else "unit"


def step_durations(
    events: Any,
    *,
    time_unit: str = "D",
    calendar: Any = None,
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
) -> StepDurationFrame:
    """Return the time between consecutive events of each case, on Dask (cases span partitions).

    The rows of :func:`custcentric.process.step_durations` on the same events, as
    :meth:`~custcentric.process.StepDurations.to_pandas` gives them: one interval per event
    but each case's first, attributed to the event that ends it. Events with equal
    timestamps keep their log order (partition, then row). One shuffle by case; each case's
    events then lie in one partition, where the in-memory function runs.

    Parameters
    ----------
    events : dask.dataframe.DataFrame
        Columns ``case_id`` (integer or text), ``process``, ``activity`` (text),
        ``timestamp`` (naive datetime64) and ``customer_id``.
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The unit of ``duration``.
    calendar : object with ``duration(start, end, unit)``, optional
        E.g. ``custcentric.sla.BusinessCalendar`` (it must pickle for a cluster).
    columns : mapping, optional
        Field to frame column (either direction).
    npartitions : int, optional
        Partitions of the result (default: those of ``events``).

    Returns
    -------
    StepDurationFrame
        Lazy; ``.compute()`` gives the pandas DataFrame in (case, time) order.

    Raises
    ------
    InvalidInputError
        For a missing column or a wrong dtype (at once), and when computed for missing or
        empty values or NaT (naming the partition and row) or a case that mixes processes.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import step_durations
    >>> events = dd.from_pandas(pd.DataFrame({"case_id": [1, 2, 1, 1],
    ...     "process": ["claim"] * 4, "activity": ["open", "open", "check", "close"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02",
    ...                                  "2024-01-04"]),
    ...     "customer_id": [7, 8, 7, 7]}), npartitions=3)
    >>> steps = step_durations(events).compute()
    >>> steps[["from_activity", "activity", "duration"]].to_dict("list")
    {'from_activity': ['open', 'check'], 'activity': ['check', 'close'], 'duration': [1.0, 2.0]}
    """
    import pandas as pd

    check_frame(events, "events")
    time_unit = check_time_unit(time_unit, name="time_unit")
    mapping = column_mapping(list(_SPEC), columns, [str(c) for c in events.columns])
    check_meta(events._meta, _SPEC, mapping)
    meta_in = events._meta
    prepared_meta = pd.DataFrame(
        {f: meta_in[mapping[f]] for f in _SPEC} | {"_order": np.zeros(0, np.int64)}
    )
    prepared = events.map_partitions(
        _prepare, dict(mapping), None, meta=prepared_meta, enforce_metadata=False
    )
    shuffled = prepared.shuffle(on="case_id", npartitions=npartitions)
    meta = pd.DataFrame(
        {
            "case_id": meta_in[mapping["case_id"]],
            "process": pd.Series([], dtype=object),
            "from_activity": pd.Series([], dtype=object),
            "activity": pd.Series([], dtype=object),
            "start": np.zeros(0, "datetime64[s]"),
            "end": np.zeros(0, "datetime64[s]"),
            "duration": np.zeros(0),
        }
    )
    frame = shuffled.map_partitions(
        _steps_partition, time_unit, calendar, meta, meta=meta, enforce_metadata=False
    )
    return StepDurationFrame(frame=frame, time_unit=time_unit)


_COUNT_FIELDS = ("cases", "breaches", "open_breaches", "pending")
_SLA_KEYS = ("sla_id", "group", "tier", "process_id", "metric", "target", "time_unit")


def _sla_partition(
    part: Any, slas: Any, options: dict[str, Any], end: np.datetime64, meta: Any
) -> Any:
    import pandas as pd

    from custcentric.sla import evaluate_slas

    if not len(part):
        return meta
    report = evaluate_slas(_local_log(part), slas, observation_end=end, **options)
    rows, block, start, previous = [], -1, 0, None
    for i, row in enumerate(report.rows):
        if row.sla_id != previous:
            block, start, previous = block + 1, i, row.sla_id
        fields = {name: getattr(row, name) for name in (*_SLA_KEYS, "target_share")}
        counts = {name: getattr(row, name) for name in _COUNT_FIELDS}
        rows.append(fields | counts | {"block": block, "within": i - start})
    return pd.DataFrame(rows).astype(meta.dtypes.to_dict())


def sla_compliance(
    events: Any,
    slas: Any,
    *,
    processes: Any,
    segments: Any = None,
    calendar: Any = None,
    observation_end: Any = None,
    confidence_level: float = 0.95,
    tier_order: Any = None,
    columns: Mapping[str, str] | None = None,
    npartitions: int | None = None,
    **compute_kwargs: Any,
) -> Any:
    """Return SLA compliance per tier of a Dask DataFrame of events (cases span partitions).

    The counts of :func:`custcentric.sla.evaluate_slas` on the same events, per SLA and tier
    (and the ``"all"`` row): cases evaluated, breaches, open breaches and pending cases are
    sums over the cases, so after one shuffle by case each partition is evaluated in memory
    and the counts are added; compliance, its Wilson interval and ``met`` follow from the
    totals. The percentile and compensation columns of the in-memory report are not given:
    the Kaplan-Meier percentile needs all durations of a tier at once, and period caps of
    compensation all cases of a customer.

    Parameters
    ----------
    events : dask.dataframe.DataFrame
        Columns ``case_id``, ``process``, ``activity``, ``timestamp``, ``customer_id`` (see
        :func:`cycle_times`).
    slas : SLA, TieredSLA or sequence of them
    processes : sequence of CustomerProcess
        The process definitions (required here: inferring each process's final activity
        needs the whole log).
    segments : mapping customer id -> tier, or pair (customer ids, tiers), optional
        As :func:`~custcentric.sla.evaluate_slas` takes them (sent to every partition).
    calendar : BusinessCalendar, optional
        For business-clock SLAs (it must pickle for a cluster).
    observation_end : datetime64 or str, optional
        Default: the latest event (one more pass). Later events are ignored.
    confidence_level : float, default 0.95
        Of the Wilson intervals.
    tier_order : sequence of str, optional
        The order of tier rows (see :func:`~custcentric.sla.evaluate_slas`).
    columns : mapping, optional
        Field to frame column (either direction).
    npartitions : int, optional
        Partitions after the shuffle (default: those of ``events``).
    **compute_kwargs
        Passed to ``compute`` (e.g. ``scheduler="threads"``).

    Returns
    -------
    pandas.DataFrame
        One row per SLA and tier, in the report's order: ``sla_id, group, tier,
        process_id, metric, target, time_unit, target_share, cases, breaches,
        open_breaches, pending, compliance, ci_low, ci_high, met``.

    Raises
    ------
    InvalidInputError
        For a missing column or a wrong dtype, missing or empty values or NaT (naming the
        partition and row), and whatever :func:`~custcentric.sla.evaluate_slas` refuses.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import sla_compliance
    >>> from custcentric.domain import SLA, CustomerProcess, ProcessStep
    >>> repair = CustomerProcess(id="repair", name="Repair", kind="vertical",
    ...     lifecycle_stage="retain", owner="Service", steps=(ProcessStep(id="reported", name="Reported"),
    ...            ProcessStep(id="fixed", name="Fixed")))
    >>> sla = SLA(id="fix-48h", name="Fixed in 48 h", process_id="repair",
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9,
    ...           tiers=("gold",))
    >>> events = dd.from_pandas(pd.DataFrame({"case_id": ["k1", "k2", "k1", "k2"],
    ...     "process": ["repair"] * 4, "activity": ["reported", "reported", "fixed", "fixed"],
    ...     "timestamp": pd.to_datetime(["2025-01-06 09:00", "2025-01-06 10:00",
    ...                                  "2025-01-06 17:00", "2025-01-09 10:00"]),
    ...     "customer_id": ["c1", "c2", "c1", "c2"]}), npartitions=3)
    >>> table = sla_compliance(events, sla, processes=[repair],
    ...                        segments={"c1": "gold", "c2": "gold"})
    >>> table[["tier", "cases", "breaches", "compliance"]].to_dict("list")
    {'tier': ['gold'], 'cases': [2], 'breaches': [1], 'compliance': [0.5]}
    """
    import pandas as pd

    from custcentric._stats import wilson_interval
    from custcentric._validation import check_confidence_level

    check_frame(events, "events")
    level = check_confidence_level(confidence_level)
    mapping = column_mapping(list(_SPEC), columns, [str(c) for c in events.columns])
    check_meta(events._meta, _SPEC, mapping)
    meta_in = events._meta
    prepared_meta = pd.DataFrame(
        {f: meta_in[mapping[f]] for f in _SPEC} | {"_order": np.zeros(0, np.int64)}
    )
    prepared = events.map_partitions(
        _prepare, dict(mapping), None, meta=prepared_meta, enforce_metadata=False
    )
    if observation_end is None:
        latest = compute_quietly(prepared["timestamp"].max(), **compute_kwargs)
        if pd.isna(latest):
            msg = "`observation_end` must be given for an empty `events` frame."
            raise InvalidInputError(msg)
        observation_end = pd.Timestamp(latest).to_datetime64()
    given = as_datetime_array(observation_end, "observation_end")
    if given.size != 1:
        msg = f"`observation_end` must be one timestamp (got {given.size})."
        raise InvalidInputError(msg)
    end = np.datetime64(given[0], "s")
    options = {
        "segments": segments,
        "calendar": calendar,
        "processes": processes,
        "confidence_level": level,
        "tier_order": tier_order,
        "period": None,
    }
    text = pd.Series([], dtype=object)
    meta = pd.DataFrame(
        dict.fromkeys(("sla_id", "group", "tier", "process_id", "metric"), text)
        | {"target": np.zeros(0), "time_unit": text, "target_share": np.zeros(0)}
        | {name: np.zeros(0, np.int64) for name in (*_COUNT_FIELDS, "block", "within")}
    )
    shuffled = prepared.shuffle(on="case_id", npartitions=npartitions)
    parts = compute_quietly(
        shuffled.map_partitions(
            _sla_partition, slas, options, end, meta, meta=meta, enforce_metadata=False
        ),
        **compute_kwargs,
    )
    if not len(parts):
        msg = "`events` must hold at least one event to evaluate SLAs (got none)."
        raise InvalidInputError(msg)
    keys = [*_SLA_KEYS, "target_share"]
    totals = parts.groupby(keys, sort=False, as_index=False, dropna=False).agg(
        {**dict.fromkeys(_COUNT_FIELDS, "sum"), "block": "min", "within": "min"}
    )
    # The report's order: SLA by SLA as given (a TieredSLA's pieces in turn), each SLA's
    # tiers in its own order, then ``tier_order``, then alphabetically, the "all" row last.
    from custcentric.sla._inputs import flatten_slas

    flat = [sla for sla, _ in flatten_slas(slas)]
    sla_rank = {sla.id: i for i, sla in reversed(list(enumerate(flat)))}
    ranking = [str(t) for t in tier_order] if tier_order is not None else []
    tier_lists = {sla.id: list(dict.fromkeys([*sla.tiers, *ranking])) for sla in flat}

    def tier_rank(sla_id: str, tier: str) -> tuple[int, int, str]:
        if tier == "all":
            return (2, 0, "")
        listed = tier_lists.get(sla_id, [])
        return (0, listed.index(tier), "") if tier in listed else (1, 0, tier)

    order = sorted(
        range(len(totals)),
        key=lambda i: (
            sla_rank.get(totals["sla_id"].iloc[i], len(flat)),
            tier_rank(totals["sla_id"].iloc[i], totals["tier"].iloc[i]),
        ),
    )
    totals = totals.iloc[order].drop(columns=["block", "within"])
    cases = totals["cases"].to_numpy(dtype=np.int64)
    breaches = totals["breaches"].to_numpy(dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(cases > 0, (cases - breaches) / np.maximum(cases, 1), np.nan)
    # One Wilson interval per (SLA, tier) row: a handful of rows, not one per case.
    pairs = list(zip(share.tolist(), cases.tolist(), strict=True))
    bounds = [wilson_interval(0.0 if n == 0 else s, int(n), level) for s, n in pairs]
    totals["compliance"] = pd.array([None if n == 0 else s for s, n in pairs], "Float64")
    totals["ci_low"] = [float(b[0]) for b in bounds]
    totals["ci_high"] = [float(b[1]) for b in bounds]
    targets = totals["target_share"].tolist()
    totals["met"] = pd.array(
        [None if n == 0 else s >= t for (s, n), t in zip(pairs, targets, strict=True)],
        "boolean",
    )
    return totals.reset_index(drop=True)
