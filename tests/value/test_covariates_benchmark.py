"""The covariates benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "covariates.py"


def test_covariates_benchmark_runs(capsys):
    spec = importlib.util.spec_from_file_location("benchmarks_covariates", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--size", "3000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "plain BG/NBD fit" in out
    assert "BG/NBD fit with 3 covariates" in out
    assert "purchase:score" in out
    assert "ratio" in out
