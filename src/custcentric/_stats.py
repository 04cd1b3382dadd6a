"""Small statistical formulas shared by the analytic parts.

One copy of each: normal quantiles, the Wilson interval, the :class:`ConfidenceInterval` value
every part returns, the Kaplan–Meier product-limit estimator with Greenwood's variance and its
pointwise bands, and :func:`scalar_or_array` for functions that broadcast. These are kernels:
they do not check their inputs (the public functions above them do, once, at their edge).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Final, NamedTuple

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, FloatArray, IntArray

__all__ = [
    "BAND_METHODS",
    "ConfidenceInterval",
    "ProductLimit",
    "first_times",
    "json_float",
    "normal_quantile",
    "product_limit",
    "scalar_or_array",
    "survival_band",
    "wilson_interval",
]

#: The pointwise Kaplan–Meier bands :func:`survival_band` draws.
BAND_METHODS: Final = ("log-log", "log", "plain")

#: Slack when a curve is compared with a level: a product of ratios that should equal the level
#: exactly (e.g. 5/10) may come out a rounding error above it.
_TOLERANCE: Final = 1e-12


def normal_quantile(confidence_level: float) -> float:
    """Return the two-sided standard normal quantile ``z`` for a confidence level.

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    return float(special.ndtri(0.5 + confidence_level / 2.0))


def json_float(value: float) -> float | None:
    """Return ``value`` as a float, or ``None`` when it is not finite (JSON has no infinity).

    Examples
    --------
    >>> json_float(2), json_float(float("inf"))
    (2.0, None)
    """
    value = float(value)
    return value if math.isfinite(value) else None


def scalar_or_array(values: NDArray[Any], like: ArrayLike | None = None) -> Any:
    """Return a Python scalar when the inputs were scalars, else the array.

    ``like`` is the input whose shape the result follows; without it, ``values`` itself
    (already broadcast to the inputs' shape) decides: a 0-d array becomes a scalar.

    Examples
    --------
    >>> import numpy as np
    >>> scalar_or_array(np.array(0.25)), scalar_or_array(np.array([0.25]), 3.0)
    (0.25, 0.25)
    >>> scalar_or_array(np.array([0.25, 0.5]))
    array([0.25, 0.5 ])
    """
    shape_of = values if like is None else like
    if np.ndim(shape_of) == 0 and values.size == 1:
        return values.reshape(-1)[0].item()
    return values


def wilson_interval(
    share: ArrayLike, n: ArrayLike, confidence_level: float
) -> tuple[FloatArray, FloatArray]:
    r"""Return the Wilson score interval for proportions ``share`` of ``n`` trials, elementwise.

    .. math::

        \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    ``n`` may be an effective (weighted) sample size. Where ``n == 0`` the interval is the
    honest ``(0, 1)``. The ends are kept in [0, 1] and on either side of ``share`` against
    rounding, so ``share = 0`` gives a lower end of exactly 0 and ``share = 1`` an upper end
    of exactly 1. The one Wilson interval of the library: the metrics, the SLA compliance
    reports and the IDIC interaction summaries all call it.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209–212.

    Examples
    --------
    A worked example, 45 satisfied of 60:

    >>> low, high = wilson_interval(45 / 60, 60, 0.95)
    >>> round(float(low), 4), round(float(high), 4)
    (0.6277, 0.8422)
    """
    p = np.asarray(share, dtype=np.float64)
    trials = np.asarray(n, dtype=np.float64)
    z = normal_quantile(confidence_level)
    z2 = z * z
    safe = np.where(trials > 0, trials, 1.0)
    denominator = 1.0 + z2 / safe
    centre = (p + z2 / (2.0 * safe)) / denominator
    spread = np.maximum(p * (1.0 - p) / safe + z2 / (4.0 * safe * safe), 0.0)
    half = z * np.sqrt(spread) / denominator
    low = np.where(trials > 0, np.minimum(np.clip(centre - half, 0.0, 1.0), p), 0.0)
    high = np.where(trials > 0, np.maximum(np.clip(centre + half, 0.0, 1.0), p), 1.0)
    return low, high


def _real(value: object, name: str) -> float:
    """Return ``value`` as a float: a real number, not NaN (an infinite end is allowed)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        msg = f"`{name}` must be a real number (got {type(value).__name__}: {value!r:.40})."
        raise InvalidInputError(msg)
    if isinstance(value, (complex, np.complexfloating)):
        msg = f"`{name}` must be a real number (got complex: {value!r:.40})."
        raise InvalidInputError(msg)
    number = float(value)
    if math.isnan(number):
        msg = f"`{name}` must not be NaN (an interval that cannot be computed is not returned)."
        raise InvalidInputError(msg)
    return number


def _low(value: object) -> float:
    return _real(value, "low")


def _high(value: object) -> float:
    return _real(value, "high")


def _level(value: object) -> float:
    level = _real(value, "confidence_level")
    if not 0.0 < level < 1.0:
        msg = f"`confidence_level` must lie strictly between 0 and 1 (got {level!r})."
        raise InvalidInputError(msg)
    return level


@attrs.frozen(kw_only=True)
class ConfidenceInterval:
    """A two-sided confidence interval, the one interval value of the metrics and the processes.

    Unpacks like a pair: ``low, high = result.confidence_interval()``. The optional fields are
    set by the intervals that know them: :func:`custcentric.process.quantile_ci` (the
    distribution-free interval for a quantile from two order statistics) sets all of them.

    Attributes
    ----------
    low, high : float
        The interval's ends, on the scale of the estimate it belongs to; ``low <= high``. An
        end is infinite where the data do not bound it (a median survival time never reached);
        it is never NaN (refused with :class:`~custcentric.exceptions.InvalidInputError`).
    confidence_level : float
        The nominal coverage asked for, in (0, 1).
    method : str
        How the interval was computed (``"wald"``, ``"adjusted_wald"``, ``"wilson"``, ``"t"``,
        ``"log-log"``, ``"order_statistic"``, ...).
    coverage : float or None
        The exact coverage where it is known (order statistics: ``P(lower_rank <= B <
        upper_rank)``, ``B ~ Binomial(n, q)``; below ``confidence_level`` when the sample is
        too small to reach it), else None.
    n : int or None
        The sample size, where it is recorded.
    q : float or None
        The probability of the quantile the interval is for, if it is a quantile's.
    lower_rank, upper_rank : int or None
        The 1-based ranks of the order statistics ``low`` and ``high`` are, if they are.

    Examples
    --------
    >>> from custcentric.metrics import ConfidenceInterval
    >>> ci = ConfidenceInterval(low=0.6277, high=0.8422, confidence_level=0.95, method="wilson")
    >>> low, high = ci
    >>> print(ci)
    95% wilson interval (0.6277, 0.8422)
    """

    low: float = attrs.field(converter=_low)
    high: float = attrs.field(converter=_high)
    confidence_level: float = attrs.field(converter=_level)
    method: str
    coverage: float | None = None
    n: int | None = None
    q: float | None = None
    lower_rank: int | None = None
    upper_rank: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            msg = f"`low` must not exceed `high` (got {self.low!r} > {self.high!r})."
            raise InvalidInputError(msg)

    @property
    def lower(self) -> float:
        """The lower end, ``low`` (the name of the former ``QuantileInterval``; deprecated).

        Examples
        --------
        >>> ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9, method="t").lower
        1.0
        """
        return self.low

    @property
    def upper(self) -> float:
        """The upper end, ``high`` (the name of the former ``QuantileInterval``; deprecated).

        Examples
        --------
        >>> ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9, method="t").upper
        2.0
        """
        return self.high

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.high))

    def __str__(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        return f"{level} {self.method} interval ({self.low:.4g}, {self.high:.4g})"

    def to_dict(self) -> dict[str, Any]:
        """Return the interval as plain JSON-ready data (an infinite end becomes ``None``).

        The optional fields appear only when they are set.

        Examples
        --------
        >>> from custcentric.metrics import ConfidenceInterval
        >>> ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9, method="t").to_dict()
        {'low': 1.0, 'high': 2.0, 'confidence_level': 0.9, 'method': 't'}
        """
        out: dict[str, Any] = {
            "low": json_float(self.low),
            "high": json_float(self.high),
            "confidence_level": self.confidence_level,
            "method": self.method,
        }
        for name in ("coverage", "n", "q", "lower_rank", "upper_rank"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


class ProductLimit(NamedTuple):
    """The Kaplan–Meier table: one row per distinct event time, ascending."""

    time: FloatArray
    n_at_risk: IntArray
    n_events: IntArray
    survival: FloatArray
    #: Greenwood's sum ``Σ d/(n(n − d))`` up to each row; ``inf`` from the row where Ŝ hits 0.
    greenwood: FloatArray

    @property
    def standard_error(self) -> FloatArray:
        """Greenwood's standard error ``Ŝ √(Σ d/(n(n − d)))``, 0 where ``Ŝ`` is 0."""
        dead = self.survival <= 0.0
        return np.where(dead, 0.0, self.survival * np.sqrt(np.where(dead, 0.0, self.greenwood)))


def product_limit(durations: FloatArray, observed: BoolArray) -> ProductLimit:
    """Return the Kaplan–Meier estimate from durations and event flags (no checks).

    At the distinct event times ``t_j`` with ``n_j`` at risk (duration ``>= t_j``; those
    censored at ``t_j`` included, events first) and ``d_j`` events,
    ``Ŝ(t_j) = Π_{i <= j} (1 − d_i/n_i)``. Two sorts and no Python loop: the event times with
    their counts, and all durations to count those at risk by binary search. Without an event
    the table is empty (the curve is 1 throughout).

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53(282), 457–481. Greenwood, M. (1926). *The Natural Duration of Cancer*. HMSO.

    Examples
    --------
    >>> import numpy as np
    >>> km = product_limit(np.array([3.0, 5, 5, 8, 10]), np.array([1, 1, 0, 1, 0], dtype=bool))
    >>> km.time.tolist(), km.n_at_risk.tolist(), km.survival.round(3).tolist()
    ([3.0, 5.0, 8.0], [5, 4, 2], [0.8, 0.6, 0.3])
    """
    time, counts = np.unique(durations[observed], return_counts=True)
    at_risk = durations.size - np.searchsorted(np.sort(durations), time, side="left")
    d, n = counts.astype(np.int64), at_risk.astype(np.int64)
    survivors = n - d
    survival = np.cumprod(survivors / n).astype(np.float64)
    with np.errstate(divide="ignore"):
        terms = np.where(survivors > 0, d / (n * np.maximum(survivors, 1)), np.inf)
    greenwood = np.cumsum(terms).astype(np.float64)
    return ProductLimit(time.astype(np.float64), n, d, survival, greenwood)


def survival_band(
    survival: FloatArray, greenwood: FloatArray, z: float, method: str = "log-log"
) -> tuple[FloatArray, FloatArray]:
    """Return the pointwise band ``(low, high)`` around a Kaplan–Meier curve (no checks).

    ``method`` is one of :data:`BAND_METHODS`: ``exp(−exp(log(−log Ŝ) ± z σ/|log Ŝ|))``
    (stays in [0, 1]), ``Ŝ exp(± z σ)`` capped at 1, or ``Ŝ ± z SE`` clipped to [0, 1], with
    ``σ² = Σ d/(n(n − d))``. Where ``Ŝ`` is 0 (the transforms are undefined there) the lower
    end is 0 and the upper end is carried from the last row where it was defined (1 if none).

    References
    ----------
    Kalbfleisch, J. D., & Prentice, R. L. (2002). *The Statistical Analysis of Failure Time
    Data* (2nd ed.), §1.4 (log-log intervals).

    Examples
    --------
    >>> import numpy as np
    >>> low, high = survival_band(np.array([0.5, 0.0]), np.array([0.5, np.inf]), 1.96)
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.006, 0.0], [0.9104, 0.9104])
    """
    dead = survival <= 0.0
    alive = ~dead
    s = np.where(alive, survival, 0.5)
    sigma = np.sqrt(np.where(alive, greenwood, 0.0))
    if method == "plain":
        se = s * sigma
        low, high = np.clip(s - z * se, 0.0, 1.0), np.clip(s + z * se, 0.0, 1.0)
    elif method == "log":
        low, high = s * np.exp(-z * sigma), np.minimum(s * np.exp(z * sigma), 1.0)
    else:
        log_s = np.log(s)
        theta = np.log(-log_s)
        spread = z * sigma / np.abs(log_s)
        low, high = np.exp(-np.exp(theta + spread)), np.exp(-np.exp(theta - spread))
    if dead.any():
        # Once Ŝ is 0 it stays 0: the dead rows are the last ones; keep the last defined end.
        first_dead = int(np.argmax(dead))
        upper = float(high[first_dead - 1]) if first_dead > 0 else 1.0
        high = np.where(alive, high, upper)
        low = np.where(alive, low, 0.0)
    return low, high


def first_times(time: FloatArray, curve: FloatArray, levels: ArrayLike) -> FloatArray:
    """Return, for each level, the first ``time`` where ``curve <= level`` (``inf`` if never).

    Reads quantiles off a survival curve (level ``1 − q``) and their Brookmeyer–Crowley
    interval ends off its bands. ``curve`` need not be monotone.

    Examples
    --------
    >>> import numpy as np
    >>> first_times(np.array([3.0, 5.0, 8.0]), np.array([0.8, 0.6, 0.3]), [0.5, 0.8, 0.1])
    array([ 8.,  3., inf])
    """
    wanted = np.asarray(levels, dtype=np.float64)
    hit = curve[None, :] <= wanted.reshape(-1, 1) + _TOLERANCE
    found = hit.any(axis=1)
    index = np.argmax(hit, axis=1) if curve.size else np.zeros(found.size, dtype=np.int64)
    out = np.where(found, time[index] if curve.size else 0.0, np.inf)
    return out.reshape(wanted.shape)
