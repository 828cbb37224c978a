"""The only module that talks to git.

Commands run through the ``git`` program itself (so hooks, signing and identity behave
as with ``git`` on the command line), with inherited ``GIT_*`` variables removed so a
repository is never confused with another, and with git's failures turned into one
readable line. Repository discovery asks ``git rev-parse``.
"""

from __future__ import annotations

import hashlib
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

    def index_and_untracked(
        self, blobs_for: Sequence[str] = ()
    ) -> tuple[dict[str, str], list[str]]:
        """{path: blob id or ""} of the index, and the untracked files not ignored.

        Blob ids are filled in only for the paths matching the glob pathspecs BLOBS_FOR:
        parsing ids for a whole large index costs more than git takes to list it. They
        let a caller tell whether a file differs from the index without ``git diff`` on
        many paths (slow on large indexes). The listings run as parallel git processes.
        """
        commands = [["ls-files", "-z"], ["ls-files", "-z", "--others", "--exclude-standard"]]
        if blobs_for:
            commands.append(["ls-files", "-z", "--stage", "--", *blobs_for])
        processes = [
            subprocess.Popen(["git", *SAFE_READ_CONFIG, *args], cwd=self.root, env=git_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for args in commands
        ]
        outputs = []
        for args, process in zip(commands, processes, strict=True):
            out, err = process.communicate()
            if process.returncode != 0:
                raise ReadinessError(f"git {args[0]} failed: {first_line(err)}")
            outputs.append(out.decode("utf-8", "surrogateescape"))
        index = dict.fromkeys(outputs[0].split("\0"), "")
        index.pop("", None)
        for entry in outputs[2].split("\0") if blobs_for else ():
            if entry:
                info, _, path = entry.partition("\t")  # "mode blob stage\tpath"
                index[path] = info.split(" ")[1]
        untracked = outputs[1].split("\0")
        untracked.pop()  # what follows the last NUL
        return index, untracked

    def unstaged_among(self, paths: Sequence[str]) -> list[str]:
        """Those of PATHS (a few: pathspecs are slow) whose work tree differs from the index."""
        if not paths:
            return []
        return self.paths_z("--literal-pathspecs", "diff", "--name-only", "-z", "--no-ext-diff",
                            "--no-renames", "--", *paths)

    def move(self, moves: Sequence[tuple[str, str]]) -> None:
        """``git mv`` each (source, destination): one call per folder where names stay the same.

        Paths are taken literally and follow ``--`` so odd names (``-x.md``) are never options.
        """
        batches: dict[str, list[str]] = {}
        singles: list[tuple[str, str]] = []
        for source, destination in moves:
            folder, name = os.path.split(destination)
            if name == os.path.basename(source) and folder:
                batches.setdefault(folder, []).append(source)
            else:
                singles.append((source, destination))
        for folder, sources in batches.items():
            for start in range(0, len(sources), 1000):  # stay far below the argument limit
                self.git("--literal-pathspecs", "mv", "--", *sources[start:start + 1000], folder)
        for source, destination in singles:
            self.git("--literal-pathspecs", "mv", "--", source, destination)

    def add(self, paths: Sequence[str]) -> None:
        """Stage the content of PATHS, taken literally, in one ``git update-index`` call.

        Paths go on standard input, not through pathspec matching, which is slow for
        many paths in a large index.
        """
        if paths:
            self.git("update-index", "--add", "-z", "--stdin",
                     input="\0".join(paths).encode("utf-8", "surrogateescape") + b"\0")

    def index_snapshot(self) -> bytes | None:
        """The bytes of the index file, to put back if a change fails half way."""
        try:
            return (self.git_dir / "index").read_bytes()
        except FileNotFoundError:
            return None

    def restore_index(self, snapshot: bytes | None) -> None:
        """Put back an index saved by ``index_snapshot`` (atomically)."""
        index = self.git_dir / "index"
        if snapshot is None:
            index.unlink(missing_ok=True)
            return
        temporary = self.git_dir / "index.readiness-restore"
        temporary.write_bytes(snapshot)
        os.replace(temporary, index)

    def relative(self, path: Path) -> str:
        """PATH as a slash-separated path relative to the root (it must lie inside)."""
        resolved = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise ReadinessError(f"{path} is outside the repository {self.root}") from None


def open_repository(start: Path | None = None) -> Repository:
    """The repository containing START (default: the current folder), found from any sub-folder.

    Asks ``git rev-parse`` itself (a few milliseconds) rather than importing GitPython
    (a tenth of a second), so that commands on large repositories start fast.
    """
    folder = (start or Path.cwd()).resolve()
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--absolute-git-dir", "--is-bare-repository", "--show-toplevel"],
            cwd=folder, capture_output=True, env=git_env(), check=False,
        )
    except FileNotFoundError as missing:
        if not folder.is_dir():
            raise UnsafeRepository(f"{folder} is not inside a git repository") from None
        raise ReadinessError("git is not installed or not on PATH") from missing
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) >= 2 and lines[1] == "true":
        raise UnsafeRepository(f"{folder} is in a bare repository: a work tree is needed")
    if result.returncode != 0 or len(lines) < 3:
        message = first_line(result.stderr)
        if "not a git repository" in message:
            raise UnsafeRepository(f"{folder} is not inside a git repository")
        raise UnsafeRepository(f"{folder}: {message}")
    return Repository(root=Path(lines[2]).resolve(), git_dir=Path(lines[0]).resolve())


def blob_id(data: bytes, like: str) -> str:
    """The id git gives DATA as a blob, in the object format of the id LIKE (SHA-1 or SHA-256).

    Comparing it with the index entry tells whether a file differs from the index, as
    ``git diff`` would for a file without clean filters (with them, it differs: the safe side).
    """
    algorithm = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()


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
