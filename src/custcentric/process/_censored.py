"""Kaplan–Meier percentiles of cycle times with open cases right-censored.

Thin readings of the one product-limit estimator, :func:`custcentric._stats.product_limit`.
"""

from __future__ import annotations

import math

import numpy as np

from custcentric._stats import first_times, product_limit, survival_band
from custcentric.typing import BoolArray, FloatArray

__all__ = ["km_attained", "km_quantile", "km_summary"]


def km_quantile(duration: FloatArray, closed: BoolArray, q: float) -> float:
    """Return the smallest closing time with ``Ŝ <= 1 - q`` (``inf`` if never reached)."""
    table = product_limit(duration, closed)
    return float(first_times(table.time, table.survival, 1.0 - q))


def km_attained(duration: FloatArray, closed: BoolArray, target: float) -> float:
    """Return ``1 - Ŝ(target)``: the estimated share of cases closed within ``target``."""
    table = product_limit(duration, closed)
    passed = np.searchsorted(table.time, target, side="right")
    return 1.0 - (float(table.survival[passed - 1]) if passed else 1.0)


def km_summary(
    duration: FloatArray, closed: BoolArray, quantiles: tuple[float, ...], z: float
) -> tuple[float, FloatArray, FloatArray]:
    """Return the restricted mean, the quantiles and their intervals of one process.

    ``duration`` holds every case's cycle time (``>= 0``; a lower bound for open cases) and
    ``closed`` whether the case closed. Returns ``(mean, estimates, intervals)`` with
    ``estimates`` of shape ``(len(quantiles),)`` and ``intervals`` of shape
    ``(len(quantiles), 2)``; a quantile or an interval end the curve never reaches is ``inf``.
    The intervals are Brookmeyer–Crowley's, read off the log-log band.
    No checks: the kernel below :func:`process_performance`.
    """
    table = product_limit(duration, closed)
    low, high = survival_band(table.survival, table.greenwood, z, "log-log")
    edges = np.concatenate(([0.0], table.time, duration.max(initial=0.0, keepdims=True)))
    levels = np.concatenate(([1.0], table.survival))
    mean = float(np.sum(levels * np.diff(edges))) if duration.size else math.nan
    targets = 1.0 - np.asarray(quantiles, dtype=np.float64)
    estimates = first_times(table.time, table.survival, targets)
    intervals = np.stack(
        [first_times(table.time, low, targets), first_times(table.time, high, targets)], axis=1
    )
    return mean, estimates, intervals.reshape(len(quantiles), 2)
