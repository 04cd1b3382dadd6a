r"""Vectorised Pareto/NBD formulas with one parameter set per row.

With time-invariant covariates every customer has his own ``alpha`` and ``beta``, so each
formula here takes those parameters as arrays, one entry per row (a row is a distinct history
with a distinct covariate row). The tests check them equal to the plain model when every row
has the same parameters.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from custcentric.typing import FloatArray

__all__ = ["pareto_alive_mean", "pareto_loglik", "pareto_p_alive"]


def _pareto_log_tail(
    rx: FloatArray, s: float, alpha: FloatArray, beta: FloatArray, t: FloatArray
) -> FloatArray:
    """Log of the tail integral I(t) of the Pareto/NBD likelihood, per row (see ParetoNBD)."""
    total = rx + s
    out = np.empty(np.broadcast(rx, alpha, beta, t).shape)
    rx, alpha, beta, t, total = np.broadcast_arrays(rx, alpha, beta, t, total)
    ge = alpha >= beta
    lt = ~ge
    if ge.any():
        z = (alpha[ge] - beta[ge]) / (alpha[ge] + t[ge])
        hyper = special.hyp2f1(1.0, rx[ge], total[ge] + 1.0, z)
        out[ge] = (
            -rx[ge] * np.log(alpha[ge] + t[ge])
            - s * np.log(beta[ge] + t[ge])
            - np.log(total[ge])
            + np.log(hyper)
        )
    if lt.any():
        w = (beta[lt] - alpha[lt]) / (beta[lt] + t[lt])
        hyper = special.hyp2f1(1.0, s + 1.0, total[lt] + 1.0, w)
        out[lt] = (
            (1.0 - rx[lt]) * np.log(alpha[lt] + t[lt])
            - (s + 1.0) * np.log(beta[lt] + t[lt])
            - np.log(total[lt])
            + np.log(hyper)
        )
    return out


def _pareto_parts(
    r: float,
    alpha: FloatArray,
    s: float,
    beta: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    rx = r + x
    alive = -rx * np.log(alpha + t) - s * np.log(beta + t)
    upper = _pareto_log_tail(rx, s, alpha, beta, t_x)
    lower = _pareto_log_tail(rx, s, alpha, beta, t)
    gap = np.minimum(lower - upper, 0.0)
    with np.errstate(divide="ignore"):
        dead = np.log(s) + upper + np.log(-np.expm1(gap))
    dead = np.where(t > t_x, dead, -np.inf)
    return alive, dead


def pareto_loglik(
    r: float,
    alpha: FloatArray,
    s: float,
    beta: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """Return the Pareto/NBD log-likelihood of each row (Fader & Hardie 2005 note, eq. 17-19)."""
    head = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive, dead = _pareto_parts(r, alpha, s, beta, x, t_x, t)
    out: FloatArray = head + np.logaddexp(alive, dead)
    return out


def pareto_p_alive(
    r: float,
    alpha: FloatArray,
    s: float,
    beta: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """P(alive at T): the alive branch over the sum of both."""
    alive, dead = _pareto_parts(r, alpha, s, beta, x, t_x, t)
    out: FloatArray = np.exp(alive - np.logaddexp(alive, dead))
    return out


def pareto_alive_mean(
    r: float,
    alpha: FloatArray,
    s: float,
    beta: FloatArray,
    x: FloatArray,
    t: FloatArray,
    horizon: FloatArray,
) -> FloatArray:
    """Return the expected purchases in ``(T, T + horizon]`` of one alive at T (note, eq. 22)."""
    rate = (r + x) / (alpha + t)
    u = horizon / (beta + t)
    k = s - 1.0
    log_growth = np.log1p(u)
    growth = log_growth if abs(k) < 1e-10 else -np.expm1(-k * log_growth) / k
    out: FloatArray = rate * (beta + t) * growth
    return out
