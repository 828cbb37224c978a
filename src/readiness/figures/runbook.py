"""The deploy runbook (pure): the open work that has deploy commands, as numbered steps.

The order is given, not decided here: the plan of open work (dependencies first) is
computed once elsewhere and handed in; the runbook keeps the tasks that deploy something,
in that order, so a step never comes before a step it depends on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from readiness.source.models import Task


@dataclass(frozen=True)
class Stage:
    """What to run in one environment: deploy, then verify; rollback when a check fails."""

    environment: str
    deploy: tuple[str, ...]
    verify: tuple[str, ...]
    rollback: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One numbered step of the runbook: a task and how to deploy, check and undo it."""

    number: int
    task: Task
    after: tuple[Step, ...]  # earlier steps it depends on
    waits_for: tuple[Task, ...]  # open work it depends on that deploys nothing (not a step)
    everywhere: bool  # the same deploy, check and rollback commands in every environment
    stages: tuple[Stage, ...]  # in the project's environment order

    @property
    def environments(self) -> tuple[str, ...]:
        return tuple(stage.environment for stage in self.stages)


@dataclass(frozen=True)
class Runbook:
    steps: tuple[Step, ...]
    environments: tuple[str, ...]  # the project's, in order
    used: tuple[str, ...]  # those some step deploys to, in order
    without_deploy: tuple[Task, ...]  # open work with no deploy commands


def runbook(order: Sequence[Task], tasks: Mapping[str, Task], environments: Iterable[str]) -> Runbook:
    """The steps for the open tasks of ORDER that deploy something, numbered in ORDER.

    ORDER lists open tasks so that each comes after the open tasks it depends on; TASKS maps
    every id to its task; ENVIRONMENTS are the project's, in the order work reaches them.
    """
    names = tuple(environments)
    steps: dict[str, Step] = {}
    without: list[Task] = []
    for task in order:
        if not task.deploy_commands:
            without.append(task)
            continue
        after = tuple(steps[d] for d in task.depends_on if d in steps)
        waits = tuple(tasks[d] for d in task.depends_on
                      if d not in steps and d in tasks and not tasks[d].is_done)
        stages = tuple(Stage(name, tuple(task.deploy_in(name)), tuple(task.checks_in(name)),
                             tuple(task.rollback_in(name)))
                       for name in names if task.deploy_in(name))
        steps[task.id] = Step(len(steps) + 1, task, after, waits, not task.per_environment, stages)
    used = tuple(name for name in names if any(name in s.environments for s in steps.values()))
    return Runbook(tuple(steps.values()), names, used, tuple(without))
