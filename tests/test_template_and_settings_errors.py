"""A broken project template, or a bad READINESS_* value: one line and the documented code.

Template errors exit 9 and name the template file and line; a READINESS_* variable set to
a value it does not accept is a usage error (exit 2) naming the variable and what it takes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import EXAMPLE


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "readiness", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, **(env or {})})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / ".git").mkdir()
    (tmp_path / "templates").mkdir()
    return tmp_path


TEMPLATES = {
    "division": (b"# Mine\n\nfine\n{{ 1 // 0 }}\n", "templates/mine.md.j2:4: template: ZeroDivisionError"),
    "not-utf8": (b"# Mine\n\n\xff\xfe caf\xe9\n",
                 "templates/mine.md.j2:3: template: not UTF-8 text (byte 0xFF)"),
    "recursion": (b"{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\n# Mine\n{{ down(1) }}\n",
                  "templates/mine.md.j2:1: template: calls itself without end"),
    "syntax": (b"# Mine\n{% if %}\n", "templates/mine.md.j2:2: template: "),
    "undefined": (b"# Mine\n\n{{ nothing_here }}\n",
                  "templates/mine.md.j2:3: template: 'nothing_here' is undefined"),
    "type": (b"# Mine\n{{ score + 'x' }}\n", "templates/mine.md.j2:2: template: TypeError"),
    "missing-include": (b"# Mine\n{% include 'partials/none.md.j2' %}\n",
                        "template: no template named 'partials/none.md.j2'"),
}


@pytest.mark.parametrize("case", sorted(TEMPLATES))
@pytest.mark.parametrize("command", [["build"], ["build", "--check"]])
def test_a_broken_project_template_is_one_line_exit_9(project: Path, case: str, command: list[str]) -> None:
    body, expected = TEMPLATES[case]
    (project / "templates" / "mine.md.j2").write_bytes(body)
    result = run(command, project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 9, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("readiness: ")
    assert expected in lines[0]


def test_an_overridden_partial_that_fails_names_the_partial(project: Path) -> None:
    (project / "templates" / "partials").mkdir()
    built_in = Path(__file__).resolve().parents[1] / "src" / "readiness" / "templates" / "partials"
    (project / "templates" / "partials" / "common.md.j2").write_text(
        (built_in / "common.md.j2").read_text() + "{{ 1 // 0 }}\n")
    result = run(["build"], project)
    assert result.returncode == 9, result.stderr
    assert "templates/partials/common.md.j2:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("name", "value", "accepts"), [
    ("READINESS_LOCK_WAIT", "abc", "expected a number of seconds, 0 or more"),
    ("READINESS_LOCK_WAIT", "-1", "expected a number of seconds, 0 or more"),
    ("READINESS_LOCK_WAIT", "nan", "expected a number of seconds, 0 or more"),
    ("READINESS_MAX_BYTES", "1e6", "expected a whole number of bytes above 0"),
    ("READINESS_MAX_BYTES", "0", "expected a whole number of bytes above 0"),
    ("READINESS_MAX_NODES", "lots", "expected a whole number of values above 0"),
    ("READINESS_MAX_DEPTH", "-3", "expected a whole number of levels above 0"),
    ("READINESS_TEST_PAUSE_SECONDS", "soon", "expected a number of seconds, 0 or more"),
])
@pytest.mark.parametrize("command", [["status"], ["build"], ["mark", "deploy-gateway", "done", "--dry-run"]])
def test_a_bad_readiness_variable_is_one_line_exit_2(project: Path, name: str, value: str, accepts: str,
                                                     command: list[str]) -> None:
    result = run(command, project, {name: value})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"readiness: {name}={value!r} is not valid: {accepts} (default ")
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_good_values_are_taken(project: Path) -> None:
    from readiness import settings

    assert run(["status"], project, {"READINESS_LOCK_WAIT": "2.5", "READINESS_MAX_BYTES": "1_000_000"}
               ).returncode == 0
    os.environ["READINESS_LOCK_WAIT"] = " 0.5 "
    try:
        assert settings.lock_wait() == 0.5
    finally:
        del os.environ["READINESS_LOCK_WAIT"]
    assert settings.lock_wait() == 10.0


@pytest.mark.parametrize("command", [["build"], ["build", "--check"]])
def test_a_project_template_past_the_size_limit_is_one_line_exit_9(project: Path, command: list[str]) -> None:
    """A template is read as the source file is: within READINESS_MAX_BYTES, never whole into
    memory first (a sparse file of a few gigabytes would be read here before any check)."""
    page = project / "templates" / "executive-summary.md.j2"
    with page.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: no disk used, 3 GiB to anyone who reads it
    result = run(command, project, {"READINESS_MAX_BYTES": "1000000"})
    assert "Traceback" not in result.stderr
    assert result.returncode == 9, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"readiness: templates/executive-summary.md.j2: the template is {3 * 1024**3:,} bytes; "
        "the limit is 1,000,000"]
