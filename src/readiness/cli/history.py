"""`readiness history`: the score, tasks done and milestones reached at every commit of the source."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, show


@click.command("history", cls=Command)
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints every commit's figures for other tools.")
def command(source: str | None, fmt: str) -> None:
    """The score, tasks done and milestones reached at every commit that changed the source."""
    from readiness.app.history import history_report

    # A bar only for a person at a terminal (and only when the walk takes a while).
    show(history_report(source, fmt=fmt, progress=_bar if sys.stderr.isatty() else None))


@contextmanager
def _bar(total: int) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=total, label="Reading history", file=sys.stderr) as bar:
        yield bar.update
