"""The battery's own judgements: what counts as naming the argument, and as a bad result."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.battery import test_bad_input as battery


@pytest.mark.parametrize(
    ("argument", "message", "from_dict", "named"),
    [
        ("n_init", "`n_init` must lie in [1, 1000] (got 0).", False, True),
        ("cutoffs", "`cutoffs[1]` must lie in (0, 1) (got 1.5).", False, True),
        ("rater_levels", "`data['rater_levels']` must be whole numbers.", True, True),
        ("lead_days", "`days` must be finite (got inf).", False, False),
        ("n_init", "n_init must lie in [1, 1000] (got 0).", False, False),  # no backticks
        ("scores[gold]", "`scores` has 1 problem(s): ...", False, True),
        ("data[lower]", "`data` must be a mapping.", True, False),  # a field must be named
        ("data[lower]", "`lower` must be finite (got nan).", True, True),
    ],
)
def test_names_argument(argument: str, message: str, from_dict: bool, named: bool) -> None:
    assert battery.names_argument(argument, message, from_dict=from_dict) is named


def test_non_finite_results() -> None:
    assert battery._non_finite(np.array([1.0, math.nan]))
    assert battery._non_finite(np.array([1.0, math.inf]))
    assert battery._non_finite(math.inf)
    assert not battery._non_finite(np.array([1.0, 2.0]))
    # A documented infinite answer is allowed, NaN and minus infinity are not.
    assert not battery._non_finite(np.array([1.0, math.inf]), allow_inf=True)
    assert battery._non_finite(np.array([1.0, math.nan]), allow_inf=True)
    assert battery._non_finite(np.array([-math.inf]), allow_inf=True)


def test_may_return_inf_names_covered_callables() -> None:
    from tests.battery import examples

    assert set(examples.MAY_RETURN_INF) <= set(examples.EXAMPLES)
