"""Fixtures of the Dask tests: small logs whose customers spread over the rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="session")
def cdnow_frame() -> Any:
    """The CDNOW transactions in a shuffled row order (customers spread over the frame)."""
    from custcentric.datasets import load_cdnow

    log = load_cdnow()
    frame = pd.DataFrame(
        {"customer_id": log.customer_id, "timestamp": log.timestamp, "amount": log.amount}
    )
    return frame.sample(frac=1.0, random_state=7).reset_index(drop=True)


@pytest.fixture(scope="session", params=["int", "str"])
def transactions(request: pytest.FixtureRequest, cdnow_frame: Any) -> Any:
    """CDNOW transactions with integer or text ids, timestamps with times of day."""
    rng = np.random.default_rng(3)
    frame = cdnow_frame.copy()
    seconds = rng.integers(0, 86400, len(frame))
    frame["timestamp"] = frame["timestamp"] + pd.to_timedelta(seconds, unit="s")
    # a few same-day repeats, so amounts are summed within a day
    extra = frame.iloc[rng.choice(len(frame), 300, replace=False)].copy()
    extra["amount"] = np.round(rng.gamma(2.0, 10.0, len(extra)), 2)
    frame = pd.concat([frame, extra]).sample(frac=1.0, random_state=11).reset_index(drop=True)
    if request.param == "str":
        frame["customer_id"] = "c" + frame["customer_id"].astype(str)
    return frame
