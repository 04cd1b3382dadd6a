"""The lifecycle funnel identify -> select -> convert -> develop -> retain as an absorbing chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric.domain import LifecycleStage
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._markov import (
    absorbing_mask,
    absorbing_parts,
    as_stochastic_rows,
    check_row_sums,
    reaches_absorption,
    states_tuple,
)
from custcentric.segmentation._migration import MigrationModel
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LifecycleFunnel", "lifecycle_funnel"]


@attrs.frozen(kw_only=True, eq=False)
class LifecycleFunnel(Result):
    """Where customers entering each funnel stage end up, and how long they take.

    Attributes
    ----------
    stages : tuple of str
        The transient stages, in order (by default identify, select, convert, develop).
    outcomes : tuple of str
        The absorbing outcomes (by default lapsed, retain).
    fundamental : ndarray, shape (k, k)
        :math:`N`: expected periods spent in stage ``j`` by a customer now in stage ``i``.
    absorption : ndarray, shape (k, m)
        :math:`B`: the probability that a customer now in stage ``i`` ends in outcome ``o``.
    expected_periods : ndarray, shape (k,)
        :math:`t`: expected periods until an outcome, from each stage.
    reach : ndarray, shape (k, k)
        The probability that a customer now in stage ``i`` ever reaches stage ``j``,
        :math:`N_{ij} / N_{jj}` (1 on the diagonal).

    Examples
    --------
    >>> from custcentric.segmentation import lifecycle_funnel
    >>> Q = [[.60, .25, 0, 0], [0, .50, .30, 0], [0, 0, .60, .25], [0, 0, 0, .80]]
    >>> R = [[.15, 0], [.20, 0], [.15, 0], [.10, .10]]
    >>> funnel = lifecycle_funnel(Q, R)
    >>> round(funnel.conversion("retain"), 4), funnel.reach[0].round(3).tolist()
    (0.1172, [1.0, 0.625, 0.375, 0.234])
    """

    stages: tuple[str, ...]
    outcomes: tuple[str, ...]
    fundamental: FloatArray = attrs.field(converter=read_only)
    absorption: FloatArray = attrs.field(converter=read_only)
    expected_periods: FloatArray = attrs.field(converter=read_only)
    reach: FloatArray = attrs.field(converter=read_only)

    def conversion(
        self, outcome: str | LifecycleStage, *, start: str | LifecycleStage | None = None
    ) -> float:
        """Return the probability that a customer in ``start`` (default the first stage) ends in ``outcome``."""
        o = self._index(outcome, self.outcomes, "outcome")
        s = 0 if start is None else self._index(start, self.stages, "start")
        return float(self.absorption[s, o])

    @staticmethod
    def _index(value: object, names: tuple[str, ...], name: str) -> int:
        key = value.value if isinstance(value, LifecycleStage) else str(value)
        if key not in names:
            options = ", ".join(repr(n) for n in names)
            msg = f"`{name}` must be one of {options} (got {key!r})."
            raise InvalidInputError(msg)
        return names.index(key)

    def to_dict(self) -> dict[str, Any]:
        """Return the stages, outcomes and the three matrices as plain data."""
        data: dict[str, Any] = jsonable(
            {
                "stages": list(self.stages),
                "outcomes": list(self.outcomes),
                "fundamental": self.fundamental.tolist(),
                "absorption": self.absorption.tolist(),
                "expected_periods": self.expected_periods.tolist(),
                "reach": self.reach.tolist(),
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """One row per stage: expected periods to an outcome and the chance of each outcome."""
        columns: dict[str, Any] = {
            "stage": np.array(self.stages),
            "expected_periods": self.expected_periods,
        }
        for j, outcome in enumerate(self.outcomes):
            columns[f"p_{outcome}"] = self.absorption[:, j]
        return make_frame(columns)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        rows = [
            f"  {stage}: {self.expected_periods[i]:.2f} periods to an outcome; "
            + ", ".join(
                f"{o} {100 * self.absorption[i, j]:.1f} %" for j, o in enumerate(self.outcomes)
            )
            for i, stage in enumerate(self.stages)
        ]
        return "\n".join(["LifecycleFunnel", *rows])


def _default_names(k: int, m: int) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    path = [s.value for s in LifecycleStage.path()]
    stages = tuple(path[:k]) if k <= 4 else None
    outcomes: tuple[str, ...] | None = None
    if m == 2:
        outcomes = (LifecycleStage.LAPSED.value, LifecycleStage.RETAIN.value)
    elif m == 1:
        outcomes = (LifecycleStage.LAPSED.value,)
    return stages, outcomes


def lifecycle_funnel(
    transient: ArrayLike | MigrationModel,
    absorbing: ArrayLike | None = None,
    *,
    stages: Sequence[str | LifecycleStage] | None = None,
    outcomes: Sequence[str | LifecycleStage] | None = None,
) -> LifecycleFunnel:
    r"""Analyse the customer-management funnel as an absorbing Markov chain.

    Parameters
    ----------
    transient : array_like, shape (k, k), or MigrationModel
        :math:`Q`: per-period moves between the funnel stages (identify, select, convert,
        develop by default). A :class:`MigrationModel` brings its own states: its absorbing
        states are the outcomes, the others the stages.
    absorbing : array_like, shape (k, m)
        :math:`R`: per-period moves from each stage to each outcome (lapsed and retain by
        default); each row of :math:`[Q\ R]` sums to 1. Leave out with a model.
    stages, outcomes : sequence of str or LifecycleStage, optional
        Names of the rows of :math:`Q` and the columns of :math:`R`.

    Returns
    -------
    LifecycleFunnel

    Raises
    ------
    InvalidInputError
        For negative or non-finite entries, rows of :math:`[Q\ R]` that do not sum to 1, or a
        stage from which no outcome is ever reached.

    Notes
    -----
    In canonical form :math:`P = \begin{pmatrix} Q & R \\ 0 & I \end{pmatrix}`:
    :math:`N = (I - Q)^{-1}`, :math:`B = N R`, :math:`t = N \mathbf{1}`, each by solving the
    linear system rather than inverting.

    References
    ----------
    J. G. Kemeny and J. L. Snell (1960), *Finite Markov Chains*, ch. III; R. C. Blattberg,
    G. Getz and J. S. Thomas (2001), *Customer Equity*.

    Examples
    --------
    A worked example:

    >>> from custcentric.segmentation import lifecycle_funnel
    >>> Q = [[.60, .25, 0, 0], [0, .50, .30, 0], [0, 0, .60, .25], [0, 0, 0, .80]]
    >>> R = [[.15, 0], [.20, 0], [.15, 0], [.10, .10]]
    >>> funnel = lifecycle_funnel(Q, R)
    >>> funnel.stages, funnel.outcomes
    (('identify', 'select', 'convert', 'develop'), ('lapsed', 'retain'))
    >>> funnel.absorption[0].round(4).tolist(), funnel.expected_periods.round(4).tolist()
    ([0.8828, 0.1172], [5.8594, 5.375, 5.625, 5.0])
    """
    if isinstance(transient, MigrationModel):
        if absorbing is not None:
            msg = "`absorbing` must be left out when `transient` is a MigrationModel."
            raise InvalidInputError(msg)
        p = transient.transition_matrix
        mask = absorbing_mask(p)
        if not mask.any():
            msg = "`transient` must have an absorbing state (an outcome) for a funnel."
            raise InvalidInputError(msg)
        t_idx, a_idx = np.flatnonzero(~mask), np.flatnonzero(mask)
        if t_idx.size == 0:
            msg = (
                "`transient` must have a state that is not absorbing (a stage) for a funnel "
                f"(all {mask.size} states are absorbing)."
            )
            raise InvalidInputError(msg)
        q, r = p[np.ix_(t_idx, t_idx)], p[np.ix_(t_idx, a_idx)]
        default_stages = tuple(transient.states[i] for i in t_idx)
        default_outcomes = tuple(transient.states[i] for i in a_idx)
    else:
        if absorbing is None:
            msg = "`absorbing` must be given (the moves from each stage to each outcome)."
            raise InvalidInputError(msg)
        q = as_stochastic_rows(transient, "transient", square=True, row_label="stage")
        r = as_stochastic_rows(
            absorbing, "absorbing", square=False, row_label="stage", columns=q.shape[0]
        )
        check_row_sums(q.sum(axis=1) + r.sum(axis=1), "transient` and `absorbing", "stage")
        ds, do = _default_names(q.shape[0], r.shape[1])
        default_stages = ds or tuple(str(i) for i in range(q.shape[0]))
        default_outcomes = do or tuple(f"outcome {j}" for j in range(r.shape[1]))
    stage_names = default_stages if stages is None else states_tuple(stages, q.shape[0], "stages")
    outcome_names = (
        default_outcomes if outcomes is None else states_tuple(outcomes, r.shape[1], "outcomes")
    )
    k = q.shape[0]
    full = np.zeros((k + r.shape[1], k + r.shape[1]))
    full[:k, :k], full[:k, k:] = q, r
    full[k:, k:] = np.eye(r.shape[1])
    reach_absorb = reaches_absorption(full, np.arange(full.shape[0]) >= k)
    if not reach_absorb[:k].all():
        i = int(np.argmax(~reach_absorb[:k]))
        msg = f"every stage must lead to an outcome (stage {stage_names[i]!r} never does)."
        raise InvalidInputError(msg)
    n, b, t = absorbing_parts(q, r)
    return LifecycleFunnel(
        stages=stage_names,
        outcomes=outcome_names,
        fundamental=n,
        absorption=b,
        expected_periods=t,
        reach=n / np.diag(n)[None, :],
    )
