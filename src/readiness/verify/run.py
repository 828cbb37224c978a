"""Running the verify commands of tasks: bounded, timed, and leaving no process behind.

A verify command is a string from the source file. It runs from the repository root:

- directly (``shlex.split``, no shell) when it is a plain command line;
- through ``bash -o pipefail -c`` (a failure anywhere in a pipe fails the check) when it
  uses shell syntax: any of ``| & ; < > ( ) $ ` * ? [ ] { } ~``,
  a newline, or a first word that is a shell builtin (``cd``, ``export``, ``source``...).
  Characters inside quotes count too: bash reads the line exactly as written, so the
  rule only ever errs towards the shell, never changes what the command means.

Each command runs in its own process group (session), so a timeout or Ctrl-C ends the
whole group: SIGTERM, then SIGKILL after a grace period. Processes a command leaves
running in its group after it exits are ended the same way. Output (stdout and stderr
together) is captured, keeping only the last ``max_output`` bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.platforms import group_alive, signal_group

if TYPE_CHECKING:
    from readiness.source.evidence import CommandResult

DEFAULT_TIMEOUT = 300.0
MAX_OUTPUT = 64 * 1024
GRACE_SECONDS = 2.0

_SHELL_CHARACTERS = re.compile(r"[|&;<>()$`*?\[\]{}~\n]")
_BUILTINS = frozenset({"cd", "export", "source", ".", "set", "unset", "alias", "eval", "exec",
                       "pushd", "popd", "ulimit", "umask", "shopt", "trap", "if", "for", "while",
                       "case", "function", "!", "[[", "time"})


def needs_shell(command: str) -> bool:
    """True when COMMAND uses shell syntax and so must run through ``bash -c``."""
    if _SHELL_CHARACTERS.search(command):
        return True
    try:
        words = shlex.split(command)
    except ValueError:
        return True  # unbalanced quotes: let bash report it as the user would see it
    return not words or words[0] in _BUILTINS or "=" in words[0]  # FOO=bar cmd: an assignment


def argv_of(command: str) -> list[str]:
    """The program and arguments that run COMMAND."""
    return ["bash", "-o", "pipefail", "-c", command] if needs_shell(command) else shlex.split(command)


@dataclass(frozen=True)
class Run:
    """What happened when one command ran."""

    command: str
    passed: bool
    exit_code: int | None
    duration: float
    started: dt.datetime
    output: bytes  # the last MAX_OUTPUT bytes
    truncated: bool
    message: str | None  # why it failed, one line


class _Tail:
    """Reads a pipe to its end, keeping only the last LIMIT bytes."""

    def __init__(self, pipe: Any, limit: int) -> None:
        self.pipe = pipe
        self.limit = limit
        self.data = bytearray()
        self.truncated = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while chunk := self.pipe.read1(65536) if hasattr(self.pipe, "read1") else self.pipe.read(65536):
            self.data += chunk
            if len(self.data) > self.limit:
                del self.data[: len(self.data) - self.limit]
                self.truncated = True


def run_command(command: str, cwd: Path, *, timeout: float = DEFAULT_TIMEOUT,
                max_output: int = MAX_OUTPUT, env: dict[str, str] | None = None) -> Run:
    """Run COMMAND from CWD with a timeout; never raises for the command's own failures."""
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.monotonic()
    try:
        argv = argv_of(command)
        process = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True, env=env,
        )
    except FileNotFoundError:
        program = argv[0]
        return Run(command, False, None, time.monotonic() - clock, started, b"", False,
                   f"program not found: {program}")
    except (PermissionError, OSError) as error:
        return Run(command, False, None, time.monotonic() - clock, started, b"", False,
                   f"could not start: {error.strerror or error}")
    tail = _Tail(process.stdout, max_output)
    message: str | None = None
    try:
        code: int | None = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process)
        code = None
        message = f"timed out after {timeout:g} s; its processes were stopped"
    except BaseException:
        _end_group(process)  # Ctrl-C: leave nothing running, then let the interruption through
        raise
    else:
        _end_group(process)  # stragglers it left in its group (they would hold the output open)
    tail.thread.join(timeout=GRACE_SECONDS)
    duration = time.monotonic() - clock
    if code is not None and code != 0:
        message = _exit_message(code, argv)
    return Run(command, code == 0, code, duration, started, bytes(tail.data), tail.truncated, message)


def _exit_message(code: int, argv: Sequence[str]) -> str:
    if code < 0:
        return f"killed by signal {-code}"
    if code == 127 and argv[0] == "bash":
        return "exit 127: command not found"
    if code == 126 and argv[0] == "bash":
        return "exit 126: not executable"
    return f"exit {code}"


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL whatever is still there after a grace period."""
    pgid = process.pid  # start_new_session: the group id is the leader's pid
    if not signal_group(pgid, signal.SIGTERM):
        process.wait()
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None and not group_alive(pgid):
            return
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)
    process.wait()


def tail_text(output: bytes, limit: int) -> str:
    """The last LIMIT bytes of OUTPUT as text, cut at a line start when one is near."""
    cut = output[-limit:]
    if len(output) > limit and b"\n" in cut[:200]:
        cut = cut[cut.index(b"\n") + 1:]
    return cut.decode("utf-8", "replace")


def command_result(run: Run, commit: str | None, dirty: bool) -> CommandResult:
    """The evidence record of RUN: the output tail is kept only when the command failed."""
    from readiness.source.evidence import OUTPUT_TAIL_BYTES, CommandResult

    return CommandResult(
        command=run.command, passed=run.passed, exit_code=run.exit_code,
        duration_seconds=run.duration, commit=commit, dirty=dirty, ran_at=run.started,
        message=run.message,
        output_tail=None if run.passed or not run.output else tail_text(run.output, OUTPUT_TAIL_BYTES),
    )
