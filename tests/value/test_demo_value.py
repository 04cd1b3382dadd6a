"""The demo's value section on the bundled company."""

from __future__ import annotations

from custcentric.cli._demo_value import value_section
from custcentric.datasets import load_sample_company


def test_value_section_reads_well():
    text = value_section(load_sample_company(), 88)
    lines = text.splitlines()
    assert lines[0] == "Customer value (BG/NBD + gamma-gamma, next 12 months)"
    assert set(lines[1]) == {"-"}
    assert "top 10 %" in text
    assert "other 90 %" in text
    assert "converged: yes" in text
    assert max(len(line) for line in lines) <= 88
