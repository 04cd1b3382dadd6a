from __future__ import annotations

import json
import re
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custcentric.exceptions import InvalidInputError
from custcentric.idic import FEEDBACK_TAGS, tag_feedback

TEXTS = [
    "I COMPLAINED twice and still waiting for my refund!!",
    "You should add an option to pause my subscription.",
    "Switching to Acme — they're cheaper.",
    "Doesn't work after the update; also, would be nice to get dark mode",
    "Great staff, thank you",
    None,
    "",
]


def test_default_rules_tag_each_kind():
    result = tag_feedback(TEXTS, competitors=["Acme"])
    assert result.tags == ("complaint", "idea", "competitor")
    assert result.labels().tolist() == [
        "complaint",
        "idea",
        "competitor",
        "complaint|idea",
        "",
        "",
        "",
    ]
    assert result.counts == {"complaint": 2, "idea": 2, "competitor": 1}
    assert result.n_untagged == 3
    assert result.shares["complaint"] == pytest.approx(2 / 7)
    assert result.examples("idea") == [TEXTS[1], TEXTS[3]]
    assert result.keyword_hits["competitor"]["Acme"] == 1
    assert result.keyword_hits["complaint"]["complain*"] == 1


def test_whole_words_and_prefix_keywords():
    rules = {"price": ("price", "cheap*")}
    result = tag_feedback(
        ["priceless service", "the price!", "cheaper", "a cheap-ish deal"], tags=rules
    )
    assert result.matrix[:, 0].tolist() == [False, True, True, True]


def test_rules_are_data_and_can_be_extended():
    rules = {**FEEDBACK_TAGS, "idea": (*FEEDBACK_TAGS["idea"], "roadmap")}
    assert tag_feedback(["What is on the roadmap?"], tags=rules).counts["idea"] == 1
    assert tag_feedback(["What is on the roadmap?"]).counts["idea"] == 0
    with pytest.raises(TypeError):
        FEEDBACK_TAGS["new"] = ("x",)  # type: ignore[index]


def test_grouping_for_product_and_marketing():
    result = tag_feedback(
        ["broken lid", "refund please", "would love a blue one", "fine"],
        by=["kettle", "kettle", "toaster", "toaster"],
    )
    assert result.groups.tolist() == ["kettle", "toaster"]
    assert result.group_counts.tolist() == [[2, 0, 0], [0, 1, 0]]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["by"]["kettle"] == {"complaint": 2, "idea": 0, "competitor": 0}
    assert data["tags"]["complaint"]["examples"] == ["broken lid", "refund please"]


def test_summary_frame_and_empty_input():
    result = tag_feedback(TEXTS, n_examples=1)
    assert result.to_dict()["tags"]["idea"]["examples"] == [TEXTS[1]]
    assert "Feedback: 7 texts, 4 tagged" in result.summary()
    assert str(result) == result.summary()
    assert result.to_pandas().shape == (7, 4)
    empty = tag_feedback([])
    assert empty.counts == {"complaint": 0, "idea": 0, "competitor": 0}
    assert empty.labels().tolist() == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tags": {}}, r"`tags` must be a non-empty mapping of tag to keywords"),
        (
            {"tags": {"a": "word"}},
            r"`tags\['a'\]` must be a non-empty sequence of keywords \(got 'word'\)",
        ),
        (
            {"tags": {"a": ("ok", "!!")}},
            r"`tags\['a'\]` must hold keywords with letters or digits \(index 1: '!!'\)",
        ),
        ({"tags": {"": ("x",)}}, r"`tags` must have non-empty string names"),
        ({"by": ["a"]}, r"`by` must have one value per text \(2\) \(got 1\)"),
        ({"n_examples": -1}, r"`n_examples` must lie in \[0, inf\]"),
    ],
)
def test_bad_rules_raise(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        tag_feedback(["a", "b"], **kwargs)


def test_bad_texts_raise():
    with pytest.raises(InvalidInputError, match=r"`texts` must hold strings \(index 1: 3\)"):
        tag_feedback(["a", 3, None])
    with pytest.raises(InvalidInputError, match=r"`texts` must hold strings \(got dtype int64\)"):
        tag_feedback(np.array([1, 2]))
    with pytest.raises(
        InvalidInputError, match=r"`tag` must be one of 'complaint', 'idea', 'competitor'"
    ):
        tag_feedback(["a"]).examples("praise")


def _oracle(text: str, keyword: str) -> bool:
    """Slow, obviously correct: split into words and compare word runs."""

    def words(s: str) -> list[str]:
        s = re.sub(r"['\u2018\u2019`]", "", s.lower())
        return re.sub(r"[\W_]+", " ", s).split()

    prefix = keyword.endswith("*")
    target = words(keyword.rstrip("*"))
    have = words(text)
    for i in range(len(have) - len(target) + 1):
        window = have[i : i + len(target)]
        if prefix:
            if window[:-1] == target[:-1] and window[-1].startswith(target[-1]):
                return True
        elif window == target:
            return True
    return False


_ALPHABET = "ab c.,!'-" + "\u2019"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet=_ALPHABET, max_size=12), min_size=1, max_size=8),
    st.text(alphabet="abc ", min_size=1, max_size=5).filter(lambda s: s.strip()),
    st.booleans(),
)
def test_matches_word_oracle(texts, keyword, prefix):
    keyword = " ".join(keyword.split()) + ("*" if prefix else "")
    result = tag_feedback(texts, tags={"t": (keyword,)})
    expected = [_oracle(t, keyword) for t in texts]
    assert result.matrix[:, 0].tolist() == expected


def test_punctuation_is_a_word_break_in_both_implementations():
    # the vectorised normaliser and the oracle agree on what separates words (ASCII punctuation)
    for ch in string.punctuation.replace("'", "").replace("`", ""):
        assert tag_feedback([f"refund{ch}now"], tags={"t": ("refund",)}).counts["t"] == 1
