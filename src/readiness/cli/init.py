"""`readiness init`: a starting source file and site configuration in this folder."""

from __future__ import annotations

from pathlib import Path

import click

from readiness.cli.options import Command, show


@click.command("init", cls=Command)
@click.option("--name", default=None, help="Project name (default: the folder name).")
def command(name: str | None) -> None:
    """Create content/readiness.yaml and mkdocs.yml in this folder; never overwrites."""
    from readiness.app.init import init_project

    show(init_project(Path.cwd(), name))
