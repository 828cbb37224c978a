"""`readiness badge`: the score badge, readiness.svg and a shields.io endpoint readiness.json."""

from __future__ import annotations

import click

from readiness.cli.options import SOURCE_FILE, SOURCE_HELP, Command, show


@click.command("badge", cls=Command)
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False),
              help="Where to write readiness.svg and readiness.json (default: the pages folder, "
                   "housekeeping.pages_dir, else docs/readiness under the repository root).")
def command(source: str | None, out: str | None) -> None:
    """Write the score badge: readiness.svg and a shields.io endpoint readiness.json.

    Never replaces a file it did not write (exit 4).
    """
    from readiness.app.badge import write_badge

    show(write_badge(source, out))
