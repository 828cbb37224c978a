"""Run every benchmark in this folder (``bench/*_bench.py``), one after another.

Usage: ``python bench/run.py [ARGS...]``; ARGS are passed to each benchmark. Exits
non-zero if any benchmark did.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    benches = sorted(here.glob("*_bench.py"))
    if not benches:
        print("no bench/*_bench.py found", file=sys.stderr)
        return 1
    failed = []
    for bench in benches:
        print(f"== {bench.name}", flush=True)
        if subprocess.run([sys.executable, str(bench), *argv], check=False).returncode != 0:
            failed.append(bench.name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
