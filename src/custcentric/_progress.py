"""Progress on long work: one ``progress=`` convention for every long call of the library.

``progress`` is None or False (silent), True (a tqdm bar on standard error when tqdm is
installed, else one line per step there and on the ``custcentric`` logger), or a callable that
receives a :class:`ProgressEvent` per step. :func:`progress_reporter` turns the argument into a
:class:`Reporter` the long call advances.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

import attrs

from custcentric.exceptions import InvalidInputError

__all__ = ["ProgressEvent", "ProgressLike", "Reporter", "progress_reporter"]

LOGGER = logging.getLogger("custcentric")


@attrs.frozen(kw_only=True)
class ProgressEvent:
    """One step of a long call, given to a ``progress`` callable.

    Attributes
    ----------
    task : str
        The call making progress (``"simulate"``, ``"report"``, ``"resolve_identities"``, ...).
    step : int
        Steps done so far, 1 after the first.
    total : int or None
        The number of steps, when known.
    name : str
        What the step just done was (a period, a section, a block), or "".

    Examples
    --------
    >>> str(ProgressEvent(task="simulate", step=3, total=10, name="replication 3"))
    'custcentric simulate: step 3 of 10 (replication 3)'
    """

    task: str
    step: int
    total: int | None
    name: str = ""

    def __str__(self) -> str:
        of = f" of {self.total}" if self.total is not None else ""
        what = f" ({self.name})" if self.name else ""
        return f"custcentric {self.task}: step {self.step}{of}{what}"


ProgressLike = bool | Callable[[ProgressEvent], object] | None
"""What a ``progress=`` argument accepts."""


class Reporter:
    """Advance a long call's progress; a context manager that closes a bar it opened.

    Examples
    --------
    >>> events = []
    >>> with progress_reporter(events.append, "fit", total=2) as report:
    ...     report.advance("start")
    ...     report.advance("end")
    >>> [e.step for e in events], events[-1].name
    ([1, 2], 'end')
    """

    def __init__(
        self,
        task: str,
        total: int | None,
        sink: Callable[[ProgressEvent], object] | None,
        bar: Any = None,
    ) -> None:
        self.task = task
        self.total = total
        self._sink = sink
        self._bar = bar
        self._step = 0

    @property
    def step(self) -> int:
        """Steps done so far."""
        return self._step

    def advance(self, name: str = "", n: int = 1) -> None:
        """Record ``n`` more steps done, the last one called ``name``."""
        self._step += n
        if self._bar is not None:
            if name:
                self._bar.set_postfix_str(name, refresh=False)
            self._bar.update(n)
        if self._sink is not None:
            self._sink(ProgressEvent(task=self.task, step=self._step, total=self.total, name=name))

    def close(self) -> None:
        """Close the bar, if one was opened."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _line(event: ProgressEvent) -> None:
    LOGGER.info("%s", event)
    print(event, file=sys.stderr, flush=True)


def progress_reporter(progress: object, task: str, *, total: int | None = None) -> Reporter:
    """Return the :class:`Reporter` for a ``progress=`` argument (see the module's doc).

    Raises
    ------
    InvalidInputError
        When ``progress`` is not None, a bool or a callable.

    Examples
    --------
    >>> progress_reporter(None, "fit").advance()  # silent
    >>> progress_reporter(3, "fit")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `progress` must be None, True, False or a callable receiving a ProgressEvent (got int: 3).
    """
    if progress is None or progress is False:
        return Reporter(task, total, None)
    if progress is True:
        try:
            from tqdm.auto import tqdm  # type: ignore[import-not-found, import-untyped, unused-ignore]
        except ImportError:
            return Reporter(task, total, _line)
        bar = tqdm(total=total, desc=f"custcentric {task}", file=sys.stderr, leave=False)
        return Reporter(task, total, None, bar)
    if not callable(progress) or isinstance(progress, (int, float, str)):
        msg = (
            "`progress` must be None, True, False or a callable receiving a ProgressEvent "
            f"(got {type(progress).__name__}: {progress!r:.60})."
        )
        raise InvalidInputError(msg)
    return Reporter(task, total, progress)
