"""Every figure the pages and commands show: pure functions of the model.

Score = 100 × Σ weight·done / Σ weight, the weighted form used by OpenSSF Scorecard and
Compass; a task's weight is explicit or comes from its priority. Nothing here reads the
clock or the network; evidence (deliverable files present) is checked against a folder
only when one is given.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readiness.source.models import Milestone, Readiness, Status, Task
from readiness.words import plural


def whole_points(value: float) -> int:
    """Round half up, the way people expect a score to round (77.5 -> 78)."""
    return math.floor(value + 0.5)


@dataclass(frozen=True)
class Hours:
    """A sum of effort: low and high bounds, and how many tasks had no estimate."""

    low: float = 0.0
    high: float = 0.0
    unestimated: int = 0

    @staticmethod
    def of(tasks: Iterable[Task]) -> Hours:
        low = high = 0.0
        unestimated = 0
        for task in tasks:
            if task.effort is None:
                unestimated += 1
            else:
                low += task.effort.low
                high += task.effort.high
        return Hours(low, high, unestimated)

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    @property
    def estimated(self) -> Hours:
        """The estimated part alone ("94.5–102.5 h"), for sentences that name the rest apart."""
        return Hours(self.low, self.high)

    def __str__(self) -> str:
        text = f"{number(self.low)}–{number(self.high)} h" if self.is_range else f"{number(self.low)} h"
        if self.unestimated:
            text += f" + {plural(self.unestimated, 'unestimated task')}"
        return text


def number(value: float) -> str:
    """VALUE with at most two decimals and no trailing zeros: 40 -> "40", 0.5 -> "0.5", never "1e+06"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Tally:
    """Tasks done out of all, and the weighted share of the score they carry."""

    done: int
    total: int
    weight_done: float
    weight_total: float

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0

    @property
    def score(self) -> float:
        return 100.0 * self.weight_done / self.weight_total if self.weight_total else 0.0


@dataclass(frozen=True)
class Group:
    """Progress of one phase or one priority."""

    key: str
    title: str
    tally: Tally
    remaining: Hours
    counts: dict[str, int]
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class Projection:
    """The score once every task of priority ``priority`` or more urgent is done."""

    priority: str
    score: float


@dataclass(frozen=True)
class Gain:
    """What finishing an open task adds to the score."""

    task: Task
    points: float
    per_hour: float | None


@dataclass(frozen=True)
class EvidenceFlag:
    """A done task whose deliverable files are missing."""

    task: Task
    missing: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Figures:
    """All figures of one model."""

    score: float
    tasks: Tally
    projections: tuple[Projection, ...]
    phases: tuple[Group, ...]
    priorities: tuple[Group, ...]
    remaining: Hours
    critical_path: tuple[Task, ...]
    critical_hours: Hours
    gains: tuple[Gain, ...]
    order: tuple[Task, ...]  # open tasks, each after the open tasks it depends on
    evidence: tuple[EvidenceFlag, ...] | None
    blocked: tuple[Task, ...]
    weights: Mapping[str, float] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    status_counts: dict[str, int] = field(default_factory=dict)

    def projection(self, priority: str) -> float:
        for item in self.projections:
            if item.priority == priority:
                return item.score
        raise KeyError(priority)

    def score_with(self, extra_done: Iterable[str]) -> float:
        """The score once the tasks EXTRA_DONE are done as well."""
        total = sum(self.weights.values())
        done = self.tasks.weight_done + sum(self.weights[i] for i in set(extra_done) - self.done)
        return 100.0 * done / total if total else 0.0

    def closing(self, milestone: Milestone, required: Sequence[Task], score_at: float) -> tuple[Task, ...]:
        """The fewest open tasks outside REQUIRED (heaviest first, then most urgent) that lift the
        score at MILESTONE from SCORE_AT to its target; empty when even all of them would not."""
        target = whole_points(milestone.target_score or 0)
        total = sum(self.weights.values())
        inside = {t.id for t in required}
        others = sorted((t for t in self.order if t.id not in inside),
                        key=lambda t: (-self.weights[t.id], t.rank))
        chosen: list[Task] = []
        score = score_at
        for task in others:
            if whole_points(score) >= target:
                break
            chosen.append(task)
            score += 100.0 * self.weights[task.id] / total if total else 0.0
        return tuple(chosen) if chosen and whole_points(score) >= target else ()


def assess(model: Readiness, root: Path | None = None) -> Figures:
    """Compute every figure of MODEL; check deliverables under ROOT when given."""
    tasks = model.tasks
    weight = {t.id: model.scoring.weight_of(t) for t in tasks}
    total_weight = sum(weight.values())
    done = {t.id for t in tasks if t.status is Status.done}
    done_weight = sum(weight[i] for i in done)
    by_id = {t.id: t for t in tasks}

    def score_with(extra_done: Iterable[str]) -> float:
        extra = sum(weight[i] for i in set(extra_done) - done)
        return 100.0 * (done_weight + extra) / total_weight if total_weight else 0.0

    by_phase: dict[str, list[Task]] = {p.id: [] for p in model.phases}
    by_priority: dict[str, list[Task]] = {}
    for task in tasks:
        by_phase.setdefault(task.phase, []).append(task)
        by_priority.setdefault(task.priority, []).append(task)
    priorities = sorted(by_priority, key=lambda p: int(p[1:]))
    projections = []
    upto: list[str] = []
    for priority in priorities:  # cumulative: every task of this priority or a more urgent one
        upto.extend(t.id for t in by_priority[priority])
        projections.append(Projection(priority, score_with(upto)))
    open_tasks = [t for t in tasks if t.status is not Status.done]
    order = topological(open_tasks, by_id)  # once; milestones reuse sub-sequences of it
    gains = tuple(sorted(
        (_gain(t, weight, total_weight) for t in open_tasks),
        key=lambda g: (-(g.per_hour if g.per_hour is not None else -1), g.task.rank),
    ))
    path = longest_chain(order)
    return Figures(
        score=score_with(()),
        tasks=_tally(tasks, weight),
        projections=tuple(projections),
        phases=tuple(_group(p.id, p.title, by_phase[p.id], weight) for p in model.phases),
        priorities=tuple(_group(p, p, by_priority[p], weight) for p in priorities),
        remaining=Hours.of(open_tasks),
        critical_path=path,
        critical_hours=Hours.of(path),
        gains=gains,
        order=tuple(order),
        evidence=None if root is None else evidence_flags(tasks, root),
        blocked=tuple(t for t in tasks if t.status is Status.blocked),
        weights=weight,
        done=frozenset(done),
        status_counts=_counts(tasks),
    )


def _tally(tasks: Sequence[Task], weight: dict[str, float]) -> Tally:
    done = [t for t in tasks if t.status is Status.done]
    return Tally(
        done=len(done),
        total=len(tasks),
        weight_done=sum(weight[t.id] for t in done),
        weight_total=sum(weight[t.id] for t in tasks),
    )


def _counts(tasks: Iterable[Task]) -> dict[str, int]:
    """How many of TASKS have each status (every status named, in the enum's order)."""
    counts = dict.fromkeys((s.value for s in Status), 0)
    for task in tasks:
        counts[task.status.value] += 1
    return counts


def _group(key: str, title: str, tasks: list[Task], weight: dict[str, float]) -> Group:
    return Group(
        key=key,
        title=title,
        tally=_tally(tasks, weight),
        remaining=Hours.of(t for t in tasks if t.status is not Status.done),
        counts=_counts(tasks),
        tasks=tuple(tasks),
    )


def _gain(task: Task, weight: dict[str, float], total: float) -> Gain:
    gained = 100.0 * weight[task.id] / total if total else 0.0
    hours = task.effort.low if task.effort is not None else None
    per_hour = gained / hours if hours else None
    if per_hour is not None and math.isinf(per_hour):  # a tiny effort: keep the figure finite for JSON
        per_hour = sys.float_info.max
    return Gain(task, gained, per_hour)


def required_tasks(milestone: Milestone, model: Readiness,
                   by_id: Mapping[str, Task] | None = None) -> list[Task]:
    """The tasks a milestone needs done, with every task they depend on."""
    wanted: set[str] = set(milestone.requires.tasks)
    rule = milestone.requires
    phases = set(rule.phases)
    allowed = {f"P{n}" for n in range(int(rule.priority[1:]) + 1)} if rule.priority else set()
    if allowed or phases:
        wanted.update(t.id for t in model.tasks if t.priority in allowed or t.phase in phases)
    by_id = by_id if by_id is not None else {t.id: t for t in model.tasks}
    stack = list(wanted)
    while stack:
        for dep in by_id[stack.pop()].depends_on:
            if dep not in wanted:
                wanted.add(dep)
                stack.append(dep)
    return [t for t in model.tasks if t.id in wanted]


def eta_after(start: dt.date, hours: float, capacity: float) -> dt.date | None:
    """START plus HOURS of work at CAPACITY hours a week; None when that is past the last date
    there is (9999-12-31), where no date can say it."""
    days = 7 * hours / capacity if capacity > 0 else math.inf
    if not math.isfinite(days) or start.toordinal() + math.ceil(days) > dt.date.max.toordinal():
        return None
    return start + dt.timedelta(days=math.ceil(days))


def longest_chain(order: Sequence[Task]) -> tuple[Task, ...]:
    """The heaviest dependency chain among ORDER (tasks already in dependency order).

    A chain is weighed by the high end of its estimated hours (a ranged effort counts as its
    high end, so the chain that could take longest is the one shown), then by its number of
    unestimated tasks, which stay in it: a chain always goes back through an open dependency,
    so its head is a task with no open dependencies, one that can start.
    """
    by_id = {t.id: t for t in order}
    weight: dict[str, tuple[float, int]] = {}
    previous: dict[str, str | None] = {}
    best_end: str | None = None
    for task in order:
        before: str | None = None
        longest = (0.0, 0)
        for dep in task.depends_on:
            if dep in weight and (before is None or weight[dep] > longest):
                before, longest = dep, weight[dep]
        own = (task.effort.high, 0) if task.effort is not None else (0.0, 1)
        weight[task.id] = (longest[0] + own[0], longest[1] + own[1])
        previous[task.id] = before
        if best_end is None or weight[task.id] > weight[best_end]:
            best_end = task.id
    if best_end is None:
        return ()
    chain: list[Task] = []
    current: str | None = best_end
    while current is not None:
        chain.append(by_id[current])
        current = previous[current]
    return tuple(reversed(chain))


def topological(tasks: Sequence[Task], by_id: dict[str, Task]) -> list[Task]:
    """TASKS ordered so that each comes after the open tasks it depends on."""
    ids = {t.id for t in tasks}
    indegree = dict.fromkeys(ids, 0)
    dependants: dict[str, list[str]] = {i: [] for i in ids}
    for task in tasks:
        for dep in task.depends_on:
            if dep in ids:
                dependants[dep].append(task.id)
                indegree[task.id] += 1
    position = {t.id: i for i, t in enumerate(tasks)}
    rank = {t.id: t.rank for t in tasks}
    heap = [(rank[i], position[i], i) for i, n in indegree.items() if n == 0]
    heapq.heapify(heap)
    order: list[Task] = []
    while heap:
        _, _, current = heapq.heappop(heap)
        order.append(by_id[current])
        for nxt in dependants[current]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(heap, (rank[nxt], position[nxt], nxt))
    return order


def evidence_flags(tasks: Iterable[Task], root: Path) -> tuple[EvidenceFlag, ...]:
    """Done tasks whose deliverable files are missing under ROOT."""
    present = Deliverables(root)
    flags = []
    for task in tasks:
        if not task.is_done:
            continue
        missing = tuple(p for p in task.deliverables if not present(p))
        if missing:
            flags.append(EvidenceFlag(task, missing))
    return tuple(flags)


class Deliverables:
    """Tells whether repository-relative paths name regular files inside ROOT.

    A path may not leave ROOT, lexically ('..', absolute) or through a symbolic link.
    The real path of each folder is resolved once, so thousands of deliverables in a few
    folders cost a few system calls each.
    """

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self._folders: dict[str, str | None] = {}

    def __call__(self, relative: str) -> bool:
        if not relative or os.path.isabs(relative) or "\0" in relative:
            return False
        joined = os.path.normpath(os.path.join(self.root, relative))
        folder, name = os.path.split(joined)
        real_folder = self._folders.get(folder, "")
        if real_folder == "":
            real_folder = self._folders[folder] = self._inside(os.path.realpath(folder))
        if real_folder is None:
            return False
        path = os.path.join(real_folder, name)
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            return False
        if stat.S_ISLNK(info.st_mode):  # a link as the last part: follow it, then check again
            return self._inside(os.path.realpath(path)) is not None and os.path.isfile(path)
        return stat.S_ISREG(info.st_mode)

    def _inside(self, real: str) -> str | None:
        return real if real == self.root or real.startswith(self.root + os.sep) else None


def to_json(model: Readiness, figures: Figures) -> dict[str, Any]:
    """Every figure as plain JSON data, for other tools and dashboards."""

    def hours(h: Hours) -> dict[str, Any]:
        return {"low": h.low, "high": h.high, "unestimated": h.unestimated}

    def tally(t: Tally) -> dict[str, Any]:
        return {"done": t.done, "total": t.total, "percent": round(t.percent, 2),
                "score": round(t.score, 2)}

    def group(g: Group) -> dict[str, Any]:
        return {"id": g.key, "title": g.title, **tally(g.tally), "remaining_hours": hours(g.remaining),
                "status": g.counts}

    def date(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "project": model.project.name,
        "as_of": model.project.as_of.isoformat(),
        "score": whole_points(figures.score),
        "score_exact": round(figures.score, 4),
        "tasks": tally(figures.tasks),
        "status": figures.status_counts,
        "projections": {p.priority: whole_points(p.score) for p in figures.projections},
        "phases": [group(g) for g in figures.phases],
        "priorities": [group(g) for g in figures.priorities],
        "remaining_hours": hours(figures.remaining),
        "remaining_hours_by_priority": {g.key: hours(g.remaining) for g in figures.priorities},
        "critical_path": {"tasks": [t.id for t in figures.critical_path],
                          "hours": hours(figures.critical_hours)},
        "gains": [{"task": g.task.id, "points": round(g.points, 2),
                   "per_hour": None if g.per_hour is None else round(g.per_hour, 3)} for g in figures.gains],
        "blocked": [t.id for t in figures.blocked],
        "evidence": None if figures.evidence is None else [
            {"task": f.task.id, "missing": list(f.missing)} for f in figures.evidence],
    }


# --- figures for the pages' pictures and summaries -----------------------------------------


@dataclass(frozen=True)
class Share:
    """One slice of a stacked bar: its key, count, and where it starts and how wide it is (percent)."""

    key: str
    count: int
    start: float
    width: float


def shares(counts: dict[str, int]) -> tuple[Share, ...]:
    """COUNTS as consecutive slices of 100 %, in the order given; empty slices are left out."""
    total = sum(counts.values())
    result = []
    start = 0.0
    for key, count in counts.items():
        if not count:
            continue
        width = 100.0 * count / total
        result.append(Share(key, count, start, width))
        start += width
    return tuple(result)


@dataclass(frozen=True)
class Mark:
    """One point on the timeline: a milestone, its ETA, or the state's as-of date (never "today")."""

    key: str
    title: str
    date: dt.date
    offset: float  # percent of the way from the timeline's start to its end
    kind: str  # "as_of", "milestone" or "eta"
    reached: bool = False
    on_track: bool | None = None
    name: str = ""  # the milestone's title alone (TITLE adds " (ETA)" to an ETA)


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    marks: tuple[Mark, ...]


def timeline(model: Readiness, milestones: Sequence[Any]) -> Timeline:
    """The as-of date of the state, each dated milestone and each milestone's late ETA, placed
    between the first and last date. The as-of date is the state's, not the reader's today.
    MILESTONES are the assessment's verdicts (``assessment.MilestoneStatus``), read, not decided."""
    events: list[tuple[str, str, dt.date, str, bool, bool | None]] = [
        ("as_of", "As of", model.project.as_of, "as_of", False, None)]
    for status in milestones:
        m = status.milestone
        if m.date is not None:
            events.append((m.id, m.title, m.date, "milestone", status.reached, status.on_track))
        if status.eta_late is not None:
            events.append((m.id, m.title, status.eta_late, "eta", False, status.on_track))
    dates = [e[2] for e in events]
    if model.project.started is not None:
        dates.append(model.project.started)
    start, end = min(dates), max(dates)
    span = (end - start).days or 1
    marks = tuple(
        Mark(key, f"{title} (ETA)" if kind == "eta" else title, date, 100.0 * (date - start).days / span,
             kind, reached, on_track, title)
        for key, title, date, kind, reached, on_track in sorted(events, key=lambda e: (e[2], e[3] != "as_of"))
    )
    return Timeline(start, end, marks)
