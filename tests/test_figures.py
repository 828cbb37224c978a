"""Figures are pure functions of the model; the example content reproduces its project's figures."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from readiness.errors import SourceError
from readiness.figures.assessment import assess_project, assessment_json, recently_completed
from readiness.figures.core import assess, longest_chain, timeline, to_json, whole_points
from readiness.source.loader import load_source, load_text
from tests.support import EXAMPLE
from tests.support.cli import run_cli

HEAD = "project: {name: X, as_of: 2025-01-06, capacity_hours_per_week: 10}\nphases: [{id: p, title: P}]\n"


def model_of(tasks: str, extra: str = "") -> object:
    return load_text(HEAD + "tasks:\n" + tasks + extra, "t.yaml")


def test_example_reproduces_the_wallet_service_figures() -> None:
    figures = assess(load_source(EXAMPLE))
    assert whole_points(figures.score) == 78
    assert {p.priority: whole_points(p.score) for p in figures.projections} == {
        "P0": 88, "P1": 93, "P2": 97, "P3": 100}
    assert whole_points(figures.tasks.percent) == 38
    p0 = next(g for g in figures.priorities if g.key == "P0")
    assert (p0.remaining.low, p0.remaining.high) == (34, 34)
    assessment = assess_project(load_source(EXAMPLE))
    assert [m.milestone.id for m in assessment.milestones if m.reached] == []
    assert whole_points(assessment.milestone("beta").score_at) == 88


def test_weight_defaults_to_priority_and_explicit_weight_wins() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: done}\n"      # weight 3
        "  - {id: b, title: B, phase: p, priority: P2, status: pending}\n"   # weight 1
        "  - {id: c, title: C, phase: p, priority: P1, status: pending, weight: 6}\n"
    )
    figures = assess(model)  # type: ignore[arg-type]
    assert figures.score == pytest.approx(100 * 3 / 10)
    assert figures.projection("P1") == pytest.approx(100 * 9 / 10)
    assert figures.projection("P2") == pytest.approx(100.0)


def test_score_rounds_half_up() -> None:
    assert whole_points(77.5) == 78
    assert whole_points(78.5) == 79
    assert whole_points(78.49) == 78


def test_critical_path_follows_dependencies_with_most_hours() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 2}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 10, depends_on: [a]}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: pending, effort: 11}\n"
        "  - {id: d, title: D, phase: p, priority: P0, status: done, effort: 50}\n"
        "  - {id: e, title: E, phase: p, priority: P0, status: pending, effort: 1, depends_on: [d, b]}\n"
    )
    figures = assess(model)  # type: ignore[arg-type]
    assert [t.id for t in figures.critical_path] == ["a", "b", "e"]
    assert figures.critical_hours.low == 13
    assert [t.id for t in longest_chain([])] == []


def test_milestone_eta_from_capacity_and_reached_flag() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 10-20}\n"
        "  - {id: b, title: B, phase: p, priority: P1, status: pending, effort: 5}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: done}\n",
        "milestones:\n"
        "  - {id: beta, title: Beta, date: 2025-01-14, requires: {priority: P0}}\n"
        "  - {id: named, title: Named, requires: {tasks: [c]}}\n",
    )
    assessment = assess_project(model)  # type: ignore[arg-type]
    beta = assessment.milestone("beta")
    assert [t.id for t in beta.open] == ["a"]
    assert beta.eta == dt.date(2025, 1, 13)       # 10 h at 10 h/week: 7 days
    assert beta.eta_late == dt.date(2025, 1, 20)  # 20 h: 14 days
    assert beta.on_track is False
    assert not beta.reached
    assert beta.state == "at risk"
    assert assessment.milestone("named").reached  # done, with no verify command to hold it back


def test_milestone_requires_the_dependencies_of_its_tasks() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P2, status: pending, effort: 1}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 1, depends_on: [a]}\n",
        "milestones:\n  - {id: m, title: M, requires: {priority: P0}}\n",
    )
    assessment = assess_project(model)  # type: ignore[arg-type]
    assert [t.id for t in assessment.milestone("m").open] == ["a", "b"]


def test_sign_off_is_ticked_only_by_data() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: done}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending}\n",
        "milestones:\n  - id: m\n    title: M\n    sign_off:\n"
        "      - {text: by task done, tasks: [a]}\n"
        "      - {text: by task open, tasks: [a, b]}\n"
        "      - {text: attested, attested: {by: Ann, date: 2025-01-02}}\n"
        "      - {text: awaiting}\n",
    )
    criteria = assess_project(model).milestone("m").sign_off  # type: ignore[arg-type]
    assert [(c.ticked, c.how) for c in criteria] == [
        (True, "tasks"), (False, "tasks"), (True, "attested"), (False, "awaiting")]
    assert [t.id for t in criteria[1].open_tasks] == ["b"]


def test_the_plan_puts_ready_work_by_priority_then_gain_per_hour_and_holds_blocked_work() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P1, status: pending, effort: 1}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 10}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: pending, effort: 1}\n"
        "  - {id: d, title: D, phase: p, priority: P0, status: pending, effort: 1, depends_on: [b]}\n"
        "  - {id: e, title: E, phase: p, priority: P0, status: blocked, effort: 1}\n"
    )
    assessment = assess_project(model)  # type: ignore[arg-type]
    plan = assessment.plan
    assert [s.task.id for s in plan if s.ready] == ["c", "b", "a"]
    assert [s.task.id for s in plan] == ["c", "b", "d", "a"]  # d right after b, the task it waits for
    assert [t.id for t in plan[2].waits_for] == ["b"]
    assert [h.task.id for h in assessment.held] == ["e"]
    figures = assessment.figures
    assert figures.gains[0].per_hour == pytest.approx(100 * 3 / 14)
    assert [t.id for t in figures.blocked] == ["e"]


def test_done_task_without_its_deliverables_is_flagged(tmp_path: Path) -> None:
    (tmp_path / "present.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: done, deliverables: [present.txt]}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: done,"
        " deliverables: [present.txt, gone.txt, folder, ../present.txt]}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: pending, deliverables: [gone.txt]}\n"
    )
    flags = assess(model, tmp_path).evidence  # type: ignore[arg-type]
    assert flags is not None
    assert [(f.task.id, f.missing) for f in flags] == [("b", ("gone.txt", "folder", "../present.txt"))]
    assert assess(model).evidence is None  # type: ignore[arg-type]


def test_figures_of_an_empty_task_list() -> None:
    figures = assess(load_text(HEAD, "t.yaml"))
    assert figures.score == 0
    assert figures.tasks.percent == 0
    assert figures.critical_path == ()


# --- numbers at their bounds never overflow a figure ---------------------------------------------


def test_an_eta_past_the_last_date_there_is_is_no_eta() -> None:
    text = ("project: {name: X, as_of: 9999-12-20, capacity_hours_per_week: 0.1}\n"
            "phases: [{id: p, title: P}]\ntasks:\n"
            "  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 100000}\n"
            "milestones:\n  - {id: m, title: M, date: 9999-12-31, requires: {priority: P0}}\n")
    model = load_text(text, "t.yaml")
    assessment = assess_project(model)
    milestone = assessment.milestone("m")
    assert (milestone.eta, milestone.eta_late) == (None, None)  # 7,000,000 days on: past 9999-12-31
    assert milestone.remaining.unestimated == 0  # the work is estimated: the calendar ends first
    assert timeline(model, assessment.milestones).end == dt.date(9999, 12, 31)


def test_an_eta_that_fits_is_still_given_at_the_end_of_the_calendar() -> None:
    text = ("project: {name: X, as_of: 9999-12-20, capacity_hours_per_week: 100000}\n"
            "phases: [{id: p, title: P}]\ntasks:\n"
            "  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 100000}\n"
            "milestones:\n  - {id: m, title: M, requires: {priority: P0}}\n")
    assert assess_project(load_text(text, "t.yaml")).milestone("m").eta == dt.date(9999, 12, 27)


def test_recent_work_at_the_first_date_there_is() -> None:
    text = ("project: {name: X, as_of: 0001-01-03}\nphases: [{id: p, title: P}]\ntasks:\n"
            "  - {id: a, title: A, phase: p, priority: P0, status: done, completed: 0001-01-01}\n")
    assert [t.id for t in recently_completed(load_text(text, "t.yaml"))] == ["a"]


def test_the_smallest_effort_keeps_points_per_hour_finite_in_json() -> None:
    # 0.01 h is the least effort above 0 a source may give; with the largest weight allowed.
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 0.01, "
                     "weight: 1000000}\n  - {id: b, title: B, phase: p, priority: P9, status: pending, "
                     "weight: 0.001}\n")
    figures = assess(model)  # type: ignore[arg-type]
    assert math.isfinite(figures.gains[0].per_hour or 0)
    json.loads(json.dumps(to_json(model, figures)),  # type: ignore[arg-type]
               parse_constant=lambda name: pytest.fail(f"{name} in the JSON figures"))


def test_the_largest_numbers_allowed_give_finite_figures(tmp_path: Path) -> None:
    tasks = "".join(f"  - {{id: t{i}, title: T, phase: p, priority: P{i % 10}, status: pending, "
                    f"effort: 100000, weight: 1000000}}\n" for i in range(200))
    text = ("project: {name: X, as_of: 2025-01-06, capacity_hours_per_week: 0.1}\n"
            "phases: [{id: p, title: P}]\nscoring: {weights: {P0: 1000000, P1: 0.001}}\n"
            "evidence: {max_age_days: 36500}\ntasks:\n" + tasks
            + "milestones:\n  - {id: m, title: M, date: 2030-01-01, target_score: 100,"
              " requires: {priority: P9}}\n")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    status = run_cli("status", "--source", "s.yaml", cwd=tmp_path)
    check = run_cli("check", "--format", "json", "s.yaml", cwd=tmp_path)
    for result in (status, check):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    figures = json.loads(check.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the JSON figures"))
    assert figures["remaining_hours"]["low"] == 20_000_000
    assert figures["milestones"][0]["eta"] is None  # 1.4 billion days from now


# --- what the model accepts: the schema's reading ------------------------------------------------


def test_a_quoted_iso_date_is_a_date_and_a_whole_float_a_whole_number_of_days() -> None:
    model = load_text("project: {name: X, as_of: '2025-01-06'}\nphases: [{id: p, title: P}]\n"
                      "evidence: {max_age_days: 30.0}\n", "t.yaml")
    assert model.project.as_of == dt.date(2025, 1, 6)
    assert model.evidence.max_age_days == 30
    assert isinstance(model.evidence.max_age_days, int)


def test_weights_are_strict_numbers_and_still_weigh() -> None:
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: done}\n"
                     "  - {id: b, title: B, phase: p, priority: P1, status: pending}\n",
                     "scoring: {weights: {P0: 1, P1: 0.5}}\n")
    assert assess(model).score == pytest.approx(100 / 1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("effort", ["'\u0663'", "'\u0663h'", "'1-\u0663'"])  # ARABIC-INDIC DIGIT THREE
def test_an_effort_is_written_with_ascii_digits_as_the_schema_says(effort: str) -> None:
    with pytest.raises(SourceError, match="expected hours as a number or a range"):
        model_of(f"  - {{id: a, title: A, phase: p, priority: P0, status: pending, effort: {effort}}}\n")


def test_an_effort_in_minutes_is_bounded_in_hours() -> None:
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 6000000m}\n")
    assert model.tasks[0].effort.high == 100_000  # type: ignore[attr-defined]
    with pytest.raises(SourceError, match="expected hours from 0 to 100,000, found the text '6000060m'"):
        model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 6000060m}\n")


# --- one meaning of "reached", chains through unestimated work, dates against as_of -----------

SIGNED = ("milestones:\n  - id: m\n    title: M\n    date: 2025-02-01\n    requires: {priority: P0}\n"
          "    sign_off:\n      - {text: by task, tasks: [a]}\n      - {text: go decision}\n")


def test_a_milestone_is_reached_only_when_its_sign_off_is_complete() -> None:
    from readiness.app.status import status_lines
    from readiness.history import summary

    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: done}\n", SIGNED)
    assessment = assess_project(model)  # type: ignore[arg-type]
    m = assessment.milestone("m")
    assert (m.work_done, m.signed_off, m.reached, m.state) == (True, False, False, "awaiting sign-off")
    assert m.decision == "no-go"
    assert m.eta is None  # nothing left to do but sign,
    assert m.on_track is True  # and there is time for it
    # the same answer wherever "reached" is asked: history, the terminal, the gate, JSON
    assert summary(model, "c", dt.datetime(2025, 1, 6), "t.yaml").milestones_reached == ()  # type: ignore[arg-type]
    lines = list(status_lines(assessment, colour=False))
    assert "  M (reaches 100/100, due 2025-02-01): NO-GO, awaiting sign-off" in lines
    assert "    - 1 sign-off criterion not ticked: go decision" in lines
    from readiness.figures.gate import gate_failures

    failures = gate_failures(assessment, milestones=["m"])
    assert [f.message for f in failures] == [
        "milestone m is no-go (awaiting sign-off): 1 sign-off criterion not ticked: go decision"]
    as_json = assessment_json(assessment)["milestones"][0]
    assert (as_json["reached"], as_json["state"], as_json["signed_off"]) == (False, "awaiting sign-off", False)
    signed = SIGNED.replace("{text: go decision}", "{text: go, attested: {by: Ann, date: 2025-01-05}}")
    attested = model_of("  - {id: a, title: A, phase: p, priority: P0, status: done}\n", signed)
    assert assess_project(attested).milestone("m").reached  # type: ignore[arg-type]
    assert summary(attested, "c", dt.datetime(2025, 1, 6), "t.yaml").milestones_reached == ("m",)  # type: ignore[arg-type]


def test_the_longest_chain_keeps_unestimated_tasks_and_starts_where_work_can_start() -> None:
    model = model_of(
        "  - {id: guide, title: Guide, phase: p, priority: P0, status: pending}\n"
        "  - {id: tests, title: Tests, phase: p, priority: P0, status: pending, effort: 24,"
        " depends_on: [guide]}\n"
        "  - {id: small, title: Small, phase: p, priority: P0, status: pending, effort: 2}\n",
        "milestones:\n  - {id: m, title: M, requires: {priority: P0}}\n",
    )
    figures = assess(model)  # type: ignore[arg-type]
    assert [t.id for t in figures.critical_path] == ["guide", "tests"]
    assert str(figures.critical_hours) == "24 h + 1 unestimated task"
    assert [t.id for t in assess_project(model).milestone("m").critical_path] == ["guide", "tests"]  # type: ignore[arg-type]
    # with no estimate at all, the chain with the most unestimated tasks still shows
    unknown = assess(model_of(  # type: ignore[arg-type]
        "  - {id: a, title: A, phase: p, priority: P0, status: pending}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, depends_on: [a]}\n"))
    assert [t.id for t in unknown.critical_path] == ["a", "b"]
    assert str(unknown.critical_hours) == "0 h + 2 unestimated tasks"


def test_the_head_of_every_chain_of_the_example_has_no_open_dependency() -> None:
    model = load_source(EXAMPLE)
    assessment = assess_project(model)
    done = {t.id for t in model.tasks if t.is_done}
    for chain in [assessment.figures.critical_path, *(m.critical_path for m in assessment.milestones)]:
        assert chain
        assert done.issuperset(chain[0].depends_on)


def test_a_milestone_dated_before_the_state_and_not_reached_is_missed() -> None:
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 5}\n",
                     "milestones:\n  - {id: old, title: Old, date: 2024-06-01, requires: {priority: P0}}\n"
                     "  - {id: new, title: New, date: 2025-03-01, requires: {priority: P0}}\n")
    assessment = assess_project(model)  # type: ignore[arg-type]
    old, new = assessment.milestone("old"), assessment.milestone("new")
    assert (old.overdue, old.on_track, old.state) == (True, False, "missed")
    assert (new.overdue, new.state) == (False, "on track")
    assert "Old missed its date" in assessment.confidence.reasons
    marks = timeline(model, assessment.milestones).marks  # type: ignore[arg-type]
    as_of = [m for m in marks if m.kind == "as_of"]
    assert [(m.title, m.date) for m in as_of] == [("As of", dt.date(2025, 1, 6))]
    assert not [m for m in marks if "today" in (m.kind + m.title).lower()]


def test_open_work_without_estimates_has_no_expected_date_and_is_not_called_late() -> None:
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending}\n",
                     "milestones:\n  - {id: m, title: M, date: 2025-03-01, requires: {priority: P0}}\n")
    m = assess_project(model).milestone("m")  # type: ignore[arg-type]
    assert (m.eta, m.on_track, m.state) == (None, None, "unknown")


def test_hours_and_numbers_read_as_people_write_them() -> None:
    from readiness.figures.core import Hours, number

    values = (40.0, 1.0, 0.5, 2.25, 1e6, 1 / 3)
    assert [number(v) for v in values] == ["40", "1", "0.5", "2.25", "1000000", "0.33"]
    assert str(Hours(34, 34, 4)) == "34 h + 4 unestimated tasks"
    assert str(Hours(94.5, 102.5)) == "94.5–102.5 h"
    assert "(" not in str(Hours(1, 1, 1))


def test_confidence_without_tasks_is_low_and_agrees_in_number() -> None:
    empty = load_text(HEAD + "tasks: []\n", "t.yaml")
    assert assess_project(empty).confidence.level == "low"
    model = load_source(EXAMPLE)
    reasons = assess_project(model, root=Path("/nonexistent")).confidence.reasons
    assert "6 done tasks are missing deliverable files" in reasons


# --- a target its required tasks cannot reach --------------------------------------------------

SHORT = ("milestones:\n"
         "  - {id: beta, title: Beta, date: 2025-03-01, target_score: 80, requires: {priority: P0}}\n")


def test_a_milestone_whose_required_tasks_fall_short_of_its_target_is_out_of_reach() -> None:
    from readiness.app.status import status_lines
    from readiness.figures.gate import gate_failures

    tasks = ("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 10}\n"   # weight 3
             "  - {id: b, title: B, phase: p, priority: P1, status: pending, effort: 5}\n"    # weight 2
             "  - {id: c, title: C, phase: p, priority: P2, status: pending, effort: 1}\n"    # weight 1
             "  - {id: d, title: D, phase: p, priority: P1, status: pending, effort: 2}\n")   # weight 2
    model = model_of(tasks, SHORT)
    assessment = assess_project(model)  # type: ignore[arg-type]
    beta = assessment.milestone("beta")
    assert whole_points(beta.score_at) == 38  # 3 of 8
    assert (beta.out_of_reach, beta.gap, beta.state) == (True, 42, "out of reach")
    assert (beta.eta, beta.eta_late, beta.on_track) == (None, None, False)  # never on track, no ETA
    assert [t.id for t in beta.beyond] == ["b", "d"]  # heaviest first: 38 + 25 + 25 = 88 >= 80
    assert str(beta.beyond_hours) == "7 h"
    as_json = assessment_json(assessment)["milestones"][0]
    assert (as_json["state"], as_json["out_of_reach"], as_json["on_track"]) == ("out of reach", True, False)
    lines = list(status_lines(assessment, colour=False))
    assert "  Beta (target 80/100, reaches 38/100, due 2025-03-01): NO-GO, out of reach" in lines
    assert "    - its required tasks reach only 38/100, 42 points short of its target of 80/100" in lines
    assert "    - 1 required task open (10\u00a0h)" in lines
    failures = gate_failures(assessment, milestones=["beta"])
    assert [f.message for f in failures] == [
        "milestone beta is no-go (out of reach): its required tasks reach only 38/100, 42 points short of "
        "its target of 80/100; 1 required task open (10\u00a0h)"]
    reasons = assessment.confidence.reasons
    assert "Beta cannot reach its target with its required tasks" in reasons
    assert not [r for r in reasons if "off track" in r]
    # once the required task is done, it is still out of reach, with nothing left to finish
    model = model_of(tasks.replace("status: pending, effort: 10", "status: done"), SHORT)
    done = assess_project(model)  # type: ignore[arg-type]
    beta = done.milestone("beta")
    assert (beta.open, beta.state, beta.eta, beta.critical_path) == ((), "out of reach", None, ())
    failures = gate_failures(done, milestones=["beta"])
    assert [f.message for f in failures] == [
        "milestone beta is no-go (out of reach): its required tasks reach only 38/100, 42 points short of "
        "its target of 80/100"]


def test_a_target_the_required_tasks_reach_is_not_out_of_reach() -> None:
    model = model_of("  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 10}\n"
                     "  - {id: b, title: B, phase: p, priority: P1, status: done}\n",
                     SHORT.replace("target_score: 80", "target_score: 100"))
    beta = assess_project(model).milestone("beta")  # type: ignore[arg-type]
    assert (beta.out_of_reach, beta.gap, beta.beyond, beta.state) == (False, 0, (), "on track")
    example = assess_project(load_source(EXAMPLE))
    assert [m.out_of_reach for m in example.milestones] == [False, False, False]


def test_the_terminal_names_unestimated_work_apart_and_an_empty_phase_as_such() -> None:
    from readiness.app.status import status_lines

    text = ("project: {name: X, as_of: 2025-01-06}\nphases: [{id: p, title: P}, {id: q, title: Later}]\n"
            "tasks:\n  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 3}\n"
            "  - {id: b, title: B, phase: p, priority: P0, status: pending}\n")
    model = load_text(text, "t.yaml")
    lines = list(status_lines(assess_project(model), colour=False))
    assert "Tasks      0 of 2 done (0 %), 3 h of estimated work left, plus 1 task without an estimate" in lines
    assert "  Later  no tasks" in lines
    assert not [line for line in lines if "0/0" in line or "unestimated task left" in line]


def test_evidence_holds_back_a_milestone_that_requires_verified_tasks() -> None:
    """With the evidence counted, a milestone whose done tasks are not verified is not reached, on every
    figure built from it (state, dates, timeline, JSON); a passing, fresh run reaches it."""
    from readiness.source.evidence import CommandResult, EvidenceFile

    signed = SIGNED.replace("{text: go decision}", "{text: go, attested: {by: Ann, date: 2025-01-05}}")
    listed = signed + "evidence: {require_verified_for: [m]}\n"
    task = "  - {id: a, title: A, phase: p, priority: P0, status: done, verify: [x]}\n"
    model = model_of(task, listed)
    passed = EvidenceFile().with_task("a", [CommandResult(
        command="x", passed=True, exit_code=0, duration_seconds=0.1, commit="a" * 40,
        ran_at=dt.datetime(2025, 1, 5, 9, 0, tzinfo=dt.timezone.utc))])
    assert assess_project(model, evidence=passed).milestone("m").reached  # type: ignore[arg-type]
    held = assess_project(model)  # type: ignore[arg-type]  # no run yet
    m = held.milestone("m")
    assert (m.reached, m.work_done, m.state, m.on_track, m.overdue) == (
        False, True, "awaiting verification", True, False)
    assert m.requires_verified
    assert [t.id for t in m.unverified] == ["a"]
    assert held.box(model.tasks[0], m) == "claimed"  # type: ignore[attr-defined]
    assert held.next_milestone is m
    assert [k.reached for k in timeline(model, held.milestones).marks if k.kind == "milestone"] == [False]  # type: ignore[arg-type]
    as_json = assessment_json(held)["milestones"][0]
    assert (as_json["reached"], as_json["state"], as_json["unverified_tasks"]) == (
        False, "awaiting verification", ["a"])
    # assessing again changes nothing; a milestone not listed is held back as well (a claim that
    # does not hold is never ticked), and reached once the run passes
    assert assess_project(model).milestone("m") == m  # type: ignore[arg-type]
    unlisted = model_of(task, signed)
    assert assess_project(unlisted).milestone("m").state == "awaiting verification"  # type: ignore[arg-type]
    assert not assess_project(unlisted).milestone("m").requires_verified  # type: ignore[arg-type]
    assert assess_project(unlisted, evidence=passed).milestone("m").reached  # type: ignore[arg-type]
    # held back past its date, it is missed, as any milestone not reached by then
    late_model = load_text(HEAD.replace("2025-01-06", "2025-03-01") + "tasks:\n" + task + listed, "t.yaml")
    late = assess_project(late_model).milestone("m")
    assert (late.state, late.overdue, late.on_track) == ("missed", True, False)
