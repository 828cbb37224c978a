"""A head start for `readiness commit`: its git reads run while Python loads the command line.

Loading click and the command line takes a Python process about 30 ms; the reads a commit
needs (the identity, HEAD, the index, the source at HEAD, the status of the readiness
paths) keep git busy about as long. When the arguments ask for ``commit`` with the default
source, the program's entry point (``readiness.entry``) finds the repository and starts
those reads before it imports the command line; ``readiness commit`` takes them.

Nothing here writes to the repository. The readiness lock is taken first, without waiting,
as ``commit`` would before reading; when it is busy, or anything fails, the head start is
dropped and the command reads everything itself, in its usual order and with its usual
errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from readiness.committing import Reading
    from readiness.gitops import Reads, Repository


class HeadStart(NamedTuple):
    """What was found and started, for the folder CWD."""

    cwd: str
    source_file: Path
    repo: Repository
    early: Reads  # gitops.commit_reads
    reading: Reading  # committing.begin_plan


_ready: list[HeadStart] = []


def wanted(argv: list[str]) -> bool:
    """Whether ARGV (without the program name) runs ``commit`` on the default source."""
    while argv[:1] == ["--debug"]:
        argv = argv[1:]
    return argv[:1] == ["commit"] and not any(
        arg in ("-h", "--help") or arg.startswith("--source") for arg in argv[1:])


def begin() -> None:
    """Find the repository and start the reads, for ``take``; on any failure, nothing."""
    try:
        import os
        from pathlib import Path

        from readiness import locking
        from readiness.committing import begin_plan
        from readiness.faults import pause_point
        from readiness.gitops import commit_reads, open_repository
        from readiness.locate import find_source

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
    found = _ready.pop() if _ready else None
    return found if found is not None and found.cwd == cwd else None
