"""What the command modules share: option types, the command class, asking and showing."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from readiness.app.output import Line

SOURCE_HELP = ("The source file (default: the readiness plugin's source in mkdocs.yml, mkdocs.yaml, "
               "properdocs.yml or zensical.toml, else content/readiness.yaml).")

# A file name: the shell completes it with the names of files (click's completion).
SOURCE_FILE = click.Path(dir_okay=False)


class NumberRange(click.FloatRange):
    """click's FloatRange, refusing NaN: NaN compares false with both bounds, so click lets it
    through as in range (``--min-score nan`` would pass every score)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if isinstance(number, float) and math.isnan(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class _LocatedUsage:
    """Usage errors that name their command, so that the message can say where the help is.

    click raises some while parsing without a context (``--min-score`` with no value:
    "option '--min-score' requires an argument"); they get the command being parsed.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.UsageError as error:
            if error.ctx is None:
                error.ctx = ctx
            raise


class Command(_LocatedUsage, click.Command):
    """A readiness command: a value the source does not know (``WrongUsage``) is a usage error."""

    def invoke(self, ctx: click.Context) -> Any:
        from readiness.errors import WrongUsage

        try:
            return super().invoke(ctx)
        except WrongUsage as error:
            raise click.BadParameter(error.message, ctx=ctx, param_hint=error.option) from None


class Group(_LocatedUsage, click.Group):
    command_class = Command


def ask(question: str) -> None:
    """Ask before changing anything; refuse rather than hang without a terminal."""
    from readiness.errors import NotConfirmed

    if not sys.stdin.isatty():
        raise NotConfirmed("no terminal to ask for confirmation: run again with --yes")
    if not click.confirm(question, default=False):
        raise NotConfirmed("nothing was changed")


def show(lines: Iterable[Line]) -> None:
    """Print LINES as they come, each on its stream."""
    for line in lines:
        echo(line)


def echo(line: Line) -> None:
    """Print LINE on its stream."""
    click.echo(line.text, err=line.err, nl=line.nl, color=line.colour)


def flush() -> None:
    """Write out what standard output holds; a failure is reported at the end, by ``main``."""
    import contextlib

    from readiness.errors import ReadinessError

    with contextlib.suppress(OSError, ReadinessError):
        sys.stdout.flush()
