"""k-means clustering: k-means++ seeding, Lloyd iterations on scipy's ``cdist``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import as_rng, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._features import as_features
from custcentric.segmentation._segmentation import Segmentation
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray, RNGLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_ITER",
    "MAX_N_INIT",
    "MAX_RAW_FEATURE",
    "KMeansResult",
    "assign",
    "kmeans",
    "kmeans_plus_plus",
    "lloyd",
    "standardize_features",
]

#: The most k-means++ starts accepted (``n_init``): a stated bound, so that a typo cannot
#: start a run that never ends.
MAX_N_INIT = 1000
#: The most Lloyd iterations per start accepted (``max_iter``).
MAX_ITER = 100_000
#: Without standardisation, the largest feature magnitude accepted: squared distances
#: (summed over many customers and features) then stay far below the float64 maximum.
MAX_RAW_FEATURE = 1e150


class _TooFewDistinctError(Exception):
    def __init__(self, n_distinct: int) -> None:
        super().__init__(n_distinct)
        self.n_distinct = n_distinct


def kmeans_plus_plus(x: FloatArray, k: int, rng: np.random.Generator) -> FloatArray:
    """Choose ``k`` starting centres by k-means++ (Arthur & Vassilvitskii 2007).

    Raises ``_TooFewDistinctError`` when the rows hold fewer than ``k`` distinct points.
    """
    n = x.shape[0]
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    d2 = np.einsum("ij,ij->i", x - centres[0], x - centres[0])
    for j in range(1, k):
        cum = np.cumsum(d2)
        total = cum[-1]
        if total <= 0:
            raise _TooFewDistinctError(j)
        idx = min(int(np.searchsorted(cum, rng.random() * total, side="right")), n - 1)
        while d2[idx] <= 0:  # guard against rounding landing on an already chosen point
            idx -= 1
        centres[j] = x[idx]
        diff = x - centres[j]
        np.minimum(d2, np.einsum("ij,ij->i", diff, diff), out=d2)
    return centres


_BLOCK = 1 << 22


def assign(x: FloatArray, centres: FloatArray) -> tuple[IntArray, FloatArray]:
    """Return each row's nearest centre and the squared Euclidean distance to it.

    Distances come from :func:`scipy.spatial.distance.cdist` (``"sqeuclidean"``), a block
    of rows at a time so that memory stays bounded for many clusters.
    """
    from scipy.spatial.distance import cdist

    n, k = x.shape[0], centres.shape[0]
    labels = np.empty(n, dtype=np.int64)
    d2 = np.empty(n)
    step = max(1, _BLOCK // max(k, 1))
    for lo in range(0, n, step):
        dist = cdist(x[lo : lo + step], centres, "sqeuclidean")
        best = np.argmin(dist, axis=1)
        labels[lo : lo + step] = best
        d2[lo : lo + step] = np.take_along_axis(dist, best[:, None], axis=1)[:, 0]
    return labels, d2


def lloyd(
    x: FloatArray,
    x_columns: FloatArray,
    centres: FloatArray,
    *,
    max_iter: int,
    tol: float,
) -> tuple[IntArray, FloatArray, float, int, bool]:
    """Run Lloyd's iterations from ``centres``; return labels, centres, inertia, n_iter, converged.

    ``x_columns`` is ``x`` in Fortran order (columns contiguous, for the centre updates).
    An emptied cluster is re-seeded at the point farthest from its centre.
    """
    k = centres.shape[0]
    previous: IntArray | None = None
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        labels, d2 = assign(x, centres)
        if previous is not None and np.array_equal(labels, previous):
            converged = True
            break
        counts = np.bincount(labels, minlength=k)
        new = np.empty_like(centres)
        for j in range(x.shape[1]):
            new[:, j] = np.bincount(labels, weights=x_columns[:, j], minlength=k)
        empty = np.flatnonzero(counts == 0)
        filled = counts > 0
        new[filled] /= counts[filled, None]
        if empty.size:
            new[empty] = x[np.argsort(d2)[::-1][: empty.size]]
        shift = float(np.sum((new - centres) ** 2))
        centres = new
        previous = labels
        if shift <= tol:
            labels, d2 = assign(x, centres)
            converged = True
            break
    if not converged:
        labels, d2 = assign(x, centres)
    return labels, centres, float(d2.sum()), n_iter, converged


def _power_of_two(peak: FloatArray) -> FloatArray:
    """Return a power of two at or just above each (finite, non-negative) ``peak``; 1 for 0."""
    exponent = np.minimum(np.frexp(peak)[1], 1023)
    power: FloatArray = np.ldexp(1.0, exponent)
    return power


def standardize_features(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Return ``(x - mean) / scale``, the mean, the scale (1 where a column is constant), the std.

    Each column is first divided by a power of two near its largest magnitude (exact in
    floating point), so that sums and squares cannot overflow for values up to the float64
    maximum; z-scores do not depend on that scaling.
    """
    power = _power_of_two(np.abs(x).max(axis=0) if x.shape[0] else np.zeros(x.shape[1]))
    unit = x / power
    mean_unit = unit.mean(axis=0)
    z = unit - mean_unit
    raw_unit = np.sqrt(np.einsum("ij,ij->j", z, z) / max(x.shape[0], 1))
    z /= np.where(raw_unit > 0, raw_unit, 1.0)
    raw = raw_unit * power
    mean = mean_unit * power
    scale = np.where(raw > 0, raw, 1.0)
    return z, mean, scale, raw


def _to_original(z: FloatArray, scale: FloatArray, mean: FloatArray) -> FloatArray:
    """Return ``z * scale + mean`` without an intermediate overflow near the float64 maximum.

    Each column is computed in units of a power of two (exact), so the result equals the
    direct formula bit for bit wherever that one does not overflow.
    """
    power = _power_of_two(np.maximum(np.abs(scale), np.abs(mean)))
    out: FloatArray = (z * (scale / power) + mean / power) * power
    return out


@attrs.frozen(kw_only=True, eq=False)
class KMeansResult(Result):
    """A k-means clustering: labels, centres in the original units, inertia and sizes.

    Clusters are numbered by size, largest first (ties by first appearance of a member).

    Attributes
    ----------
    labels : ndarray of int64
        Each customer's cluster, ``0 .. n_clusters - 1``.
    centres : ndarray of float64, shape (n_clusters, n_features)
        Cluster means in the original units of the features.
    inertia : float
        Sum of squared distances to the nearest centre, in the space that was clustered
        (standardised units when ``standardized``).
    sizes : ndarray of int64
        Customers per cluster.
    n_iter : int
        Lloyd iterations of the best start.
    converged : bool
        Whether the best start converged before ``max_iter``.
    standardized : bool
        Whether the features were standardised (mean 0, standard deviation 1) first.
    mean, scale : ndarray of float64
        The centring and scaling applied (0 and 1 without standardisation).
    feature_names : tuple of str
        The features' names.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.segmentation import kmeans
    >>> x = np.array([[1.0, 100], [1.2, 110], [0.9, 95], [8.0, 900], [8.2, 950]])
    >>> fit = kmeans(x, 2, rng=1)
    >>> fit.n_clusters, fit.sizes.tolist(), fit.predict([[1.1, 105], [7.9, 880]]).tolist()
    (2, [3, 2], [0, 1])
    """

    labels: IntArray = attrs.field(converter=read_only)
    centres: FloatArray = attrs.field(converter=read_only)
    inertia: float
    sizes: IntArray = attrs.field(converter=read_only)
    n_iter: int
    converged: bool
    standardized: bool
    mean: FloatArray = attrs.field(converter=read_only)
    scale: FloatArray = attrs.field(converter=read_only)
    feature_names: tuple[str, ...]

    @property
    def n_clusters(self) -> int:
        """The number of clusters."""
        return int(self.centres.shape[0])

    def predict(self, features: ArrayLike | Mapping[str, ArrayLike]) -> IntArray:
        """Return the nearest cluster of each row of new ``features`` (same columns)."""
        x, _ = as_features(features, self.feature_names)
        if x.shape[1] != self.centres.shape[1]:
            msg = (
                f"`features` must have {self.centres.shape[1]} columns like the fitted data "
                f"(got {x.shape[1]})."
            )
            raise InvalidInputError(msg)
        z = (x - self.mean) / self.scale
        labels, _ = assign(z, (self.centres - self.mean) / self.scale)
        return labels

    def to_segmentation(
        self,
        *,
        names: Sequence[str] | None = None,
        customer_id: ArrayLike | None = None,
    ) -> Segmentation:
        """Return the clusters as a :class:`Segmentation` (``tier_rank`` = cluster number + 1).

        Needs-based clusters have no value order: rank them by value yourself (pass
        ``names`` in cluster order and re-rank with :func:`attrs.evolve`) before using
        ``tier_rank`` for service levels.
        """
        labels = (
            [f"cluster {j + 1}" for j in range(self.n_clusters)] if names is None else list(names)
        )
        if len(labels) != self.n_clusters:
            msg = f"`names` must name each of the {self.n_clusters} clusters (got {len(labels)})."
            raise InvalidInputError(msg)
        return Segmentation.from_labels(
            np.array(labels)[self.labels], order=labels, customer_id=customer_id
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the centres, sizes and fit statistics as plain data (no per-customer labels)."""
        data: dict[str, Any] = jsonable(
            {
                "n_clusters": self.n_clusters,
                "feature_names": list(self.feature_names),
                "centres": self.centres.tolist(),
                "sizes": self.sizes.tolist(),
                "inertia": self.inertia,
                "n_iter": self.n_iter,
                "converged": self.converged,
                "standardized": self.standardized,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per cluster: its size and centre (original units)."""
        columns: dict[str, Any] = {"cluster": np.arange(self.n_clusters), "size": self.sizes}
        for j, name in enumerate(self.feature_names):
            columns[name] = self.centres[:, j]
        return make_frame(columns)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return (
            f"KMeansResult({self.n_clusters} clusters of {int(self.sizes.sum())} customers, "
            f"sizes {self.sizes.tolist()}, inertia {self.inertia:.4g}, "
            f"{'converged' if self.converged else 'not converged'} in {self.n_iter} iterations)"
        )


def _kmeans_iv(
    features: ArrayLike | Mapping[str, ArrayLike],
    n_clusters: int,
    n_init: int,
    max_iter: int,
    tol: float,
    feature_names: Sequence[str] | None,
) -> tuple[FloatArray, tuple[str, ...], int, int, int, float]:
    x, names = as_features(features, feature_names)
    if x.shape[0] == 0:
        msg = "`features` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    k = int(check_number(n_clusters, "n_clusters", low=1, integer=True))
    if k > x.shape[0]:
        msg = f"`n_clusters` must not exceed the number of customers ({k} > {x.shape[0]})."
        raise InvalidInputError(msg)
    inits = int(check_number(n_init, "n_init", low=1, high=MAX_N_INIT, integer=True))
    iters = int(check_number(max_iter, "max_iter", low=1, high=MAX_ITER, integer=True))
    tolerance = check_number(tol, "tol", low=0)
    return x, names, k, inits, iters, tolerance


def kmeans(
    features: ArrayLike | Mapping[str, ArrayLike],
    n_clusters: int,
    *,
    standardize: bool = True,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    feature_names: Sequence[str] | None = None,
    rng: RNGLike = None,
) -> KMeansResult:
    r"""Cluster customers by k-means: k-means++ starts, Lloyd iterations, best of ``n_init``.

    Parameters
    ----------
    features : array_like, shape (n, p), or mapping of name to column
        The customers' features (finite); a 1-D array is one feature.
    n_clusters : int
        The number of clusters, at most the number of distinct rows.
    standardize : bool, default True
        Cluster the z-scores of each feature (constant features are only centred), so that
        features in large units do not dominate. Centres are reported in original units.
    n_init : int, default 10
        Independent k-means++ starts, 1 to ``MAX_N_INIT`` (1000); the one with the
        smallest inertia is kept.
    max_iter : int, default 300
        Lloyd iterations per start at most, 1 to ``MAX_ITER`` (100 000).
    tol : float, default 1e-4
        Stop when the squared centre shift falls to ``tol`` times the mean feature variance
        (of the clustered space), or when no label changes.
    feature_names : sequence of str, optional
        Names of the columns of a 2-D ``features``.
    rng : None, int, SeedSequence or Generator
        Randomness for the starts; the same seed gives the same clustering. A seed is a
        whole number at least 0.

    Returns
    -------
    KMeansResult

    Raises
    ------
    InvalidInputError
        For NaN or infinite features, no customers, more clusters than distinct points,
        ``n_init`` or ``max_iter`` out of range, a bad ``rng`` seed, or (without
        standardisation) features larger than ``MAX_RAW_FEATURE`` in magnitude.

    Notes
    -----
    Lloyd's algorithm alternates the assignment :math:`c_i = \arg\min_k \lVert x_i - \mu_k
    \rVert^2` (distances by :func:`scipy.spatial.distance.cdist`) and the update :math:`\mu_k = \bar{x}_{c = k}`,
    decreasing the inertia :math:`\sum_i \lVert x_i - \mu_{c_i} \rVert^2`. k-means++ draws each
    new start centre with probability proportional to :math:`D(x)^2`, the squared distance to
    the nearest centre already chosen; if every point already coincides with a chosen centre,
    the data hold fewer distinct points than ``n_clusters``. An emptied cluster is re-seeded
    at the point farthest from its centre.

    References
    ----------
    S. P. Lloyd (1982), "Least squares quantization in PCM", *IEEE Trans. Inf. Theory*
    28(2):129-137; D. Arthur and S. Vassilvitskii (2007), "k-means++: the advantages of careful
    seeding", *Proc. SODA*, 1027-1035.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.segmentation import kmeans
    >>> x = np.array([[1.0, 100], [1.2, 110], [0.9, 95], [8.0, 900], [8.2, 950]])
    >>> fit = kmeans(x, 2, rng=1)
    >>> fit.labels.tolist(), fit.sizes.tolist()
    ([0, 0, 0, 1, 1], [3, 2])
    >>> np.round(fit.centres[1], 1).tolist()
    [8.1, 925.0]
    """
    x, names, k, inits, iters, tolerance = _kmeans_iv(
        features, n_clusters, n_init, max_iter, tol, feature_names
    )
    generator = as_rng(rng)
    if standardize:
        z, mean, scale, scale_raw = standardize_features(x)
    else:
        too_big = np.abs(x) > MAX_RAW_FEATURE
        if too_big.any():
            i, j = (int(v) for v in np.argwhere(too_big)[0])
            msg = (
                f"`features` must be at most {MAX_RAW_FEATURE:g} in magnitude without "
                "standardisation, so that squared distances stay finite; pass "
                f"standardize=True or rescale (customer {i}, feature {j}: {x[i, j]!r})."
            )
            raise InvalidInputError(msg)
        z, mean, scale, scale_raw = x, np.zeros(x.shape[1]), np.ones(x.shape[1]), x.std(axis=0)
    z_columns = np.asfortranarray(z)
    variances = (scale_raw > 0).astype(np.float64) if standardize else scale_raw**2
    tol_abs = tolerance * float(np.mean(variances))
    best: tuple[IntArray, FloatArray, float, int, bool] | None = None
    for _ in range(inits):
        try:
            start = kmeans_plus_plus(z, k, generator)
        except _TooFewDistinctError as error:
            msg = (
                f"`n_clusters` must not exceed the number of distinct points "
                f"({k} > {error.n_distinct}) in `features`."
            )
            raise InvalidInputError(msg) from None
        run = lloyd(z, z_columns, start, max_iter=iters, tol=tol_abs)
        if best is None or run[2] < best[2]:
            best = run
    labels, centres_z, inertia, n_iter, converged = cast("tuple[Any, ...]", best)
    sizes = np.bincount(labels, minlength=k)
    first_seen = np.array([np.argmax(labels == j) for j in range(k)])
    order = np.lexsort((first_seen, -sizes))
    relabel = np.empty(k, dtype=np.int64)
    relabel[order] = np.arange(k)
    return KMeansResult(
        labels=relabel[labels],
        centres=_to_original(centres_z[order], scale, mean),
        inertia=inertia,
        sizes=sizes[order].astype(np.int64),
        n_iter=n_iter,
        converged=converged,
        standardized=bool(standardize),
        mean=mean,
        scale=scale,
        feature_names=names,
    )
