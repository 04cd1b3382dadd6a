"""The demo's satisfaction section: NPS and CSAT per service tier and per customer process."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from custcentric.cli._demo_facts import process_titles
from custcentric.cli._text import (
    computed_with,
    heading,
    number,
    paragraph,
    percent,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.metrics import GroupedMetric, csat_by_group, nps, nps_by_group

__all__ = ["metrics_section"]

_TIER_ORDER = ("gold", "silver", "bronze", "none")
_RELATIONSHIP = "relationship survey"


def metrics_section(company: SampleCompany, width: int) -> str:
    """Return NPS and CSAT with intervals per service tier and per process, as text.

    Parameters
    ----------
    company : SampleCompany
        The bundled company (its ``surveys`` and the customers' ``service_tier``).
    width : int
        Line width for the heading and prose.

    Returns
    -------
    str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> print(metrics_section(load_sample_company(), 88).splitlines()[0])
    Satisfaction and loyalty by tier and process
    """
    surveys = company.surveys
    tier = _tiers_of(company, surveys.customer_id)
    is_nps = surveys.instrument == "nps"
    is_csat = surveys.instrument == "csat"
    overall = nps(surveys.score[is_nps])
    low, high = overall.confidence_interval()
    titles = process_titles(company)
    asked, which = np.unique(surveys.process, return_inverse=True)
    shown = np.array([titles.get(str(p), str(p)) if p else _RELATIONSHIP for p in asked.tolist()])
    process = shown[which]

    by_tier = _rows(
        nps_by_group(surveys.score[is_nps], tier[is_nps]),
        csat_by_group(surveys.score[is_csat], tier[is_csat]),
        order=[t for t in _TIER_ORDER if t in set(tier.tolist())],
    )
    nps_process = nps_by_group(surveys.score[is_nps], process[is_nps])
    csat_process = csat_by_group(surveys.score[is_csat], process[is_csat])
    ranked = [str(g) for g in csat_process.group[np.argsort(-csat_process.estimate)]]
    if _RELATIONSHIP in set(nps_process.group.tolist()):
        ranked.append(_RELATIONSHIP)
    by_process = _rows(nps_process, csat_process, order=ranked)

    headers = ["", "NPS answers", "NPS", "NPS interval", "CSAT answers", "CSAT", "CSAT interval"]
    intro = (
        f"Net Promoter Score over all {number(overall.n)} answers: {float(overall.score):.1f} "
        f"(95 % adjusted-Wald interval {float(low):.1f} to {float(high):.1f}); NPS runs from "
        "-100 to 100. CSAT is the share answering 4 or 5 of 5. The intervals below are 95 % "
        "intervals (adjusted Wald for NPS, Wilson for CSAT). "
        "Service levels differ by tier; processes are ranked by CSAT, the yardstick of "
        "process redesign. Groups whose intervals do not overlap clearly differ; overlapping "
        "intervals can still hide a real difference (custcentric.metrics.nps_difference "
        "tests it)."
    )
    lines = [
        heading("Satisfaction and loyalty by tier and process", width),
        computed_with(
            [
                "custcentric.metrics.nps",
                "custcentric.metrics.nps_by_group",
                "custcentric.metrics.csat_by_group",
            ],
            width,
        ),
        paragraph(intro, width),
        text_table(["service tier", *headers[1:]], by_tier, width=width),
        "",
        text_table(["process", *headers[1:]], by_process, width=width),
    ]
    return "\n".join(lines)


def _tiers_of(company: SampleCompany, customer_id: NDArray[np.str_]) -> NDArray[np.str_]:
    """Look up each answer's customer tier (vectorised; unknown customers get "none")."""
    ids = np.asarray(company.customers.customer_id)
    tiers = np.asarray(company.customers.attributes["service_tier"]).astype(np.str_)
    order = np.argsort(ids)
    where = np.clip(np.searchsorted(ids[order], customer_id), 0, ids.size - 1)
    found = ids[order][where] == customer_id
    return np.where(found, tiers[order][where], "none")


def _rows(
    nps_table: GroupedMetric, csat_table: GroupedMetric, *, order: list[str]
) -> list[list[str]]:
    n_index = {str(g): i for i, g in enumerate(nps_table.group.tolist())}
    c_index = {str(g): i for i, g in enumerate(csat_table.group.tolist())}
    rows = []
    for label in order:
        row = [label]
        i = n_index.get(label)
        if i is None:
            row += ["-", "-", "-"]
        else:
            row += [
                number(int(nps_table.n[i])),
                f"{float(nps_table.estimate[i]):.1f}",
                f"{float(nps_table.low[i]):.1f} to {float(nps_table.high[i]):.1f}",
            ]
        j = c_index.get(label)
        if j is None:
            row += ["-", "-", "-"]
        else:
            row += [
                number(int(csat_table.n[j])),
                percent(float(csat_table.estimate[j])),
                f"{100 * float(csat_table.low[j]):.1f} to {100 * float(csat_table.high[j]):.1f} %",
            ]
        rows.append(row)
    return rows
