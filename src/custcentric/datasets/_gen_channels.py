"""Key the sample company's records by channel profile, the way its channels' systems hold them.

Each purchase, contact and survey answer of a person is recorded against one of that person's
channel profile records: a contact or answer on a channel where the person has a profile goes
to that profile; anything else goes to one of the person's profiles at random, the first (the
profile of their preferred channel, the clean one) twice as likely as each other.
"""

from __future__ import annotations

import numpy as np

from custcentric.typing import IntArray, StrArray

__all__ = ["channel_keys", "profile_consent"]


def channel_keys(
    rng: np.random.Generator,
    profiles: dict[str, StrArray],
    owner: IntArray,
    rank: IntArray,
    who: IntArray,
    channel: StrArray | None,
) -> StrArray:
    """Return, per record of person ``who[i]`` on ``channel[i]``, the profile id it is kept under.

    ``owner`` and ``rank`` give each profile record's person and its rank among the person's
    records (0 = the first, clean one), in the row order of ``profiles``. One uniform number
    is drawn per record whether or not its channel decides, so the stream advances by
    ``who.size`` draws.
    """
    n_people = int(max(int(owner.max()), int(who.max()) if who.size else 0)) + 1
    order = np.lexsort((rank, owner))
    count = np.bincount(owner, minlength=n_people)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    u = rng.random(who.size)
    k = count[who]
    first = 2.0 / (k + 1.0)
    other = np.floor((u - first) / (1.0 - first + (k == 1)) * (k - 1)).astype(np.int64)
    offset = np.where(u < first, 0, 1 + np.clip(other, 0, np.maximum(k - 2, 0)))
    offset = np.minimum(offset, k - 1)
    pick = order[start[who] + offset]
    if channel is not None:
        names, code = np.unique(np.concatenate([profiles["channel"], channel]), return_inverse=True)
        width = np.int64(names.size)
        record_key = owner.astype(np.int64) * width + code[: owner.size]
        event_key = who.astype(np.int64) * width + code[owner.size :]
        sorter = np.argsort(record_key)
        at = np.clip(np.searchsorted(record_key, event_key, sorter=sorter), 0, owner.size - 1)
        same = record_key[sorter[at]] == event_key
        pick = np.where(same, sorter[at], pick)
    keys: StrArray = profiles["channel_customer_id"][pick]
    return keys


def profile_consent(rank: IntArray, opt_in: np.ndarray) -> StrArray:
    """Return each profile record's recorded marketing opt-in: ``"true"``/``"false"`` or ``""``.

    Consent is recorded where the person signed up (their first profile record, ``rank`` 0);
    the channels that captured them again did not ask, so their records hold no answer.
    """
    flags: StrArray = np.where(rank == 0, np.where(opt_in, "true", "false"), "")
    return flags
