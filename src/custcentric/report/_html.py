"""The report as one self-contained HTML page: no script, no external reference, print styles."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from custcentric.report._model import Section, Table

__all__ = ["CSP", "render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""The page's Content-Security-Policy: nothing may be fetched; inline styles and data images only."""

_STYLE = """
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --card: #f6f8fa; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.8em; margin: 0 0 4px; }
h2 { font-size: 1.35em; margin: 36px 0 8px; padding-top: 8px; border-top: 3px solid var(--accent); }
h3 { font-size: 1.0em; margin: 18px 0 6px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
nav ol { columns: 2; padding-left: 22px; margin: 12px 0 0; }
a { color: var(--accent); }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px;
        margin: 12px 0 18px; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.kpi .label { font-size: 0.8em; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.kpi .value { font-size: 1.5em; font-weight: 600; }
.kpi .note { font-size: 0.8em; color: var(--muted); }
.figures { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
@media (max-width: 800px) { .figures { grid-template-columns: minmax(0, 1fr); } }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 0.9em; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.computed { font-size: 0.8em; color: var(--muted); }
code { font-size: 0.95em; }
footer { color: var(--muted); font-size: 0.85em; padding-top: 24px; padding-bottom: 32px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10.5pt; }
  nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  figure, table, .kpi { break-inside: avoid; }
  .figures { display: block; }
  figure { margin-bottom: 10px; border: none; }
  figure svg { max-height: 120mm; }
  a { color: inherit; text-decoration: none; }
}
"""


_NUM = ' class="num"'


def _is_number(text: str) -> bool:
    stripped = text.replace(",", "").replace("%", "").replace(" ", "").lstrip("-+")
    return bool(stripped) and stripped.replace(".", "", 1).isdigit()


def _table(table: Table) -> str:
    numeric = [
        all(_is_number(row[k]) or row[k] == "-" for row in table.text) and bool(table.text)
        for k in range(len(table.columns))
    ]
    align = [_NUM if n else "" for n in numeric]
    head = "".join(
        f'<th scope="col"{align[k]}>{escape(c)}</th>' for k, c in enumerate(table.columns)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{align[k]}>{escape(cell)}</td>" for k, cell in enumerate(row))
        + "</tr>"
        for row in table.text
    )
    return (
        f'<table id="table-{escape(table.id)}"><caption>{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _section(section: Section, svgs: dict[str, str]) -> str:
    kpis = "".join(
        '<div class="kpi">'
        f'<div class="label">{escape(k.label)}</div>'
        f'<div class="value">{escape(k.text)}</div>'
        + (f'<div class="note">{escape(k.note)}</div>' if k.note else "")
        + "</div>"
        for k in section.kpis
    )
    figures = "".join(
        f'<figure id="figure-{escape(f.id)}">{svgs[f.id]}'
        f"<figcaption>{escape(f.caption)}</figcaption></figure>"
        for f in section.figures
    )
    tables = "".join(_table(t) for t in section.tables)
    computed = ", ".join(f"<code>{escape(name)}</code>" for name in section.computed_with)
    parts = [
        f'<section id="{escape(section.id)}">',
        f"<h2>{escape(section.title)}</h2>",
        f'<p class="lead">{escape(section.intro)}</p>',
        f'<div class="kpis">{kpis}</div>' if kpis else "",
        f'<div class="figures">{figures}</div>' if figures else "",
        tables,
        f'<p class="computed">Computed with {computed}.</p>' if computed else "",
        "</section>",
    ]
    return "\n".join(p for p in parts if p)


def render_html(
    sections: Sequence[Section], svgs: dict[str, str], *, title: str, subtitle: str, footer: str
) -> str:
    """Return the whole page; ``svgs`` maps each figure id to its inline ``<svg>``."""
    nav = "".join(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in sections)
    body = "\n".join(_section(s, svgs) for s in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<header><h1>{escape(title)}</h1><p class="lead">{escape(subtitle)}</p>'
        f'<nav aria-label="Sections"><ol>{nav}</ol></nav></header>\n'
        f"<main>\n{body}\n</main>\n"
        f"<footer>{escape(footer)}</footer>\n</body>\n</html>\n"
    )
