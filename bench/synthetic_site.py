"""Synthetic readiness sources of any size, for the pages benchmark."""

from __future__ import annotations

import random


def synthetic_source(tasks: int, seed: int = 7) -> str:
    """A valid source with TASKS tasks over 8 phases, dependencies pointing backwards, 3 milestones."""
    rng = random.Random(seed)
    statuses = ["done", "done", "pending", "in progress", "blocked"]
    lines = [
        "project:",
        f"  name: Synthetic {tasks}",
        "  as_of: 2025-11-27",
        "  started: 2025-10-01",
        "  capacity_hours_per_week: 400",
        "roles:",
        "  - {id: executives, title: Executives, pages: [executive-summary], topics: [t0]}",
        "  - {id: developers, title: Developers, pages: [production-tracker], topics: [t1, t2]}",
        "phases:",
    ]
    lines += [f"  - {{id: ph{p}, title: Phase {p}, goal: Goal of phase {p}}}" for p in range(8)]
    lines.append("tasks:")
    for i in range(tasks):
        status = rng.choice(statuses)
        deps = sorted({f"task-{rng.randrange(i)}" for _ in range(rng.randrange(3))}) if i > 10 else []
        lines += [
            f"  - id: task-{i}",
            f"    title: Task number {i} with a title of ordinary length",
            f"    phase: ph{i % 8}",
            f"    priority: P{rng.randrange(4)}",
            f"    status: {status}",
            f"    effort: {rng.choice(['2', '4', '8', '4-8', '30m'])}",
            f"    owner: Team {i % 13}",
            f"    topics: [t{i % 5}]",
            f"    depends_on: [{', '.join(deps)}]",
            f"    deliverables: [src/module_{i}.py]",
            f"    deploy: [\"make deploy TASK={i}\"]",
            f"    verify: [\"make verify TASK={i}\"]",
            "    checklist: [First step, Second step]",
            f"    notes: \"Notes for task {i}: what it does and why it matters.\"",
        ]
        if status == "done":
            lines.append(f"    completed: 2025-11-{1 + i % 27:02d}")
    lines += [
        "milestones:",
        "  - {id: beta, title: Beta, date: 2025-12-15, requires: {priority: P0},",
        "     sign_off: [{text: Beta decision}]}",
        "  - {id: ga, title: General availability, date: 2026-01-15, requires: {priority: P1}}",
        "  - {id: polish, title: Polish, date: 2026-03-01, requires: {priority: P2}}",
        "faq:",
        "  - {question: Where do I start?, answer: At the start page.}",
    ]
    return "\n".join(lines) + "\n"
