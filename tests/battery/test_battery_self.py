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


def test_the_memory_bound_catches_a_large_allocation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(battery, "MEMORY_LIMIT", 16 * 2**20)

    def allocate() -> float:
        block = np.ones(2 * battery.MEMORY_LIMIT // 8)
        return float(block[-1])

    with pytest.raises(battery._MemoryBound, match="MiB"):
        battery.run_call(allocate, (), {})
    assert battery.run_call(lambda: float(np.ones(1000).sum()), (), {}) == 1000.0


class _Record:
    """A result-like value whose ``to_dict`` and ``from_dict`` can be made to misbehave."""

    def __init__(self, value: float, keep: bool = True) -> None:
        self.value, self.keep = value, keep

    def to_dict(self) -> dict[str, float]:
        return {"value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> _Record:
        return cls(data["value"])


class _Lossy(_Record):
    @classmethod
    def from_dict(cls, data: dict[str, float]) -> _Record:
        return cls(round(data["value"]))


def test_result_contract_wants_strict_json_that_round_trips() -> None:
    assert battery.result_contract(_Record(1.5)) is None
    assert "Out of range float" in str(battery.result_contract(_Record(math.nan)))
    assert "does not round-trip" in str(battery.result_contract(_Lossy(1.5)))
    assert battery.result_contract(np.array([math.nan])) is None  # no to_dict: nothing to check
