"""Compressed histories: identical to the in-memory distinct rows; fits with the same parameters."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.dask.frames import PARTITIONS, SCHEDULERS, log_of, split

from custcentric.exceptions import InvalidInputError
from custcentric.value import BetaGeo, ModifiedBetaGeo, ParetoNBD

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

from custcentric.dask import CompressedHistories, compress_histories, summarise  # noqa: E402


def params(model: Any) -> Any:
    return np.array(list(model.parameters.values()), dtype=float)


def in_memory_table(summary: Any) -> Any:
    frame = pd.DataFrame(
        {"frequency": summary.frequency, "recency": summary.recency, "T": summary.T}
    )
    return frame.groupby(["frequency", "recency", "T"]).size().reset_index(name="count")


@pytest.mark.parametrize("k", PARTITIONS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_compressed_table_is_identical(transactions: Any, k: int, scheduler: str) -> None:
    want = log_of(transactions).summary("1997-09-30", time_unit="W")
    got = compress_histories(
        summarise(split(transactions, k), "1997-09-30", time_unit="W"),
        split_every=2,
        scheduler=scheduler,
    )
    assert got.to_pandas().equals(in_memory_table(want))
    assert got.n_customers == len(want)
    assert got.compression_ratio == len(want) / len(got) > 2
    assert got.time_unit == "W"


def test_non_day_histories_use_the_general_path() -> None:
    from custcentric.dask import summary_frame

    frame = pd.DataFrame(
        {
            "customer_id": np.arange(8),
            "frequency": [0, 1, 1, 0, 1, 1, 2, 0],
            "recency": [0.0, 0.3, 0.3, 0.0, 0.3, 1.1, 2.0, 0.0],
            "T": [1.5, 2.5, 2.5, 1.5, 2.5, 3.0, 4.0, 1.25],
        }
    )
    got = compress_histories(summary_frame(dd.from_pandas(frame, npartitions=3)))
    assert got.to_pandas().equals(
        frame.groupby(["frequency", "recency", "T"]).size().reset_index(name="count")
    )


@pytest.mark.parametrize("k", [1, 17])
def test_betageo_on_the_compressed_table_matches_the_full_fit(cdnow_frame: Any, k: int) -> None:
    want = log_of(cdnow_frame).summary("1997-09-30", time_unit="W")
    full = BetaGeo.fit(want)
    got = compress_histories(summarise(split(cdnow_frame, k), "1997-09-30", time_unit="W"))
    fit = got.fit(BetaGeo)
    np.testing.assert_allclose(params(fit.model), params(full.model), rtol=1e-8)
    assert fit.model.time_unit == "W"
    assert fit.log_likelihood == pytest.approx(full.log_likelihood, rel=1e-12)


@pytest.mark.parametrize("model", [BetaGeo, ModifiedBetaGeo, ParetoNBD])
def test_every_purchase_model_fits_to_1e_8(cdnow_frame: Any, model: Any) -> None:
    want = log_of(cdnow_frame).summary("1997-09-30", time_unit="W")
    got = compress_histories(summarise(split(cdnow_frame, 3), "1997-09-30", time_unit="W"))
    np.testing.assert_allclose(
        params(got.fit(model).model), params(model.fit(want).model), rtol=1e-8
    )


def test_duckdb_sql_recipe_gives_the_same_table_and_fit(cdnow_frame: Any) -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    con.register("transactions", cdnow_frame)
    sql = """
        WITH days AS (            -- purchases on one calendar day count once
            SELECT customer_id, CAST(timestamp AS DATE) AS day, SUM(amount) AS value
            FROM transactions
            WHERE timestamp < DATE '1997-09-30' + INTERVAL 1 DAY
            GROUP BY customer_id, day
        ),
        customers AS (
            SELECT customer_id,
                   COUNT(*) - 1 AS frequency,
                   DATE_DIFF('day', MIN(day), MAX(day)) AS recency_days,
                   DATE_DIFF('day', MIN(day), DATE '1997-09-30') AS t_days
            FROM days GROUP BY customer_id
        )
        SELECT frequency, recency_days / 7.0 AS recency, t_days / 7.0 AS "T",
               COUNT(*) AS count
        FROM customers
        GROUP BY frequency, recency_days, t_days
        ORDER BY frequency, recency_days, t_days
    """
    table = con.execute(sql).df()
    want = log_of(cdnow_frame).summary("1997-09-30", time_unit="W")
    expected = in_memory_table(want)
    assert np.array_equal(table["frequency"].to_numpy(), expected["frequency"].to_numpy())
    assert np.array_equal(table["count"].to_numpy(), expected["count"].to_numpy())
    np.testing.assert_allclose(table["recency"], expected["recency"], rtol=1e-15)
    np.testing.assert_allclose(table["T"], expected["T"], rtol=1e-15)
    fit = BetaGeo.fit(
        table["frequency"], table["recency"], table["T"], weights=table["count"], time_unit="W"
    )
    np.testing.assert_allclose(params(fit.model), params(BetaGeo.fit(want).model), rtol=1e-8)


def test_bad_tables_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="same length"):
        CompressedHistories([0, 1], [0.0], [1.0, 2.0], [1, 1])
    with pytest.raises(InvalidInputError, match="SummaryFrame"):
        compress_histories("summary")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="fit method"):
        CompressedHistories([0], [0.0], [1.0], [1]).fit(int)
    assert CompressedHistories([], [], [], []).compression_ratio == 1.0
