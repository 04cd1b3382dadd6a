"""The SLA benchmark runs at a tiny size, and the demo section reads well."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from custcentric.cli._demo_sla import sla_section

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "sla.py"


def test_benchmark_runs_at_a_tiny_size(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_sla", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "50", "200", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "required_agents/erlang_c" in out
    assert "goal evaluate_slas <= 3x lexsort at 200 cases" in out


def test_demo_section(company):
    text = sla_section(company, 88)
    assert text.startswith("SLA compliance by customer tier")
    flat = " ".join(text.split())
    assert "90 % of faults repaired within 48 hours" in flat  # SLAs go by name, not id
    assert "repair-48h" not in text
    assert "compensation owed EUR 4,987.64" in flat
    assert "rostered" in text
    assert max(len(line) for line in text.splitlines()) <= 88
