"""Carrying out ``readiness cleanup``: survey the repository, move, rewrite, record, undo.

The decisions are made in ``readiness.cleanup`` (pure); this module only reads the
repository for it and applies its plan. Every git command goes through ``gitops``.
A change is all or nothing: the index is saved first, and any failure (or Ctrl-C) part
way puts back the files, the folders and the index as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from readiness.cleanup import (
    GENERATED_MARKER,
    MKDOCS_FILES,
    ArchivePlan,
    DefaultSettings,
    RootEntry,
    Settings,
    destination_folders,
    is_markdown,
    plan_archive,
)
from readiness.errors import ReadinessError, SourceError, UnsafeRepository, WouldLoseData
from readiness.gitops import Repository, blob_id

MANIFEST_PREFIX = ".readiness-cleanup-"
DEFAULT_SOURCE = Path("content") / "readiness.yaml"
# The files whose links cleanup reads, as git pathspecs (any depth, any case).
DOCUMENT_SPECS = (":(glob,icase)**/*.md", ":(glob,icase)**/*.markdown",
                  *(f":(literal){name}" for name in MKDOCS_FILES))


def housekeeping_settings(root: Path, explicit: Path | None = None) -> Settings:
    """The ``housekeeping:`` settings of the source file, or the defaults when there is none.

    Kept in one place so the loader (``readiness.source``) plugs in here alone.
    """
    path = explicit if explicit is not None else root / DEFAULT_SOURCE
    if not path.is_file():
        if explicit is None:
            return _defaults()
        raise SourceError(f"{explicit}: no such source file")
    try:
        from readiness.source import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
            load_source,
        )
    except ImportError:  # the loader is not part of this build yet: use the defaults
        return _defaults()
    settings: Settings = load_source(path).housekeeping
    return settings


def _defaults() -> Settings:
    return DefaultSettings()


# ---------------------------------------------------------------- survey and plan


def survey_and_plan(
    repo: Repository,
    settings: Settings,
    *,
    include_untracked: bool = False,
    rewrite_links: bool = True,
    today: dt.date | None = None,
) -> ArchivePlan:
    """Read what the plan needs from the repository (a few git calls in all) and make it."""
    root = repo.root
    base = str(root)
    index, untracked = repo.index_and_untracked(DOCUMENT_SPECS if rewrite_links else ())
    tracked = list(index)
    tracked_set = index.keys()
    entries = []
    documents: dict[str, str] = {}
    for name in (*tracked, *untracked):
        if "/" in name or not is_markdown(name):
            continue
        try:
            info = os.lstat(f"{base}/{name}")
        except FileNotFoundError:
            continue  # tracked but deleted from the work tree: nothing to move
        if stat.S_ISLNK(info.st_mode):
            entries.append(RootEntry(name, name in tracked_set, is_symlink=True))
            continue
        text = _read_text(f"{base}/{name}")
        if text is None:
            continue
        documents[name] = text  # read once: for the marker, the manifest and the links
        entries.append(RootEntry(name, name in tracked_set, generated=_is_generated(text),
                                 digest=_sha256(_encode(text))))
    when = today or dt.date.today()
    occupied = {folder: _names_in(root, folder) for folder in destination_folders(settings, when)}
    if rewrite_links:
        # Tracked documents are those git listed with a blob id (DOCUMENT_SPECS).
        listed = [path for path, blob in index.items() if blob]
        listed += [path for path in untracked if is_markdown(path) or path in MKDOCS_FILES]
        for path in listed:
            if path not in documents:
                text = _read_text(f"{base}/{path}")
                if text is not None:
                    documents[path] = text
    exists = _existence(root, (*tracked, *untracked))
    plan = plan_archive(entries, occupied, documents, settings, exists=exists,
                        include_untracked=include_untracked, today=when,
                        rewrite_links=rewrite_links)
    # Cleanup stages what it writes, so a file to rewrite must not hold unstaged work.
    blocked = [r.path for r in plan.rewrites if r.path in index and index[r.path]
               and blob_id(_encode(r.before), index[r.path]) != index[r.path]]
    blocked += repo.unstaged_among([r.path for r in plan.rewrites
                                    if r.path in index and not index[r.path]])
    staged = [r.new_path for r in plan.rewrites if r.path in index]
    return replace(plan, blocked=tuple(sorted(blocked)), staged=tuple(staged))


def _existence(root: Path, listed: Sequence[str]) -> Callable[[str], bool]:
    """Whether a repository path exists: known from the listings, else asked of the disk."""
    base = str(root)
    files = set(listed)
    folders: set[str] = set()
    cache: dict[str, bool] = {}

    def exists(path: str) -> bool:
        if path in files or path == ".":
            return True
        if not folders:
            for name in files:
                folder = name.rpartition("/")[0]
                while folder and folder not in folders:
                    folders.add(folder)
                    folder = folder.rpartition("/")[0]
            folders.add(".")
        if path in folders:
            return True
        if path not in cache:  # ignored files exist too, and links to them work
            cache[path] = os.path.exists(f"{base}/{path}")
        return cache[path]

    return exists


def _is_generated(text: str) -> bool:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    return first_line == GENERATED_MARKER


def _read_text(path: str | Path) -> str | None:
    """A document's text, bytes kept exactly (undecodable bytes survive a round trip).

    Opened with O_NOFOLLOW: a symlink is never read as a document, so never written through.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read().decode("utf-8", "surrogateescape")
    finally:
        os.close(descriptor)


def _names_in(root: Path, folder: str) -> list[str]:
    """The names in a destination folder; refuses a folder that is a file or a symlink."""
    _check_folder(root, folder)
    target = root / folder
    return os.listdir(target) if target.is_dir() else []


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


@dataclass
class _Journal:
    """What a change has done so far, so that a failure can put everything back."""

    repo: Repository
    index: bytes | None = None
    renames: list[tuple[Path, Path]] = field(default_factory=list)
    writes: list[tuple[Path, bytes | None]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

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

    def write(self, path: Path, data: bytes, old: bytes | None) -> None:
        """Write DATA to PATH, whose bytes now are OLD (None: a new file), remembering them."""
        if old is None:  # recorded once made: a failed O_EXCL must not remove another's file
            _write_in_place(path, data, new=True)
            self.writes.append((path, old))
        else:  # recorded first: a write that fails half way is put back too
            self.writes.append((path, old))
            _write_in_place(path, data)

    def remove(self, path: Path) -> None:
        self.writes.append((path, path.read_bytes()))
        path.unlink()

    def rollback(self) -> None:
        for path, old in reversed(self.writes):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                _write_in_place(path, old)
        for source, destination in reversed(self.renames):
            if os.path.lexists(destination) and not os.path.lexists(source):
                os.rename(destination, source)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.repo.restore_index(self.index)


def _write_in_place(path: Path, data: bytes, new: bool = False) -> None:
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
        if path.is_symlink():
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
    _check_unchanged(root, plan)
    journal = _Journal(repo)
    journal.start()
    try:
        made = journal.make_folders(root, [plan.archive, *plan.folders])
        # Written first: should the process die part way, every original text is on disk.
        manifest = _manifest(plan, made)
        name = f"{MANIFEST_PREFIX}{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}.json"
        manifest_path = root / plan.archive / name
        journal.write(manifest_path, json.dumps(manifest).encode(), None)
        tracked = [(m.source, m.destination) for m in plan.moves if m.tracked]
        journal.renames.extend((root / s, root / d) for s, d in tracked)
        repo.move(tracked)
        for move in plan.moves:
            if not move.tracked:
                journal.renames.append((root / move.source, root / move.destination))
                os.rename(root / move.source, root / move.destination)
        for rewrite in plan.rewrites:
            journal.write(root / rewrite.new_path, _encode(rewrite.after), _encode(rewrite.before))
        repo.add(plan.staged)
    except BaseException:
        journal.rollback()
        raise
    return manifest_path.relative_to(root).as_posix()


def _tracked_among(repo: Repository, paths: Sequence[str]) -> list[str]:
    index, _ = repo.index_and_untracked()
    return [p for p in paths if p in index]


def _check_unchanged(root: Path, plan: ArchivePlan) -> None:
    """Refuse when the files changed between planning and doing, before touching anything."""
    problems = []
    for move in plan.moves:
        source = root / move.source
        if not os.path.lexists(source) or source.is_symlink():
            problems.append(f"{move.source} is gone")
        if os.path.lexists(root / move.destination):
            problems.append(f"{move.destination} exists")
    for rewrite in plan.rewrites:
        if _read_text(f"{root}/{rewrite.path}") != rewrite.before:
            problems.append(f"{rewrite.path} changed")
    if problems:
        raise WouldLoseData(f"the repository changed since the plan was made: "
                            f"{'; '.join(problems)}: run cleanup again")


def _manifest(plan: ArchivePlan, made: list[str]) -> dict[str, Any]:
    after = {r.new_path: _sha256(_encode(r.after)) for r in plan.rewrites}
    moves = [{"from": m.source, "to": m.destination, "tracked": m.tracked,
              "sha256": after.get(m.destination, m.digest)} for m in plan.moves]
    return {
        "tool": "readiness cleanup",
        "version": 1,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "moves": moves,
        # The whole text before, so that undo restores every link exactly as written.
        "rewrites": [{"path": r.new_path, "original_path": r.path, "count": r.count,
                      "before": r.before, "sha256": after[r.new_path]}
                     for r in plan.rewrites],
        "created_folders": made,
    }


# ---------------------------------------------------------------- undo


@dataclass(frozen=True)
class UndoPlan:
    manifest: str
    moves: tuple[tuple[str, str], ...]  # (where it is now, where it goes back to)
    rewrites: tuple[tuple[str, str], ...]  # (path after undo, text to restore)
    created_folders: tuple[str, ...]
    changed: tuple[str, ...]  # files that changed since cleanup: undo refuses

    def as_dict(self) -> dict[str, Any]:
        return {"manifest": self.manifest,
                "moves": [{"from": now, "to": back} for now, back in self.moves],
                "restores": [path for path, _ in self.rewrites],
                "changed": list(self.changed)}


def plan_undo(repo: Repository, settings: Settings) -> UndoPlan:
    """What undoing the latest cleanup would do, from its manifest."""
    root = repo.root
    archive = root / settings.archive.strip("/")
    manifests = sorted(archive.glob(f"{MANIFEST_PREFIX}*.json")) if archive.is_dir() else []
    if not manifests:
        raise ReadinessError(f"no cleanup manifest in {settings.archive}: nothing to undo")
    path = manifests[-1]
    try:
        data = json.loads(path.read_text())
        moves = [(m["to"], m["from"], m["sha256"]) for m in data["moves"]]
        rewrites = [(r["path"], r["original_path"], r["before"], r["sha256"])
                    for r in data["rewrites"]]
        folders = tuple(data.get("created_folders", []))
    except (ValueError, KeyError, TypeError) as error:
        where = path.relative_to(root)
        raise ReadinessError(f"{where}: not a cleanup manifest ({error})") from None
    changed = []
    expected = {now: digest for now, _, digest in moves}
    expected.update({now: digest for now, _, _, digest in rewrites})
    for now, digest in sorted(expected.items()):
        file = root / now
        if not file.is_file() or file.is_symlink() or _sha256(file.read_bytes()) != digest:
            changed.append(f"{now} changed or is gone")
    for _, back, _ in moves:
        if os.path.lexists(root / back):
            changed.append(f"{back} exists again")
    return UndoPlan(path.relative_to(root).as_posix(),
                    tuple((now, back) for now, back, _ in moves),
                    tuple((original, before) for _, original, before, _ in rewrites),
                    folders, tuple(changed))


def apply_undo(repo: Repository, undo: UndoPlan) -> None:
    """Move every file back and restore every rewritten text, all or nothing."""
    if undo.changed:
        raise WouldLoseData(f"files changed since the cleanup, undo would lose that: "
                            f"{'; '.join(undo.changed)}")
    root = repo.root
    journal = _Journal(repo)
    journal.start()
    try:
        now_paths = [now for now, _ in undo.moves]
        tracked = set(_tracked_among(repo, now_paths))
        git_moves = [(now, back) for now, back in undo.moves if now in tracked]
        journal.renames.extend((root / now, root / back) for now, back in git_moves)
        repo.move(git_moves)
        for now, back in undo.moves:
            if now not in tracked:
                journal.renames.append((root / now, root / back))
                os.rename(root / now, root / back)
        for path, before in undo.rewrites:
            journal.write(root / path, _encode(before), (root / path).read_bytes())
        repo.add(_tracked_among(repo, [path for path, _ in undo.rewrites]))
        journal.remove(root / undo.manifest)
        for folder in sorted(undo.created_folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # only if empty: never remove what others put
                (root / folder).rmdir()
    except BaseException:
        journal.rollback()
        raise
