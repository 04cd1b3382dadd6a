"""CSAT (top-box share with a Wilson interval) and CES (mean effort with a t interval)."""

from __future__ import annotations

import math
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._result import Result
from custcentric._validation import as_1d, as_int_array, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.metrics._inputs import (
    Moments,
    as_scale,
    as_scores,
    as_weights,
    histogram_moments,
    moments,
    score_histogram,
)
from custcentric.metrics._intervals import (
    ConfidenceInterval,
    check_confidence_level,
    check_method,
    student_quantile,
    wald_proportion,
    wilson_interval,
)
from custcentric.typing import FloatArray, IntArray

__all__ = [
    "SHARE_METHODS",
    "CESResult",
    "CSATResult",
    "as_satisfied",
    "ces",
    "csat",
    "csat_kernel",
    "mean_interval_ends",
    "mean_standard_error",
    "share_interval_ends",
]

SHARE_METHODS: Final = ("wilson", "wald")


def share_interval_ends(
    share: FloatArray,
    variance: FloatArray,
    n_effective: FloatArray,
    confidence_level: float,
    method: str,
) -> tuple[FloatArray, FloatArray]:
    """Wilson (on the effective sample size) or Wald interval ends for shares."""
    if method == "wilson":
        return wilson_interval(share, n_effective, confidence_level)
    return wald_proportion(share, np.sqrt(variance), confidence_level)


def mean_standard_error(stats: Moments) -> FloatArray:
    """``s/√n`` generalised to weights; infinite below two effective answers."""
    n_eff = stats.n_effective
    enough = n_eff > 1.0
    factor = n_eff / np.where(enough, n_eff - 1.0, 1.0)
    return np.where(enough, np.sqrt(stats.variance_of_mean * factor), np.inf)


def mean_interval_ends(
    mean: FloatArray,
    standard_error: FloatArray,
    n_effective: FloatArray,
    scale: tuple[int, int],
    confidence_level: float,
) -> tuple[FloatArray, FloatArray]:
    """Return the t interval ``x̄ ± t_{n−1} SE`` clipped to the scale; the whole scale below n = 2."""
    enough = n_effective > 1.0
    df = np.where(enough, n_effective - 1.0, 1.0)
    t = student_quantile(confidence_level, df)
    se = np.where(enough, standard_error, 0.0)
    low = np.where(enough, np.clip(mean - t * se, scale[0], scale[1]), float(scale[0]))
    high = np.where(enough, np.clip(mean + t * se, scale[0], scale[1]), float(scale[1]))
    return low, high


def as_satisfied(satisfied: object, scale: tuple[int, int], name: str = "satisfied") -> IntArray:
    """Return the distinct satisfied answers, each a whole number on the scale."""
    values = as_int_array(as_1d(np.asarray(satisfied), name), name)
    if values.size == 0:
        msg = f"`{name}` must name at least one answer (got {satisfied!r})."
        raise InvalidInputError(msg)
    bad = (values < scale[0]) | (values > scale[1])
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`{name}` must lie on the scale [{scale[0]}, {scale[1]}] (index {i}: {fmt(values[i])})."
        raise InvalidInputError(msg)
    return np.unique(values)


@attrs.frozen(kw_only=True)
class CSATResult(Result):
    """Customer satisfaction: the share of satisfied answers, and the mean answer.

    Attributes
    ----------
    share : float
        Share of answers in ``satisfied`` (weighted when weights were given), in [0, 1].
    mean_score : float
        Mean answer (treats the scale as an interval scale — disclose when you report it).
    n : int
        Number of answers.
    n_effective : float
        Kish's effective sample size; equals ``n`` without weights.
    standard_error : float
        Standard error of ``share``: ``sqrt(p(1 − p)/n)`` (linearisation with weights).
    mean_standard_error : float
        ``s/√n`` of the mean answer (infinite below two answers).
    scale : tuple of int
        The answer scale (lowest, highest).
    satisfied : tuple of int
        The answers counted as satisfied.

    Examples
    --------
    >>> from custcentric.metrics import csat
    >>> print(csat([5, 4, 4, 3, 5, 2, 4, 5]))
    CSAT 75.0 % satisfied (answers 4, 5 on 1-5; n = 8; mean 4.00)
    """

    share: float
    mean_score: float
    n: int
    n_effective: float
    standard_error: float
    mean_standard_error: float
    scale: tuple[int, int]
    satisfied: tuple[int, ...]

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "wilson"
    ) -> ConfidenceInterval:
        """Return an interval for the satisfied share.

        Parameters
        ----------
        confidence_level : float, default 0.95
        method : {"wilson", "wald"}, default "wilson"
            Wilson's score interval (on the effective sample size when weighted) stays in
            [0, 1] and keeps its coverage near 0 and 1; Wald ``p ± z SE`` (clipped to
            [0, 1]) collapses to a point there.

        Examples
        --------
        >>> from custcentric.metrics import csat
        >>> print(csat([5] * 45 + [2] * 15).confidence_interval())
        95% wilson interval (0.6277, 0.8422)
        """
        level = check_confidence_level(confidence_level)
        name = check_method(method, SHARE_METHODS)
        low, high = share_interval_ends(
            np.array([self.share]),
            np.array([self.standard_error**2]),
            np.array([self.n_effective]),
            level,
            name,
        )
        return ConfidenceInterval(
            low=float(low[0]), high=float(high[0]), confidence_level=level, method=name
        )

    def mean_confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Return the t interval ``x̄ ± t_{n−1} s/√n`` for the mean answer, clipped to the scale.

        With fewer than two answers nothing is known about the spread and the interval is
        the whole scale.

        Examples
        --------
        >>> from custcentric.metrics import csat
        >>> print(csat([4]).mean_confidence_interval())
        95% t interval (1, 5)
        """
        level = check_confidence_level(confidence_level)
        low, high = mean_interval_ends(
            np.array([self.mean_score]),
            np.array([self.mean_standard_error]),
            np.array([self.n_effective]),
            self.scale,
            level,
        )
        return ConfidenceInterval(
            low=float(low[0]), high=float(high[0]), confidence_level=level, method="t"
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        answers = ", ".join(str(s) for s in self.satisfied)
        return (
            f"CSAT {100 * self.share:.1f} % satisfied (answers {answers} on "
            f"{self.scale[0]}-{self.scale[1]}; n = {self.n}; mean {self.mean_score:.2f})"
        )


def csat_kernel(
    scores: IntArray,
    satisfied: IntArray,
    scale: tuple[int, int],
    inverse: IntArray,
    n_groups: int,
    weights: FloatArray | None,
    *,
    labels: NDArray[Any] | None = None,
) -> tuple[Moments, Moments]:
    """Return the moments of the satisfied indicator and of the raw answer per group."""
    n_values = scale[1] - scale[0] + 1
    hist = score_histogram(scores, scale[0], n_values, inverse, n_groups, weights)
    answers = np.arange(scale[0], scale[1] + 1, dtype=np.float64)
    hit = np.isin(answers, satisfied).astype(np.float64)
    share = histogram_moments(hist, hit, labels=labels)
    mean = histogram_moments(hist, answers, labels=labels)
    return share, mean


def csat(
    scores: ArrayLike,
    *,
    satisfied: ArrayLike = (4, 5),
    scale: tuple[int, int] = (1, 5),
    weights: ArrayLike | None = None,
) -> CSATResult:
    """Return customer satisfaction as the share of satisfied answers (top-2-box by default).

    Parameters
    ----------
    scores : array_like of int
        Answers to "How satisfied were you with …?", whole numbers on ``scale``.
    satisfied : array_like of int, default (4, 5)
        The answers that count as satisfied.
    scale : (int, int), default (1, 5)
        Lowest and highest answer.
    weights : array_like of float, optional
        Non-negative survey weights, one per answer.

    Returns
    -------
    CSATResult
        The share (Wilson interval by default via :meth:`CSATResult.confidence_interval`)
        and the mean answer (t interval via :meth:`CSATResult.mean_confidence_interval`).

    Raises
    ------
    InvalidInputError
        For no answers, an answer that is not a whole number on the scale, a satisfied
        answer off the scale, or bad weights.

    Notes
    -----
    Wilson interval for ``p̂`` of ``n``: centre ``(p̂ + z²/2n)/(1 + z²/n)``, half-width
    ``z sqrt(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n)``. With weights ``p̂`` is the weighted share
    and ``n`` Kish's effective sample size ``(Σw)²/Σw²``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209–212. Agresti, A., & Coull, B. A. (1998). *The American
    Statistician* 52(2), 119–126.

    Examples
    --------
    >>> from custcentric.metrics import csat
    >>> result = csat([5] * 45 + [3] * 15)
    >>> result.share
    0.75
    >>> low, high = result.confidence_interval()
    >>> round(low, 4), round(high, 4)
    (0.6277, 0.8422)
    """
    checked_scale = as_scale(scale)
    array = as_scores(scores, "scores", checked_scale)
    good = as_satisfied(satisfied, checked_scale)
    w = as_weights(weights, array.size)
    share, mean = csat_kernel(
        array, good, checked_scale, np.zeros(array.size, dtype=np.int64), 1, w
    )
    return CSATResult(
        share=float(share.mean[0]),
        mean_score=float(mean.mean[0]),
        n=int(share.n[0]),
        n_effective=float(share.n_effective[0]),
        standard_error=math.sqrt(float(share.variance_of_mean[0])),
        mean_standard_error=float(mean_standard_error(mean)[0]),
        scale=checked_scale,
        satisfied=tuple(int(s) for s in good),
    )


@attrs.frozen(kw_only=True)
class CESResult(Result):
    """Customer Effort Score: the mean answer, with the scale and its direction.

    Attributes
    ----------
    mean : float
        Mean answer (weighted when weights were given).
    standard_deviation : float
        Sample standard deviation (``n − 1``; 0 for a single answer).
    n : int
        Number of answers.
    n_effective : float
        Kish's effective sample size; equals ``n`` without weights.
    standard_error : float
        ``s/√n`` (infinite below two answers: nothing is known about the spread).
    scale : tuple of int
        The answer scale (lowest, highest).
    higher_is_better : bool
        True for CES 2.0 ("the company made it easy", 7 = strongly agree), False for
        CES 1.0 ("how much effort did you put forth", 1 = very low effort).

    Examples
    --------
    >>> from custcentric.metrics import ces
    >>> print(ces([7, 6, 5, 6, 2]))
    CES 5.20 on 1-7 (higher is easier; n = 5, SD 1.92)
    """

    mean: float
    standard_deviation: float
    n: int
    n_effective: float
    standard_error: float
    scale: tuple[int, int]
    higher_is_better: bool

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Return the t interval ``x̄ ± t_{n−1} s/√n``, clipped to the scale.

        Below two answers the interval is the whole scale (the honest answer: the spread is
        unknown).

        Examples
        --------
        >>> from custcentric.metrics import ces
        >>> print(ces([7, 6, 5, 6, 2]).confidence_interval())
        95% t interval (2.812, 7)
        """
        level = check_confidence_level(confidence_level)
        low, high = mean_interval_ends(
            np.array([self.mean]),
            np.array([self.standard_error]),
            np.array([self.n_effective]),
            self.scale,
            level,
        )
        return ConfidenceInterval(
            low=float(low[0]), high=float(high[0]), confidence_level=level, method="t"
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        direction = "higher is easier" if self.higher_is_better else "lower is easier"
        return (
            f"CES {self.mean:.2f} on {self.scale[0]}-{self.scale[1]} ({direction}; "
            f"n = {self.n}, SD {self.standard_deviation:.2f})"
        )


def ces(
    scores: ArrayLike,
    *,
    scale: tuple[int, int] = (1, 7),
    higher_is_better: bool = True,
    weights: ArrayLike | None = None,
) -> CESResult:
    """Return the Customer Effort Score: the mean answer on a stated scale and direction.

    Parameters
    ----------
    scores : array_like of float
        Answers on ``scale`` (fractional values are allowed, e.g. averaged items).
    scale : (int, int), default (1, 7)
        Lowest and highest answer. The default is CES 2.0 ("The company made it easy for me
        to handle my issue", 1 strongly disagree – 7 strongly agree).
    higher_is_better : bool, default True
        The direction of the scale, stored with the result. Pass ``scale=(1, 5),
        higher_is_better=False`` for CES 1.0 ("How much effort did you personally have to
        put forth …?", 1 very low – 5 very high). Mixing the two silently is a common error.
    weights : array_like of float, optional
        Non-negative survey weights, one per answer.

    Returns
    -------
    CESResult

    Raises
    ------
    InvalidInputError
        For no answers, an answer off the scale, or bad weights.

    Notes
    -----
    t interval ``x̄ ± t_{n−1} s/√n``. With weights, ``x̄`` is the weighted mean,
    ``s/√n`` the linearisation standard error times ``sqrt(n'/(n' − 1))`` and the degrees
    of freedom ``n' − 1`` with ``n'`` Kish's effective sample size. For the share agreeing
    (e.g. 5–7) use :func:`csat` with ``satisfied=(5, 6, 7), scale=(1, 7)``.

    References
    ----------
    Dixon, M., Freeman, K., & Toman, N. (2010). Stop trying to delight your customers.
    *HBR* 88(7/8), 116–122. Dixon, M., Toman, N., & DeLisi, R. (2013). *The Effortless
    Experience*. Portfolio.

    Examples
    --------
    >>> from custcentric.metrics import ces
    >>> ces([2, 1, 3], scale=(1, 5), higher_is_better=False).mean
    2.0
    """
    checked_scale = as_scale(scale)
    array = as_scores(scores, "scores", checked_scale, whole=False)
    flag: object = higher_is_better
    if not isinstance(flag, bool | np.bool_):
        msg = f"`higher_is_better` must be True or False (got {higher_is_better!r})."
        raise InvalidInputError(msg)
    w = as_weights(weights, array.size)
    stats = moments(array, np.zeros(array.size, dtype=np.int64), 1, w)
    se = float(mean_standard_error(stats)[0])
    n_eff = float(stats.n_effective[0])
    sd = se * math.sqrt(n_eff) if math.isfinite(se) else 0.0
    return CESResult(
        mean=float(stats.mean[0]),
        standard_deviation=sd,
        n=int(stats.n[0]),
        n_effective=n_eff,
        standard_error=se,
        scale=checked_scale,
        higher_is_better=bool(higher_is_better),
    )
