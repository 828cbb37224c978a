"""What a readiness commit says: a conventional-commit message from two states of the source.

Pure: it compares the digest (``readiness.digest``) of the source at HEAD with the digest
of the source being committed and writes the message; no repository is needed. Strings
from the source are data: each is folded onto one line, and every body line starts with
fixed text ("- ", a heading) so that no title can forge a trailer such as
``Signed-off-by:`` or ``Co-authored-by:``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from readiness.digest import Digest, TaskDigest

PREFIX = "docs(readiness): "
MAX_SUBJECT = 72
MAX_ITEMS = 50  # per list in the body; the rest is counted
MAX_TEXT = 120  # characters of one title in the body

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str, limit: int = MAX_TEXT) -> str:
    """TEXT folded onto one line: every run of whitespace (newlines included) becomes a space."""
    folded = _CONTROL.sub("?", " ".join(text.split()))
    return folded if len(folded) <= limit else folded[: limit - 1].rstrip() + "…"


class TaskLine(NamedTuple):
    """A task as the message names it."""

    id: str
    priority: str
    title: str

    @staticmethod
    def of(task: TaskDigest) -> TaskLine:
        return TaskLine(task.id, task.priority, one_line(task.title))

    def __str__(self) -> str:
        return f"{self.id} ({self.priority}): {self.title}"


class SourceChange(NamedTuple):
    """What changed in the source between HEAD and the version being committed."""

    first: bool  # nothing (loadable) at HEAD: the message describes the whole state
    head_problem: str | None = None  # why the source at HEAD did not load, if it did not
    completed: tuple[TaskLine, ...] = ()
    reopened: tuple[TaskLine, ...] = ()
    started: tuple[TaskLine, ...] = ()
    blocked: tuple[TaskLine, ...] = ()
    unblocked: tuple[TaskLine, ...] = ()
    paused: tuple[TaskLine, ...] = ()
    added: tuple[TaskLine, ...] = ()
    removed: tuple[TaskLine, ...] = ()
    edited: tuple[TaskLine, ...] = ()
    score_before: int | None = None
    score_after: int = 0
    projections: tuple[tuple[str, int | None, int | None], ...] = ()  # (priority, before, after)
    milestones_reached: tuple[str, ...] = ()
    milestones_lost: tuple[str, ...] = ()
    archived: tuple[tuple[str, str], ...] = ()  # (from, to) moves made by cleanup
    deliverables: tuple[tuple[str, str], ...] = ()  # (task id, path) of changed deliverable files
    pages: int = 0  # generated pages in the commit
    status_counts: tuple[tuple[str, int], ...] = ()
    task_count: int = 0

    @property
    def task_changes(self) -> int:
        return sum(len(group) for group in (self.completed, self.reopened, self.started, self.blocked,
                                            self.unblocked, self.paused, self.added, self.removed,
                                            self.edited))


def compare(before: Digest | None, after: Digest, *, archived: Sequence[tuple[str, str]] = (),
            head_problem: str | None = None, deliverables: Sequence[tuple[str, str]] = (),
            pages: int = 0) -> SourceChange:
    """The change from BEFORE (the source at HEAD, None if absent or unreadable) to AFTER."""
    common = {
        "score_after": after.score,
        "archived": tuple((one_line(a, 300), one_line(b, 300)) for a, b in archived),
        "status_counts": after.status_counts,
        "deliverables": tuple((task, one_line(path, 300)) for task, path in deliverables),
        "pages": pages,
        "task_count": len(after.tasks),
        "head_problem": None if head_problem is None else one_line(head_problem.split("\n", 1)[0], 200),
    }
    if before is None:
        return SourceChange(
            first=True,
            projections=tuple((priority, None, score) for priority, score in after.projections),
            milestones_reached=tuple(_name(i, t) for i, t, reached in after.milestones if reached),
            **common,  # type: ignore[arg-type]
        )
    old = {t.id: t for t in before.tasks}
    new = {t.id: t for t in after.tasks}
    groups: dict[str, list[TaskLine]] = {k: [] for k in (
        "completed", "reopened", "started", "blocked", "unblocked", "paused", "added", "removed", "edited")}
    for task in after.tasks:
        previous = old.get(task.id)
        if previous is None:
            groups["added"].append(TaskLine.of(task))
            continue
        kind = _status_change(previous.status, task.status)
        if kind is not None:
            groups[kind].append(TaskLine.of(task))
        elif previous.fingerprint != task.fingerprint:
            groups["edited"].append(TaskLine.of(task))
    groups["removed"] = [TaskLine.of(t) for t in before.tasks if t.id not in new]
    scores_before = dict(before.projections)
    scores_after = dict(after.projections)
    priorities = sorted(scores_before.keys() | scores_after.keys(), key=lambda p: int(p[1:]))
    was_reached = {i for i, _, reached in before.milestones if reached}
    now_reached = {i for i, _, reached in after.milestones if reached}
    return SourceChange(
        first=False,
        score_before=before.score,
        projections=tuple((p, scores_before.get(p), scores_after.get(p)) for p in priorities),
        milestones_reached=tuple(_name(i, t) for i, t, reached in after.milestones
                                 if reached and i not in was_reached),
        milestones_lost=tuple(_name(i, t) for i, t, reached in before.milestones
                              if reached and i not in now_reached),
        **{k: tuple(v) for k, v in groups.items()},  # type: ignore[arg-type]
        **common,  # type: ignore[arg-type]
    )


# Status values (``readiness.models.Status``), kept as text so that this module needs no models.
DONE, IN_PROGRESS, BLOCKED = "done", "in progress", "blocked"


def _status_change(before: str, after: str) -> str | None:
    if before == after:
        return None
    if after == DONE:
        return "completed"
    if before == DONE:
        return "reopened"
    if after == IN_PROGRESS:
        return "started"
    if after == BLOCKED:
        return "blocked"
    if before == BLOCKED:
        return "unblocked"
    return "paused"  # in progress -> pending


def _name(milestone_id: str, title: str) -> str:
    return f"{milestone_id}: {one_line(title)}"


# ---------------------------------------------------------------- the subject

# (group, one task, several tasks) for the subject, most telling first.
_PHRASES = (
    ("completed", "{p} {id} done", "{n} tasks done"),
    ("started", "{id} started", "{n} tasks started"),
    ("blocked", "{id} blocked", "{n} tasks blocked"),
    ("reopened", "{id} reopened", "{n} tasks reopened"),
    ("unblocked", "{id} unblocked", "{n} tasks unblocked"),
    ("paused", "{id} back to pending", "{n} tasks back to pending"),
    ("added", "add {id}", "add {n} tasks"),
    ("removed", "remove {id}", "remove {n} tasks"),
    ("edited", "edit {id}", "edit {n} tasks"),
)


def subject(change: SourceChange) -> str:
    """The first line: ``docs(readiness): ...``, at most 72 characters, most detail that fits."""
    if change.first:
        return _fit([["add readiness state", f"score {change.score_after}"], ["add readiness state"]])
    score: list[str] = [] if change.score_before == change.score_after else [
        f"score {change.score_before} -> {change.score_after}"]
    archive = [f"archive {len(change.archived)} file{'s' * (len(change.archived) != 1)}"
               ] if change.archived else []
    named: list[str] = []
    counted: list[str] = []
    for group, one, several in _PHRASES:
        tasks: tuple[TaskLine, ...] = getattr(change, group)
        if not tasks:
            continue
        counted.append(several.format(n=len(tasks)).replace("1 tasks", "1 task"))
        named.append(one.format(p=tasks[0].priority, id=tasks[0].id) if len(tasks) == 1 else counted[-1])
    n = change.task_changes
    fallback = [] if (score or archive) else [_files_phrase(change)]
    return _fit([
        named + archive + score,
        counted + archive + score,
        ([f"{n} task change{'s' * (n != 1)}"] if n else []) + archive + score,
        score or archive or fallback,
        ["update readiness state"],
    ])


def _files_phrase(change: SourceChange) -> str:
    """The subject when the source itself says nothing new: which files moved on."""
    tasks = sorted({task for task, _ in change.deliverables})
    if len(tasks) == 1:
        return f"update deliverables of {tasks[0]}"
    if tasks:
        return f"update deliverables of {len(tasks)} tasks"
    if change.pages:
        return "regenerate readiness pages"
    return "update readiness state"


def _fit(candidates: list[list[str]]) -> str:
    for parts in candidates:
        text = PREFIX + ", ".join(parts)
        if parts and len(text) <= MAX_SUBJECT:
            return text
    return PREFIX + "update readiness state"


# ---------------------------------------------------------------- the whole message

_HEADINGS = (
    ("completed", "Tasks completed"),
    ("started", "Tasks started"),
    ("blocked", "Tasks blocked"),
    ("reopened", "Tasks reopened"),
    ("unblocked", "Tasks unblocked"),
    ("paused", "Tasks back to pending"),
    ("added", "Tasks added"),
    ("removed", "Tasks removed"),
    ("edited", "Tasks edited"),
)


def commit_message(change: SourceChange, source: str) -> str:
    """The whole message: subject, then paragraphs of ``- `` items, then a fixed closing line.

    The closing line is ours and has no ``Token:`` shape, so the last paragraph can never
    be read as trailers whatever the source holds.
    """
    paragraphs = [subject(change)]
    if change.head_problem is not None:
        paragraphs.append(f"The source at HEAD does not load, so this is described as its first commit\n"
                          f"- {change.head_problem}")
    if change.first:
        counts = ", ".join(f"{count} {status}" for status, count in change.status_counts if count)
        paragraphs.append(f"First readiness state\n- {change.task_count} task"
                          f"{'s' * (change.task_count != 1)}" + (f" ({counts})" if counts else ""))
    for group, heading in _HEADINGS:
        tasks: tuple[TaskLine, ...] = getattr(change, group)
        if tasks:
            paragraphs.append(_section(heading, [str(t) for t in tasks]))
    paragraphs.append(_score_section(change))
    if change.milestones_reached:
        paragraphs.append(_section("Milestones reached", list(change.milestones_reached)))
    if change.milestones_lost:
        paragraphs.append(_section("Milestones no longer reached", list(change.milestones_lost)))
    if change.deliverables:
        paragraphs.append(_section("Deliverables changed", [f"{t}: {p}" for t, p in change.deliverables]))
    if change.pages:
        paragraphs.append(f"Generated pages\n- {change.pages} page{'s' * (change.pages != 1)} regenerated")
    if change.archived:
        paragraphs.append(_section("Files archived by cleanup", [f"{a} -> {b}" for a, b in change.archived]))
    paragraphs.append(f"Generated by readiness commit from {one_line(source, 300)}.")
    return "\n\n".join(paragraphs) + "\n"


def _section(heading: str, items: list[str]) -> str:
    shown = items[:MAX_ITEMS]
    lines = [heading, *(f"- {item}" for item in shown)]
    if len(items) > len(shown):
        lines.append(f"- and {len(items) - len(shown)} more")
    return "\n".join(lines)


def _score_section(change: SourceChange) -> str:
    def pair(before: int | None, after: int | None) -> str:
        if change.first:
            return "-" if after is None else str(after)
        if before == after:
            return "-" if after is None else f"{after} (unchanged)"
        return f"{'-' if before is None else before} -> {'-' if after is None else after}"

    lines = [f"Score {pair(change.score_before, change.score_after)}"]
    lines += [f"- with every task up to {p} done: {pair(b, a)}" for p, b, a in change.projections]
    return "\n".join(lines)
