"""The Fellegi–Sunter record-linkage model: m/u probabilities, match weights and EM."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from custcentric._validation import as_float_array, check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import frozen
from custcentric.typing import FloatArray, IntArray

__all__ = ["FellegiSunter", "FellegiSunterFit"]

#: The most comparison levels a field may have in :meth:`FellegiSunter.fit` (a handful is
#: usual; the bound keeps a bad ``n_levels`` from sizing arrays).
MAX_LEVELS = 1000
_FLOOR = 1e-9  # smallest probability EM may give a level, so every weight stays finite
_PSEUDO_COUNT = 1.0  # per level and class in the M-step (a Dirichlet(2) prior: MAP estimate)


def _levels_of(value: object, name: str, index: int) -> FloatArray:
    """One field's level probabilities: a float ``a`` means two levels ``(a, 1 - a)``."""
    label = f"field {index}"
    if np.ndim(value) == 0 and not isinstance(value, str | bytes):  # type: ignore[arg-type]
        a = check_number(value, f"{name}[{index}]")
        probs = np.array([a, 1.0 - a])
    else:
        raw = value if isinstance(value, np.ndarray) else np.array(value, dtype=object)
        probs = as_float_array(np.ravel(raw), f"{name}[{index}]")
    if probs.size < 2:
        msg = f"`{name}` must give at least two levels per field ({label}: {fmt(value)})."
        raise InvalidInputError(msg)
    bad = ~np.isfinite(probs) | (probs <= 0) | (probs >= 1)
    if bad.any():
        msg = f"`{name}` probabilities must lie in (0, 1) ({label}: {fmt(probs.tolist())})."
        raise InvalidInputError(msg)
    if abs(probs.sum() - 1.0) > 1e-6:
        msg = (
            f"`{name}` probabilities of a field must sum to 1 "
            f"({label}: {fmt(probs.tolist())} sum to {probs.sum():.6g})."
        )
        raise InvalidInputError(msg)
    result: FloatArray = frozen(probs / probs.sum())
    return result


def _probability_table(values: Sequence[Any], name: str) -> tuple[FloatArray, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        msg = f"`{name}` must be a sequence with one entry per field (got {fmt(values)})."
        raise InvalidInputError(msg)
    return tuple(_levels_of(v, name, i) for i, v in enumerate(values))


def _m_table(values: Any) -> tuple[FloatArray, ...]:
    return _probability_table(values, "m")


def _u_table(values: Any) -> tuple[FloatArray, ...]:
    return _probability_table(values, "u")


def _names(values: Any) -> tuple[str, ...]:
    flat = not isinstance(values, np.ndarray) or values.ndim == 1
    if isinstance(values, str | bytes) or not isinstance(values, Iterable) or not flat:
        msg = f"`fields` must be a sequence of field names (got {fmt(values)[:80]})."
        raise InvalidInputError(msg)
    return tuple(str(v) for v in values)


def _prior(value: object) -> float:
    return check_number(value, "prior", low=0, high=1, low_inclusive=False, high_inclusive=False)


@attrs.frozen(kw_only=True, eq=False)
class FellegiSunter:
    r"""Fellegi–Sunter model: per field, the level probabilities among matches and non-matches.

    Parameters
    ----------
    m : sequence
        Per field, ``P(level | match)`` for each comparison level, best agreement first
        (e.g. ``(exact, fuzzy, disagree)``); a float ``a`` means the two levels
        ``(a, 1 - a)`` (agree, disagree). Each in (0, 1), each field summing to 1.
    u : sequence
        The same for non-matches, with as many levels per field as ``m``.
    prior : float
        ``λ``, the prior probability that a candidate pair is a match, in (0, 1).
    fields : sequence of str, optional
        Field names for summaries; ``field 0`` ... by default.

    Notes
    -----
    Level ``l`` of field ``k`` carries the weight :math:`w_k(l) = \log_2(m_k(l) / u_k(l))`
    (for two levels: :math:`\log_2(m/u)` on agreement and :math:`\log_2((1-m)/(1-u))` on
    disagreement). A pair with levels :math:`γ` has the match weight

    .. math:: W = \log_2\frac{λ}{1-λ} + \sum_k w_k(γ_k), \qquad p = \frac{2^W}{1 + 2^W},

    fields missing in either record (level ``-1``) adding nothing. Fields are assumed
    independent given the match status.

    References
    ----------
    Fellegi, I. P., & Sunter, A. B. (1969). A theory for record linkage. *JASA*, 64(328),
    1183–1210.

    Examples
    --------
    A worked example: surname, date of
    birth and postcode with (m, u) = (0.95, 0.01), (0.98, 0.003), (0.90, 0.02), λ = 1e-4.

    >>> from custcentric.idic import FellegiSunter
    >>> model = FellegiSunter(m=[0.95, 0.98, 0.90], u=[0.01, 0.003, 0.02], prior=1e-4)
    >>> [w.round(3).tolist() for w in model.weights]
    [[6.57, -4.307], [8.352, -5.64], [5.492, -3.293]]
    >>> model.match_weight([[0, 0, 1], [0, 0, 0]]).round(3)
    array([-1.659,  7.126])
    >>> model.match_probability([[0, 0, 1], [0, 0, 0]]).round(4)
    array([0.2405, 0.9929])
    """

    m: tuple[FloatArray, ...] = attrs.field(converter=_m_table)
    u: tuple[FloatArray, ...] = attrs.field(converter=_u_table)
    prior: float = attrs.field(converter=_prior)
    fields: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __attrs_post_init__(self) -> None:
        if len(self.m) != len(self.u):
            msg = f"`u` must have one entry per field of `m` ({len(self.u)} != {len(self.m)})."
            raise InvalidInputError(msg)
        for k, (mk, uk) in enumerate(zip(self.m, self.u, strict=True)):
            if mk.size != uk.size:
                msg = f"`u` must have as many levels as `m` (field {k}: {uk.size} != {mk.size})."
                raise InvalidInputError(msg)
        if self.fields and len(self.fields) != len(self.m):
            msg = f"`fields` must name each field of `m` ({len(self.fields)} != {len(self.m)})."
            raise InvalidInputError(msg)
        if not self.fields:
            object.__setattr__(self, "fields", tuple(f"field {k}" for k in range(len(self.m))))

    @property
    def n_levels(self) -> tuple[int, ...]:
        """The number of comparison levels of each field."""
        return tuple(int(mk.size) for mk in self.m)

    @property
    def weights(self) -> tuple[FloatArray, ...]:
        """Per field, ``log2(m / u)`` for each level (bits of evidence for a match)."""
        return tuple(np.log2(mk / uk) for mk, uk in zip(self.m, self.u, strict=True))

    def match_weight(self, levels: ArrayLike) -> FloatArray:
        """Return the total match weight ``W`` (bits) of each pair of records.

        Parameters
        ----------
        levels : array_like of int, shape (n_pairs, n_fields)
            Comparison level per pair and field (0 = best agreement); -1 where missing.
        """
        gamma = self._check_levels(levels)
        total = np.full(gamma.shape[0], math.log2(self.prior) - math.log2(1.0 - self.prior))
        for k, wk in enumerate(self.weights):
            col = gamma[:, k]
            total += np.where(col >= 0, wk[np.maximum(col, 0)], 0.0)
        return total

    def match_probability(self, levels: ArrayLike) -> FloatArray:
        """Return ``p = 2^W / (1 + 2^W)`` for each pair (see :meth:`match_weight`)."""
        result: FloatArray = expit(self.match_weight(levels) * math.log(2.0))
        return result

    def _check_levels(self, levels: ArrayLike) -> IntArray:
        gamma = np.asarray(levels)
        if gamma.ndim == 1 and len(self.m) > 0 and gamma.size == len(self.m):
            gamma = gamma.reshape(1, -1)
        if gamma.ndim != 2 or gamma.shape[1] != len(self.m):
            msg = f"`levels` must have shape (n_pairs, {len(self.m)}) (got {gamma.shape})."
            raise InvalidInputError(msg)
        if gamma.size and gamma.dtype.kind not in "iu":
            msg = f"`levels` must hold integers (got dtype {gamma.dtype})."
            raise InvalidInputError(msg)
        gamma = gamma.astype(np.int64)
        top = np.array(self.n_levels) - 1
        bad = (gamma < -1) | (gamma > top)
        if bad.any():
            i, k = (int(x[0]) for x in np.nonzero(bad))
            msg = f"`levels` must lie in [-1, {top[k]}] for field {k} (pair {i}: {gamma[i, k]})."
            raise InvalidInputError(msg)
        return gamma

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as plain JSON-ready data."""
        return {
            "fields": list(self.fields),
            "m": [mk.tolist() for mk in self.m],
            "u": [uk.tolist() for uk in self.u],
            "prior": self.prior,
        }

    @classmethod
    def fit(
        cls,
        levels: ArrayLike,
        *,
        n_levels: Sequence[int] | None = None,
        fields: Sequence[str] = (),
        m: Sequence[Any] | None = None,
        u: Sequence[Any] | None = None,
        prior: float | None = None,
        max_iter: int = 500,
        tol: float = 1e-8,
    ) -> FellegiSunterFit:
        r"""Estimate m, u and the prior by expectation–maximisation (two latent classes).

        Parameters
        ----------
        levels : array_like of int, shape (n_pairs, n_fields)
            Comparison levels of the candidate pairs (0 = best agreement, -1 = missing).
        n_levels : sequence of int, optional
            Levels per field (2 to :data:`MAX_LEVELS`, 1000); by default one more than the
            highest level seen, at least 2.
        fields : sequence of str, optional
            Field names for the model.
        m, u : sequence, optional
            Known probabilities (as for the model) that stay fixed; the rest is estimated.
        prior : float, optional
            A known prior that stays fixed; else estimated among the candidate pairs.
        max_iter : int, default 500
            Iteration cap.
        tol : float, default 1e-8
            Stop when the log-likelihood (nats per pair) improves by less.

        Returns
        -------
        FellegiSunterFit

        Notes
        -----
        The E-step gives each distinct agreement pattern its posterior match probability
        :math:`g = λ\, m(γ) / (λ\, m(γ) + (1-λ)\, u(γ))`; the M-step sets ``λ`` to the mean of
        ``g`` and each ``m_k(l)`` (``u_k(l)``) to the ``g``- (``1 - g``-) weighted share of
        pairs at level ``l`` among the pairs where field ``k`` is present. The work runs on
        distinct patterns with counts, so it grows with patterns, not pairs. The latent
        class whose level-0 agreement is more likely is labelled "match". The prior is the
        share of matches *among the candidate pairs* (after blocking), not among all pairs.
        Each M-step adds one pseudo-count per level and class (add-one smoothing, the
        maximum a posteriori estimate under a flat Dirichlet(2) prior), so no level gets
        probability 0 and every weight stays finite; its effect fades as pairs grow.

        References
        ----------
        Winkler, W. E. (1988). Using the EM algorithm for weight computation in the
        Fellegi–Sunter model of record linkage. *Proc. Section on Survey Research Methods,
        ASA*, 667–671. Jaro, M. A. (1989), *JASA* 84(406), 414–420.

        Examples
        --------
        >>> import numpy as np
        >>> from custcentric.idic import FellegiSunter
        >>> truth = FellegiSunter(m=[0.9, 0.95], u=[0.1, 0.05], prior=0.3)
        >>> rng = np.random.default_rng(1)
        >>> match = rng.random(20_000) < 0.3
        >>> agree = np.where(match[:, None], rng.random((20_000, 2)) < [0.9, 0.95],
        ...                  rng.random((20_000, 2)) < [0.1, 0.05])
        >>> fit = FellegiSunter.fit((~agree).astype(int))
        >>> round(fit.model.prior, 2), fit.converged
        (0.3, True)
        """
        gamma = np.asarray(levels)
        if gamma.ndim != 2 or gamma.shape[0] == 0 or gamma.shape[1] == 0:
            msg = f"`levels` must be a non-empty 2-D array of pairs x fields (got {gamma.shape})."
            raise InvalidInputError(msg)
        if gamma.dtype.kind not in "iu":
            msg = f"`levels` must hold integers (got dtype {gamma.dtype})."
            raise InvalidInputError(msg)
        n_fields = gamma.shape[1]
        if n_levels is None:
            n_levels = [max(2, int(gamma[:, k].max()) + 1) for k in range(n_fields)]
        if isinstance(n_levels, str | bytes) or np.ndim(n_levels) != 1:
            msg = f"`n_levels` must be a sequence of whole numbers (got {fmt(n_levels)[:80]})."
            raise InvalidInputError(msg)
        sizes = [
            int(check_number(x, "n_levels", low=2, high=MAX_LEVELS, integer=True)) for x in n_levels
        ]
        if len(sizes) != n_fields:
            msg = f"`n_levels` must have one entry per field ({len(sizes)} != {n_fields})."
            raise InvalidInputError(msg)
        iters = int(check_number(max_iter, "max_iter", low=1, integer=True))
        tolerance = check_number(tol, "tol", low=0)
        fixed_m = None if m is None else _probability_table(m, "m")
        fixed_u = None if u is None else _probability_table(u, "u")
        fixed_prior = None if prior is None else _prior(prior)
        template = cls(
            m=[np.full(s, 1.0 / s) for s in sizes],
            u=[np.full(s, 1.0 / s) for s in sizes],
            prior=0.5,
            fields=tuple(fields),
        )
        gamma = template._check_levels(gamma)
        patterns, counts = _distinct_patterns(gamma, sizes)
        return _em(
            patterns,
            counts.astype(np.float64),
            sizes,
            template.fields,
            fixed_m,
            fixed_u,
            fixed_prior,
            iters,
            tolerance,
        )


@attrs.frozen(kw_only=True, eq=False)
class FellegiSunterFit:
    """The result of :meth:`FellegiSunter.fit`.

    Attributes
    ----------
    model : FellegiSunter
        The estimated model.
    log_likelihood : float
        Log-likelihood of the candidate pairs' agreement patterns (nats).
    n_iter : int
        EM iterations run.
    converged : bool
        Whether the log-likelihood settled within ``tol`` before ``max_iter``.
    n_pairs, n_patterns : int
        Pairs fitted, and their distinct agreement patterns.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.idic import FellegiSunter
    >>> levels = np.array([[0, 0]] * 30 + [[1, 1]] * 60 + [[0, 1]] * 5 + [[1, 0]] * 5)
    >>> fit = FellegiSunter.fit(levels)
    >>> fit.n_pairs, fit.n_patterns, fit.converged
    (100, 4, True)
    """

    model: FellegiSunter
    log_likelihood: float
    n_iter: int
    converged: bool
    n_pairs: int
    n_patterns: int

    def to_dict(self) -> dict[str, Any]:
        """Return the fit as plain JSON-ready data."""
        return {
            "model": self.model.to_dict(),
            "log_likelihood": self.log_likelihood,
            "n_iter": self.n_iter,
            "converged": self.converged,
            "n_pairs": self.n_pairs,
            "n_patterns": self.n_patterns,
        }


def _distinct_patterns(gamma: IntArray, sizes: list[int]) -> tuple[IntArray, IntArray]:
    """Distinct rows of ``gamma`` and their counts, via one mixed-radix int64 code per row."""
    radix = np.array([s + 1 for s in sizes], dtype=np.int64)
    if float(np.prod(radix.astype(np.float64))) >= 2.0**62:
        rows, counts = np.unique(gamma, axis=0, return_counts=True)
        return rows, counts
    place = np.concatenate([[1], np.cumprod(radix[::-1])[:-1]])[::-1]
    codes, counts = np.unique((gamma + 1) @ place, return_counts=True)
    rows = (codes[:, None] // place[None, :]) % radix[None, :] - 1
    return rows.astype(np.int64), counts


def _one_hot(patterns: IntArray, sizes: list[int]) -> list[FloatArray]:
    return [
        (patterns[:, k][:, None] == np.arange(s)[None, :]).astype(np.float64)
        for k, s in enumerate(sizes)
    ]


def _log_class(onehot: list[FloatArray], probs: Sequence[FloatArray]) -> FloatArray:
    total = np.zeros(onehot[0].shape[0])
    for hot, p in zip(onehot, probs, strict=True):
        total += hot @ np.log(p)
    return total


def _update(onehot: list[FloatArray], weight: FloatArray) -> list[FloatArray]:
    """Weighted level shares with one pseudo-count per level (add-one smoothing)."""
    out = []
    for hot in onehot:
        mass = weight @ hot + _PSEUDO_COUNT
        p = np.maximum(mass / mass.sum(), _FLOOR)
        out.append(p / p.sum())
    return out


def _em(
    patterns: IntArray,
    counts: FloatArray,
    sizes: list[int],
    fields: tuple[str, ...],
    fixed_m: tuple[FloatArray, ...] | None,
    fixed_u: tuple[FloatArray, ...] | None,
    fixed_prior: float | None,
    max_iter: int,
    tol: float,
) -> FellegiSunterFit:
    onehot = _one_hot(patterns, sizes)
    for name, table in (("m", fixed_m), ("u", fixed_u)):
        if table is not None and [t.size for t in table] != sizes:
            msg = (
                f"`{name}` must match the levels per field {sizes} (got {[t.size for t in table]})."
            )
            raise InvalidInputError(msg)
    # Start: matches mostly agree, non-matches mostly disagree.
    m = list(fixed_m) if fixed_m else [_start(s, 0.9) for s in sizes]
    u = list(fixed_u) if fixed_u else [_start(s, 0.1) for s in sizes]
    lam = fixed_prior if fixed_prior is not None else 0.1
    n_pairs = float(counts.sum())
    previous = -np.inf
    converged = False
    n_iter = 0
    log_lik = -np.inf
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        a = math.log(lam) + _log_class(onehot, m)
        b = math.log1p(-lam) + _log_class(onehot, u)
        joint = np.logaddexp(a, b)
        log_lik = float(counts @ joint)
        g = np.exp(a - joint)
        if fixed_prior is None:
            lam = float(np.clip((counts @ g) / n_pairs, _FLOOR, 1 - _FLOOR))
        if fixed_m is None:
            m = _update(onehot, counts * g)
        if fixed_u is None:
            u = _update(onehot, counts * (1.0 - g))
        if abs(log_lik - previous) / n_pairs < tol:
            converged = True
            break
        previous = log_lik
    if fixed_m is None and fixed_u is None and sum(x[0] for x in m) < sum(x[0] for x in u):
        m, u, lam = u, m, 1.0 - lam  # label switching: "match" is the class that agrees more
    model = FellegiSunter(m=m, u=u, prior=lam, fields=fields)
    a = math.log(model.prior) + _log_class(onehot, model.m)
    b = math.log1p(-model.prior) + _log_class(onehot, model.u)
    log_lik = float(counts @ np.logaddexp(a, b))
    return FellegiSunterFit(
        model=model,
        log_likelihood=log_lik,
        n_iter=n_iter,
        converged=converged,
        n_pairs=int(n_pairs),
        n_patterns=int(patterns.shape[0]),
    )


def _start(size: int, first: float) -> FloatArray:
    rest = np.linspace(1.0, 2.0, size - 1)  # worse levels more likely for non-matches
    if first > 0.5:
        rest = rest[::-1]
    out = np.concatenate([[first], (1.0 - first) * rest / rest.sum()])
    return out
