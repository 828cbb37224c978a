"""Helpers for the `readiness commit` tests: a small source file and isolated git repositories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.git import git

BASE = """\
project:
  name: Demo service
  as_of: 2025-11-27
phases:
  - id: security
    title: Security
  - id: ops
    title: Operations
tasks:
  - id: rate-limit
    title: Rate limiting for public endpoints
    phase: security
    priority: P0
    status: pending
    weight: 20
    deliverables: [src/rate_limit.py]
  - id: audit-log
    title: Audit log of money movements
    phase: security
    priority: P0
    status: done
    weight: 40
    deliverables: [src/audit.py]
  - id: health
    title: Health checks
    phase: ops
    priority: P1
    status: in progress
    weight: 25
  - id: runbook
    title: Incident runbook
    phase: ops
    priority: P2
    status: pending
    weight: 15
milestones:
  - id: beta
    title: Beta
    requires:
      priority: P0
"""

SOURCE = "content/readiness.yaml"


def edit(text: str, task: str, key: str, value: str) -> str:
    """TEXT with KEY of TASK set to VALUE (a line-level edit of the BASE layout)."""
    lines = text.split("\n")
    start = lines.index(f"  - id: {task}")
    for index in range(start + 1, len(lines)):
        if lines[index].startswith(f"    {key}:"):
            lines[index] = f"    {key}: {value}"
            return "\n".join(lines)
        if lines[index].startswith("  - id:"):
            break
    raise AssertionError(f"{task} has no {key}")


def readiness(repo: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in REPO with no terminal."""
    return subprocess.run([sys.executable, "-m", "readiness", *args], cwd=repo, capture_output=True,
                          text=True, input=stdin if stdin is not None else "", check=False)


def make_repo(root: Path, source: str = BASE, *, commit: bool = True) -> Path:
    """A repository with one commit holding SOURCE and a few unrelated files (with COMMIT
    false, the same files untracked in a repository with no commit yet)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Person")
    git(root, "config", "user.email", "test@example.com")
    (root / "content").mkdir()
    (root / SOURCE).write_text(source)
    (root / "src").mkdir()
    (root / "src" / "audit.py").write_text("AUDIT = True\n")
    (root / "notes.txt").write_text("unrelated\n")
    (root / "app.py").write_text("print('app')\n")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "chore: start")
    return root
