"""Cohort retention matrices and churn / retention rates with intervals."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import (
    as_1d,
    as_datetime_array,
    as_float_array,
    check_equal_length,
    check_number,
    first_true,
    fmt,
)
from custcentric.exceptions import InvalidInputError
from custcentric.metrics._inputs import as_weights, check_not_empty, moments
from custcentric.metrics._intervals import (
    ConfidenceInterval,
    check_confidence_level,
    check_method,
    wilson_interval,
)
from custcentric.metrics._satisfaction import SHARE_METHODS, share_interval_ends
from custcentric.tables._columns import read_only
from custcentric.typing import BoolArray, DatetimeArray, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PERIODS",
    "RateResult",
    "RetentionCurve",
    "churn_rate",
    "retention_curve",
    "retention_rate",
]

PERIODS: Final = ("D", "W", "M", "Q", "Y")


def period_index(stamps: DatetimeArray, period: str) -> IntArray:
    """Return the number of each timestamp's calendar period (weeks start on Monday)."""
    if period in ("M", "Q"):
        months = stamps.astype("datetime64[M]").astype(np.int64)
        return months // 3 if period == "Q" else months
    if period == "Y":
        return stamps.astype("datetime64[Y]").astype(np.int64)
    days = stamps.astype("datetime64[D]").astype(np.int64)
    # 1970-01-01 was a Thursday: shifting by 3 days starts each week on Monday.
    return (days + 3) // 7 if period == "W" else days


def period_start(index: IntArray, period: str) -> NDArray[np.datetime64]:
    """Return the first day of each numbered period as ``datetime64[D]``."""
    if period in ("M", "Q"):
        months = index * 3 if period == "Q" else index
        return months.astype("datetime64[M]").astype("datetime64[D]")
    if period == "Y":
        return index.astype("datetime64[Y]").astype("datetime64[D]")
    days = index * 7 - 3 if period == "W" else index
    return days.astype("datetime64[D]")


@attrs.frozen(eq=False, kw_only=True)
class RetentionCurve(Result):
    """A cohort × period retention table (a triangle: young cohorts have fewer periods).

    Attributes
    ----------
    cohort : ndarray of datetime64[D]
        First day of each cohort's acquisition period, ascending (cohorts with customers only).
    period : {"D", "W", "M", "Q", "Y"}
        The period length.
    n_customers : ndarray of int64
        Cohort sizes ``N_c``.
    active : ndarray of int64, shape (cohorts, ages)
        Customers of cohort ``c`` not churned before the start of its period ``c + age``
        (age 0 is the acquisition period, so ``active[:, 0] == n_customers``); 0 where the
        cell is not observed.
    observed : ndarray of bool, shape (cohorts, ages)
        Whether period ``c + age`` had begun by ``observation_end``.
    retention : ndarray of float64, shape (cohorts, ages)
        ``S_c(age) = active / N_c`` where observed, NaN where the period lies after the end of
        observation (never a zero: a young cohort's future is unknown, not lost).
    observation_end : numpy.datetime64
        The end of observation.

    Examples
    --------
    >>> from custcentric.metrics import retention_curve
    >>> curve = retention_curve(["2024-01-05", "2024-01-20", "2024-02-03"],
    ...                         ["2024-02-10", "NaT", "NaT"], observation_end="2024-03-31")
    >>> curve.active.tolist()
    [[2, 2, 1], [1, 1, 0]]
    >>> curve.observed.tolist()
    [[True, True, True], [True, True, False]]
    """

    cohort: NDArray[np.datetime64] = attrs.field(converter=read_only)
    period: str
    n_customers: IntArray = attrs.field(converter=read_only)
    active: IntArray = attrs.field(converter=read_only)
    observed: BoolArray = attrs.field(converter=read_only)
    retention: FloatArray = attrs.field(converter=read_only)
    observation_end: np.datetime64

    @property
    def shape(self) -> tuple[int, int]:
        """``(cohorts, ages)``."""
        rows, columns = self.active.shape
        return int(rows), int(columns)

    def period_retention(self) -> FloatArray:
        """Return ``r_c(age) = active_c(age) / active_c(age − 1)`` for ages 1, 2, ….

        Churn in that period is ``1 − r``. NaN where the cell is not observed or nobody was
        left to retain.

        Examples
        --------
        >>> from custcentric.metrics import retention_curve
        >>> curve = retention_curve(["2024-01-05", "2024-01-20"], ["2024-02-10", "NaT"],
        ...                         observation_end="2024-03-31")
        >>> curve.period_retention().tolist()
        [[1.0, 0.5]]
        """
        previous = self.active[:, :-1].astype(np.float64)
        current = self.active[:, 1:].astype(np.float64)
        defined = self.observed[:, 1:] & (previous > 0)
        return np.where(defined, current / np.where(previous > 0, previous, 1.0), np.nan)

    def average(self, confidence_level: float = 0.95) -> dict[str, NDArray[Any]]:
        """Pool the cohorts age by age, weighting by cohort size, with Wilson intervals.

        Only cohorts observed at an age contribute to it (the triangle is never filled with
        zeros): ``S̄(age) = Σ_c active_c(age) / Σ_c N_c`` over those cohorts.

        Returns
        -------
        dict of str to ndarray
            ``age``, ``n_cohorts``, ``n_customers``, ``active``, ``retention``, ``low``,
            ``high``.

        Examples
        --------
        >>> from custcentric.metrics import retention_curve
        >>> curve = retention_curve(["2024-01-05", "2024-01-20", "2024-02-03"],
        ...                         ["2024-02-10", "NaT", "NaT"], observation_end="2024-03-31")
        >>> curve.average()["retention"].round(3).tolist()
        [1.0, 1.0, 0.5]
        """
        level = check_confidence_level(confidence_level)
        weights = np.where(self.observed, self.n_customers[:, None], 0)
        n = weights.sum(axis=0).astype(np.int64)
        active = np.where(self.observed, self.active, 0).sum(axis=0).astype(np.int64)
        share = active / n
        low, high = wilson_interval(share, n.astype(np.float64), level)
        return {
            "age": np.arange(self.shape[1]),
            "n_cohorts": self.observed.sum(axis=0).astype(np.int64),
            "n_customers": n,
            "active": active,
            "retention": share,
            "low": low,
            "high": high,
        }

    def _labels(self) -> list[str]:
        if self.period == "Q":
            months = self.cohort.astype("datetime64[M]").astype(np.int64)
            return [f"{1970 + m // 12}Q{m % 12 // 3 + 1}" for m in months.tolist()]
        unit = {"D": "D", "W": "D", "M": "M", "Y": "Y"}[self.period]
        return [str(c) for c in self.cohort.astype(f"datetime64[{unit}]")]

    def to_dict(self) -> dict[str, Any]:
        """Return the table as plain JSON-ready data (unobserved cells are ``None``)."""
        rows = [
            [float(v) if ok else None for v, ok in zip(row, seen, strict=True)]
            for row, seen in zip(self.retention.tolist(), self.observed.tolist(), strict=True)
        ]
        data: dict[str, Any] = jsonable(
            {
                "period": self.period,
                "observation_end": str(self.observation_end),
                "cohort": [str(c) for c in self.cohort],
                "n_customers": self.n_customers.tolist(),
                "retention": rows,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return cohorts as rows and ages as columns (NaN where not observed)."""
        columns: dict[str, NDArray[Any]] = {
            "cohort": self.cohort,
            "n_customers": self.n_customers,
        }
        for age in range(self.shape[1]):
            columns[str(age)] = self.retention[:, age]
        return make_frame(columns).set_index("cohort")

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        labels = self._labels()
        width = max([len(s) for s in labels] + [6])
        head = f"  {'cohort':<{width}} {'N':>6} " + " ".join(
            f"{age:>5d}" for age in range(self.shape[1])
        )
        lines = [f"Retention by cohort (period {self.period!r}, % of cohort active)", head]
        for label, n, row, seen in zip(
            labels, self.n_customers.tolist(), self.retention, self.observed, strict=True
        ):
            cells = " ".join(
                f"{100 * v:>5.0f}" if ok else f"{'':>5}" for v, ok in zip(row, seen, strict=True)
            )
            lines.append(f"  {label:<{width}} {n:>6d} {cells}".rstrip())
        return "\n".join(lines)


def _churn_times(values: ArrayLike, n: int) -> DatetimeArray:
    raw = as_1d(values, "churn_time")
    if raw.dtype.kind in "iufb":
        msg = f"`churn_time` must hold datetime64 values, ISO 8601 strings or NaT (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    if raw.dtype.kind == "O":
        raw = np.array(["NaT" if v is None or v == "" else v for v in raw], dtype=object)
    elif raw.dtype.kind == "U":
        raw = np.where(raw == "", "NaT", raw)
    try:
        array = raw.astype("datetime64[s]")
    except (TypeError, ValueError):
        for i, value in enumerate(raw):
            try:
                np.datetime64(value, "s")
            except (TypeError, ValueError):
                msg = (
                    f"`churn_time` must hold ISO 8601 timestamps or NaT (index {i}: {fmt(value)})."
                )
                raise InvalidInputError(msg) from None
        raise  # pragma: no cover - every element parsed, so the array did too
    check_equal_length({"cohort_start": np.empty(n), "churn_time": array})
    return np.ascontiguousarray(array)


def retention_curve(
    cohort_start: ArrayLike,
    churn_time: ArrayLike,
    *,
    period: str = "M",
    observation_end: Any = None,
) -> RetentionCurve:
    """Build the cohort × period retention table of a contractual customer base.

    Parameters
    ----------
    cohort_start : array_like of datetime64 or str
        When each customer was acquired; customers acquired in the same period form a cohort.
    churn_time : array_like of datetime64 or str
        When each customer churned; NaT, ``None`` or ``""`` for customers still active.
    period : {"D", "W", "M", "Q", "Y"}, default "M"
        Calendar period of cohorts and ages (weeks start on Monday).
    observation_end : datetime64 or str, optional
        End of observation; defaults to the latest timestamp given. Periods starting after it
        are not observed.

    Returns
    -------
    RetentionCurve

    Raises
    ------
    InvalidInputError
        For no customers, unequal lengths, unparsable timestamps, a churn before acquisition
        or after ``observation_end``, or an acquisition after ``observation_end``.

    Notes
    -----
    A customer of cohort ``c`` counts as active at age ``k`` when they had not churned before
    the start of period ``c + k``; ``S_c(k) = active_c(k)/N_c`` and period-to-period
    retention ``r_c(k) = active_c(k)/active_c(k − 1)``. "Active" here means "contract in
    force"; in a non-contractual setting define it first (e.g. a purchase in the period or
    P(alive) from BG/NBD). Aggregate retention rising with age is usually heterogeneity
    across customers, not growing loyalty (Fader & Hardie 2007).

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention. *J.
    Interactive Marketing* 21(1), 76–90. Gupta, S., et al. (2006). Modeling customer lifetime
    value. *J. Service Research* 9(2), 139–155.

    Examples
    --------
    >>> from custcentric.metrics import retention_curve
    >>> curve = retention_curve(["2024-01-05", "2024-01-20", "2024-02-03"],
    ...                         ["2024-02-10", None, None], observation_end="2024-03-31")
    >>> print(curve)
    Retention by cohort (period 'M', % of cohort active)
      cohort       N     0     1     2
      2024-01      2   100   100    50
      2024-02      1   100   100
    """
    name = check_method(period, PERIODS, "period")
    start = as_datetime_array(cohort_start, "cohort_start")
    check_not_empty(start, "cohort_start")
    churn = _churn_times(churn_time, start.size)
    churned = ~np.isnat(churn)
    early = churned & (churn < start)
    if early.any():
        i = first_true(early)
        msg = f"`churn_time` must not precede `cohort_start` (index {i}: {churn[i]} < {start[i]})."
        raise InvalidInputError(msg)
    latest = max(start.max(), churn[churned].max()) if churned.any() else start.max()
    if observation_end is None:
        end = latest
    else:
        end = as_datetime_array([observation_end], "observation_end")[0]
        if latest > end:
            late = (start > end) | (churned & (churn > end))
            i = first_true(late)
            which, value = (
                ("cohort_start", start[i]) if start[i] > end else ("churn_time", churn[i])
            )
            msg = f"`{which}` must not be after `observation_end` (index {i}: {value} > {end})."
            raise InvalidInputError(msg)
    cohort_index = period_index(start, name)
    end_index = int(period_index(np.array([end]), name)[0])
    last_age = np.where(churned, period_index(churn, name) - cohort_index, np.iinfo(np.int64).max)
    cohorts, inverse = np.unique(cohort_index, return_inverse=True)
    n_ages = end_index - int(cohorts[0]) + 1
    hist = np.bincount(
        inverse * n_ages + np.minimum(last_age, n_ages - 1),
        minlength=cohorts.size * n_ages,
    ).reshape(cohorts.size, n_ages)
    active = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1].astype(np.int64)
    observed = (cohorts[:, None] + np.arange(n_ages)[None, :]) <= end_index
    active = np.where(observed, active, 0)
    sizes = active[:, 0].copy()
    retention = np.where(observed, active / sizes[:, None], np.nan)
    return RetentionCurve(
        cohort=period_start(cohorts, name),
        period=name,
        n_customers=sizes,
        active=active,
        observed=observed,
        retention=retention,
        observation_end=end,
    )


@attrs.frozen(kw_only=True)
class RateResult(Result):
    """A churn or retention rate over a window: a proportion of the customers at risk.

    Attributes
    ----------
    kind : {"churn", "retention"}
    rate : float
        Share of the customers at risk at the window's start who churned (or stayed).
    n_events : float
        Customers who churned (or stayed); weighted when weights were given.
    n : int
        Customers at risk at the window's start.
    n_effective : float
        Kish's effective sample size; equals ``n`` without weights.
    standard_error : float
        ``sqrt(r(1 − r)/n)`` (linearisation with weights).

    Examples
    --------
    >>> from custcentric.metrics import RateResult
    >>> print(RateResult.from_counts(12, 200))
    churn rate 6.0 % (12 of 200 customers)
    """

    kind: str
    rate: float
    n_events: float
    n: int
    n_effective: float
    standard_error: float

    @classmethod
    def from_counts(cls, n_events: int, n: int, *, kind: str = "churn") -> RateResult:
        """Build the rate from counts: ``n_events`` of ``n`` customers at risk.

        Examples
        --------
        >>> from custcentric.metrics import RateResult
        >>> RateResult.from_counts(45, 60, kind="retention").rate
        0.75
        """
        total = int(check_number(n, "n", low=1, integer=True))
        events = int(check_number(n_events, "n_events", low=0, high=total, integer=True))
        label = check_method(kind, ("churn", "retention"), "kind")
        rate = events / total
        return cls(
            kind=label,
            rate=rate,
            n_events=float(events),
            n=total,
            n_effective=float(total),
            standard_error=math.sqrt(rate * (1.0 - rate) / total),
        )

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Return a Wilson (default) or Wald interval for the rate.

        Examples
        --------
        >>> from custcentric.metrics import RateResult
        >>> print(RateResult.from_counts(45, 60, kind="retention").confidence_interval())
        95% wilson interval (0.6277, 0.8422)
        """
        level = check_confidence_level(confidence_level)
        name = check_method(method, SHARE_METHODS)
        low, high = share_interval_ends(
            np.array([self.rate]),
            np.array([self.standard_error**2]),
            np.array([self.n_effective]),
            level,
            name,
        )
        return ConfidenceInterval(
            low=float(low[0]), high=float(high[0]), confidence_level=level, method=name
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return f"{self.kind} rate {100 * self.rate:.1f} % ({self.n_events:g} of {self.n} customers)"


def _rate(flags: ArrayLike, weights: ArrayLike | None, name: str, kind: str) -> RateResult:
    raw = as_1d(flags, name)
    values = raw.astype(np.float64) if raw.dtype.kind == "b" else as_float_array(raw, name)
    check_not_empty(values, name)
    bad = (values != 0) & (values != 1)
    if bad.any():
        i = first_true(bad)
        msg = f"`{name}` must hold 0/1 or booleans (index {i}: {fmt(values[i])})."
        raise InvalidInputError(msg)
    w = as_weights(weights, values.size)
    stats = moments(values, np.zeros(values.size, dtype=np.int64), 1, w)
    rate = float(stats.mean[0])
    if weights is None:
        total = float(stats.sum_weights[0])
    else:
        # as_weights rescales the weights (largest = 1); the count is in the caller's units.
        with np.errstate(over="ignore"):
            total = float(np.sum(np.asarray(weights, dtype=np.float64)))
    return RateResult(
        kind=kind,
        rate=rate,
        n_events=rate * total,
        n=int(stats.n[0]),
        n_effective=float(stats.n_effective[0]),
        standard_error=math.sqrt(float(stats.variance_of_mean[0])),
    )


def churn_rate(churned: ArrayLike, *, weights: ArrayLike | None = None) -> RateResult:
    """Return the churn rate over a window, with Wilson intervals on request.

    Parameters
    ----------
    churned : array_like of bool or {0, 1}
        One flag per customer *at risk at the window's start* (active then, and followed to
        the window's end): 1 if they churned within the window.
    weights : array_like of float, optional
        Non-negative weights, one per customer.

    Returns
    -------
    RateResult

    Notes
    -----
    The rate is a proportion; its interval is Wilson's (:meth:`RateResult.confidence_interval`).
    "Churned / total" over customers who joined during the window, or who were not followed
    to its end, is not a churn probability: use :func:`kaplan_meier` for censored tenure.

    References
    ----------
    Wilson, E. B. (1927). *JASA* 22(158), 209–212.

    Examples
    --------
    >>> from custcentric.metrics import churn_rate
    >>> result = churn_rate([0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
    >>> print(result)
    churn rate 20.0 % (2 of 10 customers)
    >>> print(result.confidence_interval())
    95% wilson interval (0.05668, 0.5098)
    """
    return _rate(churned, weights, "churned", "churn")


def retention_rate(retained: ArrayLike, *, weights: ArrayLike | None = None) -> RateResult:
    """Return the retention rate over a window (the complement of :func:`churn_rate`).

    Parameters
    ----------
    retained : array_like of bool or {0, 1}
        One flag per customer at risk at the window's start: 1 if still active at its end.
    weights : array_like of float, optional
        Non-negative weights, one per customer.

    Returns
    -------
    RateResult

    Examples
    --------
    >>> from custcentric.metrics import retention_rate
    >>> retention_rate([True] * 45 + [False] * 15).rate
    0.75
    """
    return _rate(retained, weights, "retained", "retention")
