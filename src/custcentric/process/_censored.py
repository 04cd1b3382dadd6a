"""Kaplan–Meier percentiles of cycle times with open cases right-censored."""

from __future__ import annotations

import math

import numpy as np

from custcentric.typing import BoolArray, FloatArray

__all__ = ["km_attained", "km_curve", "km_quantile", "km_summary"]

_TOLERANCE = 1e-12


def _first_time(time: FloatArray, curve: FloatArray, level: float) -> float:
    """Return the first ``time`` with ``curve <= level`` (``inf`` if the curve never gets there)."""
    hit = curve <= level + _TOLERANCE
    return float(time[int(np.argmax(hit))]) if hit.any() else math.inf


def km_curve(duration: FloatArray, closed: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Return the distinct closing times and the Kaplan–Meier Ŝ just after each of them."""
    ordered = np.sort(duration)
    time, events = np.unique(duration[closed], return_counts=True)
    at_risk = ordered.size - np.searchsorted(ordered, time, side="left")
    survival: FloatArray = np.cumprod((at_risk - events) / at_risk).astype(np.float64)
    return time.astype(np.float64), survival


def km_quantile(duration: FloatArray, closed: BoolArray, q: float) -> float:
    """Return the smallest closing time with ``Ŝ <= 1 - q`` (``inf`` if never reached)."""
    time, survival = km_curve(duration, closed)
    return _first_time(time, survival, 1.0 - q)


def km_attained(duration: FloatArray, closed: BoolArray, target: float) -> float:
    """Return ``1 - Ŝ(target)``: the estimated share of cases closed within ``target``."""
    time, survival = km_curve(duration, closed)
    passed = np.searchsorted(time, target, side="right")
    return 1.0 - (float(survival[passed - 1]) if passed else 1.0)


def km_summary(
    duration: FloatArray, closed: BoolArray, quantiles: tuple[float, ...], z: float
) -> tuple[float, FloatArray, FloatArray]:
    """Return the restricted mean, the quantiles and their intervals of one process.

    ``duration`` holds every case's cycle time (``>= 0``; a lower bound for open cases) and
    ``closed`` whether the case closed. Returns ``(mean, estimates, intervals)`` with
    ``estimates`` of shape ``(len(quantiles),)`` and ``intervals`` of shape
    ``(len(quantiles), 2)``; a quantile or an interval end the curve never reaches is ``inf``.
    No checks: the kernel below :func:`process_performance`.
    """
    ordered = np.sort(duration)
    time, events = np.unique(duration[closed], return_counts=True)
    at_risk = ordered.size - np.searchsorted(ordered, time, side="left")
    survivors = at_risk - events
    survival: FloatArray = np.cumprod(survivors / at_risk).astype(np.float64)
    with np.errstate(divide="ignore"):
        terms = np.where(survivors > 0, events / (at_risk * np.maximum(survivors, 1)), np.inf)
    greenwood = np.cumsum(terms)
    low, high = _log_log_band(survival, greenwood, z)
    edges = np.concatenate(([0.0], time, ordered[-1:]))
    levels = np.concatenate(([1.0], survival))
    mean = float(np.sum(levels * np.diff(edges))) if ordered.size else math.nan
    estimates = np.array([_first_time(time, survival, 1.0 - q) for q in quantiles])
    intervals = np.array(
        [[_first_time(time, low, 1.0 - q), _first_time(time, high, 1.0 - q)] for q in quantiles]
    )
    return mean, estimates, intervals.reshape(len(quantiles), 2)


def _log_log_band(
    survival: FloatArray, greenwood: FloatArray, z: float
) -> tuple[FloatArray, FloatArray]:
    """Pointwise ``exp(-exp(log(-log S) ± z σ / |log S|))`` with ``σ² = Σ d/(n(n-d))``."""
    alive = (survival > 0) & (survival < 1)
    s = np.where(alive, survival, 0.5)
    sigma = np.sqrt(np.where(alive, greenwood, 0.0))
    log_s = np.log(s)
    spread = z * sigma / np.abs(log_s)
    theta = np.log(-log_s)
    low = np.where(alive, np.exp(-np.exp(theta + spread)), 0.0)
    high = np.where(alive, np.exp(-np.exp(theta - spread)), 0.0)
    dead = survival <= 0
    if dead.any():
        # Once Ŝ is 0 it stays 0; the band's upper end is carried from the last defined row.
        first = int(np.argmax(dead))
        high[dead] = high[first - 1] if first > 0 else 1.0
    return low, high
