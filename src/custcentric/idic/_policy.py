"""ContactPolicy: frequency caps, minimum gaps, quiet hours, opt-outs and consent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, fmt
from custcentric.domain import Channel, InteractionKind
from custcentric.domain._base import DomainValue, real_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables import InteractionLog
from custcentric.typing import BoolArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ContactPolicy", "FrequencyCap", "PolicyCheck"]

_DAY = 86_400
#: The longest window (``FrequencyCap.days``, ``ContactPolicy.min_gap_days``) accepted, in
#: days: about 2,700 years, far beyond any contact history, and small enough that the window
#: in seconds keys exactly in int64.
MAX_WINDOW_DAYS = 1_000_000.0
#: The largest ``FrequencyCap.max_contacts`` accepted (2**53, the last exactly held integer).
MAX_CONTACTS = 2**53


def _channel_or_none(value: object) -> str | None:
    if value is None:
        return None
    return Channel(str(value)).value


def _max_contacts(value: object) -> int:
    number = real_number(value, "max_contacts", low=1, integer=True)
    if number > MAX_CONTACTS:
        msg = f"`max_contacts` must be at most 2**53 (got {fmt(value)})."
        raise InvalidInputError(msg)
    return int(number)


def _window(number: float, name: str, value: object) -> float:
    if number > MAX_WINDOW_DAYS:
        msg = f"`{name}` must be at most {MAX_WINDOW_DAYS:,.0f} days (got {fmt(value)})."
        raise InvalidInputError(msg)
    return number


def _positive_days(value: object) -> float:
    return _window(real_number(value, "days", low=0, low_inclusive=False), "days", value)


@attrs.frozen(kw_only=True)
class FrequencyCap(DomainValue):
    """At most ``max_contacts`` outbound contacts in any ``days``-day window.

    Parameters
    ----------
    max_contacts : int
        The cap, at least 1 and at most 2**53.
    days : float
        Window length in days, positive and at most 1,000,000 (:data:`MAX_WINDOW_DAYS`).
    channel : str, optional
        A :class:`~custcentric.domain.Channel` value; the cap counts all channels if None.

    Examples
    --------
    >>> from custcentric.idic import FrequencyCap
    >>> cap = FrequencyCap(max_contacts=2, days=7, channel="EMAIL")
    >>> cap
    FrequencyCap(max_contacts=2, days=7.0, channel='email')
    >>> FrequencyCap.from_dict(cap.to_dict()) == cap
    True
    """

    max_contacts: int = attrs.field(converter=_max_contacts)
    days: float = attrs.field(converter=_positive_days)
    channel: str | None = attrs.field(default=None, converter=_channel_or_none)

    def label(self) -> str:
        """Return a short description, e.g. ``"cap 2 per 7 days (email)"``."""
        where = self.channel or "any channel"
        return f"cap {self.max_contacts} per {self.days:g} days ({where})"


def _sequence(values: object, name: str) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        msg = f"`{name}` must be a sequence (got {fmt(values)})."
        raise InvalidInputError(msg)
    return tuple(values)


def _caps(values: Any) -> tuple[FrequencyCap, ...]:
    if isinstance(values, FrequencyCap):
        values = (values,)
    caps = tuple(
        FrequencyCap.from_dict(c) if isinstance(c, Mapping) else c
        for c in _sequence(values, "caps")
    )
    for i, cap in enumerate(caps):
        if not isinstance(cap, FrequencyCap):
            msg = f"`caps` must hold FrequencyCap values (index {i}: {fmt(cap)})."
            raise InvalidInputError(msg)
    return caps


def _gap(value: object) -> float:
    return _window(real_number(value, "min_gap_days", low=0), "min_gap_days", value)


def _quiet(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    given: object = value
    hours = tuple(value) if isinstance(given, Iterable) and not isinstance(given, str) else ()
    if len(hours) != 2:
        msg = f"`quiet_hours` must be a pair (start, end) of hours (got {fmt(value)})."
        raise InvalidInputError(msg)
    start, end = (int(real_number(h, "quiet_hours", low=0, high=23, integer=True)) for h in hours)
    return start, end


def _kinds(values: Any) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(InteractionKind(v).value for v in _sequence(values, "consent_kinds"))


@attrs.frozen(kw_only=True, eq=False)
class PolicyCheck:
    """The verdict of :meth:`ContactPolicy.check` on each planned contact.

    Attributes
    ----------
    allowed : ndarray of bool
        Per planned contact (in the order given).
    reason : ndarray of str
        ``""`` when allowed, else the first rule broken: ``"opted_out"``, ``"no_consent"``,
        ``"quiet_hours"``, ``"min_gap"`` or a cap's label.

    Examples
    --------
    >>> from custcentric.idic import ContactPolicy
    >>> from custcentric.tables import InteractionLog
    >>> planned = InteractionLog.from_arrays(["a", "b"], ["2024-03-01T10:00"] * 2,
    ...     ["sms"] * 2, ["outbound"] * 2, ["offer"] * 2)
    >>> check = ContactPolicy().check(planned, consent=["a"])
    >>> check.allowed.tolist(), check.reason.tolist()
    ([True, False], ['', 'no_consent'])
    """

    allowed: BoolArray
    reason: StrArray

    @property
    def n_allowed(self) -> int:
        """Planned contacts that may go ahead."""
        return int(self.allowed.sum())

    @property
    def refused(self) -> dict[str, int]:
        """How many contacts each rule refused, largest first."""
        return dict(Counter(self.reason[~self.allowed].tolist()).most_common())

    def to_dict(self) -> dict[str, Any]:
        """Return the verdicts as plain JSON-ready data."""
        return {
            "allowed": self.allowed.tolist(),
            "reason": self.reason.tolist(),
            "refused": self.refused,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per planned contact (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {"allowed": self.allowed, "reason": self.reason}
        return make_frame(columns)

    def summary(self) -> str:
        """Return the counts of allowed and refused contacts by rule."""
        lines = [f"{self.n_allowed:,} of {self.allowed.size:,} planned contacts allowed"]
        lines += [f"  refused, {reason}: {count:,}" for reason, count in self.refused.items()]
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class ContactPolicy(DomainValue):
    """Rules that every outbound contact must pass, checked for many contacts at once.

    Parameters
    ----------
    caps : sequence of FrequencyCap (or of their dicts)
        Frequency caps; each counts the customer's earlier outbound contacts (history and
        contacts allowed earlier in the plan) in the window ending at the planned contact.
    min_gap_days : float, default 0
        Minimum time since the customer's last outbound contact on any channel, in days
        (at most 1,000,000, :data:`MAX_WINDOW_DAYS`).
    quiet_hours : (int, int), optional
        No contact from hour ``start`` up to (not including) hour ``end`` of the local
        timestamp; wraps round midnight when ``start > end`` (e.g. ``(21, 8)``).
    consent_kinds : sequence of str, default ("offer",)
        :class:`~custcentric.domain.InteractionKind` values that need the customer's
        marketing consent.

    Notes
    -----
    The rules are checked in the order opt-out, consent, quiet hours, minimum gap, caps;
    a contact's ``reason`` is the first it breaks. Planned contacts are decided in time
    order per customer, so a refused contact does not use up a cap. The work runs in
    rounds — round ``r`` decides every customer's ``r``-th planned contact at once with
    sorted keys and :func:`numpy.searchsorted` — so the loop is over contacts per customer,
    never over customers. Service contacts (not in ``consent_kinds``) still obey caps,
    gaps and quiet hours; opt-outs stop every planned contact, as the customer's interest
    comes first (source S4).

    References
    ----------
    Peppers, D., & Rogers, M. (2017). *Managing Customer Experience and Relationships*
    (3rd ed.), ch. 7 (contact frequency, consent and opt-out as constraints on every
    contact). Neslin, S. A., et al. (2013). Customer equity and the "recency trap".
    *Journal of the Academy of Marketing Science*, 41(3), 320–337.

    Examples
    --------
    >>> from custcentric.idic import ContactPolicy, FrequencyCap
    >>> from custcentric.tables import InteractionLog
    >>> policy = ContactPolicy(caps=[FrequencyCap(max_contacts=1, days=7, channel="email")],
    ...                        quiet_hours=(21, 8))
    >>> planned = InteractionLog.from_arrays(
    ...     ["a", "a", "b", "c"],
    ...     ["2024-03-01T10:00", "2024-03-03T10:00", "2024-03-01T22:00", "2024-03-01T10:00"],
    ...     ["email"] * 4, ["outbound"] * 4, ["offer"] * 4)
    >>> check = policy.check(planned, consent=["a", "b"])
    >>> check.allowed.tolist(), check.reason.tolist()
    ([True, False, False, False], ['', 'cap 1 per 7 days (email)', 'quiet_hours', 'no_consent'])

    The policy is configuration: it goes through JSON and back unchanged.

    >>> import json
    >>> ContactPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy
    True
    """

    caps: tuple[FrequencyCap, ...] = attrs.field(default=(), converter=_caps)
    min_gap_days: float = attrs.field(default=0.0, converter=_gap)
    quiet_hours: tuple[int, int] | None = attrs.field(default=None, converter=_quiet)
    consent_kinds: tuple[str, ...] = attrs.field(default=("offer",), converter=_kinds)

    def check(
        self,
        planned: InteractionLog,
        *,
        history: InteractionLog | None = None,
        consent: ArrayLike | None = None,
        opted_out: ArrayLike | None = None,
    ) -> PolicyCheck:
        """Decide which planned outbound contacts the policy allows, and why not.

        Parameters
        ----------
        planned : InteractionLog
            The contacts to check; all outbound.
        history : InteractionLog, optional
            Contacts already made; their outbound ones count towards gaps and caps.
        consent : array_like, optional
            Customers who gave marketing consent. Required when any planned contact is of
            a kind in ``consent_kinds``.
        opted_out : array_like, optional
            Customers who opted out of all contact.

        Returns
        -------
        PolicyCheck

        Raises
        ------
        InvalidInputError
            For inbound planned contacts, a missing ``consent`` that is needed, or ids of
            another kind than the log's.
        """
        given: object = planned
        if not isinstance(given, InteractionLog):
            msg = f"`planned` must be an InteractionLog (got {type(given).__name__})."
            raise InvalidInputError(msg)
        inbound = planned.direction != "outbound"
        if inbound.any():
            i = int(np.argmax(inbound))
            msg = (
                f"`planned` must hold outbound contacts (index {i}: {str(planned.direction[i])!r})."
            )
            raise InvalidInputError(msg)
        n = len(planned)
        reason = np.full(n, "", dtype=object)
        ids = planned.customer_id
        if opted_out is not None:
            out = _ids(opted_out, "opted_out", ids)
            reason[np.isin(ids, out)] = "opted_out"
        needs = np.isin(planned.kind, self.consent_kinds)
        if needs.any():
            if consent is None:
                kinds = ", ".join(repr(k) for k in self.consent_kinds)
                msg = (
                    f"`consent` must be given: {int(needs.sum())} planned contacts are of kinds "
                    f"that need consent ({kinds})."
                )
                raise InvalidInputError(msg)
            ok = np.isin(ids, _ids(consent, "consent", ids))
            reason[(reason == "") & needs & ~ok] = "no_consent"
        if self.quiet_hours is not None:
            start, end = self.quiet_hours
            hour = (
                (planned.timestamp - planned.timestamp.astype("datetime64[D]"))
                .astype("timedelta64[h]")
                .astype(np.int64)
            )
            quiet = (
                (hour >= start) & (hour < end) if start <= end else (hour >= start) | (hour < end)
            )
            reason[(reason == "") & quiet] = "quiet_hours"
        if self.caps or self.min_gap_days > 0:
            self._sequential_rules(planned, history, reason)
        text = reason.astype(np.str_) if n else np.zeros(0, dtype="<U1")
        return PolicyCheck(allowed=text == "", reason=text)

    def filter(
        self,
        planned: InteractionLog,
        *,
        history: InteractionLog | None = None,
        consent: ArrayLike | None = None,
        opted_out: ArrayLike | None = None,
    ) -> InteractionLog:
        """Return the planned contacts the policy allows (see :meth:`check`)."""
        keep = self.check(planned, history=history, consent=consent, opted_out=opted_out).allowed
        return InteractionLog.from_arrays(
            planned.customer_id[keep],
            planned.timestamp[keep],
            planned.channel[keep],
            planned.direction[keep],
            planned.kind[keep],
            planned.outcome[keep],
        )

    def _sequential_rules(
        self, planned: InteractionLog, history: InteractionLog | None, reason: NDArray[Any]
    ) -> None:
        past_ids, past_time, past_channel = _outbound(history, planned.customer_id)
        all_ids = np.concatenate([planned.customer_id, past_ids])
        _, code = np.unique(all_ids, return_inverse=True)
        n = len(planned)
        channels = np.array(sorted(c.value for c in Channel))
        n_channels = channels.size
        windows = [c.days for c in self.caps] + [self.min_gap_days]
        pad = int(np.ceil(max(windows) * _DAY)) + 1
        times = np.concatenate([planned.timestamp, past_time]).astype("datetime64[s]")
        seconds = (times - times.min()).astype(np.int64) + pad
        span = int(seconds.max()) + 1
        if float(code.max() + 1) * n_channels * span >= 2.0**62:
            msg = "`planned` and `history` span too many customers and seconds to key in int64."
            raise InvalidInputError(msg)
        chan = np.searchsorted(channels, np.concatenate([planned.channel, past_channel]))
        any_key = code.astype(np.int64) * span + seconds
        chan_key = (code.astype(np.int64) * n_channels + chan) * span + seconds
        accepted = np.zeros(code.size, dtype=bool)
        accepted[n:] = True  # history counts
        order = np.lexsort((np.arange(n), seconds[:n], code[:n]))
        first = np.r_[True, code[:n][order][1:] != code[:n][order][:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - start
        for r in range(int(rank.max()) + 1 if n else 0):
            now = np.flatnonzero((rank == r) & (reason == ""))
            if now.size == 0:
                continue
            pool_any = np.sort(any_key[accepted])
            pool_chan = np.sort(chan_key[accepted])
            verdict = np.full(now.size, "", dtype=object)
            if self.min_gap_days > 0:
                gap = round(self.min_gap_days * _DAY)
                recent = _count(pool_any, any_key[now], gap)
                verdict[recent > 0] = "min_gap"
            for cap in self.caps:
                pool, keys = (pool_any, any_key) if cap.channel is None else (pool_chan, chan_key)
                applies = np.ones(now.size, dtype=bool)
                if cap.channel is not None:
                    applies = planned.channel[now] == cap.channel
                used = _count(pool, keys[now], round(cap.days * _DAY))
                verdict[(verdict == "") & applies & (used >= cap.max_contacts)] = cap.label()
            reason[now] = verdict
            accepted[now[verdict == ""]] = True


def _count(pool: IntArray, keys: IntArray, window: int) -> IntArray:
    """Pool entries in ``(key - window, key]`` for each key (pool sorted)."""
    high = np.searchsorted(pool, keys, side="right")
    low = np.searchsorted(pool, keys - window, side="right")
    result: IntArray = (high - low).astype(np.int64)
    return result


def _ids(values: ArrayLike, name: str, like: NDArray[Any]) -> NDArray[Any]:
    ids = as_1d(values, name)
    if ids.dtype.kind == "b":
        msg = (
            f"`{name}` must hold customer ids, not a boolean mask (got {ids.size} booleans); "
            "pass the ids where the mask is True."
        )
        raise InvalidInputError(msg)
    if ids.size and like.size and (ids.dtype.kind in "iu") != (like.dtype.kind in "iu"):
        msg = f"`{name}` must hold ids of the same kind as the log's (got dtype {ids.dtype})."
        raise InvalidInputError(msg)
    return ids


def _outbound(
    history: InteractionLog | None, like: NDArray[Any]
) -> tuple[NDArray[Any], NDArray[np.datetime64], StrArray]:
    if history is None:
        return like[:0], np.zeros(0, dtype="datetime64[s]"), np.zeros(0, dtype="<U1")
    given: object = history
    if not isinstance(given, InteractionLog):
        msg = f"`history` must be an InteractionLog (got {type(given).__name__})."
        raise InvalidInputError(msg)
    out = history.direction == "outbound"
    ids = _ids(history.customer_id[out], "history", like)
    return ids, history.timestamp[out], history.channel[out]
