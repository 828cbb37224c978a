"""The week-by-week schedule of open work (pure): from an order, dependencies and capacity.

The order of open work is given, not decided here (the plan is computed once elsewhere).
Each task is placed, in that order, in the earliest week after every open task it depends
on finishes, in the first such week with room left for it; a task longer than a week of
capacity is split across consecutive weeks. A ranged effort counts at its high end. Tasks
without an estimate, and the tasks waiting for them, are listed apart: no week can be
given to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from readiness.source.models import Task

# Weeks looked at from the as-of date: ten years. Work that does not fit is listed apart.
HORIZON_WEEKS = 520
_EPSILON = 1e-9


@dataclass(frozen=True)
class Slot:
    """Hours of one task in one week (part of it when the task is split across weeks)."""

    task: Task
    hours: float
    part: int = 1  # the how-manyth week of the task
    parts: int = 1  # across how many weeks it is split


@dataclass(frozen=True)
class Week:
    number: int  # 1 for the week starting on the as-of date
    start: dt.date
    end: dt.date  # the last day of the week
    capacity: float
    slots: tuple[Slot, ...]

    @property
    def hours(self) -> float:
        return sum(slot.hours for slot in self.slots)

    def owners(self) -> list[tuple[str | None, list[Slot]]]:
        """The week's slots by owner, in the order owners first appear in it."""
        by_owner: dict[str | None, list[Slot]] = {}
        for slot in self.slots:
            by_owner.setdefault(slot.task.owner, []).append(slot)
        return list(by_owner.items())


@dataclass(frozen=True)
class Load:
    """The open work of one owner against an even share of the team's capacity."""

    owner: str | None
    hours: float  # scheduled hours (ranged efforts at their high end)
    share: float  # capacity over the schedule's weeks, divided evenly among its owners
    tasks: int

    @property
    def over(self) -> float:
        """Hours above the share (0 when within it)."""
        return max(0.0, self.hours - self.share)


@dataclass(frozen=True)
class Schedule:
    weeks: tuple[Week, ...]  # from week 1 to the last week with work
    unestimated: tuple[Task, ...]  # open tasks without an estimate
    waiting: tuple[Task, ...]  # estimated tasks waiting for unestimated (or unplaced) work
    beyond: tuple[Task, ...]  # tasks that do not fit in HORIZON_WEEKS
    finish: dict[str, int] = field(default_factory=dict)  # task id -> its last week
    start: dict[str, int] = field(default_factory=dict)  # task id -> its first week

    @property
    def ranged(self) -> Task | None:
        """The first scheduled task with a ranged effort (counted at its high end), if any."""
        return next((s.task for w in self.weeks for s in w.slots
                     if s.task.effort is not None and s.task.effort.is_range), None)

    def week_of(self, day: dt.date) -> Week | None:
        """The week of the schedule that holds DAY, if any."""
        for week in self.weeks:
            if week.start <= day <= week.end:
                return week
        return None

    def loads(self) -> list[Load]:
        """Hours per owner against an even share of the capacity, most loaded first."""
        hours: dict[str | None, float] = {}
        count: dict[str | None, int] = {}
        seen: set[str] = set()
        for week in self.weeks:
            for slot in week.slots:
                hours[slot.task.owner] = hours.get(slot.task.owner, 0.0) + slot.hours
                if slot.task.id not in seen:
                    seen.add(slot.task.id)
                    count[slot.task.owner] = count.get(slot.task.owner, 0) + 1
        if not hours:
            return []
        capacity = sum(week.capacity for week in self.weeks)
        share = capacity / len(hours)
        loads = [Load(owner, h, share, count[owner]) for owner, h in hours.items()]
        return sorted(loads, key=lambda load: (-load.hours, load.owner or ""))


def schedule(ordered_open_tasks: Sequence[Task], done_ids: Collection[str], capacity_hours_per_week: float,
             as_of: dt.date, horizon: int = HORIZON_WEEKS) -> Schedule:
    """Place ORDERED_OPEN_TASKS (each after the open tasks it depends on) in weeks from AS_OF.

    DONE_IDS are the tasks already done: a dependency on them holds nothing back. A dependency
    that is neither done nor placed (unestimated, or itself waiting) keeps the task out of the
    weeks, in ``waiting``.
    """
    capacity = float(capacity_hours_per_week)
    room: list[float] = []  # hours left in each week (index 0 is week 1)
    slots: list[list[Slot]] = []
    finish: dict[str, int] = {}
    start: dict[str, int] = {}
    unestimated: list[Task] = []
    waiting: list[Task] = []
    beyond: list[Task] = []
    first_open = 0  # no week before this one has room left

    def week(index: int) -> None:
        while len(room) <= index:
            room.append(capacity)
            slots.append([])

    for task in ordered_open_tasks:
        if task.effort is None:
            unestimated.append(task)
            continue
        open_deps = [d for d in task.depends_on if d not in done_ids]
        if any(d not in finish for d in open_deps):
            waiting.append(task)
            continue
        earliest = max((finish[d] + 1 for d in open_deps), default=0)  # 0-based week index
        hours = float(task.effort.high)
        placed = _place(task, hours, max(earliest, first_open) if hours > 0 else earliest,
                        capacity, room, slots, week, horizon)
        if placed is None:
            beyond.append(task)
            continue
        start[task.id], finish[task.id] = placed
        while first_open < len(room) and room[first_open] <= _EPSILON:
            first_open += 1
    last = max(finish.values(), default=-1)
    weeks = tuple(Week(i + 1, as_of + dt.timedelta(days=7 * i), as_of + dt.timedelta(days=7 * i + 6),
                       capacity, tuple(slots[i])) for i in range(last + 1))
    return Schedule(weeks, tuple(unestimated), tuple(waiting), tuple(beyond),
                    {k: v + 1 for k, v in finish.items()}, {k: v + 1 for k, v in start.items()})


def _place(task: Task, hours: float, earliest: int, capacity: float, room: list[float],
           slots: list[list[Slot]], week: Callable[[int], None], horizon: int) -> tuple[int, int] | None:
    """Put TASK's HOURS in the weeks from EARLIEST; its first and last week index, or None."""
    if hours <= capacity + _EPSILON:
        index = earliest
        while True:
            if index >= horizon:
                return None
            week(index)
            if room[index] + _EPSILON >= hours:
                room[index] = max(0.0, room[index] - hours)
                slots[index].append(Slot(task, hours))
                return index, index
            index += 1
    # longer than a week: from the first week with room, every hour left in consecutive weeks
    index = earliest
    while True:
        if index >= horizon:
            return None
        week(index)
        if room[index] > _EPSILON:
            break
        index += 1
    parts: list[tuple[int, float]] = []
    left = hours
    while left > _EPSILON:
        if index >= horizon:
            return None  # nothing was written to room or slots yet
        week(index)
        take = min(room[index], left)
        if take > _EPSILON:
            parts.append((index, take))
            left -= take
        index += 1
    # a week's room only drops when the task fits entirely within the horizon
    for number, (index, take) in enumerate(parts, start=1):
        room[index] = max(0.0, room[index] - take)
        slots[index].append(Slot(task, take, number, len(parts)))
    return parts[0][0], parts[-1][0]
