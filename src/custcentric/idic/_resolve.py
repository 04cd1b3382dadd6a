"""resolve_identities: standardise, block, compare, score (Fellegi–Sunter), cluster, merge."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from custcentric._validation import as_1d, as_datetime_array, check_number, fmt
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.idic._blocking import block_pairs, key_codes
from custcentric.idic._fellegi_sunter import FellegiSunter, FellegiSunterFit
from custcentric.idic._fields import Comparison, FieldColumns, parse_blocking, parse_fields
from custcentric.idic._golden import golden_records
from custcentric.idic._jaro import unique_pair_similarity
from custcentric.idic._result import IdentityResolution
from custcentric.tables import CustomerTable
from custcentric.tables._columns import frozen
from custcentric.typing import IntArray

__all__ = ["DEFAULT_BLOCKING", "DEFAULT_FIELDS", "resolve_identities"]

DEFAULT_FIELDS: Final[Mapping[str, str]] = {
    "first_name": "jaro_winkler",
    "last_name": "jaro_winkler",
    "email": "jaro_winkler",
    "phone": "exact",
    "birth_date": "exact",
}
"""Fields compared by default, with their comparison."""

DEFAULT_BLOCKING: Final[tuple[tuple[str, ...], ...]] = (
    ("phone",),
    ("email",),
    ("last_name", "first_initial"),
    ("first_name", "birth_date"),
)
"""Blocking rules used by default: same phone, or same e-mail, or same surname and initial,
or same first name and birth date."""


def resolve_identities(
    records: CustomerTable,
    *,
    fields: Mapping[str, str] | Sequence[str] = DEFAULT_FIELDS,
    blocking: Sequence[str | Sequence[str]] = DEFAULT_BLOCKING,
    threshold: float = 0.9,
    m: Sequence[Any] | None = None,
    u: Sequence[Any] | None = None,
    prior: float | None = None,
    similarity_thresholds: Sequence[float] = (0.92, 0.8),
    recency: ArrayLike | str | None = None,
    max_block_size: int | None = None,
    n_phone_digits: int = 10,
    max_iter: int = 500,
) -> IdentityResolution:
    r"""Link records of the same person across channels and merge each person's records.

    Parameters
    ----------
    records : CustomerTable
        Records to resolve (e.g. channel profiles; ids need not be unique).
    fields : mapping of str to str, or sequence of str
        Fields to compare and how: ``"exact"`` or ``"jaro_winkler"``. Names are
        ``name``, ``first_name``, ``last_name``, ``first_initial``, ``email``,
        ``email_local``, ``phone``, ``birth_date``, ``birth_year`` (standardised from the
        table's columns) or an attribute column. A bare name list uses Jaro–Winkler for
        names and e-mail parts and exact comparison otherwise. The default
        (:data:`DEFAULT_FIELDS`) leaves out fields that are empty in every record; fields
        named explicitly must hold values.
    blocking : sequence of str or sequence of str
        Blocking rules: a pair is a candidate if, for any rule, its records agree on every
        field of the rule (and have them). Pairs are built by sorting the keys, never by
        comparing all pairs.
    threshold : float, default 0.9
        Link two records when their match probability is at least this, in (0, 1).
    m, u : sequence, optional
        Known ``m`` and ``u`` probabilities per field and level (see :class:`FellegiSunter`;
        levels per field: 2 for exact, ``2 + len(similarity_thresholds)`` for fuzzy
        fields). What is not given is estimated by EM on the candidate pairs.
    prior : float, optional
        Known share of matches among the candidate pairs; estimated by EM if omitted.
    similarity_thresholds : sequence of float, default (0.92, 0.8)
        Jaro–Winkler bands for fuzzy fields, decreasing, each in (0, 1).
    recency : array_like of datetime or str, optional
        Per record, when it was last updated (or the name of such an attribute): the golden
        record prefers the most recent value. By default the most complete record wins.
    max_block_size : int, optional
        Skip blocks with more records than this (with a
        :class:`~custcentric.exceptions.DegenerateDataWarning`); no cap by default.
    n_phone_digits : int, default 10
        Trailing digits that identify a telephone number (see :func:`normalize_phone`).
    max_iter : int, default 500
        EM iteration cap.

    Returns
    -------
    IdentityResolution
        Person per record, golden records, scored pairs, the model and its fit.

    Raises
    ------
    InvalidInputError
        If ``records`` is not a CustomerTable or is empty, a field or blocking rule is
        unknown or empty in every record, a record has none of the compared fields, or an
        option is out of range.

    Notes
    -----
    1. *Standardise*: names lower-cased, "Last, First" turned round, punctuation dropped;
       e-mail trimmed and lower-cased; telephone numbers reduced to their last digits.
    2. *Block*: per rule, sort the records by the rule's key and emit the pairs inside each
       run of equal keys; the union over rules, once each.
    3. *Compare*: per field, level 0 if equal; for fuzzy fields ``1 + b`` if the
       Jaro–Winkler similarity reaches band ``b``; the last level otherwise; -1 if either
       record lacks the field. Similarities are computed once per distinct pair of values.
    4. *Score*: :math:`W = \log_2(λ/(1-λ)) + \sum_k \log_2(m_k(γ_k)/u_k(γ_k))`,
       :math:`p = 2^W/(1+2^W)`, with m, u and λ given or estimated by EM on the candidate
       pairs (:meth:`FellegiSunter.fit`). Everything describes the *candidate* population:
       λ is the share of matches among candidate pairs, and ``u`` is the level distribution
       of non-matches that blocking let through (which agree on a blocking key more often
       than random pairs do).
    5. *Cluster*: link pairs with :math:`p \ge` ``threshold``; persons are the connected
       components (union–find via :func:`scipy.sparse.csgraph.connected_components`).
       Linking is transitive, so check ``cluster_sizes`` for chains that over-merge.
    6. *Golden record*: per person, the name most of their records agree on (then a full
       first name over an initial, then the spelling most common in the whole table, then
       record rank); for e-mail, phone and birth date, the value of the highest-ranked
       record that has one. Rank: most recent first if ``recency`` is given, else the
       record with most of name, e-mail, phone and birth date, then the first in the table.

    References
    ----------
    Fellegi & Sunter (1969), *JASA* 64(328), 1183–1210. Jaro (1989), *JASA* 84(406),
    414–420. Christen, P. (2012). *Data Matching*. Springer, ch. 2–6. Tarjan, R. E.
    (1975), *JACM* 22(2), 215–225.

    Examples
    --------
    >>> from custcentric.idic import resolve_identities
    >>> from custcentric.tables import CustomerTable
    >>> records = CustomerTable.from_arrays(
    ...     ["w1", "s7", "t3", "w2"],
    ...     name=["Mia Osei", "Osei, Mia", "Mia Osie", "Tom Berg"],
    ...     email=["mia.osei@example.org", "MIA.OSEI@EXAMPLE.ORG", "", "tom@example.org"],
    ...     phone=["+1 555-123-4567", "(555) 123-4567", "555 123 4567", "555 987 6543"],
    ... )
    >>> result = resolve_identities(records, m=[(0.9, 0.05, 0.03, 0.02)] * 3 + [0.95],
    ...                             u=[(0.01, 0.02, 0.07, 0.9)] * 3 + [0.001], prior=0.5)
    >>> result.cluster.tolist(), result.n_people
    ([0, 0, 0, 1], 2)
    >>> result.golden.name.tolist()
    ['Mia Osei', 'Tom Berg']
    """
    given: object = records
    if not isinstance(given, CustomerTable):
        msg = f"`records` must be a CustomerTable (got {type(given).__name__})."
        raise InvalidInputError(msg)
    n = len(records)
    if n == 0:
        msg = "`records` must hold at least one record (got an empty table)."
        raise InvalidInputError(msg)
    tau = check_number(
        threshold, "threshold", low=0, high=1, low_inclusive=False, high_inclusive=False
    )
    bands = _check_bands(similarity_thresholds)
    cap = (
        None
        if max_block_size is None
        else int(check_number(max_block_size, "max_block_size", low=2, integer=True))
    )
    digits = int(check_number(n_phone_digits, "n_phone_digits", low=1, integer=True))
    columns = FieldColumns(records, n_phone_digits=digits)
    if isinstance(fields, Mapping) and fields is DEFAULT_FIELDS:
        fields = {f: k for f, k in DEFAULT_FIELDS.items() if (columns[f] != "").any()}
    names, kinds = parse_fields(fields, columns)
    rules = parse_blocking(blocking, columns)
    present = np.stack([columns[f] != "" for f in names], axis=1)
    empty = ~present.any(axis=1)
    if empty.any():
        i = int(np.argmax(empty))
        listed = ", ".join(repr(f) for f in names)
        msg = (
            f"`records` must have at least one of the compared fields ({listed}) filled "
            f"(record {i}: {fmt(records.customer_id[i])})."
        )
        raise InvalidInputError(msg)
    priority = _priority(records, columns, recency)

    left, right, n_skipped, n_skipped_pairs = block_pairs(
        [key_codes([columns[f] for f in rule]) for rule in rules], n, max_block_size=cap
    )
    if n_skipped:
        warnings.warn(
            f"{n_skipped} blocks larger than max_block_size={cap} were skipped "
            f"({n_skipped_pairs:,} candidate pairs not compared).",
            DegenerateDataWarning,
            stacklevel=2,
        )
    levels = _compare(columns, names, kinds, bands, left, right)
    n_levels = [2 if k is Comparison.EXACT else 2 + len(bands) for k in kinds]
    model, fit = _model(levels, n_levels, names, m, u, prior, max_iter)
    if model is None:
        weight = np.zeros(0)
        probability = np.zeros(0)
    else:
        weight = model.match_weight(levels)
        probability = model.match_probability(levels)
    linked = probability >= tau
    cluster = _components(left[linked], right[linked], n)
    golden = golden_records(records, columns, cluster, priority)
    return IdentityResolution(
        cluster=frozen(cluster),
        golden=golden,
        fields=names,
        comparisons=tuple(k.value for k in kinds),
        similarity_thresholds=bands,
        blocking=rules,
        left=frozen(left),
        right=frozen(right),
        levels=frozen(levels),
        weight=frozen(weight),
        probability=frozen(probability),
        linked=frozen(linked),
        model=model,
        fit=fit,
        threshold=tau,
        n_skipped_blocks=n_skipped,
    )


def _check_bands(values: Sequence[float]) -> tuple[float, ...]:
    bands = tuple(
        check_number(
            v, "similarity_thresholds", low=0, high=1, low_inclusive=False, high_inclusive=False
        )
        for v in np.asarray(values, dtype=object).ravel().tolist()
    )
    for i in range(1, len(bands)):
        if bands[i] >= bands[i - 1]:
            msg = (
                "`similarity_thresholds` must decrease "
                f"(index {i}: {bands[i]!r} >= {bands[i - 1]!r})."
            )
            raise InvalidInputError(msg)
    return bands


def _priority(
    records: CustomerTable, columns: FieldColumns, recency: ArrayLike | str | None
) -> IntArray:
    """Rank of each record for survivorship (0 = preferred)."""
    n = len(records)
    completeness = sum(
        (columns[f] != "").astype(np.int64) for f in ("name", "email", "phone", "birth_date")
    )
    keys: list[NDArray[Any]] = [np.arange(n), -completeness]
    if recency is not None:
        if isinstance(recency, str):
            if recency not in records.attributes:
                listed = ", ".join(repr(a) for a in records.attributes) or "none"
                msg = f"`recency` must name an attribute of `records` ({listed}); got {recency!r}."
                raise InvalidInputError(msg)
            recency = records.attributes[recency]
        stamps = as_datetime_array(as_1d(recency, "recency"), "recency")
        if stamps.size != n:
            msg = f"`recency` must have one entry per record ({stamps.size} != {n})."
            raise InvalidInputError(msg)
        keys.append(-stamps.astype(np.int64))
    order = np.lexsort(keys)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank


def _compare(
    columns: FieldColumns,
    names: tuple[str, ...],
    kinds: tuple[Comparison, ...],
    bands: tuple[float, ...],
    left: IntArray,
    right: IntArray,
) -> NDArray[np.int8]:
    levels = np.empty((left.size, len(names)), dtype=np.int8)
    for k, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        vocabulary, codes = np.unique(columns[name], return_inverse=True)
        codes = codes.astype(np.int64)
        a, b = codes[left], codes[right]
        empty = columns[name] == ""
        missing = empty[left] | empty[right]
        if kind is Comparison.EXACT:
            level = np.where(a == b, 0, 1)
        else:
            similarity = unique_pair_similarity(a, b, vocabulary)
            level = np.full(a.size, 1 + len(bands))
            for j in range(len(bands) - 1, -1, -1):
                level = np.where(similarity >= bands[j], 1 + j, level)
            level = np.where(a == b, 0, level)
        levels[:, k] = np.where(missing, -1, level)
    return levels


def _model(
    levels: NDArray[np.int8],
    n_levels: list[int],
    names: tuple[str, ...],
    m: Sequence[Any] | None,
    u: Sequence[Any] | None,
    prior: float | None,
    max_iter: int,
) -> tuple[FellegiSunter | None, FellegiSunterFit | None]:
    if m is not None and u is not None and prior is not None:
        model = FellegiSunter(m=m, u=u, prior=prior, fields=names)
        if model.n_levels != tuple(n_levels):
            msg = f"`m` and `u` must give {n_levels} levels per field (got {list(model.n_levels)})."
            raise InvalidInputError(msg)
        return model, None
    if levels.shape[0] == 0:
        return None, None
    fit = FellegiSunter.fit(
        levels.astype(np.int64),
        n_levels=n_levels,
        fields=names,
        m=m,
        u=u,
        prior=prior,
        max_iter=max_iter,
    )
    return fit.model, fit


def _components(left: IntArray, right: IntArray, n: int) -> IntArray:
    """Return connected components, numbered in order of each component's first record."""
    graph = coo_matrix((np.ones(left.size, dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    result: IntArray = rank[inverse]
    return result
