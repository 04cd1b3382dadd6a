"""Shared fixtures for the idic tests: a scalar Jaro–Winkler oracle and the sample company."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custcentric.datasets import SampleCompany, load_sample_company


def _jaro_winkler_loop(
    s: str, t: str, prefix_scale: float = 0.1, max_prefix: int = 4, boost_threshold: float = 0.7
) -> float:
    """Textbook Jaro–Winkler, one character at a time (Jaro 1989; Winkler 1990)."""
    if not s or not t:
        return 0.0
    window = max(max(len(s), len(t)) // 2 - 1, 0)
    s_hit = [False] * len(s)
    t_hit = [False] * len(t)
    m = 0
    for i, ch in enumerate(s):
        for j in range(max(0, i - window), min(len(t), i + window + 1)):
            if not t_hit[j] and t[j] == ch:
                s_hit[i] = t_hit[j] = True
                m += 1
                break
    if m == 0:
        return 0.0
    s_seq = [c for c, hit in zip(s, s_hit, strict=True) if hit]
    t_seq = [c for c, hit in zip(t, t_hit, strict=True) if hit]
    half = sum(a != b for a, b in zip(s_seq, t_seq, strict=True)) / 2
    jaro = (m / len(s) + m / len(t) + (m - half) / m) / 3
    prefix = 0
    for a, b in zip(s[:max_prefix], t[:max_prefix], strict=False):
        if a != b:
            break
        prefix += 1
    if jaro > boost_threshold:
        return min(jaro + prefix * prefix_scale * (1 - jaro), 1.0)
    return jaro


@pytest.fixture(scope="session")
def jw_oracle() -> Callable[..., float]:
    return _jaro_winkler_loop


@pytest.fixture(scope="session")
def company() -> SampleCompany:
    return load_sample_company()
