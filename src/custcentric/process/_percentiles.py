"""Percentiles under a stated definition, and distribution-free intervals for them."""

from __future__ import annotations

from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike

from custcentric._stats import ConfidenceInterval
from custcentric._validation import as_float_array, check_confidence_level, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = ["PERCENTILE_METHODS", "QuantileInterval", "quantile", "quantile_ci"]

PercentileMethod: TypeAlias = Literal["type7", "nearest_rank"]

PERCENTILE_METHODS: tuple[str, ...] = ("type7", "nearest_rank")
"""The percentile definitions: Hyndman & Fan's type 7 (linear), and the nearest rank."""


def check_method(method: object) -> PercentileMethod:
    """Return ``method`` if it is a known percentile definition, else raise."""
    if method not in PERCENTILE_METHODS:
        options = ", ".join(repr(m) for m in PERCENTILE_METHODS)
        msg = f"`percentile_method` must be one of {options} (got {method!r})."
        raise InvalidInputError(msg)
    return method  # type: ignore[return-value]


def sorted_quantile(ordered: FloatArray, q: FloatArray, method: PercentileMethod) -> FloatArray:
    """Quantiles of an ascending, non-empty sample (no checks: the kernel below the edge)."""
    n = ordered.size
    if method == "nearest_rank":
        rank = np.clip(np.ceil(q * n - 1e-9 * n).astype(np.int64), 1, n)
        return ordered[rank - 1]
    h = (n - 1) * q
    low = np.floor(h).astype(np.int64)
    high = np.minimum(low + 1, n - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def quantile(
    values: ArrayLike, q: ArrayLike, *, percentile_method: PercentileMethod = "type7"
) -> FloatArray:
    """Return the ``q``-quantiles of ``values`` under a stated definition.

    Parameters
    ----------
    values : array_like of float
        A non-empty sample (for example cycle times of closed cases).
    q : float or array_like of float
        Probabilities in [0, 1] (0.9 for the 90th percentile).
    percentile_method : {"type7", "nearest_rank"}, default "type7"
        ``"type7"`` interpolates linearly between order statistics (Hyndman & Fan's type 7, the
        default of NumPy and R); ``"nearest_rank"`` returns an observed value, the order
        statistic ``x_(ceil(q n))``, as SLA contracts usually read.

    Returns
    -------
    ndarray of float64
        One quantile per entry of ``q``.

    Raises
    ------
    InvalidInputError
        For an empty or non-finite sample, ``q`` outside [0, 1], or an unknown method.

    Notes
    -----
    With ascending order statistics ``x_(1) <= ... <= x_(n)``:

    * type 7: ``h = (n - 1) q``, ``Q = x_(floor h + 1) + (h - floor h)(x_(floor h + 2) - x_(floor h + 1))``;
    * nearest rank: ``Q = x_(max(1, ceil(q n)))``.

    An SLA must say which one it means: on 1..10 the 90th percentile is 9.1 by type 7 and 9
    by nearest rank.

    References
    ----------
    Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician*, 50(4), 361-365 (definition 7; definition 1 is the nearest rank).

    Examples
    --------
    >>> from custcentric.process import quantile
    >>> quantile(range(1, 11), [0.5, 0.9])
    array([5.5, 9.1])
    >>> quantile(range(1, 11), 0.9, percentile_method="nearest_rank")
    array([9.])
    """
    sample = as_float_array(values, "values")
    if sample.size == 0:
        msg = "`values` must hold at least one number (got an empty array)."
        raise InvalidInputError(msg)
    probs = _probabilities(q)
    return sorted_quantile(np.sort(sample), probs, check_method(percentile_method))


def _probabilities(q: ArrayLike) -> FloatArray:
    probs = as_float_array(q, "q")
    bad = (probs < 0) | (probs > 1)
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`q` must lie in [0, 1] (index {i}: {fmt(probs[i])})."
        raise InvalidInputError(msg)
    return probs


QuantileInterval = ConfidenceInterval
"""The former name of the interval :func:`quantile_ci` returns; deprecated, to be removed.

It is :class:`custcentric.metrics.ConfidenceInterval` itself: ``lower`` and ``upper`` read
``low`` and ``high``; ``q``, ``lower_rank``, ``upper_rank``, ``coverage`` and ``n`` are set.
"""


def order_statistic_ranks(n: int, q: float, confidence_level: float) -> tuple[int, int, float]:
    """Ranks ``(l, u)`` with equal binomial tails, clipped to ``[1, n]``, and their coverage."""
    from scipy.special import bdtr

    tail = (1.0 - confidence_level) / 2.0
    cdf = bdtr(np.arange(n + 1), n, q)  # P(B <= k), B ~ Binomial(n, q)
    lower = int(np.searchsorted(cdf, tail, side="left"))
    upper = int(np.searchsorted(cdf, 1.0 - tail, side="left")) + 1
    lower, upper = max(lower, 1), min(upper, n)
    coverage = float(cdf[upper - 1] - (cdf[lower - 1] if lower >= 1 else 0.0))
    return lower, upper, coverage


def quantile_ci(
    values: ArrayLike, q: float, *, confidence_level: float = 0.95
) -> ConfidenceInterval:
    """Return a distribution-free confidence interval for the ``q``-quantile.

    Parameters
    ----------
    values : array_like of float
        A non-empty sample.
    q : float
        The probability of the quantile, in (0, 1).
    confidence_level : float, default 0.95
        The coverage asked for.

    Returns
    -------
    ConfidenceInterval
        ``low = x_(lower_rank)`` and ``high = x_(upper_rank)``, method ``"order_statistic"``,
        with ``q``, ``lower_rank``, ``upper_rank``, the exact ``coverage`` and ``n`` set.

    Notes
    -----
    The number ``B`` of observations below the true quantile is ``Binomial(n, q)``, whatever
    the distribution. With equal tails ``l = F_B^{-1}((1 - c)/2)`` and
    ``u = F_B^{-1}((1 + c)/2) + 1``, the interval ``[x_(l), x_(u)]`` covers the quantile with
    probability ``P(l <= B <= u - 1) >= c``. When the sample is too small, the ranks are clipped
    to ``[1, n]`` and the smaller exact coverage is reported, never hidden.

    References
    ----------
    Conover, W. J. (1999). *Practical Nonparametric Statistics* (3rd ed.), Wiley, section 3.2
    (confidence interval for a quantile). David, H. A., & Nagaraja, H. N. (2003). *Order
    Statistics* (3rd ed.), Wiley, section 7.1.

    Examples
    --------
    >>> from custcentric.process import quantile_ci
    >>> ci = quantile_ci(range(1, 101), 0.9)
    >>> ci.lower_rank, ci.upper_rank, round(ci.coverage, 4)
    (84, 96, 0.9557)
    >>> print(ci)
    95% order_statistic interval (84, 96)
    >>> ci = quantile_ci([3.1, 4.0, 2.2, 5.5, 3.7, 4.4, 2.9, 6.1, 3.3, 4.8], 0.5)
    >>> ci.low, ci.high, ci.lower_rank, ci.upper_rank, round(ci.coverage, 4), ci.n
    (2.9, 5.5, 2, 9, 0.9785, 10)
    """
    sample = as_float_array(values, "values")
    if sample.size == 0:
        msg = "`values` must hold at least one number (got an empty array)."
        raise InvalidInputError(msg)
    prob = check_number(q, "q", low=0, high=1, low_inclusive=False, high_inclusive=False)
    level = check_confidence_level(confidence_level)
    ordered = np.sort(sample)
    lower, upper, coverage = order_statistic_ranks(ordered.size, prob, level)
    return ConfidenceInterval(
        low=float(ordered[lower - 1]),
        high=float(ordered[upper - 1]),
        confidence_level=level,
        method="order_statistic",
        coverage=coverage,
        n=int(ordered.size),
        q=prob,
        lower_rank=lower,
        upper_rank=upper,
    )
