"""k-means, the choice of k and segment profiles (methods.md §2.2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from custcentric.segmentation import choose_n_clusters, kmeans, profile_segments
from custcentric.segmentation._choose import elbow, silhouette_score

TRUE_CENTRES = np.array([[20.0, 2.0, 500.0], [60.0, 8.0, 150.0], [35.0, 14.0, 900.0]])
TRUE_SD = np.array([3.0, 1.0, 40.0])


def draw(n_per: int, seed: int):
    rng = np.random.default_rng(seed)
    x = np.concatenate([c + TRUE_SD * rng.normal(size=(n_per, 3)) for c in TRUE_CENTRES])
    truth = np.repeat(np.arange(3), n_per)
    return x, truth


def test_kmeans_recovers_a_known_mixture() -> None:
    # Three well-separated Gaussian clusters in mixed units (ages, visits, spend).
    # Tolerance: each centre within 3 standard errors (sd / sqrt(n)) of the truth in every
    # coordinate, and at most 0.5 % of customers assigned to the wrong cluster.
    n_per = 2000
    x, truth = draw(n_per, seed=1)
    fit = kmeans(x, 3, rng=0)
    cost = ((fit.centres[:, None, :] - TRUE_CENTRES[None]) ** 2 / TRUE_SD**2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    err = np.abs(fit.centres[rows] - TRUE_CENTRES[cols]) / (TRUE_SD / np.sqrt(n_per))
    assert err.max() < 3.0
    mapped = cols[fit.labels]
    assert np.mean(mapped != truth) < 0.005
    assert fit.sizes.sum() == 3 * n_per
    assert fit.converged
    assert fit.standardized


def test_kmeans_is_reproducible_and_orders_clusters_by_size() -> None:
    x, _ = draw(300, seed=2)
    x = x[150:]  # unequal clusters
    a = kmeans(x, 3, rng=42)
    b = kmeans(x, 3, rng=np.random.default_rng(42))
    assert np.array_equal(a.labels, b.labels)
    assert np.array_equal(a.centres, b.centres)
    assert np.all(np.diff(a.sizes) <= 0)
    assert "3 clusters" in str(a)
    assert a.to_dict()["sizes"] == a.sizes.tolist()


def lloyd_loop(x, centres, n_iter):
    """Textbook Lloyd: assign each point to its nearest centre, then average, one by one."""
    centres = [list(c) for c in centres]
    for _ in range(n_iter):
        labels = []
        for point in x:
            d = [
                sum((p - c) ** 2 for p, c in zip(point, centre, strict=True)) for centre in centres
            ]
            labels.append(d.index(min(d)))
        for k in range(len(centres)):
            members = [x[i] for i in range(len(x)) if labels[i] == k]
            if members:
                centres[k] = [sum(col) / len(members) for col in zip(*members, strict=True)]
    return labels, centres


def test_lloyd_kernel_against_loop_oracle() -> None:
    from custcentric.segmentation._kmeans import lloyd

    rng = np.random.default_rng(9)
    x = rng.normal(size=(60, 2)) + rng.integers(0, 3, size=(60, 1)) * 2.5
    start = x[[0, 1, 2]].copy()
    labels, centres, inertia, _n_iter, converged = lloyd(
        x, np.asfortranarray(x), start, max_iter=100, tol=0.0
    )
    loop_labels, loop_centres = lloyd_loop(x.tolist(), start.tolist(), 100)
    assert converged
    assert labels.tolist() == loop_labels
    assert centres == pytest.approx(np.array(loop_centres), abs=1e-12)
    assert inertia == pytest.approx(((x - centres[labels]) ** 2).sum(), rel=1e-12)


def test_kmeans_without_standardising_and_constant_features() -> None:
    x = np.array([[0.0, 5.0], [0.1, 5.0], [10.0, 5.0], [10.2, 5.0]])
    fit = kmeans(x, 2, standardize=False, rng=0)
    assert sorted(fit.centres[:, 0].round(2).tolist()) == [0.05, 10.1]
    assert fit.centres[:, 1].tolist() == [5.0, 5.0]
    z = kmeans(x, 2, rng=0)  # the constant column is only centred, never divided by 0
    assert z.scale[1] == 1.0
    assert fit.predict([[9.0, 5.0]]).tolist() == [fit.labels[2]]


def test_kmeans_accepts_named_columns_and_makes_a_segmentation() -> None:
    fit = kmeans({"visits": [1, 2, 30, 31], "spend": [10, 12, 400, 420]}, 2, rng=3)
    assert fit.feature_names == ("visits", "spend")
    seg = fit.to_segmentation(names=["big", "small"])
    assert seg.sizes.tolist() == [2, 2]
    assert seg.labels.tolist()[0] == seg.labels.tolist()[1]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_kmeans_one_cluster_is_the_mean_and_labels_are_in_range(seed) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(30, 2))
    one = kmeans(x, 1, rng=seed, n_init=1)
    assert one.centres[0] == pytest.approx(x.mean(axis=0))
    fit = kmeans(x, 4, rng=seed, n_init=2)
    assert set(fit.labels.tolist()) == {0, 1, 2, 3}
    assert fit.inertia <= one.inertia + 1e-9


def silhouette_loop(x, labels):
    """Rousseeuw's silhouette, one point at a time."""
    n = len(x)
    total = 0.0
    for i in range(n):
        own = [j for j in range(n) if labels[j] == labels[i] and j != i]
        if not own:
            continue

        def dist(j, i=i):
            return float(np.sqrt(((x[i] - x[j]) ** 2).sum()))

        a = sum(dist(j) for j in own) / len(own)
        b = min(
            sum(dist(j) for j in range(n) if labels[j] == c)
            / sum(1 for j in range(n) if labels[j] == c)
            for c in set(labels) - {labels[i]}
        )
        total += (b - a) / max(a, b)
    return total / n


def test_silhouette_against_loop_oracle() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 2))
    labels = rng.integers(0, 3, size=40)
    labels[0] = 3  # a singleton cluster scores 0
    assert silhouette_score(x, labels) == pytest.approx(silhouette_loop(x, labels.tolist()))


def test_choose_n_clusters_finds_the_true_k_and_samples() -> None:
    x, _ = draw(400, seed=5)
    choice = choose_n_clusters(x, [2, 3, 4, 5, 6], rng=1, n_init=3, sample_size=500)
    assert choice.n_clusters == 3
    assert choice.elbow == 3
    assert choice.sample_size == 500
    assert choice.best.n_clusters == 3
    assert np.all(np.diff(choice.inertia) < 0)
    assert "n_clusters=3" in str(choice)


def test_elbow_edge_cases() -> None:
    assert elbow([2, 3], np.array([5.0, 1.0])) == 2
    assert elbow([2, 3, 4], np.array([1.0, 1.0, 1.0])) == 2
    assert elbow([1, 2, 3, 4], np.array([100.0, 20.0, 15.0, 12.0])) == 2


def test_profile_segments_against_loop() -> None:
    rng = np.random.default_rng(8)
    x = rng.gamma(2.0, 10.0, size=(50, 2))
    labels = rng.choice(np.array(["a", "b", "c"]), size=50)
    prof = profile_segments(x, labels, feature_names=["spend", "visits"])
    for k, seg in enumerate(prof.segments):
        rows = [x[i] for i in range(50) if labels[i] == seg]
        assert prof.sizes[k] == len(rows)
        assert prof.means[k] == pytest.approx(np.mean(rows, axis=0))
        assert prof.medians[k] == pytest.approx(np.median(rows, axis=0))
    assert prof.shares.sum() == pytest.approx(1.0)
    assert prof.to_dict()["segments"][0]["mean"]["spend"] == pytest.approx(prof.means[0, 0])
    assert "mean spend" in str(prof)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: kmeans([[1.0, np.nan], [2.0, 3.0]], 1),
            r"`features` must be finite \(row 0, column 1: nan\)",
        ),
        (lambda: kmeans(np.empty((0, 2)), 1), r"`features` must not be empty"),
        (
            lambda: kmeans([[1.0], [1.0], [2.0], [2.0]], 3, rng=0),
            r"`n_clusters` must not exceed the number of distinct points \(3 > 2\)",
        ),
        (
            lambda: kmeans([[1.0], [2.0]], 3),
            r"`n_clusters` must not exceed the number of customers \(3 > 2\)",
        ),
        (lambda: kmeans([[1.0], [2.0]], 0), r"`n_clusters` must lie in \[1, inf\]"),
        (lambda: kmeans([[1.0], [2.0]], 1, n_init=0), r"`n_init` must lie in \[1, 1000\]"),
        (lambda: kmeans(np.zeros((2, 2, 2)), 1), r"`features` must be two-dimensional"),
        (lambda: kmeans([["a"], ["b"]], 1), r"`features` must hold numbers"),
        (lambda: kmeans([[1.0, 2.0]], 1, feature_names=["a"]), r"`feature_names` must name each"),
        (
            lambda: choose_n_clusters([[1.0], [2.0], [3.0]], [1, 2]),
            r"`candidates` must lie in \[2, inf\]",
        ),
        (lambda: choose_n_clusters([[1.0], [2.0], [3.0]], [3]), r"`candidates` must stay below"),
        (lambda: profile_segments([[1.0], [2.0]], [0]), r"`labels` must have one entry per row"),
    ],
)
def test_bad_input_is_refused(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
