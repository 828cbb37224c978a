"""`check --ci` fails, one line and exit 1, when the project's copy of the JSON Schema (the one
`init` wrote, or the one the source's editor line names) is not this version's schema."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run_cli


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    done = run_cli("init", "--name", "Shop", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def _age(copy: Path) -> None:
    """Make COPY the schema of an older version (one property fewer)."""
    schema = json.loads(copy.read_text(encoding="utf-8"))
    del schema["$id"]
    copy.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")


def test_a_fresh_copy_passes_in_any_layout(tmp_path: Path) -> None:
    root = _project(tmp_path)
    copy = root / "schema" / "readiness.schema.json"
    copy.write_text(json.dumps(json.loads(copy.read_text()), indent=4).replace("\n", "\r\n"), encoding="utf-8")
    result = run_cli("check", "--ci", cwd=root)
    assert result.returncode == 0, result.stderr


def test_a_stale_copy_fails_the_gate(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _age(root / "schema" / "readiness.schema.json")
    result = run_cli("check", "--ci", cwd=root)
    assert result.returncode == 1
    assert result.stderr == ("readiness: schema/readiness.schema.json is stale (not the schema of this "
                             "readiness version): run `readiness schema > schema/readiness.schema.json`\n")
    assert run_cli("check", cwd=root).returncode == 0  # only the CI gate looks at it
    as_json = run_cli("check", "--ci", "--format", "json", cwd=root)
    assert as_json.returncode == 1
    assert [f["kind"] for f in json.loads(as_json.stdout)["gate"]["failures"]] == ["stale-schema"]
    # the fix the line gives works
    fixed = run_cli("schema", cwd=root)
    (root / "schema" / "readiness.schema.json").write_text(fixed.stdout, encoding="utf-8")
    assert run_cli("check", "--ci", cwd=root).returncode == 0


def test_the_copy_the_editor_line_names_is_checked(tmp_path: Path) -> None:
    root = _project(tmp_path)
    source = root / "content" / "readiness.yaml"
    (root / "schema" / "readiness.schema.json").rename(root / "content" / "mine.json")
    source.write_text(source.read_text().replace("../schema/readiness.schema.json", "mine.json"))
    assert run_cli("check", "--ci", cwd=root).returncode == 0
    _age(root / "content" / "mine.json")
    result = run_cli("check", "--ci", cwd=root)
    assert result.returncode == 1
    assert "content/mine.json is stale" in result.stderr


def test_a_schema_by_url_or_no_copy_is_not_checked(tmp_path: Path) -> None:
    root = _project(tmp_path)
    source = root / "content" / "readiness.yaml"
    _age(root / "schema" / "readiness.schema.json")
    source.write_text(source.read_text().replace("../schema/readiness.schema.json",
                                                 "https://example.org/readiness.schema.json"))
    assert run_cli("check", "--ci", cwd=root).returncode == 0
    source.write_text("\n".join(source.read_text().splitlines()[1:]) + "\n")  # no editor line
    assert run_cli("check", "--ci", cwd=root).returncode == 1  # init's place is checked then
    (root / "schema" / "readiness.schema.json").unlink()
    assert run_cli("check", "--ci", cwd=root).returncode == 0
