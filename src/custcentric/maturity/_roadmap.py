"""``roadmap``: the ordered steps from an assessment to a target stage, in waves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import check_number, fmt
from custcentric.domain import CapabilityArea, MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.maturity._alignment import target_stage_iv
from custcentric.maturity._assessment import Assessment

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Roadmap", "RoadmapStep", "roadmap"]


@attrs.frozen(kw_only=True)
class RoadmapStep(Result):
    """One step of a roadmap: raise a capability from one stage to another.

    Attributes
    ----------
    wave : int
        The wave (1 first); steps of one wave can run side by side.
    capability_id, name : str
        The capability.
    area : CapabilityArea
        Its area.
    from_level, to_level : int
        Its level before and after the step (0-4).
    priority : float
        ``impact x gap / effort``; orders the steps within a wave.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue, roadmap
    >>> ratings = {"sales": {"insight-01": 1, "technology-02": 1, "insight-02": 1}}
    >>> step = roadmap(assess(default_catalogue(), ratings), "customer_focus").steps[0]
    >>> step.wave, step.capability_id, step.to_stage.value, step.priority
    (1, 'technology-02', 'customer_focus', 1.0)
    >>> print(step)
    wave 1: technology-02 Data quality and identity resolution 1 -> 2
    """

    wave: int
    capability_id: str
    name: str
    area: CapabilityArea
    from_level: int
    to_level: int
    priority: float

    @property
    def to_stage(self) -> MaturityStage:
        """The stage the step reaches."""
        return MaturityStage.from_level(self.to_level)

    def summary(self) -> str:
        """Return the result as text a person reads (what ``str(result)`` prints)."""
        return (
            f"wave {self.wave}: {self.capability_id} {self.name} "
            f"{self.from_level} -> {self.to_level}"
        )


@attrs.frozen(kw_only=True)
class Roadmap(Result):
    """The steps from an assessment's current stage to a target stage.

    Attributes
    ----------
    current_stage : MaturityStage or None
        Where the assessment left the organisation.
    target_stage : MaturityStage
        The chosen target.
    steps : tuple of RoadmapStep
        In order: by wave, then by priority (highest first), then catalogue order.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue, roadmap
    >>> ratings = {"sales": {"insight-01": 1, "technology-02": 1, "insight-02": 1}}
    >>> plan = roadmap(assess(default_catalogue(), ratings), "customer_focus")
    >>> plan.current_stage.value, plan.target_stage.value, plan.n_waves
    ('product_centric', 'customer_focus', 3)
    >>> [step.capability_id for step in plan.wave(2)]
    ['insight-01']
    """

    current_stage: MaturityStage | None
    target_stage: MaturityStage
    steps: tuple[RoadmapStep, ...]

    @property
    def n_waves(self) -> int:
        """The number of waves."""
        return max((s.wave for s in self.steps), default=0)

    def wave(self, number: int) -> tuple[RoadmapStep, ...]:
        """Return the steps of wave ``number`` (1 first)."""
        return tuple(s for s in self.steps if s.wave == number)

    def to_dict(self) -> dict[str, Any]:
        """Return the roadmap as plain JSON-ready data."""
        data: dict[str, Any] = jsonable(
            {
                "current_stage": None if self.current_stage is None else self.current_stage.value,
                "target_stage": self.target_stage.value,
                "steps": [
                    {
                        "wave": s.wave,
                        "capability_id": s.capability_id,
                        "name": s.name,
                        "area": s.area.value,
                        "from_level": s.from_level,
                        "to_level": s.to_level,
                        "priority": s.priority,
                    }
                    for s in self.steps
                ],
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per step."""
        rows = self.to_dict()["steps"]
        keys = ("wave", "capability_id", "name", "area", "from_level", "to_level", "priority")
        return make_frame({k: np.array([r[k] for r in rows]) for k in keys})

    def summary(self, *, max_steps: int = 10) -> str:
        """Return a readable text version of the roadmap."""
        start = "none" if self.current_stage is None else self.current_stage.value
        lines = [
            f"Roadmap {start} -> {self.target_stage.value}: {len(self.steps)} steps in "
            f"{self.n_waves} waves"
        ]
        lines.extend(f"  {s}" for s in self.steps[:max_steps])
        if len(self.steps) > max_steps:
            lines.append(f"  ... and {len(self.steps) - max_steps} more")
        return "\n".join(lines)


def _weights(
    value: Mapping[str, float] | None, name: str, ids: tuple[str, ...]
) -> dict[str, float]:
    raw: object = value
    if value is None:
        return {}
    if not isinstance(raw, Mapping):
        msg = (
            f"`{name}` must be a mapping of capability id to a positive number (got {fmt(value)})."
        )
        raise InvalidInputError(msg)
    known = set(ids)
    problems = [f"capability {k!r} is not in the assessment" for k in value if k not in known]
    out: dict[str, float] = {}
    for k, v in value.items():
        try:
            out[k] = check_number(v, f"{name}[{k!r}]", low=0, low_inclusive=False)
        except InvalidInputError as error:
            problems.append(str(error).rstrip("."))
    if problems:
        msg = f"`{name}` has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems)
        raise InvalidInputError(msg)
    return out


def roadmap(
    assessment: Assessment,
    target_stage: MaturityStage | str,
    *,
    impact: Mapping[str, float] | None = None,
    effort: Mapping[str, float] | None = None,
) -> Roadmap:
    r"""Plan the steps from an assessment to ``target_stage``, in waves that respect prerequisites.

    Parameters
    ----------
    assessment : Assessment
        From :func:`~custcentric.maturity.assess`.
    target_stage : MaturityStage or str
        The chosen target; not below the current stage.
    impact : mapping of str to float, optional
        Customer impact per capability id (default 1); higher goes first within a wave.
    effort : mapping of str to float, optional
        Effort per capability id (default 1); lower goes first within a wave.

    Returns
    -------
    Roadmap

    Raises
    ------
    InvalidInputError
        A target below the current stage, or impact/effort for unknown capabilities or not
        positive (every problem listed).

    Notes
    -----
    Every capability required at a stage ``s <= target`` whose level is below ``s`` gets a
    step to ``s`` (one step per unmet required stage, each starting where the previous one
    ended). Waves follow the staged logic: all steps to stage ``s`` come before any step to
    ``s + 1``; within a stage, a capability's step waits for the steps of the capabilities it
    depends on (Kahn's topological layering). Within a wave, steps are ordered by
    :math:`\text{priority}_i = \text{impact}_i \times \text{gap}_i / \text{effort}_i`
    with the gap in stages.

    References
    ----------
    SEI (2010), *CMMI for Development v1.3* ch. 3 (target profiles and target staging);
    Kahn, A. B. (1962). Topological sorting of large networks. *CACM* 5(11), 558-562.

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue, roadmap
    >>> ratings = {"sales": {"insight-01": 1, "technology-02": 1, "insight-02": 1}}
    >>> plan = roadmap(assess(default_catalogue(), ratings), "customer_focus")
    >>> [(s.wave, s.capability_id, s.from_level, s.to_level) for s in plan.steps]
    [(1, 'technology-02', 1, 2), (2, 'insight-01', 1, 2), (3, 'insight-02', 1, 2)]
    """
    obj: object = assessment
    if not isinstance(obj, Assessment):
        msg = f"`assessment` must be an Assessment (got {type(assessment).__name__})."
        raise InvalidInputError(msg)
    target = target_stage_iv(target_stage)
    if target.level < assessment.level:
        now = assessment.stage.value if assessment.stage is not None else "none"
        msg = f"`target_stage` must not be below the current stage ({target.value!r} < {now!r})."
        raise InvalidInputError(msg)
    ids = assessment.capability_ids
    impacts = _weights(impact, "impact", ids)
    efforts = _weights(effort, "effort", ids)
    position = {cid: i for i, cid in enumerate(ids)}
    levels = assessment.levels.tolist()
    # steps[i] = list of (to_level, from_level)
    pending: dict[tuple[int, int], tuple[int, float]] = {}
    for i, req in enumerate(assessment.required_at):
        current = levels[i]
        for stage in req:
            s = stage.level
            if s > target.level or s <= current:
                continue
            gap = s - current
            priority = impacts.get(ids[i], 1.0) * gap / efforts.get(ids[i], 1.0)
            pending[(i, s)] = (current, priority)
            current = s
    steps: list[RoadmapStep] = []
    wave = 0
    for s in range(1, target.level + 1):
        here = {i for (i, stage) in pending if stage == s}
        while here:
            ready = sorted(
                i
                for i in here
                if not any(position.get(d) in here for d in assessment.depends_on[i])
            )
            if not ready:  # pragma: no cover - the catalogue refuses cycles
                ready = sorted(here)
            wave += 1
            batch = [
                RoadmapStep(
                    wave=wave,
                    capability_id=ids[i],
                    name=assessment.names[i],
                    area=assessment.areas[i],
                    from_level=pending[(i, s)][0],
                    to_level=s,
                    priority=pending[(i, s)][1],
                )
                for i in ready
            ]
            batch.sort(key=lambda st: (-st.priority, position[st.capability_id]))
            steps.extend(batch)
            here -= set(ready)
    return Roadmap(current_stage=assessment.stage, target_stage=target, steps=tuple(steps))
