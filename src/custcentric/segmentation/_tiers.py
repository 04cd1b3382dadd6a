"""Value tiers by customer count (top 20 %, next 30 %, rest) and ABC classes by cumulative value."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._stats import json_float
from custcentric._validation import as_1d, as_float_array, check_number, first_true, fmt
from custcentric.domain import Segment
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._segmentation import Segmentation
from custcentric.tables import PerCustomer
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ValueTiers", "abc_classes", "value_tiers"]


@attrs.frozen(kw_only=True, eq=False)
class ValueTiers(Result):
    """Customers in value tiers, with how much of the value each tier holds.

    Attributes
    ----------
    segmentation : Segmentation
        Each customer's tier as a :class:`~custcentric.domain.Segment` (``tier_rank`` 1 is
        the most valuable tier).
    method : {"count", "abc"}
        ``"count"``: tiers by share of customers (:func:`value_tiers`); ``"abc"``: classes
        by cumulative share of value (:func:`abc_classes`).
    thresholds : ndarray of float64
        One cut per tier boundary: a customer is in tier ``k`` or better when its value is
        at least ``thresholds[k - 1]`` (``inf`` when that tier and those above are empty;
        :meth:`to_dict` writes such a bound as ``None``, as JSON has no infinity).
    value_total : ndarray of float64
        The sum of the values in each tier.
    value_share : ndarray of float64
        ``value_total`` over the total value (zeros when the total is not positive).
    customer_share : ndarray of float64
        The share of customers in each tier.

    Examples
    --------
    >>> from custcentric.segmentation import value_tiers
    >>> tiers = value_tiers([50, 10, 5, 400, 20, 1, 3, 80, 2, 30])
    >>> tiers.sizes.tolist(), tiers.thresholds.tolist()
    ([2, 3, 5], [80.0, 20.0])
    >>> tiers.to_dict()["tiers"][0]["value_total"]
    480.0
    """

    segmentation: Segmentation
    method: str
    thresholds: FloatArray = attrs.field(converter=read_only)
    value_total: FloatArray = attrs.field(converter=read_only)
    value_share: FloatArray = attrs.field(converter=read_only)
    customer_share: FloatArray = attrs.field(converter=read_only)

    @property
    def names(self) -> tuple[str, ...]:
        """The tier names, most valuable first."""
        return self.segmentation.names

    @property
    def tier(self) -> IntArray:
        """Each customer's tier rank (1 = most valuable)."""
        return self.segmentation.codes + 1

    @property
    def labels(self) -> StrArray:
        """Each customer's tier name."""
        return self.segmentation.labels

    @property
    def sizes(self) -> IntArray:
        """The number of customers in each tier."""
        return self.segmentation.sizes

    def to_dict(self) -> dict[str, Any]:
        """Return the per-tier table (name, customers, shares, lower bound) as strict JSON.

        ``lower_bound`` is the tier's threshold; it is ``None`` for the last tier (no lower
        bound) and where the threshold is infinite, i.e. that tier and those above it are
        empty (e.g. every ABC class but the last when no value is positive).

        Examples
        --------
        >>> from custcentric.segmentation import abc_classes
        >>> [t["lower_bound"] for t in abc_classes([0.0, -2.0]).to_dict()["tiers"]]
        [None, None, None, None]
        """
        bounds = [*(json_float(t) for t in self.thresholds), None]
        data: dict[str, Any] = jsonable(
            {
                "method": self.method,
                "tiers": [
                    {
                        "name": name,
                        "n_customers": int(n),
                        "customer_share": float(c),
                        "value_total": float(v),
                        "value_share": float(s),
                        "lower_bound": bound,
                    }
                    for name, n, c, v, s, bound in zip(
                        self.names,
                        self.sizes,
                        self.customer_share,
                        self.value_total,
                        self.value_share,
                        bounds,
                        strict=True,
                    )
                ],
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per tier: name, customers, customer share, value total and value share."""
        return make_frame(
            {
                "tier": np.array(self.names),
                "n_customers": self.sizes,
                "customer_share": self.customer_share,
                "value_total": self.value_total,
                "value_share": self.value_share,
            }
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        rows = [
            f"  {name}: {int(n)} customers ({100 * c:.1f} %), {100 * s:.1f} % of value"
            for name, n, c, s in zip(
                self.names, self.sizes, self.customer_share, self.value_share, strict=True
            )
        ]
        return "\n".join([f"ValueTiers(method={self.method!r})", *rows])


def _labels_iv(labels: Sequence[str] | None, default: list[str], name: str) -> list[str]:
    if labels is None:
        return default
    raw = [str(x) for x in as_1d(np.asarray(labels, dtype=object), name)]
    if len(raw) != len(default):
        msg = f"`{name}` must hold {len(default)} names, one per tier (got {len(raw)})."
        raise InvalidInputError(msg)
    if len(set(raw)) != len(raw):
        dup = next(x for x in raw if raw.count(x) > 1)
        msg = f"`{name}` must be distinct (got {dup!r} twice)."
        raise InvalidInputError(msg)
    return raw


def _values_iv(
    values: ArrayLike | PerCustomer, customer_id: ArrayLike | None
) -> tuple[FloatArray, NDArray[Any] | None]:
    """Return the values and the ids: a :class:`PerCustomer` brings its own ids."""
    if isinstance(values, PerCustomer):
        array = np.array(values.values)
        ids: NDArray[Any] | None = np.array(values.customer_id)
        if customer_id is not None:
            given = as_1d(customer_id, "customer_id")
            same = given.shape == values.customer_id.shape and bool(
                np.all(given.astype(str) == values.customer_id.astype(str))
            )
            if not same:
                msg = (
                    "`customer_id` must match the ids of the PerCustomer `values` (or be left "
                    "out, as they travel with it)"
                )
                if given.shape != values.customer_id.shape:
                    msg += f" ({given.size} != {values.customer_id.size})."
                else:
                    i = first_true(given.astype(str) != values.customer_id.astype(str))
                    msg += f" (customer {i}: {fmt(given[i])} != {fmt(values.customer_id[i])})."
                raise InvalidInputError(msg)
    else:
        array = as_float_array(values, "values", label="customer")
        ids = _ids(customer_id)
    if array.size == 0:
        msg = "`values` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    return array, ids


def _shares_iv(shares: Sequence[float]) -> FloatArray:
    array = as_float_array(shares, "shares", positive=True)
    if array.size == 0:
        msg = "`shares` must hold at least one tier share (got none)."
        raise InvalidInputError(msg)
    total = float(array.sum())
    if abs(total - 1.0) > 1e-9:
        msg = f"`shares` must sum to 1 (got {total:g})."
        raise InvalidInputError(msg)
    return array


def _ids(customer_id: ArrayLike | None) -> NDArray[Any] | None:
    if customer_id is None:
        return None
    return as_1d(customer_id, "customer_id")


def _percent_label(share: float) -> str:
    return f"{100 * share:.3g} %"


def _finish(
    values: FloatArray,
    codes: IntArray,
    names: list[str],
    rules: list[str],
    thresholds: FloatArray,
    method: str,
    customer_id: NDArray[Any] | None,
) -> ValueTiers:
    k = len(names)
    segments = tuple(
        Segment(name=name, tier_rank=i + 1, rule=rule)
        for i, (name, rule) in enumerate(zip(names, rules, strict=True))
    )
    # Sum in units of a power of two near the largest magnitude (exact), so that a total
    # near the float64 maximum is found without an overflow warning.
    peak = float(np.abs(values).max())
    power = float(np.ldexp(1.0, min(int(np.frexp(peak)[1]), 1023)))
    scaled = np.bincount(codes, weights=values / power, minlength=k)
    grand_scaled = float(scaled.sum())
    with np.errstate(over="ignore"):  # checked just below
        totals = scaled * power
        grand = grand_scaled * power
    if not (np.all(np.isfinite(totals)) and np.isfinite(grand)):
        msg = (
            "`values` must have tier totals within the float64 range (the sum of the values "
            f"overflows; largest value {fmt(values[first_true(np.abs(values) == peak)])}): "
            "express them in a larger unit."
        )
        raise InvalidInputError(msg)
    shares = scaled / grand_scaled if grand_scaled > 0 else np.zeros(k)
    counts = np.bincount(codes, minlength=k)
    return ValueTiers(
        segmentation=Segmentation(segments=segments, codes=codes, customer_id=customer_id),
        method=method,
        thresholds=thresholds,
        value_total=totals,
        value_share=shares,
        customer_share=counts / values.size,
    )


def value_tiers(
    values: ArrayLike | PerCustomer,
    *,
    shares: Sequence[float] = (0.2, 0.3, 0.5),
    labels: Sequence[str] | None = None,
    customer_id: ArrayLike | None = None,
) -> ValueTiers:
    r"""Split customers into tiers by share of customers, the most valuable first.

    With the default shares the top 20 % of customers by value form tier 1, the next 30 %
    tier 2 and the remaining half tier 3 ("the most profitable 20 %").

    Parameters
    ----------
    values : array_like of float or PerCustomer
        One value per customer (CLV, margin, revenue); finite. A
        :class:`~custcentric.tables.PerCustomer` (what the value models return for a
        customer table) brings its ids, which are kept in ``segmentation.customer_id``.
    shares : sequence of float, default (0.2, 0.3, 0.5)
        The share of customers in each tier, most valuable first; positive, summing to 1.
    labels : sequence of str, optional
        Tier names, one per share; default ``"top 20 %"``, ``"20-50 %"``, ``"bottom 50 %"``.
    customer_id : array_like, optional
        The customers' ids, kept in ``segmentation.customer_id``; with a ``PerCustomer``
        it may be left out, and must match its ids if given.

    Returns
    -------
    ValueTiers
        Each customer's tier and each tier's value share.

    Raises
    ------
    InvalidInputError
        For NaN or infinite values, no customers, shares that are not positive or do not
        sum to 1, a ``customer_id`` of another length (or, with a ``PerCustomer``, other
        ids), or tier totals beyond the float64 range.

    Notes
    -----
    With cumulative shares :math:`S_k = \sum_{j \le k} s_j`, tier :math:`k` is cut at
    :math:`b_k = \operatorname{round}(S_k n)` customers: the threshold :math:`t_k` is the
    :math:`b_k`-th largest value, and a customer is in tier :math:`k` or better when its value
    is at least :math:`t_k`. Customers with equal values therefore always share a tier (the
    better one), so a tier can hold a few more customers than its share when values tie;
    the result does not depend on the order of the customers. The thresholds are found with
    :func:`numpy.partition`, so the cost is linear in the number of customers.

    References
    ----------
    J. M. Juran (1951), *Quality Control Handbook* (the "vital few"); V. A. Zeithaml,
    R. T. Rust and K. N. Lemon (2001), "The customer pyramid", *California Management Review*
    43(4):118-142.

    Examples
    --------
    >>> from custcentric.segmentation import value_tiers
    >>> tiers = value_tiers([50, 10, 5, 400, 20, 1, 3, 80, 2, 30])
    >>> tiers.tier.tolist()
    [2, 3, 3, 1, 2, 3, 3, 1, 3, 2]
    >>> tiers.names
    ('top 20 %', '20-50 %', 'bottom 50 %')
    >>> tiers.value_share.round(3).tolist()
    [0.799, 0.166, 0.035]

    A :class:`~custcentric.tables.PerCustomer` keeps its ids:

    >>> from custcentric.tables import PerCustomer
    >>> clv = PerCustomer(customer_id=["a", "b", "c", "d", "e"],
    ...                   values=[5.0, 90.0, 20.0, 1.0, 8.0], name="clv", unit="currency")
    >>> value_tiers(clv).segmentation.customer_id.tolist()
    ['a', 'b', 'c', 'd', 'e']
    """
    array, ids = _values_iv(values, customer_id)
    share_array = _shares_iv(shares)
    cumulative = np.cumsum(share_array)
    edges = [0.0, *cumulative.tolist()]
    default = [f"{100 * lo:.3g}-{_percent_label(hi)}" for lo, hi in itertools.pairwise(edges)]
    default[0] = "top " + _percent_label(share_array[0])
    if share_array.size > 1:
        default[-1] = "bottom " + _percent_label(share_array[-1])
    names = _labels_iv(labels, default, "labels")
    n = array.size
    bounds = np.minimum(np.round(cumulative[:-1] * n).astype(np.int64), n)
    thresholds = np.full(bounds.size, np.inf)
    positive = bounds > 0
    if positive.any():
        kth = n - bounds[positive]
        part = np.partition(array, np.unique(kth))
        thresholds[positive] = part[kth]
    codes = np.zeros(n, dtype=np.int64)
    for t in thresholds:
        codes += array < t
    rules = [
        f"value >= {float(t):.6g} (about the top {_percent_label(float(c))} of customers)"
        for t, c in zip(thresholds, cumulative[:-1], strict=True)
    ]
    rules.append(f"the remaining customers (about the bottom {_percent_label(share_array[-1])})")
    return _finish(array, codes, names, rules, thresholds, "count", ids)


def abc_classes(
    values: ArrayLike | PerCustomer,
    *,
    cutoffs: Sequence[float] = (0.8, 0.95),
    labels: Sequence[str] | None = None,
    customer_id: ArrayLike | None = None,
) -> ValueTiers:
    r"""ABC classes by cumulative share of value; customers worth nothing or less go last.

    Parameters
    ----------
    values : array_like of float or PerCustomer
        One value per customer; finite. Customers with a value :math:`\le 0` are set apart
        in a final class, since negative values break the cumulative logic; when no value is
        positive, every customer is in that class, every threshold is ``inf`` (no value
        reaches an empty class) and ``to_dict`` writes each bound as ``None``. A
        :class:`~custcentric.tables.PerCustomer` brings its ids.
    cutoffs : sequence of float, default (0.8, 0.95)
        Increasing cumulative value shares in (0, 1) that close each class but the last
        positive one.
    labels : sequence of str, optional
        ``len(cutoffs) + 2`` class names; default ``"A"``, ``"B"``, ``"C"``, ``"D"``.
    customer_id : array_like, optional
        The customers' ids, kept in ``segmentation.customer_id``; with a ``PerCustomer``
        it may be left out, and must match its ids if given.

    Returns
    -------
    ValueTiers
        Each customer's class (``method="abc"``) and each class's value share.

    Raises
    ------
    InvalidInputError
        For NaN or infinite values, no customers, cutoffs that are not increasing shares in
        (0, 1), or a ``customer_id`` that does not fit the values.

    Notes
    -----
    Sort the positive values in descending order, :math:`C_j = \sum_{i \le j} v_{(i)} /
    \sum v^+`. Class A is the smallest prefix with :math:`C_j \ge a` (so a customer is in A
    when the share *before* it is below :math:`a`), class B runs on to :math:`C_j \ge b`,
    class C holds the remaining positive values and class D the values :math:`\le 0`.
    Customers with equal values share the class of the first of them, so the classes do
    not depend on the order of the customers.

    References
    ----------
    ABC classes by cumulative value share: J. M. Juran (1951), *Quality Control
    Handbook*.

    Examples
    --------
    >>> from custcentric.segmentation import abc_classes
    >>> abc = abc_classes([500, 300, 100, 50, 30, 20, 0, -10])
    >>> abc.labels.tolist()
    ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']
    """
    array, ids = _values_iv(values, customer_id)
    cuts = as_float_array(cutoffs, "cutoffs")
    for i, c in enumerate(cuts):
        check_number(c, f"cutoffs[{i}]", low=0, high=1, low_inclusive=False, high_inclusive=False)
    if cuts.size == 0 or np.any(np.diff(cuts) <= 0):
        msg = f"`cutoffs` must be one or more strictly increasing shares (got {cuts.tolist()})."
        raise InvalidInputError(msg)
    default = [chr(ord("A") + i) for i in range(cuts.size + 2)]
    names = _labels_iv(labels, default, "labels")
    n_pos_classes = cuts.size + 1
    codes = np.full(array.size, n_pos_classes, dtype=np.int64)
    positive = np.flatnonzero(array > 0)
    thresholds = np.full(n_pos_classes, np.inf)
    if positive.size:
        order = positive[np.argsort(-array[positive], kind="stable")]
        ranked = array[order]
        cum = np.cumsum(ranked)
        before = np.concatenate(([0.0], cum[:-1])) / cum[-1]
        starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
        group_start = np.repeat(starts, np.diff(np.append(starts, ranked.size)))
        sorted_codes = np.searchsorted(cuts - 1e-12, before[group_start], side="right")
        codes[order] = sorted_codes
        for k in range(n_pos_classes):
            members = np.flatnonzero(sorted_codes <= k)
            if members.size:
                thresholds[k] = ranked[members[-1]]
    rules = [f"cumulative value share before the customer below {float(c):g}" for c in cuts]
    rules.append("the remaining customers with a positive value")
    rules.append("customers with a value of zero or less")
    return _finish(array, codes, names, rules, thresholds, "abc", ids)
