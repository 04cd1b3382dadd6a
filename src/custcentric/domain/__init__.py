"""Domain values: customers, segments, processes, SLAs, maturity stages.

Each value is a frozen, slotted attrs class, checked on construction; strings are converted
to enums at the edge (``MaturityStage("customer_value")``), changes are made with
:func:`attrs.evolve`, and ``to_dict()`` / ``from_dict()`` turn a value into plain JSON-ready
data with a ``schema_version`` and back, exactly.

Examples
--------
>>> import attrs
>>> from custcentric.domain import Segment
>>> gold = Segment(name="gold", tier_rank=1, service_tier="gold")
>>> attrs.evolve(gold, rule="top 20 % by CLV").rule
'top 20 % by CLV'
>>> Segment.from_dict(gold.to_dict()) == gold
True
"""

from custcentric.domain._base import SCHEMA_VERSION
from custcentric.domain._capability import Capability
from custcentric.domain._customer import Customer, Interaction, Transaction
from custcentric.domain._enums import (
    CapabilityArea,
    Channel,
    Clock,
    Direction,
    InteractionKind,
    LifecycleStage,
    MaturityStage,
    Outcome,
    ProcessKind,
    SLAMetric,
)
from custcentric.domain._process import CustomerProcess, ProcessStep
from custcentric.domain._segment import Segment
from custcentric.domain._sla import SLA, Compensation, CompensationBand

__all__ = [
    "SCHEMA_VERSION",
    "SLA",
    "Capability",
    "CapabilityArea",
    "Channel",
    "Clock",
    "Compensation",
    "CompensationBand",
    "Customer",
    "CustomerProcess",
    "Direction",
    "Interaction",
    "InteractionKind",
    "LifecycleStage",
    "MaturityStage",
    "Outcome",
    "ProcessKind",
    "ProcessStep",
    "SLAMetric",
    "Segment",
    "Transaction",
]
