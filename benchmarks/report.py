"""Time custcentric.report.build on the bundled company against a same-run matplotlib baseline.

Usage::

    python benchmarks/report.py --repeat 3

The baseline, measured in the same run, is what any picture costs before it shows anything:
importing matplotlib and saving one empty figure as SVG, timed inside a fresh interpreter (so
the import is cold) and reported as the best of ``--repeat`` runs. The report is timed in this
process on a company loaded beforehand (loading it is timed once and shown apart), also the best
of ``--repeat`` runs, with the time of each step (the sections, then drawing the figures and
writing the page) from the ``progress`` events of the fastest run, so that what dominates shows.
``--format json`` times the numbers only (no figure drawn).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from custcentric.datasets import load_sample_company
from custcentric.report import ReportProgress, build

_BASELINE = (
    "import io, time\n"
    "start = time.perf_counter()\n"
    "import matplotlib\n"
    "from matplotlib.figure import Figure\n"
    "Figure().savefig(io.StringIO(), format='svg')\n"
    "print(time.perf_counter() - start)\n"
)


def baseline(repeat: int) -> float:
    """Return the fastest cold import of matplotlib plus one empty SVG figure, in seconds."""
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", _BASELINE], capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.strip()))
    return min(times)


def time_build(company: Any, fmt: str, repeat: int) -> tuple[float, list[tuple[str, float]], int]:
    """Return the fastest build, its per-step times and the size of the output in bytes."""
    best, steps, size = float("inf"), [], 0
    for _ in range(repeat):
        marks: list[tuple[str, float]] = []
        start = time.perf_counter()

        def note(event: ReportProgress, marks: list[tuple[str, float]] = marks) -> None:
            marks.append((event.name, time.perf_counter()))

        text = build(company, format=fmt, progress=note)
        end = time.perf_counter()
        if end - start < best:
            best, size = end - start, len(text.encode("utf-8"))
            stamps = [start] + [t for _, t in marks[1:]] + [end]
            steps = [(name, stamps[k + 1] - stamps[k]) for k, (name, _) in enumerate(marks)]
    return best, steps, size


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the benchmark and print both timings and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("html", "json"), default="html")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    company = load_sample_company()
    loaded = time.perf_counter() - start
    base = baseline(args.repeat)
    best, steps, size = time_build(company, args.format, args.repeat)
    print(f"custcentric.report.build(format={args.format!r}): best of {args.repeat} runs")
    print(f"  baseline: import matplotlib + one empty SVG figure  {1000 * base:9,.0f} ms")
    print(f"  build on the bundled company                         {1000 * best:9,.0f} ms")
    print(f"  ratio to the baseline                                {best / base:9.1f}x")
    print(
        f"  output {size:,} bytes; loading the company (not in the build) {1000 * loaded:,.0f} ms"
    )
    print("  steps of the fastest build:")
    for name, seconds in sorted(steps, key=lambda s: -s[1]):
        print(f"    {name:<14} {1000 * seconds:9,.0f} ms  {100 * seconds / best:5.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
