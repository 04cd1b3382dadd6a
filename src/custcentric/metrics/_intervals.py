"""Confidence intervals of the metrics: the formulas beyond the shared ones of ``_stats``."""

from __future__ import annotations

import numpy as np
from scipy import special

from custcentric._stats import ConfidenceInterval, json_float, normal_quantile, wilson_interval
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
    "wilson_interval",
]


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
