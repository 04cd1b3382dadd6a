"""``Segment``: one value-based group of customers and the service tier it earns."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from custcentric._validation import fmt
from custcentric.domain._base import DomainValue, optional_text, text
from custcentric.exceptions import InvalidInputError

__all__ = ["Segment"]


_MAX_RANK = 2**63 - 1


def _tier_rank(value: object) -> int:
    if isinstance(value, np.integer):  # np.bool_ is no np.integer
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"`tier_rank` must be an integer >= 1, 1 for the most valuable (got {fmt(value)})."
        raise InvalidInputError(msg)
    if value > _MAX_RANK:
        msg = f"`tier_rank` must be at most 2**63 - 1 (got {fmt(value)})."
        raise InvalidInputError(msg)
    return value


@attrs.frozen(kw_only=True)
class Segment(DomainValue):
    """A value-based customer segment and the service tier it is given (the *Differentiate* step).

    Parameters
    ----------
    name : str
        The segment's name (``"gold"``, ``"platinum"``, ``"A"``).
    tier_rank : int
        Its rank by value: 1 for the most valuable segment, 2 for the next, and so on
        (a Python or NumPy integer, at most 2**63 - 1).
    rule : str, default ``""``
        A readable statement of who belongs (``"top 20 % by 3-year CLV"``).
    service_tier : str, optional
        The service level the segment receives; SLAs name tiers (``SLA.tiers``).

    Examples
    --------
    >>> from custcentric.domain import Segment
    >>> gold = Segment(name="gold", tier_rank=1, rule="top 20 % by CLV", service_tier="gold")
    >>> silver = Segment(name="silver", tier_rank=2, service_tier="silver")
    >>> sorted([silver, gold], key=lambda s: s.tier_rank)[0].name
    'gold'
    >>> Segment(name="lead", tier_rank=0)
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `tier_rank` must be an integer >= 1, 1 for the most valuable (got 0).
    """

    name: str = attrs.field(converter=text("name"))
    tier_rank: int = attrs.field(converter=_tier_rank)
    rule: str = attrs.field(default="", converter=attrs.converters.default_if_none(""))
    service_tier: str | None = attrs.field(default=None, converter=optional_text("service_tier"))

    @rule.validator
    def _check_rule(self, attribute: Any, value: object) -> None:
        del attribute
        if not isinstance(value, str):
            msg = f"`rule` must be a string (got {fmt(value)})."
            raise InvalidInputError(msg)
