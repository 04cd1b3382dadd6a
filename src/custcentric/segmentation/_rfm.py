"""Named RFM segments from an ordered rule table (first match wins, with a fallback)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result
from custcentric._validation import as_int_array, check_equal_length, fmt
from custcentric.domain import Segment
from custcentric.domain._base import DomainValue
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._segmentation import Segmentation
from custcentric.typing import IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RFM_PACKAGE_RULES",
    "RFM_SEGMENT_RULES",
    "RFMRule",
    "RFMRules",
    "rfm_segments",
]

_LUT_LIMIT = 1_000_000
_MAX_SCORE = 1_000_000  # scores run from 1 to the number of bins (at most 1,000)


def _range(name: str) -> Callable[[object], tuple[int, int] | None]:
    def convert(value: object) -> tuple[int, int] | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = (value, value)
        lo: Any
        hi: Any
        try:
            lo, hi = value  # type: ignore[misc]
            if isinstance(lo, complex | np.complexfloating) or isinstance(
                hi, complex | np.complexfloating
            ):
                raise TypeError  # int() of a NumPy complex only warns
            pair = (int(lo), int(hi))
        except (TypeError, ValueError, OverflowError):
            msg = f"`{name}` must be a (low, high) pair of whole scores or None (got {fmt(value)})."
            raise InvalidInputError(msg) from None
        if pair[0] != lo or pair[1] != hi or isinstance(lo, bool) or isinstance(hi, bool):
            msg = f"`{name}` must be a (low, high) pair of whole scores or None (got {fmt(value)})."
            raise InvalidInputError(msg)
        if pair[0] > pair[1]:
            msg = f"`{name}` must have low <= high (got {pair[0]} > {pair[1]})."
            raise InvalidInputError(msg)
        if pair[0] < 0 or pair[1] > _MAX_SCORE:
            msg = f"`{name}` must hold scores in [0, {_MAX_SCORE:,}] (got {fmt(value)})."
            raise InvalidInputError(msg)
        return pair

    return convert


_r_range = _range("r")
_f_range = _range("f")
_m_range = _range("m")


def _r(value: object) -> tuple[int, int] | None:
    return _r_range(value)


def _f(value: object) -> tuple[int, int] | None:
    return _f_range(value)


def _m(value: object) -> tuple[int, int] | None:
    return _m_range(value)


@attrs.frozen(kw_only=True)
class RFMRule(DomainValue, Result):
    """One row of an RFM rule table: a segment name and inclusive score ranges.

    Parameters
    ----------
    name : str
        The segment a matching customer joins.
    r, f, m : (int, int) or int or None
        Inclusive ranges of the R, F and M scores; a single int means that score only,
        ``None`` any score. R scores the time since the last purchase (5 = bought most
        recently), not ``CustomerSummary.recency`` (first-to-last purchase time).

    Examples
    --------
    >>> from custcentric.segmentation import RFMRule
    >>> rule = RFMRule(name="Champions", r=5, f=(4, 5))
    >>> rule.describe()
    'R 5, F 4-5'
    >>> print(rule)
    Champions: R 5, F 4-5
    >>> rule.to_dict()
    {'schema_version': 1, 'name': 'Champions', 'r': [5, 5], 'f': [4, 5], 'm': None}
    """

    name: str = attrs.field(converter=str)
    r: tuple[int, int] | None = attrs.field(default=None, converter=_r)
    f: tuple[int, int] | None = attrs.field(default=None, converter=_f)
    m: tuple[int, int] | None = attrs.field(default=None, converter=_m)

    @name.validator
    def _check_name(self, attribute: Any, value: str) -> None:
        del attribute
        if not value.strip():
            msg = "`name` must be a non-empty segment name (got '')."
            raise InvalidInputError(msg)

    def describe(self) -> str:
        """Return the rule as readable text, e.g. ``"R 5, F 4-5"`` (``"any scores"`` if open)."""
        parts = []
        for label, span in (("R", self.r), ("F", self.f), ("M", self.m)):
            if span is not None:
                text = str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"
                parts.append(f"{label} {text}")
        return ", ".join(parts) or "any scores"

    def summary(self) -> str:
        """Return the rule as one line, ``"<name>: <ranges>"``."""
        return f"{self.name}: {self.describe()}"

    def to_pandas(self) -> pd.DataFrame:
        """Return the rule as one row: ``name``, ``r``, ``f``, ``m`` (ranges as text, "any")."""
        return make_frame(_rule_columns((self,)))

    def matches(self, r: IntArray, f: IntArray, m: IntArray) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Return which customers (score arrays) the rule matches."""
        hit = np.ones(r.shape, dtype=bool)
        for span, scores in ((self.r, r), (self.f, f), (self.m, m)):
            if span is not None:
                hit &= (scores >= span[0]) & (scores <= span[1])
        return hit


def _span_text(span: tuple[int, int] | None) -> str:
    if span is None:
        return "any"
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def _rule_columns(rules: Sequence[RFMRule]) -> dict[str, Any]:
    columns: dict[str, Any] = {"name": np.array([rule.name for rule in rules], dtype=object)}
    for key in ("r", "f", "m"):
        columns[key] = np.array([_span_text(getattr(rule, key)) for rule in rules], dtype=object)
    return columns


def _rule(item: object, i: int) -> RFMRule:
    if isinstance(item, RFMRule):
        return item
    if isinstance(item, Mapping):
        unknown = set(item) - {"name", "r", "f", "m"}
        if unknown:
            msg = f"`rules` rows take keys name, r, f, m (row {i}: unknown {sorted(unknown)})."
            raise InvalidInputError(msg)
        return RFMRule(**item)
    msg = f"`rules` must hold RFMRule values or mappings (row {i}: {fmt(item)})."
    raise InvalidInputError(msg)


def _rules_tuple(value: Iterable[object]) -> tuple[RFMRule, ...]:
    given: object = value
    if isinstance(given, str | bytes | Mapping | RFMRule) or not isinstance(given, Iterable):
        msg = f"`rules` must be a sequence of RFMRule values or mappings (got {fmt(given)})."
        raise InvalidInputError(msg)
    rules = tuple(_rule(item, i) for i, item in enumerate(value))
    if not rules:
        msg = "`rules` must hold at least one rule (got none)."
        raise InvalidInputError(msg)
    return rules


@attrs.frozen(kw_only=True)
class RFMRules(DomainValue, Result):
    """An ordered RFM rule table: the first matching rule names a customer's segment.

    A configuration value: ``to_dict()`` writes it as JSON-ready data with a
    ``schema_version`` and ``RFMRules.from_dict`` reads it back (unknown keys refused, by
    name), so a house rule table can live in a file.

    Parameters
    ----------
    rules : sequence of RFMRule or mapping
        The rules in order of precedence; several rules may name the same segment.
    fallback : str, optional
        The segment of customers no rule matches. Without it, such a customer is an error.
    source : str, default ""
        Where the table comes from.

    Examples
    --------
    >>> from custcentric.segmentation import RFMRules
    >>> table = RFMRules(rules=[{"name": "Best", "r": (4, 5), "f": (4, 5)}], fallback="Rest")
    >>> table.segment_names
    ('Best', 'Rest')
    >>> table.cell_coverage(n_bins=5)["Best"]
    20
    >>> RFMRules.from_dict(table.to_dict()) == table
    True
    >>> print(table)
    RFM rules (1 rule, fallback 'Rest')
      Best: R 4-5, F 4-5
    """

    rules: tuple[RFMRule, ...] = attrs.field(converter=_rules_tuple)
    fallback: str | None = attrs.field(default=None)
    source: str = ""

    @property
    def segment_names(self) -> tuple[str, ...]:
        """The distinct segment names in rule order, the fallback last."""
        names = list(dict.fromkeys(rule.name for rule in self.rules))
        if self.fallback is not None and self.fallback not in names:
            names.append(self.fallback)
        return tuple(names)

    def lookup(self, r: IntArray, f: IntArray, m: IntArray) -> IntArray:
        """Return each customer's position in :attr:`segment_names` (-1 where unmatched)."""
        names = self.segment_names
        codes = np.full(r.shape, -1, dtype=np.int64)
        open_ = np.ones(r.shape, dtype=bool)
        for rule in self.rules:
            hit = rule.matches(r, f, m) & open_
            codes[hit] = names.index(rule.name)
            open_ &= ~hit
        if self.fallback is not None:
            codes[open_] = names.index(self.fallback)
        return codes

    def cell_coverage(self, *, n_bins: int = 5) -> dict[str, int]:
        """Count the score cells (``n_bins ** 3`` of them) each segment receives.

        Cells no rule matches are counted under ``"(unmatched)"`` when there is no
        fallback; a rule that wins no cell is shadowed by the rules before it.
        """
        grid = np.arange(1, n_bins + 1)
        r, f, m = (a.ravel() for a in np.meshgrid(grid, grid, grid, indexing="ij"))
        codes = self.lookup(r, f, m)
        counts = {
            name: int(np.count_nonzero(codes == k)) for k, name in enumerate(self.segment_names)
        }
        unmatched = int(np.count_nonzero(codes < 0))
        if unmatched:
            counts["(unmatched)"] = unmatched
        return counts

    def describe(self) -> dict[str, str]:
        """Return a readable rule per segment name (rules naming one segment joined by "or")."""
        text: dict[str, list[str]] = {}
        for rule in self.rules:
            text.setdefault(rule.name, []).append(rule.describe())
        out = {name: " or ".join(parts) for name, parts in text.items()}
        if self.fallback is not None and self.fallback not in out:
            out[self.fallback] = "no rule above matches"
        return out

    def summary(self) -> str:
        """Return the table as text: a head line, then one rule a line in order of precedence."""
        count = "1 rule" if len(self.rules) == 1 else f"{len(self.rules)} rules"
        fallback = "no fallback" if self.fallback is None else f"fallback {self.fallback!r}"
        lines = [f"RFM rules ({count}, {fallback})"]
        lines.extend(f"  {rule}" for rule in self.rules)
        return "\n".join(lines)

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per rule, in order: ``name``, ``r``, ``f``, ``m`` (ranges as text)."""
        return make_frame(_rule_columns(self.rules))


RFM_SEGMENT_RULES = RFMRules(
    rules=[
        RFMRule(name="Champions", r=5, f=(4, 5)),
        RFMRule(name="Loyal", r=(3, 4), f=(4, 5)),
        RFMRule(name="Potential loyalist", r=(4, 5), f=(2, 3)),
        RFMRule(name="New", r=5, f=1),
        RFMRule(name="Promising", r=4, f=1),
        RFMRule(name="Need attention", r=3, f=3),
        RFMRule(name="About to sleep", r=3, f=(1, 2)),
        RFMRule(name="At risk", r=(1, 2), f=(3, 4)),
        RFMRule(name="Can't lose them", r=(1, 2), f=5),
        RFMRule(name="Hibernating", r=2, f=(1, 2)),
        RFMRule(name="Lost", r=1, f=(1, 2)),
    ],
    fallback=None,
    source=(
        "custcentric default: the widely used R x F grid of quintile scores (11 segments, "
        "each of the 25 R x F cells in exactly one segment), with the low-R, low-F corner "
        "split into Hibernating (R 2) and Lost (R 1)"
    ),
)
"""The default rule table: 11 named segments on the R x F grid of 1-5 scores.

Every (R, F) cell belongs to exactly one segment, so no fallback is needed on 1-5 scores;
M is not used (F and M are highly correlated; use your own table to bring M in).
"""

RFM_PACKAGE_RULES = RFMRules(
    rules=[
        RFMRule(name="Champions", r=(4, 5), f=(4, 5), m=(4, 5)),
        RFMRule(name="Loyal Customers", r=(2, 5), f=(3, 5), m=(3, 5)),
        RFMRule(name="Potential Loyalist", r=(3, 5), f=(1, 3), m=(1, 3)),
        RFMRule(name="New Customers", r=(4, 5), f=1, m=1),
        RFMRule(name="Promising", r=(3, 4), f=1, m=1),
        RFMRule(name="Need Attention", r=(2, 3), f=(2, 3), m=(2, 3)),
        RFMRule(name="About To Sleep", r=(2, 3), f=(1, 2), m=(1, 2)),
        RFMRule(name="At Risk", r=(1, 2), f=(2, 5), m=(2, 5)),
        RFMRule(name="Can't Lose Them", r=1, f=(4, 5), m=(4, 5)),
        RFMRule(name="Lost", r=(1, 2), f=(1, 2), m=(1, 2)),
    ],
    fallback="Others",
    source="R package rfm (rsquaredacademy), segment table of versions <= 0.2.x",
)
"""The segment table of the R package ``rfm`` (versions up to 0.2.x), with fallback "Others".

As published, "New Customers" and "Promising" are shadowed by "Potential Loyalist" under
first-match-wins; the table is kept as published.
"""


def _scores_iv(scores: object) -> tuple[IntArray, IntArray, IntArray]:
    long_names = ("recency_score", "frequency_score", "monetary_score")
    if all(hasattr(scores, key) for key in ("r", "f", "m")):
        raw = [getattr(scores, key) for key in ("r", "f", "m")]
    elif all(hasattr(scores, key) for key in long_names):
        raw = [getattr(scores, key) for key in long_names]
    elif isinstance(scores, Mapping) and all(key in scores for key in ("r", "f", "m")):
        raw = [scores[key] for key in ("r", "f", "m")]
    elif isinstance(scores, Sequence | np.ndarray) and len(scores) == 3:
        raw = list(scores)
    else:
        msg = (
            "`scores` must have integer arrays r, f and m (an object with attributes .r, .f, .m, "
            f"a mapping, or a sequence of three arrays) (got {type(scores).__name__})."
        )
        raise InvalidInputError(msg)
    r, f, m = (as_int_array(a, name, label="customer") for a, name in zip(raw, "rfm", strict=True))
    n = check_equal_length({"r": r, "f": f, "m": m})
    if n == 0:
        msg = "`scores` must not be empty (got 0 customers)."
        raise InvalidInputError(msg)
    return r, f, m


def _rules_iv(rules: RFMRules | Sequence[RFMRule | Mapping[str, Any]] | None) -> RFMRules:
    if rules is None:
        return RFM_SEGMENT_RULES
    if isinstance(rules, RFMRules):
        return rules
    if isinstance(rules, list | tuple):
        return RFMRules(rules=rules)
    msg = f"`rules` must be an RFMRules table or a sequence of rules (got {fmt(rules)})."
    raise InvalidInputError(msg)


def rfm_segments(
    scores: object,
    *,
    rules: RFMRules | Sequence[RFMRule | Mapping[str, Any]] | None = None,
    customer_id: ArrayLike | None = None,
) -> Segmentation:
    """Name each customer's RFM segment with an ordered rule table (first match wins).

    Parameters
    ----------
    scores : object
        The integer R, F and M scores (5 = best), as an object with attributes ``r``, ``f``,
        ``m`` or ``recency_score``, ``frequency_score``, ``monetary_score`` (the result of
        ``custcentric.value.rfm_scores``), a mapping with keys ``r``, ``f``, ``m``, or a
        sequence of three arrays. R must score the time since the last purchase (5 = most
        recent): from a :class:`~custcentric.tables.CustomerSummary` use
        ``rfm_segments(rfm_scores(summary))``, never scores of ``summary.recency``
        (first-to-last purchase time).
    rules : RFMRules or sequence of RFMRule, optional
        The rule table, default :data:`RFM_SEGMENT_RULES`. A plain sequence of rules has no
        fallback. :data:`RFM_PACKAGE_RULES` reproduces the R package ``rfm``.
    customer_id : array_like, optional
        The customers' ids, kept in the result; by default the ``customer_id`` of
        ``scores`` when it has one (as ``rfm_scores(summary)`` does).

    Returns
    -------
    Segmentation
        One segment per distinct rule name (in rule order, ``tier_rank`` = that position,
        the fallback last), with ``Segment.rule`` the readable rule.

    Raises
    ------
    InvalidInputError
        For missing or non-integer scores, arrays of different lengths, no customers, a
        customer that no rule matches when the table has no fallback (the message names the
        first such customer and its scores), or scores with ``n_bins`` other than 5 (such
        as ``rfm_scores(..., n_bins=3)``) without a rule table of their own.

    Notes
    -----
    Rules are tried in order and the first one whose inclusive R, F and M ranges all
    contain the customer's scores wins. When the scores span a small grid (at most 10^6
    cells) the table is evaluated once per cell and each customer is looked up, so the
    cost is one pass over the customers however many rules there are.

    The default table (:data:`RFM_SEGMENT_RULES`) is the widely circulated R x F grid:

    ================== ====== ======
    segment            R      F
    ================== ====== ======
    Champions          5      4-5
    Loyal              3-4    4-5
    Potential loyalist 4-5    2-3
    New                5      1
    Promising          4      1
    Need attention     3      3
    About to sleep     3      1-2
    At risk            1-2    3-4
    Can't lose them    1-2    5
    Hibernating        2      1-2
    Lost               1      1-2
    ================== ====== ======

    References
    ----------
    A. M. Hughes (1994), *Strategic Database Marketing*; A. Hebbali, R package ``rfm``
    (segment tables of versions <= 0.2.x).

    Examples
    --------
    >>> from custcentric.segmentation import rfm_segments
    >>> seg = rfm_segments(([5, 4, 1, 2, 3], [5, 1, 5, 1, 3], [4, 2, 5, 1, 3]))
    >>> seg.labels.tolist()
    ['Champions', 'Promising', "Can't lose them", 'Hibernating', 'Need attention']

    From a customer summary (R then scores time since the last purchase, ``T - recency``):

    >>> from custcentric.tables import CustomerSummary
    >>> from custcentric.value import rfm_scores
    >>> summary = CustomerSummary.from_arrays(["a", "b", "c", "d", "e"], [6, 0, 4, 1, 2],
    ...                                       [80.0, 0.0, 20.0, 5.0, 40.0], [82.0] * 5,
    ...                                       [50.0, 0.0, 90.0, 10.0, 30.0])
    >>> seg = rfm_segments(rfm_scores(summary))
    >>> seg.customer_id.tolist(), seg.labels.tolist()
    (['a', 'b', 'c', 'd', 'e'], ['Champions', 'Lost', 'Loyal', 'Hibernating', 'Potential loyalist'])
    >>> rfm_segments(([5, 1], [5, 1], [5, 1]), rules=[{"name": "Best", "r": 5}])
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `rules` must assign every customer, or have a fallback (customer 1: r=1, f=1, m=1 matches no rule).
    """
    r, f, m = _scores_iv(scores)
    table = _rules_iv(rules)
    n_bins = getattr(scores, "n_bins", None)
    if rules is None and isinstance(n_bins, int) and n_bins != 5:
        msg = (
            "`rules` must be given for scores that are not 1-5: the default table names "
            f"segments on quintile scores (got n_bins={n_bins})."
        )
        raise InvalidInputError(msg)
    lows = [int(a.min()) for a in (r, f, m)]
    spans = [int(a.max()) - lo + 1 for a, lo in zip((r, f, m), lows, strict=True)]
    if spans[0] * spans[1] * spans[2] <= _LUT_LIMIT:
        axes = [np.arange(lo, lo + s) for lo, s in zip(lows, spans, strict=True)]
        gr, gf, gm = (a.ravel() for a in np.meshgrid(*axes, indexing="ij"))
        lut = table.lookup(gr, gf, gm)
        cell = (r - lows[0]) * (spans[1] * spans[2]) + (f - lows[1]) * spans[2] + (m - lows[2])
        codes = lut[cell]
    else:
        codes = table.lookup(r, f, m)
    unmatched = codes < 0
    if unmatched.any():
        i = int(np.argmax(unmatched))
        msg = (
            "`rules` must assign every customer, or have a fallback "
            f"(customer {i}: r={r[i]}, f={f[i]}, m={m[i]} matches no rule)."
        )
        raise InvalidInputError(msg)
    described = table.describe()
    segments = tuple(
        Segment(name=name, tier_rank=k + 1, rule=described[name])
        for k, name in enumerate(table.segment_names)
    )
    codes.flags.writeable = False
    ids = None
    if customer_id is None:
        customer_id = getattr(scores, "customer_id", None)
    if customer_id is not None:
        ids = np.array(customer_id)
        if ids.shape != r.shape:
            msg = f"`customer_id` must have the same length as the scores ({ids.size} != {r.size})."
            raise InvalidInputError(msg)
        ids.flags.writeable = False
    return Segmentation(segments=segments, codes=codes, customer_id=ids)
