"""The only module that talks to git.

Commands run through the ``git`` program itself (so hooks, signing and identity behave
as with ``git`` on the command line), with inherited ``GIT_*`` variables removed so a
repository is never confused with another, and with git's failures turned into one
readable line. Repository discovery asks ``git rev-parse``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from readiness.errors import Interrupted, ReadinessError, UnsafeRepository, WouldLoseData
from readiness.platforms import group_alive, signal_group

# Variables that would point git at another repository, index or work tree, or change how
# the pathspecs we pass are read (each call says how it wants them read).
_INHERITED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
              "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS",
              "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS")

# Read-only commands must not run programs named in the repository's configuration: no
# fsmonitor daemon, no hooks, no askpass helper, no gpg for `log.showSignature`. Clean, smudge
# and process filters are named per driver: see ``Repository.read_config``. External diff and
# textconv programs are turned off by ``--no-ext-diff --no-textconv`` on each ``git diff``
# (an empty ``diff.external`` would make git try to run "" and fail).
SAFE_READ_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                    "-c", "core.askPass=", "-c", "log.showSignature=false")
# Pagers never run on captured output; these make sure of it for any git that would.
_READ_ENV = {"GIT_PAGER": "cat", "PAGER": "cat"}


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for git: ours, minus variables that redirect git elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED}
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for credentials without a terminal
    env.setdefault("LC_ALL", "C")
    if extra:
        env.update(extra)
    return env


class Repository:
    """A git work tree: its root folder and its git directory."""

    def __init__(self, root: Path, git_dir: Path, read_options: tuple[str, ...] | None = None) -> None:
        self.root = root
        self.git_dir = git_dir
        self._cache: dict[str, tuple[str, ...]] = {} if read_options is None else {"read": read_options}
        self._file_modes: bool | None = None  # core.filemode, when the read of read_config saw it

    def __repr__(self) -> str:
        return f"Repository(root={self.root!r}, git_dir={self.git_dir!r})"

    def read_config(self) -> tuple[str, ...]:
        """The ``-c`` options that keep a git command from running any configured program.

        Adds, to SAFE_READ_CONFIG, an empty ``clean``, ``smudge`` and ``process`` command and
        ``required=false`` for every filter driver configured (an empty command disables a
        filter; ``required`` would make git fail instead). The driver names come from one
        ``git config`` call, itself run with SAFE_READ_CONFIG, once per Repository.
        """
        if "read" not in self._cache:
            result = subprocess.run(_FILTERS_READ, cwd=self.root, capture_output=True,
                                    env=git_env(_READ_ENV), check=False)
            self._cache["read"] = _read_options(result.stdout)
            self._file_modes = _file_modes(result.stdout) if result.returncode in (0, 1) else None
        return self._cache["read"]

    def git(
        self,
        *args: str,
        check: bool = True,
        input: bytes | None = None,
        env: dict[str, str] | None = None,
        read_only: bool = False,
        apart: bool = False,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git ARGS`` in the work tree; raise a one-line error when it fails.

        APART: in a session of its own, so that a Ctrl-C at the terminal reaches only
        this program, which lets git finish (for commands that write the index: git killed
        while taking ``index.lock`` would leave the lock file behind)."""
        command = ["git", *(self.read_config() if read_only else ()), *args]
        try:
            if apart:
                result = _run_apart(command, self.root, input, git_env(env))
            else:
                result = subprocess.run(
                    command, cwd=self.root, input=input, capture_output=True,
                    env=git_env({**_READ_ENV, **(env or {})} if read_only else env), check=False,
                )
        except FileNotFoundError as missing:
            raise ReadinessError("git is not installed or not on PATH") from missing
        if check and result.returncode != 0:
            raise ReadinessError(f"git {_command_name(args)} failed: {first_line(result.stderr)}")
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

    def index_entries(self) -> tuple[dict[str, str], dict[str, str]]:
        """{path: "MODE BLOB"} of every entry in the index, and {path: tag} of those with a
        flag, as ``Listing`` has them (one ``git ls-files``)."""
        listing = self._listings([["ls-files", "-z", "--stage", "-v"]])[0]
        return _tagged_entries(listing.stdout.decode("utf-8", "surrogateescape"))

    def start_listing(self, specs: Sequence[str]) -> Reads:
        """Start listing the files that match the pathspecs SPECS, for ``listed``: two
        ``git ls-files`` (the index, the untracked files not ignored) run in parallel."""
        return Reads(self, [["ls-files", "-z", "--stage", "-v", "--", *specs],
                            ["ls-files", "-z", "--others", "--exclude-standard", "--", *specs]])

    def listed(self, specs: Sequence[str], started: Reads | None = None) -> Listing:
        """The index entries matching the pathspecs SPECS, and the untracked files (not
        ignored) matching them; STARTED: ``start_listing(SPECS)``."""
        results = _succeeded((started or self.start_listing(specs)).results())
        staged, others = (result.stdout.decode("utf-8", "surrogateescape") for result in results)
        untracked = others.split("\0")
        untracked.pop()  # what follows the last NUL
        return Listing(*_tagged_entries(staged), untracked=untracked)

    def listed_at_root(self, names: Sequence[str], specs: Sequence[str]) -> Listing:
        """Like ``listed`` for files at the root only: the index entries matching SPECS, and
        which of NAMES (files found at the root) are untracked and not ignored.

        Asking ``git check-ignore`` about the few names found costs a millisecond where
        ``ls-files --others`` would walk the whole work tree. Both run in parallel.
        """
        listing = Reads(self, [["ls-files", "-z", "--stage", "-v", "--", *specs]])
        skipped: set[str] = set()
        if names:
            # --no-index: patterns only (git's index lookups cost ~0.5 ms a name); the tracked
            # names it may also report come from the index listing anyway.
            ignored = self.git("check-ignore", "--no-index", "-z", "--stdin", check=False, read_only=True,
                               input=_nul_terminated(names))
            if ignored.returncode not in (0, 1):  # 1: nothing ignored (tracked files never are)
                raise ReadinessError(f"git check-ignore failed: {first_line(ignored.stderr)}")
            skipped.update(ignored.stdout.decode("utf-8", "surrogateescape").split("\0"))
        staged = _succeeded(listing.results())[0]
        index, flags = _tagged_entries(staged.stdout.decode("utf-8", "surrogateescape"))
        return Listing(index, flags, [name for name in names if name not in index and name not in skipped])

    def _listings(self, commands: Sequence[Sequence[str]]) -> list[subprocess.CompletedProcess[bytes]]:
        return _succeeded(Reads(self, commands).results())

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
                self.git("--literal-pathspecs", "mv", "--", *sources[start:start + 1000], folder, apart=True)
        for source, destination in singles:
            self.git("--literal-pathspecs", "mv", "--", source, destination, apart=True)

    def add(self, paths: Sequence[str]) -> None:
        """Stage PATHS, taken literally, as they are on disk (a path gone from the disk leaves
        the index), in one ``git update-index`` call.

        Paths go on standard input, not through pathspec matching, which is slow for
        many paths in a large index.
        """
        if paths:
            self.git("update-index", "--add", "--remove", "-z", "--stdin",
                     input=_nul_terminated(paths), apart=True)

    def set_entries(self, entries: Sequence[tuple[str, str]]) -> None:
        """Set the index entries ENTRIES, (path, "MODE BLOB"); an empty entry removes the path,
        and other paths stay as they are. One ``git update-index --index-info``: the blobs are
        taken as they are, nothing is read from the work tree."""
        if not entries:
            return
        # A removal is written as mode 0 with the null id, as long as the repository's ids.
        length = next((len(e.partition(" ")[2]) for _, e in entries if e), 40)
        removal = f"0 {'0' * length}"
        lines = [f"{entry or removal}\t{path}" for path, entry in entries]
        self.git("update-index", "-z", "--index-info", input=_nul_terminated(lines), apart=True)

    def set_flags(self, tags: Sequence[tuple[str, str]]) -> None:
        """Give each (path, tag) the index flags its ``ls-files -v`` TAG stands for: "h"
        assume-unchanged, "S" skip-worktree, "s" both."""
        for option, letters in (("--assume-unchanged", "hs"), ("--skip-worktree", "Ss")):
            paths = [path for path, tag in tags if tag in letters]
            if paths:
                self.git("update-index", option, "-z", "--stdin",
                         input=_nul_terminated(paths), apart=True)

    def intent_to_add(self, paths: Sequence[str]) -> set[str]:
        """Those of PATHS (in the index) that are intent-to-add entries (``git add -N``):
        the ones ``git diff-files`` shows as added."""
        result = self.git("--literal-pathspecs", "diff-files", "--name-only", "--diff-filter=A", "-z",
                          "--", *paths, read_only=True)
        return set(result.stdout.decode("utf-8", "surrogateescape").split("\0")) - {""}

    def add_intent(self, paths: Sequence[str]) -> None:
        """Make each of PATHS (a file on disk, not in the index) an intent-to-add entry."""
        if paths:
            self.git("--literal-pathspecs", "add", "--intent-to-add", "--force", "--", *paths, apart=True)

    def changed_since_staged(self, paths: Sequence[str], index: dict[str, str]) -> set[str]:
        """Those of PATHS whose file, as git would stage it (line endings converted, as
        core.autocrlf and .gitattributes say), is not the blob INDEX holds ("MODE BLOB").

        Filter drivers do not run (as for every read): a file that has one counts as changed.
        """
        result = self.git("hash-object", "--stdin-paths", read_only=True,
                          input=b"".join(_c_quoted(path) + b"\n" for path in paths))
        hashed = result.stdout.decode().split()
        return {path for path, blob in zip(paths, hashed, strict=True)
                if blob != index[path].partition(" ")[2]}

    def trusts_file_modes(self) -> bool:
        """Whether git reads the executable bit from the disk (``core.filemode``, true unless
        set false)."""
        self.read_config()
        if self._file_modes is not None:  # the same read as the filter drivers' saw it
            return self._file_modes
        result = self.git("config", "--type=bool", "--get", "core.filemode", check=False, read_only=True)
        return result.stdout.strip() != b"false"

    def index_update(self) -> IndexUpdate:
        """A ``git update-index`` started now and fed paths as files change (see IndexUpdate)."""
        return IndexUpdate(self)

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

    def head_files(self) -> list[Path]:
        """The files git rewrites when HEAD moves (a commit, checkout, reset, merge or pull), those
        that exist: ``HEAD`` and its log in this work tree's git directory, the current branch's
        ref and ``packed-refs`` in the directory all work trees share. Never the index, which
        ``git status`` rewrites too."""
        # relative to the root (git's working folder here), or absolute in a linked work tree
        common = self.root / self.text("rev-parse", "--git-common-dir").strip()
        branch = self.git("symbolic-ref", "-q", "HEAD", check=False, read_only=True).stdout
        files = [self.git_dir / "HEAD", self.git_dir / "logs" / "HEAD", common / "packed-refs"]
        if branch.strip():  # detached: HEAD itself holds the commit
            files.append(common / branch.decode("utf-8", "surrogateescape").strip())
        return [path.resolve() for path in files if path.is_file()]

    def relative(self, path: Path) -> str:
        """PATH as a slash-separated path relative to the root (it must lie inside)."""
        resolved = path.resolve() if path.is_absolute() else (Path.cwd() / path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise ReadinessError(f"{path} is outside the repository {self.root}") from None


class Reads:
    """Read-only git commands started at once, running while Python goes on; results on demand.

    Independent reads (identity, HEAD, the index against HEAD, a blob, a status) overlap
    instead of waiting for each other: in a large repository each spends most of its time
    reading the index, and a machine has more than one core.
    """

    def __init__(self, repo: Repository, commands: Sequence[Sequence[str]], *,
                 env: dict[str, str] | None = None, inputs: Sequence[bytes | None] = (),
                 limits: Sequence[int | None] = ()) -> None:
        """INPUTS: what each command reads on its standard input (short: written at once).
        LIMITS: the most each command's output may hold; a command that prints more is stopped,
        and its result has the exit code OUTPUT_TOO_LARGE and only what was read."""
        options = repo.read_config()
        self._limits = list(limits)
        self._commands = [tuple(c) for c in commands]
        self._started: list[subprocess.Popen[bytes]] = []
        self._results: list[subprocess.CompletedProcess[bytes]] | None = None
        try:
            for index, args in enumerate(self._commands):
                given = inputs[index] if index < len(inputs) else None
                process = subprocess.Popen(
                    ["git", *options, *args], cwd=repo.root,
                    stdin=subprocess.DEVNULL if given is None else subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    env=git_env({**_READ_ENV, **(env or {})}))
                self._started.append(process)
                if process.stdin is not None:
                    with contextlib.suppress(BrokenPipeError):
                        process.stdin.write(given or b"")  # fits the pipe: never blocks
                    process.stdin.close()
                    process.stdin = None  # communicate() has nothing more to send
        except FileNotFoundError as missing:
            self.results()
            raise ReadinessError("git is not installed or not on PATH") from missing

    def results(self) -> list[subprocess.CompletedProcess[bytes]]:
        """Wait for every command; their results in the order given."""
        if self._results is None:
            self._results = []
            for index, (process, args) in enumerate(zip(self._started, self._commands, strict=False)):
                limit = self._limits[index] if index < len(self._limits) else None
                if limit is None:  # (fewer processes than commands if a Popen failed)
                    out, err = process.communicate()
                    code = process.returncode
                else:
                    out, err, code = _read_at_most(process, limit)
                self._results.append(subprocess.CompletedProcess(["git", *args], code, out, err))
        return self._results


# The exit code of a read stopped because it printed more than its limit (see Reads).
OUTPUT_TOO_LARGE = -1000


def _read_at_most(process: subprocess.Popen[bytes], limit: int) -> tuple[bytes, bytes, int]:
    """PROCESS's output and errors and exit code, its output read up to LIMIT bytes: a process
    that prints more is killed, and the exit code is OUTPUT_TOO_LARGE (what it printed is
    never held in memory whole)."""
    assert process.stdout is not None
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(process.stdout.fileno(), min(1 << 20, limit + 1 - total))
        if not chunk:
            rest, err = process.communicate()
            return b"".join(chunks) + rest, err, process.returncode
        chunks.append(chunk)
        total += len(chunk)
    process.kill()
    process.communicate()
    return b"".join(chunks), b"output past the limit", OUTPUT_TOO_LARGE


class IndexUpdate:
    """One ``git update-index --add --remove -z --stdin``, fed path by path as files change.

    git reads the index while Python moves and writes the files, and stages each path as it
    arrives, so the index work overlaps the file work instead of following it. A path gone
    from the work tree leaves the index; a path present is staged as it is on disk, hashed
    through the repository's filters like ``git add``. Nothing reaches the index before
    ``finish`` (or ``abandon``), and git holds the index lock until then.
    """

    def __init__(self, repo: Repository) -> None:
        try:
            self._process = subprocess.Popen(
                ["git", "update-index", "--add", "--remove", "-z", "--stdin"], cwd=repo.root,
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=git_env(), start_new_session=True)  # as Repository.git(apart=True): Ctrl-C is ours
        except FileNotFoundError as missing:
            raise ReadinessError("git is not installed or not on PATH") from missing
        assert self._process.stdin is not None
        self._stdin = self._process.stdin
        self.fed = False  # whether git was given any path (else it leaves the index alone)

    def stage(self, path: str) -> None:
        """Stage PATH as it is now on disk (or remove it from the index if it is gone)."""
        self.fed = True
        try:
            self._stdin.write(_nul_terminated([path]))
        except BrokenPipeError:  # git stopped: say why
            self.finish()
            raise ReadinessError("git update-index stopped early") from None

    def finish(self) -> None:
        """Let git write the index; raise its error if it failed."""
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        self._process.stdin = None  # closed: communicate() has nothing more to send
        error = self._process.communicate()[1]
        if self._process.returncode != 0:
            raise ReadinessError(f"git update-index failed: {first_line(error)}")

    def abandon(self) -> None:
        """Let git end, for a change that is being rolled back (a no-op once it has finished).

        git is not stopped by a signal: one that arrives while git is taking the index lock
        can leave the lock file behind. It stages what it was given and ends; the caller then
        puts back the index it saved (``restore_index``).
        """
        if self._process.returncode is not None:
            return
        with contextlib.suppress(OSError):
            self._stdin.close()
        self._process.stdin = None
        self._process.communicate()


def open_repository(start: Path | None = None) -> Repository:
    """The repository containing START (default: the current folder), found from any sub-folder.

    Asks ``git rev-parse`` itself (a few milliseconds) rather than importing GitPython
    (a tenth of a second), so that commands on large repositories start fast.
    """
    folder = (start or Path.cwd()).resolve()
    try:
        # The configured filter drivers (see ``Repository.read_config``) are asked at once.
        filters = subprocess.Popen(_FILTERS_READ, cwd=folder, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=git_env(_READ_ENV))
        result = subprocess.run(
            ["git", *SAFE_READ_CONFIG, "rev-parse", "--absolute-git-dir", "--is-bare-repository",
             "--show-toplevel"],
            cwd=folder, capture_output=True, env=git_env(_READ_ENV), check=False,
        )
        configured = filters.communicate()[0]
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
    return Repository(root=Path(lines[2]).resolve(), git_dir=Path(lines[0]).resolve(),
                      read_options=_read_options(configured))


# The filter drivers configured, and core.filemode, in one read (git reads the pattern as an
# extended regular expression; it prints names in lower case).
_FILTERS_READ = ("git", *SAFE_READ_CONFIG, "config", "-z", "--get-regexp", r"^(filter\.|core\.filemode$)")


def _file_modes(records: bytes) -> bool:
    """core.filemode as git reads a boolean, from _FILTERS_READ's output: true unless the last
    value given is false, no, off, 0 or empty (a name without a value is true)."""
    value: str | None = None
    for record in records.decode("utf-8", "surrogateescape").split("\0"):
        key, newline, given = record.partition("\n")
        if key == "core.filemode":
            value = given.strip().lower() if newline else "true"
    return value not in ("false", "no", "off", "0", "") if value is not None else True


def _read_options(filters: bytes) -> tuple[str, ...]:
    """SAFE_READ_CONFIG, plus options turning off each filter driver named in FILTERS (the
    output of _FILTERS_READ)."""
    drivers: dict[str, None] = {}
    for record in filters.decode("utf-8", "surrogateescape").split("\0"):
        key = record.split("\n", 1)[0]  # -z: "key\nvalue"
        name = key[len("filter."):].rpartition(".")[0]
        if key.lower().startswith("filter.") and name:
            drivers[name] = None
    options = list(SAFE_READ_CONFIG)
    for name in drivers:
        for setting in ("clean=", "smudge=", "process=", "required=false"):
            options += ["-c", f"filter.{name}.{setting}"]
    return tuple(options)


def _nul_terminated(texts: Sequence[str]) -> bytes:
    """TEXTS (paths, index lines) for a git command reading ``-z`` input: each ends in NUL."""
    return b"".join(text.encode("utf-8", "surrogateescape") + b"\0" for text in texts)


def _succeeded(results: list[subprocess.CompletedProcess[bytes]]) -> list[subprocess.CompletedProcess[bytes]]:
    """RESULTS, when every command succeeded; else the first failure as one line."""
    for result in results:
        if result.returncode != 0:
            raise ReadinessError(f"git {_command_name(result.args[1:])} failed: {first_line(result.stderr)}")
    return results


def _run_apart(command: list[str], cwd: Path, input: bytes | None,
               env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """``subprocess.run`` of COMMAND in a session of its own, never cut short.

    On Ctrl-C, ``subprocess.run`` would kill git (SIGKILL: its lock file would stay); here
    git is let finish, with further signals held, and the interruption goes on after."""
    with subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE,
                          stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL) as process:
        try:
            out, error = process.communicate(input)
        except KeyboardInterrupt:
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
            try:
                process.communicate()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, error)


def _c_quoted(path: str) -> bytes:
    """PATH quoted as git reads a quoted path (``"..."``, C escapes): any name on one line."""
    out = bytearray(b'"')
    for byte in path.encode("utf-8", "surrogateescape"):
        if byte in (0x22, 0x5C):  # " and \
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte == 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b'"')


def _command_name(args: Sequence[str]) -> str:
    """The git command ARGS run (``mv`` for ``--literal-pathspecs mv ...``), for messages."""
    values = iter(args)
    for arg in values:
        if arg in ("-c", "-C"):
            next(values, None)  # its value
        elif not arg.startswith("-"):
            return arg
    return "command"


class Listing(NamedTuple):
    """Files found by ``Repository.listed``."""

    entries: dict[str, str]  # path: "MODE BLOB" of the index entries
    flags: dict[str, str]  # path: the tag `ls-files -v` gives an entry with a flag (h, s, S)
    untracked: list[str]  # untracked files, not ignored


def _tagged_entries(listing: str) -> tuple[dict[str, str], dict[str, str]]:
    """The index entries, and the tags of flagged ones, from ``git ls-files -z --stage -v``."""
    index: dict[str, str] = {}
    flags: dict[str, str] = {}
    for record in listing.split("\0"):
        if record:
            info, _, path = record.partition("\t")  # "TAG MODE BLOB STAGE\tPATH"
            tag, _, entry = info.partition(" ")
            index[path] = entry.rpartition(" ")[0]
            if tag != "H":
                flags[path] = tag
    return index, flags


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


# ---------------------------------------------------------------- commit (readiness commit)
# Git operations of `readiness commit`. Paths are always passed with literal pathspecs, so
# a name from the source file is a file name and never a glob or pathspec magic.

LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}
COMMIT_MESSAGE_FILE = "READINESS_COMMIT_MSG"


IDENTITY_READS = (("var", "GIT_AUTHOR_IDENT"), ("var", "GIT_COMMITTER_IDENT"))
NO_IDENTITY = ("git has no identity to commit with: set it with "
               "`git config user.name \"Your Name\"` and `git config user.email you@example.com`")


class StatusEntry(NamedTuple):
    """One line of ``git status --porcelain=v2``: a path that differs from HEAD somewhere."""

    kind: str  # "1" changed, "u" unmerged, "?" untracked, "!" ignored
    path: str
    staged: str = "."  # X: the index against HEAD
    worktree: str = "."  # Y: the work tree against the index
    head_mode: str = "000000"
    head_blob: str = ""

    @property
    def in_head(self) -> bool:
        return self.head_mode != "000000"


def status_args(paths: Sequence[str]) -> tuple[str, ...]:
    """``git status`` of every changed, untracked or ignored file under PATHS (literal:
    run it with the LITERAL environment)."""
    return ("--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=all",
            "--ignored=matching", "--no-renames", "--ignore-submodules=all", "--", *paths)


def status(repo: Repository, paths: Sequence[str]) -> list[StatusEntry]:
    """Every changed, untracked or ignored file under PATHS (literal), in one ``git status``."""
    if not paths:
        return []
    return parse_status(repo.git(*status_args(paths), env=LITERAL, read_only=True).stdout)


def parse_status(output: bytes) -> list[StatusEntry]:
    """The entries of ``git status --porcelain=v2 -z`` OUTPUT."""
    entries = []
    for record in output.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        kind = record[0]
        if kind in "?!":
            entries.append(StatusEntry(kind, record[2:]))
        elif kind == "1":
            fields = record.split(" ", 8)
            entries.append(StatusEntry(kind, fields[8], fields[1][0], fields[1][1], fields[3], fields[6]))
        elif kind == "u":
            entries.append(StatusEntry(kind, record.split(" ", 10)[10]))
    return entries


def blob_first_lines(repo: Repository, blobs: Sequence[str]) -> dict[str, bytes]:
    """The first line of each blob, read in one ``git cat-file --batch``."""
    if not blobs:
        return {}
    out = repo.git("cat-file", "--batch", input="".join(f"{b}\n" for b in blobs).encode(),
                   read_only=True).stdout
    lines: dict[str, bytes] = {}
    position = 0
    for blob in blobs:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            position = header_end + 1
            continue
        size = int(header[2])
        body = out[header_end + 1:header_end + 1 + size]
        lines[blob] = body.split(b"\n", 1)[0]
        position = header_end + 1 + size + 1
    return lines


class Upstream(NamedTuple):
    """Where the current branch pushes: its remote and the branch there."""

    branch: str  # the local branch, e.g. refs/heads/main
    remote: str  # e.g. origin
    merge: str  # the branch on the remote, e.g. refs/heads/main
    name: str  # @{upstream} as git shows it, e.g. origin/main


def upstream(repo: Repository) -> Upstream:
    """The current branch's own upstream; refuse on a detached HEAD or without one."""
    head = repo.git("symbolic-ref", "-q", "HEAD", check=False, read_only=True)
    branch = head.stdout.decode("utf-8", "surrogateescape").strip()
    if head.returncode != 0 or not branch:
        raise UnsafeRepository("HEAD is detached: check out a branch before committing with --push")
    fields = repo.text(
        "for-each-ref", "--format=%(upstream:remotename)%00%(upstream:remoteref)%00%(upstream:short)",
        "--", branch,
    ).rstrip("\n").split("\0")
    if len(fields) != 3 or not all(fields):
        short = branch.removeprefix("refs/heads/")
        raise UnsafeRepository(
            f"branch {short} has no upstream to push to: set one with "
            f"`git branch --set-upstream-to=REMOTE/BRANCH {short}`, or commit without --push"
        )
    return Upstream(branch=branch, remote=fields[0], merge=fields[1], name=fields[2])


class CommitOutcome(NamedTuple):
    """What ``git commit`` said: whether it worked, and its output (hooks included)."""

    ok: bool
    output: str


HEAD_READ = ("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
STAGED_READ = ("diff-index", "--cached", "--name-only", "--no-renames", "-z", "HEAD")


class CommitReads(Reads):
    """What ``readiness commit`` reads whatever the source says, started at once: the
    identity, what is staged, and in one ``git cat-file --batch`` HEAD and the source at
    HEAD. ``results`` gives them as five results: author, committer, HEAD (the commit id, or
    nothing without a commit), what is staged, the source at HEAD (exit 0 and its bytes,
    or exit 1 when HEAD has no such file)."""

    def __init__(self, repo: Repository, source: str) -> None:
        from readiness import settings

        # A source at HEAD larger than the size limit is never read whole: its result is exit 2.
        self._largest = settings.max_bytes()
        super().__init__(repo, [*IDENTITY_READS, STAGED_READ, ("cat-file", "--batch")], env=LITERAL,
                         inputs=[None, None, None, f"HEAD^{{commit}}\nHEAD:{source}\n".encode()],
                         limits=[None, None, None, self._largest + (1 << 20)])  # room for the commit
        self._split: list[subprocess.CompletedProcess[bytes]] | None = None

    def results(self) -> list[subprocess.CompletedProcess[bytes]]:
        if self._split is None:
            author, committer, staged, batch = super().results()
            head, blob = _batch_objects(batch, 2)
            if batch.returncode == OUTPUT_TOO_LARGE or (blob is not None and len(blob[2]) > self._largest):
                too_large = f"the source at HEAD is larger than {self._largest:,} bytes, the limit".encode()
                source = subprocess.CompletedProcess(batch.args, 2, b"", too_large)
            elif blob is not None and blob[1] == b"blob":
                source = subprocess.CompletedProcess(batch.args, 0, blob[2], b"")
            else:
                source = subprocess.CompletedProcess(batch.args, 1, b"", batch.stderr)
            self._split = [
                author, committer,
                subprocess.CompletedProcess(HEAD_READ, 0, head[0] + b"\n" if head and head[1] == b"commit"
                                            else b"", b""),
                staged, source,
            ]
        return self._split


def _batch_objects(result: subprocess.CompletedProcess[bytes], count: int
                   ) -> list[tuple[bytes, bytes, bytes] | None]:
    """The (id, type, content) of each of the COUNT objects a ``git cat-file --batch`` printed,
    None for one it did not find ("NAME missing", "NAME ambiguous")."""
    out = result.stdout if result.returncode in (0, OUTPUT_TOO_LARGE) else b""
    found: list[tuple[bytes, bytes, bytes] | None] = []
    position = 0
    for _ in range(count):
        end = out.find(b"\n", position)
        header = out[position:end].split(b" ") if end >= 0 else []
        if len(header) == 3 and header[2].isdigit():
            start = end + 1
            size = int(header[2])
            whole = len(out) >= start + size  # a read stopped at its limit may end inside one
            found.append((header[0], header[1], out[start:start + size]) if whole else None)
            position = start + size + 1
        else:
            found.append(None)
            position = end + 1 if end >= 0 else len(out)
    return found


def read_blob(repo: Repository, blob: str, limit: int) -> bytes | None:
    """The bytes of object BLOB, or None when it is larger than LIMIT (then never read whole)."""
    [read] = Reads(repo, [("cat-file", "blob", blob)], limits=[limit]).results()
    if read.returncode == OUTPUT_TOO_LARGE:
        return None
    if read.returncode != 0:
        raise ReadinessError(f"git cat-file failed: {first_line(read.stderr)}")
    return read.stdout


def commit_reads(repo: Repository, source: str) -> Reads:
    """Start what ``readiness commit`` reads whatever the source says (see CommitReads);
    SOURCE is relative to the root. (A SOURCE with a line break would be misread on
    cat-file's input; the plan refuses such a path before it looks at what was read.)"""
    return CommitReads(repo, source)


def staged_paths(repo: Repository) -> tuple[str, ...] | None:
    """Paths whose index entry differs from HEAD (one ``git diff-index``); None without a HEAD."""
    head, staged = Reads(repo, [HEAD_READ, STAGED_READ]).results()
    return parse_staged(head, staged)


def parse_staged(head: subprocess.CompletedProcess[bytes], staged: subprocess.CompletedProcess[bytes]
                 ) -> tuple[str, ...] | None:
    """The paths of a STAGED_READ, or None when HEAD_READ found no commit."""
    if not head.stdout.strip():
        return None
    if staged.returncode != 0:
        raise ReadinessError(f"git diff-index failed: {first_line(staged.stderr)}")
    return tuple(p for p in staged.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


class PlannedEntry(NamedTuple):
    """What a commit records for one path: its mode and blob, or nothing (a deletion)."""

    path: str
    mode: str = ""  # "100644" or "100755"; empty: the path is deleted
    blob: str = ""

    def index_line(self, id_length: int = 40) -> str:
        """The line ``git update-index --index-info`` reads for this entry (a deletion is mode 0
        with the null id, as long as the repository's ids: ID_LENGTH)."""
        if not self.mode:
            return f"0 {'0' * id_length}\t{self.path}"
        return f"{self.mode} {self.blob}\t{self.path}"


def hash_files(repo: Repository, paths: Sequence[str]) -> list[str]:
    """Write each of PATHS (files on disk) into the object store as ``git add`` would (line
    endings and clean filters applied) and return their blob ids, in one ``git hash-object``."""
    if not paths:
        return []
    result = repo.git("hash-object", "-w", "--stdin-paths",
                      input=b"".join(_c_quoted(path) + b"\n" for path in paths))
    blobs = result.stdout.decode().split()
    if len(blobs) != len(paths):
        raise ReadinessError("git hash-object did not hash every file")
    return blobs


def index_entries_of(repo: Repository, paths: Sequence[str]) -> dict[str, str]:
    """{path: "MODE BLOB"} of the index entries of PATHS (literal), one ``git ls-files``."""
    if not paths:
        return {}
    out = repo.git("ls-files", "-z", "--stage", "--", *paths, env=LITERAL, read_only=True).stdout
    entries: dict[str, str] = {}
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if record:
            info, _, path = record.partition("\t")
            mode, blob, _stage = info.split(" ")
            entries[path] = f"{mode} {blob}"
    return entries


# The files of one `readiness commit`, in the git directory: its own index (built from HEAD
# and the planned entries) and the planned entries for the user's index. Only one commit
# runs at a time (the readiness lock), so a file left by a killed run is simply replaced.
COMMIT_INDEX = "readiness-commit-index"
COMMIT_ENTRIES = "readiness-commit-entries"
COMMIT_BEFORE = "readiness-commit-index-before"  # a second name of the user's index, as copied

# git commit with our index, then, at once and without waiting for Python, the user's index
# gets the committed entries, so a commit is never left with the user's index saying
# otherwise, even when this program is killed while git runs. Python checks afterwards.
# (Its output may have nowhere to go by then: git's exit code does not say whether the commit
# was made, HEAD does.)
# When our index began as a copy of the user's with nothing else staged, and the user's index
# is still that very file ($before is a second name of it: git replaces the index by renaming,
# so a changed index is another file), our index, as committed, is what the user's must become:
# it takes its place, under git's own lock. Otherwise the committed entries are written into
# the user's index.
_COMMIT_SCRIPT = (
    'index=$1 entries=$2 head=$3 before=$4 users=$5; shift 5\n'
    'GIT_INDEX_FILE=$index "$@"; code=$?\n'
    '[ "$(git rev-parse -q --verify HEAD^{commit})" = "$head" ] && exit $code\n'
    'if [ -n "$before" ] && (set -C; : > "$users.lock") 2>/dev/null; then\n'
    '  if [ "$users" -ef "$before" ] && mv -f "$index" "$users"; then rm -f "$users.lock"; exit $code; fi\n'
    '  rm -f "$users.lock"\n'
    'fi\n'
    'git update-index -z --index-info < "$entries" 2>/dev/null || exit 75\n'
    'exit $code\n'
)

_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                      if hasattr(signal, name))


def commit_entries(repo: Repository, entries: Sequence[PlannedEntry], message_file: Path, *,
                   head: str | None, edit: bool = False) -> CommitOutcome:
    """Commit exactly ENTRIES on top of HEAD (the commit the plan saw; None: no commit yet),
    through ``git commit -F MESSAGE_FILE`` so hooks, signing and identity work as usual.

    The commit is built in an index of its own (HEAD, plus ENTRIES), so nothing anyone else
    staged, before or while it runs, can enter it, and the user's index is not locked while
    hooks run. Once committed, the user's index gets ENTRIES (the committed paths match HEAD;
    everything else staged stays staged). A rejected commit changes nothing.

    SIGINT, SIGTERM and SIGHUP while git runs are passed on to git (and its hooks), git is
    waited for, what it left is tidied, and ``Interrupted`` is raised.
    """
    if head is not None and repo.head_commit() != head:
        raise WouldLoseData("HEAD moved since the plan was shown (another commit was made): nothing "
                            "was committed; run `readiness commit` again")
    index = repo.git_dir / COMMIT_INDEX
    listing = repo.git_dir / COMMIT_ENTRIES
    before = repo.git_dir / COMMIT_BEFORE
    length = len(head) if head else next((len(e.blob) for e in entries if e.blob), 40)
    lines = [entry.index_line(length) for entry in entries]
    with _signals_held() as stopped:
        try:
            _remove(index, Path(f"{index}.lock"), listing, before)
            takes_place = _build_index(repo, index, head, lines, [entry.path for entry in entries], before)
            listing.write_bytes(_nul_terminated(lines))
            if stopped:
                raise Interrupted("interrupted: nothing was committed")
            lock_before = (repo.git_dir / "index.lock").exists()
            started = time.time()
            command = ["sh", "-c", _COMMIT_SCRIPT, "sh", str(index), str(listing), head or "",
                       str(before) if takes_place else "", str(repo.git_dir / "index"),
                       "git", "commit", "-F", str(message_file), *(["--edit"] if edit else [])]
            # --edit needs the user's terminal for the editor: then git stays in our process
            # group and inherits our output; otherwise it runs in a session of its own.
            process = subprocess.Popen(
                command, cwd=repo.root, env=git_env(LITERAL), start_new_session=not edit,
                stdout=None if edit else subprocess.PIPE, stderr=None if edit else subprocess.STDOUT)
            output = _wait_forwarding(process, stopped, group=not edit)
            made = _committed_on(repo, head)
            if stopped and made and not lock_before:
                _remove_our_lock(repo.git_dir / "index.lock", started)
            if made and process.returncode != 0:  # else the script has updated it already
                _update_users_index(repo, entries, lines)
            if stopped:
                raise Interrupted("interrupted: " + (
                    "the commit was made" if made else "nothing was committed; the index is as it was"))
        finally:
            _remove(index, Path(f"{index}.lock"), listing, before)
    return CommitOutcome(made, output)  # HEAD tells, whatever git's exit code says


def _remove_our_lock(lock: Path, started: float) -> None:
    """Remove LOCK if our git, stopped by a signal and gone now, left it: it did not exist
    before git started (the caller knows), and was made since. Only the script's update of
    the user's index, after a commit was made, takes that lock; git commit uses its own."""
    with contextlib.suppress(OSError):
        if lock.stat().st_mtime >= started - 1:
            lock.unlink()


def _build_index(repo: Repository, index: Path, head: str | None, lines: list[str],
                 planned: Sequence[str], before: Path) -> bool:
    """INDEX: HEAD's tree with LINES (the entries of the PLANNED paths) applied. True when, once
    committed, it is what the user's index must become, as long as that is still the file
    BEFORE names (a second name made of it here).

    It starts as a copy of the user's index, which keeps the file timestamps (so git need not
    read every file again to see it unchanged); whatever the copy holds staged besides the
    planned paths is set back to HEAD's entry, so the copy itself is checked: nothing staged
    meanwhile can slip in. Without a commit yet, or with unresolved entries, it is built
    from HEAD alone.
    """
    env = {"GIT_INDEX_FILE": str(index), **LITERAL}
    copied = head is not None
    named = False
    if copied:
        users = repo.git_dir / "index"
        try:
            if not users.is_symlink():
                os.link(users, before)  # the very file copied, whatever happens next
                named = True
        except OSError:
            named = False  # no second name here (no index yet, or no hard links): only no shortcut
        import shutil  # here, not at the top: commit alone needs it, and it costs cleanup's start

        try:
            shutil.copyfile(before if named else users, index)
            shutil.copymode(before if named else users, index)  # a shared repository's permissions
        except FileNotFoundError:
            copied = False
    back: list[str] = []
    if copied:
        assert head is not None
        staged = repo.git("diff-index", "--cached", "--no-renames", "--name-status", "-z", head,
                          env=env, check=False, read_only=True)
        fields = staged.stdout.decode("utf-8", "surrogateescape").split("\0")
        changes = list(zip(fields[0::2], fields[1::2], strict=False))
        if staged.returncode != 0 or any(status == "U" for status, _ in changes):
            copied = False
        else:
            wanted = set(planned)
            others = [path for _, path in changes if path not in wanted]
            back = _head_entries(repo, head, others) if others else []
    if not copied:
        index.unlink(missing_ok=True)
        if head is None:
            repo.git("read-tree", "--empty", env=env)
        else:
            repo.git("read-tree", head, env=env)
    repo.git("update-index", "-z", "--index-info", input=_nul_terminated([*back, *lines]), env=env)
    return copied and named and not back


def _head_entries(repo: Repository, head: str, paths: Sequence[str]) -> list[str]:
    """``--index-info`` lines that set each of PATHS to its entry in HEAD, or remove it."""
    listed = repo.git("ls-tree", "-z", "--full-tree", head, "--", *paths, env=LITERAL, read_only=True)
    found: dict[str, str] = {}
    for record in listed.stdout.decode("utf-8", "surrogateescape").split("\0"):
        info, _, path = record.partition("\t")
        mode, kind, blob = [*info.split(" "), "", "", ""][:3]
        if kind == "blob" or kind == "commit":
            found[path] = f"{mode} {blob}"
    zero = "0" * len(head)
    return [f"{found.get(path, f'0 {zero}')}\t{path}" for path in paths]


def _committed_on(repo: Repository, head: str | None) -> bool:
    """Whether HEAD is now a new commit whose parent is HEAD (none: a first commit)."""
    parents = repo.git("rev-list", "--parents", "-n", "1", "HEAD", check=False, read_only=True)
    if parents.returncode != 0:
        return False
    ids = parents.stdout.decode().split()
    return bool(ids) and ids[0] != head and ids[1:2] == ([head] if head else [])


def _update_users_index(repo: Repository, entries: Sequence[PlannedEntry], lines: list[str]) -> None:
    """Make the user's index hold ENTRIES (what was committed), unless it does already; the
    index may be locked a moment by another git: try again for a while."""
    wanted = {e.path: f"{e.mode} {e.blob}" for e in entries if e.mode}
    deadline = time.monotonic() + 10
    while True:
        found = index_entries_of(repo, [e.path for e in entries])
        if all(found.get(path) == entry for path, entry in wanted.items()) and not any(
                e.path in found for e in entries if not e.mode):
            return
        result = repo.git("update-index", "-z", "--index-info", check=False, apart=True,
                          input=_nul_terminated(lines))
        if result.returncode == 0:
            continue  # checked again above
        if time.monotonic() > deadline:
            raise ReadinessError("committed, but the index could not be updated ("
                                 f"{first_line(result.stderr)}): run `git reset -q -- "
                                 + " ".join(e.path for e in entries) + "`")
        time.sleep(0.05)


def _wait_forwarding(process: subprocess.Popen[bytes], stopped: list[int], *, group: bool) -> str:
    """Wait for PROCESS and return its output; a stop signal that arrives meanwhile (recorded in
    STOPPED by ``_signals_held``) is passed on to it (to its process group with GROUP), and it
    is waited for; one that does not end within ten seconds is killed."""
    chunks: list[bytes] = []
    forwarded = 0
    reader = None
    if process.stdout is not None:
        reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()),  # type: ignore[union-attr]
                                  daemon=True)
        reader.start()
    # A thread waits for the process, so its end is seen at once (Popen.wait with a timeout
    # polls, and would add up to tens of milliseconds to every commit); this thread passes
    # signals on as they are recorded.
    ended = threading.Event()

    def wait() -> None:
        process.wait()
        ended.set()

    threading.Thread(target=wait, daemon=True).start()
    deadline: float | None = None
    while not ended.wait(0.05):
        if len(stopped) > forwarded:
            for number in stopped[forwarded:]:
                _signal(process, number, group)
            forwarded = len(stopped)
            deadline = deadline or time.monotonic() + 10
        if deadline is not None and time.monotonic() > deadline:
            _signal(process, signal.SIGKILL, group)
    if group and stopped:  # what the shell started (git, its hook) may outlive it a moment
        end = time.monotonic() + 10
        while group_alive(process.pid) and time.monotonic() < end:
            time.sleep(0.02)
        if group_alive(process.pid):
            _signal(process, signal.SIGKILL, group)
    if reader is not None:
        reader.join(timeout=5)
    return b"".join(chunks).decode("utf-8", "replace")


def _signal(process: subprocess.Popen[bytes], number: int, group: bool) -> None:
    if group:
        signal_group(process.pid, number)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        process.send_signal(number)


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """While inside, SIGINT, SIGTERM and SIGHUP are recorded in the list given, not raised:
    the caller passes them on and reports the interruption once things are tidy."""
    stopped: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield stopped
        return
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    for number in _STOP_SIGNALS:
        signal.signal(number, lambda number, frame: stopped.append(number))
    try:
        yield stopped
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def push_upstream(repo: Repository, target: Upstream, interactive: bool) -> tuple[bool, str]:
    """Push HEAD to the branch's own upstream, never forcing: (pushed, git's one-line reason).

    Without a terminal nothing may wait for a password: prompts and askpass helpers are
    turned off, and so are ssh's questions (``BatchMode``) unless the user chose the ssh
    command (``GIT_SSH_COMMAND``, ``GIT_SSH``, ``core.sshCommand``, ``ssh.variant``): a deploy
    key configured that way is used as configured.
    """
    env: dict[str, str] = {}
    options: list[str] = []
    if interactive:
        env["GIT_TERMINAL_PROMPT"] = "1"
    else:
        env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", SSH_ASKPASS="true",
                   SSH_ASKPASS_REQUIRE="never")
        if not _ssh_configured(repo):  # the user's own ssh command is used as it is
            options = ["-c", "core.sshCommand=ssh -o BatchMode=yes"]
    result = repo.git(*options, "push", "--porcelain", "--end-of-options", target.remote,
                      f"HEAD:{target.merge}", env=env, check=False)
    if result.returncode == 0:
        return True, ""
    # --porcelain puts the telling part on stdout: "!<TAB>HEAD:refs/heads/x<TAB>[rejected] (fetch first)"
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("!\t"):
            return False, line.split("\t")[-1].strip()
    return False, first_line(result.stderr)


def _ssh_configured(repo: Repository) -> bool:
    """Whether the user chose how git runs ssh: in the environment or in git's configuration."""
    if any(os.environ.get(name) for name in ("GIT_SSH_COMMAND", "GIT_SSH", "GIT_SSH_VARIANT")):
        return True
    for key in ("core.sshCommand", "ssh.variant"):
        if repo.git("config", "--get", key, check=False, read_only=True).stdout.strip():
            return True
    return False


# --- Evidence and history: reading the source's past, recording what was verified ---------------


class SourceCommit(NamedTuple):
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


def blob_sizes(repo: Repository, specs: Sequence[tuple[str, str]]) -> list[int | None]:
    """The size of each (commit, path) blob, from ONE ``git cat-file --batch-check``; None where
    there is no such blob. Nothing of the blobs themselves is read."""
    wanted = [f"{commit}:{path}" for commit, path in specs]
    usable = [spec for spec in wanted if "\n" not in spec]
    if not usable:
        return [None] * len(wanted)
    out = repo.git("cat-file", "--batch-check", input="".join(s + "\n" for s in usable).encode(
        "utf-8", "surrogateescape"), read_only=True).stdout
    sizes: dict[str, int | None] = {}
    for spec, line in zip(usable, out.split(b"\n"), strict=False):
        header = line.split()
        sizes[spec] = int(header[2]) if len(header) == 3 and header[1] == b"blob" else None
    return [sizes.get(spec) for spec in wanted]


def read_blobs(repo: Repository, specs: Sequence[tuple[str, str]],
               limit: int | None = None) -> list[bytes | None]:
    """The bytes of each (commit, path), read by ONE ``git cat-file --batch``; None where absent,
    and (with LIMIT) where the blob is larger than LIMIT bytes: those are never read."""
    wanted = [f"{commit}:{path}" for commit, path in specs]
    usable = [spec for spec in wanted if "\n" not in spec]
    if limit is not None and usable:
        small = {f"{commit}:{path}" for (commit, path), size in zip(specs, blob_sizes(repo, specs), strict=True)
                 if size is not None and size <= limit}
        usable = [spec for spec in usable if spec in small]
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
