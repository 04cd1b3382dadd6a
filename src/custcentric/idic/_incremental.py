"""Helpers of incremental linkage: pairs that involve new records, and stable assignment."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from custcentric.typing import FloatArray, IntArray

__all__ = ["assign_new_records", "cross_pairs"]


def cross_pairs(
    codes: IntArray, n_old: int, *, max_block_size: int | None = None
) -> tuple[IntArray, IntArray, int, int]:
    """Pairs ``(i, j)``, ``i < j``, with equal non-negative codes and ``j`` a new record.

    Records ``0 .. n_old - 1`` are the existing ones; old-old pairs are never built, so the
    work grows with the new records' blocks, not with the whole table.

    Examples
    --------
    >>> import numpy as np
    >>> left, right, _, _ = cross_pairs(np.array([4, 7, 4, -1, 4, 7]), 3)
    >>> list(zip(left.tolist(), right.tolist()))
    [(0, 4), (2, 4), (1, 5)]
    """
    new_codes = np.unique(codes[n_old:][codes[n_old:] >= 0])
    empty = np.zeros(0, dtype=np.int64)
    if new_codes.size == 0:
        return empty, empty.copy(), 0, 0
    members = np.flatnonzero(np.isin(codes, new_codes))
    order = members[np.argsort(codes[members], kind="stable")]
    ranked = codes[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    sizes = np.diff(np.r_[starts, ranked.size])
    n_skipped = n_skipped_pairs = 0
    if max_block_size is not None:
        big = sizes > max_block_size
        n_skipped = int(big.sum())
        new_in_big = np.add.reduceat((order >= n_old).astype(np.int64), starts)[big]
        n_skipped_pairs = int((new_in_big * (sizes[big] - 1)).sum())
        keep = np.repeat(~big, sizes)
        order, ranked = order[keep], ranked[keep]
        sizes = sizes[~big]
        starts = np.cumsum(sizes) - sizes
    block_start = np.repeat(starts, sizes)
    block_size = np.repeat(sizes, sizes)
    new_pos = np.flatnonzero(order >= n_old)
    count = block_size[new_pos] - 1
    total = int(count.sum())
    if total == 0:
        return empty, empty.copy(), n_skipped, n_skipped_pairs
    p = np.repeat(new_pos, count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    q = np.repeat(block_start[new_pos], count) + offset
    q = q + (q >= p)  # skip the record itself
    a, b = order[p], order[q]
    keep_pair = (b < n_old) | (b > a)
    a, b = a[keep_pair], b[keep_pair]
    return np.minimum(a, b), np.maximum(a, b), n_skipped, n_skipped_pairs


def assign_new_records(
    old_cluster: IntArray,
    n_existing: int,
    n_new: int,
    left: IntArray,
    right: IntArray,
    probability: FloatArray,
) -> tuple[IntArray, IntArray, list[IntArray]]:
    """Place new records among existing people, without merging or renumbering any of them.

    Parameters
    ----------
    old_cluster : ndarray of int
        Person number of each existing record.
    n_existing, n_new : int
        Existing people, new records (numbered ``len(old_cluster) + 0 ...``).
    left, right, probability : ndarray
        The *linked* pairs involving a new record (``right`` is always new), with their
        match probabilities.

    Returns
    -------
    person : ndarray of int
        Per new record, its existing person, or ``-1`` if it starts a new one.
    group : ndarray of int
        Per new record, a label shared by the new records of one new person (``-1`` for
        records that joined an existing person).
    conflicts : list of ndarray of int
        Groups of two or more existing people that the new links connect (each sorted).
    """
    n_old = old_cluster.size
    node_left = np.where(left < n_old, old_cluster[np.minimum(left, n_old - 1)], 0)
    node_left = np.where(left < n_old, node_left, n_existing + left - n_old)
    node_right = n_existing + right - n_old
    size = n_existing + n_new
    graph = coo_matrix(
        (np.ones(left.size, dtype=np.int8), (node_left, node_right)), shape=(size, size)
    )
    _, labels = connected_components(graph, directed=False)
    n_comp = int(labels.max()) + 1
    existing_per = np.bincount(labels[:n_existing], minlength=n_comp)
    only = np.full(n_comp, -1, dtype=np.int64)
    only[labels[:n_existing]] = np.arange(n_existing)
    new_label = labels[n_existing:]
    person = np.where(existing_per[new_label] == 1, only[new_label], -1)
    conflicts: list[IntArray] = []
    clash = np.flatnonzero(existing_per >= 2)
    if clash.size:
        # Direct links to existing records, strongest first; else the component's strongest.
        direct = left < n_old
        d_new = right[direct] - n_old
        d_person = old_cluster[left[direct]]
        d_prob = probability[direct]
        order = np.lexsort((d_person, -d_prob, d_new))
        first = np.r_[True, d_new[order][1:] != d_new[order][:-1]]
        best_of_record = np.full(n_new, -1, dtype=np.int64)
        best_of_record[d_new[order][first]] = d_person[order][first]
        comp = new_label[d_new]
        order = np.lexsort((d_person, -d_prob, comp))
        first = np.r_[True, comp[order][1:] != comp[order][:-1]]
        best_of_comp = np.full(n_comp, -1, dtype=np.int64)
        best_of_comp[comp[order][first]] = d_person[order][first]
        in_clash = existing_per[new_label] >= 2
        choice = np.where(best_of_record >= 0, best_of_record, best_of_comp[new_label])
        person = np.where(in_clash, choice, person)
        people = np.arange(n_existing)
        clashing = np.isin(labels[:n_existing], clash)
        by_comp = np.lexsort((people[clashing], labels[:n_existing][clashing]))
        members = people[clashing][by_comp]
        comp_of = labels[:n_existing][clashing][by_comp]
        cuts = np.flatnonzero(np.r_[True, comp_of[1:] != comp_of[:-1]])
        conflicts = [np.sort(g) for g in np.split(members, cuts[1:])]
    group = np.where(person < 0, new_label, -1)
    return person.astype(np.int64), group.astype(np.int64), conflicts
