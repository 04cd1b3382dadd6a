"""Closed vocabularies of the domain, as enums whose values are lower-case strings.

Every enum accepts its value or its name, in any case, at the public edge
(``LifecycleStage("retain")``, ``Channel("EMAIL")``); an unknown string raises
:class:`~custcentric.exceptions.InvalidInputError` listing the valid options.
"""

from __future__ import annotations

import enum
from typing import Any

from custcentric.exceptions import InvalidInputError

__all__ = [
    "CapabilityArea",
    "Channel",
    "Clock",
    "Direction",
    "InteractionKind",
    "LifecycleStage",
    "MaturityStage",
    "Outcome",
    "ProcessKind",
    "SLAMetric",
]


class _Vocabulary(enum.StrEnum):
    """A string enum that is forgiving about case and strict about spelling."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if key in (member.value, member.name.lower()):
                    return member
        options = ", ".join(repr(m.value) for m in cls)
        msg = f"`{_snake(cls.__name__)}` must be one of {options} (got {value!r})."
        raise InvalidInputError(msg)


def _snake(name: str) -> str:
    """Return a CamelCase class name in snake case: ``SLAMetric`` -> ``sla_metric``."""
    out = []
    for i, ch in enumerate(name):
        prev = name[i - 1] if i else ""
        nxt = name[i + 1] if i + 1 < len(name) else ""
        starts_word = ch.isupper() and (prev.islower() or (prev.isupper() and nxt.islower()))
        out.append(f"_{ch.lower()}" if starts_word else ch.lower())
    return "".join(out)


class LifecycleStage(_Vocabulary):
    """Where a customer stands on the customer-management path of the sources.

    The path is identify → select → convert → develop → retain (source S4); ``LAPSED``
    marks a customer who has left it.

    Examples
    --------
    >>> LifecycleStage("Retain")
    <LifecycleStage.RETAIN: 'retain'>
    >>> [s.value for s in LifecycleStage.path()]
    ['identify', 'select', 'convert', 'develop', 'retain']
    """

    IDENTIFY = "identify"
    SELECT = "select"
    CONVERT = "convert"
    DEVELOP = "develop"
    RETAIN = "retain"
    LAPSED = "lapsed"

    @classmethod
    def path(cls) -> tuple[LifecycleStage, ...]:
        """Return the five stages of the path in order, without ``LAPSED``."""
        return (cls.IDENTIFY, cls.SELECT, cls.CONVERT, cls.DEVELOP, cls.RETAIN)


class Channel(_Vocabulary):
    """A channel through which the company and a customer interact.

    Examples
    --------
    >>> Channel("EMAIL")
    <Channel.EMAIL: 'email'>
    """

    WEB = "web"
    EMAIL = "email"
    PHONE = "phone"
    STORE = "store"
    APP = "app"
    SMS = "sms"
    CHAT = "chat"
    SOCIAL = "social"
    MAIL = "mail"


class Direction(_Vocabulary):
    """Who started an interaction: the customer (inbound) or the company (outbound).

    Examples
    --------
    >>> Direction("inbound")
    <Direction.INBOUND: 'inbound'>
    """

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class InteractionKind(_Vocabulary):
    """What an interaction was about.

    Examples
    --------
    >>> InteractionKind("complaint")
    <InteractionKind.COMPLAINT: 'complaint'>
    """

    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    IDEA = "idea"
    SERVICE_REQUEST = "service_request"
    ORDER = "order"
    OFFER = "offer"
    REMINDER = "reminder"
    GREETING = "greeting"
    SURVEY = "survey"
    OTHER = "other"


class Outcome(_Vocabulary):
    """How an interaction ended.

    Examples
    --------
    >>> Outcome("no_response")
    <Outcome.NO_RESPONSE: 'no_response'>
    """

    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    RESPONDED = "responded"
    NO_RESPONSE = "no_response"
    CONVERTED = "converted"
    DECLINED = "declined"
    PENDING = "pending"


class ProcessKind(_Vocabulary):
    """Horizontal processes cut across industries; vertical ones are industry specific (source S5).

    Examples
    --------
    >>> ProcessKind("vertical")
    <ProcessKind.VERTICAL: 'vertical'>
    """

    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"


class SLAMetric(_Vocabulary):
    """What an SLA measures.

    Examples
    --------
    >>> SLAMetric("cycle_time")
    <SLAMetric.CYCLE_TIME: 'cycle_time'>
    """

    CYCLE_TIME = "cycle_time"
    """End-to-end cycle time of a case, from the customer's request to completion."""
    FIRST_RESPONSE = "first_response"
    """Time from the customer's request to the company's first response."""
    STEP_DURATION = "step_duration"
    """Duration of one named step of the process."""


class Clock(_Vocabulary):
    """Which clock an SLA runs on.

    Examples
    --------
    >>> Clock("business")
    <Clock.BUSINESS: 'business'>
    """

    CALENDAR = "calendar"
    BUSINESS = "business"


class CapabilityArea(_Vocabulary):
    """The areas of the customer-management capability catalogue.

    Examples
    --------
    >>> CapabilityArea("measurement")
    <CapabilityArea.MEASUREMENT: 'measurement'>
    """

    STRATEGY_LEADERSHIP = "strategy_leadership"
    CUSTOMER_INSIGHT = "customer_insight"
    PROPOSITION_OFFERS = "proposition_offers"
    CUSTOMER_PROCESSES = "customer_processes"
    INTERACTION_CHANNELS = "interaction_channels"
    LIFECYCLE = "lifecycle"
    SERVICE_RECOVERY = "service_recovery"
    PEOPLE_CULTURE = "people_culture"
    TECHNOLOGY_DATA = "technology_data"
    MEASUREMENT = "measurement"
    PARTNERS_SUPPLIERS = "partners_suppliers"
    PROGRAMME_GOVERNANCE = "programme_governance"


class MaturityStage(_Vocabulary):
    """The four stages of customer-centricity maturity (source S1), ordered.

    ``PRODUCT_CENTRIC < CUSTOMER_FOCUS < CUSTOMER_VALUE < CUSTOMER_CENTRIC``; :attr:`level`
    numbers them 1 to 4.

    Examples
    --------
    >>> MaturityStage("customer_value") > MaturityStage.CUSTOMER_FOCUS
    True
    >>> MaturityStage.from_level(4)
    <MaturityStage.CUSTOMER_CENTRIC: 'customer_centric'>
    """

    PRODUCT_CENTRIC = "product_centric"
    CUSTOMER_FOCUS = "customer_focus"
    CUSTOMER_VALUE = "customer_value"
    CUSTOMER_CENTRIC = "customer_centric"

    @property
    def level(self) -> int:
        """The stage's number, 1 (product-centric) to 4 (customer-centric)."""
        return list(type(self)).index(self) + 1

    @classmethod
    def from_level(cls, level: int) -> MaturityStage:
        """Return the stage numbered ``level`` (1 to 4)."""
        members = list(cls)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(members):
            msg = f"`level` must be an integer in [1, {len(members)}] (got {level!r})."
            raise InvalidInputError(msg)
        return members[level - 1]

    def _level_of(self, other: object, op: str) -> int:
        # A StrEnum would otherwise fall back to comparing the strings alphabetically.
        if not isinstance(other, MaturityStage):
            msg = (
                f"'{op}' is not supported between MaturityStage and {type(other).__name__}; "
                f"convert first, e.g. MaturityStage({other!r})"
            )
            raise TypeError(msg)
        return other.level

    def __lt__(self, other: object) -> bool:
        return self.level < self._level_of(other, "<")

    def __le__(self, other: object) -> bool:
        return self.level <= self._level_of(other, "<=")

    def __gt__(self, other: object) -> bool:
        return self.level > self._level_of(other, ">")

    def __ge__(self, other: object) -> bool:
        return self.level >= self._level_of(other, ">=")

    def __hash__(self) -> int:
        return hash(self.value)
