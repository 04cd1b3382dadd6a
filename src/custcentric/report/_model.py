"""The report's content: sections of KPI cards, figures and tables, before any formatting."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Figure", "Kpi", "Section", "Table"]

Cell = str | bool | int | float | None


@attrs.frozen(kw_only=True)
class Kpi:
    """One headline number: ``value`` for machines, ``text`` for people."""

    label: str
    value: Cell
    text: str
    note: str = ""


@attrs.frozen(kw_only=True)
class Table:
    """A small table: raw cells (``rows``) and their formatted text (``text``)."""

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    text: tuple[tuple[str, ...], ...]


@attrs.frozen(kw_only=True, eq=False)
class Figure:
    """A figure to draw: ``draw`` makes the Axes (on a new figure) when the HTML is built."""

    id: str
    caption: str
    draw: Callable[[], Axes]


@attrs.frozen(kw_only=True, eq=False)
class Section:
    """One section of the report, in the order of the story."""

    id: str
    title: str
    intro: str
    computed_with: tuple[str, ...]
    kpis: tuple[Kpi, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the numbers of the section as plain JSON-ready data (no figure drawn)."""
        return {
            "id": self.id,
            "title": self.title,
            "intro": self.intro,
            "computed_with": list(self.computed_with),
            "kpis": [{"label": k.label, "value": k.value, "note": k.note} for k in self.kpis],
            "figures": [{"id": f.id, "caption": f.caption} for f in self.figures],
            "tables": [
                {
                    "id": t.id,
                    "caption": t.caption,
                    "columns": list(t.columns),
                    "rows": [list(r) for r in t.rows],
                }
                for t in self.tables
            ],
        }
