"""A self-contained report on a company: one HTML page with figures, or its numbers as JSON.

:func:`build` returns the page as a string; ``custcentric report`` writes it (see
:func:`main`). The page follows the story of ``custcentric demo`` — customers and
identities, value, tiers and segments, satisfaction and retention, processes and SLAs,
staffing, maturity and IDIC — with KPI cards, figures of :mod:`custcentric.plot` as inline
SVG, and the key tables. It fetches nothing, prints cleanly, and is byte-identical for the
same input.

Examples
--------
>>> from custcentric.report import build
>>> page = build()
>>> len(page.encode()) < 1_000_000
True
"""

from __future__ import annotations

from custcentric.report._build import FORMATS, ReportProgress, build
from custcentric.report._cli import add_arguments, main, run
from custcentric.report._data import FILES, load_company
from custcentric.report._html import CSP
from custcentric.report._sections import SECTION_IDS

__all__ = [
    "CSP",
    "FILES",
    "FORMATS",
    "SECTION_IDS",
    "ReportProgress",
    "add_arguments",
    "build",
    "load_company",
    "main",
    "run",
]
