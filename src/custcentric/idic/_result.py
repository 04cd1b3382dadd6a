"""Results of identity resolution: clusters, golden records, scored pairs and evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, check_equal_length, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.idic._codes import FieldCodes
from custcentric.idic._comparisons import FieldSpec, TermFrequencies, compare_field
from custcentric.idic._fellegi_sunter import FellegiSunter, FellegiSunterFit
from custcentric.idic._fields import FieldColumns
from custcentric.tables import CustomerTable
from custcentric.typing import BoolArray, FloatArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FieldEvidence",
    "IdentityResolution",
    "LinkExplanation",
    "LinkageEvaluation",
    "ResolutionState",
]


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
class ResolutionState:
    """What a resolution keeps to explain its pairs and to link new records later.

    Attributes
    ----------
    records : CustomerTable
        The records resolved (for an incremental run: the existing ones, then the new).
    columns : FieldColumns
        Their standardised fields.
    specs : tuple of FieldSpec
        The compared fields with their comparison levels.
    frequencies : tuple of dict of int to TermFrequencies
        Per field, the value counts of each frequency-adjusted level.
    blocking : tuple of tuple of str
        The blocking rules.
    stamps : ndarray of int or None
        Per record, the recency stamp used for survivorship.
    n_phone_digits : int
        Trailing telephone digits compared.
    max_block_size : int or None
        The block-size cap.
    n_issued : int
        Person numbers issued so far (the next new person gets ``n_issued + 1``).
    field_codes : dict of str to FieldCodes
        Sorted values and per-record codes of the blocking fields and the names (so new
        records are blocked without sorting the existing ones again).
    """

    records: CustomerTable
    columns: FieldColumns
    specs: tuple[FieldSpec, ...]
    frequencies: tuple[dict[int, TermFrequencies], ...]
    blocking: tuple[tuple[str, ...], ...]
    stamps: IntArray | None
    n_phone_digits: int
    max_block_size: int | None
    n_issued: int
    field_codes: dict[str, FieldCodes] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class FieldEvidence:
    """One field's part in a link decision (see :meth:`IdentityResolution.why`).

    Attributes
    ----------
    field : str
        The compared field.
    values : tuple of str
        The two records' standardised values (``""`` where missing).
    level : int
        The comparison level reached (0 = the first level; -1 = missing).
    label : str
        The level's text (``"exact"``, ``"damerau_levenshtein<=1"``, ``"else"``, ``"missing"``).
    weight : float
        ``log2(m / u)`` of the level, in bits (0 when missing).
    tf_adjustment : float
        Term-frequency bits added for agreeing on this value (0 when not adjusted).

    Examples
    --------
    >>> from custcentric.idic import FieldEvidence
    >>> e = FieldEvidence(field="phone", values=("5551234567", "5551234567"), level=0,
    ...                   label="exact", weight=12.4, tf_adjustment=0.0)
    >>> e.to_dict()["label"], e.weight
    ('exact', 12.4)
    """

    field: str
    values: tuple[str, str]
    level: int
    label: str
    weight: float
    tf_adjustment: float

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as plain JSON-ready data."""
        return {
            "field": self.field,
            "values": list(self.values),
            "level": self.level,
            "label": self.label,
            "weight": self.weight,
            "tf_adjustment": self.tf_adjustment,
        }


@attrs.frozen(kw_only=True)
class LinkExplanation:
    """Why two records were (or were not) linked: per field, the level, weight and tf bits.

    Attributes
    ----------
    records : tuple of int
        The two record indices.
    customer_ids : tuple of str
        Their customer ids.
    fields : tuple of FieldEvidence
        One entry per compared field.
    prior_weight : float
        ``log2(λ / (1 - λ))``, the prior log-odds in bits.
    weight : float
        The match weight: the prior plus every field's weight and tf adjustment.
    probability : float
        ``2^W / (1 + 2^W)``.
    threshold : float
        The link threshold of the resolution.
    candidate : bool
        Whether blocking made the pair a candidate (only candidates are ever linked).
    linked : bool
        Whether the pair is a link (candidate and ``probability >= threshold``).
    same_person : bool
        Whether the records ended in one person (directly or through other links).

    Examples
    --------
    >>> from custcentric.idic import resolve_identities
    >>> from custcentric.tables import CustomerTable
    >>> records = CustomerTable.from_arrays(["a", "b"], name=["Ann Lee", "Ann Lee"],
    ...                                     phone=["555 123 4567", "555-123-4567"])
    >>> result = resolve_identities(records, fields={"phone": ["exact"]}, blocking=["phone"],
    ...                             m=[0.95], u=[0.001], prior=0.5)
    >>> why = result.why(0, 1)
    >>> why.linked, round(why.weight, 2), [f.label for f in why.fields]
    (True, 9.89, ['exact'])
    >>> print(why)  # doctest: +NORMALIZE_WHITESPACE
    records 0 (a) and 1 (b): linked, same person: True
      phone  exact  +9.89 bits   '5551234567' / '5551234567'
      prior         +0.00 bits
      total +9.89 bits -> p = 0.9990 (threshold 0.9)
    """

    records: tuple[int, int]
    customer_ids: tuple[str, str]
    fields: tuple[FieldEvidence, ...]
    prior_weight: float
    weight: float
    probability: float
    threshold: float
    candidate: bool
    linked: bool
    same_person: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the explanation as plain JSON-ready data."""
        return {
            "records": list(self.records),
            "customer_ids": list(self.customer_ids),
            "fields": [f.to_dict() for f in self.fields],
            "prior_weight": self.prior_weight,
            "weight": self.weight,
            "probability": self.probability,
            "threshold": self.threshold,
            "candidate": self.candidate,
            "linked": self.linked,
            "same_person": self.same_person,
        }

    def __str__(self) -> str:
        i, j = self.records
        a, b = self.customer_ids
        verdict = "linked" if self.linked else "not linked"
        if not self.candidate:
            verdict += " (not a candidate pair: no blocking rule groups them)"
        lines = [f"records {i} ({a}) and {j} ({b}): {verdict}, same person: {self.same_person}"]
        width = max(len(f.field) for f in self.fields) if self.fields else 5
        for f in self.fields:
            shown = f"{f.values[0]!r} / {f.values[1]!r}"
            tf = f"  tf {f.tf_adjustment:+.2f}" if f.tf_adjustment else ""
            lines.append(f"  {f.field:<{width}}  {f.label:<24} {f.weight:+7.2f} bits{tf}   {shown}")
        lines.append(f"  {'prior':<{width}}  {'':<24} {self.prior_weight:+7.2f} bits")
        lines.append(
            f"  total {self.weight:+.2f} bits -> p = {self.probability:.4f} "
            f"(threshold {self.threshold:g})"
        )
        return "\n".join(lines)


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
        Per field, ``"exact"`` or ``"jaro_winkler"`` when it was given so, else ``"levels"``
        (see ``specs`` for the levels themselves).
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
    person_id : ndarray of str
        Person id of each record (``golden.customer_id[cluster]``). The same input gives the
        same ids whatever the row order; an incremental run keeps every existing id.
    tf_adjustment : ndarray of float, shape (n_pairs, n_fields)
        Term-frequency bits added to each pair's weight, per field (0 where not adjusted).
    specs : tuple of FieldSpec
        The compared fields with their comparison levels and term-frequency flag.
    implied_merges : tuple of tuple of str
        For an incremental run: groups of existing person ids that the new records link to
        each other. They are *not* merged; each group is listed for review.
    state : ResolutionState or None
        What :meth:`why` and ``resolve_identities(..., existing=result)`` need.

    Examples
    --------
    >>> from custcentric.idic import resolve_identities
    >>> from custcentric.tables import CustomerTable
    >>> records = CustomerTable.from_arrays(
    ...     ["w1", "s7", "w2"], name=["Mia Osei", "Osei, Mia", "Tom Berg"],
    ...     phone=["555 123 4567", "(555) 123-4567", "555 987 6543"])
    >>> result = resolve_identities(records, fields={"name": "jaro_winkler", "phone": "exact"},
    ...                             m=[(0.9, 0.05, 0.03, 0.02), 0.95],
    ...                             u=[(0.01, 0.02, 0.07, 0.9), 0.001], prior=0.5)
    >>> result.cluster.tolist(), result.n_pairs, result.cluster_sizes.tolist()
    ([0, 0, 1], 1, [2, 1])
    >>> result.person_id.tolist()
    ['P000001', 'P000001', 'P000002']
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
    person_id: StrArray
    tf_adjustment: FloatArray
    specs: tuple[FieldSpec, ...] = ()
    implied_merges: tuple[tuple[str, ...], ...] = ()
    state: ResolutionState | None = attrs.field(default=None, repr=False)

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

    def why(self, i: int, j: int) -> LinkExplanation:
        """Explain the link decision for records ``i`` and ``j``.

        Parameters
        ----------
        i, j : int
            Record indices (rows of the resolved table), distinct.

        Returns
        -------
        LinkExplanation
            Per field the values, level, weight and term-frequency adjustment, and the
            prior, total weight and probability (``str()`` gives a table, ``to_dict()`` data).
            A pair blocking never grouped is scored too, and marked ``candidate=False``.

        Raises
        ------
        InvalidInputError
            If ``i`` or ``j`` is not a record index, they are equal, or the result has no
            model (there was no candidate pair).

        Examples
        --------
        >>> from custcentric.idic import resolve_identities
        >>> from custcentric.tables import CustomerTable
        >>> records = CustomerTable.from_arrays(
        ...     ["w1", "s7", "w2"], name=["Mia Osei", "Osei, Mia", "Tom Berg"],
        ...     phone=["555 123 4567", "(555) 123-4567", "555 987 6543"])
        >>> result = resolve_identities(records, m=[(0.9, 0.05, 0.03, 0.02)] * 2 + [0.95],
        ...                             u=[(0.01, 0.02, 0.07, 0.9)] * 2 + [0.001], prior=0.5,
        ...                             fields={"first_name": "jaro_winkler",
        ...                                     "last_name": "jaro_winkler", "phone": "exact"},
        ...                             term_frequency=[])
        >>> why = result.why(0, 1)
        >>> [(f.field, f.label, round(f.weight, 2)) for f in why.fields]
        [('first_name', 'exact', 6.49), ('last_name', 'exact', 6.49), ('phone', 'exact', 9.89)]
        >>> round(why.probability, 6), why.linked
        (1.0, True)
        """
        n = self.n_records
        a = int(check_number(i, "i", low=0, high=n - 1, integer=True))
        b = int(check_number(j, "j", low=0, high=n - 1, integer=True))
        if a == b:
            msg = f"`j` must differ from `i` (both {a})."
            raise InvalidInputError(msg)
        if self.model is None or self.state is None:
            msg = "`why` needs a scored resolution (this one had no candidate pair)."
            raise InvalidInputError(msg)
        lo, hi = min(a, b), max(a, b)
        candidate = bool(np.any((self.left == lo) & (self.right == hi)))
        state = self.state
        left = np.array([lo], dtype=np.int64)
        right = np.array([hi], dtype=np.int64)
        evidence = []
        total = float(np.log2(self.model.prior) - np.log2(1.0 - self.model.prior))
        prior_weight = total
        for k, spec in enumerate(state.specs):
            values = state.columns[spec.field]
            level, adjust = compare_field(values, spec, left, right, state.frequencies[k])
            lv = int(level[0])
            w = float(self.model.weights[k][lv]) if lv >= 0 else 0.0
            tf = float(adjust[0])
            total += w + tf
            evidence.append(
                FieldEvidence(
                    field=spec.field,
                    values=(str(values[a]), str(values[b])),
                    level=lv,
                    label=spec.label(lv),
                    weight=w,
                    tf_adjustment=tf,
                )
            )
        probability = float(expit(total * np.log(2.0)))
        ids = self.state.records.customer_id
        return LinkExplanation(
            records=(a, b),
            customer_ids=(str(ids[a]), str(ids[b])),
            fields=tuple(evidence),
            prior_weight=prior_weight,
            weight=total,
            probability=probability,
            threshold=self.threshold,
            candidate=candidate,
            linked=bool(candidate and probability >= self.threshold),
            same_person=bool(self.cluster[a] == self.cluster[b]),
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
            for k, (name, w) in enumerate(zip(self.fields, self.model.weights, strict=True)):
                if self.specs:
                    labels = [str(lv) for lv in self.specs[k].levels] + ["else"]
                else:  # pragma: no cover - every resolution records its specs
                    labels = [str(x) for x in range(len(w))]
                tf = " (tf)" if self.specs and self.specs[k].term_frequency else ""
                values = ", ".join(f"{lab} {x:+.2f}" for lab, x in zip(labels, w, strict=True))
                lines.append(f"    {name + tf:<15} {values}")
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
            "person_id": self.person_id.tolist(),
            "tf_adjustment": self.tf_adjustment.tolist(),
            "specs": [spec.to_dict() for spec in self.specs],
            "implied_merges": [list(group) for group in self.implied_merges],
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return the scored pairs as a DataFrame, one level column per field (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {"left": self.left, "right": self.right}
        for k, name in enumerate(self.fields):
            columns[f"level_{name}"] = self.levels[:, k]
        if self.tf_adjustment.size:
            columns["tf_adjustment"] = self.tf_adjustment.sum(axis=1)
        columns.update(weight=self.weight, probability=self.probability, linked=self.linked)
        return make_frame(columns)
