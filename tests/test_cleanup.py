"""`readiness cleanup` on real temporary git repositories."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from readiness.cleanup import apply as housekeeping
from readiness.errors import WouldLoseData
from readiness.git.repository import IndexUpdate, open_repository
from readiness.pages.generated import MARKER as GENERATED_MARKER
from readiness.source.models import Housekeeping
from tests.support.cleanup import GitRepo, make_repo, working_links

ARCHIVE = "docs/archive"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return make_repo(tmp_path)


@pytest.fixture
def linked(repo: GitRepo) -> GitRepo:
    """A repository with strays linked in every form, to and from sub-folders."""
    repo.write("README.md", "# Project\n[notes](NOTES.md) [plan](PLAN.md#steps)\n")
    repo.write("NOTES.md", (
        "# Notes\n"
        "[plan](PLAN.md#steps) [guide](docs/guide.md) ![logo](img/logo.png)\n"
        "[ref]: PLAN.md \"The plan\"\n"
        "<a href=\"docs/guide.md#top\">guide</a> <img src=\"img/logo.png\">\n"
        "`[code](PLAN.md)`\n\n```\n[fenced](PLAN.md)\n```\n\n    [indented](PLAN.md)\n\n"
        "[gone](missing.md) [site](https://example.com/PLAN.md) [self](#notes)\n"))
    repo.write("PLAN.md", "# Plan\n## Steps\n[back](./NOTES.md)\n[readme](README.md)\n")
    repo.write("docs/guide.md", "[n](../NOTES.md) [p](../PLAN.md#steps) <a href='../NOTES.md'>\n")
    repo.write("docs/deep/page.md", "[p][plan]\n\n[plan]: ../../PLAN.md\n")
    repo.write("img/logo.png", "png")
    repo.write("mkdocs.yml", "site_name: x\ndocs_dir: .\nnav:\n  - Home: README.md\n"
                             "  - Plan: PLAN.md\n  - Guide: docs/guide.md\n")
    repo.commit()
    return repo


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    """RESULT failed with exit CODE and one line on stderr, no traceback, saying TEXT."""
    assert result.returncode == code, result.stderr
    assert text in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def cleanup(repo: GitRepo, *args: str, cwd: Path | None = None) -> str:
    result = repo.run("cleanup", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def assert_links_kept(before: dict[str, list[tuple[int, str]]],
                      after: dict[str, list[tuple[int, str]]], moved: dict[str, str]) -> None:
    """Every link that worked before points at the same (possibly moved) file after."""
    for path, targets in before.items():
        expected = [(line, moved.get(target, target)) for line, target in targets]
        assert after[moved.get(path, path)] == expected, path


def test_moves_strays_with_git_mv_and_keeps_every_link_working(linked: GitRepo) -> None:
    before = working_links(linked)
    head = linked.git("rev-parse", "HEAD")
    out = cleanup(linked, "--yes")

    assert "staged, not committed" in out
    assert linked.git("rev-parse", "HEAD") == head
    assert not (linked.root / "NOTES.md").exists()
    assert not (linked.root / "PLAN.md").exists()
    assert (linked.root / "README.md").exists()
    renames = linked.git("diff", "--cached", "--name-status", "-M30%")
    assert "R" in renames
    assert f"{ARCHIVE}/PLAN.md" in renames
    assert f"{ARCHIVE}/NOTES.md" in linked.git("ls-files")
    assert linked.git("status", "--porcelain", "--untracked-files=no").count(" M") == 0

    notes = linked.read(f"{ARCHIVE}/NOTES.md")
    assert "[plan](PLAN.md#steps) [guide](../guide.md) ![logo](../../img/logo.png)" in notes
    assert '[ref]: PLAN.md "The plan"' in notes
    assert '<a href="../guide.md#top">' in notes
    assert '<img src="../../img/logo.png">' in notes
    assert "`[code](PLAN.md)`" in notes
    assert "[fenced](PLAN.md)" in notes
    assert "    [indented](PLAN.md)" in notes
    assert "[gone](missing.md)" in notes  # already broken: left as written
    assert "[site](https://example.com/PLAN.md) [self](#notes)" in notes
    assert linked.read("README.md") == (
        "# Project\n[notes](docs/archive/NOTES.md) [plan](docs/archive/PLAN.md#steps)\n")
    assert linked.read("docs/guide.md") == (
        "[n](archive/NOTES.md) [p](archive/PLAN.md#steps) <a href='archive/NOTES.md'>\n")
    assert linked.read("docs/deep/page.md") == "[p][plan]\n\n[plan]: ../archive/PLAN.md\n"
    assert "[back](./NOTES.md)\n[readme](../../README.md)" in linked.read(f"{ARCHIVE}/PLAN.md")
    assert "  - Plan: docs/archive/PLAN.md\n" in linked.read("mkdocs.yml")
    moved = {"NOTES.md": f"{ARCHIVE}/NOTES.md", "PLAN.md": f"{ARCHIVE}/PLAN.md"}
    assert_links_kept(before, working_links(linked), moved)
    # Every rewritten file is staged as written: nothing is left unstaged.
    assert linked.git("diff", "--name-only") == ""


def test_plan_reports_broken_links_counts_and_manifest(linked: GitRepo) -> None:
    out = cleanup(linked, "--yes", "--format", "json")
    data = json.loads(out)
    assert data["applied"] is True
    assert {(m["from"], m["to"]) for m in data["moves"]} == {
        ("NOTES.md", f"{ARCHIVE}/NOTES.md"), ("PLAN.md", f"{ARCHIVE}/PLAN.md")}
    counts = {r["path"]: r["count"] for r in data["rewrites"]}
    assert counts == {"NOTES.md": 4, "PLAN.md": 1, "README.md": 2, "docs/guide.md": 3,
                      "docs/deep/page.md": 1, "mkdocs.yml": 1}
    assert data["broken_links"] == [{"path": "NOTES.md", "line": 13, "destination": "missing.md"}]
    manifest = json.loads((linked.root / data["manifest"]).read_text())
    assert {m["from"] for m in manifest["moves"]} == {"NOTES.md", "PLAN.md"}
    assert len(manifest["rewrites"]) == 6
    assert data["manifest"].startswith(f"{ARCHIVE}/.readiness-cleanup-")


def test_a_link_to_a_file_deleted_from_the_work_tree_is_reported_as_broken(linked: GitRepo) -> None:
    (linked.root / "img" / "logo.png").unlink()  # still in the index, gone from the disk
    data = json.loads(cleanup(linked, "--dry-run", "--format", "json"))
    assert {(b["path"], b["destination"]) for b in data["broken_links"]} == {
        ("NOTES.md", "missing.md"), ("NOTES.md", "img/logo.png")}


def test_dry_run_changes_nothing(linked: GitRepo) -> None:
    index_bytes = (linked.root / ".git" / "index").read_bytes()
    before = linked.snapshot()
    out = cleanup(linked, "--dry-run")
    assert "NOTES.md -> docs/archive/NOTES.md" in out
    assert "Dry run: nothing was changed." in out
    assert (linked.root / ".git" / "index").read_bytes() == index_bytes
    assert linked.snapshot() == before


def test_undo_restores_the_exact_previous_tree(linked: GitRepo) -> None:
    linked.write("docs/staged.md", "staged before cleanup\n")
    linked.git("add", "docs/staged.md")
    before = linked.snapshot()
    cleanup(linked, "--yes")
    assert linked.snapshot() != before
    out = cleanup(linked, "--undo", "--yes")
    assert "Restored 2 files" in out
    assert linked.snapshot() == before
    assert not (linked.root / ARCHIVE).exists()  # the folder cleanup made is gone again


def test_undo_refuses_when_files_changed_since(linked: GitRepo) -> None:
    cleanup(linked, "--yes")
    linked.write("README.md", "edited after cleanup\n")
    before = linked.snapshot()
    result = linked.run("cleanup", "--undo", "--yes")
    assert_one_line_error(result, 4, "README.md changed")
    assert linked.snapshot() == before


def test_a_document_quoting_the_manifest_state_leaves_the_record_intact(linked: GitRepo) -> None:
    # The manifest is marked done by changing its state in the bytes written first; texts
    # it holds that look like that state must stay as they were.
    quoted = '{"state": "applying"} "state": "applying" \\"state\\": \\"applying\\"\n'
    linked.write("README.md", linked.read("README.md") + quoted)
    linked.git("add", "README.md")
    before = linked.snapshot()
    data = json.loads(cleanup(linked, "--yes", "--format", "json"))
    manifest = json.loads((linked.root / data["manifest"]).read_text())
    assert manifest["state"] == "applied"
    readme = next(r for r in manifest["rewrites"] if r["path"] == "README.md")
    assert readme["before"].endswith(quoted)
    cleanup(linked, "--undo", "--yes")
    assert linked.snapshot() == before


def test_undo_without_manifest_is_one_line_error(repo: GitRepo) -> None:
    repo.commit()
    result = repo.run("cleanup", "--undo", "--yes")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("no cleanup manifest in docs/archive: nothing to undo")
    assert len(result.stderr.strip().splitlines()) == 1


def test_second_run_changes_nothing(linked: GitRepo) -> None:
    cleanup(linked, "--yes")
    before = linked.snapshot()
    out = cleanup(linked, "--yes")
    assert "Nothing to archive" in out
    assert linked.snapshot() == before


@pytest.mark.parametrize("same_content", [True, False])
def test_never_overwrites_archive_files(repo: GitRepo, same_content: bool) -> None:
    repo.write("notes.md", "mine\n")
    repo.write(f"{ARCHIVE}/NOTES.md", "mine\n" if same_content else "theirs\n")
    repo.write(f"{ARCHIVE}/notes-2.md", "second\n")
    repo.write("README.md", "[n](notes.md)\n")
    repo.commit()
    out = cleanup(repo, "--yes")
    assert "is taken" in out
    assert repo.read(f"{ARCHIVE}/NOTES.md") == ("mine\n" if same_content else "theirs\n")
    assert repo.read(f"{ARCHIVE}/notes-2.md") == "second\n"
    assert repo.read(f"{ARCHIVE}/notes-3.md") == "mine\n"
    assert repo.read("README.md") == f"[n]({ARCHIVE}/notes-3.md)\n"


def test_case_and_separator_twins_all_survive(repo: GitRepo) -> None:
    names = {"NOTES.md": "upper\n", "notes.md": "lower\n", "my-notes.md": "hyphen\n",
             "my_notes.md": "underscore\n"}
    for name, text in names.items():
        repo.write(name, text)
    repo.commit()
    cleanup(repo, "--yes")
    archived = {p.name: p.read_text() for p in (repo.root / ARCHIVE).glob("*.md")}
    assert sorted(archived.values()) == sorted(names.values())
    assert len({name.lower() for name in archived}) == 4
    assert not any((repo.root / name).exists() for name in names)


def test_keep_list_and_readme_lookalikes(repo: GitRepo) -> None:
    kept = ["README.md", "README.fr.md", "README.pt-BR.md", "LICENSE.md", "CHANGELOG.md",
            "CONTRIBUTING.md", "AGENTS.md", "CLAUDE.md", "SECURITY.md", "CODE_OF_CONDUCT.md"]
    strays = ["README_PHASE_3.md", "README-old.md", "STATUS.markdown"]
    for name in kept + strays:
        repo.write(name, f"{name}\n")
    repo.write("status.md", f"{GENERATED_MARKER}\n# Status\n")
    repo.write("notes.txt", "not markdown\n")
    repo.commit()
    cleanup(repo, "--yes")
    for name in [*kept, "status.md", "notes.txt"]:
        assert (repo.root / name).exists(), name
    for name in strays:
        assert not (repo.root / name).exists()
        assert (repo.root / ARCHIVE / name).read_text() == f"{name}\n"


def test_untracked_strays_move_only_when_asked(repo: GitRepo) -> None:
    repo.write(".gitignore", "ignored.md\n")
    repo.write("README.md", "[d](draft.md)\n")
    repo.commit()
    repo.write("draft.md", "draft\n")
    repo.write("ignored.md", "ignored\n")
    out = cleanup(repo, "--yes")
    assert "draft.md" in out
    assert "Nothing to archive" in out
    assert (repo.root / "draft.md").exists()

    cleanup(repo, "--yes", "--include-untracked")
    assert not (repo.root / "draft.md").exists()
    assert (repo.root / ARCHIVE / "draft.md").read_text() == "draft\n"
    assert (repo.root / "ignored.md").read_text() == "ignored\n"
    assert f"{ARCHIVE}/draft.md" not in repo.git("ls-files")  # moved, still untracked
    assert repo.read("README.md") == f"[d]({ARCHIVE}/draft.md)\n"


def test_root_symlink_is_reported_and_left_alone(repo: GitRepo) -> None:
    repo.write("docs/real.md", "real\n")
    os.symlink("docs/real.md", repo.root / "LINK.md")
    repo.commit()
    before = repo.snapshot()
    out = cleanup(repo, "--yes")
    assert "Root symlinks, left alone:\n  LINK.md" in out
    assert repo.snapshot() == before


def test_a_named_pipe_in_place_of_a_tracked_document_is_not_waited_on(repo: GitRepo) -> None:
    repo.write("PIPE.md", "# was a file\n")
    repo.write("NOTES.md", "[pipe](PIPE.md)\n")
    repo.commit()
    (repo.root / "PIPE.md").unlink()
    os.mkfifo(repo.root / "PIPE.md")  # reading it would wait for a writer forever
    out = cleanup(repo, "--yes")  # the helper's timeout fails the test if cleanup hangs
    assert "NOTES.md" in out
    assert (repo.root / "docs" / "archive" / "NOTES.md").exists()
    assert (repo.root / "PIPE.md").is_fifo()


def test_odd_names(repo: GitRepo) -> None:
    names = ["my notes.md", "résumé.md", "-draft.md", "it's \"quoted\".md", "--help.md"]
    for name in names:
        repo.write(name, f"{name}\n")
    repo.write("README.md", "[a](my%20notes.md) [b](<my notes.md>) [c](résumé.md) "
                            "[d](-draft.md) <a href=\"it's %22quoted%22.md\">q</a>\n")
    repo.commit()
    before = working_links(repo)
    cleanup(repo, "--yes")
    for name in names:
        assert (repo.root / ARCHIVE / name).read_text() == f"{name}\n"
        assert not (repo.root / name).exists()
    assert repo.read("README.md") == (
        "[a](docs/archive/my%20notes.md) [b](<docs/archive/my notes.md>) "
        "[c](docs/archive/résumé.md) [d](docs/archive/-draft.md) "
        "<a href=\"docs/archive/it%27s%20%22quoted%22.md\">q</a>\n")
    assert_links_kept(before, working_links(repo), {n: f"{ARCHIVE}/{n}" for n in names})
    assert set(repo.git("ls-files", "-z").split("\0")) >= {f"{ARCHIVE}/{n}" for n in names}


def test_works_from_a_sub_folder(linked: GitRepo) -> None:
    cleanup(linked, "--yes", cwd=linked.root / "docs" / "deep")
    assert (linked.root / ARCHIVE / "NOTES.md").exists()


def test_no_terminal_without_yes_refuses(linked: GitRepo) -> None:
    before = linked.snapshot()
    result = linked.run("cleanup")
    assert_one_line_error(result, 8, "--yes")
    assert linked.snapshot() == before


def test_refuses_outside_git(tmp_path: Path, repo: GitRepo) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "NOTES.md").write_text("x\n")
    result = repo.run("cleanup", "--yes", cwd=outside)
    assert_one_line_error(result, 5, "not inside a git repository")
    assert (outside / "NOTES.md").exists()


def test_refuses_during_a_merge(repo: GitRepo) -> None:
    repo.write("NOTES.md", "base\n")
    repo.commit()
    repo.git("checkout", "-q", "-b", "other")
    repo.write("NOTES.md", "other\n")
    repo.commit()
    repo.git("checkout", "-q", "main")
    repo.write("NOTES.md", "main\n")
    repo.commit()
    repo.git("merge", "other", check=False)
    before = repo.snapshot()
    result = repo.run("cleanup", "--yes")
    assert_one_line_error(result, 5, "a merge is in progress")
    assert repo.snapshot() == before


def test_refuses_while_the_index_is_locked(linked: GitRepo) -> None:
    (linked.root / ".git" / "index.lock").write_text("")
    before = linked.files()
    result = linked.run("cleanup", "--yes")
    assert_one_line_error(result, 5, "index.lock")
    assert linked.files() == before


def test_refuses_to_stage_unstaged_changes(linked: GitRepo) -> None:
    linked.write("README.md", linked.read("README.md") + "work in progress\n")
    before = linked.snapshot()
    result = linked.run("cleanup", "--yes")
    assert_one_line_error(result, 4, "README.md")
    assert linked.snapshot() == before


def test_failure_part_way_restores_everything(linked: GitRepo,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before = linked.snapshot()
    repository = open_repository(linked.root)
    monkeypatch.setattr(os, "environ", {**os.environ, **linked.env})
    plan = housekeeping.survey_and_plan(repository, Housekeeping())

    def fail(self: IndexUpdate) -> None:  # git still runs, holding the index lock
        raise OSError("disk full")

    monkeypatch.setattr(IndexUpdate, "finish", fail)
    with pytest.raises(OSError, match="disk full"):
        housekeeping.apply_cleanup(repository, plan)
    assert linked.snapshot() == before
    assert not (linked.root / ".git" / "index.lock").exists()  # git ended: its lock is gone


def test_refuses_when_the_tree_changed_after_planning(linked: GitRepo,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", {**os.environ, **linked.env})
    repository = open_repository(linked.root)
    plan = housekeeping.survey_and_plan(repository, Housekeeping())
    linked.write(f"{ARCHIVE}/PLAN.md", "appeared meanwhile\n")
    index = os.stat(linked.root / ".git" / "index")
    with pytest.raises(WouldLoseData, match=r"docs/archive/PLAN\.md exists"):
        housekeeping.apply_cleanup(repository, plan)
    assert (linked.root / "PLAN.md").exists()
    after = os.stat(linked.root / ".git" / "index")  # not even written back: nothing touched it
    assert (after.st_ino, after.st_mtime_ns) == (index.st_ino, index.st_mtime_ns)


def test_settings_default_without_a_source_file(tmp_path: Path) -> None:
    settings = housekeeping.housekeeping_settings(tmp_path)
    defaults = Housekeeping()
    assert (settings.archive, settings.group_by) == (defaults.archive, defaults.group_by)
    assert (list(settings.keep), list(settings.keep_patterns), list(settings.groups)) == (
        defaults.keep, defaults.keep_patterns, defaults.groups)


def test_interrupt_after_the_moves_puts_everything_back(linked: GitRepo,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = linked.snapshot()
    monkeypatch.setattr(os, "environ", {**os.environ, **linked.env})
    repository = open_repository(linked.root)
    plan = housekeeping.survey_and_plan(repository, Housekeeping())
    real_stage = IndexUpdate.stage

    def stage_then_interrupt(self: IndexUpdate, path: str) -> None:
        real_stage(self, path)  # a file was moved and handed to git
        raise KeyboardInterrupt

    monkeypatch.setattr(IndexUpdate, "stage", stage_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        housekeeping.apply_cleanup(repository, plan)
    assert linked.snapshot() == before
    assert not (linked.root / ARCHIVE).exists()
    assert not (linked.root / ".git" / "index.lock").exists()


def test_group_by_date_and_undo_of_untracked_moves(repo: GitRepo,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("README.md", "[a](a.md) [d](draft.md)\n")
    repo.write("a.md", "a\n")
    repo.commit()
    repo.write("draft.md", "draft\n")
    before = repo.snapshot()
    monkeypatch.setattr(os, "environ", {**os.environ, **repo.env})
    repository = open_repository(repo.root)
    settings = Housekeeping(group_by="date")
    plan = housekeeping.survey_and_plan(repository, settings, include_untracked=True,
                                        today=dt.date(2026, 3, 4))
    housekeeping.apply_cleanup(repository, plan)
    assert repo.read("README.md") == (
        "[a](docs/archive/2026-03-04/a.md) [d](docs/archive/2026-03-04/draft.md)\n")
    assert (repo.root / ARCHIVE / "2026-03-04" / "draft.md").read_text() == "draft\n"
    housekeeping.apply_undo(repository, housekeeping.plan_undo(repository, settings))
    assert repo.snapshot() == before


def test_archive_folder_that_is_a_symlink_is_refused(repo: GitRepo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo.root / "docs").mkdir()
    os.symlink(elsewhere, repo.root / "docs" / "archive")
    repo.write("notes.md", "n\n")
    repo.commit()
    before = repo.snapshot()
    result = repo.run("cleanup", "--yes")
    assert_one_line_error(result, 5, "symlink")
    assert repo.snapshot() == before
    assert list(elsewhere.iterdir()) == []


def test_json_dry_run_and_undo_dry_run_change_nothing(linked: GitRepo) -> None:
    before = linked.snapshot()
    data = json.loads(cleanup(linked, "--dry-run", "--format", "json"))
    assert data["applied"] is False
    assert data["dry_run"] is True
    assert len(data["moves"]) == 2
    assert linked.snapshot() == before
    cleanup(linked, "--yes")
    after = linked.snapshot()
    out = cleanup(linked, "--undo", "--dry-run")
    assert "docs/archive/NOTES.md -> NOTES.md" in out
    assert linked.snapshot() == after


def test_debug_is_the_only_way_to_a_traceback(linked: GitRepo) -> None:
    (linked.root / ".git" / "index.lock").write_text("")
    quiet = linked.run("cleanup", "--yes")
    assert "Traceback" not in quiet.stderr
    loud = linked.run("--debug", "cleanup", "--yes")
    assert loud.returncode == 5
    assert "Traceback" in loud.stderr


def test_missing_source_file_is_one_line_error(linked: GitRepo) -> None:
    before = linked.snapshot()
    result = linked.run("cleanup", "--yes", "--source", "nowhere/readiness.yaml")
    assert_one_line_error(result, 3, "no such source file")
    assert linked.snapshot() == before


def test_json_with_yes_and_nothing_to_do_prints_one_document(repo: GitRepo) -> None:
    repo.write("README.md", "# r\n")
    repo.commit()
    data = json.loads(cleanup(repo, "--yes", "--format", "json"))
    assert data["moves"] == []
    assert data["applied"] is False


@pytest.mark.parametrize("variable", ["GIT_LITERAL_PATHSPECS", "GIT_ICASE_PATHSPECS", "GIT_NOGLOB_PATHSPECS"])
def test_pathspec_variables_in_the_environment_change_nothing(linked: GitRepo, variable: str) -> None:
    linked.env = {**linked.env, variable: "1"}
    cleanup(linked, "--yes")
    assert linked.read("docs/deep/page.md") == "[p][plan]\n\n[plan]: ../archive/PLAN.md\n"
    assert linked.read("README.md") == (
        "# Project\n[notes](docs/archive/NOTES.md) [plan](docs/archive/PLAN.md#steps)\n")
    assert linked.git("diff", "--name-only") == ""


def test_a_stray_with_unstaged_changes_keeps_them_and_undo_puts_the_index_back(repo: GitRepo) -> None:
    repo.write("NOTES.md", "v1\n")
    repo.write("PLAN.md", "plan\n")
    repo.write("TODO.md", "todo v1\n")
    repo.commit()
    repo.write("NOTES.md", "v2, staged\n")
    repo.git("add", "NOTES.md")
    repo.write("NOTES.md", "v3, not staged\n")
    repo.write("TODO.md", "todo v2, staged\n")
    repo.git("add", "TODO.md")
    before = repo.snapshot()
    shown = cleanup(repo, "--dry-run")
    assert f"NOTES.md -> {ARCHIVE}/NOTES.md  [tracked, unstaged changes kept]" in shown
    assert f"TODO.md -> {ARCHIVE}/TODO.md  [tracked]" in shown
    cleanup(repo, "--yes")
    # Staged and unstaged text both kept, as `git mv` keeps them; nothing else staged.
    assert repo.git("show", f":{ARCHIVE}/NOTES.md") == "v2, staged\n"
    assert repo.read(f"{ARCHIVE}/NOTES.md") == "v3, not staged\n"
    assert repo.git("show", f":{ARCHIVE}/TODO.md") == "todo v2, staged\n"
    assert repo.git("show", f":{ARCHIVE}/PLAN.md") == "plan\n"
    assert repo.git("ls-files", "--", "NOTES.md", "PLAN.md", "TODO.md") == ""
    assert repo.git("diff", "--name-only") == f"{ARCHIVE}/NOTES.md\n"
    cleanup(repo, "--undo", "--yes")
    assert repo.snapshot() == before


@pytest.mark.parametrize("include_untracked", [False, True])
def test_without_links_the_root_is_surveyed_alike(repo: GitRepo, monkeypatch: pytest.MonkeyPatch,
                                                   include_untracked: bool) -> None:
    """Without link rewriting only the root is listed (no walk of the work tree): the same
    strays, untracked files, kept files and symlinks are found."""
    repo.write(".gitignore", "IGNORED.md\n*.skip.md\n")
    repo.write("README.md", "readme\n")
    repo.write("NOTES.md", "notes\n")
    repo.write("UPPER.MD", "upper\n")
    repo.write("long.markdown", "long\n")
    repo.write("folder.md/inside.md", "inside a folder named like a document\n")
    repo.write("docs/deep.md", "not at the root\n")
    repo.write("-dash name é.md", "odd\n")
    os.symlink("docs/deep.md", repo.root / "LINK.md")
    repo.commit()
    repo.write("DRAFT.md", "untracked\n")
    repo.write("IGNORED.md", "ignored\n")
    repo.write("x.skip.md", "ignored by a pattern\n")
    repo.write("docs/untracked.md", "untracked, not at the root\n")
    (repo.root / "NOTES.md").rename(repo.root / "gone-then-back.md")  # tracked name missing
    monkeypatch.setattr(os, "environ", {**os.environ, **repo.env})
    repository = open_repository(repo.root)
    plans = [housekeeping.survey_and_plan(repository, Housekeeping(), rewrite_links=links,
                                          include_untracked=include_untracked,
                                          today=dt.date(2026, 1, 2))
             for links in (True, False)]
    found = [(p.moves, p.untracked, p.kept, p.symlinks) for p in plans]
    assert found[0] == found[1]
    moved = {m.source for m in plans[1].moves}
    assert {"UPPER.MD", "long.markdown", "-dash name é.md"} <= moved
    assert ("DRAFT.md" in moved) is include_untracked
    assert ("gone-then-back.md" in moved) is include_untracked
    assert not moved & {"IGNORED.md", "x.skip.md", "NOTES.md", "README.md", "LINK.md"}
    assert plans[1].symlinks == ("LINK.md",)


@pytest.mark.parametrize("settled", [False, True])
def test_a_stray_changed_after_planning_is_refused(linked: GitRepo, monkeypatch: pytest.MonkeyPatch,
                                                   settled: bool) -> None:
    """Caught by the file's timestamps when it was written well before the plan, else by
    reading it again (a write within the same clock tick keeps the timestamps)."""
    monkeypatch.setattr(os, "environ", {**os.environ, **linked.env})
    repository = open_repository(linked.root)
    if settled:
        time.sleep(0.1)
    else:  # as if every file had been written within a clock tick of the plan
        monkeypatch.setattr(housekeeping, "_TICK_NS", 10**18)
    plan = housekeeping.survey_and_plan(repository, Housekeeping())
    assert plan.seen is not None
    assert ("PLAN.md" in plan.seen) is settled
    text = linked.read("PLAN.md")
    linked.write("PLAN.md", text.replace("Plan", "Nalp"))  # same size, other bytes
    before = linked.snapshot()
    with pytest.raises(WouldLoseData, match=r"PLAN\.md changed"):
        housekeeping.apply_cleanup(repository, plan)
    assert linked.snapshot() == before


def test_undo_of_a_manifest_without_index_entries(linked: GitRepo) -> None:
    """Manifests written before they recorded index entries are undone by staging again."""
    before = linked.snapshot()
    cleanup(linked, "--yes")
    manifest = next((linked.root / ARCHIVE).glob(".readiness-cleanup-*.json"))
    data = json.loads(manifest.read_text())
    assert all("index" in move for move in data["moves"])
    for move in data["moves"]:
        del move["index"]
    manifest.write_text(json.dumps(data))
    cleanup(linked, "--undo", "--yes")
    assert linked.snapshot() == before


def test_undo_takes_back_what_was_staged_since_as_git_mv_would(repo: GitRepo) -> None:
    repo.write("IDEAS.md", "ideas\n")
    repo.commit()
    cleanup(repo, "--yes")
    repo.write(f"{ARCHIVE}/IDEAS.md", "an edit, staged\n")
    repo.git("add", f"{ARCHIVE}/IDEAS.md")
    repo.write(f"{ARCHIVE}/IDEAS.md", "ideas\n")  # the file itself as cleanup left it
    cleanup(repo, "--undo", "--yes")
    assert repo.read("IDEAS.md") == "ideas\n"
    assert repo.git("show", ":IDEAS.md") == "an edit, staged\n"  # the staged edit came back with it
    assert repo.git("ls-files", "--", ARCHIVE) == ""


def test_fingerprints_are_trusted_only_outside_the_timestamp_granularity() -> None:
    second = 1_000_000_000
    base = 1_800_000_000 * second  # a whole second
    now = base + second // 2
    mode = 0o100644
    seen = {"fine-old.md": (1, 10, now - 30_000_000 + 1, now - 30_000_000 + 1, mode),
            "fine-new.md": (2, 10, now - 5_000_000 + 1, now - 5_000_000 + 1, mode),  # within a clock tick
            "coarse-new.md": (3, 10, base, base, mode),  # whole seconds, as FAT keeps them
            "coarse-old.md": (4, 10, base - 3 * second, base - 3 * second, mode)}
    assert set(housekeeping.trusted_fingerprints(seen, now)) == {"fine-old.md", "coarse-old.md"}


def test_a_stray_with_an_index_flag_keeps_it(repo: GitRepo) -> None:
    repo.write("NOTES.md", "notes\n")
    repo.write("PLAN.md", "plan\n")
    repo.commit()
    repo.git("update-index", "--assume-unchanged", "NOTES.md")
    shown = cleanup(repo, "--dry-run")
    assert f"NOTES.md -> {ARCHIVE}/NOTES.md  [tracked, the assume-unchanged flag kept]" in shown
    assert f"PLAN.md -> {ARCHIVE}/PLAN.md  [tracked]" in shown
    before = repo.snapshot()
    cleanup(repo, "--yes")
    assert tags(repo) == {f"{ARCHIVE}/NOTES.md": "h", f"{ARCHIVE}/PLAN.md": "H"}  # as `git mv` moves it
    cleanup(repo, "--undo", "--yes")
    assert tags(repo) == {"NOTES.md": "h", "PLAN.md": "H"}
    assert repo.snapshot() == before


def tags(repo: GitRepo) -> dict[str, str]:
    """{path: the tag `git ls-files -v` gives it} ("h": assume-unchanged)."""
    return {path: tag for tag, path in (line.split(" ", 1) for line in repo.git("ls-files", "-v").splitlines())}
