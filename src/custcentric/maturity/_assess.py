"""``assess``: aggregate ratings and determine the stage, staged and continuous."""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from custcentric._validation import fmt
from custcentric.domain import MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.maturity._assessment import Assessment, Blocker
from custcentric.maturity._catalogue import Catalogue
from custcentric.maturity._ratings import (
    ACHIEVEMENT_LEVELS,
    MISSING,
    achievement_code,
    parse_ratings,
)

__all__ = ["AGGREGATES", "RULES", "assess", "capability_levels", "order_statistic"]

AGGREGATES: Final[tuple[str, ...]] = ("median", "min", "max")
"""How ratings of one capability are combined across raters (all stay on the ordinal scale)."""

RULES: Final[tuple[str, ...]] = ("threshold", "strict")
"""Stage rules: every required descriptor at or above the threshold, or the ISO/IEC 33020 rule."""

_SENTINEL: Final = 127


def order_statistic(values: NDArray[np.int8], how: str) -> NDArray[np.int8]:
    """Combine ``values`` over axis 0, skipping ``MISSING``; ``MISSING`` where nothing is rated.

    ``"median"`` is the lower median (the ``ceil(k/2)``-th smallest of ``k`` ratings), so the
    result is always a point of the ordinal scale.
    """
    x = np.where(values == MISSING, np.int8(_SENTINEL), values)
    x.sort(axis=0)
    k = (values != MISSING).sum(axis=0)
    if how == "min":
        pick = np.zeros_like(k)
    elif how == "max":
        pick = np.maximum(k - 1, 0)
    else:
        pick = np.maximum((k - 1) // 2, 0)
    out = np.take_along_axis(x, pick[np.newaxis, ...], axis=0)[0]
    return np.where(k > 0, out, np.int8(MISSING)).astype(np.int8)


def capability_levels(achievement: NDArray[np.int8], threshold: int, rule: str) -> NDArray[np.int8]:
    """Return the level (0-4) implied by per-stage achievements (last axis: the four stages).

    ``threshold`` rule: the highest rated stage ``s`` such that every rated stage up to ``s``
    meets the threshold. ``strict`` rule: the highest rated stage meeting the threshold whose
    rated lower stages are all ``F``. Stages nobody rated are skipped; 0 means no stage met.
    """
    rated = achievement != MISSING
    meets = rated & (achievement >= threshold)
    bad_below = rated & (achievement < 3) if rule == "strict" else rated & ~meets
    # failed[..., s] is True when a stage t < s failed (strict: t < s not F; threshold: t <= s).
    prior = np.cumsum(bad_below, axis=-1) - bad_below
    ok = meets & (prior == 0) if rule == "strict" else meets & (np.cumsum(bad_below, axis=-1) == 0)
    stage_numbers = np.arange(1, achievement.shape[-1] + 1, dtype=np.int8)
    out: NDArray[np.int8] = (ok * stage_numbers).max(axis=-1).astype(np.int8)
    return out


def _threshold_code(threshold: object) -> int:
    try:
        code = achievement_code(threshold, "threshold")
    except InvalidInputError:
        msg = f"`threshold` must be one of 'P', 'L', 'F' (got {fmt(threshold)})."
        raise InvalidInputError(msg) from None
    if code == 0:
        msg = "`threshold` must be one of 'P', 'L', 'F' (got 'N', which every rating meets)."
        raise InvalidInputError(msg)
    return code


def _choice(value: object, options: tuple[str, ...], name: str) -> str:
    if isinstance(value, str) and value in options:
        return value
    listed = ", ".join(repr(o) for o in options)
    msg = f"`{name}` must be one of {listed} (got {fmt(value)})."
    raise InvalidInputError(msg)


def _stage_and_blockers(
    achievement: NDArray[np.int8],
    required: NDArray[np.bool_],
    ids: tuple[str, ...],
    threshold: int,
    rule: str,
) -> tuple[int, tuple[Blocker, ...]]:
    meets = achievement >= threshold
    full = achievement == 3
    n_stages = achievement.shape[1]

    def failing(s: int) -> NDArray[np.bool_]:
        """Mask (n, 4) of the required descriptors that keep stage ``s`` (0-based) from holding."""
        mask = np.zeros_like(required)
        mask[:, s] = required[:, s] & ~meets[:, s]
        lower = required[:, :s] & ~(full[:, :s] if rule == "strict" else meets[:, :s])
        mask[:, :s] = lower
        return mask

    stage = 0
    for s in range(n_stages):
        if failing(s).any():
            break
        stage = s + 1
    blockers: tuple[Blocker, ...] = ()
    if stage < n_stages:
        rows, cols = np.nonzero(failing(stage))
        blockers = tuple(
            Blocker(
                capability_id=ids[i],
                stage=MaturityStage.from_level(int(s) + 1),
                achievement=None
                if achievement[i, s] == MISSING
                else ACHIEVEMENT_LEVELS[achievement[i, s]],
            )
            for i, s in sorted(
                zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: (p[1], p[0])
            )
        )
    return stage, blockers


def assess(
    catalogue: Catalogue,
    ratings: Any,
    *,
    aggregate: Literal["median", "min", "max"] = "median",
    threshold: str | int = "L",
    rule: Literal["threshold", "strict"] = "threshold",
    unrated: Literal["exclude", "not_achieved"] = "exclude",
) -> Assessment:
    r"""Assess an organisation's customer-centricity stage from capability ratings.

    Parameters
    ----------
    catalogue : Catalogue
        The capabilities and the stages at which each is required.
    ratings : mapping or ratings table
        Either a table with ``department`` (or ``rater``), ``capability_id`` and ``level``
        columns and optional ``note`` and ``area`` (such as the bundled company's
        ``maturity`` ratings), or a mapping ``{rater: {capability_id: rating}}`` where a
        rating is a level 1-4, a mapping ``{stage: achievement}`` with achievements
        ``"N"``, ``"P"``, ``"L"``, ``"F"``, or a dict with ``"level"`` or ``"achievement"``
        and an optional evidence ``"note"``.
    aggregate : {"median", "min", "max"}, default "median"
        How the raters' ratings of one capability (and stage) combine. ``"median"`` is the
        lower median, so it stays on the ordinal scale; ``"min"`` is the weakest-link rule.
    threshold : {"P", "L", "F"}, default "L"
        The achievement a required stage descriptor needs. A level rating ``c`` counts as
        ``F`` for the stages up to ``c`` and ``N`` above.
    rule : {"threshold", "strict"}, default "threshold"
        ``"threshold"``: stage ``s`` holds when every descriptor required at stages up to
        ``s`` meets the threshold (the CMMI staged rule). ``"strict"``: the descriptors of
        stage ``s`` meet the threshold and those of lower stages are ``F`` (ISO/IEC 33020).
    unrated : {"exclude", "not_achieved"}, default "exclude"
        Catalogue capabilities nobody rated are left out of the assessment's scope (and
        listed in ``Assessment.unrated``), or kept in scope as not achieved.

    Returns
    -------
    Assessment
        The staged result (``stage``, ``blocking``) and the continuous one (a level per
        capability, :meth:`Assessment.area_levels`), with every rater's levels for the
        alignment measures.

    Raises
    ------
    InvalidInputError
        Listing every problem at once: ratings outside the scale, capabilities not in the
        catalogue, raters with no ratings, a capability rated twice by one rater, areas that
        disagree with the catalogue, or a bad option.

    Notes
    -----
    With required sets :math:`L(s)` and aggregated achievements :math:`a_{i,s}`,

    .. math:: \text{stage} = \max\{s : a_{i,s'} \ge \theta \;\forall s' \le s,
              i \in L(s')\}

    (0 when stage 1 fails). The blocking set lists the required descriptors that keep the
    next stage from holding. A capability's level is the highest rated stage whose
    descriptor, and every rated one below it, meets the threshold (strict rule: the lower
    ones are ``F``).

    References
    ----------
    SEI (2010). *CMMI for Development v1.3*, CMU/SEI-2010-TR-033, ch. 3 (staged and continuous
    representations); ISO/IEC 33020:2019 (N/P/L/F bands and the capability-level rule).

    Examples
    --------
    >>> from custcentric.maturity import assess, default_catalogue
    >>> ratings = {"sales": {"strategy-01": 3, "insight-01": 2},
    ...            "it": {"strategy-01": 2, "insight-01": 2}}
    >>> result = assess(default_catalogue(), ratings)
    >>> result.stage, result.capability_levels()
    (<MaturityStage.CUSTOMER_FOCUS: 'customer_focus'>, {'strategy-01': 2, 'insight-01': 2})
    >>> [b.capability_id for b in result.blocking]
    ['strategy-01', 'insight-01']
    """
    how = _choice(aggregate, AGGREGATES, "aggregate")
    how_rule = _choice(rule, RULES, "rule")
    how_unrated = _choice(unrated, ("exclude", "not_achieved"), "unrated")
    thr = _threshold_code(threshold)
    obj: object = catalogue
    if not isinstance(obj, Catalogue):
        msg = f"`catalogue` must be a Catalogue (got {type(catalogue).__name__})."
        raise InvalidInputError(msg)
    data = parse_ratings(ratings, catalogue)
    n_all = len(catalogue)
    if how_unrated == "not_achieved":
        scope = np.arange(n_all, dtype=np.int64)
        where = np.searchsorted(scope, data.capability_index)
    else:
        scope = data.capability_index
        where = np.arange(scope.size)
    n_raters = len(data.raters)
    if data.levels is not None:
        rater_levels = np.full((n_raters, scope.size), MISSING, dtype=np.int8)
        rater_levels[:, where] = data.levels
        agg_level = order_statistic(rater_levels, how)
        stages = np.arange(1, 5, dtype=np.int8)
        achievement = np.where(agg_level[:, None] >= stages, np.int8(3), np.int8(0)).astype(np.int8)
        achievement[agg_level == MISSING] = MISSING
        levels = np.maximum(agg_level, 0).astype(np.int8)
    else:
        assert data.achievement is not None
        rater_ach = np.full((n_raters, scope.size, 4), MISSING, dtype=np.int8)
        rater_ach[:, where, :] = data.achievement
        achievement = order_statistic(rater_ach, how)
        levels = capability_levels(achievement, thr, how_rule)
        rater_levels = capability_levels(rater_ach, thr, how_rule)
        rater_levels[(rater_ach == MISSING).all(axis=-1)] = MISSING
    caps = [catalogue.capabilities[i] for i in scope.tolist()]
    ids = tuple(c.id for c in caps)
    required_at = tuple(catalogue.required_at[i] for i in scope.tolist())
    required = np.zeros((scope.size, 4), dtype=bool)
    for j, stages_req in enumerate(required_at):
        for st in stages_req:
            required[j, st.level - 1] = True
    stage, blockers = _stage_and_blockers(achievement, required, ids, thr, how_rule)
    rated_set = set(data.capability_index.tolist())
    return Assessment(
        catalogue_name=catalogue.name,
        catalogue_version=catalogue.version,
        aggregate=how,
        threshold=ACHIEVEMENT_LEVELS[thr],
        rule=how_rule,
        scale="level" if data.levels is not None else "achievement",
        raters=data.raters,
        capability_ids=ids,
        names=tuple(c.name for c in caps),
        areas=tuple(c.area for c in caps),
        required_at=required_at,
        depends_on=tuple(catalogue.depends_on[i] for i in scope.tolist()),
        rater_levels=rater_levels,
        achievement=achievement,
        levels=levels,
        stage=MaturityStage.from_level(stage) if stage else None,
        blocking=blockers,
        unrated=tuple(cid for k, cid in enumerate(catalogue.ids) if k not in rated_set),
        notes=data.notes,
    )
