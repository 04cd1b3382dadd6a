"""``SLA``, ``Compensation`` and ``CompensationBand``: what the company promises, and pays."""

from __future__ import annotations

import itertools
import types
from collections.abc import Mapping
from typing import Any, ClassVar, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._deprecation import REMOVED_IN, SINCE, warn_deprecated
from custcentric._time import check_time_unit
from custcentric._validation import as_float_array, fmt
from custcentric.domain._base import (
    DomainValue,
    enum_field,
    flag,
    nested,
    number,
    optional_text,
    renamed_fields,
    text,
    text_tuple,
    values_tuple,
)
from custcentric.domain._enums import Clock, SLAMetric
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, TimeUnit

__all__ = ["SLA", "Compensation", "CompensationBand"]

#: The layout of ``SLA`` and ``Compensation`` dicts: 2 since ``unit`` became ``time_unit``.
SLA_SCHEMA_VERSION: Final = 2
_RENAMED: Final = types.MappingProxyType({"unit": ("time_unit", SLA_SCHEMA_VERSION)})


def _unit(name: str) -> Any:
    def convert(value: object) -> TimeUnit:
        return check_time_unit(value, name=name)  # type: ignore[arg-type]

    return convert


def _deprecated_unit(value: Any) -> TimeUnit:
    """Return ``value.time_unit`` for the deprecated attribute ``unit``, warning."""
    name = type(value).__name__
    warn_deprecated(f"`{name}.unit`", f"`{name}.time_unit`", since=SINCE, removed_in=REMOVED_IN)
    unit: TimeUnit = value.time_unit
    return unit


@attrs.frozen(kw_only=True)
class CompensationBand(DomainValue):
    """A band of attainment (share of cases within target) and the credit rate it earns.

    Parameters
    ----------
    lower, upper : float
        The band's bounds on attainment, ``0 <= lower < upper <= 1``.
    rate : float
        The credit as a share of the fee for the period (0.1 for 10 %), not negative.
    lower_inclusive, upper_inclusive : bool, default True, False
        Whether each bound belongs to the band; the default ``[lower, upper)`` is the
        "≥ lower and < upper" of published schemes such as the AWS compute SLA.

    Examples
    --------
    >>> from custcentric.domain import CompensationBand
    >>> band = CompensationBand(lower=0.95, upper=0.99, rate=0.30)
    >>> band.contains(0.95), band.contains(0.99)
    (True, False)
    """

    lower: float = attrs.field(converter=number("lower", low=0.0, high=1.0))
    upper: float = attrs.field(converter=number("upper", low=0.0, high=1.0))
    rate: float = attrs.field(converter=number("rate", low=0.0))
    lower_inclusive: bool = attrs.field(default=True, converter=flag("lower_inclusive"))
    upper_inclusive: bool = attrs.field(default=False, converter=flag("upper_inclusive"))

    def __attrs_post_init__(self) -> None:
        if not self.lower < self.upper:
            msg = f"`lower` must be less than `upper` (got {self.lower!r} >= {self.upper!r})."
            raise InvalidInputError(msg)

    def contains(self, attainment: float) -> bool:
        """Return whether ``attainment`` falls in the band."""
        above = attainment >= self.lower if self.lower_inclusive else attainment > self.lower
        below = attainment <= self.upper if self.upper_inclusive else attainment < self.upper
        return bool(above and below)


def _check_bands(bands: tuple[CompensationBand, ...]) -> tuple[CompensationBand, ...]:
    order = sorted(range(len(bands)), key=lambda i: bands[i].lower)
    for prev, nxt in itertools.pairwise(order):
        a, b = bands[prev], bands[nxt]
        touching = b.lower == a.upper and a.upper_inclusive and b.lower_inclusive
        if b.lower < a.upper or touching:
            msg = (
                f"`bands` must not overlap (band {prev}: [{a.lower:g}, {a.upper:g}] and "
                f"band {nxt}: [{b.lower:g}, {b.upper:g}])."
            )
            raise InvalidInputError(msg)
    return bands


@renamed_fields(unit="time_unit")
@attrs.frozen(kw_only=True)
class Compensation(DomainValue):
    """What the customer receives when an SLA is missed (source S5, step 8 of re-engineering).

    The three published schemes combine freely: a fixed
    credit per breached case, a credit per unit of lateness beyond a grace period, both capped
    per case; and credit bands on a period's attainment, as a share of the period's fee.

    Parameters
    ----------
    fixed_per_breach : float, default 0
        Paid once for every case that misses its target.
    per_unit_late : float, default 0
        Paid per ``time_unit`` of lateness beyond ``grace`` (partial units count pro rata).
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The clock unit of lateness for ``per_unit_late`` and ``grace`` (calendar units such
        as months are refused: lateness is a duration). ``unit=`` is its deprecated name.
    grace : float, default 0
        Lateness, in ``time_unit``, that earns no accrual.
    bands : tuple of CompensationBand, default ()
        Non-overlapping attainment bands; attainment in no band earns nothing.
    cap : float, optional
        The most one case can earn from ``fixed_per_breach`` and ``per_unit_late``.

    Examples
    --------
    Ofcom's automatic compensation for a slow repair, £8 a day after two days:

    >>> from custcentric.domain import Compensation
    >>> ofcom = Compensation(per_unit_late=8.0, time_unit="D", grace=2.0)
    >>> ofcom.case_amount([5.0, 1.0]).tolist()
    [24.0, 0.0]

    The AWS compute credit bands:

    >>> aws = Compensation(bands=[
    ...     {"lower": 0.99, "upper": 0.9999, "rate": 0.10},
    ...     {"lower": 0.95, "upper": 0.99, "rate": 0.30},
    ...     {"lower": 0.0, "upper": 0.95, "rate": 1.00}])
    >>> aws.band_rate([0.99995, 0.995, 0.99, 0.97, 0.95, 0.94]).tolist()
    [0.0, 0.1, 0.1, 0.3, 0.3, 1.0]

    Dicts of the first layout, with ``"unit"``, still load:

    >>> Compensation.from_dict({"schema_version": 1, "unit": "h"}).time_unit
    'h'
    """

    schema_version: ClassVar[int] = SLA_SCHEMA_VERSION
    _renamed: ClassVar[Mapping[str, tuple[str, int]]] = _RENAMED

    fixed_per_breach: float = attrs.field(default=0.0, converter=number("fixed_per_breach", low=0))
    per_unit_late: float = attrs.field(default=0.0, converter=number("per_unit_late", low=0))
    time_unit: TimeUnit = attrs.field(default="D", converter=_unit("time_unit"))
    grace: float = attrs.field(default=0.0, converter=number("grace", low=0))
    bands: tuple[CompensationBand, ...] = attrs.field(
        default=(),
        converter=attrs.converters.pipe(
            values_tuple("bands", nested(CompensationBand, "bands")), _check_bands
        ),
    )
    cap: float | None = attrs.field(
        default=None, converter=attrs.converters.optional(number("cap", low=0))
    )

    @property
    def unit(self) -> TimeUnit:
        """Deprecated name of ``time_unit`` (warns)."""
        return _deprecated_unit(self)

    def case_amount(self, lateness: ArrayLike) -> FloatArray:
        """Return the compensation for cases late by ``lateness`` (in ``time_unit``).

        A case with ``lateness > 0`` breached its target and earns ``fixed_per_breach +
        per_unit_late * max(0, lateness - grace)``, at most :attr:`cap`; a case on time
        (``lateness <= 0``) earns nothing.

        Any finite ``lateness`` is accepted. The amount is computed without overflow in the
        lateness beyond grace; when ``fixed_per_breach + per_unit_late * excess`` itself
        exceeds the float64 range (about 1.8e308) and no :attr:`cap` bounds it, the input is
        refused rather than answered with infinity.

        Raises
        ------
        InvalidInputError
            For non-numeric, NaN or infinite ``lateness``, or an amount beyond the float64
            range, naming the first such index.
        """
        late = as_float_array(lateness, "lateness")
        breached = late > 0
        # max(late, grace) - grace is the lateness beyond grace without ever subtracting
        # across signs, so it cannot overflow; the product and sum can, at huge inputs, and
        # are then either capped or refused below.
        with np.errstate(over="ignore"):
            excess = np.maximum(late, self.grace) - self.grace
            amount = np.where(breached, self.fixed_per_breach + self.per_unit_late * excess, 0.0)
        if self.cap is not None:
            amount = np.minimum(amount, self.cap)
        too_big = ~np.isfinite(amount)
        if too_big.any():
            i = int(np.argmax(too_big))
            msg = (
                f"`lateness` must give a compensation within the float64 range, about 1.8e308 "
                f"(index {i}: {fmt(late[i])} gives an amount that overflows); set `cap` or "
                "pass smaller values."
            )
            raise InvalidInputError(msg)
        return amount

    def band_rate(self, attainment: ArrayLike) -> FloatArray:
        """Return the credit rate for each attainment (share of cases within target)."""
        share = as_float_array(attainment, "attainment")
        bad = (share < 0) | (share > 1)
        if bad.any():
            i = int(np.argmax(bad))
            msg = f"`attainment` must lie in [0, 1] (index {i}: {fmt(share[i])})."
            raise InvalidInputError(msg)
        rate = np.zeros_like(share)
        for band in self.bands:
            low = share >= band.lower if band.lower_inclusive else share > band.lower
            high = share <= band.upper if band.upper_inclusive else share < band.upper
            rate[low & high] = band.rate
        return rate


@renamed_fields(unit="time_unit")
@attrs.frozen(kw_only=True)
class SLA(DomainValue):
    """A service-level agreement on a customer process, as promised to the customer.

    Targets are stated as attainment of a threshold: at
    least ``target_share`` of cases within ``target`` ``time_unit`` s, e.g. 90 % of faults
    repaired within 48 hours.

    Parameters
    ----------
    id, name : str
        The SLA's id and its readable statement.
    process_id : str
        The :class:`CustomerProcess` it applies to.
    metric : SLAMetric
        ``CYCLE_TIME`` (end to end), ``FIRST_RESPONSE`` or ``STEP_DURATION``.
    target : float
        The threshold duration, positive, in ``time_unit``.
    time_unit : {"s", "m", "h", "D", "W"}, default "h"
        The clock unit of ``target`` (calendar units such as months are refused: a target
        is a duration). ``unit=`` is its deprecated name and still works, with a
        :class:`~custcentric.exceptions.CustcentricDeprecationWarning`.
    target_share : float, default 1.0
        The share of cases that must meet the threshold, in (0, 1].
    clock : Clock, default ``CALENDAR``
        Whether durations run on calendar time or on business hours only.
    tiers : tuple of str, default ()
        The service tiers (:attr:`Segment.service_tier`) it applies to; empty means everyone.
    step_id : str, optional
        The step measured; required for ``STEP_DURATION`` and refused otherwise.
    compensation : Compensation, optional
        What the customer receives on a breach; ``None`` for an internal target.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> sla = SLA(id="repair-48h", name="90 % of faults repaired within 48 hours",
    ...           process_id="fault-repair", metric="cycle_time", target=48, time_unit="h",
    ...           target_share=0.9, compensation={"per_unit_late": 5.0, "cap": 50.0})
    >>> sla.clock, sla.compensation.cap
    (<Clock.CALENDAR: 'calendar'>, 50.0)
    >>> sla.applies_to("bronze")
    True
    >>> SLA.from_dict(sla.to_dict()) == sla
    True
    >>> SLA(id="x", name="x", process_id="p", metric="step_duration", target=1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `step_id` must name the step measured when `metric` is 'step_duration' (got None).

    The dict layout is version 2 (``time_unit``); stored dicts of version 1 (``unit``)
    still load:

    >>> old = {**sla.to_dict(), "schema_version": 1}
    >>> old["unit"] = old.pop("time_unit")
    >>> old["compensation"]["unit"] = old["compensation"].pop("time_unit")
    >>> SLA.from_dict(old) == sla
    True
    """

    schema_version: ClassVar[int] = SLA_SCHEMA_VERSION
    _renamed: ClassVar[Mapping[str, tuple[str, int]]] = _RENAMED

    id: str = attrs.field(converter=text("id"))
    name: str = attrs.field(converter=text("name"))
    process_id: str = attrs.field(converter=text("process_id"))
    metric: SLAMetric = attrs.field(converter=enum_field(SLAMetric, "metric"))
    target: float = attrs.field(converter=number("target", low=0, low_inclusive=False))
    time_unit: TimeUnit = attrs.field(default="h", converter=_unit("time_unit"))
    target_share: float = attrs.field(
        default=1.0, converter=number("target_share", low=0, high=1, low_inclusive=False)
    )
    clock: Clock = attrs.field(default=Clock.CALENDAR, converter=enum_field(Clock, "clock"))
    tiers: tuple[str, ...] = attrs.field(default=(), converter=text_tuple("tiers"))
    step_id: str | None = attrs.field(default=None, converter=optional_text("step_id"))
    compensation: Compensation | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(nested(Compensation, "compensation")("compensation")),
    )

    def __attrs_post_init__(self) -> None:
        step_metric = self.metric is SLAMetric.STEP_DURATION
        if step_metric and self.step_id is None:
            msg = (
                "`step_id` must name the step measured when `metric` is 'step_duration' (got None)."
            )
            raise InvalidInputError(msg)
        if not step_metric and self.step_id is not None:
            msg = (
                f"`step_id` must be None when `metric` is {self.metric.value!r} "
                f"(got {self.step_id!r})."
            )
            raise InvalidInputError(msg)

    @classmethod
    def _upgrade(cls, data: dict[str, Any], version: int) -> dict[str, Any]:
        comp = data.get("compensation")
        if version < SLA_SCHEMA_VERSION and isinstance(comp, Mapping):
            # A nested dict carries no version of its own: it has its parent's layout.
            data["compensation"] = {"schema_version": version, **comp}
        return super()._upgrade(data, version)

    @property
    def unit(self) -> TimeUnit:
        """Deprecated name of ``time_unit`` (warns)."""
        return _deprecated_unit(self)

    def applies_to(self, tier: str | None) -> bool:
        """Return whether the SLA covers a customer of service tier ``tier``."""
        return not self.tiers or tier in self.tiers
