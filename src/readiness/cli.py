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
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option("--include-untracked", is_flag=True,
              help="Also move stray files git does not track (they stay untracked).")
@click.option("--undo", is_flag=True, help="Undo the latest cleanup, from its manifest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the plan.")
@click.option("--source", type=click.Path(dir_okay=False), help=SOURCE_HELP)
def cleanup(dry_run: bool, yes: bool, include_untracked: bool, undo: bool,
            output_format: str, source: str | None) -> None:
    """Archive stray Markdown files from the repository root, keeping every link working.

    Tracked files move with `git mv` so history follows; links to and from them are
    rewritten; nothing is overwritten. Changes are staged, not committed. A manifest in
    the archive folder lets `readiness cleanup --undo` put everything back.
    """
    from readiness import housekeeping
    from readiness.cleanup_report import report_plan, report_undo
    from readiness.gitops import open_repository

    repo = open_repository(Path.cwd())
    repo.ensure_safe_state()
    settings = housekeeping.housekeeping_settings(
        repo.root, Path(source).resolve() if source else None)
    as_json = output_format == "json"
    if undo:
        undo_plan = housekeeping.plan_undo(repo, settings)
        if not (as_json and yes and not dry_run):
            click.echo(report_undo(undo_plan, as_json=as_json, dry_run=dry_run))
        if dry_run:
            return
        confirm(f"Undo the cleanup recorded in {undo_plan.manifest}?", yes)
        housekeeping.apply_undo(repo, undo_plan)
        click.echo(report_undo(undo_plan, as_json=as_json, done=True))
        return
    plan = housekeeping.survey_and_plan(repo, settings, include_untracked=include_untracked)
    if plan.empty or dry_run or not (as_json and yes):  # JSON with --yes: one document, after
        click.echo(report_plan(plan, as_json=as_json, dry_run=dry_run))
    if dry_run or plan.empty:
        return
    confirm(f"Move {len(plan.moves)} files and rewrite {plan.link_count} links?", yes)
    manifest = housekeeping.apply_cleanup(repo, plan)
    click.echo(report_plan(plan, as_json=as_json, manifest=manifest))
