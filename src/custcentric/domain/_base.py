"""What every domain value shares: field converters and the dict round trip.

A domain value is a frozen, slotted attrs class whose fields convert what comes in at the
public edge (strings to enums, ISO strings to timestamps, lists to tuples, dicts to nested
values) and check it. :class:`DomainValue` gives each one ``to_dict()`` and ``from_dict()``
with a ``schema_version``, so that ``type(v).from_dict(v.to_dict()) == v`` and the dict
survives a trip through JSON.

A class whose dict layout changed (a field renamed) declares a higher ``schema_version`` and
the renames in ``_renamed``; its ``from_dict`` still reads every older layout (stored data
keeps loading), and :func:`renamed_fields` lets its constructor take the old keyword for one
minor release, with a :class:`~custcentric.exceptions.CustcentricDeprecationWarning`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Final, Self, TypeVar, cast

import attrs
import numpy as np

from custcentric._deprecation import REMOVED_IN, SINCE, renamed_argument, warn_deprecated
from custcentric._validation import check_number, fmt, to_enum
from custcentric.exceptions import InvalidInputError

__all__ = [
    "SCHEMA_VERSION",
    "DomainValue",
    "check_unique",
    "date_or_none",
    "enum_field",
    "flag",
    "frozen_mapping",
    "nested",
    "number",
    "optional_text",
    "real_number",
    "renamed_fields",
    "text",
    "text_tuple",
    "timestamp",
    "values_tuple",
]

SCHEMA_VERSION: Final = 1
"""The first version of the dict layout written by ``to_dict()``.

A class whose layout changed since carries its own, higher ``schema_version`` (``SLA`` and
``Compensation``: 2, where ``unit`` became ``time_unit``); ``from_dict()`` reads every version
from this one up to the class's own and refuses others."""

E = TypeVar("E", bound=enum.Enum)
V = TypeVar("V", bound="DomainValue")

_SCALAR_TYPES: Final = (str, bool, int, float)
_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


class DomainValue:
    """Mixin for the domain values: the dict round trip and a compact ``__repr__`` helper."""

    __slots__ = ()

    #: The version of this class's dict layout (see ``SCHEMA_VERSION``).
    schema_version: ClassVar[int] = SCHEMA_VERSION
    #: Renamed fields, old name -> (new name, the schema version that renamed it).
    _renamed: ClassVar[Mapping[str, tuple[str, int]]] = types.MappingProxyType({})

    def to_dict(self) -> dict[str, Any]:
        """Return the value as plain JSON-compatible data, with ``schema_version``.

        Enums become their string values, timestamps and dates ISO 8601 strings, tuples
        lists and nested values dicts (without their own ``schema_version``).
        """
        return {"schema_version": type(self).schema_version, **_fields_to_plain(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build the value from the output of :meth:`to_dict` (or JSON read back from it).

        ``schema_version`` may be left out (it is then the class's current one); if given it
        must be one the class has had, and the dict of an older layout is read as it was
        written (a renamed key under its old name). Unknown keys are refused, so that a
        misspelt field is not silently dropped.
        """
        raw: object = data
        if not isinstance(raw, Mapping):
            msg = f"`data` must be a mapping for {cls.__name__}.from_dict (got {fmt(data)})."
            raise InvalidInputError(msg)
        version = data.get("schema_version", cls.schema_version)
        versions = range(SCHEMA_VERSION, cls.schema_version + 1)
        if isinstance(version, bool) or not isinstance(version, int) or version not in versions:
            allowed = (
                str(SCHEMA_VERSION)
                if len(versions) == 1
                else "one of " + ", ".join(str(v) for v in versions)
            )
            msg = f"`schema_version` must be {allowed} for {cls.__name__} (got {fmt(version)})."
            raise InvalidInputError(msg)
        fields = cls._upgrade({k: v for k, v in data.items() if k != "schema_version"}, version)
        names = [a.name for a in attrs.fields(cls)]  # type: ignore[arg-type]
        unknown = sorted(k for k in fields if k not in names)
        if unknown:
            msg = f"{cls.__name__} has no field {unknown[0]!r} (fields: {', '.join(names)})."
            raise InvalidInputError(msg)
        return cls(**fields)

    @classmethod
    def _upgrade(cls, data: dict[str, Any], version: int) -> dict[str, Any]:
        """Return the fields of a dict of layout ``version`` under today's names.

        A key renamed after ``version`` is read under its old name silently (stored data);
        the old name in a dict of today's layout is a caller's deprecated spelling and warns.
        """
        for old, (new, since) in cls._renamed.items():
            if old not in data:
                continue
            if new in data:
                msg = (
                    f"`data` for {cls.__name__}.from_dict must give `{new}` only "
                    f"(`{old}` is its former name), not both."
                )
                raise InvalidInputError(msg)
            if version >= since:
                warn_deprecated(
                    f"the key {old!r} in {cls.__name__}.from_dict",
                    f"{new!r}",
                    since=SINCE,
                    removed_in=REMOVED_IN,
                    stacklevel=4,
                )
            data[new] = data.pop(old)
        return data


C = TypeVar("C", bound=type)


def renamed_fields(**renamed: str) -> Callable[[C], C]:
    """Class decorator: the constructor also takes each field's former keyword, deprecated.

    ``renamed`` maps an old keyword to the field's current name. Apply it above
    ``@attrs.frozen``; giving both names is refused.

    Examples
    --------
    >>> import attrs, warnings
    >>> @renamed_fields(unit="time_unit")
    ... @attrs.frozen(kw_only=True)
    ... class Target:
    ...     time_unit: str = "h"
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Target(unit="D").time_unit
    'D'
    >>> print(caught[0].message)
    `unit=` is deprecated since custcentric 0.1 and will be removed in 0.2; use `time_unit=` instead.
    """

    def decorate(cls: C) -> C:
        init = cls.__init__

        @functools.wraps(init)
        def init_accepting_old_names(self: Any, *args: Any, **kwargs: Any) -> None:
            for old, new in renamed.items():
                if old in kwargs:
                    value = renamed_argument(
                        kwargs.pop(new, None), kwargs.pop(old), new=new, old=old
                    )
                    kwargs[new] = value
            init(self, *args, **kwargs)

        cls.__init__ = init_accepting_old_names
        return cls

    return decorate


def _fields_to_plain(value: object) -> dict[str, Any]:
    fields = attrs.fields(type(value))  # type: ignore[arg-type]
    return {a.name: _to_plain(getattr(value, a.name)) for a in fields}


def _to_plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value, unit="s"))
    if isinstance(value, dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return _fields_to_plain(value)
    if isinstance(value, Mapping):
        return {_to_plain(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Field converters. Each takes the field name so that its message can name it.


def text(name: str) -> Callable[[object], str]:
    """Return a converter to a non-empty string (surrounding whitespace kept as given)."""

    def convert(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            msg = f"`{name}` must be a non-empty string (got {fmt(value)})."
            raise InvalidInputError(msg)
        return value

    return convert


def optional_text(name: str) -> Callable[[object], str | None]:
    """Return a converter to ``None`` or a non-empty string (``""`` means ``None``)."""

    def convert(value: object) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            msg = f"`{name}` must be a string or None (got {fmt(value)})."
            raise InvalidInputError(msg)
        return value

    return convert


def flag(name: str) -> Callable[[object], bool]:
    """Return a converter that accepts only ``True`` or ``False`` (not 0, 1 or "yes")."""

    def convert(value: object) -> bool:
        if not isinstance(value, bool):
            msg = f"`{name}` must be True or False (got {fmt(value)})."
            raise InvalidInputError(msg)
        return value

    return convert


def enum_field(enum_type: type[E], name: str) -> Callable[[object], E]:
    """Return a converter to a member of ``enum_type`` from itself, its value or its name."""

    def convert(value: object) -> E:
        return to_enum(enum_type, value, name)

    return convert


def number(
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> Callable[[object], float]:
    """Return a converter to a finite ``float`` (not a bool) within optional bounds."""

    def convert(value: object) -> float:
        return real_number(
            value,
            name,
            low=low,
            high=high,
            low_inclusive=low_inclusive,
            high_inclusive=high_inclusive,
        )

    return convert


def real_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Check one number given in code: as :func:`check_number`, but text is refused too.

    Booleans, complex numbers, None, NaN and infinities are refused by the shared check;
    strings and bytes (``"3"``) are refused here rather than parsed, as a number that
    arrives as text is almost always a column read without conversion.
    """
    if isinstance(value, str | bytes | bool | np.bool_):
        msg = f"`{name}` must be a real number (got {fmt(value)})."
        raise InvalidInputError(msg)
    return check_number(
        value,
        name,
        low=low,
        high=high,
        low_inclusive=low_inclusive,
        high_inclusive=high_inclusive,
        integer=integer,
    )


def timestamp(name: str) -> Callable[[object], np.datetime64]:
    """Return a converter to ``datetime64[s]`` from a datetime64, datetime or ISO string.

    Timestamps in custcentric have a resolution of one second; a finer non-zero fraction is
    refused rather than cut off, and so is a time-zone-aware datetime.
    """

    def convert(value: object) -> np.datetime64:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            msg = f"`{name}` must be a naive datetime (got {fmt(value)}); convert it to UTC first."
            raise InvalidInputError(msg)
        if not isinstance(value, str | dt.date | np.datetime64):
            msg = f"`{name}` must be a datetime64, datetime or ISO 8601 string (got {fmt(value)})."
            raise InvalidInputError(msg)
        try:
            parsed = np.datetime64(value)
        except ValueError:
            msg = f"`{name}` must be a datetime64, datetime or ISO 8601 string (got {fmt(value)})."
            raise InvalidInputError(msg) from None
        if np.isnat(parsed):
            msg = f"`{name}` must not be missing (got {fmt(value)})."
            raise InvalidInputError(msg)
        seconds: np.datetime64 = cast(np.datetime64, parsed.astype("datetime64[s]"))
        if seconds != parsed:
            msg = f"`{name}` must be a whole number of seconds (got {fmt(value)})."
            raise InvalidInputError(msg)
        return seconds

    return convert


def date_or_none(name: str) -> Callable[[object], dt.date | None]:
    """Return a converter to ``None`` or a date, from a date, a day datetime64 or ISO text."""

    def convert(value: object) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            msg = f"`{name}` must be a date, not a datetime (got {fmt(value)})."
            raise InvalidInputError(msg)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, np.datetime64) and not np.isnat(value):
            unit = np.datetime_data(value.dtype)[0]
            day = value.astype("datetime64[D]")
            if unit not in ("Y", "M", "W") and day == value:
                result: dt.date = day.item()
                return result
        msg = (
            f"`{name}` must be a date, an ISO 8601 'YYYY-MM-DD' string or None (got {fmt(value)})."
        )
        raise InvalidInputError(msg)

    return convert


def text_tuple(name: str) -> Callable[[object], tuple[str, ...]]:
    """Return a converter to a tuple of non-empty strings from a non-string iterable."""
    return values_tuple(name, text)


def values_tuple(
    name: str, item: Callable[[str], Callable[[object], Any]]
) -> Callable[[object], tuple[Any, ...]]:
    """Return a converter to a tuple whose items go through ``item(f"{name}[i]")``."""

    def convert(value: object) -> tuple[Any, ...]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            msg = f"`{name}` must be a sequence (got {fmt(value)})."
            raise InvalidInputError(msg)
        return tuple(item(f"{name}[{i}]")(v) for i, v in enumerate(value))

    return convert


def nested(cls: type[V], name: str) -> Callable[[str], Callable[[object], V]]:
    """Item converter for :func:`values_tuple`: a ``cls`` value or a dict for ``cls.from_dict``."""

    def for_item(item_name: str) -> Callable[[object], V]:
        def convert(value: object) -> V:
            if isinstance(value, cls):
                return value
            if isinstance(value, Mapping):
                return cls.from_dict(value)
            msg = f"`{item_name}` must be a {cls.__name__} or a mapping (got {fmt(value)})."
            raise InvalidInputError(msg)

        return convert

    del name
    return for_item


def frozen_mapping(
    name: str, key: Callable[[object], Any] | None = None
) -> Callable[[object], Mapping[Any, Any]]:
    """Return a converter to a read-only mapping of str, bool, int or finite float values.

    Keys are strings unless ``key`` converts them (for example to an enum).
    """

    def convert(value: object) -> Mapping[Any, Any]:
        if value is None:
            return types.MappingProxyType({})
        if not isinstance(value, Mapping):
            msg = f"`{name}` must be a mapping (got {fmt(value)})."
            raise InvalidInputError(msg)
        out: dict[Any, Any] = {}
        for k, v in value.items():
            k2 = key(k) if key is not None else k
            if key is None and (not isinstance(k, str) or not k):
                msg = f"`{name}` keys must be non-empty strings (got {fmt(k)})."
                raise InvalidInputError(msg)
            if isinstance(v, np.generic):
                v = v.item()
            bad_float = isinstance(v, float) and not math.isfinite(v)
            if not isinstance(v, _SCALAR_TYPES) or bad_float:
                msg = (
                    f"`{name}[{k!r}]` must be a string, bool, integer or finite float "
                    f"(got {fmt(v)})."
                )
                raise InvalidInputError(msg)
            out[k2] = v
        return types.MappingProxyType(dict(sorted(out.items(), key=lambda kv: str(kv[0]))))

    return convert


def check_unique(values: Iterable[str], name: str) -> None:
    """Raise if ``values`` repeats an item, naming the first repeat and its index."""
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            msg = f"`{name}` must not repeat an id (index {i}: {v!r})."
            raise InvalidInputError(msg)
        seen.add(v)
