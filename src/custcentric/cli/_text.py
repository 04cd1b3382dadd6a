"""Plain-text layout for the command line's reports: headings and aligned tables."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["heading", "number", "percent", "text_table"]


def heading(title: str, width: int) -> str:
    """Return a section heading underlined to the title's length (at most ``width``).

    Examples
    --------
    >>> print(heading("Customers", 88))
    Customers
    ---------
    """
    return f"{title}\n{'-' * min(len(title), width)}"


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators.

    Examples
    --------
    >>> number(1234567.891, 2)
    '1,234,567.89'
    """
    return f"{value:,.{decimals}f}"


def percent(share: float, decimals: int = 1) -> str:
    """Format a share in [0, 1] as a percentage.

    Examples
    --------
    >>> percent(0.6824)
    '68.2 %'
    """
    return f"{100 * share:.{decimals}f} %"


def text_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    indent: int = 2,
) -> str:
    """Lay out rows under headers; numbers align right, text left.

    Examples
    --------
    >>> print(text_table(["channel", "contacts"], [["email", "1,204"], ["phone", 96]]))
      channel  contacts
      email       1,204
      phone          96
    """
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[j]) for row in cells) for j in range(len(headers))]
    numeric = [
        all(_looks_numeric(str(row[j])) for row in rows) and bool(rows) for j in range(len(headers))
    ]
    pad = " " * indent
    lines = []
    for row in cells:
        parts = [
            cell.rjust(width) if is_num else cell.ljust(width)
            for cell, width, is_num in zip(row, widths, numeric, strict=True)
        ]
        lines.append(pad + "  ".join(parts).rstrip())
    return "\n".join(lines)


def _looks_numeric(cell: str) -> bool:
    stripped = cell.replace(",", "").replace("%", "").replace(" ", "").replace("−", "-")
    try:
        float(stripped)
    except ValueError:
        return stripped in ("", "-", "—")
    return True
