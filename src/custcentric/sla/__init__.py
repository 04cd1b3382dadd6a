"""SLAs for customer processes: compliance, compensation, tiers and contact-centre staffing.

Source article S5 ends the re-engineering of customer processes with customer
SLAs that pay compensation when a target is missed (step 8) and revises them per value
segment (step 9); source S1 sets front-line service levels per customer tier. This part
measures those promises on an :class:`~custcentric.tables.EventLog`
(:func:`evaluate_slas`, on calendar or :class:`BusinessCalendar` clocks, with
:class:`TieredSLA` targets per tier), and sizes the contact centre that must keep them
(Erlang B, C and A, :func:`required_agents`).

Examples
--------
>>> from custcentric.sla import erlang_c, required_agents
>>> round(float(erlang_c(10.0, 11)), 4)
0.6821
>>> int(required_agents(200, 180, interval="h", answer_time=20, target_service_level=0.8))
14
"""

from custcentric.sla._calendar import BusinessCalendar
from custcentric.sla._compliance import evaluate_slas
from custcentric.sla._erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
)
from custcentric.sla._erlang_a import ErlangAResult, erlang_a, priority_waits
from custcentric.sla._report import ALL_TIERS, BreachedCases, SLAReport, SLAResult
from custcentric.sla._tiered import TieredSLA, TierTarget

__all__ = [
    "ALL_TIERS",
    "BreachedCases",
    "BusinessCalendar",
    "ErlangAResult",
    "SLAReport",
    "SLAResult",
    "TierTarget",
    "TieredSLA",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "evaluate_slas",
    "occupancy",
    "priority_waits",
    "required_agents",
    "service_level",
]
