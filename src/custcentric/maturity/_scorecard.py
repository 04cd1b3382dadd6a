"""A CRM scorecard that keeps efficiency and effectiveness apart (source S3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import check_number, fmt
from custcentric.domain._base import DomainValue
from custcentric.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KNOWN_MEASURES", "MEASURE_KINDS", "Measure", "Scorecard"]

MEASURE_KINDS: Final[tuple[str, ...]] = ("efficiency", "effectiveness")
"""Efficiency: what the programme costs or saves. Effectiveness: what it does for customers."""

KNOWN_MEASURES: Final[dict[str, tuple[str, bool]]] = {
    # name: (kind, higher is better)
    "service_cost": ("efficiency", False),
    "cost_per_contact": ("efficiency", False),
    "handling_time": ("efficiency", False),
    "mailing_cost": ("efficiency", False),
    "sales_productivity": ("efficiency", True),
    "unit_cost": ("efficiency", False),
    "retention": ("effectiveness", True),
    "brand_perception": ("effectiveness", True),
    "revenue": ("effectiveness", True),
    "satisfaction": ("effectiveness", True),
    "nps": ("effectiveness", True),
    "share_of_wallet": ("effectiveness", True),
    "customer_lifetime_value": ("effectiveness", True),
}
"""Measures whose kind and direction are known; others need ``kind`` (and ``higher_is_better``)."""


def _target(value: object) -> float:
    return check_number(value, "target")


def _actual(value: object) -> float | None:
    return None if value is None else check_number(value, "actual")


_MEASURE_FIELDS: Final = ("name", "target", "actual", "kind", "higher_is_better", "unit")


def _measure(item: object, i: int) -> Measure:
    if isinstance(item, Measure):
        return item
    if not isinstance(item, Mapping):
        msg = f"`measures` must hold Measure values or dicts (measure {i}: {fmt(item)})."
        raise InvalidInputError(msg)
    unknown = sorted(str(k) for k in item if k not in _MEASURE_FIELDS)
    missing = [k for k in ("name", "target") if k not in item]
    if unknown or missing:
        problems = [f"unknown field {k!r}" for k in unknown]
        problems += [f"missing field {k!r}" for k in missing]
        msg = f"`measures` must hold valid measures (measure {i}: {'; '.join(problems)})."
        raise InvalidInputError(msg)
    return Measure(**item)


def _measures(value: Iterable[Any]) -> tuple[Measure, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        msg = f"`measures` must be a sequence of measures (got {type(value).__name__})."
        raise InvalidInputError(msg)
    return tuple(_measure(m, i) for i, m in enumerate(value))


@attrs.frozen(kw_only=True)
class Measure(DomainValue, Result):
    """One scorecard line: a measure, its target and (once known) its actual value.

    A configuration value: ``to_dict()`` writes it with a ``schema_version`` and
    ``Measure.from_dict`` reads it back, refusing an unknown key by name.

    Parameters
    ----------
    name : str
        E.g. ``"retention"``; names in :data:`KNOWN_MEASURES` bring their kind and direction.
    target : float
        The value aimed at.
    actual : float, optional
        The value reached; ``None`` while unknown.
    kind : {"efficiency", "effectiveness"}, optional
        Required for names not in :data:`KNOWN_MEASURES`.
    higher_is_better : bool, optional
        Direction; from :data:`KNOWN_MEASURES`, else ``True``.
    unit : str, default ""
        For display.

    Examples
    --------
    >>> from custcentric.maturity import Measure
    >>> measure = Measure(name="retention", target=0.85, actual=0.8)
    >>> measure.kind, measure.higher_is_better, measure.met
    ('effectiveness', True, False)
    >>> print(measure)
    retention: target 0.85, actual 0.8 (missed)
    >>> Measure.from_dict(measure.to_dict()) == measure
    True
    >>> Measure.from_dict({"name": "retention", "target": 0.85, "goal": 0.9})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: Measure has no field 'goal' (fields: name, target, actual, kind, higher_is_better, unit).
    """

    name: str
    target: float = attrs.field(converter=_target)
    actual: float | None = attrs.field(default=None, converter=_actual)
    kind: str | None = None
    higher_is_better: bool | None = None
    unit: str = ""

    def __attrs_post_init__(self) -> None:
        name: object = self.name
        if not isinstance(name, str) or not name.strip():
            msg = f"`name` must be a non-empty string (got {fmt(self.name)})."
            raise InvalidInputError(msg)
        known = KNOWN_MEASURES.get(self.name)
        kind = self.kind if self.kind is not None else (known[0] if known else None)
        if kind not in MEASURE_KINDS:
            msg = (
                f"`kind` must be one of 'efficiency', 'effectiveness' for measure {self.name!r} "
                f"(got {fmt(self.kind)})."
            )
            raise InvalidInputError(msg)
        direction: object = self.higher_is_better
        if direction is None:
            direction = known[1] if known else True
        if not isinstance(direction, bool):
            msg = f"`higher_is_better` must be True or False (got {fmt(direction)})."
            raise InvalidInputError(msg)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "higher_is_better", direction)

    @property
    def met(self) -> bool | None:
        """Whether the target is reached; ``None`` while ``actual`` is unknown."""
        if self.actual is None:
            return None
        return self.actual >= self.target if self.higher_is_better else self.actual <= self.target

    def summary(self) -> str:
        """Return the measure as one line: name, target, actual and whether it is met."""
        actual = "-" if self.actual is None else f"{self.actual:g}"
        state = {True: "met", False: "missed", None: "open"}[self.met]
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.name}: target {self.target:g}{unit}, actual {actual} ({state})"


@attrs.frozen(kw_only=True)
class Scorecard(Result):
    """Targets and actuals of a CRM programme, with efficiency and effectiveness kept apart.

    Source S3: programmes judged only by efficiency (service cost, sales productivity, mailing
    cost) miss the broader goals (retention, brand perception, revenue, satisfaction) that
    decide whether CRM pays. :attr:`efficiency_only` flags such a programme.

    Parameters
    ----------
    measures : sequence of Measure or of dicts
        The lines of the scorecard; names must be unique.

    Examples
    --------
    >>> from custcentric.maturity import Measure, Scorecard
    >>> card = Scorecard(measures=[
    ...     Measure(name="service_cost", target=4.0, actual=3.6, unit="EUR/contact"),
    ...     Measure(name="mailing_cost", target=0.5, actual=0.55)])
    >>> card.efficiency_only
    True
    >>> print(card.flags[0])
    measured by efficiency alone: add effectiveness measures such as retention, brand perception, revenue or satisfaction
    """

    measures: tuple[Measure, ...] = attrs.field(converter=_measures)

    def __attrs_post_init__(self) -> None:
        names = [m.name for m in self.measures]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            msg = f"`measures` must have unique names (repeated: {', '.join(map(repr, dup))})."
            raise InvalidInputError(msg)

    @property
    def efficiency(self) -> tuple[Measure, ...]:
        """The efficiency measures."""
        return tuple(m for m in self.measures if m.kind == "efficiency")

    @property
    def effectiveness(self) -> tuple[Measure, ...]:
        """The effectiveness measures."""
        return tuple(m for m in self.measures if m.kind == "effectiveness")

    @property
    def efficiency_only(self) -> bool:
        """True when the programme has efficiency measures and no effectiveness measure."""
        return bool(self.efficiency) and not self.effectiveness

    @property
    def flags(self) -> tuple[str, ...]:
        """Warnings about how the programme is measured and how it performs."""
        out: list[str] = []
        if not self.measures:
            out.append(
                "no measures: add effectiveness measures such as retention, brand perception, "
                "revenue or satisfaction"
            )
        if self.efficiency_only:
            out.append(
                "measured by efficiency alone: add effectiveness measures such as retention, "
                "brand perception, revenue or satisfaction"
            )
        eff_met = [m.met for m in self.efficiency if m.met is not None]
        eft_met = [m.met for m in self.effectiveness if m.met is not None]
        if eff_met and eft_met and all(eff_met) and not any(eft_met):
            out.append("efficiency targets met while every effectiveness target is missed")
        missing = [m.name for m in self.measures if m.actual is None]
        if missing:
            out.append(f"no actual value yet for {', '.join(missing)}")
        return tuple(out)

    def attainment(self) -> dict[str, bool | None]:
        """Return measure name -> target met (``None`` while unknown)."""
        return {m.name: m.met for m in self.measures}

    def to_dict(self) -> dict[str, Any]:
        """Return the scorecard as plain JSON-ready data; ``Scorecard.from_dict`` reverses it."""
        data: dict[str, Any] = jsonable({"measures": [attrs.asdict(m) for m in self.measures]})
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per measure: its fields and ``met`` (``None`` while open).

        Examples
        --------
        >>> from custcentric.maturity import Scorecard
        >>> card = Scorecard(measures=[{"name": "retention", "target": 0.85, "actual": 0.9}])
        >>> card.to_pandas()[["name", "kind", "met"]].to_dict("records")
        [{'name': 'retention', 'kind': 'effectiveness', 'met': True}]
        """
        columns: dict[str, Any] = {
            name: np.array([getattr(m, name) for m in self.measures], dtype=object)
            for name in _MEASURE_FIELDS
        }
        columns["met"] = np.array([m.met for m in self.measures], dtype=object)
        return make_frame(columns)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Build a scorecard from :meth:`to_dict` output."""
        measures = data.get("measures") if isinstance(data, Mapping) else None
        if not isinstance(measures, Sequence):
            msg = f"`data['measures']` must be a list of measures (got {fmt(measures)})."
            raise InvalidInputError(msg)
        return cls(measures=measures)

    def summary(self) -> str:
        """Return the scorecard as text, efficiency and effectiveness in separate blocks."""
        lines = ["CRM scorecard"]
        for title, group in (
            ("effectiveness", self.effectiveness),
            ("efficiency", self.efficiency),
        ):
            lines.append(f"  {title}:")
            if not group:
                lines.append("    (none)")
            lines.extend(f"    {m.summary()}" for m in group)
        lines.extend(f"  ! {f}" for f in self.flags)
        return "\n".join(lines)
