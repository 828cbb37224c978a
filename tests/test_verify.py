"""readiness verify: commands that pass, fail, hang, flood and do not exist; the command itself."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from readiness.source.evidence import load_evidence
from readiness.verify.run import argv_of, needs_shell, run_command
from tests.support.cli import run_cli, write_tree
from tests.support.git import git
from tests.support.sources import source_text


def test_a_passing_command(tmp_path: Path) -> None:
    run = run_command("python3 -c 'print(42)'", tmp_path, timeout=30)
    assert run.passed
    assert run.exit_code == 0
    assert run.output == b"42\n"
    assert run.message is None


def test_a_failing_command_reports_its_exit_code(tmp_path: Path) -> None:
    run = run_command("python3 -c 'import sys; print(\"boom\"); sys.exit(3)'", tmp_path, timeout=30)
    assert not run.passed
    assert run.exit_code == 3
    assert run.message == "exit 3"
    assert run.output == b"boom\n"


def test_a_missing_program_is_a_failed_result_not_a_crash(tmp_path: Path) -> None:
    run = run_command("no-such-program-xyz --flag", tmp_path, timeout=30)
    assert not run.passed
    assert run.exit_code is None
    assert run.message == "program not found: no-such-program-xyz"
    through_shell = run_command("no-such-program-xyz | cat", tmp_path, timeout=30)
    assert not through_shell.passed


def _alive(pid: int) -> bool:
    """True while PID runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        state = next((line for line in status.read_text().splitlines() if line.startswith("State:")), "")
        return "zombie" not in state
    return True


def test_a_hanging_command_is_stopped_with_its_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    command = f"sleep 1000 & echo $! > {pidfile}; wait"
    began = time.monotonic()
    run = run_command(command, tmp_path, timeout=1)
    assert time.monotonic() - began < 10
    assert not run.passed
    assert run.exit_code is None
    assert run.message == "timed out after 1 s; its processes were stopped"
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild), "the grandchild `sleep 1000` outlived the timeout"


def test_output_is_bounded_to_its_tail(tmp_path: Path) -> None:
    command = "python3 -c \"import sys; [print(f'line {i}') for i in range(200000)]\""
    run = run_command(command, tmp_path, timeout=60, max_output=4096)
    assert run.passed
    assert run.truncated
    assert len(run.output) == 4096
    assert run.output.endswith(b"line 199999\n")


@pytest.mark.parametrize(("command", "shell"), [
    ("pytest -q tests/test_api.py", False),
    ("bash scripts/verify/rate-limiting.sh", False),
    ("python3 -m pytest -q", False),
    ("python3 -c 'print(1)'", True),  # '(' counts even quoted: bash reads it the same way
    ("cd services/wallet && pnpm test", True),
    ("curl -s http://x | jq .", True),
    ("psql \"$DATABASE_URL\" -f a.sql", True),
    ("test -f out.txt > /dev/null", True),
    ("ls *.md", True),
    ("export A=1", True),
    ("A=1 make test", True),
])
def test_the_shell_rule(command: str, shell: bool) -> None:
    assert needs_shell(command) is shell
    assert (argv_of(command)[0] == "bash" and "-c" in argv_of(command)) is shell


def _project(repo: Path, tasks: list[dict[str, object]]) -> Path:
    write_tree(repo, {"content/readiness.yaml": source_text(tasks)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "source")
    return repo / "content" / "readiness.yaml"


TASKS: list[dict[str, object]] = [
    {"id": "good", "status": "done", "verify": ["python3 -c 'print(1)'", "true"]},
    {"id": "bad", "status": "done", "verify": ["python3 -c 'import sys; sys.exit(2)'"]},
    {"id": "open", "status": "pending", "verify": ["true"]},
    {"id": "bare", "status": "done"},
]


def test_verify_records_evidence_and_never_changes_a_status(repo: Path) -> None:
    source = _project(repo, TASKS)
    before = source.read_text()
    result = run_cli("verify", "--yes", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().endswith("readiness: 1 task failed verification")
    assert "bare: no verify commands, skipped" in result.stdout
    assert "open" not in result.stdout  # only done tasks by default
    assert "1 of 2 tasks passed" in result.stdout
    assert source.read_text() == before
    evidence = load_evidence(repo / "content" / "evidence.yaml")
    assert sorted(evidence.tasks) == ["bad", "good"]
    good, bad = evidence.tasks["good"], evidence.tasks["bad"]
    assert good.passed
    assert not bad.passed
    assert [c.command for c in good.commands] == TASKS[0]["verify"]
    head = git(repo, "rev-parse", "HEAD").strip()
    assert good.commit == head
    assert not good.commands[0].dirty
    assert bad.commands[0].exit_code == 2
    assert good.ran_at.tzinfo is not None


def test_verify_named_tasks_only_and_unknown_ones(repo: Path) -> None:
    _project(repo, TASKS)
    result = run_cli("verify", "open", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert set(load_evidence(repo / "content" / "evidence.yaml").tasks) == {"open"}
    unknown = run_cli("verify", "nope", "--yes", cwd=repo)
    assert unknown.returncode == 2
    assert "no task with id 'nope'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_verify_lists_and_refuses_without_a_terminal(repo: Path) -> None:
    _project(repo, TASKS)
    result = run_cli("verify", cwd=repo, input="")
    assert result.returncode == 8
    assert "These commands will run from" in result.stdout
    assert "good: python3 -c 'print(1)'" in result.stdout
    assert result.stderr.strip() == "readiness: no terminal to ask for confirmation: run again with --yes"
    assert not (repo / "content" / "evidence.yaml").exists()


def test_verify_help_says_it_runs_commands() -> None:
    result = run_cli("verify", "--help")
    assert "RUNS COMMANDS WRITTEN IN THE SOURCE FILE" in result.stdout


def test_verify_timeout_option(repo: Path) -> None:
    _project(repo, [{"id": "slow", "status": "done", "verify": ["sleep 30"]}])
    began = time.monotonic()
    result = run_cli("verify", "--yes", "--timeout", "0.5", cwd=repo)
    assert time.monotonic() - began < 20
    assert result.returncode == 1
    assert "FAILED: timed out after 0.5 s" in result.stdout
    entry = load_evidence(repo / "content" / "evidence.yaml").tasks["slow"]
    assert entry.commands[0].exit_code is None


def test_verify_runs_from_the_repository_root(repo: Path) -> None:
    _project(repo, [{"id": "here", "status": "done", "verify": ["test -f content/readiness.yaml"]}])
    (repo / "content" / "sub").mkdir()
    result = run_cli("verify", "--yes", cwd=repo / "content" / "sub")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_failed_command_keeps_its_output_tail_in_the_evidence(repo: Path) -> None:
    noisy = "python3 -c \"print('x' * 100000); print('the reason'); raise SystemExit(1)\""
    _project(repo, [{"id": "noisy", "status": "done", "verify": [noisy]}])
    result = run_cli("verify", "--yes", cwd=repo)
    assert result.returncode == 1
    assert "    | the reason" in result.stderr
    data = yaml.safe_load((repo / "content" / "evidence.yaml").read_text())
    tail = data["tasks"]["noisy"]["commands"][0]["output_tail"]
    assert tail.endswith("the reason\n")
    assert len(tail.encode()) <= 2048


def _linked_source(repo: Path, target: Path) -> Path:
    """REPO's `content` folder a link to TARGET, which holds the source; the marker file its
    verify command would make."""
    ran = repo.parent / "ran"
    write_tree(target, {"readiness.yaml": source_text([{"id": "t", "status": "done",
                                                         "verify": [f"touch {ran}"]}])})
    (repo / "content").symlink_to(target, target_is_directory=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "source")
    return ran


@pytest.mark.parametrize("where", ["inside", "other repository"])
def test_verify_refuses_to_write_evidence_through_a_linked_folder(repo: Path, where: str) -> None:
    target = repo / "data" / "real" if where == "inside" else repo.parent / "other"
    if where != "inside":
        target.mkdir()
        git(target, "init", "-q")
    ran = _linked_source(repo, target)
    result = run_cli("verify", "--yes", cwd=repo)
    assert result.returncode == 4, result.stdout + result.stderr
    assert result.stderr == (f"readiness: content is a symbolic link: refusing to write through it (the files "
                             f"would go to {target.resolve()}); make it a real folder, or pass the source's "
                             "real path with --source\n")
    assert "These commands will run" not in result.stdout
    assert not ran.exists()  # refused before anything ran
    assert sorted(p.name for p in target.iterdir() if p.name != ".git") == ["readiness.yaml"]


def test_verify_writes_evidence_beside_the_real_path_named_with_source(repo: Path) -> None:
    target = repo / "data" / "real"
    ran = _linked_source(repo, target)
    result = run_cli("verify", "--yes", "--source", "data/real/readiness.yaml", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran.exists()
    assert set(load_evidence(target / "evidence.yaml").tasks) == {"t"}
