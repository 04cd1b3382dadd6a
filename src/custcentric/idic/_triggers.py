"""Event-triggered contacts: birthdays, life events and inactivity, after the contact policy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TypeAlias

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import REMOVED_IN, SINCE, renamed_argument, warn_deprecated
from custcentric._pandas import make_frame
from custcentric._validation import as_1d, as_datetime_array, as_str_array, fmt
from custcentric.domain import Channel, InteractionKind
from custcentric.domain._base import DomainValue, real_number
from custcentric.exceptions import InvalidInputError
from custcentric.idic._policy import ContactPolicy
from custcentric.tables import CustomerTable, InteractionLog, TransactionLog
from custcentric.typing import BoolArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TRIGGERS",
    "Birthday",
    "DueTriggers",
    "Inactivity",
    "LifeEvent",
    "Trigger",
    "due_triggers",
    "trigger_from_dict",
]


def _channel(value: object) -> str:
    return Channel(str(value)).value


def _contact(value: object) -> str:
    return InteractionKind(str(value)).value


#: The longest lead, lag or inactivity accepted, in days (about 2,700 years): larger values
#: could not be added to a date.
MAX_DAYS = 1_000_000


def _bounded(number: float, value: object, name: str) -> int:
    if number > MAX_DAYS:
        msg = f"`{name}` must be at most {MAX_DAYS:,} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return int(number)


def _lead_days(value: object) -> int:
    return _bounded(real_number(value, "lead_days", low=0, integer=True), value, "lead_days")


def _lag_days(value: object) -> int:
    return _bounded(real_number(value, "lag_days", low=0, integer=True), value, "lag_days")


def _kind(value: object) -> str:
    text = str(value).strip().lower()
    if not text or not isinstance(value, str):
        msg = f"`kind` must be a non-empty string (got {fmt(value)})."
        raise InvalidInputError(msg)
    return text


class _TriggerValue(DomainValue):
    """A trigger's dict names its type (``"trigger": "birthday"``), so a list can be read back."""

    __slots__ = ()

    TYPE: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the trigger as JSON-ready data: ``schema_version``, ``trigger`` and fields."""
        data = super().to_dict()
        return {"schema_version": data.pop("schema_version"), "trigger": self.TYPE, **data}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build the trigger from :meth:`to_dict` output (``trigger`` may be left out)."""
        raw: object = data
        if isinstance(raw, Mapping) and "trigger" in data:
            if data["trigger"] != cls.TYPE:
                msg = (
                    f"`trigger` must be {cls.TYPE!r} for {cls.__name__}.from_dict "
                    f"(got {fmt(data['trigger'])})."
                )
                raise InvalidInputError(msg)
            data = {k: v for k, v in data.items() if k != "trigger"}
        return super().from_dict(data)


@attrs.frozen(kw_only=True)
class Birthday(_TriggerValue):
    """Contact a customer on their birthday (or ``lead_days`` before it).

    Parameters
    ----------
    lead_days : int, default 0
        Days before the birthday on which the contact goes out, at most 1,000,000
        (:data:`MAX_DAYS`).
    channel : str, default "email"
        A :class:`~custcentric.domain.Channel` value.
    contact : str, default "greeting"
        The :class:`~custcentric.domain.InteractionKind` of the contact.

    Notes
    -----
    A customer born on 29 February is greeted on 28 February in other years.

    Examples
    --------
    >>> from custcentric.idic import Birthday
    >>> Birthday(lead_days=1).label
    'birthday'
    """

    TYPE: ClassVar[str] = "birthday"

    lead_days: int = attrs.field(default=0, converter=_lead_days)
    channel: str = attrs.field(default="email", converter=_channel)
    contact: str = attrs.field(default="greeting", converter=_contact)

    @property
    def label(self) -> str:
        """The trigger's name in results."""
        return "birthday"


@attrs.frozen
class LifeEvent(_TriggerValue):
    """Contact a customer ``lag_days`` after a life event of the given kind.

    Parameters
    ----------
    kind : str
        The life event, matched case-insensitively against ``life_events["kind"]`` in
        :func:`due_triggers` (e.g. ``"moved"``, ``"married"``, ``"new_child"``).
    lag_days : int, default 0
        Days after the event on which the contact goes out (keyword-only), at most
        1,000,000 (:data:`MAX_DAYS`).
    channel : str, default "email"
        A :class:`~custcentric.domain.Channel` value (keyword-only).
    contact : str, default "offer"
        The :class:`~custcentric.domain.InteractionKind` of the contact (keyword-only).

    Examples
    --------
    >>> from custcentric.idic import LifeEvent
    >>> LifeEvent("Moved", lag_days=3).label
    'life_event:moved'
    """

    TYPE: ClassVar[str] = "life_event"

    kind: str = attrs.field(converter=_kind)
    lag_days: int = attrs.field(default=0, converter=_lag_days, kw_only=True)
    channel: str = attrs.field(default="email", converter=_channel, kw_only=True)
    contact: str = attrs.field(default="offer", converter=_contact, kw_only=True)

    @property
    def label(self) -> str:
        """The trigger's name in results."""
        return f"life_event:{self.kind}"


def _positive_days(value: object) -> int:
    return _bounded(real_number(value, "days", low=1, integer=True), value, "days")


@attrs.frozen
class Inactivity(_TriggerValue):
    """Contact a customer on the day they reach ``days`` days without any activity.

    Parameters
    ----------
    days : int
        Whole days since the customer's last purchase or inbound contact, at least 1 and at
        most 1,000,000 (:data:`MAX_DAYS`).
    channel : str, default "email"
        A :class:`~custcentric.domain.Channel` value (keyword-only).
    contact : str, default "offer"
        The :class:`~custcentric.domain.InteractionKind` of the contact (keyword-only).

    Notes
    -----
    The trigger fires once per lapse — on the day the gap reaches ``days`` — not on every
    later day (one trigger instance per event).

    Examples
    --------
    >>> from custcentric.idic import Inactivity
    >>> Inactivity(90).label
    'inactivity:90d'
    """

    TYPE: ClassVar[str] = "inactivity"

    days: int = attrs.field(converter=_positive_days)
    channel: str = attrs.field(default="email", converter=_channel, kw_only=True)
    contact: str = attrs.field(default="offer", converter=_contact, kw_only=True)

    @property
    def label(self) -> str:
        """The trigger's name in results."""
        return f"inactivity:{self.days}d"


Trigger: TypeAlias = Birthday | LifeEvent | Inactivity
"""Any of the trigger values :func:`due_triggers` understands."""

TRIGGERS: Final[Mapping[str, type[Trigger]]] = {
    cls.TYPE: cls for cls in (Birthday, LifeEvent, Inactivity)
}
"""Each trigger type by the name its dict carries under ``"trigger"``."""


def trigger_from_dict(data: Mapping[str, Any]) -> Trigger:
    """Rebuild any trigger from the output of its ``to_dict()``, by its ``"trigger"`` name.

    Examples
    --------
    >>> from custcentric.idic import LifeEvent, trigger_from_dict
    >>> event = LifeEvent("new_baby", lag_days=14)
    >>> event.to_dict()
    {'schema_version': 1, 'trigger': 'life_event', 'kind': 'new_baby', 'lag_days': 14, 'channel': 'email', 'contact': 'offer'}
    >>> trigger_from_dict(event.to_dict()) == event
    True
    """
    raw: object = data
    name = data.get("trigger") if isinstance(raw, Mapping) else None
    if name not in TRIGGERS:
        options = ", ".join(repr(t) for t in TRIGGERS)
        msg = f"`trigger` must be one of {options} (got {fmt(name)})."
        raise InvalidInputError(msg)
    return TRIGGERS[str(name)].from_dict(data)


@attrs.frozen(kw_only=True, eq=False)
class DueTriggers:
    """The contacts triggered on one day, and which of them may go out.

    Attributes
    ----------
    observation_end : numpy.datetime64
        The day planned.
    customer_id, trigger, channel, kind : ndarray of str
        One row per triggered contact, in trigger order then by customer id.
    timestamp : ndarray of datetime64[s]
        When the contact would go out (``observation_end`` at ``hour``).
    allowed : ndarray of bool
        Whether it may go out.
    reason : ndarray of str
        ``""`` when allowed; ``"superseded"`` when an earlier trigger in the list already
        contacts the customer that day; else the :class:`ContactPolicy` rule that refused it.
    triggers : tuple of str
        The trigger labels, in priority order.

    Examples
    --------
    >>> from custcentric.idic import Birthday, due_triggers
    >>> from custcentric.tables import CustomerTable
    >>> people = CustomerTable.from_arrays(["a", "b"], birth_date=["1990-03-05", "1985-07-01"])
    >>> due = due_triggers(people, observation_end="2024-03-05", triggers=[Birthday()],
    ...                    opted_out=["a"])
    >>> due.customer_id.tolist(), due.reason.tolist(), due.n_allowed
    (['a'], ['opted_out'], 0)
    """

    observation_end: np.datetime64
    customer_id: StrArray
    trigger: StrArray
    channel: StrArray
    kind: StrArray
    timestamp: NDArray[np.datetime64]
    allowed: BoolArray
    reason: StrArray
    triggers: tuple[str, ...]

    @property
    def on(self) -> np.datetime64:
        """Deprecated name of :attr:`observation_end`."""
        warn_deprecated(
            "`DueTriggers.on`",
            "`observation_end`",
            since=SINCE,
            removed_in=REMOVED_IN,
            stacklevel=2,
        )
        return self.observation_end

    @property
    def n_due(self) -> int:
        """Triggered contacts, before arbitration and the policy."""
        return int(self.allowed.size)

    @property
    def n_allowed(self) -> int:
        """Contacts that may go out."""
        return int(self.allowed.sum())

    @property
    def refused(self) -> dict[str, int]:
        """How many triggered contacts each rule refused, largest first."""
        return dict(Counter(self.reason[~self.allowed].tolist()).most_common())

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per trigger label: (triggered, allowed)."""
        return {
            label: (
                int((self.trigger == label).sum()),
                int(self.allowed[self.trigger == label].sum()),
            )
            for label in self.triggers
        }

    def contacts(self) -> InteractionLog:
        """Return the allowed contacts as an outbound :class:`InteractionLog`."""
        keep = self.allowed
        return InteractionLog.from_arrays(
            self.customer_id[keep],
            self.timestamp[keep],
            self.channel[keep],
            np.full(int(keep.sum()), "outbound"),
            self.kind[keep],
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the triggered contacts as plain JSON-ready data."""
        return {
            "observation_end": str(self.observation_end),
            "counts": {k: list(v) for k, v in self.counts().items()},
            "refused": self.refused,
            "contacts": {
                "customer_id": self.customer_id.tolist(),
                "trigger": self.trigger.tolist(),
                "channel": self.channel.tolist(),
                "kind": self.kind.tolist(),
                "timestamp": self.timestamp.astype(str).tolist(),
                "allowed": self.allowed.tolist(),
                "reason": self.reason.tolist(),
            },
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per triggered contact (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {
            "customer_id": self.customer_id,
            "trigger": self.trigger,
            "channel": self.channel,
            "kind": self.kind,
            "timestamp": self.timestamp,
            "allowed": self.allowed,
            "reason": self.reason,
        }
        return make_frame(columns)

    def summary(self) -> str:
        """Return the counts per trigger and the refusals as readable text."""
        lines = [
            f"Triggers on {self.observation_end}: {self.n_allowed:,} of {self.n_due:,} "
            "contacts may go out"
        ]
        lines += [
            f"  {label:<20} {due:>6,} due {ok:>6,} allowed"
            for label, (due, ok) in self.counts().items()
        ]
        lines += [f"  refused, {reason}: {count:,}" for reason, count in self.refused.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _day(value: ArrayLike, name: str) -> np.datetime64:
    array = as_datetime_array(as_1d(value, name), name, unit="D")
    if array.size != 1:
        msg = f"`{name}` must be one date (got {array.size})."
        raise InvalidInputError(msg)
    first: np.datetime64 = array[0]
    return first


def _rows(ids: StrArray, other: ArrayLike) -> tuple[IntArray, BoolArray]:
    """Position of each ``other`` id in the sorted-unique ``ids`` and whether it is there."""
    values = np.asarray(other).astype(np.str_)
    position = np.clip(np.searchsorted(ids, values), 0, max(ids.size - 1, 0))
    found = ids[position] == values if ids.size else np.zeros(values.size, dtype=bool)
    return position.astype(np.int64), found


def _birthdays(birth: NDArray[np.datetime64], target: np.datetime64) -> BoolArray:
    valid = ~np.isnat(birth) & (birth <= target)
    safe = np.where(valid, birth, target)
    month = (safe.astype("datetime64[M]") - safe.astype("datetime64[Y]")).astype(np.int64)
    day = (safe - safe.astype("datetime64[M]")).astype(np.int64)
    t_month = int(
        (target.astype("datetime64[M]") - target.astype("datetime64[Y]")).astype(np.int64)
    )
    t_day = int((target - target.astype("datetime64[M]")).astype(np.int64))
    year = int(target.astype("datetime64[Y]").astype(np.int64)) + 1970
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    hit = (month == t_month) & (day == t_day)
    if not leap and (t_month, t_day) == (1, 27):  # 28 February greets the 29 February-born
        hit |= (month == 1) & (day == 28)
    result: BoolArray = valid & hit
    return result


def _last_activity(
    ids: StrArray,
    on: np.datetime64,
    transactions: TransactionLog | None,
    interactions: InteractionLog | None,
) -> NDArray[np.datetime64]:
    """Per customer (sorted ids), the date of the last purchase or inbound contact by ``on``."""
    last = np.full(ids.size, np.iinfo(np.int64).min, dtype=np.int64)
    sources: list[tuple[NDArray[Any], NDArray[np.datetime64]]] = []
    if transactions is not None:
        sources.append((transactions.customer_id, transactions.timestamp))
    if interactions is not None:
        inbound = interactions.direction == "inbound"
        sources.append((interactions.customer_id[inbound], interactions.timestamp[inbound]))
    for who, when in sources:
        day = when.astype("datetime64[D]")
        row, found = _rows(ids, who)
        keep = found & (day <= on)
        np.maximum.at(last, row[keep], day[keep].astype(np.int64))
    out = last.astype("datetime64[D]")
    out[last == np.iinfo(np.int64).min] = np.datetime64("NaT")
    return out


def _life_events(
    events: Mapping[str, ArrayLike], ids: StrArray
) -> tuple[IntArray, StrArray, NDArray[np.datetime64]]:
    missing = [k for k in ("customer_id", "kind", "date") if k not in events]
    if missing:
        msg = f"`life_events` must have the keys customer_id, kind and date (missing: {', '.join(missing)})."
        raise InvalidInputError(msg)
    who = as_str_array(events["customer_id"], "life_events['customer_id']")
    kind = np.strings.lower(as_str_array(events["kind"], "life_events['kind']"))
    date = as_datetime_array(events["date"], "life_events['date']", unit="D")
    if not who.size == kind.size == date.size:
        msg = (
            "`life_events` columns must have equal lengths "
            f"(customer_id {who.size}, kind {kind.size}, date {date.size})."
        )
        raise InvalidInputError(msg)
    row, found = _rows(ids, who)
    return row[found], kind[found], date[found]


def _check_log(value: object, name: str, kind: type) -> None:
    if value is not None and not isinstance(value, kind):
        msg = f"`{name}` must be a {kind.__name__} (got {type(value).__name__})."
        raise InvalidInputError(msg)


def due_triggers(
    customers: CustomerTable,
    *,
    observation_end: ArrayLike | None = None,
    triggers: Sequence[Trigger],
    policy: ContactPolicy | None = None,
    transactions: TransactionLog | None = None,
    interactions: InteractionLog | None = None,
    life_events: Mapping[str, ArrayLike] | None = None,
    consent: ArrayLike | None = None,
    opted_out: ArrayLike | None = None,
    hour: int = 10,
    on: ArrayLike | None = None,
) -> DueTriggers:
    """Say who gets which triggered contact on a day, after arbitration and the contact policy.

    Parameters
    ----------
    customers : CustomerTable
        The customers; ``birth_date`` feeds :class:`Birthday`.
    observation_end : date or ISO str
        The day to plan: activity is counted up to it and the contacts go out on it.
        Required.
    triggers : sequence of Birthday, LifeEvent, Inactivity
        In priority order: a customer triggered by several gets only the first.
    policy : ContactPolicy, optional
        Checks the winning contacts (caps, gaps, quiet hours, consent, opt-outs);
        ``interactions`` is its contact history.
    transactions : TransactionLog, optional
        Purchases, for :class:`Inactivity`.
    interactions : InteractionLog, optional
        Contacts: inbound ones count as activity for :class:`Inactivity`, outbound ones
        are the policy's history.
    life_events : mapping with keys customer_id, kind, date, optional
        Known life events (e.g. a change of address), for :class:`LifeEvent`.
    consent, opted_out : array_like, optional
        Customer ids, passed to :meth:`ContactPolicy.check`; without a ``policy`` they are
        checked by a ``ContactPolicy()`` without caps, so an opt-out is never ignored.
    hour : int, default 10
        Hour of ``observation_end`` at which the contacts go out (matters for quiet hours).
    on
        Deprecated name of ``observation_end``
        (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`).

    Returns
    -------
    DueTriggers

    Raises
    ------
    InvalidInputError
        For a bad date, an unknown trigger, an :class:`Inactivity` without activity data, a
        :class:`LifeEvent` without ``life_events``, or (from the policy) contacts that need
        consent when no ``consent`` is given.

    Notes
    -----
    Each trigger fires once per event, on one day: :class:`Birthday` on
    ``birthday - lead_days``, :class:`LifeEvent` on ``event date + lag_days``,
    :class:`Inactivity` on the day the whole days since the last activity (purchase or
    inbound contact up to ``observation_end``) equal ``days``; customers with no activity never fire it.
    Run daily, this gives each event one trigger instance. Every
    trigger is one vectorised pass over the customers; the policy then decides all winners
    at once.

    References
    ----------
    Peppers, D., & Rogers, M. (2017). *Managing Customer Experience and Relationships*
    (3rd ed.), ch. 7. Linoff, G. S., & Berry, M. J. A. (2011). *Data Mining Techniques*
    (3rd ed.), ch. 3 (event-triggered contacts).

    Examples
    --------
    >>> from custcentric.idic import Birthday, Inactivity, due_triggers
    >>> from custcentric.tables import CustomerTable, TransactionLog
    >>> people = CustomerTable.from_arrays(["a", "b", "c"],
    ...     birth_date=["1990-03-05", "1985-07-01", "2000-03-05"])
    >>> bought = TransactionLog.from_arrays(["a", "b"], ["2024-01-05", "2023-12-06"], [10, 20])
    >>> due = due_triggers(people, observation_end="2024-03-05",
    ...                    triggers=[Birthday(), Inactivity(90)],
    ...                    transactions=bought)
    >>> due.customer_id.tolist(), due.trigger.tolist()
    (['a', 'c', 'b'], ['birthday', 'birthday', 'inactivity:90d'])
    """
    _check_log(customers, "customers", CustomerTable)
    _check_log(transactions, "transactions", TransactionLog)
    _check_log(interactions, "interactions", InteractionLog)
    _check_log(policy, "policy", ContactPolicy)
    end = renamed_argument(observation_end, on, new="observation_end", old="on")
    if end is None:
        msg = "`observation_end` must be given: the day to plan."
        raise InvalidInputError(msg)
    day = _day(end, "observation_end")
    send = int(real_number(hour, "hour", low=0, high=23, integer=True))
    given: object = triggers
    if isinstance(given, str | bytes) or not isinstance(given, Sequence):
        msg = f"`triggers` must be a sequence of triggers (got {fmt(triggers)})."
        raise InvalidInputError(msg)
    rules: tuple[object, ...] = tuple(triggers)
    if not rules:
        msg = "`triggers` must hold at least one trigger (got none)."
        raise InvalidInputError(msg)
    for i, rule in enumerate(rules):
        if not isinstance(rule, Birthday | LifeEvent | Inactivity):
            msg = f"`triggers` must hold Birthday, LifeEvent or Inactivity values (index {i}: {fmt(rule)})."
            raise InvalidInputError(msg)
    checked = tuple(r for r in rules if isinstance(r, Birthday | LifeEvent | Inactivity))
    labels = [rule.label for rule in checked]
    repeated = [label for label, n in Counter(labels).items() if n > 1]
    if repeated:
        msg = f"`triggers` must not repeat a trigger (got {repeated[0]!r} twice)."
        raise InvalidInputError(msg)
    order = np.argsort(customers.customer_id, kind="stable")
    ids = customers.customer_id[order]
    n = ids.size
    needs_activity = any(isinstance(r, Inactivity) for r in rules)
    if needs_activity and transactions is None and interactions is None:
        msg = "`transactions` or `interactions` must be given for an Inactivity trigger."
        raise InvalidInputError(msg)
    if any(isinstance(r, LifeEvent) for r in rules) and life_events is None:
        msg = "`life_events` must be given for a LifeEvent trigger."
        raise InvalidInputError(msg)
    last = (
        _last_activity(ids, day, transactions, interactions)
        if needs_activity
        else np.full(n, np.datetime64("NaT", "D"))
    )
    row, kind, date = (
        _life_events(life_events, ids)
        if life_events is not None
        else (np.zeros(0, np.int64), np.zeros(0, "<U1"), np.zeros(0, "datetime64[D]"))
    )
    birth = customers.birth_date[order]

    hits: list[IntArray] = []
    taken = np.zeros(n, dtype=bool)
    superseded: list[BoolArray] = []
    for rule in checked:
        if isinstance(rule, Birthday):
            mask = _birthdays(birth, day + np.timedelta64(rule.lead_days, "D"))
        elif isinstance(rule, LifeEvent):
            fire = (kind == rule.kind) & (date + np.timedelta64(rule.lag_days, "D") == day)
            mask = np.zeros(n, dtype=bool)
            mask[row[fire]] = True
        else:
            gap = (day - last).astype(np.int64)
            mask = ~np.isnat(last) & (gap == rule.days)
        rows = np.flatnonzero(mask)
        hits.append(rows)
        superseded.append(taken[rows])
        taken[rows] = True

    sizes = [h.size for h in hits]
    rows = np.concatenate(hits) if hits else np.zeros(0, dtype=np.int64)
    lost = np.concatenate(superseded) if superseded else np.zeros(0, dtype=bool)
    label = np.repeat(np.array(labels), sizes).astype(np.str_)
    channel = np.repeat(np.array([r.channel for r in checked]), sizes).astype(np.str_)
    kind_out = np.repeat(np.array([r.contact for r in checked]), sizes).astype(np.str_)
    stamp = np.full(rows.size, day.astype("datetime64[s]") + np.timedelta64(send, "h"))
    reason = np.where(lost, "superseded", "").astype(object)
    winners = np.flatnonzero(~lost)
    if policy is None and (consent is not None or opted_out is not None):
        policy = ContactPolicy()  # no caps: consent and opt-outs still apply
    if policy is not None and winners.size:
        planned = InteractionLog.from_arrays(
            ids[rows[winners]],
            stamp[winners],
            channel[winners],
            np.full(winners.size, "outbound"),
            kind_out[winners],
        )
        check = policy.check(planned, history=interactions, consent=consent, opted_out=opted_out)
        reason[winners] = check.reason
    text = reason.astype(np.str_) if rows.size else np.zeros(0, dtype="<U1")
    return DueTriggers(
        observation_end=day,
        customer_id=ids[rows].astype(np.str_),
        trigger=label,
        channel=channel,
        kind=kind_out,
        timestamp=stamp,
        allowed=text == "",
        reason=text,
        triggers=tuple(labels),
    )
