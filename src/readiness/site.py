"""From a source file to pages: load, assess and render in one call (the plugin and CLI share it)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from readiness.digest import remember_model
from readiness.errors import ReadinessError
from readiness.figures import Figures, assess
from readiness.models import Readiness
from readiness.render import render_pages
from readiness.source import read_and_load, refuse_unknown_pages

# The Markdown extensions the pages are written for (the MkDocs plugin adds those a site lacks),
# and the pages' stylesheet, served beside them.
MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "pymdownx.details")
STYLESHEET = "readiness.css"


def stylesheet() -> str:
    """The pages' CSS: pictures on narrow screens, and print."""
    from importlib.resources import files

    return (files("readiness") / "assets" / STYLESHEET).read_text(encoding="utf-8")


def generate(source: Path, root: Path, templates: Path | None = None, *,
             history: bool = True) -> dict[str, str]:
    """The pages of SOURCE, with evidence checked under ROOT and project TEMPLATES first.

    Remembers the source's digest, so that a ``readiness commit`` after ``mkdocs serve`` or
    ``mkdocs build`` does not validate the same bytes again (``readiness.digest``).
    """
    with collections_paused():
        text, model = read_and_load(source)
        refuse_unknown_pages(source, text, model, templates)
        figures = assess(model, root)
        remember_model(text, model, figures)
        return pages_for(model, source, root, templates, figures, history=history)


@contextlib.contextmanager
def collections_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a burst of acyclic objects is built.

    Validating, assessing and rendering a large source makes hundreds of thousands of
    small objects and almost no cycles; collecting during the burst only costs time.
    The collector's previous state is restored afterwards, even on errors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pages_for(model: Readiness, source: Path, root: Path, templates: Path | None = None,
              figures: Figures | None = None, *, history: bool = True,
              built_on: dt.date | None = None) -> dict[str, str]:
    """Render MODEL's pages with what lies beside its source: verify results, and the score
    over the source's git history (when HISTORY and the source is in a repository).

    BUILT_ON is the day of the build (default: today, or ``SOURCE_DATE_EPOCH``). Milestones are
    shown as the evidence decides them (``evidence.counting_evidence``), as ``check --milestone`` does."""
    from readiness.evidence import counting_evidence

    figures = figures if figures is not None else assess(model, root)
    report = verification(model, source, root, figures)
    extra = {
        "verification": report,
        "score_history": score_history_svg(source) if history else None,
    }
    return render_pages(model, counting_evidence(model, figures, report), templates, extra, built_on)


def verification(model: Readiness, source: Path, root: Path, figures: Figures) -> Any:
    """The evidence report of MODEL, from the evidence file next to SOURCE (absent: no runs yet)."""
    from readiness.evidence import assess_evidence, evidence_path, load_evidence

    return assess_evidence(model, load_evidence(evidence_path(source)), root, figures=figures)


def score_history_svg(source: Path) -> str | None:
    """A picture of the score at each commit that changed SOURCE, or None without two such commits."""
    from readiness.gitops import open_repository
    from readiness.history import score_series, walk_history
    from readiness.pictures_history import score_chart_svg

    try:
        repo = open_repository(source.parent if source.parent.is_dir() else None)
        series = score_series(walk_history(repo, repo.relative(source)))
    except ReadinessError:
        return None  # not in a repository, or the source is not committed yet
    return score_chart_svg(series) if len(series) >= 2 else None
