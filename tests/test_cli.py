"""The command line: version, help, the demo, and ``python -m custcentric``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import custcentric
from custcentric.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"custcentric {custcentric.__version__}\n"


def test_no_command_prints_help_and_returns_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fly"]) == 2
    assert "invalid choice: 'fly'" in capsys.readouterr().err


def test_help_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "custcentric", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("custcentric ")


@pytest.mark.parametrize(
    ("width", "message"),
    [
        ("0", r"argument --width: must be at least 40 \(got 0\)"),
        ("-5", r"argument --width: must be at least 40 \(got -5\)"),
        ("wide", r"argument --width: must be a whole number \(got 'wide'\)"),
    ],
)
def test_demo_width_is_checked_as_a_usage_error(
    capsys: pytest.CaptureFixture[str], width: str, message: str
) -> None:
    # Before: a width <= 0 reached textwrap and ended in a ValueError traceback.
    assert main(["demo", "--width", width]) == 2
    assert re.search(message, capsys.readouterr().err)


def test_demo_into_a_closed_pipe_ends_quietly() -> None:
    # `custcentric demo | head -1`: the reader goes away before the report is written.
    child = subprocess.Popen(
        [sys.executable, "-m", "custcentric", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.close()
    with child.stderr:
        err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 1
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err


# --- docs/cli.md quotes the demo -------------------------------------------------------------

DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_docs_page_quotes_the_demo_as_it_prints() -> None:
    # The page shows the beginning of `custcentric demo` at 80 columns as plain text (not a
    # doctest), so pin it here: it must change when the report does.
    from custcentric.cli._demo import run_demo

    page = DOCS_PAGE.read_text(encoding="utf-8")
    report = run_demo(width=80)
    shown = page.split("### What the demo prints", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```text\n(.*?)\n```", shown, flags=re.S)
    assert len(blocks) >= 2
    assert report.startswith(blocks[0] + "\n\n")  # the title, the introduction, customers
    for block in blocks[1:]:  # whole sections, as printed
        assert f"\n\n{block}\n\n" in report
    # The paragraph on the concentration figures quotes the report.
    flat, prose = " ".join(report.split()), " ".join(shown.split())
    for figure in ("69.0 %", "0.66", "30.5 %", "75.3 %", "77.3 %", "351"):
        assert figure in flat, figure
        assert figure in prose, figure


def test_help_states_the_default_width(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "default: the terminal's width, or 80 when the output is not a terminal" in text
