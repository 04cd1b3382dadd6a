"""The demo's metrics section on the bundled company."""

from __future__ import annotations

import time

import pytest

from custcentric.cli._demo_metrics import metrics_section
from custcentric.datasets import load_sample_company


@pytest.fixture(scope="module")
def company():
    return load_sample_company()


def test_section_reads_well_and_is_quick(company) -> None:
    start = time.perf_counter()
    text = metrics_section(company, 88)
    assert time.perf_counter() - start < 1.0
    lines = text.splitlines()
    assert lines[0] == "Satisfaction and loyalty by tier and process"
    assert "nan" not in text.lower().split()
    assert "Net Promoter Score over all 2,248 answers" in text
    tiers = [line.split()[0] for line in lines if line.startswith("  ") and " %" in line][:3]
    assert tiers == ["gold", "silver", "bronze"]
    flat = " ".join(metrics_section(company, 120).split())  # wide: no title wraps
    for process in company.processes:  # by title, never by id
        assert f" {process.name} " in flat
        if "-" in process.id:  # "installation" is also a word of a title
            assert process.id not in flat
    assert "relationship survey" in text


def test_section_respects_the_width(company) -> None:
    text = metrics_section(company, 50)
    prose = [line for line in text.splitlines() if not line.startswith("  ")]
    assert max(len(line) for line in prose) <= 50


def test_section_does_not_misread_overlapping_intervals(company) -> None:
    # Overlapping 95 % intervals do not mean "no difference" (two groups can overlap and still
    # differ significantly); the section used to say they "cannot tell those groups apart".
    text = " ".join(metrics_section(company, 88).split())
    assert "cannot tell" not in text
    assert "overlapping intervals can still hide a real difference" in text
