"""The `readiness` command: thin click front end over the library.

Each command parses its options, calls one library function and prints the result.
Errors are ReadinessError subclasses; ``main`` maps them to exit codes in one place.
Heavy modules (pydantic, jinja2, mkdocs, git) are imported inside the commands so that
``readiness --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from readiness.errors import Interrupted, ReadinessError

SOURCE_HELP = "The source file (default: found from mkdocs.yml or content/readiness.yaml)."


class Context:
    """Options shared by every command."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readiness")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Keep a project's production-readiness state in one YAML file.

    \b
    Exit codes:
      0  success
      1  a check you asked for failed (--min-score, stale pages)
      2  wrong usage of the command
      3  the source file is invalid
      4  refused: it would overwrite or lose data
      5  the repository is in an unsafe state (merge, lock, no identity)
      6  git commit failed (for example a hook rejected it)
      7  the push failed (the local commit is kept)
      8  not confirmed (declined, or no terminal and no --yes)
      130 interrupted
    """
    ctx.obj = Context(debug=debug)


def resolve_source(source: str | None) -> Path:
    """The source file: --source, else the plugin config in mkdocs.yml, else the default."""
    from readiness.source import find_source

    return find_source(Path.cwd(), Path(source) if source else None)


def confirm(question: str, yes: bool) -> None:
    """Ask before changing anything; refuse rather than hang without a terminal."""
    from readiness.errors import NotConfirmed

    if yes:
        return
    if not sys.stdin.isatty():
        raise NotConfirmed("no terminal to ask for confirmation: run again with --yes")
    if not click.confirm(question, default=False):
        raise NotConfirmed("nothing was changed")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and turn every user error into one line and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="readiness", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("readiness: interrupted", err=True)
        sys.exit(Interrupted.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        click.echo("readiness: interrupted", err=True)
        sys.exit(Interrupted.exit_code)
    except ReadinessError as error:
        if debug:
            traceback.print_exc()
        click.echo(error_text(error), err=True)
        sys.exit(error.exit_code)
    except BrokenPipeError:
        # The reader went away (`readiness status | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def error_text(error: ReadinessError) -> str:
    text = str(error)
    return text if ":" in text.split("\n", 1)[0][:200] else f"readiness: {text}"



@cli.command()
@click.option("--source", type=click.Path(dir_okay=False), help=SOURCE_HELP)
@click.option("--out", type=click.Path(file_okay=False), help="Folder of the pages (default: "
              "housekeeping.pages_dir, else docs/readiness).")
@click.option("--templates", type=click.Path(file_okay=False), default="templates", show_default=True,
              help="Project templates (in the project folder), searched before the built-in ones.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any page is stale.")
def build(source: str | None, out: str | None, templates: str, check: bool) -> None:
    """Write the readiness pages as Markdown files (for GitHub, CI and other site tools)."""
    from readiness.figures import assess
    from readiness.pagefiles import write_pages
    from readiness.render import render_pages
    from readiness.site import project_root
    from readiness.source import load_source

    model = load_source(resolve_source(source))
    root = project_root(Path.cwd())
    folder = Path(out) if out else root / (model.housekeeping.pages_dir or "docs/readiness")
    pages = render_pages(model, assess(model, root), root / templates)
    plan = write_pages(pages, folder, check=check)
    if check:
        click.echo(f"{len(plan.unchanged)} pages up to date in {folder}")
        return
    for name in plan.write:
        click.echo(f"wrote {folder / name}")
    for name in plan.remove:
        click.echo(f"removed {folder / name} (no longer generated)")
    click.echo(f"{len(plan.write)} written, {len(plan.unchanged)} unchanged, {len(plan.remove)} removed")
