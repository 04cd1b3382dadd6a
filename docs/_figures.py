"""Draw the guide's figures at build time: the report's pictures of the bundled company.

``conf.py`` calls :func:`write_figures` when the build starts. Each figure of the report (the
pictures of :mod:`custcentric.plot` drawn on the bundled sample company) is written to
``docs/_generated/figures/<id>.svg``; the pages include them by that name. Nothing here is
kept in git: a figure is drawn from the code of the same checkout, so the pictures in the guide
cannot drift from what the library draws.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "_generated" / "figures"


def write_figures(folder: Path = FOLDER) -> list[Path]:
    """Write every figure of the report as SVG into ``folder``; return the paths written.

    A file whose bytes would not change is left alone, so a rebuild does not touch it.
    """
    import matplotlib

    matplotlib.use("Agg")
    from custcentric.datasets import load_sample_company
    from custcentric.report._sections import sections
    from custcentric.report._svg import svg_of

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for section in sections(load_sample_company()):
        for figure in section.figures:
            svg = svg_of(figure.draw(), f"{figure.id}-")
            text = f'<?xml version="1.0" encoding="utf-8" standalone="no"?>\n{svg}\n'
            path = folder / f"{figure.id}.svg"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_figures():
        print(written)
