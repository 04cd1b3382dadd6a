from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import FellegiSunter

# Methods reference §2.1, test vector T5 (Fellegi & Sunter 1969, JASA 64(328):1183-1210, in the
# Bayes-factor form): surname (0.95, 0.01), date of birth (0.98, 0.003), postcode (0.90, 0.02),
# prior 1e-4. Published to 3 decimals (weights, W) and 4 (p): tolerances 5e-4 and 5e-5.
T5 = FellegiSunter(m=[0.95, 0.98, 0.90], u=[0.01, 0.003, 0.02], prior=1e-4)


def test_t5_field_weights():
    expected = [(6.570, -4.307), (8.352, -5.640), (5.492, -3.293)]
    for got, (agree, disagree) in zip(T5.weights, expected, strict=True):
        assert got[0] == pytest.approx(agree, abs=5e-4)
        assert got[1] == pytest.approx(disagree, abs=5e-4)


def test_t5_total_weight_and_probability():
    levels = [[0, 0, 1], [0, 0, 0]]
    np.testing.assert_allclose(T5.match_weight(levels), [-1.659, 7.126], atol=5e-4)
    np.testing.assert_allclose(T5.match_probability(levels), [0.2405, 0.9929], atol=5e-5)


def _loop_weight(model, row):
    total = math.log2(model.prior / (1 - model.prior))
    for k, level in enumerate(row):
        if level >= 0:
            total += math.log2(model.m[k][level] / model.u[k][level])
    return total


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(*[st.integers(-1, 2)] * 3), min_size=1, max_size=20))
def test_match_weight_matches_loop(rows):
    model = FellegiSunter(
        m=[(0.8, 0.15, 0.05), (0.9, 0.07, 0.03), (0.7, 0.2, 0.1)],
        u=[(0.05, 0.15, 0.8), (0.01, 0.09, 0.9), (0.2, 0.3, 0.5)],
        prior=0.2,
    )
    expected = [_loop_weight(model, row) for row in rows]
    np.testing.assert_allclose(model.match_weight(rows), expected, atol=1e-12)
    p = model.match_probability(rows)
    assert ((p > 0) & (p < 1)).all()
    np.testing.assert_allclose(p, [2**w / (1 + 2**w) for w in expected], atol=1e-12)


def _simulate(rng, n, m, u, prior, missing=0.1):
    match = rng.random(n) < prior
    cols = []
    for mk, uk in zip(m, u, strict=True):
        from_m = rng.choice(len(mk), size=n, p=mk)
        from_u = rng.choice(len(uk), size=n, p=uk)
        col = np.where(match, from_m, from_u)
        cols.append(np.where(rng.random(n) < missing, -1, col))
    return np.stack(cols, axis=1), match


def test_em_recovers_m_u_and_prior_from_a_known_model():
    # Synthetic pairs drawn from a known model (three fields, two or three levels, 10 %
    # missing); with 60 000 pairs EM should recover each probability to within 0.02.
    m = [(0.85, 0.10, 0.05), (0.92, 0.08), (0.75, 0.20, 0.05)]
    u = [(0.05, 0.15, 0.80), (0.10, 0.90), (0.10, 0.20, 0.70)]
    levels, _ = _simulate(np.random.default_rng(7), 60_000, m, u, prior=0.25)
    fit = FellegiSunter.fit(levels, fields=["name", "phone", "email"])
    assert fit.converged
    assert fit.model.fields == ("name", "phone", "email")
    assert fit.model.prior == pytest.approx(0.25, abs=0.02)
    for got, want in zip(fit.model.m + fit.model.u, m + u, strict=True):
        np.testing.assert_allclose(got, want, atol=0.02)
    assert fit.n_pairs == 60_000
    assert fit.n_patterns <= 4 * 3 * 4


def test_em_with_fixed_u_estimates_m_and_prior():
    m = [(0.9, 0.1), (0.8, 0.2)]
    u = [(0.1, 0.9), (0.05, 0.95)]
    levels, _ = _simulate(np.random.default_rng(2), 40_000, m, u, prior=0.4, missing=0.0)
    fit = FellegiSunter.fit(levels, u=u)
    np.testing.assert_allclose(fit.model.u[0], u[0])
    np.testing.assert_allclose(fit.model.m[1], m[1], atol=0.02)
    assert fit.model.prior == pytest.approx(0.4, abs=0.02)
    fixed = FellegiSunter.fit(levels, m=m, u=u, prior=0.4)
    assert fixed.model.prior == 0.4


def test_em_labels_the_agreeing_class_as_matches():
    # Mostly matches: the larger class is the one that agrees, and must be called "match".
    m = [(0.9, 0.1), (0.9, 0.1), (0.9, 0.1)]
    u = [(0.2, 0.8), (0.2, 0.8), (0.2, 0.8)]
    levels, _ = _simulate(np.random.default_rng(5), 30_000, m, u, prior=0.8, missing=0.0)
    model = FellegiSunter.fit(levels).model
    assert model.prior == pytest.approx(0.8, abs=0.03)
    assert all(w[0] > 0 > w[1] for w in model.weights)


def test_to_dict_round_trip():
    data = T5.to_dict()
    again = FellegiSunter(**data)
    assert again.to_dict() == data
    assert data["fields"] == ["field 0", "field 1", "field 2"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"m": [1.0], "u": [0.1], "prior": 0.1}, r"`m` probabilities must lie in \(0, 1\)"),
        (
            {"m": [(0.5, 0.4)], "u": [0.1], "prior": 0.1},
            r"`m` probabilities of a field must sum to 1",
        ),
        (
            {"m": [0.9], "u": [(0.1, 0.2, 0.7)], "prior": 0.1},
            r"`u` must have as many levels as `m` \(field 0: 3 != 2\)",
        ),
        (
            {"m": [0.9, 0.8], "u": [0.1], "prior": 0.1},
            r"`u` must have one entry per field of `m` \(1 != 2\)",
        ),
        ({"m": [0.9], "u": [0.1], "prior": 1.0}, r"`prior` must lie in \(0, 1\) \(got 1.0\)"),
        (
            {"m": "0.9", "u": [0.1], "prior": 0.1},
            r"`m` must be a sequence with one entry per field",
        ),
        (
            {"m": [0.9], "u": [0.1], "prior": 0.1, "fields": ["a", "b"]},
            r"`fields` must name each field of `m` \(2 != 1\)",
        ),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        FellegiSunter(**kwargs)


def test_bad_levels():
    with pytest.raises(
        InvalidInputError, match=r"`levels` must lie in \[-1, 1\] for field 2 \(pair 1: 2\)"
    ):
        T5.match_weight([[0, 0, 0], [0, 0, 2]])
    with pytest.raises(
        InvalidInputError, match=r"`levels` must have shape \(n_pairs, 3\) \(got \(2, 2\)\)"
    ):
        T5.match_weight([[0, 0], [1, 1]])
    with pytest.raises(
        InvalidInputError, match=r"`levels` must hold integers \(got dtype float64\)"
    ):
        T5.match_weight([[0.0, 0.0, 1.0]])
    with pytest.raises(InvalidInputError, match=r"`levels` must be a non-empty 2-D array"):
        FellegiSunter.fit(np.zeros((0, 2), dtype=int))
    with pytest.raises(
        InvalidInputError, match=r"`n_levels` must have one entry per field \(1 != 2\)"
    ):
        FellegiSunter.fit([[0, 1]], n_levels=[2])
    with pytest.raises(InvalidInputError, match=r"`m` must match the levels per field \[2, 2\]"):
        FellegiSunter.fit([[0, 1]], m=[(0.8, 0.1, 0.1), 0.9])
