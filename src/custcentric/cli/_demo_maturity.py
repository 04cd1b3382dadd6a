"""The demo's maturity section: the company's stage, its alignment and the first roadmap steps."""

from __future__ import annotations

import textwrap

from custcentric.cli._text import heading, number, text_table
from custcentric.datasets import SampleCompany
from custcentric.domain import MaturityStage
from custcentric.maturity import alignment, assess, default_catalogue, roadmap

__all__ = ["maturity_section"]

_N_STEPS = 5


def maturity_section(company: SampleCompany, width: int) -> str:
    """Return the maturity section of the demo report.

    Assesses the company's self-assessment against the default catalogue, reports the stage
    (with what blocks the next one), how consistently the departments rate, and the first
    steps of the roadmap to the stage after next.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> text = maturity_section(load_sample_company(), 88)
    >>> print(text.splitlines()[0])
    Maturity stage, alignment and roadmap (custcentric.maturity)
    """
    catalogue = default_catalogue()
    result = assess(catalogue, company.maturity)
    stage = result.stage.value if result.stage is not None else "none"
    target = MaturityStage.from_level(min(result.level + 2, 4))
    fit = alignment(result, target_stage=target)
    plan = roadmap(result, target)
    wide = [d for d in fit.disagreements if d.spread >= 2]
    concordance = (
        ""
        if fit.concordance is None
        else f" Kendall's W of their orderings is {fit.concordance.statistic:.2f} "
        f"(p = {fit.concordance.pvalue:.2g})."
    )
    nxt = result.next_stage.value if result.next_stage is not None else "-"
    intro = (
        f"{len(result.raters)} departments rated {len(result.capability_ids)} of the "
        f"{len(catalogue)} catalogue capabilities. Median rating, threshold 'largely': the "
        f"company is at stage {result.level} ({stage}); {len(result.blocking)} capabilities "
        f"block {nxt}. Alignment index {fit.index:.2f} (1 = every department at the same "
        f"stage), mean r_WG {fit.mean_rwg:.2f}; departments are two or more stages apart on "
        f"{len(wide)} capabilities.{concordance}"
    )
    spread_rows = [
        [d.capability_id, d.name, f"{d.lowest}-{d.highest}"] for d in fit.disagreements[:3]
    ]
    step_rows = [
        [number(s.wave), s.capability_id, s.name, f"{s.from_level} -> {s.to_level}"]
        for s in plan.steps[:_N_STEPS]
    ]
    lines = [
        heading("Maturity stage, alignment and roadmap (custcentric.maturity)", width),
        textwrap.fill(intro, width=width),
        text_table(["capability", "widest disagreement", "stages"], spread_rows),
        "",
        textwrap.fill(
            f"Roadmap to {target.value}: {len(plan.steps)} steps in {plan.n_waves} waves; "
            f"the first {min(_N_STEPS, len(plan.steps))}:",
            width=width,
        ),
        text_table(["wave", "capability", "name", "stage"], step_rows),
    ]
    return "\n".join(lines)
