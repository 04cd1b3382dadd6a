"""The value benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "value.py"


def test_value_benchmark_runs(capsys, tmp_path):
    spec = importlib.util.spec_from_file_location("benchmarks_value", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--sizes", "3000", "--repeat", "1", "--no-lifetimes"]) == 0
    out = capsys.readouterr().out
    assert "BG/NBD fit" in out
    assert "Pareto/NBD fit" in out
    assert "lifetimes comparison skipped" in out
    assert "per-customer path" in out
    assert "expected spend" in out
    missing = tmp_path / "no-python"
    assert module.time_lifetimes({"data": {}, "k": 1}, missing).startswith("skipped")
