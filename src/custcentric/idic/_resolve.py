"""resolve_identities: standardise, block, compare, score (Fellegi–Sunter), cluster, merge."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.special import expit

from custcentric._progress import ProgressLike, progress_reporter
from custcentric._validation import as_1d, as_datetime_array, check_number, fmt
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.idic._blocking import block_pairs
from custcentric.idic._codes import FieldCodes, rule_codes
from custcentric.idic._comparisons import (
    FieldSpec,
    TermFrequencies,
    _encode,
    compare_field,
    parse_comparisons,
    term_frequencies,
)
from custcentric.idic._fellegi_sunter import FellegiSunter, FellegiSunterFit
from custcentric.idic._fields import FieldColumns, parse_blocking
from custcentric.idic._golden import golden_records, person_ids
from custcentric.idic._incremental import assign_new_records, cross_pairs
from custcentric.idic._result import IdentityResolution, ResolutionState
from custcentric.tables import CustomerTable
from custcentric.tables._columns import frozen
from custcentric.typing import FloatArray, IntArray, StrArray

__all__ = ["DEFAULT_BLOCKING", "DEFAULT_FIELDS", "resolve_identities"]

DEFAULT_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "first_name": ("exact", "initial", "damerau_levenshtein<=1", "jaro_winkler>=0.8"),
    "last_name": ("exact", "damerau_levenshtein<=1", "jaro_winkler>=0.8"),
    "email": (
        "exact",
        "exact:email_canonical",
        "exact:email_punctuation",
        "damerau_levenshtein<=1 & exact:digits",
        "jaro_winkler>=0.8",
    ),
    "phone": ("exact",),
    "birth_date": ("exact", "date_transposed", "damerau_levenshtein<=1", "same_year"),
}
"""Fields compared by default, with their comparison levels (best agreement first)."""

#: The stages of a full resolution that ``progress=`` reports.
_STAGES: Final = 6

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
    fields: Mapping[str, Any] | Sequence[str] = DEFAULT_FIELDS,
    blocking: Sequence[str | Sequence[str]] = DEFAULT_BLOCKING,
    threshold: float = 0.9,
    m: Sequence[Any] | None = None,
    u: Sequence[Any] | None = None,
    prior: float | None = None,
    similarity_thresholds: Sequence[float] = (0.92, 0.8),
    term_frequency: Sequence[str] | None = None,
    existing: IdentityResolution | None = None,
    recency: ArrayLike | str | None = None,
    max_block_size: int | None = None,
    n_phone_digits: int = 10,
    max_iter: int = 500,
    progress: ProgressLike = None,
) -> IdentityResolution:
    r"""Link records of the same person across channels and merge each person's records.

    Parameters
    ----------
    records : CustomerTable
        Records to resolve (e.g. channel profiles; ids need not be unique).
    fields : mapping of str to levels, or sequence of str
        Fields to compare, each with its comparison levels, best agreement first: a list of
        :class:`Level` values or their text (``"exact"``, ``"exact:email_canonical"``,
        ``"damerau_levenshtein<=1"``, ``"jaro_winkler>=0.92"``, ``"initial"``,
        ``"date_transposed"``, ``"same_year"``; see :data:`LEVEL_KINDS` and
        :data:`NORMALIZATIONS`), or the shorthands ``"exact"`` (one level) and
        ``"jaro_winkler"`` (exact, then one level per ``similarity_thresholds`` band). Names
        are ``name``, ``first_name``, ``last_name``, ``first_initial``, ``email``,
        ``email_local``, ``phone``, ``birth_date``, ``birth_year`` (standardised from the
        table's columns) or an attribute column. A bare name list uses ``"jaro_winkler"``
        for names and e-mail parts and ``"exact"`` otherwise. The default
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
        a field with ``L`` levels has ``L + 1`` probabilities, the last for disagreement).
        What is not given is estimated by EM on the candidate pairs.
    prior : float, optional
        Known share of matches among the candidate pairs; estimated by EM if omitted.
    similarity_thresholds : sequence of float, default (0.92, 0.8)
        Jaro–Winkler bands of the ``"jaro_winkler"`` shorthand, decreasing, each in (0, 1).
    term_frequency : sequence of str, optional
        Compared fields whose exact agreement is weighted by how common the value is (rare
        values count more; see Notes). By default the name fields (``name``,
        ``first_name``, ``last_name``); pass ``[]`` to switch it off.
    existing : IdentityResolution, optional
        A previous result to link ``records`` to, as *new* records: existing people keep
        their ids and records, new records join them or form new people, and links between
        existing people are reported in ``implied_merges`` instead of merged. Fields,
        blocking, term frequency and ``n_phone_digits`` are those of ``existing`` (giving
        others is refused); its model (m, u, prior) is reused, not re-estimated. Only pairs
        involving a new record are built, and only the golden records of people who got new
        records are recomputed.
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
    progress : bool or callable, optional
        None or False: silent. True: a tqdm bar on standard error (the ``progress`` extra),
        or one line per stage there and on the ``custcentric`` logger without tqdm. A callable
        receives a ``ProgressEvent`` per stage: fields prepared, blocking, pairs compared,
        m and u estimated, people found, golden records merged.

    Returns
    -------
    IdentityResolution
        Person per record, golden records, scored pairs, the model and its fit;
        :meth:`IdentityResolution.why` explains any pair.

    Raises
    ------
    InvalidInputError
        If ``records`` is not a CustomerTable or is empty, a field or blocking rule is
        unknown or empty in every record, a comparison level does not suit its field's type
        (e.g. an e-mail normalisation on a date), a record has none of the compared fields,
        an option is out of range, or ``existing`` was built with other fields, levels,
        blocking or options.

    Notes
    -----
    1. *Standardise*: names lower-cased, "Last, First" turned round, punctuation dropped;
       e-mail trimmed and lower-cased; telephone numbers reduced to their last digits.
    2. *Block*: per rule, sort the records by the rule's key and emit the pairs inside each
       run of equal keys; the union over rules, once each.
    3. *Compare*: per field, the first level whose test the two values pass; the level
       after the last if none; -1 if either record lacks the field. Tests run once per
       distinct pair of values.
    4. *Score*: :math:`W = \log_2(λ/(1-λ)) + \sum_k [\log_2(m_k(γ_k)/u_k(γ_k)) + t_k]`,
       :math:`p = 2^W/(1+2^W)`, with m, u and λ given or estimated by EM on the candidate
       pairs (:meth:`FellegiSunter.fit`). Everything describes the *candidate* population:
       λ is the share of matches among candidate pairs, and ``u`` is the level distribution
       of non-matches that blocking let through. :math:`t_k` is the term-frequency
       adjustment of an exact agreement on value ``v`` of a frequency-adjusted field,
       :math:`\log_2(\sum_w f_w^2 / f_v)` with :math:`f_v` the share of records with that
       value: agreeing non-matches meet on ``v`` with probability :math:`f_v^2`, matches
       with :math:`f_v` (Fellegi & Sunter 1969, §3.3.1; Winkler 1989; splink's
       ``tf_adjustment``). EM runs without it, as in splink.
    5. *Cluster*: link pairs with :math:`p \ge` ``threshold``; persons are the connected
       components (:func:`scipy.sparse.csgraph.connected_components`). Linking is
       transitive, so check ``cluster_sizes`` for chains that over-merge.
    6. *Golden record*: per person, the name most of their records agree on (then a full
       first name over an initial, then the spelling most common in the whole table, then
       record rank); for e-mail, phone and birth date, the value of the highest-ranked
       record that has one. Rank: most recent first if ``recency`` is given, else the
       record with most of name, e-mail, phone and birth date, then the first in the table.
    7. *Person ids*: ``P000001`` ... in the order of each person's smallest record (by
       customer id, then name, e-mail, phone and birth date), so the same records give the
       same ids in any row order. With ``existing``, existing people keep their ids and new
       people are numbered on from the last id issued, in the same order.

    References
    ----------
    Fellegi & Sunter (1969), *JASA* 64(328), 1183–1210. Jaro (1989), *JASA* 84(406),
    414–420. Winkler, W. E. (1989), Frequency-based matching in the Fellegi–Sunter model
    of record linkage, *Proc. Section on Survey Research Methods, ASA*, 778–783.
    Christen, P. (2012). *Data Matching*. Springer, ch. 2–6. Linacre, R. et al.,
    *splink* documentation: comparisons, term-frequency adjustments.

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
    >>> fields = {"name": ["exact", "jaro_winkler>=0.9"],
    ...           "email": ["exact", "damerau_levenshtein<=1"], "phone": ["exact"]}
    >>> result = resolve_identities(records, fields=fields,
    ...                             m=[(0.9, 0.08, 0.02)] * 2 + [0.95],
    ...                             u=[(0.01, 0.09, 0.9)] * 2 + [0.001], prior=0.5)
    >>> result.cluster.tolist(), result.person_id.tolist()
    ([0, 0, 0, 1], ['P000001', 'P000001', 'P000001', 'P000002'])
    >>> result.golden.name.tolist()
    ['Mia Osei', 'Tom Berg']

    New records later join the existing people, who keep their ids:

    >>> later = CustomerTable.from_arrays(["a1", "a2"], name=["Tom Berg", "Ida Lund"],
    ...                                   phone=["555-987-6543", "555 000 1111"])
    >>> update = resolve_identities(later, existing=result)
    >>> update.person_id.tolist()
    ['P000001', 'P000001', 'P000001', 'P000002', 'P000002', 'P000003']
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
    report = progress_reporter(progress, "resolve_identities", total=_STAGES)
    if existing is not None:
        report.close()
        return _link_new(
            records,
            existing,
            fields=fields,
            blocking=blocking,
            tau=tau,
            given_model=(m, u, prior),
            term_frequency=term_frequency,
            recency=recency,
            cap=cap,
            digits=digits,
            bands=bands,
        )
    columns = FieldColumns(records, n_phone_digits=digits)
    if isinstance(fields, Mapping) and fields is DEFAULT_FIELDS:
        fields = {f: k for f, k in DEFAULT_FIELDS.items() if (columns[f] != "").any()}
    specs = parse_comparisons(fields, columns, bands, term_frequency)
    names = tuple(s.field for s in specs)
    rules = parse_blocking(blocking, columns)
    _check_filled(records, columns, names)
    stamps = _stamps(records, recency)
    priority = _priority(columns, stamps)
    report.advance("fields prepared")

    encoded = tuple(_encode(columns[s.field]) for s in specs)
    field_codes = {s.field: FieldCodes(*e) for s, e in zip(specs, encoded, strict=True)}
    for name in {*(f for rule in rules for f in rule), "first_name", "last_name"}:
        if name not in field_codes:
            field_codes[name] = FieldCodes.of(columns[name])
    left, right, n_skipped, n_skipped_pairs = block_pairs(
        [rule_codes([field_codes[f] for f in rule]) for rule in rules], n, max_block_size=cap
    )
    _warn_skipped(n_skipped, n_skipped_pairs, cap)
    report.advance(f"blocking: {left.size:,} candidate pairs")
    frequencies = tuple(
        term_frequencies(columns[s.field], s, e) for s, e in zip(specs, encoded, strict=True)
    )
    levels, adjust = _compare(columns, specs, frequencies, left, right, encoded)
    report.advance("pairs compared")
    n_levels = [s.n_levels for s in specs]
    model, fit = _model(levels, n_levels, names, m, u, prior, max_iter)
    weight, probability = _score(model, levels, adjust)
    report.advance("m and u estimated")
    linked = probability >= tau
    cluster = _components(left[linked], right[linked], n)
    numbers = _person_order(columns, cluster, np.arange(n))
    ids = person_ids(numbers)
    report.advance(f"{numbers.size:,} people")
    golden = golden_records(records, columns, cluster, priority, ids)
    report.advance("golden records merged")
    report.close()
    state = ResolutionState(
        records=records,
        columns=columns,
        specs=specs,
        frequencies=frequencies,
        blocking=rules,
        stamps=stamps,
        n_phone_digits=digits,
        max_block_size=cap,
        n_issued=int(numbers.size),
        field_codes=field_codes,
    )
    return IdentityResolution(
        cluster=frozen(cluster),
        golden=golden,
        fields=names,
        comparisons=tuple(s.template for s in specs),
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
        person_id=frozen(ids[cluster]),
        tf_adjustment=frozen(adjust),
        specs=specs,
        state=state,
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


def _check_filled(records: CustomerTable, columns: FieldColumns, names: tuple[str, ...]) -> None:
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


def _warn_skipped(n_skipped: int, n_skipped_pairs: int, cap: int | None) -> None:
    if n_skipped:
        warnings.warn(
            f"{n_skipped} blocks larger than max_block_size={cap} were skipped "
            f"({n_skipped_pairs:,} candidate pairs not compared).",
            DegenerateDataWarning,
            stacklevel=3,
        )


def _stamps(records: CustomerTable, recency: ArrayLike | str | None) -> IntArray | None:
    """Per record, the recency stamp (int64 days or finer), or None without ``recency``."""
    if recency is None:
        return None
    n = len(records)
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
    result: IntArray = stamps.astype("datetime64[s]").astype(np.int64)
    return result


def _priority(columns: FieldColumns, stamps: IntArray | None) -> IntArray:
    """Rank of each record for survivorship (0 = preferred)."""
    n = columns["name"].size
    completeness = sum(
        (columns[f] != "").astype(np.int64) for f in ("name", "email", "phone", "birth_date")
    )
    keys: list[NDArray[Any]] = [np.arange(n), -completeness]
    if stamps is not None:
        keys.append(-stamps)
    order = np.lexsort(keys)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    return rank


def _record_rank(columns: FieldColumns, rows: IntArray) -> IntArray:
    """Rank of each of ``rows`` by customer id, then name, e-mail, phone, birth date."""
    ids = columns.records.customer_id[rows]
    order = np.argsort(ids, kind="stable")
    if rows.size > 1 and (ids[order][1:] == ids[order][:-1]).any():  # ties: compare content
        keys = [columns[f][rows] for f in ("birth_date", "phone", "email", "name")]
        order = np.lexsort([np.arange(rows.size), *keys, ids])
    rank = np.empty(rows.size, dtype=np.int64)
    rank[order] = np.arange(rows.size)
    return rank


def _person_order(columns: FieldColumns, cluster: IntArray, rows: IntArray) -> IntArray:
    """Per cluster (``0 .. max``), its 0-based number in the order of its smallest record."""
    rank = _record_rank(columns, rows)
    n_people = int(cluster.max()) + 1 if cluster.size else 0
    smallest = np.full(n_people, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, cluster, rank)
    numbers = np.empty(n_people, dtype=np.int64)
    numbers[np.argsort(smallest, kind="stable")] = np.arange(n_people)
    return numbers


def _compare(
    columns: FieldColumns,
    specs: tuple[FieldSpec, ...],
    frequencies: tuple[dict[int, TermFrequencies], ...],
    left: IntArray,
    right: IntArray,
    encoded: tuple[tuple[StrArray, IntArray], ...] | None = None,
) -> tuple[NDArray[np.int8], FloatArray]:
    levels = np.empty((left.size, len(specs)), dtype=np.int8)
    adjust = np.zeros((left.size, len(specs)))
    for k, spec in enumerate(specs):
        levels[:, k], adjust[:, k] = compare_field(
            columns[spec.field],
            spec,
            left,
            right,
            frequencies[k],
            None if encoded is None else encoded[k],
        )
    return levels, adjust


def _score(
    model: FellegiSunter | None, levels: NDArray[np.int8], adjust: FloatArray
) -> tuple[FloatArray, FloatArray]:
    if model is None:
        return np.zeros(0), np.zeros(0)
    weight = model.match_weight(levels) + adjust.sum(axis=1)
    probability: FloatArray = expit(weight * math.log(2.0))
    return weight, probability


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
            wanted = dict(zip(names, n_levels, strict=True))
            msg = (
                f"`m` and `u` must give one probability per comparison level and one for "
                f"disagreement, per field ({wanted}; got {list(model.n_levels)})."
            )
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


def _same_setup(
    records: CustomerTable,
    state: ResolutionState,
    columns: FieldColumns,
    fields: Mapping[str, Any] | Sequence[str],
    blocking: Sequence[str | Sequence[str]],
    term_frequency: Sequence[str] | None,
    bands: tuple[float, ...],
    digits: int,
    cap: int | None,
) -> None:
    """Refuse options for an incremental run that differ from those of ``existing``."""
    if digits != state.n_phone_digits:
        msg = f"`n_phone_digits` must be that of `existing` ({state.n_phone_digits}; got {digits})."
        raise InvalidInputError(msg)
    if cap != state.max_block_size:
        msg = f"`max_block_size` must be that of `existing` ({state.max_block_size}; got {cap})."
        raise InvalidInputError(msg)
    for spec in state.specs:
        columns.check_name(spec.field, "fields")
    for rule in state.blocking:
        for name in rule:
            columns.check_name(name, "blocking")
    if not (isinstance(fields, Mapping) and fields is DEFAULT_FIELDS):
        given = parse_comparisons(fields, columns, bands, term_frequency, require_values=False)
        old = [s.field for s in state.specs]
        new = [s.field for s in given]
        if new != old:
            msg = f"`fields` must be those of `existing` ({old}; got {new})."
            raise InvalidInputError(msg)
        for a, b in zip(given, state.specs, strict=True):
            if a.levels != b.levels:
                msg = (
                    f"`fields[{a.field!r}]` must have the levels of `existing` "
                    f"({[str(x) for x in b.levels]}; got {[str(x) for x in a.levels]})."
                )
                raise InvalidInputError(msg)
            if a.term_frequency != b.term_frequency:
                msg = (
                    f"`term_frequency` must be that of `existing` for {a.field!r} "
                    f"({b.term_frequency}; got {a.term_frequency})."
                )
                raise InvalidInputError(msg)
    elif term_frequency is not None:
        wanted = sorted(s.field for s in state.specs if s.term_frequency)
        listed = [term_frequency] if isinstance(term_frequency, str) else list(term_frequency)
        if sorted(listed) != wanted:
            msg = f"`term_frequency` must be that of `existing` ({wanted}; got {sorted(listed)})."
            raise InvalidInputError(msg)
    if blocking is not DEFAULT_BLOCKING:
        rules = parse_blocking(blocking, columns)
        if rules != state.blocking:
            old_rules = [list(r) for r in state.blocking]
            msg = f"`blocking` must be that of `existing` ({old_rules}; got {[list(r) for r in rules]})."
            raise InvalidInputError(msg)


def _joined(*parts: NDArray[Any]) -> NDArray[Any]:
    """Concatenate into a new read-only array (which the table then shares, not copies)."""
    joined = np.concatenate(parts)
    joined.flags.writeable = False
    return joined


def _concatenate(first: CustomerTable, second: CustomerTable) -> CustomerTable:
    common = [a for a in first.attributes if a in second.attributes]
    return CustomerTable.from_arrays(
        _joined(first.customer_id, second.customer_id),
        name=_joined(first.name, second.name),
        email=_joined(first.email, second.email),
        phone=_joined(first.phone, second.phone),
        birth_date=_joined(first.birth_date, second.birth_date),
        lifecycle_stage=_joined(first.lifecycle_stage, second.lifecycle_stage),
        attributes={
            a: _joined(np.asarray(first.attributes[a]), np.asarray(second.attributes[a]))
            for a in common
        },
        unique_ids=False,
    )


def _updated_golden(
    previous: CustomerTable,
    union: CustomerTable,
    n_old_records: int,
    cluster: IntArray,
    stamps: IntArray | None,
    ids: NDArray[np.str_],
    field_codes: Mapping[str, FieldCodes],
    digits: int,
) -> CustomerTable:
    """Golden records of all people, recomputed only for those that got new records."""
    n_old_people = len(previous)
    n_people = ids.size
    touched = np.unique(cluster[n_old_records:])
    rows = np.flatnonzero(np.isin(cluster, touched))
    sub = CustomerTable.from_arrays(
        union.customer_id[rows],
        name=union.name[rows],
        email=union.email[rows],
        phone=union.phone[rows],
        birth_date=union.birth_date[rows],
        lifecycle_stage=union.lifecycle_stage[rows],
        unique_ids=False,
    )
    sub_columns = FieldColumns(sub, n_phone_digits=digits)
    frequency = [
        np.bincount(field_codes[f].codes)[field_codes[f].codes] for f in ("first_name", "last_name")
    ]
    usual = (frequency[0] + frequency[1])[rows].astype(np.int64)
    _, sub_cluster = np.unique(cluster[rows], return_inverse=True)
    sub_cluster = sub_cluster.ravel().astype(np.int64)
    priority = _priority(sub_columns, None if stamps is None else stamps[rows])
    fresh = golden_records(sub, sub_columns, sub_cluster, priority, ids[touched], usual)
    take = np.full(n_people, -1, dtype=np.int64)
    take[touched] = np.arange(touched.size)

    def merged(old: NDArray[Any], new: NDArray[Any]) -> NDArray[Any]:
        wide = np.result_type(old.dtype, new.dtype)
        out = np.empty(n_people, dtype=wide)
        out[:n_old_people] = old
        out[touched] = new
        out.flags.writeable = False
        return out

    return CustomerTable.from_arrays(
        merged(previous.customer_id, fresh.customer_id),
        name=merged(previous.name, fresh.name),
        email=merged(previous.email, fresh.email),
        phone=merged(previous.phone, fresh.phone),
        birth_date=merged(previous.birth_date, fresh.birth_date),
        lifecycle_stage=merged(previous.lifecycle_stage, fresh.lifecycle_stage),
        attributes={
            "n_records": merged(
                np.asarray(previous.attributes["n_records"]), fresh.attributes["n_records"]
            ),
            "source_id": merged(
                np.asarray(previous.attributes["source_id"]), fresh.attributes["source_id"]
            ),
        },
    )


def _link_new(
    records: CustomerTable,
    existing: IdentityResolution,
    *,
    fields: Mapping[str, Any] | Sequence[str],
    blocking: Sequence[str | Sequence[str]],
    tau: float,
    given_model: tuple[Any, Any, Any],
    term_frequency: Sequence[str] | None,
    recency: ArrayLike | str | None,
    cap: int | None,
    digits: int,
    bands: tuple[float, ...],
) -> IdentityResolution:
    """Link ``records`` to the people of ``existing`` (see :func:`resolve_identities`)."""
    if not isinstance(existing, IdentityResolution) or existing.state is None:
        msg = (
            "`existing` must be an IdentityResolution returned by resolve_identities "
            f"(got {type(existing).__name__})."
        )
        raise InvalidInputError(msg)
    for name, value in zip(("m", "u", "prior"), given_model, strict=True):
        if value is not None:
            msg = f"`{name}` must not be given with `existing` (its model is reused)."
            raise InvalidInputError(msg)
    state = existing.state
    model = existing.model
    new_columns = FieldColumns(records, n_phone_digits=digits)
    _same_setup(records, state, new_columns, fields, blocking, term_frequency, bands, digits, cap)
    specs = state.specs
    names = tuple(s.field for s in specs)
    _check_filled(records, new_columns, names)
    if (recency is None) != (state.stamps is None):
        had = "was" if state.stamps is not None else "was not"
        msg = f"`recency` must be given exactly when `existing` {had} resolved with it."
        raise InvalidInputError(msg)
    new_stamps = _stamps(records, recency)
    n_old, n_new = state.records.customer_id.size, len(records)
    union = _concatenate(state.records, records)
    for name in {*names, *(f for rule in state.blocking for f in rule)}:
        new_columns[name]
    columns = FieldColumns.concatenate(state.columns, new_columns, union)
    stamps = None if new_stamps is None or state.stamps is None else np.r_[state.stamps, new_stamps]
    frequencies = tuple(
        {idx: table.merged(fresh[idx]) for idx, table in old.items()}
        for old, fresh in zip(
            state.frequencies,
            (term_frequencies(new_columns[s.field], s) for s in specs),
            strict=True,
        )
    )
    lefts, rights = [], []
    n_skipped = n_skipped_pairs = 0
    field_codes = {f: c.extended(new_columns[f]) for f, c in state.field_codes.items()}
    for rule in state.blocking:
        codes = rule_codes([field_codes[f] for f in rule])
        a, b, skipped, skipped_pairs = cross_pairs(codes, n_old, max_block_size=cap)
        lefts.append(a)
        rights.append(b)
        n_skipped += skipped
        n_skipped_pairs += skipped_pairs
    _warn_skipped(n_skipped, n_skipped_pairs, cap)
    size = np.int64(n_old + n_new)
    merged = np.unique(np.concatenate([a * size + b for a, b in zip(lefts, rights, strict=True)]))
    left, right = merged // size, merged % size
    levels, adjust = _compare(columns, specs, frequencies, left, right)
    weight, probability = _score(model, levels, adjust)
    if model is None and left.size:
        msg = (
            "`existing` has no model to score new pairs with (it had no candidate pair); "
            "resolve the records together instead."
        )
        raise InvalidInputError(msg)
    linked = probability >= tau
    n_existing = existing.n_people
    person, group, conflicts = assign_new_records(
        existing.cluster, n_existing, n_new, left[linked], right[linked], probability[linked]
    )
    fresh = group >= 0
    _, group_code = np.unique(group[fresh], return_inverse=True)
    rows = np.arange(n_old, n_old + n_new)[fresh]
    numbers = _person_order(columns, group_code.astype(np.int64), rows)
    new_cluster = person.copy()
    new_cluster[fresh] = n_existing + numbers[group_code]
    cluster = np.concatenate([existing.cluster, new_cluster])
    old_ids = np.asarray(existing.golden.customer_id)
    ids = (
        np.concatenate([old_ids, person_ids(state.n_issued + np.sort(numbers))])
        if numbers.size
        else old_ids
    )
    golden = _updated_golden(
        existing.golden, union, n_old, cluster, stamps, ids, field_codes, digits
    )
    implied = tuple(tuple(str(old_ids[p]) for p in group_) for group_ in conflicts)
    new_state = ResolutionState(
        records=union,
        columns=columns,
        specs=specs,
        frequencies=frequencies,
        blocking=state.blocking,
        stamps=stamps,
        n_phone_digits=digits,
        max_block_size=cap,
        n_issued=state.n_issued + int(numbers.size),
        field_codes=field_codes,
    )
    return IdentityResolution(
        cluster=frozen(cluster),
        golden=golden,
        fields=names,
        comparisons=existing.comparisons,
        similarity_thresholds=existing.similarity_thresholds,
        blocking=state.blocking,
        left=frozen(np.concatenate([existing.left, left])),
        right=frozen(np.concatenate([existing.right, right])),
        levels=frozen(np.concatenate([existing.levels, levels])),
        weight=frozen(np.concatenate([existing.weight, weight])),
        probability=frozen(np.concatenate([existing.probability, probability])),
        linked=frozen(np.concatenate([existing.linked, linked])),
        model=model,
        fit=existing.fit,
        threshold=tau,
        n_skipped_blocks=existing.n_skipped_blocks + n_skipped,
        person_id=frozen(ids[cluster]),
        tf_adjustment=frozen(np.concatenate([existing.tf_adjustment, adjust])),
        specs=specs,
        implied_merges=implied,
        state=new_state,
    )
