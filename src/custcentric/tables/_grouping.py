"""Integer codes and grouped orders for the tables' id and text columns, without a Python loop.

Two kernels that the event and transaction summaries share:

* :func:`encode` turns a column into its sorted distinct values and one int64 code per row
  (the ``np.unique(return_inverse=True)`` contract). Integer ids in a compact range are coded
  by one ``np.bincount``; text is hashed column by column of its fixed-width storage, the
  distinct hashes found by ``np.unique`` of one uint64 array and every row checked against
  its group's representative (a collision falls back to ``np.unique`` of the text), so only
  the distinct values are ever sorted as strings.
* :func:`grouped_order` returns the stable order of rows by (group, time): the group, time
  and row number are packed into one int64 key whenever they fit, so one value sort (no
  ``argsort``) gives the order; otherwise a time rank is packed with the group, and only
  when even that cannot fit does it fall back to ``np.lexsort``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from custcentric.typing import IntArray

__all__ = ["encode", "grouped_order", "pack_fits"]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_LIMIT = 2**62


def pack_fits(*sizes: int) -> bool:
    """Return True when the product of the field sizes leaves a packed int64 key positive."""
    total = 1
    for size in sizes:
        total *= max(int(size), 1)
    return total < _LIMIT


def _hash_text(values: NDArray[np.str_]) -> NDArray[np.uint64]:
    """One uint64 hash per fixed-width string, mixing its code points column by column."""
    width = values.dtype.itemsize // 4
    points = np.ascontiguousarray(values).view(np.uint32).reshape(values.size, width)
    digest = points[:, 0].astype(np.uint64)
    for j in range(1, width):
        digest *= _MIX
        digest ^= points[:, j]
    return digest


def _encode_text(values: NDArray[np.str_]) -> tuple[NDArray[Any], IntArray]:
    digest = _hash_text(values)
    hashes, code = np.unique(digest, return_inverse=True)
    code = code.astype(np.int64, copy=False)
    row = np.empty(hashes.size, dtype=np.int64)
    row[code] = np.arange(code.size, dtype=np.int64)  # any row of each group will do
    representative = values[row]
    if not np.array_equal(representative[code], values):  # a hash collision: exact route
        uniques, inverse = np.unique(values, return_inverse=True)
        return uniques, inverse.astype(np.int64, copy=False)
    by_text = np.argsort(representative, kind="stable")
    rank = np.empty(by_text.size, dtype=np.int64)
    rank[by_text] = np.arange(by_text.size, dtype=np.int64)
    return representative[by_text], rank[code]


def encode(values: NDArray[Any]) -> tuple[NDArray[Any], IntArray]:
    """Return the sorted distinct values and each value's int64 code (its index in them).

    The result equals ``np.unique(values, return_inverse=True)``; integer ids whose range is
    at most a few times their count are coded by one ``np.bincount`` and fixed-width text
    through a uint64 hash (checked, so a collision cannot mis-code a row).

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._grouping import encode
    >>> uniques, codes = encode(np.array(["b", "a", "b", "c"]))
    >>> uniques.tolist(), codes.tolist()
    (['a', 'b', 'c'], [1, 0, 1, 2])
    >>> uniques, codes = encode(np.array([7, 3, 7]))
    >>> uniques.tolist(), codes.tolist()
    ([3, 7], [1, 0, 1])
    """
    n = values.size
    if n == 0:
        return values[:0].copy(), np.zeros(0, dtype=np.int64)
    if values.dtype.kind in "iu":
        low, high = int(values.min()), int(values.max())
        width = high - low + 1
        if width <= 4 * n + 1024:
            offset = values.astype(np.int64) - low
            present = np.bincount(offset, minlength=width) > 0
            remap = np.cumsum(present, dtype=np.int64) - 1
            uniques = (np.flatnonzero(present) + low).astype(values.dtype, copy=False)
            return uniques, remap[offset]
    elif values.dtype.kind == "U" and values.dtype.itemsize >= 4:
        return _encode_text(values)
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse.astype(np.int64, copy=False)


def grouped_order(code: IntArray, n_groups: int, time: IntArray) -> IntArray:
    """Return the stable order of rows by (``code``, ``time``): ties keep their row order.

    ``code`` holds each row's group in ``0 .. n_groups - 1`` and ``time`` any int64 times.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._grouping import grouped_order
    >>> grouped_order(np.array([1, 0, 1, 0]), 2, np.array([5, 9, 5, 2])).tolist()
    [3, 1, 0, 2]
    """
    n = code.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(time.min())
    span = int(time.max()) - low + 1
    bits = max(n - 1, 1).bit_length()
    mask = np.int64((1 << bits) - 1)
    row = np.arange(n, dtype=np.int64)
    if pack_fits(n_groups, span, 1 << bits):
        key = (code.astype(np.int64) * span + (time - low)) << bits
        key |= row
        key.sort()
        key &= mask
        return key
    if pack_fits(span, 1 << bits) and pack_fits(n_groups, 1 << bits):
        by_time = (time - low) << bits
        by_time |= row
        by_time.sort()
        by_time &= mask  # rows in (time, row) order
        rank = np.empty(n, dtype=np.int64)
        rank[by_time] = row
        key = code.astype(np.int64) << bits
        key |= rank
        key.sort()
        key &= mask
        ordered: IntArray = by_time[key]
        return ordered
    return np.lexsort((time, code)).astype(np.int64)
