"""summarise: the numbers of TransactionLog.summary, on any partitioning and scheduler."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, log_of, spans_partitions, split

from custcentric.exceptions import InvalidInputError

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import SummaryFrame, calibration_holdout, summarise, summary_frame  # noqa: E402

FIELDS = ("customer_id", "frequency", "recency", "T", "monetary")


def assert_same(got: Any, want: Any) -> None:
    assert len(got) == len(want)
    for name in FIELDS:
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert got.time_unit == want.time_unit
    assert got.observation_end == want.observation_end


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_summary_equals_in_memory(transactions: Any, k: int, scheduler: str) -> None:
    frame = split(transactions, k)
    if k > 1:
        assert spans_partitions([p.compute() for p in frame.partitions], "customer_id")
    want = log_of(transactions).summary("1997-09-30", time_unit="W")
    got = summarise(frame, "1997-09-30", time_unit="W")
    assert isinstance(got, SummaryFrame)
    assert_same(got.compute(scheduler=scheduler), want)


@pytest.mark.parametrize("end", ["1997-03-31T12:30", np.datetime64("1998-01-15", "D")])
@pytest.mark.parametrize("unit", ["D", "h"])
def test_instants_dates_and_units(transactions: Any, end: Any, unit: str) -> None:
    want = log_of(transactions).summary(end, time_unit=unit)
    got = summarise(split(transactions, 3), end, time_unit=unit).compute(scheduler="sync")
    assert_same(got, want)


def test_the_frame_is_lazy_and_partitioned_by_customer(transactions: Any) -> None:
    s = summarise(split(transactions, 17), "1997-09-30", npartitions=5)
    assert s.frame.npartitions == 5
    parts = [p.compute(scheduler="sync") for p in s.frame.partitions]
    ids = np.concatenate([p["customer_id"].to_numpy() for p in parts])
    assert len(set(ids.tolist())) == ids.size  # each customer in exactly one partition
    assert list(parts[0].columns) == list(FIELDS)


def test_an_end_before_every_purchase_gives_no_customers(transactions: Any) -> None:
    got = summarise(split(transactions, 3), "1990-01-01").compute(scheduler="sync")
    assert len(got) == 0


def test_columns_are_mapped(transactions: Any) -> None:
    renamed = transactions.rename(columns={"customer_id": "CustID", "amount": "value"})
    got = summarise(
        split(renamed, 3), "1997-09-30", columns={"customer_id": "CustID", "value": "amount"}
    ).compute(scheduler="sync")
    assert_same(got, log_of(transactions).summary("1997-09-30"))


def test_summary_frame_wraps_a_stored_summary(transactions: Any) -> None:
    want = log_of(transactions).summary("1997-09-30", time_unit="W")
    stored = dd.from_pandas(want.to_pandas().reset_index(), npartitions=4)
    got = summary_frame(stored, time_unit="W", observation_end=want.observation_end).compute()
    assert_same(got, want)


# --------------------------------------------------------------------------- bad input
def bad_frame(transactions: Any, k: int, row: int, column: str, value: Any) -> tuple[Any, int]:
    """Put ``value`` at one row of the last partition; return the frame and that row."""
    frame = split(transactions, k)
    parts = [p.compute() for p in frame.partitions]
    last = len(parts) - 1
    part = parts[last].copy()
    if column == "timestamp" and value is None:
        part[column] = part[column].astype("datetime64[ns]")
        part.loc[part.index[row], column] = pd.NaT
    else:
        part[column] = part[column].astype(object) if column != "amount" else part[column]
        part.loc[part.index[row], column] = value
        if column == "customer_id" and transactions["customer_id"].dtype.kind in "iu":
            part[column] = part[column].astype(object)
    import dask

    meta = parts[0].iloc[:0].astype(part.dtypes.to_dict())
    delayed = [dask.delayed(p.astype(part.dtypes.to_dict())) for p in parts[:last]]
    delayed.append(dask.delayed(part))
    return dd.from_delayed(delayed, meta=meta, verify_meta=False), last


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("amount", -3.0, "`amount` must be non-negative"),
        ("amount", np.inf, "`amount` must be finite"),
        ("amount", np.nan, "`amount` must not be missing"),
        ("timestamp", None, "`timestamp` must not be missing"),
    ],
)
def test_bad_values_name_the_column_partition_and_row(
    transactions: Any, column: str, value: Any, words: str
) -> None:
    frame, last = bad_frame(transactions, 3, 5, column, value)
    s = summarise(frame, "1997-09-30")
    with pytest.raises(InvalidInputError, match=re.escape(f"{words} (partition {last}, row 5")):
        s.compute(scheduler="sync")


def test_empty_text_ids_are_refused(cdnow_frame: Any) -> None:
    frame = cdnow_frame.assign(customer_id="c" + cdnow_frame["customer_id"].astype(str))
    frame.loc[40, "customer_id"] = " "
    with pytest.raises(InvalidInputError, match=r"non-empty text \(partition 0, row 40"):
        summarise(split(frame, 1), "1997-09-30").compute(scheduler="sync")


def test_missing_columns_and_wrong_dtypes_are_refused_at_once(cdnow_frame: Any) -> None:
    frame = split(cdnow_frame, 3)
    with pytest.raises(InvalidInputError, match="column 'amount' for `amount`"):
        summarise(frame.drop(columns=["amount"]), "1997-09-30")
    with pytest.raises(InvalidInputError, match="`amount` must hold numbers"):
        summarise(frame.assign(amount=frame["amount"].astype(str)), "1997-09-30")
    with pytest.raises(InvalidInputError, match="`timestamp` must hold time-zone-naive"):
        summarise(frame.assign(timestamp=frame["timestamp"].dt.tz_localize("UTC")), "1997-09-30")
    with pytest.raises(InvalidInputError, match=r"dask\.dataframe\.DataFrame"):
        summarise(cdnow_frame, "1997-09-30")  # a pandas frame
    with pytest.raises(InvalidInputError, match="observation_end"):
        summarise(frame, "not a date")
    with pytest.raises(InvalidInputError, match="time_unit"):
        summarise(frame, "1997-09-30", time_unit="fortnight")


# --------------------------------------------------------------------------- holdout
@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize(
    ("cal", "end"), [("1997-06-30", "1998-06-30"), ("1997-03-15T12:00", "1997-12-31T18:00")]
)
def test_calibration_holdout_equals_in_memory(
    transactions: Any, k: int, cal: str, end: str
) -> None:
    want = log_of(transactions).calibration_holdout(cal, end, time_unit="W")
    split_frame = calibration_holdout(split(transactions, k), cal, end, time_unit="W")
    got = split_frame.compute(scheduler="threads")
    assert_same(got.calibration, want.calibration)
    assert np.array_equal(got.frequency_holdout, want.frequency_holdout)
    assert np.array_equal(got.monetary_holdout, want.monetary_holdout)
    assert got.duration_holdout == want.duration_holdout
    assert_same(split_frame.calibration.compute(scheduler="sync"), want.calibration)


def test_a_holdout_before_the_calibration_end_is_refused(transactions: Any) -> None:
    with pytest.raises(InvalidInputError, match="must not be later than `observation_end`"):
        calibration_holdout(split(transactions, 3), "1997-06-30", "1997-06-01")
