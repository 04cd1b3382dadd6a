"""InteractionLog: contacts between company and customers as read-only columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric.domain import Channel, Direction, Interaction, InteractionKind, Outcome
from custcentric.tables._table import CsvLog, Field, Schema
from custcentric.typing import DatetimeArray, StrArray

__all__ = ["InteractionLog"]


@attrs.frozen(eq=False)
class InteractionLog(CsvLog):
    """Interactions across channels: one read-only array per field, in the order given.

    Categorical columns hold the enum value strings (``"web"``, ``"inbound"`` ...).

    Attributes
    ----------
    customer_id : ndarray of int64 or str
    timestamp : ndarray of datetime64[s]
    channel : ndarray of str
        :class:`~custcentric.domain.Channel` values.
    direction : ndarray of str
        :class:`~custcentric.domain.Direction` values.
    kind : ndarray of str
        :class:`~custcentric.domain.InteractionKind` values.
    outcome : ndarray of str
        :class:`~custcentric.domain.Outcome` values, ``""`` where not recorded.

    Examples
    --------
    >>> from custcentric.tables import InteractionLog
    >>> log = InteractionLog.from_arrays(["c1", "c2"], ["2024-01-01", "2024-01-02"],
    ...                                  ["web", "PHONE"], ["inbound", "outbound"],
    ...                                  ["inquiry", "offer"], ["resolved", ""])
    >>> log.channel.tolist(), log.outcome.tolist()
    (['web', 'phone'], ['resolved', ''])
    >>> print(log)
    InteractionLog(2 interactions, 2 customers, channels: phone 1, web 1)
    """

    _SCHEMA: ClassVar[Schema] = Schema(
        (
            Field("customer_id", "id", "Who: int64 ids, or non-empty text."),
            Field("timestamp", "timestamp", "When: datetime64[s], no NaT."),
            Field("channel", "enum", "Through which channel.", enum=Channel),
            Field("direction", "enum", "Inbound or outbound.", enum=Direction),
            Field("kind", "enum", "What the contact was about.", enum=InteractionKind),
            Field(
                "outcome",
                "enum",
                'How it ended, "" where not recorded.',
                required=False,
                default="",
                missing=True,
                enum=Outcome,
            ),
        ),
        "interactions",
    )

    customer_id: NDArray[Any]
    timestamp: DatetimeArray
    channel: StrArray
    direction: StrArray
    kind: StrArray
    outcome: StrArray

    @classmethod
    def from_arrays(
        cls,
        customer_id: ArrayLike,
        timestamp: ArrayLike,
        channel: ArrayLike,
        direction: ArrayLike,
        kind: ArrayLike,
        outcome: ArrayLike | None = None,
    ) -> InteractionLog:
        """Convert and check the columns and return the read-only log.

        Parameters
        ----------
        customer_id : array_like of int or str
        timestamp : array_like of datetime64 or ISO 8601 str
        channel, direction, kind : array_like of str or enum members
            Matched case-insensitively on the enum value or name; required (None is
            refused, naming the options).
        outcome : array_like of str, optional
            ``""`` or None where not recorded; all ``""`` when omitted.

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty ids, NaT, or a value outside a vocabulary (the
            message lists the valid options and the first bad index).

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> InteractionLog.from_arrays(["c"], ["2024-01-01"], ["fax"], ["inbound"], ["other"])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `channel` must be one of 'web', 'email', 'phone', 'store', 'app', 'sms', 'chat', 'social', 'mail' (index 0: 'fax').
        >>> InteractionLog.from_arrays(["c"], ["2024-01-01"], ["web"], None, ["other"])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `direction` must be one of 'inbound', 'outbound' (got None).
        """
        return cls._new(customer_id, timestamp, channel, direction, kind, outcome)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any] | Interaction]) -> InteractionLog:
        """Build a log from mappings or :class:`custcentric.domain.Interaction` values.

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> log = InteractionLog.from_records([{"customer_id": "c", "timestamp": "2024-01-01",
        ...     "channel": "email", "direction": "outbound", "kind": "offer"}])
        >>> log.outcome.tolist()
        ['']
        """
        return cls._from_records(records, Interaction)

    def interaction(self, i: int) -> Interaction:
        """Return row ``i`` as a :class:`custcentric.domain.Interaction` (id as text).

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> log = InteractionLog.from_arrays([7], ["2024-01-01"], ["web"], ["inbound"], ["idea"])
        >>> log.interaction(0).channel.value
        'web'
        """
        row = self._row(i)
        return Interaction(
            customer_id=str(row["customer_id"]),
            timestamp=row["timestamp"],
            channel=Channel(row["channel"]),
            direction=Direction(row["direction"]),
            kind=InteractionKind(row["kind"]),
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        )

    def _describe(self) -> list[str]:
        if not len(self):
            return []
        names, counts = np.unique(self.channel, return_counts=True)
        parts = ", ".join(f"{k} {c}" for k, c in zip(names.tolist(), counts.tolist(), strict=True))
        return [self._distinct("customer_id", "customers"), f"channels: {parts}"]
