"""Public type aliases used in custcentric's signatures.

Examples
--------
>>> import numpy as np
>>> from custcentric.typing import FloatArray
>>> x: FloatArray = np.zeros(3)
"""

from __future__ import annotations

from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ArrayLike",
    "BoolArray",
    "DatetimeArray",
    "FloatArray",
    "IntArray",
    "RNGLike",
    "StrArray",
    "TimeUnit",
]

FloatArray: TypeAlias = NDArray[np.float64]
"""A NumPy array of 64-bit floats."""

IntArray: TypeAlias = NDArray[np.int64]
"""A NumPy array of 64-bit integers."""

BoolArray: TypeAlias = NDArray[np.bool_]
"""A NumPy array of booleans."""

DatetimeArray: TypeAlias = NDArray[np.datetime64]
"""A NumPy array of ``datetime64`` timestamps."""

StrArray: TypeAlias = NDArray[np.str_]
"""A NumPy array of unicode strings."""

RNGLike: TypeAlias = np.random.Generator | np.random.SeedSequence | int | None
"""Anything :func:`numpy.random.default_rng` accepts."""

TimeUnit: TypeAlias = Literal["s", "m", "h", "D", "W"]
"""A duration unit: seconds, minutes, hours, days or weeks (NumPy's codes)."""
