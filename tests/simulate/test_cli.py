"""custcentric simulate: --example writes a scenario that runs; bad input exits with 2."""

from __future__ import annotations

import argparse
import json

from custcentric.simulate import Scenario
from custcentric.simulate._cli import add_arguments, run


def _run(argv):
    return run(add_arguments(argparse.ArgumentParser()).parse_args(argv))


def test_example_then_run(tmp_path, capsys):
    assert _run(["--example"]) == 0
    text = capsys.readouterr().out
    scenario = Scenario.from_dict(json.loads(text))
    assert scenario.name == "bundled company"
    small = scenario.replace("population.n_customers", 200)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(small.to_dict()), encoding="utf-8")
    out = tmp_path / "r.json"
    assert (
        _run(
            [
                str(path),
                "--replications",
                "3",
                "--horizon",
                "4",
                "--out",
                str(out),
                "--progress",
                "no",
            ]
        )
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n_replications"] == 3
    assert data["horizon"] == 4
    # An existing file is not replaced without --overwrite.
    assert _run([str(path), "--replications", "2", "--out", str(out), "--progress", "no"]) == 2
    assert "--out" in capsys.readouterr().err


def test_bad_scenarios_exit_with_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _run([str(bad), "--progress", "no"]) == 2
    assert "must be JSON" in capsys.readouterr().err
    bad.write_text(json.dumps({"schema_version": 1, "horizon": 3}), encoding="utf-8")
    assert _run([str(bad), "--progress", "no"]) == 2
    assert "population" in capsys.readouterr().err
    assert _run(["--progress", "no"]) == 2
