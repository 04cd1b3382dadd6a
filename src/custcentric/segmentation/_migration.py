"""``MigrationModel``: customer migration between states as a Markov chain (Pfeifer & Carraway 2000)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import as_1d, as_float_array, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation._markov import (
    absorbing_mask,
    absorbing_parts,
    as_stochastic_rows,
    check_row_sums,
    reaches_absorption,
    states_tuple,
)
from custcentric.segmentation._segmentation import sorted_labels
from custcentric.tables._columns import read_only
from custcentric.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MigrationModel"]

#: The longest projection :meth:`MigrationModel.project` keeps (one row per period).
_MAX_PERIODS = 1_000_000


def _codes(labels: ArrayLike, states: tuple[str, ...], name: str) -> IntArray:
    raw = as_1d(labels, name)
    text = raw.astype(np.str_) if raw.size else raw.astype("<U1")
    lookup = np.array(states, dtype=np.str_)
    sorter = np.argsort(lookup, kind="stable")
    pos = np.clip(np.searchsorted(lookup, text, sorter=sorter), 0, len(states) - 1)
    codes = sorter[pos]
    bad = lookup[codes] != text
    if bad.any():
        i = int(np.argmax(bad))
        msg = f"`{name}` must hold only labels listed in `states` (customer {i}: {fmt(raw[i])})."
        raise InvalidInputError(msg)
    return codes.astype(np.int64)


#: The longest finite horizon of :meth:`MigrationModel.lifetime_value`, in periods (the sum
#: is evaluated one period at a time).
MAX_PERIODS = 100_000


def _as_transition_matrix(values: ArrayLike) -> FloatArray:
    matrix = as_stochastic_rows(values, "transition_matrix", square=True)
    check_row_sums(matrix.sum(axis=1), "transition_matrix")
    return read_only(matrix)


@attrs.frozen(kw_only=True, eq=False)
class MigrationModel(Result):
    """A customer migration model: a one-period Markov chain over customer states.

    Build it with :meth:`fit` (from two period labellings) or :meth:`from_matrix`.

    Attributes
    ----------
    transition_matrix : ndarray of float64, shape (S, S)
        ``P[i, j]``: the probability that a customer in state ``i`` is in state ``j`` one
        period later; rows sum to 1.
    states : tuple of str
        The state names, in row order.
    counts : ndarray of int64 or None
        The observed transition counts ``n_ij`` when fitted.

    Examples
    --------
    Pfeifer and Carraway's recency example: states are recency 1-4 and
    "former" (absorbing), and the customer value at zero discount is :math:`V_1 = 64.25`.

    >>> from custcentric.segmentation import MigrationModel
    >>> p = [0.30, 0.20, 0.15, 0.05]
    >>> P = [[p[0], 0.7, 0, 0, 0], [p[1], 0, 0.8, 0, 0], [p[2], 0, 0, 0.85, 0],
    ...      [p[3], 0, 0, 0, 0.95], [0, 0, 0, 0, 1]]
    >>> model = MigrationModel.from_matrix(P, states=["1", "2", "3", "4", "former"])
    >>> model.lifetime_value([36, -4, -4, -4, 0], discount_rate=0).round(2).tolist()
    [64.25, 12.83, 4.97, -0.79, 0.0]
    >>> model.lifetime_value([36, -4, -4, -4, 0], discount_rate=0.2, n_periods=1)[0].item()
    36.0
    """

    transition_matrix: FloatArray = attrs.field(converter=_as_transition_matrix)
    states: tuple[str, ...]
    counts: IntArray | None = attrs.field(
        default=None, converter=attrs.converters.optional(read_only)
    )

    def __attrs_post_init__(self) -> None:
        given: object = self.states
        if isinstance(given, str | bytes) or not isinstance(given, Sequence):
            msg = f"`states` must be a sequence of state names (got {fmt(given)})."
            raise InvalidInputError(msg)
        names = states_tuple(given, self.transition_matrix.shape[0])
        object.__setattr__(self, "states", names)  # frozen: set once, checked

    @classmethod
    def from_matrix(cls, P: ArrayLike, states: Sequence[Any] | None = None) -> MigrationModel:  # noqa: N803
        """Take a transition matrix as given.

        Parameters
        ----------
        P : array_like, shape (S, S)
            Non-negative transition probabilities whose rows sum to 1 (within 1e-8).
        states : sequence, optional
            State names (strings; other values are converted), default ``"0" .. "S-1"``.

        Raises
        ------
        InvalidInputError
            For a matrix that is not square, holds negative or non-finite entries, or has a
            row that does not sum to 1 (the message names the row).
        """
        p = as_stochastic_rows(P, "P", square=True)
        check_row_sums(p.sum(axis=1), "P")
        names = states_tuple(states, p.shape[0])
        return cls(transition_matrix=p, states=names)

    @classmethod
    def fit(
        cls,
        labels_before: ArrayLike,
        labels_after: ArrayLike,
        *,
        states: Sequence[Any] | None = None,
    ) -> MigrationModel:
        r"""Estimate the transition matrix from each customer's state in two periods.

        Parameters
        ----------
        labels_before, labels_after : array_like
            Each customer's state at the start and at the end of one period.
        states : sequence, optional
            All states, in the order wanted; default the distinct labels sorted (numbers as
            numbers: 2 before 10).

        Returns
        -------
        MigrationModel
            With ``counts`` the observed transitions.

        Raises
        ------
        InvalidInputError
            For arrays of different lengths, no customers, a label outside ``states``, or a
            state with no customer in ``labels_before`` (its row cannot be estimated).

        Notes
        -----
        The maximum-likelihood estimate is :math:`\hat p_{ij} = n_{ij} / n_i`, with
        :math:`n_{ij}` the customers in state :math:`i` before and :math:`j` after, and
        standard error :math:`\sqrt{\hat p_{ij}(1 - \hat p_{ij}) / n_i}`
        (:meth:`standard_errors`).

        Examples
        --------
        >>> from custcentric.segmentation import MigrationModel
        >>> m = MigrationModel.fit(["a", "a", "b", "b"], ["a", "b", "b", "b"])
        >>> m.transition_matrix.tolist()
        [[0.5, 0.5], [0.0, 1.0]]
        """
        before = as_1d(labels_before, "labels_before")
        after = as_1d(labels_after, "labels_after")
        if before.size != after.size:
            msg = (
                f"`labels_after` must have the same length as `labels_before` "
                f"({after.size} != {before.size})."
            )
            raise InvalidInputError(msg)
        if before.size == 0:
            msg = "`labels_before` must not be empty (got 0 customers)."
            raise InvalidInputError(msg)
        if states is None:
            names = tuple(sorted_labels(before, after))
        else:
            listed = list(states)  # a generator can be read only once
            names = states_tuple(listed, len(listed))
        i = _codes(before, names, "labels_before")
        j = _codes(after, names, "labels_after")
        s = len(names)
        counts = np.bincount(i * s + j, minlength=s * s).reshape(s, s).astype(np.int64)
        totals = counts.sum(axis=1)
        empty = totals == 0
        if empty.any():
            k = int(np.argmax(empty))
            msg = (
                f"`labels_before` must hold every state to estimate its row "
                f"(state {names[k]!r} has no customer)."
            )
            raise InvalidInputError(msg)
        return cls(transition_matrix=counts / totals[:, None], states=names, counts=counts)

    @property
    def n_states(self) -> int:
        """The number of states."""
        return len(self.states)

    @property
    def absorbing_states(self) -> tuple[str, ...]:
        """The states a customer never leaves (:math:`P_{ii} = 1`)."""
        mask = absorbing_mask(self.transition_matrix)
        return tuple(s for s, a in zip(self.states, mask, strict=True) if a)

    def standard_errors(self) -> FloatArray:
        """Return the standard errors of the fitted probabilities (needs ``counts``)."""
        if self.counts is None:
            msg = "`standard_errors` needs a fitted model (this one came from a matrix)."
            raise InvalidInputError(msg)
        p = self.transition_matrix
        n = self.counts.sum(axis=1)[:, None]
        se: FloatArray = np.sqrt(p * (1.0 - p) / n)
        return se

    def _distribution(self, initial: ArrayLike | str) -> FloatArray:
        if isinstance(initial, str):
            if initial not in self.states:
                options = ", ".join(repr(s) for s in self.states)
                msg = f"`initial` must be one of {options} or a vector (got {initial!r})."
                raise InvalidInputError(msg)
            start = np.zeros(self.n_states)
            start[self.states.index(initial)] = 1.0
            return start
        start = as_float_array(initial, "initial", non_negative=True)
        if start.size != self.n_states:
            msg = f"`initial` must hold one entry per state ({start.size} != {self.n_states})."
            raise InvalidInputError(msg)
        return start

    def matrix_power(self, n_periods: int) -> FloatArray:
        """Return the ``n_periods``-step transition matrix :math:`P^t`."""
        t = int(check_number(n_periods, "n_periods", low=0, integer=True))
        return np.linalg.matrix_power(self.transition_matrix, t)

    def project(self, initial: ArrayLike | str, n_periods: int) -> FloatArray:
        r"""Project a distribution (or counts) of customers over ``n_periods`` periods.

        Parameters
        ----------
        initial : array_like or str
            Customers (or shares) per state at period 0, or one state name (a single
            customer there).
        n_periods : int
            Periods to project.

        Returns
        -------
        ndarray, shape (n_periods + 1, S)
            Row :math:`t` is :math:`\pi_t = \pi_0 P^t`.

        Raises
        ------
        InvalidInputError
            For ``n_periods`` that is not a whole number in [0, 10^6] (one row per period is
            kept), or a bad ``initial``.
        """
        t = int(check_number(n_periods, "n_periods", low=0, high=_MAX_PERIODS, integer=True))
        out = np.empty((t + 1, self.n_states))
        out[0] = self._distribution(initial)
        for k in range(1, t + 1):
            out[k] = out[k - 1] @ self.transition_matrix
        return out

    def steady_state(self) -> FloatArray:
        r"""Return the stationary distribution :math:`\pi = \pi P`, :math:`\sum \pi = 1`.

        Raises
        ------
        InvalidInputError
            When the chain has more than one stationary distribution (several closed
            classes, e.g. two absorbing states).
        """
        p = self.transition_matrix
        s = self.n_states
        system = p.T - np.eye(s)
        rank = int(np.linalg.matrix_rank(system))
        if rank < s - 1:
            msg = (
                "the chain must have a single closed class for a unique steady state "
                f"(rank of P' - I is {rank} < {s - 1})."
            )
            raise InvalidInputError(msg)
        system[-1] = 1.0
        rhs = np.zeros(s)
        rhs[-1] = 1.0
        pi: FloatArray = np.clip(np.linalg.solve(system, rhs), 0.0, None)
        out: FloatArray = pi / float(pi.sum())
        return out

    def _absorbing_split(self) -> tuple[FloatArray, FloatArray, Any, Any]:
        p = self.transition_matrix
        absorbing = absorbing_mask(p)
        if not absorbing.any():
            msg = "the chain must have an absorbing state (P[i, i] = 1) for absorption."
            raise InvalidInputError(msg)
        reach = reaches_absorption(p, absorbing)
        if not reach.all():
            k = int(np.argmax(~reach))
            msg = (
                f"every state must reach an absorbing state (state {self.states[k]!r} never does)."
            )
            raise InvalidInputError(msg)
        transient = np.flatnonzero(~absorbing)
        absorb = np.flatnonzero(absorbing)
        return p[np.ix_(transient, transient)], p[np.ix_(transient, absorb)], transient, absorb

    def expected_time_to_absorption(self) -> FloatArray:
        r"""Return the expected periods until absorption from each state (0 when absorbing).

        Notes
        -----
        :math:`t = (I - Q)^{-1} \mathbf{1}` on the transient block :math:`Q`, solved, never
        inverted (Kemeny & Snell 1960, §3.3).
        """
        q, r, transient, _ = self._absorbing_split()
        out = np.zeros(self.n_states)
        out[transient] = absorbing_parts(q, r)[2]
        return out

    def absorption_probabilities(self) -> FloatArray:
        r"""Return :math:`B[i, k]`: the probability of ending in absorbing state ``k`` from ``i``.

        Columns follow :attr:`absorbing_states`; an absorbing state's row is its own unit vector.
        """
        q, r, transient, absorb = self._absorbing_split()
        out = np.zeros((self.n_states, absorb.size))
        out[transient] = absorbing_parts(q, r)[1]
        out[absorb, np.arange(absorb.size)] = 1.0
        return out

    def _rewards(self, rewards: ArrayLike | Mapping[str, float]) -> FloatArray:
        if isinstance(rewards, Mapping):
            missing = [s for s in self.states if s not in rewards]
            if missing:
                msg = f"`rewards` must give a reward for every state (missing {missing[0]!r})."
                raise InvalidInputError(msg)
            return as_float_array([rewards[s] for s in self.states], "rewards")
        values = as_float_array(rewards, "rewards")
        if values.size != self.n_states:
            msg = f"`rewards` must hold one entry per state ({values.size} != {self.n_states})."
            raise InvalidInputError(msg)
        return values

    def lifetime_value(
        self,
        rewards: ArrayLike | Mapping[str, float],
        *,
        discount_rate: float,
        n_periods: int | None = None,
    ) -> FloatArray:
        r"""Return the expected discounted value of a customer starting in each state.

        Parameters
        ----------
        rewards : array_like or mapping
            The net contribution in each state per period, received at the start of the
            period.
        discount_rate : float
            The per-period discount rate :math:`d \ge 0`.
        n_periods : int, optional
            The number of terms :math:`t = 0 \dots n - 1`; None means an infinite horizon.

        Returns
        -------
        ndarray of float64
            :math:`V_i` per state.

        Raises
        ------
        InvalidInputError
            For an infinite horizon that diverges: with :math:`d = 0` every state must reach
            an absorbing state and absorbing states must earn 0.

        Notes
        -----
        .. math::

            V^{(n)} = \sum_{t=0}^{n-1} \left[(1+d)^{-1} P\right]^t R, \qquad
            V = \left[I - (1+d)^{-1} P\right]^{-1} R.

        The finite sum is evaluated by Horner's rule; the infinite one by
        :func:`numpy.linalg.solve` (on the transient block when :math:`d = 0`).

        References
        ----------
        P. E. Pfeifer and R. L. Carraway (2000), "Modeling customer relationships as Markov
        chains", *Journal of Interactive Marketing* 14(2):43-55, eq. (4)-(5).
        """
        r = self._rewards(rewards)
        d = check_number(discount_rate, "discount_rate", low=0)
        m = self.transition_matrix / (1.0 + d)
        if n_periods is not None:
            n = int(check_number(n_periods, "n_periods", low=1, high=MAX_PERIODS, integer=True))
            value = r.copy()
            for _ in range(n - 1):
                value = r + m @ value
            return value
        if d > 0:
            return np.linalg.solve(np.eye(self.n_states) - m, r).astype(np.float64)
        absorbing = absorbing_mask(self.transition_matrix)
        if absorbing.any() and np.any(r[absorbing] != 0):
            k = int(np.flatnonzero(absorbing & (r != 0))[0])
            msg = (
                "`rewards` must be 0 in absorbing states for an infinite horizon with "
                f"`discount_rate` 0 (state {self.states[k]!r}: {fmt(r[k])})."
            )
            raise InvalidInputError(msg)
        q, _, transient, _ = self._absorbing_split()
        value = np.zeros(self.n_states)
        value[transient] = np.linalg.solve(np.eye(q.shape[0]) - q, r[transient])
        return value

    def to_dict(self) -> dict[str, Any]:
        """Return the states and the transition matrix (and counts, if fitted) as plain data."""
        out: dict[str, Any] = {
            "states": list(self.states),
            "transition_matrix": self.transition_matrix.tolist(),
        }
        if self.counts is not None:
            out["counts"] = self.counts.tolist()
        data: dict[str, Any] = jsonable(out)
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return the transition matrix with a ``from`` column and one column per destination state."""
        columns: dict[str, Any] = {"from": np.array(self.states)}
        for j, state in enumerate(self.states):
            columns[state] = self.transition_matrix[:, j]
        return make_frame(columns)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        width = max(len(s) for s in self.states)
        head = " " * (width + 2) + "  ".join(s.rjust(6) for s in self.states)
        rows = [
            f"  {s.ljust(width)}" + "  ".join(f"{v:6.3f}" for v in self.transition_matrix[i])
            for i, s in enumerate(self.states)
        ]
        return "\n".join([f"MigrationModel({self.n_states} states)", head, *rows])
