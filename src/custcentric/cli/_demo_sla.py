"""The demo's SLA section: compliance per SLA and tier, compensation, contact-centre staffing."""

from __future__ import annotations

import numpy as np

from custcentric.cli._text import (
    computed_with,
    heading,
    money,
    number,
    paragraph,
    percent,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.sla import BusinessCalendar, evaluate_slas, required_agents

__all__ = ["sla_section"]

_TIER_ORDER = ("gold", "silver", "bronze")
_HANDLE_MINUTES = 6.0
_ANSWER_SECONDS = 20.0
_TARGET = 0.8
_SHRINKAGE = 0.3


def _compliance(company: SampleCompany, width: int) -> list[str]:
    tiers = (company.customers.customer_id, company.customers.attributes["service_tier"])
    report = evaluate_slas(
        company.events,
        company.slas,
        segments=tiers,
        calendar=BusinessCalendar(opens="08:00", closes="18:00"),
        processes=company.processes,
        tier_order=_TIER_ORDER,
    )
    rows = []
    for sla in company.slas:
        cells: list[object] = [sla.name]
        for tier in (*_TIER_ORDER, "all"):
            try:
                row = report.row(sla.id, tier)
            except ValueError:
                cells.append("-")
                continue
            if (
                row.sla_id != sla.id
                or row.compliance is None
                or (tier == "all" and len(sla.tiers) == 1)
            ):
                cells.append("-")
            else:
                cells.append(percent(row.compliance, 0))
        cells.append(percent(sla.target_share, 0))
        cells.append(number(report.row(sla.id).compensation, 0))
        rows.append(cells)
    breached = report.breached
    cur = company.currency
    lines = [
        heading("SLA compliance by customer tier", width),
        computed_with(["custcentric.sla.evaluate_slas", "custcentric.sla.BusinessCalendar"], width),
        paragraph(
            "Share of cases within target, by the customer's service tier; open cases already "
            "past their target count as misses. Business hours are Mon-Fri 08:00-18:00.",
            width,
        ),
        text_table(["SLA", *_TIER_ORDER, "all", "promised", f"owed ({cur})"], rows, width=width),
        paragraph(
            f"{number(len(breached))} breached cases ({number(int(breached.open.sum()))} still "
            f"open); compensation owed {money(report.total_compensation, cur)}.",
            width,
        ),
    ]
    return lines


def _staffing(company: SampleCompany, width: int) -> list[str]:
    log = company.interactions
    phone = (log.channel == "phone") & (log.direction == "inbound")
    times = log.timestamp[phone]
    days = times.astype("datetime64[D]")
    hours = ((times - days) // np.timedelta64(1, "h")).astype(np.int64)
    open_day = np.is_busday(days)
    in_hours = open_day & (hours >= 8) & (hours < 18)
    n_open_hours = 10 * int(np.busday_count(days.min(), days.max() + np.timedelta64(1, "D")))
    mean_rate = in_hours.sum() / max(n_open_hours, 1)
    weekday = ((days.astype(np.int64) + 3) % 7)[in_hours]
    slot = weekday * 24 + hours[in_hours]
    n_weeks = max(n_open_hours / 50.0, 1.0)
    peak_rate = np.bincount(slot, minlength=7 * 24).max() / n_weeks
    rates = np.array([mean_rate, peak_rate, 10 * peak_rate, 100 * peak_rate])
    handle = _HANDLE_MINUTES / 60.0
    agents = required_agents(
        rates,
        _HANDLE_MINUTES * 60.0,
        interval="h",
        answer_time=_ANSWER_SECONDS,
        target_service_level=_TARGET,
        max_occupancy=0.85,
    )
    rostered = required_agents(
        rates,
        _HANDLE_MINUTES * 60.0,
        interval="h",
        answer_time=_ANSWER_SECONDS,
        target_service_level=_TARGET,
        max_occupancy=0.85,
        shrinkage=_SHRINKAGE,
    )
    labels = ["average open hour", "busiest hour of the week", "busiest x 10", "busiest x 100"]
    rows = [
        [label, number(float(rate), 1), number(float(rate) * handle, 2), number(int(a)),
         number(int(r))]
        for label, rate, a, r in zip(labels, rates, agents, rostered, strict=True)
    ]  # fmt: skip
    return [
        heading("Contact-centre agents for 80 % of calls answered in 20 s (Erlang C)", width),
        computed_with(["custcentric.sla.required_agents"], width),
        paragraph(
            "Inbound phone calls in opening hours (Mon-Fri 08:00-18:00). "
            f"Assumed: {_HANDLE_MINUTES:g} minutes handle time, at most 85 % occupancy, "
            f"{percent(_SHRINKAGE, 0)} shrinkage (time rostered but off the phones). Traffic "
            "in Erlangs is calls an hour times hours a call.",
            width,
        ),
        text_table(
            ["scenario", "calls an hour", "Erlangs", "agents on phones", "agents rostered"],
            rows,
            width=width,
        ),
    ]


def sla_section(company: SampleCompany, width: int) -> str:
    """Return the demo's SLA section for the bundled company.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = sla_section(load_sample_company(), 88)
    >>> "SLA compliance by customer tier" in text and "rostered" in text
    True
    """
    return "\n".join([*_compliance(company, width), "", *_staffing(company, width)])
