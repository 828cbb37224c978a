"""Evidence over done tasks (pure): which claims hold, which are only claimed, and why."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.figures.core import EvidenceFlag
from readiness.source.evidence import EvidenceFile, TaskEvidence, iso
from readiness.source.models import Readiness, Task

VERIFIED = "verified"
FAILED = "failed"
STALE = "stale"
NEVER = "never verified"
NO_COMMANDS = "no verify commands"


@dataclass(frozen=True)
class TaskCheck:
    """A done task and what backs its claim."""

    task: Task
    missing: tuple[str, ...]  # deliverables not in the repository
    state: str  # VERIFIED, FAILED, STALE, NEVER or NO_COMMANDS
    last: TaskEvidence | None
    age_days: int | None

    @property
    def verified(self) -> bool:
        """A passing, fresh verify result, and every deliverable present."""
        return self.state == VERIFIED and not self.missing

    @property
    def flagged(self) -> bool:
        """Claimed but unverified: deliverables missing, or verify commands failed, stale or never run."""
        return bool(self.missing) or self.state in (FAILED, STALE, NEVER)

    @property
    def unchecked(self) -> bool:
        """Neither verified nor flagged: no verify commands to run, and no deliverable missing."""
        return not self.verified and not self.flagged

    @property
    def reasons(self) -> tuple[str, ...]:
        found = []
        if self.missing:
            found.append("missing " + ", ".join(self.missing))
        if self.state == FAILED:
            found.append("verify failed")
        elif self.state == STALE:
            found.append(f"verified {self.age_days} days ago")
        elif self.state == NEVER:
            found.append("never verified")
        return tuple(found)


@dataclass(frozen=True)
class EvidenceReport:
    """Evidence figures of one model: per done task, and the count of claims. What they mean for
    milestones and checklists is decided by the assessment (``readiness.figures.assessment``)."""

    as_of: dt.date
    max_age_days: int | None
    tasks: tuple[TaskCheck, ...]

    @property
    def claimed_but_unverified(self) -> int:
        return sum(1 for t in self.tasks if t.flagged)

    @property
    def verified(self) -> int:
        return sum(1 for t in self.tasks if t.verified)

    @property
    def unchecked(self) -> int:
        """Done tasks with no verify commands and no missing deliverable: nothing to check them by.
        With ``verified`` and ``claimed_but_unverified``, every done task is counted exactly once."""
        return sum(1 for t in self.tasks if t.unchecked)

    def task(self, task_id: str) -> TaskCheck:
        return self._by_id[task_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, TaskCheck]:
        # pages look up every done task: a dict keeps that linear on large sources
        return {item.task.id: item for item in self.tasks}


def check_tasks(model: Readiness, evidence: EvidenceFile, flags: Sequence[EvidenceFlag] | None,
                now: dt.date | dt.datetime | None = None) -> EvidenceReport:
    """What backs each done task's claim: its verify results in EVIDENCE, aged from NOW (else the
    model's ``project.as_of``), and its missing deliverables from FLAGS (``figures.evidence``; None
    when the repository was not looked at)."""
    today = now.date() if isinstance(now, dt.datetime) else now or model.project.as_of
    max_age = model.evidence.max_age_days
    missing_of = {} if flags is None else {f.task.id: f.missing for f in flags}
    checks = []
    for task in model.tasks:
        if not task.is_done:
            continue
        last = evidence.tasks.get(task.id)
        age = None if last is None else max(0, (today - last.ran_at.date()).days)
        if not task.verify:
            state = NO_COMMANDS
        elif last is None:
            state = NEVER
        elif not last.passed or [c.command for c in last.commands] != list(task.verify):
            # Commands changed since the run: the result is about other commands.
            state = FAILED if not last.passed else NEVER
        elif max_age is not None and age is not None and age > max_age:
            state = STALE
        else:
            state = VERIFIED
        checks.append(TaskCheck(task, missing_of.get(task.id, ()), state, last, age))
    return EvidenceReport(today, max_age, tuple(checks))


def evidence_json(report: EvidenceReport) -> dict[str, Any]:
    """The report as plain JSON data (the ``verification`` key of ``check --format json``)."""
    return {
        "as_of": report.as_of.isoformat(),
        "max_age_days": report.max_age_days,
        "claimed_but_unverified": report.claimed_but_unverified,
        "verified": report.verified,
        "unchecked": report.unchecked,
        "tasks": [
            {
                "task": c.task.id,
                "state": c.state,
                "verified": c.verified,
                "flagged": c.flagged,
                "reasons": list(c.reasons),
                "missing": list(c.missing),
                "last_run": None if c.last is None else iso(c.last.ran_at),
                "last_commit": None if c.last is None else c.last.commit,
                "age_days": c.age_days,
            }
            for c in report.tasks
        ],
    }
