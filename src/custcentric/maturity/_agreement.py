"""Agreement statistics: within-group agreement r_WG and Kendall's coefficient of concordance W."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._result import Result, read_only
from custcentric._validation import check_number, first_true, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = ["MAX_OPTIONS", "KendallW", "average_ranks", "kendall_w", "rwg"]

#: The most answer options accepted by :func:`rwg` (rating scales have a handful; the
#: bound keeps ``(A**2 - 1) / 12`` exact and far from overflow).
MAX_OPTIONS = 1_000_000


def _ratings_matrix(ratings: ArrayLike, n_options: int) -> FloatArray:
    array = np.asarray(ratings)
    if array.ndim not in (1, 2):
        msg = f"`ratings` must be one- or two-dimensional (got shape {array.shape})."
        raise InvalidInputError(msg)
    if array.dtype.kind not in "iuf":
        msg = f"`ratings` must hold numbers (got dtype {array.dtype})."
        raise InvalidInputError(msg)
    x = array.astype(np.float64, copy=False)
    if x.shape[0] < 2:
        msg = f"`ratings` must hold at least 2 raters (rows) (got {x.shape[0]})."
        raise InvalidInputError(msg)
    if x.ndim == 2 and x.shape[1] < 1:
        msg = "`ratings` must hold at least one item (column)."
        raise InvalidInputError(msg)
    flat = x.ravel()
    bad = ~np.isfinite(flat) | (flat < 1) | (flat > n_options) | (flat != np.round(flat))
    if bad.any():
        i = first_true(bad)
        where = f"index {i}" if x.ndim == 1 else f"rater {i // x.shape[1]}, item {i % x.shape[1]}"
        msg = f"`ratings` must be whole numbers in [1, {n_options}] ({where}: {fmt(flat[i])})."
        raise InvalidInputError(msg)
    return x


def rwg(ratings: ArrayLike, *, n_options: int, per_item: bool = False) -> float | FloatArray:
    r"""Within-group agreement r_WG of raters on one item, or r_WG(J) on J parallel items.

    Parameters
    ----------
    ratings : array_like
        One item: a 1-D array of the ``k`` raters' answers. J items: a 2-D array, one row per
        rater and one column per item. Answers are whole numbers ``1..n_options``.
    n_options : int
        The number of answer options ``A`` of the scale, 2 to ``MAX_OPTIONS`` (1e6).
    per_item : bool, default False
        With 2-D ``ratings``, return the single-item r_WG of every column instead of r_WG(J).

    Returns
    -------
    float or ndarray
        r_WG in [0, 1]; 1 is perfect agreement, 0 no more agreement than uniformly random
        answers. Values at or above 0.70 are conventionally read as agreement.

    Notes
    -----
    With the sample variance :math:`s^2` (``n - 1`` denominator) and the variance of the
    uniform null :math:`\sigma^2_{EU} = (A^2 - 1)/12`,

    .. math:: r_{WG} = 1 - s^2 / \sigma^2_{EU}, \qquad
              r_{WG(J)} = \frac{J(1 - \bar s^2/\sigma^2_{EU})}
                                {J(1 - \bar s^2/\sigma^2_{EU}) + \bar s^2/\sigma^2_{EU}}

    with :math:`\bar s^2` the mean item variance. Both are truncated to 0 when the observed
    variance exceeds the null variance (LeBreton & Senter 2008 recommend this). r_WG(J) is
    the Spearman-Brown step-up of the single-item value at the mean variance.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *J. Applied Psychology* 69(1), 85-98, eqs. 1
    and 4. LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.

    Examples
    --------
    >>> from custcentric.maturity import rwg
    >>> rwg([4, 4, 5, 3, 4], n_options=5)
    0.75
    >>> round(rwg([[4, 3], [4, 3], [5, 4], [3, 3], [4, 3]], n_options=5), 4)
    0.9041
    """
    a = int(check_number(n_options, "n_options", low=2, high=MAX_OPTIONS, integer=True))
    x = _ratings_matrix(ratings, a)
    null = (a * a - 1) / 12.0
    var = x.var(axis=0, ddof=1)
    if x.ndim == 1 or per_item:
        out = np.clip(1.0 - var / null, 0.0, 1.0)
        return float(out) if x.ndim == 1 else out
    ratio = float(var.mean()) / null
    j = x.shape[1]
    if ratio >= 1.0:
        return 0.0
    return float(j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio))


def _tie_runs(sorted_rows: NDArray[Any]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Return the run-start mask and the run lengths of each row of a row-sorted matrix."""
    m, n = sorted_rows.shape
    starts = np.ones((m, n), dtype=bool)
    starts[:, 1:] = sorted_rows[:, 1:] != sorted_rows[:, :-1]
    flat_starts = np.flatnonzero(starts.ravel())
    lengths = np.diff(np.append(flat_starts, m * n))
    return starts, lengths


def average_ranks(values: NDArray[Any]) -> FloatArray:
    """Rank each row of ``values`` from 1, giving tied values their average rank.

    Examples
    --------
    >>> import numpy as np
    >>> average_ranks(np.array([[10, 20, 20, 5]]))
    array([[2. , 3.5, 3.5, 1. ]])
    """
    return _ranks_and_ties(values)[0]


def _sorted_runs(
    values: NDArray[Any],
) -> tuple[NDArray[np.intp], FloatArray, NDArray[np.int64]]:
    """Return the row-wise sort order, the average rank in sorted position, and the tie runs."""
    m, n = values.shape
    order = np.argsort(values, axis=1, kind="stable")
    sorted_rows = np.take_along_axis(values, order, axis=1)
    starts, lengths = _tie_runs(sorted_rows)
    flat_pos = np.flatnonzero(starts.ravel())
    run_rank = flat_pos % n + 1 + (lengths - 1) / 2.0
    run_id = np.cumsum(starts.ravel()) - 1
    ranks_sorted = run_rank[run_id].reshape(m, n)
    return order, ranks_sorted, lengths


def _ranks_and_ties(values: NDArray[Any]) -> tuple[FloatArray, NDArray[np.int64]]:
    order, ranks_sorted, lengths = _sorted_runs(values)
    ranks = np.empty(values.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, ranks_sorted, axis=1)
    return ranks, lengths


@attrs.frozen(kw_only=True, eq=False)
class KendallW(Result):
    r"""Kendall's coefficient of concordance and its large-sample test.

    Attributes
    ----------
    statistic : float
        W in [0, 1] (tie-corrected).
    chi_square : float
        :math:`m (n - 1) W`.
    df : int
        Degrees of freedom, ``n - 1``.
    pvalue : float
        Upper-tail probability of ``chi_square`` under no agreement.
    n_raters, n_items : int
        ``m`` and ``n``.
    tie_correction : float
        :math:`\sum_j \sum (t^3 - t)` over the tie groups of every rater (0 without ties).
    rank_sums : ndarray of float
        :math:`R_i`, the sum of each item's ranks.

    Examples
    --------
    >>> from custcentric.maturity import kendall_w
    >>> result = kendall_w([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]])
    >>> round(result.statistic, 4), result.df, result.rank_sums.tolist()
    (0.7778, 3, [4.0, 6.0, 8.0, 12.0])
    """

    statistic: float
    chi_square: float
    df: int
    pvalue: float
    n_raters: int
    n_items: int
    tie_correction: float
    rank_sums: FloatArray = attrs.field(converter=read_only)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return (
            f"Kendall's W = {self.statistic:.4f} ({self.n_raters} raters, {self.n_items} items; "
            f"chi2({self.df}) = {self.chi_square:.3f}, p = {self.pvalue:.4g})"
        )


def kendall_w(rankings: ArrayLike) -> KendallW:
    r"""Kendall's coefficient of concordance W among ``m`` raters ranking ``n`` items.

    Parameters
    ----------
    rankings : array_like, shape (m, n)
        One row per rater (department), one column per item. Ranks, or any scores that each
        rater's row can be ranked by (each row is converted to average ranks, so ties are
        allowed and ranks already given are kept).

    Returns
    -------
    KendallW
        W, the chi-square statistic, its degrees of freedom and p-value.

    Raises
    ------
    InvalidInputError
        Fewer than 2 raters or 2 items, non-finite values, or every rater tying every item
        (W is then undefined).

    Notes
    -----
    With rank sums :math:`R_i`, :math:`S = \sum_i (R_i - \bar R)^2` and, for rater ``j``,
    :math:`T_j = \sum (t^3 - t)` over its groups of ``t`` tied items,

    .. math:: W = \frac{12 S}{m^2 (n^3 - n) - m \sum_j T_j}, \qquad
              \chi^2 = m (n - 1) W \sim \chi^2_{n-1}.

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. *Ann. Math.
    Stat.* 10(3), 275-287. Siegel, S. (1956). *Nonparametric Statistics for the Behavioral
    Sciences*, McGraw-Hill, ch. 9 (the correction for ties). The worked example below is the
    NAG Library's g08daf example (three comparisons of ten objects with ties): W = 0.828,
    significance 0.008.

    Examples
    --------
    >>> from custcentric.maturity import kendall_w
    >>> result = kendall_w([[1.0, 4.5, 2.0, 4.5, 3.0, 7.5, 6.0, 9.0, 7.5, 10.0],
    ...                     [2.5, 1.0, 2.5, 4.5, 4.5, 8.0, 9.0, 6.5, 10.0, 6.5],
    ...                     [2.0, 1.0, 4.5, 4.5, 4.5, 4.5, 8.0, 8.0, 8.0, 10.0]])
    >>> round(result.statistic, 3), round(result.pvalue, 3)
    (0.828, 0.008)
    """
    x = np.asarray(rankings)
    if x.ndim != 2:
        msg = f"`rankings` must be two-dimensional: raters x items (got shape {x.shape})."
        raise InvalidInputError(msg)
    if x.dtype.kind not in "iuf":
        msg = f"`rankings` must hold numbers (got dtype {x.dtype})."
        raise InvalidInputError(msg)
    m, n = x.shape
    if m < 2 or n < 2:
        msg = f"`rankings` must hold at least 2 raters and 2 items (got {m} x {n})."
        raise InvalidInputError(msg)
    values = x if x.dtype.kind in "iu" else x.astype(np.float64, copy=False)
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        if not finite.all():
            i = first_true(~finite.ravel())
            bad = fmt(values.ravel()[i])
            msg = f"`rankings` must be finite (rater {i // n}, item {i % n}: {bad})."
            raise InvalidInputError(msg)
    order, ranks_sorted, lengths = _sorted_runs(values)
    t = lengths.astype(np.float64)
    ties = float(np.sum(t**3 - t))
    denominator = m * m * (n**3 - n) - m * ties
    if denominator <= 0:
        msg = "`rankings` must not tie every item for every rater (W is undefined)."
        raise InvalidInputError(msg)
    rank_sums = np.asarray(
        np.bincount(order.ravel(), weights=ranks_sorted.ravel(), minlength=n), dtype=np.float64
    )
    s = float(np.sum((rank_sums - m * (n + 1) / 2.0) ** 2))
    w = min(max(12.0 * s / denominator, 0.0), 1.0)
    from scipy import stats

    chi_square = m * (n - 1) * w
    return KendallW(
        statistic=w,
        chi_square=chi_square,
        df=n - 1,
        pvalue=float(stats.chi2.sf(chi_square, n - 1)),
        n_raters=m,
        n_items=n,
        tie_correction=ties,
        rank_sums=rank_sums,
    )
