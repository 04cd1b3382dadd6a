"""Standardise names, e-mail addresses and telephone numbers before matching (vectorised)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from custcentric._validation import as_1d, check_number
from custcentric.idic._jaro import as_text, code_points
from custcentric.typing import StrArray

__all__ = ["normalize_email", "normalize_name", "normalize_phone", "split_name"]

_PUNCTUATION = ".'\"_-;:/\\()[]{}!?*&#"


def _text_1d(values: ArrayLike, name: str) -> StrArray:
    return as_text(as_1d(values, name), name)


def _blank_out(text: StrArray, marks: str) -> StrArray:
    """Replace every character of ``marks`` by a space (one pass over the code points)."""
    if text.size == 0:
        return text
    codes, _ = code_points(text)
    hit = np.isin(codes, np.array([ord(c) for c in marks], dtype=np.uint32))
    if not hit.any():
        return text
    codes = np.where(hit, np.uint32(ord(" ")), codes)
    result: StrArray = codes.view(f"<U{codes.shape[1]}").ravel()
    return result


def _squeeze_spaces(text: StrArray) -> StrArray:
    while text.size and np.strings.find(text, "  ").max() >= 0:
        text = np.strings.replace(text, "  ", " ")
    return np.strings.strip(text)


def normalize_name(values: ArrayLike) -> StrArray:
    """Return person names lower-cased, as "first ... last", without punctuation.

    Parameters
    ----------
    values : array_like of str
        Names as captured; ``""`` where missing (stays ``""``).

    Returns
    -------
    ndarray of str
        ``"Last, First"`` is turned round, dots, hyphens, quotes and brackets become spaces,
        runs of spaces collapse to one and the ends are trimmed.

    Notes
    -----
    Accents are kept (compare ``"josé"`` and ``"jose"`` with :func:`jaro_winkler`); titles
    such as "Dr" are not removed.

    Examples
    --------
    >>> from custcentric.idic import normalize_name
    >>> normalize_name(["Osei, Mia", "  M. OSEI ", "mia-rose  osei", ""]).tolist()
    ['mia osei', 'm osei', 'mia rose osei', '']
    """
    text = np.strings.lower(_text_1d(values, "values"))
    if text.size == 0:
        return text
    before, comma, after = np.strings.partition(text, ",")
    text = np.where(comma == ",", np.strings.add(np.strings.add(after, " "), before), text)
    result: StrArray = _squeeze_spaces(_blank_out(text, _PUNCTUATION + ",\t"))
    return result


def split_name(normalised: ArrayLike) -> tuple[StrArray, StrArray]:
    """Split normalised names into the first word and the last word.

    A one-word name is both first and last name; ``""`` stays ``""``.

    Examples
    --------
    >>> from custcentric.idic import split_name
    >>> first, last = split_name(["mia rose osei", "cher", ""])
    >>> first.tolist(), last.tolist()
    (['mia', 'cher', ''], ['osei', 'cher', ''])
    """
    text = _text_1d(normalised, "normalised")
    if text.size == 0:
        return text, text.copy()
    first = np.strings.partition(text, " ")[0]
    last = np.strings.rpartition(text, " ")[2]
    return first, last


def normalize_email(values: ArrayLike) -> StrArray:
    """Return e-mail addresses trimmed and lower-cased; text without ``"@"`` becomes ``""``.

    Examples
    --------
    >>> from custcentric.idic import normalize_email
    >>> normalize_email([" M.Osei@Example.ORG", "not an address", ""]).tolist()
    ['m.osei@example.org', '', '']
    """
    text = np.strings.lower(np.strings.strip(_text_1d(values, "values")))
    result: StrArray = np.where(np.strings.find(text, "@") > 0, text, "")
    return result


def normalize_phone(values: ArrayLike, *, n_digits: int = 10) -> StrArray:
    """Return the last ``n_digits`` digits of each telephone number.

    Parameters
    ----------
    values : array_like of str
        Numbers in any layout (``"+1 555-123-4567"``, ``"(555) 123-4567"``, ...).
    n_digits : int, default 10
        How many trailing digits identify a number (the national number; a country code or
        trunk prefix in front is ignored). Numbers with fewer digits become ``""``.

    Examples
    --------
    >>> from custcentric.idic import normalize_phone
    >>> normalize_phone(["+1 555-123-4567", "(555) 123-4567", "555.123.4567", "12"]).tolist()
    ['5551234567', '5551234567', '5551234567', '']
    """
    n = int(check_number(n_digits, "n_digits", low=1, integer=True))
    text = _text_1d(values, "values")
    if text.size == 0:
        return text
    codes, _ = code_points(text)
    digit = (codes >= ord("0")) & (codes <= ord("9"))
    count = digit.sum(axis=1)
    # Move each row's digits to the right end, in order, then keep the last n columns.
    order = np.argsort(digit, axis=1, kind="stable")
    packed = np.take_along_axis(codes, order, axis=1) * np.take_along_axis(digit, order, axis=1)
    width = codes.shape[1]
    if width < n:
        packed = np.concatenate([np.zeros((text.size, n - width), np.uint32), packed], axis=1)
    tail = np.ascontiguousarray(packed[:, -n:].astype(np.uint32))
    result: StrArray = tail.view(f"<U{n}").ravel()
    result = np.where(count >= n, result, "")
    return result
