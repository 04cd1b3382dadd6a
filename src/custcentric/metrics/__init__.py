"""Satisfaction, loyalty and retention metrics with honest uncertainty.

Satisfaction and retention are how the sources judge customer focus, the broad success
measures of a CRM programme and the yardstick of process redesign. Every metric comes with its
sample size, standard error and a confidence interval whose method is named:

* :func:`nps` — Net Promoter Score with Wald and adjusted-Wald intervals (Rocks 2016);
  :func:`nps_difference` for two independent groups;
* :func:`csat` — the satisfied (top-box) share with a Wilson interval, and the mean answer;
* :func:`ces` — Customer Effort Score: the mean on a stated scale and direction, t interval;
* :func:`nps_by_group`, :func:`csat_by_group`, :func:`ces_by_group` — one row per segment,
  tier, process or channel, vectorised over millions of answers;
* :func:`kaplan_meier` — retention (survival) curves from censored tenures, Greenwood
  standard errors, median survival;
* :func:`retention_curve` — the cohort × period retention triangle;
* :func:`churn_rate`, :func:`retention_rate` — rates over a window with Wilson intervals.

Examples
--------
>>> from custcentric.metrics import csat, kaplan_meier, nps
>>> result = nps([10, 9, 8, 6, 10, 3, 9, 7])
>>> result.score
25.0
>>> print(result.confidence_interval(method="wald"))
95% wald interval (-32.46, 82.46)
>>> print(csat([5, 4, 3, 5]).confidence_interval())
95% wilson interval (0.3006, 0.9544)
>>> kaplan_meier([2.0, 3.0, 3.0, 7.0], [1, 1, 0, 1]).survival.tolist()
[0.75, 0.5, 0.0]
"""

from custcentric.metrics._grouped import GroupedMetric, ces_by_group, csat_by_group, nps_by_group
from custcentric.metrics._intervals import ConfidenceInterval
from custcentric.metrics._kaplan_meier import KaplanMeierResult, kaplan_meier
from custcentric.metrics._nps import NPSDifference, NPSResult, nps, nps_difference
from custcentric.metrics._retention import (
    RateResult,
    RetentionCurve,
    churn_rate,
    retention_curve,
    retention_rate,
)
from custcentric.metrics._satisfaction import CESResult, CSATResult, ces, csat

__all__ = [
    "CESResult",
    "CSATResult",
    "ConfidenceInterval",
    "GroupedMetric",
    "KaplanMeierResult",
    "NPSDifference",
    "NPSResult",
    "RateResult",
    "RetentionCurve",
    "ces",
    "ces_by_group",
    "churn_rate",
    "csat",
    "csat_by_group",
    "kaplan_meier",
    "nps",
    "nps_by_group",
    "nps_difference",
    "retention_curve",
    "retention_rate",
]
