"""Every class of source error: exact line, column, key path and message; exit 3; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.errors import SourceError
from readiness.source import load_text
from tests.conftest import run_cli

HEAD = "project: {name: X, as_of: 2025-01-01}\nphases: [{id: p, title: P}]\n"


def task(ident: str, extra: str = "") -> str:
    return f"  - {{id: {ident}, title: T, phase: p, priority: P0, status: pending{extra}}}\n"


BOMB = "\n".join(
    [f'a: &a [{",".join(["lol"] * 9)}]']
    + [f"{n}: &{n} [{','.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=False)]
)

CASES = {
    "yaml-syntax": ("a: [1, 2\nb: 3\n",
                    ["s.yaml:2:2: YAML syntax: did not find expected ',' or ']'"]),
    "tab-indentation": ("project:\n\tname: X\n",
                        ["s.yaml:2:1: YAML syntax: found character that cannot start any token"]),
    "duplicate-key": (HEAD + "project: {name: Y}\n", ["s.yaml:3:1: duplicate key 'project'"]),
    "unknown-key": (HEAD + "tasks:\n  - id: a\n    title: A\n    phase: p\n    priority: P0\n"
                    "    status: done\n    titel: x\n",
                    ["s.yaml:9:5: tasks[0].titel: unknown key 'titel'; did you mean 'title'?"]),
    "unknown-top-level": ("proj: {}\n", [
        "s.yaml:1:1: missing required key 'project'",
        "s.yaml:1:1: missing required key 'phases'",
        "s.yaml:1:1: proj: unknown key 'proj'; did you mean 'project'?",
    ]),
    "number-for-text": ("project:\n  name: X\n  version: 1.10\n  as_of: 2025-01-01\n"
                        "phases: [{id: p, title: P}]\n",
                        ['s.yaml:3:12: project.version: expected text, found the number 1.10: '
                         'quote it as "1.10"']),
    "boolean-for-text": (HEAD + "tasks:\n" + task("a", ", owner: yes"),
                         ['s.yaml:4:71: tasks[0].owner: expected text, found the boolean yes: '
                          'quote it as "yes"']),
    "bad-enum": (HEAD + "tasks:\n  - {id: a, title: T, phase: p, priority: P0, status: donee}\n",
                 ["s.yaml:4:55: tasks[0].status: expected one of 'done', 'in progress', "
                  "'pending', 'blocked', found 'donee'"]),
    "bad-priority": (HEAD + "tasks:\n  - {id: a, title: T, phase: p, priority: high, status: done}\n",
                     ["s.yaml:4:43: tasks[0].priority: expected a priority P0 to P9, found 'high'"]),
    "bad-effort": (HEAD + "tasks:\n" + task("a", ", effort: soon"),
                   ["s.yaml:4:72: tasks[0].effort: expected hours as a number or a range such "
                    "as '4-8', got 'soon'"]),
    "duplicate-id": (HEAD + "tasks:\n" + task("a") + task("a"),
                     ["s.yaml:5:10: tasks[1].id: duplicate id 'a'"]),
    "missing-phase": (HEAD + "tasks:\n  - {id: a, title: T, phase: q, priority: P0, status: done}\n",
                      ["s.yaml:4:30: tasks[0].phase: no phase with id 'q'"]),
    "missing-task": (HEAD + "tasks:\n" + task("a", ", depends_on: [b]"),
                     ["s.yaml:4:77: tasks[0].depends_on[0]: no task with id 'b'"]),
    "missing-role": (HEAD + "faq:\n  - {question: Q, answer: A, roles: [devs]}\n",
                     ["s.yaml:4:38: faq[0].roles[0]: no role with id 'devs'"]),
    "missing-milestone-task": (HEAD + "milestones:\n  - {id: m, title: M, requires: {tasks: [zz]}}\n",
                               ["s.yaml:4:42: milestones[0].requires.tasks[0]: no task with id 'zz'"]),
    "cycle": (HEAD + "tasks:\n" + task("a", ", depends_on: [b]") + task("b", ", depends_on: [c]")
              + task("c", ", depends_on: [a]"),
              ["s.yaml:4:76: tasks[0].depends_on: dependency cycle: a -> b -> c -> a"]),
    "empty-file": ("", ["s.yaml:1:1: the file is empty: expected a mapping with project, phases "
                        "and tasks (see `readiness init`)"]),
    "only-comments": ("# nothing yet\n", ["s.yaml:1:1: the file is empty: expected a mapping with "
                                          "project, phases and tasks (see `readiness init`)"]),
    "top-level-list": ("- a\n- b\n", ["s.yaml:1:1: expected a mapping at the top level, found a list"]),
    "top-level-scalar": ("hello\n", ["s.yaml:1:1: expected a mapping at the top level, "
                                     "found a single value"]),
    "several-documents": (HEAD + "---\nx: 1\n",
                          ["s.yaml:3:1: YAML syntax: several YAML documents in one file: keep one "
                           "(remove the extra '---')"]),
    "python-tag": ("project: !!python/object/apply:os.system [echo hi]\n",
                   ["s.yaml:1:10: the tag !!python/object/apply:os.system is not allowed: "
                    "the source file holds plain data only"]),
    "include-tag": ("project: !include other.yaml\n",
                    ["s.yaml:1:10: the tag !include is not allowed: the source file holds plain data only"]),
    "alias-bomb": (BOMB + "\n", ["s.yaml:7:4: aliases expand to more than 2,000,000 values: refused"]),
    "boolean-key": ("project:\n  name: X\n  on: 2025-01-01\n",
                    ["s.yaml:3:3: the key 'on' reads as True in YAML: quote it as \"on\""]),
    "unsafe-url": ("project: {name: X, as_of: 2025-01-01, repository: 'javascript:alert(1)'}\n"
                   "phases: [{id: p, title: P}]\n",
                   ["s.yaml:1:51: project.repository: only http, https, mailto and relative links "
                    "are allowed"]),
    "several-problems": (HEAD + "tasks:\n  - {id: a, title: T, phase: p, priority: P0, status: x}\n"
                         "  - {id: b, title: 7, phase: p, priority: P0, status: done}\n", [
                             "s.yaml:4:55: tasks[0].status: expected one of 'done', 'in progress', "
                             "'pending', 'blocked', found 'x'",
                             's.yaml:5:20: tasks[1].title: expected text, found the number 7: '
                             'quote it as "7"',
                         ]),
}


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
