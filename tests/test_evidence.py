"""The evidence file and the evidence figures: round trip, stable text, states, milestones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from readiness.errors import SourceError, WouldLoseData
from readiness.figures.assessment import assess_project
from readiness.figures.evidence import FAILED, NEVER, NO_COMMANDS, STALE, VERIFIED, check_tasks
from readiness.source.evidence import CommandResult, EvidenceFile, evidence_text, load_evidence
from readiness.source.loader import load_text
from readiness.verify.record import save_evidence
from tests.support import EXAMPLE
from tests.support.cli import run_cli, write_tree
from tests.support.sources import source_text

UTC = dt.timezone.utc


def _result(command: str, passed: bool = True, day: int = 20) -> CommandResult:
    return CommandResult(command=command, passed=passed, exit_code=0 if passed else 1, duration_seconds=0.25,
                         commit="a" * 40, ran_at=dt.datetime(2025, 11, day, 9, 30, tzinfo=UTC),
                         message=None if passed else "exit 1", output_tail=None if passed else "why\n")


def test_evidence_file_round_trip(tmp_path: Path) -> None:
    evidence = EvidenceFile().with_task("zeta", [_result("true")]).with_task(
        "alpha", [_result("make test"), _result("make lint", passed=False)])
    path = tmp_path / "evidence.yaml"
    save_evidence(path, evidence)
    loaded = load_evidence(path)
    assert loaded == evidence
    text = path.read_text()
    assert text.startswith("# Written by `readiness verify`")
    assert text.index("alpha:") < text.index("zeta:")  # sorted by id: small, stable diffs
    assert "ran_at: '2025-11-20T09:30:00Z'" in text
    save_evidence(path, loaded)
    assert path.read_text() == text  # writing again changes nothing
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind


def test_replacing_a_task_keeps_the_others() -> None:
    evidence = EvidenceFile().with_task("a", [_result("x")]).with_task("b", [_result("y")])
    again = evidence.with_task("a", [_result("x", passed=False)])
    assert not again.tasks["a"].passed
    assert again.tasks["b"] == evidence.tasks["b"]


def test_an_absent_or_empty_evidence_file_is_empty(tmp_path: Path) -> None:
    assert load_evidence(tmp_path / "evidence.yaml") == EvidenceFile()
    (tmp_path / "evidence.yaml").write_text("")
    assert load_evidence(tmp_path / "evidence.yaml") == EvidenceFile()


def test_a_broken_evidence_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text("version: 1\ntasks:\n  a: {passed: maybe}\n")
    with pytest.raises(SourceError) as caught:
        load_evidence(path)
    assert "\n" not in str(caught.value)
    assert "tasks.a" in str(caught.value)


def test_the_evidence_file_refuses_to_write_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("mine\n")
    (tmp_path / "evidence.yaml").symlink_to(target)
    with pytest.raises(Exception, match="symbolic link"):
        save_evidence(tmp_path / "evidence.yaml", EvidenceFile())
    assert target.read_text() == "mine\n"


def test_the_evidence_file_refuses_a_linked_folder_in_the_project(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (repo / ".git").mkdir(parents=True)
    elsewhere.mkdir()
    (repo / "content").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(WouldLoseData, match="content is a symbolic link") as caught:
        save_evidence(repo / "content" / "evidence.yaml", EvidenceFile())
    assert caught.value.exit_code == 4
    assert list(elsewhere.iterdir()) == []
    save_evidence(elsewhere / "evidence.yaml", EvidenceFile())  # the real folder, in no project: written
    assert [p.name for p in elsewhere.iterdir()] == ["evidence.yaml"]


def _model(**settings: object) -> object:
    tasks: list[dict[str, object]] = [
        {"id": "fresh", "status": "done", "verify": ["ok"]},
        {"id": "old", "status": "done", "verify": ["ok"]},
        {"id": "broken", "status": "done", "verify": ["ok"]},
        {"id": "never", "status": "done", "verify": ["ok"]},
        {"id": "changed", "status": "done", "verify": ["new command"]},
        {"id": "manual", "status": "done", "deliverables": ["README.md", "missing.txt"]},
        {"id": "todo", "status": "pending", "priority": "P1", "verify": ["ok"]},
    ]
    milestones = [{"id": "beta", "title": "Beta", "requires": {"tasks": ["fresh"]}},
                  {"id": "prod", "title": "Production", "requires": {"tasks": ["fresh", "old"]}}]
    return load_text(source_text(tasks, milestones=milestones, **settings))  # type: ignore[arg-type]


EVIDENCE = (EvidenceFile()
            .with_task("fresh", [_result("ok", day=25)])
            .with_task("old", [_result("ok", day=1)])
            .with_task("broken", [_result("ok", passed=False, day=25)])
            .with_task("changed", [_result("old command", day=25)]))


def test_each_done_task_gets_a_state(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "hi\n"})
    model = _model(evidence={"max_age_days": 14})
    report = assess_project(model, root=tmp_path, evidence=EVIDENCE).evidence  # type: ignore[arg-type]
    states = {c.task.id: c.state for c in report.tasks}
    assert states == {"fresh": VERIFIED, "old": STALE, "broken": FAILED, "never": NEVER,
                      "changed": NEVER, "manual": NO_COMMANDS}
    assert report.task("old").age_days == 26  # from project.as_of, 2025-11-27
    assert report.task("manual").missing == ("missing.txt",)
    assert report.task("old").reasons == ("verified 26 days ago",)
    flagged = sorted(c.task.id for c in report.tasks if c.flagged)
    assert flagged == ["broken", "changed", "manual", "never", "old"]
    assert report.claimed_but_unverified == 5
    assert report.verified == 1


def test_age_counts_from_an_explicit_now_and_the_default_is_30_days() -> None:
    model = _model()
    report = check_tasks(model, EVIDENCE, None, now=dt.datetime(2025, 11, 28, tzinfo=UTC))  # type: ignore[arg-type]
    assert report.max_age_days == 30
    assert report.task("old").state == VERIFIED
    later = check_tasks(model, EVIDENCE, None, now=dt.date(2026, 1, 2))  # type: ignore[arg-type]
    assert later.task("old").state == STALE
    assert later.task("fresh").age_days == 38


def test_a_milestone_can_require_verified_tasks() -> None:
    model = _model(evidence={"max_age_days": 14, "require_verified_for": ["prod"]})
    assessment = assess_project(model, evidence=EVIDENCE)  # type: ignore[arg-type]
    beta, prod = assessment.milestone("beta"), assessment.milestone("prod")
    assert beta.reached
    assert not beta.requires_verified
    assert prod.requires_verified
    assert not prod.reached
    assert prod.state == "awaiting verification"
    assert [t.id for t in prod.unverified] == ["old"]
    renewed = EVIDENCE.with_task("old", [_result("ok", day=26)])
    assert assess_project(model, evidence=renewed).milestone("prod").reached  # type: ignore[arg-type]


def test_require_verified_for_names_a_real_milestone() -> None:
    with pytest.raises(SourceError) as caught:
        _model(evidence={"require_verified_for": ["prodution"]})
    assert "evidence.require_verified_for[0]: no milestone with id 'prodution'" in str(caught.value)


def test_evidence_text_is_stable_across_insertion_order() -> None:
    one = EvidenceFile().with_task("b", [_result("x")]).with_task("a", [_result("y")])
    two = EvidenceFile().with_task("a", [_result("y")]).with_task("b", [_result("x")])
    assert evidence_text(one) == evidence_text(two)


def test_check_json_carries_the_verification_report(tmp_path: Path) -> None:
    result = run_cli("check", "--format", "json", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    verification = data["verification"]
    assert verification["max_age_days"] == 30
    assert verification["claimed_but_unverified"] == len(verification["tasks"]) - sum(
        1 for t in verification["tasks"] if t["state"] == "no verify commands" and not t["missing"])
    assert data["gate"] == {"passed": True, "failures": []}
    assert data["score"] == 78  # the example's figures are unchanged by the new setting


@pytest.mark.parametrize("output", ["plain\n", "trailing space \nnext\n", "no newline", "\x1b[31mred\x1b[0m\n",
                                    "  indented first\nline\n", "tab\there\n", "ünïcode ✓\n", "\n\n"])
def test_any_output_tail_round_trips(tmp_path: Path, output: str) -> None:
    result = _result("x", passed=False).model_copy(update={"output_tail": output})
    evidence = EvidenceFile().with_task("a", [result])
    save_evidence(tmp_path / "evidence.yaml", evidence)
    assert load_evidence(tmp_path / "evidence.yaml").tasks["a"].commands[0].output_tail == output
