"""Read-only commands and dry runs run no program the repository's configuration names.

The repository sets core.fsmonitor, clean and process filters (with `required`), an
external diff and a pager to scripts that leave a marker file. Every read-only command and
dry run (and the planning phase of cleanup and commit, stopped at the question) runs with
every tracked file's time changed, so git must re-read them through their filters; no marker
may appear. Plain git, and `readiness commit` (which must honour the user's hooks), do run them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from readiness.git.repository import open_repository
from tests.support.cleanup import GitRepo, make_repo
from tests.support.sources import source_text

MARKERS = ("fsmonitor", "clean", "process", "external", "pager", "hook")


def _script(folder: Path, name: str, body: str = "") -> str:
    path = folder / f"{name}.sh"
    path.write_text(f"#!/bin/sh\ntouch '{folder / ('ran-' + name)}'\n{body}")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[GitRepo, Path]:
    repo = make_repo(tmp_path)
    repo.git("config", "user.name", "Test")
    repo.git("config", "user.email", "test@example.com")
    tasks: list[dict[str, object]] = [{"id": "alpha", "status": "done", "deliverables": ["src/alpha.py"]},
                                      {"id": "beta"}]
    repo.write("content/readiness.yaml", source_text(tasks))
    repo.write("src/alpha.py", "ALPHA = 1\n")
    repo.write("docs/guide.md", "# Guide\n\nSee [notes](../NOTES.md).\n")
    repo.write("NOTES.md", "# Notes\n")
    repo.commit("one")
    repo.write("content/readiness.yaml", source_text([*tasks[:1], {"id": "beta", "status": "done"}]))
    repo.commit("two")
    repo.write("content/readiness.yaml", source_text([*tasks[:1], {"id": "beta", "status": "blocked"}]))
    markers = tmp_path / "markers"
    markers.mkdir()
    config = {
        "core.fsmonitor": _script(markers, "fsmonitor"),
        "filter.evil.clean": _script(markers, "clean", "cat\n"),
        "filter.evil.smudge": "cat",
        "filter.evil.required": "true",
        "filter.long.process": _script(markers, "process"),
        "filter.long.required": "true",
        "diff.external": _script(markers, "external"),
        "core.pager": _script(markers, "pager", "cat\n"),
        "pager.status": "true",
        "log.showSignature": "true",
    }
    for key, value in config.items():
        repo.git("config", key, value)
    (repo.root / ".gitattributes").write_text("* filter=evil diff=evil\n*.py filter=long\n")
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch '{markers / 'ran-hook'}'\n")
    hook.chmod(0o755)
    return repo, markers


def _touch_everything(repo: GitRepo, markers: Path, *, clear: bool = True) -> None:
    """Give every tracked file a new time, same bytes: git must read it through its filter."""
    stamp = 1_000_000_000 + int.from_bytes(os.urandom(3), "big")
    for name in repo.git("-c", "core.fsmonitor=false", "ls-files", "-z").split("\0"):
        if name:
            os.utime(repo.root / name, (stamp, stamp))
    for marker in markers.glob("ran-*") if clear else ():  # what setting up ran
        marker.unlink()


def _ran(markers: Path) -> list[str]:
    return sorted(name for name in MARKERS if (markers / f"ran-{name}").exists())


READ_ONLY = [
    ("check",),
    ("check", "--ci", "--format", "json"),
    ("status",),
    ("status", "--at", "HEAD~1"),
    ("history",),
    ("history", "--format", "json"),
    ("cleanup", "--dry-run"),
    ("cleanup", "--dry-run", "--format", "json"),
    ("cleanup",),  # plans, then refuses: no terminal and no --yes
    ("commit", "--dry-run"),
    ("commit",),  # plans, then refuses: no terminal and no --yes
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_run_no_configured_program(hostile: tuple[GitRepo, Path],
                                                      args: tuple[str, ...]) -> None:
    repo, markers = hostile
    _touch_everything(repo, markers)
    result = repo.run(*args)
    assert result.returncode in (0, 1, 8), result.stderr
    assert "Traceback" not in result.stderr
    assert _ran(markers) == []


def test_the_setup_is_armed_plain_git_runs_the_programs(hostile: tuple[GitRepo, Path]) -> None:
    repo, markers = hostile
    _touch_everything(repo, markers)
    # One program at a time: the scripts are no working fsmonitor or process filter, and git
    # stops at the first that fails.
    no_process = ("-c", "core.fsmonitor=false", "-c", "filter.long.process=",
                  "-c", "filter.long.required=false")
    for args in (("status",), ("-c", "core.fsmonitor=false", "status"), (*no_process, "status"),
                 (*no_process, "diff")):
        repo.git(*args, check=False)
        _touch_everything(repo, markers, clear=False)
    assert set(_ran(markers)) == {"fsmonitor", "clean", "process", "external"}


def test_empty_filter_commands_disable_the_filters(hostile: tuple[GitRepo, Path]) -> None:
    """git 2.39: `-c filter.X.clean=` (and process, with required=false) turns filter X off."""
    repo, markers = hostile
    _touch_everything(repo, markers)
    repository = open_repository(repo.root)
    options = repository.read_config()
    for driver in ("evil", "long"):
        for setting in ("clean=", "smudge=", "process=", "required=false"):
            assert f"filter.{driver}.{setting}" in options
    for args in (["status", "--porcelain"], ["diff", "--no-ext-diff", "--no-textconv"],
                 ["ls-files", "-s"], ["hash-object", "content/readiness.yaml", "NOTES.md"]):
        done = subprocess.run(["git", *options, *args], cwd=repo.root, capture_output=True,
                              env=repo.env, check=False)
        assert done.returncode == 0, done.stderr
        assert _ran(markers) == [], args


def test_commit_honours_the_users_configuration(hostile: tuple[GitRepo, Path]) -> None:
    repo, markers = hostile
    # A real commit refreshes the index through fsmonitor and the filters: these scripts
    # are no working fsmonitor or filter, so they go; the hook stays.
    for section in ("core.fsmonitor", "filter.long.process", "filter.long.required"):
        repo.git("config", "--unset", section)
    _touch_everything(repo, markers)
    result = repo.run("commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert "hook" in _ran(markers)  # the pre-commit hook ran, as with `git commit`
