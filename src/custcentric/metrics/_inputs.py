"""Input checks and the one weighted, grouped moment kernel behind every survey metric."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._validation import (
    as_1d,
    as_float_array,
    as_int_array,
    check_equal_length,
    check_in_range,
    first_true,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray

__all__ = [
    "Histogram",
    "Moments",
    "as_labels",
    "as_scale",
    "as_scores",
    "as_weights",
    "check_not_empty",
    "group_index",
    "histogram_moments",
    "moments",
    "read_only",
    "score_histogram",
]


def check_not_empty(array: NDArray[Any], name: str) -> None:
    """Raise when ``array`` holds no element."""
    if array.size == 0:
        msg = f"`{name}` must not be empty."
        raise InvalidInputError(msg)


def as_scale(scale: object, name: str = "scale") -> tuple[int, int]:
    """Check a ``(lowest, highest)`` pair of whole numbers with lowest < highest."""
    pair = (0, 0)
    try:
        items: list[Any] = list(scale)  # type: ignore[call-overload]
        ok = len(items) == 2
        if ok:
            pair = (int(items[0]), int(items[1]))
            ok = pair == (items[0], items[1]) and pair[0] < pair[1]
    except (TypeError, ValueError):
        ok = False
    if not ok:
        msg = f"`{name}` must be a pair (lowest, highest) of whole numbers, lowest first (got {scale!r})."
        raise InvalidInputError(msg)
    return pair


def as_scores(
    values: ArrayLike, name: str, scale: tuple[int, int], *, whole: bool = True
) -> NDArray[Any]:
    """Return non-empty answers on ``scale`` (whole numbers unless ``whole=False``)."""
    array: NDArray[Any] = as_int_array(values, name) if whole else as_float_array(values, name)
    check_not_empty(array, name)
    check_in_range(array, name, low=scale[0], high=scale[1])
    return array


def as_weights(weights: ArrayLike | None, n: int, name: str = "weights") -> FloatArray | None:
    """Return non-negative finite weights of length ``n`` with a positive total, or None.

    The weights come back divided by their largest value: every statistic here is unchanged
    by a common factor, and sums of (squared) weights then neither overflow nor underflow.
    """
    if weights is None:
        return None
    array = as_float_array(weights, name, non_negative=True)
    check_equal_length({"scores": np.empty(n), name: array})
    if n and not array.sum() > 0:
        msg = f"`{name}` must have a positive total (got {fmt(float(array.sum()))})."
        raise InvalidInputError(msg)
    # Every statistic is invariant to a common factor in the weights; scaling the largest to
    # 1 keeps sums of weights and of squared weights finite and non-zero (1e200 or 1e-200
    # would overflow or underflow them into inf/NaN and a RuntimeWarning).
    if n:
        array = array / array.max()
    return array


def as_labels(groups: ArrayLike, n: int, name: str = "groups") -> NDArray[Any]:
    """Return a 1-D label array of length ``n``; None (missing) labels are refused."""
    array = as_1d(groups, name)
    if array.dtype.kind == "O":
        missing = np.fromiter((v is None for v in array), dtype=bool, count=array.size)
        if missing.any():
            i = first_true(missing)
            msg = f"`{name}` must not hold missing labels (index {i}: None)."
            raise InvalidInputError(msg)
        array = array.astype(np.str_)
    if array.dtype.kind == "f":
        bad = ~np.isfinite(array)
        if bad.any():
            i = first_true(bad)
            msg = f"`{name}` must not hold NaN or infinite labels (index {i}: {fmt(array[i])})."
            raise InvalidInputError(msg)
    check_equal_length({"scores": np.empty(n), name: array})
    return array


def group_index(labels: NDArray[Any]) -> tuple[NDArray[Any], IntArray]:
    """Return the sorted distinct labels and each row's position among them."""
    if labels.dtype.kind in "iu" and labels.size:
        # Small integer ranges: a bincount is much cheaper than np.unique's sort.
        low, high = int(labels.min()), int(labels.max())
        if high < 2**62 and high - low < 4 * labels.size + 1024:
            shifted = labels.astype(np.int64, copy=False)
            if low:
                shifted = shifted - low
            present = np.flatnonzero(np.bincount(shifted, minlength=high - low + 1))
            position = np.full(high - low + 1, -1, dtype=np.int64)
            position[present] = np.arange(present.size)
            return (present + low).astype(labels.dtype), position[shifted]
    uniques, inverse = np.unique(labels, return_inverse=True)
    return uniques, inverse.astype(np.int64).reshape(-1)


@attrs.frozen(eq=False, kw_only=True)
class Moments:
    """Per-group weighted moments of one variable (private working value)."""

    n: IntArray = attrs.field(converter=read_only)
    """Answers per group."""
    sum_weights: FloatArray = attrs.field(converter=read_only)
    """Total weight per group (the answer count when unweighted)."""
    n_effective: FloatArray = attrs.field(converter=read_only)
    """Kish's effective sample size ``(Σw)² / Σw²`` (the answer count when unweighted)."""
    mean: FloatArray = attrs.field(converter=read_only)
    """Weighted mean per group."""
    variance_of_mean: FloatArray = attrs.field(converter=read_only)
    """Linearisation variance of the weighted mean, ``Σ w²(y − ȳ)² / (Σw)²``."""


def moments(
    values: FloatArray,
    inverse: IntArray,
    n_groups: int,
    weights: FloatArray | None,
    *,
    group_name: str = "groups",
    labels: NDArray[Any] | None = None,
) -> Moments:
    """Return the weighted mean of ``values`` and its variance in each group.

    With unit weights ``variance_of_mean`` is ``Σ (y − ȳ)² / n²``, the plug-in variance of
    a mean (for a 0/1 variable, ``p(1 − p)/n``).
    """
    n = np.bincount(inverse, minlength=n_groups).astype(np.int64)
    if weights is None:
        sum_w = n.astype(np.float64)
        sum_w2 = sum_w
        total = np.bincount(inverse, weights=values, minlength=n_groups)
    else:
        sum_w = np.bincount(inverse, weights=weights, minlength=n_groups).astype(np.float64)
        sum_w2 = np.bincount(inverse, weights=weights * weights, minlength=n_groups).astype(
            np.float64
        )
        total = np.bincount(inverse, weights=weights * values, minlength=n_groups)
        empty = sum_w <= 0
        if empty.any():
            g = first_true(empty)
            label = fmt(labels[g]) if labels is not None else str(g)
            msg = f"`weights` must have a positive total in every group (`{group_name}` {label}: 0.0)."
            raise InvalidInputError(msg)
    mean = total / sum_w
    residual = values - mean[inverse]
    squares = residual * residual if weights is None else (weights * residual) ** 2
    variance = np.bincount(inverse, weights=squares, minlength=n_groups) / (sum_w * sum_w)
    return Moments(
        n=n,
        sum_weights=sum_w,
        n_effective=sum_w * sum_w / sum_w2,
        mean=mean,
        variance_of_mean=variance,
    )


@attrs.frozen(eq=False, kw_only=True)
class Histogram:
    """Per-group counts (and weight sums) of each answer on a whole-number scale."""

    n: IntArray = attrs.field(converter=read_only)
    """Answers per group."""
    weights: FloatArray = attrs.field(converter=read_only)
    """Shape (groups, answers): total weight of each answer in each group."""
    squares: FloatArray = attrs.field(converter=read_only)
    """Shape (groups, answers): total squared weight (equal to ``weights`` when unweighted)."""


def score_histogram(
    scores: IntArray,
    low: int,
    n_values: int,
    inverse: IntArray,
    n_groups: int,
    weights: FloatArray | None,
) -> Histogram:
    """Tally whole-number answers per group in one ``np.bincount`` pass (three with weights).

    Every survey statistic here is a function of these tallies, so the grouped metrics cost
    one pass over the answers however many statistics they report.
    """
    key = inverse * n_values  # a fresh array: the additions below work in place
    key += scores
    if low:
        key -= low
    size = n_groups * n_values
    counts = np.bincount(key, minlength=size)
    shape = (n_groups, n_values)
    if weights is None:
        tallies = counts.astype(np.float64).reshape(shape)
        return Histogram(n=tallies.sum(axis=1).astype(np.int64), weights=tallies, squares=tallies)
    return Histogram(
        n=counts.reshape(shape).sum(axis=1).astype(np.int64),
        weights=np.bincount(key, weights=weights, minlength=size).astype(np.float64).reshape(shape),
        squares=np.bincount(key, weights=weights * weights, minlength=size)
        .astype(np.float64)
        .reshape(shape),
    )


def histogram_moments(
    hist: Histogram,
    values: FloatArray,
    *,
    group_name: str = "groups",
    labels: NDArray[Any] | None = None,
) -> Moments:
    """Return the :class:`Moments` of ``values[answer]`` from the per-group tallies.

    Exact: within one (group, answer) cell the value is constant, so
    ``Σ w²(y − ȳ)² = Σ_answers W2 (v − ȳ)²``.
    """
    sum_w = hist.weights.sum(axis=1)
    empty = sum_w <= 0
    if empty.any():
        g = first_true(empty)
        label = fmt(labels[g]) if labels is not None else str(g)
        msg = f"`weights` must have a positive total in every group (`{group_name}` {label}: 0.0)."
        raise InvalidInputError(msg)
    mean = hist.weights @ values / sum_w
    residual = values[None, :] - mean[:, None]
    variance = (hist.squares * residual * residual).sum(axis=1) / (sum_w * sum_w)
    return Moments(
        n=hist.n,
        sum_weights=sum_w,
        n_effective=sum_w * sum_w / hist.squares.sum(axis=1),
        mean=mean,
        variance_of_mean=variance,
    )
