"""A head start for `readiness commit` and `readiness cleanup`: their git reads run while
Python loads the command line.

Loading click and the command line takes a Python process about 30 ms; the reads a commit
needs (the identity, HEAD, the index, the source at HEAD, the status of the readiness
paths) keep git busy about as long, and so does listing the Markdown files of a large
repository for cleanup. When the arguments ask for ``commit`` with the default source, or
for ``cleanup`` (not ``--undo``), the program's entry point (``readiness.cli.entry``) finds
the repository and starts those reads before it imports the command line; the command
takes them.

Nothing here writes to the repository. The readiness lock is taken first, without waiting,
as ``commit`` would before reading; when it is busy, or anything fails, the head start is
dropped and the command reads everything itself, in its usual order and with its usual
errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    from readiness.commit.plan import Reading
    from readiness.git.repository import Reads, Repository


class CleanupStart(NamedTuple):
    """What was found and started for ``cleanup`` in the folder CWD."""

    cwd: str
    repo: Repository
    listing: Reads  # Repository.start_listing(documents.DOCUMENT_SPECS)


class HeadStart(NamedTuple):
    """What was found and started, for the folder CWD."""

    cwd: str
    source_file: Path
    repo: Repository
    early: Reads  # gitops.commit_reads
    reading: Reading  # committing.begin_plan


_ready: list[HeadStart] = []
_ready_cleanup: list[CleanupStart] = []


def wanted(argv: list[str]) -> str | None:
    """The command ARGV (without the program name) gives a head start to, if any: ``commit``
    on the default source, or ``cleanup`` other than ``--undo``."""
    while argv[:1] == ["--debug"]:
        argv = argv[1:]
    if any(arg in ("-h", "--help") for arg in argv[1:]):
        return None
    if argv[:1] == ["commit"] and not any(arg.startswith("--source") for arg in argv[1:]):
        return "commit"
    if argv[:1] == ["cleanup"] and "--undo" not in argv[1:]:
        return "cleanup"
    return None


def begin_cleanup() -> None:
    """Find the repository, take its lock and start listing its documents, for
    ``take_cleanup``; on any failure, nothing."""
    try:
        import os

        from readiness.documents import DOCUMENT_SPECS
        from readiness.files import locking
        from readiness.files.faults import pause_point
        from readiness.git.repository import open_repository

        cwd = os.getcwd()
        repo = open_repository()
        if not locking.hold_now(repo.root, "cleanup"):
            return  # another readiness command runs here: cleanup waits for it, then lists
        _ready_cleanup.append(CleanupStart(cwd, repo, repo.start_listing(DOCUMENT_SPECS)))
        pause_point("head-start")
    except Exception:  # any failure: the command does everything itself and reports it
        return


def take_cleanup(cwd: str) -> CleanupStart | None:
    """The head start for a ``cleanup`` run in CWD, if there is one."""
    return _taken(_ready_cleanup, cwd)


def begin() -> None:
    """Find the repository and start the reads, for ``take``; on any failure, nothing."""
    try:
        import os
        from pathlib import Path

        from readiness.commit.plan import begin_plan
        from readiness.files import locking
        from readiness.files.faults import pause_point
        from readiness.git.repository import commit_reads, open_repository
        from readiness.source.locate import find_source

        cwd = os.getcwd()
        source_file = find_source(Path(cwd))
        repo = open_repository(source_file.parent if source_file.parent.is_dir() else None)
        if not locking.hold_now(repo.root, "commit"):
            return  # another readiness command runs here: commit waits for it, then reads
        source = repo.relative(source_file)
        reading = begin_plan(repo, source)  # the status first: the longest read
        _ready.append(HeadStart(cwd, source_file, repo, commit_reads(repo, source), reading))
        pause_point("head-start")
    except Exception:  # any failure: the command reads everything itself and reports it
        return


def take(cwd: str) -> HeadStart | None:
    """The head start for a ``commit`` run in CWD with the default source, if there is one."""
    return _taken(_ready, cwd)


_Started = TypeVar("_Started", HeadStart, CleanupStart)


def _taken(ready: list[_Started], cwd: str) -> _Started | None:
    """The head start in READY, if it was made for the folder CWD (it is dropped either way)."""
    found = ready.pop() if ready else None
    return found if found is not None and found.cwd == cwd else None
