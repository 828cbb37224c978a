"""Exit codes as the README's table documents them, one case each, through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sources import ONE_TASK

SOURCE = ONE_TASK.replace("    status: pending\n", "    status: done\n    verify:\n      - touch ran.txt\n")


def run(args: list[str], cwd: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}\nfrom readiness.cli.main import main\nmain()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env=dict(os.environ))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "readiness.yaml").write_text(SOURCE)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


NO_NEW_FILES = """
import os
_open = os.open
def refusing(path, flags, *args, **kwargs):
    if flags & os.O_CREAT and os.path.basename(str(path)).startswith(".readiness.yaml."):
        raise PermissionError(13, "Permission denied", str(path))
    return _open(path, flags, *args, **kwargs)
os.open = refusing
"""


def test_mark_where_the_system_refuses_to_write_exits_1(repo: Path) -> None:
    result = run(["mark", "a", "pending"], repo, prelude=NO_NEW_FILES)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("readiness: content/readiness.yaml: cannot write: Permission denied; the file is "
                             "unchanged\n")
    assert "status: done" in (repo / "content" / "readiness.yaml").read_text()


def test_verify_refuses_a_linked_evidence_file_before_running_anything(repo: Path, tmp_path: Path) -> None:
    real = tmp_path / "evidence.yaml"
    real.write_text("")
    (repo / "content" / "evidence.yaml").symlink_to(real)
    result = run(["verify", "--yes"], repo)
    assert result.returncode == 4, result.stderr
    assert result.stderr == ("readiness: content/evidence.yaml: is a symbolic link; verify does not write the "
                             "evidence file through links: make it a real file\n")
    assert not (repo / "ran.txt").exists()
    assert real.read_text() == ""


def test_a_broken_template_is_not_an_invalid_source(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "x.md.j2").write_text("{{ 1 // 0 }}\n")
    result = run(["build"], repo)
    assert result.returncode == 9, result.stderr
    assert result.stderr.startswith("readiness: templates/x.md.j2:1: template: ZeroDivisionError")


def test_the_help_lists_exactly_the_exit_codes_of_the_error_family(tmp_path: Path) -> None:
    import re

    from readiness.exit_codes import exit_codes

    result = run(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("Exit codes:\n", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^ {4}(\d+) +(.*)$", table, re.MULTILINE)
    assert [int(code) for code, _ in rows] == [entry.code for entry in exit_codes()]
    # each row says what the code means, in the words of readiness.exit_codes
    meanings = " ".join(table.split())
    for entry in exit_codes():
        assert f"{entry.code} {entry.short}" in meanings, entry.code
