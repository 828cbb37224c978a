"""`mark` never loses a save made while it writes, and keeps the file's owner and attributes.

The edit is written to a temporary file first; the source is checked just before the
rename, the rename swaps the names atomically, and what was replaced is checked again: a
save that slipped in between (in place, or by an editor's own rename) is put back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.errors import ReadinessError
from readiness.files import atomic
from readiness.source.mark import CannotMarkSafely, mark_file
from tests.support.sources import ONE_TASK

SOURCE = ONE_TASK
THEIRS = SOURCE + "# a note saved by an editor\n"


def in_place(target: Path) -> None:
    with open(target, "r+b") as handle:  # as editors that write in place: same inode, new bytes
        handle.seek(0)
        handle.write(THEIRS.encode())
        handle.truncate()


def by_rename(target: Path) -> None:
    fresh = target.with_name("editor-save.tmp")
    fresh.write_text(THEIRS)
    os.replace(fresh, target)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "hard-link"])
@pytest.mark.parametrize("save", [in_place, by_rename])
def test_a_save_between_the_check_and_the_rename_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         save: object, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    with pytest.raises(CannotMarkSafely, match="changed on disk") as caught:
        mark_file(path, "a", "done", after_check=save)  # type: ignore[arg-type]
    assert caught.value.exit_code == 4
    assert path.read_text() == THEIRS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def test_a_save_before_the_check_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    with pytest.raises(CannotMarkSafely, match="changed on disk"):
        mark_file(path, "a", "done", before_replace=in_place)
    assert path.read_text() == THEIRS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


WRITER = r"""
import os, random, sys, time
path, count = sys.argv[1], int(sys.argv[2])
random.seed(7)
for number in range(count):
    with open(path, "rb") as handle:
        text = handle.read()
    new = text + b"# edit %d\n" % number
    if number % 2:
        with open(path, "r+b") as handle:  # in place
            handle.seek(0)
            handle.write(new)
            handle.truncate()
    else:
        fresh = path + ".editor"
        with open(fresh, "wb") as handle:
            handle.write(new)
        os.replace(fresh, path)
    print(number, flush=True)
    time.sleep(random.random() * 0.02)
"""


def test_an_editor_saving_at_random_moments_never_loses_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    edits = 200
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(edits)], stdout=subprocess.PIPE,
                              text=True)
    outcomes: dict[str, int] = {}
    try:
        for number in range(150):
            try:
                mark_file(path, "a", "done" if number % 2 else "blocked")
                outcomes["marked"] = outcomes.get("marked", 0) + 1
            except ReadinessError as error:  # refused (4), or read half written by the editor (3)
                outcomes[type(error).__name__] = outcomes.get(type(error).__name__, 0) + 1
            if writer.poll() is not None:
                break
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    text = path.read_text()
    lost = [number for number in range(edits) if f"# edit {number}\n" not in text]
    assert lost == [], f"edits lost: {lost} ({outcomes})"
    mark_file(path, "a", "pending")  # the file the editor left is whole: it loads and marks
    assert "status: pending" in path.read_text()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "r.yaml")
    assert leftovers == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_the_owner_of_the_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    os.chown(path, 65534, 65534)  # nobody
    path.chmod(0o640)
    edit = mark_file(path, "a", "done")
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (65534, 65534, 0o640)
    assert edit.warnings == ()
    assert "status: done" in path.read_text()


def test_an_owner_that_cannot_be_kept_is_reported_in_one_line(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)

    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    edit = mark_file(path, "a", "done")
    if os.geteuid() == 0:
        assert len(edit.warnings) == 1
        assert "was owned by uid 65534" in edit.warnings[0]
    assert "status: done" in path.read_text()


def test_user_extended_attributes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    try:
        os.setxattr(path, "user.origin", b"wiki export")
    except OSError:
        pytest.skip("this file system has no user extended attributes")
    edit = mark_file(path, "a", "done")
    assert os.getxattr(path, "user.origin") == b"wiki export"
    assert edit.warnings == ()
    assert "status: done" in path.read_text()


def test_cli_warns_when_an_attribute_cannot_be_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    try:
        os.setxattr(path, "user.origin", b"x")
    except OSError:
        pytest.skip("this file system has no user extended attributes")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "setxattr", refuse)
    edit = mark_file(path, "a", "done")
    assert edit.warnings == (f"readiness: {path}: could not keep the extended attributes user.origin (the file "
                             "system of the new file refuses them)",)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "hard-link"])
def test_a_file_moved_away_in_the_last_instant_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)

    def keep_a_backup(target: Path) -> None:  # as vim does: the original becomes the backup
        target.rename(target.with_name("r.yaml~"))

    with pytest.raises(CannotMarkSafely, match="changed on disk"):
        mark_file(path, "a", "done", after_check=keep_a_backup)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml~"]
    assert (tmp_path / "r.yaml~").read_text() == SOURCE


def test_a_file_read_half_saved_is_refused_as_changed_not_invalid(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from readiness.source import mark as edit

    path = tmp_path / "r.yaml"
    path.write_text(SOURCE)
    real_read = edit._read

    def half(target: Path, display: str) -> tuple[bytes, os.stat_result]:
        data, info = real_read(target, display)
        return data[: len(data) // 3], info  # what a read in the middle of an editor's save sees

    monkeypatch.setattr(edit, "_read", half)
    with pytest.raises(CannotMarkSafely, match="changed on disk while mark was reading it"):
        mark_file(path, "a", "done")
    assert path.read_text() == SOURCE
