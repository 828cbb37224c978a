"""On a system without file locks or process groups (Windows), the commands that need them
refuse with one line and exit 1 before doing anything; the others still work. Simulated here by
removing ``fcntl`` and ``os.killpg`` from a real process before the program starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readiness.platforms import NEEDS_POSIX, group_alive, missing_facilities, signal_group
from tests.support import ROOT
from tests.support.git import new_repo

WITHOUT_POSIX = (
    "import os, sys\n"
    "sys.modules['fcntl'] = None\n"  # `import fcntl` now fails as it does on Windows
    "del os.killpg\n"
    "sys.argv = ['readiness', *sys.argv[1:]]\n"
    "from readiness.cli.entry import main\n"
    "main()\n"
)

ARGS = {"build": [], "mark": ["a", "done"], "cleanup": ["--dry-run"], "commit": ["--dry-run"],
        "verify": ["--yes"], "badge": []}


def _run_without_posix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WITHOUT_POSIX, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False, env=os.environ.copy())


def test_this_system_has_what_the_commands_need() -> None:
    assert missing_facilities() == []


@pytest.mark.parametrize("command", NEEDS_POSIX)
def test_commands_that_change_files_refuse_in_one_line(command: str, tmp_path: Path) -> None:
    root = new_repo(tmp_path / "repo")
    (root / "content").mkdir()
    source = (ROOT / "content" / "readiness.yaml").read_text(encoding="utf-8")
    (root / "content" / "readiness.yaml").write_text(source, encoding="utf-8")
    before = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    result = _run_without_posix(command, *ARGS[command], cwd=root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"readiness: `readiness {command}` needs file locks (fcntl) and process groups (os.killpg), "
        f"which this system ({sys.platform}) lacks: it runs on Linux, macOS and other POSIX systems "
        "(on Windows, in WSL); check, status, schema, history and the MkDocs plugin work here\n")
    assert sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts) == before


def test_read_only_commands_still_work(tmp_path: Path) -> None:
    for args in (["check"], ["status"], ["schema"]):
        result = _run_without_posix(*args, cwd=ROOT)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_process_group_is_signalled_and_seen_gone() -> None:
    """One owner for process groups (verify's commands and git's children): a group is alive while
    any process in it runs, a signal reaches all of them, and a group that is gone is not an error."""
    leader = subprocess.Popen(["sh", "-c", "sleep 60 & sleep 60; wait"], start_new_session=True)
    try:
        assert group_alive(leader.pid)
        assert signal_group(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)
        for _ in range(100):  # the background sleep is reaped by init a moment later
            if not group_alive(leader.pid):
                break
            time.sleep(0.05)
        assert not group_alive(leader.pid)
        assert not signal_group(leader.pid, signal.SIGTERM)
    finally:
        if leader.poll() is None:
            leader.kill()
            leader.wait()
