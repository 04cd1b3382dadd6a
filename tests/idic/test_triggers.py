from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.idic import (
    Birthday,
    ContactPolicy,
    FrequencyCap,
    Inactivity,
    LifeEvent,
    due_triggers,
)
from custcentric.tables import CustomerTable, InteractionLog, TransactionLog


def _people(births):
    return CustomerTable.from_arrays([f"c{i}" for i in range(len(births))], birth_date=births)


def test_trigger_values():
    assert Birthday() == Birthday(lead_days=0, channel="email", contact="greeting")
    assert LifeEvent("Moved").kind == "moved"
    assert LifeEvent("moved", lag_days=2, channel="SMS").channel == "sms"
    assert Inactivity(30).label == "inactivity:30d"
    with pytest.raises(InvalidInputError, match=r"`days` must lie in \[1, inf\] \(got 0\)"):
        Inactivity(0)
    with pytest.raises(InvalidInputError, match=r"`lead_days` must be a whole number \(got 1.5\)"):
        Birthday(lead_days=1.5)
    with pytest.raises(InvalidInputError, match=r"`kind` must be a non-empty string \(got ''\)"):
        LifeEvent("")
    with pytest.raises(ValueError, match="pigeon"):
        Birthday(channel="pigeon")


def test_birthdays_with_lead_days_and_missing_dates():
    people = _people(["1990-03-05", "", "1985-03-07", "2030-03-05"])
    due = due_triggers(people, observation_end="2024-03-05", triggers=[Birthday()])
    assert due.customer_id.tolist() == ["c0"]  # missing and unborn customers never fire
    early = due_triggers(people, observation_end="2024-03-05", triggers=[Birthday(lead_days=2)])
    assert early.customer_id.tolist() == ["c2"]
    assert early.timestamp.tolist() == [dt.datetime(2024, 3, 5, 10, 0)]


def test_leap_day_birthdays_fall_on_28_february_in_other_years():
    people = _people(["2000-02-29", "2001-02-28"])
    assert due_triggers(
        people, observation_end="2023-02-28", triggers=[Birthday()]
    ).customer_id.tolist() == [
        "c0",
        "c1",
    ]
    assert due_triggers(
        people, observation_end="2024-02-28", triggers=[Birthday()]
    ).customer_id.tolist() == ["c1"]
    assert due_triggers(
        people, observation_end="2024-02-29", triggers=[Birthday()]
    ).customer_id.tolist() == ["c0"]


def test_life_events_fire_once_after_the_lag():
    people = _people(["", "", ""])
    events = {
        "customer_id": ["c1", "c2", "c9", "c0"],
        "kind": ["Moved", "married", "moved", "moved"],
        "date": ["2024-03-01", "2024-03-01", "2024-03-01", "2024-03-02"],
    }
    trig = [LifeEvent("moved", lag_days=2)]
    due = due_triggers(people, observation_end="2024-03-03", triggers=trig, life_events=events)
    assert due.customer_id.tolist() == ["c1"]  # unknown customer c9 is left out
    assert due.kind.tolist() == ["offer"]
    assert due_triggers(
        people, observation_end="2024-03-04", triggers=trig, life_events=events
    ).customer_id.tolist() == ["c0"]


def test_inactivity_counts_purchases_and_inbound_contacts_up_to_the_day():
    people = _people(["", "", "", ""])
    bought = TransactionLog.from_arrays(
        ["c0", "c1", "c1"], ["2024-01-01", "2024-01-01", "2024-02-15"], [1, 1, 1]
    )
    talk = InteractionLog.from_arrays(
        ["c2", "c3", "c0"],
        ["2024-01-01T09:00", "2024-01-01T09:00", "2024-04-20T09:00"],
        ["phone", "email", "phone"],
        ["inbound", "outbound", "inbound"],
        ["inquiry", "offer", "inquiry"],
    )
    due = due_triggers(
        people,
        observation_end="2024-03-01",
        triggers=[Inactivity(60)],
        transactions=bought,
        interactions=talk,
    )
    # c0: purchase 60 days ago (its later contact is after the day); c1 bought since;
    # c2: inbound call 60 days ago; c3: only an outbound contact, so no activity at all
    assert due.customer_id.tolist() == ["c0", "c2"]


def test_an_earlier_trigger_supersedes_a_later_one():
    people = _people(["1990-03-01", "1990-03-01"])
    bought = TransactionLog.from_arrays(["c0"], ["2023-12-02"], [5])
    due = due_triggers(
        people,
        observation_end="2024-03-01",
        triggers=[Birthday(), Inactivity(90)],
        transactions=bought,
    )
    assert due.trigger.tolist() == ["birthday", "birthday", "inactivity:90d"]
    assert due.reason.tolist() == ["", "", "superseded"]
    assert due.counts() == {"birthday": (2, 2), "inactivity:90d": (1, 0)}
    assert due.refused == {"superseded": 1}


def test_policy_filters_and_reports_refusals():
    people = _people(["1990-03-01", "1991-03-01", "1992-03-01"])
    history = InteractionLog.from_arrays(
        ["c1"], ["2024-02-29T12:00"], ["email"], ["outbound"], ["reminder"]
    )
    policy = ContactPolicy(caps=[FrequencyCap(max_contacts=1, days=7, channel="email")])
    trig = [Birthday(contact="offer")]
    due = due_triggers(
        people,
        observation_end="2024-03-01",
        triggers=trig,
        policy=policy,
        interactions=history,
        consent=["c0", "c1"],
    )
    assert due.allowed.tolist() == [True, False, False]
    assert due.refused == {"cap 1 per 7 days (email)": 1, "no_consent": 1}
    log = due.contacts()
    assert log.customer_id.tolist() == ["c0"]
    assert "1 of 3 contacts may go out" in due.summary()
    with pytest.raises(InvalidInputError, match=r"`consent` must be given: 3 planned contacts"):
        due_triggers(people, observation_end="2024-03-01", triggers=trig, policy=policy)
    quiet = due_triggers(
        people,
        observation_end="2024-03-01",
        triggers=[Birthday()],
        policy=ContactPolicy(quiet_hours=(21, 8)),
        hour=22,
    )
    assert quiet.refused == {"quiet_hours": 3}


def test_result_serialises_and_no_one_due():
    people = _people(["1990-03-01"])
    none = due_triggers(
        people, observation_end="2024-05-01", triggers=[Birthday()], policy=ContactPolicy()
    )
    assert none.n_due == 0
    assert len(none.contacts()) == 0
    data = json.loads(
        json.dumps(
            due_triggers(people, observation_end="2024-03-01", triggers=[Birthday()]).to_dict()
        )
    )
    assert data["contacts"]["customer_id"] == ["c0"]
    assert data["counts"] == {"birthday": [1, 1]}
    assert due_triggers(
        people, observation_end="2024-03-01", triggers=[Birthday()]
    ).to_pandas().shape == (1, 7)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"observation_end": "March"}, r"`observation_end` must hold ISO 8601 timestamps"),
        (
            {"observation_end": ["2024-01-01", "2024-01-02"]},
            r"`observation_end` must be one date \(got 2\)",
        ),
        ({"observation_end": None}, r"`observation_end` must be given: the day to plan"),
        ({"triggers": []}, r"`triggers` must hold at least one trigger"),
        (
            {"triggers": ["birthday"]},
            r"`triggers` must hold Birthday, LifeEvent or Inactivity values \(index 0: 'birthday'\)",
        ),
        (
            {"triggers": [Birthday(), Birthday(lead_days=1)]},
            r"must not repeat a trigger \(got 'birthday' twice\)",
        ),
        (
            {"triggers": [Inactivity(5)]},
            r"`transactions` or `interactions` must be given for an Inactivity",
        ),
        ({"triggers": [LifeEvent("moved")]}, r"`life_events` must be given for a LifeEvent"),
        (
            {"triggers": [LifeEvent("moved")], "life_events": {"kind": []}},
            r"missing: customer_id, date",
        ),
        ({"hour": 24}, r"`hour` must lie in \[0, 23\] \(got 24\)"),
        ({"policy": "strict"}, r"`policy` must be a ContactPolicy \(got str\)"),
        ({"transactions": [1, 2]}, r"`transactions` must be a TransactionLog \(got list\)"),
        (
            {
                "triggers": [LifeEvent("moved")],
                "life_events": {"customer_id": ["c0"], "kind": ["a", "b"], "date": ["2024-01-01"]},
            },
            r"columns must have equal lengths \(customer_id 1, kind 2, date 1\)",
        ),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"observation_end": "2024-03-01", "triggers": [Birthday()], **kwargs}
    with pytest.raises(InvalidInputError, match=match):
        due_triggers(_people(["1990-03-01"]), **args)


def _oracle(births, purchases, on, lead, days):
    """Slow, obviously correct: one customer and one calendar at a time."""
    out = []
    target = on + dt.timedelta(days=lead)
    for i, birth in enumerate(births):
        if birth is None or birth > target:
            continue
        try:
            anniversary = birth.replace(year=target.year)
        except ValueError:  # 29 February in a common year
            anniversary = dt.date(target.year, 2, 28)
        if anniversary == target:
            out.append((f"c{i}", "birthday"))
    taken = {c for c, _ in out}
    for i in range(len(births)):
        seen = [d for c, d in purchases if c == i and d <= on]
        if seen and (on - max(seen)).days == days:
            out.append((f"c{i}", f"inactivity:{days}d", f"c{i}" in taken))
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.dates(dt.date(1996, 1, 1), dt.date(2004, 12, 31))),
        min_size=1,
        max_size=12,
    ),
    st.lists(
        st.tuples(st.integers(0, 11), st.dates(dt.date(2003, 1, 1), dt.date(2004, 12, 31))),
        max_size=20,
    ),
    st.dates(dt.date(2004, 1, 1), dt.date(2004, 12, 31)),
    st.integers(0, 3),
    st.integers(1, 60),
)
def test_matches_loop_oracle(births, purchases, on, lead, days):
    people = _people([b.isoformat() if b else "" for b in births])
    purchases = [(c, d) for c, d in purchases if c < len(births)]
    bought = TransactionLog.from_arrays(
        [f"c{c}" for c, _ in purchases] or np.zeros(0, "<U2"),
        [d.isoformat() for _, d in purchases] or np.zeros(0, "datetime64[s]"),
        [1.0] * len(purchases),
    )
    due = due_triggers(
        people,
        observation_end=on.isoformat(),
        triggers=[Birthday(lead_days=lead), Inactivity(days)],
        transactions=bought,
    )
    expected = _oracle(births, purchases, on, lead, days)
    birthdays = [(c, t) for c, t, *_ in expected if t == "birthday"]
    lapses = [(c, t) for c, t, *_ in expected if t != "birthday"]
    got = list(zip(due.customer_id.tolist(), due.trigger.tolist(), strict=True))
    assert sorted(got) == sorted(birthdays + lapses)
    superseded = {c for c, t, *rest in expected if t != "birthday" and rest[0]}
    assert {
        c
        for c, r in zip(due.customer_id.tolist(), due.reason.tolist(), strict=True)
        if r == "superseded"
    } == superseded


def test_sample_company_runs_with_its_consent_list(company):
    customers = company.customers
    consent = customers.customer_id[customers.attributes["marketing_opt_in"] == "true"]
    due = due_triggers(
        customers,
        observation_end="2025-06-15",
        triggers=[Birthday(), Inactivity(90)],
        policy=ContactPolicy(min_gap_days=3),
        transactions=company.transactions,
        interactions=company.interactions,
        consent=consent,
    )
    assert due.n_due > 0
    assert due.n_allowed <= due.n_due
    assert set(due.trigger.tolist()) <= {"birthday", "inactivity:90d"}


def test_consent_and_opt_outs_apply_without_a_policy():
    # Regression: without `policy`, `opted_out` and `consent` were silently ignored.
    people = _people(["1990-03-05", "1985-03-05", "2000-03-05"])
    due = due_triggers(
        people, observation_end="2024-03-05", triggers=[Birthday()], opted_out=["c1"]
    )
    assert due.allowed.tolist() == [True, False, True]
    assert due.reason.tolist() == ["", "opted_out", ""]
    offer = Birthday(contact="offer")
    due = due_triggers(people, observation_end="2024-03-05", triggers=[offer], consent=["c0"])
    assert due.reason.tolist() == ["", "no_consent", "no_consent"]
    assert due_triggers(people, observation_end="2024-03-05", triggers=[offer]).allowed.all()


def test_the_old_name_on_still_works_with_a_deprecation_warning():
    people = _people(["1990-03-01"])
    with pytest.warns(CustcentricDeprecationWarning, match="use `observation_end=` instead"):
        old = due_triggers(people, on="2024-03-01", triggers=[Birthday()])
    new = due_triggers(people, observation_end="2024-03-01", triggers=[Birthday()])
    assert old.to_dict() == new.to_dict()
    with pytest.warns(CustcentricDeprecationWarning, match="use `observation_end`"):
        assert new.on == new.observation_end
