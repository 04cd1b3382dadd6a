"""The identity-resolution benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "idic.py"


def test_benchmark_runs_at_a_tiny_size(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_idic", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "300", "1000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "pairs/s" in out
    assert "argsort" in out
    assert "goal resolve_identities <= 300 s at 1000 records" in out
