"""Figures are pure functions of the model; the example content reproduces its project's figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from readiness.figures import assess, critical_path, points
from readiness.source import load_source, load_text
from tests.conftest import EXAMPLE

HEAD = "project: {name: X, as_of: 2025-01-06, capacity_hours_per_week: 10}\nphases: [{id: p, title: P}]\n"


def model_of(tasks: str, extra: str = "") -> object:
    return load_text(HEAD + "tasks:\n" + tasks + extra, "t.yaml")


def test_example_reproduces_the_wallet_service_figures() -> None:
    figures = assess(load_source(EXAMPLE))
    assert points(figures.score) == 78
    assert {p.priority: points(p.score) for p in figures.projections} == {
        "P0": 88, "P1": 93, "P2": 97, "P3": 100}
    assert points(figures.tasks.percent) == 38
    p0 = next(g for g in figures.priorities if g.key == "P0")
    assert (p0.remaining.low, p0.remaining.high) == (34, 34)
    assert [m.milestone.id for m in figures.milestones if m.reached] == []
    assert points(figures.milestone("beta").score_at) == 88


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
    assert points(77.5) == 78
    assert points(78.5) == 79
    assert points(78.49) == 78


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
    assert [t.id for t in critical_path([], {})] == []


def test_milestone_eta_from_capacity_and_reached_flag() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P0, status: pending, effort: 10-20}\n"
        "  - {id: b, title: B, phase: p, priority: P1, status: pending, effort: 5}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: done}\n",
        "milestones:\n"
        "  - {id: beta, title: Beta, date: 2025-01-14, requires: {priority: P0}}\n"
        "  - {id: named, title: Named, requires: {tasks: [c]}}\n",
    )
    figures = assess(model)  # type: ignore[arg-type]
    beta = figures.milestone("beta")
    assert [t.id for t in beta.open] == ["a"]
    assert beta.eta == dt.date(2025, 1, 13)       # 10 h at 10 h/week: 7 days
    assert beta.eta_late == dt.date(2025, 1, 20)  # 20 h: 14 days
    assert beta.on_track is False
    assert not beta.reached
    assert figures.milestone("named").reached


def test_milestone_requires_the_dependencies_of_its_tasks() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P2, status: pending, effort: 1}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 1, depends_on: [a]}\n",
        "milestones:\n  - {id: m, title: M, requires: {priority: P0}}\n",
    )
    figures = assess(model)  # type: ignore[arg-type]
    assert [t.id for t in figures.milestone("m").open] == ["a", "b"]


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
    criteria = assess(model).milestone("m").sign_off  # type: ignore[arg-type]
    assert [(c.ticked, c.how) for c in criteria] == [
        (True, "tasks"), (False, "tasks"), (True, "attested"), (False, "awaiting")]
    assert [t.id for t in criteria[1].open_tasks] == ["b"]


def test_next_tasks_are_ready_and_ordered_by_priority_then_gain_per_hour() -> None:
    model = model_of(
        "  - {id: a, title: A, phase: p, priority: P1, status: pending, effort: 1}\n"
        "  - {id: b, title: B, phase: p, priority: P0, status: pending, effort: 10}\n"
        "  - {id: c, title: C, phase: p, priority: P0, status: pending, effort: 1}\n"
        "  - {id: d, title: D, phase: p, priority: P0, status: pending, effort: 1, depends_on: [b]}\n"
        "  - {id: e, title: E, phase: p, priority: P0, status: blocked, effort: 1}\n"
    )
    figures = assess(model)  # type: ignore[arg-type]
    assert [g.task.id for g in figures.next_tasks] == ["c", "b", "a"]
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
