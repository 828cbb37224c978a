"""`readiness mark`: one task's status set in the source file, nothing else in it changed."""

from __future__ import annotations

from pathlib import Path

from readiness.app.output import Line, Lines, note
from readiness.platforms import require_posix


def mark_task(task: str, status: str, source: str | Path | None = None, *, dry_run: bool = False) -> Lines:
    """Set TASK's STATUS in the source file (with DRY_RUN, only say what would change)."""
    require_posix("mark")

    from readiness.app.project import display_path, source_file
    from readiness.digest import remember_model
    from readiness.files.atomic import refuse_linked_source_folders
    from readiness.files.locking import exclusive
    from readiness.source.locate import evidence_bytes, evidence_path
    from readiness.source.mark import mark_file
    from readiness.terminal import safe

    path = source_file(source)
    refuse_linked_source_folders(path)  # before the lock, whose file would go through the link too
    with exclusive(path.parent, "mark"):
        runs = evidence_bytes(evidence_path(path))
        edit = mark_file(path, task, status, dry_run=dry_run,
                         remember=lambda data, model: remember_model(data, model, runs))
    for leftover in edit.removed:
        yield note(f"readiness: removed {safe(leftover)}, left by an interrupted run")
    for warning in edit.warnings:
        yield note(safe(warning))
    where = safe(f"{display_path(path)}:{edit.line}:{edit.column}")
    task_id, old = safe(edit.task_id), safe(edit.old)
    if not edit.changed:
        yield Line(f"{where}: task '{task_id}' is already {edit.new}; nothing changed")
    elif dry_run:
        yield Line(f"{where}: task '{task_id}' would change from {old} to {edit.new} (dry run)")
    else:
        yield Line(f"{where}: task '{task_id}': {old} -> {edit.new}")
