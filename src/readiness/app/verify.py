"""`readiness verify`: the verify commands of done tasks run, and their results recorded as evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from readiness.app.output import Line, Lines, note
from readiness.platforms import require_posix


def verify_tasks(tasks: Sequence[str] = (), source: str | Path | None = None, *, yes: bool = False,
                 ask: Callable[[str], None], timeout: float = 300) -> Lines:
    """Run the verify commands of TASKS (default: every done task) from the repository root, after
    listing them and ASKing (unless YES); record each task's results in the evidence file.

    An unknown task id raises ``WrongUsage``; ``GateFailed`` when any command failed."""
    require_posix("verify")

    from readiness.app.project import display_path, load
    from readiness.errors import GateFailed, WrongUsage
    from readiness.files.atomic import refuse_linked_source_folders
    from readiness.git.repository import changed_tracked_files, open_repository
    from readiness.source.evidence import load_evidence
    from readiness.source.locate import evidence_path
    from readiness.terminal import safe
    from readiness.verify.record import record_results
    from readiness.verify.run import command_result, needs_shell, run_command, tail_text

    path, _, model = load(source)
    known = {t.id for t in model.tasks}
    for task_id in tasks:
        if task_id not in known:
            raise WrongUsage(f"no task with id {task_id!r}", option="TASK")
    selected = [model.task(i) for i in dict.fromkeys(tasks)] if tasks else [t for t in model.tasks if t.is_done]
    runnable = [t for t in selected if t.verify]
    for task in selected:
        if not task.verify:
            yield Line(f"{safe(task.id)}: no verify commands, skipped")
    if not runnable:
        yield Line("nothing to run")
        return
    where = evidence_path(path)
    refuse_linked_source_folders(where)  # before anything runs; the lock's file would go through it too
    if where.is_symlink():  # refused before any command runs, as the write would be (exit 4)
        from readiness.errors import WouldLoseData

        raise WouldLoseData(f"{display_path(where.parent)}/{where.name}: is a symbolic link; verify does not "
                            "write the evidence file through links: make it a real file")
    repo = open_repository(path.parent)
    load_evidence(where)  # a broken file stops us before anything runs
    yield Line(f"These commands will run from {repo.root}:")
    for task in runnable:
        for command in task.verify:
            how = "  (bash -c)" if needs_shell(command) else ""
            yield Line(f"  {safe(task.id)}: {safe(command)}{how}")
    count = sum(len(t.verify) for t in runnable)
    if not yes:
        _ask_to_run(ask, f"Run {count} command{'s' if count != 1 else ''}?")
    commit = repo.head_commit()
    evidence_relative = repo.relative(where)
    dirty = any(p != evidence_relative for p in changed_tracked_files(repo))
    failed = 0
    for task in runnable:
        runs = []
        for command in task.verify:  # all of them, even after a failure: each is its own evidence
            yield Line(f"{safe(task.id)}: {safe(command)} ... ", nl=False)
            run = run_command(command, repo.root, timeout=timeout)
            yield Line(f"passed ({run.duration:.1f} s)" if run.passed else f"FAILED: {safe(run.message or '')}")
            if not run.passed and run.output:
                for line in tail_text(run.output, 2048).splitlines()[-20:]:
                    yield note(f"    | {safe(line)}")
            runs.append(run)
        # After each task, so an interruption keeps what ran; under the lock, merged with
        # what another verify may have recorded meanwhile.
        for leftover in record_results(where, task.id, [command_result(r, commit, dirty) for r in runs]):
            yield note(f"readiness: removed {safe(str(leftover))}, left by an interrupted run")
        failed += not all(r.passed for r in runs)
    yield Line(f"{len(runnable) - failed} of {len(runnable)} tasks passed; "
               f"results in {safe(display_path(where))}")
    if failed:
        raise GateFailed(f"{failed} task{'s' if failed != 1 else ''} failed verification")


def _ask_to_run(ask: Callable[[str], None], question: str) -> None:
    """ASK QUESTION; a refusal says nothing ran (not "nothing was changed")."""
    from readiness.errors import NotConfirmed

    try:
        ask(question)
    except NotConfirmed as refused:
        if "terminal" in str(refused):
            raise
        raise NotConfirmed("nothing was run") from None
