"""``differentiate``: the value × needs matrix of IDIC's *Differentiate* step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, as_float_array, check_equal_length, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import concentration, value_tiers
from custcentric.typing import FloatArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATEGORIES", "Differentiation", "differentiate"]

CATEGORIES: Final[tuple[str, ...]] = ("MVC", "MGC", "BZ", "other")
"""Peppers & Rogers' value categories: most valuable, most growable, below zero, the rest."""

_TIER_TREATMENTS: Final[tuple[str, ...]] = ("retain and reward", "develop", "serve efficiently")
_STRATEGIES: Final[dict[tuple[bool, bool], str]] = {
    (True, False): "value-tier management (key accounts)",
    (True, True): "one-to-one customisation",
    (False, False): "mass marketing",
    (False, True): "needs-segment (target) marketing",
}


@attrs.frozen(kw_only=True)
class Differentiation:
    """Customers placed in the value × needs matrix, with a suggested treatment per cell.

    Attributes
    ----------
    tier_labels : ndarray of str
        The value tiers, most valuable first (rows of the matrix).
    needs_labels : ndarray of str
        The needs segments, sorted (columns of the matrix).
    counts : ndarray of int, shape (tiers, needs)
        Customers per cell.
    value_share : ndarray of float, shape (tiers, needs)
        Each cell's share of the total positive value.
    treatments : ndarray of str, shape (tiers, needs)
        The treatment suggested for each cell.
    tier : ndarray of int
        Each customer's row (0 = most valuable tier).
    needs : ndarray of int
        Each customer's column.
    category : ndarray of str
        Each customer's value category: ``"MVC"`` (in the top tier, value above zero),
        ``"MGC"`` (largest unrealised potential, when ``potential`` is given), ``"BZ"``
        (value below zero) or ``"other"``.
    value_gini : float
        Gini coefficient of the positive part of the values: the skew of customer value.
    needs_diversity : float
        Normalised entropy of the needs-segment shares, ``-Σ s ln s / ln K`` (0 when K = 1).
    strategy : str
        The quadrant of the differentiation matrix the whole base falls in.

    Examples
    --------
    >>> from custcentric.idic import differentiate
    >>> d = differentiate([90, 50, 10, 8, 5, 4, 3, 2, 1, -1], list("aabbabbaab"))
    >>> d.counts.tolist(), d.strategy
    ([[2, 0], [1, 2], [2, 3]], 'one-to-one customisation')
    """

    tier_labels: StrArray
    needs_labels: StrArray
    counts: IntArray
    value_share: FloatArray
    treatments: StrArray
    tier: IntArray
    needs: IntArray
    category: StrArray
    value_gini: float
    needs_diversity: float
    strategy: str

    def cell(self, i: int) -> tuple[str, str]:
        """Return customer ``i``'s (value tier, needs segment)."""
        return str(self.tier_labels[self.tier[i]]), str(self.needs_labels[self.needs[i]])

    def treatment(self, i: int) -> str:
        """Return the treatment suggested for customer ``i``."""
        return str(self.treatments[self.tier[i], self.needs[i]])

    def summary(self) -> str:
        """Return the matrix as readable text.

        Examples
        --------
        >>> from custcentric.idic import differentiate
        >>> d = differentiate([90, 50, 10, 8, 5, 4, 3, 2, 1, -1], list("aabbabbaab"))
        >>> print(d.summary().splitlines()[0])
        Value x needs: 10 customers, value Gini 0.70, needs diversity 1.00 -> one-to-one customisation
        """
        n = int(self.counts.sum())
        lines = [
            f"Value x needs: {n} customers, value Gini {self.value_gini:.2f}, needs diversity "
            f"{self.needs_diversity:.2f} -> {self.strategy}"
        ]
        for t, label in enumerate(self.tier_labels):
            cells = ", ".join(
                f"{self.needs_labels[k]}: {self.counts[t, k]} ({100 * self.value_share[t, k]:.0f} %)"
                for k in range(self.needs_labels.size)
            )
            lines.append(f"  {label}: {cells}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the matrix (not the per-customer arrays) as plain data."""
        return {
            "tier_labels": self.tier_labels.tolist(),
            "needs_labels": self.needs_labels.tolist(),
            "counts": self.counts.tolist(),
            "value_share": self.value_share.tolist(),
            "treatments": self.treatments.tolist(),
            "category_counts": {c: int(np.count_nonzero(self.category == c)) for c in CATEGORIES},
            "value_gini": self.value_gini,
            "needs_diversity": self.needs_diversity,
            "strategy": self.strategy,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per cell: tier, needs segment, customers, value share, treatment."""
        rows, cols = np.indices(self.counts.shape)
        return make_frame(
            {
                "tier": self.tier_labels[rows.ravel()],
                "needs": self.needs_labels[cols.ravel()],
                "customers": self.counts.ravel(),
                "value_share": self.value_share.ravel(),
                "treatment": self.treatments.ravel(),
            }
        )


def differentiate(
    value: ArrayLike,
    needs: ArrayLike,
    *,
    potential: ArrayLike | None = None,
    shares: Sequence[float] = (0.2, 0.3, 0.5),
    tier_labels: Sequence[str] | None = None,
    treatments: Mapping[str, str] | None = None,
    growth_share: float = 0.2,
    skew_threshold: float = 0.5,
    diversity_threshold: float = 0.6,
) -> Differentiation:
    r"""Place customers in the value × needs matrix and suggest a treatment per cell.

    Parameters
    ----------
    value : array_like of float
        Each customer's value, forward looking (a CLV from :mod:`custcentric.value`); may be
        negative for customers who cost more than they bring.
    needs : array_like
        Each customer's needs segment (labels from
        :func:`custcentric.segmentation.kmeans` or any grouping).
    potential : array_like of float, optional
        Each customer's potential value; the ``growth_share`` with the largest unrealised
        potential (``potential - value``) become MGCs.
    shares, tier_labels
        The value tiers, as in :func:`custcentric.segmentation.value_tiers`.
    treatments : mapping of str to str, optional
        A base treatment per tier label; by default "retain and reward" for the top tier,
        "develop" for the middle ones and "serve efficiently" for the last. The cell's
        treatment is the base treatment tailored to its needs segment.
    growth_share : float, default 0.2
        Share of customers with the most unrealised potential counted as MGCs.
    skew_threshold, diversity_threshold : float, default 0.5 and 0.6
        The value Gini and needs diversity above which the base counts as skewed or diverse
        (no published cut-offs exist; these are the suggested defaults).

    Returns
    -------
    Differentiation

    Raises
    ------
    InvalidInputError
        For NaN or infinite values, unequal lengths, no customers, missing needs labels
        (NaN, None, ``""``) or an option out of range.

    Notes
    -----
    Tiers rank customers by ``value`` itself (ties share the better tier, as in
    :func:`~custcentric.segmentation.value_tiers`); value shares use its positive part.
    Value skew is the Gini coefficient of :math:`\max(v, 0)`; needs diversity is the
    normalised entropy :math:`H = -\sum_k s_k \ln s_k / \ln K` of the needs-segment shares.
    The quadrant follows Peppers & Rogers' differentiation matrix: skewed value and uniform
    needs call for value-tier management, skewed and diverse for one-to-one customisation,
    flat and uniform for mass marketing, flat and diverse for needs-segment marketing.

    Values (and potentials) of any finite magnitude are accepted: above :math:`2^{500}` they
    are divided by a common power of two before any sum or product, which is exact and
    leaves every result unchanged (all are scale-invariant), so nothing overflows.

    References
    ----------
    Peppers, D. & Rogers, M. (2017). *Managing Customer Experience and Relationships*, 3rd
    ed., ch. 5–6 (value categories MVC, MGC, BZ; the differentiation matrix).

    Examples
    --------
    >>> from custcentric.idic import differentiate
    >>> d = differentiate([90, 50, 10, 8, 5, 4, 3, 2, 1, -1], list("aabbabbaab"))
    >>> d.counts.tolist()
    [[2, 0], [1, 2], [2, 3]]
    >>> d.cell(0), d.treatment(0)
    (('top 20 %', 'a'), 'retain and reward (needs a)')
    >>> d.category.tolist().count("BZ")
    1
    """
    values = as_float_array(value, "value", label="customer")
    raw_needs = as_1d(needs, "needs")
    check_equal_length({"value": values, "needs": raw_needs})
    _check_labels(raw_needs)
    if values.size == 0:
        msg = "`value` must hold at least one customer (got an empty array)."
        raise InvalidInputError(msg)
    growth = check_number(growth_share, "growth_share", low=0, high=1)
    skew_cut = check_number(skew_threshold, "skew_threshold", low=0, high=1)
    diversity_cut = check_number(diversity_threshold, "diversity_threshold", low=0, high=1)

    pot = None
    if potential is not None:
        pot = as_float_array(potential, "potential", label="customer")
        check_equal_length({"value": values, "potential": pot})
    values_scaled, pot_scaled = _rescale(values, pot)
    positive = np.maximum(values_scaled, 0.0)
    # Rank on the values themselves: clipped at 0, customers below zero would tie with the
    # zero-valued ones and could share the top tier with them.
    tiers = value_tiers(values_scaled, shares=shares, labels=tier_labels)
    tier = np.asarray(tiers.tier, dtype=np.int64) - 1
    labels = np.asarray(tiers.names).astype(np.str_)
    needs_labels, needs_index = np.unique(raw_needs.astype(np.str_), return_inverse=True)
    needs_index = needs_index.astype(np.int64)

    n_tiers, n_needs = labels.size, needs_labels.size
    cell = tier * n_needs + needs_index
    counts = np.bincount(cell, minlength=n_tiers * n_needs).reshape(n_tiers, n_needs)
    total = positive.sum()
    weights = np.bincount(cell, weights=positive, minlength=n_tiers * n_needs)
    share: FloatArray = np.zeros(n_tiers * n_needs) if total <= 0 else weights / total
    share = share.reshape(n_tiers, n_needs)

    base = _base_treatments(labels, treatments)
    cell_treatments = np.array(
        [[f"{base[t]} (needs {needs_labels[k]})" for k in range(n_needs)] for t in range(n_tiers)],
        dtype=np.str_,
    )
    category = _categories(values, values_scaled, tier, pot_scaled, growth)

    gini = concentration(positive).gini if total > 0 else 0.0
    segment_shares = np.bincount(needs_index, minlength=n_needs) / values.size
    diversity = _normalised_entropy(segment_shares)
    strategy = _STRATEGIES[(gini >= skew_cut, diversity >= diversity_cut)]
    return Differentiation(
        tier_labels=labels,
        needs_labels=needs_labels,
        counts=counts.astype(np.int64),
        value_share=share,
        treatments=cell_treatments,
        tier=tier,
        needs=needs_index,
        category=category,
        value_gini=float(gini),
        needs_diversity=diversity,
        strategy=strategy,
    )


def _check_labels(labels: NDArray[Any]) -> None:
    """Refuse missing needs labels (NaN, None, ``""``) rather than make them a segment."""
    if labels.dtype.kind == "f":
        missing = ~np.isfinite(labels)
    elif labels.dtype.kind == "O":
        missing = np.array(
            [v is None or v == "" or (isinstance(v, float) and not np.isfinite(v)) for v in labels]
        )
    elif labels.dtype.kind == "U":
        missing = labels == ""
    else:
        return
    if missing.any():
        i = int(np.argmax(missing))
        msg = f"`needs` must not hold missing labels (customer {i}: {fmt(labels[i])})."
        raise InvalidInputError(msg)


def _base_treatments(labels: StrArray, treatments: Mapping[str, str] | None) -> list[str]:
    if treatments is None:
        n = labels.size
        return [
            _TIER_TREATMENTS[0]
            if t == 0
            else _TIER_TREATMENTS[2]
            if t == n - 1
            else _TIER_TREATMENTS[1]
            for t in range(n)
        ]
    given: object = treatments
    if not isinstance(given, Mapping):
        msg = f"`treatments` must be a mapping of tier label to treatment (got {fmt(given)})."
        raise InvalidInputError(msg)
    missing = [str(label) for label in labels if str(label) not in treatments]
    if missing:
        msg = (
            f"`treatments` must name a treatment for every tier (missing {missing[0]!r}; "
            f"tiers: {labels.tolist()})."
        )
        raise InvalidInputError(msg)
    return [str(treatments[str(label)]) for label in labels]


#: Above this magnitude, values are rescaled by a power of two before sums and products.
_RESCALE_ABOVE = 2.0**500


def _rescale(values: FloatArray, pot: FloatArray | None) -> tuple[FloatArray, FloatArray | None]:
    """Divide ``values`` (and ``pot``) by a power of two when their magnitude is huge.

    Every result of :func:`differentiate` (tiers, value shares, Gini, the ranking of headroom)
    is invariant under a common positive scale, and dividing by a power of two is exact, so
    sums and products of values up to the float64 maximum cannot overflow.
    """
    biggest = float(np.max(np.abs(values)))
    if pot is not None and pot.size:
        biggest = max(biggest, float(np.max(np.abs(pot))))
    if biggest <= _RESCALE_ABOVE:
        return values, pot
    exponent = int(np.frexp(biggest)[1])
    scaled = np.ldexp(values, -exponent)
    return scaled, (None if pot is None else np.ldexp(pot, -exponent))


def _categories(
    values: FloatArray,
    scaled: FloatArray,
    tier: IntArray,
    pot: FloatArray | None,
    growth: float,
) -> NDArray[np.str_]:
    category = np.full(values.size, "other", dtype="<U5")
    if pot is not None:
        headroom = pot - scaled
        n_growth = round(growth * values.size)
        if n_growth:
            top = np.argpartition(-headroom, n_growth - 1)[:n_growth]
            category[top[headroom[top] > 0]] = "MGC"
    category[(tier == 0) & (values > 0)] = "MVC"  # a tie at zero value is no MVC
    category[values < 0] = "BZ"
    return category


def _normalised_entropy(shares: FloatArray) -> float:
    k = shares.size
    if k <= 1:
        return 0.0
    s = shares[shares > 0]
    return float(-(s * np.log(s)).sum() / np.log(k))
