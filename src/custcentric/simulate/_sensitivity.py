"""``sensitivity``: which inputs matter for a KPI (Sobol indices and a one-at-a-time tornado)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, cast

import attrs
import numpy as np

from custcentric._result import Result, read_only
from custcentric._validation import check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.simulate._engine import seed_sequence, simulate
from custcentric.simulate._result import KPI_NAMES
from custcentric.simulate._scenario import Scenario

__all__ = ["Sensitivity", "sensitivity"]


@attrs.frozen(kw_only=True, eq=False)
class Sensitivity(Result):
    """Sobol indices and a tornado table of one KPI, one row per parameter.

    Attributes
    ----------
    parameter : ndarray of str
        The dotted paths varied.
    low, high : ndarray of float64
        Each parameter's range.
    first_order, total_order : ndarray of float64
        Sobol indices (``scipy.stats.sobol_indices``), parameters uniform on their ranges
        (both 1 for a single parameter).
    kpi_at_low, kpi_at_high : ndarray of float64
        The tornado: the KPI with one parameter at its low (high) end, the others as in the
        scenario.
    kpi : str
        The KPI (mean over replications).
    base_value : float
        The KPI of the scenario as given.
    n : int
        The Sobol base sample size (``n * (d + 2)`` simulations).

    Examples
    --------
    >>> from custcentric.simulate import example_scenario, sensitivity
    >>> s = example_scenario(n_customers=300, horizon=6)
    >>> res = sensitivity(s, {"population.spend_model.p": (2.0, 4.0),
    ...                        "contact_centre.handle_time": (200.0, 400.0)},
    ...                   kpi="revenue", n=8, rng=1)
    >>> res.parameter.tolist()
    ['population.spend_model.p', 'contact_centre.handle_time']
    >>> bool(res.swing[0] > res.swing[1])
    True
    """

    _columns: ClassVar[tuple[str, ...]] = (
        "parameter",
        "low",
        "high",
        "first_order",
        "total_order",
        "kpi_at_low",
        "kpi_at_high",
    )

    parameter: np.ndarray = attrs.field(converter=read_only)
    low: np.ndarray = attrs.field(converter=read_only)
    high: np.ndarray = attrs.field(converter=read_only)
    first_order: np.ndarray = attrs.field(converter=read_only)
    total_order: np.ndarray = attrs.field(converter=read_only)
    kpi_at_low: np.ndarray = attrs.field(converter=read_only)
    kpi_at_high: np.ndarray = attrs.field(converter=read_only)
    kpi: str
    base_value: float
    n: int

    @property
    def swing(self) -> np.ndarray:
        """``|kpi_at_high - kpi_at_low|`` per parameter (the tornado's bar length)."""
        out: np.ndarray = np.abs(self.kpi_at_high - self.kpi_at_low)
        return out

    def summary(self) -> str:
        """Return one line per parameter, largest swing first."""
        lines = [f"Sensitivity of {self.kpi} (base {self.base_value:,.4g}; Sobol n={self.n}):"]
        for i in np.argsort(-self.swing, kind="stable").tolist():
            lines.append(
                f"  {self.parameter[i]:<34} S1 {self.first_order[i]:6.3f}  ST "
                f"{self.total_order[i]:6.3f}  {self.kpi_at_low[i]:,.4g} .. {self.kpi_at_high[i]:,.4g}"
            )
        return "\n".join(lines)


def _ranges(parameters: object, scenario: Scenario) -> list[tuple[str, float, float, bool]]:
    if not isinstance(parameters, Mapping) or not parameters:
        msg = f"`parameters` must map dotted paths to (low, high) ranges (got {fmt(parameters)})."
        raise InvalidInputError(msg)
    out = []
    for path, bounds in parameters.items():
        current = scenario.get(str(path))
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            msg = f"`parameters` {path!r} must name a number (it holds {fmt(current)})."
            raise InvalidInputError(msg)
        if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
            msg = f"`parameters[{path!r}]` must be a (low, high) pair (got {fmt(bounds)})."
            raise InvalidInputError(msg)
        low = check_number(bounds[0], f"parameters[{path!r}][0]")
        high = check_number(bounds[1], f"parameters[{path!r}][1]")
        if not low < high:
            msg = f"`parameters[{path!r}]` must have low < high (got {low!r}, {high!r})."
            raise InvalidInputError(msg)
        out.append((str(path), low, high, isinstance(current, int)))
    return out


def sensitivity(
    scenario: Scenario,
    parameters: Mapping[str, tuple[float, float]],
    *,
    kpi: str = "net_value",
    n: int = 64,
    n_replications: int = 1,
    rng: object = None,
) -> Sensitivity:
    """Return Sobol first-order and total indices of a KPI, and a one-at-a-time tornado.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    parameters : mapping of dotted path to (low, high)
        The inputs varied (paths as :meth:`Scenario.replace` takes them), each uniform on
        its range; an integer field (agents) is rounded.
    kpi : str, default "net_value"
        One of :data:`KPI_NAMES`; its mean over replications.
    n : int, default 64
        The base sample of :func:`scipy.stats.sobol_indices` (a power of 2); the cost is
        ``n * (d + 2)`` simulations for ``d`` parameters, plus ``2 d + 1`` for the tornado.
    n_replications : int, default 1
        Replications per simulation.
    rng : None, int, SeedSequence or Generator
        The root of the quasi-random sample; every simulation runs on the same streams (common
        random numbers), so the indices measure the parameters, not the noise.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> from custcentric.simulate import example_scenario, sensitivity
    >>> s = example_scenario(n_customers=200, horizon=4)
    >>> res = sensitivity(s, {"population.spend_model.p": (2.0, 4.0)}, kpi="revenue", n=4,
    ...                   rng=0)
    >>> bool(res.kpi_at_high[0] > res.kpi_at_low[0])
    True
    """
    from scipy import stats

    if not isinstance(cast(object, scenario), Scenario):
        msg = f"`scenario` must be a Scenario (got {type(scenario).__name__})."
        raise InvalidInputError(msg)
    if kpi not in KPI_NAMES:
        msg = f"`kpi` must be one of {', '.join(KPI_NAMES)} (got {kpi!r})."
        raise InvalidInputError(msg)
    base_n = int(check_number(n, "n", low=2, integer=True))
    if base_n & (base_n - 1):
        msg = f"`n` must be a power of 2 (got {base_n})."
        raise InvalidInputError(msg)
    reps = int(check_number(n_replications, "n_replications", low=1, integer=True))
    ranges = _ranges(parameters, scenario)
    root = seed_sequence(rng)
    sample_rng = np.random.default_rng(
        np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, 2**31))
    )

    def run(values: dict[str, float]) -> float:
        s = scenario
        for path, value in values.items():
            s = s.replace(path, value)
        x = simulate(s, n_replications=reps, rng=root).kpis()[kpi]
        if np.isnan(x).any():
            msg = f"`kpi` {kpi!r} has nothing to measure in this scenario (no case or no contact)."
            raise InvalidInputError(msg)
        return float(x.mean())

    def point(row: np.ndarray) -> dict[str, float]:
        return {
            path: (round(float(v)) if integer else float(v))
            for (path, _, _, integer), v in zip(ranges, row, strict=True)
        }

    def func(x: np.ndarray) -> np.ndarray:
        return np.array([[run(point(x[:, j])) for j in range(x.shape[1])]])

    dists = [stats.uniform(loc=low, scale=high - low) for _, low, high, _ in ranges]
    if len(ranges) == 1:
        # One input holds all the variance: both indices are 1 by definition (and scipy's
        # estimator needs at least two inputs).
        first, total = np.ones(1), np.ones(1)
    else:
        indices = stats.sobol_indices(func=func, n=base_n, dists=dists, rng=sample_rng)
        first = np.asarray(indices.first_order, dtype=np.float64).reshape(-1)
        total = np.asarray(indices.total_order, dtype=np.float64).reshape(-1)
    at_low, at_high = [], []
    for path, low, high, integer in ranges:
        at_low.append(run({path: round(low) if integer else low}))
        at_high.append(run({path: round(high) if integer else high}))
    return Sensitivity(
        parameter=np.array([r[0] for r in ranges], dtype=str),
        low=np.array([r[1] for r in ranges]),
        high=np.array([r[2] for r in ranges]),
        first_order=first,
        total_order=total,
        kpi_at_low=np.array(at_low),
        kpi_at_high=np.array(at_high),
        kpi=kpi,
        base_value=run({}),
        n=base_n,
    )
