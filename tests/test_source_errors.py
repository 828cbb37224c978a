"""Every class of source error: exact line, column, key path and message; exit 3; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.errors import SourceError
from readiness.locate import MAX_BYTES
from readiness.source import load_text
from tests.conftest import run_cli

CORPUS = Path(__file__).resolve().parent / "bad_inputs"


def _expected(path: Path) -> list[str]:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    return expected.replace("{file}", "s.yaml").splitlines()


CASES = {p.stem: (p.read_text(encoding="utf-8"), _expected(p)) for p in sorted(CORPUS.glob("*.yaml"))}
HEAD = "project: {name: X, as_of: 2025-01-01}\nphases: [{id: p, title: P}]\n"


def test_corpus_covers_every_error_class() -> None:
    assert len(CASES) >= 28
    for path in CORPUS.glob("*.yaml"):
        assert path.with_suffix(".expected").exists(), f"{path.name} has no .expected file"


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_is_located_in_one_line_per_problem(name: str) -> None:
    text, expected = CASES[name]
    with pytest.raises(SourceError) as caught:
        load_text(text, "s.yaml")
    assert str(caught.value).splitlines() == expected


@pytest.mark.parametrize("name", ["yaml-syntax", "unknown-key", "cycle", "alias-bomb", "python-tag",
                                  "several-problems"])
def test_cli_prints_the_same_lines_and_exits_3(name: str, tmp_path: Path) -> None:
    text, expected = CASES[name]
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines() == expected
    assert "Traceback" not in result.stderr + result.stdout


def test_problems_are_capped(tmp_path: Path) -> None:
    body = "".join(f"  - {{id: t{i}, title: T, phase: nope, priority: P0, status: done}}\n"
                   for i in range(200))
    with pytest.raises(SourceError) as caught:
        load_text(HEAD + "tasks:\n" + body, "s.yaml")
    assert len(caught.value.problems) == 50


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run_cli("check", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == ("nope.yaml: no such file (run `readiness init`, or pass --source)")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes(b"project: \xff\xfe\n")
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == "s.yaml: not UTF-8 text (byte 9)"


def test_debug_shows_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("- a\n", encoding="utf-8")
    result = run_cli("--debug", "check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert "Traceback" in result.stderr


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "s.yaml"
    with big.open("w") as handle:
        handle.write("# " + "x" * 1000 + "\n")
        handle.truncate(MAX_BYTES + 1)
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == f"s.yaml: the file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"


def test_limits_are_adjustable(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(CASES["alias-bomb"][0], encoding="utf-8")
    lower = run_cli("check", "s.yaml", cwd=tmp_path, env={"READINESS_MAX_NODES": "1000"})
    assert lower.returncode == 3
    assert "aliases expand to more than 1,000 values: refused" in lower.stderr
    small = run_cli("check", "s.yaml", cwd=tmp_path, env={"READINESS_MAX_BYTES": "100"})
    assert small.stderr.strip().endswith("the limit is 100")


def test_nesting_beyond_the_yaml_parsers_limit_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("project: " + "[" * 1200 + "1" + "]" * 1200 + "\n")
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == "s.yaml:1:1009: YAML syntax: exceeded maximum nesting depth"
