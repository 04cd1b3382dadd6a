"""Bad input never gets through: a battery in the spirit of scikit-learn's estimator checks.

For every valid call in ``examples.EXAMPLES`` and every numeric or array-like argument of it,
the argument is replaced by a bad value (NaN, infinities, a negative, zero, an empty array,
one element dropped, a string, None, a complex number, 1e308, 2**62, a 2-D column) and the
call is run with warnings as errors and a time limit. Each outcome is one of

* ``OK_REFUSED``: a :class:`custcentric.exceptions.CustcentricError` was raised;
* ``OK_WARNED``: a custcentric warning was raised (escalated to an error);
* ``ACCEPTED``: the call returned; a breach ``nan_out`` if a float array in the result (or an
  array attribute of it) holds NaN or an infinity;
* ``RAW_ERROR``: any other exception (a breach);
* ``WARNING``: a warning that is not a custcentric warning (a breach);
* ``TIMEOUT``: the call ran past the time limit (a breach);
* ``UNNAMED``: a refusal whose message does not name the mutated argument in backticks
  (```n_init```, or ```cutoffs[0]```): a breach too, since the user cannot tell which
  argument to fix;
* ``MEMORY``: the call grew the peak memory by more than ``MEMORY_LIMIT`` bytes (the peak
  resident size on Linux, reset before each call; :mod:`tracemalloc` elsewhere), or ran out
  of memory (a breach);
* ``BAD_RESULT``: the call returned a result whose own methods break: ``to_dict()`` is not
  strict JSON (``json.dumps(d, allow_nan=False)`` fails) or does not round-trip exactly
  through the class's ``from_dict``, or ``summary()``, ``str()`` or ``to_pandas()`` raise
  (a breach; the valid example calls are held to the same contract by
  ``test_example_results_keep_their_contract``).

For the constructors of result records (``examples.RESULT_CONSTRUCTORS``), a NaN in the
record or a broken method of it is ``UNCHECKED`` (counted, not a breach): the library builds
them from checked input. ``CUSTCENTRIC_BATTERY_STRICT_RESULTS=1`` makes them breaches.

A pandas DataFrame argument (``from_pandas``) has its numeric columns mutated one at a time
(labelled ``frame[column]``), and a Series argument its values.

An infinite result counts as ``nan_out`` unless the callable is in
``examples.MAY_RETURN_INF`` (a documented infinite answer, such as the wait of an
unstable queue); NaN always does.

The breaches are compared with ``known_breaches.txt`` (a ratchet): a new breach fails, and so
does a listed breach that no longer occurs (delete its line), except a ``TIMEOUT``, whose
occurrence depends on the machine's speed. Regenerate the file with
``python -m tests.battery.test_bad_input --write`` or ``CUSTCENTRIC_BATTERY_WRITE=1 pytest
tests/battery``.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import os
import signal
import sys
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from custcentric.exceptions import CustcentricError, CustcentricWarning

try:
    from tests.battery import examples
except ImportError:  # pragma: no cover - run from another directory
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.battery import examples

KNOWN = Path(__file__).with_name("known_breaches.txt")
#: Seconds one call may run.
TIME_LIMIT = 3.0
#: Bytes by which one call may grow the process's peak memory (the examples are small: a few
#: hundred rows at most, so anything near this bound is an allocation sized by a bad value,
#: not by the data).
MEMORY_LIMIT = 128 * 2**20
STRICT_RESULTS = os.environ.get("CUSTCENTRIC_BATTERY_STRICT_RESULTS") == "1"
BREACH_KINDS = ("RAW_ERROR", "WARNING", "TIMEOUT", "nan_out", "UNNAMED", "MEMORY", "BAD_RESULT")


class _MemoryBound(Exception):
    """The call's peak allocation passed ``MEMORY_LIMIT``."""


class _Timeout(BaseException):
    """Raised by the alarm handler; a BaseException so that ``except Exception`` misses it."""


class _Skip(Exception):
    """A mutation that does not apply to this value."""


# --- the mutations -------------------------------------------------------------------------


def _kind(value: Any) -> str | None:
    """Return "scalar", "numeric_array", "other_array" or None (not mutated)."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return "scalar"
    if isinstance(value, list | tuple | np.ndarray):
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):
            return None
        if arr.ndim == 0:
            return None
        if arr.size == 0:
            return "other_array"
        if arr.dtype.kind in "iuf":
            return "numeric_array"
        return "other_array"
    return None


def _set_first(value: Any, new: Any) -> Any:
    arr = np.array(value, dtype=object)
    if arr.size == 0:
        raise _Skip
    arr.flat[0] = new
    return arr.tolist()


def _array_or_scalar(scalar: Callable[[Any], Any], first: Any | None = None) -> Any:
    """A mutation: ``scalar(x)`` for a scalar, the first element set to ``first`` for arrays."""

    def mutate(value: Any, kind: str) -> Any:
        if kind == "scalar":
            return scalar(value)
        if kind != "numeric_array" or np.asarray(value).size == 0:
            raise _Skip
        return _set_first(value, scalar(np.asarray(value).flat[0]) if first is None else first)

    return mutate


def _empty(value: Any, kind: str) -> Any:
    if kind == "scalar":
        raise _Skip
    arr = np.asarray(value)
    return arr[:0]


def _drop_one(value: Any, kind: str) -> Any:
    if kind == "scalar":
        raise _Skip
    arr = np.asarray(value)
    if len(arr) < 2:
        raise _Skip
    return arr[:-1]


def _zero(value: Any, kind: str) -> Any:
    if kind == "scalar":
        return 0
    if kind != "numeric_array":
        raise _Skip
    return np.zeros_like(np.asarray(value))


def _negative(x: Any) -> Any:
    return -abs(x) if x != 0 else -1


def _string(value: Any, kind: str) -> Any:
    if kind == "scalar":
        return "abc"
    if kind != "numeric_array":
        raise _Skip
    return _set_first(value, "abc")


def _none(value: Any, kind: str) -> Any:
    return None


def _complex(value: Any, kind: str) -> Any:
    if kind == "scalar":
        return complex(value, 1.0)
    if kind != "numeric_array":
        raise _Skip
    arr = np.asarray(value).astype(complex)
    arr.flat[0] += 1j
    return arr


def _two_d(value: Any, kind: str) -> Any:
    if kind == "scalar":
        raise _Skip
    arr = np.asarray(value)
    if arr.ndim != 1:
        raise _Skip
    return arr[:, None]


MUTATIONS: dict[str, Callable[[Any, str], Any]] = {
    "nan": _array_or_scalar(lambda x: math.nan),
    "+inf": _array_or_scalar(lambda x: math.inf),
    "-inf": _array_or_scalar(lambda x: -math.inf),
    "negative": _array_or_scalar(_negative),
    "zero": _zero,
    "empty": _empty,
    "drop_one": _drop_one,
    "string": _string,
    "none": _none,
    "complex": _complex,
    "1e308": _array_or_scalar(lambda x: 1e308),
    "2**62": _array_or_scalar(lambda x: 2**62),
    "2d_for_1d": _two_d,
}


# --- running one call ----------------------------------------------------------------------


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _bad_float(values: Any, allow_inf: bool) -> bool:
    if allow_inf:
        return bool(np.any(np.isnan(values)) or np.any(np.isneginf(np.real(values))))
    return not bool(np.all(np.isfinite(values)))


def _non_finite(result: Any, allow_inf: bool = False) -> bool:
    """Whether a float array (or float) in the result, or an array attribute, is not finite.

    With ``allow_inf``, only NaN and minus infinity count (a documented ``+inf`` answer).
    """
    candidates = [result]
    if hasattr(result, "__attrs_attrs__"):
        candidates += [getattr(result, a.name, None) for a in result.__attrs_attrs__]
    elif hasattr(result, "__dict__") and not inspect.isclass(result):
        candidates += list(vars(result).values())
    elif hasattr(result, "__slots__"):
        candidates += [getattr(result, s, None) for s in result.__slots__ if isinstance(s, str)]
    for value in candidates:
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
            if _bad_float(value, allow_inf):
                return True
        elif isinstance(value, float | np.floating) and _bad_float(value, allow_inf):
            return True
    return False


def names_argument(argument: str, message: str, *, from_dict: bool = False) -> bool:
    """Whether a refusal's message names the argument in backticks.

    ```x```, ```x[...``` and ```data['x']``` all name ``x``. For an entry of a mapping
    (``scores[gold]``) the mapping's name will do, except in a ``from_dict``, whose keys are
    the fields and must be named themselves.
    """
    names = [argument.rsplit("[", 1)[-1].rstrip("]")]
    if "[" in argument and not from_dict:
        names.append(argument.split("[", 1)[0])
    return any(f"`{n}`" in message or f"`{n}[" in message or f"['{n}']`" in message for n in names)


def _target(qualname: str) -> Callable[..., Any]:
    if qualname in examples.METHOD_TARGETS:
        build, method = examples.METHOD_TARGETS[qualname]
        return getattr(build(), method)  # type: ignore[no-any-return]
    return examples.resolve(qualname)


@dataclass
class Outcome:
    qualname: str
    argument: str
    mutation: str
    kind: str
    detail: str = ""
    names_argument: bool = True


def _resident_kib(field: str) -> int:
    """Return ``VmRSS`` or ``VmHWM`` (the peak since the last reset) in KiB, or -1."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _reset_peak() -> bool:
    """Reset the peak resident size (Linux ``clear_refs``); False where that is unavailable."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


#: How the memory bound is measured: the peak resident size (Linux, cheap), else tracemalloc
#: (which sees NumPy's buffers too, but slows every allocation).
_PEAK_RSS = _reset_peak() and _resident_kib("VmHWM") > 0


def run_call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run ``fn`` with warnings as errors, the time limit and the memory bound.

    Raises ``_MemoryBound`` (after the call) when the peak memory grew by more than
    ``MEMORY_LIMIT`` bytes during the call.
    """
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    traced = not _PEAK_RSS and not tracemalloc.is_tracing()
    if _PEAK_RSS:
        _reset_peak()
        base = _resident_kib("VmRSS") * 1024
    else:
        if traced:
            tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
            try:
                result = fn(*args, **kwargs)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if _PEAK_RSS:
            peak = _resident_kib("VmHWM") * 1024 - base
        else:
            peak = tracemalloc.get_traced_memory()[1] - base
        if peak > MEMORY_LIMIT:
            raise _MemoryBound(f"peak {peak / 2**20:.0f} MiB > {MEMORY_LIMIT / 2**20:.0f} MiB")
        return result
    finally:
        if traced:
            tracemalloc.stop()
        signal.signal(signal.SIGALRM, previous)


def result_contract(result: Any) -> str | None:
    """Check a returned result's own methods; return what broke, or None.

    ``to_dict()`` must be strict JSON and, where the class has ``from_dict``, round-trip
    exactly (the round-tripped value's ``to_dict()`` is the same JSON); ``summary()``,
    ``str()`` and ``to_pandas()`` must not raise. Warnings are errors here too.
    """
    if inspect.isclass(result) or inspect.ismodule(result):
        return None
    checks: list[tuple[str, Callable[[], Any]]] = []
    if _no_argument_method(result, "summary") and hasattr(result, "__attrs_attrs__"):
        checks.append(("summary()", result.summary))
        checks.append(("str()", lambda: str(result)))
    if _no_argument_method(result, "to_pandas"):
        checks.append(("to_pandas()", result.to_pandas))
    if _no_argument_method(result, "to_dict"):
        checks.append(("to_dict()", lambda: _strict_json(result)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for what, check in checks:
            try:
                check()
            except Exception as exc:
                return f"{what}: {type(exc).__name__}: {exc}"
    return None


def _no_argument_method(result: Any, name: str) -> bool:
    """Whether ``result.name`` is a method that can be called without arguments."""
    method = getattr(result, name, None)
    if not callable(method):
        return False
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters
    )


def _strict_json(result: Any) -> None:
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False, sort_keys=True)
    from_dict = getattr(type(result), "from_dict", None)
    if from_dict is None:
        return
    again = json.dumps(from_dict(json.loads(text)).to_dict(), allow_nan=False, sort_keys=True)
    if again != text:
        msg = f"from_dict(to_dict()) does not round-trip: {text[:120]} != {again[:120]}"
        raise AssertionError(msg)


def classify(
    qualname: str, argument: str, mutation: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Outcome:
    """Run one mutated call and classify what happened."""
    fn = _target(qualname)
    try:
        result = run_call(fn, args, kwargs)
    except _Timeout:
        return Outcome(qualname, argument, mutation, "TIMEOUT")
    except _MemoryBound as exc:
        return Outcome(qualname, argument, mutation, "MEMORY", str(exc))
    except MemoryError as exc:
        return Outcome(qualname, argument, mutation, "MEMORY", f"MemoryError: {exc}")
    except CustcentricError as exc:
        if not names_argument(argument, str(exc), from_dict=qualname.endswith("from_dict")):
            return Outcome(qualname, argument, mutation, "UNNAMED", str(exc), False)
        return Outcome(qualname, argument, mutation, "OK_REFUSED")
    except CustcentricWarning:
        return Outcome(qualname, argument, mutation, "OK_WARNED")
    except Warning as exc:
        return Outcome(qualname, argument, mutation, "WARNING", f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        return Outcome(qualname, argument, mutation, "RAW_ERROR", f"{type(exc).__name__}: {exc}")
    lenient = qualname in examples.RESULT_CONSTRUCTORS and not STRICT_RESULTS
    if _non_finite(result, allow_inf=qualname in examples.MAY_RETURN_INF):
        return Outcome(qualname, argument, mutation, "UNCHECKED" if lenient else "nan_out")
    broken = result_contract(result)
    if broken is not None:
        kind = "UNCHECKED" if lenient else "BAD_RESULT"
        return Outcome(qualname, argument, mutation, kind, broken)
    return Outcome(qualname, argument, mutation, "ACCEPTED")


@dataclass
class BatteryRun:
    outcomes: list[Outcome] = field(default_factory=list)
    covered: int = 0

    @property
    def breaches(self) -> list[str]:
        lines = {
            f"{o.qualname} | {o.argument} | {o.mutation} | {o.kind}"
            for o in self.outcomes
            if o.kind in BREACH_KINDS
        }
        return sorted(lines)

    def summary(self) -> str:
        kinds = Counter(o.kind for o in self.outcomes)
        by_kind = ", ".join(
            f"{k}={kinds.get(k, 0)}"
            for k in ("OK_REFUSED", "OK_WARNED", "ACCEPTED", "UNCHECKED", *BREACH_KINDS)
        )
        return (
            f"bad-input battery: {self.covered} callables covered, {len(self.outcomes)} calls; "
            f"{by_kind}; {len(self.breaches)} distinct breaches"
        )


def _mutated_calls(
    qualname: str,
) -> list[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
    args, kwargs = examples.EXAMPLES[qualname]()
    try:
        bound = inspect.signature(_target(qualname)).bind(*args, **kwargs)
        names = list(bound.arguments)
    except (TypeError, ValueError):
        bound = None
        names = [f"arg{i}" for i in range(len(args))] + list(kwargs)
    calls = []
    for index, name in enumerate(names):
        if bound is not None:
            original = bound.arguments[name]
        else:
            original = args[index] if index < len(args) else kwargs[name]
        # A mapping argument (``from_dict``) has its entries mutated one at a time, and so
        # has a DataFrame its columns.
        if isinstance(original, dict):
            targets = [(f"{name}[{key}]", key, v) for key, v in original.items()]
        elif _is_frame(original):
            targets = [(f"{name}[{c}]", c, original[c].to_numpy()) for c in original.columns]
        elif _is_series(original):
            targets = [(name, None, original.to_numpy())]
        else:
            targets = [(name, None, original)]
        for label, key, value in targets:
            calls += _mutations_of(qualname, index, name, label, key, value, bound is not None)
    return calls


def _mutations_of(
    qualname: str, index: int, name: str, label: str, key: Any, value: Any, by_name: bool
) -> list[tuple[str, str, tuple[Any, ...], dict[str, Any]]]:
    kind = _kind(value)
    calls: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
    if kind is not None:
        for mutation, mutate in MUTATIONS.items():
            fresh_args, fresh_kwargs = examples.EXAMPLES[qualname]()
            try:
                new = mutate(value, kind)
            except _Skip:
                continue
            if by_name:
                fresh = inspect.signature(_target(qualname)).bind(*fresh_args, **fresh_kwargs)
                try:
                    new = _put(fresh.arguments[name], key, new)
                except _Skip:
                    continue
                fresh.arguments[name] = new
                call_args, call_kwargs = fresh.args, fresh.kwargs
            elif index < len(fresh_args):
                try:
                    new = _put(fresh_args[index], key, new)
                except _Skip:
                    continue
                call_args = (*fresh_args[:index], new, *fresh_args[index + 1 :])
                call_kwargs = fresh_kwargs
            else:
                try:
                    new = _put(fresh_kwargs[name], key, new)
                except _Skip:
                    continue
                call_args, call_kwargs = fresh_args, {**fresh_kwargs, name: new}
            calls.append((label, mutation, tuple(call_args), dict(call_kwargs)))
    return calls


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "columns")


def _is_series(value: Any) -> bool:
    return type(value).__name__ == "Series" and hasattr(value, "index")


def _put(container: Any, key: Any, new: Any) -> Any:
    """Return ``container`` with the entry ``key`` (or, for a Series, the values) set to
    ``new``; ``_Skip`` when a DataFrame or Series cannot hold it (another length, 2-D)."""
    if _is_frame(container):
        frame = container.copy()
        column = np.asarray(new, dtype=object) if new is not None else None
        if column is not None and (column.ndim != 1 or len(column) != len(frame)):
            raise _Skip
        frame[key] = new if column is None else list(new)
        return frame
    if _is_series(container):
        import pandas as pd

        if new is None or np.ndim(new) != 1:
            raise _Skip
        index = container.index if len(new) == len(container) else None
        return pd.Series(list(new), index=index, name=container.name)
    if key is not None:
        return {**container, key: new}
    return new


def _warm_up(qualname: str) -> None:
    """Run the valid call once, untimed, so that lazy imports (``scipy.stats`` takes seconds
    on a loaded machine) and caches do not count against the time limit of a mutation."""
    args, kwargs = examples.EXAMPLES[qualname]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _target(qualname)(*args, **kwargs)


@functools.cache
def run_battery() -> BatteryRun:
    """Run every mutation of every example (once per session)."""
    run = BatteryRun()
    for qualname in sorted(examples.EXAMPLES):
        run.covered += 1
        _warm_up(qualname)
        for name, mutation, args, kwargs in _mutated_calls(qualname):
            run.outcomes.append(classify(qualname, name, mutation, args, kwargs))
    return run


def read_known() -> list[str]:
    if not KNOWN.exists():
        return []
    lines = (line.strip() for line in KNOWN.read_text(encoding="utf-8").splitlines())
    return sorted(line for line in lines if line and not line.startswith("#"))


def write_known(run: BatteryRun) -> None:
    header = (
        "# Known bad-input breaches (qualname | argument | mutation | kind), sorted.\n"
        "# Regenerate: python -m tests.battery.test_bad_input --write\n"
    )
    KNOWN.write_text(header + "".join(f"{line}\n" for line in run.breaches), encoding="utf-8")


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("qualname", sorted(examples.EXAMPLES))
def test_example_is_a_valid_call(qualname: str) -> None:
    args, kwargs = examples.EXAMPLES[qualname]()
    run_call(_target(qualname), args, kwargs)


@pytest.mark.parametrize("qualname", sorted(examples.EXAMPLES))
def test_example_results_keep_their_contract(qualname: str) -> None:
    """A valid call's result: strict-JSON ``to_dict()`` that round-trips through
    ``from_dict``, and a ``summary()``, ``str()`` and ``to_pandas()`` that work."""
    args, kwargs = examples.EXAMPLES[qualname]()
    result = run_call(_target(qualname), args, kwargs)
    broken = result_contract(result)
    assert broken is None, broken


def test_every_public_callable_has_an_example_or_is_listed() -> None:
    public = set(examples.public_callables())
    missing = sorted(public - set(examples.EXAMPLES) - examples.NOT_YET_COVERED)
    assert not missing, f"public callables with no example and not in NOT_YET_COVERED: {missing}"
    stale = sorted(examples.NOT_YET_COVERED & set(examples.EXAMPLES))
    assert not stale, f"in NOT_YET_COVERED but covered, delete them there: {stale}"
    gone = sorted(examples.NOT_YET_COVERED - public)
    assert not gone, f"in NOT_YET_COVERED but no longer public, delete them there: {gone}"


def test_no_new_breaches_and_none_fixed_but_listed() -> None:
    run = run_battery()
    summary = run.summary()
    print(summary)
    if os.environ.get("CUSTCENTRIC_BATTERY_WRITE") == "1":
        write_known(run)
        return
    found, known = set(run.breaches), set(read_known())
    new = sorted(found - known)
    # A listed TIMEOUT that finished in time on this machine is not "fixed": how long a slow
    # call takes depends on the machine and its load.
    fixed = sorted(line for line in known - found if not line.endswith("| TIMEOUT"))
    message = [summary]
    if new:
        details = {
            f"{o.qualname} | {o.argument} | {o.mutation} | {o.kind}": o.detail for o in run.outcomes
        }
        message.append("NEW breaches (a regression, or add to known_breaches.txt):")
        message += [f"  {line}    [{details.get(line, '')[:200]}]" for line in new]
    if fixed:
        message.append("FIXED breaches: delete these lines from tests/battery/known_breaches.txt:")
        message += [f"  {line}" for line in fixed]
    if new or fixed:
        pytest.fail("\n".join(message))


def main(argv: list[str]) -> int:
    run = run_battery()
    print(run.summary())
    if "--write" in argv:
        write_known(run)
        print(f"wrote {len(run.breaches)} breaches to {KNOWN}")
    else:
        for line in run.breaches:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
