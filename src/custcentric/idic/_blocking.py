"""Blocking: candidate pairs only among records that share a key, built by sorting."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from custcentric.typing import IntArray, StrArray

__all__ = ["block_pairs", "key_codes", "pairs_within_groups"]


def key_codes(columns: Sequence[StrArray]) -> IntArray:
    """Return one integer code per record for the combined key; -1 where any part is ``""``."""
    n = columns[0].size
    combined = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for column in columns:
        uniques, inverse = np.unique(column, return_inverse=True)
        missing |= column == ""
        combined = combined * np.int64(uniques.size) + inverse.astype(np.int64)
        combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
    return np.where(missing, -1, combined)


def pairs_within_groups(
    codes: IntArray, *, max_block_size: int | None = None
) -> tuple[IntArray, IntArray, int, int]:
    """Return every pair ``(i, j)``, ``i < j``, of records with the same non-negative code.

    Returns
    -------
    left, right : ndarray of int
        Record indices of the pairs (``left < right``).
    n_skipped_blocks, n_skipped_pairs : int
        Blocks larger than ``max_block_size`` left out, and the pairs they would have given.

    Examples
    --------
    >>> import numpy as np
    >>> left, right, _, _ = pairs_within_groups(np.array([4, -1, 4, 7, 4]))
    >>> list(zip(left.tolist(), right.tolist()))
    [(0, 2), (0, 4), (2, 4)]
    """
    present = np.flatnonzero(codes >= 0)
    order = present[np.argsort(codes[present], kind="stable")]
    ranked = codes[order]
    if ranked.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), 0, 0
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    sizes = np.diff(np.r_[starts, ranked.size])
    n_skipped_blocks = n_skipped_pairs = 0
    if max_block_size is not None:
        big = sizes > max_block_size
        n_skipped_blocks = int(big.sum())
        n_skipped_pairs = int((sizes[big] * (sizes[big] - 1) // 2).sum())
        order = order[np.repeat(~big, sizes)]
        sizes = sizes[~big]
        starts = np.cumsum(sizes) - sizes
    ends = np.repeat(starts + sizes, sizes)
    position = np.arange(order.size)
    partners = ends - position - 1
    total = int(partners.sum())
    left_pos = np.repeat(position, partners)
    offset = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    right_pos = left_pos + 1 + offset
    a, b = order[left_pos], order[right_pos]
    return np.minimum(a, b), np.maximum(a, b), n_skipped_blocks, n_skipped_pairs


def block_pairs(
    rules: Sequence[IntArray], n_records: int, *, max_block_size: int | None = None
) -> tuple[IntArray, IntArray, int, int]:
    """Return the union of the candidate pairs of several blocking rules, sorted, once each."""
    keys = []
    n_blocks = n_pairs = 0
    for codes in rules:
        left, right, skipped_blocks, skipped_pairs = pairs_within_groups(
            codes, max_block_size=max_block_size
        )
        keys.append(left * np.int64(n_records) + right)
        n_blocks += skipped_blocks
        n_pairs += skipped_pairs
    merged = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    return merged // n_records, merged % n_records, n_blocks, n_pairs
