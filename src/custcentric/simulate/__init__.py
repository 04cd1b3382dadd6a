"""Scenarios: a seeded, vectorised what-if model of the whole customer base.

Each analytic part of the library measures data; this part asks "what if". A
:class:`Scenario` composes them into one model of a company: customers who buy, spend and
leave (the ``value`` models), the processes that serve them measured against SLAs per
service tier (``segmentation`` tiers, the ``sla`` part's SLAs and compensation), the contact
centre that answers them (Erlang C), the policies a company can change (tiers, SLA targets,
staffing, a retention campaign, an ``idic`` contact policy) and explicit behavioural links
from service to behaviour. :func:`simulate` runs it; :func:`compare` compares two scenarios on
common random numbers; :func:`sensitivity` ranks the inputs (Sobol indices and a tornado).

Examples
--------
>>> from custcentric.simulate import example_scenario, simulate
>>> result = simulate(example_scenario(n_customers=500, horizon=8), n_replications=2, rng=1)
>>> result.purchases.shape
(2, 8)
"""

from custcentric.simulate._compare import Comparison, compare
from custcentric.simulate._engine import DEFAULT_MEMORY_LIMIT, simulate
from custcentric.simulate._example import example_scenario
from custcentric.simulate._result import KPI_NAMES, KeptTables, SimulationResult
from custcentric.simulate._scenario import (
    SCHEMA_VERSION,
    BehaviouralLinks,
    ContactCentre,
    CycleTime,
    Population,
    RetentionCampaign,
    Scenario,
    ServiceProcess,
    ServiceTiers,
)
from custcentric.simulate._sensitivity import Sensitivity, sensitivity

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "KPI_NAMES",
    "SCHEMA_VERSION",
    "BehaviouralLinks",
    "Comparison",
    "ContactCentre",
    "CycleTime",
    "KeptTables",
    "Population",
    "RetentionCampaign",
    "Scenario",
    "Sensitivity",
    "ServiceProcess",
    "ServiceTiers",
    "SimulationResult",
    "compare",
    "example_scenario",
    "sensitivity",
    "simulate",
]
