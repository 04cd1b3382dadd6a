"""The exception tree: each class is also the builtin a user would catch."""

from __future__ import annotations

import pytest

from custcentric import exceptions as ex


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ex.InvalidInputError, ValueError),
        (ex.DataFormatError, ValueError),
        (ex.NotFittedError, ValueError),
        (ex.NotFittedError, AttributeError),
        (ex.ConvergenceError, RuntimeError),
        (ex.MissingDependencyError, ImportError),
    ],
)
def test_errors_subclass_the_builtin_a_user_catches(cls: type, builtin: type) -> None:
    assert issubclass(cls, ex.CustcentricError)
    assert issubclass(cls, builtin)


def test_warnings_are_user_warnings() -> None:
    for cls in (ex.DegenerateDataWarning, ex.ConvergenceWarning):
        assert issubclass(cls, ex.CustcentricWarning)
        assert issubclass(cls, UserWarning)


def test_data_format_error_says_where() -> None:
    error = ex.DataFormatError(
        "`amount` must be a number (got 'x').", path="t.csv", line=3, column="amount"
    )
    assert (
        str(error) == "file 't.csv', line 3, column 'amount': `amount` must be a number (got 'x')."
    )
    assert (error.path, error.line, error.column) == ("t.csv", 3, "amount")
    assert isinstance(error, ex.InvalidInputError)
