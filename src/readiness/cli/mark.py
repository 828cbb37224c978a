"""`readiness mark`: one task's status set in the source file."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, show


@click.command("mark", cls=Command)
@click.argument("task")
@click.argument("status")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the change without writing it.")
def command(task: str, status: str, source: str | None, dry_run: bool) -> None:
    """Set TASK's STATUS (done, "in progress", pending, blocked) in the source file.

    Only that value changes: comments, quoting, layout and line endings stay as they are.
    """
    from readiness.app.mark import mark_task

    show(mark_task(task, status, source, dry_run=dry_run))
