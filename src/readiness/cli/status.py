"""`readiness status`: score, projections, phases, milestones and the first steps of the plan."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, show


@click.command("status", cls=Command)
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--limit", default=5, show_default=True, help="How many steps of the plan to show.")
@click.option("--at", "rev", metavar="REV", help="The state at a commit, tag or branch (from git history).")
def command(source: str | None, limit: int, rev: str | None) -> None:
    """Summarise score, projections, phases, milestones and the first steps of the plan."""
    import os
    import sys

    from readiness.app.status import status_report
    from readiness.terminal import colour_wanted

    colour = colour_wanted(sys.stdout.isatty(), os.environ)
    show(status_report(source, limit=limit, rev=rev, colour=colour))
