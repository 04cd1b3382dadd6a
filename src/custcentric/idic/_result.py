"""Results of identity resolution: clusters, golden records, scored pairs and evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, check_equal_length
from custcentric.idic._fellegi_sunter import FellegiSunter, FellegiSunterFit
from custcentric.tables import CustomerTable
from custcentric.typing import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["IdentityResolution", "LinkageEvaluation"]


def _pairs_in_groups(sizes: IntArray) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


@attrs.frozen(kw_only=True)
class LinkageEvaluation:
    """Pairwise quality of a clustering of records against the true identities.

    Attributes
    ----------
    precision : float
        Share of record pairs put in one cluster that belong to one person.
    recall : float
        Share of record pairs of one person that were put in one cluster.
    f1 : float
        Harmonic mean of precision and recall.
    pairs_completeness : float
        Share of same-person pairs that blocking made candidates (the ceiling of pairwise
        recall before transitive closure).
    n_people, n_true_people : int
        Clusters found, and true persons.
    n_predicted_pairs, n_true_pairs, n_correct_pairs : int
        Same-cluster pairs, same-person pairs, and pairs that are both.

    Examples
    --------
    >>> from custcentric.idic import resolve_identities
    >>> from custcentric.tables import CustomerTable
    >>> records = CustomerTable.from_arrays(["a", "b", "c"], name=["Ann Lee", "Bo Sun", "Cy Ng"])
    >>> result = resolve_identities(records, fields=["name"], blocking=["name"])
    >>> quality = result.evaluate(["p1", "p1", "p2"])
    >>> quality.precision, quality.recall, quality.n_true_pairs
    (1.0, 0.0, 1)
    """

    precision: float
    recall: float
    f1: float
    pairs_completeness: float
    n_people: int
    n_true_people: int
    n_predicted_pairs: int
    n_true_pairs: int
    n_correct_pairs: int

    def to_dict(self) -> dict[str, Any]:
        """Return the evaluation as plain JSON-ready data."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f}, recall {self.recall:.4f}, F1 {self.f1:.4f}; "
            f"{self.n_people} people found, {self.n_true_people} true"
        )


@attrs.frozen(kw_only=True, eq=False)
class IdentityResolution:
    """The outcome of :func:`resolve_identities`.

    Attributes
    ----------
    cluster : ndarray of int
        Person number of each record, ``0 .. n_people - 1``, numbered in order of each
        person's first record.
    golden : CustomerTable
        One golden record per person (row ``k`` is person ``k``), ids ``P000001`` ...;
        attributes ``n_records`` and ``source_id`` (the customer id of the record that
        ranked first for the person).
    fields : tuple of str
        The compared fields, in the column order of ``levels``.
    comparisons : tuple of str
        ``"exact"`` or ``"jaro_winkler"`` per field.
    similarity_thresholds : tuple of float
        Jaro–Winkler bands: a fuzzy field's level is 0 if equal, ``1 + b`` if the
        similarity reaches band ``b`` (highest first), else the last level.
    blocking : tuple of tuple of str
        The blocking rules (a pair is a candidate if all fields of any rule agree).
    left, right : ndarray of int
        Record indices of the candidate pairs (``left < right``).
    levels : ndarray of int8, shape (n_pairs, n_fields)
        Comparison level of each pair and field; -1 where either record lacks the field.
    weight : ndarray of float
        Fellegi–Sunter match weight ``W`` of each pair (bits).
    probability : ndarray of float
        Match probability ``p = 2^W / (1 + 2^W)``.
    linked : ndarray of bool
        ``probability >= threshold``: the edges that formed the clusters.
    model : FellegiSunter or None
        The m/u model used (given or estimated); None if there was no candidate pair to
        estimate it from.
    fit : FellegiSunterFit or None
        The EM fit, when anything was estimated.
    threshold : float
        The link threshold on the match probability.
    n_skipped_blocks : int
        Blocks larger than ``max_block_size`` that gave no pairs.

    Examples
    --------
    >>> from custcentric.idic import resolve_identities
    >>> from custcentric.tables import CustomerTable
    >>> records = CustomerTable.from_arrays(
    ...     ["w1", "s7", "w2"], name=["Mia Osei", "Osei, Mia", "Tom Berg"],
    ...     phone=["555 123 4567", "(555) 123-4567", "555 987 6543"])
    >>> result = resolve_identities(records, m=[(0.9, 0.05, 0.03, 0.02)] * 2 + [0.95],
    ...                             u=[(0.01, 0.02, 0.07, 0.9)] * 2 + [0.001], prior=0.5)
    >>> result.cluster.tolist(), result.n_pairs, result.cluster_sizes.tolist()
    ([0, 0, 1], 1, [2, 1])
    """

    cluster: IntArray
    golden: CustomerTable
    fields: tuple[str, ...]
    comparisons: tuple[str, ...]
    similarity_thresholds: tuple[float, ...]
    blocking: tuple[tuple[str, ...], ...]
    left: IntArray
    right: IntArray
    levels: NDArray[np.int8]
    weight: FloatArray
    probability: FloatArray
    linked: BoolArray
    model: FellegiSunter | None
    fit: FellegiSunterFit | None
    threshold: float
    n_skipped_blocks: int = 0

    @property
    def n_records(self) -> int:
        """Records resolved."""
        return int(self.cluster.size)

    @property
    def n_people(self) -> int:
        """Distinct persons (clusters) found."""
        return len(self.golden)

    @property
    def n_pairs(self) -> int:
        """Candidate pairs scored."""
        return int(self.left.size)

    @property
    def reduction_ratio(self) -> float:
        """``1 - candidate pairs / all pairs``: the share of comparisons blocking saved."""
        n = self.n_records
        total = n * (n - 1) // 2
        return 1.0 - self.n_pairs / total if total else 0.0

    @property
    def cluster_sizes(self) -> IntArray:
        """Records per person."""
        return np.bincount(self.cluster, minlength=self.n_people).astype(np.int64)

    def evaluate(self, true_ids: ArrayLike) -> LinkageEvaluation:
        r"""Compare the clusters with known identities (e.g. a labelled sample).

        Parameters
        ----------
        true_ids : array_like
            The true person of each record (any hashable labels), one per record.

        Returns
        -------
        LinkageEvaluation
            Pairwise precision, recall, F1 and blocking's pairs completeness.

        Notes
        -----
        Over all record pairs: a pair is predicted if both records share a cluster, true if
        both belong to one person; precision = correct / predicted, recall = correct / true.
        Counts come from cluster sizes, :math:`\sum_c \binom{n_c}{2}`, so no pair list
        is built.
        """
        truth = as_1d(true_ids, "true_ids")
        check_equal_length({"cluster": self.cluster, "true_ids": truth})
        _, true_code = np.unique(truth, return_inverse=True)
        true_code = true_code.astype(np.int64)
        joint = self.cluster * np.int64(true_code.max() + 1 if true_code.size else 1) + true_code
        n_pred = _pairs_in_groups(np.bincount(self.cluster))
        n_true = _pairs_in_groups(np.bincount(true_code))
        n_correct = _pairs_in_groups(np.unique(joint, return_counts=True)[1])
        precision = n_correct / n_pred if n_pred else 1.0
        recall = n_correct / n_true if n_true else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        candidates = int(np.count_nonzero(true_code[self.left] == true_code[self.right]))
        return LinkageEvaluation(
            precision=precision,
            recall=recall,
            f1=f1,
            pairs_completeness=candidates / n_true if n_true else 1.0,
            n_people=self.n_people,
            n_true_people=int(np.unique(true_code).size),
            n_predicted_pairs=n_pred,
            n_true_pairs=n_true,
            n_correct_pairs=n_correct,
        )

    def summary(self) -> str:
        """Return a readable account of the resolution: counts, blocking, weights."""
        source = "none" if self.model is None else ("EM-estimated" if self.fit else "given")
        sizes = self.cluster_sizes
        lines = [
            f"Identity resolution (Fellegi–Sunter, {source} m/u)",
            f"  records           {self.n_records:,}",
            f"  people            {self.n_people:,} (largest: {int(sizes.max(initial=0))} records)",
            f"  candidate pairs   {self.n_pairs:,} (reduction ratio {self.reduction_ratio:.4%})",
            f"  linked pairs      {int(self.linked.sum()):,} (p >= {self.threshold:g})",
            "  blocking          " + " | ".join("+".join(rule) for rule in self.blocking),
        ]
        if self.n_skipped_blocks:
            lines.append(f"  skipped blocks    {self.n_skipped_blocks:,} (over max_block_size)")
        if self.model is not None:
            lines.append(f"  prior (candidates) {self.model.prior:.4f}")
            lines.append("  weights (bits) by level, best agreement first:")
            for name, kind, w in zip(
                self.fields, self.comparisons, self.model.weights, strict=True
            ):
                values = ", ".join(f"{x:+.2f}" for x in w)
                lines.append(f"    {name:<14} {kind:<13} {values}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return (
            f"IdentityResolution({self.n_records} records -> {self.n_people} people, "
            f"{self.n_pairs} candidate pairs, {int(self.linked.sum())} linked)"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return cluster ids, pairs and parameters as plain JSON-ready data."""
        return {
            "cluster": self.cluster.tolist(),
            "n_people": self.n_people,
            "fields": list(self.fields),
            "comparisons": list(self.comparisons),
            "similarity_thresholds": list(self.similarity_thresholds),
            "blocking": [list(rule) for rule in self.blocking],
            "threshold": self.threshold,
            "pairs": {
                "left": self.left.tolist(),
                "right": self.right.tolist(),
                "levels": self.levels.tolist(),
                "weight": self.weight.tolist(),
                "probability": self.probability.tolist(),
                "linked": self.linked.tolist(),
            },
            "model": None if self.model is None else self.model.to_dict(),
            "fit": None if self.fit is None else self.fit.to_dict(),
            "n_skipped_blocks": self.n_skipped_blocks,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return the scored pairs as a DataFrame, one level column per field (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {"left": self.left, "right": self.right}
        for k, name in enumerate(self.fields):
            columns[f"level_{name}"] = self.levels[:, k]
        columns.update(weight=self.weight, probability=self.probability, linked=self.linked)
        return make_frame(columns)
