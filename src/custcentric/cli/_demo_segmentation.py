"""The segmentation section of ``custcentric demo``: value tiers, concentration, RFM segments."""

from __future__ import annotations

import numpy as np

from custcentric.cli._demo_facts import buyer_revenue
from custcentric.cli._text import (
    computed_with,
    heading,
    number,
    paragraph,
    percent,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.segmentation import abc_classes, rfm_segments
from custcentric.value import rfm_scores

__all__ = ["segmentation_section"]

_ANALYSIS_DATE = np.datetime64("2026-01-01T00:00:00", "s")


def segmentation_section(company: SampleCompany, width: int) -> str:
    """Return the demo's segmentation section for the bundled company.

    Value tiers of the buyers by revenue (top 20 %, next 30 %, bottom 50 %) with their
    share of revenue; three measures of how concentrated revenue is (the top 20 %'s share,
    the Gini coefficient and the ABC class that makes 80 % of revenue), each in one line; and
    the RFM segment sizes (quintile scores of the time since the last purchase, the number of
    purchases and the revenue).

    Parameters
    ----------
    company : SampleCompany
        The bundled company (its ``transactions``, ``customers`` and ``currency``).
    width : int
        The longest line of the section.

    Returns
    -------
    str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = segmentation_section(load_sample_company(), 88)
    >>> text.splitlines()[0]
    'Value tiers and RFM segments'
    """
    log = company.transactions
    facts = buyer_revenue(company)
    ids, revenue, tiers, conc = facts.customer_id, facts.revenue, facts.tiers, facts.concentration
    inverse = np.searchsorted(ids, log.customer_id)
    purchases = np.bincount(inverse, minlength=ids.size).astype(np.float64)
    last = np.full(ids.size, np.datetime64("1970-01-01T00:00:00", "s"))
    np.maximum.at(last, inverse, log.timestamp)
    days_since = np.asarray((_ANALYSIS_DATE - last) / np.timedelta64(1, "D"), dtype=np.float64)

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
    abc = abc_classes(revenue, cutoffs=(0.8, 0.95))

    scores = rfm_scores(
        time_since_last=days_since, frequency=purchases, monetary=revenue, customer_id=ids
    )
    segments = rfm_segments(scores)
    rfm_rows = [
        [name, number(int(n)), percent(int(n) / len(segments))]
        for name, n in zip(segments.names, segments.sizes, strict=True)
    ]

    top = tiers.segmentation.members(tiers.names[0])
    tier_now = np.asarray(company.customers.attributes["service_tier"])
    known = dict(zip(company.customers.customer_id.tolist(), tier_now.tolist(), strict=True))
    gold = sum(1 for cid in ids[top].tolist() if known.get(cid) == "gold")
    intro = (
        f"{number(ids.size)} customers bought from the company in 2024-2025. Ranked by "
        f"revenue, the top 20 % ({number(top.size)} customers) hold "
        f"{percent(float(tiers.value_share[0]))} of it; {number(gold)} of them are on the gold "
        "service tier today, so service levels per value tier start from this list."
    )
    measures = [
        [
            "top 20 % share",
            percent(float(tiers.value_share[0])),
            "the share of revenue the best-paying fifth of buyers brings: one point of the "
            "curve, the Pareto rule's question",
        ],
        [
            "Gini",
            f"{conc.gini:.2f}",
            "inequality over all buyers at once, from 0 (all spend the same) to 1 (one buyer "
            "brings everything); it moves even when the top 20 % do not",
        ],
        [
            "ABC class A",
            percent(float(abc.customer_share[0])),
            f"the smallest share of buyers ({number(int(abc.sizes[0]))}) that makes 80 % of "
            "revenue: the 80/20 rule read from the value side, so not 20 %",
        ],
    ]
    lines = [
        heading("Value tiers and RFM segments", width),
        computed_with(
            [
                "custcentric.segmentation.value_tiers",
                "custcentric.segmentation.concentration",
                "custcentric.segmentation.abc_classes",
                "custcentric.value.rfm_scores",
                "custcentric.segmentation.rfm_segments",
            ],
            width,
        ),
        paragraph(intro, width),
        "",
        text_table(
            ["value tier", "buyers", "share", f"revenue ({company.currency})", "revenue share"],
            tier_rows,
            width=width,
        ),
        "",
        paragraph(
            "Three measures of how concentrated revenue is; they answer different questions, "
            "so they differ:",
            width,
        ),
        text_table(["measure", "value", "what it says"], measures, width=width),
        "",
        paragraph(
            "RFM segments (quintile scores at 2026-01-01 of the days since the last purchase, "
            "the number of purchases and the revenue; the default rule table on the R x F "
            "grid):",
            width,
        ),
        text_table(["RFM segment", "buyers", "share"], rfm_rows, width=width),
    ]
    return "\n".join(lines)
