"""Command-line conventions: JSON for an invalid source, shell completion, and columns that line
up with wide characters."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from readiness.terminal import padded, width_of
from tests.support.cli import run_cli, write_tree
from tests.support.sources import source_text


def test_check_json_on_an_invalid_source_lists_the_problems(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": (
        "project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}]\n"
        "tasks:\n  - {id: a, title: A, phase: p, priority: high, status: done}\n")})
    (tmp_path / ".git").mkdir()
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 3
    data = json.loads(result.stdout)
    assert data["valid"] is False
    [problem] = data["problems"]
    assert problem["file"] == "content/readiness.yaml"
    assert (problem["line"], problem["column"]) == (4, 43)
    assert problem["path"] == "tasks[0].priority"
    assert "P0 to P9" in problem["message"]
    # the one line for people is still on standard error
    assert result.stderr.startswith("content/readiness.yaml:4:43: tasks[0].priority:")


def test_check_json_on_a_missing_source(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 3
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["line"] is None
    assert "no such file" in problem["message"]


def test_check_text_on_an_invalid_source_prints_no_json(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": "project: {name: X}\n"})
    (tmp_path / ".git").mkdir()
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stdout == ""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script_for_the_shell(shell: str) -> None:
    result = run_cli("completion", shell)
    assert result.returncode == 0, result.stderr
    assert "_READINESS_COMPLETE" in result.stdout


def test_completion_of_an_unknown_shell_is_a_usage_error() -> None:
    result = run_cli("completion", "tcsh")
    assert result.returncode == 2
    assert "see readiness completion --help" in result.stderr


def test_help_says_how_to_turn_completion_on() -> None:
    assert 'eval "$(readiness completion bash)"' in run_cli("--help").stdout


@pytest.mark.parametrize("command", ["check", "status", "build", "mark", "cleanup", "commit", "verify",
                                     "history", "badge"])
def test_source_completes_file_names(command: str, tmp_path: Path) -> None:
    words = f"readiness {command} --source "
    result = run_cli(cwd=tmp_path, env={"_READINESS_COMPLETE": "bash_complete", "COMP_WORDS": words,
                                        "COMP_CWORD": str(len(words.split()))})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["file,"]  # bash then completes with file names


def test_width_counts_wide_and_combining_characters() -> None:
    assert width_of("abc") == 3
    assert width_of("設計") == 4
    assert width_of("🚀") == 2
    assert width_of("e\u0301") == 1
    assert padded("設計", 6) == "設計  "
    assert padded("toolong", 3) == "toolong"


def test_status_lines_up_phases_with_wide_titles(tmp_path: Path) -> None:
    import re

    text = json.loads(source_text([{"id": "a", "effort": 2}]))
    text["phases"] = [{"id": "build", "title": "設計と構築"}, {"id": "ship", "title": "Ship 🚀"},
                      {"id": "run", "title": "Run"}]
    text["tasks"].append({"id": "b", "title": "B", "phase": "ship", "priority": "P1", "status": "done"})
    write_tree(tmp_path, {"content/readiness.yaml": json.dumps(text, ensure_ascii=False)})
    (tmp_path / ".git").mkdir()
    result = run_cli("status", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("Phases") + 1
    phases = lines[start:start + 3]
    # the bar (or "no tasks") starts at the same screen column on every line
    columns = {width_of(re.split(r"[█░]|no tasks", line)[0]) for line in phases}
    assert len(columns) == 1, phases


def test_each_command_module_is_one_command_of_the_group() -> None:
    """A module of readiness.cli named after a command defines it as ``command``, and the group
    has exactly those commands: a new command module cannot be left out of `readiness --help`."""
    import importlib
    import pkgutil

    import readiness.cli
    from readiness.cli.main import cli

    machinery = {"main", "options", "streams", "entry", "head_start"}
    modules = {m.name for m in pkgutil.iter_modules(readiness.cli.__path__)} - machinery
    context = click.Context(cli)
    assert modules == set(cli.list_commands(context))
    for name in modules:
        assert cli.get_command(context, name) is importlib.import_module(f"readiness.cli.{name}").command
