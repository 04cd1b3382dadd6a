from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import jaro_winkler

# Methods reference §2.1 / test vector T6 (Jaro 1989; Winkler 1990), values as commonly
# published to 4 decimals: (s, t, Jaro, Jaro–Winkler). Tolerance 5e-5 (half a unit in the
# 4th decimal).
PUBLISHED = [
    ("MARTHA", "MARHTA", 0.9444, 0.9611),
    ("DWAYNE", "DUANE", 0.8222, 0.8400),
    ("DIXON", "DICKSONX", 0.7667, 0.8133),
]

words = st.text(alphabet="abcde", max_size=12)


@pytest.mark.parametrize(("s", "t", "jaro", "jw"), PUBLISHED)
def test_published_values(s, t, jaro, jw):
    assert jaro_winkler(s, t) == pytest.approx(jw, abs=5e-5)
    assert jaro_winkler(s, t, prefix_scale=0.0) == pytest.approx(jaro, abs=5e-5)
    assert jaro_winkler(t, s) == pytest.approx(jw, abs=5e-5)


def test_published_values_vectorised():
    s = np.array([p[0] for p in PUBLISHED])
    t = np.array([p[1] for p in PUBLISHED])
    np.testing.assert_allclose(jaro_winkler(s, t), [p[3] for p in PUBLISHED], atol=5e-5)


def test_scalar_in_scalar_out_and_broadcasting():
    assert isinstance(jaro_winkler("a", "a"), float)
    out = jaro_winkler("MARTHA", ["MARHTA", "MARTHA", ""])
    assert out.shape == (3,)
    np.testing.assert_allclose(out, [0.961111, 1.0, 0.0], atol=1e-6)
    grid = jaro_winkler(np.array([["ab"], ["ba"]]), np.array(["ab", "ba"]))
    assert grid.shape == (2, 2)


def test_empty_strings_and_no_common_characters():
    np.testing.assert_array_equal(jaro_winkler(["", "", "abc"], ["", "x", "xyz"]), [0, 0, 0])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, words), min_size=1, max_size=30))
def test_vectorised_matches_scalar_oracle(jw_oracle, pairs):
    s = [a for a, _ in pairs]
    t = [b for _, b in pairs]
    expected = [jw_oracle(a, b) for a, b in pairs]
    np.testing.assert_allclose(jaro_winkler(s, t), expected, rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(words, words, st.floats(0, 0.25), st.integers(0, 4), st.floats(0, 1))
def test_options_match_oracle(jw_oracle, s, t, p, ell, threshold):
    p = min(p, 1 / ell) if ell else p
    got = jaro_winkler(s, t, prefix_scale=p, max_prefix=ell, boost_threshold=threshold)
    assert got == pytest.approx(jw_oracle(s, t, p, ell, threshold), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_bounds_symmetry_identity(s, t):
    value = jaro_winkler(s, t)
    assert 0.0 <= value <= 1.0
    assert jaro_winkler(t, s) == pytest.approx(value, abs=1e-12)
    if s:
        assert jaro_winkler(s, s) == 1.0


def test_long_and_unicode_strings(jw_oracle):
    s = ["Zoë Ångström" * 3, "x" * 200, "José"]
    t = ["Zoe Angstrom" * 3, "x" * 199 + "y", "Jose"]
    np.testing.assert_allclose(
        jaro_winkler(s, t), [jw_oracle(a, b) for a, b in zip(s, t, strict=True)], atol=1e-12
    )


def test_many_pairs_span_chunks(jw_oracle):
    rng = np.random.default_rng(3)
    letters = np.array(list("abcdef"))
    s = ["".join(rng.choice(letters, size=rng.integers(0, 40))) for _ in range(3000)]
    t = ["".join(rng.choice(letters, size=rng.integers(0, 40))) for _ in range(3000)]
    got = jaro_winkler(s, t)
    idx = rng.choice(3000, size=200, replace=False)
    np.testing.assert_allclose(got[idx], [jw_oracle(s[i], t[i]) for i in idx], atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"prefix_scale": 0.3}, r"`prefix_scale` must lie in \[0, 0.25\] \(got 0.3\)"),
        ({"prefix_scale": -0.1}, r"`prefix_scale` must lie in \[0, 0.25\]"),
        ({"max_prefix": 1.5}, r"`max_prefix` must be a whole number \(got 1.5\)"),
        ({"boost_threshold": 2}, r"`boost_threshold` must lie in \[0, 1\] \(got 2\)"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        jaro_winkler("a", "b", **kwargs)


def test_non_strings_refused():
    with pytest.raises(InvalidInputError, match=r"`s` must hold strings \(got dtype int64\)"):
        jaro_winkler([1, 2], ["a", "b"])
    with pytest.raises(InvalidInputError, match=r"`t` must hold strings \(index 1: None\)"):
        jaro_winkler(["a", "b"], np.array(["a", None], dtype=object))
