"""Shared fixtures for the maturity tests: the §1.3 catalogue and slow loop oracles."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from custcentric.maturity import Catalogue

STAGES = ["product_centric", "customer_focus", "customer_value", "customer_centric"]


def _cap(cid: str, required: Sequence[int], depends: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "id": cid,
        "area": "measurement",
        "name": f"Capability {cid}",
        "required_at": [STAGES[s - 1] for s in required],
        "depends_on": list(depends),
        "descriptors": {s: f"{cid} at {s}" for s in STAGES},
    }


@pytest.fixture(scope="session")
def abcd_catalogue() -> Catalogue:
    """The catalogue of methods.md §1.3: A at stages 1-3, B at 1-2, C at 2-3, D at 3."""
    data = {
        "name": "methods §1.3",
        "version": "test",
        "capabilities": [
            _cap("A", [1, 2, 3]),
            _cap("B", [1, 2]),
            _cap("C", [2, 3]),
            _cap("D", [3]),
        ],
    }
    return Catalogue.from_dict(data)


@pytest.fixture(scope="session")
def make_catalogue() -> Callable[[Sequence[tuple[str, Sequence[int], Sequence[str]]]], Catalogue]:
    def build(spec: Sequence[tuple[str, Sequence[int], Sequence[str]]]) -> Catalogue:
        return Catalogue.from_dict(
            {"name": "test", "version": "t", "capabilities": [_cap(c, r, d) for c, r, d in spec]}
        )

    return build


def _lower_median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


AGG: dict[str, Callable[[list[int]], int]] = {"median": _lower_median, "min": min, "max": max}


def oracle_level_stage(
    catalogue: Catalogue, ratings: Mapping[str, Mapping[str, int]], aggregate: str
) -> tuple[int, dict[str, int]]:
    """Stage and capability levels from level ratings, by plain loops."""
    levels: dict[str, int] = {}
    for cid in catalogue.ids:
        given = [r[cid] for r in ratings.values() if cid in r]
        if given:
            levels[cid] = AGG[aggregate](given)
    stage = 0
    for s in range(1, 5):
        ok = True
        for cid, level in levels.items():
            for req in catalogue.required_stages(cid):
                if req.level <= s and level < req.level:
                    ok = False
        if not ok:
            break
        stage = s
    return stage, levels


def oracle_achievement_stage(
    catalogue: Catalogue,
    ratings: Mapping[str, Mapping[str, Mapping[str, str]]],
    aggregate: str,
    threshold: str,
    rule: str,
) -> int:
    """Stage from per-stage achievements, by plain loops (rated capabilities in scope)."""
    scale = "NPLF"
    thr = scale.index(threshold)
    agg: dict[tuple[str, int], int] = {}
    rated: set[str] = set()
    for cid in catalogue.ids:
        for s in range(1, 5):
            given = [
                scale.index(r[cid][STAGES[s - 1]])
                for r in ratings.values()
                if cid in r and STAGES[s - 1] in r[cid]
            ]
            if cid in [c for r in ratings.values() for c in r]:
                rated.add(cid)
            if given:
                agg[(cid, s)] = AGG[aggregate](given)
    stage = 0
    for s in range(1, 5):
        ok = True
        for cid in rated:
            for req in catalogue.required_stages(cid):
                t = req.level
                if t > s:
                    continue
                a = agg.get((cid, t), -1)
                need_full = rule == "strict" and t < s
                if (need_full and a != 3) or a < thr:
                    ok = False
        if not ok:
            break
        stage = s
    return stage


@pytest.fixture(scope="session")
def level_oracle() -> Callable[..., tuple[int, dict[str, int]]]:
    return oracle_level_stage


@pytest.fixture(scope="session")
def achievement_oracle() -> Callable[..., int]:
    return oracle_achievement_stage


@pytest.fixture(scope="session")
def company() -> Any:
    from custcentric.datasets import load_sample_company

    return load_sample_company()
