"""One readiness command at a time per repository: a lock the next run waits for, then refuses.

The lock is an advisory ``flock`` on a file in the git directory (or beside the source when
there is no repository). The kernel releases it when the holding process exits, however it
exits (even ``kill -9``), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from readiness import settings
from readiness.errors import UnsafeRepository

LOCK_NAME = "readiness.lock"
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# Locks taken ahead by ``hold_now`` (path -> open descriptor), for ``exclusive`` to use.
_HELD: dict[Path, int] = {}


def lock_path(start: Path) -> Path:
    """Where the lock of the repository holding START lives."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        git = candidate / ".git"
        if git.is_dir():
            return git / LOCK_NAME
        if git.is_file():  # a worktree or submodule: .git names the real git directory
            text = git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:"):].strip())
                return (candidate / target if not target.is_absolute() else target) / LOCK_NAME
    return (folder if folder.is_dir() else folder.parent) / f".{LOCK_NAME}"


def hold_now(start: Path, what: str) -> bool:
    """Take the lock of the repository holding START now, if it is free; True when taken.

    For work started ahead of the command line (``readiness.cli.head_start``): it never
    waits. The next ``exclusive`` on that repository in this process uses the lock held.
    """
    path = lock_path(start)
    if path in _HELD:
        return True
    try:
        handle = os.open(path, _FLAGS, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _sign(handle, what)
    except OSError:
        os.close(handle)
        return False
    _HELD[path] = handle
    return True


@contextlib.contextmanager
def exclusive(start: Path, what: str, wait: float | None = None) -> Iterator[None]:
    """Hold the repository's readiness lock while doing WHAT; wait up to WAIT seconds for it."""
    path = lock_path(start)
    handle = _HELD.pop(path, None)  # taken ahead by hold_now, else wait for it
    if handle is None:
        handle = _wait_for(path, what, settings.lock_wait() if wait is None else wait)
    try:
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _wait_for(path: Path, what: str, wait: float) -> int:
    """The lock file at PATH, open and locked for WHAT; waits up to WAIT seconds, then refuses."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, _FLAGS, 0o644)
    except OSError as error:
        raise UnsafeRepository(f"cannot open the lock file {path}: {error.strerror}") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(handle)
                    raise UnsafeRepository(
                        f"another readiness command{holder} is running in this repository; "
                        f"{what} did not start: try again when it has finished"
                    ) from None
                time.sleep(0.05)
        _sign(handle, what)
    except BaseException:
        os.close(handle)
        raise
    return handle


def _sign(handle: int, what: str) -> None:
    """Say in the lock file who holds it, for the message of a command that waits."""
    os.ftruncate(handle, 0)
    os.write(handle, f"{os.getpid()} {what}\n".encode())


def _holder(handle: int) -> str:
    try:
        text = os.pread(handle, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        return ""
    return f" ({' '.join(text[1:])}, process {text[0]})" if len(text) >= 2 else ""
