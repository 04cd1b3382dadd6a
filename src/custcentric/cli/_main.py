"""Argument parsing and dispatch for the ``custcentric`` command."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence

from custcentric._version import __version__
from custcentric.exceptions import CustcentricError

__all__ = ["build_parser", "default_width", "main"]


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
        "--width",
        type=_width,
        default=None,
        metavar="N",
        help=(
            "wrap every heading, paragraph and table of the report to N columns (at least "
            f"{_MIN_WIDTH}; default: the terminal's width, or {_FALLBACK_WIDTH} when the output "
            "is not a terminal)"
        ),
    )
    from custcentric.report import add_arguments as report_arguments

    report = commands.add_parser(
        "report",
        help="write a self-contained HTML report (or its numbers as JSON)",
        description=(
            "Write one self-contained HTML page (or JSON) on the bundled sample company or on "
            "the company in --data."
        ),
    )
    report_arguments(report)
    from custcentric.simulate._cli import add_arguments as simulate_arguments

    simulate = commands.add_parser(
        "simulate",
        help="run a what-if scenario (or write the example scenario)",
        description=(
            "Run a scenario (JSON) for --replications replications and write the results as "
            "JSON, or write the documented starting scenario for the bundled company with "
            "--example."
        ),
    )
    simulate_arguments(simulate)
    return parser


_MIN_WIDTH = 40
_FALLBACK_WIDTH = 80


def default_width() -> int:
    """Return the demo's width when ``--width`` is not given.

    The terminal's width (as :func:`shutil.get_terminal_size` reports it, so ``COLUMNS``
    overrides it), or 80 when standard output is not a terminal; never below 40.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"COLUMNS": "132"}):
    ...     default_width()
    132
    >>> with mock.patch.dict(os.environ, {"COLUMNS": "20"}):
    ...     default_width()
    40
    """
    columns = shutil.get_terminal_size(fallback=(_FALLBACK_WIDTH, 24)).columns
    return max(_MIN_WIDTH, columns if columns > 0 else _FALLBACK_WIDTH)


def _width(text: str) -> int:
    """Parse ``--width``: a whole number of at least ``_MIN_WIDTH`` columns."""
    try:
        value = int(text)
    except ValueError:
        msg = f"must be a whole number (got {text!r})"
        raise argparse.ArgumentTypeError(msg) from None
    if value < _MIN_WIDTH:
        msg = f"must be at least {_MIN_WIDTH} (got {value})"
        raise argparse.ArgumentTypeError(msg)
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name.

    Returns
    -------
    int
        0 on success; 2 for a user error: a usage error (argparse has printed the message),
        input the library refused (any :class:`~custcentric.exceptions.CustcentricError`) or
        a file the system could not read or write, each reported as one line on standard
        error, never a traceback; 1 when the reader of standard output went away.

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
            width = args.width if args.width is not None else default_width()
            print(printable(run_demo(width=width), sys.stdout), flush=True)
        except BrokenPipeError:  # the reader went away, e.g. `custcentric demo | head`
            _silence_stdout()
            return 1
        except (CustcentricError, OSError) as error:
            return _report("demo", error)
        return 0
    if args.command == "report":
        from custcentric.report import run

        return run(args)
    if args.command == "simulate":
        from custcentric.simulate._cli import run as run_simulate

        return run_simulate(args)
    parser.print_help()
    return 2


def _report(command: str, error: BaseException) -> int:
    """Print a user error as one line on standard error and return exit code 2."""
    text = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, OSError) and not isinstance(error, CustcentricError):
        text = f"{type(error).__name__}: {text}"
    print(f"custcentric {command}: {text}", file=sys.stderr)
    return 2


_ASCII = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "--",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00d7": "x",
        "\u00b7": "*",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2248": "~",
        "\u00a0": " ",
        "\u202f": " ",
        "\u20ac": "EUR",
        "\u00b2": "^2",
        "\u2074": "^4",
        "\u2075": "^5",
        "\u2076": "^6",
        "\u2077": "^7",
        "\u2078": "^8",
        "\u2079": "^9",
        "\u00b3": "^3",
        "\u2070": "^0",
        "\u00b9": "^1",
        "\u207b": "-",
        "\u2080": "0",
        "\u2081": "1",
        "\u2082": "2",
    }
)


def printable(text: str, stream: object) -> str:
    """Return ``text`` as ``stream`` can show it: ASCII punctuation where its encoding cannot.

    A terminal or pipe set to ASCII (``LANG=C``, ``PYTHONIOENCODING=ascii``) gets ``-`` for an
    en dash, ``x`` for a multiplication sign and so on, and ``?`` for anything else it cannot
    encode, instead of a ``UnicodeEncodeError`` traceback.

    Examples
    --------
    >>> import io
    >>> printable("top 20 % \u2013 EUR 1\u00d72", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    'top 20 % - EUR 1x2'
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        plain = text.translate(_ASCII)
        return plain.encode(encoding, errors="replace").decode(encoding)
    except LookupError:  # an encoding Python does not know: leave the text to the stream
        return text
    return text


def _silence_stdout() -> None:
    """Point standard output at the null device so the exit-time flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured output)
        pass
