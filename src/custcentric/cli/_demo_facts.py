"""Figures several demo sections share, computed once per company by the library."""

from __future__ import annotations

import functools

import attrs
import numpy as np

from custcentric.datasets import SampleCompany
from custcentric.process import CycleTimes, cycle_times
from custcentric.segmentation import Concentration, ValueTiers, concentration, value_tiers
from custcentric.typing import FloatArray, StrArray

__all__ = ["BuyerRevenue", "buyer_revenue", "case_times", "process_titles", "step_titles"]


@attrs.frozen(eq=False, kw_only=True)
class BuyerRevenue:
    """Each buyer's revenue over the purchase history, with its tiers and concentration.

    Attributes
    ----------
    customer_id : ndarray of str
        The buyers, ascending.
    revenue : ndarray of float64
        Each buyer's revenue, in the company's currency.
    tiers : ValueTiers
        :func:`custcentric.segmentation.value_tiers` of ``revenue`` (top 20 %, next 30 %, rest).
    concentration : Concentration
        :func:`custcentric.segmentation.concentration` of ``revenue``.
    """

    customer_id: StrArray
    revenue: FloatArray
    tiers: ValueTiers
    concentration: Concentration


@functools.lru_cache(maxsize=4)
def buyer_revenue(company: SampleCompany) -> BuyerRevenue:
    """Return the company's revenue per buyer with its value tiers and concentration.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> facts = buyer_revenue(load_sample_company())
    >>> facts.tiers.names, round(facts.concentration.gini, 2)
    (('top 20 %', '20-50 %', 'bottom 50 %'), 0.66)
    """
    log = company.transactions
    ids, inverse = np.unique(log.customer_id, return_inverse=True)
    revenue = np.bincount(inverse, weights=log.amount).astype(np.float64)
    return BuyerRevenue(
        customer_id=ids,
        revenue=revenue,
        tiers=value_tiers(revenue, customer_id=ids),
        concentration=concentration(revenue),
    )


@functools.lru_cache(maxsize=4)
def case_times(company: SampleCompany) -> CycleTimes:
    """Return :func:`custcentric.process.cycle_times` of the company's cases, in days.

    A case is closed when its latest event is its process's last step.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> ct = case_times(load_sample_company())
    >>> len(ct), ct.n_open, ct.unit
    (6201, 109, 'D')
    """
    return cycle_times(company.events, processes=company.processes, time_unit="D")


def process_titles(company: SampleCompany) -> dict[str, str]:
    """Map each process id to its title, the one name the demo shows.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> process_titles(load_sample_company())["address-change"]
    'Change of address'
    """
    return {p.id: p.name for p in company.processes}


def step_titles(company: SampleCompany) -> dict[tuple[str, str], str]:
    """Map each (process id, step id) to the step's title.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> step_titles(load_sample_company())["fault-repair", "diagnosed"]
    'Remote diagnosis'
    """
    return {(p.id, s.id): s.name for p in company.processes for s in p.steps}
