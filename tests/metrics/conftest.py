"""Shared data and slow, obviously correct loop oracles for the metrics tests."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pytest

# Freireich et al. (1963), 6-MP arm, weeks of remission as listed by Gehan (1965),
# Biometrika 52, 203-223; 1 = relapse observed, 0 = censored ("+" in methods.md §3.7).
SIX_MP_WEEKS = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_RELAPSE = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


@pytest.fixture(scope="session")
def six_mp() -> tuple[list[int], list[int]]:
    return SIX_MP_WEEKS, SIX_MP_RELAPSE


def _weighted_mean_and_var(
    values: Sequence[float], weights: Sequence[float]
) -> tuple[float, float]:
    """Weighted mean and the linearisation variance of it, one element at a time."""
    total = 0.0
    weighted = 0.0
    for v, w in zip(values, weights, strict=True):
        total += w
        weighted += w * v
    mean = weighted / total
    var = 0.0
    for v, w in zip(values, weights, strict=True):
        var += (w * (v - mean)) ** 2
    return mean, var / (total * total)


def nps_loop(scores: Sequence[int], weights: Sequence[float] | None = None) -> dict[str, float]:
    """NPS by counting answer by answer (shares, score in points, SE in points, Kish n)."""
    if weights is None:
        weights = [1.0] * len(scores)
    pro = det = total = total2 = 0.0
    recoded = []
    for s, w in zip(scores, weights, strict=True):
        total += w
        total2 += w * w
        if s >= 9:
            pro += w
            recoded.append(1.0)
        elif s <= 6:
            det += w
            recoded.append(-1.0)
        else:
            recoded.append(0.0)
    _, var = _weighted_mean_and_var(recoded, weights)
    return {
        "score": 100 * (pro - det) / total,
        "promoters": pro / total,
        "detractors": det / total,
        "se": 100 * math.sqrt(var),
        "n_eff": total * total / total2,
    }


def km_loop(
    durations: Sequence[float], observed: Sequence[int]
) -> list[tuple[float, int, int, float, float]]:
    """Kaplan-Meier by walking the distinct event times: (t, n, d, S, Greenwood SE)."""
    rows = []
    s = 1.0
    g = 0.0
    for t in sorted(set(durations)):
        d = sum(1 for x, e in zip(durations, observed, strict=True) if x == t and e)
        if d == 0:
            continue
        n = sum(1 for x in durations if x >= t)
        s *= 1 - d / n
        g = g + d / (n * (n - d)) if n > d else math.inf
        se = 0.0 if s == 0 else s * math.sqrt(g)
        rows.append((float(t), n, d, s, se))
    return rows


@pytest.fixture(scope="session")
def nps_oracle() -> Callable[..., dict[str, float]]:
    return nps_loop


@pytest.fixture(scope="session")
def weighted_mean_oracle() -> Callable[..., tuple[float, float]]:
    return _weighted_mean_and_var


@pytest.fixture(scope="session")
def km_oracle() -> Callable[..., list[tuple[float, int, int, float, float]]]:
    return km_loop
