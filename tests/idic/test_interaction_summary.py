from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import CustcentricDeprecationWarning, InvalidInputError
from custcentric.idic import RESPONSES, interaction_summary
from custcentric.tables import InteractionLog

CHANNELS = ["web", "email", "phone", "sms"]
OUTCOMES = ["", "responded", "converted", "declined", "no_response", "resolved"]


def test_wilson_interval_published_value():
    # Methods reference test vector T22 (Wilson 1927): 45 successes of 60 at 95 % ->
    # (0.6277, 0.8422), published to 4 decimals; tolerance 5e-5.
    log = InteractionLog.from_arrays(
        ["c"] * 60,
        np.datetime64("2024-01-01T00:00") + np.arange(60).astype("timedelta64[h]"),
        ["email"] * 60,
        ["outbound"] * 60,
        ["offer"] * 60,
        ["responded"] * 45 + ["no_response"] * 15,
    )
    summary = interaction_summary(log)
    low, high = summary.response_interval()
    j = summary.channels.index("email")
    assert summary.response_rate[j] == 0.75
    assert low[j] == pytest.approx(0.6277, abs=5e-5)
    assert high[j] == pytest.approx(0.8422, abs=5e-5)


contacts = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 500),
        st.sampled_from(CHANNELS),
        st.booleans(),
        st.sampled_from(OUTCOMES),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(contacts)
def test_matches_a_loop_over_contacts(rows):
    start = np.datetime64("2024-01-01T00:00", "s")
    log = InteractionLog.from_arrays(
        [r[0] for r in rows],
        [start + np.timedelta64(r[1], "h") for r in rows],
        [r[2] for r in rows],
        ["inbound" if r[3] else "outbound" for r in rows],
        ["other"] * len(rows),
        [r[4] for r in rows],
    )
    as_of = start + np.timedelta64(600, "h")
    s = interaction_summary(log, observation_end=as_of, customer_id=["a", "b", "c", "d"])
    assert s.customer_id.tolist() == ["a", "b", "c", "d"]
    for i, cid in enumerate(["a", "b", "c", "d"]):
        mine = [r for r in rows if r[0] == cid]
        for j, channel in enumerate(s.channels):
            assert s.contacts[i, j] == sum(r[2] == channel for r in mine)
        assert s.inbound[i] == sum(r[3] for r in mine)
        assert s.outbound[i] == sum(not r[3] for r in mine)
        if not mine:
            assert s.preferred_channel[i] == ""
            assert np.isinf(s.days_since_last_contact[i])
            continue
        pool = [r[2] for r in mine if r[3]] or [r[2] for r in mine]
        counts = Counter(pool)
        best = max(counts.values())
        expected = next(c for c in s.channels if counts.get(c) == best)
        assert s.preferred_channel[i] == expected
        assert s.days_since_last_contact[i] == pytest.approx((600 - max(r[1] for r in mine)) / 24)
    for j, channel in enumerate(s.channels):
        out = [r for r in rows if r[2] == channel and not r[3]]
        assert s.responses[j] == sum(r[4] in RESPONSES for r in out)
        assert s.response_trials[j] == sum(r[4] in (*RESPONSES, "no_response") for r in out)
        assert s.conversions[j] == sum(r[4] == "converted" for r in out)
    assert s.inbound_share == pytest.approx(sum(r[3] for r in rows) / len(rows))
    low, high = s.response_interval()
    assert ((low <= s.response_rate) & (s.response_rate <= high)).all()


def test_bundled_company(company):
    s = interaction_summary(company.interactions, customer_id=company.customers.customer_id)
    assert s.customer_id.size == 5000
    assert s.contacts.sum() == len(company.interactions)
    text = s.summary()
    assert text.startswith("Interactions as of 2025-12-31T22:05:00: 27,483 contacts")
    data = json.loads(json.dumps(s.to_dict()))
    assert data["channels"]["channel"][0] == "web"
    frame = s.to_pandas()
    assert len(frame) == 5000


def test_bad_input(company):
    log = company.interactions
    with pytest.raises(InvalidInputError, match=r"`log` must be an InteractionLog \(got list\)"):
        interaction_summary([])  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"`confidence_level` must lie in \(0, 1\) \(got 1.0\)"
    ):
        interaction_summary(log, confidence_level=1.0)
    with pytest.raises(InvalidInputError, match=r"`observation_end` must not precede the last"):
        interaction_summary(log, observation_end="2025-01-01")
    with pytest.raises(InvalidInputError, match=r"`customer_id` must hold ids of the same kind"):
        interaction_summary(log, customer_id=[1, 2])
    empty = InteractionLog.from_arrays(
        np.array([], dtype=str), np.array([], dtype="datetime64[s]"), [], [], []
    )
    with pytest.raises(InvalidInputError, match=r"`log` must hold at least one contact"):
        interaction_summary(empty)


def test_the_old_argument_names_still_work_with_a_deprecation_warning() -> None:
    log = InteractionLog.from_arrays(
        ["a", "b"],
        ["2024-01-01", "2024-01-02"],
        ["email", "web"],
        ["outbound", "inbound"],
        ["offer", "inquiry"],
        ["responded", ""],
    )
    new = interaction_summary(log, observation_end="2024-01-10", customer_id=["a", "b", "c"])
    with pytest.warns(CustcentricDeprecationWarning, match="use `observation_end=` instead"):
        old = interaction_summary(log, as_of="2024-01-10", customer_id=["a", "b", "c"])
    assert old.to_dict() == new.to_dict()
    with pytest.warns(CustcentricDeprecationWarning, match="use `customer_id=` instead"):
        interaction_summary(log, customers=["a", "b"])
    with pytest.warns(CustcentricDeprecationWarning, match="use `observation_end`"):
        assert new.as_of == new.observation_end
    with pytest.raises(InvalidInputError, match="not both"):
        interaction_summary(log, as_of="2024-01-10", observation_end="2024-01-10")
