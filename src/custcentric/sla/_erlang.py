"""Erlang B and C: contact-centre capacity for a service level.

Units: ``traffic`` is the offered load in Erlangs (dimensionless), at most
:data:`~custcentric.sla._arrays.MAX_TRAFFIC` (1e7); every time (handle, answer, wait) is in
seconds; arrival rates are calls per a named ``interval`` (e.g. ``interval="h"``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from custcentric._stats import scalar_or_array
from custcentric._validation import check_number, fmt
from custcentric.exceptions import InvalidInputError
from custcentric.sla._arrays import (
    MAX_TRAFFIC,
    Interval,
    as_scenarios,
    check_share,
    interval_seconds,
    offered_traffic,
)
from custcentric.typing import FloatArray

__all__ = [
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "log_erlang_b",
    "occupancy",
    "required_agents",
    "service_level",
]

_TINY = 1e-250
_MAX_AGENTS = 2.0**52


def log_erlang_b(traffic: FloatArray, n: FloatArray) -> FloatArray:
    """Return log B(n, A) for checked, broadcast arrays (``traffic >= 0``, whole ``n >= 0``).

    ``B = pmf(n; A) / cdf(n; A)`` of a Poisson(A) law, with both in log space (stable for
    any n); where the cdf underflows (n far below A) the finite series
    ``1/B = sum_{j=0}^{n} prod_{i<j} (n - i) / A`` is summed instead (its terms fall fast).
    """
    a, k = np.broadcast_arrays(traffic, n)
    out = np.zeros(a.shape, dtype=np.float64)
    busy = (k > 0) & (a > 0)
    out[(k > 0) & (a == 0)] = -np.inf
    if not busy.any():
        return out
    ab, kb = a[busy], k[busy]
    log_pmf = special.xlogy(kb, ab) - ab - special.gammaln(kb + 1.0)
    cdf = special.pdtr(kb, ab)
    result = np.empty(ab.shape, dtype=np.float64)
    ok = cdf > _TINY
    result[ok] = log_pmf[ok] - np.log(cdf[ok])
    low = ~ok
    if low.any():
        al, kl = ab[low], kb[low]
        total = np.ones_like(al)
        term = np.ones_like(al)
        j = 0.0
        active = np.ones(al.shape, dtype=bool)
        while active.any():
            term = np.where(active, term * np.maximum(kl - j, 0.0) / al, 0.0)
            total += term
            active &= (term > 1e-17 * total) & (j + 1 < kl)
            j += 1.0
        result[low] = -np.log(total)
    out[busy] = result
    return out


def erlang_b(traffic: ArrayLike, n_agents: ArrayLike) -> Any:
    """Return the Erlang B blocking probability for ``traffic`` Erlangs on ``n_agents`` lines.

    Parameters
    ----------
    traffic : array_like
        Offered load ``A = arrival rate * handle time`` in Erlangs (both in one time unit),
        in ``[0, 1e7]``.
    n_agents : array_like
        Whole numbers of servers, non-negative. Broadcasts with ``traffic``.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``B(N, A)``, the share of calls that find every line busy (lost-calls-cleared).

    Notes
    -----
    Valid for any whole ``N`` and ``0 <= A <= 1e7`` (larger loads raise
    :class:`~custcentric.exceptions.InvalidInputError`): the result is finite, in [0, 1],
    and computed without floating-point warnings.

    ``B(N, A) = (A^N / N!) / sum_{k=0}^{N} A^k / k!``, the classical recursion being
    ``B_0 = 1, B_k = A B_{k-1} / (k + A B_{k-1})``. It is computed here as the ratio of the
    Poisson(A) probability at N to its distribution function at N, both in log space
    (``scipy.special.gammaln`` and ``pdtr``), so 10,000 or 1,000,000 agents cost the same
    as ten and nothing overflows.

    References
    ----------
    Erlang, A. K. (1917). Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges. *Elektroteknikeren*, 13.

    Examples
    --------
    >>> from custcentric.sla import erlang_b
    >>> round(float(erlang_b(10.0, 11)), 4)
    0.1632
    >>> erlang_b([1.0, 2.0], [[1], [2]]).round(4).tolist()
    [[0.5, 0.6667], [0.2, 0.4]]
    """
    a = as_scenarios(traffic, "traffic", high=MAX_TRAFFIC)
    n = as_scenarios(n_agents, "n_agents", integer=True)
    return scalar_or_array(np.exp(log_erlang_b(a, n)))


def _erlang_c(a: FloatArray, n: FloatArray) -> FloatArray:
    a, n = np.broadcast_arrays(a, n)
    b = np.exp(log_erlang_b(a, n))
    stable = n > a
    out = np.ones(a.shape, dtype=np.float64)
    nb, ab, bb = n[stable], a[stable], b[stable]
    out[stable] = nb * bb / (nb - ab * (1.0 - bb))
    return out


def erlang_c(traffic: ArrayLike, n_agents: ArrayLike) -> Any:
    """Return the Erlang C probability that a call waits, for an M/M/N queue.

    Parameters
    ----------
    traffic : array_like
        Offered load ``A`` in Erlangs, in ``[0, 1e7]``.
    n_agents : array_like
        Whole numbers of agents, at least 1. Broadcasts with ``traffic``.

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``P(wait)``. Where ``n_agents <= traffic`` the queue is unstable (it grows without
        bound) and every call waits: the result is exactly 1, never NaN.

    Notes
    -----
    ``P_wait = [A^N/N! * N/(N-A)] / [sum_{k<N} A^k/k! + A^N/N! * N/(N-A)]``, computed from
    Erlang B as ``P_wait = N B / (N - A (1 - B))``.

    References
    ----------
    Erlang (1917); Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked
    Example" (callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls in 30
    minutes at 180 s each is A = 10 Erlangs; with 14 agents ``P[w] = 0.1741``, service level
    88.8 % (80 % within 20 s), ASA 7.8 s.

    Examples
    --------
    >>> from custcentric.sla import erlang_c
    >>> round(float(erlang_c(10.0, 14)), 4)
    0.1741
    >>> erlang_c(10.0, [10, 12, 14]).round(4).tolist()
    [1.0, 0.4494, 0.1741]
    """
    a = as_scenarios(traffic, "traffic", high=MAX_TRAFFIC)
    n = as_scenarios(n_agents, "n_agents", integer=True, low=1)
    return scalar_or_array(_erlang_c(a, n))


def _service_level(a: FloatArray, n: FloatArray, t: FloatArray, h: FloatArray) -> FloatArray:
    a, n, t, h = np.broadcast_arrays(a, n, t, h)
    c = _erlang_c(a, n)
    stable = n > a
    out = np.zeros(a.shape, dtype=np.float64)
    # A huge answer_time / handle_time overflows the exponent to -inf: exp gives 0, as it should.
    with np.errstate(over="ignore"):
        decay = np.exp(-(n[stable] - a[stable]) * t[stable] / h[stable])
    out[stable] = 1.0 - c[stable] * decay
    return out


def service_level(
    traffic: ArrayLike, n_agents: ArrayLike, *, answer_time: ArrayLike, handle_time: ArrayLike
) -> Any:
    """Return the share of calls answered within ``answer_time`` (Erlang C).

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, in ``[0, 1e7]``.
    n_agents : array_like
        Whole numbers of agents, at least 1.
    answer_time : array_like
        The target answer time ``T`` in seconds, non-negative.
    handle_time : array_like
        The mean handle time ``h`` in seconds, positive. All four arguments broadcast.
        (Only ``T / h`` matters, so any one unit for both gives the same result.)

    Returns
    -------
    numpy.float64 or ndarray of float64
        ``SL(T) = 1 - P_wait exp(-(N - A) T / h)``; 0 where ``n_agents <= traffic``.

    Examples
    --------
    Call Centre Helper's worked example (80 % within 20 s, AHT 180 s, A = 10):

    >>> from custcentric.sla import service_level
    >>> service_level(10.0, [13, 14], answer_time=20, handle_time=180).round(4).tolist()
    [0.7956, 0.8884]
    """
    a = as_scenarios(traffic, "traffic", high=MAX_TRAFFIC)
    n = as_scenarios(n_agents, "n_agents", integer=True, low=1)
    t = as_scenarios(answer_time, "answer_time")
    h = as_scenarios(handle_time, "handle_time", positive=True)
    return scalar_or_array(_service_level(a, n, t, h))


def average_speed_of_answer(
    traffic: ArrayLike, n_agents: ArrayLike, *, handle_time: ArrayLike
) -> Any:
    """Return the mean wait before answer over all calls (ASA), in seconds.

    ``ASA = P_wait h / (N - A)``; infinite (not NaN) where ``n_agents <= traffic``, since the
    queue then grows without bound.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, in ``[0, 1e7]``.
    n_agents : array_like
        Whole numbers of agents, at least 1.
    handle_time : array_like
        Mean handle time ``h`` in seconds, positive (the result is in the unit of ``h``).

    Returns
    -------
    numpy.float64 or ndarray of float64
        The ASA in seconds; all arguments broadcast.

    Examples
    --------
    >>> from custcentric.sla import average_speed_of_answer
    >>> average_speed_of_answer(10.0, [10, 14], handle_time=180).round(2).tolist()
    [inf, 7.84]
    """
    a = as_scenarios(traffic, "traffic", high=MAX_TRAFFIC)
    n = as_scenarios(n_agents, "n_agents", integer=True, low=1)
    h = as_scenarios(handle_time, "handle_time", positive=True)
    a, n, h = np.broadcast_arrays(a, n, h)
    c = _erlang_c(a, n)
    stable = n > a
    out = np.full(a.shape, np.inf)
    out[stable] = c[stable] * h[stable] / (n[stable] - a[stable])
    return scalar_or_array(out)


def occupancy(traffic: ArrayLike, n_agents: ArrayLike) -> Any:
    """Return agent occupancy ``min(A / N, 1)``, the share of time agents spend on calls.

    ``traffic`` is in Erlangs, in ``[0, 1e7]``; ``n_agents`` whole, at least 1.

    Examples
    --------
    >>> from custcentric.sla import occupancy
    >>> occupancy(10.0, [8, 14]).round(4).tolist()
    [1.0, 0.7143]
    """
    a = as_scenarios(traffic, "traffic", high=MAX_TRAFFIC)
    n = as_scenarios(n_agents, "n_agents", integer=True, low=1)
    return scalar_or_array(np.minimum(a / n, 1.0))


def required_agents(
    arrival_rate: ArrayLike,
    handle_time: ArrayLike,
    *,
    interval: Interval,
    answer_time: ArrayLike,
    target_service_level: ArrayLike,
    max_occupancy: ArrayLike | None = None,
    shrinkage: float = 0.0,
) -> Any:
    """Return the fewest agents that meet a service level, for arrays of scenarios.

    Parameters
    ----------
    arrival_rate : array_like
        Calls per ``interval``, non-negative.
    handle_time : array_like
        Mean handle time in seconds, positive.
    interval : {"s", "m", "h", "D", "W"} or datetime.timedelta or numpy.timedelta64
        The interval ``arrival_rate`` counts calls in: a time-unit name (``"h"`` for calls
        per hour) or a duration such as ``numpy.timedelta64(30, "m")``. Required (keyword
        only): earlier releases took the rate per unit of ``handle_time``, and a silent
        default would turn such an old call into a different number.
    answer_time : array_like
        Target answer time ``T`` in seconds, non-negative.
    target_service_level : array_like
        Share of calls to answer within ``T``, in (0, 1).
    max_occupancy : array_like, optional
        Highest acceptable occupancy ``A / N``, in (0, 1]; adds ``N >= A / max_occupancy``.
    shrinkage : float, default 0
        Share of paid time agents are not available for calls (breaks, training,
        absence), in [0, 1). The result is the rostered number
        ``ceil(N / (1 - shrinkage))``.

    Returns
    -------
    numpy.int64 or ndarray of int64
        The smallest ``N > A`` with ``service_level(A, N) >= target`` (and the occupancy
        rule), after shrinkage, where ``A = arrival_rate * handle_time / seconds per
        interval`` Erlangs. All array arguments broadcast.

    Raises
    ------
    InvalidInputError
        If an input is out of range, or the offered traffic ``A`` exceeds 1e7 Erlangs.

    Notes
    -----
    The search starts at ``N0 = max(floor(A) + 1, ceil(A / max_occupancy))`` with Erlang B
    computed once in log space, then climbs with the recursion
    ``B_{k+1} = A B_k / (k + 1 + A B_k)`` for the scenarios not yet satisfied, so a grid
    of 10,000 scenarios costs a few dozen vectorised steps.

    References
    ----------
    Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
    (callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls per 30 minutes,
    AHT 180 s, 80 % answered in 20 s, needs 14 agents; with 30 % shrinkage, 14 / 0.7 = 20.

    Examples
    --------
    Call Centre Helper's example, 100 calls per 30 minutes (200 an hour):

    >>> import numpy as np
    >>> from custcentric.sla import required_agents
    >>> int(required_agents(100, 180, interval=np.timedelta64(30, "m"), answer_time=20,
    ...                     target_service_level=0.8))
    14
    >>> int(required_agents(200, 180, interval="h", answer_time=20, target_service_level=0.8,
    ...                     shrinkage=0.3))
    20
    >>> required_agents([600, 6000, 60000], 60, interval="h", answer_time=6,
    ...                 target_service_level=0.9).tolist()
    [15, 110, 1017]
    """
    lam = as_scenarios(arrival_rate, "arrival_rate")
    h = as_scenarios(handle_time, "handle_time", positive=True)
    seconds = interval_seconds(interval)
    t = as_scenarios(answer_time, "answer_time")
    target = check_share(target_service_level, "target_service_level")
    shrink = check_number(shrinkage, "shrinkage", low=0.0, high=1.0, high_inclusive=False)
    occ: NDArray[np.float64]
    if max_occupancy is None:
        occ = np.ones(())
    else:
        occ = as_scenarios(max_occupancy, "max_occupancy", positive=True, high=1.0)
    lam, h, t, target, occ = np.broadcast_arrays(lam, h, t, target, occ)
    a = offered_traffic(lam, h, seconds).reshape(-1)
    h, t, target, occ = (x.reshape(-1) for x in (h, t, target, occ))
    n = np.maximum(np.floor(a) + 1.0, 1.0)
    if max_occupancy is not None:
        with np.errstate(over="ignore"):
            n = np.maximum(n, np.ceil(a / occ * (1 - 1e-12)))
    huge = ~(n < _MAX_AGENTS)
    if huge.any():
        # Beyond 2**52 a float cannot count agents one by one (n + 1 == n): the search
        # would never end.
        i = int(np.argmax(huge))
        msg = (
            "`max_occupancy` must leave fewer than 2**52 agents to search "
            f"(scenario {i}: {fmt(float(a[i]))} Erlangs / {fmt(float(occ[i]))})."
        )
        raise InvalidInputError(msg)
    b = np.exp(log_erlang_b(a, n))
    result = n.copy()
    todo = np.arange(a.size)
    while todo.size:
        aa, nn, bb = a[todo], n[todo], b[todo]
        c = nn * bb / (nn - aa * (1.0 - bb))
        with np.errstate(over="ignore"):
            sl = 1.0 - c * np.exp(-(nn - aa) * t[todo] / h[todo])
        done = sl >= target[todo]
        result[todo[done]] = nn[done]
        keep = ~done
        todo = todo[keep]
        aa, nn, bb = aa[keep], nn[keep] + 1.0, bb[keep]
        n[todo] = nn
        b[todo] = aa * bb / (nn + aa * bb)
    rostered = np.ceil(result / (1.0 - shrink) * (1 - 1e-12)) if shrink > 0 else result
    if shrink > 0 and not np.all(rostered < 2.0**62):
        i = int(np.argmax(~(rostered < 2.0**62)))
        msg = (
            f"`shrinkage` must leave a rostered head count below 2**62 (scenario {i}: "
            f"{fmt(float(result[i]))} agents / (1 - {shrink:g}))."
        )
        raise InvalidInputError(msg)
    out = rostered.astype(np.int64).reshape(lam.shape)
    return scalar_or_array(out)
