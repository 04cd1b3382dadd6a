"""Figures as inline SVG: deterministic bytes, and ids that never clash between figures."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["prefix_ids", "svg_of"]

_ID = re.compile(r'\bid="([^"]+)"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_REFERENCE = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def prefix_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` of ``svg`` and every reference to it (``href="#…"``, ``url(#…)``).

    Examples
    --------
    >>> prefix_ids('<path id="a"/><use xlink:href="#a"/><g clip-path="url(#a)"/>', "f1-")
    '<path id="f1-a"/><use xlink:href="#f1-a"/><g clip-path="url(#f1-a)"/>'
    """
    ids = set(_ID.findall(svg))

    def rename(match: re.Match[str]) -> str:
        head, name = match.group(1), match.group(2)
        return f"{head}{prefix}{name}" if name in ids else match.group(0)

    return _REFERENCE.sub(rename, svg)


def svg_of(ax: Axes, prefix: str) -> str:
    """Return the figure of ``ax`` as an inline ``<svg>`` element, the same bytes every run.

    The hash salt of matplotlib's ids is pinned (to ``prefix``) in a local ``rc_context``,
    the metadata block (date, creator, namespace addresses) is left out, text stays text (``svg.fonttype`` "none", which
    keeps the page small), and every id is prefixed with ``prefix``.
    """
    import matplotlib

    settings: dict[str, Any] = {
        "svg.hashsalt": prefix,
        "svg.fonttype": "none",
        "svg.image_inline": True,
    }
    buffer = io.StringIO()
    figure = ax.get_figure(root=True)
    assert figure is not None
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.index("<svg")
    body = _METADATA.sub("", text[start:])
    return prefix_ids(body, prefix).strip()
