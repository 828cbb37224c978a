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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from readiness.models import Milestone, Phase, Readiness, SignOff, Status, Task
from readiness.words import joined, plural


def points(value: float) -> int:
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
class Criterion:
    """A sign-off criterion and whether the data ticks it."""

    text: str
    ticked: bool
    how: str  # "tasks", "attested" or "awaiting"
    tasks: tuple[Task, ...]
    open_tasks: tuple[Task, ...]
    attested_by: str | None = None
    attested_on: dt.date | None = None


@dataclass(frozen=True)
class MilestoneStatus:
    """Where a milestone stands: required work, score at it, ETA from capacity.

    ``reached`` has one meaning everywhere (pages, terminal, gate, history, commit messages):
    every required task done, the score at its target, and every sign-off criterion ticked;
    and, once the evidence is known (``with_evidence``), for a milestone listed in
    ``evidence.require_verified_for``, every required done task verified (``unverified`` empty).
    ``work_done`` is the first two alone, so a page can say "awaiting sign-off" or
    "awaiting verification".
    ``score_at`` is the score once every required task is done (what the milestone "reaches");
    when that is below its target, the milestone is ``out_of_reach``: no ETA, never on track,
    and ``beyond`` names the fewest other open tasks that would close the gap.
    """

    milestone: Milestone
    required: tuple[Task, ...]
    open: tuple[Task, ...]
    score_at: float
    reached: bool
    remaining: Hours
    eta: dt.date | None
    eta_late: dt.date | None
    on_track: bool | None
    critical_path: tuple[Task, ...]
    critical_hours: Hours
    sign_off: tuple[Criterion, ...]
    work_done: bool = False
    overdue: bool = False  # not reached, and its date is before the state's as-of date
    beyond: tuple[Task, ...] = ()  # when out of reach: other open tasks that would close the gap
    requires_verified: bool = False  # listed in evidence.require_verified_for, and the evidence is known
    unverified: tuple[Task, ...] = ()  # then: required done tasks without a passing, fresh verify result

    @property
    def signed_off(self) -> bool:
        return all(c.ticked for c in self.sign_off)

    @property
    def out_of_reach(self) -> bool:
        """Every required task done would still leave the score below the target: more work than
        the required tasks is needed (or a lower target)."""
        target = self.milestone.target_score
        return not self.reached and target is not None and points(self.score_at) < points(target)

    @property
    def beyond_hours(self) -> Hours:
        return Hours.of(self.beyond)

    @property
    def gap(self) -> int:
        """Points between what the required tasks reach and the target (0 when they reach it)."""
        target = self.milestone.target_score
        return max(0, points(target) - points(self.score_at)) if target is not None else 0

    @property
    def state(self) -> str:
        """One of "reached", "missed", "awaiting verification", "awaiting sign-off", "out of reach",
        "at risk", "on track", "unknown", "no date"."""
        if self.reached:
            return "reached"
        if self.overdue:
            return "missed"
        if self.work_done and self.unverified:
            return "awaiting verification"  # the work is claimed done, not yet shown to hold (before sign-off)
        if self.work_done:
            return "awaiting sign-off"
        if self.out_of_reach:
            return "out of reach"  # the required tasks cannot reach the target: never on track
        if self.eta_late is None:
            return "unknown"  # open work without an estimate: no expected date
        if self.milestone.date is None:
            return "no date"
        return "on track" if self.on_track else "at risk"


@dataclass(frozen=True)
class Gain:
    """What finishing an open task adds to the score."""

    task: Task
    points: float
    per_hour: float | None
    ready: bool


@dataclass(frozen=True)
class EvidenceFlag:
    """A done task whose deliverable files are missing."""

    task: Task
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    """All figures of one model."""

    score: float
    tasks: Tally
    projections: tuple[Projection, ...]
    phases: tuple[Group, ...]
    priorities: tuple[Group, ...]
    remaining: Hours
    milestones: tuple[MilestoneStatus, ...]
    critical_path: tuple[Task, ...]
    critical_hours: Hours
    gains: tuple[Gain, ...]
    next_tasks: tuple[Gain, ...]
    execution_order: tuple[Task, ...]
    evidence: tuple[EvidenceFlag, ...] | None
    blocked: tuple[Task, ...]
    status_counts: dict[str, int] = field(default_factory=dict)

    def projection(self, priority: str) -> float:
        for item in self.projections:
            if item.priority == priority:
                return item.score
        raise KeyError(priority)

    def milestone(self, milestone_id: str) -> MilestoneStatus:
        for item in self.milestones:
            if item.milestone.id == milestone_id:
                return item
        raise KeyError(milestone_id)


def assess(model: Readiness, root: Path | None = None) -> Figures:
    """Compute every figure of MODEL; check deliverables under ROOT when given."""
    tasks = model.tasks
    weight = {t.id: model.scoring.weight_of(t) for t in tasks}
    total_weight = sum(weight.values())
    done = {t.id for t in tasks if t.is_done}
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
    open_tasks = [t for t in tasks if not t.is_done]
    order = _topological(open_tasks, by_id)  # once; milestones reuse sub-sequences of it
    gains = tuple(sorted(
        (_gain(t, weight, total_weight, done) for t in open_tasks),
        key=lambda g: (-(g.per_hour if g.per_hour is not None else -1), g.task.rank),
    ))
    next_tasks = tuple(sorted(
        (g for g in gains if g.ready),
        key=lambda g: (g.task.rank, -(g.per_hour if g.per_hour is not None else -1)),
    ))
    path = _longest_chain(order, by_id)
    return Figures(
        score=score_with(()),
        tasks=_tally(tasks, weight),
        projections=tuple(projections),
        phases=tuple(_group(p.id, p.title, by_phase[p.id], weight) for p in model.phases),
        priorities=tuple(_group(p, p, by_priority[p], weight) for p in priorities),
        remaining=Hours.of(open_tasks),
        milestones=tuple(_milestone(m, model, order, by_id, score_with, weight) for m in model.milestones),
        critical_path=path,
        critical_hours=Hours.of(path),
        gains=gains,
        next_tasks=next_tasks,
        execution_order=tuple(order),
        evidence=None if root is None else evidence_flags(tasks, root),
        blocked=tuple(t for t in tasks if t.status is Status.blocked),
        status_counts={s.value: sum(1 for t in tasks if t.status is s) for s in Status},
    )


def _tally(tasks: Sequence[Task], weight: dict[str, float]) -> Tally:
    return Tally(
        done=sum(1 for t in tasks if t.is_done),
        total=len(tasks),
        weight_done=sum(weight[t.id] for t in tasks if t.is_done),
        weight_total=sum(weight[t.id] for t in tasks),
    )


def _group(key: str, title: str, tasks: list[Task], weight: dict[str, float]) -> Group:
    return Group(
        key=key,
        title=title,
        tally=_tally(tasks, weight),
        remaining=Hours.of(t for t in tasks if not t.is_done),
        counts={s.value: sum(1 for t in tasks if t.status is s) for s in Status},
        tasks=tuple(tasks),
    )


def _gain(task: Task, weight: dict[str, float], total: float, done: set[str]) -> Gain:
    gained = 100.0 * weight[task.id] / total if total else 0.0
    hours = task.effort.low if task.effort is not None else None
    per_hour = gained / hours if hours else None
    if per_hour is not None and math.isinf(per_hour):  # a tiny effort: keep the figure finite for JSON
        per_hour = sys.float_info.max
    ready = task.status is not Status.blocked and done.issuperset(task.depends_on)
    return Gain(task, gained, per_hour, ready)


def required_tasks(milestone: Milestone, model: Readiness) -> list[Task]:
    """The tasks a milestone needs done, with every task they depend on."""
    wanted: set[str] = set(milestone.requires.tasks)
    rule = milestone.requires
    phases = set(rule.phases)
    allowed = {f"P{n}" for n in range(int(rule.priority[1:]) + 1)} if rule.priority else set()
    for task in model.tasks:
        if task.priority in allowed or task.phase in phases:
            wanted.add(task.id)
    by_id = {t.id: t for t in model.tasks}
    stack = list(wanted)
    while stack:
        for dep in by_id[stack.pop()].depends_on:
            if dep not in wanted:
                wanted.add(dep)
                stack.append(dep)
    return [t for t in model.tasks if t.id in wanted]


def _milestone(milestone: Milestone, model: Readiness, order: list[Task], by_id: dict[str, Task],
               score_with: Any, weight: dict[str, float]) -> MilestoneStatus:
    required = required_tasks(milestone, model)
    open_required = [t for t in required if not t.is_done]
    score_at = score_with(t.id for t in required)
    work_done = _work_done(milestone, required, score_with(()))
    target = milestone.target_score
    out_of_reach = target is not None and points(score_at) < points(target)
    sign_off = tuple(_criterion(c, by_id) for c in milestone.sign_off)
    reached = work_done and all(c.ticked for c in sign_off)
    remaining = Hours.of(open_required)
    capacity = model.project.capacity_hours_per_week
    eta = _eta(model.project.as_of, remaining.low, capacity) if not work_done else None
    eta_late = _eta(model.project.as_of, remaining.high, capacity) if not work_done else None
    if remaining.unestimated or eta_late is None or out_of_reach:
        eta = eta_late = None  # unestimated work, an ETA past the year 9999, or never with this work
    overdue = not reached and milestone.date is not None and milestone.date < model.project.as_of
    on_track: bool | None
    if milestone.date is None:
        on_track = None
    elif reached or overdue or out_of_reach:
        on_track = reached
    elif work_done:
        on_track = True  # only the sign-off is missing, and there is still time for it
    else:
        on_track = None if eta_late is None else eta_late <= milestone.date  # None: no expected date
    wanted = {t.id for t in open_required}
    path = _longest_chain([t for t in order if t.id in wanted], by_id)
    return MilestoneStatus(
        milestone=milestone,
        required=tuple(required),
        open=tuple(open_required),
        score_at=score_at,
        reached=reached,
        remaining=remaining,
        eta=eta,
        eta_late=eta_late,
        on_track=on_track,
        critical_path=path,
        critical_hours=Hours.of(path),
        sign_off=sign_off,
        work_done=work_done,
        overdue=overdue,
        beyond=_closing(milestone, required, score_at, model.tasks, weight) if out_of_reach else (),
    )


def with_evidence(figures: Figures, as_of: dt.date, unverified: Mapping[str, Sequence[Task]],
                  required: Iterable[str] = ()) -> Figures:
    """FIGURES with the evidence counted: a milestone in REQUIRED (``evidence.require_verified_for``)
    is reached only when none of its required done tasks is in UNVERIFIED (by milestone id).

    Dates still count from AS_OF (``project.as_of``): a milestone held back past its date is missed.
    The same rule as ``evidence.MilestoneCheck.reached``, so pages, ``status``, JSON and the gate agree.
    """
    wanted = set(required)
    milestones = []
    for status in figures.milestones:
        milestone = status.milestone
        needs = milestone.id in wanted
        held = tuple(unverified.get(milestone.id, ())) if needs else ()
        reached = status.work_done and status.signed_off and not held
        overdue = not reached and milestone.date is not None and milestone.date < as_of
        on_track: bool | None = status.on_track  # from the expected date, when work is open
        if milestone.date is None:
            on_track = None
        elif reached or overdue or status.out_of_reach:
            on_track = reached
        elif status.work_done:
            on_track = True  # only verification or sign-off is missing, and there is still time
        milestones.append(replace(status, reached=reached, overdue=overdue, on_track=on_track,
                                  requires_verified=needs, unverified=held))
    return replace(figures, milestones=tuple(milestones))


def _closing(milestone: Milestone, required: Sequence[Task], score_at: float, tasks: Sequence[Task],
             weight: dict[str, float]) -> tuple[Task, ...]:
    """The fewest open tasks outside REQUIRED (heaviest first, then most urgent) that lift the score
    at MILESTONE from SCORE_AT to its target; empty when even all of them would not."""
    target = points(milestone.target_score or 0)
    total = sum(weight.values())
    inside = {t.id for t in required}
    others = sorted((t for t in tasks if not t.is_done and t.id not in inside),
                    key=lambda t: (-weight[t.id], t.rank))
    chosen: list[Task] = []
    score = score_at
    for task in others:
        if points(score) >= target:
            break
        chosen.append(task)
        score += 100.0 * weight[task.id] / total if total else 0.0
    return tuple(chosen) if chosen and points(score) >= target else ()


def _work_done(milestone: Milestone, required: Iterable[Task], score: float) -> bool:
    return all(t.is_done for t in required) and (
        milestone.target_score is None or points(score) >= points(milestone.target_score))


def milestone_reached(milestone: Milestone, model: Readiness, score: float) -> bool:
    """Whether MILESTONE is reached at SCORE: required tasks done, target score met, every
    sign-off criterion ticked (the same rule as ``MilestoneStatus.reached``, without the rest; from
    the source alone, so ``evidence.require_verified_for`` is not counted here: see ``with_evidence``)."""
    if not _work_done(milestone, required_tasks(milestone, model), score):
        return False
    done = {t.id for t in model.tasks if t.is_done}
    return all((done.issuperset(c.tasks) if c.tasks else c.attested is not None) for c in milestone.sign_off)


def _eta(start: dt.date, hours: float, capacity: float) -> dt.date | None:
    """START plus HOURS of work at CAPACITY hours a week; None when that is past the last date
    there is (9999-12-31), where no date can say it."""
    days = 7 * hours / capacity if capacity > 0 else math.inf
    if not math.isfinite(days) or start.toordinal() + math.ceil(days) > dt.date.max.toordinal():
        return None
    return start + dt.timedelta(days=math.ceil(days))


def _criterion(criterion: SignOff, by_id: dict[str, Task]) -> Criterion:
    tasks = tuple(by_id[i] for i in criterion.tasks)
    open_tasks = tuple(t for t in tasks if not t.is_done)
    if tasks:
        return Criterion(criterion.text, not open_tasks, "tasks", tasks, open_tasks)
    if criterion.attested is not None:
        return Criterion(criterion.text, True, "attested", (), (),
                         criterion.attested.by, criterion.attested.date)
    return Criterion(criterion.text, False, "awaiting", (), ())


def critical_path(tasks: Sequence[Task], by_id: dict[str, Task]) -> tuple[Task, ...]:
    """The chain of open tasks through depends_on with the most remaining hours."""
    return _longest_chain(_topological(tasks, by_id), by_id)


def _longest_chain(order: Sequence[Task], by_id: dict[str, Task]) -> tuple[Task, ...]:
    """The heaviest dependency chain among ORDER (tasks already in dependency order).

    A chain is weighed by its estimated hours, then by its number of unestimated tasks, which
    stay in it: a chain always goes back through an open dependency, so its head is a task
    with no open dependencies, one that can start.
    """
    weight: dict[str, tuple[float, int]] = {}
    previous: dict[str, str | None] = {}
    best_end: str | None = None
    for task in order:
        before: str | None = None
        longest = (0.0, 0)
        for dep in task.depends_on:
            if dep in weight and (before is None or weight[dep] > longest):
                before, longest = dep, weight[dep]
        own = (task.effort.low, 0) if task.effort is not None else (0.0, 1)
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


def _topological(tasks: Sequence[Task], by_id: dict[str, Task]) -> list[Task]:
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


def execution_order(tasks: Sequence[Task], by_id: dict[str, Task]) -> tuple[Task, ...]:
    """Open tasks in an order that respects dependencies, most urgent first."""
    return tuple(_topological(tasks, by_id))


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


def deliverable_present(root: Path, relative: str) -> bool:
    """True when RELATIVE names a regular file inside ROOT (no escaping through '..' or links)."""
    return Deliverables(root)(relative)


def phase_title(model: Readiness, phase_id: str) -> str:
    phase: Phase = model.phase(phase_id)
    return phase.title


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
        "score": points(figures.score),
        "score_exact": round(figures.score, 4),
        "tasks": tally(figures.tasks),
        "status": figures.status_counts,
        "projections": {p.priority: points(p.score) for p in figures.projections},
        "phases": [group(g) for g in figures.phases],
        "priorities": [group(g) for g in figures.priorities],
        "remaining_hours": hours(figures.remaining),
        "remaining_hours_by_priority": {g.key: hours(g.remaining) for g in figures.priorities},
        "milestones": [
            {
                "id": m.milestone.id,
                "title": m.milestone.title,
                "date": date(m.milestone.date),
                "target_score": m.milestone.target_score,
                "score_at": points(m.score_at),
                "reached": m.reached,
                "state": m.state,
                "signed_off": m.signed_off,
                "open_tasks": [t.id for t in m.open],
                "remaining_hours": hours(m.remaining),
                "eta": date(m.eta),
                "eta_late": date(m.eta_late),
                "on_track": m.on_track,
                "out_of_reach": m.out_of_reach,
                "unverified_tasks": [t.id for t in m.unverified],
                "critical_path": [t.id for t in m.critical_path],
                "sign_off": [{"text": c.text, "ticked": c.ticked, "how": c.how} for c in m.sign_off],
            }
            for m in figures.milestones
        ],
        "critical_path": {"tasks": [t.id for t in figures.critical_path],
                          "hours": hours(figures.critical_hours)},
        "gains": [{"task": g.task.id, "points": round(g.points, 2),
                   "per_hour": None if g.per_hour is None else round(g.per_hour, 3),
                   "ready": g.ready} for g in figures.gains],
        "next_tasks": [g.task.id for g in figures.next_tasks],
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


def timeline(model: Readiness, figures: Figures) -> Timeline:
    """The as-of date of the state, each dated milestone and each milestone's late ETA, placed
    between the first and last date. The as-of date is the state's, not the reader's today."""
    events: list[tuple[str, str, dt.date, str, bool, bool | None]] = [
        ("as_of", "As of", model.project.as_of, "as_of", False, None)]
    for status in figures.milestones:
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


def recently_completed(model: Readiness, days: int = 14) -> tuple[Task, ...]:
    """Tasks completed within DAYS before the as-of date, newest first."""
    as_of = model.project.as_of
    since = as_of - dt.timedelta(days=days) if as_of.toordinal() > days else dt.date.min
    done = [t for t in model.tasks if t.is_done and t.completed is not None
            and since <= t.completed <= model.project.as_of]
    return tuple(sorted(done, key=lambda t: t.completed or since, reverse=True))


@dataclass(frozen=True)
class Confidence:
    """How far the figures can be trusted, and why: high, medium or low."""

    level: str
    reasons: tuple[str, ...]


def confidence(model: Readiness, figures: Figures) -> Confidence:
    """Lowered by unestimated open work, blocked tasks, missing evidence and milestones missed or
    off track; low when there are no tasks at all (a score of nothing is not a measure)."""
    if not model.tasks:
        return Confidence("low", ("no tasks yet, so there is nothing to measure",))
    reasons: list[str] = []
    penalty = 0
    if figures.remaining.unestimated:
        reasons.append(plural(figures.remaining.unestimated, "open task") + " without an effort estimate")
        penalty += 1
    if figures.blocked:
        reasons.append(plural(len(figures.blocked), "task") + " blocked")
        penalty += 1
    if figures.evidence:
        missing = len(figures.evidence)
        reasons.append(plural(missing, "done task") + (" is" if missing == 1 else " are")
                       + " missing deliverable files")
        penalty += 1
    missed = [m.milestone.title for m in figures.milestones if m.overdue]
    if missed:
        reasons.append(joined(missed) + (" missed its date" if len(missed) == 1 else " missed their dates"))
        penalty += 2
    short = [m.milestone.title for m in figures.milestones if m.out_of_reach and not m.overdue]
    if short:
        reasons.append(joined(short) + (" cannot reach its target with its required tasks" if len(short) == 1
                                        else " cannot reach their targets with their required tasks"))
        penalty += 2
    late = [m.milestone.title for m in figures.milestones
            if m.on_track is False and not m.overdue and not m.out_of_reach]
    if late:
        reasons.append(joined(late) + (" is" if len(late) == 1 else " are") + " off track")
        penalty += 2
    ranges = sum(1 for t in model.tasks if not t.is_done and t.effort is not None and t.effort.is_range)
    if ranges:
        reasons.append(plural(ranges, "open task") + " estimated as a range")
    if not reasons:
        reasons.append("every open task is estimated, nothing is blocked and no milestone is late"
                       if figures.milestones else
                       "every open task is estimated and nothing is blocked; no milestones are set, "
                       "so no dates are checked")
    level = "high" if penalty == 0 else "medium" if penalty <= 2 else "low"
    return Confidence(level, tuple(reasons))


def next_milestone(figures: Figures) -> MilestoneStatus | None:
    """The first milestone not yet reached, if any."""
    return next((m for m in figures.milestones if not m.reached), None)


