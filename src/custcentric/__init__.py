"""custcentric: customer-centricity modelling.

Domain values (customers, segments, processes, SLAs, maturity stages), columnar tables of
transactions, process events and interactions, and the analytic parts built on them.

The domain values are re-exported here; the subpackages (:mod:`custcentric.domain`,
:mod:`custcentric.tables`, :mod:`custcentric.datasets`, :mod:`custcentric.cli`, …) are
imported on first use, so ``import custcentric`` stays cheap.

Examples
--------
>>> import custcentric
>>> custcentric.__version__
'0.1.0.dev0'
>>> custcentric.MaturityStage("customer_value") < custcentric.MaturityStage.CUSTOMER_CENTRIC
True
>>> custcentric.tables.TransactionLog.__name__
'TransactionLog'
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

from custcentric._version import __version__
from custcentric.domain import (
    SLA,
    Capability,
    CapabilityArea,
    Channel,
    Clock,
    Compensation,
    CompensationBand,
    Customer,
    CustomerProcess,
    Direction,
    Interaction,
    InteractionKind,
    LifecycleStage,
    MaturityStage,
    Outcome,
    ProcessKind,
    ProcessStep,
    Segment,
    SLAMetric,
    Transaction,
)

SUBPACKAGES = (
    "cli",
    "dask",
    "datasets",
    "domain",
    "exceptions",
    "idic",
    "maturity",
    "metrics",
    "plot",
    "process",
    "report",
    "segmentation",
    "simulate",
    "sla",
    "tables",
    "typing",
    "value",
)
"""The public subpackages and modules, imported lazily on attribute access."""

# The library logs to its own logger and never configures logging: the application decides.
logging.getLogger("custcentric").addHandler(logging.NullHandler())

__all__ = [
    "SLA",
    "SUBPACKAGES",
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
    "__version__",
]


def __getattr__(name: str) -> ModuleType:
    if name in SUBPACKAGES:
        module = importlib.import_module(f"custcentric.{name}")
        globals()[name] = module
        return module
    msg = f"module 'custcentric' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBPACKAGES})
