"""The one ``progress=`` convention (``custcentric._progress``)."""

from __future__ import annotations

import builtins
import logging
from typing import Any

import pytest

from custcentric._progress import ProgressEvent, progress_reporter
from custcentric.exceptions import InvalidInputError


def test_a_callable_receives_one_event_per_step() -> None:
    events: list[ProgressEvent] = []
    with progress_reporter(events.append, "simulate", total=3) as report:
        for period in range(3):
            report.advance(f"period {period}")
    assert [(e.task, e.step, e.total, e.name) for e in events] == [
        ("simulate", 1, 3, "period 0"),
        ("simulate", 2, 3, "period 1"),
        ("simulate", 3, 3, "period 2"),
    ]


@pytest.mark.parametrize("progress", [None, False])
def test_silent(progress: object, capsys: pytest.CaptureFixture[str]) -> None:
    progress_reporter(progress, "fit", total=1).advance("x")
    assert capsys.readouterr() == ("", "")


def test_true_draws_a_tqdm_bar_on_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    with progress_reporter(True, "report", total=2) as report:
        report.advance("value")
        report.advance("segments")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "custcentric report" in captured.err


def test_true_without_tqdm_writes_lines_and_logs(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    real_import = builtins.__import__

    def no_tqdm(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    with caplog.at_level(logging.INFO, logger="custcentric"):
        progress_reporter(True, "resolve_identities", total=None).advance("block 1")
    assert capsys.readouterr().err == "custcentric resolve_identities: step 1 (block 1)\n"
    assert caplog.messages == ["custcentric resolve_identities: step 1 (block 1)"]


@pytest.mark.parametrize("progress", [1, 0.5, "yes", [print]])
def test_anything_else_is_refused(progress: object) -> None:
    with pytest.raises(InvalidInputError, match="`progress` must be None, True, False"):
        progress_reporter(progress, "fit")
