"""The public API, pinned: every public name and the signature of every public callable.

``tests/data/api_signatures.json`` is a reviewed snapshot: for each public module, its
``__all__`` and, for every callable in it (functions, classes and their public methods), the
parameters' names, kinds and defaults. An accidental rename, a new positional option or a
dropped name fails here; a deliberate change is made by regenerating the snapshot, reviewing its
diff, and recording the change in the changelog::

    python -m tests.test_api_signatures --write
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

import custcentric

SNAPSHOT = Path(__file__).resolve().parent / "data" / "api_signatures.json"
MODULES = ["custcentric", *(f"custcentric.{name}" for name in custcentric.SUBPACKAGES)]
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _parameters(func: Any) -> list[str] | None:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # a builtin without a signature
        return None
    out = []
    for p in signature.parameters.values():
        text = f"{p.kind.name.lower()} {p.name}"
        if p.default is not inspect.Parameter.empty:
            text += f" = {_ADDRESS.sub('', repr(p.default))}"
        out.append(text)
    return out


def _members(cls: type) -> dict[str, Any]:
    """The public methods and properties a class defines or inherits from the library."""
    members: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("custcentric"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(value, property):
                members[name] = "property"
            elif isinstance(value, classmethod | staticmethod):
                members[name] = _parameters(value.__func__)
            elif inspect.isfunction(value):
                members[name] = _parameters(value)
    return dict(sorted(members.items()))


def _describe(obj: Any) -> Any:
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        return {"enum": [m.value if isinstance(m.value, str) else repr(m.value) for m in obj]}
    if isinstance(obj, type):
        return {"init": _parameters(obj), "members": _members(obj)}
    if callable(obj) and not isinstance(obj, type):
        return {"call": _parameters(obj)}
    return {"value": type(obj).__name__}


def snapshot() -> dict[str, Any]:
    """Return the public API as plain data (module → names → description)."""
    out: dict[str, Any] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names = sorted(getattr(module, "__all__", ()))
        out[module_name] = {name: _describe(getattr(module, name)) for name in names}
    return out


def test_the_public_api_matches_the_reviewed_snapshot() -> None:
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = json.loads(json.dumps(snapshot()))
    changes = []
    for module_name in sorted(set(stored) | set(current)):
        before, after = stored.get(module_name, {}), current.get(module_name, {})
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                what = (
                    "added" if name not in before else "removed" if name not in after else "changed"
                )
                changes.append(f"{module_name}.{name}: {what}")
    assert not changes, (
        "the public API changed; if deliberate, run `python -m tests.test_api_signatures "
        "--write`, review the diff and add a changelog line:\n  " + "\n  ".join(changes)
    )


if __name__ == "__main__":
    if "--write" in sys.argv:
        text = json.dumps(snapshot(), indent=1, sort_keys=True)
        SNAPSHOT.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
