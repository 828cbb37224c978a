"""`readiness verify`: the verify commands of done tasks run, and their results recorded as evidence."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, NumberRange, ask, show


@click.command("verify", cls=Command)
@click.argument("tasks", nargs=-1, metavar="[TASK]...")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--yes", is_flag=True, help="Run without asking (for scripts and CI).")
@click.option("--timeout", type=NumberRange(min=0, min_open=True), default=300, show_default=True,
              metavar="SECONDS", help="Stop a command (and every process it started) after this long.")
def command(tasks: tuple[str, ...], source: str | None, yes: bool, timeout: float) -> None:
    """Run the verify commands of TASKs (default: every done task) and record the results.

    This RUNS COMMANDS WRITTEN IN THE SOURCE FILE, from the repository root: read
    them first. It lists what will run and asks (--yes skips the question; with no
    terminal and no --yes it refuses, exit 8). A plain command runs directly; one
    with shell syntax (pipes, redirections, &&, $VAR, globs, cd ...) runs through
    `bash -c`. Results (pass or fail, exit code, duration, commit, time) go to
    evidence.yaml next to the source; a task's status is never changed. Exit 1 when
    any command failed.
    """
    from readiness.app.verify import verify_tasks

    show(verify_tasks(tasks, source, yes=yes, ask=ask, timeout=timeout))
