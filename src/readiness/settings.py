"""Every ``READINESS_*`` environment variable the program reads, parsed in one place.

Each variable has one reader here, which returns its value or its default when it is not
set (or set to nothing), and raises BadSetting (one line naming the variable and what it
accepts, exit 2) when it is set to something it does not accept. ``check_all`` reads them
all: the command line and the MkDocs plugin call it before anything else, so a bad value is
reported before any work starts, never as a traceback half way.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.errors import ReadinessError

# A state older than this, counted from its as-of date to the day of the run, gets a note.
STALE_AFTER_DAYS = 30


def build_date() -> dt.date:
    """The day of the run: ``SOURCE_DATE_EPOCH`` (reproducible builds) if set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


class BadSetting(ReadinessError):
    """A READINESS_* environment variable holds a value it does not accept: a usage error."""

    exit_code = 2


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or not value.strip() else value.strip()


def _refuse(name: str, value: str, accepts: str) -> BadSetting:
    shown = value if len(value) <= 40 else value[:39] + "…"
    return BadSetting(f"{name}={shown!r} is not valid: {accepts}")


def _count(name: str, default: int, what: str) -> int:
    """A whole number above 0 (digits only, an optional `_` between them)."""
    value = _raw(name)
    if value is None:
        return default
    digits = value.replace("_", "")
    if not digits.isascii() or not digits.isdigit() or int(digits) <= 0:
        raise _refuse(name, value, f"expected a whole number of {what} above 0 (default {default:,})")
    return int(digits)


def _seconds(name: str, default: float) -> float:
    """A finite number of seconds, 0 or more."""
    value = _raw(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0 or not value.isascii():
        raise _refuse(name, value, f"expected a number of seconds, 0 or more (default {default:g})")
    return seconds


def max_bytes() -> int:
    """READINESS_MAX_BYTES: the largest source file (or project template) read, in bytes."""
    return _count("READINESS_MAX_BYTES", 32 * 1024 * 1024, "bytes")


def max_nodes() -> int:
    """READINESS_MAX_NODES: how many values the source's aliases may expand to."""
    return _count("READINESS_MAX_NODES", 2_000_000, "values")


def max_depth() -> int:
    """READINESS_MAX_DEPTH: how deep the source's aliases may nest."""
    return _count("READINESS_MAX_DEPTH", 64, "levels")


def lock_wait() -> float:
    """READINESS_LOCK_WAIT: how long a command waits for another one's lock, in seconds."""
    return _seconds("READINESS_LOCK_WAIT", 10.0)


def cache_dir() -> Path | None:
    """READINESS_CACHE_DIR: the folder of the digest cache; None when set to ``off``.

    Not set: the default folder (``$XDG_CACHE_HOME/readiness``); any path is accepted.
    """
    value = os.environ.get("READINESS_CACHE_DIR")
    if value is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "readiness"
    return None if value.strip().lower() in ("", "off") else Path(value)


def test_pause_at() -> str | None:
    """READINESS_TEST_PAUSE_AT: the step at which a test wants the program to pause."""
    return os.environ.get("READINESS_TEST_PAUSE_AT") or None


def test_pause_seconds() -> float:
    """READINESS_TEST_PAUSE_SECONDS: how long that pause lasts."""
    return _seconds("READINESS_TEST_PAUSE_SECONDS", 60.0)


_READERS: tuple[Callable[[], Any], ...] = (max_bytes, max_nodes, max_depth, lock_wait, cache_dir,
                                            test_pause_at, test_pause_seconds)


def check_all() -> None:
    """Read every variable; BadSetting for the first one set to a value it does not accept."""
    for reader in _READERS:
        reader()


def at_import(reader: Callable[[], int], default: int) -> int:
    """READER's value for a module constant set at import: its default when the variable is
    bad (``check_all``, called first by the command line and the plugin, reports it)."""
    try:
        return reader()
    except BadSetting:
        return default
