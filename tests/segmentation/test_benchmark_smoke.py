"""The segmentation benchmark runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "segmentation.py"


def test_segmentation_benchmark_runs(capsys) -> None:
    spec = importlib.util.spec_from_file_location("benchmarks_segmentation", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv = ["--sizes", "300", "--kmeans-sizes", "400", "--n-clusters", "3", "--repeat", "1"]
    assert module.main(argv) == 0
    out = capsys.readouterr().out
    assert "goal value_tiers <= 3x argsort at 300 customers" in out
    assert "goal rfm_segments <= 3x argsort at 300 customers" in out
    assert "goal kmeans <= 1.5x kmeans2 at 400 x 5" in out
