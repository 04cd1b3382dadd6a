"""The maturity benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "maturity.py"


def test_maturity_benchmark_runs(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_maturity", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "20", "50", "--items", "10", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "ratio to one np.sort of the levels" in out
    assert "50 x 10" in out
    assert "kendall_w" in out
