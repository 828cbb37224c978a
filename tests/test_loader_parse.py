"""The loader's fast paths keep its behaviour: same data as PyYAML, same refusals."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from readiness.errors import SourceError
from readiness.source.loader import parse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import synthetic_source  # noqa: E402

# A mapping's own keys override the keys it merges, also through a merge in a merge.
MERGES = """\
tasks:
  - id: a
    <<: &d {phase: security, priority: P0}
    status: done
  - id: b
    <<: *d
    priority: P1
  - <<: [*d, {owner: ops}]
    id: c
    owner: dev
  - <<: {<<: *d, phase: testing}
    id: d
    phase: docs
"""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((ROOT / "content" / "readiness.yaml").read_text(encoding="utf-8"), id="example"),
        pytest.param(synthetic_source(200), id="synthetic"),
        pytest.param("a: &x {b: [1, 2.5, true, null, 2025-01-01, '3', \"yes\", yes, ~]}\nc: *x\n"
                     "d: !!str 12\ne: [*x, *x]\nf: R&D *.md\n", id="types-and-aliases"),
        pytest.param(MERGES, id="merge-keys-overridden"),
    ],
)
def test_same_data_as_pyyaml(text: str) -> None:
    assert parse(text, "f.yaml") == yaml.safe_load(text)


def test_synthetic_source_is_valid() -> None:
    from readiness.source.loader import load_text

    model = load_text(synthetic_source(120))
    assert len(model.tasks) == 120


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: a: duplicate key 'a': it is already given on line 1"),
        ("a: !!python/name:os.system x\n", "f.yaml:1:4: the tag !!python/name:os.system is not allowed"),
        ("a: !custom x\n", "is not allowed"),
        ("a: !!set {x}\n", "is not allowed"),
        ("yes: 1\n", "the key 'yes' reads as True"),
        ("a: b: c\n", "f.yaml:1:5: YAML syntax"),
        ("- 1\n", "expected a mapping at the top level"),
        ("", "the file is empty"),
        # a merge does not excuse a duplicate among the mapping's own keys, nor in what it merges
        ("a: {<<: {p: 1}, q: 1, q: 2}\n",
         "f.yaml:1:23: a.q: duplicate key 'q': it is already given at column 17 of this line"),
        ("a: {<<: {p: 1, p: 2}, q: 1}\n",
         "f.yaml:1:16: a.p: duplicate key 'p': it is already given at column 10 of this line"),
        ("x: &x {p: 1}\na: {<<: *x, <<: *x}\n", "f.yaml:2:13: a second merge key '<<' in one mapping"),
        ("a: {<<: [1], q: 1}\n", "f.yaml:1:10: a merge key '<<' takes a mapping or a list of mappings"),
        # values PyYAML cannot build: located, with their key path
        ("a:\n  - {b: 2025-02-30}\n", "f.yaml:2:9: a[0].b: 2025-02-30 is not a valid date: day is out"),
        ("a: {b: 2025-11-27 25:00:00}\n", "f.yaml:1:8: a.b: 2025-11-27 25:00:00 is not a valid date and time"),
        (f"a: {'7' * 4400}\n", "f.yaml:1:4: a: the number 77777777777777777777… (4,400 digits) is too large"),
        ("a: 0x_\n", "f.yaml:1:4: a: 0x_ reads as a number in YAML but is not one: quote it as \"0x_\""),
        ("a: -1.5e+999\n", "f.yaml:1:4: a: the number -1.5e+999 is too large"),
        ("x: &x {d: 2025-02-30}\ny: {<<: *x}\n", "f.yaml:1:11: x.d: 2025-02-30 is not a valid date"),
    ],
)
def test_refusals_stay(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=re.escape(message)):
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


def test_of_several_merged_mappings_the_first_gives_a_key() -> None:
    # YAML's merge key: "keys in mapping nodes earlier in the sequence override keys specified in
    # later mapping nodes" (yaml.org/type/merge.html), as editors read it; PyYAML 6 lets the last win.
    text = "a: &a {p: 1, q: 1}\nb: &b {p: 2, r: 2}\nc: {<<: [*a, *b], r: 3}\n"
    assert parse(text, "f.yaml")["c"] == {"p": 1, "q": 1, "r": 3}


def test_infinity_written_as_such_stays_for_the_model_to_refuse() -> None:
    assert parse("a: [.inf, -.Inf, 1.5]\n", "f.yaml")["a"] == [float("inf"), float("-inf"), 1.5]


def test_a_merged_key_overridden_loads_and_validates() -> None:
    from readiness.source.loader import load_text

    model = load_text("project: {name: X, as_of: 2025-01-01}\nphases: [{id: security, title: S}]\n"
                      "tasks:\n  - {id: a, title: A, <<: &d {phase: security, priority: P0}, status: done}\n"
                      "  - id: b\n    title: B\n    <<: *d\n    priority: P1\n    status: pending\n")
    assert [(t.phase, t.priority) for t in model.tasks] == [("security", "P0"), ("security", "P1")]
