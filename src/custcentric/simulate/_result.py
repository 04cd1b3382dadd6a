"""``SimulationResult``: what a simulation measured, per replication and period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable, read_only
from custcentric._stats import ConfidenceInterval
from custcentric._validation import check_confidence_level
from custcentric.exceptions import InvalidInputError
from custcentric.tables import EventLog, InteractionLog, TransactionLog
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KPI_NAMES", "KeptTables", "SimulationResult", "mean_interval"]

#: The scalar KPIs of one replication (over the whole horizon), as :meth:`SimulationResult.kpis`.
KPI_NAMES = (
    "purchases",
    "revenue",
    "discounted_value",
    "compensation",
    "campaign_cost",
    "net_value",
    "customers_alive",
    "sla_compliance",
    "service_level",
    "contacts",
)


def mean_interval(values: FloatArray, confidence_level: float = 0.95) -> ConfidenceInterval:
    """Return the t interval of the mean of ``values`` (one per replication).

    With one value the interval is the point itself with ``n=1`` (no spread is known).

    Examples
    --------
    >>> import numpy as np
    >>> ci = mean_interval(np.array([1.0, 2.0, 3.0]))
    >>> round(ci.low, 3), round(ci.high, 3), ci.method
    (-0.484, 4.484, 't')
    """
    from scipy import stats

    level = check_confidence_level(confidence_level)
    x = np.asarray(values, dtype=np.float64)
    mean = float(x.mean())
    if x.size < 2 or not np.isfinite(x).all():
        return ConfidenceInterval(
            low=mean, high=mean, confidence_level=level, method="t", n=int(x.size)
        )
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return ConfidenceInterval(
        low=mean - half, high=mean + half, confidence_level=level, method="t", n=int(x.size)
    )


@attrs.frozen(kw_only=True, eq=False)
class KeptTables:
    """One replication kept whole, as the library's own tables.

    Attributes
    ----------
    transactions : TransactionLog
        Every purchase, the first (acquisition) purchase of each customer included.
    events : EventLog
        Two events per case: ``"requested"`` and ``"completed"``.
    interactions : InteractionLog
        Inbound calls and outbound campaign offers.
    customer_id, service_tier : ndarray
        Each customer's service tier (``segments=`` for :func:`custcentric.sla.evaluate_slas`).
    observation_end : str
        The end of the horizon (ISO 8601).

    Examples
    --------
    >>> from custcentric.simulate import example_scenario, simulate
    >>> kept = simulate(example_scenario(n_customers=300, horizon=8), rng=2,
    ...                 keep_tables=True).tables
    >>> type(kept.transactions).__name__, type(kept.events).__name__
    ('TransactionLog', 'EventLog')
    """

    transactions: TransactionLog
    events: EventLog
    interactions: InteractionLog
    customer_id: np.ndarray = attrs.field(converter=read_only)
    service_tier: np.ndarray = attrs.field(converter=read_only)
    observation_end: str

    def to_dict(self) -> dict[str, Any]:
        """Return the table sizes (the tables themselves go to CSV with their own writers).

        Examples
        --------
        >>> from custcentric.simulate import example_scenario, simulate
        >>> kept = simulate(example_scenario(n_customers=100, horizon=4), rng=2,
        ...                 keep_tables=True).tables
        >>> sorted(kept.to_dict())
        ['customers', 'events', 'interactions', 'observation_end', 'transactions']
        """
        return {
            "transactions": len(self.transactions),
            "events": len(self.events),
            "interactions": len(self.interactions),
            "customers": int(self.customer_id.size),
            "observation_end": self.observation_end,
        }


def _num(value: float) -> str:
    if not np.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _ratio(numerator: Any, denominator: Any) -> FloatArray:
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


@attrs.frozen(kw_only=True, eq=False)
class SimulationResult(Result):
    """Per replication and period: customers, purchases, value, service, campaign cost.

    Arrays of shape ``(n_replications, horizon)``; the per-tier ones
    ``(n_replications, horizon, n_tiers)``, tiers in the order of ``tiers``.

    Attributes
    ----------
    scenario_name, time_unit : str
        The scenario's name and period length.
    tiers : tuple of str
        The service tiers.
    discount_rate : float
        Per period.
    customers_alive, purchases, contacts, answered_in_time, long_waits, campaign_contacts : ndarray of int64
        Counts per period (alive at the end of the period; repeat purchases; contacts;
        contacts answered within the answer time; contacts waiting beyond ``long_wait``;
        campaign contacts made).
    revenue, compensation, campaign_cost : ndarray of float64
        Money per period.
    erlang_service_level, average_wait : ndarray of float64
        Erlang C's service level and mean wait (seconds) for the period's load (NaN without
        a contact centre; the wait is infinite when the queue is unstable).
    sla_cases, sla_breaches : ndarray of int64
        SLA evaluations (case × applicable SLA) and breaches per period and tier.
    tier_compensation : ndarray of float64
        Compensation per period and tier.
    tables : KeptTables or None
        Replication 0 kept whole (``keep_tables=True``).

    Examples
    --------
    >>> from custcentric.simulate import example_scenario, simulate
    >>> result = simulate(example_scenario(n_customers=500, horizon=6), n_replications=3, rng=4)
    >>> result.n_replications, result.horizon, result.tiers
    (3, 6, ('gold', 'silver', 'bronze'))
    >>> print(result)  # doctest: +ELLIPSIS
    Simulation of 'bundled company' (3 replications x 6 W), means with 95% t intervals:
      purchases ...
    >>> frame = result.to_pandas()
    >>> list(frame.columns)
    ['replication', 'period', 'kpi', 'tier', 'value']
    """

    _PERIOD: ClassVar[tuple[str, ...]] = (
        "customers_alive",
        "purchases",
        "revenue",
        "compensation",
        "campaign_cost",
        "campaign_contacts",
        "contacts",
        "answered_in_time",
        "long_waits",
        "erlang_service_level",
        "average_wait",
    )
    _TIERED: ClassVar[tuple[str, ...]] = ("sla_cases", "sla_breaches", "tier_compensation")

    scenario_name: str
    time_unit: str
    tiers: tuple[str, ...]
    discount_rate: float
    customers_alive: np.ndarray = attrs.field(converter=read_only)
    purchases: np.ndarray = attrs.field(converter=read_only)
    revenue: np.ndarray = attrs.field(converter=read_only)
    compensation: np.ndarray = attrs.field(converter=read_only)
    campaign_cost: np.ndarray = attrs.field(converter=read_only)
    campaign_contacts: np.ndarray = attrs.field(converter=read_only)
    contacts: np.ndarray = attrs.field(converter=read_only)
    answered_in_time: np.ndarray = attrs.field(converter=read_only)
    long_waits: np.ndarray = attrs.field(converter=read_only)
    erlang_service_level: np.ndarray = attrs.field(converter=read_only)
    average_wait: np.ndarray = attrs.field(converter=read_only)
    sla_cases: np.ndarray = attrs.field(converter=read_only)
    sla_breaches: np.ndarray = attrs.field(converter=read_only)
    tier_compensation: np.ndarray = attrs.field(converter=read_only)
    tables: KeptTables | None = None

    @property
    def n_replications(self) -> int:
        """The number of replications."""
        return int(self.purchases.shape[0])

    @property
    def horizon(self) -> int:
        """The number of periods."""
        return int(self.purchases.shape[1])

    @property
    def discount(self) -> FloatArray:
        """The discount factor of each period, ``(1 + d) ** -(t + 1)``."""
        out: FloatArray = (1.0 + self.discount_rate) ** -np.arange(1.0, self.horizon + 1.0)
        return out

    @property
    def discounted_value(self) -> FloatArray:
        """Revenue per period, discounted."""
        out: FloatArray = self.revenue * self.discount
        return out

    @property
    def net_value(self) -> FloatArray:
        """Revenue less compensation and campaign cost per period, discounted."""
        out: FloatArray = (self.revenue - self.compensation - self.campaign_cost) * self.discount
        return out

    @property
    def sla_compliance(self) -> FloatArray:
        """Share of SLA evaluations met per replication, period and tier (NaN: no case)."""
        return _ratio(self.sla_cases - self.sla_breaches, self.sla_cases)

    @property
    def service_level(self) -> FloatArray:
        """Simulated share of contacts answered within the answer time (NaN: no contact)."""
        return _ratio(self.answered_in_time, self.contacts)

    def kpis(self, *, tier: str | None = None) -> dict[str, FloatArray]:
        """Return each KPI of each replication over the whole horizon (one value per replication).

        Sums over periods for counts and money (``customers_alive`` at the end); shares as
        totals' ratios. With ``tier``, ``sla_compliance`` and ``compensation`` are that
        tier's. A share with nothing to count (no case, no contact) is NaN.

        Examples
        --------
        >>> from custcentric.simulate import example_scenario, simulate
        >>> result = simulate(example_scenario(n_customers=300, horizon=4), n_replications=2,
        ...                   rng=1)
        >>> sorted(result.kpis())[:3]
        ['campaign_cost', 'compensation', 'contacts']
        """
        cases, breaches, comp = self.sla_cases, self.sla_breaches, self.tier_compensation
        if tier is not None:
            if tier not in self.tiers:
                msg = f"`tier` must be one of {list(self.tiers)} (got {tier!r})."
                raise InvalidInputError(msg)
            k = self.tiers.index(tier)
            cases, breaches, comp = (
                cases[..., k : k + 1],
                breaches[..., k : k + 1],
                comp[..., k : k + 1],
            )
        n_cases = cases.sum(axis=(1, 2))
        return {
            "purchases": self.purchases.sum(axis=1).astype(np.float64),
            "revenue": self.revenue.sum(axis=1),
            "discounted_value": self.discounted_value.sum(axis=1),
            "compensation": comp.sum(axis=(1, 2))
            if tier is not None
            else self.compensation.sum(axis=1),
            "campaign_cost": self.campaign_cost.sum(axis=1),
            "net_value": self.net_value.sum(axis=1),
            "customers_alive": self.customers_alive[:, -1].astype(np.float64),
            "sla_compliance": _ratio(n_cases - breaches.sum(axis=(1, 2)), n_cases),
            "service_level": _ratio(self.answered_in_time.sum(axis=1), self.contacts.sum(axis=1)),
            "contacts": self.contacts.sum(axis=1).astype(np.float64),
        }

    def interval(
        self, kpi: str, *, confidence_level: float = 0.95, tier: str | None = None
    ) -> ConfidenceInterval:
        """Return the t interval of a KPI's mean across replications.

        Examples
        --------
        >>> from custcentric.simulate import example_scenario, simulate
        >>> result = simulate(example_scenario(n_customers=300, horizon=4), n_replications=5,
        ...                   rng=1)
        >>> ci = result.interval("revenue")
        >>> bool(ci.low < result.kpis()["revenue"].mean() < ci.high)
        True
        """
        values = self.kpis(tier=tier)
        if kpi not in values:
            msg = f"`kpi` must be one of {', '.join(KPI_NAMES)} (got {kpi!r})."
            raise InvalidInputError(msg)
        x = values[kpi]
        if np.isnan(x).any():
            msg = f"`kpi` {kpi!r} has nothing to measure in this scenario (no case or no contact)."
            raise InvalidInputError(msg)
        return mean_interval(x, confidence_level)

    def summary(self, *, confidence_level: float = 0.95) -> str:
        """Return each KPI's mean with its interval across replications, one line each."""
        level = check_confidence_level(confidence_level)
        head = (
            f"Simulation of {self.scenario_name!r} ({self.n_replications} replications x "
            f"{self.horizon} {self.time_unit}), means with {100 * level:g}% t intervals:"
        )
        lines = [head]
        for name, x in self.kpis().items():
            if np.isnan(x).any():
                lines.append(f"  {name:<17} n/a (nothing to measure)")
                continue
            ci = mean_interval(x, level)
            mean = float(x.mean())
            lines.append(f"  {name:<17} {_num(mean):>14}  ({_num(ci.low)} .. {_num(ci.high)})")
        for tier in self.tiers:
            x = self.kpis(tier=tier)["sla_compliance"]
            if not np.isnan(x).any() and self.sla_cases.sum():
                ci = mean_interval(x, level)
                lines.append(
                    f"  compliance {tier:<6} {float(x.mean()):>14.4f}  ({ci.low:.4f} .. {ci.high:.4f})"
                )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data: the settings, every array, and the KPI summary.

        Examples
        --------
        >>> import json
        >>> from custcentric.simulate import example_scenario, simulate
        >>> data = simulate(example_scenario(n_customers=200, horizon=3), rng=1).to_dict()
        >>> json.loads(json.dumps(data, allow_nan=False))["horizon"]
        3
        """
        out: dict[str, Any] = {
            "scenario_name": self.scenario_name,
            "time_unit": self.time_unit,
            "tiers": list(self.tiers),
            "discount_rate": self.discount_rate,
            "n_replications": self.n_replications,
            "horizon": self.horizon,
        }
        for name in (*self._PERIOD, *self._TIERED):
            out[name] = jsonable(getattr(self, name))
        summary: dict[str, Any] = {}
        for name, x in self.kpis().items():
            if np.isnan(x).any():
                summary[name] = None
                continue
            ci = mean_interval(x)
            summary[name] = {"mean": jsonable(float(x.mean())), "interval": ci.to_dict()}
        out["summary"] = summary
        out["tables"] = None if self.tables is None else self.tables.to_dict()
        return out

    def to_pandas(self) -> pd.DataFrame:
        """Return a long table: one row per replication, period, KPI and tier (``"all"``).

        Examples
        --------
        >>> from custcentric.simulate import example_scenario, simulate
        >>> frame = simulate(example_scenario(n_customers=200, horizon=3), rng=1).to_pandas()
        >>> sorted(set(frame["kpi"]))[:3]
        ['answered_in_time', 'average_wait', 'campaign_contacts']
        """
        reps, periods = self.purchases.shape
        rep_index = np.repeat(np.arange(reps), periods)
        period_index = np.tile(np.arange(periods), reps)
        parts: dict[str, list[Any]] = {
            k: [] for k in ("replication", "period", "kpi", "tier", "value")
        }

        def add(name: str, values: Any, tier: str) -> None:
            flat = np.asarray(values, dtype=np.float64).reshape(-1)
            parts["replication"].append(rep_index)
            parts["period"].append(period_index)
            parts["kpi"].append(np.full(flat.size, name, dtype=object))
            parts["tier"].append(np.full(flat.size, tier, dtype=object))
            parts["value"].append(flat)

        for name in self._PERIOD:
            add(name, getattr(self, name), "all")
        add("discounted_value", self.discounted_value, "all")
        add("net_value", self.net_value, "all")
        add("service_level", self.service_level, "all")
        compliance = self.sla_compliance
        for k, tier in enumerate(self.tiers):
            add("sla_cases", self.sla_cases[..., k], tier)
            add("sla_breaches", self.sla_breaches[..., k], tier)
            add("sla_compliance", compliance[..., k], tier)
            add("compensation", self.tier_compensation[..., k], tier)
        return make_frame({k: np.concatenate(v) for k, v in parts.items()})
