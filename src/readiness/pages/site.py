"""From a source file to pages: load, assess and render in one call (the plugin and CLI share it)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.digest import remember_model
from readiness.errors import ReadinessError
from readiness.figures.assessment import Assessment, assess_project
from readiness.pages.catalogue import refuse_unknown_pages
from readiness.pages.render import render_pages
from readiness.source.loader import read_and_load
from readiness.source.locate import evidence_bytes, evidence_path
from readiness.source.models import Readiness

if TYPE_CHECKING:
    from readiness.figures.changes import ChangesSince
    from readiness.history import History

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
        assessment = assessment_of(model, source, root)
        remember_model(text, model, evidence_bytes(evidence_path(source)))
        return pages_for(assessment, source, templates, history=history, current=text)


def assessment_of(model: Readiness, source: Path, root: Path | None) -> Assessment:
    """The one assessment of MODEL: with the evidence file next to SOURCE (absent: no runs yet),
    and deliverable files looked for under ROOT when given. Every command and the plugin call this."""
    from readiness.source.evidence import load_evidence
    from readiness.source.locate import evidence_path

    return assess_project(model, root=root, evidence=load_evidence(evidence_path(source)))


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


def pages_for(assessment: Assessment, source: Path, templates: Path | None = None, *, history: bool = True,
              built_on: dt.date | None = None, current: bytes | None = None) -> dict[str, str]:
    """Render the pages of ASSESSMENT, with the score over the source's git history and what changed
    since the previous committed state (when HISTORY and the source is in a repository). CURRENT: the
    source's bytes as they were assessed (default: read again). BUILT_ON is the day of the build
    (default: today, or ``SOURCE_DATE_EPOCH``)."""
    extra = history_context(assessment, source, current) if history else dict(_NO_HISTORY)
    return render_pages(assessment, templates, extra, built_on)


_NO_HISTORY: dict[str, object] = {"score_history": None, "changes": None}


def history_context(assessment: Assessment, source: Path, current: bytes | None = None) -> dict[str, object]:
    """What the pages take from SOURCE's git history, from one walk: ``score_history`` (the
    score-over-time picture) and ``changes`` (what changed since the previous committed state
    to ASSESSMENT); both None outside a repository or before the first commit."""
    walked = source_history(source, current)
    if walked is None:
        return dict(_NO_HISTORY)
    return {"score_history": _score_chart(walked), "changes": changes_since(walked, assessment)}


def source_history(source: Path, current: bytes | None = None) -> History | None:
    """The one walk through SOURCE's git history that both the score-over-time picture and "what
    changed" read, or None when SOURCE is not in a repository or not committed. CURRENT: the
    source's bytes now (default: read from the file)."""
    from readiness.git.repository import open_repository
    from readiness.history import walk_history

    try:
        repo = open_repository(source.parent if source.parent.is_dir() else None)
        relative = repo.relative(source)
        if current is None:
            from readiness.source.locate import display_name, read_source

            try:
                current = read_source(source, display_name(source))
            except ReadinessError:
                current = None  # nothing to compare with: the picture is still drawn
        return walk_history(repo, relative, current=current)
    except ReadinessError:
        return None  # not in a repository, or the source is not committed yet


def changes_since(history: History, assessment: Assessment) -> ChangesSince | None:
    """What changed from the previous committed state HISTORY found to ASSESSMENT, or None when
    there is no earlier version that differs."""
    from readiness.figures.changes import ChangesSince, changes_between

    previous = history.previous
    if previous is None:
        return None
    return ChangesSince(previous.commit, previous.committed, previous.path,
                        changes_between(previous.assessment, assessment))


def _score_chart(history: History) -> str | None:
    from readiness.history import score_series
    from readiness.pages.pictures_history import score_chart_svg

    series = score_series(history)
    return score_chart_svg(series) if len(series) >= 2 else None


def pages_out_of_date(assessment: Assessment, source: Path, root: Path,
                      current: bytes | None = None) -> list[str]:
    """Pages on disk that differ from what `readiness build` would write (none when pages live only
    in the MkDocs plugin, i.e. ``housekeeping.pages_dir`` is unset). CURRENT: the source's bytes
    as assessed."""
    pages_dir = assessment.model.housekeeping.pages_dir
    if pages_dir is None:
        return []
    from readiness.pages.folder import plan_pages
    from readiness.source.locate import templates_folder

    pages = pages_for(assessment, source, templates_folder(root), current=current)
    return plan_pages(pages, root / pages_dir).stale
