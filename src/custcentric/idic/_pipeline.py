"""``IDICPipeline``: Identify, Differentiate, Interact and Customize, configured once, run on data."""

from __future__ import annotations

import math
import textwrap
from typing import Any, Protocol

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._deprecation import REMOVED_IN, SINCE, renamed_argument, warn_deprecated
from custcentric._validation import as_float_array, as_rng, fmt
from custcentric.domain._base import real_number
from custcentric.exceptions import InvalidInputError
from custcentric.idic._differentiate import Differentiation, differentiate
from custcentric.idic._interact import InteractionSummary, interaction_summary
from custcentric.idic._offers import OfferAssignment, assign_offers
from custcentric.idic._policy import ContactPolicy
from custcentric.idic._resolve import resolve_identities
from custcentric.idic._result import IdentityResolution
from custcentric.idic._triggers import Birthday, DueTriggers, Inactivity, Trigger, due_triggers
from custcentric.segmentation import kmeans
from custcentric.tables import CustomerTable, InteractionLog, TransactionLog
from custcentric.typing import FloatArray, RNGLike
from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value

__all__ = ["IDICData", "IDICPipeline", "IDICRun", "Offer"]


class IDICData(Protocol):
    """What :meth:`IDICPipeline.run` reads: a company's tables (e.g. ``SampleCompany``).

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
class Offer:
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

    Examples
    --------
    >>> from custcentric.idic import Offer
    >>> Offer(name="upgrade", uplift=0.12, cost=25, tiers=[1, 2]).tiers
    (1, 2)
    """

    name: str = attrs.field(validator=_non_empty("name"))
    uplift: float = attrs.field(converter=_uplift)
    cost: float = attrs.field(default=0.0, converter=_cost)
    customer_benefit: float = attrs.field(default=0.0, converter=_benefit)
    capacity: int | None = attrs.field(default=None, converter=_capacity)
    tiers: tuple[int, ...] = attrs.field(default=(), converter=_tiers)


_DEFAULT_OFFERS = (
    Offer(name="loyalty reward", uplift=0.08, cost=15.0, customer_benefit=15.0, tiers=(1,)),
    Offer(name="upgrade", uplift=0.12, cost=25.0, customer_benefit=10.0, tiers=(1, 2)),
    Offer(name="win-back discount", uplift=0.25, cost=8.0, customer_benefit=8.0, tiers=(3,)),
)


@attrs.frozen(kw_only=True, eq=False)
class IDICRun:
    """The output of each IDIC step for one run of :class:`IDICPipeline`.

    Attributes
    ----------
    observation_end : numpy.datetime64
        The day the run looks from.
    customer_id : ndarray
        The customers, in the order of the company's customer table; every per-customer
        array below follows it.
    identify : IdentityResolution
        Profile records resolved into people.
    value : ndarray of float
        Each customer's expected value over the horizon (BG/NBD × gamma-gamma; 0 for
        customers who never bought).
    needs : ndarray of str
        Each customer's needs segment (k-means on their channel mix), named by the channel
        its members use most (e.g. ``"web-first"``).
    differentiate : Differentiation
        The value × needs matrix.
    interact : InteractionSummary
        Contacts, response rates and preferred channels.
    triggers : DueTriggers
        Contacts due on ``observation_end``, after the contact policy.
    customize : OfferAssignment
        The offer assigned to each customer, if any.
    offers : tuple of Offer
        The offers considered (columns of the assignment).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import IDICPipeline
    >>> run = IDICPipeline().run(load_sample_company(), rng=7)
    >>> run.customer_id.size, run.identify.n_people, run.customize.n_assigned
    (5000, 5084, 1271)
    """

    observation_end: np.datetime64
    customer_id: Any
    identify: IdentityResolution
    value: FloatArray
    needs: Any
    differentiate: Differentiation
    interact: InteractionSummary
    triggers: DueTriggers
    customize: OfferAssignment
    offers: tuple[Offer, ...]

    @property
    def as_of(self) -> np.datetime64:
        """Deprecated name of :attr:`observation_end`."""
        warn_deprecated(
            "`IDICRun.as_of`", "`observation_end`", since=SINCE, removed_in=REMOVED_IN, stacklevel=2
        )
        return self.observation_end

    def to_dict(self) -> dict[str, Any]:
        """Return the run as plain JSON-ready data: per-customer arrays and each step's dict.

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
            "observation_end": str(np.datetime_as_string(self.observation_end, unit="D")),
            "customer_id": self.customer_id.tolist(),
            "value": self.value.tolist(),
            "needs": np.asarray(self.needs).tolist(),
            "identify": self.identify.to_dict(),
            "differentiate": self.differentiate.to_dict(),
            "interact": self.interact.to_dict(),
            "triggers": self.triggers.to_dict(),
            "customize": self.customize.to_dict(),
            "offers": [{**attrs.asdict(o), "tiers": list(o.tiers)} for o in self.offers],
        }

    def summary(self) -> str:
        """Return one short paragraph per step.

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> from custcentric.idic import IDICPipeline
        >>> run = IDICPipeline().run(load_sample_company(), rng=7)
        >>> print(run.summary().splitlines()[0])
        IDIC as of 2026-01-01 for 5,000 customers
        """
        d = self.differentiate
        top = float(d.value_share[0].sum())
        allowed = int(np.count_nonzero(self.triggers.allowed))
        counts = self.customize.offer_counts
        per_offer = ", ".join(
            f"{o.name} {int(c):,}" for o, c in zip(self.offers, counts, strict=True)
        )
        day = np.datetime_as_string(self.observation_end, unit="D")
        steps = {
            "Identify": f"{self.identify.n_records:,} profile records resolve to "
            f"{self.identify.n_people:,} people",
            "Differentiate": f"the top tier holds {100 * top:.1f} % of expected value; "
            f"needs segments {', '.join(d.needs_labels.tolist())}; strategy: {d.strategy}",
            "Interact": f"{len(self.triggers.customer_id):,} triggered contacts due, "
            f"{allowed:,} allowed by the contact policy",
            "Customize": f"{self.customize.n_assigned:,} offers assigned ({per_offer}), "
            f"expected value {self.customize.total_value:,.2f}; "
            f"{self.customize.n_refused:,} customer-offer pairs refused",
        }
        lines = [f"IDIC as of {day} for {self.customer_id.size:,} customers"]
        for step, text in steps.items():
            lines.append(
                textwrap.fill(
                    text, width=88, initial_indent=f"  {step:<15}", subsequent_indent=" " * 17
                )
            )
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class IDICPipeline:
    """Peppers & Rogers' IDIC model as one configurable, reproducible pipeline (source S2).

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
        Needs segments found by k-means on each customer's channel mix.
    value_shares : tuple of float, default (0.2, 0.3, 0.5)
        Value tiers, most valuable first.
    triggers : tuple of Trigger
        Event triggers checked on the day of the run.
    policy : ContactPolicy
        Caps, gaps, quiet hours and consent applied to triggered contacts.
    offers : tuple of Offer
        The offers to assign, at most one per customer.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import IDICPipeline
    >>> run = IDICPipeline(n_needs_segments=3).run(load_sample_company(), rng=7)
    >>> run.identify.n_people, run.differentiate.needs_labels.size
    (5084, 3)
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

    def run(
        self,
        data: IDICData,
        *,
        observation_end: ArrayLike | None = None,
        rng: RNGLike = None,
        as_of: ArrayLike | None = None,
    ) -> IDICRun:
        """Run the four steps on ``data`` and return each step's output.

        ``observation_end`` (the day the run looks from) defaults to the day after the last
        purchase; ``as_of`` is its deprecated name
        (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`); ``rng`` seeds the needs
        clustering, so the same ``rng`` gives the same run.
        """
        generator = as_rng(rng)
        customers = data.customers
        end = renamed_argument(observation_end, as_of, new="observation_end", old="as_of")
        day = _observation_end(data.transactions, end)

        identify = resolve_identities(data.profiles, threshold=self.identity_threshold)
        value = self._value(data.transactions, customers, day)
        interact = interaction_summary(
            data.interactions, observation_end=day, customer_id=customers.customer_id
        )
        needs = self._needs(interact, generator)
        matrix = differentiate(value, needs, shares=self.value_shares)
        consent = _opt_in(customers)
        triggers = due_triggers(
            customers,
            observation_end=day,
            triggers=self.triggers,
            policy=self.policy,
            transactions=data.transactions,
            interactions=data.interactions,
            consent=customers.customer_id[consent],  # the policy takes ids, not a mask
        )
        customize = self._customize(value, matrix, consent)
        return IDICRun(
            observation_end=day,
            customer_id=customers.customer_id,
            identify=identify,
            value=value,
            needs=needs,
            differentiate=matrix,
            interact=interact,
            triggers=triggers,
            customize=customize,
            offers=self.offers,
        )

    def _value(
        self, log: TransactionLog, customers: CustomerTable, day: np.datetime64
    ) -> FloatArray:
        if not len(log) or log.timestamp.min().astype("datetime64[D]") > day:
            first = np.datetime_as_string(log.timestamp.min(), unit="D") if len(log) else "none"
            msg = (
                f"`observation_end` ({np.datetime_as_string(day, unit='D')}) must fall after "
                "the first "
                f"purchase ({first}): no customer had bought by then."
            )
            raise InvalidInputError(msg)
        summary = log.summary(day, time_unit="W")
        purchases = BetaGeo.fit(summary)
        spend = GammaGamma.fit(summary)
        clv = customer_lifetime_value(
            purchases.model,
            spend.model,
            summary,
            horizon=self.horizon,
            time_unit="M",
            discount_rate=self.discount_rate,
        )
        value = np.zeros(len(customers))
        order = np.argsort(summary.customer_id)
        ids = customers.customer_id
        position = np.searchsorted(summary.customer_id, ids, sorter=order)
        position = np.minimum(position, order.size - 1)
        found = summary.customer_id[order[position]] == ids
        value[found] = np.asarray(clv)[order[position[found]]]
        return as_float_array(value, "value")

    def _needs(self, interact: InteractionSummary, generator: np.random.Generator) -> Any:
        contacts = interact.contacts.astype(np.float64)
        totals = contacts.sum(axis=1, keepdims=True)
        mix = np.divide(contacts, totals, out=np.zeros_like(contacts), where=totals > 0)
        inbound = np.divide(
            interact.inbound, totals[:, 0], out=np.zeros(totals.shape[0]), where=totals[:, 0] > 0
        )
        features = np.column_stack([mix, inbound])
        k = min(self.n_needs_segments, np.unique(features, axis=0).shape[0])
        clusters = kmeans(features, k, rng=generator)
        # Name each needs segment by the channel its members use most, e.g. "email-first".
        # Where two segments lead with the same channel, the second channel tells them apart.
        channels = np.asarray(interact.channels)
        ranked = np.argsort(-clusters.centres[:, :-1], axis=1, kind="stable")
        names = [f"{channels[r[0]]}-first" for r in ranked]
        names = [
            f"{name[:-6]}+{channels[r[1]]}" if names.count(name) > 1 else name
            for name, r in zip(names, ranked, strict=True)
        ]
        return np.asarray(names)[clusters.labels]

    def _customize(
        self, value: FloatArray, matrix: Differentiation, consent: Any
    ) -> OfferAssignment:
        uplift = np.array([o.uplift for o in self.offers])
        cost = np.array([o.cost for o in self.offers])
        expected = np.maximum(value, 0.0)[:, None] * uplift[None, :] - cost[None, :]
        tier = matrix.tier + 1
        eligibility = np.column_stack(
            [np.isin(tier, o.tiers) if o.tiers else np.ones(tier.size, bool) for o in self.offers]
        )
        capacities = [o.capacity for o in self.offers]
        capacity = (
            None
            if all(c is None for c in capacities)
            else np.array([value.size if c is None else c for c in capacities])
        )
        benefit = np.broadcast_to(
            np.array([o.customer_benefit for o in self.offers]), expected.shape
        )
        return assign_offers(
            expected,
            eligibility=eligibility,
            capacity=capacity,
            customer_benefit=benefit,
            consent=consent,
        )


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


def _opt_in(customers: CustomerTable) -> Any:
    flags = customers.attributes.get("marketing_opt_in")
    if flags is None:
        return np.ones(len(customers), dtype=bool)
    text = np.char.lower(np.asarray(flags).astype(np.str_))
    return np.isin(text, ("true", "1", "yes", "y"))
