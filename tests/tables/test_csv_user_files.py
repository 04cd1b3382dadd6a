"""read_csv on a user's own files: no header, BOM, text ids, reported errors, mapping direction."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.tables import (
    CustomerSummary,
    CustomerTable,
    EventLog,
    InteractionLog,
    TransactionLog,
)
from custcentric.tables._csv import CsvErrors

HEADER = "customer_id,timestamp,amount\n"
FIELDS = ["customer_id", "timestamp", "amount"]


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


# 1. header-less files


@pytest.mark.parametrize(
    "body",
    ["a,2024-01-01,1\nb,2024-01-02,2\n", '"a",2024-01-01,1\n\nb,2024-01-02,2\n'],
    ids=["fast", "quoted"],
)
def test_names_reads_a_file_without_header(tmp_path, body):
    log = TransactionLog.read_csv(write(tmp_path, body), names=FIELDS)
    assert log.customer_id.tolist() == ["a", "b"]
    assert log.amount.tolist() == [1.0, 2.0]


def test_names_line_numbers_start_at_one(tmp_path):
    with pytest.raises(DataFormatError, match="non-negative") as info:
        TransactionLog.read_csv(write(tmp_path, "a,2024-01-01,-1\n"), names=FIELDS)
    assert (info.value.line, info.value.column) == (1, "amount")


def test_names_with_columns_mapping_and_whitespace(tmp_path):
    path = write(tmp_path, "7 19970101 2 29.33\n8 19970102 1 10\n", "cdnow.txt")
    log = TransactionLog.read_csv(
        path,
        names=["id", "date", "n", "value"],
        delimiter=None,
        date_format="%Y%m%d",
        columns={"customer_id": "id", "timestamp": "date", "amount": "value"},
        ids="int",
    )
    assert log.customer_id.tolist() == [7, 8]
    assert log.amount.tolist() == [29.33, 10.0]


def test_names_wrong_count_and_bad_names(tmp_path):
    path = write(tmp_path, "a,2024-01-01,1\nb,2024-01-02\n")
    with pytest.raises(DataFormatError, match="expected 3 fields as in `names`") as info:
        TransactionLog.read_csv(path, names=FIELDS)
    assert info.value.line == 2
    fine = write(tmp_path, "a,2024-01-01,1\n", "fine.csv")
    with pytest.raises(DataFormatError, match="missing column 'amount'") as info:
        TransactionLog.read_csv(fine, names=["customer_id", "timestamp", "price"])
    assert info.value.line is None
    for bad in ("customer_id", ["a", "a", "b"], [], ["a", ""]):
        with pytest.raises(InvalidInputError, match="`names`"):
            TransactionLog.read_csv(path, names=bad)


def test_names_empty_file_gives_empty_table(tmp_path):
    assert len(TransactionLog.read_csv(write(tmp_path, ""), names=FIELDS)) == 0


# 2. byte order mark


@pytest.mark.parametrize("name", ["bom.csv", "bom.csv.gz"])
def test_utf8_bom_is_not_part_of_the_first_header(tmp_path, name):
    path = write(tmp_path, b"\xef\xbb\xbf" + HEADER.encode() + b"a,2024-01-01,1\n", name)
    assert TransactionLog.read_csv(path).customer_id.tolist() == ["a"]
    table = CustomerTable.read_csv(write(tmp_path, b"\xef\xbb\xbfcustomer_id,tier\nc1,gold\n"))
    assert table.customer_id.tolist() == ["c1"]
    assert list(table.attributes) == ["tier"]


def test_non_utf8_file_names_the_file(tmp_path):
    path = write(tmp_path, HEADER.encode() + b"caf\xe9,2024-01-01,1\n")
    with pytest.raises(DataFormatError, match="not UTF-8") as info:
        TransactionLog.read_csv(path)
    assert info.value.path == str(path)


# 3. ids stay text


def test_ids_stay_text_by_default(tmp_path):
    path = write(tmp_path, HEADER + "000123,2024-01-01,1\n123,2024-01-02,2\n")
    log = TransactionLog.read_csv(path)
    assert log.customer_id.tolist() == ["000123", "123"]
    assert log.customer_id.dtype.kind == "U"
    assert len(log.summary("2024-01-02")) == 2  # two customers, not one


def test_ids_int_parses_and_refuses_non_integers(tmp_path):
    path = write(tmp_path, HEADER + "000123,2024-01-01,1\n-4,2024-01-02,2\n")
    log = TransactionLog.read_csv(path, ids="int")
    assert log.customer_id.dtype == np.int64
    assert log.customer_id.tolist() == [123, -4]
    bad = write(tmp_path, HEADER + "1,2024-01-01,1\nA1,2024-01-02,2\n", "b.csv")
    with pytest.raises(DataFormatError, match="must be a whole number") as info:
        TransactionLog.read_csv(bad, ids="int")
    assert (info.value.line, info.value.column) == (3, "customer_id")
    with pytest.raises(InvalidInputError, match="`ids` must be 'str' or 'int'"):
        TransactionLog.read_csv(path, ids="float")  # type: ignore[arg-type]


def test_ids_option_on_events_interactions_summary_customers(tmp_path):
    events = write(
        tmp_path,
        "case_id,process,activity,timestamp,customer_id\n01,p,a,2024-01-01,007\n",
        "e.csv",
    )
    assert EventLog.read_csv(events).case_id.tolist() == ["01"]
    log = EventLog.read_csv(events, ids="int")
    assert (log.case_id.tolist(), log.customer_id.tolist()) == ([1], [7])
    inter = write(
        tmp_path,
        "customer_id,timestamp,channel,direction,kind\n007,2024-01-01,web,inbound,inquiry\n",
        "i.csv",
    )
    assert InteractionLog.read_csv(inter).customer_id.tolist() == ["007"]
    assert InteractionLog.read_csv(inter, ids="int").customer_id.tolist() == [7]
    summary = write(tmp_path, "customer_id,frequency,recency,T\n007,1,1,2\n", "s.csv")
    assert CustomerSummary.read_csv(summary).customer_id.tolist() == ["007"]
    assert CustomerSummary.read_csv(summary, ids="int").customer_id.tolist() == [7]
    customers = write(tmp_path, "customer_id\n007\n", "c.csv")
    assert CustomerTable.read_csv(customers).customer_id.tolist() == ["007"]


# 4. errors="report"


def test_report_returns_good_rows_and_every_problem(tmp_path):
    body = (
        "a,2024-01-01,1\n"
        "b,2024-13-01,x\n"  # two bad cells
        "c,2024-01-03\n"  # ragged
        ",2024-01-04,4\n"  # empty id
        "e,2024-01-05,-5\n"
        "f,2024-01-06,6\n"
    )
    path = write(tmp_path, HEADER + body)
    log, bad = TransactionLog.read_csv(path, errors="report")
    assert isinstance(bad, CsvErrors)
    assert log.customer_id.tolist() == ["a", "f"]
    assert log.amount.tolist() == [1.0, 6.0]
    assert bad.path == str(path)
    assert bad.line.tolist() == [3, 3, 4, 5, 6]
    assert sorted(zip(bad.line.tolist(), bad.column.tolist(), strict=True))[:2] == [
        (3, "amount"),
        (3, "timestamp"),
    ]
    records = {(r["line"], r["column"]): r for r in bad.to_records()}
    assert records[(3, "amount")]["value"] == "x"
    assert records[(3, "amount")]["reason"] == "`amount` must be a number"
    assert records[(4, "")]["value"] == "c,2024-01-03"
    assert "expected 3 fields" in records[(4, "")]["reason"]
    assert records[(5, "customer_id")]["reason"] == "`customer_id` must not be empty"
    assert records[(6, "amount")]["value"] == "-5"
    assert "line 6, column 'amount': `amount` must be non-negative (got '-5')." in str(bad)
    with pytest.raises(DataFormatError, match="expected 3 fields") as info:
        TransactionLog.read_csv(path)  # the default stays all-or-nothing; rows checked first
    assert info.value.line == 4


def test_report_on_a_clean_file_is_empty(tmp_path):
    log, bad = TransactionLog.read_csv(
        write(tmp_path, HEADER + "a,2024-01-01,1\n"), errors="report"
    )
    assert len(log) == 1
    assert len(bad) == 0
    assert str(bad) == ""


def test_report_bad_errors_value(tmp_path):
    with pytest.raises(InvalidInputError, match="`errors` must be 'raise' or 'report'"):
        TransactionLog.read_csv(write(tmp_path, HEADER), errors="ignore")  # type: ignore[call-overload]


def test_report_with_date_format_int_ids_and_strptime(tmp_path):
    path = write(tmp_path, HEADER + "1,19970101,1\nx,19970231,2\n3,19970301,3\n")
    log, bad = TransactionLog.read_csv(path, date_format="%Y%m%d", ids="int", errors="report")
    assert log.customer_id.tolist() == [1, 3]
    assert sorted(bad.column.tolist()) == ["customer_id", "timestamp"]
    assert set(bad.line.tolist()) == {3}


def test_report_on_the_other_tables(tmp_path):
    inter = write(
        tmp_path,
        "customer_id,timestamp,channel,direction,kind,outcome\n"
        "c,2024-01-01,web,inbound,inquiry,\n"
        "c,2024-01-02,fax,sideways,inquiry,\n"
        "d,2024-01-03,email,outbound,offer,converted\n",
        "i.csv",
    )
    log, bad = InteractionLog.read_csv(inter, errors="report")
    assert log.customer_id.tolist() == ["c", "d"]
    assert sorted(bad.column.tolist()) == ["channel", "direction"]
    events = write(
        tmp_path,
        "case_id,process,activity,timestamp,customer_id,department\n"
        "k,p,a,2024-01-01,c,\nk,,a,2024-01-02,c,ops\nk,p,b,2024-01-03,c,ops\n",
        "e.csv",
    )
    elog, ebad = EventLog.read_csv(events, errors="report")
    assert elog.activity.tolist() == ["a", "b"]
    assert elog.department is not None
    assert elog.department.tolist() == ["", "ops"]
    assert (ebad.line.tolist(), ebad.column.tolist()) == ([3], ["process"])
    summary = write(
        tmp_path, "ID,frequency,recency,T\n1,1,1,2\n2,1.5,1,2\n3,1,5,2\n4,0,0,0\n", "s.csv"
    )
    s, sbad = CustomerSummary.read_csv(summary, columns={"ID": "customer_id"}, errors="report")
    assert s.customer_id.tolist() == ["1", "4"]
    assert sbad.line.tolist() == [3, 4]
    assert sbad.reason.tolist() == [
        "`frequency` must be a whole number",
        "`recency` must not exceed `T`",
    ]
    customers = write(
        tmp_path,
        "customer_id,birth_date,lifecycle_stage,region\n"
        "c1,1980-02-29,retain,north\nc2,1980-02-30,retain,south\nc3,,identify,east\n",
        "c.csv",
    )
    table, cbad = CustomerTable.read_csv(customers, errors="report")
    assert table.customer_id.tolist() == ["c1", "c3"]
    assert table.attributes["region"].tolist() == ["north", "east"]
    assert (cbad.line.tolist(), cbad.column.tolist()) == ([3], ["birth_date"])


def test_summary_recency_above_t_names_the_line(tmp_path):
    path = write(tmp_path, "customer_id,frequency,recency,T\n1,1,1,2\n2,1,3,2\n")
    with pytest.raises(DataFormatError, match="`recency` must not exceed `T`") as info:
        CustomerSummary.read_csv(path)
    assert (info.value.line, info.value.column) == (3, "recency")


# 5. mapping direction


def test_columns_accepts_the_rename_direction(tmp_path):
    path = write(tmp_path, "who,when,value\na,2024-01-01,1\n")
    forward = {"customer_id": "who", "timestamp": "when", "amount": "value"}
    reverse = {"who": "customer_id", "when": "timestamp", "value": "amount"}
    a = TransactionLog.read_csv(path, columns=forward)
    b = TransactionLog.read_csv(path, columns=reverse)
    assert a.customer_id.tolist() == b.customer_id.tolist() == ["a"]
    partial = write(tmp_path, "who,timestamp,amount\na,2024-01-01,1\n", "p.csv")
    assert TransactionLog.read_csv(partial, columns={"who": "customer_id"}).customer_id.size == 1


@pytest.mark.parametrize(
    "mapping",
    [
        {"who": "customer_id", "amount": "value"},  # mixed directions
        {"who": "customer_id", "when": "customer_id"},  # two headers for one field
        {"who": "client"},  # neither direction
    ],
)
def test_columns_ambiguous_mapping_says_the_direction(tmp_path, mapping):
    path = write(tmp_path, "who,when,value\na,2024-01-01,1\n")
    with pytest.raises(InvalidInputError, match="maps field names to headers"):
        TransactionLog.read_csv(path, columns=mapping)


# 6. file, line and column; nothing half-loaded


def test_truncated_gzip_names_the_file(tmp_path):
    rows = "".join(f"c{i},2024-01-01,{i}\n" for i in range(2000))
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress((HEADER + rows).encode())[:-40])
    with pytest.raises(DataFormatError, match="damaged or truncated") as info:
        TransactionLog.read_csv(path)
    assert info.value.path == str(path)
    not_gzip = write(tmp_path, HEADER, "plain.csv")
    renamed = not_gzip.rename(tmp_path / "plain.csv.gz")
    with pytest.raises(DataFormatError, match="damaged or truncated"):
        TransactionLog.read_csv(renamed)


def test_crlf_error_line_numbers(tmp_path):
    path = write(tmp_path, b"customer_id,timestamp,amount\r\na,2024-01-01,1\r\nb,2024-01-02,-2\r\n")
    with pytest.raises(DataFormatError, match="non-negative") as info:
        TransactionLog.read_csv(path)
    assert (info.value.line, info.value.column) == (3, "amount")
    quoted = write(tmp_path, b'customer_id,timestamp,amount\r\n"a,b",2024-01-01,1\r\n', "q.csv")
    assert TransactionLog.read_csv(quoted).customer_id.tolist() == ["a,b"]


def test_quoted_commas_and_quotes_in_ids(tmp_path):
    text = HEADER + '"Doe, J",2024-01-01,1\n"say ""hi""",2024-01-02,2\nplain,2024-01-03,3\n'
    log = TransactionLog.read_csv(write(tmp_path, text))
    assert log.customer_id.tolist() == ["Doe, J", 'say "hi"', "plain"]


@pytest.mark.parametrize("delimiter", [",", None])
def test_malformed_row_in_the_middle(tmp_path, delimiter):
    sep = delimiter or " "
    rows = [sep.join([f"c{i}", "2024-01-01", "1"]) for i in range(10)]
    rows[5] = sep.join(["c5", "2024-01-01", "1", "extra"])
    path = write(tmp_path, sep.join(FIELDS) + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataFormatError, match="expected 3 fields") as info:
        TransactionLog.read_csv(path, delimiter=delimiter)
    assert info.value.line == 7
    log, bad = TransactionLog.read_csv(path, delimiter=delimiter, errors="report")
    assert len(log) == 9
    assert bad.line.tolist() == [7]


def test_broken_quoting_raises_even_when_reporting(tmp_path):
    path = write(tmp_path, HEADER + 'a,2024-01-01,1\n"b,2024-01-02,2\n')
    with pytest.raises(DataFormatError) as info:
        TransactionLog.read_csv(path, errors="report")
    assert info.value.path == str(path)


def test_from_pandas_accepts_the_rename_direction_of_columns() -> None:
    pd = pytest.importorskip("pandas")
    from custcentric.tables import TransactionLog

    frame = pd.DataFrame(
        {
            "client": ["C1", "C2"],
            "at": pd.to_datetime(["2024-01-01", "2024-01-02"]),
            "eur": [1.0, 2.0],
        }
    )
    by_field = TransactionLog.from_pandas(
        frame, columns={"customer_id": "client", "timestamp": "at", "amount": "eur"}
    )
    by_header = TransactionLog.from_pandas(
        frame, columns={"client": "customer_id", "at": "timestamp", "eur": "amount"}
    )
    assert by_header.customer_id.tolist() == by_field.customer_id.tolist() == ["C1", "C2"]
    with pytest.raises(InvalidInputError, match="maps field names to headers"):
        TransactionLog.from_pandas(frame, columns={"client": "customer_id", "at": "when"})
