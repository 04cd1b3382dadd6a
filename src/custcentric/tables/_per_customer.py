"""PerCustomer: one number per customer, keyed by the ids it was computed for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import import_pandas
from custcentric._validation import as_float_array, check_equal_length, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import as_id_array, frozen
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PerCustomer", "positions_of", "rows_for"]


def _ids(values: ArrayLike) -> NDArray[Any]:
    return frozen(as_id_array(values, "customer_id"))


def _values(values: ArrayLike) -> FloatArray:
    return frozen(as_float_array(values, "values", label="customer"))


def positions_of(customer_id: NDArray[Any], wanted: NDArray[Any], name: str) -> NDArray[np.intp]:
    """Return the positions of the ids ``wanted`` in ``customer_id``, naming an unknown id.

    Vectorised (one sort and one binary search); ``name`` is the argument the ids came in.
    """
    index = np.zeros(wanted.size, dtype=np.intp)
    if not wanted.size:
        return index
    order = np.argsort(customer_id, kind="stable")
    ranked = customer_id[order]
    found = np.zeros(wanted.size, dtype=bool)
    if ranked.size and (wanted.dtype.kind == "i") == (ranked.dtype.kind == "i"):
        pos = np.minimum(np.searchsorted(ranked, wanted), ranked.size - 1)
        found = ranked[pos] == wanted
        index = order[pos]
    if not found.all():
        bad = int(np.flatnonzero(~found)[0])
        msg = f"`{name}` must hold ids of the customers (index {bad}: {fmt(wanted[bad])})."
        raise InvalidInputError(msg)
    return index


def rows_for(customer_id: NDArray[Any], mask_or_ids: ArrayLike) -> NDArray[np.intp]:
    """Return the row positions picked by a boolean mask (table order) or by ids (order given).

    The one rule behind every ``select(mask_or_ids)``: a boolean array of the table's length
    is a mask; anything else is customer ids, each of which must be present.
    """
    raw = np.asarray(mask_or_ids)
    if raw.dtype == bool:
        if raw.ndim != 1 or raw.size != customer_id.size:
            msg = (
                f"`mask_or_ids` as a mask must have length {customer_id.size} "
                f"(got shape {raw.shape})."
            )
            raise InvalidInputError(msg)
        index: NDArray[np.intp] = np.flatnonzero(raw)
        return index
    return positions_of(customer_id, as_id_array(raw, "mask_or_ids"), "mask_or_ids")


@attrs.frozen(kw_only=True, eq=False)
class PerCustomer:
    """One number per customer, keyed by the customer ids it was computed for.

    What the value models return when they are given a table (a
    :class:`~custcentric.tables.CustomerSummary` or a DataFrame with its columns):
    P(alive), expected purchases, expected spend, lifetime value. The ids travel with the
    numbers, so a join never relies on row order; :meth:`to_pandas` gives a Series indexed by
    them, and NumPy sees the values directly (``np.asarray(result)``, ``np.sum(result)``).

    Attributes
    ----------
    customer_id : ndarray of int64 or str
        One id per customer, read-only.
    values : ndarray of float64
        One number per customer, in the order of ``customer_id``, read-only.
    name : str
        What the numbers are (``"probability_alive"``, ``"clv"``, ...): the Series name.
    unit : str
        What they are counted in: ``"probability"``, ``"purchases"``, ``"currency"``, or a
        time unit.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables import PerCustomer
    >>> clv = PerCustomer(customer_id=["a", "b"], values=[10.0, 30.0], name="clv",
    ...                   unit="currency")
    >>> float(np.sum(clv)), clv.total
    (40.0, 40.0)
    >>> clv.select(["b"]).values.tolist()
    [30.0]
    >>> print(clv)
    clv (currency) for 2 customers: total 40, mean 20, median 20, min 10, max 30
    """

    customer_id: NDArray[Any] = attrs.field(converter=_ids)
    values: FloatArray = attrs.field(converter=_values)
    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    unit: str = attrs.field(validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        check_equal_length({"customer_id": self.customer_id, "values": self.values})

    def __len__(self) -> int:
        return int(self.values.size)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> FloatArray:
        # NumPy's protocol: the values, read-only unless a copy (or another dtype) is asked.
        if copy or (dtype is not None and np.dtype(dtype) != self.values.dtype):
            out: FloatArray = np.array(self.values, dtype=dtype)
            return out
        return self.values

    @property
    def total(self) -> float:
        """The sum over customers."""
        return float(self.values.sum())

    def select(self, mask_or_ids: ArrayLike) -> PerCustomer:
        """Return the customers picked by a boolean mask or by their ids (in the order given).

        Raises
        ------
        InvalidInputError
            For a mask of the wrong length or an id that is not here.

        Examples
        --------
        >>> from custcentric.tables import PerCustomer
        >>> p = PerCustomer(customer_id=[7, 8], values=[0.5, 0.9], name="p", unit="probability")
        >>> p.select(p.values > 0.6).customer_id.tolist()
        [8]
        """
        index = rows_for(self.customer_id, mask_or_ids)
        return attrs.evolve(self, customer_id=self.customer_id[index], values=self.values[index])

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a strict-JSON dict (the values are finite by construction).

        Examples
        --------
        >>> from custcentric.tables import PerCustomer
        >>> PerCustomer(customer_id=[1], values=[2.5], name="clv", unit="currency").to_dict()
        {'name': 'clv', 'unit': 'currency', 'customer_id': [1], 'values': [2.5]}
        """
        return {
            "name": self.name,
            "unit": self.unit,
            "customer_id": self.customer_id.tolist(),
            "values": self.values.tolist(),
        }

    def to_pandas(self) -> pd.Series:
        """Return a Series of the values indexed by ``customer_id`` (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.tables import PerCustomer
        >>> s = PerCustomer(customer_id=["a"], values=[1.0], name="clv", unit="currency")
        >>> s.to_pandas().to_dict()
        {'a': 1.0}
        """
        pandas = import_pandas()
        index = pandas.Index(np.array(self.customer_id), name="customer_id")
        series: pd.Series = pandas.Series(np.array(self.values), index=index, name=self.name)
        return series

    @classmethod
    def from_pandas(cls, series: pd.Series, *, unit: str) -> PerCustomer:
        """Build from a Series indexed by customer id (as :meth:`to_pandas` writes it).

        Examples
        --------
        >>> import pandas as pd
        >>> from custcentric.tables import PerCustomer
        >>> s = pd.Series([1.0], index=pd.Index(["a"], name="customer_id"), name="clv")
        >>> PerCustomer.from_pandas(s, unit="currency").customer_id.tolist()
        ['a']
        """
        pandas = import_pandas()
        if not isinstance(series, pandas.Series):
            msg = f"`series` must be a pandas Series (got {type(series).__name__})."
            raise InvalidInputError(msg)
        name = "values" if series.name is None else str(series.name)
        ids = series.index.to_numpy(dtype=object)
        # Checked here so that a bad value names the argument the caller passed.
        values = as_float_array(series.to_numpy(), "series", label="customer")
        return cls(customer_id=ids, values=values, name=name, unit=unit)

    def __str__(self) -> str:
        head = f"{self.name} ({self.unit}) for {len(self):,} customers"
        if not len(self):
            return head
        v = self.values
        stats = (
            f"total {v.sum():,.4g}, mean {v.mean():,.4g}, median {np.median(v):,.4g}, "
            f"min {v.min():,.4g}, max {v.max():,.4g}"
        )
        return f"{head}: {stats}"
