"""What changed since the previous committed state: the pure comparison of two assessments, the
previous state found in real git repositories, and the section of the executive summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from readiness.figures.assessment import assess_project
from readiness.figures.changes import Changes, changes_between
from readiness.pages.commonmark import to_commonmark
from readiness.pages.site import assessment_of, pages_for
from readiness.source.loader import load_source, load_text
from tests.support.cli import write_tree
from tests.support.git import git

SOURCE = "content/readiness.yaml"
BUILT_ON = dt.date(2025, 11, 28)
_ICON = re.compile(r'<svg class="readiness-icon" data-icon="([a-z-]+)".*?</svg>')


def state(statuses: dict[str, str] | None = None, *, as_of: str = "2025-11-27", production: str = "2025-12-20",
          tasks: tuple[str, ...] = ("audit", "limits", "backups", "docs"),
          milestones: tuple[str, ...] = ("beta", "production")) -> str:
    """A source with TASKS (8 h each, 40 h a week), a beta (the first two) and a production milestone."""
    statuses = statuses or {}
    data: dict[str, Any] = {
        "project": {"name": "Demo", "as_of": as_of, "capacity_hours_per_week": 40},
        "phases": [{"id": "build", "title": "Build"}],
        "tasks": [{"id": t, "title": f"Task {t}", "phase": "build", "priority": "P0" if i < 2 else "P1",
                   "status": statuses.get(t, "pending"), "effort": 8, "weight": 25}
                  for i, t in enumerate(tasks)],
        "milestones": [m for m in [
            {"id": "beta", "title": "Beta", "date": "2025-12-01", "requires": {"priority": "P0"}},
            {"id": "production", "title": "Production", "date": production, "requires": {"priority": "P1"}},
        ] if m["id"] in milestones],
    }
    return json.dumps(data, indent=1) + "\n"


def compare(before: str, after: str) -> Changes:
    return changes_between(assess_project(load_text(before, "then.yaml")),
                           assess_project(load_text(after, "now.yaml")))


# --- the comparison (pure) ------------------------------------------------------------------------


def test_tasks_finished_reopened_added_and_removed() -> None:
    before = state({"audit": "done", "limits": "in progress"}, tasks=("audit", "limits", "backups", "old"))
    after = state({"limits": "done", "new-done": "done"},
                  tasks=("audit", "limits", "backups", "new", "new-done"))
    changes = compare(before, after)
    assert [t.id for t in changes.finished] == ["limits", "new-done"]  # a task added done counts as finished
    assert [t.id for t in changes.reopened] == ["audit"]
    assert [t.id for t in changes.added] == ["new"]
    assert [t.id for t in changes.removed] == ["old"]
    assert not changes.empty


def test_score_before_and_now() -> None:
    changes = compare(state(), state({"audit": "done", "limits": "done"}))
    assert (changes.score_before, changes.score_now, changes.score_delta) == (0, 50, 50)
    assert compare(state({"audit": "done"}), state()).score_delta == -25


def test_expected_date_slips_with_the_as_of_date_and_the_state_changes() -> None:
    # 16 h of beta work at 40 h a week: 3 days after the as-of date; a week later and nothing done
    # it slips by the same week, past the beta's date.
    changes = compare(state(), state(as_of="2025-11-29"))
    beta = next(m for m in changes.milestones if m.milestone.id == "beta")
    assert beta.before is not None
    assert (beta.before.state, beta.now.state, beta.worse) == ("on track", "at risk", True)
    assert beta.expected_moved
    assert beta.expected_days == 2
    assert (beta.before.eta_late, beta.now.eta_late) == (dt.date(2025, 11, 30), dt.date(2025, 12, 2))
    assert not beta.due_changed
    assert changes.score_delta == 0
    assert not changes.finished


def test_expected_date_pulled_earlier_when_work_is_done() -> None:
    changes = compare(state(), state({"backups": "done"}))
    production = next(m for m in changes.milestones if m.milestone.id == "production")
    assert production.expected_days < 0
    assert not production.state_changed


def test_due_date_changed_in_the_source() -> None:
    changes = compare(state(), state(production="2026-01-10"))
    [production] = changes.milestones
    assert production.due_changed
    assert production.due_days == 21
    assert not production.expected_moved


def test_milestones_added_and_removed() -> None:
    changes = compare(state(milestones=("beta",)), state(milestones=("production",)))
    assert [(m.milestone.id, m.added) for m in changes.milestones] == [("production", True)]
    assert [m.id for m in changes.removed_milestones] == ["beta"]


def test_nothing_changed_is_empty() -> None:
    changes = compare(state(), state() + "# a comment\n")
    assert changes.empty
    assert changes.milestones == ()
    assert changes.score_delta == 0


# --- the previous state, from git ------------------------------------------------------------------


def commit(repo: Path, text: str, day: int, path: str = SOURCE) -> str:
    write_tree(repo, {path: text})
    git(repo, "add", "-A")
    stamp = f"2025-11-{day:02d}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "commit", "-q", "-m", f"state {day}"], cwd=repo, env=env, check=True)
    return git(repo, "rev-parse", "HEAD").strip()


def summary(root: Path, path: str = SOURCE, **options: Any) -> str:
    source = root / path
    return pages_for(assessment_of(load_source(source), source, root), source, None, built_on=BUILT_ON,
                     **options)["executive-summary.md"]


def section(page: str) -> str:
    """The "What changed" section, icons written as [name]; "" when the page has none."""
    if "## What changed" not in page:
        return ""
    text = page[page.index("## What changed"):page.index("## Score and projections")]
    return _ICON.sub(lambda m: f"[{m.group(1)}]", text).strip()


def test_working_copy_differs_from_head_compares_with_head(repo: Path) -> None:
    commit(repo, state(), 1)
    head = commit(repo, state({"audit": "done"}), 2)
    write_tree(repo, {SOURCE: state({"audit": "done", "limits": "done"}, as_of="2025-11-28")})
    text = section(summary(repo))
    assert text.startswith(
        f"## What changed\n\nSince 2025-11-02 (<code>{head[:7]}</code>), the previous committed state of "
        "the source:")
    assert "- [check] **1 task finished**: [Task limits](production-tracker.md#task-limits)." in text
    assert "- [up] **Score up 25 points**, from 25/100." in text
    assert "audit" not in text  # done then and now: not a change


def test_working_copy_equal_to_head_compares_with_the_version_before(repo: Path) -> None:
    first = commit(repo, state(), 1)
    commit(repo, state({"audit": "done"}, as_of="2025-11-28"), 2)
    git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated")  # commits that leave the source alone
    text = section(summary(repo))
    assert f"2025-11-01 (<code>{first[:7]}</code>)" in text
    assert "- [check] **1 task finished**: [Task audit](production-tracker.md#task-audit)." in text
    assert "- [up] **Score up 25 points**, from 0/100." in text


def test_slipped_date_state_change_and_due_date_in_words(repo: Path) -> None:
    commit(repo, state(), 1)
    commit(repo, state({"backups": "done"}, as_of="2025-11-29", production="2026-01-10"), 2)
    text = section(summary(repo))
    assert ("- [down] **Beta**: at risk, previously on track; expected 2025-12-02, 2 days later than "
            "2025-11-30.") in text
    # a task done, but two days later: the expected date still slips, by a day
    assert ("- [later] **Production**: expected 2025-12-04, 1 day later than 2025-12-03; due 2026-01-10, "
            "21 days later than 2025-12-20.") in text
    for icon in ("down", "later", "check", "up"):
        assert f"[{icon}]" in text


def test_reopened_added_removed_and_score_down(repo: Path) -> None:
    commit(repo, state({"audit": "done"}, tasks=("audit", "limits", "backups", "old")), 1)
    commit(repo, state(tasks=("audit", "limits", "backups", "new")), 2)
    text = section(summary(repo))
    assert "- [reopened] **1 task reopened**: [Task audit](production-tracker.md#task-audit)." in text
    assert "- [added] **1 task added**: [Task new](production-tracker.md#task-new)." in text
    assert "- [removed] **1 task removed**: Task old." in text
    assert "- [down] **Score down 25 points**, from 25/100." in text


def test_nothing_that_counts_changed_is_one_line(repo: Path) -> None:
    first = commit(repo, state(), 1)
    commit(repo, state() + "# reworded comment\n", 2)
    assert section(summary(repo)) == (
        f"## What changed\n\nSince 2025-11-01 (<code>{first[:7]}</code>), the previous committed state of the "
        "source, no task was finished, reopened, added or removed, and neither the score nor any milestone's "
        "state or dates moved.")


def test_long_lists_are_cut(repo: Path) -> None:
    names = tuple(f"t{i}" for i in range(9))
    commit(repo, state(tasks=names), 1)
    commit(repo, state(dict.fromkeys(names, "done"), tasks=names), 2)
    assert "**9 tasks finished**: " in section(summary(repo))
    assert "[Task t4](production-tracker.md#task-t4) and 4 more." in section(summary(repo))


def test_left_out_without_an_earlier_differing_version(repo: Path, tmp_path: Path) -> None:
    write_tree(repo, {SOURCE: state()})
    assert section(summary(repo)) == ""  # in a repository without any commit
    commit(repo, state(), 1)
    assert section(summary(repo)) == ""  # one commit, and the file as it left it
    write_tree(repo, {SOURCE: state({"audit": "done"})})
    assert "**1 task finished**" in section(summary(repo))  # one commit, and the file changed since
    assert section(summary(repo, history=False)) == ""
    alone = tmp_path / "alone"
    write_tree(alone, {SOURCE: state()})
    assert section(summary(alone)) == ""  # not in a repository
    write_tree(repo, {"other/readiness.yaml": state({"audit": "done"})})
    assert section(summary(repo, "other/readiness.yaml")) == ""  # never committed


def test_renamed_source_compares_across_the_rename(repo: Path) -> None:
    commit(repo, state(), 1)
    (repo / "docs").mkdir()
    git(repo, "mv", SOURCE, "docs/state.yaml")
    renamed = commit(repo, state(), 2, "docs/state.yaml")  # the same bytes under a new name
    write_tree(repo, {"docs/state.yaml": state({"audit": "done"})})
    text = section(summary(repo, "docs/state.yaml"))
    assert f"(<code>{renamed[:7]}</code>)" in text
    assert "**1 task finished**" in text
    commit(repo, state({"audit": "done"}), 3, "docs/state.yaml")
    text = section(summary(repo, "docs/state.yaml"))  # the newest version that differs: the rename's
    assert f"(<code>{renamed[:7]}</code>)" in text
    assert "**1 task finished**" in text
    git(repo, "rm", "-q", "docs/state.yaml")
    commit(repo, state({"audit": "done", "limits": "done"}), 4, SOURCE)  # moved back, and one more done
    text = section(summary(repo))
    assert "**1 task finished**: [Task limits]" in text  # compared with the version under the other name


def test_a_version_that_does_not_load_is_passed_over(repo: Path) -> None:
    first = commit(repo, state(), 1)
    commit(repo, state().replace('"P0"', '"high"', 1), 2)  # invalid
    write_tree(repo, {SOURCE: state({"audit": "done"})})
    assert f"(<code>{first[:7]}</code>)" in section(summary(repo))


# --- both flavours, and templates without it -------------------------------------------------------


def test_commonmark_keeps_the_words_without_icons(repo: Path) -> None:
    commit(repo, state(), 1)
    commit(repo, state({"audit": "done"}, as_of="2025-11-29"), 2)
    source = repo / SOURCE
    pages = pages_for(assessment_of(load_source(source), source, repo), source, None, built_on=BUILT_ON)
    page = to_commonmark(pages)["executive-summary.md"]
    text = page[page.index("## What changed"):page.index("## Score and projections")]
    assert "readiness-icon" not in text
    assert "<svg" not in text
    assert "\n- **1 task finished**: [Task audit](production-tracker.md#task-audit).\n" in text
    assert "\n- **Production**: expected 2025-12-04, 1 day later than 2025-12-03.\n" in text


def test_a_project_template_without_the_section_still_renders(repo: Path) -> None:
    commit(repo, state(), 1)
    commit(repo, state({"audit": "done"}), 2)
    templates = repo / "templates"
    write_tree(templates, {"executive-summary.md.j2": "# Summary\n\n{{ score }}/100\n",
                           "changes-page.md.j2": "# Changes\n\n{% include 'partials/changes.md.j2' %}\n"})
    source = repo / SOURCE
    pages = pages_for(assessment_of(load_source(source), source, repo), source, templates, built_on=BUILT_ON)
    assert pages["executive-summary.md"].endswith("# Summary\n\n25/100\n")
    assert "**1 task finished**" in pages["changes-page.md"]
