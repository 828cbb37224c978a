"""What the tests share: real git repositories, sources, sites, processes and a browser.

- ``git``: run git, make and isolate repositories (no user or system configuration);
- ``sources``: small source files; ``pages``: the example, hostile text, a site to build;
- ``site``: a small MkDocs site; ``portfolio``: many projects; ``browser``: headless Chromium;
- ``cleanup`` and ``commit``: repositories set up for those commands;
- ``processes``: start a command and stop it at a named step.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository's checkout
EXAMPLE = ROOT / "content" / "readiness.yaml"  # the example project's source
