"""Segmentation: value tiers, RFM segments, needs clusters, migration and the lifecycle funnel.

The *Differentiate* step of IDIC and the sources' "value-based segmentation used across the
whole company, with service levels per customer tier":

* by value — :func:`value_tiers` (top 20 %, next 30 %, rest), :func:`abc_classes`
  (cumulative value share) and :func:`concentration` (Lorenz curve, Gini, top-k % share);
* by behaviour — :func:`rfm_segments` names RFM segments from an ordered, replaceable rule
  table (:data:`RFM_SEGMENT_RULES`, :data:`RFM_PACKAGE_RULES`);
* by needs — :func:`kmeans`, :func:`choose_n_clusters`, :func:`profile_segments`;
* for service — a :class:`Segmentation` maps each customer to a domain
  :class:`~custcentric.domain.Segment`; :func:`assign_service_tiers` sets their service levels;
* over time — :class:`MigrationModel` (Pfeifer & Carraway 2000) and
  :func:`lifecycle_funnel` (identify → select → convert → develop → retain).

Examples
--------
>>> from custcentric.segmentation import assign_service_tiers, concentration, value_tiers
>>> revenue = [1200, 80, 45, 300, 15, 60, 950, 20, 10, 35]
>>> tiers = value_tiers(revenue)
>>> tiers.sizes.tolist(), round(float(tiers.value_share[0]), 3)
([2, 3, 5], 0.792)
>>> round(concentration(revenue).gini, 3)
0.693
>>> served = assign_service_tiers(tiers.segmentation, {1: "gold", 2: "silver", 3: "bronze"})
>>> served.service_tier[:3].tolist()
['gold', 'silver', 'bronze']
"""

from __future__ import annotations

from custcentric.segmentation._choose import ClusterChoice, choose_n_clusters
from custcentric.segmentation._concentration import Concentration, concentration
from custcentric.segmentation._features import SegmentProfile, profile_segments
from custcentric.segmentation._funnel import LifecycleFunnel, lifecycle_funnel
from custcentric.segmentation._kmeans import KMeansResult, kmeans
from custcentric.segmentation._migration import MigrationModel
from custcentric.segmentation._rfm import (
    RFM_PACKAGE_RULES,
    RFM_SEGMENT_RULES,
    RFMRule,
    RFMRules,
    rfm_segments,
)
from custcentric.segmentation._segmentation import Segmentation, assign_service_tiers
from custcentric.segmentation._tiers import ValueTiers, abc_classes, value_tiers

__all__ = [
    "RFM_PACKAGE_RULES",
    "RFM_SEGMENT_RULES",
    "ClusterChoice",
    "Concentration",
    "KMeansResult",
    "LifecycleFunnel",
    "MigrationModel",
    "RFMRule",
    "RFMRules",
    "SegmentProfile",
    "Segmentation",
    "ValueTiers",
    "abc_classes",
    "assign_service_tiers",
    "choose_n_clusters",
    "concentration",
    "kmeans",
    "lifecycle_funnel",
    "profile_segments",
    "rfm_segments",
    "value_tiers",
]
