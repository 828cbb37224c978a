"""A small MkDocs site with the readiness plugin, in a git repository, built for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.commit import BASE
from tests.support.git import git

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

EXTENSIONS = """markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.superfences
  - pymdownx.tasklist
"""


def small_site(root: Path, *, plugin: str | None = "  - readiness\n", source: str = BASE) -> Path:
    """A git repository at ROOT holding a site: mkdocs.yml (Material; PLUGIN: its plugins
    entries, None for no plugins key), docs/index.md and the source, all committed."""
    (root / "docs").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "content" / "readiness.yaml").write_text(source)
    (root / "docs" / "index.md").write_text("# Home\n")
    plugins = f"plugins:\n{plugin}" if plugin is not None else ""
    (root / "mkdocs.yml").write_text(f"site_name: Test\ntheme:\n  name: material\n  font: false\n"
                                     f"{plugins}{EXTENSIONS}")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Person")
    git(root, "config", "user.email", "test@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "chore: start")
    return root


def mkdocs_build(site: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of SITE into OUT (never -q: warnings must show)."""
    return subprocess.run([*MKDOCS, "build", "--strict", "-d", str(out)], cwd=site, capture_output=True,
                          text=True, env=ENV, check=False, timeout=180)
