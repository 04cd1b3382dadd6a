"""The README's example runs as written, and its two commands are the ones CI runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_examples_print_what_they_show() -> None:
    blocks = _blocks("pycon")
    assert blocks, "the README has no example"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README.md[{i}]", "README.md", 0))
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} README examples failed"


def test_readme_has_the_two_commands_and_ci_runs_the_test_command() -> None:
    commands = [block.strip() for block in _blocks("bash")]
    assert "python -m pip install . && custcentric demo" in commands
    test_command = 'python -m pip install -e ".[test]" && python -m pytest'
    assert test_command in commands
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
