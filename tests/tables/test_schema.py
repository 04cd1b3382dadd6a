"""The table base: one field schema per table drives checks, readers and writers alike."""

from __future__ import annotations

import re

import attrs
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
from custcentric.tables._table import Field, Table

TABLES = [TransactionLog, EventLog, InteractionLog, CustomerTable, CustomerSummary]

#: One valid table of each kind (two rows).
SAMPLES = {
    TransactionLog: lambda: TransactionLog.from_arrays(
        ["a", "b"], ["2024-01-01", "2024-01-02T10:00"], [1.0, 2.5]
    ),
    EventLog: lambda: EventLog.from_arrays(
        ["k1", "k1"], ["p", "p"], ["open", "close"], ["2024-01-01", "2024-01-02"], [7, 7]
    ),
    InteractionLog: lambda: InteractionLog.from_arrays(
        ["c1", "c2"],
        ["2024-01-01", "2024-01-02"],
        ["web", "phone"],
        ["inbound", "outbound"],
        ["inquiry", "offer"],
        ["resolved", ""],
    ),
    CustomerTable: lambda: CustomerTable.from_arrays(
        ["c1", "c2"], name=["Ada", ""], attributes={"region": ["north", "west"]}
    ),
    CustomerSummary: lambda: CustomerSummary.from_arrays(
        ["a", "b"], [1, 0], [3.0, 0.0], [5.0, 2.0], [4.0, 0.0], time_unit="W"
    ),
}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_the_schema_declares_the_leading_attributes_in_order(table: type[Table]) -> None:
    names = [a.name for a in attrs.fields(table)]
    schema = table._SCHEMA
    assert names[: len(schema.fields)] == list(schema.names)
    assert issubclass(table, Table)
    for field in schema.fields:
        assert field.doc, f"{table.__name__}.{field.name} has no doc"
        assert field.kind in ("id", "int", "float", "timestamp", "date", "text", "enum")
        assert (field.kind == "enum") == (field.enum is not None)
    assert schema.fields[0].required


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_every_route_runs_the_same_checks(table: type[Table]) -> None:
    sample = SAMPLES[table]()
    first = table._SCHEMA.fields[0].name
    short = {first: getattr(sample, first)[:1]}
    message = re.escape("must have the same length as")
    with pytest.raises(InvalidInputError, match=message):
        attrs.evolve(sample, **short)
    fields = {f: getattr(sample, f) for f in table._SCHEMA.names}
    with pytest.raises(InvalidInputError, match=message):
        table(**{**fields, **short})
    rebuilt = attrs.evolve(sample)
    assert len(rebuilt) == len(sample) == 2
    for name in table._SCHEMA.names:
        column = getattr(rebuilt, name)
        if column is not None:
            assert not column.flags.writeable


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_the_pandas_round_trip_keeps_every_column(table: type[Table]) -> None:
    pytest.importorskip("pandas")
    sample = SAMPLES[table]()
    frame = sample.to_pandas()
    kwargs = {"time_unit": "W"} if table is CustomerSummary else {}
    back = table.from_pandas(frame, **kwargs)  # type: ignore[call-arg]
    assert list(back.to_pandas().columns) == list(frame.columns)
    for name in table._SCHEMA.names:
        np.testing.assert_array_equal(getattr(back, name), getattr(sample, name))
    assert str(back) == str(sample)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_the_csv_reader_reads_what_the_frame_writes(table: type[Table], tmp_path) -> None:
    pytest.importorskip("pandas")
    sample = SAMPLES[table]()
    path = tmp_path / "t.csv"
    sample.to_pandas().to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    kwargs = {"time_unit": "W"} if table is CustomerSummary else {}
    back = table.read_csv(path, **kwargs)  # type: ignore[attr-defined]
    assert len(back) == len(sample)
    assert str(back) == str(sample)


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: TransactionLog.from_arrays([], [], []), "TransactionLog(0 transactions)"),
        (lambda: EventLog.from_arrays([], [], [], [], []), "EventLog(0 events)"),
        (
            lambda: InteractionLog.from_arrays([], [], [], [], []),
            "InteractionLog(0 interactions)",
        ),
        (lambda: CustomerTable.from_arrays([]), "CustomerTable(0 customers, attributes: none)"),
        (
            lambda: CustomerSummary.from_arrays([], [], [], []),
            "CustomerSummary(0 customers, time_unit='D', mean frequency 0.00, "
            "observation_end=None)",
        ),
    ],
)
def test_empty_tables_print_their_row_noun(make, text) -> None:
    assert str(make()) == text


@pytest.mark.parametrize("name", ["channel", "direction", "kind"])
def test_a_required_enum_column_given_none_is_refused_naming_the_options(name: str) -> None:
    columns = {
        "customer_id": ["c"],
        "timestamp": ["2024-01-01"],
        "channel": ["web"],
        "direction": ["inbound"],
        "kind": ["inquiry"],
        name: None,
    }
    with pytest.raises(InvalidInputError, match=rf"^`{name}` must be one of '.*' \(got None\)\.$"):
        InteractionLog.from_arrays(**columns)
    with pytest.raises(InvalidInputError, match=rf"`{name}` must be one of"):
        InteractionLog(**columns, outcome=None)  # type: ignore[arg-type]


def test_an_optional_enum_column_given_none_means_not_recorded() -> None:
    log = InteractionLog.from_arrays(["c"], ["2024-01-01"], ["web"], ["inbound"], ["idea"], None)
    assert log.outcome.tolist() == [""]
    stages = CustomerTable.from_arrays(["c1"], lifecycle_stage=None).lifecycle_stage
    assert stages.tolist() == ["identify"]


def test_a_field_converts_an_omitted_optional_column_to_its_default() -> None:
    monetary = Field("m", "float", "doc", required=False, default=0.0)
    assert monetary.convert(None, 3).tolist() == [0.0, 0.0, 0.0]
    assert Field("d", "text", "doc", required=False, missing=True).convert(None, 3) is None
    count = Field("n", "int", "doc", required=False, default=1)
    assert count.convert(None, 2).dtype == np.int64
    with pytest.raises(InvalidInputError, match=r"`n` must be non-negative \(index 0: -1\)"):
        Field("n", "int", "doc", non_negative=True).convert([-1], 1)


def test_the_event_log_reader_names_a_missing_required_header(tmp_path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("case_id,process,activity,timestamp\nk,p,a,2024-01-01\n")
    expected = (
        "missing column 'customer_id' for `customer_id` "
        "(available: 'case_id', 'process', 'activity', 'timestamp')."
    )
    with pytest.raises(DataFormatError, match=re.escape(expected)) as info:
        EventLog.read_csv(path)
    assert info.value.line == 1


def test_the_interaction_log_reader_names_a_value_outside_the_vocabulary(tmp_path) -> None:
    path = tmp_path / "i.csv"
    path.write_text(
        "customer_id,timestamp,channel,direction,kind\n"
        "c,2024-01-01,web,inbound,inquiry\nc,2024-01-02,web,sideways,inquiry\n"
    )
    expected = "line 3, column 'direction': `direction` must be one of 'inbound', 'outbound'"
    with pytest.raises(DataFormatError, match=re.escape(expected)):
        InteractionLog.read_csv(path)


def test_a_negative_frequency_in_a_summary_file_names_the_line(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("customer_id,frequency,recency,T\na,1,1.0,2.0\nb,-1,0.0,2.0\n")
    expected = "line 3, column 'frequency': `frequency` must be non-negative (got '-1')."
    with pytest.raises(DataFormatError, match=re.escape(expected)):
        CustomerSummary.read_csv(path)
    summary, bad = CustomerSummary.read_csv(path, errors="report")
    assert summary.customer_id.tolist() == ["a"]
    assert bad.line.tolist() == [3]
    assert bad.column.tolist() == ["frequency"]


def test_a_summary_file_is_checked_for_recency_above_t_before_later_columns(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("customer_id,frequency,recency,T,monetary\na,1,1.0,2.0,x\nb,1,3.0,2.0,1\n")
    with pytest.raises(DataFormatError, match=r"line 3, column 'recency': `recency` must not"):
        CustomerSummary.read_csv(path)
    summary, bad = CustomerSummary.read_csv(path, errors="report")
    assert len(summary) == 0
    assert bad.to_records() == [
        {"line": 2, "column": "monetary", "value": "x", "reason": "`monetary` must be a number"},
        {"line": 3, "column": "recency", "value": "3.0", "reason": "`recency` must not exceed `T`"},
    ]


def test_customer_table_from_pandas_maps_columns_in_either_direction() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"ID": ["c1", "c2"], "region": ["north", "west"]})
    for columns in ({"customer_id": "ID"}, {"ID": "customer_id"}):
        table = CustomerTable.from_pandas(frame, columns=columns)
        assert table.customer_id.tolist() == ["c1", "c2"]
        assert list(table.attributes) == ["region"]


def test_event_log_records_without_a_department_key_leave_it_unrecorded() -> None:
    base = {"case_id": 1, "process": "p", "activity": "a", "timestamp": "2024-01-01"}
    assert EventLog.from_records([{**base, "customer_id": 1}]).department is None
    log = EventLog.from_records(
        [{**base, "customer_id": 1}, {**base, "customer_id": 2, "department": "sales"}]
    )
    assert log.department is not None
    assert log.department.tolist() == ["", "sales"]
    assert log.event(1)["department"] == "sales"


def test_the_documented_fields_are_the_declared_fields() -> None:
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "docs" / "tables.md"
    documented = []
    for line in page.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].strip("`") in {t.__name__ for t in TABLES}:
            documented.append((cells[0].strip("`"), cells[1].strip("`"), cells[2], cells[3]))
    declared = []
    for table in TABLES:
        for f in table._SCHEMA.fields:
            kind = f.kind + (f" (`{f.enum.__name__}`)" if f.enum else "")
            kind += " (text)" if f.text_ids else ""
            declared.append(
                (table.__name__, f.name, kind, "required" if f.required else "optional")
            )
    assert documented == declared


def test_from_pandas_keeps_text_ids_as_text_and_integer_ids_as_int64() -> None:
    pd = pytest.importorskip("pandas")
    for ids, expected in ((["007", "8"], ["007", "8"]), ([7, 8], [7, 8])):
        frame = pd.DataFrame(
            {"customer_id": ids, "frequency": [0, 1], "recency": [0.0, 1.0], "T": [2.0, 2.0]}
        )
        summary = CustomerSummary.from_pandas(frame)
        assert summary.customer_id.tolist() == expected
        assert summary.customer_id.dtype.kind == ("U" if isinstance(ids[0], str) else "i")
    strings = pd.DataFrame(
        {
            "customer_id": pd.array(["007"], dtype="string"),
            "frequency": [0],
            "recency": [0.0],
            "T": [1.0],
        }
    )
    assert CustomerSummary.from_pandas(strings).customer_id.tolist() == ["007"]
