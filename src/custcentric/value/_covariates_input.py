"""Checked covariate matrices for the purchase models with covariates.

A covariate matrix has one row per customer and one column per covariate. It may be a 2-D
array (a 1-D array is one column), or a pandas DataFrame whose column labels are the covariate
names. Every rule names the argument, the column and, for a bad value, the customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from custcentric._validation import fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = ["check_constant_and_collinear", "covariate_matrix", "names_for"]

_COLLINEAR_TOLERANCE = 1e-10  # residual share of a standardised column's variance


def _is_frame(value: object) -> bool:
    return type(value).__module__.startswith("pandas") and hasattr(value, "columns")


def _customer(ids: Any, i: int) -> str:
    if ids is None:
        return f"customer {i}"
    return f"customer {i} (id {fmt(ids[i])})"


def names_for(
    covariate_names: Sequence[str] | Mapping[str, Sequence[str]] | None, process: str
) -> tuple[str, ...] | None:
    """Return the names given for ``process`` ("purchase" or "dropout"), or None."""
    if covariate_names is None:
        return None
    if isinstance(covariate_names, Mapping):
        unknown = set(covariate_names) - {"purchase", "dropout"}
        if unknown:
            msg = (
                '`covariate_names` as a mapping may only have the keys "purchase" and '
                f'"dropout" (got {", ".join(sorted(map(repr, unknown)))}).'
            )
            raise InvalidInputError(msg)
        chosen = covariate_names.get(process)
        return None if chosen is None else tuple(str(n) for n in chosen)
    if isinstance(covariate_names, str):
        msg = "`covariate_names` must be a sequence of names (or a mapping), not one string."
        raise InvalidInputError(msg)
    return tuple(str(n) for n in covariate_names)


def covariate_matrix(
    values: Any,
    name: str,
    n: int,
    *,
    names: tuple[str, ...] | None = None,
    expected: tuple[str, ...] | None = None,
    ids: Any = None,
) -> tuple[FloatArray, tuple[str, ...]]:
    """Return a checked ``(n, k)`` float64 matrix and its column names.

    ``names`` are names given by the caller for an array (a DataFrame brings its own);
    ``expected`` are the names a fitted model needs, in its order: a DataFrame is then
    reordered to them and an array must have exactly that many columns.
    """
    if _is_frame(values):
        columns = tuple(str(c) for c in values.columns)
        if expected is not None:
            missing = [c for c in expected if c not in columns]
            if missing:
                msg = (
                    f"`{name}` lacks the covariate column {missing[0]!r} the model was fitted "
                    f"with (it has {', '.join(map(repr, columns)) or 'no columns'})."
                )
                raise InvalidInputError(msg)
            position = {c: j for j, c in enumerate(columns)}
            values = values.iloc[:, [position[c] for c in expected]]
            columns = expected
        raw = np.empty((len(values), len(columns)), dtype=np.float64)
        for j, column in enumerate(columns):  # a loop over columns, not customers
            col = values.iloc[:, j].to_numpy()
            if col.dtype.kind not in "iuf" or col.dtype == np.bool_:
                msg = (
                    f"`{name}` column {column!r} must hold numbers (got dtype {col.dtype}); "
                    "encode categories as 0/1 columns."
                )
                raise InvalidInputError(msg)
            raw[:, j] = col
        given = columns
    else:
        try:
            raw = np.asarray(values)
        except (TypeError, ValueError) as error:
            msg = f"`{name}` must be a numeric array or a DataFrame ({error})."
            raise InvalidInputError(msg) from None
        if raw.dtype == np.bool_ or raw.dtype.kind not in "iuf":
            msg = (
                f"`{name}` must hold numbers (got dtype {raw.dtype}); encode categories "
                "as 0/1 columns."
            )
            raise InvalidInputError(msg)
        if raw.ndim == 1:
            raw = raw.reshape(-1, 1)
        if raw.ndim != 2:
            msg = f"`{name}` must be a matrix: one row per customer (got {raw.ndim} dimensions)."
            raise InvalidInputError(msg)
        raw = raw.astype(np.float64)
        k = raw.shape[1]
        if expected is not None:
            given = expected
        elif names is not None:
            given = names
        else:
            given = tuple(f"z{j}" for j in range(k))
        if len(given) != k:
            what = "the model's covariates" if expected is not None else "`covariate_names`"
            msg = (
                f"`{name}` must have one column per name of {what} "
                f"({k} columns, {len(given)} names: {', '.join(given)})."
            )
            raise InvalidInputError(msg)
    if len(set(given)) != len(given):
        twice = next(c for c in given if given.count(c) > 1)
        msg = f"`{name}`: the covariate name {twice!r} appears twice."
        raise InvalidInputError(msg)
    if raw.shape[0] != n:
        msg = f"`{name}` must have one row per customer ({raw.shape[0]} rows, {n} customers)."
        raise InvalidInputError(msg)
    finite = np.isfinite(raw)
    if not finite.all():
        i, j = (int(v) for v in np.argwhere(~finite)[0])
        msg = (
            f"`{name}` must be finite: column {given[j]!r}, {_customer(ids, i)} has "
            f"{fmt(raw[i, j])}."
        )
        raise InvalidInputError(msg)
    return raw, given


def check_constant_and_collinear(z: FloatArray, names: tuple[str, ...], name: str) -> None:
    """Refuse a constant column, or one that is a linear combination of the others.

    The baseline parameters (``alpha``, ``a``, ``b``, ``beta``) act as the intercept, so a
    constant column is not identified; nor is a collinear one.
    """
    if z.shape[1] == 0:
        return
    low, high = z.min(axis=0), z.max(axis=0)
    constant = low == high
    if constant.any():
        j = int(np.flatnonzero(constant)[0])
        msg = (
            f"`{name}` column {names[j]!r} is constant ({fmt(low[j])} for every customer): "
            "the baseline parameter already is the intercept, so its coefficient is not "
            "identified; drop the column."
        )
        raise InvalidInputError(msg)
    centred = z - z.mean(axis=0)
    scaled = centred / np.sqrt((centred**2).mean(axis=0))
    gram = scaled.T @ scaled / z.shape[0]  # the correlation matrix, k x k
    for j in range(1, z.shape[1]):  # a loop over columns, not customers
        head = gram[:j, :j]
        cross = gram[:j, j]
        residual = 1.0 - float(cross @ np.linalg.lstsq(head, cross, rcond=None)[0])
        if residual < _COLLINEAR_TOLERANCE:
            others = ", ".join(repr(c) for c in names[:j])
            msg = (
                f"`{name}` column {names[j]!r} is collinear with the columns before it "
                f"({others}): a linear combination of them, so the coefficients are not "
                "identified; drop one."
            )
            raise InvalidInputError(msg)
