"""benchmarks/dask_scale.py runs at a tiny size, so it cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "dask_scale.py"


def test_the_scale_benchmark_runs_at_a_tiny_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = importlib.util.spec_from_file_location("dask_scale", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stages = module.main(
        [
            "--rows",
            "3000",
            "--file-rows",
            "1000",
            "--baseline-rows",
            "2000",
            "--dir",
            str(tmp_path),
            "--scheduler",
            "sync",
            "--compare",
        ]
    )
    labels = [label for label, _, _ in stages]
    assert labels[1:] == [
        "1. summary -> parquet",
        "2. compressed histories",
        "3. BG/NBD fit on the compressed table",
        "   gamma-gamma fit on a 1 % sample",
        "4. CLV scoring -> parquet",
    ]
    out = capsys.readouterr().out
    assert "x the np.sort baseline; peak RSS" in out
    assert (tmp_path / "clv").is_dir()
