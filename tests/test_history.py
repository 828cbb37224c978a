"""History from git: 30 commits with invalid ones and a rename; status --at; the score picture."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.errors import SourceError
from readiness.git.repository import Repository, open_repository
from readiness.history import ChunkedLoader, History, HistoryPoint, score_series, walk_history
from readiness.pages.pictures_history import score_chart_svg
from readiness.source.loader import load_text
from tests.support import EXAMPLE
from tests.support.cli import run_cli, write_tree
from tests.support.git import git
from tests.support.sources import source_text

TASKS = 10
INVALID = {7, 15}  # commits whose source does not load
RENAMED_AT = 20  # the commit that moves content/readiness.yaml to docs/state.yaml


def _commit(repo: Path, message: str, day: int) -> None:
    stamp = f"2025-10-{day:02d}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, env=env, check=True)


def _state(done: int) -> str:
    """Block-style YAML, as people write it (so history's incremental parsing is exercised)."""
    tasks: list[dict[str, object]] = [{"id": f"t{i}", "status": "done" if i < done else "pending"}
                                      for i in range(TASKS)]
    half = {"id": "half", "title": "Half", "requires": {"tasks": ["t0", "t1", "t2", "t3", "t4"]}}
    return _block(source_text(tasks, milestones=[half]))


def _block(json_text: str) -> str:
    return str(yaml.safe_dump(json.loads(json_text), sort_keys=False))


@pytest.fixture
def history_repo(repo: Path) -> Path:
    """30 commits of the source: one more task done every third commit, two invalid, one rename."""
    path = "content/readiness.yaml"
    for number in range(1, 31):
        if number == RENAMED_AT:
            (repo / "docs").mkdir()
            git(repo, "mv", path, "docs/state.yaml")
            path = "docs/state.yaml"
        text = _state(number // 3) + f"# revision {number}\n"
        if number in INVALID:
            text = text.replace("priority: P0", "priority: high", 1)
        write_tree(repo, {path: text, "other.txt": f"{number}\n"})
        git(repo, "add", "-A")
        _commit(repo, f"change {number}", number)
        if number == 10:
            git(repo, "tag", "v1")
    write_tree(repo, {"other.txt": "not the source\n"})
    git(repo, "add", "-A")
    _commit(repo, "unrelated", 31)
    return repo


def test_history_follows_the_source_through_a_rename(history_repo: Path) -> None:
    result = run_cli("history", "--source", "docs/state.yaml", "--format", "json", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    commits = data["commits"]
    assert len(commits) == 28
    assert len(data["skipped"]) == 2
    assert result.stderr.strip() == "2 commits skipped: the source did not load"
    assert [c["date"][:10] for c in commits][:3] == ["2025-10-01", "2025-10-02", "2025-10-03"]
    assert {c["path"] for c in commits[:17]} == {"content/readiness.yaml"}
    assert {c["path"] for c in commits[17:]} == {"docs/state.yaml"}
    assert commits[0]["tasks_done"] == 0
    assert commits[-1]["tasks_done"] == 10
    assert commits[-1]["score"] == 100
    assert commits[-1]["milestones_reached"] == ["half"]
    assert commits[0]["milestones_reached"] == []
    scores = [c["score"] for c in commits]
    assert scores == sorted(scores)


def test_history_text_table(history_repo: Path) -> None:
    result = run_cli("history", "--source", "docs/state.yaml", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["date", "commit", "score", "tasks", "done", "milestones", "reached"]
    assert len(lines) == 29
    assert lines[1].startswith("2025-10-01  ")
    assert lines[-1].endswith("  100       10/10  half")
    assert "Reading history" not in result.stderr  # no progress bar without a terminal


def test_history_reads_every_blob_in_one_git_process(history_repo: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    original = Repository.git

    def counting(self: Repository, *args: str, **kwargs: Any) -> Any:
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "git", counting)
    repo = open_repository(history_repo)
    history = walk_history(repo, "docs/state.yaml")
    assert len(history.points) == 28
    assert len(calls) == 3  # git log --follow, the sizes (none over the limit is read), then the blobs
    assert [c for c in calls if "cat-file" in c] == [("cat-file", "--batch-check"), ("cat-file", "--batch")]


def test_status_at_a_tag_and_a_sha(history_repo: Path) -> None:
    at_tag = run_cli("status", "--source", "docs/state.yaml", "--at", "v1", cwd=history_repo)
    assert at_tag.returncode == 0, at_tag.stderr
    sha = git(history_repo, "rev-parse", "v1").strip()
    assert at_tag.stdout.startswith(f"At v1: commit {sha[:12]} of 2025-10-10\n")
    assert "Tasks      3 of 10 done" in at_tag.stdout
    now = run_cli("status", "--source", "docs/state.yaml", cwd=history_repo)
    assert "Tasks      10 of 10 done" in now.stdout
    by_sha = run_cli("status", "--source", "docs/state.yaml", "--at", sha[:10], cwd=history_repo)
    assert by_sha.stdout == at_tag.stdout.replace("At v1:", f"At {sha[:10]}:")


def test_status_at_bad_revisions_is_one_line(history_repo: Path) -> None:
    missing = run_cli("status", "--at", "no-such-tag", cwd=history_repo)
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("readiness: 'no-such-tag' names no commit")
    invalid = run_cli("status", "--source", "docs/state.yaml", "--at", "HEAD~16", cwd=history_repo)
    assert invalid.returncode == 3  # commit 15: the source is invalid there
    assert invalid.stderr.startswith("HEAD~16:docs/state.yaml:")
    git(history_repo, "checkout", "-q", "--orphan", "fresh")
    git(history_repo, "rm", "-rq", "--cached", ".")
    write_tree(history_repo, {"unrelated.txt": "x\n"})
    git(history_repo, "add", "unrelated.txt")
    _commit(history_repo, "unrelated root", 28)
    git(history_repo, "checkout", "-qf", "main")
    absent = run_cli("status", "--source", "docs/state.yaml", "--at", "fresh", cwd=history_repo)
    assert absent.returncode == 3
    assert absent.stderr.strip().startswith("readiness: docs/state.yaml does not exist at fresh")
    assert "Traceback" not in missing.stderr + invalid.stderr + absent.stderr


def test_score_series_and_chart() -> None:
    def point(day: int, score: float) -> HistoryPoint:
        return HistoryPoint("0" * 40, dt.datetime(2025, 10, day, tzinfo=dt.timezone.utc), "s.yaml",
                            dt.date(2025, 10, day), score, 0, 1, (), 0)

    history = History("s.yaml", (point(1, 10.0), point(5, 55.5), point(9, 78.0)), ())
    series = score_series(history)
    assert [s for _, s in series] == [10.0, 55.5, 78.0]
    svg = score_chart_svg(series)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == (
        "Readiness score over time: 10/100 on 2025-10-01 to 78/100 on 2025-10-09, 3 commits")
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "currentColor" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert ET.fromstring(score_chart_svg([])).get("aria-label") == "Readiness score over time: no history yet"


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
TASK_ANCHOR = """  - id: anchored
    title: &title Uses an anchor
    phase: foundation
    priority: P3
    status: pending
    notes: *title
"""


@pytest.mark.parametrize("text", [
    EXAMPLE_TEXT,
    EXAMPLE_TEXT.replace("\ntasks:\n", "\ntasks:\n" + TASK_ANCHOR, 1),  # anchor and alias in one task
    EXAMPLE_TEXT.replace("  as_of:", "  owner: &who Platform\n  as_of:", 1).replace(
        "    owner: Senior backend developer", "    owner: *who", 1),  # alias across parts
    EXAMPLE_TEXT.replace("\ntasks:\n", "\ntasks:\n# a comment at column 0\n\n", 1),
    EXAMPLE_TEXT + "project:\n  name: again\n",  # duplicate top-level key
    EXAMPLE_TEXT.replace("priority: P0", "priority: high", 1),  # invalid value
    EXAMPLE_TEXT.replace("status: done", "status: !!python/name:os.system done", 1),  # a tag
    EXAMPLE_TEXT.replace("\ntasks:\n", "\ntasks:\n    - stray\n", 1),  # items of uneven depth
    EXAMPLE_TEXT + "---\nproject: {}\n",  # two documents
    yaml.safe_dump(yaml.safe_load(EXAMPLE_TEXT), sort_keys=False),  # items at column 0
])
def test_incremental_loading_gives_what_a_whole_file_load_gives(text: str) -> None:
    loader = ChunkedLoader()
    loader.load(EXAMPLE_TEXT, "x")  # warm the cache with the parts of another version
    try:
        expected: object = load_text(text, "x")
    except SourceError as error:
        expected = str(error)
    try:
        got: object = loader.load(text, "x")
    except SourceError as error:
        got = str(error)
    assert got == expected


def test_incremental_loading_takes_the_fast_path_for_block_yaml() -> None:
    assert ChunkedLoader()._fast_data(EXAMPLE_TEXT, "x") is not None
    assert ChunkedLoader()._fast_data(_state(3), "x") is not None


def test_history_shows_progress_on_a_terminal_for_many_commits(repo: Path) -> None:
    import pty
    import sys

    for number in range(1, 56):
        write_tree(repo, {"content/readiness.yaml": _state(number % TASKS) + f"# {number}\n"})
        git(repo, "add", "-A")
        _commit(repo, f"change {number}", 1 + number % 28)
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "readiness", "history"], cwd=repo,
                               stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.communicate()[0]
    assert process.returncode == 0
    assert b"Reading history" in seen
    assert b"100%" in seen
    assert len(stdout.decode().splitlines()) == 56  # the table itself is untouched by the bar


def test_history_of_a_source_never_committed(repo: Path) -> None:
    write_tree(repo, {"content/readiness.yaml": _state(1), "x.txt": "x\n"})
    git(repo, "add", "x.txt")
    _commit(repo, "first", 1)
    result = run_cli("history", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/readiness.yaml has no commits yet"


def test_status_at_a_commit_whose_source_is_not_utf8_points_at_the_byte(repo: Path) -> None:
    text = _state(1).replace("name: Demo", "name: D\xe9mo").encode("latin-1")
    line = next(n for n, row in enumerate(text.split(b"\n"), 1) if b"\xe9" in row)
    (repo / "content").mkdir()
    (repo / "content" / "readiness.yaml").write_bytes(text)
    git(repo, "add", "-A")
    _commit(repo, "latin-1", 1)
    result = run_cli("status", "--at", "HEAD", cwd=repo)
    assert result.returncode == 3
    assert result.stderr.startswith(f"HEAD:content/readiness.yaml:{line}:")
    assert "not UTF-8" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_status_says_an_eta_past_the_last_date_is_not_unestimated_work(repo: Path) -> None:
    tasks: list[dict[str, object]] = [{"id": "a", "effort": 100_000}]
    text = json.loads(source_text(tasks, milestones=[{"id": "m", "title": "M", "requires": {"tasks": ["a"]}}]))
    text["project"]["capacity_hours_per_week"] = 0.1
    (repo / "content").mkdir()
    (repo / "content" / "readiness.yaml").write_text(json.dumps(text))
    result = run_cli("status", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "  M (reaches 100/100): NO-GO, unknown" in result.stdout.splitlines()
    assert "past the year 9999" in result.stdout  # why there is no expected date
    assert "unestimated" not in result.stdout
