"""What one project's readiness says, as ``readiness check --format json`` prints it (minus "gate").

TEMPORARY ADAPTER: ``assessed`` computes today's JSON the way ``cli.check`` does and adds the
keys of the assessment contract (schema_version 2: "decision", "reasons", "blockers", "plan").
When the assessment lands, its body becomes one call to it; nothing else in the portfolio
computes a verdict. The site renders a project's pages from the same model and figures, so a
source is loaded and assessed once for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

SCHEMA_VERSION = 2


class Assessed(NamedTuple):
    """A source's model, its figures (before the evidence is counted, as ``site.pages_for`` takes
    them) and its check JSON."""

    model: Any
    figures: Any
    data: dict[str, Any]


def project_data(source: Path) -> dict[str, Any]:
    """The check JSON of SOURCE (without "gate"); raises SourceError when SOURCE is invalid."""
    return assessed(source).data


def assessed(source: Path) -> Assessed:
    """SOURCE loaded, validated as ``check`` validates it, and assessed."""
    # --- temporary adapter: replaced by the assessment's own JSON when it lands ---
    from readiness.evidence import (
        assess_evidence,
        counting_evidence,
        evidence_json,
        evidence_path,
        load_evidence,
    )
    from readiness.figures import assess, to_json
    from readiness.locate import project_root, templates_folder
    from readiness.source import read_and_load, refuse_unknown_pages

    text, model = read_and_load(source)
    root = project_root(source.parent)
    refuse_unknown_pages(source, text, model, templates_folder(root))
    figures = assess(model, root)  # (check also caches the digest for a later commit: not needed here)
    report = assess_evidence(model, load_evidence(evidence_path(source)), root, figures=figures)
    data = to_json(model, counting_evidence(model, figures, report))
    data["verification"] = evidence_json(report)
    titles = {t.id: t.title for t in model.tasks}
    for milestone in data["milestones"]:
        milestone["decision"] = "go" if milestone["state"] == "reached" else "no-go"
        milestone["reasons"] = []
        milestone["blockers"] = list(milestone["open_tasks"])
    data["plan"] = [{"task": task, "title": titles[task]} for task in data["next_tasks"]]
    return Assessed(model, figures, {"schema_version": SCHEMA_VERSION, **data})
