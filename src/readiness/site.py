"""From a source file to pages: load, assess and render in one call (the plugin and CLI share it)."""

from __future__ import annotations

from pathlib import Path

from readiness.figures import assess
from readiness.render import render_pages
from readiness.source import load_source


def project_root(cwd: Path) -> Path:
    """The nearest folder (CWD or a parent) with mkdocs.yml, .git or content/readiness.yaml; else CWD."""
    for folder in (cwd, *cwd.parents):
        if any((folder / mark).exists() for mark in ("mkdocs.yml", ".git", "content/readiness.yaml")):
            return folder
    return cwd


def generate(source: Path, root: Path, templates: Path | None = None) -> dict[str, str]:
    """The pages of SOURCE, with evidence checked under ROOT and project TEMPLATES first."""
    model = load_source(source)
    return render_pages(model, assess(model, root), templates)
