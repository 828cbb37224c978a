"""`readiness cleanup`: stray Markdown files archived out of the repository root, or put back (undo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from readiness.app.output import Line, Lines
from readiness.platforms import require_posix
from readiness.words import plural

if TYPE_CHECKING:
    from readiness.git.repository import Reads, Repository


class Started(Protocol):
    """The repository found and its listing begun before the command ran (a head start)."""

    @property
    def repo(self) -> Repository: ...

    @property
    def listing(self) -> Reads: ...


def cleanup(*, dry_run: bool = False, yes: bool = False, include_untracked: bool = False, undo: bool = False,
            as_json: bool = False, source: str | Path | None = None, ask: Callable[[str], None],
            started: Started | None = None) -> Lines:
    """Show the cleanup plan of the repository here (or the undo of the latest cleanup), then,
    unless DRY_RUN, ASK (unless YES) and do it. STARTED: the repository and listing already begun."""
    require_posix("cleanup")

    from readiness.files.locking import exclusive
    from readiness.git.repository import open_repository

    repo = started.repo if started is not None else open_repository(Path.cwd())
    with exclusive(repo.root, "cleanup"):  # dry runs too: never read a cleanup half done
        repo.ensure_safe_state()
        yield from _cleanup(repo, dry_run, yes, include_untracked, undo, as_json, source, ask,
                            started.listing if started is not None else None)


def _cleanup(repo: Repository, dry_run: bool, yes: bool, include_untracked: bool, undo: bool, as_json: bool,
             source: str | Path | None, ask: Callable[[str], None], listing: Reads | None) -> Lines:
    from readiness.cleanup import apply as housekeeping
    from readiness.cleanup.report import report_plan, report_undo
    from readiness.terminal import safe

    settings = housekeeping.housekeeping_settings(
        repo.root, Path(source).resolve() if source else None)
    if undo:
        undo_plan = housekeeping.plan_undo(repo, settings)
        if not (as_json and yes and not dry_run):
            yield Line(report_undo(undo_plan, as_json=as_json, dry_run=dry_run))
        if dry_run:
            return
        if not yes:
            ask(f"Undo the cleanup recorded in {safe(undo_plan.manifest)}?")
        housekeeping.apply_undo(repo, undo_plan)
        yield Line(report_undo(undo_plan, as_json=as_json, done=True))
        return
    plan = housekeeping.survey_and_plan(repo, settings, include_untracked=include_untracked,
                                        listing=listing)
    if plan.empty or dry_run or not (as_json and yes):  # JSON with --yes: one document, after
        yield Line(report_plan(plan, as_json=as_json, dry_run=dry_run))
    if dry_run or plan.empty:
        return
    if not yes:
        ask(f"Move {plural(len(plan.moves), 'file')} and rewrite {plural(plan.link_count, 'link')}?")
    manifest = housekeeping.apply_cleanup(repo, plan)
    yield Line(report_plan(plan, as_json=as_json, manifest=manifest))
