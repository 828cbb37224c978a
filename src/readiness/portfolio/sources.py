"""The members of a portfolio: paths and globs of sources, and CI exports of ``check --format json``.

A pattern is a path (taken literally when such a file exists) or a glob over path components
(``*``, ``?``, ``[...]``, and ``**`` for any number of folders). A glob starts at its literal
prefix (``services/`` in ``services/*/readiness.yaml``) and never leaves it: a link whose target
lies outside that folder is skipped, and links to folders are not followed. Hidden folders and
files (names starting with ".") match only a pattern component that starts with "." itself.

A file ending in ``.json`` is an export; any other file is a source. Each member is read on its
own: an invalid source or a refused export is kept as a problem of that member, one line, and
the others are read as usual.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.errors import ReadinessError
from readiness.portfolio.member import SCHEMA_VERSION, Assessed, assessed

# The schema versions of ``check --format json`` that a portfolio reads from an export.
READ_SCHEMA_VERSIONS = (SCHEMA_VERSION,)
_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class Member:
    """One project of the portfolio: where it came from, and its check JSON or why there is none."""

    path: Path  # the file as found (a literal path as given, a glob's match under its folder)
    display: str  # the path as messages show it
    kind: str  # "source" (a YAML source) or "export" (a JSON export of check --format json)
    data: dict[str, Any] | None = None
    problem: str | None = None  # one line: why the member could not be read (data is None then)

    @property
    def valid(self) -> bool:
        return self.data is not None


@dataclass(frozen=True)
class Found:
    """What the patterns matched: the files, in order, and the patterns that matched nothing."""

    files: tuple[Path, ...]
    unmatched: tuple[str, ...] = field(default=())


def is_glob(pattern: str) -> bool:
    return any(character in _MAGIC for character in pattern)


def expand(patterns: Sequence[str], base: Path) -> Found:
    """The files PATTERNS name, relative to BASE: each pattern's matches sorted by path, patterns in
    the order given, every file once (the first pattern that names it keeps it)."""
    files: list[Path] = []
    seen: set[str] = set()
    unmatched: list[str] = []
    for pattern in patterns:
        literal = base / pattern
        if literal.is_dir():
            from readiness.files.project import DEFAULT_SOURCE, is_project_root
            from readiness.source.locate import find_source

            # a project folder: its source, as check finds it there (never in a parent folder)
            literal = find_source(literal) if is_project_root(literal) else literal / DEFAULT_SOURCE
        if not is_glob(pattern) or literal.is_file():
            matches = [literal] if literal.exists() or not is_glob(pattern) else []
        else:
            matches = sorted(_glob(base, pattern))
        if not matches:
            unmatched.append(pattern)
        for path in matches:
            # only a link needs resolving: a glob never enters a linked folder
            key = os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return Found(tuple(files), tuple(unmatched))


def _glob(base: Path, pattern: str) -> Iterator[Path]:
    """Files under the literal prefix of PATTERN that match it, component by component."""
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if is_glob(part))
    start = base.joinpath(*parts[:first]) if first else base
    if not start.is_dir():
        return
    top = os.path.realpath(start)
    yield from _match(start, parts[first:], top)


def _match(folder: Path, parts: Sequence[str], top: str) -> Iterator[Path]:
    part, rest = parts[0], parts[1:]
    if part == "**":
        yield from _match(folder, rest, top) if rest else ()
        for entry in _entries(folder):
            if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                yield from _match(folder / entry.name, parts, top)
        return
    if not is_glob(part):
        names = [part] if os.path.lexists(folder / part) else []
    else:
        names = [e.name for e in _entries(folder) if fnmatch.fnmatchcase(e.name, part)
                 and (part.startswith(".") or not e.name.startswith("."))]
    for name in names:
        path = folder / name
        if rest:
            if path.is_dir() and not path.is_symlink():
                yield from _match(path, rest, top)
        elif path.is_file() and (not path.is_symlink() or _inside(path, top)):
            yield path


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []  # unreadable: nothing matches there


def _inside(path: Path, top: str) -> bool:
    """PATH (a link is followed) lies under TOP."""
    real = os.path.realpath(path)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def read_member(path: Path, display: str) -> Member:
    """The member at PATH: its check JSON, or the one-line reason it cannot be read."""
    return read_member_assessed(path, display)[0]


def read_member_assessed(path: Path, display: str) -> tuple[Member, Assessed | None]:
    """The member at PATH and, for a valid source, its model and figures (for its pages)."""
    kind = "export" if path.name.endswith(".json") else "source"
    found = None
    try:
        if kind == "export":
            data = read_export(path, display)
        else:
            found = assessed(path)
            data = found.data
    except ReadinessError as error:
        return Member(path, display, kind, problem=one_line(error)), None
    except OSError as error:
        return Member(path, display, kind, problem=f"{display}: cannot read: {error.strerror or error}"), None
    return Member(path, display, kind, data=data), found


def one_line(error: ReadinessError) -> str:
    """ERROR's first line, and how many more it reports ("readiness check FILE" shows them)."""
    lines = [line for line in error.lines if line]
    more = len(lines) - 1
    first = lines[0] if lines else str(error)
    return first + (f" (and {more} more {'problem' if more == 1 else 'problems'})" if more > 0 else "")


def read_export(path: Path, display: str) -> dict[str, Any]:
    """The check JSON in the export at PATH, refused unless its schema_version is one this reads."""
    from readiness.errors import SourceError

    raw = path.read_bytes()
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise SourceError(f"{display}: not UTF-8 text: expected the JSON of readiness check "
                          "--format json") from None
    except json.JSONDecodeError as error:
        raise SourceError(f"{display}:{error.lineno}:{error.colno}: JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{display}: expected the JSON object of readiness check --format json")
    version = data.get("schema_version")
    readable = ", ".join(str(v) for v in READ_SCHEMA_VERSIONS)
    if version is None:
        raise SourceError(f"{display}: no schema_version: exported by an older readiness; export it "
                          f"again with one that writes schema_version {readable}")
    if type(version) is not int or version not in READ_SCHEMA_VERSIONS:
        newer = type(version) is int and version > max(READ_SCHEMA_VERSIONS)
        raise SourceError(f"{display}: schema_version {json.dumps(version)} is not read here (this "
                          f"readiness reads {readable}): "
                          + ("update readiness" if newer else "export it again with this readiness"))
    _check_shape(data, display)
    data.pop("gate", None)
    return data


_SHAPE = {"project": str, "as_of": str, "score": int, "milestones": list, "verification": dict}
_MILESTONE = {"id": str, "title": str, "state": str, "decision": str}


def _check_shape(data: dict[str, Any], display: str) -> None:
    """The keys the portfolio reads are there and of their kind: a hand-edited export fails here,
    with its key, rather than somewhere in the overview."""
    from readiness.errors import SourceError

    def need(where: dict[str, Any], key: str, kind: type, path: str) -> None:
        value = where.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SourceError(f"{display}: {path}: expected {kind.__name__}, "
                              f"found {json.dumps(value)[:40]}")

    for key, kind in _SHAPE.items():
        need(data, key, kind, key)
    for index, milestone in enumerate(data["milestones"]):
        if not isinstance(milestone, dict):
            raise SourceError(f"{display}: milestones[{index}]: expected an object")
        for key, kind in _MILESTONE.items():
            need(milestone, key, kind, f"milestones[{index}].{key}")


def display(path: Path) -> str:
    """PATH as messages show it: as found when relative (to the current folder), else as
    ``readiness check`` shows a file (``locate.display_name``)."""
    if not path.is_absolute():
        return os.path.normpath(path).replace(os.sep, "/")
    from readiness.source.locate import display_name

    return display_name(path)


def read_members(patterns: Sequence[str], base: Path) -> tuple[list[Member], list[str]]:
    """The members PATTERNS name under BASE, and one line for each pattern that matched nothing."""
    found = expand(patterns, base)
    members = [read_member(path, display(path)) for path in found.files]
    missing = [f"{pattern}: no such file" if not is_glob(pattern) else f"{pattern}: matches no file"
               for pattern in found.unmatched]
    return members, missing
