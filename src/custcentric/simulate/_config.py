"""The building blocks of a scenario as JSON-ready frozen values (shared checks and round trip)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

import attrs

from custcentric._validation import check_number, fmt
from custcentric.exceptions import InvalidInputError

__all__ = ["Config", "as_text", "flag_value", "nested", "number", "optional_number"]


def number(
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> Callable[[object], float]:
    """Return an attrs converter: a finite number within bounds, refused naming ``name``."""

    def convert(value: object) -> float:
        out = check_number(
            value,
            name,
            low=low,
            high=high,
            low_inclusive=low_inclusive,
            high_inclusive=high_inclusive,
            integer=integer,
        )
        return int(out) if integer else float(out)

    return convert


def optional_number(name: str, **bounds: Any) -> Callable[[object], float | None]:
    """Return a converter like :func:`number` that also accepts None."""
    inner = number(name, **bounds)

    def convert(value: object) -> float | None:
        return None if value is None else inner(value)

    return convert


def as_text(name: str) -> Callable[[object], str]:
    """Return a converter to a non-empty string."""

    def convert(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            msg = f"`{name}` must be a non-empty string (got {fmt(value)})."
            raise InvalidInputError(msg)
        return value

    return convert


def flag_value(name: str) -> Callable[[object], bool]:
    """Return a converter that accepts only True or False."""

    def convert(value: object) -> bool:
        if not isinstance(value, bool):
            msg = f"`{name}` must be True or False (got {fmt(value)})."
            raise InvalidInputError(msg)
        return value

    return convert


def nested(cls: type[Any], name: str, *, optional: bool = False) -> Callable[[object], Any]:
    """Return a converter: a ``cls`` value as is, a mapping through ``cls.from_dict``."""

    def convert(value: object) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            return cls.from_dict(value)
        kind = f"a {cls.__name__}, a mapping" + (" or None" if optional else "")
        msg = f"`{name}` must be {kind} (got {fmt(value)})."
        raise InvalidInputError(msg)

    return convert


class Config:
    """Mixin: ``to_dict()`` field by field, ``from_dict()`` refusing unknown or missing keys."""

    __slots__ = ()

    _KIND: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the value as JSON-ready data, one key per field.

        Examples
        --------
        >>> from custcentric.simulate import ServiceTiers
        >>> ServiceTiers().to_dict()
        {'names': ['gold', 'silver', 'bronze'], 'shares': [0.2, 0.3, 0.5]}
        """
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        return {f.name: plain(getattr(self, f.name)) for f in fields}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build the value from :meth:`to_dict` output; unknown or missing keys are refused.

        Examples
        --------
        >>> from custcentric.simulate import ServiceTiers
        >>> ServiceTiers.from_dict({"names": ["a", "b"], "shares": [0.5, 0.5]}).names
        ('a', 'b')
        >>> ServiceTiers.from_dict({"names": ["a"], "share": [1.0]})
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: ServiceTiers has no field 'share' (fields: names, shares).
        """
        check_keys(cls, data)
        return cls(**dict(data))


def check_keys(cls: type[Any], data: object, *, ignore: tuple[str, ...] = ()) -> None:
    """Refuse a non-mapping, an unknown key or a missing required key, naming it."""
    if not isinstance(data, Mapping):
        msg = f"`data` must be a mapping for {cls.__name__}.from_dict (got {fmt(data)})."
        raise InvalidInputError(msg)
    fields = attrs.fields(cls)
    names = [f.name for f in fields]
    unknown = sorted(str(k) for k in data if k not in names and k not in ignore)
    if unknown:
        msg = f"{cls.__name__} has no field {unknown[0]!r} (fields: {', '.join(names)})."
        raise InvalidInputError(msg)
    missing = [f.name for f in fields if f.default is attrs.NOTHING and f.name not in data]
    if missing:
        msg = f"{cls.__name__} needs the field {missing[0]!r} (missing from `data`)."
        raise InvalidInputError(msg)


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data (nested values through their ``to_dict``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value  # pragma: no cover - every field is one of the above
