"""read_csv on damaged or odd files (issue 13): a clear error naming file, line and column,
and nothing half-loaded. Complements test_csv_reader.py and test_csv_user_files.py."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.tables import (
    CustomerSummary,
    CustomerTable,
    EventLog,
    InteractionLog,
    TransactionLog,
)

HEADERS = {
    TransactionLog: "customer_id,timestamp,amount",
    CustomerSummary: "customer_id,frequency,recency,T,monetary",
    CustomerTable: "customer_id,name,email",
    EventLog: "case_id,process,activity,timestamp,customer_id",
    InteractionLog: "customer_id,timestamp,channel,direction,kind",
}
GOOD = {
    TransactionLog: "a,2024-01-01,10",
    CustomerSummary: "a,1,10,40,10",
    CustomerTable: "a,Ann Lee,ann@x.com",
    EventLog: "k1,p,open,2024-01-01T09:00,c1",
    InteractionLog: "c1,2024-01-01,email,inbound,inquiry",
}
#: A row whose one bad cell (by header) would be silently read as text or a number.
MIXED = {
    TransactionLog: ("b,2024-01-02,ten", "amount"),
    CustomerSummary: ("b,one,10,40,10", "frequency"),
    EventLog: ("k2,p,open,yesterday,c2", "timestamp"),
    InteractionLog: ("c2,2024-01-02,pigeon,inbound,inquiry", "channel"),
}


def _write(tmp_path: Path, name: str, text: str, *, crlf: bool = False, bom: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    raw = ("\ufeff" if bom else "") + data
    path = tmp_path / name
    payload = raw.encode("utf-8")
    path.write_bytes(gzip.compress(payload) if name.endswith(".gz") else payload)
    return path


def _read(cls: Any, path: Path) -> Any:
    return cls.read_csv(path)


@pytest.mark.parametrize("cls", list(MIXED), ids=lambda c: c.__name__)
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("name", ["t.csv", "t.csv.gz"])
def test_a_mixed_type_cell_in_the_middle_names_file_line_and_column(
    tmp_path: Path, cls: Any, crlf: bool, name: str
) -> None:
    bad, column = MIXED[cls]
    text = "\n".join([HEADERS[cls], GOOD[cls], "z" + GOOD[cls], bad, GOOD[cls]])
    path = _write(tmp_path, name, text + "\n", crlf=crlf, bom=True)
    with pytest.raises(DataFormatError) as info:
        _read(cls, path)
    assert info.value.line == 4
    assert info.value.column == column
    assert str(path) in str(info.value)
    assert "line 4" in str(info.value)


@pytest.mark.parametrize("cls", list(HEADERS), ids=lambda c: c.__name__)
def test_a_short_row_in_the_middle_names_the_line_for_every_table(tmp_path: Path, cls: Any) -> None:
    short = GOOD[cls].rsplit(",", 1)[0]
    text = "\n".join([HEADERS[cls], GOOD[cls], short, "z" + GOOD[cls]])
    with pytest.raises(DataFormatError, match="expected") as info:
        _read(cls, _write(tmp_path, "t.csv", text + "\n"))
    assert info.value.line == 3


@pytest.mark.parametrize("cls", list(HEADERS), ids=lambda c: c.__name__)
def test_a_quoted_comma_stays_in_its_cell_for_every_table(tmp_path: Path, cls: Any) -> None:
    first, rest = GOOD[cls].split(",", 1)
    text = "\n".join([HEADERS[cls], f'"{first},x",{rest}'])
    table = _read(cls, _write(tmp_path, "q.csv", text + "\n", crlf=True, bom=True))
    assert len(table) == 1
    ids = table.case_id if cls is EventLog else table.customer_id
    assert ids.tolist() == [f"{first},x"]


def test_an_unclosed_quote_names_the_file(tmp_path: Path) -> None:
    text = 'customer_id,timestamp,amount\na,2024-01-01,1\nb,"2024-01-02,2\nc,2024-01-03,3\n'
    path = _write(tmp_path, "t.csv", text)
    with pytest.raises(DataFormatError) as info:
        TransactionLog.read_csv(path)
    assert str(path) in str(info.value)


def test_a_truncated_gzip_is_refused_for_every_table(tmp_path: Path) -> None:
    for cls, header in HEADERS.items():
        rows = "".join(f"{f'{i}' + GOOD[cls]}\n" for i in range(2000))
        path = tmp_path / f"{cls.__name__}.csv.gz"
        path.write_bytes(gzip.compress(f"{header}\n{rows}".encode())[:-30])
        with pytest.raises(DataFormatError, match="damaged or truncated") as info:
            cls.read_csv(path)
        assert str(path) in str(info.value)


def test_paths_that_cannot_be_files_get_our_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"cannot be read \(Is a directory\)"):
        TransactionLog.read_csv(tmp_path)
    with pytest.raises(DataFormatError, match="cannot be read"):
        TransactionLog.read_csv(tmp_path / ("x" * 5000 + ".csv"))
    with pytest.raises(DataFormatError, match="NUL byte"):
        TransactionLog.read_csv(str(tmp_path / "a\x00.csv"))
    with pytest.raises(InvalidInputError, match=r"`path` must be a file path"):
        TransactionLog.read_csv(5)  # type: ignore[arg-type]
    # A missing file stays the standard error (it names the file).
    with pytest.raises(FileNotFoundError, match=r"missing\.csv"):
        TransactionLog.read_csv(tmp_path / "missing.csv")
