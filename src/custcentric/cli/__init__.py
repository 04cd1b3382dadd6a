"""The ``custcentric`` command line: ``custcentric --version`` and ``custcentric demo``.

Examples
--------
>>> from custcentric.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
custcentric ...
0
"""

from custcentric.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
