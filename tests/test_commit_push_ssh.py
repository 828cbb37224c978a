"""`readiness commit --push` without a terminal uses the ssh command the user configured.

A local bare repository is served over a fake ssh: a script that logs how it was called and
runs the git command it is asked for (``git-receive-pack 'PATH'``) locally.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.support.commit import BASE, SOURCE, edit, make_repo, readiness
from tests.support.git import git, isolate

DONE = edit(BASE, "rate-limit", "status", "done")

FAKE_SSH = """#!/bin/sh
# A stand-in for ssh: log the call, then run the remote command here.
echo "$0 $*" >> '{log}'
for last; do :; done
exec sh -c "$last"
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(tmp_path, monkeypatch)
    return make_repo(tmp_path / "repo")


def _fake_ssh(tmp_path: Path, name: str) -> tuple[Path, Path]:
    log = tmp_path / f"{name}.log"
    script = tmp_path / name
    script.write_text(FAKE_SSH.format(log=log))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _ssh_remote(repo: Path, tmp_path: Path, url_form: str) -> Path:
    """A bare remote reached as ssh://deploy-host/PATH or deploy-host:PATH, tracked by main."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, "push", "-q", str(remote), "main")
    url = f"ssh://deploy-host{remote}" if url_form == "url" else f"deploy-host:{remote}"
    git(repo, "remote", "add", "origin", url)
    git(repo, "config", "branch.main.remote", "origin")
    git(repo, "config", "branch.main.merge", "refs/heads/main")
    return remote


@pytest.mark.parametrize("url_form", ["url", "scp"])
@pytest.mark.parametrize("how", ["core.sshCommand", "GIT_SSH", "GIT_SSH_COMMAND"])
def test_push_uses_the_configured_ssh_command(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              how: str, url_form: str) -> None:
    remote = _ssh_remote(repo, tmp_path, url_form)
    script, log = _fake_ssh(tmp_path, "deploy-ssh")
    if how == "core.sshCommand":
        git(repo, "config", "core.sshCommand", str(script))
    else:
        monkeypatch.setenv(how, str(script))
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 0, result.stderr
    assert git(remote, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")
    calls = log.read_text().splitlines()  # git may first ask `CMD -G HOST` what kind of ssh it is
    assert [call for call in calls if "git-receive-pack" in call]
    assert all(call.startswith(f"{script} ") for call in calls)
    assert not [call for call in calls if "BatchMode" in call]  # the user's command, as written


def test_push_without_any_ssh_configuration_runs_ssh_in_batch_mode(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ssh_remote(repo, tmp_path, "url")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _, log = _fake_ssh(bin_dir, "ssh")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 0, result.stderr
    assert "BatchMode=yes" in log.read_text()
