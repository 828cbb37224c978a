"""The `readiness` command: thin click front end over the library.

Each command parses its options, calls one library function and prints the result.
Errors are ReadinessError subclasses; ``main`` maps them to exit codes in one place.
Heavy modules (pydantic, jinja2, mkdocs, git) are imported inside the commands so that
``readiness --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from readiness.errors import Interrupted, OutputFailed, ReadinessError
from readiness.exit_codes import help_table
from readiness.words import plural

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

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


class Context:
    """Options shared by every command."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug


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


class _Command(_LocatedUsage, click.Command):
    pass


class _Group(_LocatedUsage, click.Group):
    command_class = _Command


HELP = f"""Keep a project's production-readiness state in one YAML file.

\b
{help_table()}

\b
Shell completion (bash, zsh or fish), in the shell's startup file:
  eval "$(readiness completion bash)"
or, the same without a command: eval "$(_READINESS_COMPLETE=bash_source readiness)"
"""


@click.group(cls=_Group, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readiness")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    ctx.obj = Context(debug=debug)


def resolve_source(source: str | None) -> Path:
    """The source file: --source, else the plugin config in mkdocs.yml, else the default."""
    from readiness.source.locate import find_source

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
    _stop_on_sigterm()
    _let_the_reader_leave()
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
        from readiness.terminal import safe

        where = f": {error.filename}" if error.filename else ""
        _say(safe(f"readiness: {error.strerror or error}{where}"))
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


def _let_the_reader_leave() -> None:
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


def _stop_on_sigterm() -> None:
    """Treat SIGTERM and SIGHUP (the terminal closed) like Ctrl-C, so commands unwind through
    their clean-up code."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def error_text(error: ReadinessError) -> str:
    """Located problems print as they are (file:line:col: ...); others name the tool, also
    a source error that is not located (a missing or unreadable file: "readiness: x.yaml: ...").

    One line for each thing the error reports: messages quote the source and file names,
    and control characters in them (a line break in a file name too) are shown escaped.
    """
    from readiness.errors import SourceError
    from readiness.terminal import safe

    prefix = "" if isinstance(error, SourceError) and error.problems else "readiness: "
    return "\n".join(safe(f"{prefix}{line}") for line in error.lines)



def _require_posix(command: str) -> None:
    """Refuse COMMAND, one line, where file locks or process groups are missing (Windows)."""
    from readiness.platforms import require_posix

    require_posix(command)


def _load(source: str | None) -> tuple[Path, Any]:
    path, _, model = _load_text(source)
    return path, model


def _load_text(source: str | None) -> tuple[Path, bytes, Any]:
    """The source file, its bytes, and the model validated from them."""
    from readiness.source.loader import read_and_load

    path = resolve_source(source)
    return (path, *read_and_load(path))


def display_path(path: Path) -> str:
    from readiness.source.locate import display_name

    return display_name(path)


def _repository_root(path: Path) -> Path:
    """The project folder of the source file: deliverables, pages and templates are relative to it."""
    from readiness.files.project import project_root

    return project_root(path.parent)


@cli.command()
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
    from readiness.errors import SourceError

    try:
        _check(file or source_opt, fmt, min_score, ci, milestones)
    except SourceError as error:
        if fmt == "json":
            click.echo(problems_json(error))
        raise


def problems_json(error: Any) -> str:
    """The problems of a SourceError as a JSON document: located ones with their file, line,
    column and key path; one that is not (a missing file) with its message alone."""
    import json

    from readiness.terminal import safe_json

    problems = [{"file": p.path, "line": p.line, "column": p.column, "path": p.key_path,
                 "message": p.message} for p in error.problems]
    if not problems:
        problems = [{"file": None, "line": None, "column": None, "path": "", "message": line}
                    for line in error.lines]
    return safe_json(json.dumps({"valid": False, "problems": problems}, indent=2, ensure_ascii=False))


def _check(source: str | None, fmt: str, min_score: float | None, ci: bool,
           milestones: tuple[str, ...]) -> None:
    import json

    from readiness.digest import remember_model
    from readiness.errors import GateFailed
    from readiness.figures.assessment import assess_project, assessment_json
    from readiness.figures.core import assess, points
    from readiness.figures.gate import gate_failures, gate_json
    from readiness.pages.catalogue import refuse_unknown_pages
    from readiness.pages.site import pages_out_of_date
    from readiness.source.evidence import evidence_from_bytes
    from readiness.source.locate import display_name, evidence_bytes, evidence_path, templates_folder
    from readiness.terminal import safe, safe_json

    path, text, model = _load_text(source)
    root = _repository_root(path)
    refuse_unknown_pages(path, text, model, templates_folder(root))
    for milestone_id in milestones:
        if milestone_id not in {m.id for m in model.milestones}:
            raise click.BadParameter(f"no milestone with id {milestone_id!r}", param_hint="--milestone")
    runs = evidence_bytes(evidence_path(path))
    evidence = evidence_from_bytes(runs, display_name(evidence_path(path)))  # a broken one fails check
    remember_model(text, model, runs)  # for a `readiness commit` that follows
    if fmt == "text" and not (milestones or ci or min_score is not None):
        # nothing asked of the verdicts: the figures alone say what is printed
        figures = assess(model)
        click.echo(f"{safe(display_path(path))}: valid; score {points(figures.score)}/100, "
                   f"{figures.tasks.done} of {figures.tasks.total} tasks done")
        return
    assessment = assess_project(model, root=root, evidence=evidence)
    stale = pages_out_of_date(assessment, path, root) if ci else []
    failures = gate_failures(assessment, min_score=min_score, milestones=milestones, stale=stale,
                             deliverables=ci)
    if ci:
        from readiness.figures.gate import Failure
        from readiness.source.locate import dropped_by_zensical
        from readiness.source.schema_copy import stale_schema

        dropped = dropped_by_zensical(root)
        if dropped is not None:  # a warning: the pages may be built another way already
            _say(safe(f"readiness: warning: {display_path(dropped)} names the readiness plugin, which "
                      "Zensical drops without a word (no readiness pages on the site): write the pages "
                      "with `readiness build --watch` while editing, `readiness build` before "
                      "`zensical build`"))

        schema_line = stale_schema(path, text, root)
        if schema_line is not None:
            failures.append(Failure("stale-schema", schema_line))
    if fmt == "json":
        data = assessment_json(assessment)
        data["gate"] = gate_json(failures)
        click.echo(safe_json(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        figures = assessment.figures
        click.echo(f"{safe(display_path(path))}: valid; score {points(figures.score)}/100, "
                   f"{figures.tasks.done} of {figures.tasks.total} tasks done")
    if failures:  # one line per failure (each prefixed like any error line)
        raise GateFailed(*(f.message for f in failures))


@cli.command("portfolio")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints the aggregate (its own schema_version) for other tools.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Also show each score on DATE (from the source's git history) against now.")
@click.option("--milestone", "milestone_id", metavar="ID", help="Show milestone ID instead of the next one.")
@click.option("--ci", is_flag=True, help="Exit 1 unless milestone ID of every project is on track or reached.")
def portfolio_command(sources: tuple[str, ...], fmt: str, since: Any, milestone_id: str | None,
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
        _say(line)
    if outcome.error is not None:
        raise outcome.error


@cli.command()
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--limit", default=5, show_default=True, help="How many steps of the plan to show.")
@click.option("--at", "rev", metavar="REV", help="The state at a commit, tag or branch (from git history).")
def status(source: str | None, limit: int, rev: str | None) -> None:
    """Summarise score, projections, phases, milestones and the first steps of the plan."""
    from readiness.cli.status import status_lines
    from readiness.figures.assessment import assess_project
    from readiness.terminal import colour_wanted

    if rev is not None:  # the state at a commit, from git history
        model = _model_at(source, rev)
        # deliverables of an old commit are not on disk, and its verify results are not read
        assessment = assess_project(model)
    else:
        from readiness.digest import remember_model
        from readiness.pages.site import assessment_of
        from readiness.source.locate import evidence_bytes, evidence_path

        path, text, model = _load_text(source)
        assessment = assessment_of(model, path, _repository_root(path))
        remember_model(text, model, evidence_bytes(evidence_path(path)))  # for a `readiness commit`
    colour = colour_wanted(sys.stdout.isatty(), os.environ)
    for line in status_lines(assessment, colour=colour, limit=limit, evidence_read=rev is None):
        click.echo(line, color=colour)  # click would strip the colour of FORCE_COLOR on a pipe


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the script that completes readiness's commands, options and file names in SHELL.

    \b
    in ~/.bashrc:                   eval "$(readiness completion bash)"
    in ~/.zshrc:                    eval "$(readiness completion zsh)"
    in ~/.config/fish/config.fish:  readiness completion fish | source
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # the choices are click's own shells
    click.echo(completer(cli, {}, "readiness", "_READINESS_COMPLETE").source())


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the source file (for editors)."""
    from readiness.source.models import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init(name: str | None) -> None:
    """Create content/readiness.yaml and mkdocs.yml in this folder; never overwrites."""
    from readiness.cli.scaffold import scaffold

    for created in scaffold(Path.cwd(), name or Path.cwd().name):
        click.echo(f"created {created}")
    import importlib.util

    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        click.echo('to serve the pages: pip install "readiness[site]", then mkdocs serve')


# ---------------------------------------------------------------- build


@cli.command()
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
    _require_posix("build")
    if watch and check:
        raise click.UsageError("--watch rebuilds the pages: it cannot be combined with --check")
    source_path = resolve_source(source)
    if watch:
        _watch_and_build(source_path, out, templates, flavor)
    else:
        _build(source_path, out, templates, check, flavor)


def _watch_and_build(source_path: Path, out: str | None, templates: str | None, flavor: str) -> None:
    """``build --watch``: build now and after every change, until interrupted."""
    from readiness.files.watch import watch
    from readiness.source.locate import evidence_path, templates_folder
    from readiness.terminal import safe

    root = _repository_root(source_path)
    templates_path = root / templates if templates else templates_folder(root)
    watched = [source_path, evidence_path(source_path), templates_path]
    building, announced = False, False

    def rebuild() -> None:
        nonlocal building, announced
        building = True
        try:
            _build(source_path, out, templates, False, flavor)
        except ReadinessError as error:  # an invalid save: say so, keep watching
            _say(error_text(error))
        except OSError as error:
            _say(safe(f"readiness: {error.strerror or error}"
                      + (f": {error.filename}" if error.filename else "")))
        building = False
        with contextlib.suppress(OSError, ReadinessError):
            sys.stdout.flush()
        if not announced:
            announced = True
            shown = ", ".join(safe(display_path(p)) for p in watched)
            _say(f"readiness: watching {shown} for changes (Ctrl-C to stop)")

    try:
        watch(watched, rebuild)
    except KeyboardInterrupt:
        if building:
            raise  # in the middle of writing: reported as an interruption (exit 130)
        _say("readiness: stopped watching")


def _build(source_path: Path, out: str | None, templates: str | None, check: bool, flavor: str) -> None:
    """One build: the pages of SOURCE_PATH written (or compared, with CHECK) in their folder."""
    from readiness.digest import remember_model
    from readiness.files.atomic import refuse_linked_folders
    from readiness.files.locking import exclusive
    from readiness.pages.badge import write_badges
    from readiness.pages.catalogue import refuse_unknown_pages
    from readiness.pages.folder import write_pages
    from readiness.pages.generated import pages_folder
    from readiness.pages.site import assessment_of, pages_for
    from readiness.source.loader import read_and_load
    from readiness.source.locate import evidence_bytes, evidence_path, templates_folder

    text, model = read_and_load(source_path)
    if not check and not out:  # the pages go next to the source: not through a linked folder
        from readiness.files.atomic import refuse_linked_source_folders

        refuse_linked_source_folders(source_path, _LINKED_SOURCE_HINT)
    root = _repository_root(source_path)
    templates_path = root / templates if templates else templates_folder(root)
    refuse_unknown_pages(source_path, text, model, templates_path)
    folder = Path(out) if out else root / pages_folder(model.housekeeping.pages_dir)
    assessment = assessment_of(model, source_path, root)
    if not check:  # for a `readiness commit` that follows
        remember_model(text, model, evidence_bytes(evidence_path(source_path)))
    pages = pages_for(assessment, source_path, templates_path)
    if flavor == "commonmark":
        from readiness.pages.commonmark import to_commonmark

        pages = to_commonmark(pages)
    if not check:
        refuse_linked_folders(root, folder, ", or choose another --out")
    with exclusive(root, "build"):  # two builds at once would race on the same files
        plan = write_pages(pages, folder, check=check)
        badges = [] if check else write_badges(folder, assessment.score)
    if check:
        click.echo(f"{len(plan.unchanged)} pages up to date in {folder}")
        return
    for leftover in plan.leftovers:
        click.echo(f"readiness: removed {leftover}, left by an interrupted build", err=True)
    for name in plan.write:
        click.echo(f"wrote {folder / name}")
    for name in plan.remove:
        click.echo(f"removed {folder / name} (no longer generated)")
    for badge_file in badges:
        click.echo(f"wrote {badge_file}")
    from readiness.pages.mkdocs_site import shadow_warning
    from readiness.terminal import safe

    warning = shadow_warning(root, folder)  # copies of the plugin's pages, in its place
    if warning:
        click.echo(safe(warning), err=True)
    click.echo(f"{plural(len(plan.write), 'page')} written, {len(plan.unchanged)} unchanged, "
               f"{len(plan.remove)} removed; {plural(len(badges), 'badge file')} written")


# ---------------------------------------------------------------- cleanup


@cli.command()
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
    _require_posix("cleanup")
    from readiness.cli import head_start
    from readiness.files.locking import exclusive
    from readiness.git.repository import open_repository

    # The entry point may have found the repository and started listing it already.
    ahead = None if undo else head_start.take_cleanup(os.getcwd())
    repo = ahead.repo if ahead is not None else open_repository(Path.cwd())
    with exclusive(repo.root, "cleanup"):  # dry runs too: never read a cleanup half done
        repo.ensure_safe_state()
        _cleanup(repo, dry_run, yes, include_untracked, undo, output_format == "json", source,
                 ahead.listing if ahead is not None else None)


def _cleanup(repo: Any, dry_run: bool, yes: bool, include_untracked: bool, undo: bool,
             as_json: bool, source: str | None, listing: Any) -> None:
    from readiness.cleanup import apply as housekeeping
    from readiness.cleanup.report import report_plan, report_undo
    from readiness.terminal import safe

    settings = housekeeping.housekeeping_settings(
        repo.root, Path(source).resolve() if source else None)
    if undo:
        undo_plan = housekeeping.plan_undo(repo, settings)
        if not (as_json and yes and not dry_run):
            click.echo(report_undo(undo_plan, as_json=as_json, dry_run=dry_run))
        if dry_run:
            return
        confirm(f"Undo the cleanup recorded in {safe(undo_plan.manifest)}?", yes)
        housekeeping.apply_undo(repo, undo_plan)
        click.echo(report_undo(undo_plan, as_json=as_json, done=True))
        return
    plan = housekeeping.survey_and_plan(repo, settings, include_untracked=include_untracked,
                                        listing=listing)
    if plan.empty or dry_run or not (as_json and yes):  # JSON with --yes: one document, after
        click.echo(report_plan(plan, as_json=as_json, dry_run=dry_run))
    if dry_run or plan.empty:
        return
    confirm(f"Move {plural(len(plan.moves), 'file')} and rewrite {plural(plan.link_count, 'link')}?", yes)
    manifest = housekeeping.apply_cleanup(repo, plan)
    click.echo(report_plan(plan, as_json=as_json, manifest=manifest))


_LINKED_SOURCE_HINT = ", or pass the source's real path with --source, or choose --out"


# ---------------------------------------------------------------- mark


@cli.command()
@click.argument("task")
@click.argument("status")
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--dry-run", is_flag=True, help="Show the change without writing it.")
def mark(task: str, status: str, source: str | None, dry_run: bool) -> None:
    """Set TASK's STATUS (done, "in progress", pending, blocked) in the source file.

    Only that value changes: comments, quoting, layout and line endings stay as they are.
    """
    _require_posix("mark")
    from readiness.digest import remember_model
    from readiness.files.atomic import refuse_linked_source_folders
    from readiness.files.locking import exclusive
    from readiness.source.locate import evidence_bytes, evidence_path
    from readiness.source.mark import mark_file
    from readiness.terminal import safe

    path = resolve_source(source)
    refuse_linked_source_folders(path)  # before the lock, whose file would go through the link too
    with exclusive(path.parent, "mark"):
        runs = evidence_bytes(evidence_path(path))
        edit = mark_file(path, task, status, dry_run=dry_run,
                         remember=lambda data, model: remember_model(data, model, runs))
    for leftover in edit.removed:
        click.echo(f"readiness: removed {safe(leftover)}, left by an interrupted run", err=True)
    for warning in edit.warnings:
        click.echo(safe(warning), err=True)
    where = safe(f"{display_path(path)}:{edit.line}:{edit.column}")
    task_id, old = safe(edit.task_id), safe(edit.old)
    if not edit.changed:
        click.echo(f"{where}: task '{task_id}' is already {edit.new}; nothing changed")
    elif dry_run:
        click.echo(f"{where}: task '{task_id}' would change from {old} to {edit.new} (dry run)")
    else:
        click.echo(f"{where}: task '{task_id}': {old} -> {edit.new}")


# ---------------------------------------------------------------- commit


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
    _require_posix("commit")
    from readiness.cli import head_start
    from readiness.files.locking import exclusive
    from readiness.git.repository import open_repository

    if retry and message is not None:
        raise click.UsageError("--retry reuses the saved message: it cannot be combined with --message")
    # The entry point may have started the reads already (same folder, default source).
    ahead = head_start.take(os.getcwd()) if source is None else None
    if ahead is not None:
        source_file, repo = ahead.source_file, ahead.repo
    else:
        source_file = resolve_source(source)
        repo = open_repository(source_file.parent if source_file.parent.is_dir() else None)
    with exclusive(repo.root, "commit"):  # dry runs too: never read a cleanup half done
        _commit(repo, source_file, dry_run, yes, edit, message, retry, push, ahead)


def _commit(repo: Any, source_file: Path, dry_run: bool, yes: bool, edit: bool, message: str | None,
            retry: bool, push: bool, ahead: Any) -> None:
    from readiness.git.repository import commit_reads

    # git starts reading (identity, HEAD, the index) while Python imports the rest
    early = ahead.early if ahead is not None else commit_reads(repo, repo.relative(source_file))
    from readiness.commit import plan as committing

    plan = committing.plan_commit(repo, source_file, message=message, retry=retry, push=push, early=early,
                                  reading=ahead.reading if ahead is not None else None)
    if not plan.files:
        click.echo(committing.describe_nothing(plan))
        return
    click.echo(committing.describe(plan))
    if dry_run:
        click.echo("Dry run: nothing was committed.")
        return
    confirm(f"Commit these {len(plan.files)} file{'s' * (len(plan.files) != 1)}?", yes)
    try:
        done = committing.execute(repo, plan, edit=edit, interactive=sys.stdin.isatty(), fresh=yes)
    except committing.HookRejected as rejected:
        click.echo(rejected.output.rstrip(), err=True)
        raise
    if done.output.strip():
        click.echo(done.output.rstrip())
    if done.pushed_to:
        click.echo(f"Pushed to {done.pushed_to}.")


# --- evidence (verify), history, badge -----------------------------------------------------------


def _model_at(source: str | None, rev: str) -> Any:
    """The model as commit REV left the source file; prints which commit that is."""
    from readiness.git.repository import open_repository
    from readiness.history import source_at
    from readiness.source.loader import load_text
    from readiness.terminal import safe

    path = resolve_source(source)
    repo = open_repository(path.parent if path.parent.is_dir() else Path.cwd())
    relative = repo.relative(path)
    sha, committed, text = source_at(repo, rev, relative)
    model = load_text(text, f"{rev}:{relative}")
    click.echo(f"At {safe(rev)}: commit {sha[:12]} of {committed.date().isoformat()}")
    return model


@cli.command()
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
    _require_posix("verify")
    from readiness.errors import GateFailed
    from readiness.files.atomic import refuse_linked_source_folders
    from readiness.git.repository import changed_tracked_files, open_repository
    from readiness.source.evidence import load_evidence
    from readiness.source.locate import evidence_path
    from readiness.terminal import safe
    from readiness.verify.record import record_results
    from readiness.verify.run import command_result, needs_shell, run_task, tail_text

    path, model = _load(source)
    known = {t.id for t in model.tasks}
    for task_id in tasks:
        if task_id not in known:
            raise click.BadParameter(f"no task with id {task_id!r}", param_hint="TASK")
    selected = [model.task(i) for i in dict.fromkeys(tasks)] if tasks else [t for t in model.tasks if t.is_done]
    runnable = [t for t in selected if t.verify]
    for task in selected:
        if not task.verify:
            click.echo(f"{safe(task.id)}: no verify commands, skipped")
    if not runnable:
        click.echo("nothing to run")
        return
    where = evidence_path(path)
    refuse_linked_source_folders(where)  # before anything runs; the lock's file would go through it too
    if where.is_symlink():  # refused before any command runs, as the write would be (exit 4)
        from readiness.errors import WouldLoseData

        raise WouldLoseData(f"{display_path(where.parent)}/{where.name}: is a symbolic link; verify does not "
                            "write the evidence file through links: make it a real file")
    repo = open_repository(path.parent)
    load_evidence(where)  # a broken file stops us before anything runs
    click.echo(f"These commands will run from {repo.root}:")
    for task in runnable:
        for command in task.verify:
            how = "  (bash -c)" if needs_shell(command) else ""
            click.echo(f"  {safe(task.id)}: {safe(command)}{how}")
    count = sum(len(t.verify) for t in runnable)
    _confirm_run(f"Run {count} command{'s' if count != 1 else ''}?", yes)
    commit = repo.head_commit()
    evidence_relative = repo.relative(where)
    dirty = any(p != evidence_relative for p in changed_tracked_files(repo))
    failed = 0
    for task in runnable:
        def started(command: str, task_id: str = task.id) -> None:
            click.echo(f"{safe(task_id)}: {safe(command)} ... ", nl=False)

        def done(run: Any) -> None:
            click.echo(f"passed ({run.duration:.1f} s)" if run.passed else f"FAILED: {safe(run.message)}")
            if not run.passed and run.output:
                for line in tail_text(run.output, 2048).splitlines()[-20:]:
                    click.echo(f"    | {safe(line)}", err=True)

        runs = run_task(task.verify, repo.root, timeout=timeout, on_start=started, on_done=done)
        # After each task, so an interruption keeps what ran; under the lock, merged with
        # what another verify may have recorded meanwhile.
        for leftover in record_results(where, task.id, [command_result(r, commit, dirty) for r in runs]):
            click.echo(f"readiness: removed {safe(str(leftover))}, left by an interrupted run", err=True)
        failed += not all(r.passed for r in runs)
    click.echo(f"{len(runnable) - failed} of {len(runnable)} tasks passed; "
               f"results in {safe(display_path(where))}")
    if failed:
        raise GateFailed(f"{failed} task{'s' if failed != 1 else ''} failed verification")


def _confirm_run(question: str, yes: bool) -> None:
    """cli.confirm, but with a message that says nothing ran (not "nothing was changed")."""
    from readiness.errors import NotConfirmed

    try:
        confirm(question, yes)
    except NotConfirmed as refused:
        if "terminal" in str(refused):
            raise
        raise NotConfirmed("nothing was run") from None


@cli.command()
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints every commit's figures for other tools.")
def history(source: str | None, fmt: str) -> None:
    """The score, tasks done and milestones reached at every commit that changed the source."""
    import json

    from readiness.git.repository import open_repository, source_log
    from readiness.history import history_json, history_lines, skipped_note, walk_history
    from readiness.terminal import safe, safe_json

    path = resolve_source(source)
    repo = open_repository(path.parent if path.parent.is_dir() else Path.cwd())
    relative = repo.relative(path)
    # A bar only for a person at a terminal, and only when the walk takes a while.
    total = len(source_log(repo, relative)) if sys.stderr.isatty() else 0
    if total > 50:
        with click.progressbar(length=total, label="Reading history", file=sys.stderr) as bar:
            result = walk_history(repo, relative, progress=bar.update)
    else:
        result = walk_history(repo, relative)
    if fmt == "json":
        click.echo(safe_json(json.dumps(history_json(result), indent=2, ensure_ascii=False)))
    else:
        shown = safe(relative)
        if not result.points:
            click.echo(f"no commit of {shown} loads" if result.skipped else f"{shown} has no commits yet")
        for line in history_lines(result) if result.points else []:
            click.echo(safe(line))
    note = skipped_note(result)
    if note:
        click.echo(note, err=True)


@cli.command()
@click.option("--source", type=SOURCE_FILE, help=SOURCE_HELP)
@click.option("--out", "out", metavar="DIR", type=click.Path(file_okay=False),
              help="Where to write readiness.svg and readiness.json (default: the pages folder, "
                   "housekeeping.pages_dir, else docs/readiness under the repository root).")
def badge(source: str | None, out: str | None) -> None:
    """Write the score badge: readiness.svg and a shields.io endpoint readiness.json.

    Never replaces a file it did not write (exit 4).
    """
    _require_posix("badge")
    from readiness.figures.core import assess, points
    from readiness.files.atomic import refuse_linked_folders
    from readiness.pages.badge import write_badges
    from readiness.pages.generated import pages_folder

    path, model = _load(source)
    if not out:  # the badge goes next to the source: not through a linked folder
        from readiness.files.atomic import refuse_linked_source_folders

        refuse_linked_source_folders(path, _LINKED_SOURCE_HINT)
    root = _repository_root(path)
    folder = Path(out) if out else root / pages_folder(model.housekeeping.pages_dir)
    from readiness.files.locking import exclusive

    figures = assess(model)
    refuse_linked_folders(root, folder, ", or choose another --out")
    with exclusive(root, "badge"):
        written = write_badges(folder, figures.score)
    for item in written:
        click.echo(f"wrote {display_path(item)}")
    if not written:
        click.echo(f"badges up to date ({points(figures.score)}/100)")
