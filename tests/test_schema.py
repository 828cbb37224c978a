"""The committed JSON Schema matches the models, and the example file validates against it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pytest
import yaml

from readiness.source.models import schema_text
from tests.support import EXAMPLE, ROOT
from tests.support.cli import run_cli

SCHEMA = ROOT / "schema" / "readiness.schema.json"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_committed_schema_is_in_sync_with_the_models() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "schema/readiness.schema.json is stale: run `readiness schema > schema/readiness.schema.json`")


def test_schema_command_prints_it() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    assert result.stdout == schema_text()


def test_example_validates_against_the_schema_as_an_editor_would() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(_jsonable(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))), schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = _jsonable(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    data["tasks"][0]["titel"] = "typo"
    validator = jsonschema.Draft202012Validator(schema)
    assert any("titel" in e.message for e in validator.iter_errors(data))


def test_example_starts_with_the_editor_modeline() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/readiness.schema.json"


HEAD = "project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}]\n"
TASK = "tasks: [{id: a, title: A, phase: p, priority: P0, status: done, %s}]\n"


@pytest.mark.parametrize(("text", "valid"), [
    (HEAD + "scoring: {weights: {P0: 3, P1: 0.5}}\n", True),
    (HEAD + "scoring: {weights: {P0: -3}}\n", False),
    (HEAD + "scoring: {weights: {P0: 0}}\n", False),
    (HEAD + "scoring: {weights: {P0: '3'}}\n", False),
    (HEAD + "scoring: {weights: {P0: true}}\n", False),
    (HEAD + "scoring: {weights: {high: 3}}\n", False),
    (HEAD + "scoring: {weights: {P0: 2000000}}\n", False),
    (HEAD.replace("2025-01-06", "0"), False),
    (HEAD.replace("2025-01-06", "20250106"), False),
    (HEAD.replace("2025-01-06", "'2025-01-06'"), True),
    (HEAD.replace("2025-01-06", "'2025-02-30'"), False),
    (HEAD.replace("2025-01-06", "'6 January 2025'"), False),
    (HEAD.replace("2025-01-06", "2025-01-06 00:00:00"), False),
    (HEAD + TASK % "completed: 1736121600", False),
    (HEAD + TASK % "weight: 0", False),
    (HEAD + TASK % "weight: 1000000", True),
    (HEAD + TASK % "effort: 100000", True),
    (HEAD + TASK % "effort: 100001", False),
    (HEAD + TASK % "effort: {low: 1, high: 100001}", False),
    (HEAD + TASK % "effort: -1", False),
    (HEAD + TASK % "effort: 0", True),  # an effort is 0, or at least 0.01 hours
    (HEAD + TASK % "effort: 0.01", True),
    (HEAD + TASK % "effort: 0.005", False),
    (HEAD + TASK % "effort: {low: 0, high: 0.005}", False),
    (HEAD + TASK % "weight: 0.001", True),  # a weight is at least 0.001
    (HEAD + TASK % "weight: 0.0005", False),
    (HEAD + "evidence: {max_age_days: 30}\n", True),
    (HEAD + "evidence: {max_age_days: 30.0}\n", True),
    (HEAD + "evidence: {max_age_days: 30.5}\n", False),
    (HEAD + "evidence: {max_age_days: 36501}\n", False),
    (HEAD.replace("}", ", capacity_hours_per_week: 0.1}", 1), True),
    (HEAD.replace("}", ", capacity_hours_per_week: 0.05}", 1), False),
    (HEAD.replace("}", ", capacity_hours_per_week: 100001}", 1), False),
    (HEAD + "milestones: [{id: m, title: M, target_score: 101}]\n", False),
    (HEAD + "housekeeping: {archive: docs/archive}\n", True),
    (HEAD + "housekeeping: {archive: ./old/notes}\n", True),
    (HEAD + "housekeeping: {archive: ../outside}\n", False),
    (HEAD + "housekeeping: {archive: .}\n", False),
    (HEAD + "housekeeping: {archive: /srv/archive}\n", False),
    (HEAD + "housekeeping: {archive: .git/archive}\n", False),
    (HEAD + "housekeeping: {pages_dir: docs/../../pages}\n", False),
    (HEAD + "housekeeping: {archive: a/.git/b}\n", False),
    (HEAD + "housekeeping: {archive: .GIT/x}\n", False),
    (HEAD + "housekeeping: {archive: docs/./archive}\n", True),
])
def test_the_loader_and_the_schema_agree(text: str, valid: bool) -> None:
    from readiness.errors import SourceError
    from readiness.source.loader import load_text

    try:
        load_text(text, "s.yaml")
        loaded = True
    except SourceError:
        loaded = False
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(_jsonable(yaml.safe_load(text))))
    assert (loaded, not errors) == (valid, valid), errors
