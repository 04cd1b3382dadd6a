"""The comparable fields of a CustomerTable: standardised text columns, computed on demand."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import numpy as np

from custcentric._validation import fmt, to_enum
from custcentric.exceptions import InvalidInputError
from custcentric.idic._normalize import normalize_email, normalize_name, normalize_phone, split_name
from custcentric.tables import CustomerTable
from custcentric.typing import StrArray

__all__ = ["STANDARD_FIELDS", "Comparison", "FieldColumns", "parse_blocking", "parse_fields"]


class Comparison(enum.Enum):
    """How a field is compared: exactly, or by Jaro–Winkler similarity bands.

    Examples
    --------
    >>> from custcentric.idic import Comparison
    >>> Comparison("jaro_winkler") is Comparison.JARO_WINKLER
    True
    """

    EXACT = "exact"
    JARO_WINKLER = "jaro_winkler"


STANDARD_FIELDS: Final[tuple[str, ...]] = (
    "name",
    "first_name",
    "last_name",
    "first_initial",
    "email",
    "email_local",
    "phone",
    "birth_date",
    "birth_year",
)
"""Fields every CustomerTable offers for comparison and blocking (besides its attributes)."""

_FUZZY_BY_DEFAULT = frozenset({"name", "first_name", "last_name", "email", "email_local"})


class FieldColumns:
    """Standardised text per comparable field, ``""`` where missing; computed once, on demand."""

    def __init__(self, records: CustomerTable, *, n_phone_digits: int = 10) -> None:
        self.records = records
        self._cache: dict[str, StrArray] = {}
        self._n_phone_digits = n_phone_digits
        self._rules: dict[str, Callable[[], StrArray]] = {
            "name": lambda: normalize_name(records.name),
            "first_name": lambda: split_name(self["name"])[0],
            "last_name": lambda: split_name(self["name"])[1],
            "first_initial": lambda: np.strings.slice(self["first_name"], 0, 1),
            "email": lambda: normalize_email(records.email),
            "email_local": lambda: np.strings.partition(self["email"], "@")[0],
            "phone": lambda: normalize_phone(records.phone, n_digits=self._n_phone_digits),
            "birth_date": self._birth_date,
            "birth_year": lambda: np.strings.slice(self["birth_date"], 0, 4),
        }

    def _birth_date(self) -> StrArray:
        dates = self.records.birth_date
        text = np.datetime_as_string(dates, unit="D")
        result: StrArray = np.where(np.isnat(dates), "", text)
        return result

    @classmethod
    def concatenate(
        cls, first: FieldColumns, second: FieldColumns, records: CustomerTable
    ) -> FieldColumns:
        """Columns of ``records`` (the rows of ``first``, then of ``second``), reusing both caches."""
        joined = cls(records, n_phone_digits=first._n_phone_digits)
        for name in first._cache:
            if name in records.attributes or name in joined._rules:
                joined._cache[name] = np.concatenate([first[name], second[name]])
        return joined

    def available(self) -> tuple[str, ...]:
        """Every field name this table can compare or block on."""
        return (*STANDARD_FIELDS, *self.records.attributes)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.available()

    def __getitem__(self, name: str) -> StrArray:
        if name not in self._cache:
            if name in self._rules:
                self._cache[name] = self._rules[name]()
            else:
                column = np.asarray(self.records.attributes[name])
                if np.issubdtype(column.dtype, np.datetime64):
                    text = np.where(np.isnat(column), "", column.astype(np.str_))
                else:
                    text = column.astype(np.str_)
                self._cache[name] = np.strings.lower(np.strings.strip(text))
        return self._cache[name]

    def check_name(self, name: object, argument: str) -> str:
        """Return ``name`` if it is a comparable field, else raise naming the options."""
        if not isinstance(name, str) or name not in self:
            listed = ", ".join(repr(f) for f in self.available())
            msg = f"`{argument}` must name comparable fields of `records` ({listed}); got {fmt(name)}."
            raise InvalidInputError(msg)
        return str(name)


def check_collection(values: object, argument: str) -> None:
    """Refuse None, a number or another non-iterable where a collection of names goes."""
    flat = not isinstance(values, np.ndarray) or values.ndim == 1
    if values is None or not isinstance(values, Mapping | Sequence | np.ndarray) or not flat:
        msg = f"`{argument}` must be a sequence of field names (got {fmt(values)[:80]})."
        raise InvalidInputError(msg)


def parse_fields(
    fields: Mapping[str, str | Comparison] | Sequence[str], columns: FieldColumns
) -> tuple[tuple[str, ...], tuple[Comparison, ...]]:
    """Return field names and their comparisons; names alone get a default comparison."""
    if isinstance(fields, str):
        fields = [fields]
    if isinstance(fields, Mapping):
        items = list(fields.items())
    else:
        items = [
            (f, Comparison.JARO_WINKLER if f in _FUZZY_BY_DEFAULT else Comparison.EXACT)
            for f in fields
        ]
    if not items:
        msg = "`fields` must name at least one field to compare (got none)."
        raise InvalidInputError(msg)
    names: list[str] = []
    kinds: list[Comparison] = []
    for name, kind in items:
        names.append(columns.check_name(name, "fields"))
        kinds.append(to_enum(Comparison, kind, f"fields[{name!r}]"))
    if len(set(names)) != len(names):
        msg = f"`fields` must not repeat a field (got {names})."
        raise InvalidInputError(msg)
    for name in names:
        if not (columns[name] != "").any():
            msg = (
                f"`fields` must name fields that hold values: {name!r} is empty in every "
                "record of `records`."
            )
            raise InvalidInputError(msg)
    return tuple(names), tuple(kinds)


def parse_blocking(
    blocking: Sequence[str | Sequence[str]], columns: FieldColumns
) -> tuple[tuple[str, ...], ...]:
    """Return blocking rules as tuples of field names (a rule's fields must all agree)."""
    if isinstance(blocking, str):
        blocking = [blocking]
    check_collection(blocking, "blocking")
    rules = []
    for rule in blocking:
        check_collection(rule, "blocking")
        parts = (rule,) if isinstance(rule, str) else tuple(rule)
        if not parts:
            msg = "`blocking` rules must name at least one field (got an empty rule)."
            raise InvalidInputError(msg)
        rules.append(tuple(columns.check_name(p, "blocking") for p in parts))
    if not rules:
        msg = "`blocking` must hold at least one rule (got none)."
        raise InvalidInputError(msg)
    return tuple(rules)
