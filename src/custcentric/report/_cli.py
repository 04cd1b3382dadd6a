"""``custcentric report``: the command-line side of :func:`custcentric.report.build`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from custcentric.exceptions import CustcentricError, InvalidInputError

__all__ = ["add_arguments", "main", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``custcentric report`` to ``parser`` and return it.

    Examples
    --------
    >>> import argparse
    >>> from custcentric.report import add_arguments
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(["--format", "json"])
    >>> args.format, args.out, args.overwrite, args.data
    ('json', None, False, None)
    """
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="report on the company in DIR, files in the sample company's layout "
        "(customers.csv, profiles.csv, transactions.csv, events.csv, interactions.csv, "
        "surveys.csv, maturity.csv, processes.json, slas.json; CSVs may be gzipped); "
        "default: the bundled sample company",
    )
    parser.add_argument(
        "--out",
        metavar="PATH",
        default=None,
        help="write the report to PATH (default: standard output); an existing file is "
        "refused unless --overwrite is given",
    )
    parser.add_argument(
        "--format",
        choices=("html", "json"),
        default="html",
        help="html: one self-contained page with figures (needs the plot extra); json: the "
        "same numbers for machines (default: html)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the file at --out if it exists"
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "yes", "no"),
        default="auto",
        help="show one line per step on standard error: auto (only on a terminal), yes or no",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Build the report the parsed ``args`` ask for, write it, and return the exit code.

    0 on success; 2 for input the library refused or a file that could not be written (one
    line on standard error, no partial file); 1 when the reader of standard output went away.
    This is what ``custcentric report`` runs once its options are parsed.

    Examples
    --------
    >>> import argparse, tempfile
    >>> from pathlib import Path
    >>> from custcentric.report import add_arguments, run
    >>> out = Path(tempfile.mkdtemp()) / "report.json"
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(
    ...     ["--format", "json", "--out", str(out), "--progress", "no"])
    >>> run(args), out.exists()
    (0, True)
    """
    from custcentric._files import write_files
    from custcentric.report._build import build
    from custcentric.report._data import load_company

    show = args.progress == "yes" or (args.progress == "auto" and sys.stderr.isatty())
    try:
        company = None if args.data is None else load_company(args.data)
        text = build(company, format=args.format, progress=show)
        if args.out is None:
            # The page declares UTF-8 itself: write its bytes, whatever the terminal's encoding.
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
            return 0
        if not os.fspath(args.out):
            msg = "`--out` must not be empty."
            raise InvalidInputError(msg)
        path = Path(args.out)
        if path.name in ("", ".", ".."):
            msg = f"`--out` must name a file (got {args.out!r})."
            raise InvalidInputError(msg)
        write_files(
            path.parent, {path.name: text.encode("utf-8")}, overwrite=args.overwrite, name="--out"
        )
    except BrokenPipeError:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except (CustcentricError, OSError) as error:
        text = " ".join(str(error).split()) or type(error).__name__
        print(f"custcentric report: {text}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``custcentric report`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from custcentric.report import main
    >>> out = Path(tempfile.mkdtemp()) / "report.json"
    >>> main(["--format", "json", "--out", str(out), "--progress", "no"])
    0
    >>> out.read_text(encoding="utf-8").startswith("{")
    True
    """
    parser = add_arguments(
        argparse.ArgumentParser(
            prog="custcentric report",
            description="Write a self-contained HTML report (or its numbers as JSON) on the "
            "bundled sample company or on the company in --data.",
        )
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    return run(args)
