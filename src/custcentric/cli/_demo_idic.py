"""The demo's Identify section: how many people the company's profile records resolve to."""

from __future__ import annotations

import numpy as np

from custcentric.cli._demo_facts import buyer_revenue
from custcentric.cli._text import (
    computed_with,
    heading,
    number,
    paragraph,
    percent,
    rewrap_hanging,
    text_table,
)
from custcentric.datasets import SampleCompany
from custcentric.idic import IDICPipeline, resolve_identities

__all__ = ["idic_pipeline_section", "idic_section"]


def idic_section(company: SampleCompany, width: int) -> str:
    """Return the identity resolution of the company's channel profiles, as text.

    Parameters
    ----------
    company : SampleCompany
        The bundled company; its ``profiles`` attribute ``true_customer_id`` is used only
        to score the result, never to match.
    width : int
        Line width for the heading and prose.

    Returns
    -------
    str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> print(idic_section(load_sample_company(), 88).splitlines()[0])
    Identify: one customer across channels
    """
    profiles = company.profiles
    result = resolve_identities(profiles)
    truth = np.asarray(profiles.attributes["true_customer_id"])
    quality = result.evaluate(truth)
    _, true_sizes = np.unique(truth, return_counts=True)
    found = np.bincount(result.cluster_sizes)
    actual = np.bincount(true_sizes)
    top = max(found.size, actual.size)
    found, actual = np.pad(found, (0, top - found.size)), np.pad(actual, (0, top - actual.size))
    rows = [
        [f"{k} record{'s' if k > 1 else ''}", number(int(found[k])), number(int(actual[k]))]
        for k in range(1, top)
        if found[k] or actual[k]
    ]
    prose = (
        f"Fellegi–Sunter record linkage (comparison levels per field: exact, normalised "
        f"e-mail, one edit, Jaro–Winkler bands, transposed birth dates; common names weigh "
        f"less; m/u estimated by EM) compared {number(result.n_pairs)} candidate pairs "
        f"from blocking (reduction ratio {percent(result.reduction_ratio, 2)}) and resolves "
        f"{number(result.n_records)} profile records to {number(result.n_people)} people; "
        f"the true number is {number(quality.n_true_people)}. Against the known identities, "
        f"pairwise precision is {percent(quality.precision)} and recall "
        f"{percent(quality.recall)}: records that share only a common name stay apart."
    )
    return "\n".join(
        [
            heading("Identify: one customer across channels", width),
            computed_with(["custcentric.idic.resolve_identities"], width),
            paragraph(prose, width),
            text_table(["person has", "people found", "true people"], rows, width=width),
        ]
    )


def idic_pipeline_section(company: SampleCompany, width: int) -> str:
    """Return the closing section: the four IDIC steps run as one pipeline, per person.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> print(idic_pipeline_section(load_sample_company(), 88).splitlines()[0])
    IDIC in one pipeline
    """
    run = IDICPipeline().run(company, rng=20261124)
    value = np.asarray(run.value, dtype=np.float64)
    never = int(np.count_nonzero(value == 0))
    top = float(np.asarray(run.differentiate.value_share)[0].sum())
    refused = run.offer_refused
    no_consent = refused.get("no_consent", 0)
    prose = (
        "Identify, Differentiate, Interact and Customize composed per person: the profile "
        "records are resolved into people, and every purchase, contact and survey answer "
        "recorded against a channel profile is mapped to its person, so a person with three "
        "profiles is valued once, counted once against the contact policy and offered at "
        "most once. People are valued with BG/NBD and gamma-gamma, grouped by channel mix "
        "into needs segments, contacted when a trigger fires and the contact policy allows, "
        f"and offered at most one offer they gain from (values in {company.currency}). "
        "Consent is never assumed: "
        f"{number(int(run.consent.sum()))} of {number(value.size)} people have a recorded "
        f"marketing opt-in, and {number(no_consent)} people worth an offer get none for "
        "want of it."
    )
    why = (
        f"The top tier's {percent(top)} of expected value is above the top 20 % of buyers' "
        f"{percent(float(buyer_revenue(company).tiers.value_share[0]))} of past revenue: it "
        f"ranks all {number(value.size)} people, {number(never)} of them worth nothing "
        "yet, so its top 20 % are more people sharing the same total."
    )
    return "\n".join(
        [
            heading("IDIC in one pipeline", width),
            computed_with(["custcentric.idic.IDICPipeline().run"], width),
            paragraph(prose, width),
            rewrap_hanging(run.summary(), width),
            paragraph(why, width),
        ]
    )
