"""Partition-wise scoring of a SummaryFrame: P(alive), expected purchases, CLV."""

from __future__ import annotations

from typing import Any

import numpy as np

from custcentric._time import SECONDS_PER_UNIT
from custcentric.dask._summary import SummaryFrame, check_summary
from custcentric.tables import CustomerSummary

__all__ = ["expected_purchases", "lifetime_value", "probability_alive", "score_meta"]


def score_meta(summary: SummaryFrame, name: str, dtype: Any = np.float64) -> Any:
    """Return the empty output frame: ``customer_id`` and one score column."""
    import pandas as pd

    ids = summary.frame._meta["customer_id"]
    return pd.DataFrame({"customer_id": ids, name: np.zeros(0, dtype=dtype)})


def _factor(model: Any, time_unit: str) -> float:
    unit = getattr(model, "time_unit", None)
    if unit is None or unit == time_unit:
        return 1.0
    return SECONDS_PER_UNIT[time_unit] / SECONDS_PER_UNIT[unit]


def _arrays(part: Any, factor: float) -> tuple[Any, Any, Any]:
    x = part["frequency"].to_numpy(dtype=np.int64)
    t_x = part["recency"].to_numpy(dtype=np.float64)
    t = part["T"].to_numpy(dtype=np.float64)
    if factor != 1.0:
        t_x, t = t_x * factor, t * factor
    return x, t_x, t


def _expected(part: Any, model: Any, factor: float, horizon: float, meta: Any) -> Any:
    if not len(part):
        return meta
    x, t_x, t = _arrays(part, factor)
    values = np.asarray(model.conditional_expected_purchases(x, t_x, t, t=horizon), np.float64)
    return _frame(part, meta, "expected_purchases", values)


def _frame(part: Any, meta: Any, name: str, values: Any) -> Any:
    import pandas as pd

    out = pd.DataFrame({"customer_id": part["customer_id"].to_numpy(), name: values})
    return out.astype(meta.dtypes.to_dict())


def probability_alive(model: Any, summary: SummaryFrame) -> Any:
    """Each customer's P(alive), computed partition by partition.

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo, ParetoNBD or another purchase model
        A fitted model (its array path ``probability_alive(frequency, recency, T)`` is
        used, with the summary's recency and T converted exactly into the model's unit).
    summary : SummaryFrame

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``customer_id, probability_alive``, partitioned like ``summary.frame``.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import probability_alive, summary_frame
    >>> from custcentric.value import BetaGeo
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2], "frequency": [0, 3],
    ...     "recency": [0.0, 20.0], "T": [30.0, 30.0]}), npartitions=2)
    >>> bg = BetaGeo(r=0.24, alpha=4.4, a=0.79, b=2.4, time_unit="W")
    >>> probability_alive(bg, summary_frame(frame, time_unit="W")).compute().round(3)
       customer_id  probability_alive
    0            1              1.000
    0            2              0.647
    """
    summary = check_summary(summary)
    meta = score_meta(summary, "probability_alive")
    factor = _factor(model, summary.time_unit)
    return summary.frame.map_partitions(
        _score_alive, model, factor, meta, meta=meta, enforce_metadata=False
    )


def _score_alive(part: Any, model: Any, factor: float, meta: Any) -> Any:
    if not len(part):
        return meta
    x, t_x, t = _arrays(part, factor)
    values = np.asarray(model.probability_alive(x, t_x, t), dtype=np.float64)
    return _frame(part, meta, "probability_alive", values)


def expected_purchases(model: Any, summary: SummaryFrame, *, t: float) -> Any:
    """Each customer's expected repeat purchases in the next ``t`` (model's unit).

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo, ParetoNBD or another purchase model
        Its ``conditional_expected_purchases(frequency, recency, T, t=t)`` is used.
    summary : SummaryFrame
    t : float
        The horizon, in the model's ``time_unit`` (the summary's when the model has none).

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``customer_id, expected_purchases``.

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import expected_purchases, summary_frame
    >>> from custcentric.value import BetaGeo
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": ["a"], "frequency": [3],
    ...     "recency": [140.0], "T": [210.0]}), npartitions=1)  # days: 20 and 30 weeks
    >>> bg = BetaGeo(r=0.24, alpha=4.4, a=0.79, b=2.4, time_unit="W")
    >>> out = expected_purchases(bg, summary_frame(frame, time_unit="D"), t=10).compute()
    >>> round(float(out["expected_purchases"].iloc[0]), 3)
    0.566
    """
    summary = check_summary(summary)
    meta = score_meta(summary, "expected_purchases")
    factor = _factor(model, summary.time_unit)
    return summary.frame.map_partitions(
        _expected, model, factor, float(t), meta, meta=meta, enforce_metadata=False
    )


def _clv(
    part: Any,
    purchase_model: Any,
    spend_model: Any,
    options: dict[str, Any],
    time_unit: str,
    meta: Any,
) -> Any:
    from custcentric.value import customer_lifetime_value

    if not len(part):
        return meta
    local = CustomerSummary.from_arrays(
        part["customer_id"].to_numpy(),
        part["frequency"].to_numpy(dtype=np.int64),
        part["recency"].to_numpy(dtype=np.float64),
        part["T"].to_numpy(dtype=np.float64),
        part["monetary"].to_numpy(dtype=np.float64),
        time_unit=time_unit,
    )
    values = customer_lifetime_value(purchase_model, spend_model, local, **options)
    return _frame(part, meta, "clv", np.asarray(values, dtype=np.float64))


def lifetime_value(
    purchase_model: Any,
    spend_model: Any,
    summary: SummaryFrame,
    *,
    horizon: int,
    time_unit: str,
    discount_rate: float,
    margin: float = 1.0,
) -> Any:
    """Each customer's CLV, by :func:`custcentric.value.customer_lifetime_value` per partition.

    The value of a customer depends only on its own history, so computing partition by
    partition gives the numbers of the in-memory call on all customers.

    Parameters
    ----------
    purchase_model : BetaGeo, ModifiedBetaGeo or ParetoNBD
    spend_model : GammaGamma
        The expected spend per purchase of each customer (from ``monetary``).
    summary : SummaryFrame
    horizon, time_unit, discount_rate, margin
        As in :func:`custcentric.value.customer_lifetime_value`.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``customer_id, clv``.

    Raises
    ------
    InvalidInputError
        From the in-memory function, when a partition is computed (e.g. a bad horizon).

    Examples
    --------
    >>> import pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import lifetime_value, summary_frame
    >>> from custcentric.value import BetaGeo, GammaGamma
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2], "frequency": [2, 0],
    ...     "recency": [30.43, 0.0], "T": [38.86, 38.86], "monetary": [22.35, 0.0]}),
    ...     npartitions=2)
    >>> bg = BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, time_unit="W")
    >>> gg = GammaGamma(p=6.25, q=3.74, v=15.44)
    >>> clv = lifetime_value(bg, gg, summary_frame(frame, time_unit="W"), horizon=12,
    ...                      time_unit="M", discount_rate=0.01).compute()
    >>> clv["clv"].round(2).tolist()
    [36.31, 8.37]
    """
    summary = check_summary(summary)
    meta = score_meta(summary, "clv")
    options = {
        "horizon": horizon,
        "time_unit": time_unit,
        "discount_rate": discount_rate,
        "margin": margin,
    }
    return summary.frame.map_partitions(
        _clv,
        purchase_model,
        spend_model,
        options,
        summary.time_unit,
        meta,
        meta=meta,
        enforce_metadata=False,
    )
