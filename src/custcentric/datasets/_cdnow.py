"""The CDNOW purchase records of the buy-till-you-die literature, bundled as package data.

See ``data/cdnow/README.md`` for the provenance of the files.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources
from typing import Literal

import numpy as np

from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.tables import CustomerSummary, TransactionLog
from custcentric.typing import DatetimeArray, FloatArray, IntArray, StrArray

__all__ = ["load_cdnow", "load_cdnow_summary"]

_DATA = "custcentric.datasets.data.cdnow"
_CALIBRATION_END = np.datetime64("1997-09-30", "s")


def load_cdnow(which: Literal["sample", "master"] = "sample") -> TransactionLog:
    """Load the CDNOW purchase records as a transaction log.

    Parameters
    ----------
    which : {"sample", "master"}
        ``"sample"`` (default) is the 1/10 systematic sample of 2,357 customers and 6,919
        purchases used in the literature, with customers numbered 1 … 2,357 (the sample id);
        ``"master"`` is all 69,659 purchases of the 23,570 customers of the cohort.

    Returns
    -------
    TransactionLog
        One row per purchase record: integer customer id, the purchase date (at midnight) and
        the dollar value. Several records on one day are kept as they are;
        :meth:`TransactionLog.summary` counts them as one purchase, as the literature does.

    Notes
    -----
    The customers made their first purchase at the online music store CDNOW in the first
    quarter of 1997 and were followed to the end of June 1998 (Fader, Hardie and Lee 2005).
    A handful of records have a dollar value of zero; they are kept.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy way:
    an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275-284.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow
    >>> log = load_cdnow()
    >>> len(log), np.unique(log.customer_id).size
    (6919, 2357)
    >>> round(float(log.amount.sum()), 2)
    244091.94
    """
    given: object = which
    if not isinstance(given, str) or which not in ("sample", "master"):
        msg = f"`which` must be one of 'sample', 'master' (got {which!r})."
        raise InvalidInputError(msg)
    return _load_cdnow(which)


@functools.cache
def _load_cdnow(which: Literal["sample", "master"]) -> TransactionLog:
    """Read and cache one CDNOW file (``which`` already checked: the cache hashes it)."""
    if which == "sample":
        name = "CDNOW_sample.txt"
        text = (resources.files(_DATA) / name).read_text(encoding="ascii")
        fields = _split_fields(text, n_fields=5, file=name, first_line=1)
        customer = fields[:, 1]
        rest = fields[:, 2:]
        first_line = 1
    else:
        name = "CDNOW_master.txt.gz"
        raw = gzip.decompress((resources.files(_DATA) / name).read_bytes())
        _header, _, body = raw.decode("ascii").partition("\n")
        fields = _split_fields(body, n_fields=4, file=name, first_line=2)
        customer = fields[:, 0]
        rest = fields[:, 1:]
        first_line = 2
    ids = _parse_ints(customer, file=name, column="customer_id", first_line=first_line)
    dates = _parse_dates(rest[:, 0], file=name, first_line=first_line)
    amounts = _parse_amounts(rest[:, 2], file=name, first_line=first_line)
    return TransactionLog.from_arrays(customer_id=ids, timestamp=dates, amount=amounts)


@functools.cache
def load_cdnow_summary() -> CustomerSummary:
    """Load the published 39-week summary of the CDNOW sample, in weeks.

    Returns
    -------
    CustomerSummary
        Frequency (repeat purchases), recency and T in weeks for the 2,357 customers of the
        sample over the calibration period 1997-01-01 to 1997-09-30, as published (rounded to
        two decimals), with the mean repeat-purchase value computed from :func:`load_cdnow`
        (the published file does not carry it).

    Notes
    -----
    This is the data behind the BG/NBD estimates of Fader, Hardie and Lee (2005):
    ``r = 0.243, alpha = 4.414, a = 0.793, b = 2.426``. Summarising :func:`load_cdnow` with
    ``summary(np.datetime64("1997-09-30"), time_unit="W")`` reproduces it.

    Examples
    --------
    >>> from custcentric.datasets import load_cdnow_summary
    >>> summary = load_cdnow_summary()
    >>> len(summary), int(summary.frequency.sum())
    (2357, 2457)
    >>> float(summary.T[0])
    38.86
    """
    name = "cdnow_customers_summary.csv"
    text = (resources.files(_DATA) / name).read_text(encoding="ascii")
    header, _, body = text.partition("\n")
    if header.strip() != "ID,frequency,recency,T":
        raise DataFormatError(f"unexpected header {header.strip()!r}.", path=name, line=1)
    fields = _split_fields(body.replace(",", " "), n_fields=4, file=name, first_line=2)
    ids = _parse_ints(fields[:, 0], file=name, column="ID", first_line=2)
    computed = load_cdnow("sample").summary(_CALIBRATION_END, time_unit="W")
    position = np.searchsorted(computed.customer_id, ids)
    return CustomerSummary.from_arrays(
        customer_id=ids,
        frequency=_parse_ints(fields[:, 1], file=name, column="frequency", first_line=2),
        recency=fields[:, 2].astype(np.float64),
        T=fields[:, 3].astype(np.float64),
        monetary=computed.monetary[position],
        time_unit="W",
        observation_end=_CALIBRATION_END,
    )


def _split_fields(text: str, *, n_fields: int, file: str, first_line: int) -> StrArray:
    """Split whitespace-separated text into an ``(n_rows, n_fields)`` array of tokens."""
    lines = text.strip("\n").split("\n")
    tokens = np.array(text.split())
    if tokens.size != n_fields * len(lines):
        for offset, line in enumerate(lines):
            if len(line.split()) != n_fields:
                msg = f"expected {n_fields} whitespace-separated fields (got {line.strip()!r})."
                raise DataFormatError(msg, path=file, line=first_line + offset)
    return tokens.reshape(len(lines), n_fields)


def _parse_ints(tokens: StrArray, *, file: str, column: str, first_line: int) -> IntArray:
    ok = np.char.isdigit(tokens)
    if not ok.all():
        i = int(np.argmin(ok))
        msg = f"`{column}` must be a non-negative whole number (got {tokens[i]!r})."
        raise DataFormatError(msg, path=file, line=first_line + i, column=column)
    return tokens.astype(np.int64)


def _parse_dates(tokens: StrArray, *, file: str, first_line: int) -> DatetimeArray:
    """Parse ``YYYYMMDD`` dates, refusing impossible ones such as 19970231."""
    ymd = _parse_ints(tokens, file=file, column="date", first_line=first_line)
    year, month, day = ymd // 10_000, ymd // 100 % 100, ymd % 100
    months = (year - 1970) * 12 + (month - 1)
    dates = months.astype("datetime64[M]").astype("datetime64[D]") + (day - 1).astype("m8[D]")
    as_text = np.char.replace(np.datetime_as_string(dates, unit="D"), "-", "")
    bad = (month < 1) | (month > 12) | (day < 1) | (as_text != tokens)
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`date` must be a calendar date written YYYYMMDD (got {tokens[i]!r})."
        raise DataFormatError(msg, path=file, line=first_line + i, column="date")
    seconds: DatetimeArray = dates.astype("datetime64[s]")
    return seconds


def _parse_amounts(tokens: StrArray, *, file: str, first_line: int) -> FloatArray:
    try:
        amounts = tokens.astype(np.float64)
    except ValueError:
        for i, token in enumerate(tokens.tolist()):
            try:
                float(token)
            except ValueError:
                msg = f"`dollar_value` must be a number (got {token!r})."
                raise DataFormatError(
                    msg, path=file, line=first_line + i, column="dollar_value"
                ) from None
        raise
    bad = ~np.isfinite(amounts) | (amounts < 0)
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`dollar_value` must be finite and non-negative (got {tokens[i]!r})."
        raise DataFormatError(msg, path=file, line=first_line + i, column="dollar_value")
    return amounts
