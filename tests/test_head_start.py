"""The head starts of `readiness commit` and `readiness cleanup`: their reads begin before the
command line is loaded, under the repository's lock, and change nothing the command would
not have found itself."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.cleanup import apply as housekeeping
from readiness.cleanup.plan import PlainSettings
from readiness.cli import head_start
from readiness.commit.plan import plan_commit
from readiness.files.locking import exclusive
from readiness.git.repository import open_repository
from tests.support.commit import BASE, SOURCE, edit, make_repo
from tests.support.git import git, isolated_env
from tests.support.processes import finish, start


@pytest.fixture
def changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository whose source has a task newly done, as the current folder."""
    repo = make_repo(tmp_path / "repo")
    (repo / SOURCE).write_text(edit(BASE, "rate-limit", "status", "done"))
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    monkeypatch.chdir(repo)
    yield repo
    head_start._ready.clear()
    head_start._ready_cleanup.clear()
    with exclusive(repo, "test", wait=0):  # releases a lock a head start still holds
        pass


@pytest.mark.parametrize(("argv", "wanted"), [
    (["commit"], "commit"),
    (["commit", "--yes", "--push"], "commit"),
    (["--debug", "commit", "-m", "x"], "commit"),
    (["commit", "--source", "other.yaml"], None),
    (["commit", "--source=other.yaml"], None),
    (["commit", "--help"], None),
    (["commit", "-h"], None),
    (["cleanup", "--yes"], "cleanup"),
    (["cleanup", "--dry-run", "--source", "other.yaml"], "cleanup"),
    (["cleanup", "--undo", "--yes"], None),
    (["cleanup", "--help"], None),
    (["status"], None),
    ([], None),
    (["--debug"], None),
])
def test_only_commit_on_the_default_source_and_cleanup_get_a_head_start(argv: list[str],
                                                                       wanted: str | None) -> None:
    assert head_start.wanted(argv) == wanted


def test_the_plan_from_a_head_start_is_the_plan_without_one(changed: Path) -> None:
    head_start.begin()
    ahead = head_start.take(os.getcwd())
    assert ahead is not None
    assert ahead.repo.root == changed.resolve()
    assert ahead.reading.source == SOURCE
    with exclusive(changed, "commit", wait=0):  # the lock the head start took, not a second one
        quick = plan_commit(ahead.repo, ahead.source_file, early=ahead.early, reading=ahead.reading)
        slow = plan_commit(open_repository(changed), changed / SOURCE)
    assert quick is not None
    assert slow is not None
    assert quick.paths == slow.paths == (SOURCE, "src/rate_limit.py")
    assert quick.message == slow.message
    assert "rate-limit" in quick.message.lower() or "rate limiting" in quick.message.lower()


def test_a_head_start_is_taken_only_in_its_own_folder(changed: Path) -> None:
    head_start.begin()
    assert head_start.take(str(changed / "src")) is None


def test_the_head_start_holds_the_lock_until_commit_is_done(changed: Path) -> None:
    head_start.begin()
    env = isolated_env(changed.parent)
    waiting = finish(start(changed, env, "commit", "--dry-run", lock_wait=0.2))
    assert waiting[0] == 5
    assert f"(commit, process {os.getpid()})" in waiting[2]
    ahead = head_start.take(os.getcwd())
    assert ahead is not None
    with exclusive(changed, "commit", wait=0):
        pass
    assert finish(start(changed, env, "commit", "--dry-run", lock_wait=0))[0] == 0


HOLD = """
import sys, time
from pathlib import Path
from readiness.files.locking import exclusive
with exclusive(Path(sys.argv[1]), "build"):
    print("held", flush=True)
    time.sleep(60)
"""


@contextlib.contextmanager
def held_by_another(repo: Path) -> Iterator[None]:
    """The repository's readiness lock, held by another process meanwhile."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(repo)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_no_head_start_while_another_command_runs(changed: Path) -> None:
    with held_by_another(changed):
        head_start.begin()
        assert head_start.take(os.getcwd()) is None  # it did not read under another's lock


def test_no_head_start_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plain").mkdir()
    monkeypatch.chdir(tmp_path / "plain")
    head_start.begin()
    assert head_start.take(os.getcwd()) is None


def paused_ahead_then_stopped(repo: Path, command: str) -> None:
    """Run COMMAND --yes, paused in its head start: it already holds the repository's lock
    (another run is refused, naming it); then stop it with SIGTERM."""
    env = isolated_env(repo.parent)
    process = start(repo, env, command, "--yes", pause_at="head-start")
    other = finish(start(repo, env, command, "--dry-run", lock_wait=0))
    assert other[0] == 5
    assert f"({command}, process {process.pid})" in other[2]
    process.send_signal(signal.SIGTERM)
    assert finish(process)[0] != 0


def test_the_program_starts_commit_ahead_and_a_kill_then_changes_nothing(changed: Path) -> None:
    before = (git(changed, "rev-parse", "HEAD"), (changed / ".git" / "index").read_bytes())
    paused_ahead_then_stopped(changed, "commit")
    assert (git(changed, "rev-parse", "HEAD"), (changed / ".git" / "index").read_bytes()) == before
    assert SOURCE in git(changed, "status", "--porcelain")


def test_the_program_commits_after_its_head_start(changed: Path) -> None:
    env = isolated_env(changed.parent)
    process = start(changed, env, "commit", "--yes", pause_at="head-start", pause_seconds=0.1)
    code, out, err = finish(process)
    assert code == 0, err
    assert "Files to commit (2):" in out
    committed = git(changed, "show", "--name-only", "--format=%s", "HEAD").split()
    assert SOURCE in committed
    assert "src/rate_limit.py" in committed
    assert subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=changed).returncode == 0


def test_ctrl_c_before_the_command_line_is_loaded_is_one_line(changed: Path) -> None:
    env = isolated_env(changed.parent)
    process = start(changed, env, "commit", "--yes", pause_at="head-start")
    process.send_signal(signal.SIGINT)
    code, out, err = finish(process)
    assert (code, out, err) == (130, "", "readiness: interrupted\n")
    assert SOURCE in git(changed, "status", "--porcelain")  # nothing was committed


@pytest.fixture
def strays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository with linked stray documents (one untracked), as the current folder."""
    repo = make_repo(tmp_path / "repo")
    (repo / "NOTES.md").write_text("# Notes\n\nSee [the plan](PLAN.md) and [the guide](docs/guide.md).\n")
    (repo / "PLAN.md").write_text("# Plan\n")
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs" / "guide.md").write_text("[notes](../NOTES.md)\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "strays")
    (repo / "DRAFT.md").write_text("[guide](docs/guide.md)\n")
    monkeypatch.chdir(repo)
    monkeypatch.setattr(os, "environ", {**os.environ, **isolated_env(repo.parent)})
    yield repo
    head_start._ready_cleanup.clear()
    with exclusive(repo, "test", wait=0):  # releases a lock a head start still holds
        pass


def test_the_cleanup_plan_from_a_head_start_is_the_plan_without_one(strays: Path) -> None:
    head_start.begin_cleanup()
    ahead = head_start.take_cleanup(os.getcwd())
    assert ahead is not None
    assert ahead.repo.root == strays.resolve()
    with exclusive(strays, "cleanup", wait=0):  # the lock the head start took, not a second one
        plans = [housekeeping.survey_and_plan(repo, PlainSettings(), include_untracked=True,
                                              listing=listing, today=dt.date(2026, 1, 2))
                 for repo, listing in ((ahead.repo, ahead.listing), (open_repository(strays), None))]
    quick, slow = (plan._replace(seen=None) for plan in plans)
    assert quick == slow
    assert {m.source for m in quick.moves} == {"NOTES.md", "PLAN.md", "DRAFT.md"}
    assert {r.path for r in quick.rewrites} == {"NOTES.md", "DRAFT.md", "docs/guide.md"}


def test_no_cleanup_head_start_while_another_command_runs(strays: Path) -> None:
    with held_by_another(strays):
        head_start.begin_cleanup()
        assert head_start.take_cleanup(os.getcwd()) is None  # it did not list under another's lock


def test_the_program_starts_cleanup_ahead_and_a_kill_then_changes_nothing(strays: Path) -> None:
    before = ((strays / ".git" / "index").read_bytes(), sorted(p.name for p in strays.iterdir()))
    paused_ahead_then_stopped(strays, "cleanup")
    assert ((strays / ".git" / "index").read_bytes(), sorted(p.name for p in strays.iterdir())) == before


def test_the_program_cleans_up_after_its_head_start(strays: Path) -> None:
    env = isolated_env(strays.parent)
    process = start(strays, env, "cleanup", "--yes", pause_at="head-start", pause_seconds=0.1)
    code, _, err = finish(process)
    assert code == 0, err
    assert "docs/archive/NOTES.md" in git(strays, "diff", "--cached", "--name-only")
    assert (strays / "docs" / "guide.md").read_text() == "[notes](archive/NOTES.md)\n"


# Words a command line may hold around `commit` and `cleanup`: their options with and without
# values, values that look like options, the help options, other commands and `--`.
WORDS = ["commit", "cleanup", "status", "--debug", "--source", "--source=x.yaml", "x.yaml", "-m", "--message",
         "--message=--source", "--help", "-h", "--yes", "-y", "-ye", "--dry-run", "--undo", "--push", "--retry",
         "--edit", "--format", "json", "--", "--include-untracked", "-mhi"]


def _what_click_runs(argv: list[str]) -> tuple[str, dict[str, object]] | None:
    """The command click would run for ARGV and its parameters (every command's callback replaced
    by a recorder, so nothing runs); "help" when it shows the help; None for a usage error."""
    import contextlib
    import io
    from unittest import mock

    import click

    from readiness.cli.main import cli

    seen: list[tuple[str, dict[str, object]]] = []
    with contextlib.ExitStack() as stack:
        for name in cli.list_commands(click.Context(cli)):
            command = cli.get_command(click.Context(cli), name)
            stack.enter_context(mock.patch.object(
                command, "callback", lambda _name=name, **params: seen.append((_name, params))))
        stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        try:
            cli.main(args=list(argv), prog_name="readiness", standalone_mode=False)
        except click.UsageError:
            return None
    return seen[0] if seen else ("help", {})  # the help (or the version) was shown: no command ran


@settings(max_examples=400, deadline=None)
@given(st.tuples(st.sampled_from([[], ["commit"], ["cleanup"], ["--debug", "commit"]]),
                 st.lists(st.sampled_from(WORDS), max_size=6)).map(lambda parts: parts[0] + parts[1]))
def test_the_head_start_reads_the_arguments_as_click_does(argv: list[str]) -> None:
    """A head start is never taken for a command that does not want it: `commit` only when click
    runs commit on the default source, `cleanup` only when it runs cleanup without --undo (a usage
    error ends the program before the head start matters). It is taken whenever they do, unless
    an option's value looks like an option itself (`-m --source`): the head start then stays out,
    which costs time, never correctness."""
    wanted = head_start.wanted(argv)
    runs = _what_click_runs(argv)
    if runs is not None:
        name, params = runs
        truth = ("commit" if name == "commit" and params["source"] is None else
                 "cleanup" if name == "cleanup" and not params["undo"] else None)
        if wanted is not None:
            assert wanted == truth, (argv, runs)
        valued = ("-m", "--message", "--source", "--format")
        looks_like_option = any(before in valued and word.startswith("-") and word != "--"
                                for before, word in itertools.pairwise(argv))
        if truth is not None and not looks_like_option:
            assert wanted == truth, (argv, runs)
