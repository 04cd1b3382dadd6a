"""The values whose stored JSON must keep loading: written once per release by running this file.

``python -m tests.stored_values`` writes ``tests/data/stored/<version>/<Class>.json`` for the
current version; ``tests/test_stored_values.py`` loads every stored file of every release.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from custcentric import __version__
from custcentric.domain import (
    SLA,
    Capability,
    Compensation,
    CompensationBand,
    Customer,
    CustomerProcess,
    Interaction,
    ProcessStep,
    Segment,
    Transaction,
)
from custcentric.idic import Birthday, ContactPolicy, FrequencyCap, Inactivity, LifeEvent

STORE = Path(__file__).resolve().parent / "data" / "stored"


def values() -> dict[str, Any]:
    """Return one representative value per stored class, by class name."""
    return {
        "Customer": Customer(
            id="c-17",
            email="ana@example.com",
            channel_ids={"web": "u-81"},
            lifecycle_stage="develop",
            birth_date="1990-03-05",
        ),
        "Transaction": Transaction(customer_id="c-17", timestamp="2025-03-01T09:30", amount=24.5),
        "Interaction": Interaction(
            customer_id="c-17",
            timestamp="2025-03-02T14:00",
            channel="phone",
            direction="inbound",
            kind="complaint",
        ),
        "Segment": Segment(
            name="gold", tier_rank=1, rule="top 20 % by 12-month CLV", service_tier="gold"
        ),
        "ProcessStep": ProcessStep(id="shipped", name="Handed to courier", department="logistics"),
        "CustomerProcess": CustomerProcess(
            id="order_to_delivery",
            name="Order to delivery",
            kind="horizontal",
            lifecycle_stage="convert",
            owner="Head of Fulfilment",
            departments=("sales", "logistics"),
            steps=[
                ProcessStep(id="ordered", name="Order placed", department="sales"),
                ProcessStep(id="delivered", name="Delivered", department="logistics"),
            ],
        ),
        "CompensationBand": CompensationBand(lower=0.95, upper=0.99, rate=0.30),
        "Compensation": Compensation(per_unit_late=8.0, time_unit="D", grace=2.0, cap=100.0),
        "SLA": SLA(
            id="repair-48h",
            name="90 % of faults repaired within 48 hours",
            process_id="fault_repair",
            metric="cycle_time",
            target=48,
            time_unit="h",
            target_share=0.9,
            compensation=Compensation(per_unit_late=8.0, time_unit="D", grace=2.0, cap=100.0),
        ),
        "Capability": Capability(
            id="D8",
            area="customer_processes",
            name="Customer SLAs",
            descriptors=[
                "None",
                "Internal targets only",
                "Published targets with compensation",
                "Automatic compensation",
            ],
        ),
        "FrequencyCap": FrequencyCap(max_contacts=2, days=7, channel="email"),
        "ContactPolicy": ContactPolicy(
            caps=[FrequencyCap(max_contacts=1, days=7, channel="phone")],
            min_gap_days=2.5,
            quiet_hours=(21, 8),
        ),
        "Birthday": Birthday(lead_days=3),
        "LifeEvent": LifeEvent("new_baby", lag_days=14),
        "Inactivity": Inactivity(90),
    }


def release() -> str:
    """Return this release as ``major.minor`` (the stored files are per minor release)."""
    return ".".join(__version__.split(".")[:2])


def write(version: str | None = None) -> Path:
    """Write the stored JSON of this release; return its folder."""
    folder = STORE / (version or release())
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in values().items():
        text = json.dumps(value.to_dict(), indent=2, sort_keys=True, allow_nan=False)
        (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    print(write())
