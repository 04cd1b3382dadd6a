"""Golden records: one merged record per person, chosen field by field (survivorship)."""

from __future__ import annotations

import numpy as np

from custcentric.idic._fields import FieldColumns
from custcentric.tables import CustomerTable
from custcentric.typing import BoolArray, IntArray, StrArray

__all__ = ["golden_records", "person_ids"]


def person_ids(numbers: IntArray, width: int = 6) -> StrArray:
    """Return ``P000001``-style ids for 0-based person numbers (at least ``width`` digits)."""
    top = int(numbers.max()) + 1 if numbers.size else 0
    digits = max(width, len(str(top)))
    result: StrArray = np.char.add("P", np.char.zfill((numbers + 1).astype(np.str_), digits))
    return result


def _first_per_cluster(
    values_present: BoolArray, order: IntArray, cluster: IntArray, n_people: int
) -> IntArray:
    """Index of the first record in ``order`` with a value, per cluster; -1 if none."""
    rows = order[values_present[order]]
    people, first = np.unique(cluster[rows], return_index=True)
    pick = np.full(n_people, -1, dtype=np.int64)
    pick[people] = rows[first]
    return pick


def golden_records(
    records: CustomerTable,
    columns: FieldColumns,
    cluster: IntArray,
    priority: IntArray,
    ids: StrArray | None = None,
    usual: IntArray | None = None,
) -> CustomerTable:
    """Merge each cluster's records into one row (see :func:`resolve_identities`, Notes 6).

    Row ``k`` is cluster ``k``, with id ``ids[k]`` (``P000001`` ... in cluster order if None).
    ``usual`` is, per record, how common its first and last names are in the whole table
    (computed from ``columns`` if None: pass it when ``records`` is a part of the table).
    """
    n_people = int(cluster.max()) + 1 if cluster.size else 0
    order = np.lexsort((priority, cluster))  # by person, then preferred record first
    top = _first_per_cluster(np.ones(cluster.size, dtype=bool), order, cluster, n_people)

    names = columns["name"]
    name_pick = _first_per_cluster(
        names != "", _name_order(columns, cluster, priority, usual), cluster, n_people
    )
    name = _take(np.strings.title(names), name_pick)
    email = _take(
        columns["email"], _first_per_cluster(columns["email"] != "", order, cluster, n_people)
    )
    phone = _take(
        columns["phone"], _first_per_cluster(columns["phone"] != "", order, cluster, n_people)
    )
    birth_pick = _first_per_cluster(~np.isnat(records.birth_date), order, cluster, n_people)
    birth = np.where(
        birth_pick >= 0, records.birth_date[np.maximum(birth_pick, 0)], np.datetime64("NaT", "D")
    )
    if ids is None:
        ids = person_ids(np.arange(n_people))
    return CustomerTable.from_arrays(
        ids,
        name=name,
        email=email,
        phone=phone,
        birth_date=birth,
        lifecycle_stage=records.lifecycle_stage[top],
        attributes={
            "n_records": np.bincount(cluster, minlength=n_people).astype(np.int64),
            "source_id": records.customer_id[top],
        },
    )


def _name_order(
    columns: FieldColumns, cluster: IntArray, priority: IntArray, usual: IntArray | None
) -> IntArray:
    """Order records by person, then by how trustworthy their name looks.

    Within a person: the name most of their records agree on; then a full first name over an
    initial; then the spelling most common in the whole table (a typo is rare, the usual
    spelling is not: the sum of the first and last words' frequencies); then ``priority``.
    """
    _, name_code = np.unique(columns["name"], return_inverse=True)
    joint = cluster * np.int64(name_code.max() + 1) + name_code
    _, joint_code, joint_count = np.unique(joint, return_inverse=True, return_counts=True)
    agreeing = joint_count[joint_code]
    first, last = columns["first_name"], columns["last_name"]
    initial = np.strings.str_len(first) <= 1
    if usual is None:
        usual = _frequency(first) + _frequency(last)
    return np.lexsort((priority, -usual, initial, -agreeing, cluster))


def _frequency(values: StrArray) -> IntArray:
    _, code, count = np.unique(values, return_inverse=True, return_counts=True)
    result: IntArray = count[code].astype(np.int64)
    return result


def _take(values: StrArray, pick: IntArray) -> StrArray:
    result: StrArray = np.where(pick >= 0, values[np.maximum(pick, 0)], "")
    return result
