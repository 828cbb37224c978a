"""Real readiness processes for the fault and concurrency tests: start, pause at a step, kill."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PAUSE = "READINESS_TEST_PAUSE_AT"


def start(root: Path, env: dict[str, str], *args: str, pause_at: str | None = None,
          pause_seconds: float = 60, lock_wait: float | None = None) -> subprocess.Popen[str]:
    """Start `readiness ARGS` in ROOT; with PAUSE_AT, return once it has paused at that step."""
    full = dict(env)
    if pause_at is not None:
        full.update({PAUSE: pause_at, "READINESS_TEST_PAUSE_SECONDS": str(pause_seconds)})
    if lock_wait is not None:
        full["READINESS_LOCK_WAIT"] = str(lock_wait)
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=root, env=full,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    if pause_at is not None:
        assert process.stderr is not None
        line = process.stderr.readline()
        if line != f"readiness: paused at {pause_at}\n":
            out, err = process.communicate(timeout=60)
            raise AssertionError(f"did not pause at {pause_at}: {line}{err}{out}")
    return process


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for PROCESS; its exit code, standard output and the rest of its standard error."""
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def stop(server: subprocess.Popen[str], timeout: float = 30) -> str:
    """Stop SERVER (SIGTERM, then SIGKILL after TIMEOUT seconds) and return what it printed."""
    server.terminate()
    try:
        output, _ = server.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
    return output
