"""The one exception family of readiness, each kind with its documented exit code.

Library code raises these with a human message; the CLI maps them to exit codes in one
place (``cli.main``) and the MkDocs plugin re-raises them as ``PluginError``.
"""

from __future__ import annotations

from typing import NamedTuple


class ReadinessError(Exception):
    """Base of every error a user can cause. ``str(error)`` is one line for the terminal."""

    exit_code = 1

    def __init__(self, message: str, *more: str) -> None:
        """MESSAGE; an error that reports several things gives MORE messages, one line each."""
        self.lines = (message, *more)
        self.message = "\n".join(self.lines)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class GateFailed(ReadinessError):
    """A check the user asked for did not pass (score below --min-score, stale pages)."""

    exit_code = 1


class WrongUsage(ReadinessError):
    """A value given on the command line names nothing in the source (a task or milestone id)."""

    exit_code = 2

    def __init__(self, message: str, *, option: str | None = None) -> None:
        """MESSAGE about the value of OPTION (``--milestone``, ``TASK``)."""
        super().__init__(message)
        self.option = option


class Problem(NamedTuple):
    """One problem in a source file, located as precisely as the file allows."""

    path: str
    line: int
    column: int
    key_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.key_path}: {self.message}" if self.key_path else f"{where}: {self.message}"


class SystemRefused(ReadinessError):
    """The system refused: permission denied, an input/output error, a full disk."""

    exit_code = 1


class OutputFailed(ReadinessError):
    """Standard output cannot be written (a full disk, a closed output): the system refused."""

    exit_code = 1


class SourceError(ReadinessError):
    """The source file is missing, unreadable or invalid. Carries every problem found."""

    exit_code = 3

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            super().__init__(problems)
        else:
            self.problems = problems
            super().__init__(*([str(p) for p in problems] or [""]))


class Unsupported(ReadinessError):
    """This system lacks what the command needs (file locks, process groups: Windows)."""

    exit_code = 1


class WouldLoseData(ReadinessError):
    """Refused: doing it would overwrite or lose something the tool did not make."""

    exit_code = 4


class UnsafeRepository(ReadinessError):
    """The repository is not in a state the command may work in (no repo, merge, lock)."""

    exit_code = 5


class CommitFailed(ReadinessError):
    """git commit failed, for example because a hook rejected it."""

    exit_code = 6


class PushFailed(ReadinessError):
    """The commit was made but the push was rejected or failed."""

    exit_code = 7


class NotConfirmed(ReadinessError):
    """The user declined, or there is no terminal to ask and --yes was not given."""

    exit_code = 8


class TemplateError(ReadinessError):
    """A page template (the project's own, in its templates folder) cannot be read or rendered."""

    exit_code = 9


class Interrupted(ReadinessError):
    """Stopped by Ctrl-C or SIGTERM."""

    exit_code = 130
