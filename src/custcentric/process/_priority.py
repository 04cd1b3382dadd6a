"""Key processes by Pareto selection, and weighted scoring against the CRM goals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable, read_only
from custcentric._validation import as_float_array, check_number, first_true, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CRM_GOALS", "KeyProcesses", "Priorities", "key_processes", "prioritise"]

CRM_GOALS: tuple[str, ...] = ("retention", "sales_development", "profitability", "satisfaction")
"""The four CRM goals of re-engineering step 3 (source S5)."""

_TOLERANCE = 1e-9


def _names_and_values(
    values: Mapping[str, float] | ArrayLike, names: Sequence[str] | None, what: str
) -> tuple[list[str], FloatArray]:
    if isinstance(values, Mapping):
        if names is not None:
            msg = f"`names` must be omitted when `{what}` is a mapping."
            raise InvalidInputError(msg)
        keys = [str(k) for k in values]
        array = as_float_array(list(values.values()), what, non_negative=True)
        return keys, array
    array = as_float_array(values, what, non_negative=True)
    if names is None:
        keys = [str(i) for i in range(array.size)]
    else:
        keys = [str(n) for n in names]
        if len(keys) != array.size:
            msg = f"`names` must have the same length as `{what}` ({len(keys)} != {array.size})."
            raise InvalidInputError(msg)
    if len(set(keys)) != len(keys):
        msg = f"`names` must be distinct (got {keys})."
        raise InvalidInputError(msg)
    return keys, array


@attrs.frozen(eq=False, kw_only=True)
class KeyProcesses(Result):
    """The result of a Pareto selection.

    Attributes
    ----------
    names : tuple of str
        Every process, by impact descending (ties in input order).
    impact : ndarray of float64
        Their impacts in that order.
    cumulative_share : ndarray of float64
        ``C_k``, the share of the total held by the first ``k`` processes.
    n_key : int
        ``k*``: the number of key processes (ties at the cut-off included).
    coverage : float
        The share asked for.

    Examples
    --------
    >>> from custcentric.process import key_processes
    >>> kp = key_processes({"repair": 50, "billing": 30, "moving": 15, "renewal": 5},
    ...                    coverage=0.8)
    >>> kp.key, kp.n_key, round(kp.share, 3)
    (('repair', 'billing'), 2, 0.8)
    >>> kp.cumulative_share.round(3).tolist()
    [0.5, 0.8, 0.95, 1.0]
    >>> print(kp)
    2 key processes of 4 hold 80.0% of customer impact (coverage asked: 80%): repair, billing
    """

    names: tuple[str, ...]
    impact: FloatArray = attrs.field(converter=read_only)
    cumulative_share: FloatArray = attrs.field(converter=read_only)
    n_key: int
    coverage: float

    @property
    def key(self) -> tuple[str, ...]:
        """The key processes, by impact descending."""
        return self.names[: self.n_key]

    @property
    def share(self) -> float:
        """The share of impact the key processes hold."""
        return float(self.cumulative_share[self.n_key - 1]) if self.n_key else 0.0

    def summary(self) -> str:
        """Return the key processes and the share of impact they hold, in one line."""
        return (
            f"{self.n_key} key process{'es' if self.n_key != 1 else ''} of {len(self.names)} "
            f"hold {self.share:.1%} of customer impact (coverage asked: {self.coverage:.0%}): "
            + ", ".join(self.key)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data (a non-finite number becomes ``None``)."""
        data: dict[str, Any] = jsonable(
            {
                "names": list(self.names),
                "impact": self.impact.tolist(),
                "cumulative_share": self.cumulative_share.tolist(),
                "n_key": self.n_key,
                "key": list(self.key),
                "coverage": self.coverage,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per process (needs the ``pandas`` extra)."""
        return make_frame(
            {
                "process": np.array(self.names, dtype=np.str_),
                "impact": self.impact,
                "cumulative_share": self.cumulative_share,
                "key": np.arange(len(self.names)) < self.n_key,
            }
        )


def key_processes(
    impact: Mapping[str, float] | ArrayLike,
    *,
    coverage: float = 0.99,
    names: Sequence[str] | None = None,
) -> KeyProcesses:
    """Return the smallest set of processes that explains ``coverage`` of customer impact.

    Parameters
    ----------
    impact : mapping of str to float, or array_like of float
        A non-negative impact per process, e.g. customers touched × value at risk.
    coverage : float, default 0.99
        The share of total impact to explain, in (0, 1] (source S5, step 2: 10-50 processes
        explain 99 %).
    names : sequence of str, optional
        Process names when ``impact`` is an array (default "0", "1", ...).

    Returns
    -------
    KeyProcesses

    Raises
    ------
    InvalidInputError
        For negative or non-finite impacts, an all-zero impact, or ``coverage`` outside (0, 1].

    Notes
    -----
    Sort descending, ``C_k = Σ_{j<=k} v_(j) / Σ_j v_j`` and ``k* = min{k : C_k >= X - 1e-9}``
    (the tolerance absorbs rounding in the cumulative sum). Processes tied with ``v_(k*)``
    are all included, so the result does not depend on input order.

    References
    ----------
    Juran, J. M. (1951). *Quality Control Handbook*, McGraw-Hill (the Pareto principle).

    Examples
    --------
    >>> from custcentric.process import key_processes
    >>> kp = key_processes([40, 25, 12, 8, 5, 4, 3, 2, 1], coverage=0.9)
    >>> kp.n_key, kp.key
    (5, ('0', '1', '2', '3', '4'))
    """
    keys, values = _names_and_values(impact, names, "impact")
    share = check_number(coverage, "coverage", low=0, high=1, low_inclusive=False)
    total = float(values.sum())
    if total <= 0:
        msg = "`impact` must hold a positive total (got all zeros or no processes)."
        raise InvalidInputError(msg)
    order = np.argsort(-values, kind="stable")
    ordered = values[order]
    cumulative = np.cumsum(ordered) / total
    k = int(np.searchsorted(cumulative, share - _TOLERANCE, side="left")) + 1
    k = min(k, ordered.size)
    k = int(np.count_nonzero(ordered >= ordered[k - 1]))
    return KeyProcesses(
        names=tuple(keys[i] for i in order),
        impact=ordered,
        cumulative_share=cumulative,
        n_key=k,
        coverage=share,
    )


Normalisation = Literal["min_max", "ratio_max", "none"]
_NORMALISATIONS = ("min_max", "ratio_max", "none")


@attrs.frozen(eq=False, kw_only=True)
class Priorities(Result):
    """Processes ranked by their weighted score against the goals.

    Attributes
    ----------
    processes : tuple of str
        Ranked, best first (ties in input order).
    score : ndarray of float64
        ``Σ_g w_g s_{k,g}``, in [0, 1] for min-max and ratio-max normalisation.
    normalised : ndarray of float64, shape (n_processes, n_goals)
        The normalised scores ``s_{k,g}``, rows in ranked order.
    goals : tuple of str
    weights : ndarray of float64
        The goal weights, rescaled to sum to 1.
    normalisation : str

    Examples
    --------
    >>> from custcentric.process import prioritise
    >>> scores = {"repair": {"retention": 9, "cost": 4}, "billing": {"retention": 3, "cost": 1},
    ...           "moving": {"retention": 6, "cost": 2}}
    >>> p = prioritise(scores, {"retention": 0.75, "cost": 0.25}, lower_is_better=["cost"])
    >>> p.processes, p.score.round(3).tolist()
    (('repair', 'moving', 'billing'), [0.75, 0.542, 0.25])
    >>> p.top(1), p.rank.tolist()
    (('repair',), [1, 2, 3])
    >>> print(p)
    Priorities over 2 goals (min_max): 1. repair 0.750, 2. moving 0.542, 3. billing 0.250
    """

    processes: tuple[str, ...]
    score: FloatArray = attrs.field(converter=read_only)
    normalised: FloatArray = attrs.field(converter=read_only)
    goals: tuple[str, ...]
    weights: FloatArray = attrs.field(converter=read_only)
    normalisation: str

    def top(self, n: int) -> tuple[str, ...]:
        """Return the ``n`` highest-scoring processes (``n`` a whole number, at least 0)."""
        count = check_number(n, "n", low=0, integer=True)
        return self.processes[: int(count)]

    @property
    def rank(self) -> IntArray:
        """1-based ranks in ranked order (equal scores share the better rank)."""
        return np.searchsorted(-self.score, -self.score, side="left").astype(np.int64) + 1

    def summary(self) -> str:
        """Return the ranking with scores, in one line."""
        ranked = ", ".join(
            f"{r}. {name} {score:.3f}"
            for r, name, score in zip(
                self.rank.tolist(), self.processes, self.score.tolist(), strict=True
            )
        )
        n = len(self.goals)
        return f"Priorities over {n} goal{'s' if n != 1 else ''} ({self.normalisation}): {ranked}"

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data (a non-finite number becomes ``None``)."""
        data: dict[str, Any] = jsonable(
            {
                "processes": list(self.processes),
                "score": self.score.tolist(),
                "rank": self.rank.tolist(),
                "normalised": self.normalised.tolist(),
                "goals": list(self.goals),
                "weights": self.weights.tolist(),
                "normalisation": self.normalisation,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per process with its score and normalised goal scores."""
        columns: dict[str, Any] = {
            "process": np.array(self.processes, dtype=np.str_),
            "score": self.score,
            "rank": self.rank,
        }
        for g, goal in enumerate(self.goals):
            columns[goal] = self.normalised[:, g]
        return make_frame(columns)


def _score_matrix(
    scores: Mapping[str, Mapping[str, float]] | ArrayLike,
    processes: Sequence[str] | None,
    goals: Sequence[str] | None,
) -> tuple[list[str], list[str], FloatArray]:
    if isinstance(scores, Mapping):
        names = [str(p) for p in scores]
        goal_names = (
            list(goals)
            if goals is not None
            else list(dict.fromkeys(str(g) for row in scores.values() for g in row))
        )
        rows = []
        items: list[tuple[str, object]] = list(scores.items())
        for name, row in items:
            if not isinstance(row, Mapping):
                msg = f"`scores` must map each process to a mapping of goal scores ({name!r}: {fmt(row)})."
                raise InvalidInputError(msg)
            missing = [g for g in goal_names if g not in row]
            if missing:
                msg = f"`scores` must give every goal for every process ({name!r} lacks {missing[0]!r})."
                raise InvalidInputError(msg)
            rows.append([row[g] for g in goal_names])
        matrix = np.array(rows, dtype=object)
    else:
        matrix = np.asarray(scores, dtype=object)
        if matrix.ndim != 2:
            msg = f"`scores` must be two-dimensional, processes × goals (got shape {matrix.shape})."
            raise InvalidInputError(msg)
        names = (
            [str(p) for p in processes]
            if processes is not None
            else [str(i) for i in range(matrix.shape[0])]
        )
        goal_names = (
            [str(g) for g in goals]
            if goals is not None
            else list(
                CRM_GOALS if matrix.shape[1] == len(CRM_GOALS) else map(str, range(matrix.shape[1]))
            )
        )
        if len(names) != matrix.shape[0] or len(goal_names) != matrix.shape[1]:
            msg = (
                f"`processes` and `goals` must match the shape of `scores` "
                f"({len(names)} × {len(goal_names)} != {matrix.shape[0]} × {matrix.shape[1]})."
            )
            raise InvalidInputError(msg)
    values = as_float_array(matrix.reshape(-1), "scores").reshape(len(names), len(goal_names))
    return names, goal_names, values


def _weights(goal_weights: Mapping[str, float] | ArrayLike, goals: list[str]) -> FloatArray:
    if isinstance(goal_weights, Mapping):
        unknown = [str(g) for g in goal_weights if str(g) not in goals]
        if unknown:
            msg = f"`goal_weights` must name goals of `scores` {goals} (got {unknown[0]!r})."
            raise InvalidInputError(msg)
        raw = as_float_array([goal_weights.get(g, 0.0) for g in goals], "goal_weights")
    else:
        raw = as_float_array(goal_weights, "goal_weights")
        if raw.size != len(goals):
            msg = f"`goal_weights` must give one weight per goal ({raw.size} != {len(goals)})."
            raise InvalidInputError(msg)
    negative = raw < 0
    if negative.any():
        i = first_true(negative)
        msg = f"`goal_weights` must be non-negative (goal {goals[i]!r}: {fmt(raw[i])})."
        raise InvalidInputError(msg)
    if raw.sum() <= 0:
        msg = "`goal_weights` must have a positive sum (got all zeros)."
        raise InvalidInputError(msg)
    weights: FloatArray = raw / raw.sum()
    return weights


def prioritise(
    scores: Mapping[str, Mapping[str, float]] | ArrayLike,
    goal_weights: Mapping[str, float] | ArrayLike,
    *,
    normalisation: Normalisation = "min_max",
    lower_is_better: Sequence[str] = (),
    processes: Sequence[str] | None = None,
    goals: Sequence[str] | None = None,
) -> Priorities:
    """Rank processes by their weighted, normalised scores against the CRM goals.

    Parameters
    ----------
    scores : mapping of process to mapping of goal to float, or 2-D array_like
        The raw impact estimate of each process on each goal (re-engineering step 3:
        retention, sales development, profitability, satisfaction).
    goal_weights : mapping of goal to float, or array_like
        Non-negative weights (e.g. from :func:`ahp_weights`); rescaled to sum to 1. Goals
        missing from a mapping weigh 0.
    normalisation : {"min_max", "ratio_max", "none"}, default "min_max"
        How each goal's raw scores are put on [0, 1] before weighting (see Notes).
    lower_is_better : sequence of str, default ()
        Goals where less is better (e.g. cost); reversed by the normalisation.
    processes, goals : sequence of str, optional
        Names for the rows and columns of an array ``scores`` (goals default to
        :data:`CRM_GOALS` for four columns).

    Returns
    -------
    Priorities

    Raises
    ------
    InvalidInputError
        For non-finite scores, negative weights, a zero weight sum, unknown goals, negative
        scores with ratio-max normalisation, or an unknown normalisation.

    Notes
    -----
    Simple additive weighting, ``score_k = Σ_g w_g s_{k,g}`` with ``Σ_g w_g = 1``:

    * ``min_max``: ``s = (x - min_g) / (max_g - min_g)`` (``(max_g - x) / (max_g - min_g)``
      where lower is better); a goal on which all processes score the same gives every
      process 1, so it cannot change the ranking;
    * ``ratio_max``: ``s = x / max_g`` (``min_g / x`` where lower is better; scores must be
      non-negative, and 0 counts as best where lower is better);
    * ``none``: the raw scores (already on a common scale).

    Min-max ranks depend on which processes are in the set (rank reversal when one is
    added); ratio-max does not shift with the minimum.

    References
    ----------
    Keeney, R. L., & Raiffa, H. (1976). *Decisions with Multiple Objectives*, Wiley;
    Belton, V., & Stewart, T. J. (2002). *Multiple Criteria Decision Analysis*, Kluwer, ch. 4.

    Examples
    --------
    >>> from custcentric.process import prioritise
    >>> p = prioritise({"repair": {"retention": 9, "cost": 4}, "billing": {"retention": 3,
    ...                 "cost": 1}}, {"retention": 0.75, "cost": 0.25},
    ...                lower_is_better=["cost"])
    >>> p.processes, p.score.tolist()
    (('repair', 'billing'), [0.75, 0.25])
    """
    names, goal_names, x = _score_matrix(scores, processes, goals)
    if normalisation not in _NORMALISATIONS:
        options = ", ".join(repr(m) for m in _NORMALISATIONS)
        msg = f"`normalisation` must be one of {options} (got {normalisation!r})."
        raise InvalidInputError(msg)
    unknown = [g for g in lower_is_better if g not in goal_names]
    if unknown:
        msg = f"`lower_is_better` must name goals of `scores` {goal_names} (got {unknown[0]!r})."
        raise InvalidInputError(msg)
    weights = _weights(goal_weights, goal_names)
    reverse = np.isin(np.array(goal_names), np.array(list(lower_is_better), dtype=np.str_))
    s = _normalise(x, reverse, normalisation)
    score = s @ weights
    order = np.argsort(-score, kind="stable")
    return Priorities(
        processes=tuple(names[i] for i in order),
        score=score[order],
        normalised=s[order],
        goals=tuple(goal_names),
        weights=weights,
        normalisation=normalisation,
    )


def _normalise(x: FloatArray, reverse: Any, normalisation: str) -> FloatArray:
    if normalisation == "none" or x.shape[0] == 0:
        return x.copy()
    low, high = x.min(axis=0), x.max(axis=0)
    if normalisation == "min_max":
        span = high - low
        flat = span == 0
        safe = np.where(flat, 1.0, span)
        s = np.where(reverse, (high - x) / safe, (x - low) / safe)
        return np.where(flat, 1.0, s)
    negative = x < 0
    if negative.any():
        i, g = np.argwhere(negative)[0]
        msg = f"`scores` must be non-negative for ratio_max normalisation (process {i}, goal {g}: {fmt(x[i, g])})."
        raise InvalidInputError(msg)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(high > 0, x / np.where(high > 0, high, 1.0), 1.0)
        down = np.where(x > 0, low / np.where(x > 0, x, 1.0), 1.0)
    return np.where(reverse, down, up)
