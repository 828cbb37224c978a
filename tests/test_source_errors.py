"""Every class of source error: exact line, column, key path and message; exit 3; no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readiness.errors import SourceError
from readiness.source.loader import load_text
from readiness.source.locate import MAX_BYTES
from tests.support import EXAMPLE
from tests.support.cli import run_cli
from tests.support.git import git

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
    assert _unprefixed(result.stderr) == "nope.yaml: no such file (run `readiness init`, or pass --source)"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes(b"project: \xff\xfe\n")
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.strip() == "s.yaml:1:10: not UTF-8 text (byte 0xFF): save the file as UTF-8"


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
    expected = f"s.yaml: the file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"
    assert _unprefixed(result.stderr) == expected


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


def _unprefixed(stderr: str) -> str:
    """An error that names no line, without the tool's name that may precede it."""
    return stderr.strip().removeprefix("readiness: ")


# --- values that do not load, in every command that reads the source ---------------------------

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
HUGE = "9" * 5000  # past Python's 4,300-digit limit for int(): PyYAML raised ValueError
BROKEN = {  # a change to the example, and the one line expected for it
    "impossible-date": (("as_of: 2025-11-27", "as_of: 2025-02-30"),
                        "17:10: project.as_of: 2025-02-30 is not a valid date: day is out of range for month"),
    "impossible-month": (("as_of: 2025-11-27", "as_of: 2025-13-45"),
                         "17:10: project.as_of: 2025-13-45 is not a valid date: month must be in 1..12"),
    "impossible-hour": (("as_of: 2025-11-27", "as_of: 2025-11-27T99:00:00"),
                        "17:10: project.as_of: 2025-11-27T99:00:00 is not a valid date and time: hour must be "
                        "in 0..23"),
    "huge-integer": (("weight: 14", f"weight: {HUGE}"),
                     "71:13: tasks[0].weight: the number 99999999999999999999… (5,000 digits) is too large"),
    "number-as-date": (("as_of: 2025-11-27", "as_of: 0"),
                       "17:10: project.as_of: expected a date (YYYY-MM-DD), found the number 0"),
    "infinite-weight": (("weight: 14", "weight: .inf"),
                        "71:13: tasks[0].weight: expected a weight from 0.001 to 1,000,000, found the number "
                        ".inf: only finite numbers are allowed"),
    "infinite-effort": (("effort: 24", "effort: .inf"),
                        "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the number .inf: "
                        "only finite numbers are allowed"),
    "huge-effort": (("effort: 24", "effort: 1.0e+308"),
                    "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the number 1e+308"),
    "huge-effort-text": (("effort: 24", 'effort: "1' + "0" * 400 + '"'),
                         "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the text "
                         "'1000000000000000000000000000000000000000…'"),
    "huge-effort-integer": (("effort: 24", "effort: 1" + "0" * 400),
                            "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the number "
                            "10000000000000000000… (401 digits)"),
    "tiny-capacity": (("capacity_hours_per_week: 40", "capacity_hours_per_week: 1.0e-320"),
                      "22:28: project.capacity_hours_per_week: expected hours per week from 0.1 to 100,000, "
                      "found the number 1e-320"),
    "infinite-capacity": (("capacity_hours_per_week: 40", "capacity_hours_per_week: .inf"),
                          "22:28: project.capacity_hours_per_week: expected hours per week from 0.1 to "
                          "100,000, found the number .inf: only finite numbers are allowed"),
    # a key named `date` is a key of the file, not a name pydantic gives a type: it keeps its place
    "milestone-date-number": (("date: 2025-12-04", "date: 20251204"),
                              "434:11: milestones[0].date: expected a date (YYYY-MM-DD), found the number "
                              "20251204"),
    "milestone-date-text": (("date: 2025-12-04", "date: 'soon'"),
                            "434:11: milestones[0].date: expected a date (YYYY-MM-DD), found the text 'soon'"),
    "milestone-date-boolean": (("date: 2025-12-04", "date: true"),
                               "434:11: milestones[0].date: expected a date (YYYY-MM-DD), found the boolean "
                               "true"),
    "milestone-date-time": (("date: 2025-12-04", "date: 2025-12-04 10:00:00"),
                            "434:11: milestones[0].date: expected a date (YYYY-MM-DD), found the date and time "
                            "2025-12-04 10:00:00: write 2025-12-04"),
    "attested-date-time": (("date: 2025-11-26}", "date: 2025-11-26 10:00:00}"),
                           "463:45: milestones[1].sign_off[3].attested.date: expected a date (YYYY-MM-DD), "
                           "found the date and time 2025-11-26 10:00:00: write 2025-11-26"),
    "attested-date-missing": (("{by: Platform lead, date: 2025-11-26}", "{by: Platform lead}"),
                              "463:19: milestones[1].sign_off[3].attested: missing required key 'date'"),
    # numbers YAML 1.1 (PyYAML) and YAML 1.2 (editors, the schema) read differently
    "base-60-effort": (("effort: 24\n", "effort: 1:30\n"),
                       "136:13: tasks[4].effort: 1:30 reads as the base-60 number 90 in YAML 1.1 but as text "
                       "in YAML 1.2 (as editors read it): write the hours as 1.5, or the minutes as '90m'"),
    "base-60-effort-high": (("effort: 24\n", "effort: {low: 1, high: 1:28}\n"),
                            "136:28: tasks[4].effort.high: 1:28 reads as the base-60 number 88 in YAML 1.1 but "
                            "as text in YAML 1.2 (as editors read it): write the hours as about 1.47"),
    "base-60-target": (("target_score: 88", "target_score: 1:28"),
                       "435:19: milestones[0].target_score: 1:28 reads as the base-60 number 88 in YAML 1.1 "
                       "but as text in YAML 1.2 (as editors read it): write 88"),
    "octal-capacity": (("capacity_hours_per_week: 40", "capacity_hours_per_week: 040"),
                       "22:28: project.capacity_hours_per_week: 040 reads as the octal number 32 in YAML 1.1 "
                       "but as 40 in YAML 1.2 (as editors read it): write 40, without the leading 0"),
    "base-60-version": (('version: "1.0"', "version: 1:30"),
                        '12:12: project.version: 1:30 reads as the base-60 number 90 in YAML 1.1 but as text '
                        'in YAML 1.2 (as editors read it): quote it as "1:30"'),
    "underscore-weight": (("weight: 14", "weight: 1_4"),
                          "71:13: tasks[0].weight: 1_4 reads as the number 14 in YAML 1.1 but as text in YAML "
                          "1.2 (as editors read it): write 14"),
    "binary-weight": (("weight: 14", "weight: 0b1110"),
                      "71:13: tasks[0].weight: 0b1110 reads as the binary number 14 in YAML 1.1 but as text in "
                      "YAML 1.2 (as editors read it): write 14"),
    # numbers too close to 0: a floor for efforts and weights, and no silent 0
    "tiny-effort": (("effort: 24\n", "effort: 1.0e-320\n"),
                    "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the number 1e-320: an "
                    "effort other than 0 is at least 0.01 hours (36 seconds)"),
    "tiny-effort-minutes": (("effort: 24\n", "effort: 0.5m\n"),
                            "136:13: tasks[4].effort: expected hours from 0 to 100,000, found the text '0.5m': "
                            "an effort other than 0 is at least 0.01 hours (36 seconds)"),
    "underflowing-effort": (("effort: 24\n", "effort: 1.0e-400\n"),
                            "136:13: tasks[4].effort: the number 1.0e-400 is too close to 0 to be read (it "
                            "would become 0)"),
    "underflowing-weight": (("weight: 14", "weight: 1.0e-400"),
                            "71:13: tasks[0].weight: the number 1.0e-400 is too close to 0 to be read (it "
                            "would become 0)"),
    "tiny-weight": (("weight: 14", "weight: 0.0001"),
                    "71:13: tasks[0].weight: expected a weight from 0.001 to 1,000,000, found the number "
                    "0.0001"),
    # keys that are not text, named as written at their own place
    "number-priority-key": (("\nphases:", "\nscoring: {weights: {1: 7}}\nphases:"),
                            "50:21: scoring.weights.1: the key 1 is not a priority P0 to P9 (YAML reads it as "
                            "a number); did you mean 'P1'?"),
    "date-priority-key": (("\nphases:", "\nscoring: {weights: {P0: 2, 2025-01-01: 3}}\nphases:"),
                          "50:28: scoring.weights.2025-01-01: the key 2025-01-01 is not a priority P0 to P9 "
                          "(YAML reads it as a date)"),
    "date-task-key": (("  - id: rate-limit-module\n", "  - id: rate-limit-module\n    2025-01-01: x\n"),
                      "67:5: tasks[0].2025-01-01: unknown key 2025-01-01: YAML reads it as a date, not as "
                      "text; expected one of: id, title, phase, priority, status, effort, owner, depends_on, "
                      "topics, deliverables, deploy, prerequisites, deploy_checks, rollback, verify, "
                      "checklist, weight, finding, notes, started, completed, waiver"),
    "number-top-level-key": (("\nphases:", "\n1: x\nphases:"),
                             "50:1: 1: unknown key 1: YAML reads it as a number, not as text; expected one of: "
                             "project, scoring, roles, phases, tasks, milestones, risks, faq, documents, "
                             "scripts, housekeeping, evidence"),
    "duplicate-task-key": (("    weight: 14\n", "    weight: 14\n    weight: 15\n"),
                           "72:5: tasks[0].weight: duplicate key 'weight': it is already given on line 71"),
}


def _broken_project(root: Path, name: str) -> str:
    """A project whose source is the example with the change BROKEN[NAME]; returns the source text."""
    (old, new), _ = BROKEN[name]
    assert old in EXAMPLE_TEXT
    text = EXAMPLE_TEXT.replace(old, new, 1)
    (root / "content").mkdir(parents=True)
    (root / "content" / "readiness.yaml").write_text(text, encoding="utf-8")
    (root / ".git").mkdir()
    return text


def _one_located_line(result: subprocess.CompletedProcess[str], where_and_message: str) -> None:
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines() == [f"content/readiness.yaml:{where_and_message}"]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_values_that_do_not_load_are_one_located_line(name: str, tmp_path: Path) -> None:
    _broken_project(tmp_path, name)
    _one_located_line(run_cli("check", cwd=tmp_path), BROKEN[name][1])


@pytest.mark.parametrize("command", [("status",), ("build",), ("badge",),
                                     ("mark", "rate-limit-module", "done")])
@pytest.mark.parametrize("name", ["impossible-date", "huge-integer", "infinite-weight", "huge-effort",
                                  "tiny-capacity"])
def test_every_command_reports_them_the_same_and_changes_nothing(name: str, command: tuple[str, ...],
                                                                  tmp_path: Path) -> None:
    text = _broken_project(tmp_path, name)
    _one_located_line(run_cli(*command, cwd=tmp_path), BROKEN[name][1])
    assert (tmp_path / "content" / "readiness.yaml").read_text(encoding="utf-8") == text
    assert not (tmp_path / "docs").exists()  # no pages, no badge


@pytest.mark.slow
def test_mkdocs_build_reports_them_in_one_line(tmp_path: Path) -> None:
    from tests.support.pages import make_site

    site = make_site(tmp_path / "site", EXAMPLE_TEXT.replace("as_of: 2025-11-27", "as_of: 2025-02-30", 1))
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")], cwd=site,
                          capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "readiness.yaml:" in line]
    assert len(lines) == 1, done.stderr
    assert lines[0].endswith("content/readiness.yaml:17:10: project.as_of: 2025-02-30 is not a valid date: "
                             "day is out of range for month")


def test_history_and_commit_skip_a_committed_source_that_does_not_load(repo: Path) -> None:
    source = repo / "content" / "readiness.yaml"
    source.parent.mkdir()
    source.write_text(EXAMPLE_TEXT, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "good")
    for name in ("impossible-date", "huge-integer"):
        (old, new), _ = BROKEN[name]
        source.write_text(EXAMPLE_TEXT.replace(old, new, 1), encoding="utf-8")
        git(repo, "commit", "-q", "-am", name)
    history = run_cli("history", cwd=repo)
    assert history.returncode == 0, history.stderr
    assert "Traceback" not in history.stderr
    assert "2 commits skipped: the source did not load" in history.stdout + history.stderr
    source.write_text(EXAMPLE_TEXT.replace("as_of: 2025-11-27", "as_of: 2025-11-28", 1), encoding="utf-8")
    commit = run_cli("commit", "--dry-run", cwd=repo)
    assert commit.returncode == 0, commit.stderr
    assert "Traceback" not in commit.stderr
    assert "does not load" in commit.stdout  # described as the first commit, as the README says


# --- the evidence file ----------------------------------------------------------------------------

EVIDENCE = """version: 1
tasks:
  rate-limit-module:
    passed: true
    ran_at: {ran_at}
    commit: abc
    commands: []
"""


@pytest.mark.parametrize(("ran_at", "message"), [
    ("2025-02-30", "5:13: tasks.rate-limit-module.ran_at: 2025-02-30 is not a valid date: "
                   "day is out of range for month"),
    ("2025-11-27T99:00:00Z", "5:13: tasks.rate-limit-module.ran_at: 2025-11-27T99:00:00Z is not a valid "
                             "date and time: hour must be in 0..23"),
    ("1764201600", "5:13: tasks.rate-limit-module.ran_at: expected a time such as 2025-11-27T10:00:00Z, "
                   "found the number 1764201600 (the evidence file is written by `readiness verify`)"),
    # quoted, as verify writes it: read as the same text unquoted is, with the same message
    ("'2025-02-30T10:00:00Z'", "5:13: tasks.rate-limit-module.ran_at: 2025-02-30T10:00:00Z is not a valid date "
                               "and time: day is out of range for month (the evidence file is written by "
                               "`readiness verify`)"),
    ("'2025-11-27T99:00:00Z'", "5:13: tasks.rate-limit-module.ran_at: 2025-11-27T99:00:00Z is not a valid date "
                               "and time: hour must be in 0..23 (the evidence file is written by `readiness "
                               "verify`)"),
    ("'1764201600'", "5:13: tasks.rate-limit-module.ran_at: expected a time such as 2025-11-27T10:00:00Z, "
                     "found the text '1764201600' (the evidence file is written by `readiness verify`)"),
    # a time that does not exist in UTC, where it is shown and written again
    ("'9999-12-31T23:59:59-05:00'", "5:13: tasks.rate-limit-module.ran_at: 9999-12-31T23:59:59-05:00 falls "
                                    "after the last time there is, 9999-12-31T23:59:59Z, in UTC (the evidence "
                                    "file is written by `readiness verify`)"),
    ("9999-12-31T23:59:59-05:00", "5:13: tasks.rate-limit-module.ran_at: 9999-12-31T23:59:59-05:00 falls after "
                                  "the last time there is, 9999-12-31T23:59:59Z, in UTC (the evidence file is "
                                  "written by `readiness verify`)"),
    ("'0001-01-01T00:00:00+05:00'", "5:13: tasks.rate-limit-module.ran_at: 0001-01-01T00:00:00+05:00 falls "
                                    "before the first time there is, 0001-01-01T00:00:00Z, in UTC (the "
                                    "evidence file is written by `readiness verify`)"),
])
def test_an_evidence_file_that_does_not_load_is_one_located_line(ran_at: str, message: str,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_text(EXAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "content" / "evidence.yaml").write_text(EVIDENCE.format(ran_at=ran_at), encoding="utf-8")
    (tmp_path / ".git").mkdir()
    for command in (("check",), ("status",), ("check", "--format", "json")):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [f"content/evidence.yaml:{message}"]


# --- encodings ------------------------------------------------------------------------------------


def test_a_byte_that_is_not_utf8_is_located_by_line_and_column(tmp_path: Path) -> None:
    latin1 = EXAMPLE_TEXT.encode().replace(b"  name: Wallet service\n", b"  name: Caf\xe9\n", 1)  # Latin-1 é
    (tmp_path / "s.yaml").write_bytes(latin1)
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines() == ["s.yaml:11:12: not UTF-8 text (byte 0xE9): save the file as UTF-8"]


@pytest.mark.parametrize("newline", [b"\r", b"\r\n", b"\n"])
def test_a_bad_byte_is_located_on_the_line_yaml_counts(newline: bytes, tmp_path: Path) -> None:
    # A file with CR line breaks only (old Mac) has lines too, for the loader and for this message.
    text = EXAMPLE_TEXT.encode().replace(b"  name: Wallet service\n", b"  name: Caf\xe9\n", 1)
    (tmp_path / "s.yaml").write_bytes(text.replace(b"\n", newline))
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines() == ["s.yaml:11:12: not UTF-8 text (byte 0xE9): save the file as UTF-8"]
    control = EXAMPLE_TEXT.replace("  name: Wallet service\n", "  name: Caf\x07\n", 1)
    (tmp_path / "s.yaml").write_bytes(control.encode().replace(b"\n", newline))
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.stderr.splitlines() == ["s.yaml:11:12: the character U+0007 is not allowed in YAML"]


def test_the_column_of_a_bad_byte_counts_characters(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes("project:\n  name: \u00e9t\u00e9 ".encode() + b"\x80\n")
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.stderr.splitlines() == ["s.yaml:2:13: not UTF-8 text (byte 0x80): save the file as UTF-8"]


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                               ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32"),
                                               ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_utf16_is_named_with_what_to_do(encoding: str, name: str, tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes(EXAMPLE_TEXT.encode(encoding))  # with a byte-order mark, or without
    result = run_cli("check", "s.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines() == [f"s.yaml:1:1: the file looks like {name} text: save it as UTF-8"]


def test_an_evidence_file_in_utf16_is_named_too(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "readiness.yaml").write_text(EXAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "content" / "evidence.yaml").write_bytes(EVIDENCE.format(ran_at="2025-11-27").encode("utf-16"))
    (tmp_path / ".git").mkdir()
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines() == ["content/evidence.yaml:1:1: the file looks like UTF-16 text: "
                                          "save it as UTF-8"]


# --- numbers at the edges of what is allowed -------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [
    ("effort: 24\n", "effort: 0.01\n"),  # the smallest effort other than 0
    ("effort: 24\n", "effort: 1m\n"),
    ("effort: 24\n", "effort: 0\n"),
    ("effort: 24\n", "effort: 0.0\n"),
    ("weight: 14", "weight: 0.001"),  # the smallest weight
    ("effort: 24\n", "effort: 07\n"),  # a leading 0 that YAML 1.1 and 1.2 read alike
    ("effort: 24\n", "effort: 0x18\n"),
])
def test_numbers_both_yaml_versions_read_alike_load(old: str, new: str) -> None:
    assert old in EXAMPLE_TEXT
    load_text(EXAMPLE_TEXT.replace(old, new, 1), "s.yaml")


# --- pages a role names -----------------------------------------------------------------------------


def test_a_page_a_role_names_must_exist(tmp_path: Path) -> None:
    text = EXAMPLE_TEXT.replace("pages: [executive-summary, start-here]",
                                "pages: [executive-sumary, start-here]")
    write_project = tmp_path / "content" / "readiness.yaml"
    write_project.parent.mkdir()
    write_project.write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    line = ("content/readiness.yaml:32:13: roles[0].pages[0]: no page 'executive-sumary'; did you mean "
            "'executive-summary'? the pages are: executive-summary, implementation-status, index, "
            "production-tracker, runbook, start-here")
    for command in (("check",), ("check", "--ci"), ("build",)):
        result = run_cli(*command, cwd=tmp_path)
        assert (result.returncode, result.stderr.splitlines()) == (3, [line]), command
    assert not (tmp_path / "docs").exists()
    # a page of the project's own templates is a page too
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "executive-sumary.md.j2").write_text("# Mine\n", encoding="utf-8")
    assert run_cli("check", cwd=tmp_path).returncode == 0
    # and so in the templates folder the MkDocs plugin names
    (tmp_path / "templates").rename(tmp_path / "pages-src")
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - readiness:\n      templates: pages-src\n",
                                         encoding="utf-8")
    assert run_cli("check", cwd=tmp_path).returncode == 0
