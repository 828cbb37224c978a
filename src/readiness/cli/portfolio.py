"""`readiness portfolio`: many projects in one table, riskiest first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from readiness.cli.options import Command


@click.command("portfolio", cls=Command)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints the aggregate (its own schema_version) for other tools.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Also show each score on DATE (from the source's git history) against now.")
@click.option("--milestone", "milestone_id", metavar="ID", help="Show milestone ID instead of the next one.")
@click.option("--ci", is_flag=True, help="Exit 1 unless milestone ID of every project is on track or reached.")
def command(sources: tuple[str, ...], fmt: str, since: dt.datetime | None, milestone_id: str | None,
            ci: bool) -> None:
    """Many projects in one table, riskiest first: sources, globs (quoted) and *.readiness.json exports.

    Exit 0 when all were read, 1 when the --ci gate fails, 3 when any source could not be read.
    """
    from readiness.portfolio.command import run

    if ci and milestone_id is None:
        raise click.UsageError("--ci needs --milestone ID: the milestone every project must be on track for")
    outcome = run(sources, Path(), fmt=fmt, since=since.date() if since else None,
                  milestone_id=milestone_id, gate=ci)
    if outcome.output:
        click.echo(outcome.output)
    for line in outcome.messages:
        click.echo(line, err=True)
    if outcome.error is not None:
        raise outcome.error
