"""``TieredSLA``: one SLA definition with a target per customer tier."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from custcentric._validation import check_number, fmt
from custcentric.domain import SLA, Compensation
from custcentric.exceptions import InvalidInputError

__all__ = ["TierTarget", "TieredSLA"]


def _target(value: object) -> float:
    return check_number(value, "target", low=0.0, low_inclusive=False)


def _share(value: object) -> float | None:
    if value is None:
        return None
    return check_number(value, "target_share", low=0.0, high=1.0, low_inclusive=False)


def _compensation(value: object) -> Compensation | None:
    if value is None or isinstance(value, Compensation):
        return value
    if isinstance(value, Mapping):
        return Compensation.from_dict(value)
    msg = f"`compensation` must be a Compensation, a mapping or None (got {fmt(value)})."
    raise InvalidInputError(msg)


def _tier(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        msg = f"`tier` must be a non-empty string (got {fmt(value)})."
        raise InvalidInputError(msg)
    return value.strip()


@attrs.frozen(kw_only=True)
class TierTarget:
    """The promise to one tier: threshold, share of cases, and optionally its own compensation.

    Parameters
    ----------
    tier : str
        The service tier, e.g. ``"gold"``.
    target : float
        The threshold duration, positive, in the base SLA's ``time_unit``.
    target_share : float, optional
        The share of cases that must meet it; the base SLA's when None.
    compensation : Compensation or mapping, optional
        The tier's compensation; the base SLA's when None.

    Examples
    --------
    >>> from custcentric.sla import TierTarget
    >>> gold = TierTarget(tier=" gold ", target=24, target_share=0.95)
    >>> gold
    TierTarget(tier='gold', target=24.0, target_share=0.95, compensation=None)
    >>> TierTarget.from_dict(gold.to_dict()) == gold
    True
    """

    tier: str = attrs.field(converter=_tier)
    target: float = attrs.field(converter=_target)
    target_share: float | None = attrs.field(default=None, converter=_share)
    compensation: Compensation | None = attrs.field(default=None, converter=_compensation)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (:meth:`from_dict` reads it back)."""
        return {
            "tier": self.tier,
            "target": self.target,
            "target_share": self.target_share,
            "compensation": None if self.compensation is None else self.compensation.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TierTarget:
        """Build from :meth:`to_dict` output, refusing unknown keys."""
        allowed = {"tier", "target", "target_share", "compensation"}
        if not isinstance(data, Mapping) or not set(data) <= allowed:
            got = sorted(data) if isinstance(data, Mapping) else type(data).__name__
            msg = f"`data` must be a mapping with keys among {sorted(allowed)} (got {got})."
            raise InvalidInputError(msg)
        return cls(**dict(data))


def _targets(value: object) -> tuple[TierTarget, ...]:
    if isinstance(value, Mapping):
        items: list[object] = [{"tier": k, **dict(v)} for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        msg = f"`targets` must be a list of TierTarget or a mapping tier -> fields (got {fmt(value)})."
        raise InvalidInputError(msg)
    out = []
    for i, item in enumerate(items):
        if isinstance(item, TierTarget):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(TierTarget(**dict(item)))
        else:
            msg = f"`targets` must hold TierTarget values or mappings (item {i}: {fmt(item)})."
            raise InvalidInputError(msg)
    if not out:
        msg = "`targets` must name at least one tier (got none)."
        raise InvalidInputError(msg)
    seen: set[str] = set()
    for t in out:
        if t.tier in seen:
            msg = f"`targets` must name each tier once (got {t.tier!r} twice)."
            raise InvalidInputError(msg)
        seen.add(t.tier)
    return tuple(out)


def _base(value: object) -> SLA:
    sla = value if isinstance(value, SLA) else None
    if sla is None and isinstance(value, Mapping):
        sla = SLA.from_dict(value)
    if sla is None:
        msg = f"`sla` must be an SLA or a mapping (got {fmt(value)})."
        raise InvalidInputError(msg)
    if sla.tiers:
        msg = f"`sla` must not restrict `tiers` itself; the targets name them (got {list(sla.tiers)})."
        raise InvalidInputError(msg)
    return sla


@attrs.frozen(kw_only=True)
class TieredSLA:
    """One SLA whose threshold differs by customer tier (source S5 step 9).

    The base :class:`~custcentric.domain.SLA` fixes the process, metric, time unit, clock and the
    default share and compensation; each :class:`TierTarget` sets a tier's threshold.
    :func:`evaluate_slas` reports one row per tier under the base SLA's id, so the report
    shows whether the higher tiers really get the better service they were promised.

    Parameters
    ----------
    sla : SLA
        The base definition (its ``target`` is the default for tiers not listed, which are
        not covered); it must not restrict ``tiers`` itself.
    targets : sequence of TierTarget or mapping of tier -> fields
        One target per tier, listed from the highest tier down.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.sla import TieredSLA
    >>> base = SLA(id="repair", name="Fault repair", process_id="fault-repair",
    ...            metric="cycle_time", target=48, time_unit="h", target_share=0.9)
    >>> tiered = TieredSLA(sla=base, targets={"gold": {"target": 24, "target_share": 0.95},
    ...                                       "silver": {"target": 48},
    ...                                       "bronze": {"target": 72, "target_share": 0.85}})
    >>> [(s.id, s.tiers, s.target, s.target_share) for s in tiered.expand()]
    [('repair[gold]', ('gold',), 24.0, 0.95), ('repair[silver]', ('silver',), 48.0, 0.9), ('repair[bronze]', ('bronze',), 72.0, 0.85)]
    """

    sla: SLA = attrs.field(converter=_base)
    targets: tuple[TierTarget, ...] = attrs.field(converter=_targets)

    @property
    def id(self) -> str:
        """The base SLA's id, shared by every tier's row in a report."""
        return self.sla.id

    @property
    def tiers(self) -> tuple[str, ...]:
        """The tiers, in the order given."""
        return tuple(t.tier for t in self.targets)

    def for_tier(self, tier: str) -> SLA:
        """Return the plain SLA that applies to ``tier``."""
        for t in self.targets:
            if t.tier == tier:
                return attrs.evolve(
                    self.sla,
                    id=f"{self.sla.id}[{t.tier}]",
                    tiers=(t.tier,),
                    target=t.target,
                    target_share=self.sla.target_share
                    if t.target_share is None
                    else t.target_share,
                    compensation=self.sla.compensation
                    if t.compensation is None
                    else t.compensation,
                )
        msg = f"`tier` must be one of {list(self.tiers)} (got {tier!r})."
        raise InvalidInputError(msg)

    def expand(self) -> tuple[SLA, ...]:
        """Return one plain SLA per tier, each restricted to its tier."""
        return tuple(self.for_tier(t) for t in self.tiers)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data (``TieredSLA.from_dict`` reads it back)."""
        return {
            "sla": self.sla.to_dict(),
            "targets": [t.to_dict() for t in self.targets],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TieredSLA:
        """Build from :meth:`to_dict` output.

        Examples
        --------
        >>> from custcentric.sla import TieredSLA
        >>> t = TieredSLA(sla={"id": "x", "name": "x", "process_id": "p",
        ...                    "metric": "cycle_time", "target": 5},
        ...               targets=[{"tier": "gold", "target": 2}])
        >>> TieredSLA.from_dict(t.to_dict()) == t
        True
        """
        if not isinstance(data, Mapping) or set(data) != {"sla", "targets"}:
            got = sorted(data) if isinstance(data, Mapping) else type(data).__name__
            msg = f"`data` must be a mapping with the keys ['sla', 'targets'] (got {got})."
            raise InvalidInputError(msg)
        return cls(sla=data["sla"], targets=data["targets"])
