"""Helpers shared by the page, plugin, build and browser tests."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from tests.support import EXAMPLE, ROOT

HOSTILE = {
    "name": "<img src=x onerror=\"document.title='pwned'\">",
    "title": "<script>document.title='pwned'</script>| cut\n# Injected heading [x](javascript:alert(1))",
    "notes": "{{ 7*7 }} --8<-- \"/etc/passwd\" ![i](x) <b>bold</b> *em* `code` &amp; :smile:",
    "owner": "Eve | <svg onload=alert(1)>",
}


def hostile_yaml() -> str:
    """A small valid source whose strings try to inject markup."""
    import json

    q = json.dumps
    return f"""
project:
  name: {q(HOSTILE['name'])}
  as_of: 2025-01-10
phases:
  - id: p1
    title: {q(HOSTILE['title'])}
    goal: {q(HOSTILE['notes'])}
tasks:
  - id: t1
    title: {q(HOSTILE['title'])}
    phase: p1
    priority: P0
    status: done
    owner: {q(HOSTILE['owner'])}
    notes: {q(HOSTILE['notes'])}
    checklist: [{q(HOSTILE['title'])}]
    deploy: ["echo '</code></pre><script>document.title=1</script>'\\n```\\nnot code"]
    completed: 2025-01-09
  - id: t2
    title: "1. - # not a list"
    phase: p1
    priority: P1
    status: pending
    effort: 2
    depends_on: [t1]
milestones:
  - id: m1
    title: {q(HOSTILE['title'])}
    date: 2025-02-01
    requires: {{priority: P1}}
    sign_off:
      - text: {q(HOSTILE['title'])}
        tasks: [t2]
risks:
  - id: r1
    title: {q(HOSTILE['title'])}
    mitigation: {q(HOSTILE['notes'])}
    tasks: [t1]
faq:
  - question: {q(HOSTILE['title'])}
    answer: {q(HOSTILE['notes'])}
documents:
  - title: {q(HOSTILE['title'])}
    url: "https://example.org/a?b=<c>&d=\\"e\\""
"""


def make_site(tmp: Path, yaml_text: str | None = None) -> Path:
    """A copy of the demo site in TMP (mkdocs.yml, docs/, templates/, content/)."""
    for name in ("docs", "templates"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    (tmp / "content").mkdir()
    (tmp / "content" / "readiness.yaml").write_text(
        yaml_text if yaml_text is not None else EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_together(text: str) -> list[str]:
    """Task-list items that run into another on one line ("… 2025-12-03- [ ] score …"): after an
    item's own leading box, no "- [ ]" or "- [x]" may appear in its text."""
    import re

    found = []
    for line in text.splitlines():
        rest = re.sub(r"^\s*[-*+] \[[ xX]\] ", "", line)
        if re.search(r"- \[[ xX]\]", rest):
            found.append(line)
    return found
