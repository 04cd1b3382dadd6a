"""``Customer``, ``Transaction`` and ``Interaction``: one customer and one event of theirs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from custcentric.domain._base import (
    DomainValue,
    date_or_none,
    enum_field,
    frozen_mapping,
    number,
    optional_text,
    text,
    timestamp,
)
from custcentric.domain._enums import Channel, Direction, InteractionKind, LifecycleStage, Outcome

__all__ = ["Customer", "Interaction", "Transaction"]


def _channel_key(value: object) -> Channel:
    return enum_field(Channel, "channel_ids")(value)


@attrs.frozen(kw_only=True)
class Customer(DomainValue):
    """One customer: who they are, how each channel knows them, where they stand.

    Parameters
    ----------
    id : str
        The company's customer id.
    name, email, phone : str, optional
        Contact data as recorded; ``None`` (or ``""``) where unknown.
    birth_date : datetime.date, optional
        Also accepted as ``"YYYY-MM-DD"`` or a day ``numpy.datetime64``.
    channel_ids : mapping of Channel to str, optional
        The id each channel uses for the customer (``{"web": "u-81", "store": "card 77"}``),
        the raw material of identity resolution (the *Identify* step of IDIC).
    lifecycle_stage : LifecycleStage, default ``IDENTIFY``
        Where the customer stands on the identify → select → convert → develop → retain path.
    attributes : mapping of str to str, bool, int or float, optional
        Anything else the company records (region, tier, opt-in).

    Examples
    --------
    >>> from custcentric.domain import Customer
    >>> c = Customer(id="c-17", email="ana@example.com", channel_ids={"web": "u-81"},
    ...              lifecycle_stage="develop", birth_date="1990-04-02")
    >>> c.lifecycle_stage, c.birth_date
    (<LifecycleStage.DEVELOP: 'develop'>, datetime.date(1990, 4, 2))
    >>> Customer.from_dict(c.to_dict()) == c
    True
    >>> Customer(id="")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `id` must be a non-empty string (got '').
    """

    id: str = attrs.field(converter=text("id"))
    name: str | None = attrs.field(default=None, converter=optional_text("name"))
    email: str | None = attrs.field(default=None, converter=optional_text("email"))
    phone: str | None = attrs.field(default=None, converter=optional_text("phone"))
    birth_date: dt.date | None = attrs.field(default=None, converter=date_or_none("birth_date"))
    channel_ids: Mapping[Channel, str] = attrs.field(
        factory=dict, converter=frozen_mapping("channel_ids", _channel_key), hash=False
    )
    lifecycle_stage: LifecycleStage = attrs.field(
        default=LifecycleStage.IDENTIFY, converter=enum_field(LifecycleStage, "lifecycle_stage")
    )
    attributes: Mapping[str, Any] = attrs.field(
        factory=dict, converter=frozen_mapping("attributes"), hash=False
    )

    @channel_ids.validator
    def _check_channel_ids(self, attribute: Any, value: Mapping[Channel, object]) -> None:
        del attribute
        for channel, ident in value.items():
            text(f"channel_ids[{channel.value!r}]")(ident)


@attrs.frozen(kw_only=True)
class Transaction(DomainValue):
    """One purchase: who bought, when, for how much.

    Parameters
    ----------
    customer_id : str
        The buyer.
    timestamp : numpy.datetime64
        When, to the second (an ISO 8601 string or a naive ``datetime`` is converted).
    amount : float
        The value, finite and not negative (a zero-value order is allowed).

    Examples
    --------
    >>> from custcentric.domain import Transaction
    >>> t = Transaction(customer_id="c-17", timestamp="2025-03-01T09:30", amount=24.5)
    >>> t.timestamp
    np.datetime64('2025-03-01T09:30:00')
    >>> t.to_dict()
    {'schema_version': 1, 'customer_id': 'c-17', 'timestamp': '2025-03-01T09:30:00', 'amount': 24.5}
    >>> Transaction(customer_id="c-17", timestamp="2025-03-01", amount=-1)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `amount` must lie in [0, inf] (got -1).
    """

    customer_id: str = attrs.field(converter=text("customer_id"))
    timestamp: np.datetime64 = attrs.field(converter=timestamp("timestamp"))
    amount: float = attrs.field(converter=number("amount", low=0.0))


@attrs.frozen(kw_only=True)
class Interaction(DomainValue):
    """One contact between the company and a customer (the *Interact* step of IDIC).

    Parameters
    ----------
    customer_id : str
        The customer.
    timestamp : numpy.datetime64
        When, to the second.
    channel : Channel
        Through which channel (web, email, phone, store, app, …).
    direction : Direction
        ``INBOUND`` if the customer started it, ``OUTBOUND`` if the company did.
    kind : InteractionKind
        What it was about (inquiry, complaint, offer, …).
    outcome : Outcome, optional
        How it ended, ``None`` if not recorded.

    Examples
    --------
    >>> from custcentric.domain import Interaction
    >>> i = Interaction(customer_id="c-17", timestamp="2025-03-02T14:00", channel="phone",
    ...                 direction="inbound", kind="complaint", outcome="resolved")
    >>> i.kind, i.outcome
    (<InteractionKind.COMPLAINT: 'complaint'>, <Outcome.RESOLVED: 'resolved'>)
    >>> Interaction(customer_id="c-17", timestamp="2025-03-02", channel="fax",
    ...             direction="inbound", kind="inquiry")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `channel` must be one of 'web', ... (got 'fax').
    """

    customer_id: str = attrs.field(converter=text("customer_id"))
    timestamp: np.datetime64 = attrs.field(converter=timestamp("timestamp"))
    channel: Channel = attrs.field(converter=enum_field(Channel, "channel"))
    direction: Direction = attrs.field(converter=enum_field(Direction, "direction"))
    kind: InteractionKind = attrs.field(converter=enum_field(InteractionKind, "kind"))
    outcome: Outcome | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(enum_field(Outcome, "outcome")),
    )
