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
from collections.abc import Mapping, Sequence
from typing import IO, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric.exceptions import DataFormatError, InvalidInputError
from custcentric.typing import DatetimeArray, FloatArray, IntArray, StrArray

__all__ = ["CsvColumns", "read_columns"]

_FIXED = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}
_INT = re.compile(r"[+-]?[0-9]+")


@attrs.frozen(eq=False)
class CsvColumns:
    """The text of the requested columns of one CSV file and where each row came from."""

    path: str
    headers: dict[str, str]  # field -> header
    data: dict[str, StrArray]  # field -> tokens
    extra: dict[str, StrArray]  # other headers -> tokens
    lines: IntArray  # 1-based file line of each row

    def fail(self, field: str, row: int, rule: str) -> DataFormatError:
        """Return the error for one bad cell (``row`` is the 0-based data row)."""
        token = self.data[field][row] if field in self.data else ""
        msg = f"`{field}` must {rule} (got {str(token)!r})."
        return DataFormatError(
            msg, path=self.path, line=int(self.lines[row]), column=self.headers[field]
        )

    def text(self, field: str, *, allow_empty: bool = False) -> StrArray:
        """Return a text column, refusing empty cells unless ``allow_empty``."""
        tokens = self.data[field]
        if not allow_empty and tokens.size:
            empty = np.char.str_len(tokens) == 0
            if empty.any():
                raise self.fail(field, int(np.argmax(empty)), "not be empty")
        return tokens

    def ids(self, field: str) -> NDArray[Any]:
        """Return an id column: int64 if every cell is a whole number, else text."""
        tokens = self.text(field)
        if tokens.size and all(_INT.fullmatch(t) for t in np.unique(tokens).tolist()):
            return tokens.astype(np.int64)
        return tokens

    def numbers(self, field: str, *, non_negative: bool = False) -> FloatArray:
        """Return a float column (``float()`` syntax); NaN, inf and (optionally) negatives fail."""
        tokens = self.data[field]
        try:
            values = tokens.astype(np.float64)
        except ValueError:
            for i, token in enumerate(tokens.tolist()):
                try:
                    float(token)
                except ValueError:
                    raise self.fail(field, i, "be a number") from None
            raise  # pragma: no cover
        bad = ~np.isfinite(values)
        if bad.any():
            raise self.fail(field, int(np.argmax(bad)), "be finite")
        if non_negative:
            bad = values < 0
            if bad.any():
                raise self.fail(field, int(np.argmax(bad)), "be non-negative")
        return values

    def integers(self, field: str) -> IntArray:
        """Return a whole-number column."""
        values = self.numbers(field)
        bad = values != np.round(values)
        if bad.any():
            raise self.fail(field, int(np.argmax(bad)), "be a whole number")
        return values.astype(np.int64)

    def times(
        self, field: str, date_format: str | None, *, unit: str = "s", allow_empty: bool = False
    ) -> DatetimeArray:
        """Parse timestamps: ISO 8601 when ``date_format`` is None, else a strptime format."""
        tokens = self.text(field, allow_empty=allow_empty)
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
        rule = "be an ISO 8601 timestamp" if date_format is None else f"match {date_format!r}"
        for i, token in enumerate(tokens.tolist()):
            try:
                if date_format is None:
                    parsed[i] = token
                else:
                    stamp = dt.datetime.strptime(token, date_format)
                    parsed[i] = stamp.isoformat()
            except ValueError:
                raise self.fail(field, int(rows[i]), rule) from None
        if np.isnat(parsed).any():
            raise self.fail(field, int(rows[int(np.argmax(np.isnat(parsed)))]), rule)
        return parsed

    def enums(
        self, field: str, enum_type: type[enum.Enum], *, allow_empty: bool = False
    ) -> StrArray:
        """Return the canonical enum value strings; an unknown value lists the options."""
        tokens = self.text(field, allow_empty=allow_empty)
        uniques, inverse = np.unique(tokens, return_inverse=True)
        lookup = {str(m.value).lower(): str(m.value) for m in enum_type}
        lookup.update({m.name.lower(): str(m.value) for m in enum_type})
        if allow_empty:
            lookup[""] = ""
        mapped = []
        for k, value in enumerate(uniques.tolist()):
            key = value.strip().lower()
            if key not in lookup:
                options = ", ".join(repr(m.value) for m in enum_type)
                raise self.fail(field, int(np.argmax(inverse == k)), f"be one of {options}")
            mapped.append(lookup[key])
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
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_columns(
    path: str | os.PathLike[str],
    fields: Sequence[str],
    *,
    columns: Mapping[str, str] | None,
    required: Sequence[str],
    delimiter: str | None = ",",
    keep_extra: bool = False,
) -> CsvColumns:
    """Read the text of ``fields`` (mapped to headers by ``columns``) from a CSV file.

    ``delimiter=None`` splits on runs of whitespace. Optional fields whose header is absent
    are left out of ``data``; with ``keep_extra`` every other header is returned in ``extra``.
    """
    name = os.fspath(path)
    mapping = dict(columns or {})
    unknown = sorted(set(mapping) - set(fields))
    if unknown:
        options = ", ".join(repr(f) for f in fields)
        msg = f"`columns` keys must be among {options} (got {unknown[0]!r})."
        raise InvalidInputError(msg)
    with _open(name) as handle:
        text = handle.read()
    split = _split_fast(text, delimiter)
    if split is None:
        split = _split_rows(text, delimiter, name)
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
    return CsvColumns(
        path=name,
        headers=headers,
        data=data,
        extra=extra,
        lines=np.asarray(body_lines, dtype=np.int64),
    )


Split = tuple[list[str], int, list[list[str]], list[int]]


def _split_fast(text: str, delimiter: str | None) -> Split | None:
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
    first, _, rest = body.partition("\n")
    header = first.split(delimiter)
    if delimiter is None and (not header or first != first.strip()):
        return None
    n_lines = body.count("\n")
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
    return header, 1, columns, list(range(2, n_lines + 2))


def _split_rows(text: str, delimiter: str | None, name: str) -> Split:
    """Split text row by row (quotes, blank lines, ragged rows); each row keeps its line."""
    rows: list[list[str]] = []
    lines: list[int] = []
    if delimiter is None:
        for number, line in enumerate(text.splitlines(), start=1):
            cells = line.split()
            if cells:
                rows.append(cells)
                lines.append(number)
        return _transpose(rows, lines, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if cells:
                rows.append(cells)
                lines.append(reader.line_num)
    except csv.Error as error:
        raise DataFormatError(str(error), path=name, line=reader.line_num) from None
    return _transpose(rows, lines, name)


def _transpose(rows: list[list[str]], lines: list[int], name: str) -> Split:
    """Check every row against the header and return the header, columns and body lines."""
    if not rows:
        raise DataFormatError("the file has no header row.", path=name, line=1)
    header, body, body_lines = rows[0], rows[1:], lines[1:]
    n_cols = len(header)
    for k, cells in enumerate(body):
        if len(cells) != n_cols:
            msg = f"expected {n_cols} fields as in the header (got {len(cells)})."
            raise DataFormatError(msg, path=name, line=body_lines[k])
    columns = [list(c) for c in zip(*body, strict=True)] if body else [[] for _ in header]
    return header, lines[0], columns, body_lines


def _text(cells: Sequence[str]) -> StrArray:
    array = np.array(cells, dtype=np.str_)
    return array if array.size else array.astype("<U1")
