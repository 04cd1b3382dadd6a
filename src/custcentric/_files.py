"""Writing files safely: every writer of the library goes through :func:`write_files`.

The rules, for every path the library writes to:

- an empty path, a path that is not a str or path-like, and an existing file where a directory
  is wanted are refused before anything is written;
- an existing directory that already holds any of the files is refused unless the caller says
  ``overwrite=True``;
- links are never followed when writing: each file is written to a new temporary file created
  exclusively in the same directory (``O_CREAT | O_EXCL``, which does not follow a link), then
  renamed over the final name, which replaces a link planted there instead of writing through
  it;
- all or nothing: an interrupted or failed run leaves each final name with either its old file
  or the new one, removes its temporary files and any directory it created, and raises
  :class:`~custcentric.exceptions.InvalidInputError` with the system's reason (a full disk
  included), never a traceback from the operating system.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from custcentric.exceptions import InvalidInputError

__all__ = ["check_output_directory", "write_files"]


def _path_error(name: str, path: object, error: OSError) -> InvalidInputError:
    reason = error.strerror or type(error).__name__
    return InvalidInputError(
        f"`{name}` must be a directory that can be written ({reason}: {path!r})."
    )


def check_output_directory(directory: object, name: str = "directory") -> Path:
    """Return ``directory`` as a Path after the checks that need no writing.

    Refuses a non-path argument, an empty path, an existing non-directory, and a path the
    system cannot look up (a name too long, a loop of links, no permission), with the
    system's reason.

    Examples
    --------
    >>> check_output_directory("")
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `directory` must not be empty (say "." for the current directory).
    """
    if not isinstance(directory, str | os.PathLike) or isinstance(directory, bytes):
        msg = f"`{name}` must be a str or path-like object (got {type(directory).__name__})."
        raise InvalidInputError(msg)
    if not os.fspath(directory):
        msg = f'`{name}` must not be empty (say "." for the current directory).'
        raise InvalidInputError(msg)
    folder = Path(directory)
    try:
        is_dir = folder.is_dir() if os.path.lexists(folder) else None
        os.stat(folder)
    except FileNotFoundError:
        return folder
    except OSError as error:
        raise _path_error(name, str(folder), error) from None
    if not is_dir:
        msg = f"`{name}` must be a directory (got an existing file: {str(folder)!r})."
        raise InvalidInputError(msg)
    return folder


def _write_new(folder: Path, file_name: str, data: bytes) -> Path:
    """Write ``data`` to a new, exclusively created temporary file in ``folder``."""
    handle, path = tempfile.mkstemp(prefix=f".{file_name}.", suffix=".part", dir=folder)
    part = Path(path)
    try:
        os.chmod(part, 0o644)  # mkstemp's 0600 would make the data private to the writer
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise
    return part


def write_files(
    folder: Path,
    contents: Mapping[str, bytes],
    *,
    overwrite: bool = False,
    name: str = "directory",
) -> tuple[Path, ...]:
    """Write every file of ``contents`` into ``folder`` (created if missing), all or nothing.

    Parameters
    ----------
    folder : Path
        The directory, checked with :func:`check_output_directory` first.
    contents : mapping of str to bytes
        File names (plain names, no directories) and their bytes.
    overwrite : bool, default False
        Whether files that already exist under these names may be replaced. Without it, a
        directory holding any of them is refused before anything is written.
    name : str, default "directory"
        The caller's argument, named in messages.

    Returns
    -------
    tuple of Path
        The files written, in the order of ``contents``.

    Raises
    ------
    InvalidInputError
        For a bad path, an existing file without ``overwrite=True``, or any failure of the
        system while writing (the reason is given; nothing is left half-written).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp()) / "out"
    >>> [p.name for p in write_files(folder, {"a.txt": b"1"})]
    ['a.txt']
    >>> write_files(folder, {"a.txt": b"2"})
    Traceback (most recent call last):
    ...
    custcentric.exceptions.InvalidInputError: `directory` already holds 'a.txt'; pass overwrite=True to replace it.
    >>> (folder / "a.txt").read_bytes()
    b'1'
    >>> write_files(folder, {"a.txt": b"2"}, overwrite=True)[0].read_bytes()
    b'2'
    """
    folder = check_output_directory(folder, name)
    for file_name in contents:
        if not file_name or os.path.basename(file_name) != file_name or file_name in {".", ".."}:
            msg = f"file names must be plain names without a directory (got {file_name!r})."
            raise InvalidInputError(msg)
    if not overwrite:
        present = [f for f in contents if os.path.lexists(folder / f)]
        if present:
            msg = f"`{name}` already holds {present[0]!r}; pass overwrite=True to replace it."
            raise InvalidInputError(msg)
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    temporary: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, data in contents.items():
            temporary.append(_write_new(folder, file_name, data))
        for file_name, part in zip(contents, temporary, strict=True):
            os.replace(part, folder / file_name)
    except OSError as error:
        for part in temporary:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
        for created in missing:  # deepest first
            with contextlib.suppress(OSError):
                created.rmdir()
        raise _path_error(name, str(folder), error) from None
    return tuple(folder / file_name for file_name in contents)
