"""`readiness commit`: exactly the readiness files committed, with a message that says what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from readiness.app.output import Line, Lines, note
from readiness.platforms import require_posix

if TYPE_CHECKING:
    from readiness.commit.plan import Reading
    from readiness.git.repository import Reads, Repository


class Started(Protocol):
    """The source found and its git reads begun before the command ran (a head start)."""

    @property
    def source_file(self) -> Path: ...

    @property
    def repo(self) -> Repository: ...

    @property
    def early(self) -> Reads: ...

    @property
    def reading(self) -> Reading: ...


def commit(source: str | Path | None = None, *, dry_run: bool = False, yes: bool = False, edit: bool = False,
           message: str | None = None, retry: bool = False, push: bool = False, interactive: bool = False,
           ask: Callable[[str], None], started: Started | None = None) -> Lines:
    """Show the files and the message, then, unless DRY_RUN, ASK (unless YES), commit and PUSH.

    MESSAGE replaces the generated message; RETRY reuses the one a rejected commit saved; EDIT
    opens the editor (INTERACTIVE: there is a terminal for it). STARTED: the reads already begun
    for the default source."""
    require_posix("commit")

    from readiness.app.project import source_file
    from readiness.files.locking import exclusive
    from readiness.git.repository import open_repository

    if started is not None:
        path, repo = started.source_file, started.repo
    else:
        path = source_file(source)
        repo = open_repository(path.parent if path.parent.is_dir() else None)
    with exclusive(repo.root, "commit"):  # dry runs too: never read a cleanup half done
        yield from _commit(repo, path, dry_run, yes, edit, message, retry, push, interactive, ask, started)


def _commit(repo: Repository, source_file: Path, dry_run: bool, yes: bool, edit: bool, message: str | None,
            retry: bool, push: bool, interactive: bool, ask: Callable[[str], None],
            started: Started | None) -> Lines:
    from readiness.git.repository import commit_reads

    # git starts reading (identity, HEAD, the index) while Python imports the rest
    early = started.early if started is not None else commit_reads(repo, repo.relative(source_file))
    from readiness.commit import plan as committing

    plan = committing.plan_commit(repo, source_file, message=message, retry=retry, push=push, early=early,
                                  reading=started.reading if started is not None else None)
    if not plan.files:
        yield Line(committing.describe_nothing(plan))
        return
    yield Line(committing.describe(plan))
    if dry_run:
        yield Line("Dry run: nothing was committed.")
        return
    if not yes:
        ask(f"Commit these {len(plan.files)} file{'s' * (len(plan.files) != 1)}?")
    try:
        done = committing.execute(repo, plan, edit=edit, interactive=interactive, fresh=yes)
    except committing.HookRejected as rejected:
        yield note(rejected.output.rstrip())
        raise
    if done.output.strip():
        yield Line(done.output.rstrip())
    if done.pushed_to:
        yield Line(f"Pushed to {done.pushed_to}.")
