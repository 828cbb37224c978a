"""Synthetic, valid readiness sources of any size, for benchmarks.

The shape follows the example content: phases, tasks with realistic field sizes (titles,
notes, deliverables, commands, checklists), acyclic dependencies on earlier tasks,
milestones with sign-off criteria, risks and roles. The same size always gives the same
text.
"""

from __future__ import annotations

import random

PRIORITIES = ("P0", "P1", "P1", "P2", "P2", "P2", "P3")
STATUSES = ("done", "done", "in progress", "pending", "pending", "blocked")
TOPICS = ("security", "database", "testing", "deployment", "operations", "code-quality", "docs")
WORDS = ("wallet", "ledger", "edge", "function", "gateway", "policy", "audit", "trigger", "retry", "queue",
         "cache", "token", "session", "migration", "index", "replica", "backup", "restore", "alert", "metric",
         "trace", "rollout", "canary", "health", "check", "secret", "rotation", "rate", "limit", "schema",
         "contract", "fixture", "build", "pipeline")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def synthetic_source(n_tasks: int, seed: int = 7) -> str:
    """A valid source file with N_TASKS tasks."""
    rng = random.Random(seed)
    n_phases = max(4, min(40, n_tasks // 250))
    out = [
        "# Synthetic readiness source for benchmarks.",
        "project:",
        f"  name: Synthetic service with {n_tasks} tasks",
        '  version: "2.0"',
        "  owner: Platform team",
        "  description: >-",
        f"    {_words(rng, 20, 30)}",
        "  as_of: 2025-11-27",
        "  started: 2025-11-01",
        "  target: 2026-03-01",
        "  capacity_hours_per_week: 120",
        "",
        "roles:",
    ]
    for role in ("executives", "developers", "devops", "project-managers"):
        out += [f"  - id: {role}", f"    title: {role.replace('-', ' ').capitalize()}",
                f"    question: {_words(rng, 6, 10).capitalize()}?",
                "    pages: [start-here, executive-summary]", f"    topics: [{', '.join(TOPICS[:3])}]"]
    out += ["", "phases:"]
    for p in range(n_phases):
        out += [f"  - id: phase-{p}", f"    title: Phase {p} - {_words(rng, 2, 4)}",
                f"    goal: {_words(rng, 8, 14).capitalize()}."]
    out += ["", "tasks:"]
    for t in range(n_tasks):
        phase = t * n_phases // n_tasks
        status = rng.choice(STATUSES)
        out += [
            f"  - id: task-{t:05d}",
            f"    title: {_words(rng, 3, 7).capitalize()}",
            f"    phase: phase-{phase}",
            f"    priority: {rng.choice(PRIORITIES)}",
            f"    status: {status}",
            f"    effort: {rng.choice(('2', '4', '4-8', '30m', '1.5', '8-16'))}",
            f"    owner: {rng.choice(('Backend team', 'DevOps', 'QA', 'Security'))}",
        ]
        if t:
            deps = sorted({f"task-{rng.randrange(max(0, t - 50), t):05d}" for _ in range(rng.randint(0, 3))})
            if deps:
                out.append(f"    depends_on: [{', '.join(deps)}]")
        out += [
            f"    topics: [{', '.join(rng.sample(TOPICS, 2))}]",
            f"    finding: {_words(rng, 5, 9).capitalize()}",
            "    deliverables:",
            f"      - scripts/{rng.choice(WORDS)}/{rng.choice(WORDS)}-{t}.sh",
            f"      - docs/{rng.choice(WORDS)}-{t}.md",
            "    verify:",
            f"      - bash scripts/verify/{rng.choice(WORDS)}-{t}.sh --strict",
            "    checklist:",
            f"      - {_words(rng, 3, 6).capitalize()}",
            f"      - {_words(rng, 3, 6).capitalize()}",
            "    notes: >-",
            f"      {_words(rng, 12, 20).capitalize()};",
            f"      {_words(rng, 12, 20)}.",
        ]
        if status == "done":
            out.append("    completed: 2025-11-20")
        out.append("")
    out += ["milestones:"]
    for m, (name, priority) in enumerate((("beta", "P0"), ("production", "P1"), ("ga", "P2"))):
        out += [f"  - id: {name}", f"    title: {name.capitalize()}", f"    date: 2026-0{m + 1}-15",
                f"    target_score: {70 + 10 * m}", "    requires:", f"      priority: {priority}",
                f"      tasks: [task-{0:05d}, task-{n_tasks // 2:05d}]", "    sign_off:",
                f"      - text: {_words(rng, 4, 8).capitalize()}", f"        tasks: [task-{n_tasks - 1:05d}]",
                f"      - text: {_words(rng, 4, 8).capitalize()}",
                "        attested: {by: Jane Doe, date: 2025-11-25}"]
    out += ["", "risks:"]
    for r in range(max(3, n_tasks // 100)):
        out += [f"  - id: risk-{r}", f"    title: {_words(rng, 3, 6).capitalize()}", "    likelihood: medium",
                "    impact: high", f"    mitigation: {_words(rng, 8, 14).capitalize()}.",
                f"    tasks: [task-{rng.randrange(n_tasks):05d}]"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover - handy for a look: python bench/synthetic.py 50
    import sys

    sys.stdout.write(synthetic_source(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
