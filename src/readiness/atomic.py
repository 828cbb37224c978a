"""Replacing a file whole: a reader sees the old bytes or the new ones, never half of them.

The new bytes go to a temporary file beside the target (``.NAME.XXXXXXXX.tmp``), are
synced, then renamed over it. A process killed before the rename leaves the target as it
was and, at worst, that temporary file: the next run of the command that writes the
target removes it (``remove_leftovers``, called under the repository's readiness lock, so
no other readiness process can be writing it) and says so.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from readiness.faults import pause_point

_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what tempfile.mkstemp puts between prefix and suffix


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace PATH with DATA (with MODE, if given) so a reader sees the old file or the new one.

    The folder is synced after the rename, so the new name survives a power cut too.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        pause_point(f"replace {path.name}")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # not every system opens folders
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files a killed ``write_atomically`` of PATH left; return them."""
    removed = []
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        if not _RANDOM.fullmatch(name[len(prefix):-len(".tmp")]):
            continue
        try:
            if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except FileNotFoundError:
            continue
    return removed
