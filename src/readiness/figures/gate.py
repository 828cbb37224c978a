"""The CI gate of ``readiness check --ci``: which checks fail, one line each (pure).

The stale-pages check compares what ``readiness build`` would write with the files on disk;
until that module is present the gate has no pages to compare and that check passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from readiness.figures.assessment import Assessment
from readiness.figures.core import whole_points


@dataclass(frozen=True)
class Failure:
    """One failed check: its kind (for JSON) and the line a person reads."""

    kind: str  # "min-score", "milestone", "deliverables", "stale-pages"
    message: str


def gate_failures(assessment: Assessment, *, min_score: float | None = None, milestones: Sequence[str] = (),
                  stale: Sequence[str] = (), deliverables: bool = False) -> list[Failure]:
    """Every failed check: a milestone fails unless the assessment says it is reached, and the
    line says its state and the reasons the assessment gives; with DELIVERABLES, a done task's
    missing deliverable fails; STALE lists pages out of date."""
    failures = []
    for page in stale:
        failures.append(Failure("stale-pages", f"page {page} is stale: run `readiness build`"))
    score = assessment.figures.score
    if min_score is not None and score < min_score:
        failures.append(Failure("min-score", f"score {whole_points(score)} is below the minimum {min_score:g}"))
    for milestone_id in milestones:
        status = assessment.milestone(milestone_id)
        if not status.reached:
            failures.append(Failure("milestone", f"milestone {milestone_id} is {status.decision} "
                                                 f"({status.state}): {'; '.join(status.reasons)}"))
    if deliverables:
        for task in assessment.evidence.tasks:
            if task.missing:
                failures.append(Failure("deliverables", f"task {task.task.id} is done but its "
                                                        f"deliverables are missing: {', '.join(task.missing)}"))
    return failures


def gate_json(failures: Sequence[Failure]) -> dict[str, Any]:
    return {"passed": not failures, "failures": [{"kind": f.kind, "message": f.message} for f in failures]}
