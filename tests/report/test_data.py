"""``--data DIR``: a company read from files in the sample company's layout, bad files refused."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import custcentric.datasets
from custcentric.exceptions import InvalidInputError
from custcentric.report import FILES, load_company, main

SAMPLE = Path(custcentric.datasets.__file__).parent / "data" / "company"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled company's files, plain CSVs (not gzipped) for easy editing."""
    out = tmp_path / "company"
    out.mkdir()
    for name in FILES:
        source = SAMPLE / name if (SAMPLE / name).exists() else SAMPLE / f"{name}.gz"
        if source.name.endswith(".gz"):
            (out / name).write_bytes(gzip.decompress(source.read_bytes()))
        else:
            shutil.copyfile(source, out / name)
    return out


def test_the_bundled_files_give_the_bundled_company(company: Any, folder: Path) -> None:
    loaded = load_company(folder)
    assert len(loaded.customers) == len(company.customers)
    assert len(loaded.transactions) == len(company.transactions)
    assert loaded.processes == company.processes
    assert loaded.slas == company.slas
    assert loaded.currency == company.currency


def test_a_missing_file_is_named(folder: Path) -> None:
    (folder / "events.csv").unlink()
    with pytest.raises(InvalidInputError, match=r"has no file 'events\.csv'"):
        load_company(folder)


def test_a_bad_value_names_the_file_the_line_and_the_column(folder: Path) -> None:
    path = folder / "transactions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("timestamp")] = "not a date"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"transactions\.csv', line 4, column 'timestamp'"):
        load_company(folder)


def test_a_bad_survey_score_names_its_line(folder: Path) -> None:
    path = folder / "surveys.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[3] = "many"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"surveys\.csv', line 6, column 'score'"):
        load_company(folder)


def test_a_score_off_the_scale_names_its_line(folder: Path) -> None:
    path = folder / "surveys.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[3] = "99"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"surveys\.csv', line 3"):
        load_company(folder)


def test_a_malformed_json_is_named(folder: Path) -> None:
    data = json.loads((folder / "slas.json").read_text(encoding="utf-8"))
    del data["slas"][0]["target"]
    (folder / "slas.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"slas\.json"):
        load_company(folder)


def test_cli_refuses_bad_data_and_writes_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "maturity.csv").write_text("department,capability_id\n", encoding="utf-8")
    out = tmp_path / "out" / "report.json"
    code = main(["--data", str(folder), "--format", "json", "--out", str(out), "--progress", "no"])
    assert code == 2
    err = capsys.readouterr().err
    assert "maturity.csv', line 1, column 'area'" in err
    assert not out.exists()
    assert not out.parent.exists()


def test_cli_reports_on_a_directory(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code = main(["--data", str(folder), "--format", "json", "--out", str(out), "--progress", "no"])
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["subtitle"].startswith("The company")
    assert data["sections"][0]["kpis"][0]["value"] == 5000
