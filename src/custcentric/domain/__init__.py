"""Domain values: customers, segments, processes, SLAs, maturity stages."""

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

__all__ = [
    "CapabilityArea",
    "Channel",
    "Clock",
    "Direction",
    "InteractionKind",
    "LifecycleStage",
    "MaturityStage",
    "Outcome",
    "ProcessKind",
    "SLAMetric",
]
