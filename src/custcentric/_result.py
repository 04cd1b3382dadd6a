"""The result base: one way to print, store and tabulate what a public function returns.

Every analytic part returns frozen attrs values. :class:`Result` gives them the same three
faces from their declared fields, so a part writes only what is particular to it:

- ``str(result)`` is :meth:`Result.summary`, the text a person reads;
- :meth:`Result.to_dict` is strict JSON (no NaN, no infinity: a non-finite float becomes
  ``None``), built field by field: arrays become lists, enums their values, nested results and
  intervals their own ``to_dict``, instants ISO 8601 text;
- :meth:`Result.to_pandas` is a DataFrame (pandas imported only then): one row per element of
  the equal-length array fields a class names in ``_columns``, else one row of the scalar
  fields.

:func:`array_field` declares an array attribute that is stored read-only, so a "frozen"
result cannot be changed through its arrays either.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._pandas import make_frame
from custcentric.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Result", "array_field", "jsonable", "read_only"]


def read_only(values: Any) -> NDArray[Any]:
    """Return the values as a read-only array, copying unless it already owns read-only data.

    The caller's array is never frozen and can never change the result afterwards.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([1.0, 2.0])
    >>> b = read_only(a)
    >>> b.flags.writeable, a.flags.writeable
    (False, True)
    """
    array = np.asarray(values)
    if array.base is None and not array.flags.writeable:
        return array
    array = array.copy()
    array.flags.writeable = False
    return array


def array_field(**kwargs: Any) -> Any:
    """Declare an attrs field whose array is stored read-only (see :func:`read_only`).

    Examples
    --------
    >>> import attrs
    >>> @attrs.frozen
    ... class Curve:
    ...     y: np.ndarray = array_field()
    >>> Curve(np.zeros(2)).y.flags.writeable
    False
    """
    converter = kwargs.pop("converter", None)
    if converter is None:
        return attrs.field(converter=read_only, **kwargs)
    return attrs.field(converter=attrs.converters.pipe(converter, read_only), **kwargs)


def jsonable(value: Any) -> Any:
    """Return ``value`` as strict-JSON data (``json.dumps(..., allow_nan=False)`` accepts it).

    Non-finite floats become ``None``; arrays become (nested) lists; enums their value;
    anything with a ``to_dict`` its dictionary; ``datetime64`` and ``datetime`` ISO 8601 text;
    mappings dictionaries with text keys; tuples and lists lists.

    Examples
    --------
    >>> import numpy as np
    >>> jsonable({"a": np.array([1.0, np.nan]), "b": np.int64(3)})
    {'a': [1.0, None], 'b': 3}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(np.datetime_as_string(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, np.timedelta64):
        return jsonable(value.astype("timedelta64[ns]").astype(np.int64) / 1e9)
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            text = np.datetime_as_string(value).tolist()
            missing = np.isnat(value).tolist()
            return _nested_none(text, missing)
        return [jsonable(v) for v in value.tolist()] if value.ndim else jsonable(value.item())
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    msg = f"cannot write a value of type {type(value).__name__} as JSON: {value!r:.80}"
    raise InvalidInputError(msg)


class Result:
    """The base of the library's result values (frozen attrs classes).

    A subclass declares its fields with attrs and writes :meth:`summary`; it may name in
    ``_columns`` the equal-length 1-D array fields that make its table. It inherits
    ``__str__``, :meth:`to_dict` and :meth:`to_pandas`, and may override either when its data
    need another shape.

    Examples
    --------
    >>> import attrs, numpy as np
    >>> @attrs.frozen(kw_only=True)
    ... class Counts(Result):
    ...     _columns = ("label", "count")
    ...     label: np.ndarray = array_field()
    ...     count: np.ndarray = array_field()
    ...     def summary(self) -> str:
    ...         return f"{self.count.sum()} items in {self.label.size} groups"
    >>> c = Counts(label=np.array(["a", "b"]), count=np.array([3, 4]))
    >>> print(c)
    7 items in 2 groups
    >>> c.to_dict()
    {'label': ['a', 'b'], 'count': [3, 4]}
    """

    _columns: ClassVar[tuple[str, ...]] = ()

    def summary(self) -> str:
        """Return the result as text a person reads (one line, or a small table)."""
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r:.40}" for f in _fields(self) if f.repr
        )
        return f"{type(self).__name__}({fields})"

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """Return the result as strict-JSON data, one key per field (non-finite → ``None``).

        Examples
        --------
        >>> import attrs
        >>> @attrs.frozen
        ... class Share(Result):
        ...     value: float
        >>> Share(float("nan")).to_dict()
        {'value': None}
        """
        return {f.name.lstrip("_"): jsonable(getattr(self, f.name)) for f in _fields(self)}

    def to_pandas(self) -> pd.DataFrame:
        """Return the result as a DataFrame (needs the ``pandas`` extra).

        One row per element of the ``_columns`` arrays when the class names them, else one
        row of the scalar fields.

        Examples
        --------
        >>> import attrs
        >>> @attrs.frozen
        ... class Share(Result):
        ...     value: float
        >>> Share(0.5).to_pandas()
           value
        0    0.5
        """
        if self._columns:
            return make_frame({name: np.asarray(getattr(self, name)) for name in self._columns})
        scalars = {
            f.name.lstrip("_"): np.asarray([getattr(self, f.name)])
            for f in _fields(self)
            if _is_scalar(getattr(self, f.name))
        }
        return make_frame(scalars)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(
        value, (bool, int, float, str, enum.Enum, np.generic, dt.date)
    )


def _fields(result: Result) -> tuple[attrs.Attribute[Any], ...]:
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(type(result))  # type: ignore[arg-type]
    return fields


def _nested_none(text: Any, missing: Any) -> Any:
    """Return ``text`` (nested lists of ISO strings) with ``None`` where ``missing`` is True."""
    if isinstance(text, list):
        return [_nested_none(t, m) for t, m in zip(text, missing, strict=True)]
    return None if missing else text
