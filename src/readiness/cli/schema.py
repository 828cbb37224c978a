"""`readiness schema`: the JSON Schema of the source file, for editors."""

from __future__ import annotations

import click

from readiness.cli.options import Command


@click.command("schema", cls=Command)
def command() -> None:
    """Print the JSON Schema of the source file (for editors)."""
    from readiness.source.models import schema_text

    click.echo(schema_text(), nl=False)
