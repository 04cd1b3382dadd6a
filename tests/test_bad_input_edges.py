"""Bad input at the edges of the domain values, IDIC steps, the generator and the CLI.

Each case broke the promise before its fix: a raw Python/NumPy exception, a foreign warning
(ComplexWarning, RuntimeWarning; pytest makes warnings errors), a silent accept of a value
that failed later, or a traceback from the command line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

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

    with pytest.raises(InvalidInputError, match="`days` must"):
        Birthday(lead_days=value)
    with pytest.raises(InvalidInputError, match="`days` must"):
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
