"""The commands as a user runs them: real processes, exit codes, output."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT, run_cli, write_tree


def test_check_valid_example() -> None:
    result = run_cli("check", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "valid; score 78/100, 8 of 21 tasks done" in result.stdout


def test_check_json_carries_the_figures() -> None:
    result = run_cli("check", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["score"] == 78
    assert data["projections"] == {"P0": 88, "P1": 93, "P2": 97, "P3": 100}
    assert data["tasks"]["percent"] == 38.1
    assert data["remaining_hours_by_priority"]["P0"] == {"low": 34.0, "high": 34.0, "unestimated": 0}
    assert [m["id"] for m in data["milestones"]] == ["beta", "production", "excellence"]


def test_min_score_gate() -> None:
    assert run_cli("check", str(EXAMPLE), "--min-score", "78").returncode == 0
    failed = run_cli("check", str(EXAMPLE), "--min-score", "80")
    assert failed.returncode == 1
    assert failed.stderr.strip() == "readiness: score 78 is below the minimum 80"


def test_status_without_a_terminal_has_no_colour() -> None:
    result = run_cli("status", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "Score       78/100" in result.stdout
    assert "after P0   88/100" in result.stdout
    assert "Controlled beta (88/100 due 2025-12-04): 4 tasks open, 34 h, ETA 2025-12-03" in result.stdout
    assert "P0 rls-audit-run" in result.stdout
    assert "0 of 8 done tasks verified, 6 claimed but unverified" in result.stdout
    assert "  build-order: missing package.json, turbo.json" in result.stdout


def _on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with a pseudo-terminal as stdout and return what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "readiness", *args], cwd=ROOT, stdout=follower,
                               stderr=follower, env={**os.environ, "TERM": "xterm", **env})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_status_colours_a_terminal_unless_no_color() -> None:
    assert "\x1b[" in _on_terminal(["status"], {})
    assert "\x1b[" not in _on_terminal(["status"], {"NO_COLOR": "1"})


def test_status_escapes_control_and_bidi_characters(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": (
        'project: {name: "Evil\\e[31m\\u202eName", as_of: 2025-01-01}\n'
        "phases: [{id: p, title: P}]\n")})
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "Evil\\x1b[31m\\u202eName" in result.stdout


def test_source_found_from_a_subfolder_and_from_mkdocs_config(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    write_tree(tmp_path, {"elsewhere/state.yaml": text, "docs/deep/x.md": "",
                          "mkdocs.yml": "site_name: x\nplugins:\n  - readiness:\n"
                                        "      source: elsewhere/state.yaml\n"})
    result = run_cli("check", cwd=tmp_path / "docs" / "deep")
    assert result.returncode == 0, result.stderr
    assert "state.yaml: valid" in result.stdout


def test_source_option_and_missing_default(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == (
        "content/readiness.yaml: no such file (run `readiness init`, or pass --source)")


def test_init_scaffolds_a_valid_project_and_never_overwrites(tmp_path: Path) -> None:
    first = run_cli("init", "--name", "Shop: API", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "mkdocs.yml").exists()
    assert run_cli("check", cwd=tmp_path).returncode == 0
    source = tmp_path / "content" / "readiness.yaml"
    source.write_text(source.read_text() + "# mine\n")
    (tmp_path / "docs" / "index.md").unlink()
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 4
    assert "already exist: init never overwrites; nothing was created" in again.stderr
    assert source.read_text().endswith("# mine\n")
    assert not (tmp_path / "docs" / "index.md").exists()


def test_usage_error_exit_2_and_help() -> None:
    assert run_cli("check", "--format", "xml").returncode == 2
    help_text = run_cli("--help")
    assert help_text.returncode == 0
    assert "3  the source file is invalid" in help_text.stdout


def test_python_dash_m_and_console_script_agree() -> None:
    script = Path(sys.executable).with_name("readiness")
    result = subprocess.run([str(script), "check", str(EXAMPLE)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert result.stdout == run_cli("check", str(EXAMPLE)).stdout


def test_a_refusal_of_the_system_is_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": EXAMPLE.read_text(encoding="utf-8"), "afile": ""})
    (tmp_path / ".git").mkdir()
    result = run_cli("build", "--out", "afile/sub", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "readiness: Not a directory: afile/sub"


def test_an_initialised_project_builds_its_site_strictly(tmp_path: Path) -> None:
    assert run_cli("init", "--name", 'Shop: "API" #1', cwd=tmp_path).returncode == 0
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=tmp_path,
                           capture_output=True, text=True, check=False,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    summary = (tmp_path / "site" / "readiness" / "executive-summary" / "index.html").read_text()
    assert "Production readiness: 0/100" in summary
    assert 'Shop: "API" #1 readiness' in (tmp_path / "site" / "index.html").read_text().replace("&quot;", '"')
