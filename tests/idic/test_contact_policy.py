from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import ContactPolicy, FrequencyCap
from custcentric.tables import InteractionLog

START = np.datetime64("2024-03-01T00:00", "s")


def _log(rows, direction="outbound"):
    return InteractionLog.from_arrays(
        [r[0] for r in rows],
        [START + np.timedelta64(int(r[1]), "h") for r in rows],
        [r[2] for r in rows],
        [direction] * len(rows),
        [r[3] for r in rows],
    )


def _oracle(policy, planned, history, consent, opted_out):
    """Slow, obviously correct: decide contacts one at a time in time order per customer."""
    reasons = [""] * len(planned)
    made = [(r[0], r[1], r[2]) for r in history]
    order = sorted(range(len(planned)), key=lambda i: (planned[i][0], planned[i][1], i))
    for i in order:
        cid, hour, channel, kind = planned[i]
        if cid in opted_out:
            reasons[i] = "opted_out"
            continue
        if kind in policy.consent_kinds and cid not in consent:
            reasons[i] = "no_consent"
            continue
        if policy.quiet_hours is not None:
            start, end = policy.quiet_hours
            h = hour % 24
            quiet = start <= h < end if start <= end else (h >= start or h < end)
            if quiet:
                reasons[i] = "quiet_hours"
                continue
        mine = [m for m in made if m[0] == cid]
        gap = policy.min_gap_days * 24
        if policy.min_gap_days > 0 and any(hour - gap < m[1] <= hour for m in mine):
            reasons[i] = "min_gap"
            continue
        for cap in policy.caps:
            if cap.channel is not None and cap.channel != channel:
                continue
            used = sum(
                hour - cap.days * 24 < m[1] <= hour
                for m in mine
                if cap.channel is None or m[2] == cap.channel
            )
            if used >= cap.max_contacts:
                reasons[i] = cap.label()
                break
        if not reasons[i]:
            made.append((cid, hour, channel))
    return reasons


rows = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 24 * 20),
    st.sampled_from(["email", "sms", "phone"]),
    st.sampled_from(["offer", "service_request"]),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(rows, min_size=1, max_size=25),
    st.lists(rows, max_size=10),
    st.integers(0, 3),
    st.sampled_from([None, (21, 8), (12, 14)]),
)
def test_matches_sequential_oracle(planned, history, gap_days, quiet):
    policy = ContactPolicy(
        caps=[
            FrequencyCap(max_contacts=2, days=7, channel="email"),
            FrequencyCap(max_contacts=3, days=10),
        ],
        min_gap_days=gap_days / 2,
        quiet_hours=quiet,
    )
    consent, opted_out = {"a", "b"}, {"c"} if len(planned) % 2 else set()
    check = policy.check(
        _log(planned),
        history=_log(history) if history else None,
        consent=sorted(consent),
        opted_out=sorted(opted_out),
    )
    assert check.reason.tolist() == _oracle(policy, planned, history, consent, opted_out)
    assert (check.allowed == (check.reason == "")).all()


def test_filter_and_summary():
    policy = ContactPolicy(caps=[FrequencyCap(max_contacts=1, days=1)])
    planned = _log(
        [("a", 10, "email", "offer"), ("a", 12, "sms", "offer"), ("b", 10, "sms", "greeting")]
    )
    kept = policy.filter(planned, consent=["a"])
    assert kept.customer_id.tolist() == ["a", "b"]
    check = policy.check(planned, consent=["a"])
    assert check.refused == {"cap 1 per 1 days (any channel)": 1}
    assert check.summary().splitlines()[0] == "2 of 3 planned contacts allowed"
    assert check.to_dict()["reason"] == ["", "cap 1 per 1 days (any channel)", ""]
    assert list(check.to_pandas().columns) == ["allowed", "reason"]


def test_inbound_history_does_not_count():
    policy = ContactPolicy(min_gap_days=1)
    planned = _log([("a", 10, "email", "service_request")])
    history = _log([("a", 9, "phone", "inquiry")], direction="inbound")
    assert policy.check(planned, history=history).allowed.tolist() == [True]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda: FrequencyCap(max_contacts=0, days=7),
            r"`max_contacts` must lie in \[1, inf\] \(got 0\)",
        ),
        (lambda: FrequencyCap(max_contacts=1, days=0), r"`days` must lie in \(0, inf\] \(got 0\)"),
        (
            lambda: FrequencyCap(max_contacts=1, days=1, channel="fax"),
            r"`channel` must be one of 'web'",
        ),
        (lambda: ContactPolicy(caps=[3]), r"`caps` must hold FrequencyCap values \(index 0: 3\)"),
        (
            lambda: ContactPolicy(min_gap_days=-1),
            r"`min_gap_days` must lie in \[0, inf\] \(got -1\)",
        ),
        (
            lambda: ContactPolicy(quiet_hours=(21, 24)),
            r"`quiet_hours` must lie in \[0, 23\] \(got 24\)",
        ),
        (lambda: ContactPolicy(quiet_hours=(21,)), r"`quiet_hours` must be a pair \(start, end\)"),
        (lambda: ContactPolicy(consent_kinds=["spam"]), r"`interaction_kind` must be one of"),
    ],
)
def test_bad_policy(make, match):
    with pytest.raises(InvalidInputError, match=match):
        make()


def test_bad_check_input():
    policy = ContactPolicy()
    offers = _log([("a", 10, "email", "offer")])
    with pytest.raises(
        InvalidInputError,
        match=r"`consent` must be given: 1 planned contacts are of kinds that need consent \('offer'\)",
    ):
        policy.check(offers)
    with pytest.raises(
        InvalidInputError, match=r"`planned` must hold outbound contacts \(index 0: 'inbound'\)"
    ):
        policy.check(_log([("a", 1, "web", "inquiry")], direction="inbound"))
    with pytest.raises(
        InvalidInputError, match=r"`planned` must be an InteractionLog \(got list\)"
    ):
        policy.check([])  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError, match=r"`consent` must hold ids of the same kind as the log's"
    ):
        policy.check(offers, consent=[1])
    with pytest.raises(
        InvalidInputError, match=r"`history` must be an InteractionLog \(got dict\)"
    ):
        ContactPolicy(min_gap_days=1).check(offers, consent=["a"], history={})  # type: ignore[arg-type]


def test_a_boolean_mask_is_not_taken_for_customer_ids():
    # Regression: a mask compared with string ids matched no one, refusing every offer.
    policy = ContactPolicy()
    planned = InteractionLog.from_arrays(
        ["a", "b"], ["2024-03-01T10:00"] * 2, ["email"] * 2, ["outbound"] * 2, ["offer"] * 2
    )
    with pytest.raises(
        InvalidInputError, match=r"`consent` must hold customer ids, not a boolean mask \(got 2"
    ):
        policy.check(planned, consent=[True, False])
    with pytest.raises(InvalidInputError, match=r"`opted_out` must hold customer ids"):
        policy.check(planned, consent=["a"], opted_out=np.array([False, True]))
