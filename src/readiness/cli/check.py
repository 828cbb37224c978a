"""`readiness check`: validate the source file and apply the gates asked for."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, NumberRange, show


@click.command("check", cls=Command)
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--source", "source_opt", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints every figure for other tools.")
@click.option("--min-score", type=NumberRange(0, 100), metavar="N",
              help="Exit 1 when the score is below N.")
@click.option("--ci", is_flag=True,
              help="CI gate: also exit 1 when pages on disk are stale, a done task's "
                   "deliverables are missing, or the project's copy of the JSON Schema is stale.")
@click.option("--milestone", "milestones", multiple=True, metavar="ID",
              help="Exit 1 unless milestone ID is reached (repeatable).")
def command(file: str | None, source_opt: str | None, fmt: str, min_score: float | None,
            ci: bool, milestones: tuple[str, ...]) -> None:
    """Validate the source file; exit 0 when valid, 3 when not, 1 when a gate fails.

    Gates: --min-score, --milestone, and with --ci stale pages, missing deliverables and a
    stale copy of the JSON Schema (schema/readiness.schema.json, as `init` wrote it, or the
    file the source's yaml-language-server line names); one line per failure.

    --format json adds "verification" (evidence) and "gate"; for an invalid source it
    prints {"valid": false, "problems": [...]} (each with file, line, column, path and
    message) and still exits 3.
    """
    from readiness.app.check import check_source

    show(check_source(file or source_opt, fmt=fmt, min_score=min_score, ci=ci, milestones=milestones))
