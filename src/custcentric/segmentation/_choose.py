"""Choosing the number of clusters: mean silhouette (sampled for large n) and the elbow."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import as_rng, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._features import as_features
from custcentric.segmentation._kmeans import MAX_N_INIT, KMeansResult, kmeans
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray, RNGLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ClusterChoice", "choose_n_clusters", "elbow", "silhouette_score"]


def silhouette_score(x: FloatArray, labels: IntArray) -> float:
    r"""Return the mean silhouette :math:`s_i = (b_i - a_i) / \max(a_i, b_i)` of the rows of ``x``.

    :math:`a_i` is the mean distance to the other members of :math:`i`'s cluster,
    :math:`b_i` the smallest mean distance to the members of another cluster; a point alone
    in its cluster has :math:`s_i = 0` (Rousseeuw 1987). Needs at least two clusters.
    """
    from scipy.spatial.distance import cdist

    uniques, codes = np.unique(labels, return_inverse=True)
    k = uniques.size
    if k < 2:
        return 0.0
    distances = cdist(x, x)
    counts = np.bincount(codes, minlength=k).astype(np.float64)
    one_hot = np.zeros((codes.size, k))
    one_hot[np.arange(codes.size), codes] = 1.0
    sums = distances @ one_hot
    own = sums[np.arange(codes.size), codes]
    own_count = counts[codes]
    alone = own_count <= 1
    a = own / np.where(alone, 1.0, own_count - 1.0)
    means = sums / counts
    means[np.arange(codes.size), codes] = np.inf
    b = means.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros_like(a), where=(denom > 0) & ~alone)
    return float(s.mean())


def elbow(candidates: Sequence[int], inertia: FloatArray) -> int:
    """Return the candidate farthest below the chord from the first to the last point.

    Both axes are scaled to [0, 1] first (the "kneedle" idea); with fewer than three
    candidates, or no bend, the smallest candidate is returned.
    """
    ks = np.asarray(candidates, dtype=np.float64)
    if ks.size < 3:
        return int(ks[0])
    x = (ks - ks[0]) / (ks[-1] - ks[0])
    spread = inertia[0] - inertia[-1]
    if spread <= 0:
        return int(ks[0])
    y = (inertia - inertia[-1]) / spread
    gap = (1.0 - x) - y
    return int(ks[int(np.argmax(gap))]) if gap.max() > 0 else int(ks[0])


@attrs.frozen(kw_only=True, eq=False)
class ClusterChoice(Result):
    """Candidate cluster counts compared by mean silhouette and inertia.

    Attributes
    ----------
    candidates : tuple of int
        The cluster counts tried, ascending.
    inertia : ndarray of float64
        The inertia of each candidate's clustering.
    silhouette : ndarray of float64
        The mean silhouette of each (on a sample of at most ``sample_size`` customers).
    n_clusters : int
        The candidate with the largest mean silhouette (the recommendation).
    elbow : int
        The candidate at the bend of the inertia curve.
    fits : tuple of KMeansResult
        The clustering for each candidate.
    sample_size : int
        The number of customers the silhouettes were computed on.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.segmentation import choose_n_clusters
    >>> rng = np.random.default_rng(0)
    >>> centres = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    >>> x = np.concatenate([c + rng.normal(size=(50, 2)) for c in centres])
    >>> choice = choose_n_clusters(x, [2, 3, 4], rng=0)
    >>> choice.candidates, choice.n_clusters, choice.best.sizes.tolist()
    ((2, 3, 4), 3, [50, 50, 50])
    """

    candidates: tuple[int, ...]
    inertia: FloatArray = attrs.field(converter=read_only)
    silhouette: FloatArray = attrs.field(converter=read_only)
    n_clusters: int
    elbow: int
    fits: tuple[KMeansResult, ...]
    sample_size: int

    @property
    def best(self) -> KMeansResult:
        """The clustering with ``n_clusters`` clusters."""
        return self.fits[self.candidates.index(self.n_clusters)]

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison table and the choices as plain data."""
        data: dict[str, Any] = jsonable(
            {
                "candidates": list(self.candidates),
                "inertia": self.inertia.tolist(),
                "silhouette": self.silhouette.tolist(),
                "n_clusters": self.n_clusters,
                "elbow": self.elbow,
                "sample_size": self.sample_size,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per candidate: ``n_clusters``, ``inertia``, ``silhouette``."""
        return make_frame(
            {
                "n_clusters": np.array(self.candidates),
                "inertia": self.inertia,
                "silhouette": self.silhouette,
            }
        )

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        rows = [
            f"  k={k}: silhouette {s:.3f}, inertia {i:.4g}"
            for k, s, i in zip(self.candidates, self.silhouette, self.inertia, strict=True)
        ]
        head = f"ClusterChoice(n_clusters={self.n_clusters} by silhouette, elbow at {self.elbow})"
        return "\n".join([head, *rows])


def _candidates_iv(candidates: object) -> list[int]:
    """Return the distinct cluster counts, sorted; refuse a non-sequence or a bad count."""
    if isinstance(candidates, str | bytes | Mapping) or not isinstance(candidates, Iterable):
        msg = f"`candidates` must be a sequence of cluster counts (got {fmt(candidates)})."
        raise InvalidInputError(msg)
    raw = np.asarray(list(candidates), dtype=object)
    if raw.ndim != 1:
        msg = f"`candidates` must be a flat sequence of cluster counts (got shape {raw.shape})."
        raise InvalidInputError(msg)
    ks = sorted({int(check_number(k, "candidates", low=2, integer=True)) for k in raw.tolist()})
    if not ks:
        msg = "`candidates` must hold at least one cluster count (got none)."
        raise InvalidInputError(msg)
    return ks


def choose_n_clusters(
    features: ArrayLike | Mapping[str, ArrayLike],
    candidates: Sequence[int],
    *,
    standardize: bool = True,
    n_init: int = 10,
    sample_size: int = 2000,
    feature_names: Sequence[str] | None = None,
    rng: RNGLike = None,
) -> ClusterChoice:
    """Compare cluster counts by the mean silhouette and by the elbow of the inertia.

    Parameters
    ----------
    features : array_like, shape (n, p), or mapping of name to column
        The customers' features.
    candidates : sequence of int
        Cluster counts to try, each at least 2.
    standardize, n_init : see :func:`kmeans`
    sample_size : int, default 2000
        The silhouette needs all pairwise distances, so above this many customers it is
        computed on a random sample of them (the same sample for every candidate).
    feature_names : sequence of str, optional
        Names of the columns of a 2-D ``features``.
    rng : None, int, SeedSequence or Generator
        Randomness for the clusterings and the sample.

    Returns
    -------
    ClusterChoice
        ``n_clusters`` is the candidate with the largest mean silhouette; ``elbow`` the bend
        of the inertia curve; ``fits`` every clustering.

    Notes
    -----
    The silhouette is measured in the space that was clustered (z-scores when
    ``standardize``). Sampling keeps the cost at :math:`O(m^2)` for a sample of :math:`m`.

    References
    ----------
    P. J. Rousseeuw (1987), "Silhouettes", *J. Comput. Appl. Math.* 20:53-65;
    V. Satopää et al. (2011), "Finding a 'kneedle' in a haystack", *ICDCS Workshops*.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.segmentation import choose_n_clusters
    >>> rng = np.random.default_rng(0)
    >>> centres = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    >>> x = np.concatenate([c + rng.normal(size=(50, 2)) for c in centres])
    >>> choice = choose_n_clusters(x, [2, 3, 4, 5], rng=0)
    >>> choice.n_clusters, choice.elbow
    (3, 3)
    """
    x, names = as_features(features, feature_names)
    if x.shape[0] == 0:
        msg = "`features` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    ks = _candidates_iv(candidates)
    m = int(check_number(sample_size, "sample_size", low=2, integer=True))
    if x.shape[0] <= ks[-1]:
        msg = (
            f"`candidates` must stay below the number of customers for a silhouette "
            f"({ks[-1]} >= {x.shape[0]})."
        )
        raise InvalidInputError(msg)
    generator = as_rng(rng)
    check_number(n_init, "n_init", low=1, high=MAX_N_INIT, integer=True)
    streams = generator.spawn(len(ks) + 1)
    fits = tuple(
        kmeans(x, k, standardize=standardize, n_init=n_init, feature_names=names, rng=s)
        for k, s in zip(ks, streams[:-1], strict=True)
    )
    n = x.shape[0]
    sample = np.sort(streams[-1].choice(n, size=m, replace=False)) if n > m else np.arange(n)
    z = (x[sample] - fits[0].mean) / fits[0].scale
    silhouettes = np.array([silhouette_score(z, fit.labels[sample]) for fit in fits])
    inertia = np.array([fit.inertia for fit in fits])
    return ClusterChoice(
        candidates=tuple(ks),
        inertia=inertia,
        silhouette=silhouettes,
        n_clusters=ks[int(np.argmax(silhouettes))],
        elbow=elbow(ks, inertia),
        fits=fits,
        sample_size=int(sample.size),
    )
