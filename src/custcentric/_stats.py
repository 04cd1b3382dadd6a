"""Small statistical formulas shared by the analytic parts: normal quantiles, Wilson intervals."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric.typing import FloatArray

__all__ = ["normal_quantile", "wilson_interval"]


def normal_quantile(confidence_level: float) -> float:
    """Return the two-sided standard normal quantile ``z`` for a confidence level.

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    return float(special.ndtri(0.5 + confidence_level / 2.0))


def wilson_interval(
    share: ArrayLike, n: ArrayLike, confidence_level: float
) -> tuple[FloatArray, FloatArray]:
    r"""Return the Wilson score interval for proportions ``share`` of ``n`` trials, elementwise.

    .. math::

        \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    ``n`` may be an effective (weighted) sample size. Where ``n == 0`` the interval is the
    honest ``(0, 1)``. The ends are kept in [0, 1] and on either side of ``share`` against
    rounding, so ``share = 0`` gives a lower end of exactly 0 and ``share = 1`` an upper end
    of exactly 1.

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
