"""The one assessment: each verdict rule on an example, and the surfaces that read it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from readiness.figures.assessment import Assessment, assess_project, assessment_json
from readiness.pages.render import render_pages
from readiness.source.evidence import CommandResult, EvidenceFile
from readiness.source.loader import load_text
from readiness.source.mark import set_status
from readiness.source.models import Readiness

HEAD = """project: {name: Shop, as_of: 2025-03-01, capacity_hours_per_week: 10}
phases: [{id: p, title: Phase}]
"""


def assessed(text: str, evidence: EvidenceFile | None = None) -> tuple[Readiness, Assessment]:
    model = load_text(HEAD + text, "t.yaml")
    return model, assess_project(model, evidence=evidence)


def test_a_fresh_project_is_a_no_go_with_its_verdict_first() -> None:
    _, a = assessed("""tasks:
  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 4}
milestones:
  - {id: prod, title: Production, date: 2025-04-01, requires: {priority: P0}}
""")
    prod = a.milestone("prod")
    assert (prod.state, prod.decision) == ("on track", "no-go")
    page = render_pages(a, built_on=dt.date(2025, 3, 1))["executive-summary.md"]
    assert "Proceed" not in page
    first = page.index("!!! ")
    assert first < page.index("Production readiness:")
    assert first < page.index("## ")
    assert 'Production: NO-GO, on track"' in page


def test_a_blocked_required_task_is_never_on_track() -> None:
    _, a = assessed("""tasks:
  - {id: a, title: A, phase: p, priority: P0, status: blocked, effort: 1}
  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 1, depends_on: [a]}
  - {id: c, title: C, phase: p, priority: P1, status: pending, effort: 1}
milestones:
  - {id: beta, title: Beta, date: 2025-06-01, requires: {priority: P0}}
""")
    beta = a.milestone("beta")
    assert beta.state == "blocked"
    assert beta.on_track is False
    assert beta.decision == "no-go"
    assert [t.id for t in beta.blocked] == ["a", "b"]
    assert "a is blocked" in beta.reasons
    assert "b waits for blocked work" in beta.reasons
    assert [t.id for t in beta.blockers][:2] == ["a", "b"]
    assert [s.task.id for s in a.plan] == ["c"]
    assert {h.task.id: [t.id for t in h.blocked_by] for h in a.held} == {"a": ["a"], "b": ["a"]}


def test_required_work_without_a_verify_command_cannot_be_verified() -> None:
    _, a = assessed("""tasks:
  - {id: a, title: A, phase: p, priority: P0, status: done}
  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 2, verify: [make b]}
milestones:
  - {id: beta, title: Beta, date: 2025-06-01, requires: {priority: P0}}
evidence: {require_verified_for: [beta]}
""")
    beta = a.milestone("beta")
    assert beta.state == "cannot be verified"
    assert beta.eta is not None
    assert beta.on_track is False
    assert [t.id for t in beta.cannot_verify] == ["a"]
    data = assessment_json(a)
    assert data["schema_version"] == 2
    assert data["milestones"][0]["state"] == "cannot be verified"
    assert data["milestones"][0]["unverifiable_tasks"] == ["a"]


def test_done_but_unverified_work_is_claimed_never_ticked() -> None:
    source = """tasks:
  - {id: a, title: A, phase: p, priority: P0, status: done, verify: [make a], checklist: [Step one]}
milestones:
  - id: beta
    title: Beta
    requires: {priority: P0}
    sign_off: [{text: A holds, tasks: [a]}]
"""
    _, a = assessed(source)
    beta = a.milestone("beta")
    assert a.box(a.model.tasks[0]) == "claimed"
    assert beta.state == "awaiting verification"
    assert not beta.reached
    assert beta.sign_off[0].state == "claimed"
    pages = render_pages(a, built_on=dt.date(2025, 3, 1))
    assert "[x]" not in "".join(pages.values())
    assert "- [ ] Step one (claimed done, not verified)" in pages["production-tracker.md"]
    ran = dt.datetime(2025, 3, 1, 10, tzinfo=dt.timezone.utc)
    passed = EvidenceFile().with_task("a", [CommandResult(command="make a", passed=True, exit_code=0,
                                                          duration_seconds=1, commit=None, ran_at=ran)])
    _, verified = assessed(source, passed)
    assert verified.milestone("beta").state == "reached"
    assert verified.milestone("beta").decision == "go"
    assert "- [x] Step one" in render_pages(verified, built_on=dt.date(2025, 3, 1))["production-tracker.md"]


def test_the_critical_path_is_the_longest_chain_by_the_high_end() -> None:
    _, a = assessed("""tasks:
  - {id: short, title: S, phase: p, priority: P0, status: pending, effort: 10}
  - {id: wide, title: W, phase: p, priority: P0, status: pending, effort: 2-30}
""")
    assert [t.id for t in a.figures.critical_path] == ["wide"]
    hours = a.figures.critical_hours
    assert (hours.low, hours.high) == (2, 30)
    assert "high end" in assessment_json(a)["critical_path"]["rule"]


def test_a_waiver_counts_for_the_milestone_until_it_expires() -> None:
    def source(until: str) -> str:
        return f"""tasks:
  - {{id: a, title: A, phase: p, priority: P0, status: done}}
  - id: b
    title: B
    phase: p
    priority: P0
    status: pending
    effort: 8
    waiver: {{kind: accepted risk, by: Ana, reason: vendor patch pending, until: {until}}}
milestones:
  - {{id: beta, title: Beta, date: 2025-06-01, requires: {{priority: P0}}}}
"""
    model, active = assessed(source("2025-03-31"))
    beta = active.milestone("beta")
    assert beta.state == "reached"
    assert beta.decision == "go"
    assert [w.subject for w in beta.waived] == ["b"]
    assert active.figures.score < 100  # a waiver never adds to the score
    assert active.box(model.tasks[1]) == "waived"
    data = assessment_json(active)
    assert data["waivers"][0]["active"]
    assert data["milestones"][0]["waived"][0]["until"] == "2025-03-31"
    _, expired = assessed(source("2025-02-28"))
    beta = expired.milestone("beta")
    assert beta.state == "on track"
    assert beta.decision == "no-go"
    assert "the waiver of b expired on 2025-02-28" in beta.reasons


def test_the_plan_serves_the_next_milestone_first() -> None:
    _, a = assessed("""tasks:
  - {id: later, title: L, phase: p, priority: P0, status: pending, effort: 1}
  - {id: first, title: F, phase: p, priority: P2, status: pending, effort: 5}
  - {id: second, title: S, phase: p, priority: P1, status: pending, effort: 1, depends_on: [first]}
milestones:
  - {id: beta, title: Beta, requires: {tasks: [second]}}
  - {id: prod, title: Prod, requires: {priority: P0}}
""")
    plan = a.plan
    assert [s.task.id for s in plan] == ["first", "second", "later"]
    assert [s.milestone for s in plan] == ["beta", "beta", "prod"]
    assert plan[0].ready
    assert not plan[1].ready
    assert [t.id for t in plan[1].waits_for] == ["first"]


def test_mark_sets_and_clears_the_completion_date() -> None:
    text = HEAD + """tasks:
  - id: a
    title: A
    phase: p
    priority: P0
    status: pending
"""
    done = set_status(text, "a", "done", today=dt.date(2025, 3, 1))
    assert done == text.replace("status: pending\n", "status: done\n    completed: 2025-03-01\n")
    assert load_text(done, "t.yaml").tasks[0].completed == dt.date(2025, 3, 1)
    again = set_status(done, "a", "in progress")
    assert again == text.replace("status: pending", "status: in progress")
    redone = set_status(done.replace("status: done", "status: pending"), "a", "done", today=dt.date(2025, 3, 2))
    assert "completed: 2025-03-02" in redone
    assert redone.count("completed") == 1


def test_check_json_and_the_gate_say_the_same_state(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "readiness.yaml"
    source.write_text(HEAD + """tasks:
  - {id: a, title: A, phase: p, priority: P0, status: blocked, effort: 1}
milestones:
  - {id: beta, title: Beta, date: 2025-06-01, requires: {priority: P0}}
""")
    run = subprocess.run([sys.executable, "-m", "readiness", "check", str(source), "--format", "json",
                          "--milestone", "beta"], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert data["milestones"][0]["state"] == "blocked"
    assert data["gate"]["failures"][0]["message"] == "milestone beta is no-go (blocked): a is blocked; " \
        "1 required task open (1\u00a0h)"
    status = subprocess.run([sys.executable, "-m", "readiness", "status", "--source", str(source)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert "Beta (reaches 100/100, due 2025-06-01): NO-GO, blocked" in status.stdout


def test_a_commit_message_names_the_milestones_the_assessment_reaches(tmp_path: Path) -> None:
    from tests.support.commit import SOURCE, make_repo, readiness

    repo = make_repo(tmp_path / "repo")
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    assert readiness(repo, "mark", "rate-limit", "done").returncode == 0
    data = json.loads(readiness(repo, "check", SOURCE, "--format", "json").stdout)
    beta = next(m for m in data["milestones"] if m["id"] == "beta")
    assert (beta["state"], beta["decision"]) == ("reached", "go")
    assert "Beta (reaches" in readiness(repo, "status").stdout
    assert ": GO, reached" in readiness(repo, "status").stdout
    planned = readiness(repo, "commit", "--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert "Milestones reached" in planned.stdout
    assert "beta: Beta" in planned.stdout
    assert "completed: " in (repo / SOURCE).read_text()  # mark set the completion date


def test_a_commit_message_counts_the_verify_results_as_the_pages_do(tmp_path: Path) -> None:
    from tests.support.commit import BASE, SOURCE, make_repo, readiness

    verified = BASE.replace("    deliverables: [src/rate_limit.py]\n",
                            "    deliverables: [src/rate_limit.py]\n    verify: ['true']\n")
    verified = verified.replace("    deliverables: [src/audit.py]\n",
                                "    deliverables: [src/audit.py]\n    verify: ['true']\n")
    repo = make_repo(tmp_path / "repo", verified)
    (repo / "src" / "rate_limit.py").write_text("LIMIT = 10\n")
    assert readiness(repo, "mark", "rate-limit", "done").returncode == 0

    def beta_state() -> str:
        data = json.loads(readiness(repo, "check", SOURCE, "--format", "json").stdout)
        return str(next(m for m in data["milestones"] if m["id"] == "beta")["state"])

    # no verify run yet: claimed, not reached, and the message does not say it is
    assert beta_state() == "awaiting verification"
    assert "Milestones reached" not in readiness(repo, "commit", "--dry-run").stdout
    ran = readiness(repo, "verify", "--yes")
    assert ran.returncode == 0, ran.stderr
    assert beta_state() == "reached"
    planned = readiness(repo, "commit", "--dry-run")
    assert "Milestones reached" in planned.stdout
    assert "beta: Beta" in planned.stdout
