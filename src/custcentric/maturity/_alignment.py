"""Alignment of an assessment: how consistently departments rate, and the fit to a target."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable, read_only
from custcentric._validation import fmt
from custcentric.domain import MaturityStage
from custcentric.exceptions import InvalidInputError
from custcentric.maturity._agreement import KendallW, kendall_w
from custcentric.maturity._assessment import Assessment
from custcentric.typing import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Alignment", "StageSpread", "alignment"]


@attrs.frozen(kw_only=True)
class StageSpread(Result):
    """A capability at which departments put the company at different stages.

    Attributes
    ----------
    capability_id, name : str
        The capability.
    lowest, highest : int
        The lowest and highest level any rater gave.
    counts : tuple of int
        How many raters put it at level 0, 1, 2, 3 and 4 (see
        :meth:`Assessment.levels_by_rater` for who said what).

    Examples
    --------
    >>> from custcentric.maturity import alignment, assess, default_catalogue
    >>> ratings = {"sales": {"insight-01": 3, "insight-02": 2},
    ...            "it": {"insight-01": 1, "insight-02": 2}}
    >>> spread = alignment(assess(default_catalogue(), ratings)).disagreements[0]
    >>> spread.capability_id, spread.lowest, spread.highest, spread.spread
    ('insight-01', 1, 3, 2)
    >>> spread.counts
    (0, 1, 0, 1, 0)
    """

    capability_id: str
    name: str
    lowest: int
    highest: int
    counts: tuple[int, ...]

    @property
    def spread(self) -> int:
        """``highest - lowest``, in stages."""
        return self.highest - self.lowest

    def summary(self) -> str:
        """Return the spread as one line, e.g. ``"insight-01 Customer data: levels 1-3"``."""
        return f"{self.capability_id} {self.name}: levels {self.lowest}-{self.highest}"


@attrs.frozen(kw_only=True, eq=False)
class Alignment(Result):
    r"""How consistent an assessment is across departments, and with a target stage.

    Attributes
    ----------
    index : float
        The alignment index in [0, 1] (see :func:`alignment`): 1 when every department puts
        every capability at the same stage.
    rwg : ndarray of float
        Single-item r_WG of each capability in scope (NaN-free: capabilities with fewer than
        two raters get 1.0 and are counted in ``n_single_rater``).
    mean_rwg : float
        The mean of ``rwg``.
    concordance : KendallW or None
        Kendall's W of the departments' orderings of the capabilities they all rated; ``None``
        when fewer than two raters or capabilities are shared, or every department ties all.
    disagreements : tuple of StageSpread
        Capabilities whose rater levels span at least ``min_spread`` stages, widest first.
    capability_ids : tuple of str
        The capabilities, in the order of ``rwg``.
    n_single_rater : int
        Capabilities rated by fewer than two raters.
    target_stage : MaturityStage or None
        The target used for the portfolio measures below.
    target_alignment : float or None
        :math:`1 - \sum_i |c_i - s^*| / (n (S_{max} - S_{min}))`, the fit of the capability
        levels to the target stage (methods §1.4 d), in [0, 1]; ``S_min`` is 0 when a
        capability sits at level 0 (unrated capabilities kept in scope as not achieved).
    ahead, behind : tuple of str
        Capabilities above the target stage (possible over-investment) and below it (gaps).

    Examples
    --------
    >>> from custcentric.maturity import alignment, assess, default_catalogue
    >>> ratings = {"sales": {"insight-01": 3, "insight-02": 2},
    ...            "it": {"insight-01": 1, "insight-02": 2}}
    >>> result = alignment(assess(default_catalogue(), ratings), target_stage="customer_focus")
    >>> round(result.index, 4), result.rwg.tolist()
    (0.6667, [0.0, 1.0])
    >>> round(result.target_alignment, 4), result.behind
    (0.8333, ('insight-01',))
    """

    index: float
    rwg: FloatArray = attrs.field(converter=read_only)
    mean_rwg: float
    concordance: KendallW | None
    disagreements: tuple[StageSpread, ...]
    capability_ids: tuple[str, ...]
    n_single_rater: int
    target_stage: MaturityStage | None
    target_alignment: float | None
    ahead: tuple[str, ...]
    behind: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data."""
        data: dict[str, Any] = jsonable(
            {
                "index": self.index,
                "rwg": dict(zip(self.capability_ids, self.rwg.tolist(), strict=True)),
                "mean_rwg": self.mean_rwg,
                "concordance": None if self.concordance is None else self.concordance.to_dict(),
                "disagreements": [
                    {
                        "capability_id": d.capability_id,
                        "name": d.name,
                        "lowest": d.lowest,
                        "highest": d.highest,
                        "counts": list(d.counts),
                    }
                    for d in self.disagreements
                ],
                "n_single_rater": self.n_single_rater,
                "target_stage": None if self.target_stage is None else self.target_stage.value,
                "target_alignment": self.target_alignment,
                "ahead": list(self.ahead),
                "behind": list(self.behind),
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per capability with its r_WG."""
        return make_frame({"capability_id": np.array(self.capability_ids), "rwg": self.rwg})

    def summary(self, *, max_rows: int = 5) -> str:
        """Return a readable text report."""
        lines = [
            f"Alignment index {self.index:.3f} (1 = every department at the same stage)",
            f"  mean r_WG over {len(self.capability_ids)} capabilities: {self.mean_rwg:.3f}",
        ]
        if self.concordance is not None:
            c = self.concordance
            lines.append(
                f"  Kendall's W of the departments' orderings: {c.statistic:.3f} "
                f"(chi2({c.df}) = {c.chi_square:.2f}, p = {c.pvalue:.3g})"
            )
        if self.target_stage is not None and self.target_alignment is not None:
            lines.append(
                f"  fit to target {self.target_stage.value}: {self.target_alignment:.3f} "
                f"({len(self.behind)} behind, {len(self.ahead)} ahead)"
            )
        lines.append(
            f"  capabilities where departments differ by 2+ stages: "
            f"{sum(d.spread >= 2 for d in self.disagreements)}"
        )
        for d in self.disagreements[:max_rows]:
            lines.append(f"    {d.capability_id} {d.name}: stages {d.lowest}-{d.highest}")
        return "\n".join(lines)


def target_stage_iv(value: object) -> MaturityStage:
    """Return ``value`` as a stage, naming ``target_stage`` in the error."""
    try:
        return MaturityStage(value)  # type: ignore[arg-type]
    except ValueError:
        options = ", ".join(repr(m.value) for m in MaturityStage)
        msg = f"`target_stage` must be one of {options} (got {fmt(value)})."
        raise InvalidInputError(msg) from None


def _masked_stats(
    levels: NDArray[np.int8],
) -> tuple[NDArray[np.int64], FloatArray, FloatArray, NDArray[Any], NDArray[Any]]:
    rated = levels >= 0
    k = rated.sum(axis=0)
    x = np.where(rated, levels, 0).astype(np.float64)
    total = x.sum(axis=0)
    mean = np.divide(total, k, out=np.zeros(k.shape), where=k > 0)
    dev2 = np.where(rated, (x - mean) ** 2, 0.0).sum(axis=0)
    var = np.divide(dev2, k - 1, out=np.zeros(k.shape), where=k > 1)
    low = np.where(rated, levels, 127).min(axis=0)
    high = np.where(rated, levels, -1).max(axis=0)
    return k, mean, var, low, high


def alignment(
    assessment: Assessment,
    *,
    target_stage: MaturityStage | str | None = None,
    min_spread: int = 1,
) -> Alignment:
    r"""Measure how consistently departments rate the capabilities, and how they fit a target.

    Parameters
    ----------
    assessment : Assessment
        From :func:`~custcentric.maturity.assess`.
    target_stage : MaturityStage or str, optional
        If given, also measure the fit of the capability levels to it.
    min_spread : int, default 1
        A capability is listed in ``disagreements`` when its rater levels span at least this
        many stages.

    Returns
    -------
    Alignment

    Notes
    -----
    The **alignment index** is one minus the mean normalised spread of the departments'
    levels per capability,

    .. math:: A = 1 - \frac{1}{n} \sum_{i=1}^{n}
              \frac{\max_r c_{r,i} - \min_r c_{r,i}}{S_{max} - S_{min}} \in [0, 1],

    over the ``n`` capabilities rated by at least two departments, with the scale range
    :math:`S_{max} - S_{min}` (3 for levels 1-4, 4 for levels 0-4). It is 1 when every
    department puts every capability at the same stage and 0 when every capability is seen at
    both ends of the path. The range rather than a variance is used on purpose: one department
    a stage behind is what damages customers' confidence (source S1), and the range shows it.
    r_WG per capability uses the A-point scale of levels; Kendall's W asks whether the
    departments at least agree on which capabilities are strongest.

    References
    ----------
    James, Demaree & Wolf (1984), *J. Applied Psychology* 69(1), 85-98 (r_WG);
    Kendall & Babington Smith (1939), *Ann. Math. Stat.* 10(3), 275-287 (W).

    Examples
    --------
    >>> from custcentric.maturity import alignment, assess, default_catalogue
    >>> ratings = {"sales": {"insight-01": 3, "insight-02": 2},
    ...            "it": {"insight-01": 1, "insight-02": 2}}
    >>> result = alignment(assess(default_catalogue(), ratings))
    >>> round(result.index, 4), [d.capability_id for d in result.disagreements]
    (0.6667, ['insight-01'])
    """
    obj: object = assessment
    if not isinstance(obj, Assessment):
        msg = f"`assessment` must be an Assessment (got {type(assessment).__name__})."
        raise InvalidInputError(msg)
    spread_min = (
        int(min_spread) if isinstance(min_spread, int) and not isinstance(min_spread, bool) else -1
    )
    if spread_min < 1:
        msg = f"`min_spread` must be a whole number >= 1 (got {fmt(min_spread)})."
        raise InvalidInputError(msg)
    target = None if target_stage is None else target_stage_iv(target_stage)
    s_min, s_max = assessment.scale_range
    width = s_max - s_min
    levels = assessment.rater_levels
    k, _, var, low, high = _masked_stats(levels)
    multi = k >= 2
    n_options = width + 1
    null = (n_options**2 - 1) / 12.0
    rwg_values = np.where(multi, np.clip(1.0 - var / null, 0.0, 1.0), 1.0)
    spread = np.where(multi, high - low, 0)
    index = 1.0 - float(spread[multi].mean() / width) if multi.any() else 1.0
    mean_rwg = float(rwg_values.mean()) if rwg_values.size else 1.0
    complete = (levels >= 0).all(axis=0)
    concordance = None
    if levels.shape[0] >= 2 and complete.sum() >= 2:
        sub = levels[:, complete]
        if (sub != sub[:, :1]).any():
            concordance = kendall_w(sub)
    order = np.lexsort((np.arange(spread.size), -spread))
    listed = [i for i in order.tolist() if spread[i] >= spread_min]
    if listed:
        sub = levels[:, listed]
        hist = np.stack([(sub == v).sum(axis=0) for v in range(5)], axis=1)
    disagreements = tuple(
        StageSpread(
            capability_id=assessment.capability_ids[i],
            name=assessment.names[i],
            lowest=int(low[i]),
            highest=int(high[i]),
            counts=tuple(int(c) for c in hist[j]),
        )
        for j, i in enumerate(listed)
    )
    target_fit = None
    ahead: tuple[str, ...] = ()
    behind: tuple[str, ...] = ()
    if target is not None:
        c = assessment.levels.astype(np.int64)
        n = max(c.size, 1)
        # Capabilities kept in scope unrated (unrated="not_achieved") sit at level 0, below a
        # 1-4 level scale: the range then runs from 0 so the fit stays in [0, 1].
        floor = min(s_min, int(c.min())) if c.size else s_min
        target_fit = 1.0 - float(np.abs(c - target.level).sum()) / (n * (s_max - floor))
        ids = assessment.capability_ids
        ahead = tuple(ids[i] for i in np.flatnonzero(c > target.level).tolist())
        behind = tuple(ids[i] for i in np.flatnonzero(c < target.level).tolist())
    return Alignment(
        index=index,
        rwg=rwg_values,
        mean_rwg=mean_rwg,
        concordance=concordance,
        disagreements=disagreements,
        capability_ids=assessment.capability_ids,
        n_single_rater=int((~multi).sum()),
        target_stage=target,
        target_alignment=target_fit,
        ahead=ahead,
        behind=behind,
    )
