"""``custcentric demo`` prints a readable overview of the bundled sample company."""

from __future__ import annotations

import subprocess
import sys

import pytest

from custcentric.cli import main
from custcentric.cli._demo import SECTIONS, run_demo


def test_demo_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for title in (
        "Customers and their profile records",
        "Transactions",
        "Customer processes",
        "Interactions",
        "Survey answers",
        "Maturity stage, alignment and roadmap (custcentric.maturity)",
        "Value tiers and RFM segments",
        "Customer-process cycle times and priorities",
        "Identify: one customer across channels",
        "SLA compliance by customer tier (evaluate_slas)",
        "Satisfaction and loyalty by tier and process",
        "Customer value (BG/NBD + gamma-gamma, next 12 months)",
        "IDIC in one pipeline",
    ):
        assert f"\n{title}\n" in out
    assert "The top 20 % of buyers bring" in out
    assert "nan" not in out.lower().split()
    assert out.count("\n\n") >= len(SECTIONS)


def test_demo_respects_the_width() -> None:
    report = run_demo(width=60)
    prose = [line for line in report.splitlines() if not line.startswith("  ")]
    assert max(len(line) for line in prose) <= 60


def test_demo_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "custcentric", "demo"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("custcentric demo: the bundled sample company\n")
    assert done.stderr == ""


def test_demo_fits_the_default_width() -> None:
    # Tables included: the process and SLA tables used to run to 92 and 110 columns.
    report = run_demo()
    assert max(len(line) for line in report.splitlines()) <= 88
