"""The public names of each subpackage, their docstrings, and the layering of the house.

A change to a public name is a change users notice: it must show up here and in the changelog.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import custcentric

SRC = Path(custcentric.__file__).resolve().parent

PUBLIC = {
    "custcentric.domain": {
        "SCHEMA_VERSION",
        "SLA",
        "Capability",
        "CapabilityArea",
        "Channel",
        "Clock",
        "Compensation",
        "CompensationBand",
        "Customer",
        "CustomerProcess",
        "Direction",
        "Interaction",
        "InteractionKind",
        "LifecycleStage",
        "MaturityStage",
        "Outcome",
        "ProcessKind",
        "ProcessStep",
        "SLAMetric",
        "Segment",
        "Transaction",
    },
    "custcentric.metrics": {
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
    },
    "custcentric.sla": {
        "ALL_TIERS",
        "BreachedCases",
        "BusinessCalendar",
        "ErlangAResult",
        "SLAReport",
        "SLAResult",
        "TierTarget",
        "TieredSLA",
        "average_speed_of_answer",
        "erlang_a",
        "erlang_b",
        "erlang_c",
        "evaluate_slas",
        "occupancy",
        "priority_waits",
        "required_agents",
        "service_level",
    },
    "custcentric.dask": {
        "CompressedHistories",
        "CycleTimeFrame",
        "HoldoutFrame",
        "StepDurationFrame",
        "SummaryFrame",
        "calibration_holdout",
        "compress_histories",
        "cycle_times",
        "expected_purchases",
        "lifetime_value",
        "probability_alive",
        "rfm_cuts",
        "rfm_scores",
        "sla_compliance",
        "step_durations",
        "summarise",
        "summary_frame",
        "tier_thresholds",
        "value_tiers",
        "write_parquet",
    },
    "custcentric.plot": {
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
    },
    "custcentric.report": {
        "CSP",
        "FILES",
        "FORMATS",
        "SECTION_IDS",
        "ReportProgress",
        "add_arguments",
        "build",
        "load_company",
        "main",
        "run",
    },
    "custcentric.idic": {
        "AssignOffers",
        "Birthday",
        "CATEGORIES",
        "ChannelMixNeeds",
        "Comparison",
        "ContactPolicy",
        "CustomizeStep",
        "DEFAULT_BLOCKING",
        "DEFAULT_FIELDS",
        "Differentiation",
        "DueTriggers",
        "FEEDBACK_TAGS",
        "FeedbackTags",
        "FellegiSunter",
        "FellegiSunterFit",
        "FieldEvidence",
        "FrequencyCap",
        "IDENTITIES",
        "IDICData",
        "IDICPipeline",
        "IDICRun",
        "IdentifyStep",
        "IdentityResolution",
        "Inactivity",
        "InteractStep",
        "InteractionSummary",
        "LEVEL_KINDS",
        "Level",
        "LifeEvent",
        "LinkExplanation",
        "LinkageEvaluation",
        "ModelValue",
        "NORMALIZATIONS",
        "NeedsStep",
        "OFFER_METHODS",
        "Offer",
        "OfferAssignment",
        "Persons",
        "PolicyCheck",
        "RESPONSES",
        "ResolveIdentities",
        "STANDARD_FIELDS",
        "SummariseInteractions",
        "TRIGGERS",
        "Trigger",
        "ValueStep",
        "assign_offers",
        "damerau_levenshtein",
        "differentiate",
        "due_triggers",
        "interaction_summary",
        "jaro_winkler",
        "normalize_email",
        "normalize_name",
        "normalize_phone",
        "resolve_identities",
        "split_name",
        "tag_feedback",
        "trigger_from_dict",
    },
    "custcentric.process": {
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
    },
    "custcentric.segmentation": {
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
    },
    "custcentric.maturity": {
        "ACHIEVEMENT_LEVELS",
        "AGGREGATES",
        "CHARACTERISTICS",
        "EXPERTISE",
        "KNOWN_MEASURES",
        "MEASURE_KINDS",
        "RULES",
        "Alignment",
        "Assessment",
        "Blocker",
        "Catalogue",
        "KendallW",
        "Measure",
        "Readiness",
        "Roadmap",
        "RoadmapStep",
        "Scorecard",
        "StageSpread",
        "TeamCheck",
        "TeamMember",
        "alignment",
        "assess",
        "check_team",
        "default_catalogue",
        "kendall_w",
        "load_catalogue",
        "readiness",
        "roadmap",
        "rwg",
    },
    "custcentric.value": {
        "BetaGeo",
        "BetaGeoBetaBinom",
        "BetaGeoWithCovariates",
        "CovariateFitResult",
        "CustomersWithCovariates",
        "FitResult",
        "GammaGamma",
        "HoldoutCheck",
        "ModifiedBetaGeo",
        "PERIOD_DAYS",
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
    },
    "custcentric.cli": {"build_parser", "main"},
    "custcentric.simulate": {
        "BehaviouralLinks",
        "Comparison",
        "ContactCentre",
        "CycleTime",
        "DEFAULT_MEMORY_LIMIT",
        "KPI_NAMES",
        "KeptTables",
        "Population",
        "RetentionCampaign",
        "SCHEMA_VERSION",
        "Scenario",
        "Sensitivity",
        "ServiceProcess",
        "ServiceTiers",
        "SimulationResult",
        "compare",
        "example_scenario",
        "sensitivity",
        "simulate",
    },
}

# Each layer may import only from the layers listed for it (and from itself).
LAYERS = {
    "_version": set(),
    "exceptions": set(),
    "typing": set(),
    "_validation": {"exceptions", "typing"},
    "_time": {"exceptions", "typing", "_validation"},
    "_pandas": {"exceptions", "typing", "_validation"},
    "_stats": {"typing", "exceptions"},
    "_files": {"exceptions"},
    "_deprecation": {"exceptions"},
    "_progress": {"exceptions"},
    "domain": {"exceptions", "typing", "_validation", "_time", "_deprecation"},
    "_result": {"exceptions", "_pandas"},
    "tables": {"exceptions", "typing", "_validation", "_time", "_pandas", "_result", "domain"},
    "datasets": {
        "exceptions",
        "typing",
        "_validation",
        "_time",
        "_pandas",
        "_result",
        "_files",
        "domain",
        "tables",
    },
}
_BASE = {
    "exceptions",
    "typing",
    "_validation",
    "_time",
    "_pandas",
    "_stats",
    "_result",
    "_progress",
    "_deprecation",
    "domain",
    "tables",
}
# The analytic parts stand side by side on the tables; idic composes value and segmentation.
for _part in ("value", "segmentation", "metrics", "process", "sla", "maturity"):
    LAYERS[_part] = _BASE
LAYERS["idic"] = _BASE | {"value", "segmentation"}
LAYERS["dask"] = _BASE | {"value", "process", "sla"}
# Scenarios compose the analytic parts (and idic's contact policy); the example scenario is
# fitted on the bundled company, so simulate may read datasets (lazily, inside that function).
LAYERS["simulate"] = _BASE | {
    "value",
    "segmentation",
    "metrics",
    "process",
    "sla",
    "idic",
    "datasets",
    "_files",
    "_progress",
}
LAYERS["plot"] = _BASE | {"value", "segmentation", "metrics", "process", "sla", "maturity", "idic"}
LAYERS["report"] = LAYERS["plot"] | {"plot", "datasets", "_files", "_version"}


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_public_names_are_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC[module_name]
    # ruff's RUF022 keeps ``__all__`` sorted "isort-style": constants, then classes, then the rest.
    assert list(module.__all__) == sorted(module.__all__, key=_isort_key)


def _isort_key(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


@pytest.mark.parametrize("module_name", ["custcentric", *sorted(PUBLIC)])
def test_every_public_name_exists_and_is_documented(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if callable(obj):
            assert obj.__doc__, f"{module_name}.{name} has no docstring"


def test_top_level_re_exports_the_domain_and_names_the_subpackages() -> None:
    domain = importlib.import_module("custcentric.domain")
    for name in domain.__all__:
        if isinstance(getattr(domain, name), type):
            assert getattr(custcentric, name) is getattr(domain, name)
    for name in custcentric.SUBPACKAGES:
        assert getattr(custcentric, name).__name__ == f"custcentric.{name}"
    assert set(custcentric.SUBPACKAGES) <= set(dir(custcentric))
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = custcentric.nonsense


def test_import_is_cheap() -> None:
    code = "import sys, custcentric; print(sorted(m for m in sys.modules if m.startswith(('scipy', 'pandas', 'matplotlib'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "custcentric" and len(parts) > 1:
                found.add(parts[1])
    return found


def _exists(layer: str) -> bool:
    return (SRC / layer).is_dir() or (SRC / f"{layer}.py").is_file()


@pytest.mark.parametrize("layer", sorted(filter(_exists, LAYERS)))
def test_no_layer_imports_upward(layer: str) -> None:
    target = SRC / layer
    files = sorted(target.rglob("*.py")) if target.is_dir() else [SRC / f"{layer}.py"]
    for path in files:
        upward = _imported_layers(path) - LAYERS[layer] - {layer}
        assert not upward, f"{path.relative_to(SRC)} imports {sorted(upward)} from above"


def test_every_public_class_and_function_has_a_runnable_example() -> None:
    # The exceptions are drawn and exemplified together in their module docstring.
    missing = []
    for package in custcentric.SUBPACKAGES:
        if package == "exceptions":
            continue
        module = importlib.import_module(f"custcentric.{package}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and ">>>" not in (
                inspect.getdoc(obj) or ""
            ):
                missing.append(f"custcentric.{package}.{name}")
    assert not missing, f"public names without an example: {missing}"
