"""Shared results of the bundled company for the plot tests, drawn with the Agg backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@dataclass(frozen=True)
class Results:
    company: Any
    summary: Any
    model: Any
    holdout: Any
    clv: Any
    concentration: Any
    tiers: Any
    rfm: Any
    scores: Any
    migration: Any
    km: dict[str, Any]
    censored: dict[str, np.ndarray]
    retention: Any
    nps: Any
    cycle: Any
    targets: dict[str, float]
    sla: Any
    assessment: Any
    roadmap: Any


@pytest.fixture(scope="session")
def results() -> Results:
    from custcentric.datasets import load_sample_company
    from custcentric.maturity import assess, default_catalogue, roadmap
    from custcentric.metrics import kaplan_meier, nps_by_group, retention_curve
    from custcentric.process import cycle_times
    from custcentric.segmentation import MigrationModel, concentration, rfm_segments, value_tiers
    from custcentric.sla import BusinessCalendar, evaluate_slas
    from custcentric.value import (
        BetaGeo,
        GammaGamma,
        customer_lifetime_value,
        holdout_check,
        rfm_scores,
    )

    company = load_sample_company()
    log = company.transactions
    end = log.timestamp.max().astype("datetime64[D]") + np.timedelta64(1, "D")
    summary = log.summary(end, time_unit="W")
    model = BetaGeo.fit(summary).model
    spend = GammaGamma.fit(summary).model
    clv = customer_lifetime_value(
        model, spend, summary, horizon=12, time_unit="M", discount_rate=0.01
    )
    split = log.calibration_holdout("2025-06-30", "2025-12-31", time_unit="W")
    holdout = holdout_check(BetaGeo.fit(split.calibration).model, split)

    ids, which = np.unique(log.customer_id, return_inverse=True)
    revenue = np.bincount(which, weights=log.amount)
    first = np.full(ids.size, np.datetime64("2100-01-01", "s"))
    last = np.full(ids.size, np.datetime64("1900-01-01", "s"))
    np.minimum.at(first, which, log.timestamp)
    np.maximum.at(last, which, log.timestamp)
    count = np.bincount(which).astype(np.float64)
    days_since = (np.datetime64("2026-01-01", "s") - last) / np.timedelta64(1, "D")
    scores = rfm_scores(time_since_last=days_since, frequency=count, monetary=revenue)
    rfm = rfm_segments(scores)

    year = log.timestamp.astype("datetime64[Y]").astype(np.int64) + 1970
    states = []
    for y in (2024, 2025):
        spent = np.bincount(which[year == y], weights=log.amount[year == y], minlength=ids.size)
        label = np.full(ids.size, "no purchase", dtype=object)
        buyers = spent > 0
        t = value_tiers(spent[buyers])
        label[buyers] = t.labels
        states.append(label.astype(str))
    migration = MigrationModel.fit(states[0], states[1])

    lapsed = np.datetime64("2025-12-31T23:59", "s") - last > np.timedelta64(180, "D")
    tenure = (last - first) / np.timedelta64(1, "D")
    tier_of = dict(
        zip(
            company.customers.customer_id.tolist(),
            np.asarray(company.customers.attributes["service_tier"]).tolist(),
            strict=True,
        )
    )
    tier = np.array([tier_of.get(c, "none") for c in ids.tolist()])
    km = {t: kaplan_meier(tenure[tier == t], lapsed[tier == t]) for t in ("gold", "silver")}
    censored = {t: tenure[(tier == t) & ~lapsed][:50] for t in km}
    retention = retention_curve(
        first,
        np.where(lapsed, last, np.datetime64("NaT")),
        period="Q",
        observation_end=np.datetime64("2025-12-31T23:59", "s"),
    )
    surveys = company.surveys
    is_nps = surveys.instrument == "nps"
    nps = nps_by_group(surveys.score[is_nps], surveys.process[is_nps])

    cycle = cycle_times(company.events, processes=company.processes, time_unit="D")
    targets = {
        s.process_id: s.target / (24.0 if s.time_unit == "h" else 1.0)
        for s in company.slas
        if s.metric == "cycle_time"
    }
    sla = evaluate_slas(
        company.events,
        company.slas,
        segments=(company.customers.customer_id, company.customers.attributes["service_tier"]),
        calendar=BusinessCalendar(opens="08:00", closes="18:00"),
        processes=company.processes,
    )
    assessment = assess(default_catalogue(), company.maturity)
    plan = roadmap(assessment, "customer_centric")
    return Results(
        company=company,
        summary=summary,
        model=model,
        holdout=holdout,
        clv=clv,
        concentration=concentration(revenue),
        tiers=value_tiers(revenue),
        rfm=rfm,
        scores=scores,
        migration=migration,
        km=km,
        censored=censored,
        retention=retention,
        nps=nps,
        cycle=cycle,
        targets=targets,
        sla=sla,
        assessment=assessment,
        roadmap=plan,
    )


@pytest.fixture(scope="session")
def differentiation(results: Results) -> Any:
    from custcentric.idic import differentiate

    customers = results.company.customers
    channel = dict(
        zip(
            customers.customer_id.tolist(),
            np.asarray(customers.attributes["preferred_channel"]).tolist(),
            strict=True,
        )
    )
    ids = np.asarray(results.clv.customer_id).tolist()
    return differentiate(np.asarray(results.clv), [channel.get(c, "none") for c in ids])
