"""Customize: assign offers to customers optimally, within capacities, budget and their interest."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import fmt
from custcentric.domain._base import real_number
from custcentric.exceptions import ConvergenceError, InvalidInputError
from custcentric.idic._policy import PolicyCheck
from custcentric.typing import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OFFER_METHODS", "OfferAssignment", "assign_offers"]

OFFER_METHODS: Final[tuple[str, ...]] = (
    "argmax",
    "linear_sum_assignment",
    "transportation_lp",
    "milp",
)
"""How :func:`assign_offers` solved a problem, from the cheapest exact method up."""
_LSA_LIMIT: Final = 4_000_000  # cells of the column-replicated assignment matrix


@attrs.frozen(kw_only=True, eq=False)
class OfferAssignment:
    """Which customer gets which offer, what it is worth, and which pairs were refused.

    Attributes
    ----------
    assigned : ndarray of bool, shape (n_customers, n_offers)
        ``assigned[i, j]`` when customer ``i`` gets offer ``j`` (all False if infeasible).
    value : ndarray of float, shape (n_customers, n_offers)
        The expected values as given.
    feasible : bool
        False when no assignment meets the constraints (see ``message``).
    status : str
        ``"optimal"`` or ``"infeasible"``.
    method : str
        One of :data:`OFFER_METHODS`.
    message : str
        Why the problem is infeasible, or how it was solved.
    refused : dict of str to int
        Customer–offer pairs refused before optimising, by reason: ``"negative_benefit"``
        (the customer would lose by it), ``"no_consent"``, or ``"policy: <rule>"``. A pair
        is counted once, under the first reason in that order.
    n_ineligible : int
        Pairs excluded by ``eligibility`` (not counted as refused).
    allowed : ndarray of bool, shape (n_customers, n_offers)
        Pairs the optimiser could use (eligible and not refused).
    cost : ndarray of float, shape (n_customers, n_offers)
        Cost of each pair counted against the budget (zeros if no ``cost``).

    Examples
    --------
    >>> from custcentric.idic import assign_offers
    >>> plan = assign_offers([[12, 7, 9], [8, 10, 4], [6, 9, 11], [10, 3, 8]], capacity=[1, 1, 1])
    >>> plan.offer.tolist(), plan.total_value, plan.method
    ([0, 1, 2, -1], 33.0, 'linear_sum_assignment')
    """

    assigned: BoolArray
    value: FloatArray
    feasible: bool
    status: str
    method: str
    message: str
    refused: dict[str, int]
    n_ineligible: int
    allowed: BoolArray
    cost: FloatArray

    @property
    def offer(self) -> IntArray:
        """Per customer, the (first) offer assigned, or ``-1`` for none."""
        has = self.assigned.any(axis=1)
        result: IntArray = np.where(has, self.assigned.argmax(axis=1), -1).astype(np.int64)
        return result

    @property
    def n_assigned(self) -> int:
        """Customer–offer pairs assigned."""
        return int(self.assigned.sum())

    @property
    def n_refused(self) -> int:
        """Customer–offer pairs refused (negative benefit, no consent, policy)."""
        return sum(self.refused.values())

    @property
    def total_value(self) -> float:
        """Sum of the expected values of the assigned pairs."""
        return float(self.value[self.assigned].sum())

    @property
    def total_cost(self) -> float:
        """Sum of the costs of the assigned pairs."""
        return float(self.cost[self.assigned].sum())

    @property
    def offer_counts(self) -> IntArray:
        """Customers assigned to each offer."""
        counts: IntArray = self.assigned.sum(axis=0).astype(np.int64)
        return counts

    def pairs(self) -> tuple[IntArray, IntArray]:
        """Return the (customer, offer) indices of the assigned pairs, by customer."""
        customer, offer = np.nonzero(self.assigned)
        return customer.astype(np.int64), offer.astype(np.int64)

    def to_dict(self) -> dict[str, Any]:
        """Return the assignment as plain JSON-ready data."""
        customer, offer = self.pairs()
        return {
            "feasible": self.feasible,
            "status": self.status,
            "method": self.method,
            "message": self.message,
            "total_value": self.total_value,
            "total_cost": self.total_cost,
            "offer_counts": self.offer_counts.tolist(),
            "refused": dict(self.refused),
            "n_ineligible": self.n_ineligible,
            "pairs": {"customer": customer.tolist(), "offer": offer.tolist()},
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per assigned pair: customer, offer, value, cost (``pandas`` extra)."""
        customer, offer = self.pairs()
        columns: dict[str, NDArray[Any] | None] = {
            "customer": customer,
            "offer": offer,
            "value": self.value[customer, offer],
            "cost": self.cost[customer, offer],
        }
        return make_frame(columns)

    def summary(self) -> str:
        """Return the outcome, the totals and the refusals as readable text."""
        n, m = self.value.shape
        if not self.feasible:
            head = f"Offer assignment ({n:,} customers x {m} offers): INFEASIBLE — {self.message}"
        else:
            head = (
                f"Offer assignment ({n:,} customers x {m} offers, {self.method}): "
                f"{self.n_assigned:,} offers, value {self.total_value:,.2f}, "
                f"cost {self.total_cost:,.2f}"
            )
        lines = [head]
        if self.feasible:
            lines.append(
                "  per offer: " + ", ".join(f"{j}: {c:,}" for j, c in enumerate(self.offer_counts))
            )
        lines += [f"  refused, {reason}: {count:,}" for reason, count in self.refused.items()]
        if self.n_ineligible:
            lines.append(f"  ineligible: {self.n_ineligible:,}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


#: The largest magnitude accepted for a value, benefit, cost, capacity, minimum or budget:
#: sums over up to 10**150 pairs then stay finite, so no total can overflow.
MAX_MAGNITUDE = 1e150


def _asarray(values: ArrayLike, name: str) -> NDArray[Any]:
    try:
        return np.asarray(values)
    except ValueError:  # a ragged nesting of lists
        msg = f"`{name}` must be a rectangular array (got rows of unequal lengths)."
        raise InvalidInputError(msg) from None


def _matrix(values: ArrayLike, name: str, shape: tuple[int, int] | None) -> FloatArray:
    raw = _asarray(values, name)
    if raw.dtype.kind not in "iuf":
        msg = f"`{name}` must hold numbers (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    array = np.ascontiguousarray(raw, dtype=np.float64)
    if array.ndim != 2:
        msg = f"`{name}` must be a 2-D (customers x offers) matrix (got shape {array.shape})."
        raise InvalidInputError(msg)
    if shape is not None and array.shape != shape:
        msg = f"`{name}` must have shape {shape} like `expected_value` (got {array.shape})."
        raise InvalidInputError(msg)
    bad = ~np.isfinite(array)
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        msg = f"`{name}` must be finite (customer {i}, offer {j}: {fmt(array[i, j])})."
        raise InvalidInputError(msg)
    huge = np.abs(array) > MAX_MAGNITUDE
    if huge.any():
        i, j = (int(k) for k in np.argwhere(huge)[0])
        msg = (
            f"`{name}` must have magnitude at most 1e150 so that totals stay finite "
            f"(customer {i}, offer {j}: {fmt(array[i, j])})."
        )
        raise InvalidInputError(msg)
    return array


def _mask(values: ArrayLike, name: str, shape: tuple[int, int]) -> BoolArray:
    """Return a bool matrix from a (n, m) or per-customer (n,) mask."""
    raw = _asarray(values, name)
    if raw.dtype.kind != "b":
        msg = f"`{name}` must hold booleans (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    if raw.shape == (shape[0],):
        raw = raw[:, None]
    if raw.ndim != 2 or raw.shape[0] != shape[0] or raw.shape[1] not in (1, shape[1]):
        msg = f"`{name}` must have shape {shape} or ({shape[0]},) (got {raw.shape})."
        raise InvalidInputError(msg)
    return np.broadcast_to(raw, shape).copy()


def _per_offer(values: ArrayLike, name: str, m: int, *, integer: bool) -> FloatArray:
    raw = _asarray(values, name)
    if raw.ndim == 0:
        raw = np.full(m, raw)
    if raw.dtype.kind not in "iuf" or raw.shape != (m,):
        msg = (
            f"`{name}` must hold {m} numbers, one per offer (got {raw.dtype} of shape {raw.shape})."
        )
        raise InvalidInputError(msg)
    array = raw.astype(np.float64)
    bad = ~np.isfinite(array) | (array < 0)
    if integer:
        bad |= array != np.round(array)
    if bad.any():
        j = int(np.argmax(bad))
        rule = "be whole numbers >= 0" if integer else "be finite and >= 0"
        msg = f"`{name}` must {rule} (offer {j}: {fmt(array[j])})."
        raise InvalidInputError(msg)
    huge = array > MAX_MAGNITUDE
    if huge.any():
        j = int(np.argmax(huge))
        msg = f"`{name}` must be at most 1e150 (offer {j}: {fmt(raw.reshape(-1)[j])})."
        raise InvalidInputError(msg)
    return array


def _policy_reasons(policy: PolicyCheck | ArrayLike, shape: tuple[int, int]) -> NDArray[Any]:
    """Per pair, ``""`` when the policy allows it, else ``"policy: <rule>"``."""
    n, m = shape
    if isinstance(policy, PolicyCheck):
        allowed, reason = policy.allowed, policy.reason
        if allowed.size not in (n, n * m):
            msg = (
                f"`policy` must decide {n} contacts (one per customer) or {n * m} "
                f"(one per pair, row-major) (got {allowed.size})."
            )
            raise InvalidInputError(msg)
        allowed = np.broadcast_to(allowed.reshape(n, -1), shape)
        reason = np.broadcast_to(reason.reshape(n, -1), shape)
        return np.where(allowed, "", np.char.add("policy: ", reason.astype(np.str_)))
    ok = _mask(policy, "policy", shape)
    return np.where(ok, "", "policy: refused")


def assign_offers(
    expected_value: ArrayLike,
    *,
    eligibility: ArrayLike | None = None,
    capacity: ArrayLike | None = None,
    budget: float | None = None,
    cost: ArrayLike | None = None,
    customer_benefit: ArrayLike | None = None,
    consent: ArrayLike | None = None,
    policy: PolicyCheck | ArrayLike | None = None,
    minimum: ArrayLike | None = None,
    max_offers: int = 1,
) -> OfferAssignment:
    r"""Give each customer the offers worth most in total, within capacities and budget.

    Parameters
    ----------
    expected_value : array_like, shape (n_customers, n_offers)
        Net expected value of each pair, e.g. :math:`p_{ij} v_{ij} - c_j`; finite, with
        magnitude at most 1e150 (as ``customer_benefit``, ``cost``, ``capacity``,
        ``minimum`` and ``budget``), so that no total can overflow.
        A pair worth zero or less is never assigned ("no action" is worth 0).
    eligibility : array_like of bool, shape (n, m) or (n,), optional
        Pairs that may be considered at all (product rules, stock, region).
    capacity : array_like, shape (m,), optional
        :math:`Cap_j`, the most customers each offer may go to (whole numbers ≥ 0).
    budget : float, optional
        :math:`B`, the most the assigned pairs may cost in total; needs ``cost``.
    cost : array_like, shape (m,) or (n, m), optional
        :math:`c_j` (or :math:`c_{ij}`), each pair's cost against the budget.
    customer_benefit : array_like, shape (n, m), optional
        The customer's own expected gain from each offer; pairs with a negative benefit
        are refused (source S4: the customer's interest first).
    consent : array_like of bool, shape (n,) or (n, m), optional
        Marketing consent; pairs without it are refused.
    policy : PolicyCheck or array_like of bool, optional
        A :meth:`ContactPolicy.check` of one planned contact per customer (or per pair,
        row-major), or a bool mask of the same shapes; refused pairs are reported under
        ``"policy: <rule>"``.
    minimum : array_like, shape (m,), optional
        :math:`Min_j`, the fewest customers each offer must go to (e.g. a fairness or
        contractual quota). It can make the problem infeasible.
    max_offers : int, default 1
        :math:`K`, the most offers per customer.

    Returns
    -------
    OfferAssignment
        With ``feasible=False`` and ``status="infeasible"`` (and nothing assigned) when the
        minimums cannot be met within capacities, budget and the allowed pairs.

    Raises
    ------
    InvalidInputError
        For NaN or infinite values, shapes that do not match, negative capacities or
        budget, a budget without costs, or a minimum above its capacity.
    ConvergenceError
        If the MILP solver stops without a proven optimum.

    Notes
    -----
    The programme (Cohen 2004; Nobibon, Leus & Spieksma 2011) is

    .. math::

        \max \sum_{ij} v_{ij} x_{ij} \quad \text{s.t.} \quad
        \sum_j x_{ij} \le K,\;
        Min_j \le \sum_i x_{ij} \le Cap_j,\;
        \sum_{ij} c_{ij} x_{ij} \le B,\;
        x_{ij} = 0 \text{ if not allowed},\; x_{ij} \in \{0, 1\}.

    The cheapest exact method is used: with no capacity, budget or minimum, each customer
    takes their best ``K`` positive offers (``"argmax"``); with ``K = 1``, capacities and
    nothing else, the Hungarian algorithm (Kuhn 1955; ``scipy.optimize.linear_sum_assignment``)
    on the matrix whose column ``j`` is repeated :math:`Cap_j` times, when that matrix is
    small. Without a budget the constraint matrix is that of a transportation problem
    (totally unimodular), so a vertex of the LP relaxation is integral: it is solved by
    ``scipy.optimize.linprog`` (HiGHS interior point with crossover) and the solution is
    checked to be integral (``"transportation_lp"``). A budget breaks unimodularity: then
    ``scipy.optimize.milp`` (HiGHS branch and cut, ``"milp"``). Only allowed pairs of
    positive value become variables (plus, for offers with a minimum, their other allowed
    pairs).

    References
    ----------
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research
    Logistics Quarterly*, 2(1–2), 83–97. Cohen, M.-D. (2004). Exploiting response models —
    optimizing cross-sell and up-sell opportunities in banking. *Information Systems*,
    29(4), 327–341. Nobibon, F. T., Leus, R., & Spieksma, F. C. R. (2011). Optimization
    models for targeted offers in direct marketing. *European Journal of Operational
    Research*, 210(3), 670–683.

    Examples
    --------
    Net values of 4 customers for 3 offers (response probability × value − cost, with
    probabilities ``[[.10,.05,.20],[.30,.10,.05],[.05,.25,.10],[.20,.20,.15]]``, values
    (100, 150, 60), costs (5, 8, 2)), capacities (2, 1, 1), and then a
    budget of 15 with offer costs (5, 8, 2).

    >>> from custcentric.idic import assign_offers
    >>> v = [[5, -0.5, 10], [25, 7, 1], [0, 29.5, 4], [15, 22, 7]]
    >>> plan = assign_offers(v, capacity=[2, 1, 1])
    >>> plan.offer.tolist(), plan.total_value
    ([2, 0, 1, 0], 79.5)
    >>> plan = assign_offers(v, capacity=[2, 1, 1], budget=15, cost=[5, 8, 2])
    >>> plan.offer.tolist(), plan.total_value, plan.total_cost
    ([2, 0, 1, -1], 64.5, 15.0)
    """
    value = _matrix(expected_value, "expected_value", None)
    shape = value.shape
    n, m = shape
    if n == 0 or m == 0:
        msg = f"`expected_value` must have at least one customer and one offer (got shape {shape})."
        raise InvalidInputError(msg)
    k = int(real_number(max_offers, "max_offers", low=1, integer=True))
    allowed = (
        np.ones(shape, dtype=bool)
        if eligibility is None
        else _mask(eligibility, "eligibility", shape)
    )
    n_ineligible = int((~allowed).sum())
    reason = np.full(shape, "", dtype=object)
    if customer_benefit is not None:
        benefit = _matrix(customer_benefit, "customer_benefit", shape)
        reason[allowed & (benefit < 0)] = "negative_benefit"
    if consent is not None:
        ok = _mask(consent, "consent", shape)
        reason[allowed & (reason == "") & ~ok] = "no_consent"
    if policy is not None:
        verdict = _policy_reasons(policy, shape)
        free = allowed & (reason == "") & (verdict != "")
        reason[free] = verdict[free]
    refused_mask = allowed & (reason != "")
    labels, counts = np.unique(reason[refused_mask].astype(np.str_), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    refused = {str(labels[i]): int(counts[i]) for i in order}
    allowed &= ~refused_mask

    cap = None if capacity is None else _per_offer(capacity, "capacity", m, integer=True)
    low = None if minimum is None else _per_offer(minimum, "minimum", m, integer=True)
    pair_cost = np.zeros(shape)
    if cost is not None:
        raw = _asarray(cost, "cost")
        pair_cost = (
            np.broadcast_to(_per_offer(raw, "cost", m, integer=False), shape).copy()
            if raw.ndim <= 1
            else _matrix(raw, "cost", shape)
        )
        if (pair_cost < 0).any():
            i, j = (int(x) for x in np.argwhere(pair_cost < 0)[0])
            msg = f"`cost` must be >= 0 (customer {i}, offer {j}: {fmt(pair_cost[i, j])})."
            raise InvalidInputError(msg)
    limit = None
    if budget is not None:
        if cost is None:
            msg = "`cost` must be given with `budget` (the budget limits the pairs' costs)."
            raise InvalidInputError(msg)
        limit = real_number(budget, "budget", low=0)
        if limit > MAX_MAGNITUDE:
            msg = f"`budget` must be at most 1e150 (got {fmt(budget)})."
            raise InvalidInputError(msg)
    if low is not None and cap is not None and (low > cap).any():
        j = int(np.argmax(low > cap))
        msg = f"`minimum` must not exceed `capacity` (offer {j}: {low[j]:g} > {cap[j]:g})."
        raise InvalidInputError(msg)

    def result(assigned: BoolArray, method: str, message: str, ok: bool = True) -> OfferAssignment:
        return OfferAssignment(
            assigned=assigned,
            value=value,
            feasible=ok,
            status="optimal" if ok else "infeasible",
            method=method,
            message=message,
            refused=refused,
            n_ineligible=n_ineligible,
            allowed=allowed,
            cost=pair_cost,
        )

    if low is not None:
        reachable = allowed.sum(axis=0)
        short = low > reachable
        if short.any():
            j = int(np.argmax(short))
            message = (
                f"offer {j} must go to at least {low[j]:g} customers but only {int(reachable[j])} "
                "may receive it (eligible, consenting, benefiting, allowed by the policy)"
            )
            return result(np.zeros(shape, dtype=bool), "milp", message, ok=False)
        if low.sum() > k * n:
            message = (
                f"the minimums ask for {low.sum():g} offers but {n} customers take at most {k * n}"
            )
            return result(np.zeros(shape, dtype=bool), "milp", message, ok=False)
    positive = allowed & (value > 0)
    if cap is None and limit is None and low is None:
        return result(
            _best_k(value, positive, k), "argmax", f"best {k} positive offer(s) per customer"
        )
    if k == 1 and limit is None and low is None and cap is not None:
        width = np.minimum(cap, n)
        if n * width.sum() <= _LSA_LIMIT:
            return result(
                _hungarian(value, positive, width.astype(np.int64)),
                "linear_sum_assignment",
                "Hungarian algorithm",
            )
    return _milp(value, positive, allowed, k, cap, low, limit, pair_cost, result)


def _best_k(value: FloatArray, positive: BoolArray, k: int) -> BoolArray:
    score = np.where(positive, value, -np.inf)
    n, m = value.shape
    assigned = np.zeros(value.shape, dtype=bool)
    if k >= m:
        return positive.copy()
    top = np.argpartition(-score, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    assigned[rows, top.ravel()] = True
    return assigned & positive


def _hungarian(value: FloatArray, positive: BoolArray, width: IntArray) -> BoolArray:
    from scipy.optimize import linear_sum_assignment

    column = np.repeat(np.arange(value.shape[1]), width)
    assigned = np.zeros(value.shape, dtype=bool)
    if column.size == 0:
        return assigned
    gain = np.where(positive, value, 0.0)[:, column]
    rows, cols = linear_sum_assignment(gain, maximize=True)
    offer = column[cols]
    keep = positive[rows, offer]
    assigned[rows[keep], offer[keep]] = True
    return assigned


def _milp(
    value: FloatArray,
    positive: BoolArray,
    allowed: BoolArray,
    k: int,
    cap: FloatArray | None,
    low: FloatArray | None,
    limit: float | None,
    pair_cost: FloatArray,
    result: Callable[..., OfferAssignment],
) -> OfferAssignment:
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_array, vstack

    n, m = value.shape
    # Offers with a minimum may need pairs of value <= 0 to meet it.
    usable = positive if low is None else positive | (allowed & (low > 0)[None, :])
    rows, cols = np.nonzero(usable)
    n_var = rows.size
    assigned = np.zeros(value.shape, dtype=bool)
    if n_var == 0:
        method = "milp" if limit is not None else "transportation_lp"
        return result(assigned, method, "no allowed pair has a positive value")
    var = np.arange(n_var)
    blocks, lo, hi = [], [], []
    if k < m:
        blocks.append(csr_array((np.ones(n_var), (rows, var)), shape=(n, n_var)))
        lo.append(np.full(n, -np.inf))
        hi.append(np.full(n, float(k)))
    if cap is not None or low is not None:
        blocks.append(csr_array((np.ones(n_var), (cols, var)), shape=(m, n_var)))
        lo.append(np.full(m, -np.inf) if low is None else low)
        hi.append(np.full(m, np.inf) if cap is None else cap)
    if limit is not None:
        blocks.append(csr_array(pair_cost[rows, cols][None, :]))
        lo.append(np.array([-np.inf]))
        hi.append(np.array([limit]))
    matrix = vstack(blocks).tocsr()
    lower, upper = np.concatenate(lo), np.concatenate(hi)
    objective = -value[rows, cols]
    x = None
    method = "milp"
    if limit is None:  # totally unimodular: a vertex of the LP is integral
        up, down = np.isfinite(upper), np.isfinite(lower)
        lp = linprog(
            objective,
            A_ub=vstack([matrix[up], -matrix[down]]).tocsr(),
            b_ub=np.concatenate([upper[up], -lower[down]]),
            bounds=(0, 1),
            method="highs-ipm",
        )
        if lp.status == 2:
            message = "no assignment meets the minimums within the capacities"
            return result(assigned, "transportation_lp", message, ok=False)
        if lp.status == 0 and np.all(np.abs(lp.x - np.round(lp.x)) < 1e-6):
            x, method = lp.x, "transportation_lp"
    if x is None:
        solution = milp(
            objective,
            integrality=np.ones(n_var),
            bounds=Bounds(0, 1),
            constraints=LinearConstraint(matrix, lower, upper),
        )
        if solution.status == 2:
            message = "no assignment meets the minimums within the capacities and budget"
            return result(assigned, "milp", message, ok=False)
        if solution.status != 0 or solution.x is None:
            msg = (
                "The MILP solver stopped without an optimum "
                f"(status {solution.status}: {solution.message})."
            )
            raise ConvergenceError(msg)
        x = solution.x
    take = x > 0.5
    assigned[rows[take], cols[take]] = True
    how = {
        "milp": "mixed-integer programme (HiGHS)",
        "transportation_lp": "transportation LP (HiGHS interior point + crossover; integral vertex)",
    }
    return result(assigned, method, how[method])
