"""When is a case closed: the one rule shared by ``process.cycle_times`` and ``sla.evaluate_slas``.

A case is *closed* when its latest event is its process's final activity (the last step of
the :class:`~custcentric.domain.CustomerProcess`). Without a process catalogue the final
activity of each process is inferred from the log: the most common last activity of the
process's cases, ties broken by the alphabetically first activity.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from custcentric.typing import BoolArray, StrArray

__all__ = ["closed_cases", "infer_final_activities"]


def infer_final_activities(process: StrArray, last_activity: StrArray) -> dict[str, str]:
    """Return each process's inferred final activity, one entry per process present.

    ``process`` and ``last_activity`` hold one value per case: its process and the activity of
    its latest event. A process's final activity is the most common last activity of its
    cases; a tie goes to the activity that sorts first. Vectorised: one ``np.unique`` over the
    (process, activity) pairs, one ``np.lexsort``; no loop over cases.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._cases import infer_final_activities
    >>> infer_final_activities(np.array(["p", "p", "p", "q"]), np.array(["z", "b", "z", "a"]))
    {'p': 'z', 'q': 'a'}
    """
    if not process.size:
        return {}
    names, p_code = np.unique(process, return_inverse=True)
    acts, a_code = np.unique(last_activity, return_inverse=True)
    key = p_code.astype(np.int64) * acts.size + a_code.astype(np.int64)
    pairs, counts = np.unique(key, return_counts=True)
    pair_process, pair_activity = pairs // acts.size, pairs % acts.size
    # Within a process: the largest count first, then the alphabetically first activity.
    order = np.lexsort((pair_activity, -counts, pair_process))
    ranked = pair_process[order]
    head = np.ones(order.size, dtype=bool)
    head[1:] = ranked[1:] != ranked[:-1]
    best = order[head]
    return {
        str(names[p]): str(acts[a])
        for p, a in zip(pair_process[best].tolist(), pair_activity[best].tolist(), strict=True)
    }


def closed_cases(
    process: StrArray,
    last_activity: StrArray,
    final: Mapping[str, str | Collection[str]],
) -> tuple[BoolArray, BoolArray]:
    """Return per case whether it is closed and whether its process is in ``final``.

    A case is closed when its last activity is (one of) its process's final activities;
    a case of a process missing from ``final`` is not closed (and flagged in the second array).
    Loops over the processes only.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._cases import closed_cases
    >>> closed, known = closed_cases(np.array(["p", "p", "r"]), np.array(["z", "b", "z"]),
    ...                              {"p": "z"})
    >>> closed.tolist(), known.tolist()
    ([True, False, False], [True, True, False])
    """
    closed = np.zeros(process.size, dtype=bool)
    known = np.zeros(process.size, dtype=bool)
    for name, activities in final.items():
        in_process = process == name
        known |= in_process
        wanted = [activities] if isinstance(activities, str) else list(activities)
        closed[in_process] = np.isin(last_activity[in_process], wanted)
    return closed, known
