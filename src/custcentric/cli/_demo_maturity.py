"""The demo's maturity section: the company's stage, its alignment and the first roadmap steps."""

from __future__ import annotations

from custcentric.cli._text import computed_with, heading, number, paragraph, text_table
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
    Maturity stage, alignment and roadmap
    """
    catalogue = default_catalogue()
    result = assess(catalogue, company.maturity)
    stage = _stage(result.stage) if result.stage is not None else "none"
    target = MaturityStage.from_level(min(result.level + 2, 4))
    fit = alignment(result, target_stage=target)
    plan = roadmap(result, target)
    wide = [d for d in fit.disagreements if d.spread >= 2]
    concordance = (
        ""
        if fit.concordance is None
        else f" Kendall's W of their orderings of the capabilities is "
        f"{float(fit.concordance.statistic):.2f} (0 = no agreement, 1 = the same order; "
        f"p = {float(fit.concordance.pvalue):.2g})."
    )
    nxt = (
        f"stage {result.next_stage.level} ({_stage(result.next_stage)})"
        if result.next_stage is not None
        else "a next stage"
    )
    intro = (
        f"{len(result.raters)} departments rated {len(result.capability_ids)} of the "
        f"{len(catalogue)} catalogue capabilities. Taking each capability's median rating, "
        f"and a stage as reached when its capabilities are at least 'largely' in place, the "
        f"company is at stage {result.level} ({stage}); {len(result.blocking)} capabilities "
        f"block {nxt}. Alignment index {float(fit.index):.2f} (1 = every department at the "
        f"same stage), mean r_WG {float(fit.mean_rwg):.2f} (agreement within each capability, "
        f"1 = full); departments are two or more stages apart on {len(wide)} "
        f"capabilities.{concordance}"
    )
    spread_rows = [[d.name, f"{d.lowest} to {d.highest}"] for d in fit.disagreements[:3]]
    step_rows = [
        [number(s.wave), s.name, f"{s.from_level} to {s.to_level}"] for s in plan.steps[:_N_STEPS]
    ]
    lines = [
        heading("Maturity stage, alignment and roadmap", width),
        computed_with(
            [
                "custcentric.maturity.default_catalogue",
                "custcentric.maturity.assess",
                "custcentric.maturity.alignment",
                "custcentric.maturity.roadmap",
            ],
            width,
        ),
        paragraph(intro, width),
        text_table(["widest disagreements", "departments' stages"], spread_rows, width=width),
        "",
        paragraph(
            f"Roadmap to stage {target.level} ({_stage(target)}): {len(plan.steps)} steps in "
            f"{plan.n_waves} waves; the first {min(_N_STEPS, len(plan.steps))}:",
            width,
        ),
        text_table(["wave", "capability", "stage"], step_rows, width=width),
    ]
    return "\n".join(lines)


def _stage(stage: MaturityStage) -> str:
    """Return a stage's name as words: ``product_centric`` reads "product-centric"."""
    return stage.value.replace("_centric", "-centric").replace("_", " ")
