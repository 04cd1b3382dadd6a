"""The one safe writer: no link followed, no user's file replaced unasked, all or nothing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from custcentric import _files
from custcentric._files import write_files
from custcentric.exceptions import InvalidInputError


def test_a_link_planted_under_a_final_name_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "README.md").symlink_to(outside)
    write_files(folder, {"README.md": b"new"}, overwrite=True)
    assert outside.read_text() == "keep me"
    assert not (folder / "README.md").is_symlink()
    assert (folder / "README.md").read_bytes() == b"new"


def test_existing_files_are_refused_without_overwrite_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.txt").write_text("mine")
    with pytest.raises(InvalidInputError, match=r"already holds 'b.txt'; pass overwrite=True"):
        write_files(tmp_path, {"a.txt": b"1", "b.txt": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt"]
    assert (tmp_path / "b.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("directory", "match"),
    [("", "must not be empty"), (b"x", "str or path-like"), (None, "str or path-like")],
)
def test_bad_paths_are_refused_before_writing(directory: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        write_files(directory, {"a.txt": b"1"})  # type: ignore[arg-type]


@pytest.mark.parametrize("file_name", ["", "../a.txt", "sub/a.txt", ".."])
def test_file_names_must_be_plain(tmp_path: Path, file_name: str) -> None:
    with pytest.raises(InvalidInputError, match="plain names"):
        write_files(tmp_path, {file_name: b"1"})


def test_a_full_disk_is_an_error_of_ours_and_leaves_the_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("old")
    real = _files._write_new
    calls = []

    def fail_on_second(folder: Path, file_name: str, data: bytes) -> Path:
        calls.append(file_name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(folder, file_name, data)

    monkeypatch.setattr(_files, "_write_new", fail_on_second)
    with pytest.raises(InvalidInputError, match="No space left on device"):
        write_files(tmp_path, {"a.txt": b"new", "b.txt": b"2"}, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left
    assert (tmp_path / "a.txt").read_text() == "old"


def test_a_directory_created_for_a_failed_run_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(folder: Path, file_name: str, data: bytes) -> Path:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(_files, "_write_new", fail)
    target = tmp_path / "new" / "deeper"
    with pytest.raises(InvalidInputError, match="Permission denied"):
        write_files(target, {"a.txt": b"1"})
    assert not (tmp_path / "new").exists()


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    (path,) = write_files(tmp_path, {"a.txt": b"1"})
    assert path.stat().st_mode & 0o777 == 0o644
