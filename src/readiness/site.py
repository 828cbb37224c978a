"""From a source file to pages: load, assess and render in one call (the plugin and CLI share it)."""

from __future__ import annotations

from pathlib import Path

from readiness.figures import assess
from readiness.render import render_pages
from readiness.source import load_source


def generate(source: Path, root: Path, templates: Path | None = None) -> dict[str, str]:
    """The pages of SOURCE, with evidence checked under ROOT and project TEMPLATES first."""
    model = load_source(source)
    return render_pages(model, assess(model, root), templates)
