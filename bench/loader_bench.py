"""How long `readiness check` takes, next to the floor of only parsing the same YAML.

Usage: ``python bench/loader_bench.py [--runs N] [--sizes 50,1000,10000] [--strict]``

For each synthetic source (bench/synthetic.py) it times, as whole processes and best of
N runs, interleaved:

* ``readiness check FILE`` (``python -m readiness check FILE``); while the branch has no
  ``check`` command, the same work by hand: ``load_source`` then ``assess``;
* the floor: PyYAML's CSafeLoader loading the file with gc disabled, nothing else;
* for reference, ``load_source`` alone (read, parse, validate, cross-references);

and prints the ratio of check to the floor (target: within 1.3x on 10,000 tasks). It also times
``readiness --help`` against ``python -c "import click"`` (target: within 1.5x).
``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from installed import byte_compile

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import synthetic_source  # noqa: E402

WORK = HERE / ".work"
CHECK_TARGET = 1.3
HELP_TARGET = 1.5
FLOOR = ("import gc, sys, yaml\n"
         "text = open(sys.argv[1], encoding='utf-8').read()\n"
         "gc.disable()\n"
         "yaml.load(text, Loader=yaml.CSafeLoader)\n"
         "gc.enable()\n")
LOAD_ONLY = ("import sys\n"
             "from pathlib import Path\n"
             "from readiness.source.loader import load_source\n"
             "load_source(Path(sys.argv[1]))\n")
BY_HAND = ("import sys\n"
           "from pathlib import Path\n"
           "from readiness.source.loader import load_source\n"
           "from readiness.figures.core import assess\n"
           "assess(load_source(Path(sys.argv[1])))\n")


def has_check() -> bool:
    """Whether this branch's CLI has a ``check`` command."""
    probe = "from readiness.cli.main import COMMANDS; print('check' in COMMANDS)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.strip() == "True"


def wall(command: list[str]) -> float:
    """Seconds one run of COMMAND takes as a whole process; fail loudly if it fails."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed


def best_of(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Best wall time of each command over RUNS rounds, the commands interleaved per round."""
    for command in commands.values():  # warm the file cache and the bytecode cache
        wall(command)
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(runs):
        for name, command in commands.items():
            best[name] = min(best[name], wall(command))
    return best


def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else f"MISSED (target {target}x)"


def main(argv: list[str] | None = None) -> int:
    byte_compile()  # time the program as installed: byte-compiled
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the best counts (default 5)")
    parser.add_argument("--sizes", default="50,1000,10000", help="task counts (default 50,1000,10000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]

    check = has_check()
    WORK.mkdir(exist_ok=True)
    print(f"python {sys.version.split()[0]}, best of {args.runs} runs, whole processes")
    if check:
        print("measured: `readiness check FILE`")
    else:
        print("measured: load_source + assess in one process (this branch has no `check` command yet;\n"
              "          after the merge, `readiness check FILE` is the measured command)")
    print()
    print(f"{'tasks':>7} {'bytes':>11} {'check s':>9} {'floor s':>9} {'ratio':>7}  {'verdict':<22}"
          f"{'load s':>7} {'load/floor':>10}")
    missed = False
    for size in sizes:
        path = WORK / f"synthetic-{size}.yaml"
        text = synthetic_source(size)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        measured = ([sys.executable, "-m", "readiness", "check", str(path)] if check
                    else [sys.executable, "-c", BY_HAND, str(path)])
        best = best_of({"check": measured, "floor": [sys.executable, "-c", FLOOR, str(path)],
                        "load": [sys.executable, "-c", LOAD_ONLY, str(path)]}, args.runs)
        ratio = best["check"] / best["floor"]
        target = CHECK_TARGET if size >= 10_000 else None
        missed |= target is not None and ratio > target
        note = verdict(ratio, target) if target else "-"
        print(f"{size:>7,} {path.stat().st_size:>11,} {best['check']:>9.3f} {best['floor']:>9.3f} "
              f"{ratio:>6.2f}x  {note:<22}{best['load']:>7.3f} {best['load'] / best['floor']:>9.2f}x",
              flush=True)

    best = best_of({"help": [sys.executable, "-m", "readiness", "--help"],
                    "click": [sys.executable, "-c", "import click"]}, args.runs)
    ratio = best["help"] / best["click"]
    missed |= ratio > HELP_TARGET
    print()
    print(f"readiness --help {best['help']:.3f} s, import click {best['click']:.3f} s: "
          f"{ratio:.2f}x  {verdict(ratio, HELP_TARGET)}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
