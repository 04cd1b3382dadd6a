"""Bad input at the edges of the domain values, IDIC steps, the generator and the CLI.

Each case broke the promise before its fix: a raw Python/NumPy exception, a foreign warning
(ComplexWarning, RuntimeWarning; pytest makes warnings errors), a silent accept of a value
that failed later, or a traceback from the command line.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.cli import main
from custcentric.datasets import generate_sample_company
from custcentric.domain import SLA, Compensation, CompensationBand
from custcentric.exceptions import InvalidInputError
from custcentric.idic import ContactPolicy, FrequencyCap, differentiate

# --- ContactPolicy and FrequencyCap -----------------------------------------------------------


@pytest.mark.parametrize(
    "hours",
    [
        (np.complex128(3 + 1j), 4),  # was a ComplexWarning, then the real part kept
        (3, np.complex128(4)),
        ("3", 4),  # was parsed as the hour 3
    ],
)
def test_quiet_hours_refuse_non_hours(hours: tuple[Any, Any]) -> None:
    with pytest.raises(InvalidInputError, match="`quiet_hours` must"):
        ContactPolicy(quiet_hours=hours)


def test_quiet_hours_refuse_a_scalar() -> None:
    # Before: TypeError: 'int' object is not iterable.
    with pytest.raises(InvalidInputError, match=r"`quiet_hours` must be a pair .*got 5"):
        ContactPolicy(quiet_hours=5)


@pytest.mark.parametrize("field", ["caps", "consent_kinds"])
def test_policy_sequences_refuse_none(field: str) -> None:
    # Before: TypeError: 'NoneType' object is not iterable.
    with pytest.raises(InvalidInputError, match=rf"`{field}` must be a sequence \(got None\)"):
        ContactPolicy(**{field: None})


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"min_gap_days": 1e308}, "min_gap_days"),  # was accepted, then OverflowError in check
        ({"min_gap_days": np.complex128(1)}, "min_gap_days"),
        ({"min_gap_days": "3"}, "min_gap_days"),
    ],
)
def test_policy_numbers_are_checked(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(InvalidInputError, match=f"`{name}` must"):
        ContactPolicy(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"max_contacts": 1, "days": 1e308}, "days"),
        ({"max_contacts": 1, "days": 2.0**62}, "days"),
        ({"max_contacts": 1e308, "days": 7}, "max_contacts"),
        ({"max_contacts": "2", "days": 7}, "max_contacts"),
        ({"max_contacts": 2, "days": "7"}, "days"),
        ({"max_contacts": np.complex128(2), "days": 7}, "max_contacts"),
    ],
)
def test_frequency_cap_numbers_are_checked(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(InvalidInputError, match=f"`{name}` must"):
        FrequencyCap(**kwargs)


# --- Domain values ------------------------------------------------------------------------------


# Complex values cast with a ComplexWarning; text was parsed as a number.
@pytest.mark.parametrize("value", [np.complex128(1 + 2j), np.complex64(1), "1", b"1"])
@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda v: Compensation(fixed_per_breach=v), "fixed_per_breach"),
        (lambda v: Compensation(per_unit_late=v), "per_unit_late"),
        (lambda v: Compensation(grace=v), "grace"),
        (lambda v: CompensationBand(lower=0, upper=1, rate=v), "rate"),
        (lambda v: CompensationBand(lower=0, upper=v, rate=0.1), "upper"),
        (
            lambda v: SLA(id="s", name="s", process_id="p", metric="cycle_time", target=v),
            "target",
        ),
    ],
)
def test_domain_numbers_refuse_non_reals(make: Any, name: str, value: object) -> None:
    with pytest.raises(InvalidInputError, match=f"`{name}` must"):
        make(value)


@pytest.mark.parametrize("value", [np.complex128(1 + 2j), "1"])
def test_compensation_cap_refuses_non_reals(value: object) -> None:
    with pytest.raises(InvalidInputError, match="`cap` must"):
        Compensation(cap=value)


def test_case_amount_at_huge_lateness_is_refused_not_infinite() -> None:
    # Before: RuntimeWarning: overflow encountered in multiply.
    comp = Compensation(fixed_per_breach=1e308, per_unit_late=1e308)
    with pytest.raises(InvalidInputError, match=r"`lateness` must .*index 1: 1e\+308"):
        comp.case_amount([0.5, 1e308])


def test_case_amount_at_huge_lateness_is_finite_with_a_cap() -> None:
    comp = Compensation(fixed_per_breach=1.0, per_unit_late=1e308, cap=50.0)
    assert comp.case_amount([1e308, 0.5, -1.0]).tolist() == [50.0, 50.0, 0.0]


def test_case_amount_does_not_overflow_in_the_grace_subtraction() -> None:
    # Before: RuntimeWarning: overflow encountered in subtract (-1e308 - 1e308).
    comp = Compensation(per_unit_late=1.0, grace=1e308)
    assert comp.case_amount([-1e308, 1e308, 5.0]).tolist() == [0.0, 0.0, 0.0]


# --- differentiate -----------------------------------------------------------------------------


def test_differentiate_at_huge_values_equals_the_rescaled_result() -> None:
    # Before: RuntimeWarning: overflow encountered in reduce / matmul.
    base = np.array([90, 50, 10, 8, 5, 4, 3, 2, 1, -1], dtype=float)
    needs = list("aabbabbaab")
    scale = 2.0**1015  # 90 * 2**1015 is about 3.3e307, within float64
    small = differentiate(base, needs, potential=base * 2)
    huge = differentiate(base * scale, needs, potential=base * 2 * scale)
    assert huge.counts.tolist() == small.counts.tolist()
    assert huge.value_share.tolist() == small.value_share.tolist()
    assert huge.value_gini == small.value_gini
    assert huge.category.tolist() == small.category.tolist()
    assert huge.strategy == small.strategy


def test_differentiate_at_the_float_maximum() -> None:
    top = np.finfo(np.float64).max
    d = differentiate([top, top, -top, 1.0], list("abab"), potential=[-top, top, top, 0.0])
    assert np.isfinite(d.value_share).all()
    assert 0.0 <= d.value_gini <= 1.0
    assert d.category.tolist()[2] == "BZ"


def test_differentiate_treatments_must_be_a_mapping() -> None:
    # Before: TypeError: argument of type 'int' is not iterable.
    with pytest.raises(InvalidInputError, match=r"`treatments` must be a mapping .*got 5"):
        differentiate([3.0, 2.0, 1.0], list("abc"), treatments=5)  # type: ignore[arg-type]


# --- generate_sample_company ---------------------------------------------------------------------


def test_generate_into_a_too_long_path_is_refused(tmp_path: Path) -> None:
    # Before: OSError: [Errno 36] File name too long.
    target = tmp_path / ("x" * 300)
    with pytest.raises(InvalidInputError, match=r"`directory` must .*File name too long"):
        generate_sample_company(target, n_customers=100)
    assert os.listdir(tmp_path) == []


def test_generate_removes_the_directories_it_made_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "new" / ("y" * 300) / "deeper"
    with pytest.raises(InvalidInputError, match="`directory` must"):
        generate_sample_company(target, n_customers=100)
    assert os.listdir(tmp_path) == []


def test_generate_into_an_existing_file_is_refused(tmp_path: Path) -> None:
    # Before: FileExistsError from mkdir.
    target = tmp_path / "file"
    target.write_text("keep")
    with pytest.raises(InvalidInputError, match="`directory` must be a directory"):
        generate_sample_company(target, n_customers=100)
    assert target.read_text() == "keep"


@pytest.mark.parametrize("directory", [None, 5, b"dir"])
def test_generate_directory_must_be_a_path(directory: object) -> None:
    # Before: TypeError from pathlib.
    with pytest.raises(InvalidInputError, match="`directory` must be a str or path-like"):
        generate_sample_company(directory, n_customers=100)  # type: ignore[arg-type]


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        InvalidInputError("`width` must be\nsomething (got 3)."),
        PermissionError(13, "Permission denied", "/root/x"),
    ],
)
def test_cli_user_errors_are_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    # Before: a CustcentricError exited 1, an OSError ended in a traceback.
    import custcentric.cli._demo as demo

    def fail(*, width: int = 88) -> str:
        del width
        raise error

    monkeypatch.setattr(demo, "run_demo", fail)
    assert main(["demo"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("custcentric demo: ")
    assert "Traceback" not in captured.err


# --- assign_offers and the trigger rules ---------------------------------------------------------


def test_assign_offers_refuses_values_whose_totals_would_overflow() -> None:
    # Before: RuntimeWarning: overflow encountered in reduce (in total_value).
    from custcentric.idic import assign_offers

    with pytest.raises(InvalidInputError, match=r"`expected_value` must have magnitude at most"):
        assign_offers([[1e308, 1e308], [1e308, 1e308]])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"capacity": [1e308, 1.0]}, "capacity"),
        ({"budget": 1e308, "cost": [1.0, 1.0]}, "budget"),
        ({"budget": "3", "cost": [1.0, 1.0]}, "budget"),
        ({"max_offers": "1"}, "max_offers"),
        ({"customer_benefit": [[1e308, 1.0], [1.0, 1.0]]}, "customer_benefit"),
    ],
)
def test_assign_offers_options_are_checked(kwargs: dict[str, Any], name: str) -> None:
    from custcentric.idic import assign_offers

    with pytest.raises(InvalidInputError, match=f"`{name}` must"):
        assign_offers([[1.0, 2.0], [3.0, 1.0]], **kwargs)


def test_assign_offers_refuses_a_ragged_matrix() -> None:
    # Before: ValueError: setting an array element with a sequence.
    from custcentric.idic import assign_offers

    with pytest.raises(InvalidInputError, match="`expected_value` must be a rectangular array"):
        assign_offers([[1.0], [1.0, 2.0]])


@pytest.mark.parametrize("value", [1e308, 2**62, "3"])
def test_trigger_days_are_bounded_numbers(value: object) -> None:
    # Before: accepted; a huge value later overflowed np.timedelta64, text was parsed.
    from custcentric.idic import Birthday, Inactivity, LifeEvent

    with pytest.raises(InvalidInputError, match="`lead_days` must"):
        Birthday(lead_days=value)
    with pytest.raises(InvalidInputError, match="`lag_days` must"):
        LifeEvent("moved", lag_days=value)
    with pytest.raises(InvalidInputError, match="`days` must"):
        Inactivity(value)


# --- the IDIC pipeline and feedback tagging ------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"uplift": 1e308}, "uplift"),  # was accepted, then overflowed uplift x CLV
        ({"uplift": 0.1, "cost": 1e308}, "cost"),
        ({"uplift": 0.1, "customer_benefit": -1e308}, "customer_benefit"),
        ({"uplift": 0.1, "tiers": [1e308]}, r"tiers\[0\]"),
        ({"uplift": "0.1"}, "uplift"),
    ],
)
def test_offer_numbers_are_bounded(kwargs: dict[str, Any], name: str) -> None:
    from custcentric.idic import Offer

    with pytest.raises(InvalidInputError, match=f"`{name}` must"):
        Offer(name="x", **kwargs)


def test_pipeline_discounting_must_stay_finite() -> None:
    # Before: accepted; run() ended in OverflowError: (34, 'Numerical result out of range').
    from custcentric.idic import IDICPipeline

    with pytest.raises(InvalidInputError, match=r"`discount_rate` must keep .* horizon 12"):
        IDICPipeline(discount_rate=1e308)


def test_pipeline_numbers_refuse_text() -> None:
    from custcentric.idic import IDICPipeline

    with pytest.raises(InvalidInputError, match="`horizon` must be a real number"):
        IDICPipeline(horizon="12")


@pytest.mark.parametrize(
    ("texts", "match"),
    [
        (None, r"`texts` must be an array of strings \(got None\)"),  # was one empty text
        (["fine", float("nan")], r"`texts` must hold strings \(index 1: nan\)"),  # was 'nan'
    ],
)
def test_tag_feedback_refuses_non_texts(texts: object, match: str) -> None:
    from custcentric.idic import tag_feedback

    with pytest.raises(InvalidInputError, match=match):
        tag_feedback(texts)  # type: ignore[arg-type]


def test_segment_tier_rank_takes_numpy_integers_and_refuses_huge_ones() -> None:
    # Before: np.int64(2) was refused as "not an integer" and 10**400 was accepted.
    from custcentric.domain import Segment

    assert Segment(name="gold", tier_rank=np.int64(2)).tier_rank == 2
    assert type(Segment(name="gold", tier_rank=np.int64(2)).tier_rank) is int
    with pytest.raises(InvalidInputError, match=r"`tier_rank` must be at most 2\*\*63 - 1"):
        Segment(name="gold", tier_rank=10**400)


# --- issue 13: the remaining battery breaches -------------------------------------------------

_X6 = [[1.0, 2.0], [1.2, 1.9], [0.8, 2.2], [5.0, 6.0], [5.2, 5.9], [4.8, 6.1]]


@pytest.mark.parametrize("seed", [-1, 1e308, math.nan, math.inf, 1j, "abc", 0.5])
@pytest.mark.parametrize("which", ["kmeans", "choose_n_clusters", "driver_importance"])
def test_rng_seeds_are_checked(seed: object, which: str) -> None:
    # Before: TypeError/ValueError from numpy's SeedSequence.
    from custcentric.process import driver_importance
    from custcentric.segmentation import choose_n_clusters, kmeans

    calls = {
        "kmeans": lambda: kmeans(_X6, 2, n_init=1, rng=seed),
        "choose_n_clusters": lambda: choose_n_clusters(_X6, [2, 3], n_init=1, rng=seed),
        "driver_importance": lambda: driver_importance(
            [[1, 0], [2, 1], [3, 0], [4, 2], [5, 1], [6, 3]],
            [1.1, 2.3, 2.9, 4.5, 5.0, 6.4],
            n_bootstrap=2,
            rng=seed,
        ),
    }
    with pytest.raises(InvalidInputError, match=r"^`rng` must be None, a whole-number seed"):
        calls[which]()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_init": 2**62}, r"`n_init` must lie in \[1, 1000\]"),  # was a run that never ended
        ({"n_init": 1e308}, r"`n_init` must lie in \[1, 1000\]"),
        ({"max_iter": 10**9}, r"`max_iter` must lie in \[1, 100000\]"),
    ],
)
def test_kmeans_iteration_counts_are_bounded(kwargs: dict[str, Any], match: str) -> None:
    from custcentric.segmentation import choose_n_clusters, kmeans

    with pytest.raises(InvalidInputError, match=match):
        kmeans(_X6, 2, **kwargs)
    if "n_init" in kwargs:
        with pytest.raises(InvalidInputError, match=match):
            choose_n_clusters(_X6, [2, 3], **kwargs)


def test_kmeans_near_the_float_maximum_equals_the_rescaled_clustering() -> None:
    # Before: RuntimeWarning (overflow) in the standardisation, then NaN centres.
    from custcentric.segmentation import kmeans

    x = np.array(_X6)
    big = x * 2.0**1020  # exact scaling, values near 1e307
    small_fit = kmeans(x, 2, rng=0)
    big_fit = kmeans(big, 2, rng=0)
    assert big_fit.labels.tolist() == small_fit.labels.tolist()
    np.testing.assert_allclose(big_fit.centres / 2.0**1020, small_fit.centres, rtol=1e-12)
    assert big_fit.inertia == pytest.approx(small_fit.inertia, rel=1e-12)
    x[0, 0] = 1e308
    assert np.all(np.isfinite(kmeans(x, 2, rng=0).centres))


def test_kmeans_without_standardisation_refuses_huge_features() -> None:
    from custcentric.segmentation import kmeans

    x = np.array(_X6)
    x[1, 1] = 1e200
    with pytest.raises(
        InvalidInputError, match=r"`features` must be at most 1e\+150 .*\(customer 1, feature 1"
    ):
        kmeans(x, 2, standardize=False)


def test_kmeans_standardisation_is_unchanged_for_ordinary_data() -> None:
    from custcentric.segmentation._kmeans import standardize_features

    x = np.random.default_rng(3).normal(5.0, 3.0, size=(50, 3))
    z, mean, _scale, raw = standardize_features(x)
    np.testing.assert_array_equal(mean, x.mean(axis=0))
    np.testing.assert_allclose(z, (x - x.mean(axis=0)) / x.std(axis=0), rtol=1e-13)
    np.testing.assert_allclose(raw, x.std(axis=0), rtol=1e-14)


@pytest.mark.parametrize(
    ("candidates", "match"),
    [
        (None, r"`candidates` must be a sequence of cluster counts \(got None\)"),
        ("23", r"`candidates` must be a sequence"),
        ([[2, 3]], r"`candidates` must be a flat sequence"),
    ],
)
def test_choose_n_clusters_checks_candidates(candidates: object, match: str) -> None:
    from custcentric.segmentation import choose_n_clusters

    with pytest.raises(InvalidInputError, match=match):
        choose_n_clusters(_X6, candidates)  # type: ignore[arg-type]


def test_choose_n_clusters_names_empty_features() -> None:
    from custcentric.segmentation import choose_n_clusters

    with pytest.raises(InvalidInputError, match=r"`features` must not be empty"):
        choose_n_clusters(np.empty((0, 2)), [2, 3])


def test_concentration_near_the_float_maximum_equals_the_rescaled_result() -> None:
    # Before: RuntimeWarning (overflow in matmul) and NaN shares.
    from custcentric.segmentation import concentration

    values = np.array([100.0, 50.0, 20.0, 10.0, 5.0, 1.0])
    small = concentration(values)
    big = concentration(values * 2.0**1015)
    assert big.gini == pytest.approx(small.gini, rel=1e-14)
    np.testing.assert_allclose(big.top_shares, small.top_shares, rtol=1e-14)
    assert concentration([1e308, 1e308, 1e308]).gini == 0.0


def test_abc_classes_without_a_positive_value_put_everyone_last() -> None:
    # All zero (or negative): a defined answer, never NaN.
    from custcentric.segmentation import abc_classes

    abc = abc_classes([0.0, 0.0, -1.0])
    assert abc.labels.tolist() == ["D", "D", "D"]
    assert np.all(np.isposinf(abc.thresholds))
    assert abc.value_share.tolist() == [0.0, 0.0, 0.0, 0.0]
    assert abc.customer_share.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert not np.isnan(abc.value_total).any()


def test_value_tiers_refuse_totals_beyond_the_float_range() -> None:
    from custcentric.segmentation import value_tiers

    tiers = value_tiers([1e308, 1.0, 2.0, 3.0, 4.0])  # the total is finite
    assert tiers.value_share.sum() == pytest.approx(1.0)
    with pytest.raises(InvalidInputError, match=r"`values` must have tier totals within"):
        value_tiers([1.5e308, 1.5e308, 1.0, 2.0, 3.0], shares=[1.0])


@pytest.mark.parametrize(
    ("pairwise", "match"),
    [
        (  # was a ComplexWarning, then the imaginary part dropped
            np.array([[1 + 1j, 3], [1 / 3, 1]]),
            r"`pairwise` must hold real numbers, not complex ones",
        ),
        (  # was a RuntimeWarning (overflow) in the reciprocity check
            [[1e308, 3.0], [1 / 3, 1.0]],
            r"`pairwise` must be reciprocal with a unit diagonal",
        ),
        ([[1.0, "3"], [1 / 3, 1.0]], r"`pairwise` must hold numbers"),
        ([[1.0, None], [1 / 3, 1.0]], r"`pairwise` must hold numbers \(index 1: None\)"),
    ],
)
def test_ahp_refuses_complex_text_and_overflowing_judgements(pairwise: Any, match: str) -> None:
    from custcentric.process import ahp_weights, combine_judgements

    with pytest.raises(InvalidInputError, match=match):
        ahp_weights(pairwise)
    with pytest.raises(InvalidInputError, match=match):
        combine_judgements([pairwise, pairwise])


def test_ahp_takes_fractions() -> None:
    from fractions import Fraction

    from custcentric.process import ahp_weights

    pairwise = [[1, 3, 5], [Fraction(1, 3), 1, 2], [Fraction(1, 5), Fraction(1, 2), 1]]
    exact = ahp_weights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    np.testing.assert_allclose(ahp_weights(pairwise).weights, exact.weights)


def test_driver_importance_near_the_float_maximum_equals_the_rescaled_result() -> None:
    # Before: RuntimeWarning (overflow in square).
    from custcentric.process import driver_importance

    x = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 2.0], [5.0, 1.0], [6.0, 3.0]])
    y = np.array([1.1, 2.3, 2.9, 4.5, 5.0, 6.4])
    small = driver_importance(x, y)
    big = driver_importance(x * 2.0**1020, y * 2.0**1020)
    np.testing.assert_allclose(big.raw, small.raw, rtol=1e-12)
    assert big.r_squared == pytest.approx(small.r_squared, rel=1e-12)
    x[0, 0] = 1e308  # one huge value: a defined answer, no warning
    assert np.all(np.isfinite(driver_importance(x, y).raw))


def test_driver_importance_bounds_the_bootstrap() -> None:
    from custcentric.process import driver_importance

    with pytest.raises(InvalidInputError, match=r"`n_bootstrap` must lie in \[0, 100000\]"):
        driver_importance([[1, 0], [2, 1], [3, 0], [4, 2]], [1, 2, 3, 5], n_bootstrap=2**62)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_agents": 1e308}, r"`n_agents` must be at most 4\.5036e\+15"),
        ({"patience": 1e308}, r"`patience` must be at most 1e\+09 times `handle_time`"),
        ({"patience": 1e12}, r"`patience` must be at most 1e\+09 times `handle_time`"),
    ],
)
def test_erlang_a_bounds(kwargs: dict[str, Any], match: str) -> None:
    # Before: RuntimeWarning (overflow in multiply).
    from custcentric.sla import erlang_a

    call: dict[str, Any] = {"n_agents": 11, "patience": 300.0, **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        erlang_a(
            100 / 1800, call["n_agents"], interval="s", handle_time=180.0, patience=call["patience"]
        )


def test_erlang_a_at_the_patience_bound_is_close_to_erlang_c() -> None:
    from custcentric.sla import erlang_a, erlang_c

    res = erlang_a(100 / 1800, 11, interval="s", handle_time=180.0, patience=180.0 * 1e9)
    assert float(res.probability_wait) == pytest.approx(float(erlang_c(10.0, 11)), rel=1e-6)


def test_priority_waits_huge_service_times_are_refused_without_a_warning() -> None:
    # Before: RuntimeWarning (overflow in square) in the second-moment check.
    from custcentric.sla import priority_waits

    with pytest.raises(InvalidInputError, match=r"`second_moment` must be at least `mean_service`"):
        priority_waits([0.2, 0.3], [1e308, 1.0], [2.0, 2.0])
    waits = priority_waits([1e308, 0.3], [1.0, 1.0], [2.0, 2.0])
    assert np.all(np.isposinf(waits))  # an overloaded queue: the documented infinite wait


def test_rwg_and_rfm_bound_their_counts() -> None:
    # Before: OverflowError (rwg) and "Maximum allowed size exceeded" (rfm_scores).
    from custcentric.maturity import rwg
    from custcentric.value import rfm_scores

    with pytest.raises(InvalidInputError, match=r"`n_options` must lie in \[2, 1e\+06\]"):
        rwg([3, 4, 3], n_options=1e308)
    assert rwg([3, 4, 3], n_options=10**6) > 0.99
    with pytest.raises(InvalidInputError, match=r"`n_bins` must lie in \[2, 1000\]"):
        rfm_scores(
            time_since_last=[1.0, 2.0], frequency=[1.0, 2.0], monetary=[1.0, 2.0], n_bins=2**62
        )


def test_name_normalisation_of_no_names_is_empty() -> None:
    # Before: ValueError "zero-size array to reduction operation maximum".
    from custcentric.idic import normalize_name, split_name

    assert normalize_name(np.array([], dtype=str)).tolist() == []
    assert normalize_name([]).tolist() == []
    first, last = split_name(np.array([], dtype=str))
    assert first.tolist() == []
    assert last.tolist() == []


def test_team_and_scorecard_refuse_none() -> None:
    # Before: TypeError "'NoneType' object is not iterable".
    from custcentric.maturity import Scorecard, check_team

    with pytest.raises(InvalidInputError, match=r"`members` must be a sequence"):
        check_team(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`measures` must be a sequence"):
        Scorecard(measures=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"`max_core` must be at least `min_core`"):
        check_team([], min_core=2**62)


def _assessment_dict() -> dict[str, Any]:
    from custcentric.maturity import assess, default_catalogue

    ratings = {"sales": {"insight-01": 3, "insight-02": 2}, "it": {"insight-01": 1}}
    return assess(default_catalogue(), ratings).to_dict()


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        # Before: TypeError "object of type 'NoneType' has no len()" and the like.
        ("raters", None, r"`raters` must be a sequence \(got None\)"),
        ("names", None, r"`names` must be a sequence \(got None\)"),
        ("unrated", None, r"`unrated` must be a sequence \(got None\)"),
        ("notes", None, r"`notes` must be a sequence \(got None\)"),
        # Before: OverflowError, or a ComplexWarning and the real part kept.
        ("levels", [math.inf, 1], r"`levels` must hold whole numbers in \[-128, 127\]"),
        ("levels", [2**62, 1], r"`levels` must hold whole numbers in \[-128, 127\]"),
        ("levels", ["abc", 1], r"`levels` must hold whole numbers \(got dtype"),
        ("rater_levels", [[1 + 1j, 2], [3, -1]], r"`rater_levels` must hold whole numbers"),
        ("achievement", [[math.nan] * 4] * 2, r"`achievement` must hold whole numbers in"),
    ],
)
def test_assessment_from_dict_names_damaged_fields(field: str, value: Any, match: str) -> None:
    from custcentric.maturity import Assessment

    data = _assessment_dict()
    data[field] = value
    with pytest.raises(InvalidInputError, match=match):
        Assessment.from_dict(data)


def test_assessment_round_trip_is_unchanged() -> None:
    from custcentric.maturity import Assessment

    data = _assessment_dict()
    assert Assessment.from_dict(data).to_dict() == data


def _numeric_text_calls() -> list[tuple[str, Any]]:
    from custcentric.idic import normalize_phone
    from custcentric.maturity import rwg
    from custcentric.process import driver_importance
    from custcentric.segmentation import concentration, kmeans
    from custcentric.value import rfm_scores

    x = [[1, 0], [2, 1], [3, 0], [4, 2], [5, 1], [6, 3]]
    y = [1.1, 2.3, 2.9, 4.5, 5.0, 6.4]
    three = [1.0, 2.0, 3.0]
    return [
        ("n_clusters", lambda: kmeans(_X6, "2")),
        ("n_init", lambda: kmeans(_X6, 2, n_init="2")),
        ("n_bootstrap", lambda: driver_importance(x, y, n_bootstrap="2")),
        ("confidence_level", lambda: driver_importance(x, y, confidence_level="0.9")),
        (
            "n_bins",
            lambda: rfm_scores(time_since_last=three, frequency=three, monetary=three, n_bins="3"),
        ),
        ("n_options", lambda: rwg([3, 4, 3], n_options="5")),
        ("n_digits", lambda: normalize_phone(["555 123 4567"], n_digits="10")),
        ("share", lambda: concentration([1.0, 2.0]).top_share("0.5")),
    ]


@pytest.mark.parametrize(("name", "call"), _numeric_text_calls())
def test_scalar_options_refuse_numeric_text(name: str, call: Any) -> None:
    # Before: "3" was parsed and used as the number 3.
    with pytest.raises(InvalidInputError, match=rf"^`{name}` must be a real number \(got '"):
        call()


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e6)), min_size=1, max_size=30).filter(
        lambda v: max(v) > 0
    ),
    exponent=st.integers(-900, 1000),
)
def test_concentration_does_not_depend_on_the_unit(values: list[float], exponent: int) -> None:
    from custcentric.segmentation import concentration

    base = concentration(values)
    scaled = concentration(np.array(values) * 2.0**exponent)
    assert scaled.gini == pytest.approx(base.gini, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(scaled.top_shares, base.top_shares, rtol=1e-12, atol=1e-12)


# --- segmentation values built directly --------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda s: s.Segmentation(segments="gold", codes=[0]), "`segments` must be a sequence"),
        (
            lambda s: s.Segmentation(segments=(s_gold(),), codes=[0.5]),
            "`codes` must hold whole numbers",
        ),
        (lambda s: s.Segmentation(segments=(s_gold(),), codes=[-1]), "`codes` must be non-neg"),
        (
            lambda s: s.MigrationModel(transition_matrix=[[0.5]], states=["a"]),
            r"`transition_matrix` rows must sum to 1 \(row 0: 0.5\)",
        ),
        (
            lambda s: s.MigrationModel(transition_matrix=[[1.0]], states=5),
            "`states` must be a sequence",
        ),
        (
            lambda s: s.MigrationModel.from_matrix([[1.0]]).lifetime_value(
                [1.0], discount_rate=0.1, n_periods=10**9
            ),
            r"`n_periods` must lie in \[1, 100000\]",
        ),
        (lambda s: s.RFMRule(name="x", f=(float("inf"), 5)), "`f` must be a \\(low, high\\) pair"),
        (lambda s: s.RFMRule(name="x", f=10**30), r"`f` must hold scores in \[0, 1,000,000\]"),
        (lambda s: s.RFMRules(rules=None), "`rules` must be a sequence"),
    ],
)
def test_segmentation_values_check_what_they_are_given(build: Any, match: str) -> None:
    # Before: a raw ValueError/TypeError/OverflowError, a list accepted as a matrix with no
    # check, or an unbounded loop.
    import custcentric.segmentation as seg

    with pytest.raises(InvalidInputError, match=match):
        build(seg)


def s_gold() -> Any:
    from custcentric.domain import Segment

    return Segment(name="gold", tier_rank=1)


# --- what the library writes ---------------------------------------------------------------------


def test_generate_refuses_a_folder_with_its_files_unless_told(tmp_path: Path) -> None:
    # Before: existing files were replaced without asking.
    (tmp_path / "README.md").write_text("mine")
    with pytest.raises(InvalidInputError, match=r"already holds 'README\.md'; pass overwrite=True"):
        generate_sample_company(tmp_path, n_customers=100)
    assert sorted(os.listdir(tmp_path)) == ["README.md"]
    assert (tmp_path / "README.md").read_text() == "mine"
    generate_sample_company(tmp_path, n_customers=100, overwrite=True)
    assert (tmp_path / "README.md").read_text() != "mine"


def test_generate_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    # Before: a README.md linking outside the folder had its target overwritten.
    outside = tmp_path / "precious.md"
    outside.write_text("keep me")
    folder = tmp_path / "company"
    folder.mkdir()
    (folder / "README.md").symlink_to(outside)
    generate_sample_company(folder, n_customers=100, overwrite=True)
    assert outside.read_text() == "keep me"
    assert not (folder / "README.md").is_symlink()


def test_generate_refuses_an_empty_path() -> None:
    # Before: "" wrote ten files into the current directory.
    with pytest.raises(InvalidInputError, match="`directory` must not be empty"):
        generate_sample_company("", n_customers=100)


@pytest.mark.parametrize("command", [["demo", "--width", "80"], ["report", "--format", "json"]])
def test_the_cli_speaks_ascii_when_the_terminal_does(command: list[str]) -> None:
    # Before: UnicodeEncodeError traceback on an en dash with PYTHONIOENCODING=ascii.
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "custcentric", *command], capture_output=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    assert done.stdout


def test_the_cli_says_so_in_one_line_when_the_disk_is_full() -> None:
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "custcentric", "demo"], stdout=full, stderr=subprocess.PIPE
        )
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert "No space left on device" in done.stderr.decode()
