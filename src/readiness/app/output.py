"""What a command shows: lines for standard output or standard error, and errors as lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from readiness.errors import ReadinessError


class Line(NamedTuple):
    """One line to show: the output, or with ERR a note beside it on standard error."""

    text: str
    err: bool = False
    nl: bool = True  # False: more follows on the same line (a command's result after its name)
    colour: bool | None = None  # True: keep its colour codes on a pipe too; False: strip them


Lines = Iterator[Line]


def note(text: str) -> Line:
    """TEXT on standard error: a warning or a note, not the output."""
    return Line(text, err=True)


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


def refusal_text(error: OSError) -> str:
    """The system's refusal (permission denied, disk full) as one line: what, and where."""
    from readiness.terminal import safe

    where = f": {error.filename}" if error.filename else ""
    return safe(f"readiness: {error.strerror or error}{where}")
