"""Feature matrices for clustering and profiling: checks and per-segment profiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import as_1d, as_float_array, check_equal_length, first_true, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SegmentProfile", "as_features", "profile_segments"]


def as_features(
    features: ArrayLike | Mapping[str, ArrayLike],
    feature_names: Sequence[str] | None = None,
) -> tuple[FloatArray, tuple[str, ...]]:
    """Return a C-contiguous (n, p) float64 matrix of finite numbers and the feature names.

    ``features`` is a 2-D array (rows = customers), a 1-D array (one feature) or a mapping
    of feature name to column.
    """
    if isinstance(features, Mapping):
        names = tuple(str(k) for k in features)
        if not names:
            msg = "`features` must hold at least one column (got an empty mapping)."
            raise InvalidInputError(msg)
        cols = {
            name: as_float_array(features[name], f"features[{name!r}]", label="customer")
            for name in names
        }
        check_equal_length(cols)  # type: ignore[arg-type]
        matrix = np.ascontiguousarray(np.column_stack(list(cols.values())), dtype=np.float64)
        return matrix, names
    raw = np.asarray(features)
    if raw.ndim == 1:
        raw = raw.reshape(-1, 1)
    if raw.ndim != 2:
        msg = f"`features` must be two-dimensional, one row per customer (got shape {raw.shape})."
        raise InvalidInputError(msg)
    if raw.dtype.kind not in "iuf":
        msg = f"`features` must hold numbers (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    matrix = np.ascontiguousarray(raw, dtype=np.float64)
    finite = np.isfinite(matrix)
    if not finite.all():
        row, col = (int(x) for x in np.argwhere(~finite)[0])
        msg = f"`features` must be finite (row {row}, column {col}: {fmt(matrix[row, col])})."
        raise InvalidInputError(msg)
    if feature_names is None:
        names = tuple(f"x{j}" for j in range(matrix.shape[1]))
    else:
        names = tuple(str(x) for x in feature_names)
        if len(names) != matrix.shape[1]:
            msg = (
                f"`feature_names` must name each of the {matrix.shape[1]} columns "
                f"(got {len(names)})."
            )
            raise InvalidInputError(msg)
    return matrix, names


@attrs.frozen(kw_only=True, eq=False)
class SegmentProfile(Result):
    """Per-segment sizes, means and medians of the features.

    Attributes
    ----------
    segments : tuple
        The distinct segment labels, sorted.
    feature_names : tuple of str
        The feature names (columns of ``means`` and ``medians``).
    sizes : ndarray of int64
        Customers per segment.
    shares : ndarray of float64
        Share of customers per segment.
    means, medians : ndarray of float64, shape (n_segments, n_features)
        The mean and the median of each feature within each segment.

    Examples
    --------
    >>> from custcentric.segmentation import profile_segments
    >>> prof = profile_segments({"spend": [10, 20, 300, 500]}, ["low", "low", "high", "high"])
    >>> prof.to_dict()["segments"][1]
    {'segment': 'low', 'size': 2, 'share': 0.5, 'mean': {'spend': 15.0}, 'median': {'spend': 15.0}}
    """

    segments: tuple[Any, ...]
    feature_names: tuple[str, ...]
    sizes: IntArray = attrs.field(converter=read_only)
    shares: FloatArray = attrs.field(converter=read_only)
    means: FloatArray = attrs.field(converter=read_only)
    medians: FloatArray = attrs.field(converter=read_only)

    def to_dict(self) -> dict[str, Any]:
        """Return one entry per segment with its size, share, means and medians."""
        data: dict[str, Any] = jsonable(
            {
                "segments": [
                    {
                        "segment": seg,
                        "size": int(self.sizes[k]),
                        "share": float(self.shares[k]),
                        "mean": dict(zip(self.feature_names, self.means[k].tolist(), strict=True)),
                        "median": dict(
                            zip(self.feature_names, self.medians[k].tolist(), strict=True)
                        ),
                    }
                    for k, seg in enumerate(self.segments)
                ]
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per segment: size, share, then ``mean_<feature>`` and ``median_<feature>``."""
        columns: dict[str, Any] = {
            "segment": np.array(self.segments, dtype=object),
            "size": self.sizes,
            "share": self.shares,
        }
        for j, name in enumerate(self.feature_names):
            columns[f"mean_{name}"] = self.means[:, j]
            columns[f"median_{name}"] = self.medians[:, j]
        return make_frame(columns)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        head = "segment  size  " + "  ".join(f"mean {n}" for n in self.feature_names)
        rows = [
            f"{seg!s}  {int(n)}  " + "  ".join(f"{v:.4g}" for v in self.means[k])
            for k, (seg, n) in enumerate(zip(self.segments, self.sizes, strict=True))
        ]
        return "\n".join(["SegmentProfile", head, *rows])


def profile_segments(
    features: ArrayLike | Mapping[str, ArrayLike],
    labels: ArrayLike,
    *,
    feature_names: Sequence[str] | None = None,
) -> SegmentProfile:
    """Describe each segment by its size and the mean and median of each feature.

    Parameters
    ----------
    features : array_like, shape (n, p), or mapping of name to column
        The customers' features (finite).
    labels : array_like, shape (n,)
        Each customer's segment (any sortable labels: cluster numbers, segment names).
    feature_names : sequence of str, optional
        Names of the columns of a 2-D ``features`` (default ``x0``, ``x1``, ...).

    Returns
    -------
    SegmentProfile

    Examples
    --------
    >>> from custcentric.segmentation import profile_segments
    >>> prof = profile_segments({"spend": [10, 20, 300, 500]}, ["low", "low", "high", "high"])
    >>> prof.segments, prof.sizes.tolist(), prof.means[:, 0].tolist()
    (('high', 'low'), [2, 2], [400.0, 15.0])
    """
    matrix, names = as_features(features, feature_names)
    raw = as_1d(labels, "labels")
    if raw.dtype.kind == "c":
        i = first_true(np.iscomplex(raw)) if np.iscomplex(raw).any() else 0
        msg = f"`labels` must be sortable segment labels, not complex numbers (index {i}: {fmt(raw[i])})."
        raise InvalidInputError(msg)
    if raw.size != matrix.shape[0]:
        msg = (
            f"`labels` must have one entry per row of `features` ({raw.size} != {matrix.shape[0]})."
        )
        raise InvalidInputError(msg)
    if raw.size == 0:
        msg = "`features` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    uniques, inverse = np.unique(raw, return_inverse=True)
    k = uniques.size
    sizes = np.bincount(inverse, minlength=k)
    means = (
        np.column_stack(
            [
                np.bincount(inverse, weights=matrix[:, j], minlength=k)
                for j in range(matrix.shape[1])
            ]
        )
        / sizes[:, None]
    )
    order = np.argsort(inverse, kind="stable")
    groups = np.split(matrix[order], np.cumsum(sizes)[:-1])
    medians = np.array([np.median(g, axis=0) for g in groups])
    return SegmentProfile(
        segments=tuple(u.item() if isinstance(u, np.generic) else u for u in uniques),
        feature_names=names,
        sizes=sizes.astype(np.int64),
        shares=sizes / raw.size,
        means=means,
        medians=medians,
    )
