"""Data is never code in terminal output: escape sequences and bidirectional overrides in
task titles, ids given on the command line, file names and command output are shown
escaped by every command, never sent to the terminal as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.terminal import safe, safe_json
from tests.support.cleanup import GitRepo, make_repo
from tests.support.sources import source_text

EVIL = "\x1b[31m\u202e"
STRAY = f"NOTES{EVIL}.md"


def _inert(*texts: str) -> None:
    for text in texts:
        assert "\x1b" not in text
        assert "\u202e" not in text


@pytest.fixture
def evil(tmp_path: Path) -> GitRepo:
    repo = make_repo(tmp_path)
    repo.git("config", "user.name", "Test")
    repo.git("config", "user.email", "test@example.com")
    tasks: list[dict[str, object]] = [
        {"id": "alpha", "title": f"Red {EVIL} alert", "status": "pending"},
        {"id": "beta", "title": f"Blocked {EVIL}", "status": "blocked"},
        {"id": "gamma", "title": f"Done {EVIL}", "status": "done",
         "deliverables": ["docs/missing\u202e.md"], "verify": ["printf '\\033[31m\\342\\200\\256'; exit 3"]},
    ]
    repo.write("content/readiness.yaml", source_text(tasks))
    repo.write(STRAY, "# stray\n")
    repo.commit()
    added = {"id": "delta", "title": f"Added {EVIL} task"}
    repo.write("content/readiness.yaml", source_text(
        [{**tasks[0], "status": "done"}, *tasks[1:], added]))
    return repo


def test_safe_escapes_and_safe_json_keeps_the_value() -> None:
    assert safe(f"a{EVIL}b") == "a\\x1b[31m\\u202eb"
    text = json.dumps({"name": STRAY, "other": "\u0085x"}, ensure_ascii=False)
    _inert(safe_json(text))
    assert json.loads(safe_json(text)) == {"name": STRAY, "other": "\u0085x"}


@pytest.mark.parametrize("args", [
    ("status",),
    ("status", "--at", "HEAD"),
    ("check",),
    ("check", "--format", "json"),
    ("check", "--ci"),
    ("history",),
    ("history", "--format", "json"),
    ("cleanup", "--dry-run"),
    ("cleanup", "--dry-run", "--format", "json"),
    ("commit", "--dry-run"),
    ("mark", f"alpha{EVIL}", "done"),
    ("mark", "beta", f"done{EVIL}"),
    ("verify", "--yes", "gamma"),
], ids=lambda args: " ".join(a.replace(EVIL, "EVIL") for a in args))
def test_every_command_prints_source_strings_inert(evil: GitRepo, args: tuple[str, ...]) -> None:
    result = evil.run(*args)
    assert "Traceback" not in result.stderr
    _inert(result.stdout, result.stderr)


def test_titles_and_file_names_are_shown_escaped(evil: GitRepo) -> None:
    status = evil.run("status").stdout
    assert "Blocked \\x1b[31m\\u202e" in status
    plan = evil.run("cleanup", "--dry-run").stdout
    assert "NOTES\\x1b[31m\\u202e.md -> docs/archive/NOTES\\x1b[31m\\u202e.md" in plan
    data = json.loads(evil.run("cleanup", "--dry-run", "--format", "json").stdout)
    assert data["moves"][0]["from"] == STRAY  # JSON escapes, the value is the same
    message = evil.run("commit", "--dry-run").stdout
    assert "Red ?[31m\\u202e alert" in message  # the message itself has no control characters
    gate = evil.run("check", "--ci")
    assert gate.returncode == 1
    assert "docs/missing\\u202e.md" in gate.stderr


def test_a_line_break_in_a_file_name_keeps_each_error_on_one_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    source = "bad\nname.yaml"
    repo.write(source, "project: [\n")
    invalid = repo.run("check", source)
    assert invalid.returncode == 3
    assert invalid.stderr.endswith("\n")
    assert invalid.stderr.count("\n") == 1
    assert invalid.stderr.startswith("bad\\x0aname.yaml:2:1: ")

    repo.write("README.md", "[notes](notes%0Aplan.md)\n")
    repo.write("notes\nplan.md", "# Notes\n\n[readme](README.md)\n")
    repo.commit()
    repo.write("notes\nplan.md", "# Notes\n\n[readme](README.md)\n\nnot staged\n")
    blocked = repo.run("cleanup", "--yes")
    assert blocked.returncode == 4
    assert blocked.stderr.count("\n") == 1
    assert "notes\\x0aplan.md" in blocked.stderr


def test_an_error_that_reports_several_things_prints_one_line_each(evil: GitRepo) -> None:
    gate = evil.run("check", "--ci", "--min-score", "100")
    assert gate.returncode == 1
    lines = gate.stderr.splitlines()
    assert len(lines) == 2  # the score, the missing deliverable
    assert all(line.startswith("readiness: ") for line in lines)
    assert any("docs/missing\\u202e.md" in line for line in lines)


def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_the_json_is_valid(tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = make_repo(tmp_path)
    (repo.root / "README.md").write_text("# R\n")
    (repo.root / b"notes-\xff.md".decode("utf-8", "surrogateescape")).write_bytes(b"notes\n")
    repo.commit()

    def cleanup(*args: str) -> bytes:
        result = subprocess.run([sys.executable, "-m", "readiness", "cleanup", *args], cwd=repo.root,
                                env=repo.env, stdin=subprocess.DEVNULL, capture_output=True, check=True)
        return result.stdout

    text = cleanup("--dry-run").decode("utf-8")  # strict: every byte printed is UTF-8
    assert "notes-\\xff.md -> docs/archive/notes-\\xff.md" in text
    data = json.loads(cleanup("--dry-run", "--format", "json").decode("utf-8"))
    assert data["moves"][0]["from"].encode("utf-8", "surrogateescape") == b"notes-\xff.md"
