"""Rule-based tagging of free-text feedback (complaints, ideas, competitor mentions)."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._pandas import make_frame
from custcentric._validation import as_1d, as_text_input, fmt
from custcentric.domain._base import real_number
from custcentric.exceptions import InvalidInputError
from custcentric.typing import BoolArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEEDBACK_TAGS", "FeedbackTags", "tag_feedback"]

FEEDBACK_TAGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "complaint": (
            "complain*",
            "disappoint*",
            "terrible",
            "awful",
            "worst",
            "unacceptable",
            "rude",
            "broken",
            "faulty",
            "defect*",
            "refund*",
            "overcharg*",
            "charged twice",
            "still waiting",
            "waited",
            "never arrived",
            "not working",
            "doesn't work",
            "didn't work",
            "never again",
            "poor service",
            "no one answered",
            "frustrat*",
        ),
        "idea": (
            "suggest*",
            "idea*",
            "would be nice",
            "would be great",
            "would love",
            "i wish",
            "please add",
            "could you add",
            "you should",
            "why not",
            "feature request",
            "it would help",
            "option to",
        ),
        "competitor": (
            "competitor*",
            "cheaper elsewhere",
            "elsewhere",
            "another provider",
            "other provider",
            "another company",
            "switch to",
            "switching to",
            "switched to",
            "moving to",
            "better deal",
            "better offer",
            "price match",
        ),
    }
)
"""The shipped keyword rules: tag -> keywords. A keyword matches whole words of the text after
lower-casing, dropping apostrophes and turning other punctuation into spaces; a trailing ``*``
matches any word ending (``complain*`` matches "complaint", "complained"). Edit a copy:
``{**FEEDBACK_TAGS, "idea": (*FEEDBACK_TAGS["idea"], "roadmap")}``."""

_APOSTROPHES = "'\u2018\u2019`"
_PUNCTUATION = "".join(c for c in string.punctuation if c not in _APOSTROPHES) + (
    "\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\t\n\r"
)
_TABLE = str.maketrans(_PUNCTUATION, " " * len(_PUNCTUATION), _APOSTROPHES)


def _normalise(texts: StrArray) -> StrArray:
    """Lower-case, drop apostrophes, punctuation to spaces, single spaces, padded with spaces."""
    if texts.size == 0:
        return texts.astype("<U1")
    translate: Any = np.char.translate  # the stubs want a str table; str.translate takes a dict
    clean = np.asarray(translate(np.strings.lower(texts), _TABLE), dtype=np.str_)
    while True:  # a handful of passes collapse any run of spaces
        shorter = np.strings.replace(clean, "  ", " ")
        if np.array_equal(np.strings.str_len(shorter), np.strings.str_len(clean)):
            break
        clean = shorter
    padded: StrArray = np.strings.add(np.strings.add(" ", np.strings.strip(clean)), " ")
    return padded


def _pattern(keyword: str) -> str:
    prefix = keyword.endswith("*")
    core = str(_normalise(np.array([keyword.rstrip("*")]))[0]).strip()
    return f" {core}" if prefix else f" {core} "


def _rules(tags: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    given = FEEDBACK_TAGS if tags is None else tags
    if not isinstance(given, Mapping) or not given:
        msg = f"`tags` must be a non-empty mapping of tag to keywords (got {fmt(given)})."
        raise InvalidInputError(msg)
    rules: dict[str, tuple[str, ...]] = {}
    for tag, words in given.items():
        if not isinstance(tag, str) or not tag:
            msg = f"`tags` must have non-empty string names (got {fmt(tag)})."
            raise InvalidInputError(msg)
        if isinstance(words, str) or not len(words):
            msg = f"`tags[{tag!r}]` must be a non-empty sequence of keywords (got {fmt(words)})."
            raise InvalidInputError(msg)
        for i, word in enumerate(words):
            if not isinstance(word, str) or not _pattern(word).strip():
                msg = f"`tags[{tag!r}]` must hold keywords with letters or digits (index {i}: {fmt(word)})."
                raise InvalidInputError(msg)
        rules[tag] = tuple(words)
    return rules


@attrs.frozen(kw_only=True, eq=False)
class FeedbackTags:
    """Feedback texts tagged by keyword rules, with counts and examples per tag.

    Attributes
    ----------
    texts : ndarray of str
        The texts as given (missing ones as ``""``).
    tags : tuple of str
        The tags, in rule order (the columns of ``matrix``).
    matrix : ndarray of bool, shape (n_texts, n_tags)
        Whether each text carries each tag (a text may carry several, or none).
    keyword_hits : dict of str to dict of str to int
        Per tag, the texts each keyword matched — to see which rules do the work.
    groups : ndarray of str
        The distinct values of ``by`` (empty if none was given).
    group_counts : ndarray of int, shape (n_groups, n_tags)
        Tagged texts per group and tag.
    n_examples : int
        Examples kept per tag by :meth:`examples` defaults.

    Examples
    --------
    >>> from custcentric.idic import tag_feedback
    >>> tags = tag_feedback(["The app keeps crashing, I complained twice", "Thanks!"])
    >>> tags.matrix.sum(axis=0).tolist(), tags.labels().tolist()
    ([1, 0, 0], ['complaint', ''])
    """

    texts: StrArray
    tags: tuple[str, ...]
    matrix: BoolArray
    keyword_hits: dict[str, dict[str, int]]
    groups: StrArray
    group_counts: IntArray
    n_examples: int

    @property
    def counts(self) -> dict[str, int]:
        """Texts carrying each tag."""
        return {tag: int(c) for tag, c in zip(self.tags, self.matrix.sum(axis=0), strict=True)}

    @property
    def shares(self) -> dict[str, float]:
        """Share of all texts carrying each tag."""
        n = max(self.texts.size, 1)
        return {tag: count / n for tag, count in self.counts.items()}

    @property
    def n_untagged(self) -> int:
        """Texts that match no rule."""
        return int((~self.matrix.any(axis=1)).sum())

    def examples(self, tag: str, n: int | None = None) -> list[str]:
        """Return the first ``n`` texts carrying ``tag`` (default ``n_examples``)."""
        if tag not in self.tags:
            msg = f"`tag` must be one of {', '.join(map(repr, self.tags))} (got {tag!r})."
            raise InvalidInputError(msg)
        rows = np.flatnonzero(self.matrix[:, self.tags.index(tag)])
        chosen: list[str] = self.texts[rows[: self.n_examples if n is None else n]].tolist()
        return chosen

    def labels(self) -> StrArray:
        """Per text, its tags joined by ``"|"`` (``""`` for none)."""
        out = np.full(self.texts.size, "", dtype=object)
        for j, tag in enumerate(self.tags):
            col = self.matrix[:, j]
            out[col] = np.where(out[col] == "", tag, out[col] + "|" + tag)
        text: StrArray = out.astype(np.str_) if out.size else np.zeros(0, "<U1")
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the per-tag counts, shares, examples and keyword hits as plain data."""
        data: dict[str, Any] = {
            "n_texts": int(self.texts.size),
            "n_untagged": self.n_untagged,
            "tags": {
                tag: {
                    "count": self.counts[tag],
                    "share": self.shares[tag],
                    "examples": self.examples(tag),
                    "keywords": dict(self.keyword_hits[tag]),
                }
                for tag in self.tags
            },
        }
        if self.groups.size:
            data["by"] = {
                str(g): dict(zip(self.tags, row.tolist(), strict=True))
                for g, row in zip(self.groups, self.group_counts, strict=True)
            }
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per text with a bool column per tag (``pandas`` extra)."""
        columns: dict[str, NDArray[Any] | None] = {"text": self.texts}
        for j, tag in enumerate(self.tags):
            columns[tag] = self.matrix[:, j]
        return make_frame(columns)

    def summary(self) -> str:
        """Return the counts per tag with one example each, as readable text."""
        lines = [
            f"Feedback: {self.texts.size:,} texts, {self.texts.size - self.n_untagged:,} tagged"
        ]
        for tag in self.tags:
            example = self.examples(tag, 1)
            shown = f'  e.g. "{example[0][:60]}"' if example else ""
            lines.append(f"  {tag:<12} {self.counts[tag]:>6,} ({self.shares[tag]:.1%}){shown}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def tag_feedback(
    texts: ArrayLike,
    *,
    tags: Mapping[str, Sequence[str]] | None = None,
    competitors: Sequence[str] = (),
    by: ArrayLike | None = None,
    n_examples: int = 3,
) -> FeedbackTags:
    """Tag free-text feedback by keyword rules and count each tag, for product and marketing.

    Parameters
    ----------
    texts : array_like of str
        Feedback texts (survey comments, complaint notes, chat transcripts); None or ``""``
        for missing.
    tags : mapping of str to sequence of str, optional
        The rules: tag -> keywords; :data:`FEEDBACK_TAGS` by default.
    competitors : sequence of str, optional
        Competitor names, added to the ``"competitor"`` tag's keywords (the tag is created
        if the rules lack it).
    by : array_like, optional
        A grouping per text (product, channel, process) for :attr:`FeedbackTags.group_counts`.
    n_examples : int, default 3
        Examples kept per tag in :meth:`FeedbackTags.to_dict`.

    Returns
    -------
    FeedbackTags

    Raises
    ------
    InvalidInputError
        For rules that are not a mapping of tag to keywords, a keyword without letters or
        digits, non-text input, or ``by`` of another length.

    Notes
    -----
    Texts are lower-cased, apostrophes dropped, other punctuation turned into spaces and runs
    of spaces collapsed, then padded with one space each side; a keyword ``w`` matches when
    ``" w "`` occurs (``" w"`` for ``w*``). Each keyword is one vectorised
    :func:`numpy.strings.find` over all texts, so the loop is over keywords, never texts.
    Keyword rules are transparent and editable but miss paraphrases and negations ("not
    disappointed"); audit them with :attr:`FeedbackTags.keyword_hits` and
    :meth:`FeedbackTags.examples`.

    References
    ----------
    Reichheld, F. F., & Markey, R. (2011). *The Ultimate Question 2.0*, ch. 7 (inner and
    outer loop).

    Examples
    --------
    >>> from custcentric.idic import tag_feedback
    >>> result = tag_feedback(["I want a refund, the kettle is broken!",
    ...                        "Would be nice to pay by app.",
    ...                        "Acme is cheaper, I'm switching to them",
    ...                        "All good, thanks"], competitors=["Acme"])
    >>> result.counts
    {'complaint': 1, 'idea': 1, 'competitor': 1}
    >>> result.labels().tolist()
    ['complaint', 'idea', 'competitor', '']
    """
    given: object = texts
    if given is None:
        msg = "`texts` must be an array of strings (got None)."
        raise InvalidInputError(msg)
    raw = as_text_input(texts, "texts")
    if raw.dtype.kind == "O":
        bad = [i for i, v in enumerate(raw.tolist()) if v is not None and not isinstance(v, str)]
        if bad:
            msg = f"`texts` must hold strings (index {bad[0]}: {fmt(raw[bad[0]])})."
            raise InvalidInputError(msg)
        raw = np.array(["" if v is None else v for v in raw.tolist()], dtype=np.str_)
    elif raw.dtype.kind != "U" and raw.size:
        msg = f"`texts` must hold strings (got dtype {raw.dtype})."
        raise InvalidInputError(msg)
    original: StrArray = raw.astype(np.str_)
    rules = _rules(tags)
    listed: object = competitors
    if listed is None:
        listed = ()
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, Sequence) or not all(isinstance(c, str) and c for c in listed):
        msg = f"`competitors` must be a sequence of non-empty strings (got {fmt(competitors)})."
        raise InvalidInputError(msg)
    names = list(listed)
    if names:
        rules["competitor"] = (*rules.get("competitor", ()), *names)
        rules = _rules(rules)
    keep = int(real_number(n_examples, "n_examples", low=0, integer=True))
    clean = _normalise(original)
    matrix = np.zeros((original.size, len(rules)), dtype=bool)
    hits: dict[str, dict[str, int]] = {}
    for j, (tag, words) in enumerate(rules.items()):
        hits[tag] = {}
        for word in words:
            found = np.strings.find(clean, _pattern(word)) >= 0
            hits[tag][word] = int(found.sum())
            matrix[:, j] |= found
    groups = np.zeros(0, dtype="<U1")
    group_counts = np.zeros((0, len(rules)), dtype=np.int64)
    if by is not None:
        key = as_1d(by, "by")
        if key.size != original.size:
            msg = f"`by` must have one value per text ({original.size}) (got {key.size})."
            raise InvalidInputError(msg)
        groups, code = np.unique(key.astype(np.str_), return_inverse=True)
        group_counts = np.zeros((groups.size, len(rules)), dtype=np.int64)
        np.add.at(group_counts, code, matrix.astype(np.int64))
    return FeedbackTags(
        texts=original,
        tags=tuple(rules),
        matrix=matrix,
        keyword_hits=hits,
        groups=groups,
        group_counts=group_counts,
        n_examples=keep,
    )
