"""What the commands that change files need from the operating system, and one clear line where
it is missing.

They need POSIX: ``flock`` for the lock that keeps two runs apart (released by the kernel
however its holder ends) and process groups to stop every process a verify command started.
Windows has neither; rather than a traceback half way, or a weaker lock that would not keep
the promises, those commands refuse there before they read anything. ``check``, ``status``,
``schema``, ``history``, ``init`` and the MkDocs plugin need neither and run everywhere.
"""

from __future__ import annotations

import os
import sys

from readiness.errors import Unsupported

# The commands that refuse without POSIX (the README's list of what takes the lock, and verify).
NEEDS_POSIX = ("build", "mark", "cleanup", "commit", "verify", "badge")


def missing_facilities() -> list[str]:
    """What this system lacks of what the commands that change files need (none on POSIX)."""
    missing = []
    try:
        import fcntl  # noqa: F401
    except ImportError:
        missing.append("file locks (fcntl)")
    if not hasattr(os, "killpg"):
        missing.append("process groups (os.killpg)")
    return missing


def require_posix(command: str) -> None:
    """Refuse COMMAND, with one line, on a system without what it needs."""
    missing = missing_facilities()
    if missing:
        raise Unsupported(
            f"`readiness {command}` needs {' and '.join(missing)}, which this system ({sys.platform}) "
            "lacks: it runs on Linux, macOS and other POSIX systems (on Windows, in WSL); check, "
            "status, schema, history and the MkDocs plugin work here")


def signal_group(pgid: int, number: int) -> bool:
    """Send signal NUMBER to process group PGID; False when the group is gone (or not ours)."""
    try:
        os.killpg(pgid, number)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def group_alive(pgid: int) -> bool:
    """Whether any process of group PGID is still running (signal 0 asks without sending)."""
    return signal_group(pgid, 0)
