# mypy: disable-error-code="misc"
"""``Scenario`` and its parts: a what-if model of a company as one JSON-ready value."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import attrs
import numpy as np
from numpy.typing import NDArray
from scipy import stats

from custcentric._time import SECONDS_PER_UNIT, check_time_unit
from custcentric._validation import fmt
from custcentric.domain import SLA, SLAMetric
from custcentric.domain._enums import Clock
from custcentric.exceptions import InvalidInputError
from custcentric.idic import ContactPolicy
from custcentric.simulate._config import (
    Config,
    as_text,
    check_keys,
    nested,
    number,
    plain,
)
from custcentric.tables import EventLog
from custcentric.typing import FloatArray
from custcentric.value import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
)

__all__ = [
    "SCHEMA_VERSION",
    "BehaviouralLinks",
    "ContactCentre",
    "CycleTime",
    "Population",
    "RetentionCampaign",
    "Scenario",
    "ServiceProcess",
    "ServiceTiers",
]

#: The version of :meth:`Scenario.to_dict`'s layout; :meth:`Scenario.from_dict` refuses others.
SCHEMA_VERSION = 1

PURCHASE_MODELS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (BetaGeo, ModifiedBetaGeo, ParetoNBD, BetaGeoBetaBinom, ShiftedBetaGeometric)
}
PurchaseModelType = BetaGeo | ModifiedBetaGeo | ParetoNBD | BetaGeoBetaBinom | ShiftedBetaGeometric


def _purchase_model(value: object) -> Any:
    if isinstance(value, tuple(PURCHASE_MODELS.values())):
        return value
    if isinstance(value, Mapping):
        name = value.get("model")
        if name not in PURCHASE_MODELS:
            msg = (
                f"`purchase_model` must name one of {', '.join(PURCHASE_MODELS)} in its "
                f'"model" entry (got {fmt(name)}).'
            )
            raise InvalidInputError(msg)
        return PURCHASE_MODELS[str(name)].from_dict(dict(value))
    msg = (
        f"`purchase_model` must be a {', '.join(PURCHASE_MODELS)} or its dict "
        f"(got {type(value).__name__})."
    )
    raise InvalidInputError(msg)


def _spend_model(value: object) -> GammaGamma | None:
    if value is None or isinstance(value, GammaGamma):
        return value
    if isinstance(value, Mapping):
        return GammaGamma.from_dict(dict(value))
    msg = f"`spend_model` must be a GammaGamma, its dict or None (got {type(value).__name__})."
    raise InvalidInputError(msg)


@attrs.frozen(kw_only=True)
class Population(Config):
    """Who the customers are: how they buy, spend and leave, and how many there are.

    Parameters
    ----------
    purchase_model : BetaGeo, ModifiedBetaGeo, ParetoNBD, BetaGeoBetaBinom or ShiftedBetaGeometric
        The purchase (or, for ``ShiftedBetaGeometric``, renewal) process, e.g. a fitted
        ``FitResult.model``. Its rates are per period of the scenario (a continuous-time model
        must carry the scenario's ``time_unit``, or none); BG/BB and sBG count one
        opportunity (or renewal) per period.
    spend_model : GammaGamma, optional
        Each purchase's amount; without it revenue is 0.
    n_customers : int
        Customers at the start, each just after the first purchase (age 0).
    acquisition_per_period : float, default 0
        Mean new customers per period (Poisson), each starting at age 0.

    Examples
    --------
    >>> from custcentric.simulate import Population
    >>> from custcentric.value import BetaGeo, GammaGamma
    >>> pop = Population(purchase_model=BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W"),
    ...                  spend_model=GammaGamma(6.25, 3.74, 15.44), n_customers=1000)
    >>> Population.from_dict(pop.to_dict()) == pop
    True
    """

    purchase_model: PurchaseModelType = attrs.field(converter=_purchase_model)
    spend_model: GammaGamma | None = attrs.field(default=None, converter=_spend_model)
    n_customers: int = attrs.field(converter=number("n_customers", low=0, integer=True))
    acquisition_per_period: float = attrs.field(
        default=0.0, converter=number("acquisition_per_period", low=0)
    )

    def __attrs_post_init__(self) -> None:
        if self.n_customers == 0 and self.acquisition_per_period == 0:
            msg = (
                "`n_customers` must be positive when `acquisition_per_period` is 0 "
                "(got 0 customers and no acquisition)."
            )
            raise InvalidInputError(msg)


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        msg = f"`names` must be a sequence of tier names (got {fmt(value)})."
        raise InvalidInputError(msg)
    out = tuple(as_text(f"names[{i}]")(v) for i, v in enumerate(value))
    if not out or len(set(out)) != len(out):
        msg = f"`names` must hold at least one tier, each once (got {list(out)})."
        raise InvalidInputError(msg)
    return out


def _shares(value: object) -> tuple[float, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        msg = f"`shares` must be a sequence of shares (got {fmt(value)})."
        raise InvalidInputError(msg)
    out = tuple(
        number(f"shares[{i}]", low=0, high=1, low_inclusive=False)(v) for i, v in enumerate(value)
    )
    if not math.isclose(sum(out), 1.0, abs_tol=1e-9):
        msg = f"`shares` must sum to 1 (got {sum(out)!r})."
        raise InvalidInputError(msg)
    return out


@attrs.frozen(kw_only=True)
class ServiceTiers(Config):
    """Value tiers to service tiers: the top ``shares[0]`` of customers by value are ``names[0]``.

    Tiers come from :func:`custcentric.segmentation.value_tiers` on each customer's expected
    value per period (purchase rate times mean spend: the value a perfect CLV model would
    rank by), assigned when the customer arrives.

    Examples
    --------
    >>> from custcentric.simulate import ServiceTiers
    >>> ServiceTiers(names=["gold", "rest"], shares=[0.1, 0.9]).names
    ('gold', 'rest')
    >>> ServiceTiers(names=["gold", "rest"], shares=[0.1, 0.8])
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `shares` must sum to 1 (got 0.9).
    """

    names: tuple[str, ...] = attrs.field(default=("gold", "silver", "bronze"), converter=_names)
    shares: tuple[float, ...] = attrs.field(default=(0.2, 0.3, 0.5), converter=_shares)

    def __attrs_post_init__(self) -> None:
        if len(self.names) != len(self.shares):
            msg = (
                f"`shares` must hold one share per tier name ({len(self.names)} names, "
                f"{len(self.shares)} shares)."
            )
            raise InvalidInputError(msg)


_KINDS = ("lognormal", "gamma")


def _kind(value: object) -> str:
    if value not in _KINDS:
        msg = f"`kind` must be one of {', '.join(map(repr, _KINDS))} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return str(value)


def _time_unit(name: str) -> Any:
    def convert(value: object) -> str:
        return str(check_time_unit(value, name=name))  # type: ignore[arg-type]

    return convert


@attrs.frozen(kw_only=True)
class CycleTime(Config):
    """A cycle-time distribution: lognormal (``scale`` = median, ``shape`` = sigma) or gamma.

    Parameters
    ----------
    kind : {"lognormal", "gamma"}
        The family. ``"gamma"`` with ``shape=1`` is the exponential.
    scale : float
        Lognormal: the median; gamma: the scale. Positive, in ``time_unit``.
    shape : float
        Lognormal: sigma of the log; gamma: the shape. Positive.
    time_unit : {"s", "m", "h", "D", "W"}, default "h"
        The unit of ``scale``.

    Examples
    --------
    >>> from custcentric.simulate import CycleTime
    >>> ct = CycleTime(kind="lognormal", scale=30.0, shape=0.5, time_unit="h")
    >>> round(ct.quantile(0.5), 6), round(ct.quantile(0.9), 2)
    (30.0, 56.94)
    """

    kind: str = attrs.field(converter=_kind)
    scale: float = attrs.field(converter=number("scale", low=0, low_inclusive=False))
    shape: float = attrs.field(converter=number("shape", low=0, low_inclusive=False))
    time_unit: str = attrs.field(default="h", converter=_time_unit("time_unit"))

    def _dist(self) -> Any:
        if self.kind == "lognormal":
            return stats.lognorm(self.shape, scale=self.scale)
        return stats.gamma(self.shape, scale=self.scale)

    def quantile(self, q: float) -> float:
        """Return the ``q`` quantile in ``time_unit`` (scipy's ``ppf``).

        Examples
        --------
        >>> from custcentric.simulate import CycleTime
        >>> round(CycleTime(kind="gamma", scale=10.0, shape=1.0).quantile(0.5), 3)
        6.931
        """
        q = number("q", low=0, high=1, low_inclusive=False, high_inclusive=False)(q)
        return float(self._dist().ppf(q))

    def sample(self, gen: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` cycle times in ``time_unit``.

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.simulate import CycleTime
        >>> CycleTime(kind="gamma", scale=2.0, shape=3.0).sample(np.random.default_rng(1), 2).shape
        (2,)
        """
        if self.kind == "lognormal":
            out: FloatArray = gen.lognormal(math.log(self.scale), self.shape, size=size)
            return out
        drawn: FloatArray = gen.gamma(self.shape, self.scale, size=size)
        return drawn

    @classmethod
    def fit(
        cls,
        durations: Sequence[float] | FloatArray,
        closed: Sequence[bool] | NDArray[np.bool_] | None = None,
        *,
        kind: str = "lognormal",
        time_unit: str = "h",
    ) -> Self:
        """Fit by maximum likelihood with open cases right-censored (scipy's ``CensoredData``).

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.simulate import CycleTime
        >>> drawn = CycleTime(kind="lognormal", scale=20.0, shape=0.4).sample(
        ...     np.random.default_rng(3), 4000)
        >>> fitted = CycleTime.fit(drawn)
        >>> round(fitted.scale), round(fitted.shape, 1)
        (20, 0.4)
        """
        from custcentric._validation import as_float_array

        kind = _kind(kind)
        d = as_float_array(durations, "durations", positive=True)
        done = np.ones(d.size, dtype=bool) if closed is None else np.asarray(closed, dtype=bool)
        if done.shape != d.shape:
            msg = f"`closed` must have one flag per duration ({done.size} for {d.size})."
            raise InvalidInputError(msg)
        if np.count_nonzero(done) < 2:
            msg = f"`durations` must hold at least 2 closed cases to fit (got {int(done.sum())})."
            raise InvalidInputError(msg)
        data: Any = d if done.all() else stats.CensoredData(uncensored=d[done], right=d[~done])
        if kind == "lognormal":
            sigma, _, median = stats.lognorm.fit(data, floc=0)
            return cls(kind=kind, scale=float(median), shape=float(sigma), time_unit=time_unit)
        shape, _, scale = stats.gamma.fit(data, floc=0)
        return cls(kind=kind, scale=float(scale), shape=float(shape), time_unit=time_unit)


_TRIGGERS = ("purchase", "contact")


def _trigger(value: object) -> str:
    if value not in _TRIGGERS:
        msg = f"`trigger` must be one of {', '.join(map(repr, _TRIGGERS))} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return str(value)


def _cycle_times(value: object) -> Mapping[str, CycleTime]:
    if not isinstance(value, Mapping) or not value:
        msg = f"`cycle_time` must map each service tier to a CycleTime (got {fmt(value)})."
        raise InvalidInputError(msg)
    return {
        as_text("cycle_time")(k): nested(CycleTime, f"cycle_time[{k!r}]")(v)
        for k, v in value.items()
    }


def _slas(value: object) -> tuple[SLA, ...]:
    if isinstance(value, (SLA, Mapping, str)) or not isinstance(value, Sequence):
        msg = f"`slas` must be a sequence of SLA values (got {fmt(value)})."
        raise InvalidInputError(msg)
    out = []
    for i, item in enumerate(value):
        sla = item if isinstance(item, SLA) else None
        if sla is None and isinstance(item, Mapping):
            sla = SLA.from_dict(item)
        if sla is None:
            msg = f"`slas[{i}]` must be an SLA or its dict (got {fmt(item)})."
            raise InvalidInputError(msg)
        if sla.metric is not SLAMetric.CYCLE_TIME or sla.clock is not Clock.CALENDAR:
            msg = (
                f"`slas[{i}]` must be a calendar-clock cycle_time SLA to be simulated (SLA "
                f"{sla.id!r} is {sla.metric.value!r} on the {sla.clock.value!r} clock)."
            )
            raise InvalidInputError(msg)
        if sla.compensation is not None and sla.compensation.bands:
            msg = (
                f"`slas[{i}]` must not pay attainment bands to be simulated (SLA {sla.id!r} "
                "credits a share of a period fee, which a scenario does not model): drop the "
                "bands or use per-case compensation."
            )
            raise InvalidInputError(msg)
        out.append(sla)
    return tuple(out)


@attrs.frozen(kw_only=True)
class ServiceProcess(Config):
    """A customer process that purchases or contacts start, with its cycle times and SLAs.

    Parameters
    ----------
    process_id : str
        The process (``CustomerProcess.id``); every SLA must be on it.
    trigger : {"purchase", "contact"}
        What starts a case: a purchase, or a contact with the contact centre.
    share : float
        The chance that one purchase (or contact) starts a case, in [0, 1].
    cycle_time : mapping of service tier to CycleTime
        The end-to-end cycle time of the cases of each tier; every tier needs one.
    slas : sequence of SLA
        The cycle-time SLAs on the process (calendar clock); every tier needs at least one
        that applies to it. Breaches and compensation follow
        :func:`custcentric.sla.evaluate_slas`: a case is late by ``duration - target`` and
        earns ``Compensation.case_amount`` of that lateness. Attainment bands (a share of a
        period fee) are refused: a scenario has no fee.

    Examples
    --------
    >>> from custcentric.domain import SLA
    >>> from custcentric.simulate import CycleTime, ServiceProcess
    >>> sla = SLA(id="repair-48h", name="repair in 48 h", process_id="fault-repair",
    ...           metric="cycle_time", target=48, time_unit="h", target_share=0.9)
    >>> proc = ServiceProcess(process_id="fault-repair", trigger="purchase", share=0.1,
    ...     cycle_time={"all": CycleTime(kind="lognormal", scale=30.0, shape=0.5)}, slas=[sla])
    >>> ServiceProcess.from_dict(proc.to_dict()) == proc
    True
    """

    process_id: str = attrs.field(converter=as_text("process_id"))
    trigger: str = attrs.field(converter=_trigger)
    share: float = attrs.field(converter=number("share", low=0, high=1))
    cycle_time: Mapping[str, CycleTime] = attrs.field(converter=_cycle_times)
    slas: tuple[SLA, ...] = attrs.field(converter=_slas)

    def __attrs_post_init__(self) -> None:
        for sla in self.slas:
            if sla.process_id != self.process_id:
                msg = (
                    f"`slas` must be on process {self.process_id!r} (SLA {sla.id!r} is on "
                    f"unknown process {sla.process_id!r})."
                )
                raise InvalidInputError(msg)

    @classmethod
    def from_event_log(
        cls,
        event_log: EventLog,
        process_id: str,
        *,
        trigger: str,
        share: float,
        slas: Sequence[SLA],
        segments: tuple[Sequence[Any] | NDArray[Any], Sequence[str] | NDArray[Any]] | None = None,
        processes: Sequence[Any] | None = None,
        kind: str = "lognormal",
        time_unit: str = "h",
        tiers: Sequence[str] | None = None,
    ) -> Self:
        """Fit each tier's cycle time from an event log (open cases censored) in one call.

        Cycle times come from :func:`custcentric.process.cycle_times`; each tier's
        distribution is fitted by :meth:`CycleTime.fit`. ``segments`` is a pair (customer
        ids, service tiers); without it one distribution ``"all"`` is fitted. ``tiers``
        names the tiers to fit (default: the tiers of the process's cases); each needs 2 closed
        cases.

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.simulate import ServiceProcess
        >>> company = load_sample_company()
        >>> repair = [s for s in company.slas if s.id == "repair-48h"]
        >>> tiers = (company.customers.customer_id,
        ...          company.customers.attributes["service_tier"])
        >>> proc = ServiceProcess.from_event_log(company.events, "fault-repair",
        ...     trigger="purchase", share=0.02, slas=repair, segments=tiers,
        ...     processes=company.processes, tiers=["gold", "silver", "bronze"])
        >>> sorted(proc.cycle_time), proc.cycle_time["gold"].kind
        (['bronze', 'gold', 'silver'], 'lognormal')
        """
        from custcentric.process import cycle_times

        ct = cycle_times(event_log, processes=processes, time_unit=time_unit)  # type: ignore[arg-type]
        keep = ct.process == process_id
        if not keep.any():
            msg = f"`process_id` must name a process in `event_log` (got {process_id!r})."
            raise InvalidInputError(msg)
        customer = ct.customer_id[keep]
        duration, closed = ct.duration[keep], ct.closed[keep]
        positive = duration > 0
        fitted: dict[str, CycleTime] = {}
        if segments is None:
            fitted["all"] = CycleTime.fit(
                duration[positive], closed[positive], kind=kind, time_unit=time_unit
            )
        else:
            ids, labels = np.asarray(segments[0]), np.asarray(segments[1]).astype(str)
            lookup = dict(zip(ids.tolist(), labels.tolist(), strict=True))
            tier = np.array([lookup.get(c, "unassigned") for c in customer.tolist()])
            wanted = list(tiers) if tiers is not None else sorted(set(tier.tolist()))
            for name in wanted:
                mask = (tier == name) & positive
                fitted[name] = CycleTime.fit(
                    duration[mask], closed[mask], kind=kind, time_unit=time_unit
                )
        return cls(
            process_id=process_id, trigger=trigger, share=share, cycle_time=fitted, slas=slas
        )


_INTERVALS = ("s", "m", "h", "D")


@attrs.frozen(kw_only=True)
class ContactCentre(Config):
    """The contact centre: how often customers call, how long a call takes, who answers.

    Parameters
    ----------
    contact_rate : float
        Mean contacts per alive customer per period (Poisson), not negative.
    handle_time : float
        Mean handle time in seconds, positive.
    agents : int
        Agents on duty in every open interval, at least 1.
    interval : {"s", "m", "h", "D"}, default "h"
        The staffing interval.
    intervals_per_period : float
        Open intervals per period (e.g. 50 hours a week); contacts spread evenly over them.
        Together they must fit in one period of the scenario's ``time_unit``.
    answer_time : float, default 20
        The service-level threshold in seconds: answered within it counts as served well.

    Notes
    -----
    Each interval is an M/M/N queue in steady state with the period's load: a contact
    waits with probability :func:`~custcentric.sla.erlang_c` ``C``; given it waits, the
    wait is exponential with mean ``h / (N - A)`` (so the share answered within ``T`` is
    :func:`~custcentric.sla.service_level`). With ``N <= A`` the queue is unstable: every
    contact waits beyond any threshold.

    Examples
    --------
    >>> from custcentric.simulate import ContactCentre
    >>> cc = ContactCentre(contact_rate=0.05, handle_time=300, agents=12,
    ...                    intervals_per_period=50)
    >>> cc.interval, cc.answer_time
    ('h', 20.0)
    """

    contact_rate: float = attrs.field(converter=number("contact_rate", low=0))
    handle_time: float = attrs.field(converter=number("handle_time", low=0, low_inclusive=False))
    agents: int = attrs.field(converter=number("agents", low=1, integer=True))
    interval: str = attrs.field(default="h", converter=_time_unit("interval"))
    intervals_per_period: float = attrs.field(
        converter=number("intervals_per_period", low=0, low_inclusive=False)
    )
    answer_time: float = attrs.field(default=20.0, converter=number("answer_time", low=0))

    def __attrs_post_init__(self) -> None:
        if self.interval not in _INTERVALS:
            msg = f"`interval` must be one of {', '.join(_INTERVALS)} (got {self.interval!r})."
            raise InvalidInputError(msg)


@attrs.frozen(kw_only=True)
class RetentionCampaign(Config):
    """A retention campaign: contact the most valuable customers once, to keep them.

    Parameters
    ----------
    period : int
        The period (0-based) the contacts are made in.
    top_share : float
        The share of the customers known by then (alive or not: the company cannot tell)
        contacted, the most valuable first, in (0, 1].
    cost_per_contact : float
        Paid for every contact, not negative.
    dropout_multiplier : float
        The effect: each contacted customer's dropout hazard is multiplied by it for
        ``duration`` periods (0.8: 20 % less likely to leave), not negative.
    duration : int, default 1
        How many periods, from ``period`` on, the effect lasts.
    contact_policy : ContactPolicy, optional
        :class:`custcentric.idic.ContactPolicy` every contact must pass (consent is taken
        as given for all; the contacts are planned at 10:00 on the campaign's first day);
        refused contacts are neither made nor paid.

    Examples
    --------
    >>> from custcentric.simulate import RetentionCampaign
    >>> RetentionCampaign(period=4, top_share=0.1, cost_per_contact=2.0,
    ...                   dropout_multiplier=0.7, duration=8).top_share
    0.1
    """

    period: int = attrs.field(converter=number("period", low=0, integer=True))
    top_share: float = attrs.field(
        converter=number("top_share", low=0, high=1, low_inclusive=False)
    )
    cost_per_contact: float = attrs.field(converter=number("cost_per_contact", low=0))
    dropout_multiplier: float = attrs.field(converter=number("dropout_multiplier", low=0))
    duration: int = attrs.field(default=1, converter=number("duration", low=1, integer=True))
    contact_policy: ContactPolicy | None = attrs.field(
        default=None, converter=nested(ContactPolicy, "contact_policy", optional=True)
    )


@attrs.frozen(kw_only=True)
class BehaviouralLinks(Config):
    """How service changes behaviour: multipliers on dropout and purchase rate per event.

    Every multiplier acts on a hazard or a rate (``1`` = no effect; ``1.5`` = 50 % more
    likely to leave). A discrete probability ``p`` (BG/NBD's dropout per purchase, BG/BB's
    and sBG's per period) becomes ``1 - (1 - p) ** m``, so it stays a probability without
    clipping. Effects of events in a period act from the next period, each event multiplying
    once (``k`` breaches: ``m ** k``), and fade by ``persistence`` per period (0: one period
    only; 1: for good).

    The defaults are neutral (no links). :meth:`illustrative` returns values for
    exploration, **not** estimates: state your own and test them with
    :func:`custcentric.simulate.sensitivity`.

    Parameters
    ----------
    dropout_per_breach, purchase_per_breach : float, default 1
        Per case that breached an SLA.
    dropout_per_long_wait, purchase_per_long_wait : float, default 1
        Per contact that waited longer than ``long_wait`` seconds (or abandoned).
    long_wait : float, default 300
        Seconds.
    dropout_per_detractor, purchase_per_detractor : float, default 1
        Per detractor experience (a case that left the customer a detractor).
    detractor_share_breached, detractor_share_on_time : float, default 0
        The chance that a breached (on-time) case leaves the customer a detractor.
    persistence : float, default 0
        The share of an effect left after each further period, in [0, 1].

    Examples
    --------
    >>> from custcentric.simulate import BehaviouralLinks
    >>> BehaviouralLinks().is_neutral, BehaviouralLinks.illustrative().is_neutral
    (True, False)
    """

    dropout_per_breach: float = attrs.field(
        default=1.0, converter=number("dropout_per_breach", low=0)
    )
    purchase_per_breach: float = attrs.field(
        default=1.0, converter=number("purchase_per_breach", low=0)
    )
    dropout_per_long_wait: float = attrs.field(
        default=1.0, converter=number("dropout_per_long_wait", low=0)
    )
    purchase_per_long_wait: float = attrs.field(
        default=1.0, converter=number("purchase_per_long_wait", low=0)
    )
    long_wait: float = attrs.field(default=300.0, converter=number("long_wait", low=0))
    dropout_per_detractor: float = attrs.field(
        default=1.0, converter=number("dropout_per_detractor", low=0)
    )
    purchase_per_detractor: float = attrs.field(
        default=1.0, converter=number("purchase_per_detractor", low=0)
    )
    detractor_share_breached: float = attrs.field(
        default=0.0, converter=number("detractor_share_breached", low=0, high=1)
    )
    detractor_share_on_time: float = attrs.field(
        default=0.0, converter=number("detractor_share_on_time", low=0, high=1)
    )
    persistence: float = attrs.field(default=0.0, converter=number("persistence", low=0, high=1))

    _MULTIPLIERS: ClassVar[tuple[str, ...]] = (
        "dropout_per_breach",
        "purchase_per_breach",
        "dropout_per_long_wait",
        "purchase_per_long_wait",
        "dropout_per_detractor",
        "purchase_per_detractor",
    )

    @property
    def is_neutral(self) -> bool:
        """Whether no event changes behaviour (every multiplier 1)."""
        return all(getattr(self, name) == 1.0 for name in self._MULTIPLIERS)

    @classmethod
    def illustrative(cls) -> Self:
        """Return illustrative links (assumptions for exploration, not published estimates).

        A breach makes leaving 1.5 times as likely, a long wait 1.2 times, a detractor
        experience 2 times (and buying 0.8 times as often); 30 % of breached and 5 % of
        on-time cases leave a detractor; effects keep 80 % per period.

        Examples
        --------
        >>> from custcentric.simulate import BehaviouralLinks
        >>> BehaviouralLinks.illustrative().dropout_per_breach
        1.5
        """
        return cls(
            dropout_per_breach=1.5,
            dropout_per_long_wait=1.2,
            dropout_per_detractor=2.0,
            purchase_per_detractor=0.8,
            detractor_share_breached=0.3,
            detractor_share_on_time=0.05,
            persistence=0.8,
        )


_PERIOD_UNITS = ("h", "D", "W")


def _period_unit(value: object) -> str:
    unit = _time_unit("time_unit")(value)
    if unit not in _PERIOD_UNITS:
        msg = f"`time_unit` must be one of {', '.join(_PERIOD_UNITS)} (got {unit!r})."
        raise InvalidInputError(msg)
    return str(unit)


def _processes(value: object) -> tuple[ServiceProcess, ...]:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        msg = f"`processes` must be a sequence of ServiceProcess values (got {fmt(value)})."
        raise InvalidInputError(msg)
    return tuple(nested(ServiceProcess, f"processes[{i}]")(v) for i, v in enumerate(value))


def _start(value: object) -> str:
    from custcentric._validation import as_datetime_array

    if not isinstance(value, str):
        msg = f"`start` must be an ISO 8601 date string (got {fmt(value)})."
        raise InvalidInputError(msg)
    as_datetime_array([value], "start")
    return value


@attrs.frozen(kw_only=True)
class Scenario(Config):
    """A what-if model of a company: customers, service, contact centre, policies, links.

    Parameters
    ----------
    population : Population
        Who buys, spends and leaves.
    horizon : int
        Periods simulated, at least 1.
    time_unit : {"h", "D", "W"}, default "W"
        The length of one period.
    discount_rate : float, default 0
        Per period, for the discounted value (revenue of period ``t``, 0-based, is divided
        by ``(1 + discount_rate) ** (t + 1)``).
    tiers : ServiceTiers, default gold/silver/bronze 20/30/50 %
        Value tiers to service tiers.
    processes : sequence of ServiceProcess, default ()
        The processes purchases and contacts start.
    contact_centre : ContactCentre, optional
        Needed by processes started by a contact.
    campaign : RetentionCampaign, optional
        A retention campaign.
    links : BehaviouralLinks, default neutral
        How breaches, waits and detractor experiences change behaviour. Without links the
        simulation is the plain purchase model.
    name : str, default "scenario"
        A label for tables and plots.
    start : str, default "2026-01-05"
        The first day of period 0 (ISO 8601), for the timestamps of kept tables.

    Raises
    ------
    InvalidInputError
        On construction, naming the field: a negative rate, a share outside [0, 1], a tier
        without a cycle time or an SLA, an SLA on another (unknown) process, a model in
        another time unit, a contact centre that does not fit in a period, a campaign after
        the horizon.

    Examples
    --------
    >>> import json
    >>> from custcentric.simulate import Population, Scenario
    >>> from custcentric.value import BetaGeo
    >>> s = Scenario(population=Population(
    ...         purchase_model=BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W"),
    ...         n_customers=500), horizon=52)
    >>> data = json.loads(json.dumps(s.to_dict()))
    >>> data["schema_version"], Scenario.from_dict(data) == s
    (1, True)
    >>> s.replace("population.n_customers", 1000).population.n_customers
    1000
    """

    population: Population = attrs.field(converter=nested(Population, "population"))
    horizon: int = attrs.field(converter=number("horizon", low=1, integer=True))
    time_unit: str = attrs.field(default="W", converter=_period_unit)
    discount_rate: float = attrs.field(default=0.0, converter=number("discount_rate", low=0))
    tiers: ServiceTiers = attrs.field(factory=ServiceTiers, converter=nested(ServiceTiers, "tiers"))
    processes: tuple[ServiceProcess, ...] = attrs.field(default=(), converter=_processes)
    contact_centre: ContactCentre | None = attrs.field(
        default=None, converter=nested(ContactCentre, "contact_centre", optional=True)
    )
    campaign: RetentionCampaign | None = attrs.field(
        default=None, converter=nested(RetentionCampaign, "campaign", optional=True)
    )
    links: BehaviouralLinks = attrs.field(
        factory=BehaviouralLinks, converter=nested(BehaviouralLinks, "links")
    )
    name: str = attrs.field(default="scenario", converter=as_text("name"))
    start: str = attrs.field(default="2026-01-05", converter=_start)

    def __attrs_post_init__(self) -> None:
        model_unit = getattr(self.population.purchase_model, "time_unit", None)
        if model_unit is not None and model_unit != self.time_unit:
            msg = (
                f"`time_unit` must match the purchase model's time unit (scenario "
                f"{self.time_unit!r}, model {model_unit!r}): refit or rescale the model."
            )
            raise InvalidInputError(msg)
        ids = [p.process_id for p in self.processes]
        if len(set(ids)) != len(ids):
            msg = f"`processes` must name each process once (got {ids})."
            raise InvalidInputError(msg)
        for proc in self.processes:
            for tier in self.tiers.names:
                if tier not in proc.cycle_time and "all" not in proc.cycle_time:
                    msg = (
                        f"`processes` must give a cycle time for every tier: process "
                        f"{proc.process_id!r} has none for tier {tier!r}."
                    )
                    raise InvalidInputError(msg)
                if not any(s.applies_to(tier) for s in proc.slas):
                    msg = (
                        f"`processes` must give every tier an SLA: process "
                        f"{proc.process_id!r} has no SLA for tier {tier!r}."
                    )
                    raise InvalidInputError(msg)
            unknown = sorted(set(proc.cycle_time) - {*self.tiers.names, "all"})
            if unknown:
                msg = (
                    f"`processes` must use the tiers {list(self.tiers.names)}: process "
                    f"{proc.process_id!r} has a cycle time for unknown tier {unknown[0]!r}."
                )
                raise InvalidInputError(msg)
            if proc.trigger == "contact" and self.contact_centre is None:
                msg = (
                    f"`contact_centre` must be given: process {proc.process_id!r} is started "
                    "by contacts."
                )
                raise InvalidInputError(msg)
        cc = self.contact_centre
        if cc is not None:
            open_seconds = cc.intervals_per_period * SECONDS_PER_UNIT[cc.interval]
            if open_seconds > SECONDS_PER_UNIT[self.time_unit] * (1 + 1e-12):
                msg = (
                    f"`contact_centre.intervals_per_period` must fit in one period: "
                    f"{cc.intervals_per_period:g} x {cc.interval!r} is longer than 1 "
                    f"{self.time_unit!r}."
                )
                raise InvalidInputError(msg)
        if self.campaign is not None and self.campaign.period >= self.horizon:
            msg = (
                f"`campaign.period` must be within the horizon (got {self.campaign.period} "
                f"with horizon {self.horizon})."
            )
            raise InvalidInputError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as JSON-ready data with ``schema_version``.

        Examples
        --------
        >>> from custcentric.simulate import example_scenario
        >>> sorted(example_scenario().to_dict())[:3]
        ['campaign', 'contact_centre', 'discount_rate']
        """
        fields = attrs.fields(type(self))
        return {
            "schema_version": SCHEMA_VERSION,
            **{f.name: plain(getattr(self, f.name)) for f in fields},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a scenario from :meth:`to_dict` output (or its JSON), refusing unknown keys.

        ``schema_version`` is required and must be the current one.

        Examples
        --------
        >>> from custcentric.simulate import Scenario
        >>> Scenario.from_dict({"schema_version": 1, "horizon": 4})
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: Scenario needs the field 'population' (missing from `data`).
        """
        check_keys(cls, data, ignore=("schema_version",))
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            msg = f"`schema_version` must be {SCHEMA_VERSION} for Scenario (got {fmt(version)})."
            raise InvalidInputError(msg)
        return cls(**{k: v for k, v in data.items() if k != "schema_version"})

    def replace(self, path: str, value: Any) -> Scenario:
        """Return a copy with the field at the dotted ``path`` set to ``value``.

        A path walks fields (``"links.dropout_per_breach"``), parameters of the models
        (``"population.purchase_model.r"``), tuple items by position
        (``"processes.0.share"``) and mapping keys (``"processes.0.cycle_time.gold.scale"``).
        The copy is checked like a new scenario.

        Examples
        --------
        >>> from custcentric.simulate import example_scenario
        >>> s = example_scenario().replace("contact_centre.agents", 20)
        >>> s.contact_centre.agents
        20
        >>> example_scenario().replace("contact_centre.agentz", 20)
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `path` 'contact_centre.agentz' has no part 'agentz' (in ContactCentre).
        """
        if not isinstance(path, str) or not path:
            msg = f"`path` must be a dotted field path (got {fmt(path)})."
            raise InvalidInputError(msg)
        out: Scenario = _replace(self, path.split("."), value, path)
        return out

    def get(self, path: str) -> Any:
        """Return the value at the dotted ``path`` (see :meth:`replace`).

        Examples
        --------
        >>> from custcentric.simulate import example_scenario
        >>> example_scenario().get("links.persistence")
        0.8
        """
        node: Any = self
        for part in path.split("."):
            node = _child(node, part, path)
        return node


def _child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, tuple):
        if part.isdigit() and int(part) < len(node):
            return node[int(part)]
    elif isinstance(node, Mapping):
        if part in node:
            return node[part]
    elif attrs.has(type(node)) and part in attrs.fields_dict(type(node)):
        return getattr(node, part)
    msg = f"`path` {path!r} has no part {part!r} (in {type(node).__name__})."
    raise InvalidInputError(msg)


def _replace(node: Any, parts: list[str], value: Any, path: str) -> Any:
    head, rest = parts[0], parts[1:]
    current = _child(node, head, path)
    new = _replace(current, rest, value, path) if rest else value
    if isinstance(node, tuple):
        items = list(node)
        items[int(head)] = new
        return tuple(items)
    if isinstance(node, Mapping):
        return {**node, head: new}
    return attrs.evolve(node, **{head: new})
