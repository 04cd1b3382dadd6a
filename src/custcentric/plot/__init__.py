"""Pictures of the library's results, drawn with matplotlib (the ``plot`` extra).

Every function takes a result of ``custcentric`` (or plain arrays), an optional
matplotlib ``ax`` to draw on, keyword-only options, and returns the ``Axes``. None calls
``show()`` or changes matplotlib's global settings; a new figure is a
``matplotlib.figure.Figure`` not registered with ``pyplot``, so nothing needs closing.
Colours are the Okabe–Ito palette and the ``cividis`` map, readable with the common
colour-vision deficiencies.

matplotlib is imported only when a function draws: ``import custcentric.plot`` works
without it, and drawing without it raises
:class:`~custcentric.exceptions.MissingDependencyError` naming the extra to install,
``pip install "custcentric[plot]"``.

Examples
--------
>>> from custcentric.plot import lorenz_curve
>>> from custcentric.segmentation import concentration
>>> ax = lorenz_curve(concentration([1, 2, 3, 4, 10]))
>>> ax.figure.savefig(__import__("io").BytesIO(), format="svg")
"""

from __future__ import annotations

from custcentric.plot._idic import differentiation_matrix
from custcentric.plot._maturity import maturity_heatmap, maturity_radar, roadmap_waves
from custcentric.plot._metrics import metric_by_group, retention_curves, survival_curves
from custcentric.plot._process import cycle_time_distribution
from custcentric.plot._segmentation import (
    lorenz_curve,
    migration_matrix,
    rfm_grid,
    rfm_segments,
    value_tiers,
)
from custcentric.plot._simulate import comparison_deltas, kpi_trajectory, tornado
from custcentric.plot._sla import compensation_paid, service_level_curve, sla_compliance
from custcentric.plot._style import OKABE_ITO
from custcentric.plot._value import (
    calibration_holdout,
    clv_distribution,
    cumulative_purchases,
    frequency_recency_heatmap,
)

__all__ = [
    "OKABE_ITO",
    "calibration_holdout",
    "clv_distribution",
    "comparison_deltas",
    "compensation_paid",
    "cumulative_purchases",
    "cycle_time_distribution",
    "differentiation_matrix",
    "frequency_recency_heatmap",
    "kpi_trajectory",
    "lorenz_curve",
    "maturity_heatmap",
    "maturity_radar",
    "metric_by_group",
    "migration_matrix",
    "retention_curves",
    "rfm_grid",
    "rfm_segments",
    "roadmap_waves",
    "service_level_curve",
    "sla_compliance",
    "survival_curves",
    "tornado",
    "value_tiers",
]
