"""What ships refers only to what ships: no pointer to the developers' own notes.

The package and its docs cite papers, tables and pages, or the pages of ``docs/``; the
developers' working documents (the architecture notes, the methods reference with its test
vectors, the domain notes, the source articles' files) do not ship, so a user could not follow
such a pointer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [
        *ROOT.joinpath("src", "custcentric").rglob("*.py"),
        *ROOT.joinpath("docs").glob("*.md"),
        ROOT / "README.md",
    ]
)
UNSHIPPED = re.compile(
    r"(?-i:DOMAIN\.md|ARCHITECTURE\.md|STYLE\.md)|methods\.md|methods reference|test vector|"
    r"\bseeds?/|\bseed \d{3}\b|shared/",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(ROOT)) for p in SHIPPED])
def test_no_pointer_to_unshipped_documents(path: Path) -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNSHIPPED.search(line)
    ]
    assert not hits, "\n".join(hits)
