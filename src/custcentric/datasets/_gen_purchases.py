"""Generate purchases with a buy-till-you-die (BG/NBD-like) process and heavy-tailed spend.

Each buyer makes a first purchase at sign-up; while alive, repeat purchases arrive as a
Poisson process with a customer-specific rate ``lambda ~ Gamma(r, alpha)``, and after every
purchase the customer drops out with probability ``p ~ Beta(a, b)`` (Fader, Hardie and Lee
2005). Spend per purchase is ``m * Gamma(6, 1/6)`` around a customer-specific mean
``m ~ LogNormal``, rounded to a price ending in .99, so that value is concentrated in a minority of customers.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np

from custcentric.typing import FloatArray, IntArray

__all__ = ["Purchases", "generate_purchases", "minute_of_day"]

_R: Final = 0.9  # shape of the purchase-rate distribution
_ALPHA: Final = 26.0  # scale (days) of the purchase-rate distribution: mean rate r / alpha per day
_A: Final = 0.5  # dropout probability p ~ Beta(a, b)
_B: Final = 7.0
_SPEND_MEDIAN: Final = 38.0
_SPEND_SIGMA: Final = 0.75
_SPEND_SHAPE: Final = 6.0

# Share of purchases by hour of day (shops 9-20, web and app around the clock, evening peak).
_HOURLY: Final = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 6, 7, 7, 8, 8, 7, 7, 7, 7, 8, 9, 9, 7, 4, 2],
    dtype=np.float64,
)


@attrs.frozen(eq=False)
class Purchases:
    """Purchases as customer index (into the people arrays), minute since the window opened, amount."""

    owner: IntArray
    minute: FloatArray
    amount: FloatArray


def minute_of_day(rng: np.random.Generator, size: int) -> FloatArray:
    """Draw times of day in minutes from the hourly purchase profile."""
    hour = rng.choice(24, size=size, p=_HOURLY / _HOURLY.sum())
    return (hour * 60.0 + rng.integers(0, 60, size=size)).astype(np.float64)


def generate_purchases(
    rng: np.random.Generator,
    is_buyer: np.ndarray,
    signup_day: FloatArray,
    window_days: float,
) -> Purchases:
    """Simulate every buyer's purchases in ``[signup_day, window_days)``; vectorised."""
    buyers = np.flatnonzero(is_buyer)
    nb = buyers.size
    start = np.floor(signup_day[buyers])
    rate = rng.gamma(_R, 1.0 / _ALPHA, size=nb)
    dropout = rng.beta(_A, _B, size=nb)
    # Number of purchases before dropping out (counting the first): geometric on 1, 2, ...
    lifetime_purchases = rng.geometric(dropout)
    exposure = window_days - start - 1.0
    n_possible = rng.poisson(rate * exposure)
    # Given n events of a Poisson process in the window, their times are sorted uniforms;
    # the customer makes only the first ``lifetime_purchases - 1`` of them.
    owner_rep = np.repeat(np.arange(nb), n_possible)
    u = rng.random(owner_rep.size)
    order = np.lexsort((u, owner_rep))
    owner_rep, u = owner_rep[order], u[order]
    first_index = np.cumsum(n_possible) - n_possible
    rank = np.arange(owner_rep.size) - np.repeat(first_index, n_possible)
    keep = rank < (lifetime_purchases[owner_rep] - 1)
    owner_rep, u = owner_rep[keep], u[keep]
    repeat_day = np.floor(start[owner_rep] + 1.0 + u * exposure[owner_rep])

    owner = np.concatenate([np.arange(nb), owner_rep])
    day = np.concatenate([start, repeat_day])
    minute = day * 1440.0 + minute_of_day(rng, owner.size)

    mean_spend = _SPEND_MEDIAN * np.exp(_SPEND_SIGMA * rng.standard_normal(nb))
    amount = mean_spend[owner] * rng.gamma(_SPEND_SHAPE, 1.0 / _SPEND_SHAPE, size=owner.size)
    # Shop prices end in .99 (a few small items at 0.99).
    amount = np.maximum(np.round(amount) - 0.01, 0.99)

    order = np.lexsort((minute, owner))
    return Purchases(owner=buyers[owner[order]], minute=minute[order], amount=amount[order])
