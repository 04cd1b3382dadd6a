"""Confidence intervals shared by the metrics: the result value and the interval formulas."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
from scipy import special

from custcentric._stats import normal_quantile
from custcentric._stats import wilson_interval as wilson
from custcentric._validation import check_confidence_level, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = [
    "ConfidenceInterval",
    "check_confidence_level",
    "check_method",
    "json_float",
    "normal_quantile",
    "student_quantile",
    "wald_proportion",
    "wilson",
]


@attrs.frozen(kw_only=True)
class ConfidenceInterval:
    """A two-sided confidence interval.

    Unpacks like a pair: ``low, high = result.confidence_interval()``.

    Attributes
    ----------
    low, high : float
        The interval's ends, on the scale of the estimate it belongs to.
    confidence_level : float
        The nominal coverage, in (0, 1).
    method : str
        How the interval was computed (``"wald"``, ``"adjusted_wald"``, ``"wilson"``, ``"t"``,
        ``"log-log"``, ...).

    Examples
    --------
    >>> from custcentric.metrics import ConfidenceInterval
    >>> ci = ConfidenceInterval(low=0.6277, high=0.8422, confidence_level=0.95, method="wilson")
    >>> low, high = ci
    >>> print(ci)
    95% wilson interval (0.6277, 0.8422)
    """

    low: float
    high: float
    confidence_level: float
    method: str

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.high))

    def __str__(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        return f"{level} {self.method} interval ({self.low:.4g}, {self.high:.4g})"

    def to_dict(self) -> dict[str, Any]:
        """Return the interval as plain JSON-ready data (an infinite end becomes ``None``).

        Examples
        --------
        >>> from custcentric.metrics import ConfidenceInterval
        >>> ConfidenceInterval(low=1.0, high=2.0, confidence_level=0.9, method="t").to_dict()
        {'low': 1.0, 'high': 2.0, 'confidence_level': 0.9, 'method': 't'}
        """
        return {
            "low": json_float(self.low),
            "high": json_float(self.high),
            "confidence_level": self.confidence_level,
            "method": self.method,
        }


def json_float(value: float) -> float | None:
    """Return ``value`` as a float, or ``None`` when it is not finite (JSON has no infinity)."""
    value = float(value)
    return value if math.isfinite(value) else None


def check_method(value: object, options: tuple[str, ...], name: str = "method") -> str:
    """Return the option ``value`` names (case, ``-`` and ``_`` ignored), else raise.

    Examples
    --------
    >>> check_method("Adjusted-Wald", ("wald", "adjusted_wald"))
    'adjusted_wald'
    >>> check_method("exact", ("wald", "adjusted_wald"))
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `method` must be one of 'wald', 'adjusted_wald' (got 'exact').
    """
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_")
        for option in options:
            if key == option.lower().replace("-", "_"):
                return option
    listed = ", ".join(repr(o) for o in options)
    msg = f"`{name}` must be one of {listed} (got {fmt(value)})."
    raise InvalidInputError(msg)


def student_quantile(confidence_level: float, df: FloatArray) -> FloatArray:
    """Return the two-sided Student-t quantiles for degrees of freedom ``df`` (> 0)."""
    return np.asarray(special.stdtrit(df, 0.5 + confidence_level / 2.0), dtype=np.float64)


def wald_proportion(
    share: FloatArray, standard_error: FloatArray, confidence_level: float
) -> tuple[FloatArray, FloatArray]:
    """Return ``share ± z·SE`` clipped to [0, 1]."""
    z = normal_quantile(confidence_level)
    return (
        np.clip(share - z * standard_error, 0.0, 1.0),
        np.clip(share + z * standard_error, 0.0, 1.0),
    )
