"""Customer value: RFM scores and probabilistic models of purchasing, retention and spend.

Who is worth what underlies every value-based decision in the sources (segmenting by value,
the most profitable 20 %, IDIC's Differentiate). This part provides:

- :func:`rfm_scores`: descriptive recency/frequency/monetary scores with explicit ties;
- non-contractual purchase models: :class:`BetaGeo` (BG/NBD), :class:`ParetoNBD`,
  :class:`ModifiedBetaGeo` (MBG/NBD) and, for discrete opportunities,
  :class:`BetaGeoBetaBinom` (BG/BB);
- contractual retention: :class:`ShiftedBetaGeometric` (sBG);
- spend: :class:`GammaGamma`;
- :func:`customer_lifetime_value` with explicit period lengths, and :func:`holdout_check`.

Every model is a frozen value of its parameters; ``Model.fit(...)`` returns a
:class:`FitResult` (``.model``, ``.log_likelihood``, ``.standard_errors``,
``.confidence_intervals()`` as :class:`ParameterInterval` values, ``.aic``, ``.bic``,
``.success``, ``.message``, ``.n_iter``; ``to_dict()`` and ``FitResult.from_dict()``).

Examples
--------
>>> from custcentric.datasets import load_cdnow_summary
>>> from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value
>>> summary = load_cdnow_summary()
>>> fit = BetaGeo.fit(summary)
>>> round(fit.log_likelihood, 1)
-9582.4
>>> spend = GammaGamma.fit(summary).model
>>> clv = customer_lifetime_value(fit.model, spend, summary, horizon=12, time_unit="M",
...                               discount_rate=0.01)
>>> len(clv), clv.name
(2357, 'clv')
>>> clv.to_pandas().head(2).round(2).to_dict()
{1: 36.29, 2: 4.64}
"""

from custcentric.value._betageo import BetaGeo, ModifiedBetaGeo
from custcentric.value._bgbb import BetaGeoBetaBinom
from custcentric.value._clv import PERIOD_DAYS, customer_lifetime_value
from custcentric.value._covariates import (
    BetaGeoWithCovariates,
    CovariateFitResult,
    CustomersWithCovariates,
    ParetoNBDWithCovariates,
)
from custcentric.value._gammagamma import GammaGamma
from custcentric.value._holdout import HoldoutCheck, holdout_check
from custcentric.value._mle import FitResult, ParameterInterval
from custcentric.value._pareto import ParetoNBD
from custcentric.value._purchase import PurchaseModel
from custcentric.value._rfm import RFMScores, TieMethod, rfm_scores
from custcentric.value._sbg import ShiftedBetaGeometric

__all__ = [
    "PERIOD_DAYS",
    "BetaGeo",
    "BetaGeoBetaBinom",
    "BetaGeoWithCovariates",
    "CovariateFitResult",
    "CustomersWithCovariates",
    "FitResult",
    "GammaGamma",
    "HoldoutCheck",
    "ModifiedBetaGeo",
    "ParameterInterval",
    "ParetoNBD",
    "ParetoNBDWithCovariates",
    "PurchaseModel",
    "RFMScores",
    "ShiftedBetaGeometric",
    "TieMethod",
    "customer_lifetime_value",
    "holdout_check",
    "rfm_scores",
]
