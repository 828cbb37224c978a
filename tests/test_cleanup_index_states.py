"""`readiness cleanup` keeps every index state it meets, or refuses before it changes anything.

Index flags, intent-to-add entries, modes git cannot read from the disk, conflicts, line
endings git converts, and names that only the index still holds: each in a real
repository, checked with git itself, through cleanup and its undo.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.errors import ReadinessError
from readiness.git.repository import open_repository
from tests.support.cleanup import GitRepo, make_repo
from tests.support.sources import source_text
from tests.test_cleanup import ARCHIVE, assert_one_line_error, cleanup, tags


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return make_repo(tmp_path)


def short_status(repo: GitRepo) -> list[str]:
    return repo.git("status", "--short", "--untracked-files=no").splitlines()


@pytest.mark.parametrize(("flag", "tag"), [("--skip-worktree", "S"), ("--assume-unchanged", "h")])
def test_a_document_with_an_index_flag_is_not_rewritten(repo: GitRepo, flag: str, tag: str) -> None:
    # git leaves a flagged entry as it is when asked to stage its file, and drops a
    # skip-worktree one when also asked to remove what is gone: refused, nothing changed.
    repo.write("README.md", "# R\n")
    repo.write("notes.md", "notes\n")
    repo.write("docs/guide.md", "[n](../notes.md)\n")
    repo.commit()
    repo.git("update-index", flag, "docs/guide.md")
    shown = cleanup(repo, "--dry-run")
    assert "Cannot rewrite (an index flag, assume-unchanged or skip-worktree; clear it first):" in shown
    before = repo.snapshot()
    result = repo.run("cleanup", "--yes")
    assert_one_line_error(result, 4, "docs/guide.md: clear it")
    assert repo.snapshot() == before
    assert tags(repo)["docs/guide.md"] == tag
    repo.git("update-index", f"--no-{flag[2:]}", "docs/guide.md")
    cleanup(repo, "--yes")
    assert repo.git("show", ":docs/guide.md") == "[n](archive/notes.md)\n"


def test_a_flagged_stray_whose_links_change_is_refused(repo: GitRepo) -> None:
    repo.write("notes.md", "[plan](plan.md) [guide](docs/guide.md)\n")
    repo.write("plan.md", "plan\n")
    repo.write("docs/guide.md", "guide\n")
    repo.commit()
    repo.git("update-index", "--skip-worktree", "notes.md")
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--yes"), 4, "skip-worktree")
    assert repo.snapshot() == before


def test_a_name_only_the_index_holds_is_taken(repo: GitRepo) -> None:
    # An archived file deleted from the disk but not from the index still owns its name:
    # the stray gets another, and undo leaves the archived entry as it was.
    repo.write("README.md", "# R\n")
    repo.write(f"{ARCHIVE}/notes.md", "OLD ARCHIVED\n")
    repo.write("notes.md", "new root notes\n")
    repo.commit()
    (repo.root / ARCHIVE / "notes.md").unlink()
    before = repo.snapshot()
    shown = cleanup(repo, "--yes", "--format", "json")
    assert f'"to": "{ARCHIVE}/notes-2.md"' in shown
    assert repo.git("show", f":{ARCHIVE}/notes.md") == "OLD ARCHIVED\n"
    assert repo.git("show", f":{ARCHIVE}/notes-2.md") == "new root notes\n"
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before
    assert short_status(repo) == [f" D {ARCHIVE}/notes.md"]


def test_the_same_holds_without_link_rewriting(repo: GitRepo) -> None:
    from readiness.cleanup import apply as housekeeping

    repo.write(f"{ARCHIVE}/NOTES.md", "OLD ARCHIVED\n")
    repo.write("notes.md", "new root notes\n")
    repo.commit()
    (repo.root / ARCHIVE / "NOTES.md").unlink()
    git_repo = open_repository(repo.root)
    settings = housekeeping.housekeeping_settings(repo.root)
    plan = housekeeping.survey_and_plan(git_repo, settings, rewrite_links=False)
    assert [(m.source, m.destination) for m in plan.moves] == [("notes.md", f"{ARCHIVE}/notes-2.md")]


def test_unresolved_conflicts_are_refused(repo: GitRepo) -> None:
    # A conflict without MERGE_HEAD (a `git stash pop` that conflicted).
    repo.write("notes.md", "base\n")
    repo.write("README.md", "# R\n[n](notes.md)\n")
    repo.commit()
    repo.write("notes.md", "stashed\n")
    repo.git("stash", "-q")
    repo.write("notes.md", "committed\n")
    repo.commit("c")
    repo.git("stash", "pop", check=False)
    assert "UU notes.md" in short_status(repo)
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--yes"), 5, "unresolved conflicts in notes.md")
    assert_one_line_error(repo.run("cleanup", "--dry-run"), 5, "unresolved conflicts in notes.md")
    assert repo.snapshot() == before


def test_undo_refuses_a_conflict_in_a_file_it_would_touch(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n[n](notes.md)\n")
    repo.write("notes.md", "notes\n")
    repo.commit()
    cleanup(repo, "--yes")
    repo.commit("archived")
    repo.git("checkout", "-q", "-b", "other", "HEAD~1")
    repo.write("README.md", "# R, other\n[n](notes.md)\n")
    repo.commit("other")
    repo.git("merge", "main", check=False)  # README.md conflicts
    repo.git("update-ref", "-d", "MERGE_HEAD")  # the conflict stays, without a merge in progress
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--undo", "--yes"), 5, "unresolved conflicts in README.md")
    assert repo.snapshot() == before


def test_intent_to_add_entries_stay_intent_to_add(repo: GitRepo) -> None:
    repo.write("README.md", "# R\n")
    repo.commit()
    repo.write("empty.md", "")
    repo.write("wip.md", "work in progress\n")
    repo.git("add", "--intent-to-add", "empty.md", "wip.md")
    before = repo.snapshot()
    shown = cleanup(repo, "--dry-run")
    assert f"empty.md -> {ARCHIVE}/empty.md  [tracked, the intent-to-add entry kept]" in shown
    cleanup(repo, "--yes")
    assert sorted(short_status(repo)) == [f" A {ARCHIVE}/empty.md", f" A {ARCHIVE}/wip.md"]
    cleanup(repo, "--undo", "--yes")
    assert sorted(short_status(repo)) == [" A empty.md", " A wip.md"]
    assert repo.snapshot() == before


def test_modes_git_cannot_read_from_the_disk_are_kept(repo: GitRepo) -> None:
    # A clone where core.filemode and core.symlinks are off (as on Windows): the disk says
    # 100644 for both, the index says 100755 (kept, as `git mv` keeps it) and 120000 (a
    # symlink, left alone as in any other checkout).
    repo.write("README.md", "# R\n")
    repo.write("run.md", "run\n")
    (repo.root / "run.md").chmod(0o755)
    (repo.root / "link.md").symlink_to("README.md")
    repo.commit()
    repo.git("config", "core.filemode", "false")
    repo.git("config", "core.symlinks", "false")
    (repo.root / "run.md").chmod(0o644)
    (repo.root / "link.md").unlink()
    repo.write("link.md", "README.md")  # a symlink checked out as a plain file
    repo.git("update-index", "--refresh")
    before = repo.snapshot()
    shown = json.loads(cleanup(repo, "--yes", "--format", "json"))
    assert [(m["from"], m["to"]) for m in shown["moves"]] == [("run.md", f"{ARCHIVE}/run.md")]
    assert shown["symlinks"] == ["link.md"]
    modes = {line.split("\t")[1]: line.split(" ")[0] for line in repo.git("ls-files", "-s").splitlines()}
    assert modes == {"README.md": "100644", "link.md": "120000", f"{ARCHIVE}/run.md": "100755"}
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before
    assert short_status(repo) == []


def test_line_endings_git_converts_are_not_unstaged_changes(repo: GitRepo) -> None:
    repo.git("config", "core.autocrlf", "true")
    repo.write("notes.md", "notes\r\n")
    repo.write("README.md", "# R\r\n[n](notes.md)\r\n")
    repo.commit()
    assert short_status(repo) == []
    shown = cleanup(repo, "--dry-run")
    assert f"notes.md -> {ARCHIVE}/notes.md  [tracked]" in shown
    assert "Cannot rewrite" not in shown
    before = repo.snapshot()
    cleanup(repo, "--yes")
    assert repo.read("README.md") == f"# R\r\n[n]({ARCHIVE}/notes.md)\r\n"
    assert repo.git("show", ":README.md") == f"# R\n[n]({ARCHIVE}/notes.md)\n"  # as git add stages it
    assert sorted(short_status(repo)) == ["M  README.md", f"R  notes.md -> {ARCHIVE}/notes.md"]
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before


def test_a_converted_file_with_real_unstaged_changes_is_still_refused(repo: GitRepo) -> None:
    repo.git("config", "core.autocrlf", "true")
    repo.write("notes.md", "notes\r\n")
    repo.write("README.md", "# R\r\n[n](notes.md)\r\n")
    repo.commit()
    repo.write("README.md", "# R, edited\r\n[n](notes.md)\r\n")
    before = repo.snapshot()
    assert_one_line_error(repo.run("cleanup", "--yes"), 4, "unstaged changes in files whose links must change")
    assert repo.snapshot() == before


def test_a_failed_git_command_is_named_without_its_options(repo: GitRepo) -> None:
    repo.commit()
    with pytest.raises(ReadinessError, match=r"^git mv failed: "):
        open_repository(repo.root).git("--literal-pathspecs", "mv", "--", "missing.md", "elsewhere.md")
    with pytest.raises(ReadinessError, match=r"^git cat-file failed: "):
        open_repository(repo.root).git("cat-file", "blob", "HEAD:missing.md", read_only=True)


def test_undo_says_one_file_in_the_singular(repo: GitRepo) -> None:
    repo.write("notes.md", "notes\n")
    repo.commit()
    cleanup(repo, "--yes")
    assert "Restored 1 file and 0 rewritten files." in cleanup(repo, "--undo", "--yes")


@pytest.mark.parametrize(("setting", "value"), [
    ("archive", "../outside"), ("archive", "."), ("archive", "./"), ("archive", "/tmp/archive"),
    ("archive", ".git/archive"), ("archive", "docs/../.."), ("pages_dir", "../pages"),
    ("archive", "a/.git/b"), ("archive", ".GIT/x"), ("archive", "docs/.git. /x"),
])
def test_a_folder_setting_outside_the_repository_is_an_invalid_source(
        repo: GitRepo, setting: str, value: str) -> None:
    repo.write("content/readiness.yaml", source_text([{"id": "a"}], housekeeping={setting: value}))
    repo.write("notes.md", "notes\n")
    repo.commit()
    before = repo.snapshot()
    result = repo.run("cleanup", "--yes", "--include-untracked")
    assert_one_line_error(result, 3, f"housekeeping.{setting}")
    assert "is not a folder inside the repository" in result.stderr
    assert result.stderr.startswith("content/readiness.yaml:")  # located at the line
    assert repo.snapshot() == before


def test_a_group_folder_cannot_leave_the_archive(repo: GitRepo) -> None:
    repo.write("content/readiness.yaml", source_text([{"id": "a"}], housekeeping={
        "group_by": "pattern", "groups": [{"pattern": "notes*", "folder": "../../escape"}]}))
    repo.write("notes.md", "notes\n")
    repo.commit()
    assert_one_line_error(repo.run("cleanup", "--yes"), 3, "leaves the archive folder")


def test_a_group_folder_cannot_be_in_git_s_own_folder(repo: GitRepo) -> None:
    repo.write("content/readiness.yaml", source_text([{"id": "a"}], housekeeping={
        "group_by": "pattern", "groups": [{"pattern": "notes*", "folder": "x/.Git"}]}))
    repo.write("notes.md", "notes\n")
    repo.commit()
    assert_one_line_error(repo.run("cleanup", "--yes"), 3, "is in .git")


def test_an_archive_path_is_taken_normalised(repo: GitRepo) -> None:
    repo.write("content/readiness.yaml", source_text([{"id": "a"}], housekeeping={"archive": "docs/./old//"}))
    repo.write("notes.md", "notes\n")
    repo.commit()
    before = repo.snapshot()
    cleanup(repo, "--yes")
    assert repo.git("ls-files", "docs").splitlines() == ["docs/old/notes.md"]
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before
    assert short_status(repo) == []
