"""``IDICPipeline``: Identify, Differentiate, Interact and Customize, composed per person."""

from __future__ import annotations

import math
import textwrap
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import REMOVED_IN, SINCE, renamed_argument, warn_deprecated
from custcentric._validation import as_float_array, as_rng, fmt
from custcentric.domain import Channel
from custcentric.domain._base import DomainValue, real_number
from custcentric.exceptions import InvalidInputError
from custcentric.idic._differentiate import Differentiation, differentiate
from custcentric.idic._interact import InteractionSummary
from custcentric.idic._offers import OfferAssignment
from custcentric.idic._policy import ContactPolicy, PolicyCheck
from custcentric.idic._steps import (
    AssignOffers,
    ChannelMixNeeds,
    ModelValue,
    ResolveIdentities,
    SummariseInteractions,
)
from custcentric.idic._triggers import (
    Birthday,
    DueTriggers,
    Inactivity,
    Trigger,
    due_triggers,
    trigger_from_dict,
)
from custcentric.tables import CustomerTable, InteractionLog, PerCustomer, TransactionLog
from custcentric.typing import BoolArray, FloatArray, RNGLike, StrArray

__all__ = ["IDENTITIES", "IDICData", "IDICPipeline", "IDICRun", "Offer"]

IDENTITIES: Final[tuple[str, ...]] = ("resolve", "resolved")
"""How :meth:`IDICPipeline.run` keys the records: ``"resolve"`` the channel profiles into
persons (the records are keyed by profile id), or take them as ``"resolved"`` already (the
records are keyed by the ids of ``customers``)."""


class IDICData(Protocol):
    """What :meth:`IDICPipeline.run` reads: a company's tables (e.g. ``SampleCompany``).

    With ``identities="resolve"`` (the default) the run reads ``profiles`` (the channel
    profile records; attribute ``marketing_opt_in`` gives the consent each recorded) and the
    records as the channels hold them, keyed by profile id: ``channel_transactions``,
    ``channel_interactions`` (and ``channel_surveys``) when the data have them, else
    ``transactions`` and ``interactions``. With ``identities="resolved"`` it reads
    ``customers`` (attribute ``marketing_opt_in``) and ``transactions`` and ``interactions``
    keyed by customer id.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> company = load_sample_company()
    >>> all(hasattr(company, t) for t in ("customers", "profiles", "transactions", "interactions"))
    True
    """

    @property
    def customers(self) -> CustomerTable:
        """The customers, one row each (attribute ``marketing_opt_in`` gives consent)."""

    @property
    def profiles(self) -> CustomerTable:
        """The channel profile records to resolve into people."""

    @property
    def transactions(self) -> TransactionLog:
        """The purchases."""

    @property
    def interactions(self) -> InteractionLog:
        """The contacts."""


def _non_empty(name: str) -> Any:
    def check(instance: object, attribute: object, value: str) -> None:
        del instance, attribute
        if not isinstance(value, str) or not value:
            msg = f"`{name}` must be a non-empty string (got {fmt(value)})."
            raise InvalidInputError(msg)

    return check


#: The largest ``horizon * log1p(discount_rate)``: the discount factor stays below e**700.
_MAX_LOG_DISCOUNT = 700.0
#: The largest uplift accepted (a relative increase of 10**6, i.e. 100,000,000 %).
MAX_UPLIFT = 1e6
#: The largest magnitude of an offer's cost or customer benefit (as in ``assign_offers``).
MAX_AMOUNT = 1e150
#: The largest tier number an offer may name.
MAX_TIER = 2**31


def _at_most(number: float, bound: float, name: str, value: object) -> float:
    if abs(number) > bound:
        msg = f"`{name}` must have magnitude at most {bound:g} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return number


def _uplift(value: object) -> float:
    return _at_most(real_number(value, "uplift", low=-1.0), MAX_UPLIFT, "uplift", value)


def _cost(value: object) -> float:
    return _at_most(real_number(value, "cost", low=0.0), MAX_AMOUNT, "cost", value)


def _benefit(value: object) -> float:
    number = real_number(value, "customer_benefit")
    return _at_most(number, MAX_AMOUNT, "customer_benefit", value)


def _channel(value: object) -> str:
    return Channel(str(value)).value


def _capacity(value: object) -> int | None:
    return None if value is None else int(real_number(value, "capacity", low=0, integer=True))


def _tiers(value: object) -> tuple[int, ...]:
    items = tuple(value) if isinstance(value, tuple | list) else (value,)
    return tuple(
        int(
            _at_most(real_number(t, f"tiers[{i}]", low=1, integer=True), MAX_TIER, f"tiers[{i}]", t)
        )
        for i, t in enumerate(items)
    )


def _threshold(value: object) -> float:
    return real_number(
        value, "identity_threshold", low=0, high=1, low_inclusive=False, high_inclusive=False
    )


def _horizon(value: object) -> int:
    return int(real_number(value, "horizon", low=1, integer=True))


def _discount(value: object) -> float:
    return real_number(value, "discount_rate", low=0)


def _n_needs(value: object) -> int:
    return int(real_number(value, "n_needs_segments", low=1, integer=True))


def _shares(value: object) -> tuple[float, ...]:
    items = tuple(value) if isinstance(value, tuple | list) else (value,)
    return tuple(real_number(v, f"value_shares[{i}]", low=0, high=1) for i, v in enumerate(items))


def _as_tuple(value: object) -> tuple[Any, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        return (value,)
    return tuple(value)


@attrs.frozen(kw_only=True)
class Offer(DomainValue):
    """One offer the company can make, and what it is expected to do.

    Parameters
    ----------
    name : str
        The offer's name.
    uplift : float
        Expected relative increase of a customer's value if they take the offer
        (0.05 for 5 %); the expected value of offering it is ``uplift × CLV − cost``.
        At least -1 and at most 10**6.
    cost : float, default 0
        Cost of making the offer to one customer, at most 1e150.
    customer_benefit : float, default 0
        The customer's own expected gain; an offer with a negative benefit is refused
        ("the customer's interest first", source S4). Magnitude at most 1e150.
    capacity : int, optional
        How many customers can receive it; ``None`` for no limit.
    tiers : tuple of int, default ()
        Value tiers (1 = most valuable) it is meant for; empty means every tier.
    channel : str, default "email"
        The :class:`~custcentric.domain.Channel` the offer goes out on; the contact policy
        checks one planned contact of kind ``"offer"`` per person on it.

    Examples
    --------
    >>> from custcentric.idic import Offer
    >>> Offer(name="upgrade", uplift=0.12, cost=25, tiers=[1, 2]).tiers
    (1, 2)

    An offer is configuration: it goes through JSON and back unchanged.

    >>> offer = Offer(name="upgrade", uplift=0.12, cost=25, tiers=[1, 2])
    >>> offer.to_dict()
    {'schema_version': 1, 'name': 'upgrade', 'uplift': 0.12, 'cost': 25.0, 'customer_benefit': 0.0, 'capacity': None, 'tiers': [1, 2], 'channel': 'email'}
    >>> Offer.from_dict(offer.to_dict()) == offer
    True
    """

    name: str = attrs.field(validator=_non_empty("name"))
    uplift: float = attrs.field(converter=_uplift)
    cost: float = attrs.field(default=0.0, converter=_cost)
    customer_benefit: float = attrs.field(default=0.0, converter=_benefit)
    capacity: int | None = attrs.field(default=None, converter=_capacity)
    tiers: tuple[int, ...] = attrs.field(default=(), converter=_tiers)
    channel: str = attrs.field(default="email", converter=_channel)


_DEFAULT_OFFERS = (
    Offer(name="loyalty reward", uplift=0.08, cost=15.0, customer_benefit=15.0, tiers=(1,)),
    Offer(name="upgrade", uplift=0.12, cost=25.0, customer_benefit=10.0, tiers=(1, 2)),
    Offer(name="win-back discount", uplift=0.25, cost=8.0, customer_benefit=8.0, tiers=(3,)),
)

#: The layout version of ``IDICPipeline.to_dict`` and ``IDICRun.to_dict``.
SCHEMA_VERSION: Final = 1
_TRUE: Final = ("true", "1", "yes", "y")
_FALSE: Final = ("false", "0", "no", "n")


@attrs.frozen(kw_only=True, eq=False)
class IDICRun:
    """The output of each IDIC step for one run of :class:`IDICPipeline`, per person.

    Attributes
    ----------
    observation_end : numpy.datetime64
        The day the run looks from.
    customer_id : ndarray of str
        The persons: the resolved person ids (``P000001`` ...) when the run resolved the
        profiles, else the ids of the customer table. Every per-person array below follows
        it.
    identify : IdentityResolution or None
        Profile records resolved into persons (the identify step's result); None when the
        identities were given as resolved.
    profile_id, profile_person : ndarray of str
        Each profile record's id and the person it resolved to (empty when resolved).
    value : ndarray of float
        Each person's expected value over the horizon (the value step's, or the values
        given; 0 for persons who never bought).
    needs : ndarray of str
        Each person's needs segment (the needs step's, or the segments given).
    differentiate : Differentiation
        The value × needs matrix.
    interact : InteractionSummary
        Contacts per person, response rates and preferred channels.
    triggers : DueTriggers
        Contacts due on ``observation_end``, per person, after the contact policy.
    customize : OfferAssignment
        The offer assigned to each person, if any (rows follow ``customer_id``).
    offers : tuple of Offer
        The offers considered (columns of the assignment).
    consent : ndarray of bool
        Whether each person has a recorded marketing opt-in (or ``assume_consent``) and has
        not opted out.
    opted_out : ndarray of bool
        Whether each person opted out of all contact.
    offer_refused : dict of str to int
        Persons who had an offer worth making but were not offered it, by reason:
        ``"opted_out"``, ``"no_consent"`` or the contact policy's rule.
    identities : str
        ``"resolve"`` or ``"resolved"`` (see :data:`IDENTITIES`).
    currency : str
        The currency of the values (``""`` when the data do not say).
    timings : dict of str to float
        Seconds each step took (not part of :meth:`to_dict`).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import IDICPipeline
    >>> run = IDICPipeline().run(load_sample_company(), rng=7)
    >>> run.customer_id.size, run.identify.n_people, run.customize.n_assigned
    (5084, 5084, 1257)
    >>> run.offer_refused
    {'no_consent': 794}
    """

    observation_end: np.datetime64
    customer_id: Any
    identify: Any
    profile_id: Any
    profile_person: Any
    value: FloatArray
    needs: Any
    differentiate: Differentiation
    interact: InteractionSummary
    triggers: DueTriggers
    customize: OfferAssignment
    offers: tuple[Offer, ...]
    consent: BoolArray
    opted_out: BoolArray
    offer_refused: dict[str, int]
    identities: str = "resolve"
    currency: str = ""
    timings: dict[str, float] = attrs.field(factory=dict)

    @property
    def as_of(self) -> np.datetime64:
        """Deprecated name of :attr:`observation_end`."""
        warn_deprecated(
            "`IDICRun.as_of`", "`observation_end`", since=SINCE, removed_in=REMOVED_IN, stacklevel=2
        )
        return self.observation_end

    @property
    def refused(self) -> dict[str, dict[str, int]]:
        """What was refused and why: triggered contacts and offers (persons), per reason.

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline
        >>> IDICPipeline().run(load_sample_company(), rng=7).refused["offers"]
        {'no_consent': 794}
        """
        return {"triggered contacts": self.triggers.refused, "offers": dict(self.offer_refused)}

    def person_of(self, ids: ArrayLike) -> StrArray:
        """Return the person id of each profile id (or person id) in ``ids``.

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline
        >>> run = IDICPipeline().run(load_sample_company(), rng=7)
        >>> run.person_of(["W100083"]).tolist()
        ['P003884']
        """
        return _Keys(self.profile_id, self.profile_person, self.customer_id).person(ids, "ids")

    def to_dict(self) -> dict[str, Any]:
        """Return the run as plain JSON-ready data: per-person arrays and each step's dict.

        Examples
        --------
        >>> import json
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline
        >>> data = IDICPipeline().run(load_sample_company(), rng=7).to_dict()
        >>> data["observation_end"], data["identify"]["n_people"], len(json.dumps(data)) > 0
        ('2026-01-01', 5084, True)
        """
        return {
            "schema_version": SCHEMA_VERSION,
            "identities": self.identities,
            "currency": self.currency,
            "observation_end": str(np.datetime_as_string(self.observation_end, unit="D")),
            "customer_id": np.asarray(self.customer_id).tolist(),
            "value": self.value.tolist(),
            "needs": np.asarray(self.needs).tolist(),
            "consent": self.consent.tolist(),
            "opted_out": self.opted_out.tolist(),
            "offer_refused": dict(self.offer_refused),
            "profiles": {
                "profile_id": np.asarray(self.profile_id).tolist(),
                "person_id": np.asarray(self.profile_person).tolist(),
            },
            "identify": None if self.identify is None else _identify_dict(self.identify),
            "differentiate": self.differentiate.to_dict(),
            "interact": self.interact.to_dict(),
            "triggers": self.triggers.to_dict(),
            "customize": self.customize.to_dict(),
            "offers": [o.to_dict() for o in self.offers],
            "results": {
                name: _encode(getattr(self, name))
                for name in ("differentiate", "interact", "triggers", "customize")
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IDICRun:
        """Load a run stored with :meth:`to_dict` (e.g. read back from JSON).

        Every per-person array and every step's result comes back, except the identity
        resolution's candidate pairs: ``identify`` is None on a loaded run, and
        ``profile_id`` → ``profile_person`` keeps which record is which person.

        Examples
        --------
        >>> import json
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline, IDICRun
        >>> run = IDICPipeline().run(load_sample_company(), rng=7)
        >>> back = IDICRun.from_dict(json.loads(json.dumps(run.to_dict())))
        >>> back.summary() == run.summary(), back.customize.n_assigned
        (True, 1257)
        """
        fields = _checked_mapping(data, "IDICRun", _RUN_KEYS)
        missing = [k for k in _RUN_KEYS if k not in fields]
        if missing:
            msg = f"`data` for IDICRun.from_dict must have the key {missing[0]!r}."
            raise InvalidInputError(msg)
        results = fields["results"]
        steps = {
            "differentiate": Differentiation,
            "interact": InteractionSummary,
            "triggers": DueTriggers,
            "customize": OfferAssignment,
        }
        try:
            loaded = {name: kind(**_decode(results[name])) for name, kind in steps.items()}
            profiles = fields["profiles"]
            return cls(
                observation_end=np.datetime64(fields["observation_end"], "D"),
                customer_id=np.asarray(fields["customer_id"]).astype(np.str_),
                identify=None,
                profile_id=np.asarray(profiles["profile_id"]).astype(np.str_),
                profile_person=np.asarray(profiles["person_id"]).astype(np.str_),
                value=np.asarray(fields["value"], dtype=np.float64),
                needs=np.asarray(fields["needs"]).astype(np.str_),
                offers=tuple(Offer.from_dict(o) for o in _listed(fields["offers"], "offers")),
                consent=np.asarray(fields["consent"], dtype=bool),
                opted_out=np.asarray(fields["opted_out"], dtype=bool),
                offer_refused={str(k): int(v) for k, v in fields["offer_refused"].items()},
                identities=_identities(fields["identities"]),
                currency=str(fields["currency"]),
                **loaded,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            if isinstance(error, InvalidInputError):
                raise
            msg = f"`data` is not a stored IDICRun ({type(error).__name__}: {error})."
            raise InvalidInputError(msg) from None

    def summary(self, width: int = 88, currency: str | None = None) -> str:
        """Return one short paragraph per step, wrapped at ``width``, money in ``currency``.

        Parameters
        ----------
        width : int, default 88
            Line width, at least 40.
        currency : str, optional
            The currency code shown with money (default: the run's ``currency``).

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline
        >>> run = IDICPipeline().run(load_sample_company(), rng=7)
        >>> print(run.summary(width=72).splitlines()[0])
        IDIC as of 2026-01-01 for 5,084 people (6,386 profile records)
        """
        wide = int(real_number(width, "width", low=40, integer=True))
        money = self.currency if currency is None else str(currency)
        prefix = f"{money} " if money else ""
        d = self.differentiate
        top = float(d.value_share[0].sum())
        due = self.triggers
        counts = self.customize.offer_counts
        per_offer = ", ".join(
            f"{o.name} {int(c):,}" for o, c in zip(self.offers, counts, strict=True)
        )
        day = np.datetime_as_string(self.observation_end, unit="D")
        n = len(self.customer_id)
        if self.identities == "resolve":
            head = f"IDIC as of {day} for {n:,} people ({len(self.profile_id):,} profile records)"
            identify = (
                f"{len(self.profile_id):,} profile records resolve to {n:,} people; "
                "purchases, contacts and answers are counted per person"
            )
        else:
            head = f"IDIC as of {day} for {n:,} customers"
            identify = "identities given as resolved (records keyed by customer id)"
        consent = int(self.consent.sum())
        steps = {
            "Identify": identify,
            "Differentiate": f"the top tier holds {100 * top:.1f} % of expected value; "
            f"needs segments {', '.join(d.needs_labels.tolist())}; strategy: {d.strategy}",
            "Interact": f"{due.n_due:,} triggered contacts due, {due.n_allowed:,} allowed by "
            f"the contact policy{_reasons(due.refused)}",
            "Consent": f"{consent:,} of {n:,} have a recorded marketing opt-in"
            + (f"; {int(self.opted_out.sum()):,} opted out" if self.opted_out.any() else ""),
            "Customize": f"{self.customize.n_assigned:,} offers assigned ({per_offer}), "
            f"expected value {prefix}{self.customize.total_value:,.2f}"
            + _not_offered(self.offer_refused),
        }
        lines = [textwrap.fill(head, width=wide, subsequent_indent="  ")]
        for step, text in steps.items():
            lines.append(
                textwrap.fill(
                    text,
                    width=wide,
                    initial_indent=f"  {step:<15}",
                    subsequent_indent=" " * 17,
                    break_on_hyphens=False,
                )
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _reasons(refused: Mapping[str, int]) -> str:
    if not refused:
        return ""
    return "; refused: " + ", ".join(f"{reason} {count:,}" for reason, count in refused.items())


def _not_offered(refused: Mapping[str, int]) -> str:
    if not refused:
        return ""
    reasons = ", ".join(f"{reason} {count:,}" for reason, count in refused.items())
    return f"; {sum(refused.values()):,} people worth an offer not offered ({reasons})"


def _identify_dict(identify: Any) -> Any:
    to_dict: Callable[[], Any] | None = getattr(identify, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    return {"n_people": len(identify.golden)}


def _step(value: object, name: str) -> Any:
    if value is not None and not callable(value):
        msg = f"`{name}` must be a step (a callable, see custcentric.idic.{name.title()}Step) or None (got {fmt(value)})."
        raise InvalidInputError(msg)
    return value


def _step_identify(value: object) -> Any:
    return _step(value, "identify")


def _step_value(value: object) -> Any:
    return _step(value, "value")


def _step_needs(value: object) -> Any:
    return _step(value, "needs")


def _step_interact(value: object) -> Any:
    return _step(value, "interact")


def _step_customize(value: object) -> Any:
    return _step(value, "customize")


def _identities(value: object) -> str:
    if value not in IDENTITIES:
        msg = f"`identities` must be one of {', '.join(map(repr, IDENTITIES))} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return str(value)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        msg = f"`{name}` must be True or False (got {fmt(value)})."
        raise InvalidInputError(msg)
    return bool(value)


def _assume(value: object) -> bool:
    return _flag(value, "assume_consent")


@attrs.frozen(kw_only=True)
class IDICPipeline:
    """Peppers & Rogers' IDIC model as one configurable, reproducible pipeline (source S2).

    The steps compose on persons: *Identify* resolves the channel profile records into
    persons, and every purchase, contact and survey answer is mapped to its person, so a
    person with three profiles is valued once, counted once against contact caps and offered
    at most one offer. Consent is never assumed: without a recorded opt-in a person gets no
    marketing contact, and every offer and triggered contact goes through the
    :class:`ContactPolicy`.

    Parameters
    ----------
    identity_threshold : float, default 0.9
        Match probability above which two profile records are the same person.
    horizon : int, default 12
        Months of expected value used to differentiate customers.
    discount_rate : float, default 0.01
        Monthly discount rate of that value; ``(1 + discount_rate) ** horizon`` must stay
        below about 1e304 (``horizon * log1p(discount_rate) <= 700``) so that discounting
        cannot overflow.
    n_needs_segments : int, default 4
        Needs segments found by the needs step.
    value_shares : tuple of float, default (0.2, 0.3, 0.5)
        Value tiers, most valuable first.
    triggers : tuple of Trigger
        Event triggers checked on the day of the run; a :class:`LifeEvent` reads the
        ``life_events`` given to :meth:`run`.
    policy : ContactPolicy
        Caps, gaps, quiet hours, consent and opt-outs, applied to every triggered contact
        and every offer.
    offers : tuple of Offer
        The offers to assign, at most one per person.
    assume_consent : bool, default False
        Treat every person who has not opted out as consenting to marketing. Off by default:
        missing consent means no consent.
    identities : {"resolve", "resolved"}, default "resolve"
        ``"resolve"``: resolve ``profiles`` into persons and map the records (keyed by
        profile id) to them; ``"resolved"``: the records are keyed by the ids of
        ``customers`` already, as before 0.2.
    identify, value, needs, interact, customize : step, optional
        Replace a step (see :class:`IdentifyStep`, :class:`ValueStep`, :class:`NeedsStep`,
        :class:`InteractStep`, :class:`CustomizeStep`); None for the default
        (:class:`ResolveIdentities`, :class:`ModelValue`, :class:`ChannelMixNeeds`,
        :class:`SummariseInteractions`, :class:`AssignOffers`).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import IDICPipeline
    >>> run = IDICPipeline(n_needs_segments=3).run(load_sample_company(), rng=7)
    >>> run.identify.n_people, run.differentiate.needs_labels.size
    (5084, 3)

    The configuration goes through JSON and back:

    >>> pipeline = IDICPipeline(horizon=6)
    >>> IDICPipeline.from_dict(pipeline.to_dict()) == pipeline
    True
    """

    identity_threshold: float = attrs.field(default=0.9, converter=_threshold)
    horizon: int = attrs.field(default=12, converter=_horizon)
    discount_rate: float = attrs.field(default=0.01, converter=_discount)
    n_needs_segments: int = attrs.field(default=4, converter=_n_needs)
    value_shares: tuple[float, ...] = attrs.field(default=(0.2, 0.3, 0.5), converter=_shares)
    triggers: tuple[Trigger, ...] = attrs.field(
        factory=lambda: (Birthday(), Inactivity(180)), converter=_as_tuple
    )
    policy: ContactPolicy = attrs.field(factory=ContactPolicy)
    offers: tuple[Offer, ...] = attrs.field(default=_DEFAULT_OFFERS, converter=_as_tuple)
    assume_consent: bool = attrs.field(default=False, converter=_assume)
    identities: str = attrs.field(default="resolve", converter=_identities)
    identify: Any = attrs.field(default=None, converter=_step_identify)
    value: Any = attrs.field(default=None, converter=_step_value)
    needs: Any = attrs.field(default=None, converter=_step_needs)
    interact: Any = attrs.field(default=None, converter=_step_interact)
    customize: Any = attrs.field(default=None, converter=_step_customize)

    @discount_rate.validator
    def _check_discounting(self, attribute: object, value: float) -> None:
        del attribute
        if self.horizon * math.log1p(value) > _MAX_LOG_DISCOUNT:
            msg = (
                "`discount_rate` must keep (1 + discount_rate) ** horizon finite, "
                f"horizon * log1p(discount_rate) <= {_MAX_LOG_DISCOUNT:g} "
                f"(got {fmt(value)} with horizon {self.horizon})."
            )
            raise InvalidInputError(msg)

    @offers.validator
    def _check_offers(self, attribute: object, value: tuple[object, ...]) -> None:
        del attribute
        if not value:
            msg = "`offers` must hold at least one Offer (got none)."
            raise InvalidInputError(msg)
        for i, offer in enumerate(value):
            if not isinstance(offer, Offer):
                msg = f"`offers` must hold Offer values (index {i}: {fmt(offer)})."
                raise InvalidInputError(msg)

    @identify.validator
    def _check_identify(self, attribute: object, value: object) -> None:
        del attribute
        if value is not None and self.identities == "resolved":
            msg = (
                "`identify` must be None with identities='resolved' (the identities are "
                "given, so there is nothing to resolve)."
            )
            raise InvalidInputError(msg)

    # -------------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as strict JSON-ready data with ``schema_version``.

        A step of your own is code, not configuration: a pipeline holding one is refused
        (:class:`~custcentric.exceptions.InvalidInputError` naming the step); store its
        settings yourself and pass it again.

        Examples
        --------
        >>> from custcentric.idic import IDICPipeline, LifeEvent
        >>> data = IDICPipeline(triggers=[LifeEvent("new_baby")]).to_dict()
        >>> data["schema_version"], data["triggers"][0]["kind"], data["assume_consent"]
        (1, 'new_baby', False)
        """
        for name in ("identify", "needs", "interact", "customize"):
            if getattr(self, name) is not None:
                msg = (
                    f"`{name}` is a step of your own ({type(getattr(self, name)).__name__}): "
                    "code, not configuration, so the pipeline cannot be stored with it."
                )
                raise InvalidInputError(msg)
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "identity_threshold": self.identity_threshold,
            "horizon": self.horizon,
            "discount_rate": self.discount_rate,
            "n_needs_segments": self.n_needs_segments,
            "value_shares": list(self.value_shares),
            "triggers": [t.to_dict() for t in self.triggers],
            "policy": self.policy.to_dict(),
            "offers": [o.to_dict() for o in self.offers],
            "assume_consent": self.assume_consent,
            "identities": self.identities,
        }
        if self.value is not None:
            model = self.value.purchase_model if isinstance(self.value, ModelValue) else None
            if not isinstance(model, type) or model.__name__ not in ("BetaGeo", "ParetoNBD"):
                msg = (
                    f"`value` is a step of your own ({type(self.value).__name__}): code, not "
                    "configuration, so the pipeline cannot be stored with it."
                )
                raise InvalidInputError(msg)
            data["purchase_model"] = model.__name__
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IDICPipeline:
        """Build the pipeline from :meth:`to_dict` output; unknown keys are refused.

        Examples
        --------
        >>> import json
        >>> from custcentric.idic import IDICPipeline
        >>> text = json.dumps(IDICPipeline(assume_consent=True).to_dict())
        >>> IDICPipeline.from_dict(json.loads(text)).assume_consent
        True
        """
        fields = _checked_mapping(data, "IDICPipeline", _PIPELINE_KEYS)
        if "triggers" in fields:
            fields["triggers"] = tuple(
                trigger_from_dict(t) for t in _listed(fields["triggers"], "triggers")
            )
        if "policy" in fields:
            fields["policy"] = ContactPolicy.from_dict(fields["policy"])
        if "offers" in fields:
            fields["offers"] = tuple(
                Offer.from_dict(o) for o in _listed(fields["offers"], "offers")
            )
        if "purchase_model" in fields:
            fields["value"] = ModelValue(fields.pop("purchase_model"))
        return cls(**fields)

    # -------------------------------------------------------------------------- the run
    def run(
        self,
        data: IDICData,
        *,
        observation_end: ArrayLike | None = None,
        rng: RNGLike = None,
        life_events: Any = None,
        values: PerCustomer | ArrayLike | None = None,
        segments: Any = None,
        customer_benefit: Any = None,
        consent: ArrayLike | None = None,
        opted_out: ArrayLike | None = None,
        as_of: ArrayLike | None = None,
    ) -> IDICRun:
        """Run the steps on ``data``, per person, and return each step's output.

        Parameters
        ----------
        data : IDICData
            The company's tables (see :class:`IDICData` for which are read).
        observation_end : date, optional
            The day the run looks from; defaults to the day after the last purchase.
        rng : seed or Generator, optional
            Seeds the needs step, so the same ``rng`` gives the same run.
        life_events : mapping or DataFrame with customer_id, kind, date, optional
            Life events from your own systems, for :class:`LifeEvent` triggers; keyed by
            profile id or person id (by customer id with ``identities="resolved"``).
        values : PerCustomer or array_like, optional
            Each person's value, replacing the value step: a ``PerCustomer`` matched by id
            (it must cover every person) or an array in the order of the persons.
        segments : mapping or pandas Series of id to label, or array_like, optional
            Each person's needs segment, replacing the needs step.
        customer_benefit : mapping of offer name to PerCustomer or array_like, optional
            The customer's own gain from an offer, per person, replacing that offer's
            ``customer_benefit``; or one ``(persons, offers)`` array.
        consent : array_like of ids, optional
            The ids (profile or person ids) with a marketing opt-in, replacing the recorded
            ``marketing_opt_in`` attribute.
        opted_out : array_like of ids, optional
            The ids that opted out of all contact (added to an ``opted_out`` attribute).
        as_of
            Deprecated name of ``observation_end``
            (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`).

        Returns
        -------
        IDICRun

        Raises
        ------
        InvalidInputError
            For a record keyed by an id the profiles (or customers) do not hold, values or
            segments that leave out a person, a :class:`LifeEvent` trigger without
            ``life_events``, or a bad date.
        """
        generator = as_rng(rng)
        end = renamed_argument(observation_end, as_of, new="observation_end", old="as_of")
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(step: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[step] = now - clock
            clock = now

        if self.identities == "resolve":
            profiles = data.profiles
            step = self.identify or ResolveIdentities(self.identity_threshold)
            identify = step(profiles)
            persons: CustomerTable = identify.golden
            ids = np.sort(np.asarray(persons.customer_id).astype(np.str_))  # P000001 ...
            keys = _Keys(
                np.asarray(profiles.customer_id).astype(np.str_),
                np.asarray(identify.person_id).astype(np.str_),
                ids,
            )
            transactions = keys.transactions(_records(data, "transactions"))
            interactions = keys.interactions(_records(data, "interactions"))
            recorded, out = keys.recorded(profiles)
        else:
            identify = None
            persons = data.customers
            ids = np.asarray(persons.customer_id).astype(np.str_)
            keys = _Keys(np.zeros(0, np.str_), np.zeros(0, np.str_), ids)
            transactions, interactions = data.transactions, data.interactions
            recorded, out = _consent_flags(persons.attributes, len(persons))
        lap("identify")
        day = _observation_end(transactions, end)
        if consent is not None:
            recorded = np.isin(ids, keys.person(consent, "consent"))
        if opted_out is not None:
            out = out | np.isin(ids, keys.person(opted_out, "opted_out"))
        agreed = (recorded | self.assume_consent) & ~out

        if values is not None:
            value = _align(values, ids, "values", complete=True)
        else:
            _check_bought(transactions, day)
            step_value = self.value or ModelValue()
            result = step_value(
                transactions,
                customer_id=ids,
                observation_end=day,
                horizon=self.horizon,
                discount_rate=self.discount_rate,
            )
            value = _align(result, ids, "the value step's result", complete=False)
        lap("value")
        interact = (self.interact or SummariseInteractions())(
            interactions, customer_id=ids, observation_end=day
        )
        lap("interact")
        if segments is not None:
            needs = _labels(segments, ids)
        else:
            raw = (self.needs or ChannelMixNeeds())(
                interact, n_segments=self.n_needs_segments, rng=generator
            )
            needs = _labels(raw, ids, what="the needs step's result")
            needs = needs[_rows_of(np.asarray(interact.customer_id).astype(np.str_), ids)]
        matrix = differentiate(value, needs, shares=self.value_shares)
        lap("needs")
        events = None if life_events is None else _life_events(life_events, keys)
        if events is None and any(t.TYPE == "life_event" for t in self.triggers):
            msg = (
                "`life_events` must be given to run() for the LifeEvent trigger "
                "(a table with customer_id, kind and date from your own systems)."
            )
            raise InvalidInputError(msg)
        triggers = due_triggers(
            persons,
            observation_end=day,
            triggers=self.triggers,
            policy=self.policy,
            transactions=transactions,
            interactions=interactions,
            life_events=events,
            consent=ids[agreed],
            opted_out=ids[out],
        )
        lap("triggers")
        customize, refused = self._customize(
            value, matrix, ids, agreed, out, day, interactions, triggers, customer_benefit
        )
        lap("customize")
        return IDICRun(
            observation_end=day,
            customer_id=ids,
            identify=identify,
            profile_id=keys.profile_id,
            profile_person=keys.profile_person,
            value=value,
            needs=needs,
            differentiate=matrix,
            interact=interact,
            triggers=triggers,
            customize=customize,
            offers=self.offers,
            consent=agreed,
            opted_out=out,
            offer_refused=refused,
            identities=self.identities,
            currency=str(getattr(data, "currency", "") or ""),
            timings=timings,
        )

    def _customize(
        self,
        value: FloatArray,
        matrix: Differentiation,
        ids: StrArray,
        agreed: BoolArray,
        out: BoolArray,
        day: np.datetime64,
        history: InteractionLog,
        triggers: DueTriggers,
        customer_benefit: Any,
    ) -> tuple[OfferAssignment, dict[str, int]]:
        n, m = ids.size, len(self.offers)
        uplift = np.array([o.uplift for o in self.offers])
        cost = np.array([o.cost for o in self.offers])
        expected = np.maximum(value, 0.0)[:, None] * uplift[None, :] - cost[None, :]
        tier = matrix.tier + 1
        eligibility = np.column_stack(
            [np.isin(tier, o.tiers) if o.tiers else np.ones(n, bool) for o in self.offers]
        )
        capacities = [o.capacity for o in self.offers]
        capacity = (
            None
            if all(c is None for c in capacities)
            else np.array([n if c is None else c for c in capacities])
        )
        benefit = _benefits(customer_benefit, self.offers, ids)
        check = self._offer_check(ids, day, history, triggers, agreed, out)
        plan = (self.customize or AssignOffers())(
            expected,
            eligibility=eligibility,
            capacity=capacity,
            customer_benefit=benefit,
            consent=agreed,
            policy=check,
        )
        # Per person who had an offer worth making: why they were not offered one.
        worth = (eligibility & (expected > 0) & (benefit >= 0)).any(axis=1)
        got = plan.assigned.any(axis=1)
        reason = check.reason.reshape(n, m)[:, 0].astype(object)
        reason[~agreed] = "no_consent"
        reason[out] = "opted_out"
        missed = worth & ~got & (reason != "")
        labels, counts = np.unique(reason[missed].astype(np.str_), return_counts=True)
        order = np.argsort(-counts, kind="stable")
        return plan, {str(labels[i]): int(counts[i]) for i in order}

    def _offer_check(
        self,
        ids: StrArray,
        day: np.datetime64,
        history: InteractionLog,
        triggers: DueTriggers,
        agreed: BoolArray,
        out: BoolArray,
    ) -> PolicyCheck:
        """Return the policy's verdict on one planned offer contact per person and offer channel."""
        n, m = ids.size, len(self.offers)
        sent = triggers.contacts()  # the triggered contacts going out today count too
        past = InteractionLog.from_arrays(
            np.concatenate([history.customer_id.astype(np.str_), sent.customer_id.astype(np.str_)]),
            np.concatenate([history.timestamp, sent.timestamp]),
            np.concatenate([history.channel, sent.channel]),
            np.concatenate([history.direction, sent.direction]),
            np.concatenate([history.kind, sent.kind]),
        )
        at = np.full(n, day.astype("datetime64[s]") + np.timedelta64(10, "h"))
        allowed = np.zeros((n, m), dtype=bool)
        reason = np.full((n, m), "", dtype=object)
        for channel in sorted({o.channel for o in self.offers}):
            planned = InteractionLog.from_arrays(
                ids, at, np.full(n, channel), np.full(n, "outbound"), np.full(n, "offer")
            )
            check = self.policy.check(
                planned, history=past, consent=ids[agreed], opted_out=ids[out]
            )
            for j, offer in enumerate(self.offers):
                if offer.channel == channel:
                    allowed[:, j] = check.allowed
                    reason[:, j] = check.reason
        return PolicyCheck(allowed=allowed.ravel(), reason=reason.ravel().astype(np.str_))


_RUN_KEYS: Final = (
    "identities",
    "currency",
    "observation_end",
    "customer_id",
    "value",
    "needs",
    "consent",
    "opted_out",
    "offer_refused",
    "profiles",
    "identify",
    "differentiate",
    "interact",
    "triggers",
    "customize",
    "offers",
    "results",
)


def _encode(result: Any) -> dict[str, Any]:
    """Return an attrs result's fields as strict JSON: arrays with their dtype and shape."""
    out: dict[str, Any] = {}
    for field in attrs.fields(type(result)):
        value = getattr(result, field.name)
        if isinstance(value, np.ndarray | np.datetime64):
            array = np.asarray(value)
            if array.dtype.kind == "f":
                items = [v if math.isfinite(v) else str(v) for v in array.ravel().tolist()]
            elif array.dtype.kind == "M":
                items = np.datetime_as_string(array.ravel()).tolist()
            else:
                items = array.ravel().tolist()
            out[field.name] = {
                "array": items,
                "dtype": array.dtype.str if array.dtype.kind != "U" else "str",
                "shape": list(array.shape),
            }
        elif isinstance(value, tuple):
            out[field.name] = {"tuple": list(value)}
        elif isinstance(value, float) and not math.isfinite(value):
            out[field.name] = {"float": str(value)}
        else:
            out[field.name] = value
    return out


def _decode(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, Mapping) and "array" in value:
            shape = tuple(value["shape"])
            dtype = np.str_ if value["dtype"] == "str" else np.dtype(value["dtype"])
            if np.dtype(dtype).kind == "f":
                items: Any = [float(v) for v in value["array"]]
            else:
                items = value["array"]
            array = np.array(items, dtype=dtype).reshape(shape)
            out[name] = array[()] if not shape and np.dtype(dtype).kind == "M" else array
        elif isinstance(value, Mapping) and "tuple" in value:
            out[name] = tuple(value["tuple"])
        elif isinstance(value, Mapping) and "float" in value:
            out[name] = float(value["float"])
        else:
            out[name] = value
    return out


_PIPELINE_KEYS: Final = (
    "identity_threshold",
    "horizon",
    "discount_rate",
    "n_needs_segments",
    "value_shares",
    "triggers",
    "policy",
    "offers",
    "assume_consent",
    "identities",
    "purchase_model",
)


def _checked_mapping(data: object, owner: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        msg = f"`data` must be a mapping for {owner}.from_dict (got {fmt(data)})."
        raise InvalidInputError(msg)
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        msg = f"`schema_version` must be {SCHEMA_VERSION} for {owner} (got {fmt(version)})."
        raise InvalidInputError(msg)
    fields = {str(k): v for k, v in data.items() if k != "schema_version"}
    unknown = sorted(k for k in fields if k not in keys)
    if unknown:
        msg = f"{owner} has no field {unknown[0]!r} (fields: {', '.join(keys)})."
        raise InvalidInputError(msg)
    return fields


def _listed(value: object, name: str) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        msg = f"`{name}` must be a list (got {fmt(value)})."
        raise InvalidInputError(msg)
    return list(value)


class _Keys:
    """Which person each profile record is: re-keys records from profile ids to person ids."""

    def __init__(self, profile_id: ArrayLike, person: ArrayLike, person_ids: ArrayLike) -> None:
        self.profile_id = np.asarray(profile_id).astype(np.str_)
        self.profile_person = np.asarray(person).astype(np.str_)
        self.person_ids = np.asarray(person_ids).astype(np.str_)
        unique, first, code = np.unique(self.profile_id, return_index=True, return_inverse=True)
        clash = self.profile_person != self.profile_person[first][code]
        if clash.any():
            i = int(np.argmax(clash))
            msg = (
                f"`profiles` must not give one profile id to two persons (index {i}: "
                f"{str(self.profile_id[i])!r} is {str(self.profile_person[i])!r} and "
                f"{str(self.profile_person[first][code][i])!r})."
            )
            raise InvalidInputError(msg)
        self._ids = unique
        self._person = self.profile_person[first]
        self._persons = np.unique(self.person_ids)

    def person(self, ids: ArrayLike, name: str) -> StrArray:
        """Return the person of each id: a profile id's person, or a person id itself."""
        given = np.asarray(ids)
        if given.ndim != 1:
            given = given.reshape(-1)
        if given.dtype.kind == "b":
            msg = f"`{name}` must hold ids, not a boolean mask (got {given.size} booleans)."
            raise InvalidInputError(msg)
        text = given.astype(np.str_)
        result = np.empty(text.size, dtype=self.person_ids.dtype if text.size else np.str_)
        at = np.clip(np.searchsorted(self._ids, text), 0, max(self._ids.size - 1, 0))
        profile = (self._ids[at] == text) if self._ids.size else np.zeros(text.size, bool)
        result = np.where(profile, self._person[at] if self._ids.size else "", text)
        known = profile | np.isin(text, self._persons)
        if not known.all():
            i = int(np.argmax(~known))
            where = "a profile id or person id" if self._ids.size else "a customer id"
            hint = (
                "; if the records are keyed by customer id already, pass "
                "IDICPipeline(identities='resolved')"
                if self._ids.size
                else ""
            )
            msg = f"`{name}` must hold {where} of the data (index {i}: {str(text[i])!r}){hint}."
            raise InvalidInputError(msg)
        out: StrArray = result.astype(np.str_)
        return out

    def transactions(self, log: TransactionLog) -> TransactionLog:
        """Return the purchases, keyed by person."""
        return TransactionLog.from_arrays(
            self.person(log.customer_id, "transactions.customer_id"), log.timestamp, log.amount
        )

    def interactions(self, log: InteractionLog) -> InteractionLog:
        """Return the contacts, keyed by person."""
        return InteractionLog.from_arrays(
            self.person(log.customer_id, "interactions.customer_id"),
            log.timestamp,
            log.channel,
            log.direction,
            log.kind,
            log.outcome,
        )

    def recorded(self, profiles: CustomerTable) -> tuple[BoolArray, BoolArray]:
        """Per person: a recorded opt-in on some record and none refused; an opt-out on any."""
        yes, no, out = _flags(profiles.attributes, len(profiles))
        code = np.searchsorted(
            self.person_ids, self.profile_person, sorter=np.argsort(self.person_ids)
        )
        order = np.argsort(self.person_ids)
        row = order[code]
        n = self.person_ids.size
        said_yes = np.bincount(row, weights=yes, minlength=n) > 0
        said_no = np.bincount(row, weights=no, minlength=n) > 0
        left = np.bincount(row, weights=out, minlength=n) > 0
        return said_yes & ~said_no, left


def _flags(attributes: Mapping[str, Any], n: int) -> tuple[BoolArray, BoolArray, BoolArray]:
    def text(name: str) -> NDArray[np.str_] | None:
        values = attributes.get(name)
        return None if values is None else np.char.lower(np.asarray(values).astype(np.str_))

    opt_in, opted = text("marketing_opt_in"), text("opted_out")
    none = np.zeros(n, dtype=bool)
    yes = none if opt_in is None else np.isin(opt_in, _TRUE)
    no = none if opt_in is None else np.isin(opt_in, _FALSE)
    out = none if opted is None else np.isin(opted, _TRUE)
    return yes, no, out


def _consent_flags(attributes: Mapping[str, Any], n: int) -> tuple[BoolArray, BoolArray]:
    yes, _, out = _flags(attributes, n)
    return yes, out


def _records(data: IDICData, name: str) -> Any:
    channel = getattr(data, f"channel_{name}", None)
    return channel if channel is not None else getattr(data, name)


def _check_bought(log: TransactionLog, day: np.datetime64) -> None:
    if not len(log) or log.timestamp.min().astype("datetime64[D]") > day:
        first = np.datetime_as_string(log.timestamp.min(), unit="D") if len(log) else "none"
        msg = (
            f"`observation_end` ({np.datetime_as_string(day, unit='D')}) must fall after "
            "the first "
            f"purchase ({first}): no customer had bought by then."
        )
        raise InvalidInputError(msg)


def _align(given: Any, ids: StrArray, name: str, *, complete: bool) -> FloatArray:
    """Per person, the value ``given`` (a PerCustomer by id, else an array in order)."""
    if isinstance(given, PerCustomer):
        have = np.asarray(given.customer_id).astype(np.str_)
        numbers = np.asarray(given, dtype=np.float64)
        order = np.argsort(have)
        at = np.clip(np.searchsorted(have, ids, sorter=order), 0, max(have.size - 1, 0))
        found = have[order[at]] == ids if have.size else np.zeros(ids.size, bool)
        unknown = ~np.isin(have, ids)
        if unknown.any():
            i = int(np.argmax(unknown))
            msg = f"`{name}` must be keyed by the run's persons (index {i}: {str(have[i])!r} is none)."
            raise InvalidInputError(msg)
        if complete and not found.all():
            i = int(np.argmax(~found))
            msg = f"`{name}` must give every person a value (missing: {str(ids[i])!r}, person {i})."
            raise InvalidInputError(msg)
        out = np.zeros(ids.size)
        out[found] = numbers[order[at[found]]]
    else:
        out = np.asarray(as_float_array(given, name), dtype=np.float64)
        if out.shape != ids.shape:
            msg = f"`{name}` must hold one value per person ({ids.size}) (got shape {out.shape})."
            raise InvalidInputError(msg)
    return as_float_array(out, name, label="person")


def _rows_of(have: StrArray, ids: StrArray) -> NDArray[np.intp]:
    """Position in ``have`` of each id (the interact step's rows may be in another order)."""
    order = np.argsort(have, kind="stable")
    at = np.clip(np.searchsorted(have, ids, sorter=order), 0, max(have.size - 1, 0))
    if have.size != ids.size or not (have[order[at]] == ids).all():
        msg = "The interact step must return one row per person (its `customer_id`)."
        raise InvalidInputError(msg)
    rows: NDArray[np.intp] = order[at]
    return rows


def _labels(given: Any, ids: StrArray, what: str = "segments") -> StrArray:
    items = getattr(given, "items", None)
    if callable(items) and not isinstance(given, np.ndarray):
        table = {str(k): str(v) for k, v in items()}
        missing = [i for i, p in enumerate(ids.tolist()) if p not in table]
        if missing:
            i = missing[0]
            msg = (
                f"`{what}` must give every person a segment (missing: {str(ids[i])!r}, person {i})."
            )
            raise InvalidInputError(msg)
        labels = np.array([table[p] for p in ids.tolist()], dtype=np.str_)
    else:
        labels = np.asarray(given).astype(np.str_)
        if labels.shape != ids.shape:
            msg = (
                f"`{what}` must hold one label per person ({ids.size}) (got shape {labels.shape})."
            )
            raise InvalidInputError(msg)
    return labels


def _life_events(events: Any, keys: _Keys) -> dict[str, Any]:
    missing = [k for k in ("customer_id", "kind", "date") if k not in events]
    if missing:
        msg = (
            "`life_events` must have the columns customer_id, kind and date "
            f"(missing: {', '.join(missing)})."
        )
        raise InvalidInputError(msg)
    who = keys.person(np.asarray(events["customer_id"]), "life_events['customer_id']")
    return {
        "customer_id": who,
        "kind": np.asarray(events["kind"]),
        "date": np.asarray(events["date"]),
    }


def _benefits(given: Any, offers: tuple[Offer, ...], ids: StrArray) -> FloatArray:
    n, m = ids.size, len(offers)
    benefit = np.tile(np.array([o.customer_benefit for o in offers], dtype=np.float64), (n, 1))
    if given is None:
        return benefit
    if isinstance(given, Mapping):
        names = [o.name for o in offers]
        for key, column in given.items():
            if key not in names:
                msg = f"`customer_benefit` must be keyed by offer names ({', '.join(names)}) (got {key!r})."
                raise InvalidInputError(msg)
            benefit[:, names.index(key)] = _align(
                column, ids, f"customer_benefit[{key!r}]", complete=True
            )
        return benefit
    matrix = np.asarray(
        as_float_array(np.asarray(given, dtype=np.float64).ravel(), "customer_benefit")
    )
    if matrix.size != n * m:
        msg = f"`customer_benefit` must have shape ({n}, {m}) (got {np.shape(given)})."
        raise InvalidInputError(msg)
    return matrix.reshape(n, m)


def _observation_end(log: TransactionLog, value: ArrayLike | None) -> np.datetime64:
    if value is None:
        if not len(log):
            msg = "`observation_end` must be given when there are no transactions."
            raise InvalidInputError(msg)
        last: np.datetime64 = log.timestamp.max().astype("datetime64[D]")
        return last + np.timedelta64(1, "D")
    try:
        day = np.datetime64(value, "D")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        msg = f"`observation_end` must be a date (got {fmt(value)})."
        raise InvalidInputError(msg) from None
    result: np.datetime64 = day
    return result
