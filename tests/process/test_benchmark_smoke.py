"""The process benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "process.py"


def test_process_benchmark_runs(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_process", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "300", "1000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "cycle/lexsort" in out
    assert "goal cycle_times <= 3x lexsort at 1,000 events" in out
    assert "pm4py" in out
    assert "km/lexsort" in out
