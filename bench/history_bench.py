"""Benchmark: `readiness history` over 1,000 commits of a 200-task source.

Compares the time per commit with the floor the issue names: one `git show REV:path`
process per commit for the same commits. The repository is built under bench/.work/
(gitignored) with `git fast-import`, so setting up takes a second or two.

    .venv/bin/python bench/history_bench.py [--commits 1000] [--tasks 200]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from installed import byte_compile

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "history"
SOURCE = "content/readiness.yaml"
STATUSES = ("done", "in progress", "pending", "blocked")


def source_text(tasks: int, statuses: list[str], revision: int) -> str:
    """A realistic source: phases, tasks with effort, owners, deps, deliverables, verify; milestones."""
    lines = [
        "project:",
        "  name: Benchmark service",
        f"  as_of: 2025-{1 + revision // 100 % 12:02d}-{1 + revision % 28:02d}",
        "  capacity_hours_per_week: 40",
        "phases:",
    ]
    lines += [f"  - id: phase-{p}\n    title: Phase {p}\n    goal: Goal of phase {p}" for p in range(8)]
    lines.append("tasks:")
    for i in range(tasks):
        deps = f"[task-{i - 1}, task-{i // 2}]" if i > 1 else "[]"
        lines += [
            f"  - id: task-{i}",
            f"    title: Task number {i} of the benchmark",
            f"    phase: phase-{i % 8}",
            f"    priority: P{i % 3}",
            f"    status: {statuses[i]}",
            f"    effort: {1 + i % 7}-{1 + i % 7 + i % 3}",
            f"    owner: Owner {i % 5}",
            f"    depends_on: {deps}",
            f"    topics: [topic-{i % 4}, topic-{i % 6}]",
            f"    deliverables: [src/module_{i}.py]",
            f"    verify: [pytest -q tests/test_{i}.py]",
            f"    checklist: [Step one of {i}, Step two of {i}]",
        ]
    lines.append("milestones:")
    for level in range(3):
        lines += [f"  - id: m{level}", f"    title: Milestone {level}", f"    target_score: {60 + 15 * level}",
                  f"    requires: {{priority: P{level}}}"]
    return "\n".join(lines) + "\n"


def build(commits: int, tasks: int) -> Path:
    """A repository with COMMITS commits, each changing one task's status, written by fast-import."""
    repo = WORK / f"repo-{commits}-{tasks}"
    if (repo / ".git" / "bench-built").exists():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    rng = random.Random(6)
    statuses = ["pending"] * tasks
    stream = []
    for number in range(commits):
        statuses[rng.randrange(tasks)] = rng.choice(STATUSES)
        data = source_text(tasks, statuses, number).encode()
        stamp = 1_750_000_000 + number * 3600
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.invalid> {stamp} +0000\n".encode())
        message = f"change {number}\n".encode()
        stream.append(b"data %d\n%s" % (len(message), message))
        # fast-import chains commits on one branch by itself: no "from" needed.
        stream.append(f"M 100644 inline {SOURCE}\n".encode())
        stream.append(b"data %d\n%s\n" % (len(data), data))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    (repo / ".git" / "bench-built").touch()
    return repo


def main() -> None:
    byte_compile()  # time the program as installed: byte-compiled
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()

    began = time.perf_counter()
    repo = build(args.commits, args.tasks)
    print(f"repository: {args.commits} commits of a {args.tasks}-task source "
          f"({len((repo / SOURCE).read_bytes()):,} bytes), ready in {time.perf_counter() - began:.1f} s")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    shas = subprocess.run(["git", "rev-list", "main"], cwd=repo, capture_output=True, text=True,
                          check=True).stdout.split()

    # The floor: one `git show REV:path` process per commit.
    began = time.perf_counter()
    for sha in shas:
        subprocess.run(["git", "show", f"{sha}:{SOURCE}"], cwd=repo, capture_output=True, check=True, env=env)
    show_total = time.perf_counter() - began

    # The whole command, as a user runs it (process start-up included).
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "readiness", "history", "--format", "json"], cwd=repo,
                            capture_output=True, text=True, env=env, check=False)
    cli_total = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"readiness history failed: {result.stderr}")

    # Where the time goes, in process: git (log + one cat-file) against loading and scoring.
    sys.path.insert(0, str(HERE.parent / "src"))
    from readiness.git.repository import open_repository, read_blobs, source_log
    from readiness.history import walk_history

    repository = open_repository(repo)
    began = time.perf_counter()
    log = source_log(repository, SOURCE)
    read_blobs(repository, [(c.commit, c.path) for c in log])
    git_total = time.perf_counter() - began
    began = time.perf_counter()
    history = walk_history(repository, SOURCE)
    walk_total = time.perf_counter() - began

    count = len(shas)
    per = {name: 1000 * total / count for name, total in
           [("git show", show_total), ("history", cli_total), ("walk", walk_total), ("git", git_total)]}
    print(f"commits walked: {len(history.points)} (skipped {len(history.skipped)})")
    print(f"git show REV:path, one process per commit: {per['git show']:.2f} ms/commit "
          f"({show_total:.2f} s)")
    print(f"readiness history (whole command):        {per['history']:.2f} ms/commit "
          f"({cli_total:.2f} s)  ratio {cli_total / show_total:.2f}x")
    print(f"  of which git (log --follow + cat-file): {per['git']:.2f} ms/commit ({git_total:.2f} s)")
    print(f"  walk in process (git + load + score):   {per['walk']:.2f} ms/commit ({walk_total:.2f} s)  "
          f"ratio {walk_total / show_total:.2f}x")
    print("target: within 3x of git show")


if __name__ == "__main__":
    main()
