"""Helpers of the Dask tests: frames split over 1, 3 and 17 partitions, in-memory twins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

PARTITIONS = (1, 3, 17)
SCHEDULERS = ("sync", "threads")


def split(frame: Any, k: int) -> Any:
    """A Dask DataFrame of ``frame`` cut into ``k`` partitions in row order, some empty.

    With three or more partitions the middle one (and from five on the first one) is empty; every other
    partition holds a consecutive slice, so a customer or case whose rows are spread
    through the frame spans partitions.
    """
    frame = frame.reset_index(drop=True)
    if k == 1:
        parts = [frame]
    else:
        empty = {k // 2} if k < 5 else {0, k // 2}
        filled = [i for i in range(k) if i not in empty]
        slices = np.array_split(np.arange(len(frame)), len(filled))
        pieces = dict(zip(filled, slices, strict=True))
        parts = [frame.iloc[pieces[i]] if i in pieces else frame.iloc[:0] for i in range(k)]
    delayed = [dask.delayed(p) for p in parts]
    return dd.from_delayed(delayed, meta=frame.iloc[:0], verify_meta=False)


def spans_partitions(parts: Sequence[Any], column: str) -> bool:
    """Whether some value of ``column`` occurs in two partitions."""
    seen: set[Any] = set()
    for part in parts:
        values = set(part[column].tolist())
        if seen & values:
            return True
        seen |= values
    return False


def log_of(frame: Any) -> Any:
    """The in-memory TransactionLog of the same rows, in the same order."""
    from custcentric.tables import TransactionLog

    return TransactionLog.from_arrays(
        frame["customer_id"].to_numpy(),
        frame["timestamp"].to_numpy(dtype="datetime64[s]"),
        frame["amount"].to_numpy(),
    )
