"""The table base: one field schema per table drives its checks, readers and writers.

Each table declares its columns once, as a :class:`Schema` of :class:`Field` values (name,
kind, required or optional, default, doc). :class:`Table` then runs, for every route of
construction (``__init__``, :func:`attrs.evolve`, ``from_arrays``, ``from_records``,
``read_csv``, ``from_pandas``), the same conversion and checks in ``__attrs_post_init__``,
reads the columns of a CSV file or a DataFrame by the same declaration, and writes them back
(``to_pandas``, ``len``, ``str``, rows as dicts).

The kinds:

``id``
    int64 when the ids are integers, else non-empty text (``text_ids``: always text).
``int``, ``float``
    Whole numbers, finite floats (``non_negative`` refuses values below 0).
``timestamp``, ``date``
    ``datetime64[s]`` without NaT; ``datetime64[D]`` with NaT where missing.
``text``
    Non-empty text, or with ``missing`` text where ``""`` means missing.
``enum``
    The value strings of an :class:`enum.Enum`, matched case-insensitively on value or name
    (with ``missing``: ``""`` where not recorded).

Examples
--------
>>> from custcentric.tables import TransactionLog
>>> [(f.name, f.kind, f.required) for f in TransactionLog._SCHEMA.fields]
[('customer_id', 'id', True), ('timestamp', 'timestamp', True), ('amount', 'float', True)]
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, cast, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, frame_other_columns, make_frame
from custcentric._validation import (
    as_1d,
    as_float_array,
    as_int_array,
    as_str_array,
    check_equal_length,
    check_not_greater,
    fmt,
    to_enum_array,
)
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import (
    as_id_array,
    as_optional_text,
    as_timestamps,
    frozen,
    record_columns,
    record_list,
    scalar,
)
from custcentric.tables._csv import CsvColumns, CsvErrors, IdKind, read_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CsvLog", "Field", "Kind", "Schema", "Table", "as_dates", "as_optional_enum", "assign"]

Kind = Literal["id", "int", "float", "timestamp", "date", "text", "enum"]


@attrs.frozen
class Field:
    """One column of a table: its name, kind, whether it is required, its default and doc.

    Attributes
    ----------
    name : str
        The attribute, the record key and the default CSV header and DataFrame column.
    kind : {"id", "int", "float", "timestamp", "date", "text", "enum"}
        How values are converted and checked (see the module docstring).
    doc : str
        One line for the documentation.
    required : bool
        Whether a CSV file or a DataFrame must have the column (and records the key).
    default : object
        For an optional column: the value of every row when the column is omitted; None
        keeps the attribute None (the column was not recorded).
    missing : bool
        Whether single values may be missing (``""`` for text and enums, NaT for dates).
    non_negative : bool
        For numbers: refuse values below 0.
    enum : type of enum.Enum, optional
        The vocabulary of an ``enum`` column.
    text_ids : bool
        For ids: keep them as text always (no ``ids="int"``).

    Examples
    --------
    >>> from custcentric.tables._table import Field
    >>> Field("amount", "float", "Purchase value.", non_negative=True).required
    True
    """

    name: str
    kind: Kind
    doc: str
    required: bool = True
    default: object = None
    missing: bool = False
    non_negative: bool = False
    enum: type[enum.Enum] | None = None
    text_ids: bool = False

    def convert(self, values: Any, n: int) -> NDArray[Any] | None:
        """Return the checked column; ``n`` rows of the default when omitted (or None).

        Examples
        --------
        >>> from custcentric.tables._table import Field
        >>> Field("segment", "text", "", required=False, default="", missing=True).convert(
        ...     None, 2).tolist()
        ['', '']
        """
        name = self.name
        if values is None and not self.required and self.default is None:
            return None
        kind = self.kind
        if kind == "id":
            return as_str_array(values, name) if self.text_ids else as_id_array(values, name)
        if kind == "timestamp":
            return as_timestamps(values, name)
        if kind == "date":
            return as_dates(values, name, n)
        if kind == "text":
            if self.missing:
                return as_optional_text(values, name, n)
            return as_str_array(values, name)
        if kind == "enum":
            vocabulary = cast("type[enum.Enum]", self.enum)
            if self.missing:
                return as_optional_enum(values, vocabulary, name, n)
            if values is None:
                if not self.required:
                    return np.full(n, str(self.default))
                options = ", ".join(repr(m.value) for m in vocabulary)
                msg = f"`{name}` must be one of {options} (got None)."
                raise InvalidInputError(msg)
            return to_enum_array(values, vocabulary, name)
        if values is None and not self.required:
            return np.full(n, self.default, dtype=np.int64 if kind == "int" else np.float64)
        if kind == "int":
            return as_int_array(values, name, non_negative=self.non_negative)
        return as_float_array(values, name, non_negative=self.non_negative)

    def parse(self, table: CsvColumns, *, date_format: str | None, ids: str) -> NDArray[Any]:
        """Return the column parsed from CSV text, refusing (or recording) bad cells."""
        name, kind = self.name, self.kind
        if kind == "id":
            return table.ids(name) if self.text_ids else table.ids(name, ids)
        if kind == "int":
            values = table.integers(name)
            if self.non_negative:
                table.refuse(name, values < 0, "be non-negative")
            return values
        if kind == "float":
            return table.numbers(name, non_negative=self.non_negative)
        if kind == "timestamp":
            return table.times(name, date_format)
        if kind == "date":
            return table.times(name, date_format, unit="D", allow_empty=True)
        if kind == "text":
            return table.text(name, allow_empty=self.missing)
        return table.enums(name, cast("type[enum.Enum]", self.enum), allow_empty=self.missing)


@attrs.frozen
class Schema:
    """The columns of a table, in order, and its rules across columns.

    Attributes
    ----------
    fields : tuple of Field
        The columns; the first sets the number of rows.
    noun : str
        What one row is, plural (``"transactions"``), for ``str``.
    not_above : tuple of (str, str)
        Pairs ``(a, b)``: every ``a`` must not exceed its ``b`` (e.g. recency and T).
    extra : str, optional
        The mapping attribute that takes every other CSV header, DataFrame column or record
        key (e.g. ``"attributes"``); None ignores them.

    Examples
    --------
    >>> from custcentric.tables._table import Field, Schema
    >>> schema = Schema((Field("id", "id", ""), Field("note", "text", "", required=False)), "rows")
    >>> schema.names, schema.required
    (('id', 'note'), ('id',))
    """

    fields: tuple[Field, ...]
    noun: str
    not_above: tuple[tuple[str, str], ...] = ()
    extra: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The field names, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the required fields, in order."""
        return tuple(f.name for f in self.fields if f.required)


class Table:
    """The base of the tables: everything driven by the class's :class:`Schema`.

    A subclass is an ``attrs.frozen`` class whose first attributes are the schema's fields,
    in order; it may add options (attributes that are not columns) and hooks:
    :meth:`_extra_columns`, :meth:`_check_rows`, :meth:`_options` and :meth:`_describe`.

    Examples
    --------
    >>> from custcentric.tables import EventLog
    >>> log = EventLog.from_arrays([1], ["p"], ["a"], ["2024-01-01"], [9])
    >>> len(log), log.to_pandas().columns.tolist()
    (1, ['case_id', 'process', 'activity', 'timestamp', 'customer_id'])
    """

    __slots__ = ()
    _SCHEMA: ClassVar[Schema]

    def __attrs_post_init__(self) -> None:
        """Convert and check the columns, whatever the route of construction.

        ``__init__``, :func:`attrs.evolve` and every constructor end here: one validating
        pass per column, then the hooks, then read-only storage (an owned read-only array is
        shared, anything else copied).
        """
        schema = self._SCHEMA
        columns: dict[str, NDArray[Any] | None] = {}
        n = 0
        for k, field in enumerate(schema.fields):
            column = field.convert(getattr(self, field.name), n)
            if k == 0 and column is not None:
                n = column.size
            columns[field.name] = column
        extra = self._extra_columns()
        present = {k: v for k, v in columns.items() if v is not None}
        check_equal_length({**present, **extra})
        for low, high in schema.not_above:
            if present.get(low) is not None and present.get(high) is not None:
                check_not_greater(present[low], low, present[high], high)
        self._check_rows(present)
        options = self._options()
        stored: dict[str, Any] = {k: None if v is None else frozen(v) for k, v in columns.items()}
        if schema.extra is not None:
            # Read-only all the way down: a cached table (the bundled company) is shared by
            # every caller, so its attribute mapping must not be changeable either.
            stored[schema.extra] = types.MappingProxyType({k: frozen(v) for k, v in extra.items()})
        assign(self, **stored, **options)

    def _extra_columns(self) -> dict[str, NDArray[Any]]:
        """Return the checked extra columns (of the schema's ``extra`` mapping); none here."""
        return {}

    def _check_rows(self, columns: Mapping[str, NDArray[Any]]) -> None:
        """Check rules across rows of the converted columns (e.g. unique ids); none here."""

    def _options(self) -> dict[str, Any]:
        """Return the checked options (attributes that are not columns); none here."""
        return {}

    def _describe(self) -> list[str]:
        """Return the parts of ``str(self)`` after the row count; none here."""
        return []

    @classmethod
    def _new(cls, *columns: Any, **options: Any) -> Self:
        """Call the class with unchecked values: ``__attrs_post_init__`` converts and checks."""
        make: Any = cls
        return cast("Self", make(*columns, **options))

    @classmethod
    def _from_columns(
        cls, values: Mapping[str, Any], extra: Mapping[str, Any] | None, options: dict[str, Any]
    ) -> Self:
        """Build the table from one value per field (None where absent) and the options."""
        kwargs: dict[str, Any] = {f: values.get(f) for f in cls._SCHEMA.names}
        if cls._SCHEMA.extra is not None:
            kwargs[cls._SCHEMA.extra] = {} if extra is None else extra
        return cls._new(**kwargs, **options)

    @classmethod
    def _from_records(
        cls, records: Iterable[object], domain_type: type | None = None, **options: Any
    ) -> Self:
        """Build the table from mappings (or ``domain_type`` values) keyed by the fields.

        An optional field whose default is None stays None unless some record has its key.
        """
        schema = cls._SCHEMA
        items = record_list(records)
        lists = record_columns(
            items, schema.names, required=schema.required, domain_type=domain_type
        )
        values: dict[str, Any] = {}
        for field in schema.fields:
            keep_none = not field.required and field.default is None
            if keep_none and not any(_has_key(r, field.name) for r in items):
                values[field.name] = None
            else:
                values[field.name] = np.array(lists[field.name], dtype=object)
        return cls._from_columns(values, None, options)

    @classmethod
    def _read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None,
        delimiter: str | None,
        names: Sequence[str] | None,
        errors: str,
        date_format: str | None = None,
        ids: str = "str",
        **options: Any,
    ) -> Self | tuple[Self, CsvErrors]:
        """Read the schema's columns from CSV and build the table (see :class:`CsvLog`)."""
        schema = cls._SCHEMA
        table = read_columns(
            path,
            schema.names,
            columns=columns,
            required=schema.required,
            delimiter=delimiter,
            keep_extra=schema.extra is not None,
            names=names,
            errors=errors,
        )
        values: dict[str, NDArray[Any]] = {}
        for field in schema.fields:
            if field.name not in table.data:
                continue
            values[field.name] = field.parse(table, date_format=date_format, ids=ids)
            for low, high in schema.not_above:
                if field.name in (low, high) and low in values and high in values:
                    table.refuse(low, values[low] > values[high], f"not exceed `{high}`")
        built = cls._from_columns(
            {k: table.rows(v) for k, v in values.items()}, table.rows(table.extra), options
        )
        return cast("Self | tuple[Self, CsvErrors]", table.result(built))

    @classmethod
    def from_pandas(cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None) -> Self:
        """Build the table from a pandas DataFrame (needs the ``pandas`` extra).

        Parameters
        ----------
        frame : pandas.DataFrame
            One column per field (the optional ones may be left out).
        columns : mapping, optional
            Field name to column name, or the pandas ``rename`` direction (column to field).

        Raises
        ------
        InvalidInputError
            For a missing required column (listing those available), a time-zone-aware
            timestamp column, or any value the table's checks refuse.

        Examples
        --------
        >>> import pandas as pd
        >>> from custcentric.tables import TransactionLog
        >>> frame = pd.DataFrame({"cid": [1, 2], "timestamp": pd.to_datetime(["2024-01-01"] * 2),
        ...                       "amount": [1.0, 2.0]})
        >>> len(TransactionLog.from_pandas(frame, columns={"customer_id": "cid"}))
        2
        """
        return cls._from_frame(frame, columns)

    @classmethod
    def _from_frame(
        cls, frame: pd.DataFrame, columns: Mapping[str, str] | None, **options: Any
    ) -> Self:
        """Build the table from a frame's columns (extra columns kept if the schema says so)."""
        schema = cls._SCHEMA
        data = frame_columns(frame, schema.names, columns=columns, required=schema.required)
        extra = None
        if schema.extra is not None:
            extra = frame_other_columns(frame, schema.names, columns=columns)
        return cls._from_columns(data, extra, options)

    def to_pandas(self) -> pd.DataFrame:
        """Return the table as a DataFrame, one column per field (needs the ``pandas`` extra).

        A column that was not recorded (None) is left out; extra columns follow the fields.

        Examples
        --------
        >>> from custcentric.tables import TransactionLog
        >>> TransactionLog.from_arrays([1], ["2024-01-01"], [2.0]).to_pandas().shape
        (1, 3)
        """
        schema = self._SCHEMA
        frame: dict[str, NDArray[Any] | None] = {f: getattr(self, f) for f in schema.names}
        if schema.extra is not None:
            frame.update(getattr(self, schema.extra))
        return make_frame(frame)

    def _row(self, i: int) -> dict[str, Any]:
        """Return row ``i`` as Python values (datetime64 stays; None for an unrecorded column)."""
        row: dict[str, Any] = {}
        for name in self._SCHEMA.names:
            column = getattr(self, name)
            row[name] = None if column is None else scalar(column[i])
        return row

    def __len__(self) -> int:
        first: NDArray[Any] = getattr(self, self._SCHEMA.fields[0].name)
        return int(first.size)

    def __str__(self) -> str:
        parts = "".join(f", {p}" for p in self._describe())
        return f"{type(self).__name__}({len(self)} {self._SCHEMA.noun}{parts})"

    def _distinct(self, name: str, noun: str) -> str:
        return f"{np.unique(getattr(self, name)).size} {noun}"

    def _span(self, name: str) -> str:
        values: NDArray[np.datetime64] = getattr(self, name)
        return f"{values.min()} .. {values.max()}"


def _has_key(record: object, name: str) -> bool:
    """Whether a record carries ``name``: a mapping key, or an attribute of another value."""
    if isinstance(record, Mapping):
        return name in record
    return hasattr(record, name)


class CsvLog(Table):
    r"""A table whose CSV reader takes the common options: ids, dates, names, errors.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from custcentric.tables import EventLog
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = path.write_text("case_id,process,activity,timestamp,customer_id\nk,p,a,2024-01-01,7\n")
    >>> EventLog.read_csv(path, ids="int").case_id
    Traceback (most recent call last):
    ...
    custcentric.exceptions.DataFormatError: file '...e.csv', line 2, column 'case_id': `case_id` must be a whole number (got 'k').
    """

    __slots__ = ()

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["raise"] = ...,
    ) -> Self: ...

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["report"],
    ) -> tuple[Self, CsvErrors]: ...

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        delimiter: str | None = ",",
        names: Sequence[str] | None = None,
        ids: IdKind = "str",
        errors: Literal["raise", "report"] = "raise",
    ) -> Self | tuple[Self, CsvErrors]:
        r"""Read the table from a CSV file (``.gz`` decompressed transparently).

        Parameters
        ----------
        path : path-like
            The file, UTF-8 (a leading byte order mark is dropped); one header per field
            (the field names, e.g. ``customer_id,timestamp,amount``) unless mapped; the
            optional fields may be left out.
        columns : mapping, optional
            Field name to header, e.g. ``{"customer_id": "sample_id", "timestamp": "date"}``.
            The pandas ``rename`` direction (header to field, ``{"sample_id": "customer_id"}``)
            is accepted too when no key is a field name and the values are distinct field
            names; anything else raises :class:`~custcentric.exceptions.InvalidInputError`.
        date_format : str, optional
            None for ISO 8601, else a :func:`~datetime.datetime.strptime` format such as
            ``"%Y%m%d"`` (fixed-width formats are parsed vectorised).
        delimiter : str or None
            The field separator; None splits on runs of whitespace.
        names : sequence of str, optional
            The column names of a file **without** a header line: every line is data (the
            first is line 1). ``columns`` then maps fields to these names.
        ids : {"str", "int"}
            ``"str"`` (default) keeps ids as text exactly as written (``"000123"`` stays
            ``"000123"``); ``"int"`` parses them as int64 and refuses a cell that is not a
            whole number. It applies to every id column.
        errors : {"raise", "report"}
            ``"raise"`` (default): the first bad cell or ragged row raises and nothing is
            returned. ``"report"``: return ``(table, problems)``, the table of the good rows
            and a :class:`~custcentric.tables.CsvErrors` of every bad cell and row left out.

        Returns
        -------
        table or (table, CsvErrors)
            The pair only for ``errors="report"``.

        Raises
        ------
        DataFormatError
            For a missing header (listing those available), a damaged ``.gz``, broken
            quoting, or (with ``errors="raise"``) a bad cell or ragged row: the message and
            attributes name the file, 1-based line and column; nothing is returned.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import TransactionLog
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = path.write_text("id date value\n7 19970101 29.33\n7 19970118 x\n")
        >>> TransactionLog.read_csv(path, delimiter=None, date_format="%Y%m%d",
        ...     columns={"customer_id": "id", "timestamp": "date", "amount": "value"})
        Traceback (most recent call last):
        ...
        custcentric.exceptions.DataFormatError: file '...t.csv', line 3, column 'value': `amount` must be a number (got 'x').
        >>> _ = path.write_text("000123,2024-01-01,5\n000124,2024-01-02,7\n")
        >>> names = ["customer_id", "timestamp", "amount"]
        >>> TransactionLog.read_csv(path, names=names).customer_id.tolist()
        ['000123', '000124']
        >>> TransactionLog.read_csv(path, names=names, ids="int").customer_id.tolist()
        [123, 124]
        """
        return cls._read_csv(
            path,
            columns=columns,
            delimiter=delimiter,
            names=names,
            errors=errors,
            date_format=date_format,
            ids=ids,
        )


def as_dates(values: ArrayLike | None, name: str, n: int) -> NDArray[np.datetime64]:
    """Return dates at day resolution; None, ``""`` and NaT mean missing (all NaT if omitted).

    Examples
    --------
    >>> from custcentric.tables._table import as_dates
    >>> as_dates(["1980-02-29", None, ""], "birth_date", 3).tolist()
    [datetime.date(1980, 2, 29), None, None]
    >>> as_dates([1], "birth_date", 1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `birth_date` must hold dates or ISO 8601 strings (got dtype int64).
    """
    if values is None:
        return np.full(n, np.datetime64("NaT", "D"))
    raw = as_1d(values, name)
    if raw.dtype.kind == "M":
        return raw.astype("datetime64[D]")
    if raw.dtype.kind in "iufb":
        msg = f"`{name}` must hold dates or ISO 8601 strings (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    if raw.dtype.kind == "U":  # the usual case: one vectorised parse, no loop per row
        try:
            parsed: NDArray[np.datetime64] = np.where(raw == "", "NaT", raw).astype("datetime64[D]")
        except (TypeError, ValueError):
            pass  # the loop below names the first bad entry
        else:
            return parsed
    items = [
        "NaT" if v is None or (isinstance(v, str) and not v) else v
        for v in raw.tolist()  # dates, datetimes, strings, datetime64
    ]
    out = np.empty(len(items), dtype="datetime64[D]")
    for i, v in enumerate(items):
        try:
            if isinstance(v, dt.datetime):
                v = v.date()
            out[i] = np.datetime64(v, "D")
        except (TypeError, ValueError):
            msg = f"`{name}` must hold ISO 8601 dates (index {i}: {fmt(raw[i])})."
            raise InvalidInputError(msg) from None
    return out


def as_optional_enum(
    values: ArrayLike | None, vocabulary: type[enum.Enum], name: str, n: int
) -> NDArray[np.str_]:
    """Return enum value strings, ``""`` (or None, NaN) meaning not recorded; all ``""`` if omitted.

    Examples
    --------
    >>> from custcentric.domain import Outcome
    >>> from custcentric.tables._table import as_optional_enum
    >>> as_optional_enum(["RESOLVED", None], Outcome, "outcome", 2).tolist()
    ['resolved', '']
    >>> as_optional_enum(["maybe"], Outcome, "outcome", 1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `outcome` must be one of 'resolved', 'unresolved', 'responded', 'no_response', 'converted', 'declined', 'pending' or empty (index 0: 'maybe').
    """
    text = as_optional_text(values, name, n)
    present = text != ""
    result = np.full(text.size, "", dtype=f"<U{max(len(str(m.value)) for m in vocabulary)}")
    if present.any():
        index = np.flatnonzero(present)
        try:
            result[index] = to_enum_array(text[index], vocabulary, name)
        except InvalidInputError:
            lookup = {str(m.value) for m in vocabulary} | {m.name.lower() for m in vocabulary}
            bad = next(i for i in index.tolist() if str(text[i]).strip().lower() not in lookup)
            options = ", ".join(repr(m.value) for m in vocabulary)
            msg = f"`{name}` must be one of {options} or empty (index {bad}: {str(text[bad])!r})."
            raise InvalidInputError(msg) from None
    return result


def assign(table: object, **values: Any) -> None:
    """Store checked columns on a frozen attrs table (from ``__attrs_post_init__``)."""
    for name, value in values.items():
        object.__setattr__(table, name, value)
