"""A registry of valid calls to the public API, for the bad-input battery.

``EXAMPLES`` maps a public callable's qualified name (``"custcentric.sla.erlang_c"``,
``"custcentric.value.BetaGeo.fit"``) to a function returning a valid call ``(args, kwargs)``.
Every call is small and fast. ``public_callables()`` enumerates the public callables from the
``__all__`` of the package and its subpackages (functions, classes and their public
classmethods/staticmethods); a name must be in ``EXAMPLES`` or in ``NOT_YET_COVERED``.
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

Call = tuple[tuple[Any, ...], dict[str, Any]]

#: Where the public API lives; each module's ``__all__`` is read. A name exported by several
#: modules (the domain values are re-exported at the top) is counted once, under the most
#: specific module.
MODULES = (
    "custcentric",
    "custcentric.domain",
    "custcentric.tables",
    "custcentric.value",
    "custcentric.segmentation",
    "custcentric.metrics",
    "custcentric.process",
    "custcentric.sla",
    "custcentric.maturity",
    "custcentric.idic",
    "custcentric.simulate",
    "custcentric.datasets",
)


def public_callables() -> dict[str, Callable[..., Any]]:
    """Return the public callables by qualified name."""
    seen: dict[int, str] = {}
    found: dict[str, Callable[..., Any]] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not callable(obj) or (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            key = id(obj)
            if key in seen:
                # Prefer the subpackage over the top-level re-export.
                if seen[key].count(".") >= f"{module_name}.{name}".count("."):
                    continue
                old = seen[key]
                for q in [q for q in found if q == old or q.startswith(old + ".")]:
                    del found[q]
            qual = f"{module_name}.{name}"
            seen[key] = qual
            found[qual] = obj
            if inspect.isclass(obj) and not issubclass(obj, enum.Enum):
                for attr in dir(obj):
                    if attr.startswith("_"):
                        continue
                    static = inspect.getattr_static(obj, attr)
                    if isinstance(static, classmethod | staticmethod):
                        found[f"{qual}.{attr}"] = getattr(obj, attr)
    return found


def resolve(qualname: str) -> Callable[..., Any]:
    """Return the callable named ``qualname`` (a key of ``EXAMPLES``)."""
    parts = qualname.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj  # type: ignore[no-any-return]
    raise LookupError(qualname)


# --- small data ----------------------------------------------------------------------------

_FREQ = [0.0, 1.0, 2.0, 0.0, 3.0, 1.0, 4.0, 2.0]
_REC = [0.0, 10.0, 20.0, 0.0, 30.0, 5.0, 35.0, 25.0]
_T = [40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0]
_MON = [0.0, 10.0, 20.0, 0.0, 15.0, 12.0, 30.0, 8.0]
_IDS = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"]
_SCORES10 = [0, 3, 6, 7, 8, 9, 10, 10, 9, 5]
_FEATURES = [[1.0, 2.0], [1.2, 1.9], [0.8, 2.2], [5.0, 6.0], [5.2, 5.9], [4.8, 6.1]]
_PAIRWISE = [[1.0, 3.0, 5.0], [1 / 3, 1.0, 2.0], [1 / 5, 1 / 2, 1.0]]


def _summary() -> Any:
    from custcentric.tables import CustomerSummary

    return CustomerSummary.from_arrays(_IDS, _FREQ, _REC, _T, _MON)


def _cs(*args: Any, **kwargs: Any) -> Callable[[], Call]:
    return lambda: (args, kwargs)


def _with_summary(**kwargs: Any) -> Callable[[], Call]:
    return lambda: ((_summary(),), dict(kwargs))


def _rfm_scores(n_bins: int = 3) -> Any:
    from custcentric.value import rfm_scores

    return rfm_scores(
        time_since_last=[1.0, 5.0, 9.0, 3.0, 2.0, 8.0, 4.0, 6.0, 7.0, 10.0],
        frequency=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
        monetary=[10.0, 20.0, 5.0, 7.0, 40.0, 3.0, 8.0, 9.0, 11.0, 12.0],
        n_bins=n_bins,
    )


@functools.cache
def _purchases() -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Return (frequency, recency, T) of 150 customers simulated from a BG/NBD (seeded)."""
    from custcentric.value import BetaGeo

    s = BetaGeo(0.25, 4.0, 0.8, 2.4).simulate(150, 40.0, rng=0)
    return tuple(map(float, s.frequency)), tuple(map(float, s.recency)), tuple(map(float, s.T))


def _frt() -> Call:
    x, t_x, big_t = _purchases()
    return (np.array(x), np.array(t_x), np.array(big_t)), {}


def _spend() -> Call:
    x = np.array(_purchases()[0])
    x = x[x > 0]
    monetary = np.round(10 + 5 * np.random.default_rng(0).gamma(2.0, 1.0, x.size), 2)
    return (x, monetary), {}


def _bgbb_data() -> Call:
    from custcentric.value import BetaGeoBetaBinom

    x, t_x, n = BetaGeoBetaBinom(1.2, 0.75, 0.66, 2.78).simulate(150, 6, rng=0)
    return (np.asarray(x), np.asarray(t_x), np.asarray(n)), {}


def _bg_model() -> Any:
    from custcentric.value import BetaGeo

    return BetaGeo(0.25, 4.0, 0.8, 2.4)


EXAMPLES: dict[str, Callable[[], Call]] = {
    # --- metrics ---
    "custcentric.metrics.nps": _cs(_SCORES10),
    "custcentric.metrics.nps_by_group": _cs(_SCORES10, ["a"] * 5 + ["b"] * 5),
    "custcentric.metrics.nps_difference": _cs(_SCORES10, [10, 9, 9, 8, 2, 1, 10, 7, 6, 9]),
    "custcentric.metrics.NPSResult.from_counts": _cs(n_promoters=5, n_passives=3, n_detractors=2),
    "custcentric.metrics.RateResult.from_counts": _cs(3, 10),
    "custcentric.metrics.csat": _cs([1, 2, 3, 4, 5, 5, 4]),
    "custcentric.metrics.csat_by_group": _cs([1, 2, 3, 4, 5, 5], ["a", "a", "a", "b", "b", "b"]),
    "custcentric.metrics.ces": _cs([1, 2, 3, 4, 5, 6, 7]),
    "custcentric.metrics.ces_by_group": _cs([1, 2, 3, 4, 5, 6], ["a", "a", "a", "b", "b", "b"]),
    "custcentric.metrics.churn_rate": _cs([0, 1, 0, 0, 1, 0]),
    "custcentric.metrics.retention_rate": _cs([1, 1, 0, 1, 1, 0]),
    "custcentric.metrics.kaplan_meier": _cs([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1, 0, 1, 1, 0, 1]),
    # --- sla ---
    "custcentric.sla.erlang_b": _cs(5.0, 8),
    "custcentric.sla.erlang_c": _cs(5.0, 8),
    "custcentric.sla.occupancy": _cs(5.0, 8),
    "custcentric.sla.service_level": _cs(5.0, 8, answer_time=20.0, handle_time=180.0),
    "custcentric.sla.average_speed_of_answer": _cs(5.0, 8, handle_time=180.0),
    "custcentric.sla.erlang_a": _cs(
        100 / 1800, 11, interval="s", handle_time=180.0, patience=300.0
    ),
    "custcentric.sla.required_agents": _cs(
        200.0, 180.0, interval="h", answer_time=20.0, target_service_level=0.8
    ),
    "custcentric.sla.priority_waits": _cs([0.2, 0.3, 0.3], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0]),
    "custcentric.sla.BusinessCalendar": _cs(opens=9.0, closes=17.0),
    # --- process ---
    "custcentric.process.ahp_weights": _cs(_PAIRWISE),
    "custcentric.process.combine_judgements": _cs([_PAIRWISE, _PAIRWISE]),
    "custcentric.process.quantile": _cs([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.5, 0.9]),
    "custcentric.process.quantile_ci": _cs(list(np.arange(1.0, 41.0)), 0.5),
    "custcentric.process.key_processes": _cs([5.0, 3.0, 1.0, 0.5], coverage=0.9),
    "custcentric.process.prioritise": _cs(
        [[1.0, 2.0], [3.0, 1.0], [2.0, 2.0]], [0.6, 0.4], processes=["p", "q", "r"]
    ),
    "custcentric.process.driver_importance": _cs(
        [[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 2.0], [5.0, 1.0], [6.0, 3.0]],
        [1.1, 2.3, 2.9, 4.5, 5.0, 6.4],
    ),
    # --- segmentation ---
    "custcentric.segmentation.abc_classes": _cs([100.0, 50.0, 20.0, 10.0, 5.0, 1.0]),
    "custcentric.segmentation.value_tiers": _cs([100.0, 50.0, 20.0, 10.0, 5.0, 1.0]),
    "custcentric.segmentation.concentration": _cs([100.0, 50.0, 20.0, 10.0, 5.0, 1.0]),
    "custcentric.segmentation.kmeans": _cs(_FEATURES, 2, n_init=2, rng=0),
    "custcentric.segmentation.choose_n_clusters": _cs(_FEATURES, [2, 3], n_init=2, rng=0),
    "custcentric.segmentation.profile_segments": _cs(_FEATURES, [0, 0, 0, 1, 1, 1]),
    "custcentric.segmentation.lifecycle_funnel": _cs([[0.5, 0.3], [0.0, 0.6]], [[0.2], [0.4]]),
    "custcentric.segmentation.MigrationModel.from_matrix": _cs([[0.9, 0.1], [0.2, 0.8]]),
    "custcentric.segmentation.MigrationModel.fit": _cs(["a", "a", "b", "b"], ["a", "b", "b", "a"]),
    "custcentric.segmentation.Segmentation.from_labels": _cs(["a", "b", "a"]),
    "custcentric.segmentation.rfm_segments": lambda: ((_rfm_scores(n_bins=5),), {}),
    # --- value ---
    "custcentric.value.rfm_scores": _cs(
        time_since_last=[1.0, 5.0, 9.0, 3.0, 2.0, 8.0],
        frequency=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        monetary=[10.0, 20.0, 5.0, 7.0, 40.0, 3.0],
        n_bins=3,
    ),
    "custcentric.value.BetaGeo": _cs(0.25, 4.0, 0.8, 2.4),
    "custcentric.value.ModifiedBetaGeo": _cs(0.25, 4.0, 0.8, 2.4),
    "custcentric.value.BetaGeo.fit": _frt,
    "custcentric.value.ModifiedBetaGeo.fit": _frt,
    "custcentric.value.ParetoNBD.fit": _frt,
    "custcentric.value.GammaGamma.fit": _spend,
    "custcentric.value.BetaGeoBetaBinom.fit": _bgbb_data,
    "custcentric.value.ShiftedBetaGeometric.fit": _cs(
        [1.0, 2.0, 3.0, 4.0, 5.0, 5.0], [False, False, False, False, True, True]
    ),
    "custcentric.value.ShiftedBetaGeometric.fit_cohort": _cs([1000.0, 631.0, 468.0, 382.0, 326.0]),
    "custcentric.value.customer_lifetime_value": lambda: (
        (_bg_model(), [10.0] * 8, _summary()),
        {"horizon": 12, "time_unit": "M", "discount_rate": 0.01},
    ),
    # --- tables ---
    "custcentric.tables.CustomerSummary.from_arrays": _cs(_IDS, _FREQ, _REC, _T, _MON),
    "custcentric.tables.TransactionLog.from_arrays": _cs(
        ["a", "a", "b"],
        np.array(["2024-01-01", "2024-02-01", "2024-01-15"], dtype="datetime64[D]"),
        [10.0, 20.0, 5.0],
    ),
}

# Bound methods of result objects, built cheaply: "qualname" -> (builder, method name, call).
_METHOD_EXAMPLES: dict[str, tuple[Callable[[], Any], str, Call]] = {
    "custcentric.value.BetaGeo.expected_purchases": (
        _bg_model,
        "expected_purchases",
        ((10.0,), {}),
    ),
    "custcentric.value.BetaGeo.probability_alive": (
        _bg_model,
        "probability_alive",
        (([1.0, 2.0], [10.0, 20.0], [40.0, 40.0]), {}),
    ),
    "custcentric.value.BetaGeo.conditional_expected_purchases": (
        _bg_model,
        "conditional_expected_purchases",
        (([1.0, 2.0], [10.0, 20.0], [40.0, 40.0]), {"t": 10.0}),
    ),
}


def _bound(call: Call) -> Callable[[], Call]:
    return lambda: call


#: Bound-method examples: the battery resolves these through ``METHOD_TARGETS``.
METHOD_TARGETS: dict[str, tuple[Callable[[], Any], str]] = {
    q: (b, m) for q, (b, m, _) in _METHOD_EXAMPLES.items()
}
for _q, (_b, _m, _c) in _METHOD_EXAMPLES.items():
    EXAMPLES[_q] = _bound(_c)


_D = np.array(["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-06"], dtype="datetime64[s]")

EXAMPLES.update(
    {
        # --- more value models ---
        "custcentric.value.BetaGeoBetaBinom": _cs(1.2, 0.75, 0.66, 2.78),
        "custcentric.value.GammaGamma": _cs(6.0, 4.0, 15.0),
        "custcentric.value.ParetoNBD": _cs(0.55, 10.6, 0.61, 11.7),
        "custcentric.value.ShiftedBetaGeometric": _cs(0.7, 1.2),
        # --- more metrics ---
        "custcentric.metrics.retention_curve": _cs(
            np.array(
                ["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"], dtype="datetime64[D]"
            ),
            np.array(["2024-03-15", "NaT", "2024-04-10", "NaT"], dtype="datetime64[D]"),
            observation_end=np.datetime64("2024-06-30"),
        ),
        # --- domain values ---
        "custcentric.domain.CompensationBand": _cs(lower=0.0, upper=0.5, rate=2.0),
        "custcentric.domain.Compensation": _cs(fixed_per_breach=5.0, per_unit_late=1.0, grace=1.0),
        "custcentric.domain.Transaction": _cs(
            customer_id="c1", timestamp=np.datetime64("2024-01-01"), amount=12.5
        ),
        "custcentric.domain.Segment": _cs(name="gold", tier_rank=1),
        "custcentric.domain.SLA": _cs(
            id="s1", name="reply", process_id="p1", metric="cycle_time", target=24.0
        ),
        "custcentric.domain.Customer": _cs(
            id="c1", email="a@example.com", birth_date="1990-03-05", attributes={"vip": True}
        ),
        "custcentric.domain.Interaction": _cs(
            customer_id="c1",
            timestamp=np.datetime64("2024-01-02T10:00"),
            channel="phone",
            direction="inbound",
            kind="complaint",
        ),
        "custcentric.domain.ProcessStep": _cs(id="s1", name="Order placed", department="sales"),
        "custcentric.domain.CustomerProcess": _cs(
            id="p1",
            name="Order to delivery",
            kind="horizontal",
            lifecycle_stage="convert",
            owner="Head of Fulfilment",
            departments=("sales",),
            steps=[{"id": "s1", "name": "Order placed", "department": "sales"}],
        ),
        "custcentric.domain.Capability": _cs(
            id="D8",
            area="customer_processes",
            name="Customer SLAs",
            descriptors=["None", "Internal", "Published", "Automatic"],
        ),
        # --- sla ---
        "custcentric.sla.TierTarget": _cs(tier="gold", target=4.0, target_share=0.9),
        # --- tables ---
        "custcentric.tables.EventLog.from_arrays": _cs(
            ["k1", "k1", "k2", "k2"],
            ["p", "p", "p", "p"],
            ["open", "close", "open", "close"],
            _D,
            ["c1", "c1", "c2", "c2"],
        ),
        "custcentric.tables.InteractionLog.from_arrays": _cs(
            ["c1", "c1", "c2", "c2"],
            _D,
            ["email", "phone", "email", "web"],
            ["inbound", "outbound", "inbound", "inbound"],
            ["inquiry", "order", "inquiry", "complaint"],
        ),
        "custcentric.tables.CustomerTable.from_arrays": _cs(["c1", "c2", "c3"]),
        # --- idic ---
        "custcentric.idic.Birthday": _cs(lead_days=3),
        "custcentric.idic.Inactivity": _cs(30),
        "custcentric.idic.LifeEvent": _cs("move", lag_days=2),
        "custcentric.idic.FrequencyCap": _cs(max_contacts=2, days=7),
        "custcentric.idic.ContactPolicy": _cs(min_gap_days=1.0),
        "custcentric.idic.Offer": _cs(name="o", uplift=5.0, cost=1.0, capacity=10),
        "custcentric.idic.jaro_winkler": _cs("martha", "marhta"),
        "custcentric.idic.normalize_phone": _cs(["+1 555 123 4567", "555-123-4568"]),
        "custcentric.idic.normalize_email": _cs(["A@B.com", " c@d.org "]),
        "custcentric.idic.normalize_name": _cs(["Ann  Lee", "Bo Li"]),
        "custcentric.idic.split_name": _cs(["ann lee", "bo li"]),
        "custcentric.idic.assign_offers": _cs([[5.0, 2.0], [1.0, 4.0], [3.0, 3.0]]),
        "custcentric.idic.differentiate": _cs(
            [100.0, 50.0, 20.0, 10.0, 5.0, 1.0], ["a", "b", "a", "b", "a", "b"]
        ),
        # --- maturity ---
        "custcentric.maturity.kendall_w": _cs([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]]),
        "custcentric.maturity.rwg": _cs([[3, 4, 3], [4, 4, 3], [3, 5, 3]], n_options=5),
        "custcentric.maturity.TeamMember": _cs(name="a", expertise="technical", fte=0.5),
        "custcentric.maturity.Measure": _cs(name="nps", target=30.0, actual=25.0),
        # --- datasets ---
        "custcentric.datasets.MaturityRatings.from_arrays": _cs(
            ["sales", "sales"], ["C1", "C2"], ["strategy_leadership", "customer_insight"], [2, 3]
        ),
        "custcentric.datasets.SurveyResponses.from_arrays": _cs(
            ["c1", "c2"],
            np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[s]"),
            ["nps", "nps"],
            [9, 3],
        ),
    }
)


def _calibration() -> Any:
    from custcentric.tables import CalibrationHoldout

    return CalibrationHoldout(_summary(), np.array([0, 1, 1, 0, 2, 0, 3, 1]), np.array(_MON), 20.0)


def _to_dict(qualname: str, *args: Any, **kwargs: Any) -> Callable[[], Call]:
    """A ``from_dict`` example: the ``to_dict`` of a valid instance."""

    def call() -> Call:
        cls = resolve(qualname)
        return (cls(*args, **kwargs).to_dict(),), {}

    return call


EXAMPLES.update(
    {
        "custcentric.tables.CustomerSummary": lambda: (
            (np.array(_IDS), np.array([int(x) for x in _FREQ]), np.array(_REC), np.array(_T)),
            {"monetary": np.array(_MON)},
        ),
        "custcentric.tables.TransactionLog": lambda: (
            (
                np.array(["a", "a", "b"]),
                np.array(["2024-01-01", "2024-02-01", "2024-01-15"], dtype="datetime64[s]"),
                np.array([10.0, 20.0, 5.0]),
            ),
            {},
        ),
        "custcentric.tables.CalibrationHoldout": lambda: (
            (_summary(), np.array([0, 1, 1, 0, 2, 0, 3, 1]), np.array(_MON), 20.0),
            {},
        ),
        "custcentric.value.holdout_check": lambda: ((_bg_model(), _calibration()), {}),
        "custcentric.value.BetaGeo.from_dict": _to_dict(
            "custcentric.value.BetaGeo", 0.25, 4.0, 0.8, 2.4
        ),
        "custcentric.value.ModifiedBetaGeo.from_dict": _to_dict(
            "custcentric.value.ModifiedBetaGeo", 0.25, 4.0, 0.8, 2.4
        ),
        "custcentric.value.ParetoNBD.from_dict": _to_dict(
            "custcentric.value.ParetoNBD", 0.55, 10.6, 0.61, 11.7
        ),
        "custcentric.value.GammaGamma.from_dict": _to_dict(
            "custcentric.value.GammaGamma", 6.0, 4.0, 15.0
        ),
        "custcentric.value.BetaGeoBetaBinom.from_dict": _to_dict(
            "custcentric.value.BetaGeoBetaBinom", 1.2, 0.75, 0.66, 2.78
        ),
        "custcentric.value.ShiftedBetaGeometric.from_dict": _to_dict(
            "custcentric.value.ShiftedBetaGeometric", 0.7, 1.2
        ),
        "custcentric.domain.CompensationBand.from_dict": _to_dict(
            "custcentric.domain.CompensationBand", lower=0.0, upper=0.5, rate=2.0
        ),
        "custcentric.domain.Compensation.from_dict": _to_dict(
            "custcentric.domain.Compensation", fixed_per_breach=5.0, per_unit_late=1.0, grace=1.0
        ),
        "custcentric.domain.Transaction.from_dict": _to_dict(
            "custcentric.domain.Transaction",
            customer_id="c1",
            timestamp=np.datetime64("2024-01-01"),
            amount=12.5,
        ),
        "custcentric.domain.Segment.from_dict": _to_dict(
            "custcentric.domain.Segment", name="gold", tier_rank=1
        ),
        "custcentric.domain.SLA.from_dict": _to_dict(
            "custcentric.domain.SLA",
            id="s1",
            name="reply",
            process_id="p1",
            metric="cycle_time",
            target=24.0,
        ),
        "custcentric.domain.Customer.from_dict": _to_dict(
            "custcentric.domain.Customer", id="c1", email="a@example.com", birth_date="1990-03-05"
        ),
        "custcentric.domain.Interaction.from_dict": _to_dict(
            "custcentric.domain.Interaction",
            customer_id="c1",
            timestamp=np.datetime64("2024-01-02T10:00"),
            channel="phone",
            direction="inbound",
            kind="complaint",
        ),
        "custcentric.domain.ProcessStep.from_dict": _to_dict(
            "custcentric.domain.ProcessStep", id="s1", name="Order placed", department="sales"
        ),
        "custcentric.domain.Capability.from_dict": _to_dict(
            "custcentric.domain.Capability",
            id="D8",
            area="customer_processes",
            name="Customer SLAs",
            descriptors=["None", "Internal", "Published", "Automatic"],
        ),
        "custcentric.sla.BusinessCalendar.from_dict": _to_dict(
            "custcentric.sla.BusinessCalendar", opens=9.0, closes=17.0
        ),
    }
)


# --- event logs, processes, segmentations and assessments: built cheaply ------------------

_EV_TIME = np.array(
    [
        "2024-01-01T09:00",
        "2024-01-03T09:00",
        "2024-01-02T09:00",
        "2024-01-06T12:00",
        "2024-01-04T10:00",
        "2024-01-05T10:00",
    ],
    dtype="datetime64[s]",
)


def _event_log() -> Any:
    from custcentric.tables import EventLog

    return EventLog.from_arrays(
        ["k1", "k1", "k2", "k2", "k3", "k3"],
        ["p"] * 6,
        ["open", "close", "open", "close", "open", "close"],
        _EV_TIME,
        ["c1", "c1", "c2", "c2", "c3", "c3"],
    )


def _cycle() -> Any:
    from custcentric.process import cycle_times

    return cycle_times(_event_log(), observation_end=np.datetime64("2024-01-10T00:00"))


def _sla() -> Any:
    from custcentric.domain import SLA

    return SLA(
        id="s1", name="reply", process_id="p", metric="cycle_time", target=3.0, time_unit="D"
    )


def _segmentation() -> Any:
    from custcentric.segmentation import Segmentation

    return Segmentation.from_labels(["A", "C", "B", "A"], order=["A", "B", "C"])


def _segments() -> tuple[Any, ...]:
    from custcentric.domain import Segment

    return (Segment(name="gold", tier_rank=1), Segment(name="bronze", tier_rank=2))


def _assessment() -> Any:
    from custcentric.maturity import assess, default_catalogue

    ratings = {
        "sales": {"insight-01": 3, "insight-02": 2},
        "it": {"insight-01": 1, "insight-02": 2},
    }
    return assess(default_catalogue(), ratings)


def _team() -> list[Any]:
    from custcentric.maturity import TeamMember

    team = [TeamMember(name=f"m{i}", expertise="organisational") for i in range(7)]
    return [*team, TeamMember(name="dev", expertise="technical", fte=1.0)]


def _readiness_scores() -> dict[str, list[float]]:
    from custcentric.maturity import CHARACTERISTICS

    return {key: [4.0, 5.0, 4.0] for key in CHARACTERISTICS}


def _migration() -> Any:
    from custcentric.segmentation import MigrationModel

    return MigrationModel.from_matrix([[0.3, 0.7, 0.0], [0.2, 0.0, 0.8], [0.0, 0.0, 1.0]])


def _concentration() -> Any:
    from custcentric.segmentation import concentration

    return concentration([100.0, 50.0, 20.0, 10.0, 5.0, 1.0])


def _kmeans_fit() -> Any:
    from custcentric.segmentation import kmeans

    return kmeans(_FEATURES, 2, n_init=2, rng=0)


EXAMPLES.update(
    {
        # --- process ---
        "custcentric.process.cycle_times": lambda: (
            (_event_log(),),
            {"observation_end": np.datetime64("2024-01-10T00:00")},
        ),
        "custcentric.process.step_durations": lambda: ((_event_log(),), {}),
        "custcentric.process.process_performance": lambda: (
            (_cycle(),),
            {"confidence_level": 0.9},
        ),
        # --- sla ---
        "custcentric.sla.evaluate_slas": lambda: (
            (_event_log(), _sla()),
            {"observation_end": np.datetime64("2024-01-10T00:00"), "confidence_level": 0.9},
        ),
        "custcentric.sla.TieredSLA": lambda: (
            (),
            {"sla": _sla(), "targets": {"gold": {"target": 2.0, "target_share": 0.95}}},
        ),
        "custcentric.sla.TieredSLA.from_dict": lambda: (
            (
                {
                    "sla": _sla().to_dict(),
                    "targets": {"gold": {"target": 2.0, "target_share": 0.95}},
                },
            ),
            {},
        ),
        # --- segmentation ---
        "custcentric.segmentation.Segmentation": lambda: (
            (),
            {"segments": _segments(), "codes": [0, 1, 0, 1], "customer_id": None},
        ),
        "custcentric.segmentation.assign_service_tiers": lambda: (
            (_segmentation(), {1: "gold", 2: "silver"}),
            {"default": "bronze"},
        ),
        "custcentric.segmentation.MigrationModel": lambda: (
            (),
            {
                "transition_matrix": np.array([[0.3, 0.7, 0.0], [0.2, 0.0, 0.8], [0.0, 0.0, 1.0]]),
                "states": ("a", "b", "c"),
            },
        ),
        "custcentric.segmentation.RFMRule": _cs(name="Champions", r=5, f=(4, 5)),
        "custcentric.segmentation.RFMRules": _cs(
            rules=[{"name": "Best", "r": (4, 5), "f": (4, 5)}], fallback="Rest"
        ),
        # --- maturity ---
        "custcentric.maturity.default_catalogue": _cs(),
        "custcentric.maturity.assess": lambda: (
            (
                resolve("custcentric.maturity.default_catalogue")(),
                {"sales": {"insight-01": 3, "insight-02": 2}, "it": {"insight-01": 1}},
            ),
            {},
        ),
        "custcentric.maturity.alignment": lambda: ((_assessment(),), {"min_spread": 1}),
        "custcentric.maturity.roadmap": lambda: ((_assessment(), "customer_focus"), {}),
        "custcentric.maturity.check_team": lambda: ((_team(),), {"min_core": 8, "max_core": 12}),
        "custcentric.maturity.readiness": lambda: (
            (_readiness_scores(),),
            {"scale": (1, 5), "threshold": 4.0},
        ),
        "custcentric.maturity.Scorecard": lambda: (
            (),
            {
                "measures": [
                    resolve("custcentric.maturity.Measure")(
                        name="service_cost", target=4.0, actual=3.6
                    )
                ]
            },
        ),
    }
)


def _due_triggers() -> Call:
    from custcentric.idic import Birthday, Inactivity
    from custcentric.tables import CustomerTable, TransactionLog

    people = CustomerTable.from_arrays(
        ["a", "b", "c"], birth_date=["1990-03-05", "1985-07-01", "2000-03-05"]
    )
    bought = TransactionLog.from_arrays(["a", "b"], ["2024-01-05", "2023-12-06"], [10.0, 20.0])
    return (people,), {
        "observation_end": "2024-03-05",
        "triggers": [Birthday(), Inactivity(90)],
        "transactions": bought,
        "hour": 10,
    }


def _interaction_summary() -> Call:
    from custcentric.tables import InteractionLog

    log = InteractionLog.from_arrays(
        ["a", "a", "b", "b"],
        ["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-09"],
        ["email", "email", "phone", "phone"],
        ["outbound", "outbound", "inbound", "inbound"],
        ["offer", "offer", "inquiry", "order"],
        ["responded", "no_response", "", ""],
    )
    return (log,), {"observation_end": "2024-01-10", "confidence_level": 0.9}


def _trigger_dict() -> Call:
    from custcentric.idic import LifeEvent

    return (LifeEvent("new_baby", lag_days=14).to_dict(),), {}


EXAMPLES.update(
    {
        # --- idic round trips ---
        "custcentric.idic.Birthday.from_dict": _to_dict("custcentric.idic.Birthday", lead_days=3),
        "custcentric.idic.Inactivity.from_dict": _to_dict("custcentric.idic.Inactivity", 30),
        "custcentric.idic.LifeEvent.from_dict": _to_dict(
            "custcentric.idic.LifeEvent", "move", lag_days=2
        ),
        "custcentric.idic.FrequencyCap.from_dict": _to_dict(
            "custcentric.idic.FrequencyCap", max_contacts=2, days=7
        ),
        "custcentric.idic.ContactPolicy.from_dict": _to_dict(
            "custcentric.idic.ContactPolicy", min_gap_days=1.0
        ),
        "custcentric.idic.trigger_from_dict": _trigger_dict,
        "custcentric.idic.due_triggers": _due_triggers,
        "custcentric.idic.interaction_summary": _interaction_summary,
        "custcentric.idic.tag_feedback": _cs(
            ["I want a refund, the kettle is broken!", "Acme is cheaper", "All good"],
            competitors=["Acme"],
            n_examples=3,
        ),
        "custcentric.idic.damerau_levenshtein": _cs(
            ["martha", "dixon"], ["marhta", "dicksonx"], max_distance=3
        ),
        # --- tables ---
        "custcentric.tables.PerCustomer": _cs(
            customer_id=["a", "b", "c"], values=[1.0, 2.5, 0.0], name="clv", unit="currency"
        ),
    }
)


def _round_trip(build: Callable[[], Any]) -> Callable[[], Call]:
    """A ``from_dict`` example from the ``to_dict`` of a built value."""
    return lambda: ((build().to_dict(),), {})


EXAMPLES.update(
    {
        "custcentric.maturity.Catalogue.from_dict": _round_trip(
            lambda: resolve("custcentric.maturity.default_catalogue")()
        ),
        "custcentric.maturity.Assessment.from_dict": _round_trip(_assessment),
        "custcentric.maturity.Assessment.from_json": lambda: ((_assessment().to_json(),), {}),
        "custcentric.maturity.Scorecard.from_dict": _round_trip(
            lambda: resolve("custcentric.maturity.Scorecard")(
                measures=[
                    resolve("custcentric.maturity.Measure")(
                        name="service_cost", target=4.0, actual=3.6
                    )
                ]
            )
        ),
    }
)

_METHOD_EXAMPLES_2: dict[str, tuple[Callable[[], Any], str, Call]] = {
    "custcentric.segmentation.MigrationModel.lifetime_value": (
        _migration,
        "lifetime_value",
        (([36.0, -4.0, 0.0],), {"discount_rate": 0.1, "n_periods": 5}),
    ),
    "custcentric.segmentation.Concentration.top_share": (_concentration, "top_share", ((0.2,), {})),
    "custcentric.value.BetaGeo.simulate": (_bg_model, "simulate", ((5, 10.0), {"rng": 0})),
    "custcentric.segmentation.KMeansResult.predict": (
        _kmeans_fit,
        "predict",
        (([[1.1, 2.0], [5.1, 6.0]],), {}),
    ),
}
METHOD_TARGETS.update({q: (b, m) for q, (b, m, _) in _METHOD_EXAMPLES_2.items()})
for _q, (_b, _m, _c) in _METHOD_EXAMPLES_2.items():
    EXAMPLES[_q] = _bound(_c)


# --- results, tables from files and frames, enums: built from valid calls ------------------


def _fields_of(build: Callable[[], Any]) -> Callable[[], Call]:
    """A constructor example from a built instance: its ``__init__`` fields as keywords."""

    def call() -> Call:
        import attrs

        obj = build()
        kwargs = {
            (f.alias or f.name.lstrip("_")): getattr(obj, f.name)
            for f in attrs.fields(type(obj))
            if f.init
        }
        return (), kwargs

    return call


def _call(qualname: str, *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """A builder: call the public callable ``qualname``."""
    return lambda: resolve(qualname)(*args, **kwargs)


def _fit() -> Any:
    args, kwargs = _frt()
    return resolve("custcentric.value.BetaGeo.fit")(*args, **kwargs)


def _report() -> Any:
    from custcentric.sla import evaluate_slas

    return evaluate_slas(
        _event_log(),
        _sla(),
        observation_end=np.datetime64("2024-01-10T00:00"),
        confidence_level=0.9,
    )


def _records() -> Any:
    from custcentric.tables import CustomerTable

    return CustomerTable.from_arrays(
        ["a", "b", "c", "d"],
        name=["Ann Lee", "Ann Lee", "Bo Li", "Cy Ng"],
        email=["ann@x.com", "ann@x.com", "bo@y.org", "cy@z.net"],
        phone=["5551234567", "5551234567", "5559876543", "5550001111"],
        birth_date=["1990-03-05", "1990-03-05", "1985-01-01", "1970-02-02"],
    )


def _identities() -> Any:
    from custcentric.idic import resolve_identities

    return resolve_identities(_records(), fields=["email", "phone"], blocking=[("phone",)])


_LEVELS = [[0, 0], [1, 1], [0, 1], [2, 2], [1, 0], [2, 1]] * 5


def _fellegi_sunter() -> Any:
    from custcentric.idic import FellegiSunter

    return FellegiSunter.fit(np.array(_LEVELS), n_levels=[3, 3]).model


def _planned() -> Any:
    from custcentric.tables import InteractionLog

    return InteractionLog.from_arrays(
        ["a", "b"],
        ["2024-01-05T10:00", "2024-01-06T10:00"],
        ["email", "phone"],
        ["outbound", "outbound"],
        ["service_request", "service_request"],
    )


_CSV = {
    "transactions": "customer_id,timestamp,amount\na,2024-01-01,10\na,2024-02-01,20\nb,2024-01-15,5\n",
    "summary": "customer_id,frequency,recency,T,monetary\na,1,10,40,10\nb,0,0,40,0\nc,2,20,40,5\n",
    "customers": "customer_id,name,email\na,Ann Lee,ann@x.com\nb,Bo Li,bo@y.org\n",
    "events": (
        "case_id,process,activity,timestamp,customer_id\n"
        "k1,p,open,2024-01-01T09:00,c1\nk1,p,close,2024-01-03T09:00,c1\n"
    ),
    "interactions": (
        "customer_id,timestamp,channel,direction,kind\n"
        "c1,2024-01-01,email,inbound,inquiry\nc2,2024-01-02,phone,outbound,order\n"
    ),
}


@functools.cache
def _csv_file(which: str) -> str:
    """Write one small CSV file (once per session) and return its path."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    directory = Path(tempfile.mkdtemp(prefix="custcentric-battery-"))
    atexit.register(shutil.rmtree, directory, True)
    path = directory / f"{which}.csv"
    path.write_text(_CSV[which], encoding="utf-8")
    path.with_suffix(".json").write_text(_CSV[which], encoding="utf-8")
    return str(path)


def _frame(build: Callable[[], Any]) -> Callable[[], Call]:
    """A ``from_pandas`` example from the ``to_pandas`` of a built table."""
    return lambda: ((build().to_pandas(),), {})


def _summary_frame() -> Call:
    frame = _summary().to_pandas()
    return (frame,), {}


def _catalogue_file() -> Call:
    import json

    if "catalogue" not in _CSV:
        catalogue = resolve("custcentric.maturity.default_catalogue")()
        _CSV["catalogue"] = json.dumps(catalogue.to_dict())
    return (_csv_file("catalogue").replace(".csv", ".json"),), {}


def _transactions() -> Any:
    return resolve("custcentric.tables.TransactionLog.from_arrays")(
        ["a", "a", "b"], ["2024-01-01", "2024-02-01", "2024-01-15"], [10.0, 20.0, 5.0]
    )


_RESULTS: dict[str, Callable[[], Any]] = {
    # metrics
    "custcentric.metrics.NPSResult": _call("custcentric.metrics.nps", _SCORES10),
    "custcentric.metrics.RateResult": _call("custcentric.metrics.churn_rate", [0, 1, 0, 0, 1, 0]),
    "custcentric.metrics.CSATResult": _call("custcentric.metrics.csat", [1, 2, 3, 4, 5, 5, 4]),
    "custcentric.metrics.CESResult": _call("custcentric.metrics.ces", [1, 2, 3, 4, 5, 6, 7]),
    "custcentric.metrics.GroupedMetric": _call(
        "custcentric.metrics.nps_by_group", _SCORES10, ["a"] * 5 + ["b"] * 5
    ),
    "custcentric.metrics.NPSDifference": _call(
        "custcentric.metrics.nps_difference", _SCORES10, [10, 9, 9, 8, 2, 1, 10, 7, 6, 9]
    ),
    "custcentric.metrics.KaplanMeierResult": _call(
        "custcentric.metrics.kaplan_meier", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1, 0, 1, 1, 0, 1]
    ),
    "custcentric.metrics.RetentionCurve": lambda: resolve("custcentric.metrics.retention_curve")(
        *EXAMPLES["custcentric.metrics.retention_curve"]()[0],
        **EXAMPLES["custcentric.metrics.retention_curve"]()[1],
    ),
    "custcentric.metrics.ConfidenceInterval": lambda: resolve("custcentric.metrics.nps")(
        _SCORES10
    ).confidence_interval(0.9),
    # process
    "custcentric.process.AHPResult": _call("custcentric.process.ahp_weights", _PAIRWISE),
    "custcentric.process.KeyProcesses": _call(
        "custcentric.process.key_processes", [5.0, 3.0, 1.0, 0.5], coverage=0.9
    ),
    "custcentric.process.Priorities": _call(
        "custcentric.process.prioritise",
        [[1.0, 2.0], [3.0, 1.0], [2.0, 2.0]],
        [0.6, 0.4],
        processes=["p", "q", "r"],
    ),
    "custcentric.process.DriverImportance": _call(
        "custcentric.process.driver_importance",
        [[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 2.0], [5.0, 1.0], [6.0, 3.0]],
        [1.1, 2.3, 2.9, 4.5, 5.0, 6.4],
    ),
    "custcentric.process.CycleTimes": _cycle,
    "custcentric.process.StepDurations": lambda: resolve("custcentric.process.step_durations")(
        _event_log()
    ),
    "custcentric.process.ProcessPerformance": lambda: resolve(
        "custcentric.process.process_performance"
    )(_cycle(), confidence_level=0.9),
    # segmentation
    "custcentric.segmentation.Concentration": _concentration,
    "custcentric.segmentation.KMeansResult": _kmeans_fit,
    "custcentric.segmentation.ClusterChoice": _call(
        "custcentric.segmentation.choose_n_clusters", _FEATURES, [2, 3], n_init=2, rng=0
    ),
    "custcentric.segmentation.LifecycleFunnel": _call(
        "custcentric.segmentation.lifecycle_funnel", [[0.5, 0.3], [0.0, 0.6]], [[0.2], [0.4]]
    ),
    "custcentric.segmentation.SegmentProfile": _call(
        "custcentric.segmentation.profile_segments", _FEATURES, [0, 0, 0, 1, 1, 1]
    ),
    "custcentric.segmentation.ValueTiers": _call(
        "custcentric.segmentation.value_tiers", [100.0, 50.0, 20.0, 10.0, 5.0, 1.0]
    ),
    # sla
    "custcentric.sla.SLAReport": _report,
    "custcentric.sla.SLAResult": lambda: _report().rows[0],
    "custcentric.sla.BreachedCases": lambda: _report().breached,
    "custcentric.sla.ErlangAResult": _call(
        "custcentric.sla.erlang_a", 100 / 1800, 11, interval="s", handle_time=180.0, patience=300.0
    ),
    # value
    "custcentric.value.FitResult": _fit,
    "custcentric.value.HoldoutCheck": lambda: resolve("custcentric.value.holdout_check")(
        _bg_model(), _calibration()
    ),
    "custcentric.value.RFMScores": _rfm_scores,
    # maturity
    "custcentric.maturity.Assessment": _assessment,
    "custcentric.maturity.Catalogue": _call("custcentric.maturity.default_catalogue"),
    "custcentric.maturity.Alignment": lambda: resolve("custcentric.maturity.alignment")(
        _assessment(), min_spread=1
    ),
    "custcentric.maturity.StageSpread": lambda: resolve("custcentric.maturity.alignment")(
        _assessment(), min_spread=1
    ).disagreements[0],
    "custcentric.maturity.KendallW": _call(
        "custcentric.maturity.kendall_w", [[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]]
    ),
    "custcentric.maturity.Readiness": lambda: resolve("custcentric.maturity.readiness")(
        _readiness_scores(), scale=(1, 5), threshold=4.0
    ),
    "custcentric.maturity.Roadmap": lambda: resolve("custcentric.maturity.roadmap")(
        _assessment(), "customer_focus"
    ),
    "custcentric.maturity.RoadmapStep": lambda: resolve("custcentric.maturity.roadmap")(
        _assessment(), "customer_focus"
    ).steps[0],
    "custcentric.maturity.TeamCheck": lambda: resolve("custcentric.maturity.check_team")(
        _team(), min_core=8, max_core=12
    ),
    # idic
    "custcentric.idic.Differentiation": _call(
        "custcentric.idic.differentiate",
        [100.0, 50.0, 20.0, 10.0, 5.0, 1.0],
        ["a", "b", "a", "b", "a", "b"],
    ),
    "custcentric.idic.DueTriggers": lambda: resolve("custcentric.idic.due_triggers")(
        *_due_triggers()[0], **_due_triggers()[1]
    ),
    "custcentric.idic.FeedbackTags": _call(
        "custcentric.idic.tag_feedback",
        ["I want a refund, the kettle is broken!", "Acme is cheaper", "All good"],
        competitors=["Acme"],
        n_examples=3,
    ),
    "custcentric.idic.InteractionSummary": lambda: resolve("custcentric.idic.interaction_summary")(
        *_interaction_summary()[0], **_interaction_summary()[1]
    ),
    "custcentric.idic.OfferAssignment": _call(
        "custcentric.idic.assign_offers", [[5.0, 2.0], [1.0, 4.0], [3.0, 3.0]]
    ),
    "custcentric.idic.PolicyCheck": lambda: resolve("custcentric.idic.ContactPolicy")(
        min_gap_days=1.0
    ).check(_planned()),
    "custcentric.idic.IdentityResolution": _identities,
    "custcentric.idic.LinkExplanation": lambda: _identities().why(0, 1),
    "custcentric.idic.FieldEvidence": lambda: _identities().why(0, 1).fields[0],
    "custcentric.idic.LinkageEvaluation": lambda: _identities().evaluate(["p1", "p1", "p2", "p3"]),
    "custcentric.idic.FellegiSunter": _fellegi_sunter,
    "custcentric.idic.FellegiSunterFit": lambda: resolve("custcentric.idic.FellegiSunter.fit")(
        np.array(_LEVELS), n_levels=[3, 3]
    ),
    # tables
    "custcentric.tables.CustomerTable": _records,
    "custcentric.tables.EventLog": _event_log,
    "custcentric.tables.InteractionLog": _planned,
    "custcentric.tables.CsvErrors": lambda: resolve("custcentric.tables.TransactionLog.read_csv")(
        _csv_file("transactions"), errors="report"
    )[1],
    # datasets
    "custcentric.datasets.MaturityRatings": lambda: resolve(
        "custcentric.datasets.MaturityRatings.from_arrays"
    )(*EXAMPLES["custcentric.datasets.MaturityRatings.from_arrays"]()[0]),
    "custcentric.datasets.SurveyResponses": lambda: resolve(
        "custcentric.datasets.SurveyResponses.from_arrays"
    )(*EXAMPLES["custcentric.datasets.SurveyResponses.from_arrays"]()[0]),
}

#: Result classes rebuilt from the fields of a valid result (the battery mutates each field).
EXAMPLES.update({q: _fields_of(build) for q, build in _RESULTS.items()})

#: Constructors of result records, which the library builds from input it has checked. A
#: mutated field must not make the constructor itself raise a raw error, warn, hang or blow
#: up; a record built by hand from NaN or mismatched arrays holding NaN, or failing in its own
#: ``summary()``/``to_pandas()``, is counted as ``UNCHECKED`` (reported, not a breach) unless
#: ``CUSTCENTRIC_BATTERY_STRICT_RESULTS=1``. Value types a user builds (``ConfidenceInterval``,
#: ``FellegiSunter``, ``Level``, the tables) are held to the full contract.
RESULT_CONSTRUCTORS: frozenset[str] = frozenset(_RESULTS) - {
    "custcentric.metrics.ConfidenceInterval",
    "custcentric.idic.FellegiSunter",
    "custcentric.tables.CustomerTable",
    "custcentric.tables.EventLog",
    "custcentric.tables.InteractionLog",
}

_ENUMS = {
    "custcentric.domain.CapabilityArea": "customer_insight",
    "custcentric.domain.Channel": "email",
    "custcentric.domain.Direction": "inbound",
    "custcentric.domain.InteractionKind": "complaint",
    "custcentric.domain.LifecycleStage": "convert",
    "custcentric.domain.ProcessKind": "horizontal",
    "custcentric.domain.SLAMetric": "cycle_time",
    "custcentric.idic.Comparison": None,
    "custcentric.value.TieMethod": None,
    "custcentric.domain.MaturityStage": None,
    "custcentric.domain.Outcome": None,
    "custcentric.domain.Clock": None,
}


def _enum_call(qualname: str, value: Any) -> Callable[[], Call]:
    def call() -> Call:
        members = list(resolve(qualname))
        return (members[0].value if value is None else value,), {}

    return call


EXAMPLES.update({q: _enum_call(q, v) for q, v in _ENUMS.items()})

EXAMPLES.update(
    {
        # --- tables: files, frames, records ---
        "custcentric.tables.TransactionLog.read_csv": lambda: ((_csv_file("transactions"),), {}),
        "custcentric.tables.CustomerSummary.read_csv": lambda: (
            (_csv_file("summary"),),
            {"time_unit": "D"},
        ),
        "custcentric.tables.CustomerTable.read_csv": lambda: ((_csv_file("customers"),), {}),
        "custcentric.tables.EventLog.read_csv": lambda: ((_csv_file("events"),), {}),
        "custcentric.tables.InteractionLog.read_csv": lambda: ((_csv_file("interactions"),), {}),
        "custcentric.tables.TransactionLog.from_pandas": _frame(_transactions),
        "custcentric.tables.CustomerSummary.from_pandas": _summary_frame,
        "custcentric.tables.CustomerTable.from_pandas": _frame(_records),
        "custcentric.tables.EventLog.from_pandas": _frame(_event_log),
        "custcentric.tables.InteractionLog.from_pandas": _frame(_planned),
        "custcentric.tables.PerCustomer.from_pandas": lambda: (
            (
                resolve("custcentric.tables.PerCustomer")(
                    customer_id=["a", "b", "c"], values=[1.0, 2.5, 0.0], name="clv", unit="currency"
                ).to_pandas(),
            ),
            {"unit": "currency"},
        ),
        "custcentric.tables.TransactionLog.from_records": lambda: (
            (
                [
                    {"customer_id": "a", "timestamp": "2024-01-01", "amount": 10.0},
                    {"customer_id": "b", "timestamp": "2024-01-02", "amount": 5.0},
                ],
            ),
            {},
        ),
        "custcentric.tables.CustomerTable.from_records": lambda: (
            ([{"customer_id": "a", "name": "Ann"}, {"customer_id": "b", "name": "Bo"}],),
            {},
        ),
        "custcentric.tables.CustomerTable.from_customers": lambda: (
            (
                [
                    resolve("custcentric.domain.Customer")(id="a", email="a@example.com"),
                    resolve("custcentric.domain.Customer")(id="b"),
                ],
            ),
            {},
        ),
        "custcentric.tables.EventLog.from_records": lambda: (
            (
                [
                    {
                        "case_id": "k1",
                        "process": "p",
                        "activity": "open",
                        "timestamp": "2024-01-01T09:00",
                        "customer_id": "c1",
                    },
                    {
                        "case_id": "k1",
                        "process": "p",
                        "activity": "close",
                        "timestamp": "2024-01-02T09:00",
                        "customer_id": "c1",
                    },
                ],
            ),
            {},
        ),
        "custcentric.tables.InteractionLog.from_records": lambda: (
            (
                [
                    {
                        "customer_id": "c1",
                        "timestamp": "2024-01-01",
                        "channel": "email",
                        "direction": "inbound",
                        "kind": "inquiry",
                    }
                ],
            ),
            {},
        ),
        "custcentric.segmentation.Segmentation.from_pandas": _frame(_segmentation),
        "custcentric.sla.BreachedCases.from_pandas": _frame(lambda: _report().breached),
        "custcentric.sla.SLAReport.from_pandas": lambda: (
            (_report().to_pandas(),),
            {"breached": _report().breached.to_pandas()},
        ),
        "custcentric.sla.BreachedCases.concatenate": lambda: (
            ([{k: np.asarray(v) for k, v in _report().breached.to_pandas().items()}],),
            {},
        ),
        # --- idic ---
        "custcentric.idic.Level": _cs("damerau_levenshtein", 1),
        "custcentric.idic.Level.parse": _cs("damerau_levenshtein<=1 & exact:digits"),
        "custcentric.idic.FellegiSunter.fit": _cs(np.array(_LEVELS), n_levels=[3, 3]),
        "custcentric.idic.resolve_identities": lambda: (
            (_records(),),
            {"fields": ["email", "phone"], "blocking": [("phone",)], "threshold": 0.9},
        ),
        # --- maturity, domain ---
        "custcentric.maturity.load_catalogue": _catalogue_file,
        "custcentric.domain.CustomerProcess.from_dict": _to_dict(
            "custcentric.domain.CustomerProcess",
            id="p1",
            name="Order to delivery",
            kind="horizontal",
            lifecycle_stage="convert",
            owner="Head of Fulfilment",
            departments=("sales",),
            steps=[{"id": "s1", "name": "Order placed", "department": "sales"}],
        ),
    }
)

_METHOD_EXAMPLES_3: dict[str, tuple[Callable[[], Any], str, Call]] = {
    "custcentric.value.FitResult.summary": (_fit, "summary", ((), {"confidence_level": 0.9})),
    "custcentric.value.FitResult.to_pandas": (_fit, "to_pandas", ((), {"confidence_level": 0.9})),
    "custcentric.value.FitResult.confidence_intervals": (
        _fit,
        "confidence_intervals",
        ((), {"confidence_level": 0.9}),
    ),
    "custcentric.metrics.KaplanMeierResult.survival_at": (
        _RESULTS["custcentric.metrics.KaplanMeierResult"],
        "survival_at",
        (([0.5, 2.5, 10.0],), {}),
    ),
    "custcentric.metrics.KaplanMeierResult.quantile": (
        _RESULTS["custcentric.metrics.KaplanMeierResult"],
        "quantile",
        ((0.5,), {}),
    ),
    "custcentric.metrics.NPSResult.confidence_interval": (
        _RESULTS["custcentric.metrics.NPSResult"],
        "confidence_interval",
        ((0.9,), {}),
    ),
    "custcentric.metrics.CSATResult.mean_confidence_interval": (
        _RESULTS["custcentric.metrics.CSATResult"],
        "mean_confidence_interval",
        ((0.9,), {}),
    ),
    "custcentric.idic.FellegiSunter.match_probability": (
        _fellegi_sunter,
        "match_probability",
        (([[0, 0], [2, 2], [1, 0]],), {}),
    ),
    "custcentric.idic.FellegiSunter.match_weight": (
        _fellegi_sunter,
        "match_weight",
        (([[0, 0], [2, 2], [1, 0]],), {}),
    ),
    "custcentric.idic.IdentityResolution.why": (_identities, "why", ((0, 1), {})),
    "custcentric.process.Priorities.top": (
        _RESULTS["custcentric.process.Priorities"],
        "top",
        ((2,), {}),
    ),
    "custcentric.maturity.Roadmap.wave": (
        _RESULTS["custcentric.maturity.Roadmap"],
        "wave",
        ((1,), {}),
    ),
    "custcentric.segmentation.Segmentation.segment": (_segmentation, "segment", ((1,), {})),
    "custcentric.segmentation.MigrationModel.project": (
        _migration,
        "project",
        (([1.0, 0.0, 0.0],), {"n_periods": 3}),
    ),
    "custcentric.segmentation.MigrationModel.matrix_power": (
        _migration,
        "matrix_power",
        ((3,), {}),
    ),
    "custcentric.tables.TransactionLog.summary": (
        _transactions,
        "summary",
        ((), {"observation_end": "2024-03-01", "time_unit": "D"}),
    ),
    "custcentric.tables.CustomerSummary.select": (
        _summary,
        "select",
        (([True] * 4 + [False] * 4,), {}),
    ),
    "custcentric.value.ParetoNBD.discounted_expected_residual_transactions": (
        lambda: resolve("custcentric.value.ParetoNBD")(0.55, 10.6, 0.61, 11.7),
        "discounted_expected_residual_transactions",
        (([1.0, 2.0], [10.0, 20.0], [40.0, 40.0]), {"discount_rate": 0.01}),
    ),
    "custcentric.value.ShiftedBetaGeometric.survival": (
        lambda: resolve("custcentric.value.ShiftedBetaGeometric")(0.7, 1.2),
        "survival",
        (([1.0, 2.0, 5.0],), {}),
    ),
    "custcentric.value.GammaGamma.expected_spend": (
        lambda: resolve("custcentric.value.GammaGamma")(6.0, 4.0, 15.0),
        "expected_spend",
        (([1.0, 2.0], [10.0, 20.0]), {}),
    ),
    "custcentric.domain.Compensation.case_amount": (
        lambda: resolve("custcentric.domain.Compensation")(
            fixed_per_breach=5.0, per_unit_late=1.0, grace=1.0
        ),
        "case_amount",
        (([0.5, 2.0, 10.0],), {}),
    ),
}
METHOD_TARGETS.update({q: (b, m) for q, (b, m, _) in _METHOD_EXAMPLES_3.items()})
for _q, (_b, _m, _c) in _METHOD_EXAMPLES_3.items():
    EXAMPLES[_q] = _bound(_c)

EXAMPLES.update(
    {
        "custcentric.maturity.Measure.from_dict": _to_dict(
            "custcentric.maturity.Measure", name="nps", target=30.0, actual=25.0
        ),
        "custcentric.maturity.TeamMember.from_dict": _to_dict(
            "custcentric.maturity.TeamMember", name="a", expertise="technical", fte=0.5
        ),
        "custcentric.segmentation.RFMRule.from_dict": _to_dict(
            "custcentric.segmentation.RFMRule", name="Champions", r=5, f=(4, 5)
        ),
        "custcentric.segmentation.RFMRules.from_dict": _to_dict(
            "custcentric.segmentation.RFMRules",
            rules=[{"name": "Best", "r": (4, 5), "f": (4, 5)}],
            fallback="Rest",
        ),
        "custcentric.sla.BreachedCases.from_dict": _round_trip(lambda: _report().breached),
        "custcentric.sla.SLAReport.from_dict": _round_trip(_report),
        "custcentric.sla.SLAResult.from_dict": _round_trip(lambda: _report().rows[0]),
    }
)

EXAMPLES.update(
    {
        "custcentric.sla.TierTarget.from_dict": _to_dict(
            "custcentric.sla.TierTarget", tier="gold", target=4.0, target_share=0.9
        ),
        "custcentric.idic.Offer.from_dict": _to_dict(
            "custcentric.idic.Offer", name="o", uplift=5.0, cost=1.0, capacity=10
        ),
        "custcentric.value.FitResult.from_dict": _round_trip(_fit),
    }
)


#: Callables whose documented result may hold ``+inf`` (the battery then flags only NaN and
#: ``-inf`` in their results), with the reason.
MAY_RETURN_INF: dict[str, str] = {
    "custcentric.sla.priority_waits": "the mean wait of a class with sigma_k >= 1 is infinite",
    "custcentric.segmentation.abc_classes": (
        "with no positive value every class above the last is empty, and the threshold of an "
        "empty class is inf"
    ),
}


#: Public callables that have no example yet (a new public name must join one or the other).
NOT_YET_COVERED: frozenset[str] = frozenset(
    {
        "custcentric.datasets.SampleCompany",
        "custcentric.datasets.generate_sample_company",
        "custcentric.datasets.load_cdnow",
        "custcentric.datasets.load_cdnow_summary",
        "custcentric.datasets.load_sample_company",
        "custcentric.idic.IDICData",
        "custcentric.idic.IDICPipeline",
        "custcentric.idic.IDICRun",
        "custcentric.maturity.Blocker",
        "custcentric.process.AuditEntry",
        "custcentric.process.Bottleneck",
        "custcentric.process.DependencyImpact",
        "custcentric.process.OwnershipIssue",
        "custcentric.process.RedesignPlan",
        "custcentric.process.RedesignProgramme",
        "custcentric.process.SLAProposal",
        "custcentric.process.SegmentReview",
        "custcentric.process.StepPlan",
        "custcentric.value.PurchaseModel",
        # Public names added by other work in this round, not yet given an example:
        "custcentric.idic.AssignOffers",
        "custcentric.idic.ChannelMixNeeds",
        "custcentric.idic.CustomizeStep",
        "custcentric.idic.IDICPipeline.from_dict",
        "custcentric.idic.IDICRun.from_dict",
        "custcentric.idic.IdentifyStep",
        "custcentric.idic.InteractStep",
        "custcentric.idic.ModelValue",
        "custcentric.idic.NeedsStep",
        "custcentric.idic.Persons",
        "custcentric.idic.ResolveIdentities",
        "custcentric.idic.SummariseInteractions",
        "custcentric.idic.ValueStep",
        "custcentric.process.RedesignPlan.from_dict",
        "custcentric.value.BetaGeoWithCovariates",
        "custcentric.value.BetaGeoWithCovariates.fit",
        "custcentric.value.CovariateFitResult",
        "custcentric.value.CustomersWithCovariates",
        "custcentric.value.ParetoNBDWithCovariates",
        "custcentric.value.ParetoNBDWithCovariates.fit",
        # The scenario layer (custcentric.simulate) and the fit's interval value, new this round:
        "custcentric.simulate.BehaviouralLinks",
        "custcentric.simulate.BehaviouralLinks.from_dict",
        "custcentric.simulate.BehaviouralLinks.illustrative",
        "custcentric.simulate.Comparison",
        "custcentric.simulate.ContactCentre",
        "custcentric.simulate.ContactCentre.from_dict",
        "custcentric.simulate.CycleTime",
        "custcentric.simulate.CycleTime.fit",
        "custcentric.simulate.CycleTime.from_dict",
        "custcentric.simulate.KeptTables",
        "custcentric.simulate.Population",
        "custcentric.simulate.Population.from_dict",
        "custcentric.simulate.RetentionCampaign",
        "custcentric.simulate.RetentionCampaign.from_dict",
        "custcentric.simulate.Scenario",
        "custcentric.simulate.Scenario.from_dict",
        "custcentric.simulate.Sensitivity",
        "custcentric.simulate.ServiceProcess",
        "custcentric.simulate.ServiceProcess.from_dict",
        "custcentric.simulate.ServiceProcess.from_event_log",
        "custcentric.simulate.ServiceTiers",
        "custcentric.simulate.ServiceTiers.from_dict",
        "custcentric.simulate.SimulationResult",
        "custcentric.simulate.compare",
        "custcentric.simulate.example_scenario",
        "custcentric.simulate.sensitivity",
        "custcentric.simulate.simulate",
        "custcentric.value.ParameterInterval",
    }
)
