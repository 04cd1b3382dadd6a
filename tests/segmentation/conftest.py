"""Shared fixtures for the segmentation tests: published examples and slow loop oracles."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def pc_recency():
    """Pfeifer & Carraway (2000) recency example as reproduced in methods.md §3.4 (T16).

    States are recency 1-4 and "former" (absorbing); purchase probabilities by recency
    p = (0.30, 0.20, 0.15, 0.05); R = (36, -4, -4, -4, 0) (net contribution 40, mailing cost 4).
    """
    p = [0.30, 0.20, 0.15, 0.05]
    matrix = np.array(
        [
            [p[0], 1 - p[0], 0, 0, 0],
            [p[1], 0, 1 - p[1], 0, 0],
            [p[2], 0, 0, 1 - p[2], 0],
            [p[3], 0, 0, 0, 1 - p[3]],
            [0, 0, 0, 0, 1],
        ]
    )
    return matrix, np.array([36.0, -4, -4, -4, 0])


@pytest.fixture
def funnel_example():
    """The absorbing-funnel example of methods.md §3.5 (T19): Q (4 stages) and R (lost, loyal)."""
    q = np.array([[0.60, 0.25, 0, 0], [0, 0.50, 0.30, 0], [0, 0, 0.60, 0.25], [0, 0, 0, 0.80]])
    r = np.array([[0.15, 0], [0.20, 0], [0.15, 0], [0.10, 0.10]])
    return q, r


@pytest.fixture(scope="session")
def gini_loop():
    """Gini by the mean absolute difference, one pair at a time (obviously correct, slow)."""

    def oracle(values):
        x = [float(v) for v in values]
        n = len(x)
        total = 0.0
        for a in x:
            for b in x:
                total += abs(a - b)
        return total / (2 * n * n * (sum(x) / n))

    return oracle


@pytest.fixture(scope="session")
def first_match_loop():
    """Assign one customer at a time by walking the rule list (first match wins)."""

    def oracle(r, f, m, rules, fallback):
        out = []
        for ri, fi, mi in zip(r, f, m, strict=True):
            name = fallback
            for rule in rules:
                ok = True
                for span, score in ((rule.r, ri), (rule.f, fi), (rule.m, mi)):
                    if span is not None and not (span[0] <= score <= span[1]):
                        ok = False
                if ok:
                    name = rule.name
                    break
            out.append(name)
        return out

    return oracle
