"""``SampleCompany`` and ``load_sample_company``: the bundled synthetic company."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from custcentric.datasets._catalogue import COMPANY_NAME
from custcentric.datasets._io import read_csv_columns
from custcentric.datasets._ratings import MaturityRatings, SurveyResponses
from custcentric.domain import SLA, CustomerProcess, ProcessKind, ProcessStep
from custcentric.tables import CustomerTable, EventLog, InteractionLog, TransactionLog

__all__ = ["SampleCompany", "load_sample_company"]


@attrs.frozen(eq=False, kw_only=True)
class SampleCompany:
    """The synthetic sample company *Brightline*: customers, purchases, processes and feedback.

    Load it with :func:`load_sample_company`; ``data/company/README.md`` in the package (and
    ``docs/datasets.md``) describes every file and how it was generated.

    Attributes
    ----------
    customers : CustomerTable
        The true customers, with attributes ``region``, ``preferred_channel``,
        ``marketing_opt_in`` ("true"/"false"), ``signup_date`` and ``service_tier``
        (gold, silver, bronze, or none for prospects).
    profiles : CustomerTable
        Customer records as the channels captured them (duplicates with typos), with
        attributes ``channel``, ``source_record_id``, ``true_customer_id`` (for evaluation
        only) and ``marketing_opt_in`` ("true"/"false" on the record where the person signed
        up, "" where the channel recorded no answer).
    transactions : TransactionLog
        Purchases from 2024-01-01 to 2025-12-31, keyed by the true customer.
    events : EventLog
        The event log of the customer processes.
    processes : tuple of CustomerProcess
        The ten customer processes (eight horizontal, two vertical).
    slas : tuple of SLA
        The customer SLAs, with compensation where promised.
    interactions : InteractionLog
        Contacts, inbound and outbound, across channels.
    surveys : SurveyResponses
        NPS, CSAT and CES answers.
    maturity : MaturityRatings
        Six departments' ratings of 30 capabilities.
    currency : str
        The ISO 4217 code of every money figure: purchase amounts, revenue, compensation and
        the customer values computed from them (``"EUR"``; ``slas.json`` declares it).
    channel_transactions : TransactionLog or None
        The same purchases as the channels' systems hold them: each keyed by the channel
        profile it was recorded against (a ``profiles`` id, e.g. ``"W100083"``), not by the
        true customer. What :class:`~custcentric.idic.IDICPipeline` maps to people. None
        for a company built without them.
    channel_interactions : InteractionLog or None
        The contacts, keyed by channel profile.
    channel_surveys : SurveyResponses or None
        The survey answers, keyed by channel profile.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> company = load_sample_company()
    >>> len(company.customers), len(company.processes), company.currency
    (5000, 10, 'EUR')

    The channel-level records hold the same rows, keyed by profile:

    >>> len(company.channel_transactions) == len(company.transactions)
    True
    >>> str(company.channel_transactions.customer_id[0]), str(company.transactions.customer_id[0])
    ('W100083', 'C00001')
    """

    customers: CustomerTable
    profiles: CustomerTable
    transactions: TransactionLog
    events: EventLog
    processes: tuple[CustomerProcess, ...]
    slas: tuple[SLA, ...]
    interactions: InteractionLog
    surveys: SurveyResponses
    maturity: MaturityRatings
    currency: str
    channel_transactions: TransactionLog | None = None
    channel_interactions: InteractionLog | None = None
    channel_surveys: SurveyResponses | None = None

    def summary(self) -> str:
        """Return a short readable overview of the company.

        Examples
        --------
        >>> from custcentric.datasets import load_sample_company
        >>> print(load_sample_company().summary().splitlines()[0])
        Brightline (synthetic sample company)
        """
        tx = self.transactions
        revenue = np.bincount(np.unique(tx.customer_id, return_inverse=True)[1], weights=tx.amount)
        ordered = np.sort(revenue)[::-1]
        top = float(ordered[: max(1, round(0.2 * ordered.size))].sum() / ordered.sum())
        true_id = np.asarray(self.profiles.attributes["true_customer_id"])
        _, records = np.unique(true_id, return_counts=True)
        horizontal = sum(p.kind is ProcessKind.HORIZONTAL for p in self.processes)
        n_cases = np.unique(self.events.case_id).size
        kinds, counts = np.unique(self.surveys.instrument, return_counts=True)
        answers = ", ".join(
            f"{c:,} {k.upper()}" for k, c in zip(kinds, counts.tolist(), strict=True)
        )
        start = np.datetime_as_string(tx.timestamp.min(), unit="D")
        end = np.datetime_as_string(tx.timestamp.max(), unit="D")
        lines = [
            f"{COMPANY_NAME} (synthetic sample company)",
            f"  customers     {len(self.customers):,}; {len(self.profiles):,} channel profile "
            f"records, {(records > 1).sum():,} people recorded more than once",
            f"  transactions  {len(tx):,} from {start} to {end}, "
            f"revenue {self.currency} {float(tx.amount.sum()):,.2f}",
            f"                the top 20 % of buyers hold {100 * top:.0f} % of revenue",
            f"  processes     {len(self.processes)} ({horizontal} horizontal, "
            f"{len(self.processes) - horizontal} vertical); {len(self.events):,} events in "
            f"{n_cases:,} cases; {len(self.slas)} SLAs",
            f"  interactions  {len(self.interactions):,}",
            f"  surveys       {answers}",
            f"  maturity      {np.unique(self.maturity.department).size} departments rated "
            f"{np.unique(self.maturity.capability_id).size} capabilities",
        ]
        return "\n".join(lines)


@contextmanager
def _data_file(name: str) -> Iterator[Path]:
    source = resources.files("custcentric.datasets") / "data" / "company" / name
    with resources.as_file(source) as path:
        yield path


def _json(name: str) -> Any:
    with _data_file(name) as path:
        return json.loads(path.read_text(encoding="utf-8"))


def _process(item: Mapping[str, Any]) -> CustomerProcess:
    return CustomerProcess(
        id=item["id"],
        name=item["name"],
        kind=item["kind"],
        lifecycle_stage=item["lifecycle_stage"],
        owner=item["owner"],
        departments=tuple(item["departments"]),
        partners=tuple(item["partners"]),
        suppliers=tuple(item["suppliers"]),
        steps=tuple(ProcessStep(**step) for step in item["steps"]),
    )


def _sla(item: Mapping[str, Any]) -> SLA:
    # The file's layout is version 1 (``unit``): from_dict reads it as written.
    return SLA.from_dict({**item, "schema_version": 1})


@functools.cache
def load_sample_company() -> SampleCompany:
    """Load the bundled synthetic sample company (cached: the value is immutable).

    Returns
    -------
    SampleCompany
        About 5,000 customers, 6,400 channel profile records, 50,000 purchases, 29,000
        process events in 6,200 cases of ten processes, eight SLAs, 27,000 interactions,
        4,200 survey answers and 180 maturity ratings; money in euros (``currency`` "EUR").

    Notes
    -----
    The files are exactly the output of
    ``generate_sample_company(directory, seed=20261124, n_customers=5000)``; see that
    function and ``docs/datasets.md`` for how the data were generated.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> company = load_sample_company()
    >>> len(company.transactions) > 45_000
    True
    >>> sorted({p.kind.value for p in company.processes})
    ['horizontal', 'vertical']
    """
    with _data_file("customers.csv.gz") as path:
        customers = CustomerTable.read_csv(path)
    with _data_file("profiles.csv.gz") as path:
        profiles = CustomerTable.read_csv(path, unique_ids=False)
    by_profile = {"customer_id": "profile_id"}
    with _data_file("transactions.csv.gz") as path:
        transactions = TransactionLog.read_csv(path)
        channel_transactions = TransactionLog.read_csv(path, columns=by_profile)
    with _data_file("events.csv.gz") as path:
        events = EventLog.read_csv(path)
    with _data_file("interactions.csv.gz") as path:
        interactions = InteractionLog.read_csv(path)
        channel_interactions = InteractionLog.read_csv(path, columns=by_profile)
    with _data_file("surveys.csv.gz") as path:
        answers = read_csv_columns(path)
    with _data_file("maturity.csv") as path:
        rated = read_csv_columns(path)
    slas = _json("slas.json")
    surveys, channel_surveys = (
        SurveyResponses.from_arrays(
            answers[key],
            answers["timestamp"],
            answers["instrument"],
            answers["score"].astype(np.int64),
            process=answers["process"],
            channel=answers["channel"],
        )
        for key in ("customer_id", "profile_id")
    )
    maturity = MaturityRatings.from_arrays(
        rated["department"],
        rated["capability_id"],
        rated["area"],
        rated["level"].astype(np.int64),
        note=rated["note"],
    )
    return SampleCompany(
        customers=customers,
        profiles=profiles,
        transactions=transactions,
        events=events,
        processes=tuple(_process(p) for p in _json("processes.json")["processes"]),
        slas=tuple(_sla(s) for s in slas["slas"]),
        interactions=interactions,
        surveys=surveys,
        maturity=maturity,
        currency=str(slas["currency"]),
        channel_transactions=channel_transactions,
        channel_interactions=channel_interactions,
        channel_surveys=channel_surveys,
    )
