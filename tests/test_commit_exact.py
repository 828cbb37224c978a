"""`readiness commit` commits exactly what it showed, also when the repository changes meanwhile.

Real repositories, real processes: another process staging files while a commit runs, the
source edited while the question is on a pseudo-terminal, signals while a slow hook runs.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import drain_terminal
from tests.support.commit import BASE, SOURCE, edit, make_repo, readiness
from tests.support.git import committed_files, git, isolate
from tests.support.processes import finish, start

DONE = edit(BASE, "rate-limit", "status", "done")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(tmp_path, monkeypatch)
    return make_repo(tmp_path / "repo")



def index_state(repo: Path) -> str:
    """Every index entry, intent-to-add entries told apart."""
    return git(repo, "ls-files", "--stage", "--debug") + git(repo, "diff", "--cached", "--name-status")


# ---------------------------------------------------------------- staged by someone else


def test_a_file_staged_by_another_process_after_the_plan_is_not_committed(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    process = start(repo, dict(os.environ), "commit", "--yes", pause_at="commit-message-saved",
                    pause_seconds=1.5)
    (repo / "notes.txt").write_text("staged by someone else\n")
    git(repo, "add", "notes.txt")
    code, _out, err = finish(process)
    assert code == 0, err
    assert committed_files(repo) == [SOURCE]
    assert git(repo, "diff", "--cached", "--name-only") == "notes.txt\n"
    assert git(repo, "status", "--porcelain", "--", "content") == ""


def test_every_kind_of_other_staged_work_stays_staged_and_out_of_the_commit(repo: Path) -> None:
    git(repo, "rm", "-q", "app.py")  # a staged deletion
    (repo / "notes.txt").write_text("staged change\n")
    (repo / "new.txt").write_text("new and staged\n")
    (repo / "intent.txt").write_text("intent to add\n")
    git(repo, "add", "notes.txt", "new.txt")
    git(repo, "add", "-N", "intent.txt")
    git(repo, "update-index", "--chmod=+x", "src/audit.py")  # a staged mode change
    (repo / SOURCE).write_text(DONE)
    staged = git(repo, "diff", "--cached", "--name-status")
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert committed_files(repo) == [SOURCE]
    assert git(repo, "diff", "--cached", "--name-status") == staged
    assert git(repo, "ls-files", "--debug", "--", "intent.txt").count("intent.txt") == 1
    assert git(repo, "status", "--porcelain", "--", "content") == ""


def test_a_concurrent_stager_never_gets_into_a_commit(repo: Path) -> None:
    stager = subprocess.Popen(
        ["sh", "-c", "i=0; while [ $i -lt 400 ]; do echo $i > notes.txt; git add notes.txt 2>/dev/null; "
                     "i=$((i+1)); done"], cwd=repo)
    made = 0
    try:
        for round_ in range(12):
            text = DONE if round_ % 2 == 0 else BASE
            (repo / SOURCE).write_text(text)
            before = git(repo, "rev-parse", "HEAD")
            result = readiness(repo, "commit", "--yes")
            if result.returncode == 0 and git(repo, "rev-parse", "HEAD") != before:
                made += 1
                assert committed_files(repo) == [SOURCE]
            elif result.returncode == 0:  # the source was back as at HEAD: nothing to commit
                assert "nothing to commit" in (result.stdout + result.stderr).lower()
            else:  # the other process held the index lock at the wrong moment: refused, one line
                assert result.returncode == 5, result.stderr
                assert "index.lock" in result.stderr
    finally:
        stager.wait(timeout=120)
    assert made >= 1
    for rev in git(repo, "rev-list", "HEAD~1..HEAD").split():
        assert "notes.txt" not in committed_files(repo, rev)
    assert git(repo, "log", "--format=%H", "--", "notes.txt").count("\n") == 1  # the first commit


def test_with_nothing_else_staged_the_committed_index_becomes_the_users(repo: Path) -> None:
    """The shortcut: the index the commit was made from takes the user's index's place. The
    user's index then says what HEAD says for the committed paths, keeps unstaged work unstaged,
    and the index git keeps for the commit is gone."""
    (repo / SOURCE).write_text(DONE)
    (repo / "notes.txt").write_text("unstaged work\n")
    inode = (repo / ".git" / "index").stat().st_ino
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert committed_files(repo) == [SOURCE]
    assert (repo / ".git" / "index").stat().st_ino != inode  # replaced, as git replaces it
    assert git(repo, "diff", "--cached", "--name-only") == ""
    assert git(repo, "status", "--porcelain") == " M notes.txt\n"
    assert sorted(p.name for p in (repo / ".git").iterdir() if p.name.startswith(("readiness-commit", "index."))
                  ) == []


def test_what_a_hook_stages_in_the_users_index_during_the_commit_stays_staged(repo: Path) -> None:
    """The user's index changed while git commit ran (a hook, or another terminal, staged a file
    in it): the committed index must not take its place, or what was staged would be lost."""
    (repo / SOURCE).write_text(DONE)
    (repo / "later.txt").write_text("staged while the commit ran\n")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nenv -u GIT_INDEX_FILE git add later.txt\n")
    hook.chmod(0o755)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert committed_files(repo) == [SOURCE]
    assert git(repo, "diff", "--cached", "--name-only") == "later.txt\n"
    assert git(repo, "status", "--porcelain", "--", "content") == ""


# ---------------------------------------------------------------- edited during the question


def _on_terminal(repo: Path, args: list[str], while_asking: object, answer: str) -> tuple[int, str]:
    """Run readiness on a pseudo-terminal; once it asks, call WHILE_ASKING, then type ANSWER."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=repo, stdin=follower,
                               stdout=follower, stderr=follower, env={**os.environ, "TERM": "dumb"})
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in output:
        assert time.monotonic() < deadline, output
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            output += os.read(leader, 65536)
    while_asking()  # type: ignore[operator]
    os.write(leader, answer.encode())
    output += drain_terminal(leader, process)
    return process.returncode, output.decode()


@pytest.mark.parametrize("edited", ["invalid", "valid"])
def test_a_source_edited_while_asking_is_refused(repo: Path, edited: str) -> None:
    (repo / SOURCE).write_text(DONE)
    before = git(repo, "rev-parse", "HEAD")
    index = index_state(repo)
    later = DONE + ("tasks: [oops\n" if edited == "invalid" else "# a comment added\n")
    code, output = _on_terminal(repo, ["commit"], lambda: (repo / SOURCE).write_text(later), "y\n")
    assert code == 4, output
    assert "changed since" in output
    assert "Traceback" not in output
    assert git(repo, "rev-parse", "HEAD") == before
    assert index_state(repo) == index
    assert (repo / SOURCE).read_text() == later
    assert not (repo / ".git" / "index.lock").exists()


def test_a_deliverable_edited_while_asking_is_refused(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    before = git(repo, "rev-parse", "HEAD")
    code, output = _on_terminal(
        repo, ["commit"], lambda: (repo / "src" / "rate_limit.py").write_text("LIMIT = 99\n"), "y\n")
    assert code == 4, output
    assert "src/rate_limit.py changed since" in output
    assert git(repo, "rev-parse", "HEAD") == before


def test_a_commit_made_elsewhere_while_asking_is_refused(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)

    def commit_elsewhere() -> None:
        (repo / "notes.txt").write_text("committed meanwhile\n")
        git(repo, "add", "notes.txt")
        git(repo, "commit", "-qm", "chore: meanwhile")

    code, output = _on_terminal(repo, ["commit"], commit_elsewhere, "y\n")
    assert code == 4, output
    assert "HEAD moved since the plan was shown" in output
    assert git(repo, "log", "-1", "--format=%s") == "chore: meanwhile\n"
    assert git(repo, "status", "--porcelain") == " M content/readiness.yaml\n"


def test_a_file_deleted_while_asking_is_refused(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    code, output = _on_terminal(repo, ["commit"], (repo / "src" / "rate_limit.py").unlink, "y\n")
    assert code == 4, output
    assert "src/rate_limit.py changed since" in output
    assert git(repo, "status", "--porcelain", "--", "src") == ""


# ---------------------------------------------------------------- signals during git commit


def _slow_hook(repo: Path, marker: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 30\nexit 0\n")
    hook.chmod(0o755)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
@pytest.mark.parametrize("other_staged", [False, True], ids=["alone", "other-staged"])
def test_a_signal_while_a_hook_runs_leaves_the_repository_usable(repo: Path, tmp_path: Path,
                                                                 sig: int, other_staged: bool) -> None:
    marker = tmp_path / "hook-started"
    _slow_hook(repo, marker)
    (repo / SOURCE).write_text(DONE)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")  # new: untracked until committed
    if other_staged:
        (repo / "notes.txt").write_text("mine\n")
        git(repo, "add", "notes.txt")
    before, index = git(repo, "rev-parse", "HEAD"), index_state(repo)
    status = git(repo, "status", "--porcelain")
    process = start(repo, dict(os.environ), "commit", "--yes")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    started = time.monotonic()
    process.send_signal(sig)
    code, _out, err = finish(process)
    assert time.monotonic() - started < 20  # the hook was stopped, not waited for
    assert code == 130, err
    assert err.strip().splitlines()[-1].startswith("readiness: interrupted")
    assert "Traceback" not in err
    assert not (repo / ".git" / "index.lock").exists()
    git(repo, "status")
    assert git(repo, "rev-parse", "HEAD") == before
    assert index_state(repo) == index
    assert git(repo, "status", "--porcelain") == status
    assert not [p.name for p in (repo / ".git").iterdir() if p.name.startswith("readiness-commit")]
    (repo / ".git" / "hooks" / "pre-commit").unlink()
    again = readiness(repo, "commit", "--yes")
    assert again.returncode == 0, again.stderr
    assert committed_files(repo) == [SOURCE, "src/rate_limit.py"]
