"""Real temporary git repositories for the cleanup tests, isolated from the user's git setup."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from readiness.cleanup.links import find_links, relative_target, resolve
from tests.support.git import isolated_env


class GitRepo:
    """A work tree in a temporary folder, with helpers to write, commit and inspect it."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    def git(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True,
                                check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"git {args}: {result.stderr.decode()}")
        return result.stdout.decode("utf-8", "surrogateescape")

    def write(self, path: str, text: str) -> Path:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(text.encode())
        return file

    def read(self, path: str) -> str:
        return (self.root / path).read_bytes().decode()

    def commit(self, message: str = "state") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def index(self) -> str:
        return self.git("ls-files", "-s", "-z")

    def status(self) -> str:
        return self.git("status", "--porcelain=v2", "-z", "--untracked-files=all")

    def files(self) -> dict[str, str]:
        """Every file of the work tree (outside .git) with the hash of its bytes or link target."""
        found = {}
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in names:
                path = Path(folder) / name
                key = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    found[key] = "link:" + os.readlink(path)
                else:
                    found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found

    def snapshot(self) -> tuple[str, str, dict[str, str]]:
        return self.index(), self.status(), self.files()

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """The readiness command in a separate process, with no terminal."""
        return subprocess.run(
            [sys.executable, "-m", "readiness", *args], cwd=cwd or self.root, env=self.env,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, timeout=120,
        )


def make_repo(tmp_path: Path) -> GitRepo:
    home = tmp_path / "home"
    home.mkdir()
    root = tmp_path / "repo"
    root.mkdir()
    repo = GitRepo(root, isolated_env(home, identity=True))
    repo.git("init", "-q", "-b", "main")
    return repo


def working_links(repo: GitRepo) -> dict[str, list[tuple[int, str]]]:
    """For each Markdown file: (line, repository path) of every relative link that resolves."""
    result: dict[str, list[tuple[int, str]]] = {}
    for path in repo.files():
        if not path.endswith(".md"):
            continue
        targets = []
        for link in find_links(repo.read(path)):
            target = relative_target(link.destination)
            if target is None:
                continue
            resolved = resolve(path, target[0])
            if resolved is not None and (repo.root / resolved).exists():
                targets.append((link.line, resolved))
        result[path] = targets
    return result
