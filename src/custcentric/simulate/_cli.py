"""``custcentric simulate``: run a scenario file, or write the example scenario."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from custcentric.exceptions import CustcentricError, InvalidInputError

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the options of ``custcentric simulate`` to ``parser`` and return it.

    Examples
    --------
    >>> import argparse
    >>> from custcentric.simulate._cli import add_arguments
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(["s.json"])
    >>> args.scenario, args.replications, args.seed, args.example
    ('s.json', 100, 0, False)
    """
    parser.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="SCENARIO.json",
        help="the scenario to run (Scenario.to_dict() as JSON)",
    )
    parser.add_argument(
        "--example",
        action="store_true",
        help="write the documented starting scenario for the bundled sample company "
        "(JSON) and exit",
    )
    parser.add_argument(
        "--replications", type=int, default=100, metavar="N", help="replications (default 100)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the root seed (default 0)")
    parser.add_argument(
        "--horizon", type=int, default=None, metavar="PERIODS", help="override the horizon"
    )
    parser.add_argument(
        "--out",
        metavar="PATH",
        default=None,
        help="write the results (JSON) to PATH (default: standard output); an existing file "
        "is refused unless --overwrite is given",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace the file at --out if it exists"
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "yes", "no"),
        default="auto",
        help="show progress on standard error: auto (only on a terminal), yes or no",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Run what the parsed ``args`` ask for and return the exit code.

    0 on success; 2 for input the library refused or a file that could not be read or
    written (one line on standard error); 1 when the reader of standard output went away.

    Examples
    --------
    >>> import argparse, json, tempfile
    >>> from pathlib import Path
    >>> from custcentric.simulate import example_scenario
    >>> from custcentric.simulate._cli import add_arguments, run
    >>> folder = Path(tempfile.mkdtemp())
    >>> scenario = folder / "s.json"
    >>> _ = scenario.write_text(json.dumps(example_scenario(n_customers=200, horizon=4).to_dict()))
    >>> out = folder / "r.json"
    >>> args = add_arguments(argparse.ArgumentParser()).parse_args(
    ...     [str(scenario), "--replications", "2", "--out", str(out), "--progress", "no"])
    >>> run(args), json.loads(out.read_text())["n_replications"]
    (0, 2)
    """
    from custcentric._files import write_files
    from custcentric.simulate._engine import simulate
    from custcentric.simulate._example import example_scenario
    from custcentric.simulate._scenario import Scenario

    show = args.progress == "yes" or (args.progress == "auto" and sys.stderr.isatty())
    try:
        if args.example:
            text = json.dumps(example_scenario().to_dict(), indent=2, allow_nan=False) + "\n"
        else:
            if args.scenario is None:
                msg = "`SCENARIO.json` must be given (or --example to write one)."
                raise InvalidInputError(msg)
            try:
                data = json.loads(Path(args.scenario).read_text(encoding="utf-8"))
            except json.JSONDecodeError as error:
                msg = f"`SCENARIO.json` must be JSON ({args.scenario}: {error})."
                raise InvalidInputError(msg) from None
            scenario = Scenario.from_dict(data)
            result = simulate(
                scenario,
                n_replications=args.replications,
                horizon=args.horizon,
                rng=args.seed,
                progress=True if show else None,
            )
            text = json.dumps(result.to_dict(), allow_nan=False) + "\n"
        if args.out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return 0
        if not os.fspath(args.out):
            msg = "`--out` must not be empty."
            raise InvalidInputError(msg)
        path = Path(args.out)
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
        print(f"custcentric simulate: {text}", file=sys.stderr)
        return 2
    return 0
