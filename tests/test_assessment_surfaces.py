"""Every surface states the assessment's verdicts: pages, `status`, JSON and the gate agree.

Sources are generated with blocked tasks, ranged efforts, waivers (active and expired),
``require_verified_for`` and tasks without verify commands; for each, the milestone states,
go/no-go decisions and the order of the plan are read back from every surface and compared
with the one assessment.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.app.status import status_lines
from readiness.figures.assessment import Assessment, assess_project, assessment_json
from readiness.figures.gate import gate_failures
from readiness.figures.states import STATES
from readiness.pages.render import render_pages
from readiness.source.loader import load_text
from readiness.source.models import Readiness

AS_OF = dt.date(2025, 3, 1)


@st.composite
def sources(draw: st.DrawFn) -> str:
    """A valid source with the parts that decide verdicts drawn at random."""
    count = draw(st.integers(1, 9))
    tasks = []
    for index in range(count):
        task: dict[str, object] = {
            "id": f"t{index}",
            "title": f"Task {index}",
            "phase": "p",
            "priority": f"P{draw(st.integers(0, 2))}",
            "status": draw(st.sampled_from(["done", "pending", "in progress", "blocked"])),
        }
        effort = draw(st.one_of(st.none(), st.integers(1, 40),
                                st.tuples(st.integers(1, 20), st.integers(0, 20))))
        if isinstance(effort, tuple):
            task["effort"] = f"{effort[0]}-{effort[0] + effort[1]}"
        elif effort is not None:
            task["effort"] = effort
        earlier = list(range(index))
        if earlier:
            picked = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
            task["depends_on"] = [f"t{i}" for i in picked]
        if draw(st.booleans()):
            task["verify"] = [f"make check-{index}"]
        if task["status"] != "done" and draw(st.integers(0, 4)) == 0:
            until = AS_OF + dt.timedelta(days=draw(st.sampled_from([-5, 0, 30])))
            task["waiver"] = {"kind": draw(st.sampled_from(["not applicable", "accepted risk"])),
                              "by": "Ana", "reason": "decided", "until": until.isoformat()}
        tasks.append(task)
    milestones = []
    for index in range(draw(st.integers(0, 3))):
        milestone: dict[str, object] = {"id": f"m{index}", "title": f"Milestone {index}",
                                        "requires": {"priority": f"P{index}"}}
        if draw(st.booleans()):
            milestone["date"] = (AS_OF + dt.timedelta(days=draw(st.integers(-10, 60)))).isoformat()
        if draw(st.booleans()):
            milestone["target_score"] = draw(st.integers(0, 100))
        if draw(st.booleans()):
            milestone["sign_off"] = [{"text": f"Criterion {index}",
                                      "tasks": [draw(st.sampled_from([t["id"] for t in tasks]))]}]
        milestones.append(milestone)
    required = [m["id"] for m in milestones if draw(st.booleans())]
    source = {
        "project": {"name": "Generated", "as_of": AS_OF.isoformat(), "capacity_hours_per_week": 20},
        "phases": [{"id": "p", "title": "Phase"}],
        "tasks": tasks,
        "milestones": milestones,
        "evidence": {"require_verified_for": required},
    }
    return str(yaml.safe_dump(source, sort_keys=False))


def _verdicts_on_the_executive_summary(page: str) -> dict[str, tuple[str, str]]:
    found = {}
    boxes = r'^(?:!!!|\?\?\?) \w+ "(.+?): (GO|NO-GO), (.+?)"$'
    for title, decision, state in re.findall(boxes, page, re.MULTILINE):
        found[title] = (decision.lower(), state)
    return found


def _words(state: str) -> str:
    """The state as the pages word it (partials/common.md.j2, milestone_state)."""
    return {"unknown": "no expected date", "no date": "no date set",
            "out of reach": "cannot reach its target with its required tasks"}.get(state, state)


def _assert_surfaces_agree(model: Readiness, assessment: Assessment) -> None:
    pages = render_pages(assessment, built_on=AS_OF)
    data = assessment_json(assessment)
    lines = list(status_lines(assessment, colour=False, limit=len(assessment.plan) or 1))
    failures = gate_failures(assessment, milestones=[m.id for m in model.milestones])

    # milestone states and decisions
    on_page = _verdicts_on_the_executive_summary(pages["executive-summary.md"])
    for status, as_json in zip(assessment.milestones, data["milestones"], strict=True):
        title = status.milestone.title
        assert status.state in STATES
        assert (as_json["state"], as_json["decision"]) == (status.state, status.decision)
        decision, words = on_page[title]
        assert decision == status.decision
        assert words.startswith(_words(status.state))
        said = f": {status.decision.upper()}, {status.state}"
        assert any(line.startswith(f"  {title} (") and line.endswith(said) for line in lines), (title, lines)
        failed = [f.message for f in failures if f.message.startswith(f"milestone {status.milestone.id} ")]
        if status.reached:
            assert failed == []
            assert status.decision == "go"
        else:
            assert failed == [f"milestone {status.milestone.id} is no-go ({status.state}): "
                              + "; ".join(status.reasons)]
        if status.blocked:
            assert status.state in ("missed", "blocked")
            assert status.on_track is not True
        assert "Proceed" not in pages["executive-summary.md"]

    # the next milestone's verdict box is the one open, first on the executive summary
    opened = re.findall(r'^!!! \w+ "(.+?): (?:GO|NO-GO), ', pages["executive-summary.md"], re.MULTILINE)
    upcoming = assessment.next_milestone
    if upcoming is not None:
        assert opened == [upcoming.milestone.title]
    else:
        assert opened == [m.milestone.title for m in assessment.milestones]

    # Start here says the next milestone's verdict in one line, in the same words
    said_first = r"^Next milestone: \*\*(.+?): (GO|NO-GO), (.+?)\*\*"
    upcoming_line = re.search(said_first, pages["start-here.md"], re.M)
    if upcoming is not None:
        assert upcoming_line is not None
        assert (upcoming_line.group(1), upcoming_line.group(2).lower()) == (upcoming.milestone.title,
                                                                            upcoming.decision)
        assert upcoming_line.group(3).startswith(_words(upcoming.state))
    else:
        assert upcoming_line is None

    # the plan: every "next" list is a prefix of it
    plan = [s.task.id for s in assessment.plan]
    assert [s["task"] for s in data["plan"]["steps"]] == plan
    assert data["next_tasks"] == plan[:5]
    shown = [m.group(1) for m in (re.match(r"  \d+\. P\d (\S+):", line) for line in lines) if m]
    assert shown == plan
    tracker = re.findall(r"^\d+\. \[.+?\]\(#task-(t\d+)\)", pages["production-tracker.md"], re.MULTILINE)
    assert tracker == plan[:10]
    start = re.findall(r"^### \d+\. Task (\d+)$", pages["start-here.md"], re.MULTILINE)
    assert [f"t{i}" for i in start] == plan[:3]
    position = {task_id: i for i, task_id in enumerate(plan)}
    for step in assessment.plan:  # never before what it waits for
        assert all(position[d.id] < position[step.task.id] for d in step.waits_for)
    held = {h.task.id for h in assessment.held}
    assert not held & set(plan)
    assert held | set(plan) == {t.id for t in model.tasks if not t.is_done}

    # boxes: never ticked for work that is not done, or done but claimed
    for task in model.tasks:
        box = assessment.box(task)
        assert (box == "ticked") == (task.is_done and not assessment.evidence.task(task.id).flagged)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_every_surface_states_the_same_verdicts_and_plan(text: str) -> None:
    model = load_text(text, "generated.yaml")
    _assert_surfaces_agree(model, assess_project(model))
