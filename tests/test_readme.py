"""The README's example runs as written, and its two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize("block", _blocks("python"))
def test_readme_python_examples_run(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_readme_has_the_two_commands_and_ci_runs_the_test_command() -> None:
    commands = [block.strip() for block in _blocks("bash")]
    assert "python -m pip install . && custcentric demo" in commands
    test_command = 'python -m pip install -e ".[test]" && python -m pytest'
    assert test_command in commands
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
