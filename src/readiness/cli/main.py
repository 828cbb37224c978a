"""The `readiness` command line: the click group of every command, and ``main``, which runs it and
turns each error into one line and its exit code, in one place.

Each command lives in its own module (``readiness.cli.check``, ...), parses its options, calls
one function of ``readiness.app`` and prints the lines it gives. Heavy modules (pydantic, jinja2,
mkdocs, git) are imported inside those functions, so that ``readiness --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import importlib
import sys

import click

from readiness.app.output import error_text, refusal_text
from readiness.cli.options import Group
from readiness.cli.streams import let_the_reader_leave, stop_on_sigterm
from readiness.errors import Interrupted, ReadinessError
from readiness.exit_codes import help_table

HELP = f"""Keep a project's production-readiness state in one YAML file.

\b
{help_table()}

\b
Shell completion (bash, zsh or fish), in the shell's startup file:
  eval "$(readiness completion bash)"
or, the same without a command: eval "$(_READINESS_COMPLETE=bash_source readiness)"
"""


# Every command, each the ``command`` of the module of its name. A module is imported when its
# command runs (or the help lists them all), not at every start: the command line starts faster.
COMMANDS = ("badge", "build", "check", "cleanup", "commit", "completion", "history", "init", "mark",
            "portfolio", "schema", "status", "verify")


class _Commands(Group):
    """The group of COMMANDS, each loaded from its module when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            command: click.Command = importlib.import_module(f"readiness.cli.{cmd_name}").command
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
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
