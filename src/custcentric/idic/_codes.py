"""Integer codes of a field's values, kept sorted so that new records can be coded cheaply."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from custcentric.typing import IntArray, StrArray

__all__ = ["FieldCodes", "rule_codes"]


@attrs.frozen(eq=False)
class FieldCodes:
    """A field's distinct values (sorted) and each record's index into them.

    Examples
    --------
    >>> import numpy as np
    >>> codes = FieldCodes.of(np.array(["b", "a", "b"]))
    >>> codes.vocabulary.tolist(), codes.codes.tolist()
    (['a', 'b'], [1, 0, 1])
    >>> more = codes.extended(np.array(["c", "a", "aa"]))
    >>> more.vocabulary.tolist(), more.codes.tolist()
    (['a', 'aa', 'b', 'c'], [2, 0, 2, 3, 0, 1])
    """

    vocabulary: StrArray
    codes: IntArray

    @classmethod
    def of(cls, values: StrArray) -> FieldCodes:
        """Code ``values`` (one sort)."""
        vocabulary, inverse = np.unique(values, return_inverse=True)
        return cls(vocabulary=vocabulary, codes=inverse.ravel().astype(np.int64))

    def extended(self, values: StrArray) -> FieldCodes:
        """Codes of the records so far, then of ``values``, without sorting the old values again."""
        vocab = self.vocabulary
        if vocab.size:
            position = np.searchsorted(vocab, values)
            found = vocab[np.minimum(position, vocab.size - 1)] == values
        else:
            position = np.zeros(values.size, dtype=np.int64)
            found = np.zeros(values.size, dtype=bool)
        unknown, unknown_of = np.unique(values[~found], return_inverse=True)
        unknown_of = unknown_of.ravel()
        shift = np.searchsorted(unknown, vocab, side="left").astype(np.int64)
        old = self.codes + shift[self.codes] if vocab.size else self.codes
        new = np.empty(values.size, dtype=np.int64)
        if found.any():
            hit = position[found]
            new[found] = hit + shift[hit]
        if unknown.size:
            before = np.searchsorted(vocab, unknown).astype(np.int64)
            new[~found] = (before + np.arange(unknown.size))[unknown_of]
        wide = np.result_type(vocab.dtype, unknown.dtype)
        merged = np.insert(vocab.astype(wide), np.searchsorted(vocab, unknown), unknown)
        return FieldCodes(vocabulary=merged, codes=np.concatenate([old, new]))


def rule_codes(fields: Sequence[FieldCodes]) -> IntArray:
    """One code per record for a blocking rule's combined key; -1 where any part is ``""``."""
    n = fields[0].codes.size
    combined = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for f in fields:
        empty_code = np.searchsorted(f.vocabulary, "")
        if f.vocabulary.size and empty_code < f.vocabulary.size and f.vocabulary[empty_code] == "":
            missing |= f.codes == empty_code
        combined = combined * np.int64(max(1, f.vocabulary.size)) + f.codes
        combined = np.unique(combined, return_inverse=True)[1].ravel().astype(np.int64)
    result: IntArray = np.where(missing, -1, combined)
    return result
