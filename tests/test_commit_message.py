"""The commit message is a pure function of two sources: golden files, cz check, no trailers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from readiness.commit.message import MAX_SUBJECT, commit_message, compare, one_line
from readiness.digest import digest_of
from readiness.errors import SourceError
from readiness.source.loader import load_text
from tests.support.commit import BASE, edit

CZ = shutil.which("cz", path=str(Path(sys.executable).parent)) or "cz"


def message(before: str | None, after: str, **extra: object) -> str:
    old = digest_of(load_text(before)) if before is not None else None
    new = digest_of(load_text(after))
    return commit_message(compare(old, new, **extra), "content/readiness.yaml")  # type: ignore[arg-type]


def cz_check(text: str, tmp_path: Path) -> None:
    file = tmp_path / "MSG"
    file.write_text(text)
    result = subprocess.run([CZ, "check", "--commit-msg-file", str(file)], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def has_trailers(text: str, tmp_path: Path) -> str:
    """What git itself reads as trailers in TEXT."""
    result = subprocess.run(["git", "interpret-trailers", "--parse"], input=text, capture_output=True,
                            text=True, check=True, cwd=tmp_path)
    return result.stdout


DONE = edit(BASE, "rate-limit", "status", "done")
STARTED_BLOCKED = edit(edit(BASE, "runbook", "status", "in progress"), "health", "status", "blocked")
ADDED_REMOVED = BASE.replace("  - id: runbook\n    title: Incident runbook\n    phase: ops\n    priority: P2\n"
                             "    status: pending\n    weight: 15\n",
                             "  - id: backups\n    title: Nightly backups\n    phase: ops\n    priority: P1\n"
                             "    status: pending\n    weight: 15\n")
MANY = edit(edit(edit(BASE, "rate-limit", "status", "done"), "health", "status", "done"),
            "runbook", "status", "blocked")
REOPENED = edit(BASE, "audit-log", "status", "in progress")
LONG_BASE = BASE.replace("id: rate-limit", "id: " + "a" * 70)
LONG_DONE = edit(LONG_BASE, "a" * 70, "status", "done")
INJECTION = edit(DONE, "rate-limit", "title",
                 '"Rate limiting\\nSigned-off-by: Mallory <m@x>\\n\\nCo-authored-by: Eve <e@x>"')
EDITED = edit(BASE, "runbook", "title", "Incident runbook and on-call rota")

# The plan: a milestone's date, the team's capacity, a sign-off, the state's date.
PLANNED = BASE.replace("  as_of: 2025-11-27\n", "  as_of: 2025-11-27\n  capacity_hours_per_week: 40\n").replace(
    "    title: Beta\n", "    title: Controlled beta\n    date: 2025-12-04\n    target_score: 60\n"
    "    sign_off:\n      - text: Beta go decision\n")
MOVED = PLANNED.replace("date: 2025-12-04", "date: 2025-12-18")
CAPACITY = PLANNED.replace("capacity_hours_per_week: 40", "capacity_hours_per_week: 20")
SIGNED = PLANNED.replace("      - text: Beta go decision\n", "      - text: Beta go decision\n"
                         "        attested: {by: Head of product, date: 2025-11-28}\n")
AS_OF = PLANNED.replace("as_of: 2025-11-27", "as_of: 2025-11-28")
REPLANNED = edit(MOVED.replace("capacity_hours_per_week: 40", "capacity_hours_per_week: 20").replace(
    "target_score: 60", "target_score: 70").replace("as_of: 2025-11-27", "as_of: 2025-11-28"),
    "rate-limit", "status", "done")

SERIES = [
    ("01-first-commit", None, BASE, {}),
    ("02-one-task-done", BASE, DONE, {}),
    ("03-started-and-blocked", BASE, STARTED_BLOCKED, {}),
    ("04-added-and-removed", BASE, ADDED_REMOVED, {}),
    ("05-many-changes", BASE, MANY, {}),
    ("06-reopened", BASE, REOPENED, {}),
    ("07-long-id", LONG_BASE, LONG_DONE, {}),
    ("08-injection", BASE, INJECTION, {}),
    ("09-archived-by-cleanup", BASE, BASE, {"archived": [("NOTES.md", "docs/archive/NOTES.md"),
                                                          ("TODO.md", "docs/archive/TODO.md")]}),
    ("10-deliverables-only", BASE, BASE, {"deliverables": [("rate-limit", "src/rate_limit.py")]}),
    ("11-edited-title", BASE, EDITED, {}),
    ("12-head-unloadable", None, DONE, {"head_problem": "content/readiness.yaml at HEAD:3:1: bad\nmore"}),
    ("13-pages-only", BASE, BASE, {"pages": 3}),
    ("14-milestone-moved", PLANNED, MOVED, {}),
    ("15-capacity", PLANNED, CAPACITY, {}),
    ("16-signed-off", PLANNED, SIGNED, {}),
    ("17-as-of-only", PLANNED, AS_OF, {}),
    ("18-sign-off-withdrawn", SIGNED, PLANNED, {}),
    ("19-replanned", PLANNED, REPLANNED, {}),
]


@pytest.mark.parametrize(("name", "before", "after", "extra"), SERIES, ids=[s[0] for s in SERIES])
def test_message_matches_golden_and_passes_cz_check(
    name: str, before: str | None, after: str, extra: dict[str, object], golden: Callable[[str, str], None],
    tmp_path: Path,
) -> None:
    text = message(before, after, **extra)
    golden(f"commit/{name}.txt", text)
    subject = text.split("\n", 1)[0]
    assert len(subject) <= MAX_SUBJECT
    assert subject.startswith("docs(readiness): ")
    cz_check(text, tmp_path)
    assert has_trailers(text, tmp_path) == ""


def test_titles_cannot_forge_trailers(tmp_path: Path) -> None:
    text = message(BASE, INJECTION)
    assert "\nSigned-off-by" not in text
    assert "\nCo-authored-by" not in text
    assert has_trailers(text, tmp_path) == ""
    # Even a title that is nothing but a trailer stays inside a "- " item.
    bare = edit(DONE, "rate-limit", "title", '"Signed-off-by: Mallory <m@x>"')
    assert has_trailers(message(BASE, bare), tmp_path) == ""


def test_the_subject_names_one_completed_task_with_its_priority() -> None:
    assert message(BASE, DONE).split("\n", 1)[0] == "docs(readiness): P0 rate-limit done, score 40 -> 60"


def test_a_subject_too_long_to_name_tasks_counts_them() -> None:
    subject = message(LONG_BASE, LONG_DONE).split("\n", 1)[0]
    assert subject == "docs(readiness): 1 task done, score 40 -> 60"


def test_first_commit_describes_the_whole_state() -> None:
    text = message(None, BASE)
    assert text.startswith("docs(readiness): add readiness state, score 40\n\nFirst readiness state\n")
    assert "- 4 tasks (1 done, 1 in progress, 2 pending)" in text


def test_milestone_reached_is_listed() -> None:
    assert "Milestones reached\n- beta: Beta\n" in message(BASE, DONE)


def test_one_line_folds_every_kind_of_line_break() -> None:
    assert one_line("a\nb\r\nc\u2028d\u2029e\x0bf\x85g\th") == "a b c d e f g h"
    assert one_line("bell\x07") == "bell?"
    assert one_line("x" * 500).endswith("…")


def test_an_unloadable_source_is_a_source_error() -> None:
    with pytest.raises(SourceError):
        load_text("tasks: [", "x")


@pytest.mark.parametrize(("before", "after", "subject"), [
    (PLANNED, MOVED, "move Controlled beta to 2025-12-18"),
    (PLANNED, CAPACITY, "capacity 40 -> 20 h/week"),
    (PLANNED, SIGNED, "sign off Beta go decision"),
    (SIGNED, PLANNED, "withdraw sign-off of Beta go decision"),
    (PLANNED, AS_OF, "state as of 2025-11-28"),
    (PLANNED, PLANNED.replace("target_score: 60", "target_score: 70"), "retarget Controlled beta 60 -> 70"),
    (PLANNED, PLANNED.replace("    date: 2025-12-04\n", ""), "take the date off Controlled beta"),
    (PLANNED, PLANNED.replace("  - id: ops\n    title: Operations\n",
                              "  - id: ops\n    title: Operations and support\n"), "edit phases"),
])
def test_the_subject_says_what_changed_in_the_plan(before: str, after: str, subject: str) -> None:
    text = message(before, after)
    assert text.split("\n", 1)[0] == f"docs(readiness): {subject}"
    assert "update readiness state" not in text
