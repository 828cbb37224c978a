"""Generated projects for the portfolio tests: one per milestone state, invalid ones, stale ones."""

from __future__ import annotations

import json
import random
from pathlib import Path

# kind -> (milestone date, target score, task statuses and efforts): each gives one milestone state
KINDS = ("reached", "on track", "at risk", "missed", "out of reach", "no date", "unknown")


def project_text(name: str, kind: str, *, seed: int = 0, as_of: str = "2025-11-27") -> str:
    """A valid source whose first milestone is in state KIND (as the figures decide it)."""
    rng = random.Random(seed)
    count = rng.randint(3, 8)
    done = count if kind == "reached" else rng.randint(0, count - 1)
    tasks = []
    for index in range(count):
        task: dict[str, object] = {"id": f"t{index}", "title": f"Task {index} of {name}", "phase": "build",
                                   "priority": "P0", "status": "done" if index < done else "pending"}
        if index < done:
            task["completed"] = "2025-11-20"
        elif kind != "unknown":
            task["effort"] = rng.choice([4, 8, 16]) * (40 if kind == "at risk" else 1)
        tasks.append(task)
    date = {"missed": "2025-11-01", "no date": None, "at risk": "2025-12-01"}.get(kind, "2026-06-01")
    milestone: dict[str, object] = {"id": "beta", "title": "Beta", "requires": {"priority": "P0"},
                                    "target_score": 100}
    if kind == "out of reach":
        milestone["requires"] = {"tasks": ["t0"]}
        tasks[0]["status"] = "pending"
        tasks[0]["effort"] = 2
        tasks[0].pop("completed", None)
    if date is not None:
        milestone["date"] = date
    data = {
        "project": {"name": name, "as_of": as_of, "capacity_hours_per_week": 20},
        "phases": [{"id": "build", "title": "Build"}],
        "tasks": tasks,
        "milestones": [milestone, {"id": "ga", "title": "GA", "date": "2026-09-01", "target_score": 100,
                                   "requires": {"priority": "P0"}}],
    }
    return json.dumps(data, indent=2) + "\n"


INVALID = "project:\n  name: Broken\n  as_of: 2025-11-27\nphases: []\ntasks:\n  - id: x\n    priority: P9\n"


def monorepo(root: Path, kinds: tuple[str, ...] = KINDS, *, invalid: int = 1, stale: int = 1) -> dict[str, str]:
    """services/NAME/readiness.yaml for each kind (names svc-KIND), INVALID broken ones and STALE
    ones with an old as-of date; {name: kind}."""
    made = {}
    for index, kind in enumerate(kinds):
        name = f"svc-{kind.replace(' ', '-')}"
        write(root / "services" / name / "readiness.yaml", project_text(name, kind, seed=index))
        made[name] = kind
    for index in range(invalid):
        write(root / "services" / f"broken-{index}" / "readiness.yaml", INVALID)
    for index in range(stale):
        name = f"old-{index}"
        write(root / "services" / name / "readiness.yaml",
              project_text(name, "on track", seed=99 + index, as_of="2024-01-10"))
        made[name] = "stale"
    return made


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
