"""The demo's maturity section reads well and stays quick."""

from __future__ import annotations

import re
import time

from custcentric.cli._demo_maturity import maturity_section


def test_maturity_section(company):
    start = time.perf_counter()
    text = maturity_section(company, 88)
    assert time.perf_counter() - start < 5.0  # generous on a shared machine; about 0.1 s warm
    lines = text.splitlines()
    assert lines[0] == "Maturity stage, alignment and roadmap"
    flat = " ".join(text.split())
    assert "the company is at stage 1 (product-centric)" in flat
    assert "block stage 2 (customer focus)" in flat
    assert "Alignment index 0.46" in text
    assert "Roadmap to stage 3 (customer value): 35 steps in 7 waves; the first 5:" in flat
    steps = [line for line in lines if re.fullmatch(r"\s+\d+\s{2}.+\s\d to \d", line)]
    assert len(steps) == 5
    assert "product_centric" not in text  # stages read as words, not enum values
    assert "customer_value" not in text
    assert all(len(line) <= 88 for line in lines)
