"""`readiness status`: the assessment's figures and verdicts, as lines for a terminal, now or at a commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.app.output import Line, Lines
from readiness.terminal import _COLOURS, bar, padded, safe, width_of
from readiness.words import plural

if TYPE_CHECKING:
    from readiness.figures.assessment import Assessment
    from readiness.source.models import Readiness


def status_report(source: str | Path | None = None, *, limit: int = 5, rev: str | None = None,
                  colour: bool = False) -> Lines:
    """The summary of SOURCE (with COLOUR codes or none; LIMIT steps of the plan), or with REV of
    the source as that commit, tag or branch left it (its deliverables and evidence not read)."""
    from readiness.figures.assessment import assess_project

    if rev is not None:  # the state at a commit, from git history
        model, at = _model_at(source, rev)
        yield Line(at)
        # deliverables of an old commit are not on disk, and its verify results are not read
        assessment = assess_project(model)
    else:
        from readiness.app.project import load, project_folder
        from readiness.digest import remember_model
        from readiness.pages.site import assessment_of
        from readiness.source.locate import evidence_bytes, evidence_path

        path, text, model = load(source)
        assessment = assessment_of(model, path, project_folder(path))
        remember_model(text, model, evidence_bytes(evidence_path(path)))  # for a `readiness commit`
    for line in status_lines(assessment, colour=colour, limit=limit, evidence_read=rev is None):
        yield Line(line, colour=colour)  # a colour kept on a pipe too, for FORCE_COLOR


def _model_at(source: str | Path | None, rev: str) -> tuple[Readiness, str]:
    """The model as commit REV left the source file, and the line that says which commit that is."""
    from readiness.app.project import source_file
    from readiness.git.repository import open_repository
    from readiness.history import source_at
    from readiness.source.loader import load_text

    path = source_file(source)
    repo = open_repository(path.parent if path.parent.is_dir() else Path.cwd())
    relative = repo.relative(path)
    sha, committed, text = source_at(repo, rev, relative)
    model = load_text(text, f"{rev}:{relative}")
    return model, f"At {safe(rev)}: commit {sha[:12]} of {committed.date().isoformat()}"


def status_lines(assessment: Assessment, *, colour: bool, limit: int = 5,
                 evidence_read: bool = True) -> Iterator[str]:
    """The summary a person reads in a terminal: the assessment's figures and verdicts, worded as
    the pages word them (EVIDENCE_READ: the verify results were read, so they are shown)."""
    from readiness.figures.core import whole_points
    from readiness.figures.states import GO, REACHED

    model, figures, verification = assessment.model, assessment.figures, assessment.evidence

    def paint(text: str, *styles: str) -> str:
        if not colour:
            return text
        codes = ";".join(_COLOURS[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    project = model.project
    yield paint(f"{safe(project.name)} — readiness as of {project.as_of.isoformat()}", "bold")
    score = whole_points(figures.score)
    tone = "green" if score >= 90 else "yellow" if score >= 70 else "red"
    yield f"Score      {paint(f'{score:>3}/100', 'bold', tone)}  {bar(figures.score / 100)}"
    for projection in figures.projections:
        shown = whole_points(projection.score)
        yield f"  after {projection.priority}  {shown:>3}/100  {bar(projection.score / 100)}"
    tasks = figures.tasks
    yield (f"Tasks      {tasks.done} of {tasks.total} done ({whole_points(tasks.percent)} %), "
           f"{_work_left(figures.remaining)}")
    yield ""
    yield paint("Phases", "bold")
    width = max((width_of(safe(g.title)) for g in figures.phases), default=0)
    for group in figures.phases:
        if not group.tally.total:  # a phase not yet filled: no bar of 0/0
            yield f"  {padded(safe(group.title), width)}  no tasks"
            continue
        yield (f"  {padded(safe(group.title), width)}  {bar(group.tally.percent / 100, 10)} "
               f"{group.tally.done}/{group.tally.total}  {_work_left(group.remaining)}")
    if assessment.milestones:
        yield ""
        yield paint("Milestones", "bold")
        for status in assessment.milestones:
            milestone = status.milestone
            due = f", due {milestone.date.isoformat()}" if milestone.date else ""
            target = (f"target {whole_points(milestone.target_score)}/100, "
                      if milestone.target_score is not None else "")
            tone = "green" if status.state == REACHED else "red" if status.on_track is False else "yellow"
            decision = paint(status.decision.upper(), "bold", "green" if status.decision == GO else "red")
            yield (f"  {safe(milestone.title)} ({target}reaches {whole_points(status.score_at)}/100{due}): "
                   f"{decision}, {paint(status.state, tone)}")
            if status.eta is not None:
                eta = status.eta.isoformat()
                if status.eta_late and status.eta_late != status.eta:
                    eta += f" to {status.eta_late.isoformat()}"
                yield f"    expected {eta}"
            for reason in status.reasons:
                yield f"    - {safe(reason)}"
    if assessment.plan:
        yield ""
        yield paint("Plan (first steps)", "bold")
        for step in assessment.next_steps(limit):
            task = step.task
            effort = str(task.effort) if task.effort else "unestimated"
            rate = f", {step.gain.per_hour:.2f} pts/h" if step.gain.per_hour is not None else ""
            after = "" if step.ready else f"; after {', '.join(safe(t.id) for t in step.waits_for)}"
            yield (f"  {step.position}. {task.priority} {safe(task.id)}: {safe(task.title)} "
                   f"(+{step.gain.points:.1f} pts, {effort}{rate}{after})")
    if assessment.held:
        yield ""
        yield paint("Blocked", "bold", "red")
        for held in assessment.held:
            waits = ", ".join(safe(t.id) for t in held.blocked_by)
            why = "blocked" if held.is_blocked else f"waits for {waits}"
            yield f"  {safe(held.task.id)}: {safe(held.task.title)} ({why})"
    if evidence_read and verification.tasks:
        yield ""
        yield paint("Evidence", "bold")
        yield (f"  {verification.verified} of {len(verification.tasks)} done tasks verified, "
               f"{verification.claimed_but_unverified} claimed but unverified"
               + (f", {verification.unchecked} with no verify commands" if verification.unchecked else ""))
        for check in verification.tasks:
            if check.flagged:
                yield paint(f"  {safe(check.task.id)}: {safe('; '.join(check.reasons))}", "yellow")
    elif figures.evidence:
        yield ""
        yield paint("Done but without evidence", "bold", "yellow")
        for flag in figures.evidence:
            yield f"  {safe(flag.task.id)}: missing {', '.join(safe(p) for p in flag.missing)}"


def _work_left(hours: Any) -> str:
    """ "34 h of work left", or "34 h of estimated work left, plus 4 tasks without an estimate"."""
    if not hours.unestimated:
        return f"{hours} of work left"
    return (f"{hours.estimated} of estimated work left, plus {plural(hours.unestimated, 'task')} "
            "without an estimate")
