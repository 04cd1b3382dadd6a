"""``RedesignProgramme``: the nine steps of customer-process re-engineering as composable calls."""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._deprecation import REMOVED_IN, SINCE, warn_deprecated
from custcentric._pandas import make_frame
from custcentric._result import Result
from custcentric._time import check_time_unit
from custcentric._validation import check_number, fmt
from custcentric.domain import SLA, CustomerProcess
from custcentric.domain._base import renamed_fields
from custcentric.exceptions import InvalidInputError
from custcentric.process._cycle import Calendar, CycleTimes, cycle_times, require_type
from custcentric.process._drivers import DriverImportance, driver_importance
from custcentric.process._percentiles import PercentileMethod, check_method
from custcentric.process._performance import check_censoring
from custcentric.process._priority import KeyProcesses, Priorities, key_processes, prioritise
from custcentric.process._steps import (
    AuditEntry,
    DependencyImpact,
    OwnershipIssue,
    SegmentReview,
    SLAProposal,
    StepPlan,
    audit_processes,
    check_ownership,
    dependency_impact,
    implementation_steps,
    propose_slas,
    tier_of_cases,
    to_plain,
    top_by,
    touched,
)
from custcentric.tables import EventLog
from custcentric.typing import RNGLike, TimeUnit

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RedesignPlan", "RedesignProgramme"]

STEPS = (
    "audit",
    "key_processes",
    "priorities",
    "value_contribution",
    "implementation",
    "ownership",
    "dependencies",
    "slas",
    "segments",
)


def _deprecated_unit(value: Any) -> str:
    name = type(value).__name__
    warn_deprecated(f"`{name}.unit`", f"`{name}.time_unit`", since=SINCE, removed_in=REMOVED_IN)
    return str(value.time_unit)


#: What each step of a plan holds, to read :meth:`RedesignPlan.to_dict` back.
_STEP_TYPES: dict[str, tuple[type, bool]] = {
    "audit": (AuditEntry, True),
    "key_processes": (KeyProcesses, False),
    "priorities": (Priorities, False),
    "value_contribution": (DriverImportance, False),
    "implementation": (StepPlan, True),
    "ownership": (OwnershipIssue, True),
    "dependencies": (DependencyImpact, True),
    "slas": (SLAProposal, True),
    "segments": (SegmentReview, False),
}
#: Keys of a step's dict that are derived, not fields (written for readers, not read back).
_DERIVED: dict[type, tuple[str, ...]] = {KeyProcesses: ("key",), Priorities: ("rank",)}


def _rebuild(cls: type, data: object, where: str) -> Any:
    """Build one step result of ``cls`` from its plain dict (lists back to tuples and arrays)."""
    if not isinstance(data, Mapping):
        msg = f"`{where}` must be a mapping of {cls.__name__} fields (got {fmt(data)})."
        raise InvalidInputError(msg)
    fields = {f.name: f for f in attrs.fields(cls)}
    derived = _DERIVED.get(cls, ())
    unknown = sorted(k for k in data if k not in fields and k not in derived)
    missing = sorted(k for k, f in fields.items() if k not in data and f.default is attrs.NOTHING)
    if unknown or missing:
        msg = (
            f"`{where}` must hold the fields of {cls.__name__} "
            f"(unknown {unknown}, missing {missing})."
        )
        raise InvalidInputError(msg)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in derived:
            continue
        kind = str(fields[name].type)
        if value is None and kind == "float":
            value = math.nan  # written as None: NaN is not JSON
        elif kind == "SLA":
            value = SLA.from_dict(value)
        elif kind.startswith("tuple[SLAProposal"):
            value = tuple(_rebuild(SLAProposal, v, f"{where}.{name}") for v in value)
        elif kind.startswith("tuple") and isinstance(value, list):
            value = tuple(value)
        elif "Array" in kind and value is not None:
            value = np.asarray([math.nan if v is None else v for v in _flat(value)]).reshape(
                np.shape(np.asarray(value, dtype=object))
            )
        values[name] = value
    return cls(**values)


def _flat(value: Any) -> list[Any]:
    return np.asarray(value, dtype=object).reshape(-1).tolist()


@renamed_fields(unit="time_unit")
@attrs.frozen(kw_only=True)
class RedesignPlan(Result):
    """The outcome of a redesign programme: one field per step (None where not run).

    Attributes
    ----------
    audit : tuple of AuditEntry or None
        Step 1: every process that touches customers.
    key_processes : KeyProcesses or None
        Step 2.
    priorities : Priorities or None
        Step 3.
    value_contribution : DriverImportance or None
        Step 4.
    implementation : tuple of StepPlan or None
        Step 5: front-line and support steps of each key process.
    ownership : tuple of OwnershipIssue or None
        Step 6: key processes without one cross-department owner (empty: all owned).
    dependencies : tuple of DependencyImpact or None
        Step 7.
    slas : tuple of SLAProposal or None
        Step 8.
    segments : SegmentReview or None
        Step 9.
    key : tuple of str
        The key processes the later steps worked on.
    time_unit : str
        The clock unit of the cycle times (``unit`` is its deprecated name).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events)
    >>> plan = programme.audit().key_processes(coverage=0.8).plan()
    >>> plan.key_processes.n_key, plan.key[:2], plan.priorities is None
    (7, ('order-to-delivery', 'onboarding'), True)

    The plan is stored as JSON and read back:

    >>> import json
    >>> back = RedesignPlan.from_dict(json.loads(json.dumps(plan.to_dict())))
    >>> back.to_dict() == plan.to_dict(), back.key_processes.key == plan.key_processes.key
    (True, True)
    """

    audit: tuple[AuditEntry, ...] | None = None
    key_processes: KeyProcesses | None = None
    priorities: Priorities | None = None
    value_contribution: DriverImportance | None = None
    implementation: tuple[StepPlan, ...] | None = None
    ownership: tuple[OwnershipIssue, ...] | None = None
    dependencies: tuple[DependencyImpact, ...] | None = None
    slas: tuple[SLAProposal, ...] | None = None
    segments: SegmentReview | None = None
    key: tuple[str, ...] = ()
    time_unit: str = "D"

    @property
    def unit(self) -> str:
        """Deprecated name of ``time_unit`` (warns)."""
        return _deprecated_unit(self)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data, one entry per step; :meth:`from_dict` reads it back."""
        out = {name: to_plain(getattr(self, name)) for name in STEPS}
        out["key"] = list(self.key)
        out["time_unit"] = self.time_unit
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RedesignPlan:
        """Read a plan back from :meth:`to_dict` output (or JSON read back from it).

        A plan written with ``"unit"`` (before ``time_unit``) still loads.

        Raises
        ------
        InvalidInputError
            For a missing or unknown key, or a step that does not hold its result's fields.
        """
        if not isinstance(cast(object, data), Mapping):
            msg = f"`data` must be a mapping for RedesignPlan.from_dict (got {fmt(data)})."
            raise InvalidInputError(msg)
        fields = dict(data)
        if "unit" in fields and "time_unit" not in fields:
            fields["time_unit"] = fields.pop("unit")
        allowed = {*STEPS, "key", "time_unit"}
        unknown = sorted(set(fields) - allowed)
        if unknown:
            msg = f"`data` must only have the keys {sorted(allowed)} (got {unknown})."
            raise InvalidInputError(msg)
        values: dict[str, Any] = {
            "key": tuple(fields.get("key", ())),
            "time_unit": check_time_unit(fields.get("time_unit", "D"), name="time_unit"),
        }
        for step in STEPS:
            raw = fields.get(step)
            if raw is None:
                continue
            kind, many = _STEP_TYPES[step]
            if many:
                if not isinstance(raw, list | tuple):
                    msg = f"`{step}` must be a list of {kind.__name__} dicts (got {fmt(raw)})."
                    raise InvalidInputError(msg)
                values[step] = tuple(_rebuild(kind, v, f"{step}[{i}]") for i, v in enumerate(raw))
            else:
                values[step] = _rebuild(kind, raw, step)
        return cls(**values)

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per step: its number, name and whether it was run."""
        return make_frame(
            {
                "step": np.arange(1, len(STEPS) + 1),
                "name": np.array(STEPS, dtype=np.str_),
                "run": np.array([getattr(self, s) is not None for s in STEPS]),
            }
        )

    def summary(self) -> str:
        """Return a readable account of the steps that were run."""
        lines = ["Customer-process redesign plan"]
        if self.audit is not None:
            touching = [a for a in self.audit if a.touches_customers]
            odd = [a.process for a in self.audit if not a.in_catalogue]
            lines.append(
                f"1 audit: {len(touching)} processes touch customers; "
                f"{sum(a.n_cases for a in self.audit):,} cases"
                + (f"; not in the catalogue: {', '.join(odd)}" if odd else "")
            )
        if self.key_processes is not None:
            kp = self.key_processes
            lines.append(
                f"2 key processes: {kp.n_key} of {len(kp.names)} hold "
                f"{100 * kp.share:.1f} % of impact: {', '.join(kp.key)}"
            )
        if self.priorities is not None:
            top = ", ".join(
                f"{p} ({s:.2f})"
                for p, s in zip(self.priorities.top(3), self.priorities.score, strict=False)
            )
            lines.append(f"3 priorities: {top}")
        if self.value_contribution is not None:
            v = self.value_contribution
            first = v.ranked()[0]
            share = float(v.rescaled[v.names.index(first)])
            lines.append(
                f"4 value contribution ({v.method}, R² {v.r_squared:.3f}): "
                f"{first} explains {share:.0f} %"
            )
        if self.implementation is not None:
            front = sum(len(s.front_line) for s in self.implementation)
            back = sum(len(s.support) for s in self.implementation)
            lines.append(f"5 implementation: {front} front-line and {back} support steps to change")
        if self.ownership is not None:
            issues = "; ".join(f"{o.process}: {o.reason}" for o in self.ownership)
            lines.append(
                f"6 ownership: {issues or 'every key process has a cross-department owner'}"
            )
        if self.dependencies is not None:
            deps = ", ".join(
                f"{d.party} ({100 * d.share_of_cases:.0f} %)" for d in self.dependencies[:3]
            )
            lines.append(f"7 dependencies: {deps or 'none'}")
        if self.slas is not None:
            lines.append(f"8 SLAs ({len(self.slas)} proposed):")
            lines += [f"    {p.sla.process_id}: {p.sla.name}" for p in self.slas]
        if self.segments is not None:
            s = self.segments
            lines.append(
                f"9 segments: top processes for {s.top_tier}: {', '.join(s.top_processes)}; "
                f"key only for them: {', '.join(s.key_only_for_top) or 'none'}; "
                f"{len(s.slas)} tier SLAs"
            )
        return "\n".join(lines)


def _catalogue(processes: Iterable[CustomerProcess]) -> tuple[CustomerProcess, ...]:
    items = tuple(processes)
    for i, p in enumerate(items):
        require_type(p, CustomerProcess, f"processes[{i}]")
    ids = [p.id for p in items]
    if len(set(ids)) != len(ids):
        msg = f"`processes` must have distinct ids (got {ids})."
        raise InvalidInputError(msg)
    return items


def _cycle_time_unit_keyword() -> str:
    """Return the time-unit keyword of :func:`cycle_times` (``time_unit``; ``unit`` before)."""
    return "time_unit" if "time_unit" in inspect.signature(cycle_times).parameters else "unit"


@renamed_fields(unit="time_unit")
@attrs.frozen(eq=False)
class RedesignProgramme(Result):
    """The nine steps of customer-process re-engineering (source S5) over a process portfolio.

    Each step is a method that returns a new programme with the step's result recorded
    (the programme is an immutable value); :meth:`plan` collects the results. Steps 3 to 9
    work on the key processes once step 2 has run (on every catalogued process before).

    Parameters
    ----------
    processes : iterable of CustomerProcess
        The process catalogue.
    events : EventLog
        The events behind it. Processes in the log but not in the catalogue are listed by
        :meth:`audit` and left out of the cycle times (their closing step is unknown).
    calendar : object with ``duration(start, end, unit)``, optional
    observation_end : datetime64 or str, optional
    time_unit : {"s", "m", "h", "D", "W"}, default "D"
        The clock unit of the cycle times (``unit=`` is its deprecated name).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events).audit()
    >>> programme = programme.key_processes(coverage=0.8).ownership()
    >>> plan = programme.plan()
    >>> plan.key_processes.n_key, plan.ownership
    (7, ())
    >>> print(programme.summary().splitlines()[0])
    Redesign programme over 10 processes, cycle times in D; steps run: audit, key_processes, ownership
    """

    processes: tuple[CustomerProcess, ...] = attrs.field(converter=_catalogue)
    events: EventLog
    calendar: Calendar | None = attrs.field(default=None, kw_only=True)
    observation_end: Any = attrs.field(default=None, kw_only=True)
    time_unit: TimeUnit = attrs.field(default="D", kw_only=True)
    results: Mapping[str, Any] = attrs.field(factory=dict, kw_only=True)
    cycle: CycleTimes | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        require_type(self.events, EventLog, "events")
        check_time_unit(self.time_unit, name="time_unit")
        if self.cycle is None:
            known = {p.id for p in self.processes}
            catalogued = (
                EventLog.from_arrays(
                    *(
                        getattr(self.events, f)[np.isin(self.events.process, list(known))]
                        for f in ("case_id", "process", "activity", "timestamp", "customer_id")
                    )
                )
                if not np.isin(self.events.process, list(known)).all()
                else self.events
            )
            end = self.observation_end
            if end is None and len(self.events):
                end = self.events.timestamp.max()
            cycle = cycle_times(
                catalogued,
                processes=self.processes,
                calendar=self.calendar,
                observation_end=end,
                **{_cycle_time_unit_keyword(): self.time_unit},
            )
            object.__setattr__(self, "cycle", cycle)

    @property
    def unit(self) -> str:
        """Deprecated name of ``time_unit`` (warns)."""
        return _deprecated_unit(self)

    def summary(self) -> str:
        """Return the portfolio, the steps run so far and their plan."""
        run = [s for s in STEPS if s in self.results] or ["none"]
        head = (
            f"Redesign programme over {len(self.processes)} processes, cycle times in "
            f"{self.time_unit}; steps run: {', '.join(run)}"
        )
        return head + "\n" + self.plan().summary()

    def to_dict(self) -> dict[str, Any]:
        """Return the programme's settings and its plan so far as plain JSON-ready data."""
        return {
            "processes": [p.to_dict() for p in self.processes],
            "time_unit": self.time_unit,
            "plan": self.plan().to_dict(),
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return the plan's steps, one row each (see :meth:`RedesignPlan.to_pandas`)."""
        return self.plan().to_pandas()

    def _with(self, **results: Any) -> RedesignProgramme:
        return attrs.evolve(self, results={**self.results, **results})

    @property
    def cycle_times(self) -> CycleTimes:
        """The cycle times of the catalogued processes' cases."""
        return cast("CycleTimes", self.cycle)

    @property
    def key(self) -> tuple[CustomerProcess, ...]:
        """The key processes (step 2), or every catalogued process before step 2 has run."""
        kp = self.results.get("key_processes")
        if kp is None:
            return self.processes
        by_id = {p.id: p for p in self.processes}
        return tuple(by_id[name] for name in kp.key if name in by_id)

    def audit(self) -> RedesignProgramme:
        """Step 1: map every process that touches customers, from the log and the catalogue."""
        return self._with(audit=audit_processes(self.processes, self.events, self.cycle_times))

    def key_processes(
        self, impact: Mapping[str, float] | None = None, *, coverage: float = 0.99
    ) -> RedesignProgramme:
        """Step 2: the smallest set of processes holding ``coverage`` of customer impact.

        ``impact`` defaults to the distinct customers each catalogued process touched.
        """
        if impact is None:
            counts = touched(self.cycle_times)
            impact = {p.id: float(counts.get(p.id, 0)) for p in self.processes}
        return self._with(key_processes=key_processes(impact, coverage=coverage))

    def prioritise(
        self,
        scores: Mapping[str, Mapping[str, float]],
        goal_weights: Mapping[str, float] | ArrayLike,
        *,
        normalisation: Literal["min_max", "ratio_max", "none"] = "min_max",
        lower_is_better: Sequence[str] = (),
    ) -> RedesignProgramme:
        """Step 3: weighted scoring of the key processes against the CRM goals."""
        missing = [p.id for p in self.key if p.id not in scores]
        if missing:
            msg = f"`scores` must score every key process (missing {missing[0]!r})."
            raise InvalidInputError(msg)
        chosen = {p.id: scores[p.id] for p in self.key}
        result = prioritise(
            chosen, goal_weights, normalisation=normalisation, lower_is_better=lower_is_better
        )
        return self._with(priorities=result)

    def value_contribution(
        self,
        X: ArrayLike,  # noqa: N803 - the usual name of a design matrix
        y: ArrayLike,
        *,
        names: Sequence[str],
        method: Literal["relative_weights", "shapley"] = "relative_weights",
        minimum_standard: Mapping[str, float] | None = None,
        n_bootstrap: int = 0,
        rng: RNGLike = None,
    ) -> RedesignProgramme:
        """Step 4: each process's contribution to perceived value, and the customers' standard.

        ``minimum_standard`` maps a process id to the longest cycle time (in the programme's
        unit) customers say they accept; step 8 sets targets from it.
        """
        result = driver_importance(
            X, y, method=method, names=names, n_bootstrap=n_bootstrap, rng=rng
        )
        standards = dict(self.results.get("standards", {}))
        for pid, value in (minimum_standard or {}).items():
            standards[str(pid)] = check_number(value, f"minimum_standard[{pid!r}]", low=0)
        return self._with(value_contribution=result, standards=standards)

    def implementation(self) -> RedesignProgramme:
        """Step 5: the front-line and support steps each key process changes."""
        return self._with(implementation=implementation_steps(self.key))

    def ownership(self, owners: Mapping[str, str] | None = None) -> RedesignProgramme:
        """Step 6: list key processes without one cross-department owner."""
        return self._with(ownership=check_ownership(self.key, owners))

    def dependencies(self) -> RedesignProgramme:
        """Step 7: the partners and suppliers the key processes depend on, by cases."""
        return self._with(dependencies=dependency_impact(self.key, self.cycle_times))

    def slas(
        self,
        *,
        target_share: float = 0.9,
        percentile_method: PercentileMethod = "nearest_rank",
        minimum_standard: Mapping[str, float] | None = None,
        censoring: Literal["closed_only", "kaplan_meier"] = "closed_only",
    ) -> RedesignProgramme:
        """Step 8: propose cycle-time SLAs for the key processes.

        The target is ``min(observed target_share-quantile, standard)`` rounded up to 0.1
        unit: never looser than today's performance nor than what customers accept. With
        ``censoring="kaplan_meier"`` the observed quantile counts the open cases as
        right-censored instead of leaving them out; a process with too
        many open cases to reach the quantile gets no proposal, with a
        :class:`~custcentric.exceptions.DegenerateDataWarning`.
        """
        share = check_number(target_share, "target_share", low=0, high=1, low_inclusive=False)
        method = check_method(percentile_method)
        censor = check_censoring(censoring)
        standards = {**self.results.get("standards", {}), **(minimum_standard or {})}
        proposals = propose_slas(
            self.cycle_times,
            [p.id for p in self.key],
            target_share=share,
            percentile_method=method,
            standards=standards,
            censoring=censor,
        )
        return self._with(slas=proposals, standards=standards, sla_options=(share, method, censor))

    def segment(
        self,
        customer_id: ArrayLike,
        tier: ArrayLike,
        *,
        top_tier: str,
        n_top: int = 10,
    ) -> RedesignProgramme:
        """Step 9: re-evaluate the processes for the top tier and revise SLAs per tier.

        Parameters
        ----------
        customer_id, tier : array_like
            Each customer's tier label (e.g. from ``custcentric.segmentation``); every
            customer of the event log must be listed.
        top_tier : str
            The most valuable tier (e.g. the top 20 % by value).
        n_top : int, default 10
            Processes to re-evaluate for it.
        """
        labels = tier_of_cases(self.cycle_times, customer_id, tier)
        tiers = sorted({str(t) for t in np.unique(np.asarray(tier).astype(np.str_))})
        if top_tier not in tiers:
            msg = f"`top_tier` must be one of the tiers {tiers} (got {top_tier!r})."
            raise InvalidInputError(msg)
        n = int(check_number(n_top, "n_top", low=1, integer=True))
        top = top_by(touched(self.cycle_times, labels == top_tier), n)
        base = top_by(touched(self.cycle_times), n)
        share, method, censor = self.results.get(
            "sla_options", (0.9, "nearest_rank", "closed_only")
        )
        standards = self.results.get("standards", {})
        proposals: list[SLAProposal] = []
        for name in tiers:
            proposals += propose_slas(
                self.cycle_times,
                top,
                target_share=share,
                percentile_method=method,
                standards=standards,
                tier=name,
                mask=labels == name,
                censoring=censor,
            )
        ids, counts = np.unique(np.asarray(tier).astype(np.str_), return_counts=True)
        review = SegmentReview(
            top_tier=top_tier,
            top_processes=top,
            base_processes=base,
            key_only_for_top=tuple(p for p in top if p not in base),
            tier_customers={str(i): int(c) for i, c in zip(ids, counts, strict=True)},
            slas=tuple(proposals),
        )
        return self._with(segments=review)

    def plan(self) -> RedesignPlan:
        """Return the results of the steps run so far."""
        fields = {k: v for k, v in self.results.items() if k in STEPS}
        return RedesignPlan(**fields, key=tuple(p.id for p in self.key), time_unit=self.time_unit)
