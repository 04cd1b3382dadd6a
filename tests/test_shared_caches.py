"""What the library caches is shared by every caller, so nobody can change it for the next one."""

from __future__ import annotations

import pytest

from custcentric.datasets import load_cdnow, load_cdnow_summary
from custcentric.exceptions import InvalidInputError


@pytest.mark.parametrize("which", [["sample"], {"sample": 1}, None, 3])
def test_load_cdnow_checks_its_argument_before_the_cache_hashes_it(which: object) -> None:
    with pytest.raises(InvalidInputError, match="`which` must be one of 'sample', 'master'"):
        load_cdnow(which)  # type: ignore[arg-type]


def test_cached_cdnow_tables_are_shared_read_only() -> None:
    log = load_cdnow()
    assert load_cdnow("sample") is log
    with pytest.raises(ValueError, match="read-only"):
        log.amount[0] = -1.0
    summary = load_cdnow_summary()
    with pytest.raises(ValueError, match="read-only"):
        summary.frequency[0] = 99
    assert load_cdnow_summary().frequency[0] == summary.frequency[0]


def test_the_cached_sample_company_cannot_be_changed_by_a_caller() -> None:
    from custcentric.datasets import load_sample_company

    company = load_sample_company()
    with pytest.raises(TypeError):
        company.customers.attributes["x"] = company.customers.customer_id  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        company.customers.attributes["region"][0] = "nowhere"
    with pytest.raises(ValueError, match="read-only"):
        company.transactions.amount[0] = -1.0
    again = load_sample_company()
    assert again is company
    assert "x" not in again.customers.attributes


def test_the_cached_default_catalogue_cannot_be_changed_by_a_caller() -> None:
    from custcentric.maturity import default_catalogue

    catalogue = default_catalogue()
    first = catalogue.capabilities[0].id
    with pytest.raises(TypeError):
        catalogue._index[first] = 5  # type: ignore[index]
    with pytest.raises(AttributeError):
        catalogue.capabilities = ()  # type: ignore[misc]
    assert default_catalogue() is catalogue
    assert catalogue.index(first) == 0
