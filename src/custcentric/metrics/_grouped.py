"""NPS, CSAT and CES per group (segment, tier, process, channel): one row per group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result
from custcentric.metrics._inputs import (
    as_labels,
    as_scale,
    as_scores,
    as_weights,
    group_index,
    moments,
)
from custcentric.metrics._intervals import check_confidence_level, check_method, json_float
from custcentric.metrics._nps import NPS_METHODS, NPS_SCALE, nps_interval_ends, nps_kernel
from custcentric.metrics._satisfaction import (
    SHARE_METHODS,
    as_satisfied,
    csat_kernel,
    mean_interval_ends,
    mean_standard_error,
    share_interval_ends,
)
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GroupedMetric", "ces_by_group", "csat_by_group", "nps_by_group"]


def _read_only_columns(columns: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    return {name: read_only(values) for name, values in columns.items()}


@attrs.frozen(eq=False, kw_only=True)
class GroupedMetric(Result):
    """One metric computed per group: one row per distinct label, sorted by label.

    Attributes
    ----------
    metric : {"nps", "csat", "ces"}
        Which metric the rows hold.
    group : ndarray
        The distinct labels, sorted.
    n : ndarray of int64
        Answers per group.
    n_effective : ndarray of float64
        Kish's effective sample size per group (``n`` without weights).
    estimate : ndarray of float64
        NPS in points, CSAT share in [0, 1], or mean CES answer.
    standard_error : ndarray of float64
        Standard error of ``estimate`` (infinite for a CES group with one answer).
    low, high : ndarray of float64
        Interval ends from ``method`` at ``confidence_level``.
    confidence_level : float
    method : str
        ``"adjusted_wald"`` / ``"wald"`` (NPS), ``"wilson"`` / ``"wald"`` (CSAT), ``"t"`` (CES).
    extra : dict of str to ndarray
        Metric-specific columns: ``promoters``, ``passives``, ``detractors`` (NPS);
        ``mean_score`` (CSAT); ``standard_deviation`` (CES).

    Examples
    --------
    >>> from custcentric.metrics import nps_by_group
    >>> table = nps_by_group([10, 9, 3, 8, 10, 6], ["a", "a", "a", "b", "b", "b"])
    >>> table.group.tolist(), table.estimate.round(1).tolist()
    (['a', 'b'], [33.3, 0.0])
    """

    metric: str
    group: NDArray[Any] = attrs.field(converter=read_only)
    n: IntArray = attrs.field(converter=read_only)
    n_effective: FloatArray = attrs.field(converter=read_only)
    estimate: FloatArray = attrs.field(converter=read_only)
    standard_error: FloatArray = attrs.field(converter=read_only)
    low: FloatArray = attrs.field(converter=read_only)
    high: FloatArray = attrs.field(converter=read_only)
    confidence_level: float
    method: str
    extra: dict[str, FloatArray] = attrs.field(converter=_read_only_columns)

    def __len__(self) -> int:
        return int(self.group.size)

    def _table(self) -> dict[str, NDArray[Any]]:
        return {
            "group": self.group,
            "n": self.n,
            "n_effective": self.n_effective,
            "estimate": self.estimate,
            "standard_error": self.standard_error,
            "low": self.low,
            "high": self.high,
            **self.extra,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data: the settings and one mapping per group.

        Examples
        --------
        >>> from custcentric.metrics import csat_by_group
        >>> rows = csat_by_group([5, 4, 1], [1, 1, 2]).to_dict()["rows"]
        >>> rows[1]["group"], rows[1]["estimate"]
        (2, 0.0)
        """
        columns = self._table()
        rows = []
        for i in range(len(self)):
            row: dict[str, Any] = {}
            for name, values in columns.items():
                value = values[i].item()
                if isinstance(value, float):
                    value = json_float(value)
                elif not isinstance(value, str | int | bool):
                    value = str(values[i])  # e.g. datetime64 labels: ISO text, as JSON needs
                row[name] = value
            rows.append(row)
        return {
            "metric": self.metric,
            "confidence_level": self.confidence_level,
            "method": self.method,
            "rows": rows,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per group as a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.metrics import ces_by_group
        >>> ces_by_group([7, 5, 6], ["x", "y", "y"]).to_pandas().columns.tolist()[:4]
        ['group', 'n', 'n_effective', 'estimate']
        """
        return make_frame(self._table())

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        scale = 1.0 if self.metric != "csat" else 100.0
        lines = [
            f"{self.metric.upper()} by group ({len(self)} groups, "
            f"{100 * self.confidence_level:g}% {self.method} intervals)"
        ]
        for label, n, est, low, high in zip(
            self.group.tolist(),
            self.n.tolist(),
            (scale * self.estimate).tolist(),
            (scale * self.low).tolist(),
            (scale * self.high).tolist(),
            strict=True,
        ):
            lines.append(f"  {label!s}: {est:.1f} ({low:.1f}, {high:.1f}), n = {n}")
        return "\n".join(lines)


def _prepare(
    scores: ArrayLike,
    groups: ArrayLike,
    weights: ArrayLike | None,
    scale: tuple[int, int],
    *,
    whole: bool,
) -> tuple[NDArray[Any], NDArray[Any], IntArray, FloatArray | None]:
    array = as_scores(scores, "scores", scale, whole=whole)
    labels = as_labels(groups, array.size)
    w = as_weights(weights, array.size)
    uniques, inverse = group_index(labels)
    return array, uniques, inverse, w


def nps_by_group(
    scores: ArrayLike,
    groups: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    confidence_level: float = 0.95,
    method: str = "adjusted_wald",
) -> GroupedMetric:
    """Return the Net Promoter Score of each group, one row per distinct label.

    Parameters
    ----------
    scores : array_like of int
        Answers 0–10.
    groups : array_like
        One label per answer (tier, segment, process, channel; strings or integers).
    weights : array_like of float, optional
        Non-negative survey weights; each group's total must be positive.
    confidence_level : float, default 0.95
    method : {"adjusted_wald", "wald"}, default "adjusted_wald"
        See :meth:`NPSResult.confidence_interval`.

    Returns
    -------
    GroupedMetric
        ``estimate`` in points; ``extra`` holds the promoter, passive and detractor shares.
        Each row equals :func:`nps` on that group's answers.

    Raises
    ------
    InvalidInputError
        As :func:`nps`, and for labels of another length or a missing (None) label.

    Notes
    -----
    One ``np.unique`` (or ``np.bincount`` for small integer labels) and a few
    ``np.bincount`` passes, whatever the number of groups. Do not average group scores to
    get an overall score: weight by answers, or call :func:`nps` on all answers.

    Examples
    --------
    >>> from custcentric.metrics import nps_by_group
    >>> print(nps_by_group([10, 9, 3, 8, 10, 6], ["gold", "gold", "gold", "bronze",
    ...                    "bronze", "bronze"]))
    NPS by group (2 groups, 95% adjusted_wald intervals)
      bronze: 0.0 (-61.1, 61.1), n = 3
      gold: 33.3 (-51.3, 84.7), n = 3
    """
    level = check_confidence_level(confidence_level)
    name = check_method(method, NPS_METHODS)
    array, uniques, inverse, w = _prepare(scores, groups, weights, NPS_SCALE, whole=True)
    stats, pro, det = nps_kernel(array, inverse, uniques.size, w, labels=uniques)
    score = 100.0 * stats.mean
    se = 100.0 * np.sqrt(stats.variance_of_mean)
    low, high = nps_interval_ends(score, se, pro, det, stats.n_effective, level, name)
    passives = np.clip(1.0 - pro - det, 0.0, 1.0)
    return _grouped(
        "nps", uniques, stats.n, stats.n_effective, score, se, low, high, level, name,
        {"promoters": pro, "passives": passives, "detractors": det},
    )  # fmt: skip


def csat_by_group(
    scores: ArrayLike,
    groups: ArrayLike,
    *,
    satisfied: ArrayLike = (4, 5),
    scale: tuple[int, int] = (1, 5),
    weights: ArrayLike | None = None,
    confidence_level: float = 0.95,
    method: str = "wilson",
) -> GroupedMetric:
    """Return the CSAT share of each group with Wilson (or Wald) intervals.

    Parameters are those of :func:`csat`, plus ``groups`` (one label per answer),
    ``confidence_level`` and ``method`` (``"wilson"`` or ``"wald"``). ``extra`` holds
    ``mean_score``. Each row equals :func:`csat` on that group's answers.

    Returns
    -------
    GroupedMetric

    Examples
    --------
    >>> from custcentric.metrics import csat_by_group
    >>> table = csat_by_group([5, 4, 2, 5, 3, 3], ["web", "web", "web", "app", "app", "app"])
    >>> table.estimate.round(3).tolist()
    [0.333, 0.667]
    """
    level = check_confidence_level(confidence_level)
    name = check_method(method, SHARE_METHODS)
    checked_scale = as_scale(scale)
    array, uniques, inverse, w = _prepare(scores, groups, weights, checked_scale, whole=True)
    good = as_satisfied(satisfied, checked_scale)
    share, mean = csat_kernel(array, good, checked_scale, inverse, uniques.size, w, labels=uniques)
    low, high = share_interval_ends(
        share.mean, share.variance_of_mean, share.n_effective, level, name
    )
    return _grouped(
        "csat", uniques, share.n, share.n_effective, share.mean,
        np.sqrt(share.variance_of_mean), low, high, level, name,
        {"mean_score": mean.mean},
    )  # fmt: skip


def ces_by_group(
    scores: ArrayLike,
    groups: ArrayLike,
    *,
    scale: tuple[int, int] = (1, 7),
    weights: ArrayLike | None = None,
    confidence_level: float = 0.95,
) -> GroupedMetric:
    """Return the mean effort answer of each group with t intervals.

    Parameters are those of :func:`ces`, plus ``groups`` and ``confidence_level``.
    ``extra`` holds ``standard_deviation``. A group with a single answer gets an infinite
    standard error and the whole scale as its interval. Each row equals :func:`ces` on that
    group's answers.

    Returns
    -------
    GroupedMetric

    Examples
    --------
    >>> from custcentric.metrics import ces_by_group
    >>> table = ces_by_group([7, 6, 5, 3], ["a", "a", "a", "b"])
    >>> table.estimate.tolist(), table.low.round(2).tolist(), table.high.tolist()
    ([6.0, 3.0], [3.52, 1.0], [7.0, 7.0])
    """
    level = check_confidence_level(confidence_level)
    checked_scale = as_scale(scale)
    array, uniques, inverse, w = _prepare(scores, groups, weights, checked_scale, whole=False)
    stats = moments(array, inverse, uniques.size, w, labels=uniques)
    se = mean_standard_error(stats)
    low, high = mean_interval_ends(stats.mean, se, stats.n_effective, checked_scale, level)
    sd = np.where(np.isfinite(se), se * np.sqrt(stats.n_effective), 0.0)
    return _grouped(
        "ces", uniques, stats.n, stats.n_effective, stats.mean, se, low, high, level, "t",
        {"standard_deviation": sd},
    )  # fmt: skip


def _grouped(
    metric: str,
    group: NDArray[Any],
    n: IntArray,
    n_effective: FloatArray,
    estimate: FloatArray,
    standard_error: FloatArray,
    low: FloatArray,
    high: FloatArray,
    confidence_level: float,
    method: str,
    extra: dict[str, FloatArray],
) -> GroupedMetric:
    return GroupedMetric(
        metric=metric,
        group=group,
        n=n,
        n_effective=n_effective,
        estimate=estimate,
        standard_error=standard_error,
        low=low,
        high=high,
        confidence_level=confidence_level,
        method=method,
        extra=extra,
    )
