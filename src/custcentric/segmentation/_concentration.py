"""Concentration of value: Lorenz curve, Gini coefficient and the share held by the top k %."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import as_float_array, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Concentration", "concentration"]


def _share_of_top(lorenz_x: FloatArray, lorenz_y: FloatArray, top: float) -> float:
    return float(1.0 - np.interp(1.0 - top, lorenz_x, lorenz_y))


@attrs.frozen(kw_only=True, eq=False)
class Concentration(Result):
    """How unequally value is spread over customers.

    Attributes
    ----------
    n_customers : int
        The number of customers.
    gini : float
        The Gini coefficient, 0 (all equal) to :math:`1 - 1/n` (one customer holds all).
    lorenz_x : ndarray of float64
        The share of customers, :math:`0, 1/n, ..., 1` (customers ascending by value).
    lorenz_y : ndarray of float64
        The share of value held by the poorest ``lorenz_x`` of customers.
    top : tuple of float
        The top shares of customers reported in ``top_shares``.
    top_shares : ndarray of float64
        The share of value held by the top ``top[j]`` of customers.

    Examples
    --------
    >>> from custcentric.segmentation import concentration
    >>> c = concentration([1, 2, 3, 4, 10], top=(0.2, 0.4))
    >>> c.gini, c.top_shares.tolist(), c.lorenz_y.tolist()
    (0.4, [0.5, 0.7], [0.0, 0.05, 0.15, 0.3, 0.5, 1.0])
    """

    n_customers: int
    gini: float
    lorenz_x: FloatArray = attrs.field(converter=read_only)
    lorenz_y: FloatArray = attrs.field(converter=read_only)
    top: tuple[float, ...]
    top_shares: FloatArray = attrs.field(converter=read_only)

    def top_share(self, share: float) -> float:
        """Return the share of value held by the top ``share`` of customers (in [0, 1]).

        Between whole customers the Lorenz curve is interpolated linearly.
        """
        p = check_number(share, "share", low=0, high=1)
        return _share_of_top(self.lorenz_x, self.lorenz_y, p)

    def to_dict(self) -> dict[str, Any]:
        """Return the Gini coefficient and the top shares as plain data (no Lorenz curve)."""
        data: dict[str, Any] = jsonable(
            {
                "n_customers": self.n_customers,
                "gini": self.gini,
                "top_shares": {
                    f"{t:g}": float(s) for t, s in zip(self.top, self.top_shares, strict=True)
                },
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return the Lorenz curve: ``customer_share`` and ``value_share``, one row per point."""
        return make_frame({"customer_share": self.lorenz_x, "value_share": self.lorenz_y})

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        tops = ", ".join(
            f"top {100 * t:g} % hold {100 * s:.1f} %"
            for t, s in zip(self.top, self.top_shares, strict=True)
        )
        return f"Concentration({self.n_customers} customers, Gini {self.gini:.3f}; {tops})"


def concentration(
    values: ArrayLike,
    *,
    top: Sequence[float] = (0.01, 0.05, 0.1, 0.2),
) -> Concentration:
    r"""Measure how concentrated value is: Lorenz curve, Gini and top-k % shares.

    Parameters
    ----------
    values : array_like of float
        One non-negative value per customer, not all zero.
    top : sequence of float, default (0.01, 0.05, 0.1, 0.2)
        Shares of customers (in (0, 1]) whose share of value to report.

    Returns
    -------
    Concentration

    Raises
    ------
    InvalidInputError
        For no customers, a NaN, infinite or negative value, or values that are all zero.

    Notes
    -----
    With values sorted ascending, :math:`x_{(1)} \le \dots \le x_{(n)}`, the Lorenz curve joins
    :math:`(i/n, \sum_{j \le i} x_{(j)} / \sum x)` and

    .. math:: G = \frac{\sum_{i=1}^{n} (2i - n - 1)\, x_{(i)}}{n \sum_i x_i}.

    The top-:math:`p` share is :math:`1 - L(1 - p)`, with :math:`L` the Lorenz curve
    interpolated linearly between whole customers.

    References
    ----------
    C. Gini (1912), *Variabilità e mutabilità*.

    Examples
    --------
    >>> from custcentric.segmentation import concentration
    >>> c = concentration([1, 2, 3, 4, 10])
    >>> round(c.gini, 2)
    0.4
    >>> round(c.top_share(0.2), 3)
    0.5
    """
    array = as_float_array(values, "values", non_negative=True, label="customer")
    if array.size == 0:
        msg = "`values` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    tops = tuple(
        check_number(t, f"top[{i}]", low=0, high=1, low_inclusive=False) for i, t in enumerate(top)
    )
    ordered = np.sort(array)
    if ordered[-1] <= 0:
        msg = "`values` must not all be zero (the total value is 0)."
        raise InvalidInputError(msg)
    # Shares do not depend on the unit: divide by the largest value (a power of two near
    # it, exact) so that the total cannot overflow for values up to the float64 maximum.
    ordered = ordered / np.ldexp(1.0, min(int(np.frexp(ordered[-1])[1]), 1023))
    total = float(ordered.sum())
    n = ordered.size
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    gini = float(weights @ ordered / (n * total))
    lorenz_x = np.arange(n + 1) / n
    lorenz_y = np.concatenate(([0.0], np.cumsum(ordered) / total))
    lorenz_y[-1] = 1.0
    shares = np.array([_share_of_top(lorenz_x, lorenz_y, t) for t in tops], dtype=np.float64)
    return Concentration(
        n_customers=n,
        gini=gini,
        lorenz_x=lorenz_x,
        lorenz_y=lorenz_y,
        top=tops,
        top_shares=shares,
    )
