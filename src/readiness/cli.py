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
from typing import Any

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
    _stop_on_sigterm()
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


def _stop_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so commands unwind through their clean-up code."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, interrupt)


def error_text(error: ReadinessError) -> str:
    """Located problems print as they are (file:line:col: ...); others name the tool."""
    from readiness.errors import SourceError

    if isinstance(error, SourceError):
        return str(error)
    return f"readiness: {error}"



def _load(source: str | None) -> tuple[Path, Any]:
    from readiness.source import load_source

    path = resolve_source(source)
    return path, load_source(path)


def display_path(path: Path) -> str:
    from readiness.source import display_name

    return display_name(path)


def _repository_root(path: Path) -> Path:
    """The folder deliverable paths are relative to: the repository holding the source."""
    for folder in path.resolve().parents:
        if (folder / ".git").exists():
            return folder
    parent = path.resolve().parent
    return parent.parent if parent.name == "content" else parent


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--source", "source_opt", metavar="FILE", help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints every figure for other tools.")
@click.option("--min-score", type=click.FloatRange(0, 100), metavar="N",
              help="Exit 1 when the score is below N.")
def check(file: str | None, source_opt: str | None, fmt: str, min_score: float | None) -> None:
    """Validate the source file; exit 0 when valid, 3 when not."""
    import json

    from readiness.errors import GateFailed
    from readiness.figures import assess, points, to_json

    path, model = _load(file or source_opt)
    figures = assess(model, _repository_root(path))
    if fmt == "json":
        click.echo(json.dumps(to_json(model, figures), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{display_path(path)}: valid; score {points(figures.score)}/100, "
                   f"{figures.tasks.done} of {figures.tasks.total} tasks done")
    if min_score is not None and figures.score < min_score:
        raise GateFailed(f"score {points(figures.score)} is below the minimum {min_score:g}")


@cli.command()
@click.option("--source", metavar="FILE", help=SOURCE_HELP)
@click.option("--limit", default=5, show_default=True, help="How many next tasks to show.")
def status(source: str | None, limit: int) -> None:
    """Summarise score, projections, phases, milestones and the best next tasks."""
    from readiness.figures import assess
    from readiness.terminal import status_lines

    path, model = _load(source)
    figures = assess(model, _repository_root(path))
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    for line in status_lines(model, figures, colour=colour, limit=limit):
        click.echo(line)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the source file (for editors)."""
    from readiness.models import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init(name: str | None) -> None:
    """Create content/readiness.yaml and mkdocs.yml in this folder; never overwrites."""
    from readiness.scaffold import scaffold

    for created in scaffold(Path.cwd(), name or Path.cwd().name):
        click.echo(f"created {created}")


# ---------------------------------------------------------------- mark


@cli.command()
@click.argument("task")
@click.argument("status")
@click.option("--source", type=click.Path(dir_okay=False), help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the change without writing it.")
def mark(task: str, status: str, source: str | None, dry_run: bool) -> None:
    """Set TASK's STATUS (done, "in progress", pending, blocked) in the source file.

    Only that value changes: comments, quoting, layout and line endings stay as they are.
    """
    from readiness.edit import mark_file

    path = resolve_source(source)
    edit = mark_file(path, task, status, dry_run=dry_run)
    where = f"{path}:{edit.line}:{edit.column}"
    if not edit.changed:
        click.echo(f"{where}: task '{edit.task_id}' is already {edit.new}; nothing changed")
    elif dry_run:
        click.echo(f"{where}: task '{edit.task_id}' would change from {edit.old} to {edit.new} (dry run)")
    else:
        click.echo(f"{where}: task '{edit.task_id}': {edit.old} -> {edit.new}")


# ---------------------------------------------------------------- commit


@cli.command("commit")
@click.option("--source", "source", type=click.Path(dir_okay=False), help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the files and the message; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Commit without asking.")
@click.option("--edit", "-e", is_flag=True, help="Edit the message in your editor before committing.")
@click.option("--message", "-m", help="Use this message instead of the generated one.")
@click.option("--retry", is_flag=True, help="Reuse the message saved by a commit that a hook rejected.")
@click.option("--push", is_flag=True, help="Then push the branch to its own upstream (never forced).")
def commit_command(source: str | None, dry_run: bool, yes: bool, edit: bool, message: str | None,
                   retry: bool, push: bool) -> None:
    """Commit exactly the readiness files, with a message that says what changed.

    Commits the source, the pages `readiness build` wrote, task deliverables and what
    `readiness cleanup` staged; anything else you changed or staged stays as it was.
    """
    from readiness import committing
    from readiness.gitops import locate_repository

    if retry and message is not None:
        raise click.UsageError("--retry reuses the saved message: it cannot be combined with --message")
    source_file = resolve_source(source)
    repo = locate_repository(source_file.parent if source_file.parent.is_dir() else None)
    plan = committing.plan_commit(repo, source_file, message=message, retry=retry, push=push)
    if plan is None:
        click.echo("Nothing to commit: the readiness files are as at HEAD.")
        return
    click.echo(committing.describe(plan))
    if dry_run:
        click.echo("Dry run: nothing was committed.")
        return
    confirm(f"Commit these {len(plan.files)} file{'s' * (len(plan.files) != 1)}?", yes)
    try:
        done = committing.execute(repo, plan, edit=edit, interactive=sys.stdin.isatty())
    except committing.HookRejected as rejected:
        click.echo(rejected.output.rstrip(), err=True)
        raise
    if done.output.strip():
        click.echo(done.output.rstrip())
    if done.pushed_to:
        click.echo(f"Pushed to {done.pushed_to}.")
