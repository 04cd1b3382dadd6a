"""The extra is optional: import custcentric.dask without dask, a clear error when used."""

from __future__ import annotations

import subprocess
import sys

import pytest

from custcentric.exceptions import MissingDependencyError


def test_importing_the_subpackage_does_not_import_dask() -> None:
    code = (
        "import sys, custcentric, custcentric.dask; "
        "assert not any(m == 'dask' or m.startswith('dask.') for m in sys.modules), 'dask'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import custcentric.dask as cd

    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(MissingDependencyError, match=r"custcentric\[dask\]"):
        cd.summarise(object(), "2024-01-01")


@pytest.mark.slow
def test_a_distributed_local_cluster_gives_the_same_summary() -> None:
    distributed = pytest.importorskip("distributed")
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    import numpy as np

    from custcentric.dask import compress_histories, summarise
    from custcentric.datasets import load_cdnow

    log = load_cdnow()
    frame = pd.DataFrame(
        {"customer_id": log.customer_id, "timestamp": log.timestamp, "amount": log.amount}
    ).sample(frac=1.0, random_state=1)
    want = log.summary("1997-09-30", time_unit="W")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        s = summarise(dd.from_pandas(frame, npartitions=9, sort=False), "1997-09-30", time_unit="W")
        got = s.compute()
        h = compress_histories(s)
    assert np.array_equal(got.monetary, want.monetary)
    assert np.array_equal(got.customer_id, want.customer_id)
    assert h.n_customers == len(want)
