"""Scale-out on Dask: summaries, compressed histories, scoring and cycle times past one machine.

Needs the ``dask`` extra (``pip install "custcentric[dask]"``: dask with dask.dataframe
and pyarrow); dask is imported only when one of these functions runs. Every step is a
decomposable aggregation or a row-wise kernel applied with ``map_partitions``, and gives
the numbers of the in-memory function on the same rows:

- :func:`summarise`: the per-customer summary of a Dask DataFrame of transactions (as
  :meth:`custcentric.tables.TransactionLog.summary`), lazily, as a :class:`SummaryFrame`;
  :func:`summary_frame` wraps a summary you already have; :func:`calibration_holdout` the
  calibration/holdout split, as a :class:`HoldoutFrame`;
- :func:`compress_histories`: the distinct (frequency, recency, T) with counts by a tree
  reduction, a :class:`CompressedHistories` whose ``fit(BetaGeo)`` gives the parameters of
  the fit on all customers;
- :func:`probability_alive`, :func:`expected_purchases`, :func:`lifetime_value`: scores per
  partition with declared metadata;
- :func:`rfm_scores` / :func:`rfm_cuts` and :func:`value_tiers` / :func:`tier_thresholds`:
  scores with global, exact cut points (two passes);
- :func:`cycle_times`: cycle times per case on a Dask DataFrame of events, as a
  :class:`CycleTimeFrame`; :func:`step_durations`: the intervals between a case's
  events, as a :class:`StepDurationFrame`; :func:`sla_compliance`: SLA compliance per
  tier (the counts, compliance and Wilson interval of ``custcentric.sla.evaluate_slas``);
- :func:`write_parquet`: all-or-nothing output.

Examples
--------
>>> import pandas as pd, dask.dataframe as dd
>>> from custcentric.dask import compress_histories, summarise
>>> frame = dd.from_pandas(pd.DataFrame({
...     "customer_id": [1, 1, 2, 3, 3],
...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-03",
...                                  "2024-01-01", "2024-01-08"]),
...     "amount": [5.0, 7.0, 1.0, 2.0, 4.0]}), npartitions=3)
>>> summary = summarise(frame, "2024-01-15")
>>> histories = compress_histories(summary)
>>> histories.to_pandas().to_dict("list"), histories.compression_ratio
({'frequency': [0, 1], 'recency': [0.0, 7.0], 'T': [12.0, 14.0], 'count': [1, 2]}, 1.5)
"""

from custcentric.dask._events import (
    CycleTimeFrame,
    StepDurationFrame,
    cycle_times,
    sla_compliance,
    step_durations,
)
from custcentric.dask._histories import CompressedHistories, compress_histories
from custcentric.dask._scoring import expected_purchases, lifetime_value, probability_alive
from custcentric.dask._segments import rfm_cuts, rfm_scores, tier_thresholds, value_tiers
from custcentric.dask._summary import (
    HoldoutFrame,
    SummaryFrame,
    calibration_holdout,
    summarise,
    summary_frame,
)
from custcentric.dask._write import write_parquet

__all__ = [
    "CompressedHistories",
    "CycleTimeFrame",
    "HoldoutFrame",
    "StepDurationFrame",
    "SummaryFrame",
    "calibration_holdout",
    "compress_histories",
    "cycle_times",
    "expected_purchases",
    "lifetime_value",
    "probability_alive",
    "rfm_cuts",
    "rfm_scores",
    "sla_compliance",
    "step_durations",
    "summarise",
    "summary_frame",
    "tier_thresholds",
    "value_tiers",
    "write_parquet",
]
