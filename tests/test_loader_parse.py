"""The loader's fast paths keep its behaviour: same data as PyYAML, same refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from readiness.errors import SourceError
from readiness.source import parse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import synthetic_source  # noqa: E402


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((ROOT / "content" / "readiness.yaml").read_text(encoding="utf-8"), id="example"),
        pytest.param(synthetic_source(200), id="synthetic"),
        pytest.param("a: &x {b: [1, 2.5, true, null, 2025-01-01, '3', \"yes\", yes, ~]}\nc: *x\n"
                     "d: !!str 12\ne: [*x, *x]\nf: R&D *.md\n", id="types-and-aliases"),
    ],
)
def test_same_data_as_pyyaml(text: str) -> None:
    assert parse(text, "f.yaml") == yaml.safe_load(text)


def test_synthetic_source_is_valid() -> None:
    from readiness.source import load_text

    model = load_text(synthetic_source(120))
    assert len(model.tasks) == 120


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a'"),
        ("a: !!python/name:os.system x\n", "f.yaml:1:4: the tag !!python/name:os.system is not allowed"),
        ("a: !custom x\n", "is not allowed"),
        ("a: !!set {x}\n", "is not allowed"),
        ("yes: 1\n", "the key 'yes' reads as True"),
        ("a: b: c\n", "f.yaml:1:5: YAML syntax"),
        ("- 1\n", "expected a mapping at the top level"),
        ("", "the file is empty"),
    ],
)
def test_refusals_stay(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse(text, "f.yaml")


def test_alias_bomb_is_refused_before_it_is_built() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(SourceError, match="aliases expand to more than"):
        parse("\n".join(lines) + "\n", "f.yaml")


def test_deep_nesting_through_aliases_is_refused() -> None:
    text = "a: &x " + "[" * 70 + "]" * 70 + "\nb: *x\n"
    with pytest.raises(SourceError, match="nested more than 64 levels deep"):
        parse(text, "f.yaml")
