"""``simulate``: run a scenario period by period, vectorised over customers.

One replication draws its customers once (purchase rates, dropout, spend, tier) and then
loops over periods only; every draw in a period is one NumPy call over the customers present
(their number does not depend on the scenario's policies, so two scenarios run on the same
root seed use the same random numbers for the same customers: common random numbers). Each
purpose (population, purchases, spend, each process, contacts, campaign, tables) has a stream
of its own, spawned from one :class:`numpy.random.SeedSequence` per replication.
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from custcentric._progress import ProgressLike, progress_reporter
from custcentric._time import SECONDS_PER_UNIT
from custcentric._validation import check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.segmentation import value_tiers
from custcentric.simulate._result import KeptTables, SimulationResult
from custcentric.simulate._scenario import Scenario, ServiceProcess
from custcentric.sla import erlang_c
from custcentric.typing import BoolArray, FloatArray, IntArray
from custcentric.value import (
    BetaGeo,
    BetaGeoBetaBinom,
    ModifiedBetaGeo,
    ParetoNBD,
    ShiftedBetaGeometric,
)

__all__ = ["DEFAULT_MEMORY_LIMIT", "seed_sequence", "simulate"]

#: The default ``memory_limit`` of :func:`simulate`, in bytes (4 GiB).
DEFAULT_MEMORY_LIMIT = 4 * 2**30

# Bytes of state and per-period work arrays per customer (measured: about 30 float64/int64
# arrays of the customers present are alive at once in a period).
_BYTES_PER_CUSTOMER = 8 * 30

# Streams per replication, by purpose.
_POPULATION, _PURCHASES, _SPEND, _CONTACTS, _CAMPAIGN, _TABLES, _LINKS = range(7)
_PROCESS_BASE = 100


def seed_sequence(rng: object) -> np.random.SeedSequence:
    """Return the root :class:`numpy.random.SeedSequence` of ``rng`` (None, seed, sequence, generator).

    Examples
    --------
    >>> seed_sequence(7).entropy
    7
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(0, 2**63 - 1)))
    if rng is None:
        return np.random.SeedSequence()
    value = check_number(rng, "rng", low=0, integer=True)
    return np.random.SeedSequence(int(value))


def replication_seed(root: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """Return replication ``index``'s sequence (the same for the same root, however often asked)."""
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, index))


def _stream(seq: np.random.SeedSequence, purpose: int) -> np.random.Generator:
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, purpose))
    return np.random.default_rng(child)


def _hazard(p: FloatArray, multiplier: FloatArray) -> FloatArray:
    """Return ``1 - (1 - p) ** m``: a per-step probability with its hazard multiplied by ``m``."""
    with np.errstate(divide="ignore"):
        out: FloatArray = -np.expm1(multiplier * np.log1p(-np.minimum(p, 1.0)))
    return out


def unit_of(value: Any) -> str:
    """Return an SLA's or a Compensation's time unit (``time_unit``, formerly ``unit``)."""
    unit: str = value.time_unit if hasattr(type(value), "time_unit") else value.unit
    return unit


def _log_multiplier(count: IntArray, m: float) -> FloatArray:
    if m == 1.0:
        return np.zeros(count.size)
    out: FloatArray = np.asarray(count * math.log(m), dtype=np.float64)
    return out


def simulate(
    scenario: Scenario,
    *,
    n_replications: int = 1,
    horizon: int | None = None,
    rng: object = None,
    progress: ProgressLike = None,
    keep_tables: bool = False,
    memory_limit: float = DEFAULT_MEMORY_LIMIT,
) -> SimulationResult:
    """Run a scenario: per replication and period, customers, purchases, value, service.

    Parameters
    ----------
    scenario : Scenario
        The company and its policies.
    n_replications : int, default 1
        Independent runs, each on its own stream (replication ``i`` uses the same random
        numbers in every scenario given the same ``rng``: see :func:`compare`).
    horizon : int, optional
        Periods to run; default ``scenario.horizon``.
    rng : None, int, SeedSequence or Generator
        The root of the random streams.
    progress : None, bool or callable
        None/False: silent; True: a tqdm bar if installed, else log lines on the
        ``custcentric`` logger and standard error; a callable receives a ``ProgressEvent``
        per replication.
    keep_tables : bool, default False
        Keep replication 0 whole as the library's tables (``result.tables``): a
        :class:`~custcentric.tables.TransactionLog` (the first purchase of each customer
        included), an :class:`~custcentric.tables.EventLog` (two events per case,
        ``"requested"`` and ``"completed"``) and an
        :class:`~custcentric.tables.InteractionLog` (inbound calls, outbound campaign
        offers), plus each customer's service tier.
    memory_limit : float, default 4 GiB
        Bytes the run may need; a larger run is refused before it starts.

    Returns
    -------
    SimulationResult

    Raises
    ------
    InvalidInputError
        For a bad option, or a run that would need more than ``memory_limit`` bytes.

    Notes
    -----
    Per period, for each customer present and alive (arrivals are Poisson; the start
    customers are at age 0, just after their first purchase):

    - BG/NBD: ``N ~ Poisson(lambda)`` purchases would be made; the customer leaves after
      purchase ``K ~ Geometric(p)`` (drawn afresh each period, which is exact because the
      geometric is memoryless), so ``min(N, K)`` are made. MBG/NBD also leaves at once with
      probability ``p`` on arrival. Pareto/NBD: remaining lifetime ``Exp(mu)``, purchases
      ``Poisson(lambda * time alive in the period)``. BG/BB: leaves with probability
      ``theta``, else buys with probability ``p``. sBG: leaves with probability ``theta``,
      else renews (one purchase). Without links (and campaign) this is the model itself.
    - Spend: the period's ``x`` purchases total ``Gamma(p x, nu)`` (gamma-gamma).
    - Cases: ``Binomial(purchases or contacts, share)`` per process; each draws its cycle time
      from its tier's distribution; each SLA that applies counts it breached when
      ``duration > target`` and pays ``Compensation.case_amount`` of the lateness, as
      :func:`custcentric.sla.evaluate_slas` does (cases are counted in the period they start).
    - Contacts: ``Poisson(contact_rate)``; spread evenly over the open intervals they give
      the load ``A``; each waits with probability :func:`custcentric.sla.erlang_c` and then
      ``Exp(mean h / (N - A))``.
    - Links: breaches, long waits and detractor experiences multiply the dropout hazard and
      purchase rate from the next period on (see :class:`BehaviouralLinks`).

    Purchases and revenue are repeat purchases (the acquisition purchase is not counted).

    Examples
    --------
    >>> from custcentric.simulate import Population, Scenario, simulate
    >>> from custcentric.value import BetaGeo, GammaGamma
    >>> scenario = Scenario(population=Population(
    ...     purchase_model=BetaGeo(0.243, 4.414, 0.793, 2.426, time_unit="W"),
    ...     spend_model=GammaGamma(6.25, 3.74, 15.44), n_customers=2000), horizon=39)
    >>> result = simulate(scenario, n_replications=4, rng=1)
    >>> result.purchases.shape
    (4, 39)
    >>> mean = result.kpis()["purchases"].mean() / 2000
    >>> bool(abs(mean - BetaGeo(0.243, 4.414, 0.793, 2.426).expected_purchases(39)) < 0.1)
    True
    """
    if not isinstance(cast(object, scenario), Scenario):
        msg = f"`scenario` must be a Scenario (got {type(scenario).__name__})."
        raise InvalidInputError(msg)
    reps = int(check_number(n_replications, "n_replications", low=1, integer=True))
    periods = (
        scenario.horizon
        if horizon is None
        else int(check_number(horizon, "horizon", low=1, integer=True))
    )
    if (
        horizon is not None
        and scenario.campaign is not None
        and scenario.campaign.period >= periods
    ):
        msg = f"`horizon` must reach the campaign's period {scenario.campaign.period} (got {periods})."
        raise InvalidInputError(msg)
    if not isinstance(cast(object, keep_tables), bool):
        msg = f"`keep_tables` must be True or False (got {fmt(keep_tables)})."
        raise InvalidInputError(msg)
    limit = check_number(memory_limit, "memory_limit", low=0, low_inclusive=False)
    pop = scenario.population
    expected = pop.n_customers + pop.acquisition_per_period * periods
    expected += 6.0 * math.sqrt(pop.acquisition_per_period * periods)
    needed = expected * _BYTES_PER_CUSTOMER
    if needed > limit:
        msg = (
            f"`memory_limit` must allow the run: about {needed / 2**20:,.0f} MiB for "
            f"{expected:,.0f} customers (limit {limit / 2**20:,.0f} MiB); simulate fewer "
            "customers or raise `memory_limit`."
        )
        raise InvalidInputError(msg)
    root = seed_sequence(rng)
    runs: list[dict[str, Any]] = []
    tables: KeptTables | None = None
    with progress_reporter(progress, "simulate", total=reps) as report:
        for i in range(reps):
            run = _Replication(
                scenario, periods, replication_seed(root, i), keep=keep_tables and i == 0
            )
            runs.append(run.run())
            if run.kept is not None:
                tables = run.kept
            report.advance(f"replication {i + 1}")
    stacked = {key: np.stack([r[key] for r in runs]) for key in runs[0]}
    return SimulationResult(
        scenario_name=scenario.name,
        time_unit=scenario.time_unit,
        tiers=scenario.tiers.names,
        discount_rate=scenario.discount_rate,
        tables=tables,
        **stacked,
    )


class _Replication:
    """One replication: draw the customers, then step through the periods."""

    def __init__(
        self, scenario: Scenario, periods: int, seq: np.random.SeedSequence, *, keep: bool
    ) -> None:
        self.s = scenario
        self.periods = periods
        self.seq = seq
        self.keep = keep
        self.kept: KeptTables | None = None
        self.gen_pop = _stream(seq, _POPULATION)
        self.gen_buy = _stream(seq, _PURCHASES)
        self.gen_spend = _stream(seq, _SPEND)
        self.gen_contact = _stream(seq, _CONTACTS)
        self.gen_links = _stream(seq, _LINKS)
        self.gen_tables = _stream(seq, _TABLES)
        self.gen_proc = [_stream(seq, _PROCESS_BASE + k) for k in range(len(scenario.processes))]

    # ------------------------------------------------------------------ the customers
    def _draw_customers(self) -> None:
        s, gen = self.s, self.gen_pop
        pop = s.population
        arrivals = gen.poisson(pop.acquisition_per_period, size=self.periods)
        born = np.concatenate(
            [
                np.zeros(pop.n_customers, dtype=np.int64),
                np.repeat(np.arange(self.periods), arrivals),
            ]
        )
        n = born.size
        self.n, self.born = n, born
        self.first_of_period = np.searchsorted(born, np.arange(self.periods + 1), side="right")
        model = pop.purchase_model
        self.alive = np.ones(n, dtype=bool)
        rate: FloatArray
        if isinstance(model, (BetaGeo, ModifiedBetaGeo)):
            self.lam = gen.gamma(model.r, 1.0 / model.alpha, size=n)
            self.p = np.clip(gen.beta(model.a, model.b, size=n), 1e-300, 1.0)
            rate = self.lam
            if isinstance(model, ModifiedBetaGeo):
                self.alive = gen.random(n) >= self.p
        elif isinstance(model, ParetoNBD):
            self.lam = gen.gamma(model.r, 1.0 / model.alpha, size=n)
            self.mu = gen.gamma(model.s, 1.0 / model.beta, size=n)
            rate = self.lam
        elif isinstance(model, BetaGeoBetaBinom):
            self.p = gen.beta(model.alpha, model.beta, size=n)
            self.theta = gen.beta(model.gamma, model.delta, size=n)
            rate = self.p
        else:
            assert isinstance(model, ShiftedBetaGeometric)
            self.theta = gen.beta(model.alpha, model.beta, size=n)
            rate = np.ones(n)
        spend = pop.spend_model
        if spend is not None:
            self.nu = gen.gamma(spend.q, 1.0 / spend.v, size=n)
            value = rate * spend.p / self.nu
        else:
            value = rate.copy()
        self.value = value
        names = self.s.tiers.names
        if n:
            tiers = value_tiers(value, shares=self.s.tiers.shares, labels=names)
            self.tier = np.asarray(tiers.tier, dtype=np.int64) - 1
        else:
            self.tier = np.zeros(0, dtype=np.int64)
        self.effect_dropout = np.zeros(n)
        self.effect_purchase = np.zeros(n)
        self.campaign_until = np.full(n, -1, dtype=np.int64)

    # ------------------------------------------------------------------ one period
    def _purchases(
        self, t: int, m: int, drop_mult: FloatArray, buy_mult: FloatArray
    ) -> tuple[IntArray, BoolArray]:
        """Return the purchases of customers ``0..m-1`` in period ``t`` and who left."""
        model = self.s.population.purchase_model
        gen = self.gen_buy
        alive = self.alive[:m]
        if isinstance(model, (BetaGeo, ModifiedBetaGeo)):
            wanted = gen.poisson(self.lam[:m] * buy_mult)
            p = np.maximum(_hazard(self.p[:m], drop_mult), 1e-300)
            k = gen.geometric(p)
            bought = np.where(alive, np.minimum(wanted, k), 0)
            left = alive & (k <= wanted)
        elif isinstance(model, ParetoNBD):
            with np.errstate(divide="ignore", over="ignore"):
                life = gen.exponential(1.0, size=m) / (self.mu[:m] * drop_mult)
            active = np.minimum(life, 1.0)
            wanted = gen.poisson(self.lam[:m] * buy_mult * active)
            bought = np.where(alive, wanted, 0)
            left = alive & (life < 1.0)
        elif isinstance(model, BetaGeoBetaBinom):
            leave = gen.random(m) < _hazard(self.theta[:m], drop_mult)
            buy = gen.random(m) < _hazard(self.p[:m], buy_mult)
            left = alive & leave
            bought = (alive & ~leave & buy).astype(np.int64)
        else:
            leave = gen.random(m) < _hazard(self.theta[:m], drop_mult)
            left = alive & leave
            bought = (alive & ~leave).astype(np.int64)
        return bought.astype(np.int64), left

    def run(self) -> dict[str, Any]:
        self._draw_customers()
        s, periods = self.s, self.periods
        k = len(s.tiers.names)
        out = {
            "customers_alive": np.zeros(periods, dtype=np.int64),
            "purchases": np.zeros(periods, dtype=np.int64),
            "revenue": np.zeros(periods),
            "compensation": np.zeros(periods),
            "campaign_cost": np.zeros(periods),
            "campaign_contacts": np.zeros(periods, dtype=np.int64),
            "contacts": np.zeros(periods, dtype=np.int64),
            "answered_in_time": np.zeros(periods, dtype=np.int64),
            "long_waits": np.zeros(periods, dtype=np.int64),
            "erlang_service_level": np.full(periods, np.nan),
            "average_wait": np.full(periods, np.nan),
            "sla_cases": np.zeros((periods, k), dtype=np.int64),
            "sla_breaches": np.zeros((periods, k), dtype=np.int64),
            "tier_compensation": np.zeros((periods, k)),
        }
        links = s.links
        keep: dict[str, list[Any]] = {key: [] for key in _KEEP_KEYS} if self.keep else {}
        spend = s.population.spend_model
        for t in range(periods):
            m = int(self.first_of_period[t])  # customers present in period t: 0..m-1
            alive_start = self.alive[:m].copy()
            drop_mult = np.exp(self.effect_dropout[:m])
            campaign = s.campaign
            if campaign is not None and t == campaign.period:
                self._campaign(t, m, out, keep)
            if campaign is not None:
                drop_mult = np.where(
                    self.campaign_until[:m] > t, drop_mult * campaign.dropout_multiplier, drop_mult
                )
            buy_mult = np.exp(self.effect_purchase[:m])
            bought, left = self._purchases(t, m, drop_mult, buy_mult)
            if spend is not None:
                totals = self.gen_spend.gamma(np.maximum(bought, 0) * spend.p, 1.0 / self.nu[:m])
                totals = np.where(bought > 0, totals, 0.0)
            else:
                totals = np.zeros(m)
            out["purchases"][t] = int(bought.sum())
            out["revenue"][t] = float(totals.sum())
            contacts = np.zeros(m, dtype=np.int64)
            long_wait = np.zeros(m, dtype=np.int64)
            cc = s.contact_centre
            if cc is not None:
                contacts, long_wait = self._contacts(t, m, alive_start, out, keep)
            breaches = np.zeros(m, dtype=np.int64)
            detractors = np.zeros(m, dtype=np.int64)
            for j, proc in enumerate(s.processes):
                starts = bought if proc.trigger == "purchase" else contacts
                b, d = self._cases(t, m, j, proc, starts, out, keep)
                breaches += b
                detractors += d
            self.alive[:m] &= ~left
            out["customers_alive"][t] = int(np.count_nonzero(self.alive[:m]))
            if not links.is_neutral or links.persistence:
                decay = links.persistence
                self.effect_dropout[:m] = (
                    self.effect_dropout[:m] * decay
                    + _log_multiplier(breaches, links.dropout_per_breach)
                    + _log_multiplier(long_wait, links.dropout_per_long_wait)
                    + _log_multiplier(detractors, links.dropout_per_detractor)
                )
                self.effect_purchase[:m] = (
                    self.effect_purchase[:m] * decay
                    + _log_multiplier(breaches, links.purchase_per_breach)
                    + _log_multiplier(long_wait, links.purchase_per_long_wait)
                    + _log_multiplier(detractors, links.purchase_per_detractor)
                )
            if self.keep:
                self._keep_purchases(t, bought, totals, keep)
        if self.keep:
            self.kept = _build_tables(self, keep)
        return out

    # ------------------------------------------------------------------ parts
    def _campaign(self, t: int, m: int, out: dict[str, Any], keep: dict[str, list[Any]]) -> None:
        campaign = self.s.campaign
        assert campaign is not None
        n_target = round(campaign.top_share * m)
        if n_target == 0:
            return
        chosen = np.argpartition(-self.value[:m], n_target - 1)[:n_target]
        if campaign.contact_policy is not None:
            from custcentric.tables import InteractionLog

            when = self._instant(t) + np.timedelta64(10 * 3600, "s")
            planned = InteractionLog.from_arrays(
                chosen.astype(np.int64),
                np.full(chosen.size, when),
                np.full(chosen.size, "phone"),
                np.full(chosen.size, "outbound"),
                np.full(chosen.size, "offer"),
            )
            check = campaign.contact_policy.check(planned, consent=planned.customer_id)
            chosen = np.asarray(planned.customer_id)[np.asarray(check.allowed, dtype=bool)]
        self.campaign_until[chosen] = t + campaign.duration
        out["campaign_contacts"][t] = chosen.size
        out["campaign_cost"][t] = chosen.size * campaign.cost_per_contact
        if self.keep:
            keep["offer_customer"].append(chosen.astype(np.int64))
            keep["offer_time"].append(
                np.full(chosen.size, self._instant(t) + np.timedelta64(10 * 3600, "s"))
            )

    def _contacts(
        self,
        t: int,
        m: int,
        alive: BoolArray,
        out: dict[str, Any],
        keep: dict[str, list[Any]],
    ) -> tuple[IntArray, IntArray]:
        cc = self.s.contact_centre
        assert cc is not None
        gen = self.gen_contact
        drawn = gen.poisson(cc.contact_rate, size=m)
        contacts = np.where(alive, drawn, 0).astype(np.int64)
        total = int(contacts.sum())
        seconds = SECONDS_PER_UNIT[cc.interval]
        load = total / cc.intervals_per_period * cc.handle_time / seconds
        n_agents = cc.agents
        stable = load < n_agents
        owner = np.repeat(np.arange(m, dtype=np.int64), contacts)
        if stable:
            p_wait = float(erlang_c(load, n_agents))
            mean_wait = cc.handle_time / (n_agents - load)
            waits = np.where(
                gen.random(total) < p_wait, gen.exponential(mean_wait, size=total), 0.0
            )
            out["average_wait"][t] = p_wait * mean_wait
            out["erlang_service_level"][t] = 1.0 - p_wait * math.exp(-cc.answer_time / mean_wait)
        else:
            waits = np.full(total, np.inf)
            out["average_wait"][t] = np.inf
            out["erlang_service_level"][t] = 0.0
        out["contacts"][t] = total
        out["answered_in_time"][t] = int(np.count_nonzero(waits <= cc.answer_time))
        long = waits > self.s.links.long_wait
        out["long_waits"][t] = int(np.count_nonzero(long))
        if self.keep:
            keep["call_customer"].append(owner)
            keep["call_time"].append(self._times(t, owner.size))
        long_wait = np.bincount(owner[long], minlength=m).astype(np.int64)
        return contacts, long_wait

    def _cases(
        self,
        t: int,
        m: int,
        j: int,
        proc: ServiceProcess,
        starts: IntArray,
        out: dict[str, Any],
        keep: dict[str, list[Any]],
    ) -> tuple[IntArray, IntArray]:
        gen = self.gen_proc[j]
        n_cases = gen.binomial(starts, proc.share)
        owner = np.repeat(np.arange(m, dtype=np.int64), n_cases)
        tier = self.tier[owner]
        duration = np.zeros(owner.size)
        for k, name in enumerate(self.s.tiers.names):
            dist = proc.cycle_time.get(name, proc.cycle_time.get("all"))
            assert dist is not None
            mask = tier == k
            count = int(np.count_nonzero(mask))
            if count:
                duration[mask] = dist.sample(gen, count) * (
                    SECONDS_PER_UNIT[dist.time_unit] / SECONDS_PER_UNIT["h"]
                )
        breached_any = np.zeros(owner.size, dtype=bool)
        n_tiers = len(self.s.tiers.names)
        for sla in proc.slas:
            covered = np.array([sla.applies_to(name) for name in self.s.tiers.names])[tier]
            late = duration * (SECONDS_PER_UNIT["h"] / SECONDS_PER_UNIT[unit_of(sla)]) - sla.target
            breach = covered & (late > 0)
            breached_any |= breach
            out["sla_cases"][t] += np.bincount(tier[covered], minlength=n_tiers)
            out["sla_breaches"][t] += np.bincount(tier[breach], minlength=n_tiers)
            comp = sla.compensation
            if comp is not None and owner.size:
                factor = SECONDS_PER_UNIT[unit_of(sla)] / SECONDS_PER_UNIT[unit_of(comp)]
                amount = np.where(covered, comp.case_amount(late * factor), 0.0)
                by_tier = np.bincount(tier, weights=amount, minlength=n_tiers)
                out["tier_compensation"][t] += by_tier
                out["compensation"][t] += float(by_tier.sum())
        links = self.s.links
        if links.detractor_share_breached or links.detractor_share_on_time:
            share = np.where(
                breached_any, links.detractor_share_breached, links.detractor_share_on_time
            )
            detractor = self.gen_links.random(owner.size) < share
        else:
            detractor = np.zeros(owner.size, dtype=bool)
        if self.keep:
            keep["case_process"].append(np.full(owner.size, j, dtype=np.int64))
            keep["case_customer"].append(owner)
            start = self._times(t, owner.size)
            keep["case_start"].append(start)
            keep["case_end"].append(start + np.round(duration * 3600).astype("timedelta64[s]"))
        breaches = np.bincount(owner[breached_any], minlength=m).astype(np.int64)
        detractors = np.bincount(owner[detractor], minlength=m).astype(np.int64)
        return breaches, detractors

    # ------------------------------------------------------------------ kept tables
    def _instant(self, t: float) -> np.datetime64:
        start = np.datetime64(self.s.start, "s")
        return start + np.timedelta64(round(t * SECONDS_PER_UNIT[self.s.time_unit]), "s")

    def _times(self, t: int, size: int) -> Any:
        offset = np.floor(self.gen_tables.random(size) * SECONDS_PER_UNIT[self.s.time_unit])
        return self._instant(t) + offset.astype("timedelta64[s]")

    def _keep_purchases(
        self, t: int, bought: IntArray, totals: FloatArray, keep: dict[str, list[Any]]
    ) -> None:
        owner = np.repeat(np.arange(bought.size, dtype=np.int64), bought)
        spend = self.s.population.spend_model
        if spend is not None and owner.size:
            # The period's total split over its purchases: Dirichlet(p, ..., p) shares are
            # independent of the gamma total, so each amount is Gamma(p, nu) as in the model.
            g = self.gen_tables.gamma(spend.p, 1.0, size=owner.size)
            share = g / np.bincount(owner, weights=g, minlength=bought.size)[owner]
            amounts = totals[owner] * share
        else:
            amounts = np.zeros(owner.size)
        keep["buy_customer"].append(owner)
        keep["buy_time"].append(self._times(t, owner.size))
        keep["buy_amount"].append(amounts)


_KEEP_KEYS = (
    "buy_customer",
    "buy_time",
    "buy_amount",
    "case_process",
    "case_customer",
    "case_start",
    "case_end",
    "call_customer",
    "call_time",
    "offer_customer",
    "offer_time",
)


def _cat(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _build_tables(rep: _Replication, keep: dict[str, list[Any]]) -> KeptTables:
    from custcentric.tables import EventLog, InteractionLog, TransactionLog

    s = rep.s
    n = rep.n
    first_time = np.array(
        [rep._instant(float(b)) for b in range(rep.periods)], dtype="datetime64[s]"
    )
    first = first_time[rep.born] if n else np.zeros(0, dtype="datetime64[s]")
    spend = s.population.spend_model
    first_amount = rep.gen_tables.gamma(spend.p, 1.0 / rep.nu) if spend is not None else np.zeros(n)
    customer = np.concatenate([np.arange(n, dtype=np.int64), _cat(keep["buy_customer"], np.int64)])
    when = np.concatenate([first, _cat(keep["buy_time"], "datetime64[s]")])
    amount = np.concatenate([first_amount, _cat(keep["buy_amount"], np.float64)])
    order = np.lexsort((when, customer))
    transactions = TransactionLog.from_arrays(customer[order], when[order], amount[order])
    proc_index = _cat(keep["case_process"], np.int64)
    owner = _cat(keep["case_customer"], np.int64)
    start = _cat(keep["case_start"], "datetime64[s]")
    end = _cat(keep["case_end"], "datetime64[s]")
    names = np.array([p.process_id for p in s.processes] or ["none"])
    case_id = np.arange(owner.size, dtype=np.int64)
    events = EventLog.from_arrays(
        np.concatenate([case_id, case_id]),
        np.concatenate([names[proc_index], names[proc_index]]),
        np.concatenate([np.full(owner.size, "requested"), np.full(owner.size, "completed")]),
        np.concatenate([start, end]),
        np.concatenate([owner, owner]),
    )
    calls = _cat(keep["call_customer"], np.int64)
    offers = _cat(keep["offer_customer"], np.int64)
    interactions = InteractionLog.from_arrays(
        np.concatenate([calls, offers]),
        np.concatenate(
            [_cat(keep["call_time"], "datetime64[s]"), _cat(keep["offer_time"], "datetime64[s]")]
        ),
        np.concatenate([np.full(calls.size, "phone"), np.full(offers.size, "phone")]),
        np.concatenate([np.full(calls.size, "inbound"), np.full(offers.size, "outbound")]),
        np.concatenate([np.full(calls.size, "inquiry"), np.full(offers.size, "offer")]),
    )
    tier_names = np.array(s.tiers.names)
    return KeptTables(
        transactions=transactions,
        events=events,
        interactions=interactions,
        customer_id=np.arange(n, dtype=np.int64),
        service_tier=tier_names[rep.tier] if n else np.zeros(0, dtype=str),
        observation_end=str(rep._instant(float(rep.periods))),
    )
