"""InteractionLog: contacts between company and customers as read-only columns."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import frame_columns, make_frame
from custcentric._validation import check_equal_length, to_enum_array
from custcentric.domain import Channel, Direction, InteractionKind, Outcome
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import (
    as_id_array,
    as_optional_text,
    as_timestamps,
    frozen,
    record_columns,
    scalar,
)
from custcentric.tables._csv import CsvErrors, IdKind, read_columns
from custcentric.tables._summary import assign
from custcentric.typing import DatetimeArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

    from custcentric.domain import Interaction

__all__ = ["InteractionLog"]

_FIELDS = ("customer_id", "timestamp", "channel", "direction", "kind", "outcome")
_REQUIRED = _FIELDS[:5]


def _outcomes(values: ArrayLike | None, n: int) -> StrArray:
    """Outcome values, ``""`` (or None) meaning not recorded."""
    text = as_optional_text(values, "outcome", n)
    present = text != ""
    result = np.full(text.size, "", dtype=f"<U{max(len(m.value) for m in Outcome)}")
    if present.any():
        index = np.flatnonzero(present)
        try:
            result[index] = to_enum_array(text[index], Outcome, "outcome")
        except InvalidInputError:
            lookup = {str(m.value) for m in Outcome} | {m.name.lower() for m in Outcome}
            bad = next(i for i in index.tolist() if str(text[i]).strip().lower() not in lookup)
            options = ", ".join(repr(m.value) for m in Outcome)
            msg = f"`outcome` must be one of {options} or empty (index {bad}: {str(text[bad])!r})."
            raise InvalidInputError(msg) from None
    return result


@attrs.frozen(eq=False)
class InteractionLog:
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
            Matched case-insensitively on the enum value or name.
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
        """
        columns: dict[str, Any] = {
            "customer_id": customer_id,
            "timestamp": timestamp,
            "channel": channel,
            "direction": direction,
            "kind": kind,
            "outcome": outcome,
        }
        return cls(**columns)  # __attrs_post_init__ converts and checks once

    def __attrs_post_init__(self) -> None:
        """Convert and check the columns, whatever the route of construction.

        ``__init__``, :func:`attrs.evolve` and every constructor end here: one validating
        pass per column, then read-only storage.
        """
        ids = as_id_array(self.customer_id, "customer_id")
        times = as_timestamps(self.timestamp, "timestamp")
        channels = to_enum_array(self.channel, Channel, "channel")
        directions = to_enum_array(self.direction, Direction, "direction")
        kinds = to_enum_array(self.kind, InteractionKind, "kind")
        outcomes = _outcomes(self.outcome, ids.size)
        check_equal_length(
            {
                "customer_id": ids,
                "timestamp": times,
                "channel": channels,
                "direction": directions,
                "kind": kinds,
                "outcome": outcomes,
            }
        )
        assign(
            self,
            customer_id=frozen(ids),
            timestamp=frozen(times),
            channel=frozen(channels),
            direction=frozen(directions),
            kind=frozen(kinds),
            outcome=frozen(outcomes),
        )

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
        from custcentric import domain

        columns = record_columns(
            records, _FIELDS, required=_REQUIRED, domain_type=getattr(domain, "Interaction", None)
        )
        c = {f: np.array(columns[f], dtype=object) for f in _FIELDS}
        return cls.from_arrays(
            c["customer_id"], c["timestamp"], c["channel"], c["direction"], c["kind"], c["outcome"]
        )

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["raise"] = ...,
    ) -> InteractionLog: ...

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        names: Sequence[str] | None = ...,
        ids: IdKind = ...,
        errors: Literal["report"],
    ) -> tuple[InteractionLog, CsvErrors]: ...

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        delimiter: str | None = ",",
        names: Sequence[str] | None = None,
        ids: IdKind = "str",
        errors: Literal["raise", "report"] = "raise",
    ) -> InteractionLog | tuple[InteractionLog, CsvErrors]:
        r"""Read a log from CSV (``.gz`` decompressed transparently).

        Headers ``customer_id,timestamp,channel,direction,kind`` and optionally ``outcome``
        unless mapped with ``columns``.

        See :meth:`TransactionLog.read_csv` for ``columns`` (either direction), ``date_format``,
        ``delimiter``, ``names`` (a file without a header line), ``ids`` (``"str"`` keeps
        ids as written, ``"int"`` parses them) and ``errors`` (``"report"`` returns
        ``(table, CsvErrors)``).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import InteractionLog
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "i.csv"
        >>> _ = path.write_text("customer_id,timestamp,channel,direction,kind\n"
        ...                     "c,2024-01-01,web,inbound,inquiry\nc,2024-01-02,web,sideways,inquiry\n")
        >>> InteractionLog.read_csv(path)
        Traceback (most recent call last):
        ...
        custcentric.exceptions.DataFormatError: file '...i.csv', line 3, column 'direction': `direction` must be one of 'inbound', 'outbound' (got 'sideways').
        """
        table = read_columns(
            path,
            _FIELDS,
            columns=columns,
            required=_REQUIRED,
            delimiter=delimiter,
            names=names,
            errors=errors,
        )
        customer_id = table.ids("customer_id", ids)
        times = table.times("timestamp", date_format)
        channel = table.enums("channel", Channel)
        direction = table.enums("direction", Direction)
        kind = table.enums("kind", InteractionKind)
        outcome = (
            table.enums("outcome", Outcome, allow_empty=True) if "outcome" in table.data else None
        )
        log = cls.from_arrays(
            table.rows(customer_id),
            table.rows(times),
            table.rows(channel),
            table.rows(direction),
            table.rows(kind),
            table.rows(outcome),
        )
        return cast("InteractionLog | tuple[InteractionLog, CsvErrors]", table.result(log))

    @classmethod
    def from_pandas(
        cls, frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
    ) -> InteractionLog:
        """Build a log from a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> log = InteractionLog.from_arrays(["c"], ["2024-01-01"], ["web"], ["inbound"],
        ...                                  ["idea"])
        >>> len(InteractionLog.from_pandas(log.to_pandas()))
        1
        """
        data = frame_columns(frame, _FIELDS, columns=columns, required=_REQUIRED)
        return cls.from_arrays(
            data["customer_id"],
            data["timestamp"],
            data["channel"],
            data["direction"],
            data["kind"],
            outcome=data.get("outcome"),
        )

    def to_pandas(self) -> pd.DataFrame:
        """Return the log as a DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> InteractionLog.from_arrays(["c"], ["2024-01-01"], ["web"], ["inbound"],
        ...                            ["idea"]).to_pandas().shape
        (1, 6)
        """
        return make_frame({f: getattr(self, f) for f in _FIELDS})

    def interaction(self, i: int) -> Interaction:
        """Return row ``i`` as a :class:`custcentric.domain.Interaction` (id as text).

        Examples
        --------
        >>> from custcentric.tables import InteractionLog
        >>> log = InteractionLog.from_arrays([7], ["2024-01-01"], ["web"], ["inbound"], ["idea"])
        >>> log.interaction(0).channel.value
        'web'
        """
        from custcentric.domain import Interaction

        outcome = str(self.outcome[i])
        return Interaction(
            customer_id=str(scalar(self.customer_id[i])),
            timestamp=self.timestamp[i],
            channel=Channel(str(self.channel[i])),
            direction=Direction(str(self.direction[i])),
            kind=InteractionKind(str(self.kind[i])),
            outcome=Outcome(outcome) if outcome else None,
        )

    def __len__(self) -> int:
        return int(self.customer_id.size)

    def __str__(self) -> str:
        if not len(self):
            return "InteractionLog(0 interactions)"
        names, counts = np.unique(self.channel, return_counts=True)
        parts = ", ".join(f"{k} {c}" for k, c in zip(names.tolist(), counts.tolist(), strict=True))
        return (
            f"InteractionLog({len(self)} interactions, {np.unique(self.customer_id).size} "
            f"customers, channels: {parts})"
        )
