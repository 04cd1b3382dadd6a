"""Small statistics for compliance reports: Wilson interval, censored quantiles."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from custcentric.typing import BoolArray, FloatArray

__all__ = ["censored_quantile", "wilson_interval"]


def wilson_interval(successes: int, n: int, confidence_level: float) -> tuple[float, float]:
    """Return the Wilson score interval for a binomial proportion (``(nan, nan)`` never).

    ``(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``; ``(0, 1)`` when ``n == 0``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22(158), 209-212. Test vector (methods.md T22): 45 of 60 gives
    (0.6277, 0.8422) at 95 %.
    """
    if n == 0:
        return 0.0, 1.0
    z = float(special.ndtri(0.5 + confidence_level / 2.0))
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def censored_quantile(durations: FloatArray, observed: BoolArray, q: float) -> float | None:
    """Return the smallest t with Kaplan-Meier ``1 - S(t) >= q``, or None if never reached.

    Closed cases are events, open cases are right-censored at their elapsed time
    (methods.md §6.1). Without censoring this is the nearest-rank quantile
    ``x_(ceil(q n))`` of SLA contracts (Hyndman & Fan type 1).
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
