"""The segmentation section of ``custcentric demo`` on the bundled company."""

from __future__ import annotations

from custcentric.cli._demo_segmentation import segmentation_section
from custcentric.datasets import load_sample_company


def test_section_reports_tiers_rfm_and_top_20_percent() -> None:
    text = segmentation_section(load_sample_company(), 88)
    lines = text.splitlines()
    assert lines[0] == "Value tiers and RFM segments"
    assert "the top 20 % (935 customers) hold" in " ".join(lines)
    for expected in ("top 20 %", "20-50 %", "bottom 50 %", "Champions", "Lost", "Hibernating"):
        assert expected in text
    assert max(len(line) for line in lines) <= 88
