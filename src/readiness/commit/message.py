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
from readiness.words import joined

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


class PlanChange(NamedTuple):
    """What changed in the plan: milestones, sign-offs, the capacity, the state's date, other parts."""

    moved: tuple[tuple[str, str, str], ...] = ()  # (milestone title, date before, date after; "": none)
    retargeted: tuple[tuple[str, str, str], ...] = ()  # (milestone title, target before, after)
    milestones_added: tuple[str, ...] = ()
    milestones_removed: tuple[str, ...] = ()
    milestones_edited: tuple[str, ...] = ()
    signed_off: tuple[tuple[str, str, str, str], ...] = ()  # (milestone title, criterion, by, on)
    withdrawn: tuple[tuple[str, str], ...] = ()  # (milestone title, criterion)
    capacity: tuple[float, float] | None = None  # hours a week, before and after
    as_of: tuple[str, str] | None = None  # the state's date, before and after
    sections_edited: tuple[str, ...] = ()  # "roles", "risks", ...

    @property
    def changes(self) -> int:
        """How many changes (the state's date apart: it moves with nearly every commit)."""
        return (sum(len(group) for group in (self.moved, self.retargeted, self.milestones_added,
                                             self.milestones_removed, self.milestones_edited,
                                             self.signed_off, self.withdrawn, self.sections_edited))
                + (self.capacity is not None))


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
    plan: PlanChange = PlanChange()

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
        plan=_plan_change(before, after),
        **common,  # type: ignore[arg-type]
    )


# How the message names the other parts of the source when they change.
_SECTION_NAMES = {"project": "project details", "scoring": "scoring weights", "faq": "FAQ",
                  "housekeeping": "housekeeping settings", "evidence": "evidence settings"}


def _plan_change(before: Digest, after: Digest) -> PlanChange:
    """What changed in the plan: milestones (dates, targets, added, removed, edited), sign-offs
    attested or withdrawn, the capacity, the state's date, and the other parts of the source."""
    old = {m[0]: m for m in before.schedule}
    new = {m[0]: m for m in after.schedule}
    both = [(old[m[0]], m) for m in after.schedule if m[0] in old]
    attested_before = {(c[0], c[1]): c for c in before.sign_offs}
    signed_off: list[tuple[str, str, str, str]] = []
    withdrawn: list[tuple[str, str]] = []
    for milestone, text, by, on in after.sign_offs:
        earlier = attested_before.get((milestone, text))
        title = one_line(new[milestone][1]) if milestone in new else milestone
        if by and (earlier is None or (earlier[2], earlier[3]) != (by, on)):
            signed_off.append((title, one_line(text), one_line(by), on))
        elif not by and earlier is not None and earlier[2]:
            withdrawn.append((title, one_line(text)))
    sections_before = dict(before.sections)
    return PlanChange(
        moved=tuple((one_line(m[1]), b[2], m[2]) for b, m in both if b[2] != m[2]),
        retargeted=tuple((one_line(m[1]), b[3], m[3]) for b, m in both if b[3] != m[3]),
        milestones_added=tuple(_name(m[0], m[1]) for m in after.schedule if m[0] not in old),
        milestones_removed=tuple(_name(m[0], m[1]) for m in before.schedule if m[0] not in new),
        milestones_edited=tuple(_name(m[0], m[1]) for b, m in both if b[4] != m[4]),
        signed_off=tuple(signed_off),
        withdrawn=tuple(withdrawn),
        capacity=None if before.capacity == after.capacity else (before.capacity, after.capacity),
        as_of=None if before.as_of == after.as_of else (before.as_of, after.as_of),
        sections_edited=tuple(_SECTION_NAMES.get(name, name) for name, fingerprint in after.sections
                              if sections_before.get(name, fingerprint) != fingerprint),
    )


# Status values (``readiness.source.models.Status``), kept as text so that this module needs no models.
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
    plan_named, plan_counted = _plan_phrases(change.plan)
    named += plan_named
    counted += plan_counted
    plan = change.plan
    if plan.as_of is not None and not (n or plan.changes):
        named.append(f"state as of {plan.as_of[1]}")  # nothing else in the source changed
        counted.append(named[-1])
    fallback = [] if (score or archive) else [_files_phrase(change)]
    changes = n + plan.changes
    if n and not plan.changes:
        total = [f"{n} task change{'s' * (n != 1)}"]
    else:
        total = [f"{changes} change{'s' * (changes != 1)}"] if changes else []
    more = len(counted) - 1  # the most telling change named, the others counted
    return _fit([
        named + archive + score,
        counted + archive + score,
        *([[first, f"{more} more change{'s' * (more != 1)}", *archive, *score]
           for first in dict.fromkeys((named[0], counted[0]))] if more > 0 else []),
        total + archive + score,
        score or archive or fallback,
        ["update readiness state"],
    ])


def _plan_phrases(change: PlanChange) -> tuple[list[str], list[str]]:
    """The subject's phrases for the plan: (naming what changed, counting it), most telling first."""
    named: list[str] = []
    counted: list[str] = []

    def add(items: Sequence[object], one: str, several: str) -> None:
        if items:
            counted.append(several.format(n=len(items)) if len(items) > 1 else one)
            named.append(one if len(items) == 1 else counted[-1])

    if change.moved:
        title, was, now = change.moved[0]
        one = f"move {title} to {now}" if now and was else f"set {title} for {now}" if now else \
            f"take the date off {title}"
        add(change.moved, one, "move {n} milestones")
    if change.signed_off:
        add(change.signed_off, f"sign off {change.signed_off[0][1]}", "sign off {n} criteria")
    if change.withdrawn:
        add(change.withdrawn, f"withdraw sign-off of {change.withdrawn[0][1]}", "withdraw {n} sign-offs")
    if change.retargeted:
        title, was, now = change.retargeted[0]
        add(change.retargeted, f"retarget {title} {was or 'none'} -> {now or 'none'}",
            "retarget {n} milestones")
    if change.milestones_added:
        add(change.milestones_added, f"add milestone {change.milestones_added[0].split(': ', 1)[0]}",
            "add {n} milestones")
    if change.milestones_removed:
        add(change.milestones_removed, f"remove milestone {change.milestones_removed[0].split(': ', 1)[0]}",
            "remove {n} milestones")
    if change.milestones_edited:
        add(change.milestones_edited, f"edit milestone {change.milestones_edited[0].split(': ', 1)[0]}",
            "edit {n} milestones")
    if change.capacity is not None:
        add([change.capacity], f"capacity {_hours(change.capacity[0])} -> {_hours(change.capacity[1])} h/week",
            "")
    if change.sections_edited:
        add([change.sections_edited], f"edit {joined(change.sections_edited)}", "")
    return named, counted


def _hours(value: float) -> str:
    return f"{value:g}"


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
    plan = _plan_section(change.plan)
    if plan:
        paragraphs.append(plan)
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


def _plan_section(change: PlanChange) -> str:
    """The plan's changes as one paragraph (empty when none): milestones, sign-off, project."""
    items = [f"{title}: moved from {was or 'no date'} to {now or 'no date'}"
             for title, was, now in change.moved]
    items += [f"{title}: target {was or 'none'} -> {now or 'none'}" for title, was, now in change.retargeted]
    items += [f"milestone added: {name}" for name in change.milestones_added]
    items += [f"milestone removed: {name}" for name in change.milestones_removed]
    items += [f"milestone edited: {name}" for name in change.milestones_edited]
    items += [f"{title}: signed off \"{text}\" (by {by} on {on})" for title, text, by, on in change.signed_off]
    items += [f"{title}: sign-off of \"{text}\" withdrawn" for title, text in change.withdrawn]
    if change.capacity is not None:
        items.append(f"capacity {_hours(change.capacity[0])} -> {_hours(change.capacity[1])} hours a week")
    if change.as_of is not None:
        items.append(f"state as of {change.as_of[1]} (was {change.as_of[0]})")
    items += [f"{name} edited" for name in change.sections_edited]
    return _section("Plan", items) if items else ""


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
