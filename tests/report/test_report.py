"""The HTML report and its JSON twin: self-contained, deterministic, small, the same numbers."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from custcentric.exceptions import InvalidInputError
from custcentric.report import CSP, SECTION_IDS, ReportProgress, add_arguments, build, main
from custcentric.report._svg import prefix_ids


def test_page_is_one_html_document_with_every_section(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.rstrip().endswith("</html>")
    for section in SECTION_IDS:
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 18


def test_page_fetches_nothing(page: str) -> None:
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP
    assert "script-src" not in CSP
    for forbidden in ("<script", "<link", "<iframe", "@import", " src=", "<object", "<embed"):
        assert forbidden not in page, forbidden
    # Every reference is to the page itself (#id) or inline data.
    refs = re.findall(r'(?:href|xlink:href)="([^"]*)"', page)
    assert refs
    assert {r for r in refs if not r.startswith(("#", "data:"))} == set()
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page))
    # Namespace names are not fetched; no other address may appear.
    addresses = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_ids_are_unique_across_figures(page: str) -> None:
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    # Every in-page reference points at an id that exists.
    targets = set(re.findall(r'href="#([^"]+)"', page)) | set(re.findall(r"url\(#([^)]+)\)", page))
    assert targets <= set(ids)


def test_page_is_small_and_has_print_styles(page: str) -> None:
    assert len(page.encode("utf-8")) < 1_000_000
    assert "@media print" in page
    assert "break-before: page" in page
    assert "@page" in page


def test_page_is_byte_identical_for_the_same_input(company: Any, page: str) -> None:
    again = build(company)
    assert again == page


def test_json_has_the_same_numbers_as_the_page(
    company: Any, page: str, data: dict[str, Any]
) -> None:
    assert [s["id"] for s in data["sections"]] == list(SECTION_IDS)
    customers = data["sections"][0]
    kpis = {k["label"]: k["value"] for k in customers["kpis"]}
    assert kpis["customers"] == len(company.customers)
    assert kpis["profile records"] == len(company.profiles)
    for section in data["sections"]:
        for figure in section["figures"]:
            assert f'<figure id="figure-{figure["id"]}">' in page
        for table in section["tables"]:
            html = re.search(rf'<table id="table-{table["id"]}">.*?</table>', page, re.DOTALL)
            assert html is not None, table["id"]
            assert html.group(0).count("<tr>") == len(table["rows"]) + 1
    tiers = next(s for s in data["sections"] if s["id"] == "segments")["tables"][0]
    assert sum(row[1] for row in tiers["rows"]) == len(
        set(company.transactions.customer_id.tolist())
    )
    assert sum(row[4] for row in tiers["rows"]) == pytest.approx(1.0)


def test_json_is_strict_json(company: Any) -> None:
    text = build(company, format="json")
    assert "NaN" not in text
    assert "Infinity" not in text
    json.loads(text)


def test_build_refuses_bad_options() -> None:
    with pytest.raises(InvalidInputError, match="format"):
        build(format="pdf")
    with pytest.raises(InvalidInputError, match="progress"):
        build(format="json", progress="loud")  # type: ignore[arg-type]


def test_progress_reports_every_step_in_order(company: Any) -> None:
    events: list[ReportProgress] = []
    build(company, format="json", progress=events.append)
    assert [e.step for e in events] == list(range(1, len(events) + 1))
    assert events[-1].step == events[-1].total
    assert [e.name for e in events][: len(SECTION_IDS)] == list(SECTION_IDS)


def test_progress_true_draws_the_shared_bar_on_standard_error(
    company: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    text = build(company, format="json", progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert json.loads(text)
    assert "custcentric report" in captured.err


def test_prefix_ids_renames_ids_and_their_references_only() -> None:
    svg = '<g id="a"><use xlink:href="#a"/><use href="#b"/><rect clip-path="url(#a)"/></g>'
    assert prefix_ids(svg, "x-") == (
        '<g id="x-a"><use xlink:href="#x-a"/><use href="#b"/><rect clip-path="url(#x-a)"/></g>'
    )


def test_cli_writes_the_file_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    assert main(["--format", "json", "--out", str(out), "--progress", "no"]) == 0
    first = out.read_bytes()
    assert json.loads(first)["sections"][0]["id"] == "customers"
    out.write_bytes(b"keep me")
    assert main(["--format", "json", "--out", str(out), "--progress", "no"]) == 2
    assert "overwrite" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["--format", "json", "--out", str(out), "--overwrite", "--progress", "no"]) == 0
    assert out.read_bytes() == first
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_refuses_a_bad_format_and_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--format", "pdf"]) == 2
    (tmp_path / "taken").write_text("x")
    assert (
        main(["--format", "json", "--out", str(tmp_path / "taken" / "r.json"), "--progress", "no"])
        == 2
    )
    assert "custcentric report:" in capsys.readouterr().err


def test_add_arguments_gives_the_options() -> None:
    args = add_arguments(argparse.ArgumentParser()).parse_args(["--out", "r.html"])
    assert (args.out, args.format, args.overwrite, args.progress) == (
        "r.html",
        "html",
        False,
        "auto",
    )


def test_json_needs_no_matplotlib_and_html_names_the_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "sys.modules['matplotlib'] = None\n"
        "from custcentric.report import build\n"
        "from custcentric.exceptions import MissingDependencyError\n"
        "data = json.loads(build(format='json'))\n"
        "assert data['sections'][0]['id'] == 'customers'\n"
        "try:\n"
        "    build()\n"
        "except MissingDependencyError as error:\n"
        "    assert 'custcentric[plot]' in str(error)\n"
        "else:\n"
        "    raise AssertionError('no error without matplotlib')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_importing_the_report_imports_neither_matplotlib_nor_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, custcentric.report\n"
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'scipy', 'pandas'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
