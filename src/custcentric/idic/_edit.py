"""Damerau–Levenshtein (optimal string alignment) distance, vectorised over string pairs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.idic._jaro import as_text, code_points
from custcentric.typing import IntArray, StrArray

__all__ = ["damerau_levenshtein", "within_edits"]

_CELLS_PER_CHUNK = 2_000_000  # pairs x width cells held at once


def damerau_levenshtein(s: ArrayLike, t: ArrayLike, *, max_distance: int = 3) -> IntArray:
    r"""Return the Damerau–Levenshtein distance of string pairs, capped at ``max_distance + 1``.

    Parameters
    ----------
    s, t : array_like of str
        Strings to compare, elementwise (same shape; case-sensitive).
    max_distance : int, default 3
        Distances above this are reported as ``max_distance + 1`` (the computation only
        follows the diagonal band that can stay within it, so small caps are fast); at
        most 1,000.

    Returns
    -------
    ndarray of int
        The number of insertions, deletions, substitutions and transpositions of two
        adjacent characters that turn ``s`` into ``t`` (restricted edit distance, "optimal
        string alignment": no substring is edited twice).

    Notes
    -----
    The dynamic programme of Damerau (1964) and Lowrance & Wagner (1975) runs for all pairs
    at once, one cell of the band :math:`|i - j| \le k` at a time, in chunks of pairs.

    References
    ----------
    Damerau, F. J. (1964). A technique for computer detection and correction of spelling
    errors. *CACM*, 7(3), 171–176.

    Examples
    --------
    >>> from custcentric.idic import damerau_levenshtein
    >>> damerau_levenshtein(["anna.kim22", "martha", "kitten", "abc"],
    ...                     ["annakim22", "marhta", "sitting", "abc"]).tolist()
    [1, 1, 3, 0]
    >>> damerau_levenshtein(["kitten"], ["sitting"], max_distance=1).tolist()
    [2]
    """
    k = int(check_number(max_distance, "max_distance", low=0, high=1000, integer=True))
    left = np.ascontiguousarray(as_text(s, "s")).ravel()
    right = np.ascontiguousarray(as_text(t, "t")).ravel()
    if left.size != right.size:
        msg = f"`t` must have as many strings as `s` ({right.size} != {left.size})."
        raise InvalidInputError(msg)
    return _distance(left, right, k)


def within_edits(s: StrArray, t: StrArray, k: int) -> NDArray[np.bool_]:
    """Whether each pair is at most ``k`` edits apart (see :func:`damerau_levenshtein`)."""
    result: NDArray[np.bool_] = _distance(s, t, k) <= k
    return result


def _distance(s: StrArray, t: StrArray, k: int) -> IntArray:
    out = np.full(s.size, k + 1, dtype=np.int64)
    if s.size == 0:
        return out
    s_codes, s_len = code_points(s)
    t_codes, t_len = code_points(t)
    near = np.flatnonzero(np.abs(s_len - t_len) <= k)
    if near.size == 0:
        return out
    longest = np.maximum(s_len, t_len)[near]
    order = near[np.argsort(longest, kind="stable")]
    size = max(1, _CELLS_PER_CHUNK // (int(longest.max()) + 1))
    start = 0
    while start < order.size:
        rows = order[start : start + size]
        ws = max(1, int(s_len[rows].max()))
        wt = max(1, int(t_len[rows].max()))
        out[rows] = _band(
            _pad(s_codes[rows], ws), s_len[rows], _pad(t_codes[rows], wt), t_len[rows], k
        )
        start += size
    return out


def _pad(codes: NDArray[np.uint32], width: int) -> NDArray[np.uint32]:
    if codes.shape[1] >= width:
        return codes[:, :width]
    extra = np.zeros((codes.shape[0], width - codes.shape[1]), dtype=np.uint32)
    return np.concatenate([codes, extra], axis=1)


def _band(
    s: NDArray[np.uint32], s_len: IntArray, t: NDArray[np.uint32], t_len: IntArray, k: int
) -> IntArray:
    """Banded optimal-string-alignment DP, saturating at ``k + 1``."""
    n, ws = s.shape
    wt = t.shape[1]
    cap = np.int16(k + 1)
    big = np.full(n, cap, dtype=np.int16)
    # rows[i][:, j] = d(i, j); only |i - j| <= k is computed, the rest stays at the cap.
    previous2 = np.full((n, wt + 1), cap, dtype=np.int16)
    previous = np.full((n, wt + 1), cap, dtype=np.int16)
    previous[:, : min(wt, k) + 1] = np.arange(min(wt, k) + 1, dtype=np.int16)
    result = np.where(s_len == 0, np.minimum(t_len, k + 1), k + 1).astype(np.int16)
    rows = np.arange(n)
    for i in range(1, ws + 1):
        current = np.full((n, wt + 1), cap, dtype=np.int16)
        if i <= k:
            current[:, 0] = i
        si = s[:, i - 1]
        for j in range(max(1, i - k), min(wt, i + k) + 1):
            cost = (si != t[:, j - 1]).astype(np.int16)
            best = np.minimum(previous[:, j - 1] + cost, previous[:, j] + 1)
            best = np.minimum(best, current[:, j - 1] + 1)
            if i > 1 and j > 1:
                swap = (si == t[:, j - 2]) & (s[:, i - 2] == t[:, j - 1])
                best = np.where(swap, np.minimum(best, previous2[:, j - 2] + 1), best)
            current[:, j] = np.minimum(best, big)
        done = s_len == i
        if done.any():
            result[done] = current[rows[done], t_len[done]]
        previous2, previous = previous, current
    out: IntArray = result.astype(np.int64)
    return out
