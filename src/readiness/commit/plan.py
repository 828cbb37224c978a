"""`readiness commit`: commit exactly the readiness files, with a message that says what changed.

The readiness files are the source, the evidence file beside it, the pages ``readiness
build`` wrote into the pages folder (recognised by their first line), the deliverable files
of tasks, and what a ``readiness cleanup`` (or its undo) staged as recorded in its manifest.
Nothing else is committed: the commit is built from the blobs of exactly the bytes the plan
saw, in an index of its own (``gitops.commit_entries``), and the rest of the user's index,
staged or not, stays as it was.

Planning (which paths, what message) reads the repository with few git calls (one
``git status`` for all paths) and changes nothing; ``execute`` is the thin part that commits.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from readiness.digest import Digest, digest_text
from readiness.errors import (
    CommitFailed,
    Interrupted,
    PushFailed,
    ReadinessError,
    SourceError,
    UnsafeRepository,
    WouldLoseData,
)
from readiness.files.faults import pause_point
from readiness.git import repository as gitops
from readiness.git.repository import Repository, StatusEntry, Upstream
from readiness.pages.generated import MANIFEST_PREFIX, MARKER, is_marker_line, pages_folder
from readiness.source.locate import MAX_BYTES, display_name, evidence_bytes, evidence_path, read_source

_GLOB = re.compile(r"[*?\[\]]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# ---------------------------------------------------------------- paths (pure)


def literal_path_problem(path: str) -> str | None:
    """Why PATH cannot be taken literally as a file inside the repository, or None if it can."""
    if not path:
        return "is empty"
    if _CONTROL.search(path):
        return "contains a control character"
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return "is absolute: give it relative to the repository root"
    if path.startswith("-"):
        return "starts with '-' and would read as an option"
    if path.startswith(":"):
        return "starts with ':' (git pathspec magic)"
    if _GLOB.search(path):
        return "contains glob characters (*, ?, [ or ]): paths are taken literally"
    if "\\" in path:
        return "contains a backslash: separate folders with '/'"
    parts = path.split("/")
    if ".." in parts:
        return "contains '..': it must stay inside the repository"
    if "." in parts or "" in parts:
        return "is not a plain file path (a '.' part, '//' or a trailing '/')"
    if ".git" in parts:
        return "points into .git"
    return None


class Named(NamedTuple):
    """A path the source names, and who names it (for error messages)."""

    path: str
    owner: str  # e.g. "task rate-limit", "the source", "cleanup manifest docs/archive/x.json"


def source_paths(digest: Digest) -> tuple[list[Named], str | None, list[str]]:
    """The deliverables of every task, the pages folder (``generated.pages_folder``), and every
    problem with those paths."""
    named: list[Named] = []
    problems: list[str] = []
    for task, path in digest.deliverables:
        problem = literal_path_problem(path)
        if problem:
            problems.append(f"task {task}: deliverable {path!r} {problem}")
        else:
            named.append(Named(path, f"task {task}"))
    pages_dir: str | None = pages_folder(digest.pages_dir)
    problem = literal_path_problem(pages_dir or "")
    if problem:
        problems.append(f"housekeeping.pages_dir {digest.pages_dir!r} {problem}")
        pages_dir = None
    return named, pages_dir, problems


def manifest_paths(data: Any, where: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The moves (from, to) of tracked files and the rewritten files recorded in a cleanup
    manifest."""
    try:
        # An untracked stray moved by `cleanup --include-untracked` stays untracked: not ours.
        moves = [(str(m["from"]), str(m["to"])) for m in data["moves"] if m.get("tracked", True) is not False]
        rewritten: list[str] = []
        for rewrite in data.get("rewrites", []):
            rewritten.append(str(rewrite["path"]))
            if rewrite.get("original_path"):
                rewritten.append(str(rewrite["original_path"]))
    except (KeyError, TypeError, AttributeError) as error:
        raise ReadinessError(f"{where}: not a cleanup manifest (missing {error})") from None
    return moves, rewritten


# ---------------------------------------------------------------- the plan


class PlannedFile(NamedTuple):
    path: str
    change: str  # "A" new, "M" modified, "D" deleted
    untracked: bool = False  # not in the index yet
    staged: bool = False  # the index already holds the work tree's version
    # The SHA-256 of the bytes the plan saw, and their executable bit: the commit takes
    # exactly these bytes, and refuses if the file is no longer so (not for a deletion).
    sha256: str = ""
    executable: bool = False


class CommitPlan(NamedTuple):
    """Exactly what `readiness commit` will commit, and the message it will use."""

    files: tuple[PlannedFile, ...]
    message: str
    source: str
    upstream: Upstream | None = None
    left_alone: tuple[str, ...] = ()  # changed files seen but not ours to commit
    earlier_message: str | None = None  # a message saved by a commit that did not finish
    # What the index held besides HEAD when the plan was made (None: no commit yet). Only
    # good for committing at once: after a question, ``execute`` reads it again.
    staged: tuple[str, ...] | None = None
    # Readiness files staged in one version and changed again on disk: the file on disk is
    # committed and its staged version replaced (said before asking).
    replacing_staged: tuple[str, ...] = ()
    # Readiness files staged, but back as at HEAD on disk: nothing of theirs is committed,
    # and their staged version stays staged.
    left_staged: tuple[str, ...] = ()
    head: str | None = None  # the commit the plan compared with (None: no commit yet)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)


class _Collector:
    """Sorts git's status entries into the files to commit, refusing unsafe ones."""

    def __init__(self, repo: Repository, entries: list[StatusEntry]) -> None:
        self.repo = repo
        # A file taken out of the index (`git rm --cached`) but still on disk has two
        # entries, "1 D." and "?": the first knows HEAD, the second says it is on disk.
        self.entries = {e.path: e for e in entries if e.kind == "?"}
        self.entries.update((e.path, e) for e in entries if e.kind in "1u")
        self.untracked = {e.path for e in entries if e.kind == "?"}
        self.ignored = [e.path for e in entries if e.kind == "!"]
        self.files: dict[str, PlannedFile] = {}
        self.problems: list[str] = []
        self.left_alone: list[str] = []
        self.replacing_staged: list[str] = []
        self.left_staged: list[str] = []

    def is_ignored(self, path: str) -> bool:
        return any(path == i or (i.endswith("/") and path.startswith(i)) for i in self.ignored)

    def add(self, named: Named, *, deletion_allowed: bool) -> bool:
        """Take NAMED into the commit if it changed; True when it did."""
        path = named.path
        problem = file_problem(self.repo.root, path)
        if problem:
            self.problems.append(f"{named.owner}: {path!r} {problem}")
            return False
        if self.is_ignored(path):
            self.problems.append(f"{named.owner}: {path!r} is ignored by git (.gitignore)")
            return False
        entry = self.entries.get(path)
        if entry is None:
            return False  # unchanged, or not written yet (a pending task's deliverable)
        if entry.kind == "u":
            raise UnsafeRepository(f"{path} has unresolved conflicts: resolve them first")
        exists = os.path.lexists(self.repo.root / path)
        if not exists and not entry.in_head:
            return False  # added to the index, then removed again: nothing to commit
        if not exists and not deletion_allowed:
            self.problems.append(
                f"{named.owner}: deliverable {path!r} is deleted: restore it, or take it out of the "
                "task's deliverables first")
            return False
        # Staged in one version, changed again on disk: the commit takes the file on disk.
        restaged = entry.kind == "1" and entry.staged != "." and (
            entry.worktree != "." or path in self.untracked)
        if restaged and exists and entry.in_head and _as_at_head(self.repo.root / path, entry):
            # On disk it is as at HEAD: nothing to commit for it, whatever the index holds
            # (`git commit` would find nothing to commit). Its staged version stays staged.
            self.left_staged.append(path)
            return False
        if restaged:
            self.replacing_staged.append(path)
        change = "D" if not exists else ("M" if entry.in_head else "A")
        untracked = path in self.untracked
        seen = _seen(self.repo.root / path) if exists else ("", False)
        if seen is None:
            self.problems.append(f"{named.owner}: {path!r} cannot be read")
            return False
        self.files[path] = PlannedFile(path, change, untracked=untracked,
                                       staged=entry.kind == "1" and entry.worktree == "." and not untracked,
                                       sha256=seen[0], executable=seen[1])
        return True


def _seen(file: Path) -> tuple[str, bool] | None:
    """The SHA-256 of FILE's bytes and whether it is executable; None if it cannot be read."""
    try:
        with file.open("rb") as handle:
            data = handle.read()
            executable = bool(os.fstat(handle.fileno()).st_mode & stat.S_IXUSR)
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest(), executable


def _as_at_head(file: Path, entry: StatusEntry) -> bool:
    """Whether FILE on disk is the blob and mode ENTRY records for HEAD. When in doubt (a
    clean filter, a file that cannot be read), False: the commit is attempted as before."""
    try:
        executable = file.lstat().st_mode & stat.S_IXUSR
        data = file.read_bytes()
    except OSError:
        return False
    mode = "100755" if executable else "100644"
    return mode == entry.head_mode and gitops.blob_id(data, entry.head_blob) == entry.head_blob


def file_problem(root: Path, path: str) -> str | None:
    """Why PATH (relative, already literal-checked) is not a regular file inside ROOT, or None."""
    current = root
    parts = PurePosixPath(path).parts
    for index, part in enumerate(parts):
        current = current / part
        try:
            info = current.lstat()
        except FileNotFoundError:
            return None  # missing: the caller decides whether that is a deletion or a plan
        except OSError as error:
            return f"cannot be read: {error.strerror}"
        if stat.S_ISLNK(info.st_mode):
            last = index == len(parts) - 1
            return "is a symbolic link" if last else f"goes through the symbolic link {part!r}"
        if index == len(parts) - 1 and stat.S_ISDIR(info.st_mode):
            return "is a folder, not a file"
        if index == len(parts) - 1 and not stat.S_ISREG(info.st_mode):
            return "is not a regular file"
    return None


def _manifests(root: Path, archive: str) -> list[str]:
    folder = root / archive
    if literal_path_problem(archive) or folder.is_symlink() or not folder.is_dir():
        return []
    return sorted(f"{archive}/{entry.name}" for entry in os.scandir(folder)
                  if entry.name.startswith(MANIFEST_PREFIX) and entry.name.endswith(".json"))


class Reading(NamedTuple):
    """The first half of a plan: the source read and digested, the paths it names, and the
    ``git status`` of those paths started (``begin_plan``)."""

    source: str
    text: bytes
    after: Digest
    deliverables: list[Named]
    pages_dir: str | None
    recorded: dict[str, tuple[list[tuple[str, str]], list[str]]]
    status: gitops.Reads
    evidence: str = ""  # the evidence file `readiness verify` writes beside the source
    undone: frozenset[str] = frozenset()  # manifests in HEAD that `cleanup --undo` removed
    runs: bytes = b""  # the evidence file's bytes: both versions of the source are assessed with them


def begin_plan(repo: Repository, source: str) -> Reading:
    """Read SOURCE (relative to the root) and the cleanup manifests, and start ``git status``
    of every path they name. Reads only; raises what the plan refuses for."""
    problem = literal_path_problem(source) or file_problem(repo.root, source)
    if problem:
        raise SourceError(f"{source}: the source {problem}")
    shown = display_name(repo.root / source)
    text_now = read_source(repo.root / source, shown)
    # the message says what the change of the source does, with the verify results as they are now
    runs = evidence_bytes(evidence_path(repo.root / source))
    after = digest_text(text_now, shown, runs)
    deliverables, pages_dir, problems = source_paths(after)
    archive = after.archive.rstrip("/")
    manifests = _manifests(repo.root, archive)
    recorded: dict[str, tuple[list[tuple[str, str]], list[str]]] = {}
    for manifest in manifests:
        try:
            data = json.loads((repo.root / manifest).read_bytes())
        except (OSError, ValueError) as error:
            raise ReadinessError(f"{manifest}: not a cleanup manifest ({error})") from None
        if isinstance(data, dict) and data.get("state", "applied") != "applied":
            raise UnsafeRepository(f"an interrupted cleanup was found ({manifest}): run "
                                   "`readiness cleanup --undo` to put it back first")
        recorded[manifest] = manifest_paths(data, manifest)
    # A committed cleanup that `cleanup --undo` put back: its manifest is gone from the disk,
    # and what undo staged (the moves back, the texts restored) is the undo's to commit.
    undone = _undone_manifests(repo, archive)
    for manifest, blob in undone.items():
        try:
            recorded[manifest] = manifest_paths(json.loads(blob), f"{manifest} at HEAD")
        except ValueError:
            continue  # not a manifest readiness wrote: nothing of it is ours to commit
    manifests = [*manifests, *undone]
    evidence = _evidence_of(source)
    manifest_named = [Named(p, f"cleanup manifest {m}") for m, (moves, rewritten) in recorded.items()
                      for p in [*(x for move in moves for x in move), *rewritten]]
    for named in manifest_named:
        bad = literal_path_problem(named.path)
        if bad:
            problems.append(f"{named.owner}: {named.path!r} {bad}")
    if problems:
        raise SourceError(f"{source}: refused, nothing was committed: " + "; ".join(problems))
    pathspecs = [source, evidence, *([pages_dir] if pages_dir else []), *(d.path for d in deliverables),
                 *manifests, *(n.path for n in manifest_named)]
    status = gitops.Reads(repo, [gitops.status_args(list(dict.fromkeys(pathspecs)))], env=gitops.LITERAL)
    return Reading(source, text_now, after, deliverables, pages_dir, recorded, status, evidence,
                   frozenset(undone), runs)


def _evidence_of(source: str) -> str:
    """The evidence file of SOURCE, as ``readiness.source.evidence.evidence_path`` names it (kept
    apart so that a commit need not import pydantic; a test holds the two together)."""
    folder = PurePosixPath(source).parent
    return EVIDENCE_FILE if str(folder) == "." else f"{folder}/{EVIDENCE_FILE}"


EVIDENCE_FILE = "evidence.yaml"


def _undone_manifests(repo: Repository, archive: str) -> dict[str, bytes]:
    """{manifest: its bytes at HEAD} of the cleanup manifests in ARCHIVE at HEAD that are gone
    from the disk (``cleanup --undo`` removed them). One ``git ls-tree`` of the archive folder."""
    if literal_path_problem(archive):
        return {}
    listed = repo.git("ls-tree", "-z", "--full-tree", "HEAD", "--", f"{archive}/", check=False,
                      read_only=True, env=gitops.LITERAL)
    if listed.returncode != 0:
        return {}  # no commit yet
    names = []
    for record in listed.stdout.decode("utf-8", "surrogateescape").split("\0"):
        info, _, path = record.partition("\t")
        name = path.rpartition("/")[2]
        if (info.split(" ")[1:2] == ["blob"] and name.startswith(MANIFEST_PREFIX) and name.endswith(".json")
                and not os.path.lexists(repo.root / path)):
            names.append(path)
    blobs = gitops.read_blobs(repo, [("HEAD", name) for name in names])
    return {name: blob for name, blob in zip(names, blobs, strict=True) if blob is not None}


def plan_commit(repo: Repository, source_file: Path, *, message: str | None = None,
                retry: bool = False, push: bool = False, early: gitops.Reads | None = None,
                reading: Reading | None = None) -> CommitPlan:
    """What would be committed, and with which message; no files when nothing changed.

    A readiness file is committed as it is on disk: one staged and then changed again is
    committed from disk (the plan names it in ``replacing_staged``); one staged and then
    put back as at HEAD on disk has nothing to commit, and stays staged (``left_staged``).

    Refuses, in this order: an unsafe repository state, no git identity, no upstream (with
    PUSH), then problems with the source and the paths it names. EARLY: the
    ``gitops.commit_reads`` of this source, if the caller started them already; READING:
    the ``begin_plan`` of this source, likewise (``readiness.cli.head_start``).
    """
    repo.ensure_safe_state()
    source = repo.relative(source_file)
    early = early or gitops.commit_reads(repo, source)
    if push:
        _require_identity(early)
    target = gitops.upstream(repo) if push else None  # refuse before anything else happens
    if reading is None or reading.source != source:
        try:
            reading = begin_plan(repo, source)
        except SourceError:
            _require_identity(early)  # that refusal comes first
            raise
    text_now, after, pages_dir = reading.text, reading.after, reading.pages_dir
    deliverables, recorded, status_reads = reading.deliverables, reading.recorded, reading.status
    from readiness.commit.message import commit_message, compare  # while git reads

    _, _, head, staged_read, head_source = early.results()
    # While git status runs: the digest of the source at HEAD, which the message compares
    # with (checked below against the blob the status names before it is used).
    speculative: tuple[Digest | None, str | None] = (None, None)
    if head_source.returncode == 0 and head_source.stdout == text_now:
        speculative = (after, None)
    elif head_source.returncode == 0 and message is None and not retry:
        speculative = _head_digest(head_source.stdout, source, reading.runs)
    [status_read] = status_reads.results()
    _require_identity(early)
    if status_read.returncode != 0:
        raise ReadinessError(f"git status failed: {gitops.first_line(status_read.stderr)}")
    collector = _Collector(repo, gitops.parse_status(status_read.stdout))

    source_changed = collector.add(Named(source, "the source"), deletion_allowed=False)
    pages = _collect_pages(repo, collector, pages_dir) if pages_dir else 0
    changed_deliverables = [(d.owner.removeprefix("task "), d.path) for d in deliverables
                            if collector.add(d, deletion_allowed=False)]
    evidence = reading.evidence
    if evidence and evidence not in collector.files and not collector.is_ignored(evidence):
        collector.add(Named(evidence, "the evidence file"), deletion_allowed=True)
    archived: list[tuple[str, str]] = []
    for manifest, (moves, rewritten) in recorded.items():
        undone = manifest in reading.undone
        if not collector.add(Named(manifest, "cleanup"), deletion_allowed=undone):
            continue  # committed before, or unchanged: its moves are history
        owner = f"cleanup manifest {manifest}"
        for old, new in moves:
            collector.add(Named(old, owner), deletion_allowed=True)
            if collector.add(Named(new, owner), deletion_allowed=True) and not undone:
                archived.append((old, new))
        for path in rewritten:
            collector.add(Named(path, owner), deletion_allowed=True)
    if collector.problems:
        raise WouldLoseData("refused, nothing was committed: "
                            + "; ".join(collector.problems))
    if not collector.files:
        return CommitPlan(files=(), message="", source=source, upstream=target,
                          left_staged=tuple(collector.left_staged))

    if retry:
        text = _saved_message(repo)
    elif message is not None:
        text = message if message.endswith("\n") else message + "\n"
    else:
        before, head_problem = None, None
        entry = collector.entries.get(source)
        if not source_changed:
            before = after  # the source at HEAD is the one on disk: no git call needed
        elif entry is not None and entry.in_head:
            blob = head_source.stdout
            if head_source.returncode == 0 and gitops.blob_id(blob, entry.head_blob) == entry.head_blob:
                before, head_problem = speculative
            else:  # HEAD moved between the reads: ask for the very blob the status named
                read = gitops.read_blob(repo, entry.head_blob, MAX_BYTES)
                if read is None:
                    head_problem = f"{source} at HEAD is larger than {MAX_BYTES:,} bytes, the limit"
                else:
                    before, head_problem = _head_digest(read, source, reading.runs)
        change = compare(before, after, archived=archived, head_problem=head_problem,
                         deliverables=changed_deliverables, pages=pages)
        text = commit_message(change, source)
    if source in collector.files:  # the bytes the message was made from, not a later read
        collector.files[source] = collector.files[source]._replace(
            sha256=hashlib.sha256(text_now).hexdigest())
    ordered = sorted(collector.files.values(), key=lambda f: (f.path != source, f.path))
    saved = message_file(repo)
    earlier = None if retry or not saved.is_file() else _shown(repo, saved)
    return CommitPlan(files=tuple(ordered), message=text, source=source, upstream=target,
                      left_alone=tuple(collector.left_alone), earlier_message=earlier,
                      staged=gitops.parse_staged(head, staged_read),
                      replacing_staged=tuple(collector.replacing_staged),
                      left_staged=tuple(collector.left_staged),
                      head=head.stdout.decode().strip() or None)


def _require_identity(early: gitops.Reads) -> None:
    """Refuse when the identity reads of EARLY (``gitops.commit_reads``) found none."""
    author, committer = early.results()[:2]
    if author.returncode != 0 or committer.returncode != 0:
        raise UnsafeRepository(gitops.NO_IDENTITY)


def _head_digest(blob: bytes, source: str, runs: bytes) -> tuple[Digest | None, str | None]:
    """(the digest of the source at HEAD with the evidence file's bytes RUNS, None), or (None, why
    it does not load)."""
    try:
        return digest_text(blob, f"{source} at HEAD", runs), None
    except SourceError as error:
        return None, str(error)


def _shown(repo: Repository, path: Path) -> str:
    return str(path.relative_to(repo.root) if path.is_relative_to(repo.root) else path)


def _collect_pages(repo: Repository, collector: _Collector, pages_dir: str) -> int:
    """Changed generated pages under PAGES_DIR; hand-written files there are left alone."""
    prefix = pages_dir + "/"
    deleted: dict[str, StatusEntry] = {}
    count = 0
    for path, entry in sorted(collector.entries.items()):
        if not path.startswith(prefix) or path in collector.files:
            continue
        file = repo.root / path
        if not os.path.lexists(file):
            if entry.in_head:
                deleted[entry.head_blob] = entry
            continue
        if file_problem(repo.root, path) is None and is_marker_line(_first_line(file)):
            count += collector.add(Named(path, "pages"), deletion_allowed=False)
        else:
            collector.left_alone.append(path)
    # A page that was generated at HEAD and is gone now was removed by `readiness build`.
    for blob, line in gitops.blob_first_lines(repo, list(deleted)).items():
        if is_marker_line(line):
            count += collector.add(Named(deleted[blob].path, "pages"), deletion_allowed=True)
    return count


def _first_line(file: Path) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.readline(len(MARKER) + 2)  # the marker is ASCII: one byte a character
    except OSError:
        return b""


# ---------------------------------------------------------------- doing


def message_file(repo: Repository) -> Path:
    """Where the message is kept until the commit is made (and after a rejected one)."""
    return repo.git_dir / gitops.COMMIT_MESSAGE_FILE


def _saved_message(repo: Repository) -> str:
    try:
        return message_file(repo).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReadinessError("no saved message to retry with: run `readiness commit` without --retry") from None


class Committed(NamedTuple):
    output: str  # what git commit and the hooks printed
    pushed_to: str | None


class HookRejected(CommitFailed):
    """git commit failed; ``output`` holds what git and the hooks printed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def execute(repo: Repository, plan: CommitPlan, *, edit: bool = False, interactive: bool = False,
            fresh: bool = False) -> Committed:
    """Commit PLAN through ``git commit``, then push if the plan has an upstream.

    Exactly what the plan showed is committed: each file's bytes as the plan read them (a
    file changed since, or HEAD moved, is refused with nothing committed), on top of the
    commit the plan compared with, and nothing else, whatever is staged meanwhile. FRESH is
    accepted for callers that pass it; the check is the same either way.
    """
    saved = message_file(repo)
    saved.write_text(plan.message, encoding="utf-8")  # kept if the commit is rejected, for --retry
    pause_point("commit-message-saved")
    try:
        entries = planned_entries(repo, plan)
    except ReadinessError:
        saved.unlink(missing_ok=True)  # nothing was tried: there is nothing to retry
        raise
    try:
        outcome = gitops.commit_entries(repo, entries, saved, head=plan.head, edit=edit)
    except Interrupted:
        if repo.head_commit() != plan.head:  # made before the signal came: nothing to retry
            saved.unlink(missing_ok=True)
        raise
    if not outcome.ok:
        raise HookRejected(
            f"git commit failed (see its output above); nothing was committed and the index is as it "
            f"was; the message is saved in {_shown(repo, saved)}: fix the cause and run "
            "`readiness commit --retry`",
            outcome.output)
    saved.unlink(missing_ok=True)
    if plan.upstream is None:
        return Committed(outcome.output, None)
    pushed, reason = gitops.push_upstream(repo, plan.upstream, interactive)
    if not pushed:
        raise PushFailed(f"committed {(repo.head_commit() or '')[:12]} locally (kept), but the push to "
                         f"{plan.upstream.name} failed: {reason}")
    return Committed(outcome.output, plan.upstream.name)


def planned_entries(repo: Repository, plan: CommitPlan) -> list[gitops.PlannedEntry]:
    """The index entries that commit PLAN's files exactly as the plan saw them: each file is
    checked against the plan, written into git's object store (as ``git add`` would), and
    checked again, so the blobs are the bytes shown. Refuses (``WouldLoseData``) a file
    changed, created or deleted since the plan."""
    present = [f for f in plan.files if f.change != "D"]
    _check_as_planned(repo, plan.files)
    blobs = gitops.hash_files(repo, [f.path for f in present])
    _check_as_planned(repo, plan.files)
    modes: dict[str, str] = {}
    if not repo.trusts_file_modes():  # git keeps the mode it has: the index's, else a plain file
        modes = {path: entry.split(" ")[0]
                 for path, entry in gitops.index_entries_of(repo, [f.path for f in present]).items()}
    entries = [gitops.PlannedEntry(f.path, modes.get(f.path) or ("100755" if f.executable else "100644"),
                                   blob) for f, blob in zip(present, blobs, strict=True)]
    entries += [gitops.PlannedEntry(f.path) for f in plan.files if f.change == "D"]
    return entries


def _check_as_planned(repo: Repository, files: tuple[PlannedFile, ...]) -> None:
    for planned in files:
        file = repo.root / planned.path
        if planned.change == "D":
            if os.path.lexists(file):
                _changed_since(planned.path, "was created again")
            continue
        if file_problem(repo.root, planned.path) or _seen(file) != (planned.sha256, planned.executable):
            _changed_since(planned.path, "changed")


def _changed_since(path: str, what: str) -> None:
    raise WouldLoseData(f"{path} {what} since the plan was shown: nothing was committed; run "
                        "`readiness commit` again to see the new plan")


def describe(plan: CommitPlan) -> str:
    """The plan as shown before asking: the exact files, then the exact message.

    Paths and message lines come from the repository and the source: control and
    bidirectional characters in them are shown escaped, never sent to the terminal.
    """
    from readiness.terminal import safe

    lines = [f"Files to commit ({len(plan.files)}):"]
    lines += [f"  {f.change} {safe(f.path)}" for f in plan.files]
    if plan.left_alone:
        lines.append("Changed but not generated by readiness, so left alone:")
        lines += [f"    {safe(path)}" for path in plan.left_alone]
    if plan.replacing_staged:
        lines.append("Staged, then changed again: the file on disk is committed and replaces the "
                     "staged version:")
        lines += [f"    {safe(path)}" for path in plan.replacing_staged]
    lines += _left_staged_lines(plan)
    lines.append("Message:")
    lines += [f"  | {safe(line)}".rstrip() for line in plan.message.rstrip("\n").split("\n")]
    if plan.upstream is not None:
        lines.append(f"Then push to {safe(plan.upstream.name)}.")
    if plan.earlier_message is not None:
        lines.append(f"Note: {plan.earlier_message} holds the message of an earlier commit that did "
                     "not finish; `readiness commit --retry` reuses it, this commit replaces it.")
    return "\n".join(lines)


def describe_nothing(plan: CommitPlan) -> str:
    """What `readiness commit` says when PLAN has no files."""
    return "\n".join(["Nothing to commit: the readiness files are as at HEAD.", *_left_staged_lines(plan)])


def _left_staged_lines(plan: CommitPlan) -> list[str]:
    from readiness.terminal import safe

    if not plan.left_staged:
        return []
    return ["Staged, but as at HEAD on disk (readiness commits the file on disk), so left staged:",
            *(f"    {safe(path)}" for path in plan.left_staged)]
