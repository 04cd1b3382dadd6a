"""The main entry points used as a downstream package would, with the types it would see.

Checked by ``mypy --strict src tests/typing`` in CI, never run: each ``assert_type`` states the
type a user's editor and type checker get back, so a change to the public type hints is caught
here as the pinned signatures catch a change to the parameters.
"""

from __future__ import annotations

from typing import assert_type

import numpy as np

from custcentric.datasets import SampleCompany, load_cdnow, load_cdnow_summary, load_sample_company
from custcentric.domain import SLA, Compensation, Customer
from custcentric.idic import ContactPolicy, FrequencyCap, LifeEvent, Trigger, trigger_from_dict
from custcentric.segmentation import Segmentation, ValueTiers, value_tiers
from custcentric.tables import CsvErrors, CustomerSummary, PerCustomer, TransactionLog
from custcentric.typing import FloatArray
from custcentric.value import (
    BetaGeo,
    FitResult,
    GammaGamma,
    ParetoNBD,
    PurchaseModel,
    RFMScores,
    customer_lifetime_value,
    rfm_scores,
)


def value_path() -> None:
    log = load_cdnow()
    assert_type(log, TransactionLog)
    summary = log.summary("1997-09-30", time_unit="W")
    assert_type(summary, CustomerSummary)
    assert_type(load_cdnow_summary(), CustomerSummary)

    fit = BetaGeo.fit(summary)
    assert_type(fit, FitResult[BetaGeo])
    model = fit.model
    assert_type(model, BetaGeo)
    assert_type(fit.log_likelihood, float)

    # A table in gives ids with the numbers; arrays in give an array.
    assert_type(model.probability_alive(summary), PerCustomer)
    assert_type(model.probability_alive(summary.frequency, summary.recency, summary.T), FloatArray)
    assert_type(model.conditional_expected_purchases(summary, t=52.0), PerCustomer)

    spend = GammaGamma.fit(summary).model
    assert_type(spend, GammaGamma)
    purchases: PurchaseModel = model  # the library's models satisfy the protocol
    clv = customer_lifetime_value(
        purchases, spend, summary, horizon=12, time_unit="M", discount_rate=0.01
    )
    assert_type(clv, PerCustomer)
    assert_type(clv.total, float)
    assert_type(np.asarray(clv), FloatArray)

    tiers = value_tiers(clv)
    assert_type(tiers, ValueTiers)
    assert_type(tiers.segmentation, Segmentation)
    assert_type(rfm_scores(summary), RFMScores)
    assert_type(ParetoNBD.fit(summary).model, ParetoNBD)


def tables_from_files(path: str) -> None:
    assert_type(TransactionLog.read_csv(path), TransactionLog)
    good, bad = TransactionLog.read_csv(path, errors="report")
    assert_type(good, TransactionLog)
    assert_type(bad, CsvErrors)
    assert_type(CustomerSummary.read_csv(path), CustomerSummary)


def configuration_round_trips() -> None:
    sla = SLA(
        id="repair-48h",
        name="90 % of faults repaired within 48 hours",
        process_id="fault_repair",
        metric="cycle_time",
        target=48,
        time_unit="h",
        target_share=0.9,
        compensation=Compensation(per_unit_late=8.0, time_unit="D"),
    )
    assert_type(SLA.from_dict(sla.to_dict()), SLA)
    assert_type(Customer.from_dict({"id": "c1"}), Customer)
    policy = ContactPolicy(caps=[FrequencyCap(max_contacts=1, days=7)])
    assert_type(ContactPolicy.from_dict(policy.to_dict()), ContactPolicy)
    assert_type(trigger_from_dict(LifeEvent("new_baby").to_dict()), Trigger)


def bundled_company() -> None:
    company = load_sample_company()
    assert_type(company, SampleCompany)
    assert_type(company.transactions, TransactionLog)
    assert_type(company.currency, str)
