"""How fast is `readiness cleanup` next to the floor of one `git mv`?

Run: python bench/cleanup_bench.py [--runs N]

Builds (once, under bench/.work/, which git ignores) a repository of 50,000 files with
700 stray Markdown files at the root linked to each other and from docs/, then times in
fresh copies of it:

  floor       one `git mv -- <700 strays> docs/archive` (plus the mkdir it needs)
  cleanup     `readiness cleanup --yes` (the installed command), the whole process
  no links    the same work with link rewriting excluded: a `python -c` that calls
              housekeeping.survey_and_plan(..., rewrite_links=False) (which looks at the
              root only) and apply_cleanup
  start       `python -c "import click"`: what any click-based Python command pays before
              it does anything, for context
  py + git mv a `python -c` that lists the root, makes the folder and runs the floor's
              own `git mv`: the least any Python command pays for the moves alone, with
              nothing checked, planned or recorded (for context: the no-links row does
              this work and also lists, checks and writes its manifest)

Each figure is the median of --runs runs. All run in one copy of the template, reset to
the committed state before each measurement, with its index refreshed (as in a
repository someone works in).
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

WORK = Path(__file__).resolve().parent / ".work" / "cleanup"
TEMPLATE = WORK / "template"
TOTAL_FILES = 50_000
STRAYS = 700
DOCS = 2_000

NO_LINKS = """
from pathlib import Path
from readiness.cleanup import apply as housekeeping
from readiness.git.repository import open_repository
repo = open_repository(Path.cwd())
repo.ensure_safe_state()
settings = housekeeping.housekeeping_settings(repo.root)
plan = housekeeping.survey_and_plan(repo, settings, rewrite_links=False)
housekeeping.apply_cleanup(repo, plan)
"""

PYTHON_GIT_MV = """
import os, subprocess
names = sorted(n for n in os.listdir() if n.startswith("NOTES_") and n.endswith(".md"))
os.mkdir("docs/archive")
subprocess.run(["git", "mv", "--", *names, "docs/archive"], check=True, capture_output=True)
"""


def env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    base.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(WORK / "home"), GIT_AUTHOR_NAME="Bench",
                GIT_AUTHOR_EMAIL="bench@example.com", GIT_COMMITTER_NAME="Bench",
                GIT_COMMITTER_EMAIL="bench@example.com")
    return base


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=env(), check=True, capture_output=True)


def stray(i: int) -> str:
    return f"NOTES_{i:04d}.md"


def build() -> None:
    """The template repository, built once and reused."""
    if (TEMPLATE / ".git").exists():
        return
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "home").mkdir(parents=True)
    TEMPLATE.mkdir()
    git(TEMPLATE, "init", "-q", "-b", "main")
    git(TEMPLATE, "config", "gc.auto", "0")  # no background gc while copies are made
    for i in range(STRAYS):
        links = " ".join(f"[{j}]({stray(j)})" for j in ((i + 1) % STRAYS, (i + 7) % STRAYS))
        (TEMPLATE / stray(i)).write_text(
            f"# Notes {i}\n\nSee {links} and [the guide](docs/guide/page_{i % DOCS:04d}.md).\n")
    (TEMPLATE / "README.md").write_text(
        "# Bench\n" + "".join(f"- [{i}]({stray(i)})\n" for i in range(STRAYS)))
    for i in range(DOCS):
        page = TEMPLATE / "docs" / "guide" / f"page_{i:04d}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        target = f"[notes](../../{stray(i)})" if i < STRAYS else "[home](../../README.md)"
        page.write_text(f"# Page {i}\n\n{target} and [next](page_{(i + 1) % DOCS:04d}.md)\n")
    remaining = TOTAL_FILES - STRAYS - DOCS - 1
    for i in range(remaining):
        module = TEMPLATE / "src" / f"pkg_{i // 500:03d}" / f"mod_{i % 500:03d}.py"
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(f"VALUE = {i}\n")
    git(TEMPLATE, "add", "-A")
    git(TEMPLATE, "commit", "-q", "-m", "bench repository")
    git(TEMPLATE, "gc", "-q")  # packed objects: faster copies


def fresh_copy() -> Path:
    """A copy of the template as committed: made once, then reset between runs.

    (Copying 50,000 files takes longer than everything measured; a hard reset and a clean
    of the archive folder bring the copy back to the committed state.)
    """
    target = WORK / "copy"
    if not (target / ".git").exists():
        subprocess.run(["cp", "-a", str(TEMPLATE), str(target)], check=True)
    git(target, "reset", "-q", "--hard", "HEAD")
    git(target, "clean", "-fdxq", "--", "docs/archive")
    git(target, "update-index", "-q", "--refresh")
    assert (target / stray(0)).exists()
    assert not (target / "docs" / "archive").exists()
    return target


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env(), check=True, capture_output=True,
                   stdin=subprocess.DEVNULL)
    return time.perf_counter() - start



def floor(root: Path) -> float:
    start = time.perf_counter()
    (root / "docs" / "archive").mkdir()
    subprocess.run(["git", "mv", "--", *(stray(i) for i in range(STRAYS)), "docs/archive"],
                   cwd=root, env=env(), check=True, capture_output=True)
    return time.perf_counter() - start


def check_cleanup(root: Path, links: bool) -> None:
    assert not (root / stray(0)).exists()
    assert (root / "docs" / "archive" / stray(0)).exists()
    readme = (root / "README.md").read_text()
    assert (f"(docs/archive/{stray(0)})" in readme) is links


def main() -> None:
    byte_compile()  # time the program as installed: byte-compiled
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    started = time.perf_counter()
    build()
    print(f"repository: {TOTAL_FILES:,} files, {STRAYS} stray root docs "
          f"(built or reused in {time.perf_counter() - started:.1f} s)")
    figures: dict[str, list[float]] = {"floor": [], "cleanup": [], "no links": [], "start": [],
                                       "py + git mv": []}
    for run in range(runs):
        # What any click-based Python command pays before it does anything (context, not a target).
        figures["start"].append(timed([sys.executable, "-c", "import click"], TEMPLATE))
        figures["floor"].append(floor(fresh_copy()))
        root = fresh_copy()
        figures["cleanup"].append(timed([*readiness_command(), "cleanup", "--yes"], root))
        check_cleanup(root, links=True)
        root = fresh_copy()
        figures["no links"].append(timed([sys.executable, "-c", NO_LINKS], root))
        check_cleanup(root, links=False)
        root = fresh_copy()
        figures["py + git mv"].append(timed([sys.executable, "-c", PYTHON_GIT_MV], root))
        check_cleanup(root, links=False)
        print(f"run {run + 1}/{runs} done", flush=True)
    base = statistics.median(figures["floor"])
    python_base = statistics.median(figures["py + git mv"])
    targets = {"cleanup": 3.0, "no links": 1.6}  # of `py + git mv`: what cleanup adds to the least Python pays
    print(f"\n{'what':<11} {'median':>9} {'min':>9} {'floor':>7} {'py+mv':>7}  target  (runs: {runs})")
    for name, values in figures.items():
        median = statistics.median(values)
        verdict = ""
        if name in targets:
            ratio = median / python_base
            verdict = f"< {targets[name]}x of py + git mv: {'met' if ratio < targets[name] else 'NOT MET'}"
        print(f"{name:<11} {median * 1000:>7.0f}ms {min(values) * 1000:>7.0f}ms "
              f"{median / base:>6.2f}x {median / python_base:>6.2f}x  {verdict}")

if __name__ == "__main__":
    main()
