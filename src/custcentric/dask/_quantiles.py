"""Exact order statistics of Dask columns in two passes (bin counts, then the bins' values)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custcentric.dask._deps import compute_quietly
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray

__all__ = ["order_statistics", "unique_counts"]

_SHIFT = 40  # bins of the order-preserving int64 image of a float: 2**-12 relative width
_LOW_BITS = np.int64(0x7FFFFFFFFFFFFFFF)


def _bins(values: FloatArray) -> IntArray:
    """Return an order-preserving bin of each float (equal floats share a bin; -0.0 is 0.0)."""
    bits = (values + 0.0).view(np.int64)
    key = bits ^ ((bits >> 63) & _LOW_BITS)
    out: IntArray = key >> _SHIFT
    return out


def unique_counts(values: NDArray[Any]) -> tuple[NDArray[Any], IntArray]:
    """Return the sorted distinct values and their counts, by one sort.

    ``np.unique`` of NumPy 2.4 hashes, which is many times slower than a sort on this data.
    """
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    new = np.empty(ordered.size, dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts: IntArray = np.diff(np.append(starts, ordered.size)).astype(np.int64)
    return ordered[starts], counts


def _count_bins(part: Any, names: Sequence[str]) -> Any:
    import pandas as pd

    frames = []
    for j, name in enumerate(names):
        values = part[name].to_numpy(dtype=np.float64)
        bins, counts = unique_counts(_bins(values))
        frames.append(
            pd.DataFrame({"column": np.full(bins.size, j, np.int64), "key": bins, "count": counts})
        )
    return pd.concat(frames, ignore_index=True)


def _merge_bins(part: Any) -> Any:
    return part.groupby(["column", "key"], as_index=False, sort=True)["count"].sum()


def _bin_values(part: Any, names: Sequence[str], wanted: Sequence[IntArray]) -> Any:
    import pandas as pd

    frames = []
    for j, name in enumerate(names):
        values = part[name].to_numpy(dtype=np.float64) + 0.0
        inside = values[np.isin(_bins(values), wanted[j])]
        found, counts = unique_counts(inside)
        frames.append(
            pd.DataFrame(
                {"column": np.full(found.size, j, np.int64), "value": found, "count": counts}
            )
        )
    return pd.concat(frames, ignore_index=True)


def _merge_values(part: Any) -> Any:
    return part.groupby(["column", "value"], as_index=False, sort=True)["count"].sum()


def order_statistics(
    frame: Any,
    names: Sequence[str],
    positions: Callable[[int], IntArray],
    *,
    split_every: int | None = 8,
    **compute_kwargs: Any,
) -> tuple[int, list[FloatArray]]:
    """Return the number of rows and, per column, its exact order statistics.

    ``positions(n)`` gives the 0-based positions in the ascending order of the ``n`` values
    (the same positions for every column). Pass 1 counts the values per order-preserving
    bin (2**-12 relative width) in a tree reduction; pass 2 brings back the distinct values,
    with counts, of only the bins that hold a wanted position; the statistic is then read
    off exactly, as ``np.partition`` would give it in memory.
    """
    import pandas as pd

    empty_bins = pd.DataFrame(
        {
            "column": np.zeros(0, np.int64),
            "key": np.zeros(0, np.int64),
            "count": np.zeros(0, np.int64),
        }
    )
    counted = compute_quietly(
        frame.reduction(
            _count_bins,
            aggregate=_merge_bins,
            combine=_merge_bins,
            meta=empty_bins,
            split_every=split_every,
            chunk_kwargs={"names": list(names)},
        ),
        **compute_kwargs,
    )
    per_column = [counted[counted["column"] == j] for j in range(len(names))]
    n = int(per_column[0]["count"].sum()) if names else 0
    wanted_positions = np.asarray(positions(n), dtype=np.int64)
    if n == 0:
        if wanted_positions.size:
            msg = "`frame` must hold at least one row to cut at its quantiles (got none)."
            raise InvalidInputError(msg)
        return 0, [np.zeros(0) for _ in names]
    if np.any((wanted_positions < 0) | (wanted_positions >= n)):
        msg = f"order-statistic positions must lie in 0..{n - 1} (got {wanted_positions})."
        raise InvalidInputError(msg)
    wanted: list[IntArray] = []
    located: list[tuple[IntArray, IntArray]] = []
    for table in per_column:
        cumulative = np.cumsum(table["count"].to_numpy())
        which = np.searchsorted(cumulative, wanted_positions, side="right")
        keys = table["key"].to_numpy()[which]
        before = np.where(which > 0, cumulative[np.maximum(which - 1, 0)], 0)
        wanted.append(np.unique(keys))
        located.append((keys, wanted_positions - before))
    empty_values = pd.DataFrame(
        {"column": np.zeros(0, np.int64), "value": np.zeros(0), "count": np.zeros(0, np.int64)}
    )
    values = compute_quietly(
        frame.reduction(
            _bin_values,
            aggregate=_merge_values,
            combine=_merge_values,
            meta=empty_values,
            split_every=split_every,
            chunk_kwargs={"names": list(names), "wanted": wanted},
        ),
        **compute_kwargs,
    )
    out: list[FloatArray] = []
    for j, (keys, offsets) in enumerate(located):
        table = values[values["column"] == j]
        found = table["value"].to_numpy(dtype=np.float64)
        counts = table["count"].to_numpy()
        found_bins = _bins(found)
        stats = np.empty(keys.size)
        for i, (key, offset) in enumerate(zip(keys.tolist(), offsets.tolist(), strict=True)):
            inside = found_bins == key
            cumulative = np.cumsum(counts[inside])
            stats[i] = found[inside][int(np.searchsorted(cumulative, offset, side="right"))]
        out.append(stats)
    return n, out
