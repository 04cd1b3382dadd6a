"""``build``: the whole report for a company, as HTML or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from custcentric._progress import progress_reporter
from custcentric._version import __version__
from custcentric.exceptions import InvalidInputError, MissingDependencyError
from custcentric.report._html import render_html
from custcentric.report._sections import SECTION_IDS, sections
from custcentric.report._svg import svg_of

__all__ = ["FORMATS", "ReportProgress", "build"]

FORMATS = ("html", "json")
"""The formats :func:`build` writes."""


@attrs.frozen(kw_only=True)
class ReportProgress:
    """One step of :func:`build`, given to a ``progress`` callable.

    Attributes
    ----------
    step : int
        The step just started, 1 first.
    total : int
        The number of steps.
    name : str
        What the step computes (a section id, or ``"figures"`` and ``"page"``).

    Examples
    --------
    >>> from custcentric.report import ReportProgress
    >>> str(ReportProgress(step=2, total=10, name="value"))
    'custcentric report: step 2 of 10 (value)'
    """

    step: int
    total: int
    name: str

    def __str__(self) -> str:
        return f"custcentric report: step {self.step} of {self.total} ({self.name})"


def _reporter(progress: bool | Callable[[ReportProgress], object] | None) -> Callable[[str], None]:
    """Turn ``progress`` into a function of the step name (a callable gets ReportProgress)."""
    total = len(SECTION_IDS) + 2
    if progress is None or isinstance(progress, bool):
        reporter = progress_reporter(progress, "report", total=total)

        def advance(name: str) -> None:
            reporter.advance(name)
            if reporter.step == total:
                reporter.close()

        return advance
    given: object = progress
    if not callable(given):
        msg = f"`progress` must be None, a bool or a callable (got {type(given).__name__})."
        raise InvalidInputError(msg)
    count = [0]

    def say(name: str) -> None:
        count[0] += 1
        progress(ReportProgress(step=count[0], total=total, name=name))

    return say


def build(
    company: Any = None,
    *,
    format: str = "html",
    progress: bool | Callable[[ReportProgress], object] | None = None,
) -> str:
    """Return the report on a company: one self-contained HTML page, or its numbers as JSON.

    The sections follow the story of ``custcentric demo``: customers and identities, value,
    tiers and segments, satisfaction and retention, processes and SLAs, staffing, maturity
    and IDIC; each has KPI cards, figures (inline SVG) and its key tables. The page fetches
    nothing (a Content-Security-Policy forbids it), prints cleanly ("Save as PDF" gives one
    section a page), and is the same string for the same company and library versions.

    Parameters
    ----------
    company : SampleCompany, optional
        The company (its customers, profiles, transactions, events, processes, SLAs,
        interactions, surveys and maturity ratings); the bundled sample company by default.
    format : {"html", "json"}, default "html"
        ``"html"``: the page (needs matplotlib, the ``plot`` extra). ``"json"``: the same
        numbers for machines (KPI values, table rows, figure ids and captions), no figure
        drawn; NaN and infinities are ``null``.
    progress : bool or callable, optional
        None or False: silent. True: a tqdm bar on standard error (the ``progress`` extra),
        or one line per step there and on the ``custcentric`` logger without tqdm. A
        callable receives a :class:`ReportProgress` per step.

    Returns
    -------
    str

    Raises
    ------
    InvalidInputError
        For an unknown ``format`` or ``progress``.
    MissingDependencyError
        For ``format="html"`` without matplotlib.

    Examples
    --------
    >>> import json
    >>> from custcentric.report import build
    >>> data = json.loads(build(format="json"))
    >>> [s["id"] for s in data["sections"]][:3]
    ['customers', 'value', 'segments']
    >>> page = build()
    >>> page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    True
    """
    if format not in FORMATS:
        msg = f"`format` must be one of {', '.join(map(repr, FORMATS))} (got {format!r})."
        raise InvalidInputError(msg)
    say = _reporter(progress)
    if format == "html":
        try:
            import matplotlib  # noqa: F401  (drawing needs it: fail before computing)
        except ImportError:
            msg = 'matplotlib is needed to draw; install it with `pip install "custcentric[plot]"`.'
            raise MissingDependencyError(msg) from None
    name = "The bundled sample company" if company is None else "The company"
    if company is None:
        from custcentric.datasets import load_sample_company

        company = load_sample_company()
    parts = sections(company, say)
    title = "custcentric report"
    subtitle = (
        f"{name}: customers, value, segments, satisfaction, processes, "
        f"service levels, staffing, maturity and IDIC. Money in {company.currency}."
    )
    footer = (
        f"Made by custcentric {__version__} (custcentric.report.build). Every number can be "
        "reproduced with the functions named under each section."
    )
    if format == "json":
        payload = {
            "title": title,
            "subtitle": subtitle,
            "custcentric_version": __version__,
            "currency": company.currency,
            "sections": [s.to_dict() for s in parts],
        }
        say("figures")
        say("page")
        return (
            json.dumps(payload, indent=2, sort_keys=False, allow_nan=False, ensure_ascii=False)
            + "\n"
        )
    say("figures")
    svgs = {}
    for k, section in enumerate(parts):
        for j, figure in enumerate(section.figures):
            svgs[figure.id] = svg_of(figure.draw(), f"f{k}-{j}-")
    say("page")
    return render_html(parts, svgs, title=title, subtitle=subtitle, footer=footer)
