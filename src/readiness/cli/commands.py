"""The `readiness` command: thin click front end over ``readiness.app``.

Each command parses its options, calls one function of ``readiness.app`` and prints the lines
it gives. Errors are ReadinessError subclasses; ``main`` maps them to exit codes in one place.
Heavy modules (pydantic, jinja2, mkdocs, git) are imported inside the commands so that
``readiness --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from readiness.app.output import error_text, refusal_text
from readiness.errors import Interrupted, OutputFailed, ReadinessError
from readiness.exit_codes import help_table

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

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


HELP = f"""Keep a project's production-readiness state in one YAML file.

\b
{help_table()}

\b
Shell completion (bash, zsh or fish), in the shell's startup file:
  eval "$(readiness completion bash)"
or, the same without a command: eval "$(_READINESS_COMPLETE=bash_source readiness)"
"""


@click.group(cls=Group, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readiness")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
def cli(debug: bool) -> None:
    del debug  # read by ``main`` from the arguments, so that it counts before click parses them




def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command and turn every user error into one line and an exit code."""
    stop_on_sigterm()
    let_the_reader_leave()
    code = _run(argv, "--debug" in (argv if argv is not None else sys.argv[1:]))
    # Output still buffered is written now, while a failure can be reported as one, not by
    # the interpreter at exit (a traceback, "Exception ignored", exit 120).
    try:
        sys.stdout.flush()
    except ReadinessError as error:
        _say(error_text(error))
        code = code or error.exit_code
    sys.exit(code)


def _run(argv: list[str] | None, debug: bool) -> int:
    """Run the command line ARGV; its exit code, every error reported as one line."""
    try:
        from readiness import settings

        settings.check_all()  # a bad READINESS_* value: one line before anything starts
        returned = cli.main(args=argv, prog_name="readiness", standalone_mode=False)
    except click.exceptions.Abort:
        _say("readiness: interrupted")
        return Interrupted.exit_code
    except click.UsageError as error:
        if _NO_ARGS_IS_HELP is not None and isinstance(error, _NO_ARGS_IS_HELP):
            with _quietly():
                error.show()  # `readiness` alone: the help, as click shows it
        else:
            _say(usage_text(error))
        return error.exit_code
    except click.ClickException as error:
        from readiness.terminal import safe

        _say(safe(f"readiness: {_sentence(error.format_message())}"))
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except KeyboardInterrupt:
        _say("readiness: interrupted")
        return Interrupted.exit_code
    except ReadinessError as error:
        if debug:
            _traceback()
        _say(error_text(error))
        return error.exit_code
    except OSError as error:
        # The system refused (permission denied, disk full): say what and where, in one line.
        if debug:
            _traceback()
        _say(refusal_text(error))
        return 1
    # click returns the exit code of --help and --version (0), and None after a command
    return returned if isinstance(returned, int) else 0


def _say(line: str) -> None:
    """LINE on standard error; nothing when that cannot be written either."""
    with _quietly():
        click.echo(line, err=True)


def _traceback() -> None:
    import traceback

    with _quietly():
        traceback.print_exc()


def _quietly() -> contextlib.suppress:
    """Swallow a failure to write (standard error gone too): the exit code still tells."""
    return contextlib.suppress(OSError, ReadinessError)


# click 8.2 and later raise this for `readiness` alone, to show the help (8.1 showed it itself).
_NO_ARGS_IS_HELP: type[click.UsageError] | None = getattr(click.exceptions, "NoArgsIsHelpError", None)


def usage_text(error: click.UsageError) -> str:
    """A usage error as one line: what is wrong, and where the help is.

    click's own ``show`` prints the usage, a hint, a blank line and the message: four
    lines for one mistake. Arguments the user typed are shown escaped.
    """
    from readiness.terminal import safe

    text = f"readiness: {_sentence(error.format_message())}"
    if error.ctx is not None:
        text += f" (see {error.ctx.command_path} --help)"
    return safe(text)


def _sentence(message: str) -> str:
    """click's MESSAGE as the middle of a line: lower case first ("No such option" -> "no such
    option", but "TASK ..." stays), no closing full stop."""
    if message[:1].isupper() and not message[1:2].isupper():
        message = message[0].lower() + message[1:]
    return message.removesuffix(".")


class _ReaderMayLeave(io.FileIO):
    """Standard output (or error) that stops writing, without an error, once its reader has gone.

    ``readiness status | head -1``: head exits, the next write fails with EPIPE. That is
    not a failure of the command, so the rest of the output is discarded and the command
    finishes as it would have, with its own exit code (a gate that failed still exits 1,
    a commit asked for with --yes is still made). click would otherwise catch the
    BrokenPipeError itself, inside ``cli.main``, and exit 1 ("a check failed").

    Any other failure to write standard output (a full disk, ``>/dev/full``, an output that
    was closed before the program started, ``>&-``) is one: the first write raises
    ``OutputFailed`` (exit 1, one line on standard error) and the rest is discarded, so the
    interpreter finds nothing to write at exit. Standard error only ever discards: there is
    nowhere left to report its failure.
    """

    gone = False
    reports = False  # standard output: a failure other than a reader that left is an error
    was_closed = False  # the stream was closed when the program started: /dev/null stands in

    def write(self, data: ReadableBuffer, /) -> int:
        if self.was_closed and not self.gone:
            self.gone = True
            if self.reports:
                raise OutputFailed("cannot write the output: standard output is closed")
        if not self.gone:
            try:
                return super().write(data)
            except BrokenPipeError:
                self._discard()
            except OSError as error:
                self._discard()
                if self.reports:
                    raise OutputFailed(f"cannot write the output: {error.strerror or error}") from None
        return memoryview(data).nbytes

    def _discard(self) -> None:
        self.gone = True
        # Programs we start later (git for --edit) inherit the descriptor: give them
        # somewhere to write, rather than a SIGPIPE or the same error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.fileno())
        os.close(devnull)


def let_the_reader_leave() -> None:
    """Put standard output and error on ``_ReaderMayLeave``, keeping encoding and buffering.

    A stream closed when the program started (Python then sets it to None) gets /dev/null
    under its number first (``readiness.cli.entry.guard_standard_streams``, which the entry
    point has already called), so no file the program opens later takes that number.
    """
    from readiness.cli.entry import guard_standard_streams

    guard_standard_streams()
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the life of the process
    for name, number in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        closed = stream is None
        if closed:
            descriptor = number
        else:
            try:
                descriptor = stream.fileno()
                stream.flush()
            except (AttributeError, OSError, ValueError):
                continue  # not a file (a test harness's capture): leave it as it is
        raw = _ReaderMayLeave(descriptor, "wb", closefd=False)
        raw.reports = name == "stdout"
        raw.was_closed = closed
        setattr(sys, name, io.TextIOWrapper(
            io.BufferedWriter(raw), encoding="utf-8" if closed else stream.encoding,
            errors="backslashreplace" if closed else stream.errors,
            line_buffering=not closed and stream.line_buffering,
            write_through=not closed and getattr(stream, "write_through", False)))


def stop_on_sigterm() -> None:
    """Treat SIGTERM and SIGHUP (the terminal closed) like Ctrl-C, so commands unwind through
    their clean-up code."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


@cli.command("check")
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
def check(file: str | None, source_opt: str | None, fmt: str, min_score: float | None,
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


@cli.command("portfolio")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints the aggregate (its own schema_version) for other tools.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Also show each score on DATE (from the source's git history) against now.")
@click.option("--milestone", "milestone_id", metavar="ID", help="Show milestone ID instead of the next one.")
@click.option("--ci", is_flag=True, help="Exit 1 unless milestone ID of every project is on track or reached.")
def portfolio_command(sources: tuple[str, ...], fmt: str, since: dt.datetime | None, milestone_id: str | None,
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


@cli.command("status")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--limit", default=5, show_default=True, help="How many steps of the plan to show.")
@click.option("--at", "rev", metavar="REV", help="The state at a commit, tag or branch (from git history).")
def status(source: str | None, limit: int, rev: str | None) -> None:
    """Summarise score, projections, phases, milestones and the first steps of the plan."""
    import os
    import sys

    from readiness.app.status import status_report
    from readiness.terminal import colour_wanted

    colour = colour_wanted(sys.stdout.isatty(), os.environ)
    show(status_report(source, limit=limit, rev=rev, colour=colour))


@cli.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the script that completes readiness's commands, options and file names in SHELL.

    \b
    in ~/.bashrc:                   eval "$(readiness completion bash)"
    in ~/.zshrc:                    eval "$(readiness completion zsh)"
    in ~/.config/fish/config.fish:  readiness completion fish | source
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # the choices are click's own shells
    group = ctx.find_root().command  # the whole command line, every command of it
    click.echo(completer(group, {}, "readiness", "_READINESS_COMPLETE").source())


@cli.command("schema")
def schema() -> None:
    """Print the JSON Schema of the source file (for editors)."""
    from readiness.source.models import schema_text

    click.echo(schema_text(), nl=False)


@cli.command("init")
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init(name: str | None) -> None:
    """Create content/readiness.yaml and mkdocs.yml in this folder; never overwrites."""
    from readiness.app.init import init_project

    show(init_project(Path.cwd(), name))


@cli.command("build")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--out", type=click.Path(file_okay=False), help="Folder of the pages (default: "
              "housekeeping.pages_dir, else docs/readiness).")
@click.option("--templates", type=click.Path(file_okay=False),
              help="Project templates, searched before the built-in ones (default: the readiness "
                   "plugin's templates option, else templates/ in the project folder).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any page is stale.")
@click.option("--watch", is_flag=True, help="Keep running: rebuild when the source, the evidence "
              "file or the templates change (for Zensical and other tools without the plugin).")
@click.option("--flavor", type=click.Choice(["material", "commonmark"]), default="material", show_default=True,
              help="material: for MkDocs Material. commonmark: plain CommonMark / GitHub Markdown, "
                   "pictures as SVG files beside the pages.")
def build(source: str | None, out: str | None, templates: str | None, check: bool, watch: bool,
            flavor: str) -> None:
    """Write the readiness pages as Markdown files (for GitHub, CI and other site tools).

    With --watch it keeps running and rebuilds them whenever the source, the evidence file
    or the project's templates change: for site tools that do not run the MkDocs plugin
    (Zensical, a plain Markdown server). An invalid save prints its problems and the
    watch goes on; Ctrl-C ends it (exit 0, or 130 in the middle of a build).
    """
    from readiness.app.build import build_pages, watch_pages

    if watch and check:
        raise click.UsageError("--watch rebuilds the pages: it cannot be combined with --check")
    if watch:
        watch_pages(source, out=out, templates=templates, flavor=flavor, show=echo, flush=flush)
    else:
        show(build_pages(source, out=out, templates=templates, check=check, flavor=flavor))


@cli.command("cleanup")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
@click.option("--include-untracked", is_flag=True,
              help="Also move stray files git does not track (they stay untracked).")
@click.option("--undo", is_flag=True, help="Undo the latest cleanup, from its manifest.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the plan.")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
def cleanup(dry_run: bool, yes: bool, include_untracked: bool, undo: bool,
            output_format: str, source: str | None) -> None:
    """Archive stray Markdown files from the repository root, keeping every link working.

    Tracked files are moved and staged as `git mv` would, so history follows; links to
    and from them are rewritten; nothing is overwritten. Changes are staged, not
    committed. A manifest in the archive folder lets `readiness cleanup --undo` put
    everything back, also after a cleanup that was killed part way (the next cleanup
    refuses until it is undone).
    """
    import os

    from readiness.app.cleanup import cleanup
    from readiness.cli import head_start

    # The entry point may have found the repository and started listing it already.
    started = None if undo else head_start.take_cleanup(os.getcwd())
    show(cleanup(dry_run=dry_run, yes=yes, include_untracked=include_untracked, undo=undo,
                 as_json=output_format == "json", source=source, ask=ask, started=started))


@cli.command("mark")
@click.argument("task")
@click.argument("status")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the change without writing it.")
def mark(task: str, status: str, source: str | None, dry_run: bool) -> None:
    """Set TASK's STATUS (done, "in progress", pending, blocked) in the source file.

    Only that value changes: comments, quoting, layout and line endings stay as they are.
    """
    from readiness.app.mark import mark_task

    show(mark_task(task, status, source, dry_run=dry_run))


@cli.command("commit")
@click.option("--source", "source", type=SOURCE_FILE, help=SOURCE_HELP)
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
    import os
    import sys

    from readiness.app.commit import commit
    from readiness.cli import head_start

    if retry and message is not None:
        raise click.UsageError("--retry reuses the saved message: it cannot be combined with --message")
    # The entry point may have started the reads already (same folder, default source).
    started = head_start.take(os.getcwd()) if source is None else None
    show(commit(source, dry_run=dry_run, yes=yes, edit=edit, message=message, retry=retry, push=push,
                interactive=sys.stdin.isatty(), ask=ask, started=started))


@cli.command("verify")
@click.argument("tasks", nargs=-1, metavar="[TASK]...")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--yes", is_flag=True, help="Run without asking (for scripts and CI).")
@click.option("--timeout", type=NumberRange(min=0, min_open=True), default=300, show_default=True,
              metavar="SECONDS", help="Stop a command (and every process it started) after this long.")
def verify(tasks: tuple[str, ...], source: str | None, yes: bool, timeout: float) -> None:
    """Run the verify commands of TASKs (default: every done task) and record the results.

    This RUNS COMMANDS WRITTEN IN THE SOURCE FILE, from the repository root: read
    them first. It lists what will run and asks (--yes skips the question; with no
    terminal and no --yes it refuses, exit 8). A plain command runs directly; one
    with shell syntax (pipes, redirections, &&, $VAR, globs, cd ...) runs through
    `bash -c`. Results (pass or fail, exit code, duration, commit, time) go to
    evidence.yaml next to the source; a task's status is never changed. Exit 1 when
    any command failed.
    """
    from readiness.app.verify import verify_tasks

    show(verify_tasks(tasks, source, yes=yes, ask=ask, timeout=timeout))


@cli.command("history")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints every commit's figures for other tools.")
def history(source: str | None, fmt: str) -> None:
    """The score, tasks done and milestones reached at every commit that changed the source."""
    from readiness.app.history import history_report

    # A bar only for a person at a terminal (and only when the walk takes a while).
    show(history_report(source, fmt=fmt, progress=_history_bar if sys.stderr.isatty() else None))


@contextmanager
def _history_bar(total: int) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=total, label="Reading history", file=sys.stderr) as bar:
        yield bar.update


@cli.command("badge")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False),
              help="Where to write readiness.svg and readiness.json (default: the pages folder, "
                   "housekeeping.pages_dir, else docs/readiness under the repository root).")
def badge(source: str | None, out: str | None) -> None:
    """Write the score badge: readiness.svg and a shields.io endpoint readiness.json.

    Never replaces a file it did not write (exit 4).
    """
    from readiness.app.badge import write_badge

    show(write_badge(source, out))
