r"""Writing and reading the sample company's plain files (CSV, optionally gzipped, and JSON).

Files are written byte for byte reproducibly: ``\\n`` line ends, UTF-8, and gzip members with
no file name and a zero modification time, so the same seed always gives the same bytes
(given the same zlib).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from custcentric.exceptions import InvalidInputError
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


def _path_error(name: str, path: object, error: OSError) -> InvalidInputError:
    reason = error.strerror or type(error).__name__
    return InvalidInputError(
        f"`{name}` must be a directory that can be written ({reason}: {path!r})."
    )


def check_output_directory(directory: object, name: str = "directory") -> Path:
    """Return ``directory`` as a Path after the checks that need no writing.

    Refuses a non-path argument, an existing non-directory, and a path the system cannot
    look up (a name too long, a loop of links, no permission), with the system's reason.
    """
    if not isinstance(directory, str | os.PathLike) or isinstance(directory, bytes):
        msg = f"`{name}` must be a str or path-like object (got {type(directory).__name__})."
        raise InvalidInputError(msg)
    folder = Path(directory)
    try:
        is_dir = folder.is_dir() if os.path.lexists(folder) else None
        os.stat(folder)
    except FileNotFoundError:
        return folder
    except OSError as error:
        raise _path_error(name, str(folder), error) from None
    if not is_dir:
        msg = f"`{name}` must be a directory (got an existing file: {str(folder)!r})."
        raise InvalidInputError(msg)
    return folder


def write_files(
    folder: Path, contents: Mapping[str, bytes], name: str = "directory"
) -> tuple[Path, ...]:
    """Write every file of ``contents`` into ``folder`` (created if missing), all or nothing.

    Each file is first written under a temporary name, then renamed into place, so no
    half-written file ever carries a final name. If anything fails, the temporary files and
    any directory created here are removed and :class:`InvalidInputError` names ``name``
    with the system's reason.
    """
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    temporary: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, data in contents.items():
            part = folder / f".{file_name}.{os.getpid()}.part"
            temporary.append(part)
            part.write_bytes(data)
        for file_name, part in zip(contents, temporary, strict=True):
            os.replace(part, folder / file_name)
    except OSError as error:
        for part in temporary:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
        for created in missing:  # deepest first
            with contextlib.suppress(OSError):
                created.rmdir()
        raise _path_error(name, str(folder), error) from None
    return tuple(folder / file_name for file_name in contents)


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
