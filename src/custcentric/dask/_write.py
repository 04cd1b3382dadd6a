"""Write a Dask result to parquet all-or-nothing: a temporary directory, then one rename."""

from __future__ import annotations

import os
import pathlib
import shutil
import uuid
from typing import Any

from custcentric.dask._deps import check_frame, dask_quietly
from custcentric.exceptions import InvalidInputError

__all__ = ["write_parquet"]


def write_parquet(
    result: Any,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    **to_parquet_kwargs: Any,
) -> pathlib.Path:
    """Compute ``result`` into a parquet dataset at ``path``, or leave nothing there.

    The dataset is written into a fresh hidden directory beside ``path`` and renamed into
    place only when every partition has been written, so a failed job (bad input found in
    partition 40 of 50, a full disk) leaves no partial output; the temporary directory is
    removed.

    Parameters
    ----------
    result : dask.dataframe.DataFrame, SummaryFrame or CycleTimeFrame
        What to write (a result's ``.frame``).
    path : path-like
        The dataset directory to create.
    overwrite : bool, default False
        Replace an existing ``path`` (only after the new dataset is complete).
    **to_parquet_kwargs
        Passed to ``DataFrame.to_parquet`` (e.g. ``compute_kwargs={"scheduler": "sync"}``);
        ``write_index`` is False unless given.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InvalidInputError
        If ``path`` exists and ``overwrite`` is False (checked before any work), or is
        empty; errors of the computation pass through after the cleanup.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd, dask.dataframe as dd
    >>> from custcentric.dask import write_parquet
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "scores"
    >>> frame = dd.from_pandas(pd.DataFrame({"customer_id": [1, 2], "clv": [3.0, 4.0]}),
    ...                        npartitions=2)
    >>> write_parquet(frame, target) == target, len(pd.read_parquet(target))
    (True, 2)
    """
    from custcentric.dask._events import CycleTimeFrame
    from custcentric.dask._summary import SummaryFrame

    frame = result.frame if isinstance(result, SummaryFrame | CycleTimeFrame) else result
    check_frame(frame, "result")
    if not str(path):
        msg = "`path` must not be empty."
        raise InvalidInputError(msg)
    target = pathlib.Path(path)
    if target.exists() and not overwrite:
        msg = f"`path` ({target}) exists; pass overwrite=True to replace it."
        raise InvalidInputError(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex}"
    to_parquet_kwargs.setdefault("write_index", False)  # row labels of partitions mean nothing
    try:
        with dask_quietly():
            frame.to_parquet(temporary, **to_parquet_kwargs)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if target.exists():
        old = target.parent / f".{target.name}.old-{uuid.uuid4().hex}"
        os.replace(target, old)
        os.replace(temporary, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(temporary, target)
    return target
