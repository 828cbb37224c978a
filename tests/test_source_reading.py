"""Every reader of the source goes through one bounded read of a regular file.

A source linked to /dev/zero, a named pipe, a version in git history larger than the
limit: one line and the documented exit code, never an unbounded read or a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.errors import SourceError
from tests.support.git import git, new_repo
from tests.support.sources import ONE_TASK

SOURCE = ONE_TASK


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nfrom readiness.cli.main import main\nmain()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, **(env or {})})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = new_repo(tmp_path / "repo")
    (root / "content").mkdir()
    return root


@pytest.mark.parametrize("command", [["check"], ["status"], ["build"], ["mark", "a", "done"]])
def test_a_source_committed_as_a_link_to_dev_zero_is_refused(repo: Path, command: list[str]) -> None:
    (repo / "content" / "readiness.yaml").symlink_to("/dev/zero")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    result = run(command, repo)
    assert result.returncode in ((4,) if command[0] == "mark" else (3,)), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    if command[0] != "mark":  # mark refuses any link before reading
        assert "is a character device, not a regular file" in result.stderr


def test_the_plugin_refuses_a_device_too(repo: Path) -> None:
    from readiness.pages.site import generate

    (repo / "content" / "readiness.yaml").symlink_to("/dev/zero")
    with pytest.raises(SourceError, match="character device"):
        generate(repo / "content" / "readiness.yaml", repo)


@pytest.mark.parametrize("command", [["check"], ["status"], ["build"], ["mark", "a", "done"]])
def test_a_named_pipe_as_source_does_not_block(repo: Path, command: list[str]) -> None:
    os.mkfifo(repo / "pipe.yaml")
    result = run([*command, "--source", "pipe.yaml"], repo)
    assert result.returncode == 3, result.stderr
    assert "pipe.yaml: is a named pipe, not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_evidence_file_linked_to_a_device_is_refused(repo: Path) -> None:
    (repo / "content" / "readiness.yaml").write_text(SOURCE)
    (repo / "content" / "evidence.yaml").symlink_to("/dev/zero")
    result = run(["build"], repo)
    assert result.returncode == 3, result.stderr
    assert "evidence.yaml: is a character device" in result.stderr


def test_status_at_and_history_refuse_a_version_over_the_limit_from_its_size(repo: Path) -> None:
    source = repo / "content" / "readiness.yaml"
    source.write_text(SOURCE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "small")
    source.write_text(SOURCE + "# padding\n" * 500)
    git(repo, "commit", "-q", "-am", "large")
    source.write_text(SOURCE.replace("pending", "done"))
    git(repo, "commit", "-q", "-am", "small again")
    limit = {"READINESS_MAX_BYTES": "2000"}
    result = run(["status", "--at", "HEAD~1"], repo, limit)
    assert result.returncode == 3, result.stderr
    size = len(SOURCE + "# padding\n" * 500)
    assert result.stderr == (f"readiness: HEAD~1:content/readiness.yaml: the file is {size:,} bytes; "
                             "the limit is 2,000\n")
    assert run(["status", "--at", "HEAD~2"], repo, limit).returncode == 0
    result = run(["history"], repo, limit)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


PERMISSION_DENIED = """
import os
_open = os.open
def refusing(path, flags, *args, **kwargs):
    if str(path).endswith("readiness.yaml") and not flags & (os.O_WRONLY | os.O_RDWR):
        raise PermissionError(13, "Permission denied", str(path))
    return _open(path, flags, *args, **kwargs)
os.open = refusing
"""


@pytest.mark.parametrize("command", [["check"], ["status"], ["build"], ["mark", "a", "done"]])
def test_a_source_the_system_will_not_let_us_read_exits_1(repo: Path, command: list[str]) -> None:
    (repo / "content" / "readiness.yaml").write_text(SOURCE)
    result = run(command, repo, prelude=PERMISSION_DENIED)
    assert result.returncode == 1, result.stderr
    assert result.stderr == "readiness: content/readiness.yaml: cannot read: Permission denied\n"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_commit_never_reads_a_source_at_head_over_the_limit(repo: Path) -> None:
    """The source at HEAD is read (to describe the change) within the limit: a version of
    128 MiB is stopped after the limit, the commit is made, and its message says why the old
    version could not be compared. Memory shows it was not held whole."""
    source = repo / "content" / "readiness.yaml"
    with source.open("w") as handle:  # valid YAML: a comment line, repeated
        line = "# " + "x" * 1021 + "\n"
        handle.write(SOURCE)
        for _ in range(128 * 1024):
            handle.write(line)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "large")
    source.write_text(SOURCE.replace("pending", "done"))
    peak_file = repo.parent / "peak"
    # The command's own peak memory in kB: VmHWM belongs to the process's memory since exec
    # (getrusage's maxrss would carry the peak of the test runner that forked it).
    prelude = ("import atexit, re\n"
               f"atexit.register(lambda: open({str(peak_file)!r}, 'w').write(re.search("
               "r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1)))\n")
    result = run(["commit", "--yes"], repo, {"READINESS_MAX_BYTES": "1000000"}, prelude=prelude)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    message = git(repo, "log", "-1", "--format=%B")
    assert "content/readiness.yaml at HEAD is larger than 1,000,000 bytes, the limit" in message \
        or "the source at HEAD is larger than 1,000,000 bytes, the limit" in message, message
    assert int(peak_file.read_text()) < 100 * 1024  # the 128 MiB version was never held whole
