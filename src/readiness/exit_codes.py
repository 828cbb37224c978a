"""The exit codes of the command line, read from the error family in ``readiness.errors``.

One list for the reference page of the manual (and whatever else wants it), so that a new
kind of error and its code cannot be left out of the documentation.
"""

from __future__ import annotations

import inspect
from typing import NamedTuple

from readiness import errors

SUCCESS = 0
USAGE = 2  # click's UsageError.exit_code: a wrong option, a missing argument

# Each code in the user's words; a code without an entry is described by its classes' docstrings.
MEANINGS = {
    0: "success",
    1: "a check you asked for failed (`--min-score`, `--milestone`, and with `--ci` stale pages or "
       "missing deliverables; `verify`: a command failed), or the system refused (permission denied, "
       "disk full, a path through a file, an output that cannot be written)",
    2: "wrong usage of the command (an unknown option, a missing or invalid value)",
    3: "the source file is invalid (or missing), or the evidence file (`content/evidence.yaml`) is invalid",
    4: "refused: it would overwrite or lose data, or write through a symbolic link",
    5: "the repository is in an unsafe state (not a repository, merge or rebase in progress, index locked, "
       "no identity), another readiness command is still running in it (after `READINESS_LOCK_WAIT` "
       "seconds), or a cleanup was interrupted and must be undone first",
    6: "`git commit` failed (for example a hook rejected it)",
    7: "the push failed (the local commit is kept)",
    8: "not confirmed (declined, or no terminal and no `--yes`)",
    130: "interrupted (Ctrl-C or SIGTERM)",
}

# Each code in a few words, for the table of ``readiness --help`` (a terminal, not a page); a
# code without an entry is described there by its meaning.
SHORT = {
    0: "success",
    1: "a check you asked for failed (--min-score, --milestone, --ci: stale pages or schema copy, "
       "or missing deliverables; verify: a command failed), or the system refused (permission "
       "denied, disk full, no file locks: build, mark, cleanup, commit, verify and badge need "
       "POSIX, so not Windows outside WSL)",
    2: "wrong usage of the command",
    3: "the source file is invalid (or the evidence file)",
    4: "refused: it would overwrite or lose data",
    5: "the repository is in an unsafe state (merge, lock, no identity, another readiness command "
       "running, an interrupted cleanup)",
    6: "git commit failed (for example a hook rejected it)",
    7: "the push failed (the local commit is kept)",
    8: "not confirmed (declined, or no terminal and no --yes)",
    9: "a page template cannot be read or rendered",
    130: "interrupted",
}


class ExitCode(NamedTuple):
    """One exit code, the error classes that end a command with it, and what it means."""

    code: int
    kinds: tuple[str, ...]
    meanings: tuple[str, ...]
    short: str  # in a few words, for a terminal


def exit_codes() -> list[ExitCode]:
    """Every exit code in order: success, usage, and each code of ``readiness.errors``."""
    found: dict[int, list[type[errors.ReadinessError]]] = {}
    for value in vars(errors).values():
        if inspect.isclass(value) and issubclass(value, errors.ReadinessError):
            found.setdefault(value.exit_code, []).append(value)
    table = {code: ExitCode(code, (), (MEANINGS[code],), SHORT[code]) for code in (SUCCESS, USAGE)}
    for code, classes in found.items():
        meanings = (MEANINGS[code],) if code in MEANINGS else tuple(_first_sentence(c) for c in classes)
        short = SHORT.get(code, " / ".join(meanings))
        table[code] = ExitCode(code, tuple(c.__name__ for c in classes), meanings, short)
    return [table[code] for code in sorted(table)]


def help_table(width: int = 72) -> str:
    """The exit codes as the plain-text table of ``readiness --help``: one code a line, its short
    meaning wrapped to WIDTH and indented under itself."""
    import textwrap

    lines = ["Exit codes:"]
    for entry in exit_codes():
        code = f"{entry.code:<2} "
        lines += textwrap.wrap(entry.short, width, initial_indent=f"  {code}",
                               subsequent_indent=" " * (2 + len(code)), break_on_hyphens=False)
    return "\n".join(lines)


def _first_sentence(kind: type[errors.ReadinessError]) -> str:
    doc = inspect.getdoc(kind) or kind.__name__
    return " ".join(doc.split("\n\n", 1)[0].split())
