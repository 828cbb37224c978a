"""Which stray root documents move where, and which links change: a pure plan.

Nothing here touches the disk or git. The caller lists the root entries, the names
already in the destination folders and the text of the documents; ``plan_archive``
returns an ``ArchivePlan`` that ``readiness.cleanup.apply`` carries out.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from readiness.documents import MARKDOWN_SUFFIXES, MKDOCS_FILES, is_markdown

if TYPE_CHECKING:  # the link parser is loaded when links are planned (cleanup without them starts faster)
    from readiness.cleanup.links import Link

# A file as it was read: inode, size, modification and change times (nanoseconds), mode.
Fingerprint = tuple[int, int, int, int, int]

# Files a repository root is expected to hold (GitHub, GitLab, PyPI, REUSE, citation and
# coding-assistant conventions). Matched on the name without extension or locale, any case.
STANDARD_FILES = frozenset({
    "README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "HISTORY", "NEWS",
    "CONTRIBUTING", "SECURITY", "CODE_OF_CONDUCT", "SUPPORT", "AUTHORS", "CONTRIBUTORS",
    "MAINTAINERS", "CODEOWNERS", "GOVERNANCE", "CITATION", "AGENTS", "CLAUDE", "GEMINI",
    "COPILOT-INSTRUCTIONS", "NOTICE", "FUNDING", "ROADMAP",
})
# README.fr, README.pt-BR, README.zh_CN, README.zh-Hans: a two-letter language code after
# the name, with a region or script. (Three letters would keep README.old and README.bak.)
_LOCALE = re.compile(r"\.[A-Za-z]{2}(?:[-_](?:[A-Za-z]{2}|[0-9]{3}|[A-Za-z]{4}))?$")


class GroupSettings(Protocol):
    @property
    def pattern(self) -> str: ...
    @property
    def folder(self) -> str: ...


class Settings(Protocol):
    """What cleanup reads of the ``housekeeping:`` settings (``models.Housekeeping``)."""

    @property
    def archive(self) -> str: ...
    @property
    def keep(self) -> Sequence[str]: ...
    @property
    def keep_patterns(self) -> Sequence[str]: ...
    @property
    def group_by(self) -> str: ...
    @property
    def groups(self) -> Sequence[GroupSettings]: ...


class GroupRule(NamedTuple):
    """One ``housekeeping.groups`` entry."""

    pattern: str
    folder: str


class PlainSettings(NamedTuple):
    """``models.Housekeeping`` as plain values: its defaults, for repositories without a
    source file, or the settings of a source as its digest remembers them.

    Plain values so that cleanup need not import pydantic (a tenth of a second or more).
    """

    archive: str = "docs/archive"
    keep: tuple[str, ...] = ()
    keep_patterns: tuple[str, ...] = ()
    group_by: str = "none"
    groups: tuple[GroupRule, ...] = ()


class RootEntry(NamedTuple):
    """A Markdown file at the repository root, as the caller found it."""

    name: str
    tracked: bool
    is_symlink: bool = False
    generated: bool = False  # its first line is the generated marker (readiness.pages.generated)
    digest: str = ""  # sha256 of its bytes, recorded in the manifest so undo can check them
    entry: str = ""  # a tracked file's index entry, "MODE BLOB", recorded so undo can restore it
    # Why a tracked file must move with `git mv`, which keeps its index entry as it is
    # ("unstaged changes", "the assume-unchanged flag"); "" when a staged move makes the same.
    # (Not `housekeeping.keep`, which names files that stay at the root.)
    preserve: str = ""
    # Its index flag, recorded so that undo can set it again: the `git ls-files -v` tag
    # ("h", "S", "s") or "intent-to-add"; "" for none.
    flag: str = ""


class Move(NamedTuple):
    source: str
    destination: str
    tracked: bool
    renamed_because: str | None = None  # why the name differs from the source's, if it does
    digest: str = ""  # sha256 of the file's bytes when planned
    entry: str = ""  # the index entry ("MODE BLOB") of a tracked file
    preserve: str = ""  # why it moves with `git mv` (RootEntry.preserve); "" for a staged move
    flag: str = ""  # its index flag (RootEntry.flag)


class Kept(NamedTuple):
    name: str
    reason: str


class LinkChange(NamedTuple):
    line: int
    old: str
    new: str


class Rewrite(NamedTuple):
    """A document whose links change: its path before and after the moves, and both texts."""

    path: str
    new_path: str
    before: str
    after: str
    changes: tuple[LinkChange, ...]


class BrokenLink(NamedTuple):
    path: str
    line: int
    destination: str


class ArchivePlan(NamedTuple):
    archive: str
    moves: tuple[Move, ...] = ()
    untracked: tuple[str, ...] = ()  # untracked strays left in place (no --include-untracked)
    kept: tuple[Kept, ...] = ()
    symlinks: tuple[str, ...] = ()
    rewrites: tuple[Rewrite, ...] = ()
    broken: tuple[BrokenLink, ...] = ()
    blocked: tuple[str, ...] = ()  # documents to rewrite that have unstaged changes
    flagged: tuple[str, ...] = ()  # documents to rewrite whose index entry has a flag
    staged: tuple[str, ...] = ()  # paths (after the moves) of rewritten files to stage
    folders: tuple[str, ...] = ()  # destination folders the moves need
    # What the files read for the plan were like on disk, to see that none changed since.
    seen: Mapping[str, Fingerprint] | None = None
    # Whether the archive lies inside MkDocs' docs_dir, and what keeps it off the site
    # (``mkdocs_site.archive_note``); "" when it is not published anyway.
    site_note: str = ""

    @property
    def link_count(self) -> int:
        return sum(len(r.changes) for r in self.rewrites)

    @property
    def empty(self) -> bool:
        return not self.moves

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (document texts left out)."""
        return {
            "archive": self.archive,
            "moves": [{"from": m.source, "to": m.destination, "tracked": m.tracked,
                       "renamed_because": m.renamed_because} for m in self.moves],
            "untracked_left": list(self.untracked),
            "kept": [{"name": k.name, "reason": k.reason} for k in self.kept],
            "symlinks": list(self.symlinks),
            "rewrites": [{"path": r.path, "new_path": r.new_path, "count": len(r.changes),
                          "changes": [{"line": c.line, "old": c.old, "new": c.new}
                                      for c in r.changes]} for r in self.rewrites],
            "broken_links": [{"path": b.path, "line": b.line, "destination": b.destination}
                             for b in self.broken],
            "blocked": list(self.blocked),
            "flagged": list(self.flagged),
            "site_note": self.site_note,
        }


def stays_at_root(name: str, settings: Settings) -> str | None:
    """Why root file NAME stays where it is, or None when it is a stray."""
    stem = _stem(name)
    if stem.upper() in STANDARD_FILES or _LOCALE.sub("", stem).upper() in STANDARD_FILES:
        return "standard project file"
    lowered = name.lower()
    for extra in settings.keep:
        if extra.lower() in (lowered, stem.lower()):
            return f"housekeeping.keep: {extra}"
    for pattern in settings.keep_patterns:
        if fnmatch.fnmatchcase(lowered, pattern.lower()):
            return f"housekeeping.keep_patterns: {pattern}"
    return None


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in MARKDOWN_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def folder_for(name: str, settings: Settings, today: dt.date) -> str:
    """The folder stray NAME goes to, following ``group_by``."""
    archive = settings.archive.strip("/")
    if settings.group_by == "date":
        return posixpath.join(archive, today.isoformat())
    if settings.group_by == "pattern":
        for group in settings.groups:
            if fnmatch.fnmatchcase(name.lower(), group.pattern.lower()):
                return posixpath.normpath(posixpath.join(archive, group.folder.strip("/")))
    return archive


def destination_folders(settings: Settings, today: dt.date) -> list[str]:
    """Every folder a plan may move files into, so the caller can list what they hold."""
    folders = {settings.archive.strip("/")}
    if settings.group_by == "date":
        folders.add(folder_for("", settings, today))
    if settings.group_by == "pattern":
        archive = settings.archive.strip("/")
        folders.update(posixpath.normpath(posixpath.join(archive, g.folder.strip("/")))
                       for g in settings.groups)
    return sorted(folders)


def plan_moves(
    entries: Iterable[RootEntry],
    occupied: Mapping[str, Collection[str]],
    settings: Settings,
    *,
    include_untracked: bool,
    today: dt.date,
) -> ArchivePlan:
    """Which root files move where. OCCUPIED maps each destination folder to the names in it.

    A name taken at the destination, in any letter case, is never reused: the file gets
    the first free ``NAME-2.md``, ``NAME-3.md``, ... and the move says why.
    """
    moves: list[Move] = []
    kept: list[Kept] = []
    symlinks: list[str] = []
    untracked: list[str] = []
    taken: dict[str, set[str]] = {f: {n.lower() for n in names} for f, names in occupied.items()}
    for entry in sorted(entries, key=lambda e: e.name):
        if not is_markdown(entry.name) or "/" in entry.name:
            continue
        if entry.is_symlink:
            symlinks.append(entry.name)
            continue
        if entry.generated:
            kept.append(Kept(entry.name, "generated by readiness"))
            continue
        reason = stays_at_root(entry.name, settings)
        if reason is not None:
            kept.append(Kept(entry.name, reason))
            continue
        if not entry.tracked and not include_untracked:
            untracked.append(entry.name)
            continue
        folder = folder_for(entry.name, settings, today)
        names = taken.setdefault(folder, set())
        name, because = _free_name(entry.name, names, folder)
        names.add(name.lower())
        moves.append(Move(entry.name, posixpath.join(folder, name), entry.tracked, because,
                          entry.digest, entry.entry, entry.preserve, entry.flag))
    folders = sorted({posixpath.dirname(m.destination) for m in moves})
    return ArchivePlan(settings.archive.strip("/"), tuple(moves), tuple(untracked), tuple(kept),
                       tuple(symlinks), folders=tuple(folders))


def _free_name(name: str, taken: set[str], folder: str) -> tuple[str, str | None]:
    if name.lower() not in taken:
        return name, None
    stem, suffix = posixpath.splitext(name)
    number = 2
    while f"{stem}-{number}{suffix}".lower() in taken:
        number += 1
    return f"{stem}-{number}{suffix}", f"{posixpath.join(folder, name)} is taken (any case)"


def plan_archive(
    entries: Iterable[RootEntry],
    occupied: Mapping[str, Collection[str]],
    documents: Mapping[str, str],
    settings: Settings,
    *,
    exists: Callable[[str], bool],
    include_untracked: bool = False,
    today: dt.date,
    rewrite_links: bool = True,
) -> ArchivePlan:
    """The whole plan: the moves, then the link rewrites they need.

    DOCUMENTS maps repository paths of Markdown files (and mkdocs.yml) to their text;
    EXISTS says whether a repository path exists now. The caller fills ``blocked``
    with the documents to rewrite that have unstaged changes.
    """
    plan = plan_moves(entries, occupied, settings, include_untracked=include_untracked,
                      today=today)
    if not rewrite_links or plan.empty:
        return plan
    rewrites, broken = plan_rewrites(plan.moves, documents, exists)
    return plan._replace(rewrites=tuple(rewrites), broken=tuple(broken))


def plan_rewrites(
    moves: Sequence[Move], documents: Mapping[str, str], exists: Callable[[str], bool]
) -> tuple[list[Rewrite], list[BrokenLink]]:
    """The link changes that keep every working link working once MOVES are made.

    A link that was broken already is reported and left as written.
    """
    from readiness.cleanup.links import docs_dir_of, find_nav_links

    moved = {m.source: m.destination for m in moves}
    rewrites: list[Rewrite] = []
    broken: list[BrokenLink] = []
    for path in sorted(documents):
        text = documents[path]
        new_path = moved.get(path, path)
        if posixpath.basename(path) in MKDOCS_FILES and "/" not in path:
            base = posixpath.normpath(posixpath.join(posixpath.dirname(path), docs_dir_of(text)))
            changes = _changes(find_nav_links(text), base + "/", base + "/", moved, exists, path, broken)
        else:
            links = _links(text) if path in moved else _links_worth_reading(path, text, moved, exists)
            if links is None:
                continue
            changes = _changes(links, path, new_path, moved, exists, path, broken)
        if changes:
            after = _apply(text, changes)
            rewrites.append(Rewrite(path, new_path, text, after,
                                    tuple(LinkChange(link.line, link.destination, new)
                                          for link, new in changes)))
    return rewrites, broken


def _may_hold_code(text: str) -> bool:
    """False when TEXT cannot hold code (no backtick, tilde fence or indented line)."""
    return "`" in text or "~~~" in text or "    " in text or "\t" in text


def _links(text: str) -> list[Link]:
    """The links of TEXT outside code."""
    from readiness.cleanup.links import find_links, mask_code

    return find_links(text, mask_code(text) if _may_hold_code(text) else text)


def _links_worth_reading(path: str, text: str, moved: Mapping[str, str],
                         exists: Callable[[str], bool]) -> list[Link] | None:
    """The links of TEXT, or None when none could point at a moved file or a missing root document.

    Cheap tests first: most documents of a large repository can't, and skipping them keeps
    cleanup fast. The links found without masking code are a superset of the real ones, and
    the real ones when TEXT holds no code.
    """
    from readiness.cleanup.links import find_links, relative_target, resolve

    lowered = text.lower()
    if "](" not in text and "]:" not in text and "href" not in lowered and "src" not in lowered:
        return None
    found = find_links(text, text)
    for link in found:
        target = relative_target(link.destination)
        resolved = resolve(path, target[0]) if target is not None else None
        if resolved is not None and (resolved in moved or (
                "/" not in resolved and is_markdown(resolved) and not exists(resolved))):
            return _links(text) if _may_hold_code(text) else found
    return None


def _changes(
    links: Iterable[Link],
    document: str,
    new_document: str,
    moved: Mapping[str, str],
    exists: Callable[[str], bool],
    shown_path: str,
    broken: list[BrokenLink],
) -> list[tuple[Link, str]]:
    """(link, new destination) for every link whose text must change."""
    from readiness.cleanup.links import encode, relative_link, relative_target, resolve

    document_moves = document != new_document
    new_folder = posixpath.dirname(new_document)
    changes = []
    for link in links:
        target = relative_target(link.destination)
        if target is None:
            continue
        path, suffix = target
        resolved = resolve(document, path)
        if resolved is None:
            continue
        if not exists(resolved):
            if document_moves or "/" not in resolved:
                broken.append(BrokenLink(shown_path, link.line, link.destination))
            continue
        new_target = moved.get(resolved, resolved)
        if new_target == resolved and not document_moves:
            continue
        if document_moves and resolve(new_document, path) == new_target:
            continue  # the text as written still points at the same file (moved together)
        new = relative_link(new_target, new_folder, path.endswith("/"))
        if link.kind != "nav" and ":" in new.partition("/")[0]:
            new = f"./{new}"  # `c:y.md` would read as a URL with the scheme `c:`
        destination = encode(new, link) + suffix
        if destination != link.destination:
            changes.append((link, destination))
    return changes


def _apply(text: str, changes: Sequence[tuple[Link, str]]) -> str:
    parts = []
    position = 0
    for link, new in sorted(changes, key=lambda change: change[0].start):
        parts.append(text[position:link.start])
        parts.append(new)
        position = link.end
    parts.append(text[position:])
    return "".join(parts)
