"""Interaction analytics over an InteractionLog: contacts, response rates, channel mix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._deprecation import REMOVED_IN, SINCE, renamed_argument, warn_deprecated
from custcentric._pandas import make_frame
from custcentric._stats import wilson_interval
from custcentric._validation import as_1d, as_datetime_array, check_confidence_level
from custcentric.domain import Channel
from custcentric.exceptions import InvalidInputError
from custcentric.tables import InteractionLog
from custcentric.typing import FloatArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESPONSES", "InteractionSummary", "interaction_summary", "wilson_interval"]

RESPONSES: Final[tuple[str, ...]] = ("responded", "converted", "declined")
"""Outcomes of an outbound contact that count as a response (a reaction, even a "no")."""
_NON_RESPONSE: Final = "no_response"
_CONVERTED: Final = "converted"


@attrs.frozen(kw_only=True, eq=False)
class InteractionSummary:
    """Contacts per customer and channel, response rates and the inbound/outbound mix.

    Attributes
    ----------
    channels : tuple of str
        :class:`~custcentric.domain.Channel` values, the columns of ``contacts``.
    customer_id : ndarray
        The customers (rows), sorted.
    contacts : ndarray of int, shape (n_customers, n_channels)
        Contacts (both directions) per customer and channel.
    inbound, outbound : ndarray of int
        Per customer.
    preferred_channel : ndarray of str
        Per customer, the channel of most *inbound* contacts (the customer's own choice);
        the channel of most contacts if there is none; ``""`` for a customer never
        contacted. Ties go to the first channel in ``channels``.
    days_since_last_contact : ndarray of float
        ``observation_end`` minus the last contact (either direction), in days; ``inf`` for a
        customer never contacted.
    channel_contacts, channel_inbound, channel_outbound : ndarray of int
        Per channel.
    responses, response_trials : ndarray of int
        Per channel: outbound contacts answered (outcome in :data:`RESPONSES`), and those
        plus the unanswered (``no_response``); other outcomes and unrecorded ones are left
        out.
    conversions : ndarray of int
        Per channel: outbound contacts with outcome ``converted``.
    confidence_level : float
        Of the response-rate intervals.
    observation_end : numpy.datetime64
        Reference time for ``days_since_last_contact``.

    Examples
    --------
    >>> from custcentric.idic import interaction_summary
    >>> from custcentric.tables import InteractionLog
    >>> log = InteractionLog.from_arrays(["a", "b"], ["2024-01-01", "2024-01-02"],
    ...     ["email", "web"], ["outbound", "inbound"], ["offer", "inquiry"], ["responded", ""])
    >>> s = interaction_summary(log)
    >>> s.inbound.tolist(), s.outbound.tolist(), s.preferred_channel.tolist()
    ([0, 1], [1, 0], ['email', 'web'])
    """

    channels: tuple[str, ...]
    customer_id: NDArray[Any]
    contacts: IntArray
    inbound: IntArray
    outbound: IntArray
    preferred_channel: StrArray
    days_since_last_contact: FloatArray
    channel_contacts: IntArray
    channel_inbound: IntArray
    channel_outbound: IntArray
    responses: IntArray
    response_trials: IntArray
    conversions: IntArray
    confidence_level: float
    observation_end: np.datetime64

    @property
    def as_of(self) -> np.datetime64:
        """Deprecated name of :attr:`observation_end`."""
        warn_deprecated(
            "`InteractionSummary.as_of`",
            "`observation_end`",
            since=SINCE,
            removed_in=REMOVED_IN,
            stacklevel=2,
        )
        return self.observation_end

    @property
    def response_rate(self) -> FloatArray:
        """Per channel, ``responses / response_trials`` (0 where there were no trials)."""
        rate: FloatArray = self.responses / np.maximum(self.response_trials, 1)
        return rate

    @property
    def conversion_rate(self) -> FloatArray:
        """Per channel, ``conversions / response_trials`` (0 where there were no trials)."""
        rate: FloatArray = self.conversions / np.maximum(self.response_trials, 1)
        return rate

    def response_interval(self) -> tuple[FloatArray, FloatArray]:
        """Wilson interval of each channel's response rate at ``confidence_level``."""
        trials = self.response_trials.astype(np.float64)
        share = np.divide(self.responses, trials, out=np.zeros_like(trials), where=trials > 0)
        return wilson_interval(share, trials, self.confidence_level)

    @property
    def inbound_share(self) -> float:
        """Share of all contacts that the customers started."""
        total = int(self.channel_contacts.sum())
        return int(self.channel_inbound.sum()) / total if total else 0.0

    def channel_table(self) -> dict[str, list[Any]]:
        """Return the per-channel figures as plain columns (channels with contacts only)."""
        keep = self.channel_contacts > 0
        low, high = self.response_interval()
        return {
            "channel": [c for c, k in zip(self.channels, keep, strict=True) if k],
            "contacts": self.channel_contacts[keep].tolist(),
            "inbound": self.channel_inbound[keep].tolist(),
            "outbound": self.channel_outbound[keep].tolist(),
            "response_trials": self.response_trials[keep].tolist(),
            "response_rate": self.response_rate[keep].tolist(),
            "response_low": low[keep].tolist(),
            "response_high": high[keep].tolist(),
            "conversion_rate": self.conversion_rate[keep].tolist(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain JSON-ready data."""
        return {
            "observation_end": str(self.observation_end),
            "confidence_level": self.confidence_level,
            "inbound_share": self.inbound_share,
            "channels": self.channel_table(),
            "customers": {
                "customer_id": self.customer_id.tolist(),
                "inbound": self.inbound.tolist(),
                "outbound": self.outbound.tolist(),
                "preferred_channel": self.preferred_channel.tolist(),
                "days_since_last_contact": [
                    None if np.isinf(d) else d for d in self.days_since_last_contact.tolist()
                ],
            },
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per customer with contacts per channel (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {"customer_id": self.customer_id}
        for j, channel in enumerate(self.channels):
            columns[channel] = self.contacts[:, j]
        columns.update(
            inbound=self.inbound,
            outbound=self.outbound,
            preferred_channel=self.preferred_channel,
            days_since_last_contact=self.days_since_last_contact,
        )
        return make_frame(columns)

    def summary(self) -> str:
        """Return the per-channel table and the mix as readable text."""
        table = self.channel_table()
        pct = f"{self.confidence_level:.0%}"
        lines = [
            f"Interactions as of {self.observation_end}: {int(self.channel_contacts.sum()):,} contacts, "
            f"{self.inbound_share:.1%} inbound, {self.customer_id.size:,} customers",
            f"  {'channel':<8} {'contacts':>9} {'inbound':>8} {'outbound':>9} "
            f"{'response':>9}  {pct} Wilson",
        ]
        for i, channel in enumerate(table["channel"]):
            rate = table["response_rate"][i]
            shown = f"{rate:9.1%}" if table["response_trials"][i] else f"{'-':>9}"
            ci = (
                f"({table['response_low'][i]:.1%}, {table['response_high'][i]:.1%})"
                if table["response_trials"][i]
                else "-"
            )
            lines.append(
                f"  {channel:<8} {table['contacts'][i]:>9,} {table['inbound'][i]:>8,} "
                f"{table['outbound'][i]:>9,} {shown}  {ci}"
            )
        return "\n".join(lines)


def interaction_summary(
    log: InteractionLog,
    *,
    observation_end: ArrayLike | None = None,
    customer_id: ArrayLike | None = None,
    confidence_level: float = 0.95,
    as_of: ArrayLike | None = None,
    customers: ArrayLike | None = None,
) -> InteractionSummary:
    r"""Summarise the dialogue with customers: who is contacted how, and who answers.

    Parameters
    ----------
    log : InteractionLog
        Contacts in both directions.
    observation_end : datetime64 or ISO str, optional
        Reference time for ``days_since_last_contact``; the last timestamp by default.
    customer_id : array_like, optional
        The ids of the customers to report (e.g. all customers, including those never
        contacted); by default those in ``log``. Contacts of customers not listed are left
        out of the per-customer figures but kept in the per-channel ones.
    confidence_level : float, default 0.95
        Of the Wilson intervals of the response rates, in (0, 1).
    as_of, customers
        Deprecated names of ``observation_end`` and ``customer_id``
        (:class:`~custcentric.exceptions.CustcentricDeprecationWarning`).

    Returns
    -------
    InteractionSummary

    Raises
    ------
    InvalidInputError
        For an empty log, a bad ``confidence_level``, or ``observation_end`` before a
        contact.

    Notes
    -----
    The response rate of a channel is
    :math:`r = \#\{\text{outbound}, \text{outcome} \in R\} / \#\{\text{outbound},
    \text{outcome} \in R \cup \{\text{no\_response}\}\}` with ``R`` = :data:`RESPONSES`;
    the interval is Wilson's (1927). The counting is one ``np.unique`` and one
    ``np.bincount`` over (customer, channel), no loop per customer.

    Examples
    --------
    >>> from custcentric.tables import InteractionLog
    >>> from custcentric.idic import interaction_summary
    >>> log = InteractionLog.from_arrays(
    ...     ["a", "a", "b", "b"],
    ...     ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-09"],
    ...     ["email", "email", "phone", "phone"], ["outbound", "outbound", "inbound", "inbound"],
    ...     ["offer", "offer", "inquiry", "order"], ["responded", "no_response", "", ""])
    >>> s = interaction_summary(log, observation_end="2024-01-10")
    >>> s.preferred_channel.tolist(), s.days_since_last_contact.tolist()
    (['email', 'phone'], [5.0, 1.0])
    >>> round(float(s.response_rate[s.channels.index("email")]), 2), s.inbound_share
    (0.5, 0.5)
    """
    given: object = log
    if not isinstance(given, InteractionLog):
        msg = f"`log` must be an InteractionLog (got {type(given).__name__})."
        raise InvalidInputError(msg)
    if len(log) == 0:
        msg = "`log` must hold at least one contact (got an empty log)."
        raise InvalidInputError(msg)
    end = renamed_argument(observation_end, as_of, new="observation_end", old="as_of")
    customers = renamed_argument(customer_id, customers, new="customer_id", old="customers")
    level = check_confidence_level(confidence_level)
    last = log.timestamp.max()
    reference = (
        last
        if end is None
        else as_datetime_array(as_1d(end, "observation_end"), "observation_end")[0]
    )
    if reference < last:
        msg = f"`observation_end` must not precede the last contact ({reference} < {last})."
        raise InvalidInputError(msg)
    channels = tuple(c.value for c in Channel)
    order = np.argsort(np.array(channels))  # searchsorted needs sorted names
    sorted_names = np.array(channels)[order]
    channel_code = order[np.searchsorted(sorted_names, log.channel)]
    n_channels = len(channels)
    inbound = log.direction == "inbound"
    outbound = ~inbound
    answered = outbound & np.isin(log.outcome, RESPONSES)
    trial = answered | (outbound & (log.outcome == _NON_RESPONSE))

    if customers is None:
        ids, row = np.unique(log.customer_id, return_inverse=True)
        listed = np.ones(len(log), dtype=bool)
    else:
        ids = np.unique(as_1d(customers, "customer_id"))
        if ids.dtype.kind != log.customer_id.dtype.kind and ids.size:
            msg = (
                "`customer_id` must hold ids of the same kind as the log's "
                f"(got dtype {ids.dtype}, log has {log.customer_id.dtype})."
            )
            raise InvalidInputError(msg)
        position = np.clip(np.searchsorted(ids, log.customer_id), 0, max(ids.size - 1, 0))
        listed = (ids[position] == log.customer_id) if ids.size else np.zeros(len(log), bool)
        row = position
    n = ids.size
    cell = row[listed] * n_channels + channel_code[listed]
    contacts = np.bincount(cell, minlength=n * n_channels).reshape(n, n_channels)
    inbound_cells = np.bincount(cell, weights=inbound[listed], minlength=n * n_channels).reshape(
        n, n_channels
    )
    n_in = inbound_cells.sum(axis=1).astype(np.int64)
    n_all = contacts.sum(axis=1).astype(np.int64)
    by = np.where(n_in[:, None] > 0, inbound_cells, contacts)
    preferred = np.where(n_all > 0, np.array(channels)[by.argmax(axis=1)], "")
    seconds = (reference - log.timestamp[listed]).astype("timedelta64[s]").astype(np.float64)
    since = np.full(n, np.inf)
    np.minimum.at(since, row[listed], seconds / 86400.0)
    return InteractionSummary(
        channels=channels,
        customer_id=ids,
        contacts=contacts.astype(np.int64),
        inbound=n_in,
        outbound=n_all - n_in,
        preferred_channel=preferred.astype(np.str_),
        days_since_last_contact=since,
        channel_contacts=np.bincount(channel_code, minlength=n_channels).astype(np.int64),
        channel_inbound=np.bincount(channel_code[inbound], minlength=n_channels).astype(np.int64),
        channel_outbound=np.bincount(channel_code[outbound], minlength=n_channels).astype(np.int64),
        responses=np.bincount(channel_code[answered], minlength=n_channels).astype(np.int64),
        response_trials=np.bincount(channel_code[trial], minlength=n_channels).astype(np.int64),
        conversions=np.bincount(
            channel_code[outbound & (log.outcome == _CONVERTED)], minlength=n_channels
        ).astype(np.int64),
        confidence_level=level,
        observation_end=reference,
    )
