"""RFM scores and value tiers with global cut points equal the in-memory ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, log_of, split

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import value_tiers as memory_tiers
from custcentric.value import rfm_scores as memory_rfm

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import (  # noqa: E402
    SummaryFrame,
    rfm_cuts,
    rfm_scores,
    summarise,
    tier_thresholds,
    value_tiers,
)

SCORES = ("recency_score", "frequency_score", "monetary_score", "code", "total")


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_rfm_scores_equal_in_memory(transactions: Any, k: int, scheduler: str) -> None:
    want = log_of(transactions).summary("1997-12-31", time_unit="W")
    s = summarise(split(transactions, k), "1997-12-31", time_unit="W")
    s = SummaryFrame(s.frame.persist(scheduler=scheduler), s.time_unit, s.observation_end)
    for n_bins in (2, 5, 7):
        got = rfm_scores(s, n_bins=n_bins, scheduler=scheduler).compute(scheduler=scheduler)
        got = got.sort_values("customer_id", kind="stable")
        expected = memory_rfm(want, n_bins=n_bins)
        assert np.array_equal(got["customer_id"].to_numpy(), want.customer_id)
        for name in SCORES:
            assert np.array_equal(got[name].to_numpy(), getattr(expected, name)), name


def test_rfm_cuts_are_order_statistics(transactions: Any) -> None:
    want = log_of(transactions).summary("1997-12-31")
    cuts = rfm_cuts(summarise(split(transactions, 17), "1997-12-31"), n_bins=4)
    n = len(want)
    positions = (np.arange(1, 4) * n + 3) // 4 - 1
    assert np.array_equal(cuts["monetary"], np.sort(want.monetary)[positions])
    assert np.array_equal(cuts["frequency"], np.sort(want.frequency.astype(float))[positions])


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("shares", [(0.2, 0.3, 0.5), (0.01, 0.09, 0.9), (0.5, 0.5)])
def test_value_tiers_equal_in_memory(k: int, shares: tuple[float, ...]) -> None:
    rng = np.random.default_rng(k)
    values = np.round(rng.gamma(0.7, 40.0, 2000), 1)  # many ties
    values[rng.random(2000) < 0.3] = 0.0
    frame = pd.DataFrame({"customer_id": np.arange(2000), "clv": values})
    tiers, thresholds = value_tiers(split(frame, k), "clv", shares=shares, scheduler="sync")
    expected = memory_tiers(values, shares=shares)
    assert np.array_equal(thresholds, expected.thresholds)
    got = tiers.compute(scheduler="threads").sort_values("customer_id")
    assert np.array_equal(got["tier"].to_numpy(), expected.tier)


def test_bad_input_is_refused(transactions: Any) -> None:
    frame = pd.DataFrame({"clv": [1.0, 2.0]})
    with pytest.raises(InvalidInputError, match="column 'value'"):
        tier_thresholds(split(frame, 1), "value")
    with pytest.raises(InvalidInputError, match="shares"):
        tier_thresholds(split(frame, 1), "clv", shares=(0.5, 0.4))
    with pytest.raises(InvalidInputError, match="at least one row"):
        tier_thresholds(split(frame.iloc[:0], 3), "clv")
    s = summarise(split(transactions, 3), "1997-12-31")
    with pytest.raises(InvalidInputError, match="n_bins"):
        rfm_scores(s, n_bins=1)
