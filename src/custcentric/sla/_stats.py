"""Small statistics for compliance reports: Wilson interval, censored quantiles."""

from __future__ import annotations

import numpy as np

from custcentric._stats import wilson_interval as shared_wilson
from custcentric.typing import BoolArray, FloatArray

__all__ = ["censored_quantile", "wilson_interval"]


def wilson_interval(successes: int, n: int, confidence_level: float) -> tuple[float, float]:
    """Return the Wilson score interval of ``successes`` out of ``n``; ``(0, 1)`` when n is 0.

    45 of 60 gives (0.6277, 0.8422) at 95 %.
    """
    low, high = shared_wilson(successes / n if n else 0.0, n, confidence_level)
    return float(low), float(high)


def censored_quantile(durations: FloatArray, observed: BoolArray, q: float) -> float | None:
    """Return the smallest t with Kaplan-Meier ``1 - S(t) >= q``, or None if never reached.

    Closed cases are events, open cases are right-censored at their elapsed time.
    Without censoring this is the nearest-rank quantile ``x_(ceil(q n))`` of SLA contracts
    (Hyndman & Fan type 1).
    """
    if durations.size == 0:
        return None
    order = np.lexsort((~observed, durations))
    t = durations[order]
    d = observed[order]
    n = t.size
    at_risk = n - np.arange(n)
    # Kaplan-Meier: multiply (1 - d_i / n_i) event by event; ties of events give the same
    # product as the grouped form, since censored cases at a tie are sorted after events.
    factor = np.where(d, 1.0 - 1.0 / at_risk, 1.0)
    surv = np.cumprod(factor)
    reached = (1.0 - surv >= q - 1e-12) & d
    if not reached.any():
        return None
    return float(t[int(np.argmax(reached))])
