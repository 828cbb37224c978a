"""Two readiness commands at once: the second waits for the first, then refuses with a clear line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from readiness.errors import UnsafeRepository
from readiness.files.locking import exclusive, lock_path

HOLD = """
import sys, time
from pathlib import Path
from readiness.files.locking import exclusive
with exclusive(Path(sys.argv[1]), "build"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(repo: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(repo), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_second_run_refuses_after_waiting(repo: Path) -> None:
    holder = _hold(repo, 30)
    try:
        started = time.monotonic()
        with pytest.raises(UnsafeRepository) as caught, exclusive(repo, "cleanup", wait=0.3):
            pass
        assert time.monotonic() - started >= 0.3
        assert "another readiness command (build, process" in str(caught.value)
        assert "cleanup did not start" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()


def test_second_run_waits_for_a_short_first_run(repo: Path) -> None:
    holder = _hold(repo, 0.5)
    with exclusive(repo, "cleanup", wait=20):
        assert holder.poll() is not None or holder.wait(timeout=20) == 0


def test_a_killed_holder_leaves_no_stale_lock(repo: Path) -> None:
    holder = _hold(repo, 60)
    holder.kill()
    holder.wait()
    with exclusive(repo, "commit", wait=0):
        pass


def test_lock_lives_in_the_git_directory_of_a_worktree(repo: Path, tmp_path: Path) -> None:
    assert lock_path(repo / "sub") == repo / ".git" / "readiness.lock"
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "init"], cwd=repo, check=True)
    other = tmp_path / "other"
    subprocess.run(["git", "worktree", "add", "-q", str(other)], cwd=repo, check=True)
    assert lock_path(other).parent == (repo / ".git" / "worktrees" / "other").resolve()
    outside = tmp_path / "plain"
    outside.mkdir()
    assert lock_path(outside).name == ".readiness.lock"


def test_lock_file_symlink_is_not_followed(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (repo / ".git" / "readiness.lock").symlink_to(victim)
    with pytest.raises(UnsafeRepository), exclusive(repo, "build", wait=0):
        pass
    assert victim.read_text() == "keep me"
