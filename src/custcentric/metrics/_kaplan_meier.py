"""Kaplan–Meier survival (retention) curves with Greenwood standard errors."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._stats import BAND_METHODS, first_times, product_limit, survival_band
from custcentric._validation import as_1d, as_float_array, check_equal_length, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.metrics._inputs import check_not_empty
from custcentric.metrics._intervals import (
    ConfidenceInterval,
    check_confidence_level,
    check_method,
    json_float,
    normal_quantile,
)
from custcentric.tables._columns import read_only
from custcentric.typing import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KM_METHODS", "KaplanMeierResult", "kaplan_meier"]

KM_METHODS: Final = BAND_METHODS


@attrs.frozen(eq=False, kw_only=True)
class KaplanMeierResult(Result):
    """A Kaplan–Meier survival curve: one row per distinct event (churn) time.

    Attributes
    ----------
    time : ndarray of float64
        The distinct times at which at least one event happened, ascending.
    n_at_risk : ndarray of int64
        Customers with duration ``>= time`` (censored at that time included).
    n_events : ndarray of int64
        Events at ``time``.
    survival : ndarray of float64
        ``Ŝ(time)``, the estimated share still active just after ``time``.
    standard_error : ndarray of float64
        Greenwood's standard error of ``survival`` (0 where ``survival`` is 0).
    low, high : ndarray of float64
        Pointwise interval ends from ``method`` at ``confidence_level``.
    confidence_level : float
    method : {"log-log", "log", "plain"}
    n_observations : int
        Number of customers.
    n_censored : int
        Customers whose event was not observed.
    median : float
        Smallest ``time`` with ``Ŝ <= 0.5``; ``inf`` when the curve never falls that far.

    Examples
    --------
    >>> from custcentric.metrics import kaplan_meier
    >>> km = kaplan_meier([3, 5, 5, 8, 10], [1, 1, 0, 1, 0])
    >>> km.time.tolist(), km.survival.round(3).tolist(), km.median
    ([3.0, 5.0, 8.0], [0.8, 0.6, 0.3], 8.0)
    """

    time: FloatArray = attrs.field(converter=read_only)
    n_at_risk: IntArray = attrs.field(converter=read_only)
    n_events: IntArray = attrs.field(converter=read_only)
    survival: FloatArray = attrs.field(converter=read_only)
    standard_error: FloatArray = attrs.field(converter=read_only)
    low: FloatArray = attrs.field(converter=read_only)
    high: FloatArray = attrs.field(converter=read_only)
    confidence_level: float
    method: str
    n_observations: int
    n_censored: int
    median: float

    def __len__(self) -> int:
        return int(self.time.size)

    def survival_at(self, times: ArrayLike) -> FloatArray:
        """Return ``Ŝ(t)`` at any times (a right-continuous step function; 1 before the first event).

        The curve is flat after the last event; past the largest observed duration that is an
        extrapolation.

        Examples
        --------
        >>> from custcentric.metrics import kaplan_meier
        >>> kaplan_meier([3, 5, 5, 8, 10], [1, 1, 0, 1, 0]).survival_at([0, 3, 4.5, 9]).tolist()
        [1.0, 0.8, 0.8, 0.3]
        """
        t = as_float_array(times, "times")
        index = np.searchsorted(self.time, t, side="right") - 1
        padded = np.concatenate(([1.0], self.survival))
        return padded[index + 1]

    def quantile(self, q: float) -> float:
        """Return the smallest event time with ``Ŝ <= 1 − q`` (``inf`` if not reached).

        ``quantile(0.5)`` is the median survival time; ``quantile(0.25)`` the time by which a
        quarter of the customers have churned.

        Examples
        --------
        >>> from custcentric.metrics import kaplan_meier
        >>> kaplan_meier([3, 5, 5, 8, 10], [1, 1, 0, 1, 0]).quantile(0.2)
        3.0
        """
        level = check_number(q, "q", low=0, high=1, low_inclusive=False, high_inclusive=False)
        return _first_time(self.time, self.survival, 1.0 - level)

    def median_confidence_interval(self) -> ConfidenceInterval:
        """Return the interval for the median read off the pointwise bands.

        Lower end: the first time the lower band reaches 0.5; upper end: the first time the
        upper band does (``inf`` if never) — Brookmeyer & Crowley (1982), as R's ``survfit``.

        Examples
        --------
        >>> from custcentric.metrics import kaplan_meier
        >>> print(kaplan_meier([3, 5, 5, 8, 10], [1, 1, 0, 1, 0]).median_confidence_interval())
        95% log-log interval (3, inf)
        """
        return ConfidenceInterval(
            low=_first_time(self.time, self.low, 0.5),
            high=_first_time(self.time, self.high, 0.5),
            confidence_level=self.confidence_level,
            method=self.method,
        )

    def _table(self) -> dict[str, NDArray[Any]]:
        return {
            "time": self.time,
            "n_at_risk": self.n_at_risk,
            "n_events": self.n_events,
            "survival": self.survival,
            "standard_error": self.standard_error,
            "low": self.low,
            "high": self.high,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the table and summary as plain JSON-ready data (an infinite median is None)."""
        out: dict[str, Any] = {k: v.tolist() for k, v in self._table().items()}
        out.update(
            confidence_level=self.confidence_level,
            method=self.method,
            n_observations=self.n_observations,
            n_censored=self.n_censored,
            median=json_float(self.median),
        )
        data: dict[str, Any] = jsonable(out)
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return the table (one row per event time) as a pandas DataFrame."""
        return make_frame(self._table())

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        median = "not reached" if math.isinf(self.median) else f"{self.median:g}"
        lines = [
            f"Kaplan-Meier: {self.n_observations} observations, "
            f"{self.n_observations - self.n_censored} events, {self.n_censored} censored; "
            f"median {median}",
            f"  {'time':>8} {'at risk':>8} {'events':>7} {'S(t)':>7} {'SE':>7}   "
            f"{100 * self.confidence_level:g}% {self.method}",
        ]
        for i in range(len(self)):
            lines.append(
                f"  {self.time[i]:>8g} {self.n_at_risk[i]:>8d} {self.n_events[i]:>7d} "
                f"{self.survival[i]:>7.4f} {self.standard_error[i]:>7.4f}   "
                f"({self.low[i]:.4f}, {self.high[i]:.4f})"
            )
        return "\n".join(lines)


def _first_time(time: FloatArray, curve: FloatArray, level: float) -> float:
    return float(first_times(time, curve, level))


def _observed_iv(observed: ArrayLike | None, n: int) -> BoolArray:
    if observed is None:
        return np.ones(n, dtype=bool)
    raw = as_1d(observed, "observed")
    if raw.dtype.kind == "b":
        flags = raw
    else:
        values = as_float_array(raw, "observed")
        bad = (values != 0) & (values != 1)
        if bad.any():
            i = int(np.argmax(bad))
            msg = f"`observed` must hold 0/1 or booleans (index {i}: {fmt(values[i])})."
            raise InvalidInputError(msg)
        flags = values == 1
    check_equal_length({"durations": np.empty(n), "observed": flags})
    if not flags.any():
        msg = (
            f"`observed` must flag at least one event (all {n} durations are censored: the "
            "survival curve is 1 throughout and its median is not defined)."
        )
        raise InvalidInputError(msg)
    return np.ascontiguousarray(flags, dtype=bool)


def kaplan_meier(
    durations: ArrayLike,
    observed: ArrayLike | None = None,
    *,
    confidence_level: float = 0.95,
    method: str = "log-log",
) -> KaplanMeierResult:
    """Estimate the survival (retention) curve from censored durations.

    Parameters
    ----------
    durations : array_like of float
        Time from the start (sign-up, case opened) to the event or to censoring, ``>= 0``.
    observed : array_like of bool or {0, 1}, optional
        1 if the event (churn, resolution) happened at ``durations``, 0 if the customer was
        still active at the analysis date or lost to follow-up. All 1 when omitted.
    confidence_level : float, default 0.95
    method : {"log-log", "log", "plain"}, default "log-log"
        Pointwise interval: ``exp(−exp(log(−log Ŝ) ± z σ/|log Ŝ|))`` (stays in [0, 1]),
        ``Ŝ exp(± z σ)`` capped at 1 (R's default), or ``Ŝ ± z SE`` clipped to [0, 1];
        ``σ² = Σ d/(n(n − d))``.

    Returns
    -------
    KaplanMeierResult

    Raises
    ------
    InvalidInputError
        For no durations, a negative, NaN or infinite duration, a flag other than 0/1,
        unequal lengths (the message names the first offending index), or no event at all:
        with every duration censored the curve is 1 throughout, nothing can be estimated
        from it, and the median is not defined.

    Notes
    -----
    At the distinct event times ``t_j`` with ``n_j`` at risk (duration ``>= t_j``) and ``d_j``
    events, ``Ŝ(t) = Π_{t_j <= t} (1 − d_j/n_j)`` and Greenwood's
    ``Var Ŝ(t) = Ŝ(t)² Σ_{t_j <= t} d_j/(n_j(n_j − d_j))``. Customers censored at ``t_j`` are
    at risk at ``t_j`` (events first). Where every customer still at risk churns, ``Ŝ`` is 0,
    its standard error is reported as 0, the lower end as 0 and the upper end is carried from
    the previous row (the transforms are undefined at 0). Dropping censored customers, or
    counting them as churned, biases churn upward.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53(282), 457–481. Greenwood, M. (1926). *The Natural Duration of Cancer*. HMSO.
    Kalbfleisch, J. D., & Prentice, R. L. (2002). *The Statistical Analysis of Failure Time
    Data* (2nd ed.), §1.4 (log-log intervals).

    Examples
    --------
    The 6-MP arm of Freireich et al. (1963), as in Gehan (1965):

    >>> from custcentric.metrics import kaplan_meier
    >>> weeks = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> relapse = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> km = kaplan_meier(weeks, relapse)
    >>> km.survival.round(4).tolist()
    [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482]
    >>> km.median
    23.0
    """
    times = as_float_array(durations, "durations", non_negative=True)
    check_not_empty(times, "durations")
    flags = _observed_iv(observed, times.size)
    level = check_confidence_level(confidence_level)
    name = check_method(method, KM_METHODS)
    table = product_limit(times, flags)
    low, high = survival_band(table.survival, table.greenwood, normal_quantile(level), name)
    return KaplanMeierResult(
        time=table.time,
        n_at_risk=table.n_at_risk,
        n_events=table.n_events,
        survival=table.survival,
        standard_error=table.standard_error,
        low=low,
        high=high,
        confidence_level=level,
        method=name,
        n_observations=int(times.size),
        n_censored=int(times.size - flags.sum()),
        median=_first_time(table.time, table.survival, 0.5),
    )
