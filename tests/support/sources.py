"""Small source files for the evidence, history and gate tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

# A project with one phase and the tasks key, then one pending task, laid out as a person
# writes it (tests that edit or read it byte for byte).
ONE_PHASE = """\
project:
  name: Demo
  as_of: 2025-01-01
phases:
  - id: one
    title: One
tasks:
"""
ONE_TASK = ONE_PHASE + """\
  - id: a
    title: A
    phase: one
    priority: P0
    status: pending
"""


def source_text(tasks: Sequence[Mapping[str, object]], *, as_of: str = "2025-11-27",
                milestones: Sequence[Mapping[str, object]] | None = None,
                evidence: Mapping[str, object] | None = None,
                housekeeping: Mapping[str, object] | None = None) -> str:
    """A valid source file (YAML written as JSON, which YAML reads) with TASKS in one phase."""
    data: dict[str, object] = {
        "project": {"name": "Demo", "as_of": as_of},
        "phases": [{"id": "build", "title": "Build"}],
        "tasks": [{"phase": "build", "priority": "P0", "status": "pending", "title": str(t["id"]), **t}
                  for t in tasks],
    }
    if milestones is not None:
        data["milestones"] = milestones
    if evidence is not None:
        data["evidence"] = evidence
    if housekeeping is not None:
        data["housekeeping"] = housekeeping
    return json.dumps(data, indent=2) + "\n"
