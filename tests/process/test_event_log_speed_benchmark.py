"""The event-log benchmark runs at a tiny size, so it cannot rot (no timing is asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "event_logs.py"


def test_event_log_benchmark_runs(capsys, tmp_path):
    spec = importlib.util.spec_from_file_location("benchmarks_event_logs", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = tmp_path / "no-such-python"
    argv = ["--sizes", "400", "--summary-sizes", "400", "--repeat", "1"]
    assert module.main([*argv, "--peer-python", str(missing)]) == 0
    out = capsys.readouterr().out
    assert "cycle_times (warm: same log)" in out
    assert "pandas/cc" in out
    assert "cc/argsort" in out
    assert "TransactionLog.summary" in out
    # A missing peer is said plainly, never silently left out.
    assert f"pm4py at 400: skipped: no peer environment at {missing}" in out
    assert f"lifetimes at 400: skipped: no peer environment at {missing}" in out
    assert "goal summary <= 2x argsort at 400:" in out
