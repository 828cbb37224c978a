"""`readiness cleanup --undo` trusts nothing it reads and stops only whole; cleanup keeps
modes and writes links that read as paths. Real repositories and real processes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
from pathlib import Path

import pytest

from tests.support.cleanup import GitRepo, make_repo
from tests.support.processes import finish, start
from tests.test_cleanup import ARCHIVE, assert_one_line_error, cleanup, tags


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return make_repo(tmp_path)


def short_status(repo: GitRepo) -> list[str]:
    return sorted(repo.git("status", "--short", "--untracked-files=no").splitlines())


# ---------------------------------------------------------------- a manifest from elsewhere


def _hostile_manifest(repo: GitRepo, moves: list[dict[str, object]], rewrites: list[dict[str, object]]) -> None:
    (repo.root / ARCHIVE).mkdir(parents=True, exist_ok=True)
    (repo.root / ARCHIVE / ".readiness-cleanup-20990101T000000000000Z.json").write_text(json.dumps(
        {"tool": "readiness cleanup", "version": 1, "state": "applied", "moves": moves,
         "rewrites": rewrites, "created_folders": []}))


@pytest.mark.parametrize("path", ["../victim.txt", "/tmp/victim.txt", "docs/../../victim.txt",
                                  "docs/./x.md", ".git/hooks/pre-commit", "a/.GIT/x.md"])
def test_undo_refuses_a_manifest_that_names_a_path_outside_the_repository(repo: GitRepo, path: str) -> None:
    victim = repo.root.parent / "victim.txt"
    victim.write_text("default config\n")
    repo.write("README.md", "# R\n")
    repo.commit()
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    _hostile_manifest(repo, [], [{"path": path, "original_path": path, "count": 1,
                                  "before": "overwritten\n", "sha256": digest}])
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--undo", "--yes"), 1, "not a plain path inside the repository")
    assert victim.read_text() == "default config\n"
    assert repo.snapshot() == before


def test_undo_refuses_a_manifest_move_from_outside(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n")
    repo.write(f"{ARCHIVE}/evil.md", "attacker's text\n")
    repo.commit()
    digest = hashlib.sha256(b"attacker's text\n").hexdigest()
    _hostile_manifest(repo, [{"from": "../PWNED.txt", "to": f"{ARCHIVE}/evil.md", "tracked": False,
                              "sha256": digest}], [])
    assert_one_line_error(repo.run("cleanup", "--undo", "--yes"), 1, "'../PWNED.txt'")
    assert not (repo.root.parent / "PWNED.txt").exists()


def test_undo_does_not_write_through_a_symlinked_folder(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "guide.md").write_text("theirs\n")
    repo.write("README.md", "# R\n")
    repo.commit()
    (repo.root / "docs").symlink_to(outside)
    digest = hashlib.sha256(b"theirs\n").hexdigest()
    _hostile_manifest(repo, [], [{"path": "docs/guide.md", "original_path": "docs/guide.md", "count": 1,
                                  "before": "overwritten\n", "sha256": digest}])
    result = repo.run("cleanup", "--undo", "--yes")
    assert result.returncode == 5, result.stderr
    assert (outside / "guide.md").read_text() == "theirs\n"


# ---------------------------------------------------------------- an undo stopped part way


def _flagged_repo(tmp_path: Path) -> GitRepo:
    """Strays linked from the README, one assume-unchanged, one intent-to-add."""
    repo = make_repo(tmp_path)
    repo.write("README.md", "# R\n[n](NOTES.md) [p](PLAN.md)\n")
    repo.write("NOTES.md", "notes\n")
    repo.write("PLAN.md", "[n](NOTES.md)\n")
    repo.commit()
    repo.git("update-index", "--assume-unchanged", "PLAN.md")
    repo.write("DRAFT.md", "draft\n")
    repo.git("add", "--intent-to-add", "DRAFT.md")
    return repo


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("step", ["undo-indexed", "undo-staged"])
def test_undo_stopped_by_a_signal_puts_the_cleanup_back_whole(tmp_path: Path, step: str, sig: int) -> None:
    repo = _flagged_repo(tmp_path)
    before = repo.snapshot()
    cleanup(repo, "--yes")
    cleaned = repo.snapshot()
    process = start(repo.root, repo.env, "cleanup", "--undo", "--yes", pause_at=step)
    os.killpg(process.pid, sig)  # as a terminal sends Ctrl-C: to the whole process group
    code, _, err = finish(process)
    assert code == 130, err
    assert "Traceback" not in err
    assert repo.snapshot() == cleaned  # the manifest, the folders, every file and the index
    assert not (repo.root / ".git" / "index.lock").exists()
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before


def test_an_undo_killed_before_it_set_the_flags_again_is_finished_with_them(tmp_path: Path) -> None:
    repo = _flagged_repo(tmp_path)
    before = repo.snapshot()
    cleanup(repo, "--yes")
    process = start(repo.root, repo.env, "cleanup", "--undo", "--yes", pause_at="undo-indexed")
    process.send_signal(signal.SIGKILL)
    finish(process)
    assert tags(repo)["PLAN.md"] == "H"  # the entry is back, its flag not yet
    cleanup(repo, "--undo", "--yes")
    assert tags(repo)["PLAN.md"] == "h"
    assert " A DRAFT.md" in repo.git("status", "--short").splitlines()
    assert repo.snapshot() == before


def test_a_ctrl_c_to_the_whole_group_while_git_stages_leaves_no_lock(tmp_path: Path) -> None:
    repo = _flagged_repo(tmp_path)
    before = repo.snapshot()
    process = start(repo.root, repo.env, "cleanup", "--yes", pause_at="cleanup-moved")
    os.killpg(process.pid, signal.SIGINT)  # git runs apart: it finishes, then cleanup rolls back
    code, _, err = finish(process)
    assert code == 130, err
    assert not (repo.root / ".git" / "index.lock").exists()
    assert repo.snapshot() == before


def test_undo_of_a_committed_manifest_stages_its_removal(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n[n](NOTES.md)\n")
    repo.write("NOTES.md", "notes\n")
    repo.commit()
    cleanup(repo, "--yes")
    repo.git("add", ARCHIVE)
    repo.commit("archived, with the manifest")
    cleanup(repo, "--undo", "--yes")
    status = short_status(repo)
    assert any(line.startswith("D  docs/archive/.readiness-cleanup-") for line in status), status
    assert not any(line.startswith(" D") for line in status), status


# ---------------------------------------------------------------- modes and link text


def test_an_unstaged_mode_change_stays_unstaged(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n")
    repo.write("NOTES.md", "notes\n")
    repo.commit()
    (repo.root / "NOTES.md").chmod(0o755)
    before = repo.snapshot()
    assert f"NOTES.md -> {ARCHIVE}/NOTES.md  [tracked, unstaged changes kept]" in cleanup(repo, "--dry-run")
    cleanup(repo, "--yes")
    assert repo.git("ls-files", "-s", f"{ARCHIVE}/NOTES.md").startswith("100644 ")
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before


def test_a_document_to_rewrite_with_an_unstaged_mode_change_is_refused(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n[n](NOTES.md)\n")
    repo.write("NOTES.md", "notes\n")
    repo.commit()
    (repo.root / "README.md").chmod(0o755)
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--yes"), 4, "README.md: stage or stash them")
    assert repo.snapshot() == before
    repo.git("config", "core.filemode", "false")  # git reads no modes from the disk: no change
    cleanup(repo, "--yes")
    assert repo.git("ls-files", "-s", "README.md").startswith("100644 ")


def test_a_rewritten_link_never_reads_as_a_url_scheme(repo: GitRepo) -> None:
    repo.write(f"{ARCHIVE}/c:y.md", "other\n")
    repo.write("NOTES.md", f"[y]({ARCHIVE}/c:y.md)\n")
    repo.commit()
    cleanup(repo, "--yes")
    assert repo.read(f"{ARCHIVE}/NOTES.md") == "[y](./c:y.md)\n"
