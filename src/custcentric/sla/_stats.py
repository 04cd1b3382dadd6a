"""Censored quantiles for compliance reports, read off the shared Kaplan–Meier estimator."""

from __future__ import annotations

from custcentric._stats import first_times, product_limit
from custcentric.typing import BoolArray, FloatArray

__all__ = ["censored_quantile"]


def censored_quantile(durations: FloatArray, observed: BoolArray, q: float) -> float | None:
    """Return the smallest t with Kaplan-Meier ``1 - S(t) >= q``, or None if never reached.

    Closed cases are events, open cases are right-censored at their elapsed time.
    Without censoring this is the nearest-rank quantile ``x_(ceil(q n))`` of SLA contracts
    (Hyndman & Fan type 1).
    """
    table = product_limit(durations, observed)
    reached = float(first_times(table.time, table.survival, 1.0 - q))
    return None if reached == float("inf") else reached
