"""The demo's process section: cycle times per process, the key processes, the top priorities."""

from __future__ import annotations

import numpy as np

from custcentric.cli._demo_facts import buyer_revenue, case_times, process_titles, step_titles
from custcentric.cli._text import (
    computed_with,
    heading,
    number,
    paragraph,
    percent,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.process import (
    CRM_GOALS,
    CycleTimes,
    ahp_weights,
    key_processes,
    prioritise,
    process_performance,
    step_durations,
)

__all__ = ["process_section"]

# Retention and satisfaction twice as important as sales development, three times as
# profitability (one judge; CR 0.004).
_JUDGEMENTS: list[list[float]] = [
    [1, 2, 3, 1],
    [1 / 2, 1, 2, 1 / 2],
    [1 / 3, 1 / 2, 1, 1 / 3],
    [1, 2, 3, 1],
]


def process_section(company: SampleCompany, width: int) -> str:
    """Return per-process cycle times, the key processes and the top priorities, as text.

    Parameters
    ----------
    company : SampleCompany
        The bundled company (its ``events``, ``processes``, purchases, customers and surveys).
    width : int
        Line width for the heading and prose.

    Returns
    -------
    str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> print(process_section(load_sample_company(), 88).splitlines()[0])
    Customer-process cycle times and priorities
    """
    ct = case_times(company)
    perf = process_performance(ct, step_durations=step_durations(company.events))
    names = process_titles(company)
    step_name = step_titles(company)
    rows = []
    for i in np.argsort(-perf.p90):
        pid = str(perf.process[i])
        steps = perf.bottlenecks.get(pid, ())
        rows.append(
            [
                names.get(pid, pid),
                number(int(perf.n_cases[i])),
                number(int(perf.n_open[i])),
                number(float(perf.median[i]), 1),
                number(float(perf.p90[i]), 1),
                f"{step_name.get((pid, steps[0].activity), steps[0].activity)} "
                f"({percent(steps[0].share, 0)})"
                if steps
                else "-",
            ]
        )
    km = process_performance(ct, censoring="kaplan_meier")
    plain = process_performance(ct, percentile_method="nearest_rank")
    lift = np.where(np.isfinite(km.p90), km.p90 - plain.p90, -np.inf)
    j = int(np.argmax(lift))
    censored = (
        "Counting the open cases as censored (Kaplan-Meier) instead of leaving them out "
        f"raises p90 most for {names.get(str(km.process[j]), str(km.process[j]))}: from "
        f"{number(float(plain.p90[j]), 1)} to {number(float(km.p90[j]), 1)} days (both as the "
        "nearest rank, so that they compare)."
    )
    customers = {
        str(p): float(np.unique(ct.customer_id[ct.process == p]).size)
        for p in np.unique(ct.process)
    }
    kp = key_processes(customers, coverage=0.8)
    weights = ahp_weights(_JUDGEMENTS, labels=CRM_GOALS)
    ranked = prioritise(_scores(company, ct, kp.key), weights.as_mapping())
    top = [
        [str(k + 1), names.get(p, p), f"{float(ranked.score[k]):.2f}"]
        for k, p in enumerate(ranked.top(3))
    ]
    lines = [
        heading("Customer-process cycle times and priorities", width),
        computed_with(
            [
                "custcentric.process.cycle_times",
                "custcentric.process.step_durations",
                "custcentric.process.process_performance",
                "custcentric.process.key_processes",
                "custcentric.process.ahp_weights",
                "custcentric.process.prioritise",
            ],
            width,
        ),
        paragraph(
            "End-to-end cycle time in days, from the customer's request to the process's last "
            f"step, over {number(len(ct))} cases. The {number(ct.n_open)} still open are "
            "censored at the end of the data and left out of the median and the 90th "
            "percentile (p90), which interpolate linearly between cases. The bottleneck is "
            "the step whose wait takes the largest share of the cycle time.",
            width,
        ),
        text_table(
            ["process", "cases", "open", "median (days)", "p90 (days)", "bottleneck"],
            rows,
            width=width,
        ),
        paragraph(censored, width),
        "",
        paragraph(
            f"Key processes: {kp.n_key} of {len(kp.names)} processes account for "
            f"{percent(kp.share)} of the customers served (counted once per process): "
            f"{', '.join(names.get(k, k) for k in kp.key)}.",
            width,
        ),
        "",
        paragraph(
            "Top priorities among them against the CRM goals (AHP weights: retention "
            f"{percent(weights.weights[0], 0)}, sales development {percent(weights.weights[1], 0)}, "
            f"profitability {percent(weights.weights[2], 0)}, satisfaction "
            f"{percent(weights.weights[3], 0)}; goals scored min-max):",
            width,
        ),
        text_table(["rank", "process", "score (0 to 1)"], top, width=width),
    ]
    return "\n".join(lines)


def _scores(
    company: SampleCompany, ct: CycleTimes, processes: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    """Score each process on the goals from the company's purchases, lifecycle and CSAT."""
    customers, surveys = company.customers, company.surveys
    facts = buyer_revenue(company)
    buyers, revenue = facts.customer_id, facts.revenue
    lapsed = customers.customer_id[customers.lifecycle_stage == "lapsed"]
    csat = surveys.instrument == "csat"
    scores = {}
    for pid in processes:
        touched = np.unique(ct.customer_id[ct.process == pid])
        spent = revenue[np.isin(buyers, touched)]
        answers = surveys.score[csat & (surveys.process == pid)]
        scores[pid] = {
            "retention": float(np.isin(touched, lapsed).mean()),
            "sales_development": float(spent.sum()),
            "profitability": float(spent.mean()) if spent.size else 0.0,
            "satisfaction": float(5 - answers.mean()) if answers.size else 0.0,
        }
    return scores
