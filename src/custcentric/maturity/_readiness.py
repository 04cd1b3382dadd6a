"""CRM readiness (source S3): the seven characteristics of customer-based companies and the team."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from custcentric._pandas import make_frame
from custcentric._result import Result, jsonable
from custcentric._validation import check_number, fmt
from custcentric.domain._base import DomainValue
from custcentric.exceptions import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHARACTERISTICS",
    "EXPERTISE",
    "Readiness",
    "TeamCheck",
    "TeamMember",
    "check_team",
    "readiness",
]

CHARACTERISTICS: Final[dict[str, str]] = {
    "customer_value_focus": "The value we deliver to customers is the focus of what we do.",
    "long_term_results": "We pursue long-term results, not only this quarter's.",
    "executive_sponsorship": "An executive sponsors the programme and a manager is accountable.",
    "programme_communication": "The programme is communicated inside and outside the company.",
    "non_financial_measures": "New non-financial measures sit beside the financial ones.",
    "training_and_culture": "We invest in training rooted in a customer-oriented culture.",
    "internal_champions": "Internal champions speak for customers in decisions.",
}
"""Source S3's seven characteristics of customer-based companies, as agreement statements."""

EXPERTISE: Final[tuple[str, ...]] = ("organisational", "technical")
"""The two kinds of expertise a CRM core team must cover."""


def _expertise(value: object) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        msg = f"`expertise` must be a sequence of {EXPERTISE} (got {fmt(value)})."
        raise InvalidInputError(msg)
    out = tuple(str(v) for v in items)
    bad = [v for v in out if v not in EXPERTISE]
    if bad or not out:
        msg = f"`expertise` must name one or both of {', '.join(map(repr, EXPERTISE))} (got {fmt(value)})."
        raise InvalidInputError(msg)
    return tuple(e for e in EXPERTISE if e in out)


def _fte(value: object) -> float:
    return check_number(value, "fte", low=0, high=1, low_inclusive=False)


@attrs.frozen(kw_only=True)
class TeamMember(DomainValue, Result):
    """A member of the CRM team: a configuration value stored with ``to_dict``/``from_dict``.

    Parameters
    ----------
    name : str
        Who.
    expertise : str or sequence of str
        ``"organisational"`` (business, process, change) and/or ``"technical"``.
    fte : float, default 1.0
        Share of a full-time position given to the programme, in (0, 1].
    core : bool, default True
        Core team (``True``) or the extended network of experts (``False``).

    Examples
    --------
    >>> from custcentric.maturity import TeamMember
    >>> member = TeamMember(name="Ana", expertise=["technical", "organisational"], fte=0.5)
    >>> member.expertise, member.fte, member.core
    (('organisational', 'technical'), 0.5, True)

    A team kept in a file: ``to_dict`` writes the fields and a ``schema_version``,
    ``from_dict`` reads them back and refuses an unknown key:

    >>> member.to_dict()
    {'schema_version': 1, 'name': 'Ana', 'expertise': ['organisational', 'technical'], 'fte': 0.5, 'core': True}
    >>> TeamMember.from_dict(member.to_dict()) == member
    True
    >>> TeamMember.from_dict({"name": "Bo", "expertise": "technical", "role": "lead"})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: TeamMember has no field 'role' (fields: name, expertise, fte, core).
    """

    name: str
    expertise: tuple[str, ...] = attrs.field(converter=_expertise)
    fte: float = attrs.field(default=1.0, converter=_fte)
    core: bool = True

    def summary(self) -> str:
        """Return the member as one line, e.g. ``"Ana (organisational, technical; 0.5 FTE, core)"``.

        Examples
        --------
        >>> from custcentric.maturity import TeamMember
        >>> print(TeamMember(name="Ana", expertise="technical", fte=0.5, core=False))
        Ana (technical; 0.5 FTE, extended network)
        """
        role = "core" if self.core else "extended network"
        return f"{self.name} ({', '.join(self.expertise)}; {self.fte:g} FTE, {role})"


@attrs.frozen(kw_only=True)
class TeamCheck(Result):
    """The CRM team check of source S3.

    Attributes
    ----------
    n_core, n_core_full_time, n_extended : int
        Core members, full-time core members, members of the extended network.
    size_ok, organisational, technical, extended_network : bool
        8-12 full-time core members; each expertise covered in the core; an extended network.
    issues : tuple of str
        What falls short, in words.

    Examples
    --------
    >>> from custcentric.maturity import TeamMember, check_team
    >>> team = [TeamMember(name=f"m{i}", expertise="organisational") for i in range(7)]
    >>> team += [TeamMember(name="dev", expertise="technical"),
    ...          TeamMember(name="expert", expertise="technical", core=False)]
    >>> check = check_team(team)
    >>> check.n_core_full_time, check.n_extended, check.ok
    (8, 1, True)
    """

    n_core: int
    n_core_full_time: int
    n_extended: int
    size_ok: bool
    organisational: bool
    technical: bool
    extended_network: bool
    issues: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when every part of the check passes."""
        return not self.issues

    def summary(self) -> str:
        """Return the check as one line: the counts, then ``ok`` or the issues."""
        verdict = "ok" if self.ok else "; ".join(self.issues)
        return (
            f"CRM team: {self.n_core} core ({self.n_core_full_time} full-time), "
            f"{self.n_extended} extended; {verdict}"
        )


def check_team(
    members: Sequence[TeamMember], *, min_core: int = 8, max_core: int = 12
) -> TeamCheck:
    """Check a CRM team against source S3: 8-12 full-time core members, both expertises, a network.

    Parameters
    ----------
    members : sequence of TeamMember
        Core members and the extended network (``core=False``).
    min_core, max_core : int, default 8 and 12
        The range for full-time core members.

    Returns
    -------
    TeamCheck

    Examples
    --------
    >>> from custcentric.maturity import TeamMember, check_team
    >>> team = [TeamMember(name=f"m{i}", expertise="organisational") for i in range(6)]
    >>> team += [TeamMember(name="dev", expertise="technical", fte=0.5)]
    >>> for issue in check_team(team).issues:
    ...     print(issue)
    6 full-time core members; a core team needs 8-12
    no full-time core member brings technical expertise
    no extended network of experts
    """
    low = int(check_number(min_core, "min_core", low=1, integer=True))
    high = int(check_number(max_core, "max_core", low=1, integer=True))
    if high < low:
        msg = f"`max_core` must be at least `min_core` ({high} < {low})."
        raise InvalidInputError(msg)
    given: object = members
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        msg = f"`members` must be a sequence of TeamMember values (got {fmt(members)})."
        raise InvalidInputError(msg)
    people: list[object] = list(members)
    for i, m in enumerate(people):
        if not isinstance(m, TeamMember):
            msg = f"`members` must hold TeamMember values (index {i}: {type(m).__name__})."
            raise InvalidInputError(msg)
    team = [m for m in people if isinstance(m, TeamMember)]
    core = [m for m in team if m.core]
    full = [m for m in core if m.fte >= 1.0]
    extended = [m for m in team if not m.core]
    issues: list[str] = []
    size_ok = low <= len(full) <= high
    if not size_ok:
        issues.append(f"{len(full)} full-time core members; a core team needs {low}-{high}")
    covered = {e: any(e in m.expertise for m in full) for e in EXPERTISE}
    for e, ok in covered.items():
        if not ok:
            issues.append(f"no full-time core member brings {e} expertise")
    if not extended:
        issues.append("no extended network of experts")
    return TeamCheck(
        n_core=len(core),
        n_core_full_time=len(full),
        n_extended=len(extended),
        size_ok=size_ok,
        organisational=covered["organisational"],
        technical=covered["technical"],
        extended_network=bool(extended),
        issues=tuple(issues),
    )


@attrs.frozen(kw_only=True)
class Readiness(Result):
    """Readiness for a CRM programme: the seven characteristics and the team.

    Attributes
    ----------
    scores : dict of str to float
        Mean agreement per characteristic (on the answer scale).
    agreement : dict of str to float
        Share of answers at or above ``threshold`` per characteristic.
    met : dict of str to bool
        Whether the mean reaches ``threshold``.
    index : float
        Mean of the scores rescaled to [0, 1].
    threshold : float
        The agreement threshold used.
    team : TeamCheck or None
        The team check, if a team was given.

    Examples
    --------
    >>> from custcentric.maturity import CHARACTERISTICS, readiness
    >>> answers = {key: [4, 5] for key in CHARACTERISTICS}
    >>> answers["internal_champions"] = [2, 4]
    >>> result = readiness(answers)
    >>> result.scores["internal_champions"], result.agreement["internal_champions"]
    (3.0, 0.5)
    >>> result.met["internal_champions"], result.ready
    (False, False)
    """

    scores: dict[str, float]
    agreement: dict[str, float]
    met: dict[str, bool]
    index: float
    threshold: float
    team: TeamCheck | None

    @property
    def weakest(self) -> tuple[str, ...]:
        """The characteristics not met, lowest score first."""
        return tuple(
            sorted((k for k, ok in self.met.items() if not ok), key=self.scores.__getitem__)
        )

    @property
    def ready(self) -> bool:
        """True when every characteristic is met and the team (if given) passes."""
        return all(self.met.values()) and (self.team is None or self.team.ok)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data."""
        data: dict[str, Any] = jsonable(
            {
                "scores": dict(self.scores),
                "agreement": dict(self.agreement),
                "met": dict(self.met),
                "index": self.index,
                "threshold": self.threshold,
                "team": None if self.team is None else self.team.to_dict(),
                "ready": self.ready,
            }
        )
        return data

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per characteristic: ``characteristic``, ``score``, ``agreement``, ``met``.

        Examples
        --------
        >>> from custcentric.maturity import CHARACTERISTICS, readiness
        >>> frame = readiness({key: [4, 5] for key in CHARACTERISTICS}).to_pandas()
        >>> frame.shape, bool(frame["met"].all())
        ((7, 4), True)
        """
        keys = list(self.scores)
        return make_frame(
            {
                "characteristic": np.array(keys, dtype=object),
                "score": np.array([self.scores[k] for k in keys], dtype=np.float64),
                "agreement": np.array([self.agreement[k] for k in keys], dtype=np.float64),
                "met": np.array([self.met[k] for k in keys], dtype=bool),
            }
        )

    def summary(self) -> str:
        """Return a readable text report."""
        lines = [f"CRM readiness {self.index:.2f} ({'ready' if self.ready else 'not ready'})"]
        for key in CHARACTERISTICS:
            mark = "ok " if self.met[key] else "gap"
            lines.append(
                f"  [{mark}] {key}: {self.scores[key]:.2f} ({self.agreement[key]:.0%} agree)"
            )
        if self.team is not None:
            lines.append(f"  team: {'ok' if self.team.ok else '; '.join(self.team.issues)}")
        return "\n".join(lines)


def readiness(
    scores: Mapping[str, float | Sequence[float]],
    *,
    team: Sequence[TeamMember] | TeamCheck | None = None,
    scale: tuple[int, int] = (1, 5),
    threshold: float = 4.0,
) -> Readiness:
    r"""Score source S3's seven characteristics of customer-based companies, and the CRM team.

    Parameters
    ----------
    scores : mapping of str to number or sequence of numbers
        For each key of :data:`CHARACTERISTICS`, one answer or the answers of several
        respondents on the agreement ``scale`` (e.g. 1 = strongly disagree, 5 = strongly
        agree). All seven are required.
    team : sequence of TeamMember or TeamCheck, optional
        The CRM team, checked with :func:`check_team`.
    scale : (int, int), default (1, 5)
        The lowest and highest answer.
    threshold : float, default 4.0
        The mean a characteristic needs to count as in place ("agree").

    Returns
    -------
    Readiness

    Raises
    ------
    InvalidInputError
        Listing every missing or unknown characteristic and every answer off the scale.

    Notes
    -----
    ``index`` :math:`= \frac{1}{7}\sum_k (\bar x_k - \text{low}) / (\text{high} - \text{low})`.
    The characteristics are the seven of source S3 (after Peppers, Rogers & Dorf 1999): value to
    customers as the focus, long-term results, executive sponsorship with an accountable
    manager, communication of the programme inside and out, new non-financial measures,
    training rooted in a customer-oriented culture, and internal champions.

    Examples
    --------
    >>> from custcentric.maturity import CHARACTERISTICS, readiness
    >>> answers = {key: [4, 5, 4] for key in CHARACTERISTICS}
    >>> answers["internal_champions"] = [2, 3, 2]
    >>> result = readiness(answers)
    >>> result.ready, result.weakest, round(result.index, 3)
    (False, ('internal_champions',), 0.762)
    """
    raw: object = scores
    if not isinstance(raw, Mapping):
        msg = f"`scores` must map each characteristic to its answers (got {type(scores).__name__})."
        raise InvalidInputError(msg)
    if (
        not isinstance(scale, tuple)
        or len(scale) != 2
        or not all(isinstance(v, int) for v in scale)
        or scale[0] >= scale[1]
    ):
        msg = f"`scale` must be a pair of whole numbers (low, high) with low < high (got {fmt(scale)})."
        raise InvalidInputError(msg)
    low, high = scale
    thr = check_number(threshold, "threshold", low=low, high=high)
    problems = [f"characteristic {k!r} has no answers" for k in CHARACTERISTICS if k not in scores]
    problems += [
        f"unknown characteristic {k!r} (known: {', '.join(CHARACTERISTICS)})"
        for k in scores
        if k not in CHARACTERISTICS
    ]
    values: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    for key in CHARACTERISTICS:
        if key not in scores:
            continue
        raw = np.atleast_1d(np.asarray(scores[key], dtype=object))
        try:
            arr = raw.astype(np.float64)
        except (TypeError, ValueError):
            problems.append(
                f"characteristic {key!r}: answers must be numbers (got {fmt(scores[key])})"
            )
            continue
        if arr.ndim != 1 or arr.size == 0:
            problems.append(f"characteristic {key!r} has no answers")
            continue
        bad = ~np.isfinite(arr) | (arr < low) | (arr > high)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            problems.append(
                f"characteristic {key!r}: answer {fmt(arr[i])} (index {i}) is outside [{low}, {high}]"
            )
            continue
        values[key] = arr
    if problems:
        msg = f"`scores` has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems)
        raise InvalidInputError(msg)
    means = {k: float(v.mean()) for k, v in values.items()}
    agree = {k: float((v >= thr).mean()) for k, v in values.items()}
    met = {k: means[k] >= thr for k in values}
    index = float(np.mean([(means[k] - low) / (high - low) for k in values]))
    check: TeamCheck | None
    check = team if team is None or isinstance(team, TeamCheck) else check_team(team)
    return Readiness(scores=means, agreement=agree, met=met, index=index, threshold=thr, team=check)
