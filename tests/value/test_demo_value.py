"""The demo's value section on the bundled company."""

from __future__ import annotations

import re

import numpy as np

from custcentric.cli._demo_value import value_section
from custcentric.datasets import load_sample_company
from custcentric.segmentation import value_tiers
from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value


def test_value_section_reads_well() -> None:
    text = value_section(load_sample_company(), 88)
    lines = text.splitlines()
    assert lines[0] == "Customer value over the next 12 months (BG/NBD and gamma-gamma)"
    assert set(lines[1]) == {"-"}
    assert lines[2].startswith("Computed with custcentric.value.BetaGeo.fit")
    for tier in ("top 20 %", "20-50 %", "bottom 50 %"):
        assert f"\n  {tier} " in text
    assert "converged: yes" in text
    assert "mean CLV (EUR)" in text
    assert max(len(line) for line in lines) <= 88


def test_value_tiers_are_those_of_the_library() -> None:
    # The table's shares are value_tiers of the 12-month CLV, and they sum to 100 %.
    company = load_sample_company()
    log = company.transactions
    end = log.timestamp.max().astype("datetime64[D]") + np.timedelta64(1, "D")
    summary = log.summary(end, time_unit="W")
    clv = np.asarray(
        customer_lifetime_value(
            BetaGeo.fit(summary).model,
            GammaGamma.fit(summary).model,
            summary,
            horizon=12,
            time_unit="M",
            discount_rate=0.01,
        )
    )
    shares = value_tiers(clv).value_share
    text = value_section(company, 120)
    shown = [float(s) for s in re.findall(r"(\d+\.\d) %$", text, flags=re.M)]
    assert shown == [round(100 * float(s), 1) for s in shares]
    assert abs(sum(shown) - 100) < 0.2
    assert f"EUR {float(clv.sum()):,.2f}" in text
