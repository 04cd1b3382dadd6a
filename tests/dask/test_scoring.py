"""Partition-wise scores equal the in-memory scores of the whole summary."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, log_of, split

from custcentric.exceptions import InvalidInputError
from custcentric.value import BetaGeo, GammaGamma, ParetoNBD, customer_lifetime_value

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import (  # noqa: E402
    SummaryFrame,
    expected_purchases,
    lifetime_value,
    probability_alive,
    summarise,
)

BG = BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, time_unit="W")
PARETO = ParetoNBD(r=0.55, alpha=10.58, s=0.61, beta=11.67, time_unit="W")
GG = GammaGamma(p=6.25, q=3.74, v=15.44)


def persisted(s: Any, scheduler: str) -> Any:
    """The same summary with its frame computed once (the tests score it several times)."""
    return SummaryFrame(s.frame.persist(scheduler=scheduler), s.time_unit, s.observation_end)


def by_id(frame: Any, column: str) -> Any:
    frame = frame.sort_values("customer_id", kind="stable")
    return frame["customer_id"].to_numpy(), frame[column].to_numpy()


@pytest.fixture(scope="module", params=["D", "W"])
def unit(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_scores_equal_in_memory(transactions: Any, unit: str, k: int, scheduler: str) -> None:
    want = log_of(transactions).summary("1997-09-30", time_unit=unit)
    s = persisted(summarise(split(transactions, k), "1997-09-30", time_unit=unit), scheduler)
    for model in (BG, PARETO) if k == 3 else (BG,):
        ids, alive = by_id(
            probability_alive(model, s).compute(scheduler=scheduler), "probability_alive"
        )
        assert np.array_equal(ids, want.customer_id)
        assert np.array_equal(alive, np.asarray(model.probability_alive(want)))
        _, expected = by_id(
            expected_purchases(model, s, t=10).compute(scheduler=scheduler),
            "expected_purchases",
        )
        assert np.array_equal(
            expected,
            np.asarray(
                model.conditional_expected_purchases(
                    want.frequency,
                    want.recency * (1 if unit == "W" else 1 / 7),
                    want.T * (1 if unit == "W" else 1 / 7),
                    t=10,
                )
            ),
        )
    clv = lifetime_value(BG, GG, s, horizon=12, time_unit="M", discount_rate=0.01)
    _, values = by_id(clv.compute(scheduler=scheduler), "clv")
    in_memory = customer_lifetime_value(BG, GG, want, horizon=12, time_unit="M", discount_rate=0.01)
    assert np.array_equal(values, np.asarray(in_memory))


def test_declared_metadata_matches_the_partitions(transactions: Any) -> None:
    s = summarise(split(transactions, 3), "1997-09-30", time_unit="W")
    out = probability_alive(BG, s)
    assert list(out.columns) == ["customer_id", "probability_alive"]
    local = out.compute(scheduler="sync")
    assert local.dtypes.to_dict() == out._meta.dtypes.to_dict()


def test_bad_arguments_are_refused(transactions: Any) -> None:
    with pytest.raises(InvalidInputError, match="SummaryFrame"):
        probability_alive(BG, transactions)
    s = summarise(split(transactions, 3), "1997-09-30", time_unit="W")
    with pytest.raises(InvalidInputError, match="horizon"):
        lifetime_value(BG, GG, s, horizon=0, time_unit="M", discount_rate=0.01).compute(
            scheduler="sync"
        )
