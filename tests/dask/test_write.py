"""write_parquet: all or nothing."""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np
import pytest
from tests.dask.frames import split

from custcentric.exceptions import InvalidInputError

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

from custcentric.dask import summarise, write_parquet  # noqa: E402


def test_a_summary_is_written_and_reads_back(cdnow_frame: Any, tmp_path: pathlib.Path) -> None:
    s = summarise(split(cdnow_frame, 3), "1997-09-30")
    target = write_parquet(s, tmp_path / "summary", compute_kwargs={"scheduler": "sync"})
    back = pd.read_parquet(target)
    assert len(back) == 2357
    assert sorted(back.columns) == sorted(["customer_id", "frequency", "recency", "T", "monetary"])
    assert [p.name for p in tmp_path.iterdir()] == ["summary"]


def test_a_failing_job_leaves_nothing(cdnow_frame: Any, tmp_path: pathlib.Path) -> None:
    frame = cdnow_frame.copy()
    frame.loc[len(frame) - 3, "amount"] = -1.0  # in the last partition
    s = summarise(split(frame, 17), "1997-09-30")
    with pytest.raises(InvalidInputError, match=r"non-negative \(partition 16, row"):
        write_parquet(s, tmp_path / "summary", compute_kwargs={"scheduler": "sync"})
    assert list(tmp_path.iterdir()) == []


def test_an_existing_path_is_kept_unless_overwrite(tmp_path: pathlib.Path) -> None:
    frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2], "clv": [1.0, 2.0]}), npartitions=2)
    target = tmp_path / "scores"
    write_parquet(frame, target)
    with pytest.raises(InvalidInputError, match="exists"):
        write_parquet(frame, target)
    write_parquet(frame.assign(clv=frame["clv"] * 10), target, overwrite=True)
    assert np.array_equal(pd.read_parquet(target)["clv"].to_numpy(), [10.0, 20.0])
    assert [p.name for p in tmp_path.iterdir()] == ["scores"]
    with pytest.raises(InvalidInputError, match=r"dask\.dataframe\.DataFrame"):
        write_parquet(pd.DataFrame({"a": [1]}), tmp_path / "other")
