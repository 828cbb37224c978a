"""readiness check --ci: every failure kind, one line each, exit codes, the JSON report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from readiness.figures import gate
from readiness.figures.assessment import assess_project
from readiness.pages.site import pages_out_of_date
from readiness.source.evidence import CommandResult, EvidenceFile
from readiness.source.loader import load_text
from readiness.verify.record import save_evidence
from tests.support import ROOT
from tests.support.cli import run_cli, write_tree
from tests.support.git import git
from tests.support.sources import source_text

TASKS: list[dict[str, object]] = [
    {"id": "shipped", "status": "done", "deliverables": ["present.txt"], "verify": ["true"]},
    {"id": "claimed", "status": "done", "priority": "P1", "deliverables": ["gone.txt"]},
    {"id": "todo", "status": "pending", "priority": "P2"},
]
MILESTONES: list[dict[str, object]] = [
    {"id": "beta", "title": "Beta", "requires": {"tasks": ["shipped"]}},
    {"id": "ga", "title": "GA", "requires": {"priority": "P2"}},
]


def _project(root: Path, *, verified: bool = True, evidence: dict[str, object] | None = None,
             housekeeping: dict[str, object] | None = None) -> None:
    """The project; with VERIFIED, `shipped` has a passing, fresh verify run (a done task with verify
    commands and no run is claimed, not ticked, so it would hold back every milestone needing it)."""
    write_tree(root, {"content/readiness.yaml": source_text(TASKS, milestones=MILESTONES, evidence=evidence,
                                                                 housekeeping=housekeeping),
                      "present.txt": "here\n", "gone.txt": "for now\n"})
    (root / ".git").mkdir()  # deliverables are looked up from the repository root
    if verified:
        _verify_shipped(root / "content" / "evidence.yaml")


def _verify_shipped(path: Path) -> None:
    passed = CommandResult(command="true", passed=True, exit_code=0, duration_seconds=0.1, commit="a" * 40,
                           ran_at=dt.datetime(2025, 11, 26, 9, 0, tzinfo=dt.timezone.utc))
    save_evidence(path, EvidenceFile().with_task("shipped", [passed]))


def test_passing_gate(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("check", "--ci", "--min-score", "50", "--milestone", "beta", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_score_below_the_minimum(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("check", "--ci", "--min-score", "95", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["readiness: score 83 is below the minimum 95"]


def test_milestone_not_reached(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("check", "--ci", "--milestone", "ga", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "readiness: milestone ga is no-go (unknown): 1 required task open (0\u00a0h + 1 unestimated task); "
        "1 open task without an estimate"]


def test_milestone_held_back_by_missing_verification(tmp_path: Path) -> None:
    _project(tmp_path, verified=False, evidence={"require_verified_for": ["beta"]})
    result = run_cli("check", "--ci", "--milestone", "beta", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "readiness: milestone beta is no-go (awaiting verification): 1 done task not verified: shipped"]


def test_missing_deliverables_fail_only_with_ci(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "gone.txt").unlink()
    assert run_cli("check", cwd=tmp_path).returncode == 0
    result = run_cli("check", "--ci", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "readiness: task claimed is done but its deliverables are missing: gone.txt"]


def test_every_failure_is_its_own_line(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "gone.txt").unlink()
    result = run_cli("check", "--ci", "--min-score", "90", "--milestone", "ga", "--milestone", "beta",
                     cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "readiness: score 83 is below the minimum 90",
        # a done task whose deliverables are missing is claimed, not ticked: it holds ga back too
        "readiness: milestone ga is no-go (unknown): 1 required task open (0\u00a0h + 1 unestimated task); "
        "1 done task not verified: claimed; 1 open task without an estimate",
        "readiness: task claimed is done but its deliverables are missing: gone.txt",
    ]


def test_json_report_of_the_gate(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("check", "--ci", "--format", "json", "--min-score", "90", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["gate"] == {"passed": False, "failures": [
        {"kind": "min-score", "message": "score 83 is below the minimum 90"}]}


def test_an_invalid_source_stays_exit_3(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/readiness.yaml": "project: [\n"})
    result = run_cli("check", "--ci", "--min-score", "10", cwd=tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr


def test_an_unknown_milestone_is_a_usage_error(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run_cli("check", "--ci", "--milestone", "gamma", cwd=tmp_path)
    assert result.returncode == 2
    assert "no milestone with id 'gamma'" in result.stderr


def test_stale_pages_fail_the_gate_when_pages_are_kept_on_disk(tmp_path: Path) -> None:
    _project(tmp_path, housekeeping={"pages_dir": "docs/readiness"})
    built = run_cli("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    fresh = run_cli("check", "--ci", "--min-score", "0", cwd=tmp_path)
    assert "stale" not in fresh.stderr
    source = tmp_path / "content/readiness.yaml"
    source.write_text(source.read_text().replace("\"status\": \"pending\"", "\"status\": \"done\""))
    model = load_text(source.read_text())
    assessment = assess_project(model, root=tmp_path)
    stale = pages_out_of_date(assessment, source, tmp_path)
    assert "executive-summary.md" in stale
    failures = gate.gate_failures(assessment, stale=stale, deliverables=False)
    assert ("stale-pages", "page executive-summary.md is stale: run `readiness build`") in [
        (f.kind, f.message) for f in failures]
    result = run_cli("check", "--ci", cwd=tmp_path)
    assert result.returncode == 1
    assert "readiness: page executive-summary.md is stale: run `readiness build`" in result.stderr.splitlines()
    without = load_text(source_text(TASKS, milestones=MILESTONES))
    assert pages_out_of_date(assess_project(without), source, tmp_path) == []


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "readiness-check")
    assert hook["language"] == "python"
    assert hook["entry"].startswith("readiness check")
    assert hook["pass_filenames"] is False
    import re

    assert re.search(hook["files"], "content/readiness.yaml")
    assert not re.search(hook["files"], "content/other.yaml")


def test_reached_means_the_same_in_status_json_pages_and_the_gate_until_verified(repo: Path) -> None:
    """A milestone that requires verified tasks, its work done but not verified, is "awaiting
    verification" everywhere (not "reached" on the pages and in `status` while the gate says no);
    once `readiness verify` passes, it is reached everywhere."""
    tasks: list[dict[str, object]] = [{"id": "shipped", "status": "done", "verify": ["true"]}]
    milestones: list[dict[str, object]] = [
        {"id": "beta", "title": "Beta", "date": "2025-12-04", "requires": {"tasks": ["shipped"]}}]
    write_tree(repo, {"content/readiness.yaml": source_text(
        tasks, milestones=milestones, evidence={"require_verified_for": ["beta"]})})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "source")

    def everywhere() -> tuple[int, str, dict[str, object], dict[str, str]]:
        gate = run_cli("check", "--milestone", "beta", cwd=repo)
        status = run_cli("status", cwd=repo)
        data = json.loads(run_cli("check", "--format", "json", cwd=repo).stdout)
        built = run_cli("build", "--out", str(repo.parent / "pages"), cwd=repo)
        assert status.returncode == built.returncode == 0, status.stderr + built.stderr
        pages = {p.name: p.read_text(encoding="utf-8") for p in (repo.parent / "pages").glob("*.md")}
        lines = status.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("  Beta"))
        beta_lines = [lines[at], *(line for line in lines[at + 1:] if line.startswith("    "))]
        return gate.returncode, "\n".join(beta_lines), data["milestones"][0], pages

    code, line, as_json, pages = everywhere()
    assert code == 1
    assert line == ("  Beta (reaches 100/100, due 2025-12-04): NO-GO, awaiting verification\n"
                    "    - 1 done task not verified: shipped")
    assert (as_json["reached"], as_json["state"], as_json["unverified_tasks"]) == (
        False, "awaiting verification", ["shipped"])
    summary = pages["executive-summary.md"]
    assert "| Beta | 2025-12-04 | — | 100/100 | 0\u00a0h | — | awaiting verification |" in summary
    assert "Every milestone is reached" not in summary
    assert "**Beta awaits verification**: every required task is done, but 1 task has no passing, " \
           "fresh verify result: [shipped](production-tracker.md#task-shipped) " \
           "(run <code>readiness verify shipped</code>)." in summary
    status_page = pages["implementation-status.md"]
    assert "### Beta: no-go" in status_page
    assert "Target 2025-12-04: awaiting verification." in status_page
    assert "- 1 done task not verified&#58; shipped\n" in status_page
    assert "every task Beta needs is done, but it waits for verification" in pages["start-here.md"]

    verified = run_cli("verify", "--yes", cwd=repo)
    assert verified.returncode == 0, verified.stderr
    code, line, as_json, pages = everywhere()
    assert code == 0
    assert line == ("  Beta (reaches 100/100, due 2025-12-04): GO, reached\n"
                    "    - every required task is done")
    assert (as_json["reached"], as_json["state"], as_json["unverified_tasks"]) == (True, "reached", [])
    assert "Every milestone is reached" in pages["executive-summary.md"]
    assert "### Beta: go" in pages["implementation-status.md"]
    assert "- every required task is done\n" in pages["implementation-status.md"]
    assert "not verified" not in pages["implementation-status.md"]


def test_a_milestone_held_back_by_verification_and_sign_off_names_both(tmp_path: Path) -> None:
    signed = [{**MILESTONES[0], "sign_off": [{"text": "Beta go decision"}]}, MILESTONES[1]]
    write_tree(tmp_path, {"content/readiness.yaml": source_text(
        TASKS, milestones=signed, evidence={"require_verified_for": ["beta"]}), "present.txt": "here\n"})
    (tmp_path / ".git").mkdir()
    result = run_cli("check", "--milestone", "beta", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "readiness: milestone beta is no-go (awaiting verification): 1 done task not verified: shipped; "
        "1 sign-off criterion not ticked: Beta go decision"]
