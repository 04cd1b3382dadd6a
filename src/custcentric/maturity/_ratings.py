"""Turn the accepted forms of maturity ratings into arrays, listing every problem at once.

Two kinds of rating are accepted (both may not be mixed in one call):

* a **level** per capability and rater: the stage it has reached, 1 (product-centric) to 4
  (customer-centric), as in the bundled company's self-assessment;
* an **achievement** per capability, stage and rater: how far that stage's descriptor is in
  place, on the ISO/IEC 33020 scale N (not), P (partly), L (largely), F (fully achieved).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._validation import fmt
from custcentric.domain import MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.maturity._catalogue import Catalogue
from custcentric.maturity._factorize import factorize, lookup

__all__ = ["ACHIEVEMENT_LEVELS", "MISSING", "RatingData", "achievement_code", "parse_ratings"]

ACHIEVEMENT_LEVELS: Final[tuple[str, ...]] = ("N", "P", "L", "F")
"""Achievement of a stage descriptor, ordered: not, partly, largely, fully achieved (ISO/IEC 33020)."""

_WORDS: Final = {
    "none": 0,
    "not": 0,
    "partly": 1,
    "partial": 1,
    "largely": 2,
    "fully": 3,
    "full": 3,
}

MISSING: Final = -1
"""Code for a rating that was not given."""

_N_STAGES: Final = len(MaturityStage)
_MAX_PROBLEMS: Final = 50


@attrs.frozen(eq=False)
class RatingData:
    """Ratings as arrays: ``levels`` (raters x capabilities) or ``achievement`` (x 4 stages)."""

    raters: tuple[str, ...]
    capability_index: NDArray[np.int64]  # catalogue positions of the rated capabilities
    levels: NDArray[np.int8] | None  # (R, n): 1..4, MISSING where not rated
    achievement: NDArray[np.int8] | None  # (R, n, 4): 0..3, MISSING where not rated
    notes: tuple[tuple[str, str, str], ...]  # (rater, capability id, note), non-empty only


def achievement_code(value: object, name: str) -> int:
    """Return 0..3 for an achievement given as N/P/L/F, a word, or an integer 0..3."""
    if isinstance(value, str):
        key = value.strip()
        if key.upper() in ACHIEVEMENT_LEVELS:
            return ACHIEVEMENT_LEVELS.index(key.upper())
        if key.lower() in _WORDS:
            return _WORDS[key.lower()]
    elif isinstance(value, int | np.integer) and not isinstance(value, bool) and 0 <= value <= 3:
        return int(value)
    msg = f"`{name}` must be one of 'N', 'P', 'L', 'F' (or 0-3) (got {fmt(value)})."
    raise InvalidInputError(msg)


def _problems_error(problems: list[str]) -> InvalidInputError:
    shown = problems[:_MAX_PROBLEMS]
    more = len(problems) - len(shown)
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    lines = [f"`ratings` has {count}:", *(f"- {p}" for p in shown)]
    if more:
        lines.append(f"- ... and {more} more")
    return InvalidInputError("\n".join(lines))


def parse_ratings(ratings: object, catalogue: Catalogue) -> RatingData:
    """Convert ``ratings`` (a ratings table or a mapping) into :class:`RatingData`."""
    if isinstance(ratings, Mapping):
        return _from_mapping(ratings, catalogue)
    if all(hasattr(ratings, a) for a in ("capability_id", "level")) and (
        hasattr(ratings, "department") or hasattr(ratings, "rater")
    ):
        return _from_table(ratings, catalogue)
    msg = (
        "`ratings` must be a mapping {rater: {capability_id: level or {stage: achievement}}} or "
        "a table with `department` (or `rater`), `capability_id` and `level` columns "
        f"(got {type(ratings).__name__})."
    )
    raise InvalidInputError(msg)


def _column(values: Any) -> NDArray[Any]:
    array = np.asarray(values)
    if array.dtype.kind in "iuU":
        return array
    return array.astype(np.str_)


def _from_table(table: Any, catalogue: Catalogue) -> RatingData:
    raters_col = _column(table.department if hasattr(table, "department") else table.rater)
    caps_col = _column(table.capability_id)
    levels_raw = np.asarray(table.level)
    n_rows = caps_col.size
    if not (raters_col.shape == caps_col.shape == levels_raw.shape == (n_rows,)):
        msg = (
            "`ratings` columns must be one-dimensional and of equal length "
            f"(got {raters_col.shape}, {caps_col.shape}, {levels_raw.shape})."
        )
        raise InvalidInputError(msg)
    if n_rows == 0:
        raise _problems_error(["there are no ratings"])
    if levels_raw.dtype.kind not in "iu" and not (
        levels_raw.dtype.kind == "f"
        and np.all(np.isfinite(levels_raw))
        and np.all(levels_raw == np.round(levels_raw))
    ):
        msg = f"`ratings.level` must hold whole numbers 1-4 (got dtype {levels_raw.dtype})."
        raise InvalidInputError(msg)
    problems: list[str] = []
    level = levels_raw.astype(np.int64, copy=False)
    n_all = len(catalogue)
    cat_pos, known = lookup(caps_col, catalogue.ids)

    def where(i: int) -> str:
        return f"row {i}: capability {str(caps_col[i])!r} (rater {str(raters_col[i])!r})"

    problems.extend(
        f"{where(i)} is not in the catalogue" for i in np.flatnonzero(~known)[:_MAX_PROBLEMS]
    )
    bad_level = (level < 1) | (level > 4)
    problems.extend(
        f"{where(i)}: level {fmt(level[i])} is outside the scale 1-4"
        for i in np.flatnonzero(bad_level)[:_MAX_PROBLEMS]
    )
    if raters_col.dtype.kind == "U":
        problems.extend(
            f"row {i}: the rater's name is empty"
            for i in np.flatnonzero(raters_col == "")[:_MAX_PROBLEMS]
        )
    if hasattr(table, "area"):
        areas = _column(table.area).astype(np.str_)
        cat_area = np.asarray([c.area.value for c in catalogue.capabilities])
        wrong = known & (areas != cat_area[cat_pos])
        problems.extend(
            f"{where(i)} is in area {str(cat_area[cat_pos[i]])!r} in the catalogue, "
            f"not {str(areas[i])!r}"
            for i in np.flatnonzero(wrong)[:_MAX_PROBLEMS]
        )
    raters, rater_idx = factorize(raters_col)
    if not problems:
        key = rater_idx.astype(np.int64) * n_all + cat_pos
        counts = np.bincount(key, minlength=raters.size * n_all)
        problems.extend(
            f"capability {catalogue.ids[k % n_all]!r} is rated more than once by "
            f"rater {str(raters[k // n_all])!r}"
            for k in np.flatnonzero(counts > 1)[:_MAX_PROBLEMS].tolist()
        )
    if problems:
        raise _problems_error(problems)
    used = np.bincount(cat_pos, minlength=n_all) > 0
    rated = np.flatnonzero(used)
    column_of = np.cumsum(used) - 1
    levels = np.full((raters.size, rated.size), MISSING, dtype=np.int8)
    levels[rater_idx, column_of[cat_pos]] = level
    notes: tuple[tuple[str, str, str], ...] = ()
    if hasattr(table, "note"):
        note_col = _column(table.note).astype(np.str_)
        has = np.flatnonzero(note_col != "")
        notes = tuple(
            (str(raters_col[i]), str(caps_col[i]), str(note_col[i])) for i in has.tolist()
        )
    return RatingData(
        raters=tuple(str(r) for r in raters.tolist()),
        capability_index=rated.astype(np.int64),
        levels=levels,
        achievement=None,
        notes=notes,
    )


def _entry_parts(entry: object) -> tuple[object, object, str]:
    """Return (level, achievement mapping, note) for one mapping entry."""
    if isinstance(entry, Mapping) and ("level" in entry or "achievement" in entry):
        note = entry.get("note", "")
        return entry.get("level"), entry.get("achievement"), note if isinstance(note, str) else ""
    if isinstance(entry, Mapping):
        return None, entry, ""
    return entry, None, ""


def _from_mapping(ratings: Mapping[Any, Any], catalogue: Catalogue) -> RatingData:
    problems: list[str] = []
    if not ratings:
        raise _problems_error(["there are no raters"])
    raters = [str(r) for r in ratings]
    rated_pos: set[int] = set()
    kinds: set[str] = set()
    parsed: list[list[tuple[int, int | None, dict[int, int] | None, str]]] = []
    for rater_key, entries in ratings.items():
        rater = str(rater_key)
        rows: list[tuple[int, int | None, dict[int, int] | None, str]] = []
        parsed.append(rows)
        if not rater.strip():
            problems.append("a rater's name is empty")
        if not isinstance(entries, Mapping):
            problems.append(
                f"rater {rater!r}: ratings must be a mapping of capability id to rating"
            )
            continue
        if not entries:
            problems.append(f"rater {rater!r} has no ratings")
            continue
        for cap_id, entry in entries.items():
            if cap_id not in catalogue:
                problems.append(f"rater {rater!r}: capability {cap_id!r} is not in the catalogue")
                continue
            pos = catalogue.index(cap_id)
            level, achievement, note = _entry_parts(entry)
            if level is not None and achievement is not None:
                problems.append(
                    f"rater {rater!r}, capability {cap_id!r}: give a level or an achievement per "
                    "stage, not both"
                )
                continue
            if achievement is not None:
                kinds.add("achievement")
                codes: dict[int, int] = {}
                if not isinstance(achievement, Mapping) or not achievement:
                    problems.append(
                        f"rater {rater!r}, capability {cap_id!r}: achievement must map stages "
                        f"to 'N', 'P', 'L' or 'F' (got {fmt(achievement)})"
                    )
                    continue
                for stage_key, value in achievement.items():
                    try:
                        stage = MaturityStage(stage_key)
                    except (InvalidInputError, ValueError):
                        problems.append(
                            f"rater {rater!r}, capability {cap_id!r}: unknown stage {fmt(stage_key)}"
                        )
                        continue
                    try:
                        codes[stage.level - 1] = achievement_code(value, "achievement")
                    except InvalidInputError:
                        problems.append(
                            f"rater {rater!r}, capability {cap_id!r}, stage {stage.value!r}: "
                            f"achievement {fmt(value)} is outside the scale N, P, L, F"
                        )
                rows.append((pos, None, codes, note))
            else:
                kinds.add("level")
                # Whole-number floats (2.0 from JSON or a float column) count, as in tables.
                ok = (
                    isinstance(level, int | np.integer | float | np.floating)
                    and not isinstance(level, bool)
                    and math.isfinite(level)
                    and float(level).is_integer()
                    and 1 <= level <= 4
                )
                if not ok:
                    problems.append(
                        f"rater {rater!r}, capability {cap_id!r}: level {fmt(level)} is outside "
                        "the scale 1-4"
                    )
                    continue
                rows.append((pos, int(level), None, note))  # type: ignore[call-overload]
            rated_pos.add(pos)
    if len(kinds) > 1:
        problems.append("levels and per-stage achievements must not be mixed in one assessment")
    if len(set(raters)) != len(raters):
        problems.append("rater names must be unique once converted to text")
    if problems:
        raise _problems_error(problems)
    rated = np.array(sorted(rated_pos), dtype=np.int64)
    col = {int(p): j for j, p in enumerate(rated.tolist())}
    notes = tuple(
        (rater, catalogue.ids[pos], note)
        for rater, rows in zip(raters, parsed, strict=True)
        for pos, _, _, note in rows
        if note
    )
    if kinds == {"level"}:
        levels = np.full((len(raters), rated.size), MISSING, dtype=np.int8)
        for r, rows in enumerate(parsed):
            for pos, level, _, _ in rows:
                levels[r, col[pos]] = level or 0
        return RatingData(tuple(raters), rated, levels, None, notes)
    achievement = np.full((len(raters), rated.size, _N_STAGES), MISSING, dtype=np.int8)
    for r, rows in enumerate(parsed):
        for pos, _, stage_codes, _ in rows:
            for s, code in (stage_codes or {}).items():
                achievement[r, col[pos], s] = code
    return RatingData(tuple(raters), rated, None, achievement, notes)
