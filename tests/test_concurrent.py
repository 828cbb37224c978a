"""Two runs at once, as real processes: the second waits for the readiness lock, then either
refuses with one line (exit 5) or runs after the first and finds the work done. Either way
nothing is corrupted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cleanup import GitRepo, make_repo
from tests.support.processes import finish, start
from tests.support.sources import source_text

ARCHIVE = "docs/archive"


def _strays(tmp_path: Path) -> GitRepo:
    repo = make_repo(tmp_path)
    repo.git("config", "user.name", "Test")
    repo.git("config", "user.email", "test@example.com")
    repo.write("content/readiness.yaml", source_text([{"id": "alpha"}, {"id": "beta"}]))
    repo.write("NOTES.md", "# Notes\n\nSee [plan](PLAN.md).\n")
    repo.write("PLAN.md", "# Plan\n\nBack to [notes](NOTES.md).\n")
    repo.commit()
    return repo


def _applied_once(repo: GitRepo) -> None:
    repo.git("fsck", "--no-progress", "--strict")
    manifests = sorted((repo.root / ARCHIVE).glob(".readiness-cleanup-*.json"))
    assert len(manifests) == 1
    assert json.loads(manifests[0].read_text())["state"] == "applied"
    assert sorted(p.name for p in (repo.root / ARCHIVE).glob("*.md")) == ["NOTES.md", "PLAN.md"]
    assert repo.read(f"{ARCHIVE}/NOTES.md") == "# Notes\n\nSee [plan](PLAN.md).\n"
    assert not (repo.root / "NOTES.md").exists()


def test_second_cleanup_refuses_while_the_first_runs(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    first = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-moved", pause_seconds=2)
    second = start(repo.root, repo.env, "cleanup", "--yes", lock_wait=0.3)
    code, _, err = finish(second)
    assert code == 5
    assert err.count("\n") == 1
    assert "another readiness command (cleanup, process" in err
    assert finish(first)[0] == 0
    _applied_once(repo)


def test_second_cleanup_waits_then_finds_nothing_to_do(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    first = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-staged",
                  pause_seconds=1)
    second = start(repo.root, repo.env, "cleanup", "--yes", lock_wait=60)
    code, out, err = finish(second)
    assert code == 0, err
    assert "Nothing to archive" in out
    assert finish(first)[0] == 0
    _applied_once(repo)


def test_mark_during_mark_keeps_both_changes(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    source = repo.root / "content" / "readiness.yaml"
    first = start(repo.root, repo.env, "mark", "alpha", "done", pause_at="replace readiness.yaml",
                  pause_seconds=1)
    second = start(repo.root, repo.env, "mark", "beta", "blocked", lock_wait=60)
    assert finish(second)[0] == 0
    assert finish(first)[0] == 0
    tasks = {t["id"]: t["status"] for t in json.loads(source.read_text())["tasks"]}
    assert tasks == {"alpha": "done", "beta": "blocked"}


def test_mark_during_mark_refuses_after_the_wait(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    source = repo.root / "content" / "readiness.yaml"
    first = start(repo.root, repo.env, "mark", "alpha", "done", pause_at="replace readiness.yaml",
                  pause_seconds=2)
    code, _, err = finish(start(repo.root, repo.env, "mark", "beta", "blocked", lock_wait=0.2))
    assert code == 5
    assert "mark did not start" in err
    assert finish(first)[0] == 0
    tasks = {t["id"]: t["status"] for t in json.loads(source.read_text())["tasks"]}
    assert tasks == {"alpha": "done", "beta": "pending"}


def test_commit_during_cleanup_waits_and_commits_what_cleanup_staged(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    first = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-staged", pause_seconds=1)
    code, out, err = finish(start(repo.root, repo.env, "commit", "--yes", lock_wait=60))
    assert code == 0, err
    assert finish(first)[0] == 0
    _applied_once(repo)
    committed = repo.git("show", "--name-status", "--format=", "HEAD")
    assert f"{ARCHIVE}/NOTES.md" in committed
    assert repo.git("status", "--porcelain").strip() == ""
    assert "archive" in out.lower()


def test_commit_during_cleanup_refuses_after_the_wait(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    head = repo.git("rev-parse", "HEAD")
    first = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-moved", pause_seconds=2)
    code, _, err = finish(start(repo.root, repo.env, "commit", "--yes", lock_wait=0.2))
    assert code == 5
    assert "commit did not start" in err
    assert finish(first)[0] == 0
    assert repo.git("rev-parse", "HEAD") == head
    _applied_once(repo)


def test_verify_during_verify_keeps_both_results(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.write("content/readiness.yaml", source_text(
        [{"id": "alpha", "status": "done", "verify": ["true"]},
         {"id": "beta", "status": "done", "verify": ["true"]}]))
    repo.commit()
    first = start(repo.root, repo.env, "verify", "--yes", "alpha", pause_at="replace evidence.yaml",
                  pause_seconds=1)
    second = start(repo.root, repo.env, "verify", "--yes", "beta", lock_wait=60)
    assert finish(second)[0] == 0
    assert finish(first)[0] == 0
    text = repo.read("content/evidence.yaml")
    assert "  alpha:\n" in text
    assert "  beta:\n" in text


def test_badge_waits_for_the_lock(tmp_path: Path) -> None:
    repo = _strays(tmp_path)
    holder = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-moved", pause_seconds=2)
    code, _, err = finish(start(repo.root, repo.env, "badge", lock_wait=0.2))
    assert code == 5
    assert "badge did not start" in err
    assert finish(holder)[0] == 0
    assert not (repo.root / "docs" / "readiness.svg").exists()
