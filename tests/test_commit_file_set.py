"""Which files `readiness commit` takes: the readiness state, and nothing the user did not ask for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.commit import BASE, SOURCE, edit, make_repo, readiness
from tests.support.git import committed_files, git, isolate

DONE = edit(BASE, "rate-limit", "status", "done")
EVIDENCE = "content/evidence.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(tmp_path, monkeypatch)
    return make_repo(tmp_path / "repo")



def _commit(repo: Path) -> None:
    done = readiness(repo, "commit", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Nothing to commit" not in done.stdout, done.stdout


# ---------------------------------------------------------------- evidence


def test_the_evidence_file_written_by_verify_is_committed(repo: Path) -> None:
    source = edit(BASE, "audit-log", "deliverables", "[src/audit.py]\n    verify: ['true']")
    (repo / SOURCE).write_text(source)
    git(repo, "commit", "-qam", "chore: verify command")
    ran = readiness(repo, "verify", "--yes")
    assert ran.returncode == 0, ran.stderr
    assert (repo / EVIDENCE).exists()
    shown = readiness(repo, "commit", "--dry-run")
    assert f"A {EVIDENCE}" in shown.stdout, shown.stdout
    _commit(repo)
    assert committed_files(repo) == [EVIDENCE]
    assert git(repo, "status", "--porcelain", "--", "content") == ""
    again = readiness(repo, "verify", "--yes")  # a second run changes the times: M
    assert again.returncode == 0
    _commit(repo)
    assert committed_files(repo) == [EVIDENCE]


def test_a_deleted_evidence_file_is_committed_as_deleted(repo: Path) -> None:
    (repo / EVIDENCE).write_text("version: 1\ntasks: {}\n")
    git(repo, "add", EVIDENCE)
    git(repo, "commit", "-qm", "chore: evidence")
    (repo / EVIDENCE).unlink()
    shown = readiness(repo, "commit", "--dry-run")
    assert f"D {EVIDENCE}" in shown.stdout, shown.stdout + shown.stderr
    _commit(repo)
    assert committed_files(repo) == [EVIDENCE]
    assert git(repo, "status", "--porcelain") == ""


def test_an_ignored_evidence_file_is_left_alone(repo: Path) -> None:
    (repo / ".gitignore").write_text("content/evidence.yaml\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-qm", "chore: ignore evidence")
    (repo / EVIDENCE).write_text("version: 1\ntasks: {}\n")
    (repo / SOURCE).write_text(DONE)
    _commit(repo)
    assert committed_files(repo) == [SOURCE]


# ---------------------------------------------------------------- cleanup


def _strays(repo: Path) -> None:
    (repo / "README.md").write_text("# Project\n\nSee [notes](NOTES.md).\n")
    (repo / "NOTES.md").write_text("# Notes\n")
    git(repo, "add", "README.md", "NOTES.md")
    git(repo, "commit", "-qm", "chore: notes")
    (repo / "SCRATCH.md").write_text("# Untracked scratch\n")


def test_an_untracked_stray_moved_by_cleanup_stays_untracked(repo: Path) -> None:
    _strays(repo)
    moved = readiness(repo, "cleanup", "--yes", "--include-untracked")
    assert moved.returncode == 0, moved.stderr
    assert (repo / "docs/archive/SCRATCH.md").exists()
    shown = readiness(repo, "commit", "--dry-run")
    assert "SCRATCH" not in shown.stdout
    _commit(repo)
    files = committed_files(repo)
    assert "docs/archive/NOTES.md" in files
    assert "NOTES.md" in files
    assert not [f for f in files if "SCRATCH" in f]
    assert git(repo, "status", "--porcelain", "--", "docs/archive/SCRATCH.md") == "?? docs/archive/SCRATCH.md\n"


def test_the_undo_of_a_committed_cleanup_is_offered_for_commit(repo: Path) -> None:
    _strays(repo)
    assert readiness(repo, "cleanup", "--yes", "--include-untracked").returncode == 0
    _commit(repo)
    undone = readiness(repo, "cleanup", "--undo", "--yes")
    assert undone.returncode == 0, undone.stderr
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert "NOTES.md" in staged
    shown = readiness(repo, "commit", "--dry-run")
    assert "Nothing to commit" not in shown.stdout, shown.stdout
    _commit(repo)
    files = committed_files(repo)
    assert {"NOTES.md", "docs/archive/NOTES.md", "README.md"} <= set(files)
    assert [f for f in files if ".readiness-cleanup-" in f]
    assert not [f for f in files if "SCRATCH" in f]
    assert git(repo, "diff", "--cached", "--name-only") == ""
    assert git(repo, "show", "HEAD:README.md") == "# Project\n\nSee [notes](NOTES.md).\n"
    assert git(repo, "status", "--porcelain") == "?? SCRATCH.md\n"


# ---------------------------------------------------------------- one pages folder


def test_pages_built_into_the_default_folder_are_committed(repo: Path) -> None:
    built = readiness(repo, "build")
    assert built.returncode == 0, built.stderr
    pages = sorted(str(p.relative_to(repo)) for p in (repo / "docs" / "readiness").glob("*.md"))
    assert pages
    _commit(repo)
    files = committed_files(repo)
    assert set(pages) <= set(files)
    (repo / "docs" / "readiness" / "readiness.svg").unlink()
    badged = readiness(repo, "badge")
    assert badged.returncode == 0, badged.stderr
    assert (repo / "docs" / "readiness" / "readiness.svg").exists()  # build's folder, badge's folder
    assert not (repo / "docs" / "readiness.svg").exists()


def test_pages_dir_is_the_folder_of_build_badge_and_commit(repo: Path) -> None:
    (repo / SOURCE).write_text(BASE + "housekeeping:\n  pages_dir: site-pages\n")
    git(repo, "commit", "-qam", "chore: pages_dir")
    assert readiness(repo, "build").returncode == 0
    (repo / "site-pages" / "readiness.svg").unlink()
    assert readiness(repo, "badge").returncode == 0
    assert (repo / "site-pages" / "readiness.svg").exists()
    _commit(repo)
    assert "site-pages/start-here.md" in committed_files(repo)
    check = readiness(repo, "check", "--ci")
    assert check.returncode == 0, check.stdout + check.stderr


def test_commit_names_the_evidence_file_as_verify_does() -> None:
    from readiness.commit.plan import _evidence_of
    from readiness.source.locate import evidence_path

    for source in ("content/readiness.yaml", "readiness.yaml", "a/b/state.yaml"):
        assert _evidence_of(source) == evidence_path(Path(source)).as_posix()
