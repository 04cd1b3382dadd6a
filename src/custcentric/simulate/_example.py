"""``example_scenario``: a documented starting scenario fitted to the bundled sample company."""

from __future__ import annotations

import functools

import attrs
import numpy as np

from custcentric._validation import check_number
from custcentric.domain import SLA
from custcentric.simulate._scenario import (
    BehaviouralLinks,
    ContactCentre,
    Population,
    Scenario,
    ServiceProcess,
)
from custcentric.value import BetaGeo, GammaGamma

__all__ = ["example_scenario"]

#: Weeks the bundled company's data cover (2024-01-01 .. 2025-12-31).
_WEEKS = 104.0


@functools.lru_cache(maxsize=1)
def _fitted() -> Scenario:
    # datasets sits above simulate: imported here only, when an example is asked for.
    from custcentric.datasets import load_sample_company

    company = load_sample_company()
    tx = company.transactions
    end = tx.timestamp.max() + np.timedelta64(1, "D")
    summary = tx.summary(end, time_unit="W")
    purchase = BetaGeo.fit(summary).model
    spend = GammaGamma.fit(summary).model
    # New customers per week: first purchases over the two years.
    acquisition = float(len(summary)) / _WEEKS
    attributes = company.customers.attributes
    tiered = attributes["service_tier"] != "none"
    segments = (company.customers.customer_id[tiered], attributes["service_tier"][tiered])
    tiers = ("gold", "silver", "bronze")
    by_id = {s.id: s for s in company.slas}
    cases = {
        p: int(np.unique(company.events.case_id[company.events.process == p]).size)
        for p in ("fault-repair", "installation", "order-to-delivery")
    }
    inbound = company.interactions.direction == "inbound"
    n_contacts = int(np.count_nonzero(inbound))
    n_purchases = int(summary.frequency.sum())
    fits = {
        "fault-repair": ("contact", cases["fault-repair"] / n_contacts, "repair-48h"),
        "installation": ("purchase", cases["installation"] / n_purchases, "installation-10d"),
        "order-to-delivery": (
            "purchase",
            min(1.0, cases["order-to-delivery"] / n_purchases),
            "delivery-3d",
        ),
    }
    processes = [
        ServiceProcess.from_event_log(
            company.events,
            process_id,
            trigger=trigger,
            share=round(share, 4),
            slas=[_per_case(by_id[sla_id])],
            segments=segments,
            processes=company.processes,
            tiers=tiers,
        )
        for process_id, (trigger, share, sla_id) in fits.items()
    ]
    contact_rate = n_contacts / len(company.customers) / _WEEKS
    return Scenario(
        name="bundled company",
        population=Population(
            purchase_model=purchase,
            spend_model=spend,
            n_customers=len(summary),
            acquisition_per_period=round(acquisition, 2),
        ),
        horizon=52,
        time_unit="W",
        discount_rate=0.0018,  # 10 % a year, per week
        processes=processes,
        contact_centre=ContactCentre(
            contact_rate=round(contact_rate, 4),
            handle_time=360.0,
            agents=2,
            interval="h",
            intervals_per_period=50.0,
            answer_time=20.0,
        ),
        links=BehaviouralLinks.illustrative(),
    )


def _per_case(sla: SLA) -> SLA:
    # Attainment bands credit a share of a fee the scenario does not model: kept out.
    comp = sla.compensation
    if comp is not None and comp.bands:
        return attrs.evolve(sla, compensation=None)
    return sla


def example_scenario(*, n_customers: int | None = None, horizon: int | None = None) -> Scenario:
    """Return a starting scenario for the bundled sample company (fitted once, then cached).

    What is fitted to the data (:func:`custcentric.datasets.load_sample_company`): BG/NBD and
    gamma-gamma on its transactions in weeks; new customers per week; each process's share
    of purchases (installation, order to delivery) or contacts (fault repair) and its cycle
    times per service tier (lognormal, open cases censored); the inbound contact rate; the
    company's SLAs on those processes (the delivery SLA without its attainment bands, which
    credit a share of a fee the scenario does not model).
    What is **assumed**: the behavioural links (:meth:`BehaviouralLinks.illustrative`), a
    handle time of 6 minutes, 2 agents over 50 open hours a week, a 20 s answer time, a
    discount rate of 10 % a year, a 52-week horizon.

    Parameters
    ----------
    n_customers : int, optional
        Customers at the start (default: the company's).
    horizon : int, optional
        Weeks (default 52).

    Examples
    --------
    >>> from custcentric.simulate import example_scenario
    >>> s = example_scenario(n_customers=1000, horizon=26)
    >>> s.population.n_customers, s.horizon, [p.process_id for p in s.processes]
    (1000, 26, ['fault-repair', 'installation', 'order-to-delivery'])
    """
    scenario = _fitted()
    if n_customers is not None:
        n = int(check_number(n_customers, "n_customers", low=1, integer=True))
        scenario = attrs.evolve(
            scenario, population=attrs.evolve(scenario.population, n_customers=n)
        )
    if horizon is not None:
        scenario = attrs.evolve(
            scenario, horizon=int(check_number(horizon, "horizon", low=1, integer=True))
        )
    return scenario
