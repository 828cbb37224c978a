"""The only module that talks to git.

Commands run through the ``git`` program itself (so hooks, signing and identity behave
as with ``git`` on the command line), with inherited ``GIT_*`` variables removed so a
repository is never confused with another, and with git's failures turned into one
readable line. Repository discovery uses GitPython.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import ReadinessError, UnsafeRepository

# Variables that would point git at another repository, index or work tree.
_INHERITED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
              "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_PREFIX")

# Read-only commands must not run programs named in the repository's configuration.
SAFE_READ_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for git: ours, minus variables that redirect git elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED}
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for credentials without a terminal
    env.setdefault("LC_ALL", "C")
    if extra:
        env.update(extra)
    return env


@dataclass(frozen=True)
class Repository:
    """A git work tree: its root folder and its git directory."""

    root: Path
    git_dir: Path

    def git(
        self,
        *args: str,
        check: bool = True,
        input: bytes | None = None,
        env: dict[str, str] | None = None,
        read_only: bool = False,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git ARGS`` in the work tree; raise a one-line error when it fails."""
        command = ["git", *(SAFE_READ_CONFIG if read_only else ()), *args]
        try:
            result = subprocess.run(
                command, cwd=self.root, input=input, capture_output=True,
                env=git_env(env), check=False,
            )
        except FileNotFoundError as missing:
            raise ReadinessError("git is not installed or not on PATH") from missing
        if check and result.returncode != 0:
            raise ReadinessError(f"git {args[0]} failed: {first_line(result.stderr)}")
        return result

    def text(self, *args: str, read_only: bool = True) -> str:
        """The standard output of ``git ARGS`` as text."""
        return self.git(*args, read_only=read_only).stdout.decode("utf-8", "surrogateescape")

    def paths_z(self, *args: str) -> list[str]:
        """Run a git command with ``-z`` output and split it into paths."""
        out = self.git(*args, read_only=True).stdout.decode("utf-8", "surrogateescape")
        return [p for p in out.split("\0") if p]

    def ensure_safe_state(self) -> None:
        """Refuse during a merge, rebase, cherry-pick or revert, or while the index is locked."""
        states = {
            "MERGE_HEAD": "a merge is in progress",
            "rebase-merge": "a rebase is in progress",
            "rebase-apply": "a rebase or am is in progress",
            "CHERRY_PICK_HEAD": "a cherry-pick is in progress",
            "REVERT_HEAD": "a revert is in progress",
            "BISECT_LOG": "a bisect is in progress",
        }
        for name, what in states.items():
            if (self.git_dir / name).exists():
                raise UnsafeRepository(f"{what} in {self.root}: finish or abort it first")
        if (self.git_dir / "index.lock").exists():
            raise UnsafeRepository(
                f"another git process holds {self.git_dir / 'index.lock'}: "
                "wait for it, or remove the file if no git process is running"
            )

    def head_commit(self) -> str | None:
        """The commit HEAD points at, or None in a repository with no commit yet."""
        result = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False,
                          read_only=True)
        return result.stdout.decode().strip() or None

    def show(self, rev: str, path: str) -> bytes | None:
        """The bytes of PATH at REV, or None when the path does not exist there."""
        result = self.git("cat-file", "blob", f"{rev}:{path}", check=False, read_only=True)
        return result.stdout if result.returncode == 0 else None

    def relative(self, path: Path) -> str:
        """PATH as a slash-separated path relative to the root (it must lie inside)."""
        resolved = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise ReadinessError(f"{path} is outside the repository {self.root}") from None


def open_repository(start: Path | None = None) -> Repository:
    """The repository containing START (default: the current folder), found from any sub-folder."""
    import git  # GitPython: imported here so the CLI starts fast

    folder = (start or Path.cwd()).resolve()
    env_backup = {k: os.environ.pop(k) for k in _INHERITED if k in os.environ}
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UnsafeRepository(f"{folder} is not inside a git repository") from None
    finally:
        os.environ.update(env_backup)
    if repo.bare or repo.working_tree_dir is None:
        raise UnsafeRepository(f"{folder} is in a bare repository: a work tree is needed")
    return Repository(root=Path(repo.working_tree_dir).resolve(), git_dir=Path(repo.git_dir).resolve())


def first_line(stderr: bytes | str) -> str:
    """The most telling line of git's error output."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else "no message"


def quote_paths(paths: Sequence[str]) -> str:
    """Paths for a message, one per line."""
    return "\n".join(f"  {p}" for p in paths)


# --- Evidence and history (issue 6): reading the source's past, recording what was verified ---------------


@dataclass(frozen=True)
class SourceCommit:
    """A commit that changed the source file, and the file's path in it (it may have been renamed)."""

    commit: str
    committed: str  # strict ISO 8601 committer date, as git prints it
    path: str


def source_log(repo: Repository, path: str) -> list[SourceCommit]:
    """Every commit that changed PATH, newest first, following renames (``git log --follow``)."""
    out = repo.git("--literal-pathspecs", "log", "--follow", "-z", "--format=%x1e%H%x1f%cI",
                   "--name-only", "--", path, read_only=True).stdout.decode("utf-8", "surrogateescape")
    commits: list[SourceCommit] = []
    for record in out.split("\x1e")[1:]:
        header, _, names = record.partition("\0")
        sha, _, committed = header.partition("\x1f")
        named = [n.lstrip("\n") for n in names.split("\0") if n.strip("\n")]
        # A merge commit lists no file: the path is the one the next older commit had, fixed below.
        commits.append(SourceCommit(sha.strip(), committed.strip(), named[-1] if named else ""))
    known = path
    for index in range(len(commits)):
        if commits[index].path:
            known = commits[index].path
        else:
            commits[index] = SourceCommit(commits[index].commit, commits[index].committed, known)
    return commits


def read_blobs(repo: Repository, specs: Sequence[tuple[str, str]]) -> list[bytes | None]:
    """The bytes of each (commit, path), read by ONE ``git cat-file --batch``; None where absent."""
    wanted = [f"{commit}:{path}" for commit, path in specs]
    usable = [spec for spec in wanted if "\n" not in spec]
    if not usable:
        return [None] * len(wanted)
    out = repo.git("cat-file", "--batch", input="".join(s + "\n" for s in usable).encode(
        "utf-8", "surrogateescape"), read_only=True).stdout
    found: dict[str, bytes | None] = {}
    position = 0
    for spec in usable:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[spec] = out[position:position + size]
            position += size + 1  # the content is followed by a newline
        else:
            found[spec] = None  # "missing", "ambiguous", or not a blob (a folder)
            if len(header) == 3:
                position += int(header[2]) + 1
    return [found.get(spec) for spec in wanted]


def resolve_commit(repo: Repository, rev: str) -> tuple[str, str] | None:
    """The full sha and committer date (ISO) of REV (a sha, tag or branch), or None if it names no commit."""
    result = repo.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
                      check=False, read_only=True)
    sha = result.stdout.decode().strip()
    if result.returncode != 0 or not sha:
        return None
    committed = repo.text("log", "-1", "--format=%cI", sha).strip()
    return sha, committed


def changed_tracked_files(repo: Repository) -> list[str]:
    """Tracked files whose content differs from HEAD (staged or not): the tree is not the commit."""
    out = repo.git("status", "--porcelain=v1", "-z", "--untracked-files=no", "--no-renames",
                   read_only=True).stdout.decode("utf-8", "surrogateescape")
    return [entry[3:] for entry in out.split("\0") if len(entry) > 3]


def path_at(repo: Repository, commit: str, path: str) -> str | None:
    """What PATH (as named now) was called at COMMIT, following renames; None if it did not exist yet."""
    ancestors = set(repo.text("rev-list", commit).split())
    for entry in source_log(repo, path):  # newest first: the first ancestor holds the name then
        if entry.commit in ancestors:
            return entry.path
    return None
