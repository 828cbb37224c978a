"""What one project's readiness says, as ``readiness check --format json`` prints it (minus "gate").

The JSON is the one assessment's (``figures.assessment.assessment_json``), computed as ``check``
computes it; nothing in the portfolio decides a verdict. The site renders a project's pages from
the same assessment, so a source is loaded and assessed once for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from readiness.figures.assessment import SCHEMA_VERSION, Assessment

__all__ = ["SCHEMA_VERSION", "Assessed", "assessed", "project_data"]


class Assessed(NamedTuple):
    """A source's model, its assessment and its check JSON."""

    model: Any
    assessment: Assessment
    data: dict[str, Any]


def project_data(source: Path) -> dict[str, Any]:
    """The check JSON of SOURCE (without "gate"); raises SourceError when SOURCE is invalid."""
    return assessed(source).data


def assessed(source: Path) -> Assessed:
    """SOURCE loaded, validated as ``check`` validates it, and assessed."""
    from readiness.figures.assessment import assessment_json
    from readiness.files.project import project_root
    from readiness.pages.catalogue import refuse_unknown_pages
    from readiness.pages.site import assessment_of
    from readiness.source.loader import read_and_load
    from readiness.source.locate import templates_folder

    text, model = read_and_load(source)
    root = project_root(source.parent)
    refuse_unknown_pages(source, text, model, templates_folder(root))
    assessment = assessment_of(model, source, root)
    return Assessed(model, assessment, assessment_json(assessment))
