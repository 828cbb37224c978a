"""`readiness mark`: only the status value's bytes change, and every unsafe case is refused."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.errors import SourceError, WouldLoseData
from readiness.source.loader import load_text
from readiness.source.mark import (
    CannotMarkSafely,
    InvalidMark,
    _status_node,
    mark_file,
    plan_status,
    set_status,
)
from tests.support import EXAMPLE
from tests.support.sources import ONE_PHASE

CONTENT = EXAMPLE

HEAD = ONE_PHASE


TASK_A = "  - id: a\n    title: A\n    phase: one\n    priority: P0\n"


def source(tasks: str, head: str = HEAD) -> str:
    return head + tasks


def only_changed(before: bytes, after: bytes, old: bytes, new: bytes, marker: bytes) -> None:
    """AFTER is BEFORE with OLD, found right after the unique MARKER, replaced by NEW; a task
    marked done also gets a ``completed:`` line for today right after its status line, at the
    status key's indentation and with its line ending (when nothing else follows the value)."""
    assert before.count(marker) == 1, "the test's marker must be unique"
    start = before.index(marker) + len(marker)
    assert before[start:start + len(old)] == old
    expected = before[:start] + new + before[start + len(old):]
    if new == b"done" and old != b"done":
        line_end = expected.index(b"\n", start)
        if not expected[start + len(new):line_end].strip():
            key = expected.rfind(b"status:", 0, start)
            indent = key - (expected.rfind(b"\n", 0, key) + 1)
            newline = b"\r\n" if expected[line_end - 1:line_end] == b"\r" else b"\n"
            line = b" " * indent + b"completed: " + dt.date.today().isoformat().encode() + newline
            expected = expected[:line_end + 1] + line + expected[line_end + 1:]
    assert after == expected


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readiness", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)


# --- the example content ----------------------------------------------------------------------


def test_example_content_changes_only_the_status(tmp_path: Path) -> None:
    path = tmp_path / "readiness.yaml"
    path.write_bytes(CONTENT.read_bytes())
    before = path.read_bytes()
    edit = mark_file(path, "rate-limit-module", "in progress")
    assert (edit.old, edit.new) == ("done", "in progress")
    model_before = load_text(before.decode("utf-8"))
    completed = model_before.task("rate-limit-module").completed
    assert completed is not None
    line = b"    completed: " + completed.isoformat().encode() + b"\n"
    marker = (b"- id: rate-limit-module\n    title: Rate-limiting module for edge functions\n"
              b"    phase: security\n    priority: P0\n    status: ")
    start = before.index(marker) + len(marker)
    gone = before.index(line, start)
    only_changed(before[:gone] + before[gone + len(line):], path.read_bytes(), b"done", b"in progress", marker)
    model = load_text(path.read_text(encoding="utf-8"))
    assert model.task("rate-limit-module").status.value == "in progress"
    assert model.task("rate-limit-module").completed is None  # reopened: no completion date


def test_every_task_and_status_of_the_example_changes_one_span() -> None:
    text = CONTENT.read_text(encoding="utf-8")
    model = load_text(text)
    lines = text.split("\n")
    for task in model.tasks:
        for status in ("done", "in progress", "pending", "blocked"):
            edit = plan_status(text, task.id, status)
            line = lines[edit.line - 1]
            start = sum(len(x) + 1 for x in lines[:edit.line - 1]) + edit.column - 1
            assert line[edit.column - 1:].startswith(task.status.value)
            after = load_text(edit.text).task(task.id)
            assert after.status.value == status
            if status == task.status.value:
                assert edit.text == text
                continue
            if status == "done":
                assert after.completed == dt.date.today()
            elif task.status.value == "done":
                assert after.completed is None
            else:
                assert after.completed == task.completed
            # apart from the completed line, only the status value changed
            def no_dates(value: str) -> list[str]:
                return [x for x in value.split("\n") if not x.strip().startswith("completed:")]
            expected = text[:start] + status + text[start + len(task.status.value):]
            assert no_dates(edit.text) == no_dates(expected)


# --- crafted files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "marker", "old", "new", "status"),
    [
        pytest.param("  - id: a\n    title: A\n    phase: one\n    priority: P0\n"
                     "    status: pending   # waiting for review\n",
                     "status: ", "pending", "done", "done", id="comment-after-value"),
        pytest.param("  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status: 'pending'\n",
                     "status: ", "'pending'", "'in progress'", "in progress", id="single-quoted"),
        pytest.param("  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status: \"in progress\"\n",
                     "status: ", '"in progress"', '"blocked"', "blocked", id="double-quoted"),
        pytest.param("  - {id: a, title: A, phase: one, priority: P0, status: pending}\n"
                     "  - {id: b, title: B, phase: one, priority: P0, status: pending}  # b\n",
                     "id: a, title: A, phase: one, priority: P0, status: ", "pending", "in progress",
                     "in progress", id="flow-style"),
        pytest.param("  - {id: a, title: A, phase: one, priority: P0, status: 'done'}\n",
                     "status: ", "'done'", "'blocked'", "blocked", id="flow-style-quoted"),
        pytest.param("  - id: a\n    title: \"A\\tB\tC\"\n    phase: one\n    topics: [a,\tb]\n"
                     "    priority: P0\n    status: pending  # a\ttab\n", "status: ", "pending", "done", "done",
                     id="tabs"),
        pytest.param("  -   id: a\n      title: A\n      phase: one\n      priority: P0\n"
                     "      status:     blocked\n",
                     "status:     ", "blocked", "pending", "pending", id="odd-indentation"),
        pytest.param("  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status:\n      pending\n",
                     "status:\n      ", "pending", "done", "done", id="value-on-next-line"),
        pytest.param("  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status: in progress\n"
                     "  - id: b\n    title: B\n    phase: one\n    priority: P0\n    status: in progress\n",
                     "id: b\n    title: B\n    phase: one\n    priority: P0\n    status: ", "in progress",
                     "done", "done", id="second-of-two-alike"),
    ],
)
def test_crafted_files_change_only_the_value(
    tmp_path: Path, body: str, marker: str, old: str, new: str, status: str
) -> None:
    task = "b" if "second" in marker or "id: b\n" in marker else "a"
    path = tmp_path / "r.yaml"
    path.write_bytes(source(body).encode("utf-8"))
    before = path.read_bytes()
    mark_file(path, task, status)
    only_changed(before, path.read_bytes(), old.encode(), new.encode(), marker.encode())


def test_unindented_sequence_and_three_space_indent(tmp_path: Path) -> None:
    text = ("project:\n   name: Demo\n   as_of: 2025-01-01\nphases:\n- id: one\n  title: One\n"
            "tasks:\n- id: a\n  title: A\n  phase: one\n  priority: P0\n  status: pending # x\n")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    mark_file(path, "a", "done")
    assert path.read_text(encoding="utf-8") == text.replace("status: pending # x", "status: done # x")


def test_crlf_line_endings_stay(tmp_path: Path) -> None:
    body = "  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status: pending  # c\n"
    data = source(body).replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "r.yaml"
    path.write_bytes(data)
    mark_file(path, "a", "in progress")
    after = path.read_bytes()
    assert after.count(b"\r\n") == data.count(b"\r\n")
    assert after.count(b"\n") == data.count(b"\n")
    only_changed(data, after, b"pending", b"in progress", b"status: ")


def test_bom_and_non_ascii_text_stay(tmp_path: Path) -> None:
    body = "  - id: a\n    title: Zürich – café ✓\n    phase: one\n    priority: P0\n    status: blocked\n"
    data = ("\ufeff" + source(body)).encode("utf-8")
    path = tmp_path / "r.yaml"
    path.write_bytes(data)
    mark_file(path, "a", "done")
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    only_changed(data, after, b"blocked", b"done", b"status: ")


def test_what_only_pyyaml_reads_is_refused() -> None:
    text = source(TASK_A + "    status:\tpending\n")
    load_text(text)  # PyYAML takes a tab after the colon; ruamel.yaml does not
    with pytest.raises(CannotMarkSafely, match="round-trip YAML reader refuses"):
        set_status(text, "a", "done")


def test_set_status_is_pure_and_returns_text() -> None:
    text = source("  - id: a\n    title: A\n    phase: one\n    priority: P0\n    status: pending\n")
    assert set_status(text, "a", "done", today=dt.date(2025, 1, 2)) == text.replace(
        "status: pending\n", "status: done\n    completed: 2025-01-02\n")
    assert set_status(text, "a", "In-Progress") == text.replace("status: pending", "status: in progress")
    assert set_status(text, "a", "pending") == text


# --- refusals ---------------------------------------------------------------------------------



@pytest.mark.parametrize(
    ("body", "task", "needle"),
    [
        pytest.param(TASK_A + "    status: &s pending\n"
                     "  - id: b\n    title: B\n    phase: one\n    priority: P0\n    status: *s\n",
                     "a", "anchor or alias", id="anchored-status"),
        pytest.param(TASK_A + "    status: &s pending\n"
                     "  - id: b\n    title: B\n    phase: one\n    priority: P0\n    status: *s\n",
                     "b", "anchor or alias", id="aliased-status"),
        pytest.param("  - &t\n    id: a\n    title: A\n    phase: one\n    priority: P0\n    status: pending\n",
                     "a", "anchor or alias", id="anchored-task"),
        pytest.param(TASK_A + "    status: >-\n      pending\n", "a", "block or multi-line", id="folded-block"),
        pytest.param(TASK_A + "    status: |-\n      pending\n", "a", "block or multi-line",
                     id="literal-block"),
        pytest.param(TASK_A + "    status: in\n      progress\n", "a", "block or multi-line",
                     id="multi-line-plain"),
        pytest.param(TASK_A + "    status: !!str pending\n", "a", "with a tag", id="tagged"),
        pytest.param(TASK_A + '    status: "pend\\x69ng"\n', "a", "escape", id="escaped"),
    ],
)
def test_unsafe_structures_are_refused(body: str, task: str, needle: str) -> None:
    text = source(body)
    load_text(text)  # the file itself is valid
    with pytest.raises(CannotMarkSafely, match=needle) as caught:
        set_status(text, task, "done")
    assert caught.value.exit_code == 4
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("  - &base {id: a, title: A, phase: one, priority: P0, status: pending}\n"
                     "  - <<: *base\n    id: b\n", id="status-from-merge"),
        pytest.param("  - &base {id: a, title: A, phase: one, priority: P0, status: pending}\n"
                     "  - <<: *base\n    id: b\n    status: done\n", id="merge-overridden"),
    ],
)
def test_merge_keys_in_a_task_are_refused(body: str) -> None:
    # The loader already refuses these files (a merged key repeated is a duplicate key to it);
    # mark's own guard refuses them too, should the loader ever accept merges.
    text = source(body)
    with pytest.raises((SourceError, CannotMarkSafely)):
        set_status(text, "b", "done")
    with pytest.raises(CannotMarkSafely, match="merge key"):
        _status_node(text, "b", "r.yaml")


def test_merge_inside_a_value_of_the_task_does_not_matter() -> None:
    text = source(TASK_A + "    status: pending\n    effort: &e {low: 1, high: 2}\n"
                  "  - id: b\n    title: B\n    phase: one\n    priority: P0\n    status: pending\n"
                  "    effort: {<<: *e}\n")
    assert set_status(text, "b", "done", today=dt.date(2025, 1, 2)) == text.replace(
        "status: pending\n    effort: {<<", "status: done\n    completed: 2025-01-02\n    effort: {<<")


def test_anchored_task_list_is_refused() -> None:
    text = source("  &all\n" + TASK_A + "    status: pending\n")
    load_text(text)
    with pytest.raises(CannotMarkSafely, match="task list"):
        set_status(text, "a", "done")


def test_unknown_task_suggests_the_nearest() -> None:
    text = source(TASK_A + "    status: pending\n").replace("id: a\n", "id: deploy-api\n")
    with pytest.raises(InvalidMark, match="no task with id 'deploy-ap'; did you mean 'deploy-api'") as caught:
        set_status(text, "deploy-ap", "done")
    assert caught.value.exit_code == 3


def test_unknown_status_is_refused() -> None:
    text = source(TASK_A + "    status: pending\n")
    with pytest.raises(InvalidMark, match="expected one of done, in progress, pending, blocked") as caught:
        set_status(text, "a", "finished")
    assert caught.value.exit_code == 3


def test_invalid_file_raises_its_source_error() -> None:
    text = source(TASK_A + "    status: pending\n    colour: red\n")
    with pytest.raises(SourceError, match=r":13:5: tasks\[0\]\.colour: unknown key"):
        set_status(text, "a", "done")


def test_change_on_disk_meanwhile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    theirs = source(TASK_A + "    status: blocked\n    owner: Someone else\n")

    def meanwhile(target: Path) -> None:
        target.write_text(theirs, encoding="utf-8")

    with pytest.raises(CannotMarkSafely, match="changed on disk"):
        mark_file(path, "a", "done", before_replace=meanwhile)
    assert path.read_text(encoding="utf-8") == theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def test_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    before = real.read_bytes()
    with pytest.raises(CannotMarkSafely, match="symbolic link") as caught:
        mark_file(link, "a", "done")
    assert caught.value.exit_code == 4
    assert real.read_bytes() == before
    assert link.is_symlink()


def test_hard_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    os.link(real, tmp_path / "other.yaml")
    with pytest.raises(CannotMarkSafely, match="hard links"):
        mark_file(real, "a", "done")


def test_file_mode_is_kept_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    path.chmod(0o640)
    mark_file(path, "a", "done")
    assert path.stat().st_mode & 0o7777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def test_same_status_and_dry_run_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not mark_file(path, "a", "pending").changed
    edit = mark_file(path, "a", "done", dry_run=True)
    assert (edit.old, edit.new, edit.changed) == ("pending", "done", True)
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert "status: pending" in path.read_text(encoding="utf-8")


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_bytes(CONTENT.read_bytes())
    return tmp_path


def test_cli_marks_a_task(project: Path) -> None:
    result = run("mark", "rate-limit-module", "in progress", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "content/readiness.yaml:70:13: task 'rate-limit-module': done -> in progress" in result.stdout
    again = run("mark", "rate-limit-module", "in-progress", cwd=project)
    assert again.returncode == 0
    assert "already in progress; nothing changed" in again.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("mark", "rate-limit-modul", "done"), 3, "no task with id 'rate-limit-modul'; did you mean "
                                                  "'rate-limit-module'?"),
        (("mark", "rate-limit-module", "finished"), 3, "unknown status 'finished'"),
        (("mark", "rate-limit-module", "done", "--source", "missing.yaml"), 3, "missing.yaml: no such file"),
        (("mark", "rate-limit-module", "done", "--source", "link.yaml"), 4, "symbolic link"),
        (("mark", "b", "done", "--source", "anchor.yaml"), 4, "anchor or alias"),
        (("mark", "a", "done", "--source", "broken.yaml"), 3, "broken.yaml:9:2: YAML syntax"),
    ],
)
def test_cli_refusals_are_one_line_without_traceback(project: Path, args: tuple[str, ...], code: int,
                                                    message: str) -> None:
    (project / "link.yaml").symlink_to(project / "content" / "readiness.yaml")
    (project / "anchor.yaml").write_text(source(
        TASK_A + "    status: &s pending\n  - {id: b, title: B, phase: one, priority: P0, status: *s}\n"))
    (project / "broken.yaml").write_text(source("  - id: a\n title: [\n"))
    before = (project / "content" / "readiness.yaml").read_bytes()
    result = run(*args, cwd=project)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (project / "content" / "readiness.yaml").read_bytes() == before


# --- folders that are symbolic links (real processes, real links) -----------------------------

LINK_REFUSED = ("readiness: {link} is a symbolic link: refusing to write through it (the files would go to "
                "{target}); make it a real folder, or pass the source's real path with --source\n")


def _linked_project(tmp_path: Path, where: str) -> tuple[Path, Path]:
    """A project whose `content` folder is a link to TARGET (outside it, another project, or a
    folder inside it), with the source in TARGET; the project and TARGET."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    target = {"outside": tmp_path / "elsewhere", "project": tmp_path / "other",
              "inside": repo / "data" / "real"}[where]
    target.mkdir(parents=True)
    if where == "project":
        (target / ".git").mkdir()
    (target / "readiness.yaml").write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    (repo / "content").symlink_to(target, target_is_directory=True)
    return repo, target


@pytest.mark.parametrize("where", ["outside", "project", "inside"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_cli_refuses_a_source_folder_that_is_a_link(tmp_path: Path, where: str, dry_run: bool) -> None:
    repo, target = _linked_project(tmp_path, where)
    before = (target / "readiness.yaml").read_bytes()
    result = run("mark", "a", "done", *(["--dry-run"] if dry_run else []), cwd=repo)
    assert result.returncode == 4, result.stderr
    assert result.stderr == LINK_REFUSED.format(link="content", target=target.resolve())
    assert result.stdout == ""
    assert (target / "readiness.yaml").read_bytes() == before
    assert sorted(p.name for p in target.iterdir()) == [".git"] * (where == "project") + ["readiness.yaml"]
    assert not (repo / ".git" / "readiness.lock").exists()  # refused before the lock, too


def test_cli_refuses_the_link_given_explicitly_and_from_outside_the_project(tmp_path: Path) -> None:
    repo, target = _linked_project(tmp_path, "outside")
    before = (target / "readiness.yaml").read_bytes()
    result = run("mark", "a", "done", "--source", str(repo / "content" / "readiness.yaml"), cwd=tmp_path)
    assert result.returncode == 4, result.stderr
    assert result.stderr == LINK_REFUSED.format(link="repo/content", target=target.resolve())
    assert (target / "readiness.yaml").read_bytes() == before


def test_cli_refuses_a_link_from_outside_into_the_project(tmp_path: Path) -> None:
    _, target = _linked_project(tmp_path, "inside")
    (tmp_path / "into").symlink_to(target, target_is_directory=True)
    before = (target / "readiness.yaml").read_bytes()
    result = run("mark", "a", "done", "--source", str(tmp_path / "into" / "readiness.yaml"), cwd=tmp_path)
    assert result.returncode == 4, result.stderr
    assert result.stderr == (f"readiness: {tmp_path / 'into'} leads into the repository through a symbolic "
                             "link: refusing to write through it; name the folder inside the repository, or "
                             "pass the source's real path with --source\n")
    assert (target / "readiness.yaml").read_bytes() == before


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_cli_marks_the_real_path_named_with_source(tmp_path: Path, where: str) -> None:
    """The rule: an explicit --source in no project (like an --out outside the repository) is the
    user's choice; one inside a project must be reached without links, as the hint says."""
    repo, target = _linked_project(tmp_path, where)
    result = run("mark", "a", "done", "--source", str(target / "readiness.yaml"), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "status: done" in (target / "readiness.yaml").read_text(encoding="utf-8")


def test_cli_allows_a_link_above_the_project(tmp_path: Path) -> None:
    repo, _ = _linked_project(tmp_path, "inside")
    (repo / "content").unlink()
    (repo / "content").mkdir()
    (repo / "data" / "real" / "readiness.yaml").rename(repo / "content" / "readiness.yaml")
    (tmp_path / "alias").symlink_to(repo, target_is_directory=True)
    result = run("mark", "a", "done", "--source", str(tmp_path / "alias" / "content" / "readiness.yaml"),
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "status: done" in (repo / "content" / "readiness.yaml").read_text(encoding="utf-8")


def test_mark_file_refuses_a_linked_folder(tmp_path: Path) -> None:
    repo, target = _linked_project(tmp_path, "outside")
    with pytest.raises(WouldLoseData, match="content is a symbolic link") as caught:
        mark_file(repo / "content" / "readiness.yaml", "a", "done")
    assert caught.value.exit_code == 4
    assert "status: pending" in (target / "readiness.yaml").read_text(encoding="utf-8")


def test_a_folder_that_becomes_a_link_meanwhile_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "content").mkdir()
    path = repo / "content" / "readiness.yaml"
    path.write_text(source(TASK_A + "    status: pending\n"), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"

    def meanwhile(target: Path) -> None:  # the folder moves out and a link takes its place
        (repo / "content").rename(elsewhere)
        (repo / "content").symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(WouldLoseData, match="symbolic link"):
        mark_file(path, "a", "done", before_replace=meanwhile)
    assert "status: pending" in (elsewhere / "readiness.yaml").read_text(encoding="utf-8")
