"""RFM scores from a CustomerSummary: R scores time since the last purchase, T - recency."""

from __future__ import annotations

import json

import numpy as np
import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import rfm_segments
from custcentric.tables import CustomerSummary, TransactionLog
from custcentric.value import rfm_scores

SINCE_LAST = [5, 10, 10, 20, 30, 45, 60, 90, 120, 365]
FREQUENCY = [10, 8, 8, 5, 3, 3, 2, 1, 1, 1]
MONETARY = [900, 400, 650, 300, 220, 150, 80, 60, 40, 25]


@pytest.fixture(scope="module")
def summary() -> CustomerSummary:
    # 200 customers whose first purchase day is unrelated to their last one, so that
    # first-to-last time (summary.recency) and time since the last purchase disagree.
    rng = np.random.default_rng(7)
    ids, days, amounts = [], [], []
    for cid in range(200):
        first = int(rng.integers(0, 300))
        n = int(rng.integers(1, 8))
        later = np.sort(rng.integers(first, 365, size=n - 1)) if n > 1 else np.zeros(0)
        for day in [first, *later.tolist()]:
            ids.append(cid)
            days.append(np.datetime64("2024-01-01") + np.timedelta64(int(day), "D"))
            amounts.append(float(rng.integers(5, 200)))
    log = TransactionLog.from_arrays(ids, np.array(days, dtype="datetime64[s]"), amounts)
    return log.summary("2025-01-01")


def test_summary_is_scored_on_time_since_last_purchase(summary):
    scores = rfm_scores(summary)
    by_hand = rfm_scores(
        time_since_last=summary.T - summary.recency,
        frequency=summary.frequency,
        monetary=summary.monetary,
        customer_id=summary.customer_id,
    )
    for field in ("recency_score", "frequency_score", "monetary_score", "code", "total"):
        assert np.array_equal(getattr(scores, field), getattr(by_hand, field)), field
    assert np.array_equal(scores.customer_id, summary.customer_id)
    # Scoring summary.recency (first-to-last purchase time) as R gives other scores.
    naive = rfm_scores(
        time_since_last=summary.recency,
        frequency=summary.frequency,
        monetary=summary.monetary,
    )
    assert not np.array_equal(naive.recency_score, scores.recency_score)
    assert np.mean(naive.code == scores.code) < 0.5
    # The customer who bought last scores R = 5; R does not depend on the first purchase.
    since_last = summary.T - summary.recency
    assert scores.recency_score[np.argmin(since_last)] == 5
    assert scores.recency_score[np.argmax(since_last)] == 1


def test_summary_scores_keep_ids_through_pandas_json_and_segments(summary):
    pytest.importorskip("pandas")
    scores = rfm_scores(summary)
    frame = scores.to_pandas()
    assert list(frame.columns)[:2] == ["customer_id", "recency_score"]
    assert frame["customer_id"].tolist() == summary.customer_id.tolist()
    assert json.loads(json.dumps(scores.to_dict()))["customer_id"] == summary.customer_id.tolist()
    assert not scores.customer_id.flags.writeable
    segments = rfm_segments(scores)
    assert np.array_equal(segments.customer_id, summary.customer_id)


def test_one_time_buyers_have_zero_frequency_and_monetary():
    log = TransactionLog.from_arrays(
        [1, 1, 2], ["2024-01-01", "2024-01-10", "2024-01-12"], [10.0, 30.0, 99.0]
    )
    summary = log.summary("2024-01-15")
    scores = rfm_scores(summary, n_bins=2)
    # Customer 2 bought once (frequency 0, monetary 0: the first purchase is not counted)
    # but more recently (3 days ago) than customer 1 (5 days ago).
    assert scores.recency_score.tolist() == [1, 2]
    assert scores.frequency_score.tolist() == [2, 1]
    assert scores.monetary_score.tolist() == [2, 1]


def test_summary_ties_on_the_same_last_day_in_weeks():
    # (a + 8)/7 - a/7 is not one float for all a: the summary path rounds it back to a tie.
    first = np.arange(0, 400, dtype=float)
    summary = CustomerSummary.from_arrays(
        np.arange(first.size),
        np.ones(first.size, dtype=int),
        first / 7,
        (first + 8) / 7,
        np.ones(first.size),
        time_unit="W",
    )
    raw = summary.T - summary.recency
    assert np.unique(raw).size > 1
    scores = rfm_scores(summary)
    assert np.unique(scores.recency_score).size == 1
    assert np.unique(rfm_scores(summary, tie_method="quantile_edges").recency_score).size == 1


def test_thresholds_are_in_the_summary_time_unit(summary):
    weeks = TransactionLog.from_arrays(
        [1, 2, 3], ["2024-01-01", "2024-01-20", "2024-01-29"], [1.0, 1.0, 1.0]
    ).summary("2024-02-05", time_unit="W")
    scores = rfm_scores(
        weeks,
        n_bins=3,
        tie_method="thresholds",
        thresholds={"time_since_last": [2, 4], "frequency": [1, 2], "monetary": [1, 2]},
    )
    # 5, 16/7 and 1 weeks since the last purchase.
    assert scores.recency_score.tolist() == [1, 2, 3]


def test_summary_refuses_arrays_alongside():
    summary = CustomerSummary.from_arrays([1], [0], [0.0], [2.0])
    with pytest.raises(InvalidInputError, match=r"`frequency`, `customer_id` must not be given"):
        rfm_scores(summary, frequency=[1], customer_id=[1])
    with pytest.raises(InvalidInputError, match=r"`time_since_last` must not be given with"):
        rfm_scores(summary, time_since_last=[1])
    with pytest.raises(InvalidInputError, match=r"`time_since_last`, `monetary` must be given"):
        rfm_scores(frequency=[1])
    with pytest.raises(InvalidInputError, match=r"`customer_id` must have the same length"):
        rfm_scores(time_since_last=[1, 2], frequency=[1, 2], monetary=[1, 2], customer_id=[1])


def test_deprecated_recency_still_works_with_a_future_warning():
    new = rfm_scores(time_since_last=SINCE_LAST, frequency=FREQUENCY, monetary=MONETARY)
    with pytest.warns(FutureWarning, match=r"`recency` is deprecated.*`time_since_last=`"):
        keyword = rfm_scores(recency=SINCE_LAST, frequency=FREQUENCY, monetary=MONETARY)
    with pytest.warns(FutureWarning, match=r"positionally is deprecated.*`time_since_last=`"):
        positional = rfm_scores(SINCE_LAST, FREQUENCY, MONETARY)
    assert np.array_equal(keyword.code, new.code)
    assert np.array_equal(positional.code, new.code)
    with (
        pytest.warns(FutureWarning, match=r"key 'recency' is deprecated.*'time_since_last'"),
    ):
        old_key = rfm_scores(
            time_since_last=SINCE_LAST,
            frequency=FREQUENCY,
            monetary=MONETARY,
            n_bins=3,
            tie_method="thresholds",
            thresholds={"recency": [30, 90], "frequency": [2, 5], "monetary": [100, 500]},
        )
    assert old_key.recency_score.tolist() == [3, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    # The deprecated path names the argument the caller used.
    with (
        pytest.warns(FutureWarning),
        pytest.raises(InvalidInputError, match=r"`recency` must be non-negative"),
    ):
        rfm_scores([-1], [1], [1])
    with pytest.raises(InvalidInputError, match=r"give only one"):
        rfm_scores(recency=[1], time_since_last=[1], frequency=[1], monetary=[1])
    with pytest.raises(InvalidInputError, match=r"must not be given together with a positional"):
        rfm_scores([1], [1], [1], time_since_last=[1])
    with pytest.raises(InvalidInputError, match=r"both 'recency' \(deprecated\)"):
        rfm_scores(
            time_since_last=[1],
            frequency=[1],
            monetary=[1],
            n_bins=2,
            tie_method="thresholds",
            thresholds={"recency": [1], "time_since_last": [1], "frequency": [1], "monetary": [1]},
        )
