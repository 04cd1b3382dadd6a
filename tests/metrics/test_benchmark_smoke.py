"""The metrics benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "metrics.py"


def test_metrics_benchmark_runs(capsys) -> None:
    spec = importlib.util.spec_from_file_location("benchmarks_metrics", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "300", "2000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "nps_by_group" in out
    assert "goal grouped <= 1x argsort at 2000 rows" in out
    assert "goal kaplan_meier <= 2x argsort at 2000 rows" in out
