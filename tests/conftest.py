"""Test-wide settings: hypothesis runs reproducibly and without wall-clock deadlines.

The ``ci`` profile (the default) derandomises hypothesis, so that a run on a busy shared
machine neither times out on a deadline nor meets a new example by chance: the suite gives
the same answer every time. ``HYPOTHESIS_PROFILE=explore`` draws fresh examples, with more of
them, to hunt for new edge cases.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
