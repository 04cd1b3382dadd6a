"""Stored JSON of every release keeps loading: the promise of docs/stability.md, tested.

Each ``tests/data/stored/<release>/<Class>.json`` was written by ``python -m tests.stored_values``
in that release. Loading it must give a value whose dict is the stored one (so nothing was
dropped or reinterpreted), and the current release must have its own files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.stored_values import STORE, release, values

import custcentric.domain
import custcentric.idic

FILES = sorted(STORE.glob("*/*.json"))

#: Schema changes since a value was stored: class -> (version written today, the upgrade of an
#: older dict to it). The loaded value must write exactly the upgraded dict: nothing dropped,
#: nothing reinterpreted beyond the documented rename.
UPGRADES: dict[str, int] = {"SLA": 2, "Compensation": 2}


def _upgraded(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` as today's release writes it (``unit`` became ``time_unit`` in v2)."""
    version = UPGRADES.get(name)
    if version is None or data.get("schema_version", 1) >= version:
        return data
    out = {("time_unit" if k == "unit" else k): v for k, v in data.items()}
    if isinstance(out.get("compensation"), dict):
        out["compensation"] = _upgraded("Compensation", out["compensation"])
    if "schema_version" in data:  # a nested value (an SLA's compensation) carries none
        out["schema_version"] = version
    return out


def _class(name: str) -> type:
    for module in (custcentric.domain, custcentric.idic):
        if hasattr(module, name):
            cls: type = getattr(module, name)
            return cls
    raise AssertionError(f"no public class {name}")


def test_this_release_has_stored_files_for_every_value() -> None:
    stored = {p.stem for p in (STORE / release()).glob("*.json")}
    assert stored == set(values())


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_stored_json_loads_back_unchanged(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    value = _class(path.stem).from_dict(data)  # type: ignore[attr-defined]
    assert value.to_dict() == _upgraded(path.stem, data)


@pytest.mark.parametrize("name", sorted(values()))
def test_todays_values_equal_the_stored_ones_of_this_release(name: str) -> None:
    path = STORE / release() / f"{name}.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert values()[name].to_dict() == _upgraded(name, stored)
