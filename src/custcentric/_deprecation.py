"""One way to deprecate: a warning that names the replacement and the release that removes it."""

from __future__ import annotations

import warnings

from custcentric.exceptions import CustcentricDeprecationWarning

__all__ = ["warn_deprecated"]


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
