"""Plain-text layout for the command line's reports: headings, paragraphs and tables.

Everything here fits a given line width: paragraphs and headings are wrapped, and a table that
is too wide wraps its text cells (and headers) inside their columns, or, when even that cannot
fit, lists each row as a block of ``header: value`` lines.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Sequence

__all__ = [
    "computed_with",
    "heading",
    "money",
    "number",
    "paragraph",
    "percent",
    "rewrap_hanging",
    "text_table",
]

_GAP = 2  # spaces between two table columns
_GLUE = "\x00"  # stands for a space that must not break a line while text is wrapped
# "45 %", "EUR 1,234.56" and "1 = full" stay on one line.
_UNBREAKABLE = re.compile(r"(?<=\d) (?=%)|(?<=\b[A-Z]{3}) (?=[-\d])|(?<=\d) (?==)|(?<=\d =) ")


def _split_dotted(word: str, width: int) -> str:
    """Put a space after the dots where a dotted name longer than ``width`` may break.

    The pieces are as long as fit, so two of them never share a line and the spaces never
    show: each ends a line.
    """
    if len(word) <= width or "." not in word:
        return word
    pieces = [""]
    for part in re.split(r"(?<=\.)(?=\w)", word):
        if pieces[-1] and len(pieces[-1]) + len(part) > width:
            pieces.append("")
        pieces[-1] += part
    return " ".join(pieces)


def _wrap(text: str, width: int, **options: object) -> list[str]:
    """``textwrap.wrap`` that keeps a number with its unit and never splits at a hyphen.

    A dotted name too long for a line (``custcentric.value.customer_lifetime_value`` in 40
    columns) breaks after a dot.

    Examples
    --------
    >>> _wrap("Computed with custcentric.value.customer_lifetime_value.", 24)
    ['Computed with', 'custcentric.value.', 'customer_lifetime_value.']
    >>> _wrap("NPS 5.9 (1 = the best)", 12)
    ['NPS 5.9', '(1 = the', 'best)']
    """
    glued = _UNBREAKABLE.sub(_GLUE, " ".join(_split_dotted(w, width) for w in text.split(" ")))
    lines = textwrap.wrap(glued, width=width, break_on_hyphens=False, **options)  # type: ignore[arg-type]
    return [line.replace(_GLUE, " ") for line in lines]


def heading(title: str, width: int) -> str:
    """Return a section heading, wrapped to ``width`` and underlined to its longest line.

    Examples
    --------
    >>> print(heading("Customers", 88))
    Customers
    ---------
    >>> print(heading("Contact-centre agents needed", 20))
    Contact-centre
    agents needed
    --------------
    """
    lines = _wrap(title, width) or [""]
    return "\n".join([*lines, "-" * max(len(line) for line in lines)])


def paragraph(text: str, width: int, *, indent: int = 0) -> str:
    """Return ``text`` wrapped to ``width`` columns (every line indented by ``indent``).

    Examples
    --------
    >>> print(paragraph("one two three four", 9))
    one two
    three
    four
    """
    pad = " " * indent
    return "\n".join(_wrap(text, width, initial_indent=pad, subsequent_indent=pad))


def computed_with(names: Sequence[str], width: int, *, verb: str = "Computed with") -> str:
    """Return the line that names the library functions behind a section, wrapped.

    Examples
    --------
    >>> print(computed_with(["custcentric.segmentation.value_tiers"], 88))
    Computed with custcentric.segmentation.value_tiers.
    >>> print(computed_with(["a.f", "a.g", "b.h"], 88, verb="Read with"))
    Read with a.f, a.g and b.h.
    """
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return paragraph(f"{verb} {listed}.", width)


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators.

    Examples
    --------
    >>> number(1234567.891, 2)
    '1,234,567.89'
    """
    return f"{float(value):,.{decimals}f}"


def money(value: float, currency: str, decimals: int = 2) -> str:
    """Format an amount with its currency code and thousands separators.

    Examples
    --------
    >>> money(2520154.2, "EUR")
    'EUR 2,520,154.20'
    """
    return f"{currency} {number(value, decimals)}"


def percent(share: float, decimals: int = 1) -> str:
    """Format a share in [0, 1] as a percentage.

    Examples
    --------
    >>> percent(0.6824)
    '68.2 %'
    """
    return f"{100 * float(share):.{decimals}f} %"


def rewrap_hanging(text: str, width: int) -> str:
    r"""Re-wrap a block of ``label  text`` lines (continuations under the text) to ``width``.

    Lines that start with two spaces open an item: its label runs to the first run of two
    spaces after it, and the lines indented deeper than the item continue its text. Other
    lines are wrapped as paragraphs.

    Examples
    --------
    >>> block = "Title\n  Alpha  one two three\n         four five"
    >>> print(rewrap_hanging(block, 22))
    Title
      Alpha  one two three
             four five
    >>> print(rewrap_hanging(block, 17))
    Title
      Alpha  one two
             three
             four
             five
    """
    items: list[tuple[str, str, int]] = []  # (label, text, indent of the text)
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if items and items[-1][0] and depth >= items[-1][2]:
            label, body, at = items[-1]
            items[-1] = (label, f"{body} {stripped}", at)
        elif depth >= 2 and "  " in stripped:
            label, _, body = stripped.partition("  ")
            at = depth + len(label) + 2 + (len(body) - len(body.lstrip(" ")))
            items.append((" " * depth + label, body.strip(), at))
        else:
            items.append(("", line, 0))
    out = []
    for label, body, at in items:
        if not label:
            out.append(paragraph(body, width) if body else "")
            continue
        at = min(at, max(width // 3, 4))
        first = label.ljust(at) if len(label) + 2 <= at else label + "  "
        out.append("\n".join(_wrap(body, width, initial_indent=first, subsequent_indent=" " * at)))
    return "\n".join(out)


def text_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: int | None = None,
    indent: int = 2,
) -> str:
    """Lay out rows under headers within ``width`` columns; numbers align right, text left.

    Parameters
    ----------
    headers : sequence of str
        One title per column.
    rows : sequence of sequences
        The cells, one sequence per row (each turned into text with ``str``). A column whose
        cells are all numbers (with ``,``, ``%``, brackets or ``to`` between two numbers)
        aligns right and is never wrapped.
    width : int, optional
        The longest line allowed. A table too wide wraps the text of its other cells and of
        its headers inside their columns, one column at a time, where that costs the fewest
        extra lines, never splitting a word; when the words themselves do not fit, each row
        becomes a block: its first cell, then one ``header: value`` line per other column.
        No limit when omitted.
    indent : int, default 2
        Spaces before every line.

    Returns
    -------
    str

    Examples
    --------
    >>> print(text_table(["channel", "contacts"], [["email", "1,204"], ["phone", 96]]))
      channel  contacts
      email       1,204
      phone          96
    >>> print(text_table(["process", "cases"], [["Order to delivery", "1,400"]], width=18))
      process   cases
      Order to  1,400
      delivery
    >>> print(text_table(["process", "cases"], [["Order to delivery", "1,400"]], width=12))
      Order to
      delivery
        cases:
          1,400
    """
    head = [str(h) for h in headers]
    body = [[str(c) for c in row] for row in rows]
    n = len(head)
    numeric = [bool(body) and all(_looks_numeric(row[j]) for row in body) for j in range(n)]
    natural = [max(len(row[j]) for row in [head, *body]) for j in range(n)]
    if width is None or _span(natural, indent) <= width:
        return _grid(head, body, natural, numeric, indent)
    budget = width - indent - _GAP * (n - 1)
    least = [
        max(
            _longest_word(head[j]),
            max((len(row[j]) if numeric[j] else _longest_word(row[j]) for row in body), default=0),
        )
        for j in range(n)
    ]
    if sum(least) > budget:
        return _blocks(head, body, width, indent)
    widths = list(natural)
    columns = [[row[j] for row in [head, *body]] for j in range(n)]
    cost = [_height(columns[j], widths[j]) for j in range(n)]
    while sum(widths) > budget:
        # Narrow the column where that adds the fewest lines per column saved (more columns
        # saved, then the widest column, on a tie), never by more than the excess.
        excess = sum(widths) - budget
        best: tuple[float, int, int, int, int] | None = None
        for j in range(n):
            for w in range(max(least[j], widths[j] - excess), widths[j]):
                extra = _height(columns[j], w) - cost[j]
                saved = widths[j] - w
                key = (extra / saved, -saved, -widths[j], j, w)
                best = key if best is None or key < best else best
        if best is None:  # unreachable: sum(least) <= budget leaves a column to narrow
            break
        j, w = best[3], best[4]
        widths[j], cost[j] = w, _height(columns[j], w)
    return _grid(head, body, widths, numeric, indent)


def _span(widths: Sequence[int], indent: int) -> int:
    return indent + sum(widths) + _GAP * (len(widths) - 1)


def _longest_word(cell: str) -> int:
    return max((len(w) for w in _UNBREAKABLE.sub(_GLUE, cell).split()), default=0)


def _cell_lines(cell: str, width: int) -> list[str]:
    return [cell] if len(cell) <= width else _wrap(cell, width, break_long_words=False) or [""]


@functools.lru_cache(maxsize=4096)
def _cell_height(cell: str, width: int) -> int:
    return len(_cell_lines(cell, width))


def _height(cells: Sequence[str], width: int) -> int:
    return sum(_cell_height(cell, width) for cell in cells)


def _grid(
    head: list[str], body: list[list[str]], widths: list[int], numeric: list[bool], indent: int
) -> str:
    pad = " " * indent
    lines = []
    for k, row in enumerate([head, *body]):
        parts = [_cell_lines(cell, w) for cell, w in zip(row, widths, strict=True)]
        height = max(len(p) for p in parts)
        if k == 0:  # headers sit on their last line, over the column
            parts = [[""] * (height - len(p)) + p for p in parts]
        for i in range(height):
            cells = [
                (p[i] if i < len(p) else "").rjust(w)
                if num
                else (p[i] if i < len(p) else "").ljust(w)
                for p, w, num in zip(parts, widths, numeric, strict=True)
            ]
            lines.append((pad + (" " * _GAP).join(cells)).rstrip())
    return "\n".join(lines)


def _blocks(head: list[str], body: list[list[str]], width: int, indent: int) -> str:
    pad, deeper = " " * indent, " " * (indent + 2)
    lines = []
    for row in body:
        lines.extend(_wrap(row[0], width, initial_indent=pad, subsequent_indent=pad))
        for title, cell in zip(head[1:], row[1:], strict=True):
            lines.extend(
                _wrap(
                    f"{title}: {cell}",
                    width,
                    initial_indent=deeper,
                    subsequent_indent=deeper + "  ",
                )
            )
    return "\n".join(lines)


def _looks_numeric(cell: str) -> bool:
    """Whether a cell is a number, a percentage or an interval such as "2.8 to 9.0"."""
    tokens = [t.strip("()[],;") for t in cell.replace("−", "-").split() if t != "to"]
    tokens = [t.replace(",", "").removesuffix("%") for t in tokens if t not in ("%", "")]
    if not tokens:
        return True
    for token in tokens:
        if token in ("-", "—"):
            continue
        try:
            float(token)
        except ValueError:
            return False
    return True
