"""RFM scores: recency (time since last purchase), frequency and monetary quantile scores."""

from __future__ import annotations

import enum
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import (
    as_float_array,
    check_equal_length,
    check_number,
    to_enum,
)
from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.tables import CustomerSummary
from custcentric.tables._columns import as_id_array
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_BINS", "RFMScores", "TieMethod", "rfm_scores"]

#: The most bins accepted by :func:`rfm_scores` (scores are small integers: 3 to 10 bins are
#: usual, 100 gives percentiles).
MAX_BINS = 1000


class TieMethod(enum.Enum):
    """How equal raw values are scored.

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

    The R of RFM scores the **time since the last purchase** (the shorter, the higher the
    score) -- not :attr:`CustomerSummary.recency <custcentric.tables.CustomerSummary>`,
    which is the time from the first to the last purchase (the BTYD convention).

    Attributes
    ----------
    recency_score, frequency_score, monetary_score : ndarray of int64
        Scores 1 (worst) .. ``n_bins`` (best); ``recency_score`` scores the time since the
        last purchase, so the customers who bought most recently score highest.
    code : ndarray of int64
        The RFM cell ``100 R + 10 F + M`` (e.g. 555); defined for ``n_bins <= 9``.
    total : ndarray of int64
        ``R + F + M``.
    n_bins : int
        The number of bins.
    tie_method : TieMethod
        How ties were scored.
    customer_id : ndarray or None
        The customers' ids, when known (from the summary scored, or ``customer_id=``).

    Examples
    --------
    >>> from custcentric.value import rfm_scores
    >>> scores = rfm_scores(time_since_last=[3, 40, 200], frequency=[9, 2, 1],
    ...                     monetary=[500.0, 80.0, 20.0], n_bins=3, customer_id=["a", "b", "c"])
    >>> scores.recency_score.tolist(), scores.code.tolist(), scores.total.tolist()
    ([3, 2, 1], [333, 222, 111], [9, 6, 3])
    >>> scores.customer_id.tolist()
    ['a', 'b', 'c']
    """

    recency_score: IntArray
    frequency_score: IntArray
    monetary_score: IntArray
    code: IntArray
    total: IntArray
    n_bins: int
    tie_method: TieMethod
    customer_id: NDArray[Any] | None = None

    def __len__(self) -> int:
        return int(self.total.size)

    def __str__(self) -> str:
        cells = np.unique(self.code).size
        return (
            f"RFMScores({len(self)} customers, {self.n_bins} bins, "
            f"tie_method={self.tie_method.value!r}, {cells} distinct cells)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as plain lists (JSON-ready; ``customer_id`` when known)."""
        out: dict[str, Any] = {}
        if self.customer_id is not None:
            out["customer_id"] = self.customer_id.tolist()
        return out | {
            "recency_score": self.recency_score.tolist(),
            "frequency_score": self.frequency_score.tolist(),
            "monetary_score": self.monetary_score.tolist(),
            "code": self.code.tolist(),
            "total": self.total.tolist(),
            "n_bins": self.n_bins,
            "tie_method": self.tie_method.value,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per customer (needs the ``pandas`` extra).

        The first column is ``customer_id`` when the ids are known (as in
        :meth:`Segmentation.to_pandas <custcentric.segmentation.Segmentation.to_pandas>`).
        """
        return make_frame(
            {
                "customer_id": self.customer_id,
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


_DEPRECATED = (
    "is deprecated and will be removed in the next minor release: pass the time since the "
    "last purchase as `time_since_last=` (or a CustomerSummary as the first argument). "
    "`recency` in a CustomerSummary is the time from the first to the last purchase."
)


def _snap(gap: FloatArray) -> FloatArray:
    # T - recency of two customers whose last purchases fall on the same day can differ in
    # the last bit (in weeks, (a + 8)/7 - a/7 takes 9 values over a < 400); rounding to 10
    # decimals keeps such ties exact.
    out: FloatArray = np.round(gap, 10)
    return out


def rfm_scores(
    summary: CustomerSummary | ArrayLike | None = None,
    frequency: ArrayLike | None = None,
    monetary: ArrayLike | None = None,
    *,
    time_since_last: ArrayLike | None = None,
    customer_id: ArrayLike | None = None,
    n_bins: int = 5,
    tie_method: str | TieMethod = "min",
    thresholds: Mapping[str, Sequence[float]] | None = None,
    recency: ArrayLike | None = None,
) -> RFMScores:
    r"""Score customers 1..``n_bins`` on recency, frequency and monetary value.

    R scores the **time since the last purchase** (shorter is better). Give either a
    :class:`~custcentric.tables.CustomerSummary` -- ``rfm_scores(log.summary(end))``, the
    path that cannot mix up the two meanings of "recency" -- or the three arrays by keyword:
    ``rfm_scores(time_since_last=..., frequency=..., monetary=...)``.

    Parameters
    ----------
    summary : CustomerSummary, optional
        The customers to score. Time since the last purchase is ``T - recency`` (in the
        summary's ``time_unit``: the summary's ``recency`` is first-to-last purchase time,
        not time since the last purchase); frequency is ``summary.frequency``, the number of
        **repeat** purchase days (distinct purchase days after the first, so a one-time
        buyer has 0); monetary is ``summary.monetary``, the **mean** value of the repeat
        purchase days (0 for a one-time buyer: the first purchase is not counted). The ids
        are ``summary.customer_id``. Score arrays of your own (e.g. total spend including
        the first purchase) with the keyword form instead. An array here is the deprecated
        positional ``recency`` (time since the last purchase; a deprecation warning).
    frequency : array_like of float
        Number of purchases in the window (not with a summary).
    monetary : array_like of float
        Spend in the window (total or mean: say which in your analysis; the mean is less
        correlated with frequency). Not with a summary.
    time_since_last : array_like of float
        Time since the last purchase, non-negative (smaller is better: the customers who
        bought most recently score highest). Not with a summary.
    customer_id : array_like, optional
        The customers' ids, kept in the result (not with a summary, whose ids are used).
    n_bins : int, default 5
        Number of bins, 2 to ``MAX_BINS`` (1000); quintiles by default, and at most 9
        keeps ``code`` readable.
    tie_method : {"min", "ordinal", "quantile_edges", "thresholds"}, default "min"
        ``"min"`` (the default) gives equal values equal scores and does not depend on row
        order; ``"ordinal"`` forces equal-sized bins but scores equal values by row order;
        ``"quantile_edges"`` cuts at sample quantiles and may leave fewer than ``n_bins``
        bins in use when one value covers many customers; ``"thresholds"`` uses the
        ``thresholds`` given.
    thresholds : mapping, optional
        For ``tie_method="thresholds"``: ``{"time_since_last": [...], "frequency": [...],
        "monetary": [...]}``, each ``n_bins - 1`` increasing cut points (time since the last
        purchase in the summary's ``time_unit`` when scoring a summary); a value equal to a
        cut point goes to the upper bin. The key ``"recency"`` for ``"time_since_last"`` is
        deprecated (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`).
    recency : array_like of float, optional
        Deprecated name of ``time_since_last``
        (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`); removed in the next
        minor release.

    Returns
    -------
    RFMScores

    Raises
    ------
    InvalidInputError
        For a summary together with arrays, missing arrays, both ``time_since_last`` and
        ``recency``, arrays of different lengths, negative times or frequencies, or bad
        ``n_bins``, ``tie_method`` or ``thresholds``.

    Notes
    -----
    Rank-based scores are :math:`\lfloor n_{bins}(\mathrm{rank} - 1)/n \rfloor + 1`
    (dplyr ``ntile``); time since the last purchase :math:`R` is scored on :math:`-R` for
    ``"min"`` and as :math:`n_{bins} + 1 - \mathrm{ntile}(R)` otherwise (Hughes' convention
    :math:`R = 6 - \mathrm{ntile}(R_{raw}, 5)`). From a summary, :math:`R = T - recency`
    is rounded to 10 decimals of the time unit, so customers whose last purchases fall on
    the same day tie exactly in any unit.

    References
    ----------
    A. M. Hughes (2012), *Strategic Database Marketing*, 4th ed., McGraw-Hill.

    Examples
    --------
    >>> from custcentric.tables import TransactionLog
    >>> from custcentric.value import rfm_scores
    >>> log = TransactionLog.from_arrays(
    ...     [1, 1, 1, 2, 3, 3], ["2024-01-01", "2024-01-20", "2024-01-28", "2024-01-27",
    ...                          "2024-01-02", "2024-01-05"], [10.0, 30.0, 50.0, 20.0, 5.0, 9.0])
    >>> summary = log.summary("2024-01-31")
    >>> (summary.T - summary.recency).tolist()
    [3.0, 4.0, 26.0]
    >>> s = rfm_scores(summary, n_bins=3)
    >>> s.customer_id.tolist(), s.code.tolist()
    ([1, 2, 3], [333, 211, 122])
    >>> s = rfm_scores(time_since_last=[5, 10, 10, 20, 30, 45, 60, 90, 120, 365],
    ...                frequency=[10, 8, 8, 5, 3, 3, 2, 1, 1, 1],
    ...                monetary=[900, 400, 650, 300, 220, 150, 80, 60, 40, 25])
    >>> s.frequency_score.tolist()
    [5, 4, 4, 4, 3, 3, 2, 1, 1, 1]
    >>> s.code[:3].tolist(), s.total[:3].tolist()
    ([555, 444, 445], [15, 12, 13])
    """
    ids: NDArray[Any] | None = None
    r_name = "time_since_last"
    if isinstance(summary, CustomerSummary):
        given = {
            "frequency": frequency,
            "monetary": monetary,
            "time_since_last": time_since_last,
            "recency": recency,
            "customer_id": customer_id,
        }
        extra = [name for name, value in given.items() if value is not None]
        if extra:
            listed = ", ".join(f"`{name}`" for name in extra)
            msg = (
                f"{listed} must not be given with a CustomerSummary: its T - recency, "
                "frequency, monetary and customer_id are used."
            )
            raise InvalidInputError(msg)
        gap: ArrayLike = _snap(summary.T - summary.recency)
        frequency, monetary = summary.frequency, summary.monetary
        ids = summary.customer_id
    else:
        if summary is not None:
            if time_since_last is not None or recency is not None:
                msg = (
                    "`time_since_last` must not be given together with a positional first "
                    "array (the deprecated positional `recency`)."
                )
                raise InvalidInputError(msg)
            warnings.warn(
                f"Passing time since the last purchase positionally {_DEPRECATED}",
                CustcentricDeprecationWarning,
                stacklevel=2,
            )
            time_since_last, r_name = summary, "recency"
        elif recency is not None:
            if time_since_last is not None:
                msg = "`recency` is the deprecated name of `time_since_last`: give only one."
                raise InvalidInputError(msg)
            warnings.warn(f"`recency` {_DEPRECATED}", CustcentricDeprecationWarning, stacklevel=2)
            time_since_last, r_name = recency, "recency"
        missing = [
            name
            for name, value in (
                ("time_since_last", time_since_last),
                ("frequency", frequency),
                ("monetary", monetary),
            )
            if value is None
        ]
        if missing:
            listed = ", ".join(f"`{name}`" for name in missing)
            msg = (
                f"{listed} must be given (or a CustomerSummary as the first argument: "
                "rfm_scores(summary))."
            )
            raise InvalidInputError(msg)
        assert time_since_last is not None
        gap = time_since_last
        if customer_id is not None:
            ids = as_id_array(customer_id, "customer_id")
    assert frequency is not None
    assert monetary is not None
    rec = as_float_array(gap, r_name, non_negative=True, label="customer")
    freq = as_float_array(frequency, "frequency", non_negative=True, label="customer")
    money = as_float_array(monetary, "monetary", label="customer")
    columns: dict[str, Sequence[Any] | NDArray[Any]] = {
        r_name: rec,
        "frequency": freq,
        "monetary": money,
    }
    if ids is not None:
        columns["customer_id"] = ids
    check_equal_length(columns)
    bins = int(check_number(n_bins, "n_bins", low=2, high=MAX_BINS, integer=True))
    method = to_enum(TieMethod, tie_method, "tie_method")
    cut = _thresholds(thresholds, bins, method)
    r = _score(rec, bins, method, higher_is_better=False, edges=cut["time_since_last"])
    f = _score(freq, bins, method, higher_is_better=True, edges=cut["frequency"])
    m = _score(money, bins, method, higher_is_better=True, edges=cut["monetary"])
    if ids is not None and ids.flags.writeable:
        ids = ids.copy()
        ids.flags.writeable = False
    return RFMScores(
        recency_score=r,
        frequency_score=f,
        monetary_score=m,
        code=100 * r + 10 * f + m,
        total=r + f + m,
        n_bins=bins,
        tie_method=method,
        customer_id=ids,
    )


def _thresholds(
    thresholds: Mapping[str, Sequence[float]] | None, bins: int, method: TieMethod
) -> dict[str, FloatArray | None]:
    cut: dict[str, FloatArray | None] = {
        "time_since_last": None,
        "frequency": None,
        "monetary": None,
    }
    if method is not TieMethod.THRESHOLDS:
        if thresholds is not None:
            msg = f'`thresholds` is used only with tie_method="thresholds" (got {method.value!r}).'
            raise InvalidInputError(msg)
        return cut
    if thresholds is None:
        msg = '`thresholds` must be given when `tie_method` is "thresholds".'
        raise InvalidInputError(msg)
    table = dict(thresholds)
    if "recency" in table:
        if "time_since_last" in table:
            msg = "`thresholds` must not have both 'recency' (deprecated) and 'time_since_last'."
            raise InvalidInputError(msg)
        warnings.warn(
            "The `thresholds` key 'recency' is deprecated and will be removed in the next "
            "minor release: use the key 'time_since_last' (time since the last purchase).",
            CustcentricDeprecationWarning,
            stacklevel=3,
        )
        table["time_since_last"] = table.pop("recency")
    for name in cut:
        if name not in table:
            msg = f"`thresholds` must have cut points for {name!r} (got {sorted(thresholds)})."
            raise InvalidInputError(msg)
        edges = as_float_array(table[name], f"thresholds[{name!r}]")
        if edges.size != bins - 1 or np.any(np.diff(edges) <= 0):
            msg = (
                f"`thresholds[{name!r}]` must hold {bins - 1} increasing cut points "
                f"for n_bins={bins} (got {edges.tolist()})."
            )
            raise InvalidInputError(msg)
        cut[name] = edges
    return cut
