"""Bundled data sets: the synthetic sample company, and the CDNOW purchase records.

:func:`load_sample_company` returns *Brightline*, a made-up company with customers and their
channel profile records, purchases, customer-process event logs, SLAs, interactions, survey
answers and a maturity self-assessment. :func:`generate_sample_company` is the seeded
generator that wrote it; call it to make a company of another size or seed.
:func:`load_cdnow` and :func:`load_cdnow_summary` return the CDNOW purchase records of
Fader and Hardie, the standard test bed of the probabilistic customer-value models.

Examples
--------
>>> from custcentric.datasets import load_sample_company
>>> print(load_sample_company().summary().splitlines()[0])
Brightline (synthetic sample company)
"""

from custcentric.datasets._cdnow import load_cdnow, load_cdnow_summary
from custcentric.datasets._company import SampleCompany, load_sample_company
from custcentric.datasets._generate import generate_sample_company
from custcentric.datasets._ratings import SCALES, MaturityRatings, SurveyResponses

__all__ = [
    "SCALES",
    "MaturityRatings",
    "SampleCompany",
    "SurveyResponses",
    "generate_sample_company",
    "load_cdnow",
    "load_cdnow_summary",
    "load_sample_company",
]
