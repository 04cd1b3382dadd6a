"""Comparison levels per field: a small vocabulary of agreement tests, evaluated per pair."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._validation import check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.idic._edit import within_edits
from custcentric.idic._fields import FieldColumns, check_collection
from custcentric.idic._jaro import _jaro_winkler_flat, code_points
from custcentric.typing import FloatArray, IntArray, StrArray

__all__ = [
    "EMAIL_DOMAINS_IGNORING_DOTS",
    "EMAIL_DOMAINS_IGNORING_TAGS",
    "LEVEL_KINDS",
    "NORMALIZATIONS",
    "FieldSpec",
    "Level",
    "TermFrequencies",
    "compare_field",
    "field_type",
    "normalize_values",
    "parse_comparisons",
]

LEVEL_KINDS: Final[Mapping[str, str]] = {
    "exact": "the values are equal (after the level's normalisation, if any)",
    "damerau_levenshtein": "at most k insertions, deletions, substitutions or swaps apart",
    "jaro_winkler": "Jaro–Winkler similarity at least the level's threshold",
    "initial": "one value is a single letter, the other starts with it (names)",
    "date_transposed": "same year, day and month swapped (dates)",
    "same_year": "same year (dates)",
}
"""The kinds of comparison level, with what each tests."""

NORMALIZATIONS: Final[Mapping[str, str]] = {
    "email_canonical": (
        "e-mail: dots and a +tag removed from the local part where the domain ignores them"
    ),
    "email_punctuation": "e-mail: dots, underscores, hyphens and a +tag removed, any domain",
    "ascii": "accents removed (é -> e, ø -> o, ß -> s)",
    "alphanumeric": "only letters and digits kept",
    "digits": "only digits kept",
    "sorted_words": "words in alphabetical order (word order ignored)",
}
"""Normalisations an ``exact`` level may apply before comparing."""

EMAIL_DOMAINS_IGNORING_DOTS: Final[frozenset[str]] = frozenset({"gmail.com", "googlemail.com"})
"""Mail domains that deliver ``a.b@`` and ``ab@`` to the same mailbox."""

EMAIL_DOMAINS_IGNORING_TAGS: Final[frozenset[str]] = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "fastmail.com",
        "protonmail.com",
        "proton.me",
    }
)
"""Mail domains that deliver ``name+tag@`` to ``name@``."""

_TYPES_OF_KIND: Final[Mapping[str, frozenset[str]]] = {
    "exact": frozenset({"name", "email", "phone", "date", "text"}),
    "damerau_levenshtein": frozenset({"name", "email", "phone", "date", "text"}),
    "jaro_winkler": frozenset({"name", "email", "text"}),
    "initial": frozenset({"name"}),
    "date_transposed": frozenset({"date"}),
    "same_year": frozenset({"date"}),
}
_TYPES_OF_NORMALIZATION: Final[Mapping[str, frozenset[str]]] = {
    "email_canonical": frozenset({"email"}),
    "email_punctuation": frozenset({"email"}),
    "ascii": frozenset({"name", "email", "text"}),
    "alphanumeric": frozenset({"name", "email", "phone", "text"}),
    "digits": frozenset({"phone", "email", "text"}),
    "sorted_words": frozenset({"name", "text"}),
}
_STANDARD_TYPES: Final[Mapping[str, str]] = {
    "name": "name",
    "first_name": "name",
    "last_name": "name",
    "first_initial": "name",
    "email": "email",
    "email_local": "text",
    "phone": "phone",
    "birth_date": "date",
    "birth_year": "text",
}
_SYNTAX = re.compile(r"^\s*([a-z_]+)\s*(?::\s*([a-z_]+)|(<=|>=)\s*([0-9.]+))?\s*$")


def _kind(value: object) -> str:
    if value not in LEVEL_KINDS:
        listed = ", ".join(repr(k) for k in LEVEL_KINDS)
        msg = f"`kind` must be one of {listed} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return str(value)


def _as_tuple(values: Any) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen
class Level:
    """One comparison level of a field: a test two values pass or fail.

    A field's levels are tried in order; a pair of records gets the first level its values
    pass, the level after the last if none (disagreement), and -1 if either value is missing.

    Parameters
    ----------
    kind : str
        One of :data:`LEVEL_KINDS`: ``"exact"``, ``"damerau_levenshtein"`` (``value`` = the
        largest distance ``k``), ``"jaro_winkler"`` (``value`` = the smallest similarity),
        ``"initial"``, ``"date_transposed"``, ``"same_year"``.
    value : float, optional
        The level's parameter (``k`` or the similarity threshold), for the kinds that take one.
    normalize : str, optional
        For ``"exact"``: one of :data:`NORMALIZATIONS`, applied to both values first.
    also : sequence of Level, optional
        Further tests the pair must pass too (text form: joined by ``" & "``), e.g.
        ``"damerau_levenshtein<=1 & exact:digits"``: one typo, but the same digits.

    Examples
    --------
    >>> from custcentric.idic import Level
    >>> Level.parse("damerau_levenshtein<=1") == Level("damerau_levenshtein", 1)
    True
    >>> [str(Level.parse(s)) for s in ("exact", "exact:email_canonical", "jaro_winkler>=0.9")]
    ['exact', 'exact:email_canonical', 'jaro_winkler>=0.9']
    >>> Level.parse("damerau_levenshtein<=1 & exact:digits").also
    (Level(kind='exact', value=None, normalize='digits', also=()),)
    >>> Level("jaro_winkler")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `value` must give the threshold of a 'jaro_winkler' level, in (0, 1) (got None).
    """

    kind: str = attrs.field(converter=_kind)
    value: float | None = None
    normalize: str | None = None
    also: tuple[Level, ...] = attrs.field(default=(), converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        for part in self.also:
            if not isinstance(part, Level) or part.also:
                msg = f"`also` must hold plain Level values (got {fmt(part)})."
                raise InvalidInputError(msg)
        if self.kind == "damerau_levenshtein":
            if self.value is None:
                msg = "`value` must give k, the largest distance of a 'damerau_levenshtein' level (got None)."
                raise InvalidInputError(msg)
            k = int(check_number(self.value, "value", low=0, high=10, integer=True))
            object.__setattr__(self, "value", float(k))
        elif self.kind == "jaro_winkler":
            if self.value is None:
                msg = "`value` must give the threshold of a 'jaro_winkler' level, in (0, 1) (got None)."
                raise InvalidInputError(msg)
            v = check_number(
                self.value, "value", low=0, high=1, low_inclusive=False, high_inclusive=False
            )
            object.__setattr__(self, "value", float(v))
        elif self.value is not None:
            msg = f"`value` must be None for a {self.kind!r} level (got {fmt(self.value)})."
            raise InvalidInputError(msg)
        if self.normalize is not None:
            if self.kind != "exact":
                msg = (
                    f"`normalize` applies to 'exact' levels only (got {self.normalize!r} on a "
                    f"{self.kind!r} level)."
                )
                raise InvalidInputError(msg)
            if self.normalize not in NORMALIZATIONS:
                listed = ", ".join(repr(k) for k in NORMALIZATIONS)
                msg = f"`normalize` must be one of {listed} (got {fmt(self.normalize)})."
                raise InvalidInputError(msg)

    @classmethod
    def parse(cls, text: object) -> Level:
        """Read a level from its text form, e.g. ``"exact:ascii"``, ``"jaro_winkler>=0.92"``."""
        if isinstance(text, Level):
            return text
        if isinstance(text, str) and "&" in text:
            first, *rest = text.split("&")
            base = cls.parse(first)
            parts: tuple[Level, ...] = tuple(cls.parse(r) for r in rest)
            return cls(base.kind, base.value, base.normalize, parts)
        match = _SYNTAX.match(text) if isinstance(text, str) else None
        if match is None:
            msg = (
                "a comparison level must be a Level or text such as 'exact', 'exact:ascii', "
                f"'damerau_levenshtein<=1' or 'jaro_winkler>=0.92' (got {fmt(text)})."
            )
            raise InvalidInputError(msg)
        kind, normalize, op, number = match.groups()
        _kind(kind)
        wanted = {"damerau_levenshtein": "<=", "jaro_winkler": ">="}.get(kind)
        if op is not None and op != wanted:
            msg = f"a {kind!r} level takes no {op!r} parameter (got {text!r})."
            raise InvalidInputError(msg)
        value = None if number is None else float(number)
        return cls(kind, value, normalize)

    def __str__(self) -> str:
        if self.also:
            return " & ".join([str(attrs.evolve(self, also=())), *(str(p) for p in self.also)])
        if self.kind == "damerau_levenshtein":
            return f"damerau_levenshtein<={int(self.value or 0)}"
        if self.kind == "jaro_winkler":
            return f"jaro_winkler>={self.value:g}"
        if self.normalize is not None:
            return f"{self.kind}:{self.normalize}"
        return self.kind

    def to_dict(self) -> dict[str, Any]:
        """Return the level as plain JSON-ready data."""
        return {
            "kind": self.kind,
            "value": self.value,
            "normalize": self.normalize,
            "also": [part.to_dict() for part in self.also],
        }


@attrs.frozen
class FieldSpec:
    """A compared field: its name, type, levels and whether agreement is frequency-adjusted."""

    field: str
    type: str
    levels: tuple[Level, ...]
    term_frequency: bool
    template: str

    @property
    def n_levels(self) -> int:
        """Levels including the final "disagree" level."""
        return len(self.levels) + 1

    def label(self, level: int) -> str:
        """Text of level ``level`` (``"missing"``, a level, or ``"else"``)."""
        if level < 0:
            return "missing"
        if level >= len(self.levels):
            return "else"
        return str(self.levels[level])

    def to_dict(self) -> dict[str, Any]:
        """Return the field's comparison as plain JSON-ready data."""
        return {
            "field": self.field,
            "levels": [str(lv) for lv in self.levels],
            "term_frequency": self.term_frequency,
        }


def field_type(name: str, columns: FieldColumns) -> str:
    """``"name"``, ``"email"``, ``"phone"``, ``"date"`` or ``"text"``."""
    if name in _STANDARD_TYPES:
        return _STANDARD_TYPES[name]
    column = np.asarray(columns.records.attributes[name])
    return "date" if np.issubdtype(column.dtype, np.datetime64) else "text"


def _template_levels(template: str, bands: tuple[float, ...]) -> tuple[Level, ...]:
    if template == "exact":
        return (Level("exact"),)
    return (Level("exact"), *(Level("jaro_winkler", b) for b in bands))


def parse_comparisons(
    fields: Mapping[str, Any] | Sequence[str],
    columns: FieldColumns,
    bands: tuple[float, ...],
    term_frequency: Sequence[str] | None,
    *,
    require_values: bool = True,
) -> tuple[FieldSpec, ...]:
    """Return the compared fields with their levels, checked against the table's columns."""
    if isinstance(fields, str):
        fields = [fields]
    check_collection(fields, "fields")
    items: list[tuple[str, Any]]
    if isinstance(fields, Mapping):
        items = list(fields.items())
    else:
        fuzzy = {"name", "first_name", "last_name", "email", "email_local"}
        items = [(f, "jaro_winkler" if f in fuzzy else "exact") for f in fields]
    if not items:
        msg = "`fields` must name at least one field to compare (got none)."
        raise InvalidInputError(msg)
    names = [columns.check_name(name, "fields") for name, _ in items]
    if len(set(names)) != len(names):
        msg = f"`fields` must not repeat a field (got {names})."
        raise InvalidInputError(msg)
    if term_frequency is None:
        tf = {n for n in names if _STANDARD_TYPES.get(n) == "name" and n != "first_initial"}
    else:
        listed = [term_frequency] if isinstance(term_frequency, str) else list(term_frequency)
        for i, f in enumerate(listed):
            if f not in names:
                msg = (
                    f"`term_frequency` must name compared fields ({', '.join(map(repr, names))}) "
                    f"(index {i}: {fmt(f)})."
                )
                raise InvalidInputError(msg)
        tf = set(listed)
    specs = []
    for name, spec in items:
        specs.append(_field_spec(name, spec, columns, bands, name in tf))
    for s in specs if require_values else ():
        if not (columns[s.field] != "").any():
            msg = (
                f"`fields` must name fields that hold values: {s.field!r} is empty in every "
                "record of `records`."
            )
            raise InvalidInputError(msg)
    return tuple(specs)


def _field_spec(
    name: str, spec: Any, columns: FieldColumns, bands: tuple[float, ...], tf: bool
) -> FieldSpec:
    where = f"fields[{name!r}]"
    template = "levels"
    if hasattr(spec, "value") and isinstance(getattr(spec, "value", None), str):
        spec = spec.value  # the Comparison enum
    if isinstance(spec, str) and spec in ("exact", "jaro_winkler"):
        template = spec
        levels = _template_levels(spec, bands)
    elif isinstance(spec, Level):
        levels = (spec,)
    elif isinstance(spec, Sequence) and spec and not isinstance(spec, str):
        try:
            levels = tuple(Level.parse(s) for s in spec)
        except InvalidInputError as error:
            msg = f"`{where}` must list comparison levels: {error}"
            raise InvalidInputError(msg) from None
    else:
        msg = (
            f"`{where}` must be 'exact', 'jaro_winkler' or a list of comparison "
            f"levels (got {fmt(spec)})."
        )
        raise InvalidInputError(msg)
    kind = field_type(name, columns)
    for i, level in enumerate(levels):
        for part in (level, *level.also):
            allowed = _TYPES_OF_KIND[part.kind]
            if part.normalize is not None:
                allowed = _TYPES_OF_NORMALIZATION[part.normalize]
            if kind in allowed:
                continue
            msg = (
                f"`{where}` level {i} ({part}) applies to {', '.join(sorted(allowed))} fields; "
                f"{name!r} holds {kind} values."
            )
            raise InvalidInputError(msg)
    return FieldSpec(field=name, type=kind, levels=levels, term_frequency=tf, template=template)


# --- normalisations (on distinct values; vectorised over code points) -----------------------


def _ascii_table() -> NDArray[np.uint32]:
    table = np.arange(0x250, dtype=np.uint32)
    special = {"ß": "s", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "a"}
    for cp in range(0xC0, 0x250):
        char = chr(cp)
        base = special.get(char) or unicodedata.normalize("NFKD", char)[:1]
        if base and ord(base) < 0x80:
            table[cp] = ord(base)
    return table


_ASCII: Final[NDArray[np.uint32]] = _ascii_table()


def _from_codes(codes: NDArray[np.uint32]) -> StrArray:
    width = max(1, codes.shape[1])
    if codes.shape[1] == 0:
        codes = np.zeros((codes.shape[0], 1), dtype=np.uint32)
    result: StrArray = np.ascontiguousarray(codes).view(f"<U{width}").ravel()
    return result


def _keep(values: StrArray, keep: NDArray[np.bool_]) -> StrArray:
    """Drop the characters where ``keep`` is False, keeping the order of the rest."""
    codes, _ = code_points(values)
    order = np.argsort(~keep, axis=1, kind="stable")
    packed = np.take_along_axis(codes * keep, order, axis=1)
    return _from_codes(packed.astype(np.uint32))


def normalize_values(values: StrArray, how: str) -> StrArray:
    """Apply the normalisation ``how`` (see :data:`NORMALIZATIONS`) to standardised values."""
    if values.size == 0:
        return values
    if how in ("email_canonical", "email_punctuation"):
        local, at, domain = np.strings.rpartition(values, "@")
        if how == "email_canonical":
            domain = np.where(domain == "googlemail.com", "gmail.com", domain)
            tags = np.isin(domain, sorted(EMAIL_DOMAINS_IGNORING_TAGS))
            local = np.where(tags, np.strings.partition(local, "+")[0], local)
            dots = np.isin(domain, sorted(EMAIL_DOMAINS_IGNORING_DOTS))
            local = np.where(dots, np.strings.replace(local, ".", ""), local)
        else:
            local = np.strings.partition(local, "+")[0]
            for mark in ".-_":
                local = np.strings.replace(local, mark, "")
        joined: StrArray = np.where(
            at == "@", np.strings.add(np.strings.add(local, "@"), domain), values
        )
        return joined
    if how == "ascii":
        codes, _ = code_points(values)
        mapped = np.where(codes < 0x250, _ASCII[np.minimum(codes, 0x24F)], codes)
        return _from_codes(mapped.astype(np.uint32))
    codes, _ = code_points(values)
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    if how == "digits":
        return _keep(values, digit)
    if how == "alphanumeric":
        lower = (codes >= ord("a")) & (codes <= ord("z"))
        alpha = lower | ((codes >= ord("A")) & (codes <= ord("Z")))
        return _keep(values, digit | alpha | (codes >= 0xC0))
    if how == "sorted_words":
        words = []
        rest = values
        for _ in range(4):
            head, _, rest = np.strings.partition(rest, " ")
            words.append(head)
        words[-1] = np.where(
            rest != "", np.strings.add(np.strings.add(words[-1], " "), rest), words[-1]
        )
        table = np.sort(np.stack(words, axis=1), axis=1)
        out = table[:, 0]
        for c in range(1, table.shape[1]):
            out = np.strings.add(np.strings.add(out, " "), table[:, c])
        result: StrArray = np.strings.strip(out)
        while result.size and np.strings.find(result, "  ").max() >= 0:
            result = np.strings.replace(result, "  ", " ")
        return result
    msg = f"unknown normalisation {how!r}"  # pragma: no cover - Level checks the name
    raise InvalidInputError(msg)


# --- term frequencies ------------------------------------------------------------------------


@attrs.frozen(eq=False)
class TermFrequencies:
    r"""How often each (normalised) value of a field occurs among the records that have one.

    The term-frequency adjustment of an agreement on value ``v`` is
    :math:`\log_2(\sum_w f_w^2 / f_v)` bits, with :math:`f_v` the share of records with
    value ``v``: agreeing non-matches meet on ``v`` with probability :math:`f_v^2`, matches
    with probability :math:`f_v`, so relative to the field's average agreement a rare value
    is stronger evidence and a common one weaker (Fellegi & Sunter 1969, §3.3; Winkler 1989).
    """

    values: StrArray
    counts: IntArray

    @classmethod
    def of(cls, values: StrArray) -> TermFrequencies:
        """Count the non-empty values."""
        present = values[values != ""]
        uniques, counts = np.unique(present, return_counts=True)
        return cls(values=uniques, counts=counts.astype(np.int64))

    def merged(self, other: TermFrequencies) -> TermFrequencies:
        """Return the counts of both tables together."""
        values = np.concatenate([self.values, other.values])
        counts = np.concatenate([self.counts, other.counts])
        uniques, inverse = np.unique(values, return_inverse=True)
        return TermFrequencies(
            values=uniques, counts=np.bincount(inverse, weights=counts).astype(np.int64)
        )

    def adjustment(self, values: StrArray) -> FloatArray:
        """Bits added to an agreement on each of ``values``."""
        total = float(self.counts.sum())
        if total == 0 or values.size == 0:
            return np.zeros(values.size)
        share = self.counts / total
        average = float(share @ share)
        position = np.clip(np.searchsorted(self.values, values), 0, self.values.size - 1)
        found = self.values[position] == values
        f = np.where(found, share[position], 1.0 / total)
        result: FloatArray = np.log2(average / f)
        return result


def term_frequencies(
    values: StrArray,
    spec: FieldSpec,
    encoded: tuple[StrArray, IntArray] | None = None,
) -> dict[int, TermFrequencies]:
    """Per exact level of a frequency-adjusted field, the counts of its (normalised) values.

    ``encoded`` is ``np.unique(values, return_inverse=True)`` if already computed.
    """
    if not spec.term_frequency:
        return {}
    vocabulary, inverse = encoded if encoded is not None else _encode(values)
    counts = np.bincount(inverse, minlength=vocabulary.size)
    tables = {}
    for idx, level in enumerate(spec.levels):
        if level.kind != "exact":
            continue
        shown = (
            vocabulary if level.normalize is None else normalize_values(vocabulary, level.normalize)
        )
        uniques, back = np.unique(shown, return_inverse=True)
        merged = np.bincount(back.ravel(), weights=counts, minlength=uniques.size)
        keep = uniques != ""
        tables[idx] = TermFrequencies(values=uniques[keep], counts=merged[keep].astype(np.int64))
    return tables


def _encode(values: StrArray) -> tuple[StrArray, IntArray]:
    vocabulary, inverse = np.unique(values, return_inverse=True)
    return vocabulary, inverse.ravel().astype(np.int64)


def _normalized_column(values: StrArray, how: str) -> StrArray:
    uniques, inverse = np.unique(values, return_inverse=True)
    normal = normalize_values(uniques, how)
    result: StrArray = normal[inverse]
    return result


# --- comparing --------------------------------------------------------------------------------


def compare_field(
    values: StrArray,
    spec: FieldSpec,
    left: IntArray,
    right: IntArray,
    frequencies: Mapping[int, TermFrequencies] | None = None,
    encoded: tuple[StrArray, IntArray] | None = None,
) -> tuple[NDArray[np.int8], FloatArray]:
    """Return each pair's level for one field, and its term-frequency adjustment (bits).

    Every test runs once per *distinct* pair of values, on the pairs no earlier level took.
    ``encoded`` is ``np.unique(values, return_inverse=True)`` if already computed; without
    it only the values of the paired records are encoded (cheap for few pairs).
    """
    n_pairs = left.size
    top = len(spec.levels)
    adjust = np.zeros(n_pairs)
    if n_pairs == 0:
        return np.zeros(0, dtype=np.int8), adjust
    if encoded is not None:
        vocabulary, inverse = encoded
        a, b = inverse[left], inverse[right]
    else:
        records = np.unique(np.concatenate([left, right]))
        vocabulary, inverse = _encode(values[records])
        a = inverse[np.searchsorted(records, left)]
        b = inverse[np.searchsorted(records, right)]
    size = np.int64(max(1, vocabulary.size))
    key = np.minimum(a, b) * size + np.maximum(a, b)
    pair_key, pair_of = np.unique(key, return_inverse=True)
    ua, ub = pair_key // size, pair_key % size
    level_u = np.full(pair_key.size, top, dtype=np.int8)
    remaining = np.ones(pair_key.size, dtype=bool)
    cache: dict[str, Any] = {}
    for idx, test in enumerate(spec.levels):
        todo = np.flatnonzero(remaining)
        if todo.size == 0:
            break
        hit = _passes(test, vocabulary, ua[todo], ub[todo], cache, todo, pair_key.size)
        for part in test.also:
            hit &= _passes(
                part, vocabulary, ua[todo], ub[todo], cache, todo, pair_key.size, allow_empty=True
            )
        level_u[todo[hit]] = idx
        remaining[todo[hit]] = False
    level = level_u[pair_of.ravel()]
    empty = vocabulary == ""
    level = np.where(empty[a] | empty[b], np.int8(-1), level).astype(np.int8)
    for idx, table in (frequencies or {}).items():
        chosen = np.flatnonzero(level == idx)
        if chosen.size == 0:
            continue
        how = spec.levels[idx].normalize
        shown = vocabulary if how is None else _cached_normal(vocabulary, how, cache)
        adjust[chosen] = table.adjustment(shown[a[chosen]])
    return level, adjust


def _cached_normal(vocabulary: StrArray, how: str, cache: dict[str, Any]) -> StrArray:
    key = f"normal:{how}"
    if key not in cache:
        cache[key] = normalize_values(vocabulary, how)
    result: StrArray = cache[key]
    return result


def _passes(
    level: Level,
    vocabulary: StrArray,
    a: IntArray,
    b: IntArray,
    cache: dict[str, Any],
    todo: IntArray,
    n_unique: int,
    *,
    allow_empty: bool = False,
) -> NDArray[np.bool_]:
    kind = level.kind
    if kind == "exact":
        if level.normalize is None:
            result: NDArray[np.bool_] = a == b
            return result
        normal = _cached_normal(vocabulary, level.normalize, cache)
        code_key = f"code:{level.normalize}"
        if code_key not in cache:
            cache[code_key] = np.unique(normal, return_inverse=True)[1].ravel()
        code = cache[code_key]
        same: NDArray[np.bool_] = code[a] == code[b]
        return same if allow_empty else same & (normal[a] != "")
    if kind == "damerau_levenshtein":
        return within_edits(vocabulary[a], vocabulary[b], int(level.value or 0))
    if kind == "jaro_winkler":
        if "jw" not in cache:
            cache["jw"] = np.full(n_unique, np.nan)
        similarity = cache["jw"]
        fresh = todo[np.isnan(similarity[todo])]
        if fresh.size:
            lookup = np.searchsorted(todo, fresh)
            similarity[fresh] = _jaro_winkler_flat(
                vocabulary[a[lookup]], vocabulary[b[lookup]], 0.1, 4, 0.7
            )
        close: NDArray[np.bool_] = similarity[todo] >= float(level.value or 0.0)
        return close
    out: NDArray[np.bool_]
    if kind == "initial":
        length = np.strings.str_len(vocabulary)
        first = np.strings.slice(vocabulary, 0, 1)
        one = (length[a] == 1) | (length[b] == 1)
        out = one & (first[a] == first[b]) & (length[a] > 0) & (length[b] > 0)
        return out
    year = np.strings.slice(vocabulary, 0, 4)
    if kind == "same_year":
        out = (year[a] == year[b]) & (year[a] != "")
        return out
    month = np.strings.slice(vocabulary, 5, 7)
    day = np.strings.slice(vocabulary, 8, 10)
    out = (year[a] == year[b]) & (month[a] == day[b]) & (day[a] == month[b]) & (month[a] != "")
    return out
