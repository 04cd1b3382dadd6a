"""Argument parsing and dispatch for the ``custcentric`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from custcentric._version import __version__
from custcentric.exceptions import CustcentricError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``custcentric`` command.

    Examples
    --------
    >>> build_parser().parse_args(["demo"]).command
    'demo'
    """
    parser = argparse.ArgumentParser(
        prog="custcentric",
        description="Customer-centricity modelling: value, segments, processes, SLAs, maturity.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="load the bundled sample company and print an overview",
        description="Load the bundled sample company and print a short, readable overview.",
    )
    demo.add_argument(
        "--width", type=int, default=88, help="line width of the printed report (default 88)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name.

    Returns
    -------
    int
        0 on success, 2 for a usage error (argparse has printed the message), 1 when the
        library refused the input.

    Examples
    --------
    >>> from custcentric.cli import main
    >>> code = main(["--version"])
    custcentric ...
    >>> code
    0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (code 0) or a usage error (code 2)
        return stop.code if isinstance(stop.code, int) else 2
    if args.version:
        print(f"custcentric {__version__}")
        return 0
    if args.command == "demo":
        from custcentric.cli._demo import run_demo

        try:
            print(run_demo(width=args.width))
        except CustcentricError as error:
            print(f"custcentric demo: {error}", file=sys.stderr)
            return 1
        return 0
    parser.print_help()
    return 2
