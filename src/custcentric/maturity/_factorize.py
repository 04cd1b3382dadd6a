"""Fast, exact factorisation of long string columns with few distinct values.

Sorting millions of unicode strings is slow; hashing their UTF-32 code units with a few
vectorised multiply-adds and sorting the 64-bit hashes is not. Every row is then compared with
the representative string of its hash, so a collision can never go unnoticed (the slow path
takes over if one is found).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

__all__ = ["factorize", "lookup"]

_PRIME: Final = np.uint64(1_000_003)


def _codes(column: NDArray[np.str_], width: int) -> NDArray[np.unsignedinteger[Any]]:
    """Return the code units of ``column`` as an ``(n, k)`` array of words (NUL padded).

    Two UTF-32 code units make one 64-bit word when ``width`` is even, halving the work.
    """
    if column.dtype.itemsize // 4 != width or not column.flags.c_contiguous:
        column = np.ascontiguousarray(column, dtype=f"<U{width}")
    units = column.view(np.uint32).reshape(column.size, width)
    if width % 2 == 0:
        return units.view(np.uint64)
    return units


def _hash(codes: NDArray[np.unsignedinteger[Any]]) -> NDArray[np.uint64]:
    out = np.zeros(codes.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(codes.shape[1]):
            out *= _PRIME
            out += codes[:, k]
    return out


def _rows_equal(
    codes: NDArray[np.unsignedinteger[Any]],
    reference: NDArray[np.unsignedinteger[Any]],
    index: NDArray[np.intp],
) -> NDArray[np.bool_]:
    """Return ``codes[i] == reference[index[i]]`` row by row, one word column at a time."""
    same = np.ones(codes.shape[0], dtype=bool)
    for k in range(codes.shape[1]):
        same &= codes[:, k] == reference[index, k]
    return same


def factorize(column: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Return ``(uniques, inverse)`` like ``np.unique(column, return_inverse=True)``.

    Examples
    --------
    >>> import numpy as np
    >>> uniques, inverse = factorize(np.array(["it", "sales", "it"]))
    >>> uniques.tolist(), inverse.tolist()
    (['it', 'sales'], [0, 1, 0])
    """
    if column.dtype.kind != "U" or column.size == 0:
        uniques, inverse = np.unique(column, return_inverse=True)
        return uniques, inverse.reshape(-1)
    width = max(column.dtype.itemsize // 4, 1)
    width += width % 2
    codes = _codes(column, width)
    hashes = _hash(codes)
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if not _rows_equal(codes, codes[first], inverse).all():  # pragma: no cover - collision
        uniques, inverse = np.unique(column, return_inverse=True)
        return uniques, inverse.reshape(-1)
    names = column[first]
    order = np.argsort(names, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return names[order], rank[inverse]


def lookup(column: NDArray[Any], ids: Sequence[str]) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Return, for each row of ``column``, its position in ``ids`` and whether it is there.

    Examples
    --------
    >>> import numpy as np
    >>> position, known = lookup(np.array(["b", "x", "a"]), ["a", "b"])
    >>> position[known].tolist(), known.tolist()
    ([1, 0], [True, False, True])
    """
    reference = np.asarray(list(ids), dtype=np.str_)
    if column.dtype.kind != "U":
        column = column.astype(np.str_)
    width = max(column.dtype.itemsize // 4, reference.dtype.itemsize // 4, 1)
    width += (width % 2) * (column.dtype.itemsize // 4 != width)
    codes = _codes(column, width)
    ref_codes = _codes(reference, width)
    ref_hash = _hash(ref_codes)
    if np.unique(ref_hash).size < ref_hash.size:  # pragma: no cover - a 64-bit collision
        ordered = np.argsort(reference)
        slot = np.minimum(np.searchsorted(reference[ordered], column), reference.size - 1)
        return ordered[slot], reference[ordered][slot] == column
    order = np.argsort(ref_hash)
    slot = np.minimum(np.searchsorted(ref_hash[order], _hash(codes)), reference.size - 1)
    position = order[slot]
    known = _rows_equal(codes, ref_codes, position)
    return position, known
