"""The capability catalogue: which capabilities exist, where they sit, and when they are required."""

from __future__ import annotations

import functools
import json
import os
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result
from custcentric._validation import fmt
from custcentric.domain import Capability, CapabilityArea, MaturityStage
from custcentric.exceptions import DataFormatError, InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATALOGUE_SCHEMA_VERSION", "Catalogue", "default_catalogue", "load_catalogue"]

CATALOGUE_SCHEMA_VERSION: Final = 1
"""The layout version of a catalogue file; :func:`load_catalogue` refuses others."""

_KEYS: Final = ("id", "area", "name", "descriptors", "required_at", "depends_on")


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _as_capabilities(value: Iterable[Any]) -> tuple[Capability, ...]:
    given: object = value
    if isinstance(given, str | bytes | Mapping) or not isinstance(given, Iterable):
        msg = f"`capabilities` must be a sequence of Capability values (got {fmt(given)})."
        raise InvalidInputError(msg)
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, Capability):
            msg = f"`capabilities` must hold Capability values (index {i}: {fmt(item)})."
            raise InvalidInputError(msg)
    return items


def _problems_message(name: str, problems: Sequence[str]) -> str:
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    return f"`{name}` has {count}:\n" + "\n".join(f"- {p}" for p in problems)


@attrs.frozen(kw_only=True)
class Catalogue(Result):
    """A catalogue of customer-management capabilities, each with its stage requirements.

    Parameters
    ----------
    name : str
        What the catalogue is.
    version : str
        Its version, written into every assessment made with it.
    capabilities : tuple of Capability
        The capabilities, each with a descriptor per :class:`~custcentric.domain.MaturityStage`.
    required_at : tuple of tuple of MaturityStage
        For each capability, the stages at which it is required (usually from the stage it is
        introduced up to ``CUSTOMER_CENTRIC``).
    depends_on : tuple of tuple of str
        For each capability, the ids of capabilities that must reach a stage before it can.

    Notes
    -----
    Build one with :meth:`from_dict` or :func:`load_catalogue`; both check everything and list
    every problem at once. A capability required at stage ``s`` must reach level ``s`` (its
    stage-``s`` descriptor in place) for the organisation to be at stage ``s``.

    Examples
    --------
    >>> from custcentric.maturity import default_catalogue
    >>> catalogue = default_catalogue()
    >>> len(catalogue) >= 75, catalogue["process-03"].name
    (True, 'Cycle time measured per process')
    >>> [s.level for s in catalogue.required_stages("process-03")]
    [2, 3, 4]
    """

    name: str
    version: str
    capabilities: tuple[Capability, ...] = attrs.field(converter=_as_capabilities)
    required_at: tuple[tuple[MaturityStage, ...], ...] = attrs.field(converter=_as_tuple)
    depends_on: tuple[tuple[str, ...], ...] = attrs.field(converter=_as_tuple)
    _index: Mapping[str, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _check_structure(self.capabilities, self.required_at, self.depends_on)
        if problems:
            raise InvalidInputError(_problems_message("catalogue", problems))
        # Read-only: the default catalogue is cached and shared by every caller.
        index = {c.id: i for i, c in enumerate(self.capabilities)}
        object.__setattr__(self, "_index", types.MappingProxyType(index))

    def __len__(self) -> int:
        return len(self.capabilities)

    def __iter__(self) -> Iterator[Capability]:
        return iter(self.capabilities)

    def __contains__(self, capability_id: object) -> bool:
        return capability_id in self._index

    def __getitem__(self, capability_id: str) -> Capability:
        return self.capabilities[self.index(capability_id)]

    def index(self, capability_id: str) -> int:
        """Return the position of ``capability_id``, or raise naming the unknown id."""
        try:
            return self._index[capability_id]
        except KeyError:
            msg = f"`capability_id` must be in the catalogue (got {fmt(capability_id)})."
            raise InvalidInputError(msg) from None

    @property
    def ids(self) -> tuple[str, ...]:
        """The capability ids, in catalogue order."""
        return tuple(c.id for c in self.capabilities)

    @property
    def areas(self) -> tuple[CapabilityArea, ...]:
        """The areas that hold at least one capability, in enum order."""
        present = {c.area for c in self.capabilities}
        return tuple(a for a in CapabilityArea if a in present)

    def required_stages(self, capability_id: str) -> tuple[MaturityStage, ...]:
        """Return the stages at which ``capability_id`` is required."""
        return self.required_at[self.index(capability_id)]

    def prerequisites(self, capability_id: str) -> tuple[str, ...]:
        """Return the ids ``capability_id`` depends on."""
        return self.depends_on[self.index(capability_id)]

    def to_dict(self) -> dict[str, Any]:
        """Return the catalogue as plain JSON-ready data (the layout of the shipped file)."""
        return {
            "schema_version": CATALOGUE_SCHEMA_VERSION,
            "name": self.name,
            "version": self.version,
            "stages": [s.value for s in MaturityStage],
            "capabilities": [
                {
                    "id": c.id,
                    "area": c.area.value,
                    "name": c.name,
                    "required_at": [s.value for s in req],
                    "depends_on": list(deps),
                    "descriptors": c.to_dict()["descriptors"],
                }
                for c, req, deps in zip(
                    self.capabilities, self.required_at, self.depends_on, strict=True
                )
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalogue:
        """Build a catalogue from :meth:`to_dict` output, listing every problem at once.

        Raises
        ------
        InvalidInputError
            With one line per problem, each naming the capability id (or entry index) and the
            rule: duplicate ids, unknown areas or stages, missing or empty descriptors,
            unknown or circular dependencies, unknown keys.
        """
        problems: list[str] = []
        raw: object = data
        if not isinstance(raw, Mapping):
            msg = f"`data` must be a mapping for Catalogue.from_dict (got {type(raw).__name__})."
            raise InvalidInputError(msg)
        version = data.get("schema_version", CATALOGUE_SCHEMA_VERSION)
        if version != CATALOGUE_SCHEMA_VERSION:
            problems.append(
                f"`schema_version` must be {CATALOGUE_SCHEMA_VERSION} (got {fmt(version)})"
            )
        unknown = sorted(
            str(k)
            for k in data
            if k not in ("schema_version", "name", "version", "stages", "capabilities")
        )
        problems.extend(f"unknown key {k!r} at the top level" for k in unknown)
        name = data.get("name", "custom catalogue")
        cat_version = data.get("version")
        for key, value in (("name", name), ("version", cat_version)):
            if not isinstance(value, str) or not value.strip():
                problems.append(f"`{key}` must be a non-empty string (got {fmt(value)})")
        entries = data.get("capabilities")
        if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
            problems.append(f"`capabilities` must be a non-empty list (got {fmt(entries)})")
            raise InvalidInputError(_problems_message("catalogue", problems))
        caps: list[Capability | None] = []
        reqs: list[tuple[MaturityStage, ...]] = []
        deps: list[tuple[str, ...]] = []
        for position, entry in enumerate(entries):
            cap, req, dep = _parse_entry(position, entry, problems)
            caps.append(cap)
            reqs.append(req)
            deps.append(dep)
        complete = [c for c in caps if c is not None]
        if len(complete) == len(caps):
            problems.extend(_check_structure(complete, reqs, deps))
        else:
            ids = [
                e["id"]
                for e in entries
                if isinstance(e, Mapping) and isinstance(e.get("id"), str) and e["id"].strip()
            ]
            problems.extend(_duplicate_problems(ids))
            known = set(ids)
            for entry, dep in zip(entries, deps, strict=True):
                problems.extend(
                    f"{_label(-1, entry)}: `depends_on` names an unknown capability {d!r}"
                    for d in dep
                    if d not in known
                )
        if problems:
            raise InvalidInputError(_problems_message("catalogue", problems))
        return cls(
            name=str(name),
            version=str(cat_version),
            capabilities=tuple(complete),
            required_at=tuple(reqs),
            depends_on=tuple(deps),
        )

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per capability: ``id``, ``area``, ``name``, ``required_from``, ``depends_on``.

        ``required_from`` is the first stage at which the capability is required (``None`` if
        never); ``depends_on`` the prerequisite ids joined by ``", "``.

        Examples
        --------
        >>> from custcentric.maturity import default_catalogue
        >>> default_catalogue().to_pandas().iloc[0].to_dict()["id"]
        'strategy-01'
        """
        return make_frame(
            {
                "id": np.array(self.ids, dtype=object),
                "area": np.array([c.area.value for c in self.capabilities], dtype=object),
                "name": np.array([c.name for c in self.capabilities], dtype=object),
                "required_from": np.array(
                    [min(r, key=lambda s: s.level).value if r else None for r in self.required_at],
                    dtype=object,
                ),
                "depends_on": np.array([", ".join(d) for d in self.depends_on], dtype=object),
            }
        )

    def summary(self) -> str:
        """Return the catalogue as one line: name, version, capabilities per area."""
        per_area = ", ".join(
            f"{a.value} {sum(c.area is a for c in self.capabilities)}" for a in self.areas
        )
        return (
            f"Catalogue({self.name!r} v{self.version}: {len(self)} capabilities in "
            f"{len(self.areas)} areas: {per_area})"
        )


def _label(position: int, entry: object) -> str:
    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"].strip():
        return f"capability {entry['id']!r}"
    return f"capability at index {position}"


def _parse_entry(
    position: int, entry: object, problems: list[str]
) -> tuple[Capability | None, tuple[MaturityStage, ...], tuple[str, ...]]:
    label = _label(position, entry)
    if not isinstance(entry, Mapping):
        problems.append(f"{label}: must be a mapping (got {type(entry).__name__})")
        return None, (), ()
    ok = True
    extra = sorted(str(k) for k in entry if k not in _KEYS)
    for key in extra:
        problems.append(f"{label}: unknown key {key!r} (keys: {', '.join(_KEYS)})")
        ok = False
    for key in ("id", "name"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{label}: `{key}` must be a non-empty string (got {fmt(value)})")
            ok = False
    area = entry.get("area")
    try:
        CapabilityArea(str(area))
    except (InvalidInputError, ValueError):
        options = ", ".join(repr(a.value) for a in CapabilityArea)
        problems.append(f"{label}: `area` must be one of {options} (got {fmt(area)})")
        ok = False
    ok = _check_descriptors(label, entry.get("descriptors"), problems) and ok
    req = _parse_stages(label, entry.get("required_at", [s.value for s in MaturityStage]), problems)
    dep_raw = entry.get("depends_on", [])
    dep: tuple[str, ...] = ()
    if isinstance(dep_raw, Sequence) and not isinstance(dep_raw, str):
        bad = [d for d in dep_raw if not isinstance(d, str) or not d.strip()]
        if bad:
            problems.append(f"{label}: `depends_on` must hold capability ids (got {fmt(bad[0])})")
        else:
            dep = tuple(dep_raw)
    else:
        problems.append(f"{label}: `depends_on` must be a list of ids (got {fmt(dep_raw)})")
    if not ok or req is None:
        return None, (), dep
    cap = Capability(
        id=entry["id"], area=area, name=entry["name"], descriptors=entry["descriptors"]
    )
    return cap, req, dep


def _check_descriptors(label: str, value: object, problems: list[str]) -> bool:
    if not isinstance(value, Mapping):
        problems.append(
            f"{label}: `descriptors` must map each stage to a text (got {type(value).__name__})"
        )
        return False
    ok = True
    known = {s.value for s in MaturityStage}
    for key in value:
        if key not in known:
            problems.append(f"{label}: `descriptors` has an unknown stage {fmt(key)}")
            ok = False
    for stage in MaturityStage:
        text = value.get(stage.value)
        if text is None:
            problems.append(f"{label}: `descriptors` has no text for stage {stage.value!r}")
            ok = False
        elif not isinstance(text, str) or not text.strip():
            problems.append(
                f"{label}: `descriptors[{stage.value!r}]` must be a non-empty string "
                f"(got {fmt(text)})"
            )
            ok = False
    return ok


def _parse_stages(
    label: str, value: object, problems: list[str]
) -> tuple[MaturityStage, ...] | None:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        problems.append(
            f"{label}: `required_at` must be a non-empty list of stages (got {fmt(value)})"
        )
        return None
    stages: list[MaturityStage] = []
    for item in value:
        try:
            stages.append(MaturityStage(item))
        except (InvalidInputError, ValueError):
            options = ", ".join(repr(s.value) for s in MaturityStage)
            problems.append(f"{label}: `required_at` must hold stages {options} (got {fmt(item)})")
            return None
    return tuple(sorted(set(stages), key=lambda s: s.level))


def _duplicate_problems(ids: Sequence[str]) -> list[str]:
    seen: dict[str, list[int]] = {}
    for i, cid in enumerate(ids):
        seen.setdefault(cid, []).append(i)
    return [
        f"capability {cid!r}: duplicate id (entries {', '.join(map(str, where))})"
        for cid, where in seen.items()
        if len(where) > 1
    ]


def _check_structure(
    capabilities: Sequence[Capability],
    required_at: Sequence[tuple[MaturityStage, ...]],
    depends_on: Sequence[tuple[str, ...]],
) -> list[str]:
    """Return every structural problem: lengths, duplicates, unknown or circular dependencies."""
    problems: list[str] = []
    if not capabilities:
        return ["`capabilities` must hold at least one capability (got none)"]
    if not (len(capabilities) == len(required_at) == len(depends_on)):
        return [
            "`capabilities`, `required_at` and `depends_on` must have equal lengths "
            f"(got {len(capabilities)}, {len(required_at)}, {len(depends_on)})"
        ]
    ids = [c.id for c in capabilities]
    problems.extend(_duplicate_problems(ids))
    known = set(ids)
    for cap, req, deps in zip(capabilities, required_at, depends_on, strict=True):
        if not req:
            problems.append(f"capability {cap.id!r}: `required_at` must name at least one stage")
        for d in deps:
            if d == cap.id:
                problems.append(f"capability {cap.id!r}: `depends_on` must not name itself")
            elif d not in known:
                problems.append(
                    f"capability {cap.id!r}: `depends_on` names an unknown capability {d!r}"
                )
    if not problems:
        cycle = _find_cycle(ids, depends_on)
        if cycle:
            problems.append("`depends_on` must not be circular: " + " -> ".join(cycle))
    return problems


def _find_cycle(ids: Sequence[str], depends_on: Sequence[tuple[str, ...]]) -> list[str]:
    """Return one dependency cycle as a list of ids (first repeated at the end), or []."""
    graph = dict(zip(ids, depends_on, strict=True))
    state: dict[str, int] = {}
    for start in ids:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, k = stack.pop()
            if k == 0:
                state[node] = 1
                path.append(node)
            nexts = graph[node]
            if k < len(nexts):
                stack.append((node, k + 1))
                child = nexts[k]
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return []


@functools.cache
def default_catalogue() -> Catalogue:
    """Return the bundled catalogue of customer-management capabilities.

    Returns
    -------
    Catalogue
        82 capabilities in the twelve :class:`~custcentric.domain.CapabilityArea` areas, each
        described at the four stages of source S1 in custcentric's own words, with the stages at
        which it is required and the capabilities it builds on. Read from the versioned file
        ``custcentric/maturity/data/catalogue.json``.

    Notes
    -----
    The catalogue follows the outline of a Rance-style staged path (product-centric, customer
    focus, customer value, customer-centric; source S1 asks for "more than 75" capabilities).
    It contains the 30 capabilities the bundled company rated, with the same ids and areas.

    References
    ----------
    Rance, D. *Customer Centricity: A Home Run for Customers* (CRMProject.com);
    Peppers, D., Rogers, M. & Dorf, B. (1999). Is your company ready for one-to-one
    marketing? *HBR* 77(1), 151-160.

    Examples
    --------
    >>> from custcentric.maturity import default_catalogue
    >>> catalogue = default_catalogue()
    >>> catalogue.version, len(catalogue), len(catalogue.areas)
    ('1.0.0', 82, 12)
    >>> print(catalogue["insight-02"].descriptor("customer_value"))
    Segments rest on predicted lifetime value and steer service and investment.
    """
    text = (
        resources.files("custcentric.maturity")
        .joinpath("data", "catalogue.json")
        .read_text(encoding="utf-8")
    )
    return Catalogue.from_dict(json.loads(text))


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read and check a catalogue from a JSON file in the layout of :meth:`Catalogue.to_dict`.

    Parameters
    ----------
    path : str or path-like
        The JSON file.

    Returns
    -------
    Catalogue

    Raises
    ------
    DataFormatError
        If the file is not valid JSON (with the line number).
    InvalidInputError
        Listing every problem in the catalogue, each with its capability id.

    Examples
    --------
    >>> import json, os, tempfile
    >>> from custcentric.maturity import default_catalogue, load_catalogue
    >>> data = default_catalogue().to_dict()
    >>> data["capabilities"].append(data["capabilities"][0])
    >>> del data["capabilities"][2]["descriptors"]["customer_value"]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "mine.json")
    ...     with open(path, "w") as f:
    ...         json.dump(data, f)
    ...     load_catalogue(path)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `catalogue` has 2 problems:
    - capability 'strategy-03': `descriptors` has no text for stage 'customer_value'
    - capability 'strategy-01': duplicate id (entries 0, 82)
    """
    name = os.fspath(path)
    with open(name, encoding="utf-8") as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"`path` must hold valid JSON ({error.msg} at line {error.lineno})."
        raise DataFormatError(msg, path=name, line=error.lineno) from None
    return Catalogue.from_dict(data)
