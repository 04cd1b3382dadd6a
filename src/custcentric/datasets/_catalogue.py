"""The sample company's fixed catalogue: its customer processes, SLAs and capabilities.

Everything here is plain data (JSON-ready dicts and tuples) so that the generator needs only
NumPy; the loader turns the dicts into :class:`~custcentric.domain.CustomerProcess` and
:class:`~custcentric.domain.SLA` values. The company is *Brightline*, a made-up seller of
broadband plans, devices and accessories with shops, a web shop, an app and a contact centre.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

__all__ = [
    "CAPABILITIES",
    "COMPANY_NAME",
    "DEPARTMENTS",
    "PROCESSES",
    "RATING_DEPARTMENTS",
    "SLAS",
    "ProcessPlan",
    "StepPlan",
]

COMPANY_NAME: Final = "Brightline"

DEPARTMENTS: Final[tuple[str, ...]] = (
    "sales",
    "marketing",
    "customer_service",
    "operations",
    "logistics",
    "field_service",
    "finance",
    "it",
)
"""Departments that own process steps."""

RATING_DEPARTMENTS: Final[tuple[str, ...]] = (
    "sales",
    "marketing",
    "customer_service",
    "operations",
    "finance",
    "it",
)
"""Departments that rated the company's maturity."""


@attrs.frozen
class StepPlan:
    """One step: id, name, department, customer facing, and the median/spread of the wait before it.

    ``median_hours`` and ``sigma`` parametrise the lognormal time from the previous event to
    this one (the first step opens the case, so its wait is ignored).
    """

    id: str
    name: str
    department: str
    customer_facing: bool
    median_hours: float
    sigma: float


@attrs.frozen
class ProcessPlan:
    """A customer process with the generator's settings.

    ``n_cases`` cases start over the two years; with probability ``rework`` a case repeats
    steps ``loop`` (first and last index, inclusive) once; with probability ``stall`` a case
    waits about two months before one step, and half of those cases are never finished, so
    they are still open at the end.
    ``gold_speedup`` shortens the waits of gold-tier cases (the company honours tiers).
    """

    id: str
    name: str
    kind: str
    lifecycle_stage: str
    owner: str
    departments: tuple[str, ...]
    partners: tuple[str, ...]
    suppliers: tuple[str, ...]
    steps: tuple[StepPlan, ...]
    n_cases: int
    rework: float
    loop: tuple[int, int]
    stall: float
    gold_speedup: float
    trigger: str

    def to_json(self) -> dict[str, Any]:
        """Return the process as written to ``processes.json``."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "lifecycle_stage": self.lifecycle_stage,
            "owner": self.owner,
            "departments": list(self.departments),
            "partners": list(self.partners),
            "suppliers": list(self.suppliers),
            "steps": [
                {
                    "id": s.id,
                    "name": s.name,
                    "department": s.department,
                    "customer_facing": s.customer_facing,
                }
                for s in self.steps
            ],
        }


S = StepPlan

PROCESSES: Final[tuple[ProcessPlan, ...]] = (
    ProcessPlan(
        id="order-to-delivery",
        name="Order to delivery",
        kind="horizontal",
        lifecycle_stage="convert",
        owner="Director of Customer Fulfilment",
        departments=("sales", "finance", "operations", "logistics"),
        partners=("ParcelNow couriers",),
        suppliers=("Northgate warehouse",),
        steps=(
            S("order_received", "Order received", "sales", True, 0.0, 0.0),
            S("payment_confirmed", "Payment confirmed", "finance", False, 0.3, 1.0),
            S("picked", "Picked and packed", "operations", False, 4.0, 0.7),
            S("shipped", "Handed to courier", "logistics", True, 4.0, 0.6),
            S("delivered", "Delivered", "logistics", True, 14.0, 0.5),
        ),
        n_cases=1400,
        rework=0.04,
        loop=(2, 3),
        stall=0.01,
        gold_speedup=0.85,
        trigger="purchase",
    ),
    ProcessPlan(
        id="complaint-to-resolution",
        name="Complaint to resolution",
        kind="horizontal",
        lifecycle_stage="retain",
        owner="Head of Customer Experience",
        departments=("customer_service", "operations", "finance"),
        partners=(),
        suppliers=(),
        steps=(
            S("complaint_logged", "Complaint logged", "customer_service", True, 0.0, 0.0),
            S(
                "first_response",
                "First response to the customer",
                "customer_service",
                True,
                3.0,
                0.9,
            ),
            S("investigated", "Investigated", "operations", False, 14.0, 0.9),
            S("resolution_proposed", "Resolution proposed", "customer_service", True, 5.0, 0.8),
            S("resolved", "Resolved and confirmed", "customer_service", True, 10.0, 0.9),
        ),
        n_cases=700,
        rework=0.18,
        loop=(2, 3),
        stall=0.03,
        gold_speedup=0.55,
        trigger="service",
    ),
    ProcessPlan(
        id="fault-repair",
        name="Fault repair",
        kind="vertical",
        lifecycle_stage="retain",
        owner="Director of Network Service",
        departments=("customer_service", "operations", "field_service"),
        partners=("FixRight field contractors",),
        suppliers=("Meridian parts",),
        steps=(
            S("fault_reported", "Fault reported", "customer_service", True, 0.0, 0.0),
            S("diagnosed", "Remote diagnosis", "operations", True, 0.5, 0.8),
            S("technician_dispatched", "Technician dispatched", "field_service", False, 2.0, 0.8),
            S("repaired", "Repaired on site", "field_service", True, 4.0, 0.7),
            S(
                "confirmed",
                "Repair confirmed with the customer",
                "customer_service",
                True,
                1.0,
                0.8,
            ),
        ),
        n_cases=800,
        rework=0.12,
        loop=(2, 3),
        stall=0.02,
        gold_speedup=0.5,
        trigger="service",
    ),
    ProcessPlan(
        id="onboarding",
        name="Onboarding a new customer",
        kind="horizontal",
        lifecycle_stage="convert",
        owner="Head of Customer Experience",
        departments=("sales", "finance", "it", "customer_service"),
        partners=("CreditCheck bureau",),
        suppliers=(),
        steps=(
            S("application_received", "Application received", "sales", True, 0.0, 0.0),
            S("identity_verified", "Identity and credit verified", "finance", False, 8.0, 0.9),
            S("account_created", "Account created", "it", False, 5.0, 0.7),
            S("welcome_call", "Welcome call", "customer_service", True, 30.0, 0.8),
        ),
        n_cases=900,
        rework=0.06,
        loop=(1, 1),
        stall=0.015,
        gold_speedup=0.9,
        trigger="signup",
    ),
    ProcessPlan(
        id="returns-refund",
        name="Return and refund",
        kind="horizontal",
        lifecycle_stage="retain",
        owner="Director of Customer Fulfilment",
        departments=("customer_service", "logistics", "operations", "finance"),
        partners=("ParcelNow couriers",),
        suppliers=("Northgate warehouse",),
        steps=(
            S("return_requested", "Return requested", "customer_service", True, 0.0, 0.0),
            S("label_sent", "Return label sent", "customer_service", True, 2.0, 0.8),
            S("item_received", "Item received", "logistics", False, 70.0, 0.6),
            S("inspected", "Item inspected", "operations", False, 16.0, 0.8),
            S("refund_issued", "Refund issued", "finance", True, 20.0, 0.9),
        ),
        n_cases=350,
        rework=0.05,
        loop=(3, 3),
        stall=0.02,
        gold_speedup=0.85,
        trigger="purchase",
    ),
    ProcessPlan(
        id="billing-inquiry",
        name="Billing inquiry",
        kind="horizontal",
        lifecycle_stage="retain",
        owner="Head of Customer Experience",
        departments=("customer_service", "finance"),
        partners=(),
        suppliers=(),
        steps=(
            S("inquiry_received", "Inquiry received", "customer_service", True, 0.0, 0.0),
            S(
                "first_response",
                "First response to the customer",
                "customer_service",
                True,
                4.0,
                0.9,
            ),
            S("account_reviewed", "Account reviewed", "finance", False, 12.0, 0.9),
            S("answer_sent", "Answer sent", "customer_service", True, 6.0, 0.8),
        ),
        n_cases=600,
        rework=0.1,
        loop=(2, 3),
        stall=0.015,
        gold_speedup=0.6,
        trigger="service",
    ),
    ProcessPlan(
        id="contract-renewal",
        name="Contract renewal",
        kind="horizontal",
        lifecycle_stage="develop",
        owner="Director of Customer Value",
        departments=("marketing", "sales", "finance"),
        partners=(),
        suppliers=(),
        steps=(
            S("renewal_notice", "Renewal notice sent", "marketing", True, 0.0, 0.0),
            S("offer_presented", "Personal offer presented", "sales", True, 60.0, 0.7),
            S("customer_decision", "Customer decided", "sales", True, 90.0, 0.8),
            S("contract_signed", "Contract signed", "sales", True, 20.0, 0.7),
            S("renewal_confirmed", "Renewal confirmed", "finance", True, 8.0, 0.6),
        ),
        n_cases=500,
        rework=0.08,
        loop=(1, 2),
        stall=0.03,
        gold_speedup=0.8,
        trigger="service",
    ),
    ProcessPlan(
        id="cancellation-win-back",
        name="Cancellation and win-back",
        kind="horizontal",
        lifecycle_stage="lapsed",
        owner="Director of Customer Value",
        departments=("customer_service", "sales", "finance"),
        partners=(),
        suppliers=(),
        steps=(
            S(
                "cancellation_requested",
                "Cancellation requested",
                "customer_service",
                True,
                0.0,
                0.0,
            ),
            S("retention_offer", "Retention offer made", "sales", True, 20.0, 0.8),
            S("final_bill", "Final bill or new terms issued", "finance", True, 40.0, 0.7),
            S("case_closed", "Case closed", "customer_service", True, 12.0, 0.6),
        ),
        n_cases=260,
        rework=0.05,
        loop=(1, 1),
        stall=0.02,
        gold_speedup=0.8,
        trigger="lapse",
    ),
    ProcessPlan(
        id="address-change",
        name="Change of address",
        kind="horizontal",
        lifecycle_stage="retain",
        owner="Head of Customer Experience",
        departments=("customer_service", "it", "finance"),
        partners=(),
        suppliers=(),
        steps=(
            S("request_received", "Request received", "customer_service", True, 0.0, 0.0),
            S("address_verified", "Address verified", "customer_service", False, 6.0, 0.8),
            S("systems_updated", "All systems updated", "it", False, 20.0, 1.0),
            S("confirmation_sent", "Confirmation sent", "customer_service", True, 3.0, 0.7),
        ),
        n_cases=300,
        rework=0.1,
        loop=(2, 2),
        stall=0.015,
        gold_speedup=0.9,
        trigger="service",
    ),
    ProcessPlan(
        id="installation",
        name="Broadband installation",
        kind="vertical",
        lifecycle_stage="convert",
        owner="Field Service Manager",
        departments=("field_service",),
        partners=("FixRight field contractors",),
        suppliers=("Meridian parts",),
        steps=(
            S("appointment_booked", "Appointment booked", "field_service", True, 0.0, 0.0),
            S("technician_visit", "Technician visit", "field_service", True, 80.0, 0.6),
            S("installed", "Line installed", "field_service", True, 3.0, 0.5),
            S("tested", "Service tested", "field_service", True, 1.0, 0.5),
        ),
        n_cases=400,
        rework=0.07,
        loop=(1, 2),
        stall=0.015,
        gold_speedup=0.8,
        trigger="signup",
    ),
)
"""The ten customer processes (eight horizontal, two vertical) and their generator settings."""

SLAS: Final[tuple[dict[str, Any], ...]] = (
    {
        "id": "repair-48h",
        "name": "90 % of faults repaired within 48 hours",
        "process_id": "fault-repair",
        "metric": "cycle_time",
        "target": 48.0,
        "unit": "h",
        "target_share": 0.9,
        "clock": "calendar",
        "tiers": [],
        "step_id": None,
        "compensation": {
            "fixed_per_breach": 10.0,
            "per_unit_late": 5.0,
            "unit": "D",
            "grace": 0.0,
            "bands": [],
            "cap": 50.0,
        },
    },
    {
        "id": "complaint-first-response-gold",
        "name": "Gold customers hear back within 4 business hours",
        "process_id": "complaint-to-resolution",
        "metric": "first_response",
        "target": 4.0,
        "unit": "h",
        "target_share": 0.95,
        "clock": "business",
        "tiers": ["gold"],
        "step_id": None,
        "compensation": {
            "fixed_per_breach": 15.0,
            "per_unit_late": 0.0,
            "unit": "D",
            "grace": 0.0,
            "bands": [],
            "cap": None,
        },
    },
    {
        "id": "complaint-first-response",
        "name": "Silver and bronze customers hear back within 1 business day",
        "process_id": "complaint-to-resolution",
        "metric": "first_response",
        "target": 8.0,
        "unit": "h",
        "target_share": 0.9,
        "clock": "business",
        "tiers": ["silver", "bronze"],
        "step_id": None,
        "compensation": None,
    },
    {
        "id": "complaint-resolution-5d",
        "name": "85 % of complaints resolved within 5 days",
        "process_id": "complaint-to-resolution",
        "metric": "cycle_time",
        "target": 5.0,
        "unit": "D",
        "target_share": 0.85,
        "clock": "calendar",
        "tiers": [],
        "step_id": None,
        "compensation": None,
    },
    {
        "id": "delivery-3d",
        "name": "95 % of orders delivered within 3 days",
        "process_id": "order-to-delivery",
        "metric": "cycle_time",
        "target": 72.0,
        "unit": "h",
        "target_share": 0.95,
        "clock": "calendar",
        "tiers": [],
        "step_id": None,
        "compensation": {
            "fixed_per_breach": 0.0,
            "per_unit_late": 0.0,
            "unit": "D",
            "grace": 0.0,
            "bands": [
                {
                    "lower": 0.0,
                    "upper": 0.9,
                    "rate": 0.1,
                    "lower_inclusive": True,
                    "upper_inclusive": False,
                },
                {
                    "lower": 0.9,
                    "upper": 0.95,
                    "rate": 0.05,
                    "lower_inclusive": True,
                    "upper_inclusive": False,
                },
            ],
            "cap": None,
        },
    },
    {
        "id": "refund-48h",
        "name": "Refund issued within 48 hours of inspection",
        "process_id": "returns-refund",
        "metric": "step_duration",
        "target": 48.0,
        "unit": "h",
        "target_share": 0.9,
        "clock": "calendar",
        "tiers": [],
        "step_id": "refund_issued",
        "compensation": {
            "fixed_per_breach": 5.0,
            "per_unit_late": 0.0,
            "unit": "D",
            "grace": 0.0,
            "bands": [],
            "cap": None,
        },
    },
    {
        "id": "billing-first-response",
        "name": "Billing questions answered within 1 business day",
        "process_id": "billing-inquiry",
        "metric": "first_response",
        "target": 8.0,
        "unit": "h",
        "target_share": 0.9,
        "clock": "business",
        "tiers": [],
        "step_id": None,
        "compensation": None,
    },
    {
        "id": "installation-10d",
        "name": "Installed within 10 days of booking",
        "process_id": "installation",
        "metric": "cycle_time",
        "target": 10.0,
        "unit": "D",
        "target_share": 0.9,
        "clock": "calendar",
        "tiers": [],
        "step_id": None,
        "compensation": {
            "fixed_per_breach": 20.0,
            "per_unit_late": 2.0,
            "unit": "D",
            "grace": 1.0,
            "bands": [],
            "cap": 40.0,
        },
    },
)
"""The company's customer SLAs, as written to ``slas.json``."""

CAPABILITIES: Final[tuple[tuple[str, str, str], ...]] = (
    ("strategy-01", "strategy_leadership", "Customer strategy agreed by the board"),
    ("strategy-02", "strategy_leadership", "Executive sponsor accountable for customers"),
    ("insight-01", "customer_insight", "Single customer view across channels"),
    ("insight-02", "customer_insight", "Value-based segmentation"),
    ("insight-03", "customer_insight", "Needs-based segmentation"),
    ("proposition-01", "proposition_offers", "Offers tailored to segments"),
    ("proposition-02", "proposition_offers", "Customers co-create products"),
    ("process-01", "customer_processes", "Customer processes mapped end to end"),
    ("process-02", "customer_processes", "Owners for key customer processes"),
    ("process-03", "customer_processes", "Cycle time measured per process"),
    ("interaction-01", "interaction_channels", "Consistent experience across channels"),
    ("interaction-02", "interaction_channels", "Event-triggered contacts"),
    ("interaction-03", "interaction_channels", "Contact policy and consent"),
    ("lifecycle-01", "lifecycle", "Onboarding journey for new customers"),
    ("lifecycle-02", "lifecycle", "Retention and win-back programme"),
    ("recovery-01", "service_recovery", "Complaint handling with root-cause fixes"),
    ("recovery-02", "service_recovery", "Compensation when promises are missed"),
    ("people-01", "people_culture", "Customer-oriented training"),
    ("people-02", "people_culture", "Front line empowered to solve problems"),
    ("people-03", "people_culture", "Internal champions for customers"),
    ("technology-01", "technology_data", "Integrated customer data platform"),
    ("technology-02", "technology_data", "Data quality and identity resolution"),
    ("measurement-01", "measurement", "Satisfaction and NPS tracked per segment"),
    ("measurement-02", "measurement", "Balanced scorecard beyond efficiency"),
    ("measurement-03", "measurement", "Retention and customer value measured"),
    ("partners-01", "partners_suppliers", "Partners bound to customer SLAs"),
    ("partners-02", "partners_suppliers", "Supplier impact on customers assessed"),
    ("governance-01", "programme_governance", "CRM core team of 8-12 people"),
    ("governance-02", "programme_governance", "Success defined before investing"),
    ("governance-03", "programme_governance", "Programme communicated inside and out"),
)
"""The 30 capabilities the departments rated: (id, area, name)."""
