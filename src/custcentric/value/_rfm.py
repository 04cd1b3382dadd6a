"""RFM scores: recency, frequency and monetary quantile scores with explicit tie handling."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._validation import (
    as_float_array,
    check_equal_length,
    check_number,
    to_enum,
)
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RFMScores", "TieMethod", "rfm_scores"]


class TieMethod(enum.Enum):
    """How equal raw values are scored (methods.md §3.1).

    Examples
    --------
    >>> from custcentric.value import TieMethod
    >>> TieMethod("min") is TieMethod.MIN, TieMethod.ORDINAL.value
    (True, 'ordinal')
    """

    ORDINAL = "ordinal"
    """Equal-sized bins from ranks with ties broken by row order (dplyr ``ntile``)."""
    MIN = "min"
    """Ranks with ties sharing the lowest rank: deterministic, ties stay together."""
    QUANTILE_EDGES = "quantile_edges"
    """Cut points at the sample quantiles; ``lower <= x < upper`` (R package ``rfm``)."""
    THRESHOLDS = "thresholds"
    """Fixed business cut points given by the caller, stable across periods."""


@attrs.frozen(kw_only=True, eq=False)
class RFMScores:
    """RFM scores per customer.

    Attributes
    ----------
    recency_score, frequency_score, monetary_score : ndarray of int64
        Scores 1 (worst) .. ``n_bins`` (best); the most recent customers score highest.
    code : ndarray of int64
        The RFM cell ``100 R + 10 F + M`` (e.g. 555); defined for ``n_bins <= 9``.
    total : ndarray of int64
        ``R + F + M``.
    n_bins : int
        The number of bins.
    tie_method : TieMethod
        How ties were scored.

    Examples
    --------
    >>> from custcentric.value import rfm_scores
    >>> scores = rfm_scores([3, 40, 200], [9, 2, 1], [500.0, 80.0, 20.0], n_bins=3)
    >>> scores.recency_score.tolist(), scores.code.tolist(), scores.total.tolist()
    ([3, 2, 1], [333, 222, 111], [9, 6, 3])
    """

    recency_score: IntArray
    frequency_score: IntArray
    monetary_score: IntArray
    code: IntArray
    total: IntArray
    n_bins: int
    tie_method: TieMethod

    def __len__(self) -> int:
        return int(self.total.size)

    def __str__(self) -> str:
        cells = np.unique(self.code).size
        return (
            f"RFMScores({len(self)} customers, {self.n_bins} bins, "
            f"tie_method={self.tie_method.value!r}, {cells} distinct cells)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as plain lists (JSON-ready)."""
        return {
            "recency_score": self.recency_score.tolist(),
            "frequency_score": self.frequency_score.tolist(),
            "monetary_score": self.monetary_score.tolist(),
            "code": self.code.tolist(),
            "total": self.total.tolist(),
            "n_bins": self.n_bins,
            "tie_method": self.tie_method.value,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per customer (needs the ``pandas`` extra)."""
        return make_frame(
            {
                "recency_score": self.recency_score,
                "frequency_score": self.frequency_score,
                "monetary_score": self.monetary_score,
                "code": self.code,
                "total": self.total,
            }
        )


def _ntile(ranks: IntArray, n: int, n_bins: int) -> IntArray:
    out: IntArray = (n_bins * (ranks - 1)) // n + 1
    return out


def _score(
    values: FloatArray,
    n_bins: int,
    method: TieMethod,
    *,
    higher_is_better: bool,
    edges: FloatArray | None,
) -> IntArray:
    n = values.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if method is TieMethod.ORDINAL:
        order = np.argsort(values, kind="stable")
        ranks = np.empty(n, dtype=np.int64)
        ranks[order] = np.arange(1, n + 1)
        tiles = _ntile(ranks, n, n_bins)
        return tiles if higher_is_better else n_bins + 1 - tiles
    if method is TieMethod.MIN:
        # ntile of the min rank: score k + 1 or more iff at least c_k = ceil(k n / n_bins)
        # values lie strictly below, i.e. iff the c_k-th smallest value is below this one.
        # Only those n_bins - 1 order statistics are needed: np.partition finds them in O(n).
        keyed = values if higher_is_better else -values
        positions = (np.arange(1, n_bins) * n + n_bins - 1) // n_bins - 1
        cuts = np.partition(keyed, positions)[positions]
        scores: IntArray = np.searchsorted(cuts, keyed, side="left").astype(np.int64) + 1
        return scores
    if method is TieMethod.QUANTILE_EDGES:
        cuts = np.quantile(values, np.arange(1, n_bins) / n_bins)
    else:
        assert edges is not None
        cuts = edges
    bins = np.searchsorted(cuts, values, side="right").astype(np.int64) + 1
    return bins if higher_is_better else n_bins + 1 - bins


def rfm_scores(
    recency: ArrayLike,
    frequency: ArrayLike,
    monetary: ArrayLike,
    *,
    n_bins: int = 5,
    tie_method: str | TieMethod = "min",
    thresholds: Mapping[str, Sequence[float]] | None = None,
) -> RFMScores:
    r"""Score customers 1..``n_bins`` on recency, frequency and monetary value.

    Parameters
    ----------
    recency : array_like of float
        Time since the last purchase (smaller is better: the most recent score highest).
    frequency : array_like of float
        Number of purchases in the window.
    monetary : array_like of float
        Spend in the window (total or mean: say which in your analysis; the mean is less
        correlated with frequency).
    n_bins : int, default 5
        Number of bins (quintiles by default; at most 9 keeps ``code`` readable).
    tie_method : {"min", "ordinal", "quantile_edges", "thresholds"}, default "min"
        ``"min"`` (the default) gives equal values equal scores and does not depend on row
        order; ``"ordinal"`` forces equal-sized bins but scores equal values by row order;
        ``"quantile_edges"`` cuts at sample quantiles and may leave fewer than ``n_bins``
        bins in use when one value covers many customers; ``"thresholds"`` uses the
        ``thresholds`` given.
    thresholds : mapping, optional
        For ``tie_method="thresholds"``: ``{"recency": [...], "frequency": [...],
        "monetary": [...]}``, each ``n_bins - 1`` increasing cut points; a value equal to a
        cut point goes to the upper bin.

    Returns
    -------
    RFMScores

    Notes
    -----
    Rank-based scores are :math:`\lfloor n_{bins}(\mathrm{rank} - 1)/n \rfloor + 1`
    (dplyr ``ntile``); recency is scored on :math:`-R` for ``"min"`` and as
    :math:`n_{bins} + 1 - \mathrm{ntile}(R)` otherwise (Hughes' convention
    :math:`R = 6 - \mathrm{ntile}(R_{raw}, 5)`).

    References
    ----------
    A. M. Hughes (2012), *Strategic Database Marketing*, 4th ed., McGraw-Hill.

    Examples
    --------
    >>> from custcentric.value import rfm_scores
    >>> s = rfm_scores([5, 10, 10, 20, 30, 45, 60, 90, 120, 365],
    ...                [10, 8, 8, 5, 3, 3, 2, 1, 1, 1],
    ...                [900, 400, 650, 300, 220, 150, 80, 60, 40, 25])
    >>> s.frequency_score.tolist()
    [5, 4, 4, 4, 3, 3, 2, 1, 1, 1]
    >>> s.code[:3].tolist(), s.total[:3].tolist()
    ([555, 444, 445], [15, 12, 13])
    """
    rec = as_float_array(recency, "recency", non_negative=True, label="customer")
    freq = as_float_array(frequency, "frequency", non_negative=True, label="customer")
    money = as_float_array(monetary, "monetary", label="customer")
    check_equal_length({"recency": rec, "frequency": freq, "monetary": money})
    bins = int(check_number(n_bins, "n_bins", low=2, integer=True))
    method = to_enum(TieMethod, tie_method, "tie_method")
    cut: dict[str, FloatArray | None] = {"recency": None, "frequency": None, "monetary": None}
    if method is TieMethod.THRESHOLDS:
        if thresholds is None:
            msg = '`thresholds` must be given when `tie_method` is "thresholds".'
            raise InvalidInputError(msg)
        for name in cut:
            if name not in thresholds:
                msg = f"`thresholds` must have cut points for {name!r} (got {sorted(thresholds)})."
                raise InvalidInputError(msg)
            edges = as_float_array(thresholds[name], f"thresholds[{name!r}]")
            if edges.size != bins - 1 or np.any(np.diff(edges) <= 0):
                msg = (
                    f"`thresholds[{name!r}]` must hold {bins - 1} increasing cut points "
                    f"for n_bins={bins} (got {edges.tolist()})."
                )
                raise InvalidInputError(msg)
            cut[name] = edges
    elif thresholds is not None:
        msg = f'`thresholds` is used only with tie_method="thresholds" (got {method.value!r}).'
        raise InvalidInputError(msg)
    r = _score(rec, bins, method, higher_is_better=False, edges=cut["recency"])
    f = _score(freq, bins, method, higher_is_better=True, edges=cut["frequency"])
    m = _score(money, bins, method, higher_is_better=True, edges=cut["monetary"])
    return RFMScores(
        recency_score=r,
        frequency_score=f,
        monetary_score=m,
        code=100 * r + 10 * f + m,
        total=r + f + m,
        n_bins=bins,
        tie_method=method,
    )
