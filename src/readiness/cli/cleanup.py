"""`readiness cleanup`: stray Markdown files archived out of the repository root, links kept working."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, ask, show


@click.command("cleanup", cls=Command)
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option("--include-untracked", is_flag=True,
              help="Also move stray files git does not track (they stay untracked).")
@click.option("--undo", is_flag=True, help="Undo the latest cleanup, from its manifest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the plan.")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
def command(dry_run: bool, yes: bool, include_untracked: bool, undo: bool,
            output_format: str, source: str | None) -> None:
    """Archive stray Markdown files from the repository root, keeping every link working.

    Tracked files are moved and staged as `git mv` would, so history follows; links to
    and from them are rewritten; nothing is overwritten. Changes are staged, not
    committed. A manifest in the archive folder lets `readiness cleanup --undo` put
    everything back, also after a cleanup that was killed part way (the next cleanup
    refuses until it is undone).
    """
    import os

    from readiness.app.cleanup import cleanup
    from readiness.cli import head_start

    # The entry point may have found the repository and started listing it already.
    started = None if undo else head_start.take_cleanup(os.getcwd())
    show(cleanup(dry_run=dry_run, yes=yes, include_untracked=include_untracked, undo=undo,
                 as_json=output_format == "json", source=source, ask=ask, started=started))
