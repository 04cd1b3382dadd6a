"""The simulate benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "simulate.py"


def test_simulate_benchmark_runs(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_simulate", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--customers", "3000", "--weeks", "5", "--no-lifetimes"]) == 0
    out = capsys.readouterr().out
    assert "simulate, 1 replication" in out
    assert "peak RSS" in out
    assert "lifetimes generate_data skipped" in out
