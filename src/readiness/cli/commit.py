"""`readiness commit`: exactly the readiness files committed, with a message that says what changed."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, ask, show


@click.command("commit", cls=Command)
@click.option("--source", "source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the files and the message; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Commit without asking.")
@click.option("--edit", "-e", is_flag=True, help="Edit the message in your editor before committing.")
@click.option("--message", "-m", help="Use this message instead of the generated one.")
@click.option("--retry", is_flag=True, help="Reuse the message saved by a commit that a hook rejected.")
@click.option("--push", is_flag=True, help="Then push the branch to its own upstream (never forced).")
def command(source: str | None, dry_run: bool, yes: bool, edit: bool, message: str | None,
            retry: bool, push: bool) -> None:
    """Commit exactly the readiness files, with a message that says what changed.

    Commits the source, the pages `readiness build` wrote, task deliverables and what
    `readiness cleanup` staged; anything else you changed or staged stays as it was.
    """
    import os
    import sys

    from readiness.app.commit import commit
    from readiness.cli import head_start

    if retry and message is not None:
        raise click.UsageError("--retry reuses the saved message: it cannot be combined with --message")
    # The entry point may have started the reads already (same folder, default source).
    started = head_start.take(os.getcwd()) if source is None else None
    show(commit(source, dry_run=dry_run, yes=yes, edit=edit, message=message, retry=retry, push=push,
                interactive=sys.stdin.isatty(), ask=ask, started=started))
