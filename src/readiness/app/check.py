"""`readiness check`: validate the source file, then the gates asked for (score, milestones, --ci)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from readiness.app.output import Line, Lines, note
from readiness.errors import SourceError


def check_source(source: str | Path | None, *, fmt: str = "text", min_score: float | None = None,
                 ci: bool = False, milestones: Sequence[str] = ()) -> Lines:
    """The verdict on SOURCE (text or json, per FMT), then ``GateFailed`` with one line per gate
    that failed. An invalid source raises ``SourceError``, after its problems as JSON with FMT json;
    an unknown milestone id raises ``WrongUsage``."""
    try:
        yield from _check(source, fmt, min_score, ci, milestones)
    except SourceError as error:
        if fmt == "json":
            yield Line(problems_json(error))
        raise


def problems_json(error: SourceError) -> str:
    """The problems of a SourceError as a JSON document: located ones with their file, line,
    column and key path; one that is not (a missing file) with its message alone."""
    import json

    from readiness.terminal import safe_json

    problems = [{"file": p.path, "line": p.line, "column": p.column, "path": p.key_path,
                 "message": p.message} for p in error.problems]
    if not problems:
        problems = [{"file": None, "line": None, "column": None, "path": "", "message": line}
                    for line in error.lines]
    return safe_json(json.dumps({"valid": False, "problems": problems}, indent=2, ensure_ascii=False))


def _check(source: str | Path | None, fmt: str, min_score: float | None, ci: bool,
           milestones: Sequence[str]) -> Lines:
    import json

    from readiness.app.project import display_path, load, project_folder
    from readiness.digest import remember_model
    from readiness.errors import GateFailed, WrongUsage
    from readiness.figures.assessment import assess_project, assessment_json
    from readiness.figures.core import assess, whole_points
    from readiness.figures.gate import gate_failures, gate_json
    from readiness.pages.catalogue import refuse_unknown_pages
    from readiness.pages.site import pages_out_of_date
    from readiness.source.evidence import evidence_from_bytes
    from readiness.source.locate import display_name, evidence_bytes, evidence_path, templates_folder
    from readiness.terminal import safe, safe_json

    path, text, model = load(source)
    root = project_folder(path)
    refuse_unknown_pages(path, text, model, templates_folder(root))
    for milestone_id in milestones:
        if milestone_id not in {m.id for m in model.milestones}:
            raise WrongUsage(f"no milestone with id {milestone_id!r}", option="--milestone")
    runs = evidence_bytes(evidence_path(path))
    evidence = evidence_from_bytes(runs, display_name(evidence_path(path)))  # a broken one fails check
    remember_model(text, model, runs)  # for a `readiness commit` that follows
    if fmt == "text" and not (milestones or ci or min_score is not None):
        # nothing asked of the verdicts: the figures alone say what is printed
        figures = assess(model)
        yield Line(f"{safe(display_path(path))}: valid; score {whole_points(figures.score)}/100, "
                   f"{figures.tasks.done} of {figures.tasks.total} tasks done")
        return
    assessment = assess_project(model, root=root, evidence=evidence)
    stale = pages_out_of_date(assessment, path, root, text) if ci else []
    failures = gate_failures(assessment, min_score=min_score, milestones=milestones, stale=stale,
                             deliverables=ci)
    if ci:
        from readiness.figures.gate import Failure
        from readiness.source.locate import dropped_by_zensical
        from readiness.source.schema_copy import stale_schema

        dropped = dropped_by_zensical(root)
        if dropped is not None:  # a warning: the pages may be built another way already
            yield note(safe(f"readiness: warning: {display_path(dropped)} names the readiness plugin, which "
                            "Zensical drops without a word (no readiness pages on the site): write the pages "
                            "with `readiness build --watch` while editing, `readiness build` before "
                            "`zensical build`"))

        schema_line = stale_schema(path, text, root)
        if schema_line is not None:
            failures.append(Failure("stale-schema", schema_line))
    if fmt == "json":
        data = assessment_json(assessment)
        data["gate"] = gate_json(failures)
        yield Line(safe_json(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        figures = assessment.figures
        yield Line(f"{safe(display_path(path))}: valid; score {whole_points(figures.score)}/100, "
                   f"{figures.tasks.done} of {figures.tasks.total} tasks done")
    if failures:  # one line per failure (each prefixed like any error line)
        raise GateFailed(*(f.message for f in failures))
