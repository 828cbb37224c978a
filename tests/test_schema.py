"""The committed JSON Schema matches the models, and the example file validates against it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import yaml

from readiness.models import schema_text
from tests.conftest import EXAMPLE, ROOT, run_cli

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
