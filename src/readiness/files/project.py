"""Where the project is: the nearest folder with ``.git``, a site configuration or the source."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SOURCE = Path("content/readiness.yaml")
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml", "zensical.toml")


def project_root(start: Path) -> Path:
    """The project folder: the nearest folder (START or a parent) with ``.git``, a site
    configuration or ``content/readiness.yaml``; else START. Deliverables, pages and templates
    are relative to it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project_root(folder):
            return folder
    return start


def is_project_root(folder: Path) -> bool:
    """True when FOLDER holds ``.git``, a site configuration or ``content/readiness.yaml``."""
    return any((folder / mark).exists() for mark in (".git", *CONFIG_NAMES, DEFAULT_SOURCE))
