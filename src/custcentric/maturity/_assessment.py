"""The result of :func:`~custcentric.maturity.assess`: stage, blockers, levels, JSON round trip."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result
from custcentric._validation import fmt, to_enum
from custcentric.domain import CapabilityArea, MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import frozen

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ASSESSMENT_SCHEMA_VERSION", "Assessment", "Blocker"]

ASSESSMENT_SCHEMA_VERSION: Final = 1
"""The layout version written by :meth:`Assessment.to_dict`."""

_MISSING: Final = -1


def _array_eq(a: NDArray[Any], b: NDArray[Any]) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b))


def _items(value: object, name: str) -> list[Any]:
    """Return the items of a sequence field, refusing None, text and non-iterables."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"`{name}` must be a sequence (got {fmt(value)})."
        raise InvalidInputError(msg)
    return list(value)


def _nested(value: object, name: str) -> list[list[Any]]:
    return [_items(row, f"{name}[{i}]") for i, row in enumerate(_items(value, name))]


def _strs(value: object, name: str) -> tuple[str, ...]:
    items = _items(value, name)
    for i, item in enumerate(items):
        if not isinstance(item, str) and (isinstance(item, Iterable) or np.ndim(item) > 0):
            msg = f"`{name}` must hold one text per entry (index {i}: {fmt(item)})."
            raise InvalidInputError(msg)
    return tuple(str(v) for v in items)


def _raters(value: object) -> tuple[str, ...]:
    return _strs(value, "raters")


def _capability_ids(value: object) -> tuple[str, ...]:
    return _strs(value, "capability_ids")


def _names(value: object) -> tuple[str, ...]:
    return _strs(value, "names")


def _unrated(value: object) -> tuple[str, ...]:
    return _strs(value, "unrated")


def _areas(value: object) -> tuple[CapabilityArea, ...]:
    return tuple(to_enum(CapabilityArea, a, "areas") for a in _items(value, "areas"))


def _stage_sets(value: object) -> tuple[tuple[MaturityStage, ...], ...]:
    rows = _nested(value, "required_at")
    return tuple(tuple(to_enum(MaturityStage, s, "required_at") for s in r) for r in rows)


def _str_sets(value: object) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(d) for d in r) for r in _nested(value, "depends_on"))


def _stage_or_none(value: object) -> MaturityStage | None:
    return None if value is None else to_enum(MaturityStage, value, "stage")


def _notes(value: object) -> tuple[tuple[str, str, str], ...]:
    rows = _nested(value, "notes")
    for i, row in enumerate(rows):
        if len(row) != 3:
            msg = f"`notes[{i}]` must hold three texts (got {len(row)})."
            raise InvalidInputError(msg)
    return tuple((str(a), str(b), str(c)) for a, b, c in rows)


def _blockers(value: object) -> tuple[Blocker, ...]:
    items = _items(value, "blocking")
    for i, item in enumerate(items):
        if not isinstance(item, Blocker):
            msg = f"`blocking` must hold Blocker values (index {i}: {type(item).__name__})."
            raise InvalidInputError(msg)
    return tuple(items)


def _stage(value: object) -> MaturityStage:
    return to_enum(MaturityStage, value, "stage")


def _int8(value: object, name: str) -> NDArray[np.int8]:
    """Return a frozen int8 array of whole numbers in [-128, 127], naming ``name`` if not."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged rows
        raw = None
    if raw is None or raw.dtype.kind not in "iuf":
        got = "ragged rows" if raw is None else f"dtype {raw.dtype}"
        msg = f"`{name}` must hold whole numbers (got {got})."
        raise InvalidInputError(msg)
    flat = raw.reshape(-1)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(flat) | (flat != np.round(flat)) | (flat < -128) | (flat > 127)
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`{name}` must hold whole numbers in [-128, 127] (index {i}: {fmt(flat[i])})."
        raise InvalidInputError(msg)
    return frozen(raw.astype(np.int8))


def _rater_levels(value: object) -> NDArray[np.int8]:
    return _int8(value, "rater_levels")


def _achievement(value: object) -> NDArray[np.int8]:
    return _int8(value, "achievement")


def _levels(value: object) -> NDArray[np.int8]:
    return _int8(value, "levels")


@attrs.frozen(kw_only=True)
class Blocker(Result):
    """A required stage descriptor that keeps the organisation from the next stage.

    Attributes
    ----------
    capability_id : str
        The capability.
    stage : MaturityStage
        The stage whose descriptor falls short.
    achievement : str or None
        Its aggregated achievement (``"N"``, ``"P"``, ``"L"``, ``"F"``), ``None`` if unrated.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> ratings = {"sales": {"strategy-01": 3}, "it": {"strategy-01": 2}}
    >>> blocker = assess(default_catalogue(), ratings).blocking[0]
    >>> blocker.capability_id, blocker.stage.value, blocker.achievement
    ('strategy-01', 'customer_value', 'N')
    >>> print(blocker)
    strategy-01@customer_value (N)
    """

    capability_id: str
    stage: MaturityStage = attrs.field(converter=_stage)
    achievement: str | None = None

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return f"{self.capability_id}@{self.stage.value} ({self.achievement or 'unrated'})"


@attrs.frozen(kw_only=True)
class Assessment(Result):
    """A maturity assessment: the stage (staged view) and the levels (continuous view).

    Built by :func:`~custcentric.maturity.assess`; read back with :meth:`from_dict` or
    :meth:`from_json`, which give an equal object.

    Attributes
    ----------
    catalogue_name, catalogue_version : str
        The catalogue the ratings refer to.
    aggregate, threshold, rule : str
        The options used (see :func:`~custcentric.maturity.assess`).
    scale : {"level", "achievement"}
        Whether the raters gave a level (1-4) per capability or an achievement (N/P/L/F) per
        stage descriptor; levels then run 1-4 or 0-4.
    raters : tuple of str
        The raters (departments), in sorted order for tables, in given order for mappings.
    capability_ids, names, areas : tuple
        The capabilities in scope, in catalogue order.
    required_at : tuple of tuple of MaturityStage
        The stages at which each capability is required.
    depends_on : tuple of tuple of str
        Each capability's prerequisites (catalogue ids).
    rater_levels : ndarray of int8, shape (n_raters, n_capabilities)
        Each rater's level for each capability, 0-4; -1 where the rater gave none.
    achievement : ndarray of int8, shape (n_capabilities, 4)
        Aggregated achievement per stage descriptor, 0-3 for N, P, L, F; -1 if unrated.
    levels : ndarray of int8, shape (n_capabilities,)
        Aggregated capability level, 0 (no stage met) to 4.
    stage : MaturityStage or None
        The organisation's stage; ``None`` when even stage 1 is not met.
    blocking : tuple of Blocker
        The required descriptors that keep it from the next stage (empty at stage 4).
    unrated : tuple of str
        Catalogue capabilities nobody rated.
    notes : tuple of (rater, capability_id, note)
        The evidence notes given with the ratings.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> ratings = {"sales": {"insight-01": 3, "insight-02": 2},
    ...            "it": {"insight-01": 1, "insight-02": 2}}
    >>> result = assess(default_catalogue(), ratings)
    >>> result.stage.value, result.level, result.next_stage.value
    ('product_centric', 1, 'customer_focus')
    >>> result.raters, result.rater_levels.tolist()
    (('sales', 'it'), [[3, 2], [1, 2]])
    """

    catalogue_name: str
    catalogue_version: str
    aggregate: str
    threshold: str
    rule: str
    scale: str = attrs.field(validator=attrs.validators.in_(("level", "achievement")))
    raters: tuple[str, ...] = attrs.field(converter=_raters)
    capability_ids: tuple[str, ...] = attrs.field(converter=_capability_ids)
    names: tuple[str, ...] = attrs.field(converter=_names)
    areas: tuple[CapabilityArea, ...] = attrs.field(converter=_areas)
    required_at: tuple[tuple[MaturityStage, ...], ...] = attrs.field(converter=_stage_sets)
    depends_on: tuple[tuple[str, ...], ...] = attrs.field(converter=_str_sets)
    rater_levels: NDArray[np.int8] = attrs.field(
        converter=_rater_levels, eq=attrs.cmp_using(eq=_array_eq)
    )
    achievement: NDArray[np.int8] = attrs.field(
        converter=_achievement, eq=attrs.cmp_using(eq=_array_eq)
    )
    levels: NDArray[np.int8] = attrs.field(converter=_levels, eq=attrs.cmp_using(eq=_array_eq))
    stage: MaturityStage | None = attrs.field(converter=_stage_or_none)
    blocking: tuple[Blocker, ...] = attrs.field(converter=_blockers)
    unrated: tuple[str, ...] = attrs.field(converter=_unrated)
    notes: tuple[tuple[str, str, str], ...] = attrs.field(converter=_notes)

    def __attrs_post_init__(self) -> None:
        n = len(self.capability_ids)
        for name in ("names", "areas", "required_at", "depends_on"):
            size = len(getattr(self, name))
            if size != n:
                msg = (
                    f"`{name}` must have one entry per capability of `capability_ids` "
                    f"({size} != {n})."
                )
                raise InvalidInputError(msg)
        shapes = (
            ("levels", self.levels, (n,)),
            ("achievement", self.achievement, (n, 4)),
            ("rater_levels", self.rater_levels, (len(self.raters), n)),
        )
        for name, array, shape in shapes:
            if array.shape != shape:
                msg = (
                    f"`{name}` must have shape {shape} for the {len(self.raters)} `raters` and "
                    f"{n} `capability_ids` (got {array.shape})."
                )
                raise InvalidInputError(msg)

    # ----------------------------------------------------------------------------------------
    # derived views

    @property
    def scale_range(self) -> tuple[int, int]:
        """The lowest and highest level a rater can give: (1, 4) for levels, (0, 4) otherwise."""
        return (1, 4) if self.scale == "level" else (0, 4)

    @property
    def level(self) -> int:
        """The stage as a number, 0 (no stage) to 4."""
        return 0 if self.stage is None else self.stage.level

    @property
    def next_stage(self) -> MaturityStage | None:
        """The stage above the current one, ``None`` at ``CUSTOMER_CENTRIC``."""
        return None if self.level == 4 else MaturityStage.from_level(self.level + 1)

    def capability_levels(self) -> dict[str, int]:
        """Return the continuous profile: capability id -> level (0-4)."""
        return dict(zip(self.capability_ids, self.levels.tolist(), strict=True))

    def area_levels(self, *, how: str = "min") -> dict[str, int]:
        """Return the continuous profile per area: area value -> level.

        Parameters
        ----------
        how : {"min", "median"}, default "min"
            ``"min"``: an area is at the lowest level of its capabilities (consistent with the
            staged rule); ``"median"``: the lower median of its capability levels.

        Examples
        --------
        >>> from custcentric.maturity import assess, default_catalogue
        >>> result = assess(default_catalogue(), {"it": {"insight-01": 3, "insight-02": 2}})
        >>> result.area_levels(), result.area_levels(how="median")
        ({'customer_insight': 2}, {'customer_insight': 2})
        """
        if how not in ("min", "median"):
            msg = f"`how` must be one of 'min', 'median' (got {fmt(how)})."
            raise InvalidInputError(msg)
        out: dict[str, int] = {}
        area_values = np.array([a.value for a in self.areas])
        for area in CapabilityArea:
            values = np.sort(self.levels[area_values == area.value])
            if values.size:
                out[area.value] = int(values[0] if how == "min" else values[(values.size - 1) // 2])
        return out

    def equivalent_stage(self) -> MaturityStage | None:
        """Return the highest stage ``s`` at which every capability required up to ``s`` has level ``>= s``.

        This is CMMI's *equivalent staging* of a continuous profile. With level ratings it
        equals :attr:`stage` whenever every requirement runs up to ``CUSTOMER_CENTRIC`` (as in
        the default catalogue); otherwise it can be lower.
        """
        best = 0
        for s in range(1, 5):
            need = np.array(
                [any(st.level <= s for st in req) for req in self.required_at], dtype=bool
            )
            if need.any() and (self.levels[need] < s).any():
                break
            best = s
        return MaturityStage.from_level(best) if best else None

    def rater_profile(self, rater: str) -> dict[str, int]:
        """Return one rater's levels (capabilities it rated only)."""
        if rater not in self.raters:
            listed = ", ".join(repr(r) for r in self.raters)
            msg = f"`rater` must be one of {listed} (got {fmt(rater)})."
            raise InvalidInputError(msg)
        row = self.rater_levels[self.raters.index(rater)]
        return {
            cid: int(v) for cid, v in zip(self.capability_ids, row.tolist(), strict=True) if v >= 0
        }

    def levels_by_rater(self, capability_id: str) -> dict[str, int]:
        """Return each rater's level for ``capability_id`` (raters who rated it only).

        Examples
        --------
        >>> from custcentric.maturity import assess, default_catalogue
        >>> result = assess(default_catalogue(), {"it": {"insight-01": 3}, "hr": {"insight-01": 1}})
        >>> result.levels_by_rater("insight-01")
        {'it': 3, 'hr': 1}
        """
        if capability_id not in self.capability_ids:
            msg = f"`capability_id` must be a capability of the assessment (got {fmt(capability_id)})."
            raise InvalidInputError(msg)
        column = self.rater_levels[:, self.capability_ids.index(capability_id)]
        return {r: int(v) for r, v in zip(self.raters, column.tolist(), strict=True) if v >= 0}

    # ----------------------------------------------------------------------------------------
    # text, tables, JSON

    def summary(self, *, max_blockers: int = 10) -> str:
        """Return a readable text report of the assessment.

        Examples
        --------
        >>> from custcentric.maturity import assess, default_catalogue
        >>> result = assess(default_catalogue(), {"sales": {"strategy-01": 3}, "it": {"strategy-01": 2}})
        >>> print(result.summary())  # doctest: +ELLIPSIS
        Maturity assessment: stage customer_focus (2 of 4)
          catalogue 'custcentric default capability catalogue' v1.0.0; 2 raters; 1 of 82 capabilities rated
          options: aggregate=median, threshold=L, rule=threshold
          blocking customer_value (1):
            strategy-01 Customer strategy agreed by the board: customer_value at N
          area levels (min / median):
            strategy_leadership  2 / 2
        """
        stage = "none (below product_centric)" if self.stage is None else self.stage.value
        n_total = len(self.capability_ids) + len(self.unrated)
        n_rated = len(self.capability_ids) - self._n_unrated_in_scope()
        lines = [
            f"Maturity assessment: stage {stage} ({self.level} of 4)",
            f"  catalogue {self.catalogue_name!r} v{self.catalogue_version}; "
            f"{len(self.raters)} raters; {n_rated} of {n_total} capabilities rated",
            f"  options: aggregate={self.aggregate}, threshold={self.threshold}, rule={self.rule}",
        ]
        if self.next_stage is not None:
            lines.append(f"  blocking {self.next_stage.value} ({len(self.blocking)}):")
            names = dict(zip(self.capability_ids, self.names, strict=True))
            for b in self.blocking[:max_blockers]:
                lines.append(
                    f"    {b.capability_id} {names[b.capability_id]}: {b.stage.value} at "
                    f"{b.achievement or 'unrated'}"
                )
            if len(self.blocking) > max_blockers:
                lines.append(f"    ... and {len(self.blocking) - max_blockers} more")
        lines.append("  area levels (min / median):")
        low, mid = self.area_levels(), self.area_levels(how="median")
        width = max(len(a) for a in low)
        lines.extend(f"    {a.ljust(width)}  {low[a]} / {mid[a]}" for a in low)
        return "\n".join(lines)

    def _n_unrated_in_scope(self) -> int:
        return int((self.achievement == _MISSING).all(axis=1).sum())

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per capability: id, area, name, level, the four achievements, spread."""
        rated = np.where(self.rater_levels >= 0, self.rater_levels, 127)
        unrated_all = (self.rater_levels < 0).all(axis=0)
        low = np.where(unrated_all, -1, rated.min(axis=0))
        high = self.rater_levels.max(axis=0)
        columns: dict[str, NDArray[Any]] = {
            "capability_id": np.array(self.capability_ids),
            "area": np.array([a.value for a in self.areas]),
            "name": np.array(self.names),
            "level": self.levels,
        }
        for s in MaturityStage:
            columns[s.value] = self.achievement[:, s.level - 1]
        columns["lowest_rater_level"] = low
        columns["highest_rater_level"] = high
        return make_frame(columns)

    def to_dict(self) -> dict[str, Any]:
        """Return the assessment as plain JSON-ready data; :meth:`from_dict` reverses it exactly."""
        return {
            "schema_version": ASSESSMENT_SCHEMA_VERSION,
            "catalogue_name": self.catalogue_name,
            "catalogue_version": self.catalogue_version,
            "aggregate": self.aggregate,
            "threshold": self.threshold,
            "rule": self.rule,
            "scale": self.scale,
            "raters": list(self.raters),
            "capability_ids": list(self.capability_ids),
            "names": list(self.names),
            "areas": [a.value for a in self.areas],
            "required_at": [[s.value for s in r] for r in self.required_at],
            "depends_on": [list(d) for d in self.depends_on],
            "rater_levels": self.rater_levels.tolist(),
            "achievement": self.achievement.tolist(),
            "levels": self.levels.tolist(),
            "stage": None if self.stage is None else self.stage.value,
            "blocking": [
                {
                    "capability_id": b.capability_id,
                    "stage": b.stage.value,
                    "achievement": b.achievement,
                }
                for b in self.blocking
            ],
            "unrated": list(self.unrated),
            "notes": [list(n) for n in self.notes],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assessment:
        """Rebuild an assessment from :meth:`to_dict` output (or its JSON)."""
        raw: object = data
        if not isinstance(raw, Mapping):
            msg = f"`data` must be a mapping for Assessment.from_dict (got {type(raw).__name__})."
            raise InvalidInputError(msg)
        version = data.get("schema_version", ASSESSMENT_SCHEMA_VERSION)
        if version != ASSESSMENT_SCHEMA_VERSION:
            msg = f"`schema_version` must be {ASSESSMENT_SCHEMA_VERSION} (got {fmt(version)})."
            raise InvalidInputError(msg)
        names = [a.name for a in attrs.fields(cls)]
        missing = [n for n in names if n not in data]
        unknown = sorted(k for k in data if k not in names and k != "schema_version")
        if missing or unknown:
            msg = f"`data` must hold exactly the assessment fields (missing {missing}, unknown {unknown})."
            raise InvalidInputError(msg)
        fields = {k: v for k, v in data.items() if k != "schema_version"}
        n_raters = len(_items(fields["raters"], "raters"))
        n_caps = len(_items(fields["capability_ids"], "capability_ids"))
        for name, shape in (("rater_levels", (n_raters, n_caps)), ("achievement", (n_caps, 4))):
            array = _int8(fields[name], name)
            if array.size != shape[0] * shape[1]:
                msg = (
                    f"`data['{name}']` must be whole numbers of shape {shape} "
                    f"(for {n_raters} raters and {n_caps} capabilities): `raters`, "
                    "`capability_ids` and the level arrays must agree."
                )
                raise InvalidInputError(msg)
            fields[name] = array.reshape(shape)
        blocking = _items(fields["blocking"], "blocking")
        if not all(isinstance(b, Mapping) for b in blocking):
            msg = "`data['blocking']` must hold dicts with capability_id, stage and achievement."
            raise InvalidInputError(msg)
        try:
            fields["blocking"] = [Blocker(**b) for b in blocking]
        except TypeError:
            msg = "`data['blocking']` must hold dicts with capability_id, stage and achievement."
            raise InvalidInputError(msg) from None
        return cls(**fields)

    def to_json(self, **kwargs: Any) -> str:
        """Return :meth:`to_dict` as a JSON string (keyword arguments go to :func:`json.dumps`)."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, text: str) -> Assessment:
        """Rebuild an assessment from :meth:`to_json` output.

        Examples
        --------
        >>> from custcentric.maturity import Assessment, assess, default_catalogue
        >>> result = assess(default_catalogue(), {"it": {"insight-01": 3}})
        >>> Assessment.from_json(result.to_json()) == result
        True
        """
        return cls.from_dict(json.loads(text))
