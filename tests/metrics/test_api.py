"""The public surface of custcentric.metrics and its import cost."""

from __future__ import annotations

import subprocess
import sys

import custcentric.metrics as metrics

PUBLIC = {
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
}


def _isort_key(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2), name


def test_public_names() -> None:
    assert set(metrics.__all__) == PUBLIC
    assert list(metrics.__all__) == sorted(metrics.__all__, key=_isort_key)
    for name in metrics.__all__:
        assert getattr(metrics, name).__doc__, name


def test_import_does_not_load_pandas() -> None:
    code = "import sys, custcentric.metrics; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_confidence_interval_value() -> None:
    ci = metrics.ConfidenceInterval(low=-1.0, high=float("inf"), confidence_level=0.9, method="t")
    low, high = ci
    assert (low, high) == (-1.0, float("inf"))
    assert ci.to_dict()["high"] is None
    assert str(ci) == "90% t interval (-1, inf)"
