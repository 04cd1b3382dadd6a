"""Net Promoter Score: shares, standard error, Wald and adjusted-Wald intervals, differences."""

from __future__ import annotations

import math
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from custcentric._result import Result
from custcentric._validation import check_number
from custcentric.exceptions import InvalidInputError
from custcentric.metrics._inputs import (
    Moments,
    as_scores,
    as_weights,
    histogram_moments,
    score_histogram,
)
from custcentric.metrics._intervals import (
    ConfidenceInterval,
    check_confidence_level,
    check_method,
    normal_quantile,
)
from custcentric.typing import FloatArray, IntArray

__all__ = [
    "NPS_METHODS",
    "NPS_SCALE",
    "NPSDifference",
    "NPSResult",
    "nps",
    "nps_difference",
    "nps_interval_ends",
    "nps_kernel",
]

NPS_SCALE: Final = (0, 10)
NPS_METHODS: Final = ("adjusted_wald", "wald")
_RECODE: Final = np.array([-1.0] * 7 + [0.0] * 2 + [1.0] * 2)
"""Answers 0–10 recoded: detractors −1, passives 0, promoters +1."""


def nps_kernel(
    scores: IntArray,
    inverse: IntArray,
    n_groups: int,
    weights: FloatArray | None,
    *,
    labels: NDArray[Any] | None = None,
) -> tuple[Moments, FloatArray, FloatArray]:
    """Return the moments of the +1/0/−1 recoding and the promoter and detractor shares."""
    hist = score_histogram(scores, 0, 11, inverse, n_groups, weights)
    stats = histogram_moments(hist, _RECODE, labels=labels)
    share_pro = hist.weights[:, 9:].sum(axis=1) / stats.sum_weights
    share_det = hist.weights[:, :7].sum(axis=1) / stats.sum_weights
    return stats, share_pro, share_det


def adjusted_wald(
    promoters: FloatArray, detractors: FloatArray, n_effective: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return the adjusted-Wald centre and standard error on the −1..1 scale (Rocks 2016)."""
    n_adj = n_effective + 3.0
    p = (promoters * n_effective + 0.75) / n_adj
    q = (detractors * n_effective + 0.75) / n_adj
    centre = p - q
    return centre, np.sqrt(np.maximum(p + q - centre * centre, 0.0) / n_adj)


def nps_interval_ends(
    score: FloatArray,
    standard_error: FloatArray,
    promoters: FloatArray,
    detractors: FloatArray,
    n_effective: FloatArray,
    confidence_level: float,
    method: str,
) -> tuple[FloatArray, FloatArray]:
    """Return interval ends in points (−100..100) for either method (vectorised)."""
    z = normal_quantile(confidence_level)
    if method == "wald":
        centre, se = score / 100.0, standard_error / 100.0
        return 100.0 * (centre - z * se), 100.0 * (centre + z * se)
    centre, se = adjusted_wald(promoters, detractors, n_effective)
    return 100.0 * np.maximum(centre - z * se, -1.0), 100.0 * np.minimum(centre + z * se, 1.0)


@attrs.frozen(kw_only=True)
class NPSResult(Result):
    """A Net Promoter Score with its shares and standard error.

    Attributes
    ----------
    score : float
        ``100 (p − q)``, on −100..100 (``p``, ``q``: promoter and detractor shares).
    promoters, passives, detractors : float
        Shares of answers 9–10, 7–8 and 0–6 (weighted when weights were given).
    n : int
        Number of answers.
    n_effective : float
        Kish's effective sample size ``(Σw)²/Σw²``; equals ``n`` without weights.
    standard_error : float
        Standard error of ``score`` in points: ``100 sqrt((p + q − (p − q)²)/n)`` without
        weights, the linearisation ``100 sqrt(Σ w²(y − ȳ)²)/Σw`` with them.

    Examples
    --------
    >>> from custcentric.metrics import NPSResult
    >>> r = NPSResult.from_counts(n_promoters=50, n_passives=30, n_detractors=20)
    >>> print(r)
    NPS 30.0 (n = 100; 50.0 % promoters, 30.0 % passives, 20.0 % detractors; SE 7.81)
    """

    score: float
    promoters: float
    passives: float
    detractors: float
    n: int
    n_effective: float
    standard_error: float

    @classmethod
    def from_counts(cls, *, n_promoters: int, n_passives: int, n_detractors: int) -> NPSResult:
        """Build the result from the three category counts (as published tables give them).

        Examples
        --------
        >>> from custcentric.metrics import NPSResult
        >>> NPSResult.from_counts(n_promoters=8, n_passives=2, n_detractors=0).score
        80.0
        """
        counts = [
            int(check_number(v, k, low=0, integer=True))
            for k, v in (
                ("n_promoters", n_promoters),
                ("n_passives", n_passives),
                ("n_detractors", n_detractors),
            )
        ]
        n = sum(counts)
        if n == 0:
            msg = "`n_promoters + n_passives + n_detractors` must be positive (got 0)."
            raise InvalidInputError(msg)
        p, q = counts[0] / n, counts[2] / n
        variance = max(p + q - (p - q) ** 2, 0.0) / n
        return cls(
            score=100.0 * (p - q),
            promoters=p,
            passives=counts[1] / n,
            detractors=q,
            n=n,
            n_effective=float(n),
            standard_error=100.0 * math.sqrt(variance),
        )

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "adjusted_wald"
    ) -> ConfidenceInterval:
        """Return a confidence interval for the score, in points.

        Parameters
        ----------
        confidence_level : float, default 0.95
            Nominal coverage, in (0, 1).
        method : {"adjusted_wald", "wald"}, default "adjusted_wald"
            ``"wald"``: ``score ± z SE``; it can leave [−100, 100] and collapses to a point
            when every answer falls in one category, so use it only for large samples.
            ``"adjusted_wald"``: add 3 answers, ¾ of a promoter and ¾ of a detractor, and
            use the Wald formula on the adjusted shares; the interval is centred on the
            adjusted score (Rocks 2016: the best coverage among the simple methods). Its
            ends are clipped to [−100, 100] (without the clip it passes 100 when nearly
            every answer of a large sample is a promoter). With weights, ``n`` is the
            effective sample size. The Wald interval is not clipped, so that its failure
            shows.

        Returns
        -------
        ConfidenceInterval

        Examples
        --------
        >>> from custcentric.metrics import NPSResult
        >>> r = NPSResult.from_counts(n_promoters=8, n_passives=2, n_detractors=0)
        >>> print(r.confidence_interval(method="wald"))
        95% wald interval (55.21, 104.8)
        >>> print(r.confidence_interval())
        95% adjusted_wald interval (29.28, 93.79)
        """
        level = check_confidence_level(confidence_level)
        name = check_method(method, NPS_METHODS)
        low, high = nps_interval_ends(
            np.array([self.score]),
            np.array([self.standard_error]),
            np.array([self.promoters]),
            np.array([self.detractors]),
            np.array([self.n_effective]),
            level,
            name,
        )
        return ConfidenceInterval(
            low=float(low[0]), high=float(high[0]), confidence_level=level, method=name
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return (
            f"NPS {self.score:.1f} (n = {self.n}; {100 * self.promoters:.1f} % promoters, "
            f"{100 * self.passives:.1f} % passives, {100 * self.detractors:.1f} % detractors; "
            f"SE {self.standard_error:.2f})"
        )


def _nps_iv(
    scores: ArrayLike,
    weights: ArrayLike | None,
    name: str = "scores",
    weights_name: str = "weights",
) -> tuple[IntArray, FloatArray | None]:
    array = as_scores(scores, name, NPS_SCALE)
    return array, as_weights(weights, array.size, weights_name)


def nps(scores: ArrayLike, *, weights: ArrayLike | None = None) -> NPSResult:
    """Return the Net Promoter Score of 0–10 answers to the recommend question.

    Parameters
    ----------
    scores : array_like of int
        Answers 0–10 (promoters 9–10, passives 7–8, detractors 0–6).
    weights : array_like of float, optional
        Non-negative survey weights (e.g. post-stratification), one per answer.

    Returns
    -------
    NPSResult
        The score on −100..100, the three shares, ``n`` and the standard error; call
        :meth:`NPSResult.confidence_interval` for an interval.

    Raises
    ------
    InvalidInputError
        For no answers, an answer that is not a whole number in 0–10, or bad weights; the
        message names the first offending index.

    Notes
    -----
    With promoter share ``p``, detractor share ``q`` and ``n`` answers, NPS ``= p − q`` and
    (trinomial) ``Var = (p + q − (p − q)²)/n`` (Rocks 2016). With weights the shares are
    weighted and the variance is the linearisation variance of the weighted mean of the
    +1/0/−1 recoding, ``Σ w²(y − ȳ)² / (Σw)²``, which equals the trinomial formula for
    equal weights. Everything is reported ×100.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *HBR* 81(12), 46–54.
    Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
    Statistician* 70(4), 365–372.

    Examples
    --------
    >>> from custcentric.metrics import nps
    >>> result = nps([10, 9, 9, 8, 7, 6, 3, 10])
    >>> result.score, result.n
    (25.0, 8)
    >>> print(result.confidence_interval(0.9))
    90% adjusted_wald interval (-21.76, 58.13)
    """
    array, w = _nps_iv(scores, weights)
    return _result(array, w)


def _result(array: IntArray, weights: FloatArray | None) -> NPSResult:
    inverse = np.zeros(array.size, dtype=np.int64)
    stats, pro, det = nps_kernel(array, inverse, 1, weights)
    p, q = float(pro[0]), float(det[0])
    return NPSResult(
        score=100.0 * float(stats.mean[0]),
        promoters=p,
        passives=max(1.0 - p - q, 0.0),
        detractors=q,
        n=int(stats.n[0]),
        n_effective=float(stats.n_effective[0]),
        standard_error=100.0 * math.sqrt(float(stats.variance_of_mean[0])),
    )


@attrs.frozen(kw_only=True)
class NPSDifference(Result):
    """The difference between two independent Net Promoter Scores.

    Attributes
    ----------
    first, second : NPSResult
        The two groups' scores.
    difference : float
        ``first.score − second.score`` in points.
    standard_error : float
        ``sqrt(SE₁² + SE₂²)`` in points (independent samples).
    z_statistic : float
        ``difference / standard_error`` (infinite when both SEs are 0 and the scores differ,
        0 when they do not).
    p_value : float
        Two-sided p-value of the z test of equal scores.

    Examples
    --------
    >>> from custcentric.metrics import nps_difference
    >>> d = nps_difference([10, 10, 9, 8, 3], [10, 7, 6, 5, 2, 1])
    >>> round(d.difference, 2)
    90.0
    """

    first: NPSResult
    second: NPSResult
    difference: float
    standard_error: float
    z_statistic: float
    p_value: float

    def confidence_interval(
        self, confidence_level: float = 0.95, *, method: str = "adjusted_wald"
    ) -> ConfidenceInterval:
        """Return an interval for the difference, in points.

        ``"wald"``: ``difference ± z sqrt(SE₁² + SE₂²)``. ``"adjusted_wald"`` (default):
        the same on each group's adjusted-Wald centre and standard error (Rocks 2016's
        adjustment applied to each sample).

        Examples
        --------
        >>> from custcentric.metrics import NPSResult, nps_difference
        >>> a = NPSResult.from_counts(n_promoters=50, n_passives=30, n_detractors=20)
        >>> b = NPSResult.from_counts(n_promoters=20, n_passives=10, n_detractors=10)
        >>> print(nps_difference(a, b).confidence_interval(method="wald"))
        95% wald interval (-24.91, 34.91)
        """
        level = check_confidence_level(confidence_level)
        name = check_method(method, NPS_METHODS)
        z = normal_quantile(level)
        if name == "wald":
            centre, se = self.difference, self.standard_error
        else:
            parts = [
                adjusted_wald(
                    np.array([r.promoters]), np.array([r.detractors]), np.array([r.n_effective])
                )
                for r in (self.first, self.second)
            ]
            centre = 100.0 * float(parts[0][0][0] - parts[1][0][0])
            se = 100.0 * math.hypot(float(parts[0][1][0]), float(parts[1][1][0]))
        return ConfidenceInterval(
            low=centre - z * se, high=centre + z * se, confidence_level=level, method=name
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return (
            f"NPS difference {self.difference:.1f} points (SE {self.standard_error:.2f}, "
            f"z = {self.z_statistic:.2f}, p = {self.p_value:.3g})"
        )


def nps_difference(
    a: ArrayLike | NPSResult,
    b: ArrayLike | NPSResult,
    *,
    weights_a: ArrayLike | None = None,
    weights_b: ArrayLike | None = None,
) -> NPSDifference:
    """Compare the Net Promoter Scores of two independent groups.

    Parameters
    ----------
    a, b : array_like of int or NPSResult
        Each group's 0–10 answers, or its already computed :class:`NPSResult`.
    weights_a, weights_b : array_like of float, optional
        Survey weights for answers given as arrays.

    Returns
    -------
    NPSDifference

    Notes
    -----
    ``Var(NPS₁ − NPS₂) = Var₁ + Var₂`` for independent samples; the z statistic is the
    difference over its standard error. The same respondents measured twice need the paired
    −1/0/+1 differences instead (not covered here).

    References
    ----------
    Rocks, B. (2016). *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> from custcentric.metrics import NPSResult, nps_difference
    >>> a = NPSResult.from_counts(n_promoters=50, n_passives=30, n_detractors=20)
    >>> b = NPSResult.from_counts(n_promoters=20, n_passives=10, n_detractors=10)
    >>> print(nps_difference(a, b))
    NPS difference 5.0 points (SE 15.26, z = 0.33, p = 0.743)
    """
    results = []
    for data, w, name in ((a, weights_a, "a"), (b, weights_b, "b")):
        if isinstance(data, NPSResult):
            if w is not None:
                msg = f"`weights_{name}` must be None when `{name}` is an NPSResult."
                raise InvalidInputError(msg)
            results.append(data)
        else:
            array, weights = _nps_iv(data, w, name, f"weights_{name}")
            results.append(_result(array, weights))
    first, second = results
    difference = first.score - second.score
    se = math.hypot(first.standard_error, second.standard_error)
    if se > 0:
        z = difference / se
    else:
        z = 0.0 if difference == 0 else math.copysign(math.inf, difference)
    p_value = float(2.0 * special.ndtr(-abs(z)))
    return NPSDifference(
        first=first,
        second=second,
        difference=difference,
        standard_error=se,
        z_statistic=z,
        p_value=p_value,
    )
