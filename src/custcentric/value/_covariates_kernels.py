r"""Vectorised BG/NBD formulas with one parameter set per row.

With time-invariant covariates every customer has his own ``alpha`` (and ``a, b`` or
``beta``), so each formula here takes those parameters as arrays, one entry per row (a row is
a distinct history with a distinct covariate row). These are this module's own copies of the
formulas of the plain models, written for per-row parameters; the tests check them equal to
the plain models when every row has the same parameters.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from scipy import special

from custcentric.exceptions import InvalidInputError
from custcentric.typing import FloatArray

__all__ = [
    "bg_alive_mean",
    "bg_loglik",
    "bg_loglik_and_scores",
    "bg_p_alive",
]

MAX_RELATIVE_HORIZON: Final[float] = 1e12


# ----------------------------------------------------------------------------- BG/NBD
def _bg_branches(
    r: float,
    alpha: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the head and the log alive / dropped-out branches (Fader, Hardie & Lee 2005, eq. 6)."""
    base = special.betaln(a, b)
    safe = np.maximum(x, 1.0)
    alive = special.betaln(a, b + x) - base
    shift = (r + x) * (np.log(alpha + t) - np.log(alpha + t_x))
    dead = np.where(x > 0, special.betaln(a + 1.0, b + safe - 1.0) - base + shift, -np.inf)
    head = (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        - (r + x) * np.log(alpha + t)
    )
    return head, alive, dead


def bg_loglik(
    r: float,
    alpha: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """Return the BG/NBD log-likelihood of each row."""
    head, alive, dead = _bg_branches(r, alpha, a, b, x, t_x, t)
    out: FloatArray = head + np.logaddexp(alive, dead)
    return out


def bg_loglik_and_scores(
    r: float,
    alpha: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    r"""Return each row's log-likelihood and its derivatives in ``log r, log alpha, log a, log b``.

    With :math:`w` the posterior share of the dropped-out branch,
    :math:`\partial_a \ell = \psi(a+b) - \psi(a+b+x) + w/a` and
    :math:`\partial_b \ell = \psi(a+b) - \psi(a+b+x) + \psi(b+x) - \psi(b) - w/(b+x-1)`.
    """
    head, alive, dead = _bg_branches(r, alpha, a, b, x, t_x, t)
    ll: FloatArray = head + np.logaddexp(alive, dead)
    w = special.expit(dead - alive)
    psi = special.digamma
    log_ratio = np.log(alpha + t) - np.log(alpha + t_x)
    d_r = psi(r + x) - psi(r) + np.log(alpha) - np.log(alpha + t) + w * log_ratio
    d_alpha = (
        r / alpha - (r + x) / (alpha + t) + w * (r + x) * (1.0 / (alpha + t) - 1.0 / (alpha + t_x))
    )
    common = psi(a + b) - psi(a + b + x)
    d_a = common + w / a
    d_b = common + psi(b + x) - psi(b) - w / (b + np.maximum(x, 1.0) - 1.0)
    scores = np.stack([r * d_r, alpha * d_alpha, a * d_a, b * d_b])
    return ll, scores


def bg_p_alive(
    r: float,
    alpha: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """P(alive at T): ``expit(-log odds of dead)`` (Fader, Hardie & Lee 2005, eq. 11)."""
    safe = np.maximum(x, 1.0)
    ratio = (r + x) * (np.log(alpha + t) - np.log(alpha + t_x))
    odds = np.where(x > 0, np.log(a) - np.log(b + safe - 1.0) + ratio, -np.inf)
    out: FloatArray = special.expit(-odds)
    return out


def _alive_expectation(
    r_post: FloatArray, scale: FloatArray, a: FloatArray, b_post: FloatArray, t: FloatArray
) -> FloatArray:
    """E[(1 - exp(-lambda p t)) / p] under Gamma(r', A) x Beta(a, b') (Euler-transformed)."""
    z = t / (scale + t)
    c = a + b_post - 1.0
    hyper = special.hyp2f1(c - r_post, a - 1.0, c, z)
    log_rest = np.log(scale) - np.log(scale + t)
    out: FloatArray = c / (a - 1.0) * (1.0 - np.exp((a - 1.0) * log_rest) * hyper)
    return out


def bg_alive_mean(
    r: float,
    alpha: FloatArray,
    a: FloatArray,
    b: FloatArray,
    x: FloatArray,
    t: FloatArray,
    horizon: FloatArray,
) -> FloatArray:
    """Return the expected purchases in ``(T, T + horizon]`` of a customer alive at T (eq. 10)."""
    scale = alpha + t
    ratio = np.max(np.asarray(horizon, dtype=np.float64) / scale, initial=0.0)
    if ratio > MAX_RELATIVE_HORIZON:
        msg = (
            f"`t` must be at most {MAX_RELATIVE_HORIZON:g} times alpha + T of the customer "
            f"(got {ratio:.3g} times): beyond that the BG/NBD expectation cannot be evaluated "
            "accurately."
        )
        raise InvalidInputError(msg)
    r_post, b_post = r + x, b + x
    a, r_post, scale, b_post, h = np.broadcast_arrays(a, r_post, scale, b_post, horizon)
    near = np.abs(a - 1.0) < 1e-7  # removable singularity at a = 1: average the two sides
    out = _alive_expectation(r_post, scale, np.where(near, 2.0, a), b_post, h)
    if near.any():
        one = np.ones(int(near.sum()))
        upper = _alive_expectation(r_post[near], scale[near], one + 1e-6, b_post[near], h[near])
        lower = _alive_expectation(r_post[near], scale[near], one - 1e-6, b_post[near], h[near])
        out[near] = 0.5 * (upper + lower)
    return out
