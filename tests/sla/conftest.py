"""Shared fixtures for the SLA tests."""

from __future__ import annotations

import pytest

from custcentric.datasets import load_sample_company
from custcentric.sla import BusinessCalendar


@pytest.fixture(scope="session")
def company():
    return load_sample_company()


@pytest.fixture(scope="session")
def tiers(company):
    return (company.customers.customer_id, company.customers.attributes["service_tier"])


@pytest.fixture(scope="session")
def office_hours():
    """Brightline's business clock: Mon-Fri 08:00-18:00 (datasets README)."""
    return BusinessCalendar(opens="08:00", closes="18:00")
