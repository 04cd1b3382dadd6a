"""Shared data and slow, obviously-correct loop oracles for the value models' tests."""
# ruff: noqa: N803

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import integrate, special

from custcentric.datasets import load_cdnow_summary

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def cdnow():
    """The published 39-week CDNOW summary (weeks), 2,357 customers."""
    return load_cdnow_summary()


@pytest.fixture(scope="session")
def donations():
    """The 1995 donor cohort of Fader, Hardie & Shang (2010), as redistributed by lifetimes."""
    table = np.genfromtxt(DATA / "donations.csv", delimiter=",", names=True)
    return SimpleNamespace(
        frequency=table["frequency"].astype(np.int64),
        recency=table["recency"].astype(np.int64),
        periods=table["periods"].astype(np.int64),
        weights=table["weights"],
    )


def _lbeta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def bgnbd_loglik_loop(r, alpha, a, b, x, t_x, T, *, modified=False):
    """Per-customer log-likelihood, one customer at a time, straight from the papers."""
    out = []
    for xi, txi, ti in zip(x, t_x, T, strict=True):
        xi, txi, ti = float(xi), float(txi), float(ti)
        common = math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha)
        if modified:
            first = _lbeta(a, b + xi + 1) - _lbeta(a, b) - (r + xi) * math.log(alpha + ti)
            second = _lbeta(a + 1, b + xi) - _lbeta(a, b) - (r + xi) * math.log(alpha + txi)
            total = math.exp(first) + math.exp(second)
        else:
            first = _lbeta(a, b + xi) - _lbeta(a, b) - (r + xi) * math.log(alpha + ti)
            total = math.exp(first)
            if xi > 0:
                second = _lbeta(a + 1, b + xi - 1) - _lbeta(a, b) - (r + xi) * math.log(alpha + txi)
                total += math.exp(second)
        out.append(common + math.log(total))
    return np.array(out)


def pareto_loglik_loop(r, alpha, s, beta, x, t_x, T):
    """Per-customer Pareto/NBD log-likelihood by numerical integration (scipy.integrate.quad).

    L = Gamma(r+x) alpha^r beta^s / Gamma(r) * [(alpha+T)^-(r+x) (beta+T)^-s
        + s * int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau],
    which is E over (lambda, mu) of lambda^x exp(-(lambda+mu)T) + lambda^x mu int exp(-(lambda+mu)tau).
    The integrand is scaled by its value at t_x so that quad sees numbers near 1.
    """
    out = []
    for xi, txi, ti in zip(x, t_x, T, strict=True):
        xi, txi, ti = float(xi), float(txi), float(ti)
        head = math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha) + s * math.log(beta)
        alive = -(r + xi) * math.log(alpha + ti) - s * math.log(beta + ti)
        ref = -(r + xi) * math.log(alpha + txi) - (s + 1) * math.log(beta + txi)

        def integrand(tau, xi=xi, ref=ref):
            return math.exp(
                -(r + xi) * math.log(alpha + tau) - (s + 1) * math.log(beta + tau) - ref
            )

        if ti > txi:
            value, _ = integrate.quad(integrand, txi, ti, epsabs=0, epsrel=1e-12, limit=200)
            dead = math.log(s) + ref + math.log(value)
            out.append(head + np.logaddexp(alive, dead))
        else:
            out.append(head + alive)
    return np.array(out)


def bgbb_loglik_loop(alpha, beta, gamma, delta, x, t_x, n):
    """Per-customer BG/BB log-likelihood with the explicit sum of Fader, Hardie & Shang (2010)."""
    out = []
    for xi, txi, ni in zip(x, t_x, n, strict=True):
        total = math.exp(
            _lbeta(alpha + xi, beta + ni - xi)
            - _lbeta(alpha, beta)
            + _lbeta(gamma, delta + ni)
            - _lbeta(gamma, delta)
        )
        for i in range(int(ni - txi)):
            total += math.exp(
                _lbeta(alpha + xi, beta + txi - xi + i)
                - _lbeta(alpha, beta)
                + _lbeta(gamma + 1, delta + txi + i)
                - _lbeta(gamma, delta)
            )
        out.append(math.log(total))
    return np.array(out)


def gammagamma_loglik_loop(p, q, v, x, m):
    """Per-customer log-density of the mean spend (Fader & Hardie 2013, eq. 3)."""
    out = []
    for xi, mi in zip(x, m, strict=True):
        px = p * xi
        out.append(
            math.lgamma(px + q)
            - math.lgamma(px)
            - math.lgamma(q)
            + q * math.log(v)
            + (px - 1) * math.log(mi)
            + px * math.log(xi)
            - (px + q) * math.log(v + mi * xi)
        )
    return np.array(out)


def bgnbd_conditional_textbook(r, alpha, a, b, x, t_x, T, t):
    """FHL (2005) eq. 10 exactly as printed (fine for small x, overflows for large)."""
    hyper = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    head = (a + b + x - 1) / (a - 1)
    body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyper
    alive = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    return head * body / alive


@pytest.fixture(scope="session")
def oracles():
    """The loop oracles, for tests in other files (test files cannot import each other)."""
    return SimpleNamespace(
        bgnbd_loglik=bgnbd_loglik_loop,
        pareto_loglik=pareto_loglik_loop,
        bgbb_loglik=bgbb_loglik_loop,
        gammagamma_loglik=gammagamma_loglik_loop,
        bgnbd_conditional_textbook=bgnbd_conditional_textbook,
    )
