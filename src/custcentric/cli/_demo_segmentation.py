"""The segmentation section of ``custcentric demo``: value tiers, RFM segments, the top 20 %."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custcentric.cli._text import heading, number, percent, text_table
from custcentric.datasets import SampleCompany
from custcentric.segmentation import concentration, rfm_segments, value_tiers
from custcentric.typing import IntArray

__all__ = ["segmentation_section"]

_ANALYSIS_DATE = np.datetime64("2026-01-01T00:00:00", "s")


def _quintile_scores(values: NDArray[Any]) -> IntArray:
    """Score 1-5 by quintile of ``values`` (5 = highest); equal values share a score."""
    ordered = np.sort(values)
    below = np.searchsorted(ordered, values, side="left")  # customers with a smaller value
    return (1 + np.minimum(4, (5 * below) // values.size)).astype(np.int64)


def segmentation_section(company: SampleCompany, width: int) -> str:
    """Return the demo's segmentation section for the bundled company.

    Value tiers of the customers by revenue (top 20 %, next 30 %, bottom 50 %) with their
    share of revenue, the RFM segment sizes (quintile scores computed here from the
    purchases) and how much the most valuable 20 % hold.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = segmentation_section(load_sample_company(), 88)
    >>> text.splitlines()[0]
    'Value tiers and RFM segments'
    """
    log = company.transactions
    ids, inverse = np.unique(log.customer_id, return_inverse=True)
    revenue = np.bincount(inverse, weights=log.amount)
    purchases = np.bincount(inverse).astype(np.float64)
    last = np.full(ids.size, np.datetime64("1970-01-01T00:00:00", "s"))
    np.maximum.at(last, inverse, log.timestamp)
    days_since = np.asarray((_ANALYSIS_DATE - last) / np.timedelta64(1, "D"), dtype=np.float64)

    tiers = value_tiers(revenue)
    conc = concentration(revenue)
    tier_rows = [
        [name, number(int(n)), percent(float(c)), number(float(v)), percent(float(s))]
        for name, n, c, v, s in zip(
            tiers.names,
            tiers.sizes,
            tiers.customer_share,
            tiers.value_total,
            tiers.value_share,
            strict=True,
        )
    ]

    scores = {
        "r": _quintile_scores(-days_since),
        "f": _quintile_scores(purchases),
        "m": _quintile_scores(revenue),
    }
    segments = rfm_segments(scores, customer_id=ids)
    rfm_rows = [
        [name, number(int(n)), percent(int(n) / len(segments))]
        for name, n in zip(segments.names, segments.sizes, strict=True)
    ]

    top = tiers.segmentation.members(tiers.names[0])
    tier_now = np.asarray(company.customers.attributes["service_tier"])
    known = dict(zip(company.customers.customer_id.tolist(), tier_now.tolist(), strict=True))
    gold = sum(1 for cid in ids[top].tolist() if known.get(cid) == "gold")
    intro = (
        f"{number(ids.size)} customers bought from the company in 2024-2025. Ranked by revenue, "
        f"the top 20 % ({number(top.size)} customers) hold {percent(float(tiers.value_share[0]))} "
        f"of it (Gini {conc.gini:.2f}; the top 10 % hold {percent(conc.top_share(0.1))}). "
        f"{number(gold)} of them are on the gold service tier today; service levels per value "
        "tier start from this list."
    )
    lines = [
        heading("Value tiers and RFM segments", width),
        textwrap.fill(intro, width=width),
        "",
        text_table(["value tier", "customers", "share", "revenue", "revenue share"], tier_rows),
        "",
        textwrap.fill(
            "RFM segments (quintile scores at 2026-01-01: recency in days since the last "
            "purchase, purchases, revenue; default rule table on the R x F grid):",
            width=width,
        ),
        text_table(["RFM segment", "customers", "share"], rfm_rows),
    ]
    return "\n".join(lines)
