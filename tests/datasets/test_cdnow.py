"""The bundled CDNOW data: row counts, the published 39-week summary, and parse errors.

Reference: Fader, Hardie & Lee (2005), Marketing Science 24(2):275-284; the summary file
``cdnow_customers_summary.csv`` is the calibration data of their BG/NBD fit (2,357 customers,
1997-01-01 .. 1997-09-30, in weeks), rounded to two decimals.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from custcentric.datasets import load_cdnow, load_cdnow_summary
from custcentric.datasets._cdnow import _parse_amounts, _parse_dates, _split_fields
from custcentric.exceptions import DataFormatError, InvalidInputError


def test_sample_counts() -> None:
    log = load_cdnow()
    assert len(log) == 6919
    assert np.unique(log.customer_id).size == 2357
    assert log.customer_id.dtype == np.int64
    assert log.timestamp.min() == np.datetime64("1997-01-01T00:00:00")
    assert log.timestamp.max() <= np.datetime64("1998-06-30T00:00:00")


@pytest.mark.slow
def test_master_counts() -> None:
    log = load_cdnow("master")
    assert len(log) == 69659
    assert np.unique(log.customer_id).size == 23570
    first = load_cdnow("sample")
    # The sample is a subset of the master's purchase values.
    assert set(np.round(first.amount, 2)) <= set(np.round(log.amount, 2))


def test_summary_reproduces_the_published_calibration_data() -> None:
    published = load_cdnow_summary()
    computed = load_cdnow().summary(np.datetime64("1997-09-30"), time_unit="W")
    np.testing.assert_array_equal(computed.customer_id, published.customer_id)
    np.testing.assert_array_equal(computed.frequency, published.frequency)
    # The published file rounds to two decimals: half a unit in the last place.
    np.testing.assert_allclose(computed.recency, published.recency, rtol=0, atol=0.005 + 1e-9)
    np.testing.assert_allclose(computed.T, published.T, rtol=0, atol=0.005 + 1e-9)
    np.testing.assert_array_equal(computed.monetary, published.monetary)
    # The file carries no spend, so the monetary column is filled from the purchase records;
    # check it against a plain loop over the raw file (the mean of the repeat purchase days'
    # totals within calibration; several records on one day are one purchase; 0 if none).
    days: dict[int, dict[str, float]] = {}
    text = (resources.files("custcentric.datasets.data.cdnow") / "CDNOW_sample.txt").read_text()
    for line in text.splitlines():
        _master, sample_id, date, _cds, dollars = line.split()
        if date <= "19970930":
            spent = days.setdefault(int(sample_id), {})
            spent[date] = spent.get(date, 0.0) + float(dollars)
    oracle = []
    for customer in published.customer_id.tolist():
        totals = [days[customer][d] for d in sorted(days[customer])[1:]]
        oracle.append(sum(totals) / len(totals) if totals else 0.0)
    np.testing.assert_allclose(published.monetary, oracle, rtol=1e-12, atol=1e-9)
    # The file's own totals: 2,457 repeat purchases; 1,411 customers made none.
    assert int(published.frequency.sum()) == 2457
    assert int((published.frequency == 0).sum()) == 1411


def test_unknown_file_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"`which` must be one of 'sample', 'master'"):
        load_cdnow("full")  # type: ignore[arg-type]


def test_a_short_line_is_reported_with_its_number() -> None:
    text = "1 1 19970101 1 10.0\n2 2 19970102 1\n"
    with pytest.raises(DataFormatError, match=r"file 'x.txt', line 8: expected 5 whitespace"):
        _split_fields(text, n_fields=5, file="x.txt", first_line=7)


def test_impossible_dates_are_reported() -> None:
    tokens = np.array(["19970101", "19970231"])
    with pytest.raises(
        DataFormatError, match=r"line 2, column 'date': `date` must be a calendar date .*19970231"
    ):
        _parse_dates(tokens, file="x.txt", first_line=1)
    assert _parse_dates(tokens[:1], file="x.txt", first_line=1)[0] == np.datetime64("1997-01-01")


@pytest.mark.parametrize("token", ["abc", "-1", "inf", "nan"])
def test_bad_amounts_are_reported(token: str) -> None:
    with pytest.raises(DataFormatError, match=r"line 3, column 'dollar_value'"):
        _parse_amounts(np.array(["1.5", token]), file="x.txt", first_line=2)
