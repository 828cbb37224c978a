"""The week-by-week schedule: dependencies first, never more hours in a week than the team has."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.figures.assessment import assess_project
from readiness.figures.schedule import schedule
from readiness.source.models import Task

AS_OF = dt.date(2025, 11, 27)


def task(id_: str, effort: object = 4, depends_on: tuple[str, ...] = (), owner: str | None = "Ann",
         status: str = "pending") -> Task:
    return Task.model_validate({"id": id_, "title": id_.upper(), "phase": "p", "priority": "P0",
                                "status": status, "effort": effort, "depends_on": list(depends_on),
                                "owner": owner})


def test_a_task_starts_the_week_after_its_dependencies_finish() -> None:
    plan = schedule([task("a", 4), task("b", 4, ("a",)), task("c", 4)], set(), 40, AS_OF)
    assert [[s.task.id for s in w.slots] for w in plan.weeks] == [["a", "c"], ["b"]]
    assert (plan.weeks[1].start, plan.weeks[1].end) == (dt.date(2025, 12, 4), dt.date(2025, 12, 10))
    assert plan.start == {"a": 1, "c": 1, "b": 2}


def test_a_full_week_pushes_work_to_the_next_and_a_long_task_is_split() -> None:
    plan = schedule([task("a", 30), task("b", 20), task("c", 50), task("d", 5)], set(), 40, AS_OF)
    assert [[(s.task.id, s.hours) for s in w.slots] for w in plan.weeks] == [
        [("a", 30), ("c", 10)], [("b", 20), ("c", 20)], [("c", 20), ("d", 5)]]
    parts = [(s.part, s.parts) for w in plan.weeks for s in w.slots if s.task.id == "c"]
    assert parts == [(1, 3), (2, 3), (3, 3)]


def test_ranged_efforts_count_at_their_high_end_and_unestimated_work_is_apart() -> None:
    plan = schedule([task("a", "8-16"), task("u", None), task("w", 2, ("u",)), task("x", 2, ("done",))],
                    {"done"}, 40, AS_OF)
    assert [(s.task.id, s.hours) for s in plan.weeks[0].slots] == [("a", 16), ("x", 2)]
    assert plan.ranged is not None
    assert plan.ranged.id == "a"
    assert [t.id for t in plan.unestimated] == ["u"]
    assert [t.id for t in plan.waiting] == ["w"]


def test_load_per_owner_against_an_even_share() -> None:
    plan = schedule([task("a", 30, owner="Ann"), task("b", 30, owner="Ann"), task("c", 10, owner="Bo")],
                    set(), 40, AS_OF)
    loads = {load.owner: load for load in plan.loads()}
    assert len(plan.weeks) == 2
    assert (loads["Ann"].hours, loads["Ann"].share, loads["Ann"].over) == (60, 40, 20)
    assert loads["Bo"].over == 0


def test_work_past_the_horizon_is_listed_apart() -> None:
    plan = schedule([task("a", 100_000)], set(), 0.1, AS_OF, horizon=52)
    assert [t.id for t in plan.beyond] == ["a"]
    assert plan.weeks == ()


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Task], set[str], float]:
    count = draw(st.integers(0, 15))
    tasks, done = [], set()
    for i in range(count):
        picked = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        deps = tuple(f"t{d}" for d in picked)
        ranges = st.tuples(st.integers(1, 30), st.integers(30, 60)).map(lambda r: f"{r[0]}-{r[1]}")
        effort = draw(st.one_of(st.none(), st.integers(0, 90), ranges))
        if draw(st.booleans()) and i % 3 == 0:
            done.add(f"t{i}")
            continue
        tasks.append(task(f"t{i}", effort, deps, draw(st.sampled_from(["Ann", "Bo", None]))))
    capacity = draw(st.sampled_from([8.0, 20.0, 40.0, 37.5]))
    return tasks, done, capacity


@settings(max_examples=60, deadline=None)
@given(plans())
def test_no_task_before_a_dependency_and_no_week_over_capacity(
        plan_input: tuple[list[Task], set[str], float]) -> None:
    tasks, done, capacity = plan_input
    plan = schedule(tasks, done, capacity, AS_OF)
    by_id = {t.id: t for t in tasks}
    for t in tasks:
        if t.id in plan.start:
            for d in t.depends_on:
                if d not in done:
                    assert plan.finish[d] < plan.start[t.id], (t.id, d)
        else:  # apart, and for a reason
            assert t.effort is None or any(d not in done and d not in plan.finish for d in t.depends_on)
    for week in plan.weeks:
        assert week.hours <= capacity + 1e-6
    hours: dict[str, float] = {}
    for week in plan.weeks:
        for slot in week.slots:
            hours[slot.task.id] = hours.get(slot.task.id, 0.0) + slot.hours
            assert (slot.parts > 1) == (by_id[slot.task.id].effort.high > capacity)  # type: ignore[union-attr]
    for task_id, total in hours.items():
        assert abs(total - by_id[task_id].effort.high) < 1e-6  # type: ignore[union-attr]


def test_the_status_page_shows_weeks_owners_blocked_work_and_work_without_a_week() -> None:
    from readiness.pages.render import render_pages
    from readiness.source.loader import load_text

    model = load_text("""\
project: {name: X, as_of: 2025-01-06, capacity_hours_per_week: 10}
phases: [{id: p, title: P}]
tasks:
  - {id: a, title: Alpha, phase: p, priority: P0, status: pending, effort: 25, owner: Ann}
  - {id: b, title: Beta, phase: p, priority: P0, status: blocked, effort: 2, owner: Bo,
     depends_on: [a]}
  - {id: u, title: Unsized, phase: p, priority: P1, status: pending}
  - {id: w, title: Waiting, phase: p, priority: P1, status: pending, effort: 1, depends_on: [u]}
milestones: [{id: m, title: Launch, date: 2025-01-15, requires: {priority: P0}}]
""", "t.yaml")
    page = render_pages(assess_project(model))["implementation-status.md"]
    assert "### Week 1 · 2025-01-06 to 2025-01-12 { #week-1 }" in page
    assert "- **Ann**: [Alpha](production-tracker.md#task-a) (10\u00a0h, part 1 of 3)" in page
    assert "**Launch** due 2025-01-15" in page.split("### Week 2")[1].split("### Week 3")[0]
    assert "| Ann | **over by 5\u00a0h** | 25\u00a0h | 20\u00a0h | 1 |" in page
    assert "| Bo | within its share | 2\u00a0h | 20\u00a0h | 1 |" in page
    # who is over their share is said above the weeks, before the reader scrolls
    head = page.split("### Week 1")[0]
    assert "**Over their share** ([load per owner](#load)): Ann by 5\u00a0h (25\u00a0h of 20\u00a0h)." in head
    assert "Bo by" not in head
    assert ("- [Beta](production-tracker.md#task-b) (Bo): blocked by "
            "[Alpha](production-tracker.md#task-a) (pending)") in page
    assert "- [Unsized](production-tracker.md#task-u) (no owner): no estimate" in page
    assert ("- [Waiting](production-tracker.md#task-w) (no owner): after "
            "[Unsized](production-tracker.md#task-u), which has no week yet") in page
