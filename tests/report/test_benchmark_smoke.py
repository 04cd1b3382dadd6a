"""The report benchmark runs (on the numbers only, once), so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "report.py"


def test_report_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("benchmarks_report", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--repeat", "1", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "baseline: import matplotlib" in out
    assert "ratio to the baseline" in out
    assert "value" in out
