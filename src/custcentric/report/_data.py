"""Reading a company from a directory of files in the sample company's layout (``--data``)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from custcentric.exceptions import CustcentricError, InvalidInputError

__all__ = ["FILES", "load_company"]

FILES = (
    "customers.csv",
    "profiles.csv",
    "transactions.csv",
    "events.csv",
    "interactions.csv",
    "surveys.csv",
    "maturity.csv",
    "processes.json",
    "slas.json",
)
"""The files ``--data`` reads; each CSV may also be gzipped (``customers.csv.gz``)."""

_INDEX = re.compile(r"\(index (\d+)")
T = TypeVar("T")


def _find(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    listed = ", ".join(FILES)
    msg = f"--data: {str(folder)!r} has no file {name!r} (nor {name + '.gz'!r}); it needs {listed}."
    raise InvalidInputError(msg)


def _in_file(path: Path, read: Callable[[], T]) -> T:
    """Run ``read``; name the file (and turn "index i" into a line number) in any error."""
    try:
        return read()
    except CustcentricError as error:
        text = str(error)
        if text.startswith("file "):
            raise
        line = _INDEX.search(text)
        where = f", line {int(line.group(1)) + 2}" if line else ""
        msg = f"file {str(path)!r}{where}: {text}"
        raise InvalidInputError(msg) from None
    except (KeyError, TypeError, ValueError) as error:
        msg = f"file {str(path)!r}: {type(error).__name__}: {error}"
        raise InvalidInputError(msg) from None


def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _columns(path: Path, required: tuple[str, ...]) -> dict[str, np.ndarray]:
    rows = list(csv.reader(io.StringIO(_text(path))))
    if not rows:
        msg = f"file {str(path)!r}, line 1: the file is empty (expected a header)."
        raise InvalidInputError(msg)
    header, body = rows[0], rows[1:]
    for name in required:
        if name not in header:
            msg = (
                f"file {str(path)!r}, line 1, column {name!r}: missing column "
                f"(available: {', '.join(map(repr, header))})."
            )
            raise InvalidInputError(msg)
    for k, row in enumerate(body):
        if len(row) != len(header):
            msg = (
                f"file {str(path)!r}, line {k + 2}: {len(row)} fields where the header has "
                f"{len(header)}."
            )
            raise InvalidInputError(msg)
    table = np.array(body, dtype=np.str_).reshape(len(body), len(header))
    return {name: table[:, j] for j, name in enumerate(header)}


def _integers(path: Path, values: np.ndarray, column: str) -> np.ndarray:
    bad = ~np.char.isdigit(np.char.lstrip(values, "-"))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        msg = f"file {str(path)!r}, line {k + 2}, column {column!r}: expected a whole number (got {str(values[k])!r})."
        raise InvalidInputError(msg)
    return values.astype(np.int64)


def _processes(items: list[Mapping[str, Any]]) -> tuple[Any, ...]:
    from custcentric.domain import CustomerProcess, ProcessStep

    return tuple(
        CustomerProcess(
            id=item["id"],
            name=item["name"],
            kind=item["kind"],
            lifecycle_stage=item["lifecycle_stage"],
            owner=item.get("owner"),
            departments=tuple(item.get("departments", ())),
            partners=tuple(item.get("partners", ())),
            suppliers=tuple(item.get("suppliers", ())),
            steps=tuple(ProcessStep(**step) for step in item["steps"]),
        )
        for item in items
    )


def _renamed_unit(item: Mapping[str, Any]) -> dict[str, Any]:
    return {("time_unit" if key == "unit" else key): value for key, value in item.items()}


def _slas(items: list[Mapping[str, Any]]) -> tuple[Any, ...]:
    from custcentric.domain import SLA, Compensation, CompensationBand

    out = []
    for item in items:
        # The files' layout (version 1) names the unit ``unit``; the values call it time_unit.
        fields = _renamed_unit(item)
        comp = fields.pop("compensation", None)
        if comp is not None:
            comp = _renamed_unit(comp)
            comp["bands"] = tuple(CompensationBand(**b) for b in comp.get("bands", ()))
            fields["compensation"] = Compensation(**comp)
        fields["tiers"] = tuple(fields.get("tiers", ()))
        out.append(SLA(**fields))
    return tuple(out)


def load_company(directory: str | os.PathLike[str]) -> Any:
    """Read a company from ``directory``, in the layout of the bundled sample company.

    The files are those of :data:`FILES` (the CSVs plain or gzipped), with the columns of
    the sample company (see ``custcentric.datasets.generate_sample_company``). Any missing or
    malformed file is refused with a message naming the file, the line and the column.

    Returns
    -------
    SampleCompany

    Examples
    --------
    >>> import tempfile
    >>> load_company(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: --data: ... has no file 'customers.csv' ...
    """
    from custcentric.datasets import MaturityRatings, SampleCompany, SurveyResponses
    from custcentric.tables import CustomerTable, EventLog, InteractionLog, TransactionLog

    folder = Path(directory)
    if not folder.is_dir():
        msg = f"--data must be a directory (got {str(folder)!r})."
        raise InvalidInputError(msg)
    paths = {name: _find(folder, name) for name in FILES}
    customers = _in_file(
        paths["customers.csv"], lambda: CustomerTable.read_csv(paths["customers.csv"])
    )
    profiles = _in_file(
        paths["profiles.csv"],
        lambda: CustomerTable.read_csv(paths["profiles.csv"], unique_ids=False),
    )
    transactions = _in_file(
        paths["transactions.csv"], lambda: TransactionLog.read_csv(paths["transactions.csv"])
    )
    events = _in_file(paths["events.csv"], lambda: EventLog.read_csv(paths["events.csv"]))
    interactions = _in_file(
        paths["interactions.csv"], lambda: InteractionLog.read_csv(paths["interactions.csv"])
    )
    path = paths["surveys.csv"]
    answers = _columns(
        path, ("customer_id", "timestamp", "instrument", "score", "process", "channel")
    )
    score = _integers(path, answers["score"], "score")
    surveys = _in_file(
        path,
        lambda: SurveyResponses.from_arrays(
            answers["customer_id"],
            answers["timestamp"],
            answers["instrument"],
            score,
            process=answers["process"],
            channel=answers["channel"],
        ),
    )
    path = paths["maturity.csv"]
    rated = _columns(path, ("department", "capability_id", "area", "level", "note"))
    level = _integers(path, rated["level"], "level")
    maturity = _in_file(
        path,
        lambda: MaturityRatings.from_arrays(
            rated["department"], rated["capability_id"], rated["area"], level, note=rated["note"]
        ),
    )
    path = paths["processes.json"]
    processes = _in_file(path, lambda: _processes(json.loads(_text(path))["processes"]))
    slas_path = paths["slas.json"]
    slas_json = _in_file(slas_path, lambda: json.loads(_text(slas_path)))
    slas = _in_file(slas_path, lambda: _slas(slas_json["slas"]))
    currency = _in_file(slas_path, lambda: str(slas_json["currency"]))
    return SampleCompany(
        customers=customers,
        profiles=profiles,
        transactions=transactions,
        events=events,
        processes=processes,
        slas=slas,
        interactions=interactions,
        surveys=surveys,
        maturity=maturity,
        currency=currency,
    )
