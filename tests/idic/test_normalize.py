from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import normalize_email, normalize_name, normalize_phone, split_name


def test_names_as_the_channels_capture_them():
    raw = ["Mia Osei", "Osei, Mia", "MIA OSEI", "mia osei", " M. Osei ", "Mia\tOsei", ""]
    assert normalize_name(raw).tolist() == [
        "mia osei",
        "mia osei",
        "mia osei",
        "mia osei",
        "m osei",
        "mia osei",
        "",
    ]


def test_split_name_first_and_last_word():
    first, last = split_name(normalize_name(["Anna van der Berg", "Cher"]))
    assert first.tolist() == ["anna", "cher"]
    assert last.tolist() == ["berg", "cher"]


def test_emails_case_and_space_insensitive():
    got = normalize_email(["Ruth.Fischer@Example.Org", "  RUTH.FISCHER@EXAMPLE.ORG", "x@", "@y"])
    assert got.tolist() == ["ruth.fischer@example.org", "ruth.fischer@example.org", "x@", ""]


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_channel_phone_layout_gives_the_same_digits(digits):
    layouts = [
        f"+1 {digits[:3]}-{digits[3:6]}-{digits[6:]}",
        f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
        f"{digits[:3]} {digits[3:6]} {digits[6:]}",
        f"+1{digits}",
        f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
    ]
    assert set(normalize_phone(layouts).tolist()) == {digits}


def test_short_numbers_are_missing_and_n_digits_option():
    assert normalize_phone(["123", "", "555-1234"], n_digits=7).tolist() == ["", "", "5551234"]
    assert normalize_phone(np.array([], dtype=str)).size == 0


def test_bad_input():
    with pytest.raises(InvalidInputError, match=r"`n_digits` must lie in \[1, inf\] \(got 0\)"):
        normalize_phone(["1"], n_digits=0)
    with pytest.raises(InvalidInputError, match=r"`values` must hold strings \(index 0: 5\)"):
        normalize_name(np.array([5], dtype=object))
    with pytest.raises(InvalidInputError, match=r"`values` must be one-dimensional"):
        normalize_email([["a@b"]])
