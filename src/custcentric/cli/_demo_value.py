"""The demo's customer-value section: BG/NBD and gamma-gamma on the bundled company."""

from __future__ import annotations

import textwrap

import numpy as np

from custcentric.cli._text import heading, number, percent, text_table
from custcentric.datasets import SampleCompany
from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value

__all__ = ["value_section"]


def value_section(company: SampleCompany, width: int) -> str:
    """Return the value section: who is worth what over the next twelve months.

    Fits BG/NBD (purchases) and gamma-gamma (spend) on the company's purchase history in
    weeks, values every customer over 12 mean months at 1 % a month and reports how much of
    the expected value the top decile holds.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = value_section(load_sample_company(), 88)
    >>> print(text.splitlines()[0])
    Customer value (BG/NBD + gamma-gamma, next 12 months)
    """
    log = company.transactions
    end = log.timestamp.max().astype("datetime64[D]") + np.timedelta64(1, "D")
    summary = log.summary(end, time_unit="W")
    purchases = BetaGeo.fit(summary)
    spend = GammaGamma.fit(summary)
    clv = customer_lifetime_value(
        purchases.model, spend.model, summary, horizon=12, time_unit="M", discount_rate=0.01
    )
    expected = purchases.model.conditional_expected_purchases(summary, t=365.25 / 7)
    alive = purchases.model.probability_alive(summary)
    order = np.argsort(clv)[::-1]
    n = clv.size
    cut = max(1, round(0.1 * n))
    top, rest = order[:cut], order[cut:]
    total = float(clv.sum())
    rows = [
        [
            "top 10 %",
            number(top.size),
            number(float(clv[top].mean()), 2),
            number(float(expected[top].mean()), 1),
            percent(float(alive[top].mean())),
            percent(float(clv[top].sum()) / total),
        ],
        [
            "other 90 %",
            number(rest.size),
            number(float(clv[rest].mean()), 2) if rest.size else "-",
            number(float(expected[rest].mean()), 1) if rest.size else "-",
            percent(float(alive[rest].mean())) if rest.size else "-",
            percent(float(clv[rest].sum()) / total),
        ],
    ]
    m = purchases.model
    intro = (
        f"BG/NBD on {number(n)} customers (r {m.r:.3f}, alpha {m.alpha:.2f} weeks, "
        f"a {m.a:.3f}, b {m.b:.3f}; converged: {'yes' if purchases.success else 'no'}) and "
        f"gamma-gamma spend (mean {number(spend.model.mean_spend, 2)} per purchase). "
        f"Expected value of the base over 12 months at 1 % a month: {number(total, 2)}; "
        f"the top decile holds {percent(float(clv[top].sum()) / total)} of it: the customers "
        "to Differentiate first."
    )
    lines = [
        heading("Customer value (BG/NBD + gamma-gamma, next 12 months)", width),
        textwrap.fill(intro, width=width),
        text_table(
            ["customers", "count", "mean CLV", "purchases", "P(alive)", "share"],
            rows,
        ),
    ]
    return "\n".join(lines)
