"""`readiness commit` on real temporary repositories, run through the real command line."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.commit import BASE, SOURCE, edit, make_repo, readiness
from tests.support.git import committed_files, git, isolate, isolated_env

DONE = edit(BASE, "rate-limit", "status", "done")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository in tmp_path with git isolated from the user's and the system's configuration."""
    isolate(tmp_path, monkeypatch)
    return make_repo(tmp_path / "repo")


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()



def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error output, checked to be one line without a traceback."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---------------------------------------------------------------- what is committed


def test_commits_only_readiness_files_and_leaves_other_work_as_it_was(repo: Path) -> None:
    (repo / "notes.txt").write_text("staged change\n")
    (repo / "new-staged.txt").write_text("new and staged\n")
    git(repo, "add", "notes.txt", "new-staged.txt")
    (repo / "notes.txt").write_text("staged change\nand an unstaged one\n")
    (repo / "app.py").write_text("print('unstaged')\n")
    (repo / "untracked.txt").write_text("untracked\n")
    (repo / SOURCE).write_text(DONE)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")  # a new deliverable, untracked
    staged, unstaged = git(repo, "diff", "--cached", "--", ".", ":!content", ":!src"), git(repo, "diff")
    before = head(repo)

    result = readiness(repo, "commit", "--yes")

    assert result.returncode == 0, result.stderr
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert sorted(committed_files(repo)) == [SOURCE, "src/rate_limit.py"]
    assert git(repo, "diff", "--cached") == staged
    assert git(repo, "diff") == unstaged.replace(_source_diff(unstaged), "")
    assert git(repo, "status", "--porcelain", "--", "untracked.txt") == "?? untracked.txt\n"
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject == "docs(readiness): P0 rate-limit done, score 40 -> 60\n"


def _source_diff(diff: str) -> str:
    """The part of a `git diff` about the source file (it is committed, so it leaves the diff)."""
    start = diff.find(f"diff --git a/{SOURCE}")
    if start < 0:
        return ""
    end = diff.find("diff --git", start + 1)
    return diff[start:] if end < 0 else diff[start:end]


def test_dry_run_shows_files_and_message_and_changes_nothing(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--dry-run")
    assert result.returncode == 0
    assert f"  M {SOURCE}" in result.stdout
    assert "  | docs(readiness): P0 rate-limit done, score 40 -> 60" in result.stdout
    assert head(repo) == before
    assert git(repo, "status", "--porcelain") == f" M {SOURCE}\n"


def test_without_a_terminal_and_without_yes_it_refuses(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit")
    assert result.returncode == 8
    assert head(repo) == before


def test_nothing_to_commit_exits_0_without_an_empty_commit(repo: Path) -> None:
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0
    assert "Nothing to commit" in result.stdout
    assert head(repo) == before


# ---------------------------------------------------------------- staged, then changed on disk
# A readiness file is committed as it is on disk. Staged in one version and changed again,
# the file on disk is committed (and replaces the staged version, as the plan says); put back
# as at HEAD on disk, there is nothing to commit for it, and the staged version stays staged.

LEFT_STAGED = "Staged, but as at HEAD on disk (readiness commits the file on disk), so left staged:\n"


def test_a_source_staged_then_put_back_on_disk_is_nothing_to_commit_and_stays_staged(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    git(repo, "add", SOURCE)
    (repo / SOURCE).write_text(BASE)
    before = head(repo)
    for args in (["--dry-run"], ["--yes"], ["--yes", "--retry"]):
        result = readiness(repo, "commit", *args)
        assert (result.returncode, result.stderr) == (0, ""), args
        assert result.stdout == (
            f"Nothing to commit: the readiness files are as at HEAD.\n{LEFT_STAGED}    {SOURCE}\n")
    assert head(repo) == before
    assert not (repo / ".git" / "READINESS_COMMIT_MSG").exists()
    assert git(repo, "status", "--porcelain") == f"MM {SOURCE}\n"
    assert git(repo, "show", f":{SOURCE}") == DONE


def test_a_source_taken_out_of_the_index_but_as_at_head_on_disk_is_nothing_to_commit(repo: Path) -> None:
    git(repo, "rm", "-q", "--cached", SOURCE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith(f"{LEFT_STAGED}    {SOURCE}\n")
    assert head(repo) == before
    assert git(repo, "status", "--porcelain", "--", SOURCE) == f"D  {SOURCE}\n?? {SOURCE}\n"


def test_a_deliverable_staged_then_put_back_on_disk_is_nothing_to_commit(repo: Path) -> None:
    (repo / "src" / "audit.py").write_text("AUDIT = False\n")
    git(repo, "add", "src/audit.py")
    (repo / "src" / "audit.py").write_text("AUDIT = True\n")
    result = readiness(repo, "commit", "--yes")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith(f"{LEFT_STAGED}    src/audit.py\n")
    assert git(repo, "show", ":src/audit.py") == "AUDIT = False\n"


def test_a_source_put_back_on_disk_stays_staged_when_other_readiness_files_are_committed(
        repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    git(repo, "add", SOURCE)
    (repo / SOURCE).write_text(BASE)
    (repo / "src" / "audit.py").write_text("AUDIT = 2\n")
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"{LEFT_STAGED}    {SOURCE}\n" in result.stdout
    assert committed_files(repo) == ["src/audit.py"]
    assert "rate-limit" not in git(repo, "log", "-1", "--format=%B")
    assert git(repo, "status", "--porcelain") == f"MM {SOURCE}\n"
    assert git(repo, "show", f":{SOURCE}") == DONE


def test_a_source_staged_then_changed_again_commits_the_file_on_disk_and_says_so(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    git(repo, "add", SOURCE)
    on_disk = edit(DONE, "health", "status", "done")
    (repo / SOURCE).write_text(on_disk)
    dry = readiness(repo, "commit", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert ("Staged, then changed again: the file on disk is committed and replaces the staged version:\n"
            f"    {SOURCE}\n") in dry.stdout
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert git(repo, "show", f"HEAD:{SOURCE}") == on_disk
    assert git(repo, "status", "--porcelain") == ""


def test_a_reader_that_leaves_early_does_not_stop_the_commit(repo: Path) -> None:
    # Five thousand new deliverables: the plan alone is far more than a pipe holds (64 KiB).
    parts = [f"src/part_{i:04d}.py" for i in range(5000)]
    (repo / SOURCE).write_text(DONE.replace("[src/rate_limit.py]", "[" + ", ".join(parts) + "]"))
    for part in parts:
        (repo / part).write_text("PART = True\n")
    process = subprocess.Popen([sys.executable, "-m", "readiness", "commit", "--yes"], cwd=repo,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `readiness commit --yes | head -1` does
    err = process.stderr.read()
    process.wait(timeout=120)
    assert first == b"Files to commit (5001):\n"
    assert (process.returncode, err) == (0, b"")
    assert len(committed_files(repo)) == 5001
    assert git(repo, "status", "--porcelain") == ""


def test_message_option_overrides_the_generated_message(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--message", "docs: my own words")
    assert result.returncode == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%B").strip() == "docs: my own words"


def test_first_commit_of_a_source(tmp_path: Path, repo: Path) -> None:
    git(repo, "rm", "-q", "--cached", SOURCE)
    git(repo, "commit", "-q", "-m", "chore: untrack")
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("docs(readiness): add readiness state, score 40\n")


def test_the_first_commit_of_a_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "new", commit=False)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert git(repo, "log", "--format=%s").startswith("docs(readiness): add readiness state")
    assert sorted(git(repo, "ls-files").split()) == [SOURCE, "src/audit.py"]
    assert git(repo, "status", "--porcelain") == "?? app.py\n?? notes.txt\n"


def test_a_source_at_head_that_does_not_load_is_said_in_the_body(repo: Path) -> None:
    (repo / SOURCE).write_text("project: [\n")
    git(repo, "commit", "-q", "-am", "chore: break it")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    message = git(repo, "log", "-1", "--format=%B")
    assert "The source at HEAD does not load" in message
    assert message.startswith("docs(readiness): add readiness state")


# ---------------------------------------------------------------- hooks and signing


def write_hook(repo: Path, name: str, body: str) -> None:
    hook = repo / ".git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)


def test_pre_commit_and_commit_msg_hooks_run(repo: Path) -> None:
    write_hook(repo, "pre-commit", f'echo ran > "{repo}/../pre-commit-ran"\n')
    write_hook(repo, "commit-msg", f'cp "$1" "{repo}/../commit-msg-saw"\n')
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert (repo.parent / "pre-commit-ran").exists()
    assert (repo.parent / "commit-msg-saw").read_text().startswith("docs(readiness): P0 rate-limit done")


@pytest.mark.parametrize("other_staged", [True, False], ids=["other-work-staged", "nothing-else-staged"])
def test_a_rejecting_hook_leaves_everything_and_retry_reuses_the_message(
    repo: Path, other_staged: bool
) -> None:
    # With other work staged git commits with --only; without, with --include: both must hold.
    write_hook(repo, "commit-msg", 'echo "commit-msg: no ticket number" >&2\nexit 1\n')
    (repo / "notes.txt").write_text("staged\n")
    if other_staged:
        git(repo, "add", "notes.txt")
    (repo / SOURCE).write_text(DONE)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    status, staged, before = git(repo, "status", "--porcelain"), git(repo, "diff", "--cached"), head(repo)

    result = readiness(repo, "commit", "--yes")

    assert result.returncode == 6
    assert "commit-msg: no ticket number" in result.stderr
    assert "Traceback" not in result.stderr
    assert "readiness commit --retry" in result.stderr.strip().splitlines()[-1]
    assert head(repo) == before
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "diff", "--cached") == staged
    saved = (repo / ".git" / "READINESS_COMMIT_MSG").read_text()
    assert saved.startswith("docs(readiness): P0 rate-limit done")

    (repo / ".git" / "READINESS_COMMIT_MSG").write_text("docs(readiness): edited after the hook said no\n")
    (repo / ".git" / "hooks" / "commit-msg").unlink()
    result = readiness(repo, "commit", "--yes", "--retry")
    assert result.returncode == 0, result.stderr
    assert git(repo, "log", "-1", "--format=%s") == "docs(readiness): edited after the hook said no\n"
    assert not (repo / ".git" / "READINESS_COMMIT_MSG").exists()
    assert git(repo, "diff", "--cached", "--name-only") == ("notes.txt\n" if other_staged else "")
    assert git(repo, "diff", "--name-only") == ("" if other_staged else "notes.txt\n")


def test_retry_without_a_saved_message_fails(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--retry")
    assert result.returncode == 1
    assert "no saved message" in one_line_error(result)


def test_commit_gpgsign_calls_the_signing_program(repo: Path, tmp_path: Path) -> None:
    calls = tmp_path / "gpg-calls"
    fake = tmp_path / "fake-gpg"
    # git runs `PROGRAM --status-fd=2 -bsau KEY`, reads the signature on stdout and needs
    # "[GNUPG:] SIG_CREATED " on the status fd to accept it.
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{calls}"\n'
        "cat > /dev/null\n"
        'echo "[GNUPG:] SIG_CREATED D 1 8 00 1700000000 FAKEFINGERPRINT" >&2\n'
        'printf -- "-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n"\n'
    )
    fake.chmod(0o755)
    git(repo, "config", "gpg.program", str(fake))
    git(repo, "config", "commit.gpgsign", "true")
    git(repo, "config", "user.signingkey", "TESTKEY")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert "-bsau TESTKEY" in calls.read_text()
    assert "gpgsig -----BEGIN PGP SIGNATURE-----" in git(repo, "cat-file", "commit", "HEAD")


# ---------------------------------------------------------------- paths from the source


@pytest.mark.parametrize("path", ["docs/*.md", "src/rate_?.py", "[ab].py", ".", "-f", ":/", ":(glob)x",
                                  "../outside.py", "/etc/passwd", "src/../app.py", "src//x.py", "src/"])
def test_unsafe_deliverable_paths_are_refused_and_nothing_is_committed(repo: Path, path: str) -> None:
    (repo / SOURCE).write_text(edit(DONE, "rate-limit", "deliverables", json.dumps([path])))
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 3
    line = one_line_error(result)
    assert repr(path) in line
    assert "task rate-limit" in line
    assert head(repo) == before


@pytest.mark.parametrize("kind", ["symlink", "directory", "ignored", "through-symlink"])
def test_deliverables_that_are_not_regular_tracked_files_are_refused(repo: Path, kind: str) -> None:
    target = "src/rate_limit.py"
    if kind == "symlink":
        (repo / target).symlink_to("../app.py")
    elif kind == "directory":
        (repo / target).mkdir()
        (repo / target / "inner.py").write_text("x\n")
    elif kind == "ignored":
        (repo / ".gitignore").write_text("*.py\n")
        (repo / target).write_text("x\n")
    else:
        (repo / "elsewhere").mkdir()
        (repo / "elsewhere" / "rate_limit.py").write_text("x\n")
        (repo / "src").rename(repo / "src-real")
        (repo / "src").symlink_to("elsewhere")
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 4, result.stderr
    assert "src/rate_limit.py" in one_line_error(result) or "'src" in result.stderr
    assert head(repo) == before


def test_a_deleted_deliverable_is_an_error(repo: Path) -> None:
    (repo / "src" / "audit.py").unlink()
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 4
    line = one_line_error(result)
    assert "'src/audit.py' is deleted" in line
    assert line.startswith("readiness: refused, nothing was committed: ")  # the tool named once
    assert head(repo) == before


def test_a_planned_deliverable_that_does_not_exist_yet_is_fine(repo: Path) -> None:
    (repo / SOURCE).write_text(edit(BASE, "health", "status", "done"))
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert committed_files(repo) == [SOURCE]


# ---------------------------------------------------------------- pages and cleanup


def test_generated_pages_are_committed_and_hand_written_files_left_alone(repo: Path) -> None:
    mark = "<!-- generated by readiness: do not edit; edit the source YAML -->\n"
    pages = repo / "docs" / "readiness"
    pages.mkdir(parents=True)
    (pages / "old.md").write_text(mark + "old\n")
    git(repo, "add", "docs")
    git(repo, "commit", "-q", "-m", "docs: pages")
    source = BASE.replace("milestones:", "housekeeping:\n  pages_dir: docs/readiness\nmilestones:")
    (repo / SOURCE).write_text(source)
    (pages / "old.md").unlink()
    (pages / "summary.md").write_text(mark + "# Summary\n")
    (pages / "mine.md").write_text("# Written by hand\n")
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert sorted(committed_files(repo)) == [SOURCE, "docs/readiness/old.md", "docs/readiness/summary.md"]
    assert "docs/readiness/mine.md" in result.stdout  # shown as left alone
    assert git(repo, "status", "--porcelain") == "?? docs/readiness/mine.md\n"


def test_what_cleanup_staged_is_committed_with_the_archive_in_the_message(repo: Path) -> None:
    (repo / "NOTES.md").write_text("see [app](app.py)\n")
    (repo / "README.md").write_text("read [notes](NOTES.md)\n")
    git(repo, "add", "NOTES.md", "README.md")
    git(repo, "commit", "-q", "-m", "docs: notes")
    # What `readiness cleanup` leaves: a staged move, staged link rewrites, a manifest.
    (repo / "docs" / "archive").mkdir(parents=True)
    git(repo, "mv", "NOTES.md", "docs/archive/NOTES.md")
    (repo / "docs" / "archive" / "NOTES.md").write_text("see [app](../../app.py)\n")
    (repo / "README.md").write_text("read [notes](docs/archive/NOTES.md)\n")
    manifest = repo / "docs" / "archive" / ".readiness-cleanup-20251127T120000.json"
    manifest.write_text(json.dumps({
        "tool": "readiness cleanup", "version": 1,
        "moves": [{"from": "NOTES.md", "to": "docs/archive/NOTES.md", "tracked": True, "sha256": "x"}],
        "rewrites": [{"path": "README.md", "original_path": "README.md", "count": 1, "before": "",
                      "sha256": "x"},
                     {"path": "docs/archive/NOTES.md", "original_path": "NOTES.md", "count": 1,
                      "before": "", "sha256": "x"}],
    }))
    git(repo, "add", "-A", "docs", "README.md")
    (repo / "app.py").write_text("print('unrelated, unstaged')\n")
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 0, result.stderr
    assert sorted(committed_files(repo)) == sorted([
        "NOTES.md", "README.md", "docs/archive/.readiness-cleanup-20251127T120000.json",
        "docs/archive/NOTES.md"])
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("docs(readiness): archive 1 file\n")
    assert "- NOTES.md -> docs/archive/NOTES.md" in message
    assert git(repo, "status", "--porcelain") == " M app.py\n"
    # Once committed, the manifest is history: nothing more to commit.
    assert "Nothing to commit" in readiness(repo, "commit", "--yes").stdout


# ---------------------------------------------------------------- unsafe states


def test_a_merge_in_progress_is_refused(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "other")
    (repo / "notes.txt").write_text("theirs\n")
    git(repo, "commit", "-q", "-am", "chore: theirs")
    git(repo, "checkout", "-q", "main")
    (repo / "notes.txt").write_text("ours\n")
    git(repo, "commit", "-q", "-am", "chore: ours")
    git(repo, "merge", "other", check=False)
    assert (repo / ".git" / "MERGE_HEAD").exists()
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 5
    assert "merge is in progress" in one_line_error(result)


def test_a_locked_index_is_refused(repo: Path) -> None:
    (repo / ".git" / "index.lock").write_text("")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 5
    assert "index.lock" in one_line_error(result)


def test_no_identity_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    git(repo, "config", "user.useConfigOnly", "true")
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes")
    assert result.returncode == 5
    assert "no identity" in one_line_error(result)
    assert head(repo) == before


# ---------------------------------------------------------------- push


def with_remote(repo: Path) -> Path:
    remote = repo.parent / "remote.git"
    git(repo.parent, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    return remote


def test_push_goes_to_the_branch_upstream(repo: Path) -> None:
    remote = with_remote(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "push", "-q", "-u", "origin", "feature")
    main_before = git(remote, "rev-parse", "main")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 0, result.stderr
    assert "Pushed to origin/feature" in result.stdout
    assert git(remote, "rev-parse", "feature") == git(repo, "rev-parse", "HEAD")
    assert git(remote, "rev-parse", "main") == main_before


def test_a_rejected_push_keeps_the_local_commit(repo: Path, tmp_path: Path) -> None:
    remote = with_remote(repo)
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    git(other, "config", "user.name", "Other")
    git(other, "config", "user.email", "other@example.com")
    (other / "notes.txt").write_text("someone else\n")
    git(other, "commit", "-q", "-am", "chore: someone else")
    git(other, "push", "-q")
    remote_head = git(remote, "rev-parse", "main")
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 7
    line = one_line_error(result)
    assert "kept" in line
    assert "rejected" in line
    assert git(repo, "rev-parse", "HEAD~1").strip() == before
    assert git(remote, "rev-parse", "main") == remote_head


def test_push_without_an_upstream_is_refused_before_committing(repo: Path) -> None:
    (repo / SOURCE).write_text(DONE)
    before = head(repo)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 5
    assert "no upstream" in one_line_error(result)
    assert head(repo) == before


def test_push_on_a_detached_head_is_refused(repo: Path) -> None:
    with_remote(repo)
    git(repo, "checkout", "-q", "--detach")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--push")
    assert result.returncode == 5
    assert "detached" in one_line_error(result)


def test_retry_and_message_together_is_a_usage_error(repo: Path) -> None:
    result = readiness(repo, "commit", "--retry", "--message", "x")
    assert result.returncode == 2
    assert one_line_error(result) == ("readiness: --retry reuses the saved message: it cannot be combined "
                                      "with --message (see readiness commit --help)")


def test_edit_opens_the_message_in_the_editor(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_EDITOR", "sed -i -e '1s/$/ (edited)/'")
    (repo / SOURCE).write_text(DONE)
    result = readiness(repo, "commit", "--yes", "--edit")
    assert result.returncode == 0, result.stderr
    subject = git(repo, "log", "-1", "--format=%s")
    assert subject == "docs(readiness): P0 rate-limit done, score 40 -> 60 (edited)\n"


def test_a_commit_of_the_plan_says_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving a milestone, changing the capacity or signing off: the subject names it, not
    'update readiness state' over a body of unchanged scores."""
    home = tmp_path / "home"
    home.mkdir()
    for key, value in isolated_env(home).items():
        monkeypatch.setenv(key, value)
    planned = BASE.replace("    title: Beta\n", "    title: Controlled beta\n    date: 2025-12-04\n"
                           "    sign_off:\n      - text: Beta go decision\n")
    repo = make_repo(tmp_path / "repo", planned)
    steps = [
        ("date: 2025-12-04", "date: 2025-12-18", "docs(readiness): move Controlled beta to 2025-12-18"),
        ("  as_of: 2025-11-27\n", "  as_of: 2025-11-27\n  capacity_hours_per_week: 20\n",
         "docs(readiness): capacity 40 -> 20 h/week"),
        ("      - text: Beta go decision\n",
         "      - text: Beta go decision\n        attested: {by: Head of product, date: 2025-11-28}\n",
         "docs(readiness): sign off Beta go decision"),
        ("as_of: 2025-11-27", "as_of: 2025-11-28", "docs(readiness): state as of 2025-11-28"),
    ]
    for old, new, subject in steps:
        text = (repo / SOURCE).read_text()
        assert old in text
        (repo / SOURCE).write_text(text.replace(old, new, 1))
        result = readiness(repo, "commit", "--yes")
        assert result.returncode == 0, result.stderr
        assert git(repo, "log", "-1", "--format=%s").strip() == subject


@pytest.mark.parametrize("written", ["false", "true", "no", "yes", "off", "on", "0", "1", "2", "FALSE", "",
                                     None, "true\n\tfilemode = false", "false\n\tfilemode = true"])
def test_core_filemode_is_read_as_git_reads_it(tmp_path: Path, written: str | None) -> None:
    """core.filemode comes from the same config read as the filter drivers; it must mean what
    `git config --type=bool` says it means (None: the name alone, which git reads as true)."""
    from readiness.git.repository import open_repository
    from tests.support.git import new_repo

    root = new_repo(tmp_path / "modes")
    config = root / ".git" / "config"
    line = "\tfilemode\n" if written is None else f"\tfilemode = {written}\n"
    lines = [kept for kept in config.read_text().splitlines(keepends=True) if "filemode" not in kept]
    config.write_text("".join(lines).replace("[core]\n", "[core]\n" + line, 1))
    expected = git(root, "config", "--type=bool", "--get", "core.filemode").strip() != "false"
    assert expected is (written not in ("false", "no", "off", "0", "FALSE", "", "true\n\tfilemode = false"))
    assert open_repository(root).trusts_file_modes() is expected


def test_a_blob_is_read_within_a_limit(tmp_path: Path) -> None:
    """The blob commit falls back to when HEAD moved: read whole under the limit, None over it
    (the read stops there), one line when git cannot read it."""
    from readiness.errors import ReadinessError
    from readiness.git.repository import open_repository, read_blob
    from tests.support.git import new_repo

    root = new_repo(tmp_path / "blobs")
    (root / "a").write_bytes(b"x" * 5000)
    blob = git(root, "hash-object", "-w", "a").strip()
    repo = open_repository(root)
    assert read_blob(repo, blob, 5000) == b"x" * 5000
    assert read_blob(repo, blob, 4999) is None
    with pytest.raises(ReadinessError, match=r"^git cat-file failed: "):
        read_blob(repo, "0" * len(blob), 5000)
