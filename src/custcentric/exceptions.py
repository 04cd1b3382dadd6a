"""Exceptions and warnings raised by custcentric.

Every error the library raises on purpose is a :class:`CustcentricError`, and each class
also subclasses the builtin exception a user would naturally catch, so that
``except ValueError`` keeps working for code that does not know this library::

    CustcentricError (Exception)
    ├── InvalidInputError (ValueError)          an argument breaks a documented rule
    │   └── DataFormatError                     a file's row, line or column cannot be read
    ├── NotFittedError (ValueError, AttributeError)
    │                                           a model was used before it was fitted
    ├── ConvergenceError (RuntimeError)         an optimiser gave up; nothing usable remains
    └── MissingDependencyError (ImportError)    an optional extra (such as pandas) is absent

    CustcentricWarning (UserWarning)
    ├── DegenerateDataWarning                   the result is usable but rests on thin data
    ├── ConvergenceWarning                      an optimiser stopped early; check the result
    └── CustcentricDeprecationWarning (FutureWarning)
                                                a name or argument will go; the message
                                                names its replacement

Messages name the argument, the rule and what came in, with the offending index, for
example ``"`recency` must not exceed `T` (customer 17: 41.0 > 39.0)."``.

Examples
--------
>>> from custcentric.exceptions import InvalidInputError
>>> try:
...     raise InvalidInputError("`amount` must be non-negative (index 3: -1.0).")
... except ValueError as error:
...     print(error)
`amount` must be non-negative (index 3: -1.0).
"""

from __future__ import annotations

__all__ = [
    "ConvergenceError",
    "ConvergenceWarning",
    "CustcentricDeprecationWarning",
    "CustcentricError",
    "CustcentricWarning",
    "DataFormatError",
    "DegenerateDataWarning",
    "InvalidInputError",
    "MissingDependencyError",
    "NotFittedError",
]


class CustcentricError(Exception):
    """Base class of every error custcentric raises on purpose."""


class InvalidInputError(CustcentricError, ValueError):
    """An argument breaks a documented rule (type, shape, range, ordering, vocabulary)."""


class DataFormatError(InvalidInputError):
    """A file could not be read: the message and attributes say where.

    Parameters
    ----------
    message : str
        What is wrong, in words.
    path : str, optional
        The file that was being read.
    line : int, optional
        The 1-based line number in that file.
    column : str, optional
        The column (field) name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        where = []
        if path is not None:
            where.append(f"file {path!r}")
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full)
        self.path = path
        self.line = line
        self.column = column


class NotFittedError(CustcentricError, ValueError, AttributeError):
    """A model or estimator was used before it was fitted."""


class ConvergenceError(CustcentricError, RuntimeError):
    """A numerical procedure failed to converge and no usable result remains."""


class MissingDependencyError(CustcentricError, ImportError):
    """An optional dependency is needed; the message names the extra to install."""


class CustcentricWarning(UserWarning):
    """Base class of every warning custcentric emits."""


class DegenerateDataWarning(CustcentricWarning):
    """The result is usable but rests on degenerate or very thin data."""


class ConvergenceWarning(CustcentricWarning):
    """An optimiser stopped before its convergence criterion; inspect the result."""


class CustcentricDeprecationWarning(CustcentricWarning, FutureWarning):
    """A name, argument or behaviour is deprecated; the message names what replaces it.

    A deprecated name keeps working, with this warning, for at least one minor release before
    it is removed (see the stability policy in the documentation). It is a ``FutureWarning``,
    so Python shows it to the users of a program by default, not only to its developers.
    """
