"""The bundled sample company: reproducible generation, loading, and the content later parts need."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import custcentric.datasets as datasets
from custcentric.datasets import (
    MaturityRatings,
    SampleCompany,
    SurveyResponses,
    generate_sample_company,
    load_sample_company,
)
from custcentric.datasets._generate import FILES
from custcentric.domain import CustomerProcess, ProcessKind
from custcentric.exceptions import InvalidInputError
from custcentric.process import cycle_times
from custcentric.segmentation import value_tiers

PACKAGE_DATA = Path(datasets.__file__).resolve().parent / "data" / "company"
END = np.datetime64("2025-12-31T23:59:59", "s")


@pytest.fixture(scope="module")
def company() -> SampleCompany:
    return load_sample_company()


def _top_share(ids: np.ndarray, amount: np.ndarray, top: float = 0.2) -> float:
    revenue = np.bincount(np.unique(ids, return_inverse=True)[1], weights=amount)
    ordered = np.sort(revenue)[::-1]
    return float(ordered[: round(top * ordered.size)].sum() / ordered.sum())


# --- the generator -------------------------------------------------------------------------


def test_package_data_is_the_generators_output(tmp_path: Path) -> None:
    written = generate_sample_company(tmp_path)
    assert [p.name for p in written] == list(FILES)
    assert sorted(p.name for p in PACKAGE_DATA.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (PACKAGE_DATA / name).read_bytes(), name


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a = generate_sample_company(tmp_path / "a", seed=7, n_customers=150)
    b = generate_sample_company(tmp_path / "b", seed=7, n_customers=150)
    generate_sample_company(tmp_path / "c", seed=8, n_customers=150)
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert (tmp_path / "a/transactions.csv.gz").read_bytes() != (
        tmp_path / "c/transactions.csv.gz"
    ).read_bytes()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_customers": 99}, r"`n_customers` must lie in \[100, inf\] \(got 99\)\."),
        ({"n_customers": 150.5}, r"`n_customers` must be a whole number \(got 150\.5\)\."),
        ({"seed": -1}, r"`seed` must lie in \[0, inf\] \(got -1\)\."),
    ],
)
def test_generator_rejects_bad_options(
    tmp_path: Path, kwargs: dict[str, float], match: str
) -> None:
    with pytest.raises(InvalidInputError, match=match):
        generate_sample_company(tmp_path, **kwargs)  # type: ignore[arg-type]


# --- loading -------------------------------------------------------------------------------


def test_loader_is_cached_and_sized(company: SampleCompany) -> None:
    assert load_sample_company() is company
    assert len(company.customers) == 5000
    assert 45_000 <= len(company.transactions) <= 55_000
    assert 20_000 <= len(company.interactions) <= 40_000
    assert len(company.maturity) == 6 * 30
    assert isinstance(company.surveys, SurveyResponses)
    assert isinstance(company.maturity, MaturityRatings)
    assert all(isinstance(p, CustomerProcess) for p in company.processes)


def test_summary_reads_well(company: SampleCompany) -> None:
    text = company.summary()
    assert text.splitlines()[0] == "Brightline (synthetic sample company)"
    for word in ("customers", "transactions", "processes", "interactions", "surveys", "maturity"):
        assert f"  {word}" in text
    assert "nan" not in text.lower()


def test_package_data_is_small() -> None:
    assert sum(p.stat().st_size for p in PACKAGE_DATA.iterdir()) < 1_400_000


# --- content for the analyses --------------------------------------------------------------


def test_the_company_declares_its_currency(company: SampleCompany) -> None:
    # Before: amounts were in "currency units" and the demo could not say which.
    assert company.currency == "EUR"
    header = json.loads((PACKAGE_DATA / "slas.json").read_text(encoding="utf-8"))
    assert header["currency"] == "EUR"
    readme = (PACKAGE_DATA / "README.md").read_text(encoding="utf-8")
    assert "All money is in EUR" in readme
    assert "`amount` (EUR, two decimals)" in readme
    assert "revenue EUR 2,520,154.20" in company.summary()


def test_tiers_and_figures_are_the_librarys(company: SampleCompany) -> None:
    # The generator's service tiers, its README's top-20 % share and its count of cases the
    # log shows as open are those of value_tiers and cycle_times on the written files.
    tx = company.transactions
    ids, inverse = np.unique(tx.customer_id, return_inverse=True)
    tiers = value_tiers(
        np.bincount(inverse, weights=tx.amount), labels=("gold", "silver", "bronze")
    )
    service = dict(
        zip(
            company.customers.customer_id.tolist(),
            np.asarray(company.customers.attributes["service_tier"]).tolist(),
            strict=True,
        )
    )
    assert [service[c] for c in ids.tolist()] == tiers.labels.tolist()
    assert set(service.values()) - set(tiers.names) == {"none"}
    readme = (PACKAGE_DATA / "README.md").read_text(encoding="utf-8")
    assert f"The top 20 % of buyers hold {float(tiers.value_share[0]):.1%} of revenue" in readme
    n_open = cycle_times(company.events, processes=company.processes).n_open
    assert f"; {n_open:,} of them show it in the log" in " ".join(readme.split())


def test_value_is_concentrated(company: SampleCompany) -> None:
    tx = company.transactions
    assert 0.6 <= _top_share(tx.customer_id, tx.amount) <= 0.8
    assert tx.timestamp.min() >= np.datetime64("2024-01-01T00:00:00")
    assert tx.timestamp.max() <= END
    tiers = np.asarray(company.customers.attributes["service_tier"])
    assert set(np.unique(tiers)) == {"gold", "silver", "bronze", "none"}


def test_profiles_hold_known_duplicates(company: SampleCompany) -> None:
    profiles = company.profiles
    true_id = np.asarray(profiles.attributes["true_customer_id"])
    assert set(np.unique(true_id)) == set(company.customers.customer_id.tolist())
    _, counts = np.unique(true_id, return_counts=True)
    assert 0.20 <= (counts > 1).mean() <= 0.25
    assert counts.max() == 3
    assert set(np.unique(np.asarray(profiles.attributes["channel"]))) == {
        "web",
        "store",
        "phone",
        "app",
        "email",
    }
    assert (profiles.email == "").any()
    assert (profiles.phone == "").any()


def test_events_follow_the_processes(company: SampleCompany) -> None:
    processes = {p.id: p for p in company.processes}
    assert len(processes) >= 8
    assert {p.kind for p in company.processes} == {ProcessKind.HORIZONTAL, ProcessKind.VERTICAL}
    events = company.events
    for pid, process in processes.items():
        here = events.process == pid
        assert here.any(), pid
        steps = {s.id: s.department for s in process.steps}
        assert set(np.unique(events.activity[here])) <= set(steps)
        assert all(
            steps[a] == d
            for a, d in zip(
                events.activity[here].tolist(), events.department[here].tolist(), strict=True
            )
        )
    order = np.lexsort((events.timestamp, events.case_id))
    case = events.case_id[order]
    last = np.r_[case[1:] != case[:-1], True]
    final = np.array([processes[p].steps[-1].id for p in events.process[order][last]])
    open_share = float((events.activity[order][last] != final).mean())
    assert 0.005 < open_share < 0.05


def test_slas_point_at_processes_and_steps(company: SampleCompany) -> None:
    steps = {p.id: {s.id for s in p.steps} for p in company.processes}
    assert len(company.slas) >= 5
    for sla in company.slas:
        assert sla.process_id in steps
        if sla.step_id is not None:
            assert sla.step_id in steps[sla.process_id]
    assert any(sla.tiers == ("gold",) for sla in company.slas)
    assert any(sla.compensation is not None for sla in company.slas)


def test_satisfaction_falls_with_cycle_time(company: SampleCompany) -> None:
    events, surveys = company.events, company.surveys
    order = np.lexsort((events.timestamp, events.case_id))
    case, times = events.case_id[order], events.timestamp[order]
    first = np.r_[True, case[1:] != case[:-1]]
    last = np.r_[case[1:] != case[:-1], True]
    hours = (times[last] - times[first]).astype(np.float64) / 3600.0
    process, customer = events.process[order][last], events.customer_id[order][last]
    # Match each CSAT answer to its customer's case of that process (take the latest one).
    answers = (surveys.instrument == "csat") & (surveys.process != "")
    key_case = np.char.add(np.char.add(customer.astype(str), "|"), process.astype(str))
    key_ans = np.char.add(np.char.add(surveys.customer_id[answers], "|"), surveys.process[answers])
    index = {k: i for i, k in enumerate(key_case.tolist())}
    pairs = [
        (hours[index[k]], s)
        for k, s in zip(key_ans.tolist(), surveys.score[answers].tolist(), strict=True)
        if k in index
    ]
    h, s = np.array(pairs).T
    slow = h > np.median(h)
    assert s[slow].mean() < s[~slow].mean() - 0.2


def test_tiers_and_surveys(company: SampleCompany) -> None:
    tiers = dict(
        zip(
            company.customers.customer_id.tolist(),
            np.asarray(company.customers.attributes["service_tier"]).tolist(),
            strict=True,
        )
    )
    nps = company.surveys.instrument == "nps"
    tier = np.array([tiers[c] for c in company.surveys.customer_id[nps].tolist()])
    score = company.surveys.score[nps]

    def net(x: np.ndarray) -> float:
        return float((x >= 9).mean() - (x <= 6).mean())

    assert net(score[tier == "gold"]) > net(score[tier == "bronze"]) + 0.2
    assert {"nps", "csat", "ces"} == set(np.unique(company.surveys.instrument))


def test_departments_disagree_on_some_capabilities(company: SampleCompany) -> None:
    ratings = company.maturity
    assert np.unique(ratings.department).size == 6
    caps, which = np.unique(ratings.capability_id, return_inverse=True)
    assert caps.size == 30
    low = np.full(caps.size, 5)
    high = np.zeros(caps.size, dtype=np.int64)
    np.minimum.at(low, which, ratings.level)
    np.maximum.at(high, which, ratings.level)
    assert (high - low >= 2).sum() >= 6


def test_interactions_mix(company: SampleCompany) -> None:
    log = company.interactions
    assert set(np.unique(log.direction)) == {"inbound", "outbound"}
    assert np.unique(log.channel).size >= 6
    assert np.unique(log.kind).size >= 10
    assert log.timestamp.max() <= END
    opt_in = dict(
        zip(
            company.customers.customer_id.tolist(),
            np.asarray(company.customers.attributes["marketing_opt_in"]).tolist(),
            strict=True,
        )
    )
    offers = log.customer_id[log.kind == "offer"]
    without_consent = np.mean([opt_in[c] == "false" for c in offers.tolist()])
    assert 0.005 < without_consent < 0.05


# --- docs/datasets.md quotes the bundled data ----------------------------------------------

DOCS_PAGE = Path(__file__).resolve().parents[2] / "docs" / "datasets.md"


def test_docs_page_quotes_the_summary_and_file_sizes(company: SampleCompany) -> None:
    # The page shows summary() and a table of rows per file as plain text (not doctests),
    # so pin them here: they must change when the data do.
    page = DOCS_PAGE.read_text(encoding="utf-8")
    assert f"```\n{company.summary()}\n```" in page
    rows = {
        "customers.csv.gz": len(company.customers),
        "profiles.csv.gz": len(company.profiles),
        "transactions.csv.gz": len(company.transactions),
        "events.csv.gz": len(company.events),
        "processes.json": len(company.processes),
        "slas.json": len(company.slas),
        "interactions.csv.gz": len(company.interactions),
        "surveys.csv.gz": len(company.surveys),
        "maturity.csv": len(company.maturity),
    }
    for name, n in rows.items():
        assert f"| `{name}` | {n:,} |" in page, name
    size = sum(p.stat().st_size for p in PACKAGE_DATA.iterdir())
    assert f"about {size / 1e6:.1f} MB" in page


def test_docs_page_claims_about_offers_and_repairs(company: SampleCompany) -> None:
    # docs/datasets.md: "about 76 % of repairs, not 90 %, finish within 48 hours" and
    # "About 2 % of the 8,000 campaign offers (136) ... among all 8,498 contacts of kind
    # `offer` the share is 4 %". Computed here from the data, independently of the generator.
    events = company.events
    order = np.lexsort((events.timestamp, events.case_id))
    case, times = events.case_id[order], events.timestamp[order]
    first = np.r_[True, case[1:] != case[:-1]]
    last = np.r_[case[1:] != case[:-1], True]
    repair = events.process[order][last] == "fault-repair"
    hours = (times[last] - times[first]).astype(np.float64)[repair] / 3600.0
    assert round(100 * float((hours <= 48).mean())) in (76, 77)

    log = company.interactions
    opt_in = dict(
        zip(
            company.customers.customer_id.tolist(),
            np.asarray(company.customers.attributes["marketing_opt_in"]).tolist(),
            strict=True,
        )
    )
    offer = np.flatnonzero(log.kind == "offer")
    renewal_cases = np.flatnonzero(first & (events.process[order] == "contract-renewal"))
    opened = set(
        zip(
            events.customer_id[order][renewal_cases].tolist(),
            times[renewal_cases].tolist(),
            strict=True,
        )
    )
    is_renewal = np.array(
        [(log.customer_id[i], log.timestamp[i]) in opened for i in offer.tolist()]
    )
    without = np.array([opt_in[c] == "false" for c in log.customer_id[offer].tolist()])
    assert offer.size == 8498
    assert int(is_renewal.sum()) == 500
    assert int((without & ~is_renewal).sum()) == 136
    assert round(100 * float(without.mean())) == 4
