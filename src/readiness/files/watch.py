"""`readiness build --watch`: rebuild the pages on disk whenever the files they come from change.

For site tools that do not run the MkDocs plugin (Zensical drops plugins it does not know):
they serve the Markdown files, and reload when those change. A polling loop over a handful
of files, portable and without a dependency; a burst of saves (an editor writing a file in
steps, a checkout) gives one rebuild once the files have stopped changing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

# What is known of a file between two looks: modification time, size and inode (an editor
# that saves by renaming a new file into place changes the inode, maybe nothing else).
Stamp = tuple[int, int, int]
Snapshot = dict[Path, Stamp | None]

INTERVAL = 0.25  # seconds between two looks
SETTLE = 0.2  # seconds the files must stay unchanged before a rebuild


def snapshot(paths: Sequence[Path]) -> Snapshot:
    """The stamp of each file in PATHS, and of every file under each folder among them (None
    for one that does not exist: its creation is a change too)."""
    state: Snapshot = {}
    for path in paths:
        state[path] = _stamp(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    state[child] = _stamp(child)
    return state


def _stamp(path: Path) -> Stamp | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def watch(paths: Sequence[Path], rebuild: Callable[[], None], *, interval: float = INTERVAL,
          settle: float = SETTLE, sleep: Callable[[float], None] = time.sleep,
          rounds: int | None = None) -> None:
    """Call REBUILD now, then each time a file under PATHS changes, once the changes have
    settled for SETTLE seconds. Runs until interrupted (or for ROUNDS looks, for tests).

    The snapshot is taken before each rebuild, so a save during a rebuild gives another one."""
    seen = snapshot(paths)
    rebuild()
    looked = 0
    while rounds is None or looked < rounds:
        looked += 1
        sleep(interval)
        now = snapshot(paths)
        if now == seen:
            continue
        while True:  # wait for a quiet moment: one rebuild for a burst of saves
            sleep(settle)
            later = snapshot(paths)
            if later == now:
                break
            now = later
        seen = now
        rebuild()
