"""The CSV reader shared by every table: column mapping, dates, ``.gz``, error locations.

A bad row raises :class:`~custcentric.exceptions.DataFormatError` naming the file, the
1-based line and the column header; nothing is returned half-loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import gzip
import io
import os
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import IO, Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._validation import field_mapping
from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.typing import DatetimeArray, FloatArray, IntArray, StrArray

__all__ = ["CsvColumns", "CsvErrors", "IdKind", "read_columns"]

IdKind = Literal["str", "int"]

_FIXED = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}
_INT = re.compile(r"[+-]?[0-9]+")


@attrs.frozen(eq=False)
class CsvErrors:
    r"""The bad cells and rows that ``read_csv(..., errors="report")`` left out.

    One entry per problem, ordered by line (then by field): a row with two bad cells appears
    twice, and a row with the wrong number of fields once (with ``column`` ``""``).

    Attributes
    ----------
    path : str
        The file that was read.
    line : ndarray of int64
        The 1-based file line of each problem.
    column : ndarray of str
        The header of the bad cell (``""`` for a whole row).
    value : ndarray of str
        The cell's text (the whole row, joined with the delimiter, for a ragged row).
    reason : ndarray of str
        What the cell must be, e.g. ``"`amount` must be non-negative"``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from custcentric.tables import TransactionLog
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("customer_id,timestamp,amount\na,2024-01-01,1\nb,2024-01-02,-1\n")
    >>> log, bad = TransactionLog.read_csv(path, errors="report")
    >>> len(log), len(bad), bad.line.tolist(), bad.column.tolist()
    (1, 1, [3], ['amount'])
    >>> print(bad)
    line 3, column 'amount': `amount` must be non-negative (got '-1').
    """

    path: str
    line: IntArray
    column: StrArray
    value: StrArray
    reason: StrArray

    def __len__(self) -> int:
        return int(self.line.size)

    def __str__(self) -> str:
        return "\n".join(
            f"line {ln}, column {col!r}: {why} (got {val!r})." if col else f"line {ln}: {why}."
            for ln, col, val, why in self._entries()
        )

    def _entries(self) -> zip[tuple[int, str, str, str]]:
        """Yield ``(line, column, value, reason)`` per problem, as Python values."""
        return zip(
            self.line.tolist(),
            self.column.tolist(),
            self.value.tolist(),
            self.reason.tolist(),
            strict=True,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Return one ``{"line", "column", "value", "reason"}`` dict per problem.

        Examples
        --------
        >>> from custcentric.tables._csv import CsvErrors
        >>> import numpy as np
        >>> e = CsvErrors("f.csv", np.array([2]), np.array(["amount"]), np.array(["x"]),
        ...               np.array(["`amount` must be a number"]))
        >>> e.to_records()[0]["line"]
        2
        """
        return [
            {"line": ln, "column": col, "value": val, "reason": why}
            for ln, col, val, why in self._entries()
        ]


@attrs.define(eq=False)
class CsvColumns:
    """The text of the requested columns of one CSV file and where each row came from.

    With ``report`` set, a bad cell is recorded (and its row marked) instead of raising;
    :meth:`rows` then drops the marked rows and :meth:`result` pairs the table with the
    :class:`CsvErrors`.
    """

    path: str
    headers: dict[str, str]  # field -> header
    data: dict[str, StrArray]  # field -> tokens
    extra: dict[str, StrArray]  # other headers -> tokens
    lines: IntArray  # 1-based file line of each row
    report: list[tuple[int, str, str, str]] | None = None  # (line, header, value, reason)
    bad: NDArray[np.bool_] | None = None  # rows with a recorded problem

    def fail(self, field: str, row: int, rule: str) -> DataFormatError:
        """Return the error for one bad cell (``row`` is the 0-based data row)."""
        token = self.data[field][row] if field in self.data else ""
        msg = f"`{field}` must {rule} (got {str(token)!r})."
        return DataFormatError(
            msg, path=self.path, line=int(self.lines[row]), column=self.headers[field]
        )

    def refuse(self, field: str, mask: NDArray[np.bool_], rule: str) -> None:
        """Raise for the first row of ``mask``, or record them all when reporting."""
        if not mask.any():
            return
        if self.report is None or self.bad is None:
            raise self.fail(field, int(np.argmax(mask)), rule)
        rows = np.flatnonzero(mask)
        tokens = self.data[field][rows].tolist()
        header = self.headers[field]
        for row, token in zip(rows.tolist(), tokens, strict=True):
            self.report.append((int(self.lines[row]), header, token, f"`{field}` must {rule}"))
        self.bad[rows] = True

    def rows(self, values: Any) -> Any:
        """Drop the rows with a recorded problem from a column, a dict of columns or None."""
        if self.bad is None or not self.bad.any() or values is None:
            return values
        if isinstance(values, dict):
            return {k: self.rows(v) for k, v in values.items()}
        return np.asarray(values)[~self.bad]

    def result(self, table: Any) -> Any:
        """Return ``table``, or ``(table, CsvErrors)`` when reporting."""
        if self.report is None:
            return table
        order = {h: k for k, h in enumerate(self.headers.values())}
        entries = sorted(self.report, key=lambda e: (e[0], order.get(e[1], -1)))
        return table, CsvErrors(
            path=self.path,
            line=np.array([e[0] for e in entries], dtype=np.int64),
            column=_text([e[1] for e in entries]),
            value=_text([e[2] for e in entries]),
            reason=_text([e[3] for e in entries]),
        )

    def text(self, field: str, *, allow_empty: bool = False) -> StrArray:
        """Return a text column, refusing empty cells unless ``allow_empty``."""
        tokens = self.data[field]
        if not allow_empty and tokens.size:
            self.refuse(field, np.char.str_len(tokens) == 0, "not be empty")
        return tokens

    def ids(self, field: str, kind: str = "str") -> NDArray[Any]:
        """Return an id column: text for ``kind="str"``, int64 for ``kind="int"``.

        Text ids keep every character (``"000123"`` stays ``"000123"``). With ``"int"`` every
        cell must be a whole number (optional sign, digits, within int64).
        """
        if kind not in ("str", "int"):
            msg = f"`ids` must be 'str' or 'int' (got {kind!r})."
            raise InvalidInputError(msg)
        tokens = self.text(field)
        if kind == "str":
            return tokens
        uniques, inverse = np.unique(tokens, return_inverse=True)
        good = np.array(
            [bool(_INT.fullmatch(t)) and abs(int(t)) < 2**63 for t in uniques.tolist()],
            dtype=bool,
        )
        empty = np.char.str_len(uniques) == 0 if uniques.size else good
        self.refuse(field, ~good[inverse] & ~empty[inverse], "be a whole number")
        numbers = np.where(good, uniques, "0").astype(np.int64) if uniques.size else good
        return np.asarray(numbers, dtype=np.int64)[inverse]

    def numbers(self, field: str, *, non_negative: bool = False) -> FloatArray:
        """Return a float column (``float()`` syntax); NaN, inf and (optionally) negatives fail."""
        tokens = self.data[field]
        try:
            values = tokens.astype(np.float64)
        except ValueError:
            uniques, inverse = np.unique(tokens, return_inverse=True)
            parsed = np.empty(uniques.size)
            ok = np.ones(uniques.size, dtype=bool)
            for k, token in enumerate(uniques.tolist()):
                try:
                    parsed[k] = float(token)
                except ValueError:
                    parsed[k], ok[k] = 0.0, False
            self.refuse(field, ~ok[inverse], "be a number")
            values = parsed[inverse]
        self.refuse(field, ~np.isfinite(values), "be finite")
        if non_negative:
            self.refuse(field, values < 0, "be non-negative")
        return values

    def integers(self, field: str) -> IntArray:
        """Return a whole-number column."""
        values = self.numbers(field)
        whole = np.isfinite(values) & (values == np.round(values))
        self.refuse(field, np.isfinite(values) & ~whole, "be a whole number")
        return np.where(whole, values, 0).astype(np.int64)

    def times(
        self, field: str, date_format: str | None, *, unit: str = "s", allow_empty: bool = False
    ) -> DatetimeArray:
        """Parse timestamps: ISO 8601 when ``date_format`` is None, else a strptime format."""
        tokens = self.text(field, allow_empty=allow_empty)
        if not allow_empty and self.bad is not None:
            # empty cells were recorded: parse the others
            empty = np.char.str_len(tokens) == 0 if tokens.size else None
        else:
            empty = np.char.str_len(tokens) == 0 if allow_empty and tokens.size else None
        if empty is not None and empty.any():
            result = np.full(tokens.size, "NaT", dtype=f"datetime64[{unit}]")
            keep = ~empty
            result[keep] = self._parse_times(tokens[keep], field, date_format, unit, keep)
            return result
        return self._parse_times(tokens, field, date_format, unit, None)

    def _parse_times(
        self,
        tokens: StrArray,
        field: str,
        date_format: str | None,
        unit: str,
        kept: NDArray[np.bool_] | None,
    ) -> DatetimeArray:
        iso = tokens if date_format is None else _to_iso(tokens, date_format)
        if iso is not None:
            try:
                return iso.astype(f"datetime64[{unit}]")
            except ValueError:
                pass
        rows = np.arange(self.lines.size) if kept is None else np.flatnonzero(kept)
        parsed = np.empty(tokens.size, dtype=f"datetime64[{unit}]")
        failed = np.zeros(tokens.size, dtype=bool)
        rule = "be an ISO 8601 timestamp" if date_format is None else f"match {date_format!r}"
        for i, token in enumerate(tokens.tolist()):
            try:
                if date_format is None:
                    parsed[i] = token
                else:
                    stamp = dt.datetime.strptime(token, date_format)
                    parsed[i] = stamp.isoformat()
            except ValueError:
                if self.report is None:
                    raise self.fail(field, int(rows[i]), rule) from None
                failed[i] = True
                parsed[i] = np.datetime64("1970-01-01")
        failed |= np.isnat(parsed)
        mask = np.zeros(self.lines.size, dtype=bool)
        mask[rows[failed]] = True
        self.refuse(field, mask, rule)
        return parsed

    def enums(
        self, field: str, enum_type: type[enum.Enum], *, allow_empty: bool = False
    ) -> StrArray:
        """Return the canonical enum value strings; an unknown value lists the options."""
        tokens = self.text(field, allow_empty=allow_empty)
        uniques, inverse = np.unique(tokens, return_inverse=True)
        lookup = {str(m.value).lower(): str(m.value) for m in enum_type}
        lookup.update({m.name.lower(): str(m.value) for m in enum_type})
        if allow_empty or self.bad is not None:  # empty cells were refused by text()
            lookup[""] = ""
        known = np.array([v.strip().lower() in lookup for v in uniques.tolist()], dtype=bool)
        if uniques.size:
            options = ", ".join(repr(m.value) for m in enum_type)
            self.refuse(field, ~known[inverse], f"be one of {options}")
        mapped = [lookup.get(v.strip().lower(), "") for v in uniques.tolist()]
        out = np.array(mapped, dtype=np.str_)[inverse] if mapped else tokens
        return np.asarray(out, dtype=np.str_)


def _to_iso(tokens: StrArray, date_format: str) -> StrArray | None:
    """Rewrite fixed-width dates (e.g. ``%Y%m%d``) as ISO text by slicing; None if unsuited."""
    parts = re.findall(r"%.|[^%]", date_format)
    width = 0
    positions: dict[str, int] = {}
    for part in parts:
        if part.startswith("%") and part not in _FIXED:
            return None
        if part in _FIXED:
            positions[part] = width
        width += _FIXED.get(part, 1)
    if "%Y" not in positions or tokens.size == 0:
        return None
    if not (np.char.str_len(tokens) == width).all():
        return None
    chars = np.ascontiguousarray(tokens.astype(f"<U{width}")).view("<U1").reshape(-1, width)
    layout = ["%Y", "-", "%m", "-", "%d", "T", "%H", ":", "%M", ":", "%S"]
    columns: list[NDArray[np.str_]] = []
    for part in layout:
        if part in _FIXED:
            start = positions.get(part)
            if start is None:
                fill = "01" if part in ("%m", "%d") else "00"
                columns.extend(np.full(tokens.size, c) for c in fill)
            else:
                columns.extend(chars[:, start + j] for j in range(_FIXED[part]))
        else:
            columns.append(np.full(tokens.size, part))
    iso = np.ascontiguousarray(np.stack(columns, axis=1)).view("<U19").reshape(-1)
    digits = np.char.isdigit(
        np.char.replace(np.char.replace(np.char.replace(iso, "-", ""), ":", ""), "T", "")
    )
    return iso if digits.all() else None


def _open(path: str) -> IO[str]:
    # "utf-8-sig" drops a byte order mark, which would otherwise start the first header
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _read_text(name: str) -> str:
    """Return the whole text of the file; a damaged ``.gz`` or non-UTF-8 bytes name the file.

    A missing file raises :class:`FileNotFoundError` as before; a path that cannot be a file
    (a directory, a name too long, a NUL byte) or one that cannot be read raises
    :class:`~custcentric.exceptions.DataFormatError` naming it.
    """
    if "\x00" in name:
        raise DataFormatError("the path must not contain a NUL byte.", path=repr(name)[1:-1])
    try:
        with _open(name) as handle:
            return handle.read()
    except FileNotFoundError:
        raise
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:  # BadGzipFile is an OSError
        msg = f"the compressed file is damaged or truncated ({error})."
        raise DataFormatError(msg, path=name) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        msg = f"the file cannot be read ({reason})."
        raise DataFormatError(msg, path=name) from None
    except UnicodeDecodeError as error:
        msg = f"the file is not UTF-8 text ({error.reason} at byte {error.start})."
        raise DataFormatError(msg, path=name) from None


def read_columns(
    path: str | os.PathLike[str],
    fields: Sequence[str],
    *,
    columns: Mapping[str, str] | None,
    required: Sequence[str],
    delimiter: str | None = ",",
    keep_extra: bool = False,
    names: Sequence[str] | None = None,
    errors: str = "raise",
) -> CsvColumns:
    """Read the text of ``fields`` (mapped to headers by ``columns``) from a CSV file.

    ``delimiter=None`` splits on runs of whitespace. Optional fields whose header is absent
    are left out of ``data``; with ``keep_extra`` every other header is returned in ``extra``.
    ``names`` gives the headers of a file without a header line (every line is data).
    ``errors="report"`` records bad cells and ragged rows instead of raising.
    """
    given: object = path  # callers may pass anything: check before os.fspath
    if not isinstance(given, str | os.PathLike):
        msg = f"`path` must be a file path, a str or os.PathLike (got {type(given).__name__})."
        raise InvalidInputError(msg)
    fspath: object = os.fspath(given)
    if not isinstance(fspath, str):
        msg = f"`path` must be a text path (got {type(fspath).__name__})."
        raise InvalidInputError(msg)
    name = fspath
    if errors not in ("raise", "report"):
        msg = f"`errors` must be 'raise' or 'report' (got {errors!r})."
        raise InvalidInputError(msg)
    header_names = _check_names(names)
    mapping = field_mapping(columns or {}, fields)
    text = _read_text(name)
    report: list[tuple[int, str, str, str]] | None = [] if errors == "report" else None
    split = _split_fast(text, delimiter, header_names)
    if split is None:
        split = _split_rows(text, delimiter, name, header_names, report)
    header, header_line, transposed, body_lines = split
    position = {h: j for j, h in enumerate(header)}
    headers = {f: mapping.get(f, f) for f in fields}
    for f in required:
        if headers[f] not in position:
            available = ", ".join(repr(h) for h in header)
            msg = f"missing column {headers[f]!r} for `{f}` (available: {available})."
            raise DataFormatError(msg, path=name, line=header_line, column=headers[f])
    data: dict[str, StrArray] = {}
    for f in fields:
        if headers[f] in position:
            data[f] = _text(transposed[position[headers[f]]])
    used = {headers[f] for f in data}
    extra = {h: _text(transposed[j]) for h, j in position.items() if keep_extra and h not in used}
    lines = np.asarray(body_lines, dtype=np.int64)
    return CsvColumns(
        path=name,
        headers=headers,
        data=data,
        extra=extra,
        lines=lines,
        report=report,
        bad=None if report is None else np.zeros(lines.size, dtype=bool),
    )


def _check_names(names: Sequence[str] | None) -> list[str] | None:
    """Return ``names`` as a list of distinct, non-empty strings (None stays None)."""
    if names is None:
        return None
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        msg = f"`names` must be a sequence of column names (got {names!r})."
        raise InvalidInputError(msg)
    out = list(names)
    if not out or len(set(out)) != len(out) or "" in out:
        msg = f"`names` must be distinct, non-empty column names (got {out!r})."
        raise InvalidInputError(msg)
    return out


Split = tuple[list[str], int | None, list[list[str]], list[int]]
Report = list[tuple[int, str, str, str]]


def _split_fast(text: str, delimiter: str | None, names: list[str] | None) -> Split | None:
    """Split unquoted, rectangular text with one ``str.split``; None when that is not safe."""
    body = text.replace("\r\n", "\n").rstrip("\n")
    if (
        not body
        or body[0] == "\n"
        or "\n\n" in body
        or "\r" in body
        or (delimiter is not None and '"' in body)
    ):
        return None
    if names is None:
        first, _, rest = body.partition("\n")
        header = first.split(delimiter)
        if delimiter is None and (not header or first != first.strip()):
            return None
        n_lines, first_line = body.count("\n"), 2
    else:
        header, rest = names, body
        n_lines, first_line = body.count("\n") + 1, 1
    tokens = rest.replace("\n", delimiter or " ").split(delimiter) if rest else []
    n_cols = len(header)
    if len(tokens) != n_cols * n_lines:
        return None
    if rest:  # equal totals could hide one long and one short row: check each line
        if delimiter is None:
            per_line = np.array([len(line.split()) for line in rest.split("\n")])
            if (per_line != n_cols).any():
                return None
        elif (np.char.count(np.array(rest.split("\n")), delimiter) != n_cols - 1).any():
            return None
    columns = [tokens[j::n_cols] for j in range(n_cols)]
    header_line = 1 if names is None else None
    return header, header_line, columns, list(range(first_line, n_lines + first_line))


def _split_rows(
    text: str,
    delimiter: str | None,
    name: str,
    names: list[str] | None,
    report: Report | None,
) -> Split:
    """Split text row by row (quotes, blank lines, ragged rows); each row keeps its line."""
    rows: list[list[str]] = []
    lines: list[int] = []
    if delimiter is None:
        for number, line in enumerate(text.splitlines(), start=1):
            cells = line.split()
            if cells:
                rows.append(cells)
                lines.append(number)
        return _transpose(rows, lines, name, names, report, " ")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if cells:
                rows.append(cells)
                lines.append(reader.line_num)
    except csv.Error as error:
        raise DataFormatError(str(error), path=name, line=reader.line_num) from None
    return _transpose(rows, lines, name, names, report, delimiter)


def _transpose(
    rows: list[list[str]],
    lines: list[int],
    name: str,
    names: list[str] | None,
    report: Report | None,
    delimiter: str,
) -> Split:
    """Check every row against the header and return the header, columns and body lines.

    A row with the wrong number of fields raises, or is recorded in ``report`` and left out.
    """
    if names is not None:
        header, header_line, body, body_lines = names, None, rows, lines
    elif not rows:
        raise DataFormatError("the file has no header row.", path=name, line=1)
    else:
        header, header_line, body, body_lines = rows[0], lines[0], rows[1:], lines[1:]
    n_cols = len(header)
    kept: list[list[str]] = []
    kept_lines: list[int] = []
    for k, cells in enumerate(body):
        if len(cells) != n_cols:
            what = "in the header" if names is None else "in `names`"
            msg = f"expected {n_cols} fields as {what} (got {len(cells)})"
            if report is None:
                raise DataFormatError(msg + ".", path=name, line=body_lines[k])
            report.append((body_lines[k], "", delimiter.join(cells), msg))
            continue
        kept.append(cells)
        kept_lines.append(body_lines[k])
    columns = [list(c) for c in zip(*kept, strict=True)] if kept else [[] for _ in header]
    return header, header_line, columns, kept_lines


def _text(cells: Sequence[str]) -> StrArray:
    array = np.array(cells, dtype=np.str_)
    return array if array.size else array.astype("<U1")
