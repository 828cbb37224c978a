"""`readiness init`: a starting source file and site configuration for a new project."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from readiness.app.output import Line, Lines
from readiness.errors import WouldLoseData

SOURCE = """\
# yaml-language-server: $schema={schema_url}
#
# Production-readiness state of {name}: the single source of truth.
# Every figure on the pages is computed from this file; run `readiness check` after editing.

project:
  name: {name_yaml}
  as_of: {today}
  capacity_hours_per_week: 40

roles:
  - id: executives
    title: Executives
    pages: [executive-summary]
  - id: developers
    title: Developers
    pages: [production-tracker]

phases:
  - id: foundation
    title: Foundation

tasks:
  - id: first-task
    title: Describe the first piece of readiness work
    phase: foundation
    priority: P0
    status: pending
    effort: 4

milestones:
  - id: production
    title: Production
    requires: {{priority: P0}}
    sign_off:
      - text: Every P0 task done
        tasks: [first-task]
"""

MKDOCS = """\
site_name: {site_name}
docs_dir: docs
theme:
  name: material
  font: false                    # no fonts from a CDN: the site works offline
  features:
    - content.code.copy
    - navigation.sections
    - navigation.top
  palette:                       # light or dark, as the reader's system prefers; a toggle to switch
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
plugins:
  - search
  - readiness:
      source: content/readiness.yaml
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
  - pymdownx.details
  - pymdownx.tasklist:           # sign-off boxes drawn as boxes, ticked only by the data
      custom_checkbox: true
      clickable_checkbox: false
nav:                             # the readiness pages are written by the plugin under readiness/
  - Start here: readiness/start-here.md
  - Home: index.md
  - Executives:
      - readiness/executive-summary.md
  - Project managers:
      - readiness/implementation-status.md
  - Developers and DevOps:
      - readiness/production-tracker.md
      - readiness/runbook.md
  - Index: readiness/index.md
"""

# The home page: what the site is, and where each reader goes.
HOME = """\
# {name} readiness

The production-readiness state of {name}, computed from `content/readiness.yaml`.

- Everyone: [Start here](readiness/start-here.md), then the [index](readiness/index.md) of topics and tasks.
- Executives: the [executive summary](readiness/executive-summary.md): go or no-go, when, what could stop us.
- Project managers: [implementation status](readiness/implementation-status.md): what lands in which
  week, who is over capacity, what is blocked.
- Developers: the [production tracker](readiness/production-tracker.md): what to do next.
- DevOps: the [deploy runbook](readiness/runbook.md): what to deploy, in which order, how to check
  and roll back.
"""


def _as_text(name: str) -> str:
    """NAME for a Markdown page: HTML escaped, Markdown's own punctuation backslash-escaped."""
    import html
    import re

    return re.sub(r"([\\`*_{}\[\]()#+!-])", r"\\\1", html.escape(name, quote=False))


def init_project(folder: Path, name: str | None = None) -> Lines:
    """Create the starting files of project NAME (default: the folder's name) in FOLDER, one line
    for each; a hint when the site's packages are not installed."""
    import importlib.util

    for created in scaffold(folder, name or folder.name):
        yield Line(f"created {created}")
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        yield Line('to serve the pages: pip install "readiness[site]", then mkdocs serve')


def scaffold(folder: Path, name: str, today: dt.date | None = None) -> list[Path]:
    """Create content/readiness.yaml, mkdocs.yml and docs/index.md; refuse to overwrite any."""
    from readiness.source.models import schema_text

    name_yaml = json.dumps(name, ensure_ascii=False)  # a JSON string is a valid YAML scalar
    files = {
        folder / "content" / "readiness.yaml": SOURCE.format(
            name=name.replace("\n", " "), name_yaml=name_yaml,
            today=(today or dt.date.today()).isoformat(),
            schema_url="../schema/readiness.schema.json"),
        folder / "schema" / "readiness.schema.json": schema_text(),
        folder / "mkdocs.yml": MKDOCS.format(site_name=json.dumps(f"{name} readiness", ensure_ascii=False)),
        # the name as text on the home page: Markdown and HTML in it are shown, not run
        folder / "docs" / "index.md": HOME.format(name=_as_text(name.replace("\n", " "))),
    }
    # Another site configuration (mkdocs.yaml, properdocs.yml, zensical.toml) counts as the
    # mkdocs.yml: a second one beside it would only be ignored by the site tool, or win over it.
    from readiness.files.project import CONFIG_NAMES

    existing = [path for path in [*files, *(folder / name for name in CONFIG_NAMES if name != "mkdocs.yml")]
                if path.exists() or path.is_symlink()]
    if existing:
        names = ", ".join(str(p.relative_to(folder)) for p in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise WouldLoseData(f"{names} already {verb}: init never overwrites; nothing was created")
    created = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
        created.append(path)
    return created
