"""One way to deprecate: a warning that names the replacement and the release that removes it."""

from __future__ import annotations

import warnings
from typing import TypeVar

from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError

T = TypeVar("T")

__all__ = ["renamed_argument", "warn_deprecated"]

#: The release that deprecates what this one renames, and the one that removes it.
SINCE = "0.1"
REMOVED_IN = "0.2"


def warn_deprecated(
    old: str, new: str, *, since: str, removed_in: str, stacklevel: int = 3
) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``.

    Parameters
    ----------
    old, new : str
        What the caller used and what to use instead, as the user would write them
        (e.g. ``"`recency=`"`` and ``"`time_since_last=`"``).
    since, removed_in : str
        The release that deprecated it and the one that will remove it.
    stacklevel : int, default 3
        Points the warning at the caller of the deprecated public function.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_deprecated("`recency=`", "`time_since_last=`", since="0.2", removed_in="0.3")
    >>> print(caught[0].message)
    `recency=` is deprecated since custcentric 0.2 and will be removed in 0.3; use `time_since_last=` instead.
    """
    msg = (
        f"{old} is deprecated since custcentric {since} and will be removed in {removed_in}; "
        f"use {new} instead."
    )
    warnings.warn(msg, CustcentricDeprecationWarning, stacklevel=stacklevel)


def renamed_argument(new_value: T, old_value: T | None, *, new: str, old: str) -> T | None:
    """Return the value of a renamed argument, warning when the caller used the old name.

    Giving both names is refused: the caller meant one of them, and guessing which would be a
    silent choice.

    Examples
    --------
    >>> import warnings
    >>> renamed_argument("2024-01-10", None, new="observation_end", old="as_of")
    '2024-01-10'
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     renamed_argument(None, "2024-01-10", new="observation_end", old="as_of")
    '2024-01-10'
    >>> print(caught[0].message)
    `as_of=` is deprecated since custcentric 0.1 and will be removed in 0.2; use `observation_end=` instead.
    """
    if old_value is None:
        return new_value
    if new_value is not None:
        msg = f"pass `{new}=` only (`{old}=` is its deprecated name), not both."
        raise InvalidInputError(msg)
    warn_deprecated(f"`{old}=`", f"`{new}=`", since=SINCE, removed_in=REMOVED_IN, stacklevel=4)
    return old_value
