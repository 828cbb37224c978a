"""What changed between two assessments of a project (pure): tasks finished, reopened, added and
removed, the score before and now, and per milestone its state, its expected date and its due date.

Both sides are assessments (``assess_project``), so every verdict compared here is the one the
assessment decided; nothing is decided again. Which earlier state to compare with (a commit of
the source) is chosen elsewhere (``readiness.history``): this module never reads git.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from readiness.figures.assessment import Assessment, MilestoneStatus
from readiness.figures.core import whole_points
from readiness.figures.states import STATES
from readiness.source.models import Milestone, Task


@dataclass(frozen=True)
class MilestoneChange:
    """One milestone, then and now. ``before`` is None for a milestone the source did not have."""

    milestone: Milestone
    before: MilestoneStatus | None
    now: MilestoneStatus

    @property
    def added(self) -> bool:
        return self.before is None

    @property
    def state_changed(self) -> bool:
        return self.before is not None and self.before.state != self.now.state

    @property
    def worse(self) -> bool:
        """The state now comes before the state then in ``STATES`` (worst first)."""
        return self.state_changed and self.before is not None and _rank(self.now.state) < _rank(
            self.before.state)

    @property
    def due_changed(self) -> bool:
        """The milestone's date was changed in the source (set, moved or cleared)."""
        return self.before is not None and self.before.milestone.date != self.milestone.date

    @property
    def due_days(self) -> int | None:
        """Days the due date moved (later is positive); None unless it had a date then and now."""
        then, now = (self.before.milestone.date if self.before else None), self.milestone.date
        return (now - then).days if then is not None and now is not None else None

    @property
    def expected_moved(self) -> bool:
        """The expected date (range) moved, with one then and one now to compare."""
        before = self.before
        return (before is not None and before.eta_late is not None and self.now.eta_late is not None
                and (before.eta, before.eta_late) != (self.now.eta, self.now.eta_late))

    @property
    def expected_days(self) -> int:
        """Days the expected date moved (later is positive): by the late end of the range, the one
        that decides on track or at risk, or by the early end when only that one moved."""
        before = self.before
        if not self.expected_moved or before is None:
            return 0
        late = _days(before.eta_late, self.now.eta_late)
        return late if late else _days(before.eta, self.now.eta)

    @property
    def changed(self) -> bool:
        return self.added or self.state_changed or self.due_changed or self.expected_moved


@dataclass(frozen=True)
class Changes:
    """What changed from one assessment to the next; each list holds only what changed."""

    finished: tuple[Task, ...]  # done now, and not done then (or not listed then)
    reopened: tuple[Task, ...]  # done then, not done now
    added: tuple[Task, ...]  # listed now and not then, and not done (a new done task is finished)
    removed: tuple[Task, ...]  # listed then and not now (as they were then)
    score_before: float
    score_now: float
    milestones: tuple[MilestoneChange, ...]  # in source order; only those that changed
    removed_milestones: tuple[Milestone, ...]  # as they were then

    @property
    def score_delta(self) -> int:
        """The change of the score as the pages write it (whole points)."""
        return whole_points(self.score_now) - whole_points(self.score_before)

    @property
    def empty(self) -> bool:
        return not (self.finished or self.reopened or self.added or self.removed or self.score_delta
                    or self.milestones or self.removed_milestones)


@dataclass(frozen=True)
class ChangesSince:
    """The changes since an earlier committed state, and that commit (what the pages name)."""

    commit: str
    committed: dt.datetime
    path: str  # the source's path in that commit (it may have been renamed since)
    changes: Changes

    @property
    def short(self) -> str:
        """The commit's abbreviated hash, as ``git log --oneline`` writes it (7 characters)."""
        return self.commit[:7]


def changes_between(previous: Assessment, current: Assessment) -> Changes:
    """What changed from PREVIOUS to CURRENT: tasks by id, milestones by id, in current source order."""
    then = {t.id: t for t in previous.model.tasks}
    now_ids = {t.id for t in current.model.tasks}
    finished = tuple(t for t in current.model.tasks
                     if t.is_done and (t.id not in then or not then[t.id].is_done))
    reopened = tuple(t for t in current.model.tasks if t.id in then and then[t.id].is_done and not t.is_done)
    added = tuple(t for t in current.model.tasks if t.id not in then and not t.is_done)
    removed = tuple(t for t in previous.model.tasks if t.id not in now_ids)
    before = {m.milestone.id: m for m in previous.milestones}
    milestones = tuple(change for change in (MilestoneChange(m.milestone, before.get(m.milestone.id), m)
                                             for m in current.milestones) if change.changed)
    current_ids = {m.id for m in current.model.milestones}
    gone = tuple(m for m in previous.model.milestones if m.id not in current_ids)
    return Changes(finished, reopened, added, removed, previous.figures.score, current.figures.score,
                   milestones, gone)


def _rank(state: str) -> int:
    return STATES.index(state) if state in STATES else len(STATES)


def _days(then: dt.date | None, now: dt.date | None) -> int:
    return (now - then).days if then is not None and now is not None else 0
