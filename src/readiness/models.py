"""The typed model of a readiness source file (content/readiness.yaml).

Every model is frozen and rejects unknown keys; nothing is coerced silently (a number
where a string is expected is an error that says to quote it). Cross-references (a
task's phase, a milestone's tasks, dependency cycles) are checked in ``source``, where
each problem can be given its line and column.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80),
    Field(description="A short identifier: letters, digits, '.', '_' and '-'."),
]
Priority = Annotated[
    str,
    StringConstraints(pattern=r"^P[0-9]$"),
    Field(description="P0 (most urgent) to P9."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
RepoPath = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000),
    Field(description="A path relative to the repository root, taken literally (no globs)."),
]
Url = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2000),
    Field(description="An http(s) or mailto URL, or a relative link."),
]

_SAFE_URL = re.compile(r"^(https?://|mailto:|[^:]*$)", re.IGNORECASE)


class Model(BaseModel):
    """Base of every source model: frozen, strict, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Status(str, Enum):
    """Where a task stands."""

    done = "done"
    in_progress = "in progress"
    pending = "pending"
    blocked = "blocked"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Effort(Model):
    """Hours of work: an exact figure or a range (low to high)."""

    low: float = Field(ge=0, strict=True)
    high: float = Field(ge=0, strict=True)

    @model_validator(mode="after")
    def _ordered(self) -> Effort:
        if self.high < self.low:
            raise ValueError(f"the range is upside down: {self.low:g} is more than {self.high:g}")
        return self

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g} h" if self.is_range else f"{self.low:g} h"


EFFORT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*((-|–|to)\s*\d+(\.\d+)?\s*h?|h|m|min)?\s*$"},
        {
            "type": "object",
            "properties": {"low": {"type": "number", "minimum": 0}, "high": {"type": "number", "minimum": 0}},
            "required": ["low", "high"],
            "additionalProperties": False,
        },
        {"type": "null"},
    ],
    "description": "Hours: 4, 2.5, '4-8' or '30m'.",
}

_EFFORT_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*h?\s*$")
_EFFORT_ONE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|m|min)?\s*$")


def parse_effort(value: Any) -> Any:
    """Accept ``4``, ``2.5``, ``"4-8"``, ``"4–8 h"``, ``"30m"`` or ``{low:, high:}``."""
    if isinstance(value, bool):
        raise ValueError("expected hours as a number or a range such as '4-8'")
    if isinstance(value, (int, float)):
        return {"low": float(value), "high": float(value)}
    if isinstance(value, str):
        match = _EFFORT_RANGE.match(value)
        if match:
            return {"low": float(match.group(1)), "high": float(match.group(2))}
        match = _EFFORT_ONE.match(value)
        if match:
            hours = float(match.group(1)) / (60 if match.group(2) in ("m", "min") else 1)
            return {"low": hours, "high": hours}
        raise ValueError(f"expected hours as a number or a range such as '4-8', got {value!r}")
    return value


class Project(Model):
    """The project the readiness state is about."""

    name: ShortText
    version: ShortText | None = Field(default=None, description="The release being readied.")
    owner: ShortText | None = None
    description: Text | None = None
    repository: Url | None = None
    as_of: dt.date = Field(description="The date this state describes.")
    started: dt.date | None = None
    target: dt.date | None = Field(default=None, description="Intended production date.")
    capacity_hours_per_week: float = Field(
        default=40, gt=0, strict=True, description="Hours per week the team spends on readiness work."
    )

    @field_validator("repository")
    @classmethod
    def _safe_url(cls, value: str | None) -> str | None:
        return check_url(value)


def check_url(value: str | None) -> str | None:
    """Allow only http, https, mailto and relative links."""
    if value is not None and not _SAFE_URL.match(value.strip()):
        raise ValueError("only http, https, mailto and relative links are allowed")
    return value


class Role(Model):
    """A kind of reader and what they care about."""

    id: Id
    title: ShortText
    question: ShortText | None = Field(default=None, description="What this reader wants answered.")
    pages: list[Id] = Field(default_factory=list, description="Page ids this reader starts from.")
    topics: list[ShortText] = Field(default_factory=list)


class Phase(Model):
    """A stage of the readiness work."""

    id: Id
    title: ShortText
    goal: Text | None = None


class Task(Model):
    """One piece of readiness work."""

    id: Id
    title: ShortText
    phase: Id
    priority: Priority
    status: Status
    effort: Annotated[Effort | None, WithJsonSchema(EFFORT_SCHEMA)] = Field(
        default=None, description="Hours: 4, 2.5, '4-8' or '30m'."
    )
    owner: ShortText | None = None
    depends_on: list[Id] = Field(default_factory=list)
    topics: list[ShortText] = Field(default_factory=list)
    deliverables: list[RepoPath] = Field(default_factory=list)
    deploy: list[Text] = Field(default_factory=list, description="Commands that deploy the work.")
    verify: list[Text] = Field(default_factory=list, description="Commands that check the work.")
    checklist: list[ShortText] = Field(
        default_factory=list, description="Steps; ticked on the pages only when the task is done."
    )
    weight: float | None = Field(default=None, gt=0, strict=True, description="Overrides the priority weight.")
    finding: ShortText | None = Field(default=None, description="The audit finding it answers.")
    notes: Text | None = None
    started: dt.date | None = None
    completed: dt.date | None = None

    @field_validator("effort", mode="before")
    @classmethod
    def _effort(cls, value: Any) -> Any:
        return parse_effort(value)

    @property
    def is_done(self) -> bool:
        return self.status is Status.done

    @property
    def rank(self) -> int:
        """0 for P0, 1 for P1, ...: lower is more urgent."""
        return int(self.priority[1:])


class Requirement(Model):
    """What must be done for a milestone: every task up to a priority, and named tasks."""

    priority: Priority | None = Field(
        default=None, description="Every task of this priority or a more urgent one is done."
    )
    tasks: list[Id] = Field(default_factory=list)
    phases: list[Id] = Field(default_factory=list, description="Every task of these phases is done.")


class Attestation(Model):
    """A named person's word that a criterion holds, on a date."""

    by: ShortText
    date: dt.date


class SignOff(Model):
    """One sign-off criterion: ticked by its tasks being done, or by an attestation."""

    text: ShortText
    tasks: list[Id] = Field(default_factory=list, description="Ticked when all of these are done.")
    attested: Attestation | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SignOff:
        if self.tasks and self.attested is not None:
            raise ValueError("a criterion is bound to tasks or attested, not both")
        return self


class Milestone(Model):
    """A point the project is aiming for (Beta, Production)."""

    id: Id
    title: ShortText
    date: dt.date | None = None
    target_score: float | None = Field(default=None, ge=0, le=100, strict=True)
    requires: Requirement = Field(default_factory=Requirement)
    sign_off: list[SignOff] = Field(default_factory=list)


class Level(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


class Risk(Model):
    id: Id
    title: ShortText
    likelihood: Level = Level.medium
    impact: Level = Level.medium
    mitigation: Text | None = None
    owner: ShortText | None = None
    tasks: list[Id] = Field(default_factory=list)


class Question(Model):
    question: ShortText
    answer: Text
    roles: list[Id] = Field(default_factory=list)


class Document(Model):
    title: ShortText
    path: RepoPath | None = None
    url: Url | None = None
    purpose: ShortText | None = None
    audience: list[Id] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str | None) -> str | None:
        return check_url(value)


class Script(Model):
    path: RepoPath
    purpose: ShortText
    usage: Text | None = None
    audience: list[Id] = Field(default_factory=list)


class Group(Model):
    """Archive files whose name matches ``pattern`` (fnmatch, case-insensitive) into ``folder``."""

    pattern: ShortText
    folder: RepoPath


class Housekeeping(Model):
    """Settings of ``readiness cleanup``."""

    archive: RepoPath = Field(default="docs/archive", description="Where stray root docs go.")
    keep: list[ShortText] = Field(
        default_factory=list, description="More root file names to keep (exact, any case)."
    )
    keep_patterns: list[ShortText] = Field(
        default_factory=list, description="Root file name patterns to keep (fnmatch, any case)."
    )
    group_by: Literal["none", "date", "pattern"] = "none"
    groups: list[Group] = Field(default_factory=list)
    pages_dir: RepoPath | None = Field(
        default=None, description="Where `readiness build` writes pages, if the project keeps them."
    )


class EvidenceSettings(Model):
    """How fresh verify results must be, and which milestones need verified tasks."""

    max_age_days: int | None = Field(
        default=30, ge=0, strict=True,
        description="A verify result older than this many days is stale; null: never stale.",
    )
    require_verified_for: list[Id] = Field(
        default_factory=list,
        description="Milestone ids not reached while a required done task lacks a passing, fresh verify.",
    )


class Scoring(Model):
    """How tasks weigh in the score when they carry no explicit weight."""

    weights: dict[Priority, float] = Field(
        default_factory=lambda: {"P0": 3.0, "P1": 2.0, "P2": 1.0, "P3": 1.0},
        description="Weight per priority; a priority not listed weighs 1.",
    )

    def weight_of(self, task: Task) -> float:
        return task.weight if task.weight is not None else self.weights.get(task.priority, 1.0)


class Readiness(Model):
    """The whole source file."""

    project: Project
    scoring: Scoring = Field(default_factory=Scoring)
    roles: list[Role] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    tasks: list[Task] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    faq: list[Question] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    scripts: list[Script] = Field(default_factory=list)
    housekeeping: Housekeeping = Field(default_factory=Housekeeping)
    evidence: EvidenceSettings = Field(default_factory=EvidenceSettings)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the source file, for editors (yaml-language-server)."""
    schema = Readiness.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "readiness source file"
    return schema


def schema_text() -> str:
    """The JSON Schema as the text committed at schema/readiness.schema.json."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
