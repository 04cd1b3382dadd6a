"""CustomerTable: customer master data (or raw channel profiles) as read-only columns."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._validation import as_1d, fmt
from custcentric.domain import Customer, LifecycleStage
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import record_list, scalar
from custcentric.tables._csv import CsvErrors
from custcentric.tables._table import Field, Schema, Table
from custcentric.typing import StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CustomerTable"]


def _first_duplicate(ids: StrArray) -> int | None:
    order = np.argsort(ids, kind="stable")
    ranked = ids[order]
    repeat = ranked[1:] == ranked[:-1]
    if not repeat.any():
        return None
    return int(order[1:][repeat].min())


def _text(name: str, doc: str) -> Field:
    return Field(name, "text", doc, required=False, default="", missing=True)


@attrs.frozen(eq=False)
class CustomerTable(Table):
    """Customers: one read-only array per field plus named attribute columns.

    Attributes
    ----------
    customer_id : ndarray of str
        Unique unless the table was built with ``unique_ids=False`` (raw channel profiles).
    name, email, phone : ndarray of str
        ``""`` where missing.
    birth_date : ndarray of datetime64[D]
        NaT where missing.
    lifecycle_stage : ndarray of str
        :class:`~custcentric.domain.LifecycleStage` values.
    attributes : dict of str to ndarray
        Extra columns of the same length (e.g. region, channel), read-only.
    unique_ids : bool
        Whether repeated customer ids are refused (also on :func:`attrs.evolve`).

    Examples
    --------
    >>> from custcentric.tables import CustomerTable
    >>> table = CustomerTable.from_arrays(["c1", "c2"], name=["Ada", ""],
    ...                                   attributes={"region": ["north", "west"]})
    >>> print(table)
    CustomerTable(2 customers, attributes: region)
    >>> table.lifecycle_stage.tolist(), table.attributes["region"].tolist()
    (['identify', 'identify'], ['north', 'west'])
    """

    _SCHEMA: ClassVar[Schema] = Schema(
        (
            Field(
                "customer_id",
                "id",
                "Non-empty text, unique unless unique_ids=False.",
                text_ids=True,
            ),
            _text("name", 'Text, "" where missing.'),
            _text("email", 'Text, "" where missing.'),
            _text("phone", 'Text, "" where missing.'),
            Field(
                "birth_date",
                "date",
                "datetime64[D], NaT where missing.",
                required=False,
                default="NaT",
                missing=True,
            ),
            Field(
                "lifecycle_stage",
                "enum",
                'A LifecycleStage value; all "identify" when omitted.',
                required=False,
                default=LifecycleStage.IDENTIFY.value,
                enum=LifecycleStage,
            ),
        ),
        "customers",
        extra="attributes",
    )

    customer_id: StrArray
    name: StrArray
    email: StrArray
    phone: StrArray
    birth_date: NDArray[np.datetime64]
    lifecycle_stage: StrArray
    attributes: Mapping[str, NDArray[Any]] = attrs.field(factory=dict)
    unique_ids: bool = attrs.field(default=True, kw_only=True)

    @classmethod
    def from_arrays(
        cls,
        customer_id: ArrayLike,
        *,
        name: ArrayLike | None = None,
        email: ArrayLike | None = None,
        phone: ArrayLike | None = None,
        birth_date: ArrayLike | None = None,
        lifecycle_stage: ArrayLike | None = None,
        attributes: Mapping[str, ArrayLike] | None = None,
        unique_ids: bool = True,
    ) -> CustomerTable:
        """Convert and check the columns and return the read-only table.

        Parameters
        ----------
        customer_id : array_like of str
            Non-empty; unique when ``unique_ids``.
        name, email, phone : array_like of str, optional
            ``""`` or None where missing; all missing when omitted.
        birth_date : array_like of dates, optional
            ISO strings, dates or datetime64; None, ``""`` or NaT where missing.
        lifecycle_stage : array_like of str, optional
            :class:`~custcentric.domain.LifecycleStage` values; all ``"identify"`` if omitted.
        attributes : mapping of str to array_like, optional
            Extra 1-D columns of the same length.
        unique_ids : bool
            Refuse repeated customer ids (default); pass False for raw profile records.

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty or repeated ids, bad dates or unknown stages.

        Examples
        --------
        >>> from custcentric.tables import CustomerTable
        >>> CustomerTable.from_arrays(["c1", "c2", "c1"])
        Traceback (most recent call last):
        ...
        custcentric.exceptions.InvalidInputError: `customer_id` must hold unique ids (index 2: 'c1').
        """
        return cls._new(
            customer_id,
            name,
            email,
            phone,
            birth_date,
            lifecycle_stage,
            {} if attributes is None else attributes,
            unique_ids=unique_ids,
        )

    def _extra_columns(self) -> dict[str, NDArray[Any]]:
        """Check the attribute columns: new non-empty names, 1-D (text kept as unicode)."""
        attributes: object = self.attributes  # any value may arrive through __init__
        if not isinstance(attributes, Mapping):
            msg = (
                f"`attributes` must be a mapping of column name to values (got {fmt(attributes)})."
            )
            raise InvalidInputError(msg)
        extra: dict[str, NDArray[Any]] = {}
        for key, values in attributes.items():
            if not isinstance(key, str) or not key or key in self._SCHEMA.names:
                msg = f"`attributes` keys must be new non-empty column names (got {key!r})."
                raise InvalidInputError(msg)
            column = as_1d(values, key)
            if column.dtype.kind == "O" and all(isinstance(v, str) for v in column.tolist()):
                column = column.astype(np.str_) if column.size else column.astype("<U1")
            extra[key] = column
        return extra

    def _check_rows(self, columns: Mapping[str, NDArray[Any]]) -> None:
        """Refuse repeated customer ids unless ``unique_ids`` is False."""
        if self.unique_ids:
            ids = columns["customer_id"]
            dup = _first_duplicate(ids)
            if dup is not None:
                msg = f"`customer_id` must hold unique ids (index {dup}: {str(ids[dup])!r})."
                raise InvalidInputError(msg)

    def _options(self) -> dict[str, Any]:
        return {"unique_ids": bool(self.unique_ids)}

    @classmethod
    def from_customers(cls, items: Iterable[Customer], *, unique_ids: bool = True) -> CustomerTable:
        """Build a table from domain :class:`~custcentric.domain.Customer` values.

        Customer attributes become attribute columns (``""`` where a customer lacks one, in
        which case the column holds text). ``channel_ids`` are not kept.

        Examples
        --------
        >>> from custcentric.domain import Customer
        >>> from custcentric.tables import CustomerTable
        >>> table = CustomerTable.from_customers([Customer(id="c1", attributes={"vip": True})])
        >>> table.customer(0).attributes["vip"]
        True
        """
        customers = record_list(items, "items")
        for index, item in enumerate(customers):
            if not isinstance(item, Customer):
                msg = f"`items` must hold Customer values (index {index}: {fmt(item)[:80]})."
                raise InvalidInputError(msg)
        keys = sorted({k for c in customers for k in c.attributes})
        attributes: dict[str, NDArray[Any]] = {}
        for key in keys:
            values = [c.attributes.get(key) for c in customers]
            if any(v is None for v in values):
                attributes[key] = np.array(["" if v is None else str(v) for v in values])
            else:
                attributes[key] = np.array(values)
        return cls.from_arrays(
            [c.id for c in customers],
            name=[c.name or "" for c in customers],
            email=[c.email or "" for c in customers],
            phone=[c.phone or "" for c in customers],
            birth_date=np.array([c.birth_date for c in customers], dtype=object),
            lifecycle_stage=[c.lifecycle_stage for c in customers],
            attributes=attributes,
            unique_ids=unique_ids,
        )

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any] | Customer], *, unique_ids: bool = True
    ) -> CustomerTable:
        """Build a table from mappings or :class:`~custcentric.domain.Customer` values.

        In mappings, the field names are keys and every other key becomes an attribute.

        Examples
        --------
        >>> from custcentric.tables import CustomerTable
        >>> t = CustomerTable.from_records([{"customer_id": "c1", "region": "north"}])
        >>> t.attributes["region"].tolist()
        ['north']
        """
        items = record_list(records)
        customers = [item for item in items if isinstance(item, Customer)]
        if items and len(customers) == len(items):
            return cls.from_customers(customers, unique_ids=unique_ids)
        maps = [item for item in items if isinstance(item, Mapping)]
        for index, item in enumerate(items):
            if not isinstance(item, Mapping) or "customer_id" not in item:
                msg = (
                    f"`records`: record {index} must be a mapping with key `customer_id` "
                    f"(got {fmt(item)[:80]})."
                )
                raise InvalidInputError(msg)
        fields = cls._SCHEMA.names
        extra = sorted({k for r in maps for k in r if k not in fields})
        columns = {f: [r.get(f) for r in maps] for f in fields}
        stages = columns["lifecycle_stage"]
        return cls.from_arrays(
            np.array(columns["customer_id"], dtype=object),
            name=np.array(columns["name"], dtype=object),
            email=np.array(columns["email"], dtype=object),
            phone=np.array(columns["phone"], dtype=object),
            birth_date=np.array(columns["birth_date"], dtype=object),
            lifecycle_stage=None
            if all(s is None for s in stages)
            else [LifecycleStage.IDENTIFY.value if s is None else s for s in stages],
            attributes={k: np.array([r.get(k, "") for r in maps]) for k in extra},
            unique_ids=unique_ids,
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
        unique_ids: bool = ...,
        names: Sequence[str] | None = ...,
        errors: Literal["raise"] = ...,
    ) -> CustomerTable: ...

    @overload
    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = ...,
        date_format: str | None = ...,
        delimiter: str | None = ...,
        unique_ids: bool = ...,
        names: Sequence[str] | None = ...,
        errors: Literal["report"],
    ) -> tuple[CustomerTable, CsvErrors]: ...

    @classmethod
    def read_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        delimiter: str | None = ",",
        unique_ids: bool = True,
        names: Sequence[str] | None = None,
        errors: Literal["raise", "report"] = "raise",
    ) -> CustomerTable | tuple[CustomerTable, CsvErrors]:
        r"""Read a table from CSV; headers other than the field names become attributes.

        Attribute columns hold text; ``.gz`` files are decompressed transparently.

        ``date_format`` applies to ``birth_date``; empty cells mean missing. Customer ids are
        always text here (``"007"`` stays ``"007"``). See :meth:`TransactionLog.read_csv` for
        ``columns`` (either direction), ``delimiter``, ``names`` (a file without a header
        line) and ``errors`` (``"report"`` returns ``(table, CsvErrors)``).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from custcentric.tables import CustomerTable
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
        >>> _ = path.write_text("customer_id,birth_date,region\nc1,1980-02-29,west\nc2,,east\n")
        >>> t = CustomerTable.read_csv(path)
        >>> t.birth_date.tolist()[1], t.attributes["region"].tolist()
        (None, ['west', 'east'])
        """
        return cls._read_csv(
            path,
            columns=columns,
            delimiter=delimiter,
            names=names,
            errors=errors,
            date_format=date_format,
            unique_ids=unique_ids,
        )

    @classmethod
    def from_pandas(
        cls,
        frame: pd.DataFrame,
        *,
        columns: Mapping[str, str] | None = None,
        unique_ids: bool = True,
    ) -> CustomerTable:
        """Build a table from a DataFrame; other columns become attributes (``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import CustomerTable
        >>> t = CustomerTable.from_arrays(["c1"], attributes={"region": ["north"]})
        >>> CustomerTable.from_pandas(t.to_pandas()).attributes["region"].tolist()
        ['north']
        """
        return cls._from_frame(frame, columns, unique_ids=unique_ids)

    def customer(self, i: int) -> Customer:
        """Return row ``i`` as a :class:`~custcentric.domain.Customer`.

        Empty text attributes are left out of ``Customer.attributes``.

        Examples
        --------
        >>> from custcentric.tables import CustomerTable
        >>> CustomerTable.from_arrays(["c1"], email=["a@b.example"]).customer(0).email
        'a@b.example'
        """
        from custcentric.domain import Customer

        birth = self.birth_date[i]
        attributes = {
            k: scalar(v[i])
            for k, v in self.attributes.items()
            if not (v.dtype.kind == "U" and v[i] == "")
        }
        return Customer(
            id=str(self.customer_id[i]),
            name=str(self.name[i]) or None,
            email=str(self.email[i]) or None,
            phone=str(self.phone[i]) or None,
            birth_date=None if np.isnat(birth) else birth,
            lifecycle_stage=LifecycleStage(str(self.lifecycle_stage[i])),
            attributes=attributes,
        )

    def _describe(self) -> list[str]:
        return [f"attributes: {', '.join(self.attributes) or 'none'}"]
