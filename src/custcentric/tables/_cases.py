"""When is a case closed: the one rule shared by ``process.cycle_times`` and ``sla.evaluate_slas``.

A case is *closed* when its latest event is its process's final activity (the last step of
the :class:`~custcentric.domain.CustomerProcess`). Without a process catalogue the final
activity of each process is inferred from the log: the most common last activity of the
process's cases, ties broken by the alphabetically first activity.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from custcentric.tables._grouping import encode
from custcentric.typing import BoolArray, IntArray, StrArray

__all__ = ["closed_cases", "closing_table", "infer_final_activities", "infer_final_codes"]


def infer_final_codes(process: IntArray, last_activity: IntArray, n_activities: int) -> IntArray:
    """Per process code, the code of its inferred final activity (-1 for a process with no case).

    The integer form of :func:`infer_final_activities`: ``process`` and ``last_activity`` are
    per-case codes into sorted distinct names, so the smallest activity code is the
    alphabetically first activity. One ``np.unique`` of a packed int64 key, one
    ``np.lexsort``; no loop over cases.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._cases import infer_final_codes
    >>> infer_final_codes(np.array([0, 0, 0, 2]), np.array([2, 1, 2, 0]), 3).tolist()
    [2, -1, 0]
    """
    n_processes = int(process.max()) + 1 if process.size else 0
    best_activity = np.full(n_processes, -1, dtype=np.int64)
    if not process.size:
        return best_activity
    width = max(int(n_activities), 1)
    key = process.astype(np.int64) * width + last_activity.astype(np.int64)
    pairs, counts = np.unique(key, return_counts=True)
    pair_process, pair_activity = pairs // width, pairs % width
    # Within a process: the largest count first, then the alphabetically first activity.
    order = np.lexsort((pair_activity, -counts, pair_process))
    ranked = pair_process[order]
    head = np.ones(order.size, dtype=bool)
    head[1:] = ranked[1:] != ranked[:-1]
    best = order[head]
    best_activity[pair_process[best]] = pair_activity[best]
    return best_activity


def closing_table(
    processes: StrArray, activities: StrArray, final: Mapping[str, str | Collection[str]]
) -> tuple[BoolArray, BoolArray]:
    """Return which (process, activity) pairs close a case, and which processes ``final`` lists.

    ``processes`` and ``activities`` are the sorted distinct names that per-case codes index;
    ``table[p, a]`` is True when activity ``a`` is a final activity of process ``p``. Loops
    over the processes named in ``final`` only.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables._cases import closing_table
    >>> table, known = closing_table(np.array(["p", "r"]), np.array(["b", "z"]), {"p": "z"})
    >>> table.tolist(), known.tolist()
    ([[False, True], [False, False]], [True, False])
    """
    table = np.zeros((processes.size, activities.size), dtype=bool)
    known = np.zeros(processes.size, dtype=bool)
    if not processes.size:
        return table, known
    where = np.searchsorted(processes, np.array(list(final), dtype=processes.dtype))
    for position, (name, wanted) in zip(where.tolist(), final.items(), strict=True):
        if position >= processes.size or processes[position] != name:
            continue
        known[position] = True
        table[position] = np.isin(activities, [wanted] if isinstance(wanted, str) else list(wanted))
    return table, known


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
    names, p_code = encode(np.asarray(process))
    acts, a_code = encode(np.asarray(last_activity))
    best = infer_final_codes(p_code, a_code, acts.size)
    return {str(names[p]): str(acts[a]) for p, a in enumerate(best.tolist()) if a >= 0}


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
