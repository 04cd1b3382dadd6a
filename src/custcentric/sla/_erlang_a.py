"""Erlang A (M/M/N+M, Palm's queue): callers who lose patience and hang up."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from custcentric._pandas import make_frame
from custcentric._result import Result, read_only
from custcentric._validation import as_float_array, check_equal_length
from custcentric.exceptions import InvalidInputError
from custcentric.sla._arrays import (
    Interval,
    as_scenarios,
    interval_seconds,
    offered_traffic,
    scalar_or_array,
)
from custcentric.sla._erlang import log_erlang_b
from custcentric.typing import FloatArray

__all__ = ["MAX_AGENTS", "MAX_PATIENCE_RATIO", "ErlangAResult", "erlang_a", "priority_waits"]

_TINY = 1e-250
#: The most agents accepted by :func:`erlang_a`: every whole number up to 2**52 is exact in
#: float64 (and the load is at most 1e7 Erlangs, so more agents change nothing).
MAX_AGENTS = 2.0**52
#: The largest mean patience accepted, as a multiple of the mean handle time. Up to it the
#: incomplete-gamma evaluation keeps its accuracy; far beyond it nobody abandons and the
#: results are Erlang C's.
MAX_PATIENCE_RATIO = 1e9


def _log_s(x: FloatArray, y: FloatArray) -> FloatArray:
    """Return log S with ``S = sum_{m>=0} prod_{j=1}^{m} y / (x + j)``, for ``x, y > 0``.

    ``S = x e^y y^{-x} gamma(x, y) = exp(y + gammaln(x + 1) - x log y) P(x, y)`` with ``P``
    the regularised lower incomplete gamma function; where ``P`` underflows (``y`` far below
    ``x``) the series itself is summed, its terms falling geometrically.
    """
    p = special.gammainc(x, y)
    out = np.empty(x.shape, dtype=np.float64)
    ok = p > _TINY
    out[ok] = y[ok] + special.gammaln(x[ok] + 1.0) - x[ok] * np.log(y[ok]) + np.log(p[ok])
    low = ~ok
    if low.any():
        xl, yl = x[low], y[low]
        total = np.ones_like(xl)
        term = np.ones_like(xl)
        j = 1.0
        active = np.ones(xl.shape, dtype=bool)
        while active.any():
            term = np.where(active, term * yl / (xl + j), 0.0)
            total += term
            active &= term > 1e-17 * total
            j += 1.0
        out[low] = np.log(total)
    return out


def _scenarios(value: Any) -> Any:
    """Return a float for one scenario, else a read-only array."""
    return read_only(value) if isinstance(value, np.ndarray) else value


@attrs.frozen(kw_only=True, eq=False)
class ErlangAResult(Result):
    """Performance of an M/M/N+M queue (Erlang A), one value per scenario.

    Attributes
    ----------
    probability_wait : ndarray of float64
        Share of callers who find every agent busy and queue.
    probability_abandon : ndarray of float64
        Share of all callers who hang up before an agent answers.
    average_wait : ndarray of float64
        Mean time in queue over all callers (answered or not), in seconds.
    average_queue_length : ndarray of float64
        Mean number of callers waiting.
    occupancy : ndarray of float64
        Share of agent time spent on calls, ``lambda (1 - P_abandon) h / N``.

    Examples
    --------
    >>> from custcentric.sla import erlang_a
    >>> res = erlang_a(200, [11, 14], interval="h", handle_time=180, patience=120)
    >>> res.probability_abandon.round(4).tolist()
    [0.0942, 0.0228]
    >>> sorted(res.to_dict())[:2]
    ['average_queue_length', 'average_wait']
    >>> print(res)
    Erlang A, 2 scenarios: P(wait) 38.3% to 12.7%, P(abandon) 9.4% to 2.3%, mean wait 11.3 to 2.7 s
    """

    probability_wait: FloatArray = attrs.field(converter=_scenarios)
    probability_abandon: FloatArray = attrs.field(converter=_scenarios)
    average_wait: FloatArray = attrs.field(converter=_scenarios)
    average_queue_length: FloatArray = attrs.field(converter=_scenarios)
    occupancy: FloatArray = attrs.field(converter=_scenarios)

    def summary(self) -> str:
        """Return the waiting and abandonment figures in one line (first to last scenario)."""
        wait = np.asarray(self.probability_wait, dtype=np.float64).reshape(-1)
        n = wait.size

        def span(values: Any, form: str) -> str:
            flat = np.asarray(values, dtype=np.float64).reshape(-1)
            if flat.size == 1:
                return format(float(flat[0]), form)
            return f"{format(float(flat[0]), form)} to {format(float(flat[-1]), form)}"

        return (
            f"Erlang A, {n} scenario{'s' if n != 1 else ''}: P(wait) {span(wait, '.1%')}, "
            f"P(abandon) {span(self.probability_abandon, '.1%')}, "
            f"mean wait {span(self.average_wait, '.1f')} s"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as strict-JSON lists (or floats for one scenario)."""
        return super().to_dict()

    def to_pandas(self) -> Any:
        """Return one row per scenario as a DataFrame (needs the ``pandas`` extra)."""
        return make_frame(
            {
                f.name: np.asarray(getattr(self, f.name)).reshape(-1)
                for f in attrs.fields(type(self))
            }
        )


def erlang_a(
    arrival_rate: ArrayLike,
    n_agents: ArrayLike,
    *,
    interval: Interval,
    handle_time: ArrayLike,
    patience: ArrayLike,
) -> ErlangAResult:
    """Return waiting and abandonment for callers with exponential patience (Erlang A).

    Parameters
    ----------
    arrival_rate : array_like
        Calls per ``interval``, non-negative (``lambda``).
    n_agents : array_like
        Whole numbers of agents ``N``, 1 to ``MAX_AGENTS`` (2**52).
    interval : {"s", "m", "h", "D", "W"} or datetime.timedelta or numpy.timedelta64
        The interval ``arrival_rate`` counts calls in (``"h"``: calls per hour). Required,
        keyword only: earlier releases took the rate per unit of ``handle_time``.
    handle_time : array_like
        Mean handle time ``h = 1/mu`` in seconds, positive.
    patience : array_like
        Mean patience ``1/theta`` in seconds, positive and at most
        ``MAX_PATIENCE_RATIO`` (1e9) times ``handle_time``: how long a caller waits on
        average before hanging up. All array arguments broadcast. The offered traffic
        ``A = lambda h`` must be at most 1e7 Erlangs.

    Returns
    -------
    ErlangAResult
        Times (``average_wait``) in seconds. The queue is stable for any load, since
        impatient callers leave.

    Notes
    -----
    With ``A = lambda h``, ``x = N mu / theta`` and ``y = lambda / theta``, the
    stationary birth-death chain gives ``S = sum_m prod_{j<=m} lambda/(N mu + j theta)
    = x e^y y^-x gamma(x, y)`` (Mandelbaum & Zeltyn's ``A(x, y)``) and, with Erlang B
    ``B = B(N, A)``,

    ``P(wait) = B S / (1 + (S - 1) B)``,
    ``P(abandon | wait) = 1 / (rho S) + 1 - 1 / rho`` with ``rho = A / N``,

    and by Little's law the mean wait over all callers is ``P(abandon) / theta``. Everything
    is evaluated in log space. As patience grows, the results approach Erlang C.

    References
    ----------
    Palm, C. (1943). Intensitätsschwankungen im Fernsprechverkehr. *Ericsson Technics*, 44.
    Mandelbaum, A., & Zeltyn, S. (2007). Service engineering in action: the Palm/Erlang-A
    queue, with applications to call centers. In *Advances in Services Innovations*,
    Springer, 17-45 (section 3, the M/M/n+M formulas).

    Examples
    --------
    Call Centre Helper's load, 100 calls per 30 minutes at 180 s, with 2-minute patience:

    >>> import numpy as np
    >>> from custcentric.sla import erlang_a
    >>> res = erlang_a(100, 11, interval=np.timedelta64(30, "m"), handle_time=180, patience=120)
    >>> round(float(res.probability_wait), 4), round(float(res.probability_abandon), 4)
    (0.3828, 0.0942)
    """
    lam = as_scenarios(arrival_rate, "arrival_rate")
    n = as_scenarios(n_agents, "n_agents", integer=True, low=1, high=MAX_AGENTS)
    seconds = interval_seconds(interval)
    h = as_scenarios(handle_time, "handle_time", positive=True)
    pat = as_scenarios(patience, "patience", positive=True)
    lam, n, h, pat = np.broadcast_arrays(lam, n, h, pat)
    with np.errstate(over="ignore"):  # an overflow is a ratio far above the bound
        too_patient = ~(pat / h <= MAX_PATIENCE_RATIO)
    if too_patient.any():
        i = int(np.argmax(too_patient.reshape(-1)))
        pi, hi = float(pat.reshape(-1)[i]), float(h.reshape(-1)[i])
        msg = (
            f"`patience` must be at most {MAX_PATIENCE_RATIO:g} times `handle_time`; beyond "
            "that callers are in effect infinitely patient, and Erlang C (erlang_c, "
            f"service_level) applies (scenario {i}: {pi!r} s for {hi!r} s)."
        )
        raise InvalidInputError(msg)
    offered_traffic(lam, h, seconds)  # refuses loads above 1e7 Erlangs
    lam = lam / seconds  # calls per second from here on
    shape = lam.shape
    lam, n, h, pat = (v.reshape(-1) for v in (lam, n, h, pat))
    p_wait = np.zeros(lam.shape)
    p_ab = np.zeros(lam.shape)
    # A load per agent that underflows to 0 (below about 1e-308 Erlangs) never waits.
    busy = lam * h / n > 0
    if busy.any():
        lb, nb, hb, pb = lam[busy], n[busy], h[busy], pat[busy]
        a = lb * hb
        x = nb * pb / hb
        y = lb * pb
        log_b = log_erlang_b(a, nb)
        log_s = _log_s(x, y)
        # P(wait) = 1 / (1 + (1/B - 1) / S) = expit(log B + log S - log(1 - B)).
        # B rounds to 1 when the load dwarfs the agents: log(1 - B) = -inf, P(wait) = 1.
        with np.errstate(divide="ignore"):
            pw = special.expit(log_b + log_s - np.log1p(-np.exp(log_b)))
        rho = a / nb
        cond = (np.exp(-log_s) - (1.0 - rho)) / rho
        p_wait[busy] = pw
        p_ab[busy] = np.clip(pw * cond, 0.0, 1.0)
    wait = p_ab * pat
    result = {
        "probability_wait": p_wait,
        "probability_abandon": p_ab,
        "average_wait": wait,
        "average_queue_length": lam * wait,
        "occupancy": np.minimum(lam * (1.0 - p_ab) * h / n, 1.0),
    }
    return ErlangAResult(**{k: scalar_or_array(v.reshape(shape)) for k, v in result.items()})


def priority_waits(
    arrival_rates: ArrayLike, mean_service: ArrayLike, second_moment: ArrayLike
) -> FloatArray:
    """Return the mean queueing time of each class in a non-preemptive priority M/G/1 queue.

    Class 0 has the highest priority. Tiered service by priority (a premium queue) is paid
    for by the lower tiers: the arrival-weighted mean wait equals the first-come,
    first-served one (Kleinrock's conservation law).

    Parameters
    ----------
    arrival_rates : array_like
        ``lambda_k`` per class, non-negative, in priority order.
    mean_service, second_moment : array_like
        ``E[S_k]`` (positive) and ``E[S_k^2]`` (at least ``E[S_k]^2``) per class.

    Returns
    -------
    ndarray of float64
        ``W_k = W_0 / ((1 - sigma_{k-1}) (1 - sigma_k))`` with ``rho_k = lambda_k E[S_k]``,
        ``sigma_k = sum_{i<=k} rho_i`` and ``W_0 = sum_i lambda_i E[S_i^2] / 2``; ``inf``
        for classes with ``sigma_k >= 1``.

    References
    ----------
    Cobham, A. (1954). Priority assignment in waiting line problems. *Operations Research*,
    2(1), 70-76.

    Examples
    --------
    >>> from custcentric.sla import priority_waits
    >>> priority_waits([0.2, 0.3, 0.3], [1, 1, 1], [2, 2, 2]).round(6).tolist()
    [1.0, 2.0, 8.0]
    """
    lam = as_float_array(arrival_rates, "arrival_rates", non_negative=True, label="class")
    es = as_float_array(mean_service, "mean_service", positive=True, label="class")
    es2 = as_float_array(second_moment, "second_moment", positive=True, label="class")
    check_equal_length({"arrival_rates": lam, "mean_service": es, "second_moment": es2})
    # E[S^2] >= E[S]^2 tested as E[S^2] / E[S] >= E[S], which cannot overflow.
    bad = es2 / es < es * (1 - 1e-12)
    if bad.any():
        i = int(np.argmax(bad))
        msg = (
            "`second_moment` must be at least `mean_service` squared "
            f"(class {i}: {es2[i]!r} < {es[i]!r}**2)."
        )
        raise InvalidInputError(msg)
    with np.errstate(over="ignore"):  # astronomic loads: rho, W_0 = inf, waits inf
        rho = lam * es
        sigma = np.cumsum(rho)
        w0 = float(np.sum(lam * es2) / 2.0)
    before = np.concatenate(([0.0], sigma[:-1]))
    out = np.full(lam.shape, np.inf)
    ok = sigma < 1.0
    out[ok] = w0 / ((1.0 - before[ok]) * (1.0 - sigma[ok]))
    return out
