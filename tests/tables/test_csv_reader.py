"""read_csv: column mapping, date formats, .gz, whitespace, and error locations."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.tables import EventLog, InteractionLog, TransactionLog

HEADER = "customer_id,timestamp,amount\n"


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def test_read_csv_iso_and_gzip(tmp_path):
    text = HEADER + "C1,2024-01-01T10:00:00,5.5\nC2,2024-01-02,1e1\n"
    for name in ("t.csv", "t.csv.gz"):
        log = TransactionLog.read_csv(write(tmp_path, text, name))
        assert log.customer_id.tolist() == ["C1", "C2"]
        assert log.amount.tolist() == [5.5, 10.0]
        assert log.timestamp.dtype == np.dtype("datetime64[s]")
        assert str(log.timestamp[0]) == "2024-01-01T10:00:00"


def test_read_csv_integer_ids_and_mapping(tmp_path):
    path = write(tmp_path, "who;when;value\n0001;01/02/2024;3\n2;15/02/2024;4\n")
    log = TransactionLog.read_csv(
        path,
        delimiter=";",
        date_format="%d/%m/%Y",
        columns={"customer_id": "who", "timestamp": "when", "amount": "value"},
        ids="int",
    )
    assert log.customer_id.dtype == np.int64
    assert log.customer_id.tolist() == [1, 2]
    assert [str(t) for t in log.timestamp] == ["2024-02-01T00:00:00", "2024-02-15T00:00:00"]


def test_read_csv_compact_date_format_vectorised_and_strptime_agree(tmp_path):
    path = write(tmp_path, HEADER + "a,19970101,1\na,19971231,2\n")
    log = TransactionLog.read_csv(path, date_format="%Y%m%d")
    assert [str(t)[:10] for t in log.timestamp] == ["1997-01-01", "1997-12-31"]
    path = write(tmp_path, HEADER + "a,1997-01-01 08:30,1\n", "u.csv")
    log = TransactionLog.read_csv(path, date_format="%Y-%m-%d %H:%M")
    assert str(log.timestamp[0]) == "1997-01-01T08:30:00"


@pytest.mark.parametrize(
    ("body", "line", "column", "match"),
    [
        ("a,2024-01-01,1\nb,2024-01-02,-1\n", 3, "amount", "`amount` must be non-negative"),
        ("a,2024-01-01,nan\n", 2, "amount", "`amount` must be finite"),
        ("a,2024-01-01,inf\n", 2, "amount", "`amount` must be finite"),
        ("a,2024-01-01,1\na,2024-01-01,x\n", 3, "amount", "`amount` must be a number"),
        ("a,2024-13-01,1\n", 2, "timestamp", "ISO 8601"),
        ("a,,1\n", 2, "timestamp", "must not be empty"),
        (",2024-01-01,1\n", 2, "customer_id", "must not be empty"),
    ],
)
def test_read_csv_bad_cell_names_line_and_column(tmp_path, body, line, column, match):
    path = write(tmp_path, HEADER + body)
    with pytest.raises(DataFormatError, match=match) as info:
        TransactionLog.read_csv(path)
    assert info.value.line == line
    assert info.value.column == column
    assert info.value.path == str(path)
    assert f"line {line}" in str(info.value)


def test_read_csv_bad_date_with_format(tmp_path):
    path = write(tmp_path, HEADER + "a,19970101,1\na,19970231,1\n")
    with pytest.raises(DataFormatError, match="match '%Y%m%d'") as info:
        TransactionLog.read_csv(path, date_format="%Y%m%d")
    assert info.value.line == 3


def test_read_csv_missing_header_lists_available(tmp_path):
    path = write(tmp_path, "customer,timestamp,amount\na,2024-01-01,1\n")
    with pytest.raises(DataFormatError, match=r"missing column 'customer_id'.*'customer'"):
        TransactionLog.read_csv(path)


def test_read_csv_ragged_row_and_empty_file(tmp_path):
    with pytest.raises(DataFormatError, match="expected 3 fields") as info:
        TransactionLog.read_csv(write(tmp_path, HEADER + "a,2024-01-01\n"))
    assert info.value.line == 2
    with pytest.raises(DataFormatError, match="no header"):
        TransactionLog.read_csv(write(tmp_path, "", "e.csv"))


def test_read_csv_unknown_mapping_key(tmp_path):
    with pytest.raises(InvalidInputError, match="`columns` maps field names to headers") as info:
        TransactionLog.read_csv(write(tmp_path, HEADER), columns={"value": "price"})
    assert "reverse direction (header -> field)" in str(info.value)


def test_read_csv_header_only_gives_empty_table(tmp_path):
    assert len(TransactionLog.read_csv(write(tmp_path, HEADER))) == 0


def test_event_and_interaction_csv(tmp_path):
    events = write(
        tmp_path,
        "case_id,process,activity,timestamp,customer_id,department\n"
        "K1,claims,open,2024-01-01T08:00,C1,\nK1,claims,close,2024-01-02T08:00,C1,ops\n",
        "e.csv.gz",
    )
    log = EventLog.read_csv(events)
    assert log.department is not None
    assert log.department.tolist() == ["", "ops"]
    inter = write(
        tmp_path,
        "customer_id,timestamp,channel,direction,kind,outcome\n"
        "C1,2024-01-01,Email,inbound,complaint,\nC1,2024-01-02,web,outbound,offer,Converted\n",
        "i.csv",
    )
    ilog = InteractionLog.read_csv(inter)
    assert ilog.channel.tolist() == ["email", "web"]
    assert ilog.outcome.tolist() == ["", "converted"]
    bad = write(
        tmp_path,
        "customer_id,timestamp,channel,direction,kind,outcome\nC1,2024-01-01,web,inbound,x,\n",
        "j.csv",
    )
    with pytest.raises(DataFormatError, match=r"`kind` must be one of 'inquiry'") as info:
        InteractionLog.read_csv(bad)
    assert (info.value.line, info.value.column) == (2, "kind")


def test_quoted_fields_blank_lines_and_crlf_keep_line_numbers(tmp_path):
    text = HEADER + '"Doe, J",2024-01-01,1\n\n"x",2024-01-02,-1\n'
    with pytest.raises(DataFormatError, match="non-negative") as info:
        TransactionLog.read_csv(write(tmp_path, text))
    assert info.value.line == 4
    log = TransactionLog.read_csv(write(tmp_path, HEADER + '"Doe, J",2024-01-01,1\n', "q.csv"))
    assert log.customer_id.tolist() == ["Doe, J"]
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"customer_id,timestamp,amount\r\na,2024-01-01,1\r\nb,2024-01-02,2\r\n")
    assert TransactionLog.read_csv(crlf).customer_id.tolist() == ["a", "b"]


def test_whitespace_delimiter_ragged_and_blank_lines(tmp_path):
    text = "customer_id timestamp amount\n\n  a   2024-01-01  1\nb 2024-01-02\n"
    with pytest.raises(DataFormatError, match="expected 3 fields") as info:
        TransactionLog.read_csv(write(tmp_path, text), delimiter=None)
    assert info.value.line == 4
    fine = "customer_id timestamp amount\n\n  a   2024-01-01  1\n"
    log = TransactionLog.read_csv(write(tmp_path, fine, "w.txt"), delimiter=None)
    assert log.customer_id.tolist() == ["a"]


@pytest.mark.parametrize("delimiter", [",", None])
def test_long_and_short_rows_that_balance_are_still_caught(tmp_path, delimiter):
    sep = delimiter or " "
    text = sep.join(["customer_id", "timestamp", "amount"]) + "\n"
    text += sep.join(["a", "2024-01-01", "1", "9"]) + "\n" + sep.join(["b", "2024-01-02"]) + "\n"
    with pytest.raises(DataFormatError, match="expected 3 fields") as info:
        TransactionLog.read_csv(write(tmp_path, text), delimiter=delimiter)
    assert info.value.line == 2
