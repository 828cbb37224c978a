"""Benchmark: `readiness commit --yes` against `git add` + `git commit` of the same files.

Builds (once) a repository of 50,000 files under bench/.work/ with `git fast-import`, then
changes ten readiness files (the source and nine deliverables) and commits them, in turns:

  plain git  `git add <files>` + `git commit -m ...`: the floor
  warm       `readiness commit --yes` after `readiness check` read the edited source (not
             timed), as when a writer checks, marks, builds or serves before committing:
             the source's digest is remembered and commit does not validate it again
  warm, no head start  the same, started without the entry point's head start (click and
             the command line load before git's reads begin): what the head start saves
  cold       `readiness commit --yes` with the digest cache turned off: commit validates
             both versions of the source itself (pydantic and the models are imported)

Each is a whole process of the installed `readiness` command, as users run it. Prints the
median of each and the ratios; the target is readiness within 2x of plain git.

    python bench/commit_bench.py [--files 50000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from installed import byte_compile, readiness_command

WORK = Path(__file__).resolve().parent / ".work"
DELIVERABLES = 9  # plus the source: ten readiness files per commit


def git(repo: Path, *args: str, input: bytes | None = None) -> None:
    subprocess.run(["git", *args], cwd=repo, input=input, check=True, capture_output=True)


def source(round_no: int) -> str:
    """A source file whose tasks flip status each round, so every commit has something to say."""
    tasks = []
    for index in range(DELIVERABLES):
        status = "done" if (index + round_no) % 2 else "pending"
        tasks.append(f"  - id: task-{index}\n    title: Task {index}\n    phase: main\n"
                     f"    priority: P{index % 3}\n    status: {status}\n"
                     f"    deliverables: [deliver/file-{index}.txt]\n")
    return ("project:\n  name: Bench\n  as_of: 2025-11-27\nphases:\n  - id: main\n    title: Main\n"
            "tasks:\n" + "".join(tasks))


def build(repo: Path, files: int) -> None:
    """A repository of FILES files in one commit, written by fast-import and checked out."""
    if (repo / ".git").exists():
        return
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Bench")
    git(repo, "config", "user.email", "bench@example.com")
    blob = b"x" * 200 + b"\n"
    stream = [b"blob\nmark :1\ndata %d\n" % len(blob), blob, b"\n",
              b"commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\n"
              b"data 6\nstart\n"]
    for index in range(files - DELIVERABLES - 1):
        stream.append(b"M 100644 :1 tree/d%03d/f%05d.txt\n" % (index // 100, index))
    for index in range(DELIVERABLES):
        stream.append(b"M 100644 :1 deliver/file-%d.txt\n" % index)
    text = source(0).encode()
    stream.append(b"M 100644 inline content/readiness.yaml\ndata %d\n" % len(text) + text + b"\n")
    git(repo, "fast-import", "--quiet", input=b"".join(stream))
    git(repo, "reset", "-q", "--hard", "main")
    git(repo, "status", "-s")  # refresh the index stat data once, like a repository in daily use


def change(repo: Path, round_no: int) -> list[str]:
    (repo / "content" / "readiness.yaml").write_text(source(round_no))
    paths = ["content/readiness.yaml"]
    for index in range(DELIVERABLES):
        path = f"deliver/file-{index}.txt"
        with (repo / path).open("a") as handle:
            handle.write(f"round {round_no}\n")
        paths.append(path)
    return paths


def timed(command: list[str], repo: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=repo, check=True, capture_output=True, env=env)
    return time.perf_counter() - start



def main() -> None:
    byte_compile()  # time the program as installed: byte-compiled
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="Rebuild the repository.")
    options = parser.parse_args()
    repo = WORK / f"commit-{options.files}"
    if options.fresh and repo.exists():
        shutil.rmtree(repo)
    started = time.perf_counter()
    build(repo, options.files)
    print(f"repository: {options.files:,} files, ready in {time.perf_counter() - started:.1f} s")
    os.environ.pop("GIT_DIR", None)
    readiness = readiness_command()
    cache = WORK / "commit-cache"
    shutil.rmtree(cache, ignore_errors=True)
    warm_env = {**os.environ, "READINESS_CACHE_DIR": str(cache)}
    cold_env = {**os.environ, "READINESS_CACHE_DIR": "off"}
    # The same program without the entry point's head start: click loads before any git read.
    no_head_start = [sys.executable, "-c", "import gc, sys; gc.set_threshold(100_000, 50, 100); "
                     "from readiness.cli.main import main; main(sys.argv[1:])"]
    figures: dict[str, list[float]] = {"plain git": [], "warm": [], "warm, no head start": [], "cold": []}
    round_no = 0
    for _ in range(options.rounds):
        for kind in figures:
            round_no += 1
            paths = change(repo, round_no)
            if kind == "plain git":
                start = time.perf_counter()
                subprocess.run(["git", "add", "--", *paths], cwd=repo, check=True, capture_output=True)
                subprocess.run(["git", "commit", "-q", "-m", f"docs: round {round_no}"], cwd=repo,
                               check=True, capture_output=True)
                figures[kind].append(time.perf_counter() - start)
                continue
            if kind.startswith("warm"):
                subprocess.run([*readiness, "check"], cwd=repo, check=True, capture_output=True,
                               env=warm_env)
            program = no_head_start if kind == "warm, no head start" else readiness
            figures[kind].append(timed([*program, "commit", "--yes"], repo,
                                       warm_env if kind.startswith("warm") else cold_env))
    imports = ("import readiness.commit.plan, readiness.source.loader, readiness.source.models, "
               "readiness.cli.main")
    startup = [timed([sys.executable, "-c", imports], repo) for _ in range(options.rounds)]
    lean = [timed([sys.executable, "-c", "import readiness.cli.main"], repo) for _ in range(options.rounds)]
    floor = statistics.median(figures["plain git"])
    for kind, values in figures.items():
        median = statistics.median(values)
        print(f"{kind:20} median {median * 1000:7.1f} ms  (min {min(values) * 1000:6.1f})  "
              f"{median / floor:5.2f}x  (min/min {min(values) / min(figures['plain git']):4.2f}x)")
    print(f"Python start with click and the command line only: {statistics.median(lean) * 1000:.1f} ms; "
          f"with pydantic and the models too: {statistics.median(startup) * 1000:.1f} ms")
    print("target: within 2x of plain git")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
