"""The one assessment: every verdict a reader acts on, decided once (pure).

From the source, the evidence file and the repository's deliverable files, ``assess_project``
decides each milestone's state with the reasons that decide it and a go/no-go, the one plan
of open work, the state of every checklist box, and the waivers in force. The pages, the MkDocs
plugin, ``status``, ``check --format json``, the CI gate, ``history``, badges and commit
messages read these verdicts; none of them decides one with a rule of its own.

Milestone states, worst first (``STATES``):

- ``missed``: not reached, and its date is before the state's as-of date.
- ``blocked``: a required task is blocked, or waits for one that is.
- ``cannot be verified``: it requires verified tasks (``evidence.require_verified_for``) and a
  required task has no verify command, so it can never be verified.
- ``out of reach``: every required task done would still leave the score below its target.
- ``at risk``: the open work is expected to finish after its date.
- ``awaiting verification``: the work is done, but a required done task's claim does not hold
  (verify failed, stale or never run, deliverables missing, or not verified where required).
- ``awaiting sign-off``: the work is done and holds; a sign-off criterion is not ticked.
- ``unknown``: open work without an estimate, so there is no expected date.
- ``no date``: open work, expected on a date, but the milestone has none to be late for.
- ``on track``: the open work is expected to finish by its date.
- ``reached``: every required box ticked (or waived), the target score met, every sign-off
  criterion ticked (or waived). The only state whose decision is ``go``.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from readiness.figures.core import (
    Figures,
    Gain,
    Hours,
    assess,
    eta_after,
    longest_chain,
    required_tasks,
    whole_points,
)
from readiness.figures.evidence import EvidenceReport, check_tasks, evidence_json
from readiness.figures.states import (
    AT_RISK,
    AWAITING_SIGN_OFF,
    AWAITING_VERIFICATION,
    BLOCKED,
    GO,
    MISSED,
    NO_DATE,
    NO_GO,
    ON_TRACK,
    OUT_OF_REACH,
    REACHED,
    UNKNOWN,
    UNVERIFIABLE,
)
from readiness.source.evidence import EvidenceFile
from readiness.source.models import Milestone, Readiness, SignOff, Status, Task, Waiver
from readiness.words import joined, plural

SCHEMA_VERSION = 2  # of the JSON that ``check --format json`` prints (``assessment_json``)

# box states of a task or sign-off criterion on a checklist
TICKED = "ticked"
CLAIMED = "claimed"  # done, but its claim does not meet the evidence rule in force
WAIVED = "waived"
OPEN = "open"
AWAITING = "awaiting"  # a criterion with neither tasks nor an attestation

PLAN_RULE = ("what the next milestone needs comes first, its longest chain of dependent tasks first, "
             "then what each later milestone needs, then the rest; within each, the most urgent priority "
             "first, then the most points per hour; a task always comes after the tasks it waits for. "
             "Blocked work is listed apart, with what blocks it.")
CRITICAL_PATH_RULE = "the chain of dependent open tasks that is longest by the high end of its estimates"


@dataclass(frozen=True)
class WaiverState:
    """A waiver on a task or a sign-off criterion, and whether it still holds on the as-of date."""

    waiver: Waiver
    subject: str  # the task id, or the criterion's text
    task: Task | None
    active: bool

    def describe(self) -> str:
        """'accepted risk by Ana until 2026-01-31: the vendor patch is pending'"""
        return (f"{self.waiver.kind.value} by {self.waiver.by} "
                f"{'until' if self.active else 'expired on'} {self.waiver.until}: {self.waiver.reason}")


@dataclass(frozen=True)
class Criterion:
    """A sign-off criterion and its box: ticked, claimed, waived, open or awaiting."""

    text: str
    state: str
    how: str  # "tasks", "attested" or "awaiting"
    tasks: tuple[Task, ...]
    open_tasks: tuple[Task, ...]  # of its tasks: those whose box is not ticked
    attested_by: str | None = None
    attested_on: dt.date | None = None
    waiver: WaiverState | None = None

    @property
    def ticked(self) -> bool:
        return self.state == TICKED

    @property
    def holds(self) -> bool:
        """Ticked, or waived by a waiver that has not expired: what a milestone needs."""
        return self.state in (TICKED, WAIVED)


@dataclass(frozen=True)
class MilestoneStatus:
    """The verdict on one milestone: its state, the reasons that decide it, go or no-go, and the
    figures behind it (required work, the score it reaches, the expected date, the critical path)."""

    milestone: Milestone
    state: str
    reasons: tuple[str, ...]
    blockers: tuple[Task, ...]  # what stands between it and reached, in the plan's order
    required: tuple[Task, ...]
    open: tuple[Task, ...]  # required tasks neither done nor waived, in the plan's order
    score_at: float
    remaining: Hours
    eta: dt.date | None
    eta_late: dt.date | None
    critical_path: tuple[Task, ...]
    critical_hours: Hours
    sign_off: tuple[Criterion, ...]
    work_done: bool
    requires_verified: bool
    unverified: tuple[Task, ...]  # required done tasks whose box is claimed, not ticked
    blocked: tuple[Task, ...]  # required tasks blocked, or waiting for blocked ones
    cannot_verify: tuple[Task, ...]  # when verified tasks are required: required tasks without verify
    waived: tuple[WaiverState, ...]  # waivers counted for it (tasks and criteria)
    expired: tuple[WaiverState, ...]  # waivers it would count, had they not expired
    beyond: tuple[Task, ...] = ()  # when out of reach: other open tasks that would close the gap

    @property
    def reached(self) -> bool:
        return self.state == REACHED

    @property
    def decision(self) -> str:
        """Go only for a reached milestone: nothing says proceed for one that is not."""
        return GO if self.state == REACHED else NO_GO

    @property
    def overdue(self) -> bool:
        return self.state == MISSED

    @property
    def out_of_reach(self) -> bool:
        target = self.milestone.target_score
        if self.state == REACHED or target is None:
            return False
        return whole_points(self.score_at) < whole_points(target)

    @property
    def on_track(self) -> bool | None:
        """True for reached or on track, False for a state that will not be reached in time, None
        when there is no date to compare with."""
        if self.state in (REACHED, ON_TRACK):
            return True
        if self.state in (UNKNOWN, NO_DATE) or (self.milestone.date is None and self.state != MISSED):
            return None
        # only the sign-off or the verification is missing, and there is still time
        return self.state in (AWAITING_SIGN_OFF, AWAITING_VERIFICATION)

    @property
    def signed_off(self) -> bool:
        return all(c.holds for c in self.sign_off)

    @property
    def gap(self) -> int:
        target = self.milestone.target_score
        return max(0, whole_points(target) - whole_points(self.score_at)) if target is not None else 0

    @property
    def beyond_hours(self) -> Hours:
        return Hours.of(self.beyond)

    @functools.cached_property
    def claimed_ids(self) -> frozenset[str]:
        """The ids of its required done tasks whose box is claimed (``unverified``)."""
        return frozenset(t.id for t in self.unverified)

    @functools.cached_property
    def waived_ids(self) -> frozenset[str]:
        """The ids of its required tasks under a waiver that holds."""
        return frozenset(w.subject for w in self.waived if w.task is not None)


@dataclass(frozen=True)
class Step:
    """One item of the plan: an open task, where it stands in the order, and why."""

    position: int  # 1-based
    task: Task
    gain: Gain
    milestone: str | None  # the id of the first milestone not reached that needs it
    critical: bool  # on that milestone's critical path
    waits_for: tuple[Task, ...]  # open tasks it depends on (earlier in the plan)
    waits_on_unverified: tuple[Task, ...]  # done tasks it depends on whose claim does not hold
    waiver: WaiverState | None = None

    @property
    def ready(self) -> bool:
        """Can start now: nothing it depends on is still open."""
        return not self.waits_for


@dataclass(frozen=True)
class Held:
    """Open work set apart from the plan: blocked, or waiting for blocked work."""

    task: Task
    blocked_by: tuple[Task, ...]  # the blocked tasks it waits for (itself when it is blocked)

    @property
    def is_blocked(self) -> bool:
        return self.task.status is Status.blocked


@dataclass(frozen=True)
class Confidence:
    """How far the figures can be trusted, and why: high, medium or low."""

    level: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Assessment:
    """Every figure and every verdict of one project state."""

    model: Readiness
    figures: Figures
    evidence: EvidenceReport
    evidence_checked: bool  # deliverable files were looked for in the repository
    milestones: tuple[MilestoneStatus, ...]
    plan: tuple[Step, ...]
    held: tuple[Held, ...]
    waivers: tuple[WaiverState, ...]
    boxes: dict[str, str] = field(default_factory=dict)  # task id -> its box, outside any milestone

    def milestone(self, milestone_id: str) -> MilestoneStatus:
        for item in self.milestones:
            if item.milestone.id == milestone_id:
                return item
        raise KeyError(milestone_id)

    @property
    def next_milestone(self) -> MilestoneStatus | None:
        """The first milestone not reached, if any."""
        return next((m for m in self.milestones if not m.reached), None)

    @property
    def score(self) -> float:
        return self.figures.score

    @property
    def order(self) -> tuple[Task, ...]:
        """Every open task in the plan's order, blocked work after it: each after what it waits for."""
        return tuple(s.task for s in self.plan) + tuple(h.task for h in self.held)

    def next_steps(self, count: int) -> tuple[Step, ...]:
        """The first COUNT steps of the plan: every "next" list is this prefix."""
        return self.plan[:count]

    def in_plan_order(self, tasks: Sequence[Task]) -> list[Task]:
        """The open ones of TASKS in the plan's order, held (blocked) work last, as it is listed apart."""
        return sorted((t for t in tasks if t.id in self._position), key=lambda t: self._position[t.id])

    @functools.cached_property
    def _position(self) -> dict[str, int]:
        position = {s.task.id: s.position for s in self.plan}
        position.update({h.task.id: len(self.plan) + 1 + i for i, h in enumerate(self.held)})
        return position

    def box(self, task: Task, milestone: MilestoneStatus | None = None) -> str:
        """TASK's box: on MILESTONE's checklist (which may require verified work), or anywhere."""
        if milestone is not None and task.id in milestone.claimed_ids:
            return CLAIMED
        if milestone is not None and task.id in milestone.waived_ids:
            return WAIVED
        return self.boxes[task.id]

    @property
    def confidence(self) -> Confidence:
        return _confidence(self)


def assess_project(model: Readiness, *, root: Path | None = None, evidence: EvidenceFile | None = None,
                   now: dt.date | dt.datetime | None = None) -> Assessment:
    """The assessment of MODEL with EVIDENCE (verify results; none: no runs yet), deliverable files
    looked for under ROOT when given, and verify results aged from NOW (default: ``project.as_of``)."""
    figures = assess(model, root)
    report = check_tasks(model, evidence or EvidenceFile(), figures.evidence, now)
    as_of = model.project.as_of
    by_id = {t.id: t for t in model.tasks}
    waivers = _waivers(model)
    active = {w.subject for w in waivers if w.active and w.task is not None}
    flagged = {c.task.id for c in report.tasks if c.flagged}
    boxes = {t.id: (CLAIMED if t.id in flagged else TICKED) if t.status is Status.done
             else WAIVED if t.id in active else OPEN for t in model.tasks}
    held = _held(figures, active)
    held_ids = {h.task.id for h in held}
    required = {m.id: required_tasks(m, model, by_id) for m in model.milestones}
    provisional = [_milestone(m, model, figures, report, required[m.id], boxes, waivers, held_ids, as_of)
                   for m in model.milestones]
    plan = _plan(model, figures, provisional, held_ids, by_id, flagged, waivers)
    draft = Assessment(model, figures, report, figures.evidence is not None, tuple(provisional), plan, held,
                       waivers, boxes)
    return replace(draft, milestones=tuple(_in_plan_order(m, draft._position) for m in provisional))


def _waivers(model: Readiness) -> tuple[WaiverState, ...]:
    as_of = model.project.as_of
    found = [WaiverState(t.waiver, t.id, t, t.waiver.until >= as_of)
             for t in model.tasks if t.waiver is not None and not t.is_done]
    for milestone in model.milestones:
        for criterion in milestone.sign_off:
            waiver = criterion.waiver
            if waiver is not None:
                found.append(WaiverState(waiver, criterion.text, None, waiver.until >= as_of))
    return tuple(found)


def _held(figures: Figures, waived: set[str]) -> tuple[Held, ...]:
    """Open tasks that are blocked, or wait (through depends_on) for an open blocked task: one pass
    over the open tasks in dependency order (``figures.order``), each after what it waits for."""
    blocked_by: dict[str, dict[str, Task]] = {}
    held = []
    for task in figures.order:
        if task.id in waived:
            continue
        found = {task.id: task} if task.status is Status.blocked else {}
        for dep in task.depends_on:
            found.update(blocked_by.get(dep, {}))
        if found:
            blocked_by[task.id] = found
            held.append(Held(task, tuple(found.values())))
    return tuple(held)


def _milestone(milestone: Milestone, model: Readiness, figures: Figures, report: EvidenceReport,
               required: list[Task], boxes: dict[str, str], waivers: Sequence[WaiverState],
               held: set[str], as_of: dt.date) -> MilestoneStatus:
    needs_verified = milestone.id in model.evidence.require_verified_for
    required_ids = {t.id for t in required}
    task_waivers = {w.subject: w for w in waivers if w.task is not None and w.subject in required_ids}
    waived_tasks = {i for i, w in task_waivers.items() if w.active}
    done = figures.done
    open_required = [t for t in required if t.id not in done and t.id not in waived_tasks]
    claimed = [t for t in required if t.id in done and (
        boxes[t.id] == CLAIMED or (needs_verified and not report.task(t.id).verified))]
    cannot_verify = [t for t in required if needs_verified and not t.verify and t.id not in waived_tasks]
    blocked = [t for t in open_required if t.id in held]
    score_at = figures.score_with(t.id for t in required)
    target = milestone.target_score
    short = target is not None and whole_points(score_at) < whole_points(target)
    work_done = not open_required and not short
    sign_off = tuple(_criterion(c, model, boxes, needs_verified, report, as_of) for c in milestone.sign_off)
    remaining = Hours.of(open_required)
    capacity = model.project.capacity_hours_per_week
    eta = eta_late = None
    if not work_done and not short and not remaining.unestimated:
        eta, eta_late = eta_after(as_of, remaining.low, capacity), eta_after(as_of, remaining.high, capacity)
        if eta_late is None:
            eta = None  # past the last date there is: no date can say it
    open_ids = {t.id for t in open_required}
    path = longest_chain([t for t in figures.order if t.id in open_ids])
    criteria_waived = tuple(c.waiver for c in sign_off if c.waiver is not None and c.waiver.active)
    expired = tuple(w for w in task_waivers.values() if not w.active) + tuple(
        c.waiver for c in sign_off if c.waiver is not None and not c.waiver.active)
    state = _state(milestone, as_of, work_done=work_done, claimed=bool(claimed), signed=all(
        c.holds for c in sign_off), blocked=bool(blocked), unverifiable=bool(cannot_verify), short=short,
        eta_late=eta_late, unestimated=bool(remaining.unestimated))
    status = MilestoneStatus(
        milestone=milestone, state=state, reasons=(), blockers=(), required=tuple(required),
        open=tuple(open_required), score_at=score_at, remaining=remaining, eta=eta, eta_late=eta_late,
        critical_path=path, critical_hours=Hours.of(path), sign_off=sign_off, work_done=work_done,
        requires_verified=needs_verified, unverified=tuple(claimed), blocked=tuple(blocked),
        cannot_verify=tuple(cannot_verify),
        waived=tuple(task_waivers[t.id] for t in required if t.id in waived_tasks) + criteria_waived,
        expired=expired,
        beyond=figures.closing(milestone, required, score_at) if short and state != REACHED else (),
    )
    return status


def _state(milestone: Milestone, as_of: dt.date, *, work_done: bool, claimed: bool, signed: bool,
           blocked: bool, unverifiable: bool, short: bool, eta_late: dt.date | None, unestimated: bool) -> str:
    """The one rule that turns a milestone's facts into its state (see the module's list)."""
    if work_done and not claimed and signed and not unverifiable:
        return REACHED
    if milestone.date is not None and milestone.date < as_of:
        return MISSED
    if blocked:
        return BLOCKED
    if unverifiable:
        return UNVERIFIABLE
    if short:
        return OUT_OF_REACH
    if work_done:
        return AWAITING_VERIFICATION if claimed else AWAITING_SIGN_OFF
    if unestimated or eta_late is None:
        return UNKNOWN
    if milestone.date is None:
        return NO_DATE
    return ON_TRACK if eta_late <= milestone.date else AT_RISK


def _criterion(criterion: SignOff, model: Readiness, boxes: dict[str, str], needs_verified: bool,
               report: EvidenceReport, as_of: dt.date) -> Criterion:
    by_id = {t: model.task(t) for t in criterion.tasks} if criterion.tasks else {}
    tasks = tuple(by_id.values())
    waiver = None if criterion.waiver is None else WaiverState(
        criterion.waiver, criterion.text, None, criterion.waiver.until >= as_of)

    def box(task: Task) -> str:
        state = boxes[task.id]
        if state == TICKED and needs_verified and not report.task(task.id).verified:
            return CLAIMED
        return state

    if tasks:
        states = [box(t) for t in tasks]
        not_ticked = tuple(t for t, s in zip(tasks, states, strict=True) if s not in (TICKED, WAIVED))
        if not not_ticked:
            state = WAIVED if WAIVED in states else TICKED
        elif waiver is not None and waiver.active:
            state = WAIVED
        elif all(s in (TICKED, WAIVED, CLAIMED) for s in states):
            state = CLAIMED
        else:
            state = OPEN
        return Criterion(criterion.text, state, "tasks", tasks, not_ticked, waiver=waiver)
    if criterion.attested is not None:
        return Criterion(criterion.text, TICKED, "attested", (), (), criterion.attested.by,
                         criterion.attested.date, waiver)
    state = WAIVED if waiver is not None and waiver.active else AWAITING
    return Criterion(criterion.text, state, "awaiting", (), (), waiver=waiver)


def _plan(model: Readiness, figures: Figures, milestones: Sequence[MilestoneStatus], held: set[str],
          by_id: dict[str, Task], flagged: set[str], waivers: Sequence[WaiverState]) -> tuple[Step, ...]:
    """The open work in the order of ``PLAN_RULE``, without held (blocked) work."""
    tier: dict[str, int] = {}
    critical: dict[str, str] = {}
    for index, status in enumerate(milestones):
        if status.reached:
            continue
        for task in (*status.open, *status.beyond):
            tier.setdefault(task.id, index)
        for task in status.critical_path:
            critical.setdefault(task.id, status.milestone.id)
    last = len(milestones)
    gains = {g.task.id: g for g in figures.gains}
    waived = {w.subject: w for w in waivers if w.task is not None}
    candidates = [t for t in model.tasks if t.status is not Status.done and t.id not in held]
    ids = {t.id for t in candidates}
    position = {t.id: i for i, t in enumerate(model.tasks)}

    def key(task: Task) -> tuple[int, int, int, float, int]:
        per_hour = gains[task.id].per_hour
        in_tier = tier.get(task.id, last)
        on_path = critical.get(task.id) == (milestones[in_tier].milestone.id if in_tier < last else None)
        return (in_tier, 0 if on_path else 1, task.rank, -(per_hour if per_hour is not None else -1.0),
                position[task.id])

    waiting = {t.id: [d for d in t.depends_on if d in ids] for t in candidates}
    indegree = {i: len(deps) for i, deps in waiting.items()}
    dependants: dict[str, list[str]] = {i: [] for i in ids}
    for task_id, deps in waiting.items():
        for dep in deps:
            dependants[dep].append(task_id)
    heap = [(key(by_id[i]), i) for i, n in indegree.items() if n == 0]
    heapq.heapify(heap)
    steps: list[Step] = []
    while heap:
        _, current = heapq.heappop(heap)
        task = by_id[current]
        in_tier = tier.get(current, last)
        milestone_id = milestones[in_tier].milestone.id if in_tier < last else None
        unverified = tuple(by_id[d] for d in task.depends_on if d in flagged)
        steps.append(Step(len(steps) + 1, task, gains[current], milestone_id,
                          milestone_id is not None and critical.get(current) == milestone_id,
                          tuple(by_id[d] for d in waiting[current] if d not in waived or not waived[d].active),
                          unverified, waived.get(current)))
        for nxt in dependants[current]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(heap, (key(by_id[nxt]), nxt))
    return tuple(steps)


def _in_plan_order(status: MilestoneStatus, order: dict[str, int]) -> MilestoneStatus:
    """STATUS with its open tasks and blockers in the plan's order, and the reasons in words."""
    rank = order.get
    open_tasks = tuple(sorted(status.open, key=lambda t: rank(t.id, 0)))
    unverified = tuple(sorted(status.unverified, key=lambda t: t.id))
    if status.state == REACHED:
        blockers: tuple[Task, ...] = ()
    else:
        first = sorted([*status.blocked, *status.cannot_verify], key=lambda t: rank(t.id, 0))
        blockers = tuple({t.id: t for t in [*first, *open_tasks, *unverified]}.values())
    done = replace(status, open=open_tasks, blockers=blockers)
    return replace(done, reasons=_reasons(done))


def _reasons(m: MilestoneStatus) -> tuple[str, ...]:
    """Why M is in its state, the deciding reason first; each a short clause in plain words."""
    reasons: list[str] = []
    milestone = m.milestone
    target = milestone.target_score
    if m.state == REACHED:
        if m.waived:
            meets = (f" and the score, counting the waived work, meets its target of {whole_points(target)}/100"
                     if target is not None else "")
            reasons.append("every required task is done or waived" + meets)
        else:
            meets = "" if target is None else f" and the score meets its target of {whole_points(target)}/100"
            reasons.append("every required task is done" + meets)
        if m.waived:
            reasons.append("waived: " + "; ".join(f"{w.subject} ({w.describe()})" for w in m.waived))
        return tuple(reasons)
    if m.state == MISSED:
        reasons.append(f"its date {milestone.date} has passed")
    for task in m.blocked:
        reasons.append(f"{task.id} is blocked" if task.status is Status.blocked
                       else f"{task.id} waits for blocked work")
    if m.cannot_verify:
        reasons.append(f"{joined([t.id for t in m.cannot_verify])} "
                       f"{'has' if len(m.cannot_verify) == 1 else 'have'} no verify command, "
                       "so it can never be verified")
    if target is not None and whole_points(m.score_at) < whole_points(target):
        reasons.append(f"its required tasks reach only {whole_points(m.score_at)}/100, "
                       f"{plural(m.gap, 'point')} short of its target of {whole_points(target)}/100")
    if m.open:
        reasons.append(f"{plural(len(m.open), 'required task')} open ({_unbroken(m.remaining)})")
    if m.unverified:
        reasons.append(f"{plural(len(m.unverified), 'done task')} not verified: "
                       f"{joined([t.id for t in m.unverified])}")
    unticked = [c.text for c in m.sign_off if not c.holds]
    if unticked:
        reasons.append(f"{plural(len(unticked), 'sign-off criterion', 'sign-off criteria')} not ticked: "
                       + "; ".join(unticked))
    for waiver in m.expired:
        reasons.append(f"the waiver of {waiver.subject} expired on {waiver.waiver.until}")
    if m.state == AT_RISK and m.eta_late is not None:
        reasons.append(f"expected by {m.eta_late}, after its date {milestone.date}")
    elif m.state == UNKNOWN and m.remaining.unestimated:
        reasons.append(f"{plural(m.remaining.unestimated, 'open task')} without an estimate")
    elif m.state == UNKNOWN:
        reasons.append(f"its open work ({_unbroken(m.remaining)}) would end past the year 9999 "
                       "at this capacity")
    if m.waived:
        reasons.append("waived: " + "; ".join(f"{w.subject} ({w.describe()})" for w in m.waived))
    return tuple(reasons)


def _unbroken(hours: Hours) -> str:
    """HOURS as text whose numbers stay with their unit ("34\u00a0h"), on a page as in a terminal."""
    return str(hours).replace(" h", "\u00a0h")


def _confidence(a: Assessment) -> Confidence:
    """Lowered by unestimated open work, blocked tasks, missing evidence and milestones missed,
    blocked or off track; low when there are no tasks at all (a score of nothing is not a measure)."""
    model, figures = a.model, a.figures
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
    for state, singular, several in ((MISSED, " missed its date", " missed their dates"),
                                     (BLOCKED, " is blocked", " are blocked"),
                                     (UNVERIFIABLE, " cannot be verified", " cannot be verified"),
                                     (OUT_OF_REACH, " cannot reach its target with its required tasks",
                                      " cannot reach their targets with their required tasks"),
                                     (AT_RISK, " is off track", " are off track")):
        titles = [m.milestone.title for m in a.milestones if m.state == state]
        if titles:
            reasons.append(joined(titles) + (singular if len(titles) == 1 else several))
            penalty += 2
    ranges = sum(1 for t in model.tasks if not t.is_done and t.effort is not None and t.effort.is_range)
    if ranges:
        reasons.append(plural(ranges, "open task") + " estimated as a range")
    if not reasons:
        reasons.append("every open task is estimated, nothing is blocked and no milestone is late"
                       if a.milestones else
                       "every open task is estimated and nothing is blocked; no milestones are set, "
                       "so no dates are checked")
    level = "high" if penalty == 0 else "medium" if penalty <= 2 else "low"
    return Confidence(level, tuple(reasons))


# --- the assessment as JSON ------------------------------------------------------------------


def assessment_json(a: Assessment) -> dict[str, Any]:
    """Every figure and verdict as plain JSON data (``check --format json``; ``SCHEMA_VERSION``)."""
    from readiness.figures.core import to_json

    def date(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    def hours(h: Hours) -> dict[str, Any]:
        return {"low": h.low, "high": h.high, "unestimated": h.unestimated}

    def waiver(w: WaiverState) -> dict[str, Any]:
        return {"subject": w.subject, "task": w.task.id if w.task is not None else None,
                "kind": w.waiver.kind.value, "by": w.waiver.by, "reason": w.waiver.reason,
                "until": w.waiver.until.isoformat(), "active": w.active}

    data = {"schema_version": SCHEMA_VERSION, **to_json(a.model, a.figures)}
    data["milestones"] = [
        {
            "id": m.milestone.id,
            "title": m.milestone.title,
            "date": date(m.milestone.date),
            "target_score": m.milestone.target_score,
            "score_at": whole_points(m.score_at),
            "state": m.state,
            "decision": m.decision,
            "reached": m.reached,
            "reasons": list(m.reasons),
            "blockers": [t.id for t in m.blockers],
            "signed_off": m.signed_off,
            "open_tasks": [t.id for t in m.open],
            "remaining_hours": hours(m.remaining),
            "eta": date(m.eta),
            "eta_late": date(m.eta_late),
            "on_track": m.on_track,
            "out_of_reach": m.out_of_reach,
            "requires_verified": m.requires_verified,
            "unverified_tasks": [t.id for t in m.unverified],
            "blocked_tasks": [t.id for t in m.blocked],
            "unverifiable_tasks": [t.id for t in m.cannot_verify],
            "critical_path": {"tasks": [t.id for t in m.critical_path], "hours": hours(m.critical_hours),
                              "rule": CRITICAL_PATH_RULE},
            "sign_off": [{"text": c.text, "state": c.state, "ticked": c.ticked, "how": c.how}
                         for c in m.sign_off],
            "waived": [waiver(w) for w in m.waived],
            "expired_waivers": [waiver(w) for w in m.expired],
        }
        for m in a.milestones
    ]
    data["plan"] = {
        "rule": PLAN_RULE,
        "steps": [{"position": s.position, "task": s.task.id, "title": s.task.title,
                   "priority": s.task.priority, "owner": s.task.owner, "milestone": s.milestone,
                   "critical": s.critical, "ready": s.ready, "waits_for": [t.id for t in s.waits_for],
                   "waits_on_unverified": [t.id for t in s.waits_on_unverified],
                   "points": round(s.gain.points, 2),
                   "per_hour": None if s.gain.per_hour is None else round(s.gain.per_hour, 3)}
                  for s in a.plan],
        "held": [{"task": h.task.id, "blocked_by": [t.id for t in h.blocked_by]} for h in a.held],
    }
    data["next_tasks"] = [s.task.id for s in a.next_steps(5)]
    data["critical_path"]["rule"] = CRITICAL_PATH_RULE
    data["boxes"] = a.boxes
    data["waivers"] = [waiver(w) for w in a.waivers]
    data["confidence"] = {"level": a.confidence.level, "reasons": list(a.confidence.reasons)}
    data["verification"] = evidence_json(a.evidence)
    return data


def reached_milestones(assessment: Assessment) -> tuple[str, ...]:
    """The ids of the reached milestones (for history and commit messages)."""
    return tuple(m.milestone.id for m in assessment.milestones if m.reached)


def recently_completed(model: Readiness, days: int = 14) -> tuple[Task, ...]:
    """Tasks completed within DAYS before the as-of date, newest first."""
    as_of = model.project.as_of
    since = as_of - dt.timedelta(days=days) if as_of.toordinal() > days else dt.date.min
    done = [t for t in model.tasks if t.is_done and t.completed is not None and since <= t.completed <= as_of]
    return tuple(sorted(done, key=lambda t: t.completed or since, reverse=True))

