"""Carrying out ``readiness cleanup``: survey the repository, move, rewrite, record, undo.

The decisions are made in ``readiness.cleanup.plan`` (pure); this module only reads the
repository for it and applies its plan. Every git command goes through ``gitops``.
A change is all or nothing: the index is saved first, and any failure (or Ctrl-C) part
way puts back the files, the folders and the index as they were.

A process killed part way (``kill -9``, a power cut) cannot roll back, so the manifest
records progress on disk: it is written, complete, before anything changes, with
``state: "applying"``, and becomes ``"applied"`` only once everything is done (``"undoing"``
while an undo runs). The next cleanup finds a manifest that is not ``"applied"`` and
refuses (exit 5), sending the user to ``readiness cleanup --undo``, which works out from
what exists which moves and rewrites were made and puts back exactly those.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import signal
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from readiness.cleanup.plan import (
    ArchivePlan,
    Fingerprint,
    GroupRule,
    PlainSettings,
    RootEntry,
    Settings,
    destination_folders,
    plan_archive,
)
from readiness.digest import digest_text
from readiness.documents import DOCUMENT_SPECS, DOT_GIT_COMPONENT, ROOT_SPECS, is_markdown
from readiness.errors import ReadinessError, SourceError, UnsafeRepository, WouldLoseData
from readiness.files.faults import pause_point
from readiness.git.repository import IndexUpdate, Reads, Repository, blob_id
from readiness.pages.generated import MANIFEST_PREFIX, is_marker_line
from readiness.source.locate import display_name, find_source, read_source

APPLIED = "applied"  # a manifest without a state (written before states existed) is applied
UNFINISHED = ("applying", "undoing")
# File timestamps come from a clock that advances by ticks of a few milliseconds at most.
_TICK_NS = 20_000_000
# The flags `git ls-files -v` shows by a tag other than "H", which only `git mv` carries over.
_FLAGS = {"h": "the assume-unchanged flag", "s": "the assume-unchanged flag",
          "S": "the skip-worktree flag"}
_COARSE_NS = 2_100_000_000
_UNMERGED = "M"  # the tag `git ls-files -v` gives each stage of a path in conflict
_SYMLINK = "120000"  # the index mode of a symbolic link


def housekeeping_settings(root: Path, explicit: Path | None = None) -> Settings:
    """The ``housekeeping:`` settings of the source file, or the defaults when there is none."""
    path = explicit if explicit is not None else find_source(root)
    if not path.is_file():
        if explicit is None:
            return PlainSettings()
        raise SourceError(f"{explicit}: no such source file")
    # The source's digest holds the settings: remembered when another command read the
    # same bytes (no pydantic import), else made by validating (SourceError if invalid).
    shown = display_name(path)
    from readiness.source.locate import evidence_bytes, evidence_path

    found = digest_text(read_source(path, shown), shown, evidence_bytes(evidence_path(path)))
    return PlainSettings(archive=found.archive, keep=found.keep, keep_patterns=found.keep_patterns,
                         group_by=found.group_by, groups=tuple(GroupRule(*g) for g in found.groups))


# ---------------------------------------------------------------- survey and plan


def survey_and_plan(
    repo: Repository,
    settings: Settings,
    *,
    include_untracked: bool = False,
    rewrite_links: bool = True,
    today: dt.date | None = None,
    listing: Reads | None = None,
) -> ArchivePlan:
    """Read what the plan needs from the repository (a few git calls in all) and make it.

    LISTING: the documents' listing, started ahead (``Repository.start_listing``)."""
    root = repo.root
    refuse_if_interrupted(root, settings)
    base = str(root)
    # Only Markdown files (and mkdocs.yml) matter: strays are Markdown files at the root,
    # and only documents hold links to rewrite. Whether a link's target exists is asked of
    # the disk, so the rest of a large repository is never listed. Without links to
    # rewrite, only the root is looked at.
    started = time.time_ns()
    when = today or dt.date.today()
    folders = destination_folders(settings, when)
    if rewrite_links:
        index, flags, untracked = repo.listed(DOCUMENT_SPECS, listing)
    else:  # the root, and what the index holds in the destination folders
        specs = (*ROOT_SPECS, *(f":(literal){folder}/" for folder in folders))
        index, flags, untracked = repo.listed_at_root(_markdown_at(base), specs)
    _refuse_conflicts(flags)
    intent = _intent_to_add(repo, index)
    entries = []
    documents: dict[str, str] = {}
    seen: dict[str, Fingerprint] = {}
    unconverted: list[str] = []  # tracked strays whose bytes are not their blob: ask git
    for name in (*index, *untracked):
        if "/" in name or not is_markdown(name):
            continue
        path = f"{base}/{name}"
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue  # tracked but deleted from the work tree: nothing to move
        entry = index.get(name, "")
        if stat.S_ISLNK(info.st_mode) or entry.startswith(f"{_SYMLINK} "):
            # (a symlink git keeps as such, checked out as a plain file with core.symlinks off)
            entries.append(RootEntry(name, bool(entry), is_symlink=True))
            continue
        found = _read_document(path)
        if found is None:
            continue
        text, seen[name] = found
        documents[name] = text  # read once: for the marker, the manifest and the links
        data = _encode(text)
        if entry and blob_id(data, _blob(entry)) != _blob(entry):
            unconverted.append(name)
        preserve = _preserve_reason(entry, flags.get(name, ""), name in intent)
        if entry and not preserve and _mode_differs(entry, info.st_mode):
            preserve = "unstaged changes"  # a mode change: `git mv` keeps it unstaged, as it is
        entries.append(RootEntry(name, bool(entry), generated=_is_generated(text),
                                 digest=_sha256(data), entry=entry, preserve=preserve,
                                 flag="intent-to-add" if name in intent else flags.get(name, "")))
    occupied = {folder: _names_in(root, folder, index) for folder in folders}
    if rewrite_links:
        for path in (*index, *untracked):
            if path not in documents:
                found = _read_document(f"{base}/{path}")
                if found is not None:
                    documents[path], seen[path] = found
        _refuse_sparse(root, flags, documents)
    plan = plan_archive(entries, occupied, documents, settings, exists=_existence(root),
                        include_untracked=include_untracked, today=when,
                        rewrite_links=rewrite_links)
    # Cleanup stages what it writes, so a file to rewrite must not hold unstaged work: its
    # text must be the blob the index holds (every rewritten document was listed with one;
    # a root file's was compared as it was read).
    at_root = {e.name for e in entries if e.tracked and not e.is_symlink}
    maybe = [r.path for r in plan.rewrites if r.path in index and r.path not in at_root
             and blob_id(_encode(r.before), _blob(index[r.path])) != _blob(index[r.path])]
    # A file git converts when it stages it (core.autocrlf, .gitattributes eol, a clean
    # filter) differs from its blob on disk while git sees no change: git is asked, once.
    changed = repo.changed_since_staged([*unconverted, *maybe], index) if unconverted or maybe else set()
    if changed & at_root:  # a stray with unstaged changes moves with `git mv`, which keeps them
        plan = plan._replace(moves=tuple(
            m._replace(preserve=m.preserve or "unstaged changes") if m.source in changed else m
            for m in plan.moves))
    blocked = {r.path for r in plan.rewrites if r.path in changed}
    # So must its mode, where git reads modes from the disk (core.filemode).
    modes = [r.path for r in plan.rewrites if r.path in index and r.path not in blocked and _mode_differs(
        index[r.path], seen[r.path][4] if r.path in seen else _lstat_mode(f"{base}/{r.path}"))]
    if modes and repo.trusts_file_modes():
        blocked.update(modes)
    # git leaves a flagged entry as it is when asked to stage its file (and drops a
    # skip-worktree one): such a file cannot take rewritten links.
    flagged = [r.path for r in plan.rewrites if flags.get(r.path, "") in _FLAGS]
    staged = [r.new_path for r in plan.rewrites if r.path in index]
    from readiness.pages.mkdocs_site import archive_note

    return plan._replace(blocked=tuple(sorted(blocked)), flagged=tuple(sorted(flagged)),
                         staged=tuple(staged), seen=trusted_fingerprints(seen, started),
                         site_note=archive_note(root, plan.archive) if plan.moves else "")


def _preserve_reason(entry: str, tag: str, intent: bool) -> str:
    """Why a tracked stray with index ENTRY must move with `git mv` ("" when a staged move
    makes the same entry): its flag (``ls-files -v`` TAG), an intent-to-add entry, or a
    mode git may not read from the disk (core.filemode, core.symlinks off)."""
    if not entry:
        return ""
    if intent:
        return "the intent-to-add entry"
    if tag in _FLAGS:
        return _FLAGS[tag]
    mode = entry.partition(" ")[0]
    return "" if mode == "100644" else f"the mode {mode}"


def _plain_path(path: str) -> bool:
    """Whether PATH is a repository path as cleanup writes them: relative, normalised,
    without '..', not in .git (in any letter case, nor as Windows reads it)."""
    parts = path.split("/")
    return (bool(path) and path != "." and posixpath.normpath(path) == path and not path.startswith("/")
            and "\0" not in path and ".." not in parts
            and not any(re.fullmatch(DOT_GIT_COMPONENT, part) for part in parts))


def _mode_differs(entry: str, disk_mode: int | None) -> bool:
    """Whether a regular file's executable bit on disk (DISK_MODE) differs from its index ENTRY."""
    mode = entry.partition(" ")[0]
    if disk_mode is None or mode not in ("100644", "100755") or not stat.S_ISREG(disk_mode):
        return False
    return bool(disk_mode & 0o100) != (mode == "100755")


def _lstat_mode(path: str) -> int | None:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _refuse_conflicts(flags: dict[str, str]) -> None:
    conflicted = sorted(path for path, tag in flags.items() if tag == _UNMERGED)
    if conflicted:
        raise UnsafeRepository(f"unresolved conflicts in {', '.join(conflicted)}: resolve them "
                               "(edit, then git add) and run cleanup again")


def _intent_to_add(repo: Repository, index: dict[str, str]) -> set[str]:
    """The paths of INDEX that are intent-to-add entries (``git add -N``); only entries of
    the empty blob can be, and git is asked about those alone."""
    if not index:
        return set()
    empty = blob_id(b"", _blob(next(iter(index.values()))))
    candidates = [path for path, entry in index.items() if _blob(entry) == empty]
    return repo.intent_to_add(candidates) if candidates else set()


def _refuse_sparse(root: Path, flags: dict[str, str], documents: dict[str, str]) -> None:
    """Refuse when documents the links depend on are outside a sparse checkout."""
    absent = sorted(path for path, tag in flags.items()
                    if tag in ("S", "s") and path not in documents and not os.path.lexists(root / path))
    if absent:
        shown = ", ".join(absent[:5]) + (f" and {len(absent) - 5} more" if len(absent) > 5 else "")
        raise UnsafeRepository(f"{shown}: not in the work tree (skip-worktree: a sparse checkout?), "
                               "so cleanup cannot keep their links working; run it in a full "
                               "checkout (git sparse-checkout disable)")


def trusted_fingerprints(seen: dict[str, Fingerprint], started: int) -> dict[str, Fingerprint]:
    """The fingerprints of SEEN that tell a later change, for files read from STARTED on.

    A file written within a clock tick of the reads could change again with the same
    timestamps: its fingerprint is not trusted (as git treats a "racily clean" entry). A
    change time in whole seconds comes from a file system that keeps no finer times (FAT
    keeps two seconds): there the window is wider. (ctime >= mtime, so ctime decides.)
    """
    return {path: mark for path, mark in seen.items()
            if mark[3] < started - (_TICK_NS if mark[3] % 1_000_000_000 else _COARSE_NS)}


def _blob(entry: str) -> str:
    return entry.partition(" ")[2]  # "MODE BLOB"


def _markdown_at(base: str) -> list[str]:
    """The names of the Markdown files (and symlinks) in the folder BASE, not below it."""
    with os.scandir(base) as found:
        return [e.name for e in found if is_markdown(e.name) and not e.is_dir(follow_symlinks=False)]


def _existence(root: Path) -> Callable[[str], bool]:
    """Whether a repository path exists on disk (a file, a folder, or a link that leads to
    one), asked once per path."""
    base = str(root)
    cache: dict[str, bool] = {".": True}

    def exists(path: str) -> bool:
        found = cache.get(path)
        if found is None:
            found = cache[path] = os.path.exists(f"{base}/{path}")
        return found

    return exists


def _is_generated(text: str) -> bool:
    return is_marker_line(text.lstrip("\ufeff").split("\n", 1)[0])


def _read_document(path: str | Path) -> tuple[str, Fingerprint] | None:
    """A document's text, bytes kept exactly, and the fingerprint of the file it was read from.

    Opened with O_NOFOLLOW: a symlink is never read as a document, so never written through;
    and with O_NONBLOCK, so that a named pipe is turned down instead of waited on. Read with
    plain system calls: a buffered file object costs more than the read itself for the
    thousands of small documents of a large repository.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None
        data = os.read(descriptor, info.st_size + 1)
        if len(data) > info.st_size:  # it grew since fstat: read to the end
            chunks = [data]
            while chunk := os.read(descriptor, 65536):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data.decode("utf-8", "surrogateescape"), _fingerprint(info)
    finally:
        os.close(descriptor)


def _fingerprint(info: os.stat_result) -> Fingerprint:
    """What changes when a file is written or replaced: inode, size, both timestamps; and
    its mode, kept to compare with the index."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_mode)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _names_in(root: Path, folder: str, index: dict[str, str]) -> set[str]:
    """The names taken in a destination folder: on disk, or in the INDEX (a tracked file
    deleted from the work tree still holds its name); refuses a folder that is a file or a
    symlink."""
    _check_folder(root, folder)
    target = root / folder
    names = set(os.listdir(target)) if target.is_dir() else set()
    prefix = f"{folder}/"
    names.update(path[len(prefix):] for path in index
                 if path.startswith(prefix) and "/" not in path[len(prefix):])
    return names


def _check_folder(root: Path, folder: str) -> None:
    current = root
    for part in Path(folder).parts:
        current = current / part
        if current.is_symlink():
            raise UnsafeRepository(f"{current.relative_to(root)} is a symlink: cleanup will not "
                                   "move files through it; set housekeeping.archive elsewhere")
        if current.exists() and not current.is_dir():
            raise WouldLoseData(f"{current.relative_to(root)} is a file, not a folder: "
                                "set housekeeping.archive elsewhere")


# ---------------------------------------------------------------- doing, all or nothing


@contextlib.contextmanager
def _whole() -> Iterator[None]:
    """Run the block whole: it is what makes a change complete, so a Ctrl-C or SIGTERM that
    comes meanwhile is taken and dropped (the change is done by then) rather than leaving
    it half made, or reported as interrupted once it is complete."""
    signals = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        for number in signal.sigpending() & signals:
            signal.sigwait({number})
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Journal:
    """What a change has done so far, so that a failure can put everything back."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.index: bytes | None = None
        self.renames: list[tuple[str, str]] = []
        self.writes: list[tuple[str, bytes | None]] = []
        self.folders: list[Path] = []
        self.stager: IndexUpdate | None = None  # let end before the index is put back
        self.index_touched = False  # by a `git mv` or `git update-index` of this change
        # The manifest and its bytes before (None: made by this change). Put back last, so
        # that a process killed while rolling back still leaves the record undo needs.
        self.manifest: Path | None = None
        self.manifest_before: bytes | None = None

    def start(self) -> None:
        self.index = self.repo.index_snapshot()

    def make_folders(self, root: Path, folders: Sequence[str]) -> list[str]:
        made = []
        for folder in folders:
            _check_folder(root, folder)
            missing = []
            current = root / folder
            while not current.exists():
                missing.append(current)
                current = current.parent
            for path in reversed(missing):
                path.mkdir()
                self.folders.append(path)
                made.append(path.relative_to(root).as_posix())
        return made

    def write(self, path: str, data: bytes, old: bytes | None) -> None:
        """Write DATA to PATH, whose bytes now are OLD (None: a new file), remembering them."""
        if old is None:  # recorded once made: a failed O_EXCL must not remove another's file
            _write_in_place(path, data, new=True)
            self.writes.append((path, old))
        else:  # recorded first: a write that fails half way is put back too
            self.writes.append((path, old))
            _write_in_place(path, data)

    def rollback(self) -> None:
        # A second Ctrl-C, SIGTERM or SIGHUP must not stop the rollback half way.
        blocked = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            self._rollback()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def rename(self, source: str, destination: str) -> None:
        """Rename SOURCE to DESTINATION (repository paths), never over a file that exists."""
        base = self.repo.root
        old, new = f"{base}/{source}", f"{base}/{destination}"
        if os.path.lexists(new):
            raise WouldLoseData(f"{destination} exists: cleanup will not replace it")
        self.renames.append((old, new))
        os.rename(old, new)

    def _rollback(self) -> None:
        if self.stager is not None:
            self.stager.abandon()
        for path, old in reversed(self.writes):
            if old is None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            else:
                _write_in_place(path, old)
        for source, destination in reversed(self.renames):
            if os.path.lexists(destination) and not os.path.lexists(source):
                os.rename(destination, source)
        # Put back only an index this change touched: after a refusal before any change,
        # another git process may have written the index since the lock was let go.
        if self.index_touched or (self.stager is not None and self.stager.fed):
            self.repo.restore_index(self.index)
        if self.manifest is not None:
            if self.manifest_before is None:
                self.manifest.unlink(missing_ok=True)
            else:
                _replace_file(self.manifest, self.manifest_before)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _write_in_place(path: str | Path, data: bytes, new: bool = False) -> None:
    """Overwrite PATH with DATA, keeping its inode and permissions; never through a symlink.

    Not write-to-temporary-then-rename: on ext4 each rename over an existing file forces
    its data to disk (auto_da_alloc), 2 ms a file, 200 times slower than this. A failure
    or Ctrl-C part way is undone by the journal, and the manifest, written before any
    file changes, holds every original text.
    """
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    if new:
        flags |= os.O_EXCL  # a new file never replaces one that appeared meanwhile
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        if os.path.islink(path):
            raise WouldLoseData(f"{path} is a symlink: cleanup will not write through it") from None
        raise error
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def apply_cleanup(repo: Repository, plan: ArchivePlan) -> str:
    """Make the moves and rewrites of PLAN, stage them, write the manifest; return its path."""
    root = repo.root
    if plan.blocked:
        raise WouldLoseData("unstaged changes in files whose links must change (cleanup stages "
                            f"what it writes): {', '.join(plan.blocked)}: stage or stash them")
    if plan.flagged:
        raise WouldLoseData("files whose links must change have an index flag (assume-unchanged or "
                            f"skip-worktree), so git would not stage them: {', '.join(plan.flagged)}: "
                            "clear it (git update-index --no-assume-unchanged --no-skip-worktree)")
    journal = _Journal(repo)
    journal.start()
    # A tracked file with unstaged changes (or an index flag) moves with `git mv`, which
    # keeps its index entry as it is: its staged and its unstaged text stay apart. The
    # others are renamed here and staged, with every rewritten file, by one
    # `git update-index` fed as the files change (the index entries `git mv` and `git add`
    # would make); it starts now, so git reads the index meanwhile.
    apart = [(m.source, m.destination) for m in plan.moves if m.tracked and m.preserve]
    try:
        if not apart:
            journal.stager = repo.index_update()
        _check_unchanged(root, plan)
        _remove_unfinished_manifests(root / plan.archive)
        made = journal.make_folders(root, [plan.archive, *plan.folders])
        # Written whole before any file changes: should the process die part way, every
        # original text and every planned move is on disk, marked "applying".
        manifest = _manifest(plan, made)
        name = f"{MANIFEST_PREFIX}{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}.json"
        manifest_path = root / plan.archive / name
        written = _manifest_bytes(manifest)
        _create_file(manifest_path, written)
        journal.manifest = manifest_path
        pause_point("cleanup-manifest")
        if apart:
            journal.renames.extend((f"{root}/{s}", f"{root}/{d}") for s, d in apart)
            journal.index_touched = True
            repo.move(apart)
            journal.stager = repo.index_update()
        stager = journal.stager
        assert stager is not None
        rewritten = {r.new_path for r in plan.rewrites}
        for move in plan.moves:
            if not (move.tracked and move.preserve):
                journal.rename(move.source, move.destination)
                if move.tracked:
                    stager.stage(move.source)  # gone from the work tree: leaves the index
                    if move.destination not in rewritten:  # else staged once rewritten
                        stager.stage(move.destination)
        pause_point("cleanup-moved")
        staged = set(plan.staged)
        for number, rewrite in enumerate(plan.rewrites):
            journal.write(f"{root}/{rewrite.new_path}", _encode(rewrite.after), _encode(rewrite.before))
            if rewrite.new_path in staged:
                stager.stage(rewrite.new_path)
            if number == 0:
                pause_point("cleanup-rewriting")
        stager.finish()
        pause_point("cleanup-staged")
        with _whole():
            _replace_file(manifest_path, _with_state(written, APPLIED))
    except BaseException:
        journal.rollback()
        raise
    return manifest_path.relative_to(root).as_posix()


def _manifest_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def _with_state(written: bytes, state: str) -> bytes:
    """The manifest bytes WRITTEN (made by ``_manifest``) with STATE instead of "applying".

    Not encoded again: the texts it holds make that the longest step of marking it done.
    The top-level key is the first ``"state": `` in the bytes (``_manifest`` puts it before
    any text, and inside a JSON string every quote is escaped)."""
    old, new = b'"state": "applying"', f'"state": {json.dumps(state)}'.encode()
    head, found, tail = written.partition(old)
    if not found or b'"state"' in head:
        raise ValueError("not a manifest made by _manifest")
    return head + new + tail


def _create_file(path: Path, data: bytes) -> None:
    """Make PATH hold DATA, whole or not at all, never replacing a file that exists."""
    temporary = path.with_name(path.name + ".tmp")
    _write_in_place(temporary, data, new=True)
    try:
        _sync(temporary)
        try:
            os.link(temporary, path)  # fails if PATH exists: unlike rename, never replaces
        except FileExistsError:
            raise WouldLoseData(f"{path} exists: cleanup will not replace it") from None
    finally:
        temporary.unlink(missing_ok=True)


def _replace_file(path: Path, data: bytes) -> None:
    """Replace PATH (a manifest) with DATA atomically: a reader sees the old or the new whole."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    _write_in_place(temporary, data, new=True)
    try:
        _sync(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_unfinished_manifests(folder: Path) -> None:
    """Remove manifest temporaries a killed run left: no file had changed when they were made."""
    if folder.is_dir() and not folder.is_symlink():
        for leftover in folder.glob(f"{MANIFEST_PREFIX}*.json.tmp"):
            leftover.unlink(missing_ok=True)


def manifests_in(root: Path, settings: Settings) -> list[Path]:
    """The cleanup manifests in the archive folder, oldest first."""
    archive = root / settings.archive.strip("/")
    if not archive.is_dir() or archive.is_symlink():
        return []
    return sorted(archive.glob(f"{MANIFEST_PREFIX}*.json"))


def manifest_state(path: Path) -> str:
    """The state a manifest records ("applying", "applied", "undoing"); "unreadable" if none."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return "unreadable"
    state = data.get("state", APPLIED) if isinstance(data, dict) else "unreadable"
    return state if isinstance(state, str) else "unreadable"


def refuse_if_interrupted(root: Path, settings: Settings) -> None:
    """Refuse (exit 5) while a cleanup or undo that was killed part way is not put back."""
    for path in reversed(manifests_in(root, settings)):
        if manifest_state(path) in UNFINISHED:
            where = path.relative_to(root).as_posix()
            raise UnsafeRepository(f"an interrupted cleanup was found ({where}): run "
                                   "`readiness cleanup --undo` to put it back, then cleanup again")


def _check_unchanged(root: Path, plan: ArchivePlan) -> None:
    """Refuse when the files changed between planning and doing, before touching anything.

    A file counts as unchanged while its inode, size and timestamps are those it had when it
    was read for the plan (any write changes its change time); a file without a trusted
    fingerprint is read again and compared.
    """
    seen = plan.seen or {}

    def same(path: str, text: str | None, digest: str = "", info: os.stat_result | None = None) -> bool:
        file = f"{root}/{path}"
        if path in seen:
            try:
                return _fingerprint(info or os.lstat(file)) == seen[path]
            except OSError:
                return False
        data = _read_bytes(file)
        return data is not None and (_sha256(data) == digest if text is None else data == _encode(text))

    problems = []
    for move in plan.moves:
        try:
            info = os.lstat(f"{root}/{move.source}")
        except OSError:
            info = None
        if info is None or stat.S_ISLNK(info.st_mode):
            problems.append(f"{move.source} is gone")
        elif not same(move.source, None, move.digest, info):
            problems.append(f"{move.source} changed")  # its digest and index state are stale
        if os.path.lexists(f"{root}/{move.destination}"):
            problems.append(f"{move.destination} exists")
    moved = {m.source for m in plan.moves}
    for rewrite in plan.rewrites:
        if not (rewrite.path in moved and rewrite.path in seen) and not same(rewrite.path, rewrite.before):
            problems.append(f"{rewrite.path} changed")  # (a moved file's fingerprint was checked above)
    if problems:
        raise WouldLoseData(f"the repository changed since the plan was made: "
                            f"{'; '.join(dict.fromkeys(problems))}: run cleanup again")


def _manifest(plan: ArchivePlan, made: list[str]) -> dict[str, Any]:
    after = {r.new_path: _sha256(_encode(r.after)) for r in plan.rewrites}
    # A tracked file's index entry ("MODE BLOB") lets undo put the index back exactly,
    # also after a cleanup killed while git was staging.
    moves = [{"from": m.source, "to": m.destination, "tracked": m.tracked,
              "sha256": after.get(m.destination, m.digest),
              **({"index": m.entry} if m.tracked and m.entry else {}),
              **({"flag": m.flag} if m.tracked and m.flag else {})} for m in plan.moves]
    return {
        "tool": "readiness cleanup",
        "version": 1,
        "state": "applying",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "moves": moves,
        # The whole text before, so that undo restores every link exactly as written.
        "rewrites": [{"path": r.new_path, "original_path": r.path, "count": len(r.changes),
                      "before": r.before, "sha256": after[r.new_path]}
                     for r in plan.rewrites],
        "created_folders": made,
    }


# ---------------------------------------------------------------- undo


class UndoPlan(NamedTuple):
    manifest: str
    moves: tuple[tuple[str, str], ...]  # (where it is now, where it goes back to)
    rewrites: tuple[tuple[str, str], ...]  # (path after undo, text to restore)
    created_folders: tuple[str, ...]
    changed: tuple[str, ...]  # files that changed since cleanup: undo refuses
    state: str = APPLIED  # "applying" or "undoing": a run was killed part way
    staged: tuple[str, ...] = ()  # tracked paths to stage from disk once files are back
    entries: tuple[tuple[str, str], ...] = ()  # (path, "MODE BLOB" or "" to remove) for the index
    flags: tuple[tuple[str, str], ...] = ()  # (path, `ls-files -v` tag) of index flags to set again
    intent: tuple[str, ...] = ()  # paths to make intent-to-add entries again, once files are back

    @property
    def interrupted(self) -> bool:
        return self.state in UNFINISHED

    def as_dict(self) -> dict[str, Any]:
        return {"manifest": self.manifest, "state": self.state,
                "moves": [{"from": now, "to": back} for now, back in self.moves],
                "restores": [path for path, _ in self.rewrites],
                "changed": list(self.changed)}


def plan_undo(repo: Repository, settings: Settings) -> UndoPlan:
    """What undoing the latest cleanup would do, from its manifest and what exists now.

    For a cleanup (or undo) killed part way, each move counts as made when its file is at
    the destination and not at the source, and as not made the other way round; each
    rewritten file is restored when it holds the rewritten text, left when it holds the
    original, and anything else is a change undo refuses to lose.
    """
    root = repo.root
    manifests = manifests_in(root, settings)
    if not manifests:
        raise ReadinessError(f"no cleanup manifest in {settings.archive}: nothing to undo")
    path = manifests[-1]
    where = path.relative_to(root).as_posix()
    try:
        data = json.loads(path.read_text())
        state = data.get("state", APPLIED)
        moves = [(str(m["from"]), str(m["to"]), str(m["sha256"]), m["tracked"] is True,
                  str(m.get("index", ""))) for m in data["moves"]]
        recorded = {str(m["from"]): str(m["flag"]) for m in data["moves"] if m.get("flag")}
        rewrites = [(str(r["path"]), str(r["original_path"]), str(r["before"]), str(r["sha256"]))
                    for r in data["rewrites"]]
        folders = tuple(str(f) for f in data.get("created_folders", []))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReadinessError(f"{where}: not a cleanup manifest ({error})") from None
    # A manifest is a file in the work tree (perhaps committed by someone else): undo writes
    # only where cleanup could have written, never outside the repository or into .git.
    for named in (*(p for m in moves for p in m[:2]), *(p for r in rewrites for p in r[:2]), *folders):
        if not _plain_path(named):
            raise ReadinessError(f"{where}: not a cleanup manifest (the path {named!r} is not a plain "
                                 "path inside the repository): undo refuses it")
        _check_folder(root, posixpath.dirname(named))
    if state not in (APPLIED, *UNFINISHED):
        raise ReadinessError(f"{where}: not a cleanup manifest (state {state!r})")
    partial = state in UNFINISHED
    index, flags = repo.index_entries()
    touched = {path for move in moves for path in move[:2]} | {p for r in rewrites for p in r[:2]}
    _refuse_conflicts({path: tag for path, tag in flags.items() if path in touched})
    intent = _intent_to_add(repo, {p: index[p] for m in moves if m[3] for p in m[:2] if p in index})
    back_intent: list[str] = []
    rewritten = {original for _, original, _, _ in rewrites}
    changed: list[str] = []
    back: list[tuple[str, str]] = []
    made: set[str] = set()
    entries: list[tuple[str, str]] = []
    tags: list[tuple[str, str]] = []
    staged: list[str] = []
    for source, destination, digest, tracked, entry in moves:
        at_source = os.path.lexists(root / source)
        at_destination = os.path.lexists(root / destination)
        if at_destination and not at_source:
            made.add(source)
            back.append((destination, source))
            data_now = _read_bytes(root / destination)
            if data_now is None:
                changed.append(f"{destination} is not a regular file")
            elif source not in rewritten and _sha256(data_now) != digest:
                changed.append(f"{destination} changed since the cleanup")
        elif at_source and not at_destination:
            if not partial:
                changed.append(f"{source} exists again")
            elif destination in index and source not in index and not entry:
                changed.append(f"{source}: the index has it as {destination} but the file was "
                               "not moved; see `git status`")
        elif at_source:
            changed.append(f"both {source} and {destination} exist")
        else:
            changed.append(f"{destination} is gone")
        # The index entry goes back where cleanup changed it (also part way): the entry at
        # the destination, as `git mv` back would move it, else the entry the manifest
        # recorded, else (a manifest without entries) the file is staged again.
        if tracked and (destination in index or source not in index):
            # Its flag: as the entry at the destination has it (carried over, as `git mv`
            # carries flags), else as the manifest recorded it.
            flag = flags.get(destination, "") if destination in index else recorded.get(source, "")
            entry = index.get(destination, entry)
            if destination in intent or (destination not in index and flag == "intent-to-add"):
                entries.append((destination, ""))  # `git mv` moved it as it was: an intent to add
                back_intent.append(source)
            elif entry:
                entries += [(source, entry), (destination, "")]
                if flag in _FLAGS:
                    tags.append((source, flag))
            else:
                staged += [source, destination]
        elif tracked and partial and source in recorded:
            # An undo killed after it moved this entry back, before it set its flag again:
            # the manifest says which.
            flag = recorded[source]
            if flag == "intent-to-add" and source not in intent:
                entries.append((source, ""))
                back_intent.append(source)
            elif flag in _FLAGS and flags.get(source) != flag:
                tags.append((source, flag))
    restores: list[tuple[str, str]] = []
    for new_path, original, before, digest in rewrites:
        current = new_path if original == new_path or original in made else original
        data_now = _read_bytes(root / current)
        if data_now is None:
            changed.append(f"{current} is gone or not a regular file")
        elif _sha256(data_now) == digest:
            restores.append((original, before))
        elif data_now != _encode(before):
            changed.append(f"{current} changed since the cleanup")
        if original in index or new_path in index:
            staged.append(original)
    if where in index:  # a manifest that was committed leaves the index with its file
        entries.append((where, ""))
    return UndoPlan(where, tuple(back), tuple(restores), folders, tuple(dict.fromkeys(changed)),
                    state, tuple(dict.fromkeys(staged)), tuple(entries), tuple(tags),
                    tuple(back_intent))


def _read_bytes(path: str | Path) -> bytes | None:
    """A regular file's bytes, read as documents are (never through a symlink or a pipe)."""
    found = _read_document(path)
    return None if found is None else _encode(found[0])


def apply_undo(repo: Repository, undo: UndoPlan) -> None:
    """Move every file back and restore every rewritten text, all or nothing."""
    if undo.changed:
        raise WouldLoseData(f"files changed since the cleanup, undo would lose that: "
                            f"{'; '.join(undo.changed)}")
    root = repo.root
    manifest = root / undo.manifest
    journal = _Journal(repo)
    journal.start()
    try:
        # Marked first: an undo killed part way is finished by the next `cleanup --undo`.
        journal.manifest_before = manifest.read_bytes()
        journal.manifest = manifest
        data = json.loads(journal.manifest_before)
        if data.get("state") != "undoing":
            _replace_file(manifest, _manifest_bytes({**data, "state": "undoing"}))
        pause_point("undo-started")
        for now, back in undo.moves:
            journal.rename(now, back)
        pause_point("undo-moved")
        for path, before in undo.rewrites:
            journal.write(f"{root}/{path}", _encode(before), (root / path).read_bytes())
        journal.index_touched = True
        repo.set_entries(undo.entries)
        repo.add(undo.staged)
        pause_point("undo-indexed")
        repo.set_flags(undo.flags)
        repo.add_intent(undo.intent)
        pause_point("undo-staged")
        with _whole():  # gone with the manifest, the undo is complete
            manifest.unlink()
            journal.manifest = None
    except BaseException:
        journal.rollback()
        raise
    for folder in sorted(undo.created_folders, key=len, reverse=True):
        with contextlib.suppress(OSError):  # only if empty: never remove what others put
            (root / folder).rmdir()
