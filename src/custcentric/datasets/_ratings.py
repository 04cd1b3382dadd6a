"""Survey answers and maturity ratings: small struct-of-arrays tables with read-only arrays."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np
from numpy.typing import ArrayLike

from custcentric._pandas import make_frame
from custcentric._validation import (
    as_datetime_array,
    as_int_array,
    as_str_array,
    check_equal_length,
    check_in_range,
    first_true,
    fmt,
    to_enum_array,
)
from custcentric.domain import CapabilityArea, Channel
from custcentric.exceptions import InvalidInputError
from custcentric.tables._columns import frozen
from custcentric.typing import DatetimeArray, IntArray, StrArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SCALES", "MaturityRatings", "SurveyResponses"]

SCALES: Final[dict[str, tuple[int, int]]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
"""The answer scale (lowest, highest) of each survey instrument."""


class _Instrument(enum.StrEnum):
    """The survey instruments (private: the public vocabulary is :data:`SCALES`)."""

    NPS = "nps"
    CSAT = "csat"
    CES = "ces"


def _text(values: ArrayLike, name: str) -> StrArray:
    """Strings where the empty string is allowed (it means "none")."""
    array = np.asarray(values)
    if array.ndim != 1:
        msg = f"`{name}` must be one-dimensional (got shape {array.shape})."
        raise InvalidInputError(msg)
    if array.dtype.kind == "O":
        missing = np.fromiter((v is None for v in array), dtype=bool, count=array.size)
        if missing.any():
            i = first_true(missing)
            msg = f"`{name}` must not hold missing values (index {i}: None)."
            raise InvalidInputError(msg)
    return np.ascontiguousarray(array.astype(np.str_))


def _timestamps(values: ArrayLike) -> DatetimeArray:
    """``datetime64[s]`` timestamps; an empty input of any dtype (e.g. ``[]``) gives none."""
    array = np.asarray(values)
    if array.ndim == 1 and array.size == 0:
        return np.empty(0, dtype="datetime64[s]")
    return as_datetime_array(array, "timestamp")


@attrs.frozen(eq=False)
class SurveyResponses:
    """Survey answers, one read-only array per field.

    Use :meth:`from_arrays` to build one from any array-likes; it converts and checks them.

    Attributes
    ----------
    customer_id : ndarray of str
        Who answered.
    timestamp : ndarray of datetime64[s]
        When.
    instrument : ndarray of str
        ``"nps"`` (0-10), ``"csat"`` (1-5) or ``"ces"`` (1-7, 7 = very easy).
    score : ndarray of int64
        The answer, on the instrument's scale.
    process : ndarray of str
        The customer process of the case the survey followed; ``""`` if none.
    channel : ndarray of str
        The :class:`~custcentric.domain.Channel` value the answer came through.

    Examples
    --------
    >>> from custcentric.datasets import SurveyResponses
    >>> answers = SurveyResponses.from_arrays(
    ...     ["C1", "C2"], ["2025-01-02T10:00", "2025-01-03T11:30"], ["nps", "csat"], [9, 4],
    ...     process=["", "fault-repair"], channel=["email", "app"])
    >>> len(answers), answers.score.tolist()
    (2, [9, 4])
    >>> SurveyResponses.from_arrays(["C1"], ["2025-01-02"], ["csat"], [6])
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `score` must lie in [1, 5] for csat (index 0: 6).
    """

    customer_id: StrArray
    timestamp: DatetimeArray
    instrument: StrArray
    score: IntArray
    process: StrArray
    channel: StrArray

    @classmethod
    def from_arrays(
        cls,
        customer_id: ArrayLike,
        timestamp: ArrayLike,
        instrument: ArrayLike,
        score: ArrayLike,
        *,
        process: ArrayLike | None = None,
        channel: ArrayLike | None = None,
    ) -> SurveyResponses:
        """Convert and check the columns and return the read-only table.

        Parameters
        ----------
        customer_id, timestamp, instrument, score : array_like
            One entry per answer; timestamps as datetime64 or ISO 8601 strings.
        process : array_like of str, optional
            The process surveyed (``""`` for none); all ``""`` when omitted.
        channel : array_like of str, optional
            Channel values; all ``"email"`` when omitted.

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty customer ids, unknown instruments or channels, or a
            score outside its instrument's scale; the message names the first bad index.
        """
        ids = as_str_array(customer_id, "customer_id")
        n = ids.size
        times = _timestamps(timestamp)
        kind = to_enum_array(np.asarray(instrument), _Instrument, "instrument")
        scores = as_int_array(score, "score")
        proc = np.full(n, "") if process is None else _text(process, "process")
        chan = (
            np.full(n, "email")
            if channel is None
            else to_enum_array(np.asarray(channel), Channel, "channel")
        )
        check_equal_length(
            {
                "customer_id": ids,
                "timestamp": times,
                "instrument": kind,
                "score": scores,
                "process": proc,
                "channel": chan,
            }
        )
        for name, (low, high) in SCALES.items():
            here = kind == name
            bad = here & ((scores < low) | (scores > high))
            if bad.any():
                i = first_true(bad)
                msg = (
                    f"`score` must lie in [{low}, {high}] for {name} (index {i}: {fmt(scores[i])})."
                )
                raise InvalidInputError(msg)
        return cls(
            customer_id=frozen(ids),
            timestamp=frozen(times),
            instrument=frozen(kind),
            score=frozen(scores),
            process=frozen(proc),
            channel=frozen(chan),
        )

    def __len__(self) -> int:
        return int(self.customer_id.size)

    def __str__(self) -> str:
        kinds, counts = np.unique(self.instrument, return_counts=True)
        parts = ", ".join(f"{c} {k}" for k, c in zip(kinds.tolist(), counts.tolist(), strict=True))
        return f"SurveyResponses({len(self)} answers: {parts or 'none'})"

    def to_pandas(self) -> pd.DataFrame:
        """Return the answers as a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.datasets import SurveyResponses
        >>> SurveyResponses.from_arrays(["C1"], ["2025-01-02"], ["nps"], [10]).to_pandas().shape
        (1, 6)
        """
        return make_frame({f.name: getattr(self, f.name) for f in attrs.fields(type(self))})


@attrs.frozen(eq=False)
class MaturityRatings:
    """Maturity self-assessment ratings: one department rating one capability per row.

    Attributes
    ----------
    department : ndarray of str
        The rating department.
    capability_id : ndarray of str
        The capability rated, e.g. ``"insight-03"``.
    area : ndarray of str
        Its :class:`~custcentric.domain.CapabilityArea` value.
    level : ndarray of int64
        The stage it reached, 1 (product-centric) to 4 (customer-centric); see
        :attr:`custcentric.domain.MaturityStage.level`.
    note : ndarray of str
        The department's short evidence note (may be ``""``).

    Examples
    --------
    >>> from custcentric.datasets import MaturityRatings
    >>> ratings = MaturityRatings.from_arrays(
    ...     ["sales", "it"], ["insight-01", "insight-01"], ["customer_insight"] * 2, [3, 1])
    >>> len(ratings), ratings.level.tolist()
    (2, [3, 1])
    >>> MaturityRatings.from_arrays(["sales"], ["insight-01"], ["customer_insight"], [5])
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `level` must lie in [1, 4] (index 0: 5).
    """

    department: StrArray
    capability_id: StrArray
    area: StrArray
    level: IntArray
    note: StrArray

    @classmethod
    def from_arrays(
        cls,
        department: ArrayLike,
        capability_id: ArrayLike,
        area: ArrayLike,
        level: ArrayLike,
        *,
        note: ArrayLike | None = None,
    ) -> MaturityRatings:
        """Convert and check the columns and return the read-only table.

        Raises
        ------
        InvalidInputError
            For unequal lengths, empty names, unknown areas, levels outside 1-4, or a
            department rating the same capability twice.
        """
        dept = as_str_array(department, "department")
        cap = as_str_array(capability_id, "capability_id")
        areas = to_enum_array(np.asarray(area), CapabilityArea, "area")
        levels = as_int_array(level, "level")
        notes = np.full(dept.size, "") if note is None else _text(note, "note")
        check_equal_length(
            {
                "department": dept,
                "capability_id": cap,
                "area": areas,
                "level": levels,
                "note": notes,
            }
        )
        check_in_range(levels, "level", low=1, high=4)
        pairs = np.char.add(np.char.add(dept, "\x00"), cap)
        _, first, counts = np.unique(pairs, return_index=True, return_counts=True)
        if (counts > 1).any():
            seen = np.zeros(pairs.size, dtype=bool)
            seen[first] = True
            i = first_true(~seen)
            msg = (
                "`capability_id` must be rated once per department "
                f"(index {i}: {fmt(cap[i])} again by {fmt(dept[i])})."
            )
            raise InvalidInputError(msg)
        return cls(
            department=frozen(dept),
            capability_id=frozen(cap),
            area=frozen(areas),
            level=frozen(levels),
            note=frozen(notes),
        )

    def __len__(self) -> int:
        return int(self.department.size)

    def __str__(self) -> str:
        n_dep = np.unique(self.department).size
        n_cap = np.unique(self.capability_id).size
        return f"MaturityRatings({len(self)} ratings: {n_dep} departments x {n_cap} capabilities)"

    def to_pandas(self) -> pd.DataFrame:
        """Return the ratings as a pandas DataFrame (needs the ``pandas`` extra).

        Examples
        --------
        >>> from custcentric.datasets import MaturityRatings
        >>> MaturityRatings.from_arrays(["it"], ["process-01"], ["customer_processes"], [2]
        ...                             ).to_pandas().columns.tolist()
        ['department', 'capability_id', 'area', 'level', 'note']
        """
        return make_frame({f.name: getattr(self, f.name) for f in attrs.fields(type(self))})
