"""Shared fixtures for the process tests: the bundled company and small event logs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from custcentric.datasets import SampleCompany, load_sample_company
from custcentric.tables import EventLog


@pytest.fixture(scope="session")
def company() -> SampleCompany:
    return load_sample_company()


def _random_log(seed: int, n_cases: int = 40) -> EventLog:
    """A seeded log: each case walks a prefix of a b c d with random gaps, ties and rework."""
    rng = np.random.default_rng(seed)
    cases, processes, activities, times, customers = [], [], [], [], []
    start = np.datetime64("2024-01-01T00:00", "s")
    for k in range(n_cases):
        process = "p" if k % 3 else "q"
        n_steps = int(rng.integers(1, 6))
        steps = (
            ["a", "b", "c", "d", "b", "c", "d"][:n_steps]
            if rng.random() < 0.2
            else ["a", "b", "c", "d"][: min(n_steps, 4)]
        )
        t = start + np.timedelta64(int(rng.integers(0, 10**7)), "s")
        for s in steps:
            t = t + np.timedelta64(int(rng.choice([0, rng.integers(60, 10**6)])), "s")
            cases.append(f"k{k:03d}")
            processes.append(process)
            activities.append(s)
            times.append(t)
            customers.append(f"c{k % 7}")
    order = rng.permutation(len(cases))
    return EventLog.from_arrays(
        np.array(cases)[order],
        np.array(processes)[order],
        np.array(activities)[order],
        np.array(times)[order],
        np.array(customers)[order],
    )


@pytest.fixture
def random_log() -> Callable[..., EventLog]:
    return _random_log
