"""The demo's customer-value section: BG/NBD and gamma-gamma on the bundled company."""

from __future__ import annotations

import numpy as np

from custcentric.cli._demo_facts import buyer_revenue
from custcentric.cli._text import (
    computed_with,
    heading,
    money,
    number,
    paragraph,
    percent,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.segmentation import value_tiers
from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value

__all__ = ["value_section"]


def value_section(company: SampleCompany, width: int) -> str:
    """Return the value section: who is worth what over the next twelve months.

    Fits BG/NBD (purchases) and gamma-gamma (spend) on the company's purchase history in
    weeks, values every buyer over 12 mean months at 1 % a month, and reports the value
    tiers of that expected value (top 20 %, next 30 %, bottom 50 % of buyers) beside the
    tiers of past revenue.

    Parameters
    ----------
    company : SampleCompany
        The bundled company (its ``transactions`` and ``currency``).
    width : int
        The longest line of the section.

    Returns
    -------
    str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = value_section(load_sample_company(), 88)
    >>> print(text.splitlines()[0])
    Customer value over the next 12 months (BG/NBD and gamma-gamma)
    """
    log = company.transactions
    end = log.timestamp.max().astype("datetime64[D]") + np.timedelta64(1, "D")
    summary = log.summary(end, time_unit="W")
    purchases = BetaGeo.fit(summary)
    spend = GammaGamma.fit(summary)
    # The models may return plain arrays or per-customer results: take the values either way.
    clv = np.asarray(
        customer_lifetime_value(
            purchases.model, spend.model, summary, horizon=12, time_unit="M", discount_rate=0.01
        ),
        dtype=np.float64,
    )
    expected = np.asarray(
        purchases.model.conditional_expected_purchases(summary, t=365.25 / 7), dtype=np.float64
    )
    alive = np.asarray(purchases.model.probability_alive(summary), dtype=np.float64)
    tiers = value_tiers(clv, customer_id=summary.customer_id)
    tier = np.asarray(tiers.tier) - 1
    counts = np.bincount(tier, minlength=len(tiers.names))
    mean_of = [
        np.bincount(tier, weights=x, minlength=counts.size) / counts for x in (clv, expected, alive)
    ]
    rows = [
        [
            name,
            number(int(counts[k])),
            number(float(mean_of[0][k]), 2),
            number(float(mean_of[1][k]), 1),
            percent(float(mean_of[2][k])),
            percent(float(tiers.value_share[k])),
        ]
        for k, name in enumerate(tiers.names)
    ]
    m = purchases.model
    total = float(clv.sum())
    past = buyer_revenue(company).tiers
    cur = company.currency
    intro = (
        f"BG/NBD on {number(clv.size)} buyers' purchases in weeks (r {m.r:.3f}, alpha "
        f"{m.alpha:.2f} weeks, a {m.a:.3f}, b {m.b:.3f}; converged: "
        f"{'yes' if purchases.success else 'no'}) and gamma-gamma spend (mean "
        f"{money(spend.model.mean_spend, cur)} a purchase). Expected value of the base over "
        f"the next 12 months, discounted at 1 % a month: {money(total, cur)}. The top 20 % "
        f"of buyers by expected value hold {percent(float(tiers.value_share[0]))} of it, more "
        f"than the {percent(float(past.value_share[0]))} of past revenue the top 20 % by "
        "revenue hold: buyers who have probably stopped buying are expected to bring little, "
        "however much they spent. These are the customers to Differentiate first."
    )
    lines = [
        heading("Customer value over the next 12 months (BG/NBD and gamma-gamma)", width),
        computed_with(
            [
                "custcentric.value.BetaGeo.fit",
                "custcentric.value.GammaGamma.fit",
                "custcentric.value.customer_lifetime_value",
                "custcentric.segmentation.value_tiers",
            ],
            width,
        ),
        paragraph(intro, width),
        text_table(
            [
                "CLV tier",
                "buyers",
                f"mean CLV ({cur})",
                "purchases in 12 months",
                "P(alive)",
                "share of CLV",
            ],
            rows,
            width=width,
        ),
    ]
    return "\n".join(lines)
