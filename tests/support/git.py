"""Git for the tests: run it, make repositories, and keep the user's and the system's
configuration out."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any


def git(repo: Path, *args: str, check: bool = True, input: str | None = None) -> str:
    """Run git in REPO and return its output; with CHECK, fail the test when git fails."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False,
                            input=input)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def new_repo(path: Path) -> Path:
    """An empty git repository at PATH (made), with an identity of its own."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test User")
    git(path, "config", "user.email", "user@example.invalid")
    git(path, "config", "commit.gpgsign", "false")
    return path


def isolated_env(home: Path, *, identity: bool = False) -> dict[str, str]:
    """An environment where git reads no user or system configuration and no inherited GIT_*
    variable, and no editor opens; with IDENTITY, a fixed author and committer too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), GIT_CONFIG_NOSYSTEM="1",
               LC_ALL="C", EDITOR="false", VISUAL="false", GIT_EDITOR="false")
    if identity:
        env.update(GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
                   GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com")
    return env


def isolate(tmp_path: Path, monkeypatch: Any) -> None:
    """For the rest of the test, git reads no user or system configuration and no inherited
    GIT_* variable (HOME is TMP_PATH/home)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for key in list(os.environ):
        if key.startswith("GIT_"):
            monkeypatch.delenv(key)
    for key, value in isolated_env(home).items():
        monkeypatch.setenv(key, value)


def committed_files(repo: Path, rev: str = "HEAD") -> list[str]:
    """The paths commit REV changed."""
    return git(repo, "show", "--no-renames", "--name-only", "--format=", rev).split()
