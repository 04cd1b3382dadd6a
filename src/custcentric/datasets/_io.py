r"""Writing and reading the sample company's plain files (CSV, optionally gzipped, and JSON).

Files are written byte for byte reproducibly: ``\\n`` line ends, UTF-8, and gzip members with
no file name and a zero modification time, so the same seed always gives the same bytes
(given the same zlib).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custcentric._files import check_output_directory
from custcentric._files import write_files as safe_write_files
from custcentric.typing import DatetimeArray, FloatArray, StrArray

__all__ = [
    "check_output_directory",
    "csv_bytes",
    "format_amounts",
    "format_dates",
    "format_timestamps",
    "json_bytes",
    "read_csv_columns",
    "read_text",
    "write_csv",
    "write_files",
    "write_json",
]


def format_timestamps(values: DatetimeArray) -> StrArray:
    """Return ISO 8601 strings at second resolution, e.g. ``2024-03-04T10:15:00``."""
    return np.datetime_as_string(values.astype("datetime64[s]"), unit="s")


def format_dates(values: DatetimeArray) -> StrArray:
    """Return ISO 8601 dates; NaT becomes the empty string (a missing field)."""
    text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
    return np.where(np.isnat(values), "", text)


def format_amounts(values: FloatArray) -> StrArray:
    """Return money amounts with two decimals."""
    return np.char.mod("%.2f", np.round(values, 2))


def csv_bytes(name: str, columns: Mapping[str, Sequence[Any] | NDArray[Any]]) -> bytes:
    """Return columns (header = the mapping's keys) as CSV bytes, gzipped for a ``.gz`` name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(columns))
    writer.writerows(zip(*(np.asarray(c).tolist() for c in columns.values()), strict=True))
    data = buffer.getvalue().encode("utf-8")
    if name.endswith(".gz"):
        raw = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as packed:
            packed.write(data)
        return raw.getvalue()
    return data


def json_bytes(payload: object) -> bytes:
    """Return ``payload`` as indented UTF-8 JSON ending in a newline."""
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_csv(path: Path, columns: Mapping[str, Sequence[Any] | NDArray[Any]]) -> None:
    """Write columns (header = the mapping's keys) as CSV; gzip when ``path`` ends in ``.gz``."""
    path.write_bytes(csv_bytes(path.name, columns))


def write_json(path: Path, payload: object) -> None:
    """Write ``payload`` as indented UTF-8 JSON ending in a newline."""
    path.write_bytes(json_bytes(payload))


def write_files(
    folder: Path, contents: Mapping[str, bytes], *, overwrite: bool, name: str = "directory"
) -> tuple[Path, ...]:
    """Write the sample company's files with the library's one safe writer.

    Existing files are replaced only with ``overwrite=True``, never through a link, and all or
    nothing: see :func:`custcentric._files.write_files`.
    """
    return safe_write_files(folder, contents, overwrite=overwrite, name=name)


def read_text(path: Path) -> str:
    """Return a file's text, decompressing it first when its name ends in ``.gz``."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def read_csv_columns(path: Path) -> dict[str, StrArray]:
    """Read a CSV file written by :func:`write_csv` into one string array per column."""
    rows = list(csv.reader(io.StringIO(read_text(path))))
    header, body = rows[0], rows[1:]
    if not body:
        return {name: np.array([], dtype=np.str_) for name in header}
    table = np.array(body, dtype=np.str_)
    return {name: table[:, j] for j, name in enumerate(header)}
