"""``compare``: two scenarios on common random numbers, each KPI's difference with an interval."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result, read_only
from custcentric._stats import ConfidenceInterval
from custcentric._validation import check_confidence_level, check_number
from custcentric.exceptions import InvalidInputError
from custcentric.simulate._engine import seed_sequence, simulate
from custcentric.simulate._result import SimulationResult, mean_interval
from custcentric.simulate._scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "compare"]


@attrs.frozen(kw_only=True, eq=False)
class Comparison(Result):
    """Each KPI of two scenarios and their difference (alternative - baseline) with an interval.

    Attributes
    ----------
    kpi : ndarray of str
        The KPIs (see :meth:`SimulationResult.kpis`), those measurable in both scenarios.
    baseline, alternative, difference : ndarray of float64
        Means over replications.
    low, high : ndarray of float64
        The t interval of the mean difference (paired by replication).
    confidence_level : float
    common_random_numbers : bool
        Whether replication ``i`` of both used the same random numbers.
    baseline_result, alternative_result : SimulationResult
        The two runs.

    Examples
    --------
    >>> from custcentric.simulate import compare, example_scenario
    >>> base = example_scenario(n_customers=400, horizon=8)
    >>> more = base.replace("contact_centre.agents", 3)
    >>> cmp = compare(base, more, n_replications=4, rng=3)
    >>> cmp.interval("contacts").low == cmp.interval("contacts").high == 0.0
    True
    """

    _columns: ClassVar[tuple[str, ...]] = (
        "kpi",
        "baseline",
        "alternative",
        "difference",
        "low",
        "high",
    )

    kpi: np.ndarray = attrs.field(converter=read_only)
    baseline: np.ndarray = attrs.field(converter=read_only)
    alternative: np.ndarray = attrs.field(converter=read_only)
    difference: np.ndarray = attrs.field(converter=read_only)
    low: np.ndarray = attrs.field(converter=read_only)
    high: np.ndarray = attrs.field(converter=read_only)
    confidence_level: float
    common_random_numbers: bool
    baseline_result: SimulationResult = attrs.field(repr=False)
    alternative_result: SimulationResult = attrs.field(repr=False)

    def interval(self, kpi: str) -> ConfidenceInterval:
        """Return the interval of one KPI's difference.

        Examples
        --------
        >>> from custcentric.simulate import compare, example_scenario
        >>> base = example_scenario(n_customers=300, horizon=6)
        >>> cmp = compare(base, base, n_replications=3, rng=1)
        >>> cmp.interval("revenue").high
        0.0
        """
        names = self.kpi.tolist()
        if kpi not in names:
            msg = f"`kpi` must be one of {', '.join(names)} (got {kpi!r})."
            raise InvalidInputError(msg)
        i = names.index(kpi)
        return ConfidenceInterval(
            low=float(self.low[i]),
            high=float(self.high[i]),
            confidence_level=self.confidence_level,
            method="t",
            n=self.baseline_result.n_replications,
        )

    def summary(self) -> str:
        """Return one line per KPI: both means and the difference with its interval."""
        kind = "common random numbers" if self.common_random_numbers else "independent streams"
        lines = [
            f"{self.alternative_result.scenario_name!r} - {self.baseline_result.scenario_name!r} "
            f"({self.baseline_result.n_replications} replications, {kind}, "
            f"{100 * self.confidence_level:g}% t intervals):"
        ]
        for i, name in enumerate(self.kpi.tolist()):
            lines.append(
                f"  {name:<17} {_num(self.baseline[i]):>12} -> {_num(self.alternative[i]):>12}"
                f"  difference {_num(self.difference[i]):>10} "
                f"({_num(self.low[i])} .. {_num(self.high[i])})"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return strict-JSON data: one entry per KPI and the settings.

        Examples
        --------
        >>> from custcentric.simulate import compare, example_scenario
        >>> base = example_scenario(n_customers=300, horizon=4)
        >>> sorted(compare(base, base, n_replications=2, rng=1).to_dict())
        ['common_random_numbers', 'confidence_level', 'kpis']
        """
        from custcentric._result import jsonable

        rows = [
            {c: jsonable(getattr(self, c)[i]) for c in self._columns} for i in range(self.kpi.size)
        ]
        return {
            "kpis": rows,
            "confidence_level": self.confidence_level,
            "common_random_numbers": self.common_random_numbers,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per KPI (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.simulate import compare, example_scenario
        >>> base = example_scenario(n_customers=300, horizon=4)
        >>> list(compare(base, base, n_replications=2, rng=1).to_pandas().columns)
        ['kpi', 'baseline', 'alternative', 'difference', 'low', 'high']
        """
        return make_frame({c: np.asarray(getattr(self, c)) for c in self._columns})


def _num(value: float) -> str:
    v = float(value)
    if not np.isfinite(v):
        return str(v)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def compare(
    baseline: Scenario,
    alternative: Scenario,
    *,
    n_replications: int,
    rng: object = None,
    confidence_level: float = 0.95,
    common_random_numbers: bool = True,
    horizon: int | None = None,
    progress: Any = None,
) -> Comparison:
    """Run two scenarios on common random numbers and difference each KPI, with an interval.

    Replication ``i`` of both scenarios draws from the same
    :class:`numpy.random.SeedSequence` child (and, inside it, one stream per purpose), so
    the same customers with the same purchase rates and the same luck meet both policies;
    the paired differences then vary far less than two independent runs would.

    Parameters
    ----------
    baseline, alternative : Scenario
    n_replications : int
        At least 2 (an interval needs a spread).
    rng : None, int, SeedSequence or Generator
        The root of the streams (one root for both scenarios).
    confidence_level : float, default 0.95
    common_random_numbers : bool, default True
        False gives each scenario streams of its own, to measure what common random
        numbers save.
    horizon : int, optional
        Periods (default: each scenario's).
    progress : None, bool or callable
        As for :func:`simulate`.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from custcentric.simulate import compare, example_scenario
    >>> base = example_scenario(n_customers=2000, horizon=13)
    >>> fewer = base.replace("contact_centre.agents", 1)
    >>> crn = compare(base, fewer, n_replications=8, rng=5)
    >>> ind = compare(base, fewer, n_replications=8, rng=5, common_random_numbers=False)
    >>> width = lambda c: c.interval("net_value").high - c.interval("net_value").low
    >>> bool(width(crn) < width(ind))
    True
    """
    for name, value in (("baseline", baseline), ("alternative", alternative)):
        if not isinstance(cast(object, value), Scenario):
            msg = f"`{name}` must be a Scenario (got {type(value).__name__})."
            raise InvalidInputError(msg)
    reps = int(check_number(n_replications, "n_replications", low=2, integer=True))
    level = check_confidence_level(confidence_level)
    if not isinstance(cast(object, common_random_numbers), bool):
        msg = f"`common_random_numbers` must be True or False (got {common_random_numbers!r})."
        raise InvalidInputError(msg)
    if baseline.time_unit != alternative.time_unit:
        msg = (
            f"`alternative` must use the baseline's time unit {baseline.time_unit!r} "
            f"(got {alternative.time_unit!r})."
        )
        raise InvalidInputError(msg)
    root = seed_sequence(rng)
    independent = not common_random_numbers
    first = simulate(baseline, n_replications=reps, rng=root, horizon=horizon, progress=progress)
    if independent:
        other = np.random.SeedSequence([*np.atleast_1d(np.asarray(root.entropy)).tolist(), 1])
    else:
        other = root
    second = simulate(
        alternative, n_replications=reps, rng=other, horizon=horizon, progress=progress
    )
    a, b = first.kpis(), second.kpis()
    names, base_mean, alt_mean, diff, low, high = [], [], [], [], [], []
    for name in a:
        if np.isnan(a[name]).any() or np.isnan(b[name]).any():
            continue
        d = b[name] - a[name]
        ci = mean_interval(d, level)
        names.append(name)
        base_mean.append(float(a[name].mean()))
        alt_mean.append(float(b[name].mean()))
        diff.append(float(d.mean()))
        low.append(ci.low)
        high.append(ci.high)
    return Comparison(
        kpi=np.array(names, dtype=str),
        baseline=np.array(base_mean),
        alternative=np.array(alt_mean),
        difference=np.array(diff),
        low=np.array(low),
        high=np.array(high),
        confidence_level=level,
        common_random_numbers=common_random_numbers,
        baseline_result=first,
        alternative_result=second,
    )
