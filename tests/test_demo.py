"""``custcentric demo`` prints a readable overview of the bundled sample company."""

from __future__ import annotations

import functools
import importlib
import os
import re
import subprocess
import sys

import attrs
import numpy as np
import pytest

from custcentric.cli import main
from custcentric.cli._demo import SECTIONS, run_demo
from custcentric.cli._demo_segmentation import segmentation_section
from custcentric.cli._demo_sla import sla_section
from custcentric.cli._demo_value import value_section
from custcentric.datasets import load_sample_company
from custcentric.idic import IDICPipeline
from custcentric.segmentation import abc_classes, concentration, value_tiers

TITLES = (
    "Customers and their profile records",
    "Identify: one customer across channels",
    "Transactions",
    "Customer value over the next 12 months (BG/NBD and gamma-gamma)",
    "Value tiers and RFM segments",
    "Customer processes",
    "Customer-process cycle times and priorities",
    "SLA compliance by customer tier",
    "Contact-centre agents for 80 % of calls answered in 20 s (Erlang C)",
    "Interactions",
    "Survey answers",
    "Satisfaction and loyalty by tier and process",
    "Maturity stage, alignment and roadmap",
    "IDIC in one pipeline",
)


@functools.cache
def report(width: int) -> str:
    return run_demo(width=width)


def _revenue() -> np.ndarray:
    log = load_sample_company().transactions
    return np.bincount(np.unique(log.customer_id, return_inverse=True)[1], weights=log.amount)


def test_demo_prints_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert out == report(100) + "\n"
    for title in TITLES:
        assert f"\n{title}\n{'-' * len(title)}\n" in out, title
    assert "nan" not in out.lower().split()
    assert out.count("\n\n") >= len(SECTIONS)


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_every_line_fits_the_width(width: int) -> None:
    # Tables included: at 88 columns the process, SLA and satisfaction tables used to run
    # to 92-110 columns whatever --width said.
    lines = report(width).splitlines()
    assert max(len(line) for line in lines) <= width
    if width >= 80:  # the width is used, not just respected
        assert max(len(line) for line in lines) >= width - 2


def test_tables_wrap_inside_their_columns_before_they_break_up() -> None:
    # At 80 columns the SLA compliance table keeps its columns (SLA names wrap in theirs);
    # at 40 it cannot, and each SLA becomes a block of "header: value" lines.
    at_80, at_40 = report(80), report(40)
    assert re.search(r"\n  SLA +gold +silver +bronze +all +promised", at_80)
    assert "\n    promised: 90 %\n" in at_40


def test_default_width_is_the_terminal_width_or_80(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_terminal(*args: object) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", no_terminal)
    assert main(["demo"]) == 0  # standard output is no terminal: 80 columns
    assert capsys.readouterr().out == report(80) + "\n"
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["demo"]) == 0
    assert capsys.readouterr().out == report(120) + "\n"


def _named(text: str) -> list[str]:
    """The library names on the "Computed with" and "Read from" lines of a report."""
    named = []
    for block in re.findall(r"^(?:Computed with|Read from) .*?\.$", text, flags=re.M | re.S):
        named += re.findall(r"custcentric(?:\.\w+)+(?:\(\))?(?:\.\w+)*", " ".join(block.split()))
    return named


def _resolve(name: str) -> object:
    parts = name.replace("()", "").split(".")
    for k in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:k]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[k:]:
            target = getattr(target, attribute)
        return target
    raise AssertionError(name)


def test_every_section_names_the_library_calls_behind_it() -> None:
    text = report(100)
    for title in TITLES:
        after = text.split(f"\n{title}\n", 1)[1].splitlines()[1]
        assert after.startswith(("Computed with custcentric.", "Read from custcentric.")), title
    named = _named(text)
    assert "custcentric.value.customer_lifetime_value" in named
    assert "custcentric.segmentation.concentration" in named
    assert "custcentric.process.cycle_times" in named
    for name in named:
        assert callable(_resolve(name)), name


def test_processes_steps_and_slas_go_by_their_titles() -> None:
    text = report(120)
    company = load_sample_company()
    for process in company.processes:
        assert process.name in text
        if "-" in process.id:  # ids such as "installation" are words of the titles too
            assert process.id not in text, process.id
        for step in process.steps:
            if "_" in step.id:
                assert step.id not in text, step.id
    for sla in company.slas:
        assert sla.id not in text
        assert sla.name in text
    assert "relationship survey" in text
    assert "(relationship)" not in text


def test_money_is_stated_in_the_companys_currency() -> None:
    text = report(100)
    assert "Money is in euros (EUR)" in text
    assert "revenue EUR 2,520,154.20" in text
    for header in ("revenue (EUR)", "mean CLV (EUR)", "owed (EUR)"):
        assert header in text
    # The sections read the currency from the company, not from a constant.
    other = attrs.evolve(load_sample_company(), currency="CHF")
    for section in (value_section, segmentation_section, sla_section):
        shown = section(other, 100)
        assert "CHF" in shown, section.__name__
        assert "EUR" not in shown, section.__name__


def test_the_three_concentration_figures_are_the_librarys_and_explained() -> None:
    text = " ".join(report(120).split())
    revenue = _revenue()
    top = float(value_tiers(revenue).value_share[0])
    gini = concentration(revenue).gini
    a_share = float(abc_classes(revenue).customer_share[0])
    assert f"top 20 % share {100 * top:.1f} % the share of revenue" in text
    assert f"Gini {gini:.2f} inequality over all buyers" in text
    assert f"ABC class A {100 * a_share:.1f} % the smallest share of buyers" in text
    # The other two "top" figures say what makes them differ from the revenue one.
    assert f"more than the {100 * top:.1f} % of past revenue" in text
    run = IDICPipeline().run(load_sample_company(), rng=20261124)
    pipeline_top = float(np.asarray(run.differentiate.value_share)[0].sum())
    assert f"The top tier's {100 * pipeline_top:.1f} % of expected value is above" in text


def test_demo_reads_as_prose_not_reprs() -> None:
    text = report(80)
    for raw in ("np.", "array(", "float64", "None", "Kaplan-Meier, methods", "§"):
        assert raw not in text, raw
    # Every count or amount of four digits or more has thousands separators (dates and
    # years aside).
    assert not re.search(r"(?<![\d.,:-])\d{4,}(?![\d-])", text)


def test_demo_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "custcentric", "demo", "--width", "100"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == report(100) + "\n"
    assert done.stderr == ""
