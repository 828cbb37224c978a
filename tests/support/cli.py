"""The real command line and real files, as a user has them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m readiness ARGS` as a real process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "readiness", *args], cwd=cwd, input=input, text=True,
        capture_output=True, env=full_env, timeout=120, check=False,
    )


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Create files from a {relative path: text} mapping."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def drain_terminal(leader: int, process: subprocess.Popen[bytes]) -> bytes:
    """All PROCESS wrote to the pseudo-terminal LEADER until it ended (then LEADER is closed)."""
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process (EIO)
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks)
