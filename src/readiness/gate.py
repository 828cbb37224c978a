"""The CI gate of ``readiness check --ci``: which checks fail, one line each (pure).

The stale-pages check compares what ``readiness build`` would write with the files on disk;
until that module is present the gate has no pages to compare and that check passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness.evidence import EvidenceReport, counting_evidence
from readiness.figures import Figures, points
from readiness.models import Readiness


@dataclass(frozen=True)
class Failure:
    """One failed check: its kind (for JSON) and the line a person reads."""

    kind: str  # "min-score", "milestone", "deliverables", "stale-pages"
    message: str


def gate_failures(model: Readiness, figures: Figures, report: EvidenceReport | None, *,
                  min_score: float | None = None, milestones: Sequence[str] = (),
                  stale: Sequence[str] = (), deliverables: bool = False) -> list[Failure]:
    """Every failed check. REPORT (evidence) decides milestones that require verified tasks;
    with DELIVERABLES, a done task's missing deliverable fails; STALE lists pages out of date."""
    failures = []
    for page in stale:
        failures.append(Failure("stale-pages", f"page {page} is stale: run `readiness build`"))
    if min_score is not None and figures.score < min_score:
        failures.append(Failure("min-score",
                                f"score {points(figures.score)} is below the minimum {min_score:g}"))
    if report is not None:  # one meaning of reached: the one the pages and `status` show
        figures = counting_evidence(model, figures, report)
    for milestone_id in milestones:
        status = figures.milestone(milestone_id)
        if status.reached:
            continue
        target = points(status.milestone.target_score or 0)
        if status.open:
            count = len(status.open)
            why = f"{count} required task{'' if count == 1 else 's'} open"
            if status.out_of_reach:  # finishing them is not enough
                why += (f", and with {'it' if count == 1 else 'them'} done the score reaches only "
                        f"{points(status.score_at)}, "
                        f"below its target {target}: it needs more work than its required tasks")
        elif not status.work_done:
            why = (f"score {points(figures.score)} is below its target {target} with every required "
                   "task done: it needs more work than its required tasks")
        else:
            held = []
            if status.unverified:
                held.append("done tasks without a passing, fresh verify: "
                            + ", ".join(t.id for t in status.unverified))
            if not status.signed_off:
                held.append("sign-off missing: " + "; ".join(c.text for c in status.sign_off if not c.ticked))
            why = "; ".join(held)
        failures.append(Failure("milestone", f"milestone {milestone_id} is not reached: {why}"))
    if deliverables and report is not None:
        for task in report.tasks:
            if task.missing:
                failures.append(Failure("deliverables", f"task {task.task.id} is done but its "
                                                        f"deliverables are missing: {', '.join(task.missing)}"))
    return failures


def gate_json(failures: Sequence[Failure]) -> dict[str, Any]:
    return {"passed": not failures, "failures": [{"kind": f.kind, "message": f.message} for f in failures]}


def pages_out_of_date(model: Readiness, figures: Figures, source: Path, root: Path) -> list[str]:
    """Pages on disk that differ from what `readiness build` would write (none when pages live only
    in the MkDocs plugin, i.e. ``housekeeping.pages_dir`` is unset)."""
    if model.housekeeping.pages_dir is None:
        return []
    from readiness.pagefiles import plan_pages
    from readiness.site import pages_for

    pages = pages_for(model, source, root, root / "templates", figures)
    return plan_pages(pages, root / model.housekeeping.pages_dir).stale
