"""The benchmark entry point runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def test_benchmark_entry_point_runs(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_run", RUN)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "200", "500", "--repeat", "1", "--csv-size", "100"]) == 0
    out = capsys.readouterr().out
    assert "summary/lexsort" in out
    assert "goal summary <= 3x lexsort at 500 rows" in out
