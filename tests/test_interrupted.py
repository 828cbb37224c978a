"""Interrupted runs: kill -9, SIGTERM and Ctrl-C at named steps of real readiness processes.

Each test stops a real process at a step (the READINESS_TEST_PAUSE_AT hook of
``readiness.files.faults``), kills it, then checks what a user would: git accepts the repository
(``git fsck``, ``git status``), nothing unrelated is lost, and the next run says what it
found and can put things right.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.cleanup import GitRepo, make_repo
from tests.support.processes import finish, start
from tests.support.sources import source_text

ARCHIVE = "docs/archive"
CLEANUP = ("cleanup", "--yes", "--include-untracked")


def _cleanup_repo(tmp_path: Path) -> GitRepo:
    """Tracked strays linking to each other, an untracked stray, a stray with unstaged
    changes, a document that links in, and unrelated work: one file staged, one changed and
    not staged."""
    repo = make_repo(tmp_path)
    repo.write("README.md", "# Project\n\nSee [notes](NOTES.md).\n")
    repo.write("NOTES.md", "# Notes\n\nThe [plan](PLAN.md) and the [guide](docs/guide.md).\n")
    repo.write("PLAN.md", "# Plan\n\nBack to [notes](NOTES.md).\n")
    repo.write("docs/guide.md", "# Guide\n\nRead [the notes](../NOTES.md).\n")
    repo.write("app.py", "print('app')\n")
    repo.write("staged.txt", "one\n")
    repo.write("IDEAS.md", "# Ideas\n")
    repo.commit()
    repo.write("IDEAS.md", "# Ideas\n\nMore, not staged.\n")
    repo.write("DRAFT.md", "# Draft\n\nSee [plan](PLAN.md).\n")
    repo.write("staged.txt", "two\n")
    repo.git("add", "staged.txt")
    repo.write("app.py", "print('changed, not staged')\n")
    return repo


def _git_accepts(repo: GitRepo) -> None:
    repo.git("fsck", "--no-progress", "--strict")
    repo.git("status")
    repo.git("diff", "--cached", "--stat")
    assert not (repo.root / ".git" / "index.lock").exists()


def _unrelated_intact(repo: GitRepo) -> None:
    assert repo.read("app.py") == "print('changed, not staged')\n"
    assert repo.git("show", ":staged.txt") == "two\n"


def _orphaned_git_finished(repo: GitRepo) -> None:
    """Wait for the `git update-index` a killed cleanup leaves running (in a session of its
    own, so the kill does not reach it): it ends once its input closes, releasing the lock."""
    deadline = time.monotonic() + 30
    while (repo.root / ".git" / "index.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _kill(process: subprocess.Popen[str], sig: int = signal.SIGKILL) -> tuple[int, str, str]:
    process.send_signal(sig)
    return finish(process)


@pytest.mark.parametrize("step", ["cleanup-manifest", "cleanup-moved", "cleanup-rewriting",
                                  "cleanup-staged"])
def test_cleanup_killed_is_refused_then_undone_exactly(tmp_path: Path, step: str) -> None:
    repo = _cleanup_repo(tmp_path)
    before = repo.snapshot()
    code, _, _ = _kill(start(repo.root, repo.env, *CLEANUP, pause_at=step))
    assert code == -signal.SIGKILL
    _git_accepts(repo)
    _unrelated_intact(repo)

    for again in (CLEANUP, ("cleanup", "--dry-run")):
        refused = repo.run(*again)
        assert refused.returncode == 5, refused.stderr
        assert refused.stderr.count("\n") == 1
        assert "an interrupted cleanup was found" in refused.stderr
        assert "readiness cleanup --undo" in refused.stderr

    shown = repo.run("cleanup", "--undo", "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert "interrupted" in shown.stdout
    undone = repo.run("cleanup", "--undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert repo.snapshot() == before
    _git_accepts(repo)

    redone = repo.run(*CLEANUP)  # and cleanup works again, from the start
    assert redone.returncode == 0, redone.stderr
    assert repo.read(f"{ARCHIVE}/NOTES.md").startswith("# Notes")


@pytest.mark.parametrize("recorded", [True, False])
def test_a_cleanup_killed_while_git_staged_a_move_half_is_undone_exactly(tmp_path: Path,
                                                                         recorded: bool) -> None:
    """Undo writes back the index entry the manifest recorded; a manifest written before
    entries were recorded has the file staged again (its text is as it was)."""
    repo = _cleanup_repo(tmp_path)
    before = repo.snapshot()
    _kill(start(repo.root, repo.env, *CLEANUP, pause_at="cleanup-moved"))
    _orphaned_git_finished(repo)
    # As git leaves the index when it had staged a source's removal and not yet the
    # rewritten file (what it was handed before the kill reaches the index).
    repo.git("update-index", "--remove", "--", "NOTES.md")
    assert repo.git("ls-files", "--", "NOTES.md", f"{ARCHIVE}/NOTES.md") == ""
    if not recorded:
        manifest = next((repo.root / ARCHIVE).glob(".readiness-cleanup-*.json"))
        data = json.loads(manifest.read_text())
        for move in data["moves"]:
            move.pop("index", None)
        manifest.write_text(json.dumps(data))
    undone = repo.run("cleanup", "--undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    assert repo.snapshot() == before
    _git_accepts(repo)


def test_undo_of_a_partial_cleanup_refuses_a_file_changed_since(tmp_path: Path) -> None:
    repo = _cleanup_repo(tmp_path)
    _kill(start(repo.root, repo.env, *CLEANUP, pause_at="cleanup-staged"))
    repo.write("docs/guide.md", "# Guide\n\nrewritten by hand\n")
    refused = repo.run("cleanup", "--undo", "--yes")
    assert refused.returncode == 4
    assert "docs/guide.md changed since the cleanup" in refused.stderr
    assert repo.read("docs/guide.md") == "# Guide\n\nrewritten by hand\n"


def test_undo_of_a_partial_cleanup_refuses_when_a_moved_name_is_taken_again(tmp_path: Path) -> None:
    repo = _cleanup_repo(tmp_path)
    _kill(start(repo.root, repo.env, *CLEANUP, pause_at="cleanup-moved"))
    repo.write("NOTES.md", "# a new file with the old name\n")
    refused = repo.run("cleanup", "--undo", "--yes")
    assert refused.returncode == 4
    assert f"both NOTES.md and {ARCHIVE}/NOTES.md exist" in refused.stderr
    assert repo.read("NOTES.md") == "# a new file with the old name\n"


def test_undo_killed_part_way_is_finished_by_the_next_undo(tmp_path: Path) -> None:
    repo = _cleanup_repo(tmp_path)
    before = repo.snapshot()
    assert repo.run(*CLEANUP).returncode == 0
    code, _, _ = _kill(start(repo.root, repo.env, "cleanup", "--undo", "--yes", pause_at="undo-moved"))
    assert code == -signal.SIGKILL
    _git_accepts(repo)
    refused = repo.run(*CLEANUP)
    assert refused.returncode == 5
    assert "cleanup --undo" in refused.stderr
    finished = repo.run("cleanup", "--undo", "--yes")
    assert finished.returncode == 0, finished.stderr
    assert repo.snapshot() == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
@pytest.mark.parametrize("step", ["cleanup-moved", "cleanup-rewriting", "cleanup-staged"])
def test_cleanup_stopped_by_a_signal_rolls_back_fully(tmp_path: Path, step: str, sig: int) -> None:
    repo = _cleanup_repo(tmp_path)
    before = repo.snapshot()
    code, _, err = _kill(start(repo.root, repo.env, *CLEANUP, pause_at=step), sig)
    assert code == 130
    assert "readiness: interrupted" in err
    assert "Traceback" not in err
    assert repo.snapshot() == before
    _git_accepts(repo)


# ---------------------------------------------------------------- build


def test_build_killed_leaves_every_page_old_or_new_and_the_next_build_tidies(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.write("content/readiness.yaml", source_text([{"id": "alpha"}, {"id": "beta"}]))
    repo.commit()
    pages = repo.root / "docs" / "readiness"
    first = repo.run("build")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in pages.iterdir()}
    repo.write("content/readiness.yaml", source_text([{"id": "alpha", "status": "done"}, {"id": "beta"}]))
    process = start(repo.root, repo.env, "build", pause_at="replace executive-summary.md")
    assert _kill(process)[0] == -signal.SIGKILL
    leftovers = _temporaries(pages)
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".executive-summary.md.")
    for name, data in before.items():  # written pages are new, the others still old: never half
        now = (pages / name).read_bytes()
        assert now == data or now.startswith(b"<!-- generated by readiness"), name
    assert (pages / "executive-summary.md").read_bytes() == before["executive-summary.md"]

    again = repo.run("build")
    assert again.returncode == 0, again.stderr
    assert f"removed {pages / leftovers[0]}, left by an interrupted build" in again.stderr
    assert _temporaries(pages) == []
    assert repo.run("build", "--check").returncode == 0
    _git_accepts(repo)


# ---------------------------------------------------------------- mark


MARK_SOURCE = source_text([{"id": "alpha"}, {"id": "beta"}])


def _mark_repo(tmp_path: Path) -> GitRepo:
    repo = make_repo(tmp_path)
    repo.write("content/readiness.yaml", MARK_SOURCE)
    repo.commit()
    return repo


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_mark_killed_leaves_the_old_file_and_the_next_run_removes_its_temporary(tmp_path: Path) -> None:
    repo = _mark_repo(tmp_path)
    source = repo.root / "content" / "readiness.yaml"
    old = source.read_bytes()
    process = start(repo.root, repo.env, "mark", "alpha", "done", pause_at="replace readiness.yaml")
    assert _temporaries(source.parent)  # the new text is written beside the file, not over it
    assert _kill(process)[0] == -signal.SIGKILL
    assert source.read_bytes() == old  # the old bytes, whole
    leftovers = _temporaries(source.parent)
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".readiness.yaml.")
    (source.parent / ".notes.tmp").write_text("not ours")

    again = repo.run("mark", "alpha", "done")
    assert again.returncode == 0, again.stderr
    assert "left by an interrupted run" in again.stderr
    assert leftovers[0] in again.stderr
    assert _temporaries(source.parent) == [".notes.tmp"]  # only ours are removed
    assert b"status: done" in source.read_bytes() or b'"status": "done"' in source.read_bytes()
    _git_accepts(repo)


def test_mark_killed_at_any_moment_leaves_old_or_new_bytes(tmp_path: Path) -> None:
    repo = _mark_repo(tmp_path)
    source = repo.root / "content" / "readiness.yaml"
    old = source.read_bytes()
    new = None
    for delay in (0.05, 0.15, 0.3, 0.45, 0.6, 0.9):
        source.write_bytes(old)
        process = start(repo.root, repo.env, "mark", "alpha", "done")
        time.sleep(delay)
        process.kill()
        finish(process)
        data = source.read_bytes()
        if data != old:
            new = new or data
            assert data == new
            assert b"done" in data
    repo.run("mark", "alpha", "pending")  # the next run tidies whatever a kill left
    assert not _temporaries(source.parent)


# ---------------------------------------------------------------- verify


def test_verify_killed_while_writing_evidence_keeps_the_file_whole(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.write("content/readiness.yaml", source_text(
        [{"id": "alpha", "status": "done", "verify": ["true"]},
         {"id": "beta", "status": "done", "verify": ["true"]}]))
    repo.commit()
    evidence = repo.root / "content" / "evidence.yaml"
    assert repo.run("verify", "--yes", "alpha").returncode == 0
    old = evidence.read_bytes()
    process = start(repo.root, repo.env, "verify", "--yes", "beta", pause_at="replace evidence.yaml")
    assert _kill(process)[0] == -signal.SIGKILL
    assert evidence.read_bytes() == old
    assert len(_temporaries(evidence.parent)) == 1
    again = repo.run("verify", "--yes", "beta")
    assert again.returncode == 0, again.stderr
    assert "left by an interrupted run" in again.stderr
    assert not _temporaries(evidence.parent)
    text = evidence.read_text()
    assert "alpha:" in text
    assert "beta:" in text


# ---------------------------------------------------------------- commit


def _commit_repo(tmp_path: Path, hook: str | None = None) -> GitRepo:
    repo = make_repo(tmp_path)
    repo.git("config", "user.name", "Test")
    repo.git("config", "user.email", "test@example.com")
    repo.write("content/readiness.yaml", MARK_SOURCE)
    repo.write("app.py", "print('app')\n")
    repo.write("staged.txt", "one\n")
    repo.write("IDEAS.md", "# Ideas\n")
    repo.commit()
    repo.write("IDEAS.md", "# Ideas\n\nMore, not staged.\n")
    repo.write("content/readiness.yaml", MARK_SOURCE.replace('"status": "pending"', '"status": "done"', 1))
    repo.write("staged.txt", "two\n")
    repo.git("add", "staged.txt")
    repo.write("app.py", "print('changed, not staged')\n")
    if hook is not None:
        path = repo.root / ".git" / "hooks" / "pre-commit"
        path.write_text(hook)
        path.chmod(0o755)
    return repo


def test_commit_killed_before_git_commit_says_what_it_found(tmp_path: Path) -> None:
    repo = _commit_repo(tmp_path)
    head = repo.git("rev-parse", "HEAD")
    process = start(repo.root, repo.env, "commit", "--yes", pause_at="commit-message-saved")
    assert _kill(process)[0] == -signal.SIGKILL
    _git_accepts(repo)
    _unrelated_intact(repo)
    assert repo.git("rev-parse", "HEAD") == head
    shown = repo.run("commit", "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert ".git/READINESS_COMMIT_MSG holds the message of an earlier commit" in shown.stdout
    done = repo.run("commit", "--yes")
    assert done.returncode == 0, done.stderr
    assert repo.git("diff", "--name-only", "HEAD~1", "HEAD").split() == ["content/readiness.yaml"]
    _unrelated_intact(repo)
    assert not (repo.root / ".git" / "READINESS_COMMIT_MSG").exists()


@pytest.mark.parametrize("whole_group", [False, True])
def test_commit_killed_while_git_commits(tmp_path: Path, whole_group: bool) -> None:
    marker = tmp_path / "hook-started"
    repo = _commit_repo(tmp_path, hook=f"#!/bin/sh\ntouch '{marker}'\nsleep 1\nexit 0\n")
    process = start(repo.root, repo.env, "commit", "--yes")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline
        assert process.poll() is None
        time.sleep(0.01)
    if whole_group:  # python, git and the hook: git cannot clean up after itself
        os.killpg(process.pid, signal.SIGKILL)
    else:  # python only: git carries on alone
        process.kill()
    finish(process)
    time.sleep(1.5)  # let an orphaned git finish
    repo.git("fsck", "--no-progress", "--strict")
    repo.git("status")
    _unrelated_intact(repo)
    again = repo.run("commit", "--yes")
    if (repo.root / ".git" / "index.lock").exists():
        assert again.returncode == 5
        assert "index.lock" in again.stderr
        assert again.stderr.count("\n") == 1
        (repo.root / ".git" / "index.lock").unlink()  # what the message tells the user to do
        again = repo.run("commit", "--yes")
    assert again.returncode == 0, again.stderr
    assert "Nothing to commit" in again.stdout or "done" in repo.git("show", "HEAD:content/readiness.yaml")
    assert '"status": "done"' in repo.git("show", "HEAD:content/readiness.yaml")
    _unrelated_intact(repo)
    assert repo.git("status", "--porcelain", "--", "content").strip() == ""


def test_commit_refuses_while_a_cleanup_is_interrupted(tmp_path: Path) -> None:
    repo = _commit_repo(tmp_path)
    repo.write("OLD_NOTES.md", "# old\n")
    repo.git("add", "OLD_NOTES.md")
    _kill(start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-moved"))
    refused = repo.run("commit", "--yes")
    assert refused.returncode == 5
    assert "interrupted cleanup" in refused.stderr
    assert "cleanup --undo" in refused.stderr
    manifests = list((repo.root / ARCHIVE).glob(".readiness-cleanup-*.json"))
    assert json.loads(manifests[0].read_text())["state"] == "applying"
