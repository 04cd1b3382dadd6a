"""RFM scores and value tiers with global, exact cut points (two passes over the data)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from custcentric._validation import as_float_array, check_number
from custcentric.dask._deps import check_frame
from custcentric.dask._quantiles import order_statistics
from custcentric.dask._summary import SummaryFrame, check_summary
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray

__all__ = ["rfm_cuts", "rfm_scores", "tier_thresholds", "value_tiers"]

_RFM = ("time_since_last", "frequency", "monetary")


def _keyed(part: Any) -> Any:
    """Return the values each RFM score ranks, higher better: -(T - recency), frequency, monetary."""
    import pandas as pd

    gap = np.round(part["T"].to_numpy(np.float64) - part["recency"].to_numpy(np.float64), 10)
    return pd.DataFrame(
        {
            "time_since_last": -gap,
            "frequency": part["frequency"].to_numpy(np.float64),
            "monetary": part["monetary"].to_numpy(np.float64),
        }
    )


def _keyed_frame(summary: SummaryFrame) -> Any:
    import pandas as pd

    meta = pd.DataFrame({name: np.zeros(0) for name in _RFM})
    return summary.frame.map_partitions(_keyed, meta=meta, enforce_metadata=False)


def rfm_cuts(
    summary: SummaryFrame, *, n_bins: int = 5, **compute_kwargs: Any
) -> dict[str, FloatArray]:
    """Return the global cut points of :func:`rfm_scores` (exact, in two passes over the summary).

    Returns
    -------
    dict of str to ndarray
        For ``"time_since_last"`` (as ``-(T - recency)``, higher better), ``"frequency"``
        and ``"monetary"``: the ``n_bins - 1`` order statistics at positions
        ``ceil(k n / n_bins) - 1``; a customer scores 1 plus the number of cuts strictly
        below its value.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import rfm_cuts, summary_frame
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2, 3, 4],
    ...     "frequency": [0, 1, 2, 5], "recency": [0.0, 3.0, 4.0, 9.0], "T": [10.0] * 4,
    ...     "monetary": [0.0, 5.0, 9.0, 7.0]}), npartitions=3)
    >>> rfm_cuts(summary_frame(frame), n_bins=2)["frequency"].tolist()
    [1.0]
    """
    summary = check_summary(summary)
    bins = int(check_number(n_bins, "n_bins", low=2, high=1000, integer=True))

    def positions(n: int) -> IntArray:
        out: IntArray = (np.arange(1, bins) * n + bins - 1) // bins - 1
        return out

    _, stats = order_statistics(_keyed_frame(summary), _RFM, positions, **compute_kwargs)
    return dict(zip(_RFM, stats, strict=True))


def _scores(part: Any, cuts: dict[str, FloatArray], meta: Any) -> Any:
    import pandas as pd

    if not len(part):
        return meta
    keyed = _keyed(part)
    r, f, m = (
        np.searchsorted(cuts[name], keyed[name].to_numpy(), side="left").astype(np.int64) + 1
        for name in _RFM
    )
    out = pd.DataFrame(
        {
            "customer_id": part["customer_id"].to_numpy(),
            "recency_score": r,
            "frequency_score": f,
            "monetary_score": m,
            "code": 100 * r + 10 * f + m,
            "total": r + f + m,
        }
    )
    return out.astype(meta.dtypes.to_dict())


def rfm_scores(summary: SummaryFrame, *, n_bins: int = 5, **compute_kwargs: Any) -> Any:
    """RFM scores 1..``n_bins`` with global cut points: those of the in-memory scores.

    The scores of :func:`custcentric.value.rfm_scores` on the whole summary with the
    default ``tie_method="min"`` (equal values score equally; R scores the time since the
    last purchase, ``T - recency``, shorter better). The cut points are computed exactly
    (see :func:`rfm_cuts`: two passes); the scores are then assigned partition by partition.

    Parameters
    ----------
    summary : SummaryFrame
    n_bins : int, default 5
        From 2 to 1000.
    **compute_kwargs
        Passed to ``compute`` for the cut points.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``customer_id, recency_score, frequency_score, monetary_score, code, total``.

    Raises
    ------
    InvalidInputError
        For a bad ``n_bins`` or an empty summary.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import rfm_scores, summary_frame
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2, 3, 4],
    ...     "frequency": [0, 1, 2, 5], "recency": [0.0, 3.0, 4.0, 9.0], "T": [10.0] * 4,
    ...     "monetary": [0.0, 5.0, 9.0, 7.0]}), npartitions=3)
    >>> rfm_scores(summary_frame(frame), n_bins=2).compute()["code"].tolist()
    [111, 111, 222, 222]
    """
    import pandas as pd

    cuts = rfm_cuts(summary, n_bins=n_bins, **compute_kwargs)
    meta = pd.DataFrame(
        {"customer_id": summary.frame._meta["customer_id"]}
        | {
            name: np.zeros(0, np.int64)
            for name in ("recency_score", "frequency_score", "monetary_score", "code", "total")
        }
    )
    return summary.frame.map_partitions(_scores, cuts, meta, meta=meta, enforce_metadata=False)


def _check_shares(shares: Sequence[float]) -> FloatArray:
    array = as_float_array(shares, "shares", positive=True)
    if array.size == 0 or abs(float(array.sum()) - 1.0) > 1e-9:
        msg = f"`shares` must hold positive tier shares summing to 1 (got {array.tolist()})."
        raise InvalidInputError(msg)
    return array


def _value_column(frame: Any, column: str) -> None:
    check_frame(frame, "frame")
    if column not in [str(c) for c in frame.columns]:
        listed = ", ".join(repr(str(c)) for c in frame.columns)
        msg = f"`frame` must have the column {column!r} (available: {listed})."
        raise InvalidInputError(msg)


def tier_thresholds(
    frame: Any,
    column: str,
    *,
    shares: Sequence[float] = (0.2, 0.3, 0.5),
    **compute_kwargs: Any,
) -> FloatArray:
    """Return the global cut points of :func:`custcentric.segmentation.value_tiers`, exactly.

    Tier ``k`` or better holds the values at least ``thresholds[k - 1]``, the
    ``round(S_k n)``-th largest value (``S_k`` the cumulative share).

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import tier_thresholds
    >>> values = [50, 10, 5, 400, 20, 1, 3, 80, 2, 30]
    >>> frame = dd.from_pandas(pd.DataFrame({"clv": values}), npartitions=4)
    >>> tier_thresholds(frame, "clv").tolist()
    [80.0, 20.0]
    """
    _value_column(frame, column)
    cumulative = np.cumsum(_check_shares(shares))[:-1]
    holder: dict[str, IntArray] = {}

    def positions(n: int) -> IntArray:
        bounds = np.minimum(np.round(cumulative * n).astype(np.int64), n)
        holder["bounds"] = bounds
        out: IntArray = n - bounds[bounds > 0]
        return out

    n, (stats,) = order_statistics(frame[[column]], [column], positions, **compute_kwargs)
    if n == 0:
        msg = "`frame` must hold at least one row to cut into tiers (got none)."
        raise InvalidInputError(msg)
    bounds = holder["bounds"]
    thresholds = np.full(bounds.size, np.inf)
    thresholds[bounds > 0] = stats
    return thresholds


def _tiers(part: Any, column: str, thresholds: FloatArray) -> Any:
    values = part[column].to_numpy(dtype=np.float64)
    codes = np.ones(values.size, dtype=np.int64)
    for t in thresholds:
        codes += values < t
    return part.assign(tier=codes)


def value_tiers(
    frame: Any,
    column: str,
    *,
    shares: Sequence[float] = (0.2, 0.3, 0.5),
    **compute_kwargs: Any,
) -> tuple[Any, FloatArray]:
    """Each row's value tier (1 = most valuable) with global cut points.

    The tiers of :func:`custcentric.segmentation.value_tiers` on the whole column: the top
    20 % of rows by value, the next 30 %, the rest (``shares``); equal values share the
    better tier. The thresholds come from :func:`tier_thresholds` (two passes).

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        E.g. the output of :func:`lifetime_value`.
    column : str
        The value column (finite numbers).
    shares : sequence of float, default (0.2, 0.3, 0.5)
        The share of rows per tier, most valuable first; positive, summing to 1.
    **compute_kwargs
        Passed to ``compute`` for the thresholds.

    Returns
    -------
    (dask.dataframe.DataFrame, ndarray)
        ``frame`` with an int64 column ``tier``, and the thresholds.

    Raises
    ------
    InvalidInputError
        For a missing column, bad shares or an empty frame.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import value_tiers
    >>> values = [50, 10, 5, 400, 20, 1, 3, 80, 2, 30]
    >>> frame = dd.from_pandas(pd.DataFrame({"clv": values}), npartitions=4)
    >>> tiers, cuts = value_tiers(frame, "clv")
    >>> tiers.compute()["tier"].tolist()
    [2, 3, 3, 1, 2, 3, 3, 1, 3, 2]
    """
    thresholds = tier_thresholds(frame, column, shares=shares, **compute_kwargs)
    meta = frame._meta.assign(tier=np.zeros(0, dtype=np.int64))
    tiered = frame.map_partitions(_tiers, column, thresholds, meta=meta, enforce_metadata=False)
    return tiered, thresholds
