"""The results of the redesign programme's steps 1 and 5-9, and the functions behind them."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from custcentric._validation import fmt
from custcentric.domain import SLA, CustomerProcess
from custcentric.exceptions import DegenerateDataWarning, InvalidInputError
from custcentric.process._censored import km_attained, km_quantile
from custcentric.process._cycle import CycleTimes
from custcentric.process._percentiles import PercentileMethod, sorted_quantile
from custcentric.tables import EventLog

__all__ = [
    "AuditEntry",
    "DependencyImpact",
    "OwnershipIssue",
    "SLAProposal",
    "SegmentReview",
    "StepPlan",
    "audit_processes",
    "check_ownership",
    "dependency_impact",
    "implementation_steps",
    "propose_slas",
]


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if attrs.has(type(value)):
        return {k: _plain(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray | np.generic):
        return _plain(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_UNIT_WORDS = {"s": "seconds", "m": "minutes", "h": "hours", "D": "days", "W": "weeks"}


def to_plain(value: Any) -> Any:
    """Turn step results (attrs values, tuples, NaN) into JSON-ready data."""
    return _plain(value)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """Step 1: one process, as the catalogue and the event log describe it.

    Attributes
    ----------
    process : str
    name : str
        From the catalogue ("" when the process is not catalogued).
    in_catalogue : bool
    n_cases, n_open, n_customers, n_events : int
        From the event log (0 when it holds no events of the process).
    customer_facing_steps : int
        Catalogued steps the customer sees.
    unmapped_activities : tuple of str
        Activities in the log that are not steps of the catalogued process.
    touches_customers : bool
        True when the process has cases or customer-facing steps.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> entry = RedesignProgramme(company.processes, company.events).audit().plan().audit[0]
    >>> entry.process, entry.in_catalogue, entry.n_cases, entry.n_open
    ('address-change', True, 300, 9)
    """

    process: str
    name: str
    in_catalogue: bool
    n_cases: int
    n_open: int
    n_customers: int
    n_events: int
    customer_facing_steps: int
    unmapped_activities: tuple[str, ...]
    touches_customers: bool


def audit_processes(
    processes: Sequence[CustomerProcess], events: EventLog, cycle: CycleTimes
) -> tuple[AuditEntry, ...]:
    """Map every process of the catalogue and the log: cases, customers, unmapped activities."""
    catalogue = {p.id: p for p in processes}
    names = sorted(set(catalogue) | {str(p) for p in np.unique(events.process)})
    entries = []
    for name in names:
        in_log = events.process == name
        cases = cycle.process == name
        process = catalogue.get(name)
        steps = set(process.step_ids) if process else set()
        activities = sorted(str(a) for a in np.unique(events.activity[in_log]))
        n_cases = int(np.count_nonzero(cases))
        facing = sum(s.customer_facing for s in process.steps) if process else 0
        entries.append(
            AuditEntry(
                process=name,
                name=process.name if process else "",
                in_catalogue=process is not None,
                n_cases=n_cases,
                n_open=int(np.count_nonzero(cases & ~cycle.closed)),
                n_customers=int(np.unique(events.customer_id[in_log]).size),
                n_events=int(np.count_nonzero(in_log)),
                customer_facing_steps=int(facing),
                unmapped_activities=tuple(a for a in activities if process and a not in steps),
                touches_customers=n_cases > 0 or facing > 0,
            )
        )
    return tuple(entries)


@attrs.frozen(kw_only=True)
class StepPlan:
    """Step 5: where a key process changes, at the front line and in support.

    Attributes
    ----------
    process : str
    front_line : tuple of str
        Customer-facing steps, as ``"step (department)"``.
    support : tuple of str
        Behind-the-scenes steps.
    departments : tuple of str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events).implementation()
    >>> step_plan = programme.plan().implementation[0]
    >>> step_plan.process, step_plan.support
    ('order-to-delivery', ('payment_confirmed (finance)', 'picked (operations)'))
    >>> step_plan.front_line
    ('order_received (sales)', 'shipped (logistics)', 'delivered (logistics)')
    """

    process: str
    front_line: tuple[str, ...]
    support: tuple[str, ...]
    departments: tuple[str, ...]


def implementation_steps(processes: Sequence[CustomerProcess]) -> tuple[StepPlan, ...]:
    """Split each process's steps into front-line and support work."""

    def label(step: Any) -> str:
        return f"{step.id} ({step.department})" if step.department else step.id

    return tuple(
        StepPlan(
            process=p.id,
            front_line=tuple(label(s) for s in p.steps if s.customer_facing),
            support=tuple(label(s) for s in p.steps if not s.customer_facing),
            departments=p.departments,
        )
        for p in processes
    )


@attrs.frozen(kw_only=True)
class OwnershipIssue:
    """Step 6: a key process without one cross-department owner.

    Attributes
    ----------
    process : str
    owner : str
        The owner named ("" when none).
    reason : str

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events)
    >>> programme = programme.ownership({"order-to-delivery": "sales"})
    >>> issue = programme.plan().ownership[0]
    >>> issue.process, issue.owner
    ('order-to-delivery', 'sales')
    >>> issue.reason
    'owner is one of the 4 departments the process crosses'
    """

    process: str
    owner: str
    reason: str


def check_ownership(
    processes: Sequence[CustomerProcess], owners: Mapping[str, str] | None = None
) -> tuple[OwnershipIssue, ...]:
    """List key processes whose owner is missing or sits inside one of its departments.

    A process that crosses several departments needs an owner above them (source S5, step 6);
    an owner named like one of the departments it crosses is a functional owner.
    """
    issues = []
    for p in processes:
        owner = (owners or {}).get(p.id, p.owner).strip()
        departments = {d.lower() for d in p.departments}
        if not owner:
            issues.append(OwnershipIssue(process=p.id, owner="", reason="no owner"))
        elif len(departments) > 1 and owner.lower() in departments:
            reason = f"owner is one of the {len(departments)} departments the process crosses"
            issues.append(OwnershipIssue(process=p.id, owner=owner, reason=reason))
    return tuple(issues)


@attrs.frozen(kw_only=True)
class DependencyImpact:
    """Step 7: an outside party and the key processes that depend on it.

    Attributes
    ----------
    party : str
    role : str
        ``"partner"`` or ``"supplier"``.
    processes : tuple of str
    n_cases, n_customers : int
        Cases and distinct customers of those processes in the log.
    share_of_cases : float
        Their share of all key-process cases.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events)
    >>> programme = programme.key_processes(coverage=0.8).dependencies()
    >>> impact = programme.plan().dependencies[0]
    >>> impact.party, impact.role, impact.n_cases, round(impact.share_of_cases, 3)
    ('Northgate warehouse', 'supplier', 1400, 0.264)
    """

    party: str
    role: str
    processes: tuple[str, ...]
    n_cases: int
    n_customers: int
    share_of_cases: float


def dependency_impact(
    processes: Sequence[CustomerProcess], cycle: CycleTimes
) -> tuple[DependencyImpact, ...]:
    """Rank the partners and suppliers by the key-process cases that depend on them."""
    ids = [p.id for p in processes]
    total = max(int(np.count_nonzero(np.isin(cycle.process, ids))), 1)
    parties: dict[tuple[str, str], list[str]] = {}
    for p in processes:
        for role, names in (("partner", p.partners), ("supplier", p.suppliers)):
            for name in names:
                parties.setdefault((name, role), []).append(p.id)
    out = []
    for (name, role), used_by in parties.items():
        mask = np.isin(cycle.process, used_by)
        n_cases = int(np.count_nonzero(mask))
        out.append(
            DependencyImpact(
                party=name,
                role=role,
                processes=tuple(used_by),
                n_cases=n_cases,
                n_customers=int(np.unique(cycle.customer_id[mask]).size),
                share_of_cases=n_cases / total,
            )
        )
    return tuple(sorted(out, key=lambda d: (-d.n_cases, d.party)))


@attrs.frozen(kw_only=True)
class SLAProposal:
    """Step 8 or 9: a proposed cycle-time SLA and the evidence behind it.

    Attributes
    ----------
    sla : SLA
        The proposal as a domain value (metric ``cycle_time``, no compensation yet).
    observed : float
        The observed ``target_share``-quantile of closed cases' cycle times.
    standard : float or None
        The customers' minimum acceptable standard (the longest cycle time they accept).
    attainment : float
        The share of closed cases within the proposed target today.
    n_closed : int
    meets_standard : bool
        Whether today's quantile already meets the standard (True when none is given).

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> programme = RedesignProgramme(company.processes, company.events)
    >>> proposal = programme.key_processes(coverage=0.8).slas().plan().slas[0]
    >>> proposal.sla.name, proposal.sla.target
    ('90 % of cases within 3.4 days', 3.4)
    >>> round(proposal.observed, 3), round(proposal.attainment, 3), proposal.n_closed
    (3.363, 0.906, 1394)
    """

    sla: SLA
    observed: float
    standard: float | None
    attainment: float
    n_closed: int
    meets_standard: bool


def propose_slas(
    cycle: CycleTimes,
    process_ids: Sequence[str],
    *,
    target_share: float,
    percentile_method: PercentileMethod,
    standards: Mapping[str, float],
    tier: str | None = None,
    mask: Any = None,
    censoring: str = "closed_only",
) -> tuple[SLAProposal, ...]:
    """Propose ``target = min(observed quantile, standard)``, rounded up to 0.1 unit.

    With ``censoring="kaplan_meier"`` the observed quantile and the attainment come from the
    Kaplan–Meier curve with open cases right-censored, so that slow cases
    still open do not make today's performance look better than it is.
    """
    out = []
    scope = np.ones(cycle.closed.size, dtype=bool) if mask is None else np.asarray(mask)
    for pid in process_ids:
        cases = scope & (cycle.process == pid)
        closed = np.sort(cycle.duration[cases & cycle.closed])
        if closed.size == 0:
            continue
        if censoring == "kaplan_meier":
            durations, is_closed = cycle.duration[cases], cycle.closed[cases]
            observed = km_quantile(durations, is_closed, target_share)
            if math.isinf(observed):
                msg = (
                    f"process {pid!r}: too many cases are still open to estimate the "
                    f"{target_share:g} quantile of its cycle time; no SLA is proposed for it."
                )
                warnings.warn(msg, DegenerateDataWarning, stacklevel=3)
                continue
        else:
            quantile = sorted_quantile(closed, np.array([target_share]), percentile_method)
            observed = float(quantile[0])
        standard = standards.get(pid)
        target = observed if standard is None else min(observed, float(standard))
        target = max(math.ceil(target * 10.0 - 1e-9) / 10.0, 0.1)
        suffix = f"-{tier}" if tier else ""
        words = _UNIT_WORDS[cycle.unit] if target != 1 else _UNIT_WORDS[cycle.unit][:-1]
        who = f" for {tier} customers" if tier else ""
        sla = SLA(
            id=f"{pid}{suffix}-proposed",
            name=f"{100 * target_share:g} % of cases within {target:g} {words}{who}",
            process_id=pid,
            metric="cycle_time",
            target=target,
            time_unit=cycle.unit,
            target_share=target_share,
            tiers=(tier,) if tier else (),
        )
        out.append(
            SLAProposal(
                sla=sla,
                observed=observed,
                standard=None if standard is None else float(standard),
                attainment=km_attained(cycle.duration[cases], cycle.closed[cases], target)
                if censoring == "kaplan_meier"
                else float(np.count_nonzero(closed <= target) / closed.size),
                n_closed=int(closed.size),
                meets_standard=standard is None or observed <= float(standard),
            )
        )
    return tuple(out)


@attrs.frozen(kw_only=True)
class SegmentReview:
    """Step 9: the processes re-evaluated for the most valuable customers.

    Attributes
    ----------
    top_tier : str
    top_processes : tuple of str
        The tier's ``n_top`` processes by customers touched in the tier.
    base_processes : tuple of str
        The ``n_top`` processes by customers touched across all customers.
    key_only_for_top : tuple of str
        In the tier's list and not in the whole base's: candidates for tier-specific SLAs.
    tier_customers : dict of str to int
        Customers per tier.
    slas : tuple of SLAProposal
        Revised SLAs per tier for the tier's top processes.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.process import RedesignProgramme
    >>> company = load_sample_company()
    >>> tiers = company.customers.attributes["service_tier"]
    >>> programme = RedesignProgramme(company.processes, company.events)
    >>> programme = programme.segment(company.customers.customer_id, tiers,
    ...                               top_tier="gold", n_top=3)
    >>> review = programme.plan().segments
    >>> review.top_processes, review.tier_customers["gold"]
    (('order-to-delivery', 'fault-repair', 'complaint-to-resolution'), 935)
    >>> review.key_only_for_top
    ('complaint-to-resolution',)
    """

    top_tier: str
    top_processes: tuple[str, ...]
    base_processes: tuple[str, ...]
    key_only_for_top: tuple[str, ...]
    tier_customers: dict[str, int]
    slas: tuple[SLAProposal, ...]


def touched(cycle: CycleTimes, mask: Any = None) -> dict[str, int]:
    """Distinct customers with a case of each process (within ``mask`` when given)."""
    keep = np.ones(len(cycle), dtype=bool) if mask is None else mask
    out = {}
    for name in np.unique(cycle.process[keep]):
        out[str(name)] = int(np.unique(cycle.customer_id[keep & (cycle.process == name)]).size)
    return out


def top_by(counts: Mapping[str, int], n: int) -> tuple[str, ...]:
    """Return the ``n`` names with the largest counts (ties by name)."""
    return tuple(sorted(counts, key=lambda k: (-counts[k], k))[:n])


def tier_of_cases(cycle: CycleTimes, customer_id: Any, tier: Any) -> Any:
    """Each case's tier label, looked up by its customer; unknown customers raise."""
    ids = np.asarray(customer_id)
    labels = np.asarray(tier).astype(np.str_)
    if ids.ndim != 1 or ids.shape != labels.shape:
        msg = f"`customer_id` and `tier` must be 1-D of equal length (got {ids.shape} and {labels.shape})."
        raise InvalidInputError(msg)
    if ids.size == 0 and len(cycle):
        msg = (
            f"`customer_id` must list every customer of the event log "
            f"(got none; case {fmt(cycle.case_id[0])}: customer {fmt(cycle.customer_id[0])})."
        )
        raise InvalidInputError(msg)
    order = np.argsort(ids, kind="stable")
    ids_sorted = ids[order]
    if ids_sorted.size > 1 and (ids_sorted[1:] == ids_sorted[:-1]).any():
        i = int(np.argmax(ids_sorted[1:] == ids_sorted[:-1]))
        msg = f"`customer_id` must not repeat (customer {fmt(ids_sorted[i])} twice)."
        raise InvalidInputError(msg)
    where = np.clip(np.searchsorted(ids_sorted, cycle.customer_id), 0, max(ids.size - 1, 0))
    found = (ids.size > 0) & (ids_sorted[where] == cycle.customer_id)
    if not found.all():
        i = int(np.argmax(~found))
        msg = (
            f"`customer_id` must list every customer of the event log "
            f"(case {fmt(cycle.case_id[i])}: customer {fmt(cycle.customer_id[i])} has no tier)."
        )
        raise InvalidInputError(msg)
    return labels[order][where]
