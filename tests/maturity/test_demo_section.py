"""The demo's maturity section reads well and stays quick."""

from __future__ import annotations

import time

from custcentric.cli._demo_maturity import maturity_section


def test_maturity_section(company):
    start = time.perf_counter()
    text = maturity_section(company, 88)
    assert time.perf_counter() - start < 5.0  # generous on a shared machine; about 0.1 s warm
    lines = text.splitlines()
    assert lines[0] == "Maturity stage, alignment and roadmap (custcentric.maturity)"
    assert "the company is at stage 1 (product_centric)" in " ".join(lines)
    assert "Alignment index 0.46" in text
    assert "Roadmap to customer_value: 35 steps in 7 waves; the first 5:" in text
    steps = [line for line in lines if "->" in line]
    assert len(steps) == 5
    assert all(len(line) <= 88 for line in lines)
