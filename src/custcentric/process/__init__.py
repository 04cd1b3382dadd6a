"""Customer processes: cycle times, key processes, prioritisation, drivers and redesign.

Source S1 makes the end-to-end cycle time of each customer process the key metric; source S5
re-engineers customer processes in nine steps. This part measures the first from an
:class:`~custcentric.tables.EventLog` and walks the second over a portfolio of
:class:`~custcentric.domain.CustomerProcess` values:

* :func:`cycle_times`, :func:`step_durations` and :func:`process_performance`: cycle time per
  case (open cases right-censored), the intervals between steps, and per-process percentiles
  with distribution-free intervals (or Kaplan-Meier percentiles with open cases censored) and
  bottleneck steps (:func:`quantile`, :func:`quantile_ci`);
* :func:`key_processes`: the Pareto set of processes that explains a share of customer impact;
* :func:`prioritise` and :func:`ahp_weights`: weighted scoring against the CRM goals, with
  weights from AHP pairwise judgements (:func:`combine_judgements` for groups);
* :func:`driver_importance`: each process's share of customer-perceived value (relative
  weights, Shapley/LMG);
* :class:`RedesignProgramme`: the nine steps as composable calls, ending in a
  :class:`RedesignPlan`.

Examples
--------
>>> from custcentric.datasets import load_sample_company
>>> from custcentric.process import cycle_times, key_processes
>>> company = load_sample_company()
>>> ct = cycle_times(company.events, processes=company.processes)
>>> len(ct), ct.n_open
(6201, 109)
>>> key_processes([40, 25, 12, 8, 5, 4, 3, 2, 1], coverage=0.99).n_key
8
"""

from custcentric.process._ahp import RANDOM_INDEX, AHPResult, ahp_weights, combine_judgements
from custcentric.process._cycle import CycleTimes, cycle_times
from custcentric.process._drivers import DriverImportance, driver_importance
from custcentric.process._intervals import StepDurations, step_durations
from custcentric.process._percentiles import (
    PERCENTILE_METHODS,
    QuantileInterval,
    quantile,
    quantile_ci,
)
from custcentric.process._performance import Bottleneck, ProcessPerformance, process_performance
from custcentric.process._priority import (
    CRM_GOALS,
    KeyProcesses,
    Priorities,
    key_processes,
    prioritise,
)
from custcentric.process._programme import RedesignPlan, RedesignProgramme
from custcentric.process._steps import (
    AuditEntry,
    DependencyImpact,
    OwnershipIssue,
    SegmentReview,
    SLAProposal,
    StepPlan,
)

__all__ = [
    "CRM_GOALS",
    "PERCENTILE_METHODS",
    "RANDOM_INDEX",
    "AHPResult",
    "AuditEntry",
    "Bottleneck",
    "CycleTimes",
    "DependencyImpact",
    "DriverImportance",
    "KeyProcesses",
    "OwnershipIssue",
    "Priorities",
    "ProcessPerformance",
    "QuantileInterval",
    "RedesignPlan",
    "RedesignProgramme",
    "SLAProposal",
    "SegmentReview",
    "StepDurations",
    "StepPlan",
    "ahp_weights",
    "combine_judgements",
    "cycle_times",
    "driver_importance",
    "key_processes",
    "prioritise",
    "process_performance",
    "quantile",
    "quantile_ci",
    "step_durations",
]
