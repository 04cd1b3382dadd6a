"""The report of the bundled company, built once for the report tests."""

from __future__ import annotations

from typing import Any

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def company() -> Any:
    from custcentric.datasets import load_sample_company

    return load_sample_company()


@pytest.fixture(scope="session")
def page(company: Any) -> str:
    from custcentric.report import build

    return build(company)


@pytest.fixture(scope="session")
def data(company: Any) -> dict[str, Any]:
    import json

    from custcentric.report import build

    loaded: dict[str, Any] = json.loads(build(company, format="json"))
    return loaded
