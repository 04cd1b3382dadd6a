"""Compressed histories: distinct (frequency, recency, T) with counts, by a tree reduction."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric.dask._deps import compute_quietly
from custcentric.dask._end import days_per_unit
from custcentric.dask._summary import SummaryFrame, check_summary
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray

__all__ = ["CompressedHistories", "compress_histories", "count_histories"]

M = TypeVar("M")


def _ints(values: Any) -> IntArray:
    out: IntArray = np.array(values, dtype=np.int64)
    out.flags.writeable = False
    return out


def _floats(values: Any) -> FloatArray:
    out: FloatArray = np.array(values, dtype=np.float64)
    out.flags.writeable = False
    return out


@attrs.frozen(eq=False)
class CompressedHistories:
    """Distinct purchase histories and how many customers hold each.

    What every purchase model needs from the customers, small enough for one process:
    ``Model.fit(h.frequency, h.recency, h.T, weights=h.count, time_unit=h.time_unit)``
    (which :meth:`fit` does) gives the parameters of the fit on all customers.

    Attributes
    ----------
    frequency : ndarray of int64
    recency, T : ndarray of float64
        In ``time_unit``; the rows sorted by (frequency, recency, T), each distinct.
    count : ndarray of int64
        Customers holding each history.
    time_unit : str
        The unit of ``recency`` and ``T``.

    Examples
    --------
    >>> from custcentric.dask import CompressedHistories
    >>> h = CompressedHistories([0, 2], [0.0, 3.0], [5.0, 5.0], [40, 10], time_unit="W")
    >>> h.n_customers, len(h), h.compression_ratio
    (50, 2, 25.0)
    """

    frequency: IntArray = attrs.field(converter=_ints)
    recency: FloatArray = attrs.field(converter=_floats)
    T: FloatArray = attrs.field(converter=_floats)
    count: IntArray = attrs.field(converter=_ints)
    time_unit: str = "D"

    def __attrs_post_init__(self) -> None:
        sizes = {self.frequency.size, self.recency.size, self.T.size, self.count.size}
        if len(sizes) != 1:
            msg = "`frequency`, `recency`, `T` and `count` must have the same length."
            raise InvalidInputError(msg)

    def __len__(self) -> int:
        return int(self.count.size)

    @property
    def n_customers(self) -> int:
        """The number of customers (the sum of the counts)."""
        return int(self.count.sum())

    @property
    def compression_ratio(self) -> float:
        """Customers per distinct history (1.0 for an empty table)."""
        return self.n_customers / len(self) if len(self) else 1.0

    def fit(self, model: type[M], **kwargs: Any) -> Any:
        """Fit a purchase model class on the histories, each weighted by its count.

        Parameters
        ----------
        model : type
            :class:`~custcentric.value.BetaGeo`, :class:`~custcentric.value.ParetoNBD`,
            :class:`~custcentric.value.ModifiedBetaGeo` or any class with the same
            ``fit(frequency, recency, T, *, weights=..., time_unit=...)``.
        **kwargs
            Passed to ``fit`` (e.g. ``penalty``).

        Returns
        -------
        FitResult
            What ``model.fit`` returns.

        Examples
        --------
        >>> from custcentric.dask import CompressedHistories
        >>> from custcentric.datasets import load_cdnow_summary
        >>> from custcentric.value import BetaGeo
        >>> s = load_cdnow_summary()
        >>> table = s.to_pandas().groupby(["frequency", "recency", "T"]).size().reset_index()
        >>> h = CompressedHistories(table["frequency"], table["recency"], table["T"], table[0],
        ...                         time_unit=s.time_unit)
        >>> len(s), len(h), round(h.fit(BetaGeo).log_likelihood, 1)
        (2357, 1016, -9582.4)
        """
        fit = getattr(model, "fit", None)
        if not callable(fit):
            msg = f"`model` must be a model class with a fit method (got {model!r})."
            raise InvalidInputError(msg)
        kwargs.setdefault("time_unit", self.time_unit)
        return fit(self.frequency, self.recency, self.T, weights=self.count, **kwargs)

    def to_pandas(self) -> Any:
        """One row per history: frequency, recency, T, count (needs pandas).

        Examples
        --------
        >>> from custcentric.dask import CompressedHistories
        >>> CompressedHistories([0], [0.0], [5.0], [4]).to_pandas().to_dict("records")
        [{'frequency': 0, 'recency': 0.0, 'T': 5.0, 'count': 4}]
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "frequency": np.array(self.frequency),
                "recency": np.array(self.recency),
                "T": np.array(self.T),
                "count": np.array(self.count),
            }
        )


def _whole(values: FloatArray, per_unit: float) -> NDArray[np.int64] | None:
    """Whole numbers of days behind ``values`` (in units of ``per_unit`` days), if exact."""
    days = np.rint(values * per_unit)
    if not np.array_equal(days / per_unit, values):
        return None
    return days.astype(np.int64)


def count_histories(
    frequency: IntArray,
    recency: FloatArray,
    T: FloatArray,  # noqa: N803
    count: IntArray,
    per_unit: float,
) -> Any:
    """Collapse rows to distinct (frequency, recency, T) summing ``count`` (a pandas frame).

    Day-granular histories are packed into one int64 key and sorted once; anything else
    goes through a pandas group-by on the three columns. Rows come out sorted.
    """
    import pandas as pd

    if frequency.size == 0:
        return pd.DataFrame(
            {"frequency": frequency, "recency": recency, "T": T, "count": count}
        ).astype({"frequency": np.int64, "recency": np.float64, "T": np.float64, "count": np.int64})
    rec_days, t_days = _whole(recency, per_unit), _whole(T, per_unit)
    if rec_days is not None and t_days is not None:
        x_low, r_low, t_low = int(frequency.min()), int(rec_days.min()), int(t_days.min())
        n_r = int(rec_days.max()) - r_low + 1
        n_t = int(t_days.max()) - t_low + 1
        n_x = int(frequency.max()) - x_low + 1
        if n_x * n_r * n_t < 2**62:
            key = ((frequency - x_low) * n_r + (rec_days - r_low)) * n_t + (t_days - t_low)
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            new = np.empty(key.size, dtype=bool)
            new[0] = True
            np.not_equal(sorted_key[1:], sorted_key[:-1], out=new[1:])
            starts = np.flatnonzero(new)
            total = np.add.reduceat(count[order], starts)
            rest, t_code = np.divmod(sorted_key[starts], n_t)
            x_code, r_code = np.divmod(rest, n_r)
            return pd.DataFrame(
                {
                    "frequency": x_code + x_low,
                    "recency": (r_code + r_low) / per_unit,
                    "T": (t_code + t_low) / per_unit,
                    "count": total.astype(np.int64),
                }
            )
    frame = pd.DataFrame({"frequency": frequency, "recency": recency, "T": T, "count": count})
    return frame.groupby(["frequency", "recency", "T"], as_index=False, sort=True)["count"].sum()


def _chunk(part: Any, per_unit: float) -> Any:
    x = part["frequency"].to_numpy(dtype=np.int64)
    return count_histories(
        x,
        part["recency"].to_numpy(dtype=np.float64),
        part["T"].to_numpy(dtype=np.float64),
        np.ones(x.size, dtype=np.int64),
        per_unit,
    )


def _combine(part: Any, per_unit: float) -> Any:
    return count_histories(
        part["frequency"].to_numpy(dtype=np.int64),
        part["recency"].to_numpy(dtype=np.float64),
        part["T"].to_numpy(dtype=np.float64),
        part["count"].to_numpy(dtype=np.int64),
        per_unit,
    )


def compress_histories(
    summary: SummaryFrame, *, split_every: int | None = 8, **compute_kwargs: Any
) -> CompressedHistories:
    """Compute the distinct (frequency, recency, T) of a summary with their counts.

    Each partition is collapsed to its distinct histories (one packed int64 key and one
    sort for day-granular data); the partial tables are merged pairwise-upward in a tree
    (``split_every`` at a time) by summing the counts of equal histories, an associative
    merge, so only the small table reaches this process.

    Parameters
    ----------
    summary : SummaryFrame
        From :func:`summarise` or :func:`summary_frame`.
    split_every : int, default 8
        Partial tables merged per node of the tree.
    **compute_kwargs
        Passed to ``compute`` (e.g. ``scheduler="threads"``).

    Returns
    -------
    CompressedHistories
        In ``summary.time_unit``; ``compression_ratio`` is customers per distinct history.

    Raises
    ------
    InvalidInputError
        If ``summary`` is not a :class:`SummaryFrame`.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import compress_histories, summary_frame
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2, 3, 4],
    ...     "frequency": [0, 0, 1, 0], "recency": [0.0, 0.0, 2.0, 0.0],
    ...     "T": [5.0, 5.0, 5.0, 6.0]}), npartitions=3)
    >>> h = compress_histories(summary_frame(frame, time_unit="D"))
    >>> h.to_pandas().to_dict("list"), h.compression_ratio
    ({'frequency': [0, 0, 1], 'recency': [0.0, 0.0, 2.0], 'T': [5.0, 6.0, 5.0], 'count': [2, 1, 1]}, 1.3333333333333333)
    """
    summary = check_summary(summary)
    per_unit = days_per_unit(summary.time_unit)
    meta = count_histories(
        np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, np.int64), per_unit
    )
    table = compute_quietly(
        summary.frame.reduction(
            _chunk,
            aggregate=_combine,
            combine=_combine,
            meta=meta,
            split_every=split_every,
            chunk_kwargs={"per_unit": per_unit},
            combine_kwargs={"per_unit": per_unit},
            aggregate_kwargs={"per_unit": per_unit},
        ),
        **compute_kwargs,
    )
    return CompressedHistories(
        table["frequency"].to_numpy(),
        table["recency"].to_numpy(),
        table["T"].to_numpy(),
        table["count"].to_numpy(),
        time_unit=summary.time_unit,
    )
