"""The typed model of a readiness source file (content/readiness.yaml).

Every model is frozen and rejects unknown keys; nothing is coerced silently (a number
where a string is expected is an error that says to quote it, a number is never a date).
Numbers are finite and bounded (the ``MAX_`` and ``MIN_`` constants below), so every
figure computed from them is finite too. Cross-references (a task's phase, a milestone's
tasks, dependency cycles) are checked in ``source``, where each problem can be given its
line and column.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from readiness.documents import DOT_GIT_COMPONENT

PRIORITY_PATTERN = r"^P[0-9]$"

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80),
    Field(description="A short identifier: letters, digits, '.', '_' and '-'."),
]
Priority = Annotated[
    str,
    StringConstraints(pattern=PRIORITY_PATTERN),
    Field(description="P0 (most urgent) to P9."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
RepoPath = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000),
    Field(description="A path relative to the repository root, taken literally (no globs)."),
]
# A folder the tool writes into (cleanup's archive, build's pages): inside the work tree,
# never its root, never in .git. The schema says the same with a pattern (editors).
# .git is refused in any letter case and as Windows reads it (DOT_GIT_COMPONENT): git
# keeps no file there, so a file archived there would leave the repository's history.
_DOT_GIT = rf"(.*[/\\])?{DOT_GIT_COMPONENT}([/\\]|$)"
_FOLDER_PATTERN = (r"^(?![/\\])(?![A-Za-z]:)(?!.*(^|[/\\])\.\.([/\\]|$))(?!(\./*)*$)"
                   rf"(?!{_DOT_GIT}).+$")


def _folder_inside(value: str) -> str:
    """VALUE, normalised (``docs/./archive/`` is ``docs/archive``), if it names a folder inside
    the repository."""
    if not re.match(_FOLDER_PATTERN, value):
        raise ValueError(f"{value!r} is not a folder inside the repository: give a path relative to "
                         "its root, without '..', other than the root itself and .git")
    return posixpath.normpath(value)


FolderPath = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000),
    AfterValidator(_folder_inside),
    Field(description="A folder inside the repository, relative to its root: no '..', not the "
                      "root itself, not in .git.", json_schema_extra={"pattern": _FOLDER_PATTERN}),
]
Url = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2000),
    Field(description="An http(s) or mailto URL, or a relative link."),
]

_SAFE_URL = re.compile(r"^(https?://|mailto:|[^:]*$)", re.IGNORECASE)

# Bounds of the numbers in a source file: wide enough for any real project, narrow enough
# that sums, scores and ETAs stay finite. README.md ("The source file") lists them.
MAX_EFFORT_HOURS = 100_000  # one task: 50 person-years
MIN_EFFORT_HOURS = 0.01  # an effort is 0 or at least this (36 seconds): finer is noise, and prints badly
MIN_CAPACITY_HOURS = 0.1  # per week
MAX_CAPACITY_HOURS = 100_000  # per week: 2,500 people full time
MIN_WEIGHT = 0.001
MAX_WEIGHT = 1_000_000
MAX_AGE_DAYS = 36_500  # a hundred years


def describe(value: Any) -> str:
    """VALUE as an error message names what was found: 'the number 0', "the text '4'", 'a list'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, float) and not math.isfinite(value):
        return "the number " + (".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf")
    if isinstance(value, (int, float)):
        try:
            digits = str(value)
        except ValueError:  # an int past Python's digit limit, from a caller other than the loader
            return "a number too large to show"
        if len(digits) > 24:
            return f"the number {digits[:20]}… ({len(digits):,} digits)"
        return f"the number {digits}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat(' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value[:40] + '…' if len(value) > 40 else value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _bounded(wanted: str, low: float, high: float, *, above_low: bool = False,
             whole: bool = False, smallest: float = 0, too_small: str = "") -> BeforeValidator:
    """Accept a finite number from LOW (excluded when ABOVE_LOW) to HIGH; WANTED names it in errors.

    Booleans and text are refused, never converted. WHOLE asks for a whole number: 30.0 is
    taken as 30 (JSON Schema counts it as an integer too), 30.5 is refused. SMALLEST refuses
    a number other than 0 that is closer to 0 than it (an effort of 1e-320 hours), saying
    TOO_SMALL.
    """

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected {wanted}, found {describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected {wanted}, found {describe(value)}: only finite numbers are allowed")
        if whole and isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"expected {wanted}, found {describe(value)}")
            value = int(value)
        if value < low or (above_low and value == low) or value > high:
            raise ValueError(f"expected {wanted}, found {describe(value)}")
        if 0 < abs(value) < smallest:
            raise ValueError(f"expected {wanted}, found {describe(value)}: {too_small}")
        return value

    return BeforeValidator(check)


_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _check_date(value: Any) -> Any:
    """A calendar date: a YAML date (2025-11-27) or the same text quoted; never a number or a time."""
    wanted = "expected a date (YYYY-MM-DD)"
    if isinstance(value, dt.datetime):
        raise ValueError(f"{wanted}, found {describe(value)}: write {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_TEXT.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value} is not a valid date: {error}") from None
    raise ValueError(f"{wanted}, found {describe(value)}")


Date = Annotated[dt.date, BeforeValidator(_check_date)]

# The constraints come first so that they shape the JSON Schema; the check before them gives
# the error message and refuses what the constraints would convert or overflow on.
Weight = Annotated[
    float,
    Field(ge=MIN_WEIGHT, le=MAX_WEIGHT, strict=True, allow_inf_nan=False),
    _bounded(f"a weight from {MIN_WEIGHT:g} to {MAX_WEIGHT:,}", MIN_WEIGHT, MAX_WEIGHT),
]
_HOURS = f"hours from 0 to {MAX_EFFORT_HOURS:,}"
_TOO_FEW_HOURS = f"an effort other than 0 is at least {MIN_EFFORT_HOURS:g} hours (36 seconds)"
# JSON Schema of one figure of hours: 0, or from MIN_EFFORT_HOURS to MAX_EFFORT_HOURS
HOURS_SCHEMA: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": MAX_EFFORT_HOURS,
                                "not": {"exclusiveMinimum": 0, "exclusiveMaximum": MIN_EFFORT_HOURS}}
EffortHours = Annotated[
    float,
    Field(ge=0, le=MAX_EFFORT_HOURS, strict=True, allow_inf_nan=False),
    _bounded(_HOURS, 0, MAX_EFFORT_HOURS, smallest=MIN_EFFORT_HOURS, too_small=_TOO_FEW_HOURS),
    WithJsonSchema(HOURS_SCHEMA),
]
Score = Annotated[
    float,
    Field(ge=0, le=100, strict=True, allow_inf_nan=False),
    _bounded("a score from 0 to 100", 0, 100),
]
Days = Annotated[
    int,
    Field(ge=0, le=MAX_AGE_DAYS, strict=True),
    _bounded(f"a whole number of days from 0 to {MAX_AGE_DAYS:,}", 0, MAX_AGE_DAYS, whole=True),
]


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

    low: EffortHours
    high: EffortHours

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


EFFORT_TEXT = (f"Hours: 4, 2.5, '4-8' or '30m'; each 0, or from {MIN_EFFORT_HOURS:g} to "
               f"{MAX_EFFORT_HOURS:,}; a range's low end no more than its high end.")
# The effort written as text, within the bounds, as a regular expression (JSON Schema's patterns
# cannot compare numbers): hours are 0, or 0.01 to 100000; minutes 0, or 0.6 to 6000000. Only
# the order of a range's ends is beyond it ("8-4"). Spaces as Python's \s reads them (ASCII).
_SPACE = r"[ \t\n\r\f\v]*"
_HOURS_TEXT = r"0*(?:[1-9][0-9]{0,4}(?:\.[0-9]+)?|100000(?:\.0+)?|0(?:\.(?:[1-9][0-9]*|0[1-9][0-9]*|0+))?)"
_MINUTES_TEXT = (r"0*(?:[1-9][0-9]{0,5}(?:\.[0-9]+)?|[1-5][0-9]{6}(?:\.[0-9]+)?|6000000(?:\.0+)?"
                 r"|0(?:\.(?:[6-9][0-9]*|0+))?)")
EFFORT_TEXT_PATTERN = (
    f"^{_SPACE}(?:{_HOURS_TEXT}{_SPACE}(?:-|–|to){_SPACE}{_HOURS_TEXT}{_SPACE}h?"
    f"|{_HOURS_TEXT}{_SPACE}h?|{_MINUTES_TEXT}{_SPACE}(?:m|min)){_SPACE}$")
EFFORT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        HOURS_SCHEMA,
        {"type": "string", "pattern": EFFORT_TEXT_PATTERN},
        {
            "type": "object",
            "properties": {"low": HOURS_SCHEMA, "high": HOURS_SCHEMA},
            "required": ["low", "high"],
            "additionalProperties": False,
        },
        {"type": "null"},
    ],
    "description": EFFORT_TEXT,
}

# re.ASCII: digits are 0-9 only, as in the schema's pattern (ECMAScript \d), not every Unicode digit
_EFFORT_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*h?\s*$", re.ASCII)
_EFFORT_ONE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|m|min)?\s*$", re.ASCII)


def parse_effort(value: Any) -> Any:
    """Accept ``4``, ``2.5``, ``"4-8"``, ``"4–8 h"``, ``"30m"`` or ``{low:, high:}``."""
    if isinstance(value, bool):
        raise ValueError("expected hours as a number or a range such as '4-8'")
    if isinstance(value, (int, float)):
        hours = _effort_hours(value, value)
        return {"low": hours, "high": hours}
    if isinstance(value, str):
        match = _EFFORT_RANGE.match(value)
        if match:
            return {"low": _effort_hours(match.group(1), value), "high": _effort_hours(match.group(2), value)}
        match = _EFFORT_ONE.match(value)
        if match:
            hours = _effort_hours(match.group(1), value, 60 if match.group(2) in ("m", "min") else 1)
            return {"low": hours, "high": hours}
        raise ValueError(f"expected hours as a number or a range such as '4-8', got {value!r}")
    return value


def _effort_hours(number: float | str, written: Any, per_hour: int = 1) -> float:
    """NUMBER (of hours, or of minutes when PER_HOUR is 60), a figure of an effort WRITTEN so, as
    hours within the bounds; ValueError otherwise."""
    wanted = f"expected {_HOURS}, found {describe(written)}"
    if isinstance(number, int) and not 0 <= number <= MAX_EFFORT_HOURS:
        raise ValueError(wanted)  # before float(): an int of hundreds of digits does not fit one
    hours = float(number) / per_hour  # text of hundreds of digits gives inf, refused here
    if not math.isfinite(hours):
        raise ValueError(wanted + (": only finite numbers are allowed" if isinstance(written, float) else ""))
    if not 0 <= hours <= MAX_EFFORT_HOURS:
        raise ValueError(wanted)
    if 0 < hours < MIN_EFFORT_HOURS:
        raise ValueError(f"{wanted}: {_TOO_FEW_HOURS}")
    if hours == 0 and isinstance(number, str) and any(char in "123456789" for char in number):
        raise ValueError(f"{wanted}: too close to 0 to be read")  # '0.000…1' underflows to 0
    return hours


class Project(Model):
    """The project the readiness state is about."""

    name: ShortText
    version: ShortText | None = Field(default=None, description="The release being readied.")
    owner: ShortText | None = None
    description: Text | None = None
    repository: Url | None = None
    as_of: Date = Field(description="The date this state describes (YYYY-MM-DD).")
    started: Date | None = None
    target: Date | None = Field(default=None, description="Intended production date.")
    capacity_hours_per_week: Annotated[
        float,
        Field(ge=MIN_CAPACITY_HOURS, le=MAX_CAPACITY_HOURS, strict=True, allow_inf_nan=False),
        _bounded(f"hours per week from {MIN_CAPACITY_HOURS:g} to {MAX_CAPACITY_HOURS:,}",
                 MIN_CAPACITY_HOURS, MAX_CAPACITY_HOURS),
    ] = Field(
        default=40,
        description=f"Hours per week the team spends on readiness work, from {MIN_CAPACITY_HOURS:g} "
                    f"to {MAX_CAPACITY_HOURS:,}.",
    )

    environments: list[Id] = Field(
        default_factory=lambda: ["staging", "production"], min_length=1,
        description="The environments work is deployed to, in the order it reaches them "
                    "(a task's per-environment deploy commands name them).")

    @field_validator("repository")
    @classmethod
    def _safe_url(cls, value: str | None) -> str | None:
        return check_url(value)

    @field_validator("environments")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        repeated = sorted({name for name in value if value.count(name) > 1})
        if repeated:
            raise ValueError("each environment is listed once: " + ", ".join(repeated) + " repeated")
        return value


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


class WaiverKind(str, Enum):
    not_applicable = "not applicable"
    accepted_risk = "accepted risk"


class Waiver(Model):
    """A named person's decision that a task or sign-off criterion need not hold, until a date.

    Until it expires, a waiver counts as done for every milestone that needs the task or
    criterion; it is shown as waived, never as done, and never adds to the score.
    """

    kind: WaiverKind = Field(description="'not applicable' or 'accepted risk'.")
    by: ShortText = Field(description="Who decided it.")
    reason: ShortText = Field(description="Why.")
    until: Date = Field(description="The last day it holds; after it, the milestone counts the work again.")


class Task(Model):
    """One piece of readiness work."""

    id: Id
    title: ShortText
    phase: Id
    priority: Priority
    status: Status
    effort: Annotated[Effort | None, WithJsonSchema(EFFORT_SCHEMA)] = Field(
        default=None, description=EFFORT_TEXT)
    owner: ShortText | None = None
    depends_on: list[Id] = Field(default_factory=list)
    topics: list[ShortText] = Field(default_factory=list)
    deliverables: list[RepoPath] = Field(default_factory=list)
    deploy: list[Text] | dict[Id, list[Text]] = Field(
        default_factory=list,
        description="Commands that deploy the work: a list run in every environment, or a mapping "
                    "from environment (project.environments) to its own commands.")
    prerequisites: list[ShortText] = Field(
        default_factory=list,
        description="What must exist before deploying (variables to set, access, a backup), in words.")
    deploy_checks: list[Text] | dict[Id, list[Text]] = Field(
        default_factory=list,
        description="Commands that check a deploy (the runbook's checks; verify's commands where none "
                    "are given): a list for every environment, or a mapping from environment to its own.")
    rollback: list[Text] | dict[Id, list[Text]] = Field(
        default_factory=list,
        description="Commands that undo the deploy, in the order to run them: a list for every "
                    "environment, or a mapping from environment (project.environments) to its own.")
    verify: list[Text] = Field(default_factory=list, description="Commands that check the work.")
    checklist: list[ShortText] = Field(
        default_factory=list, description="Steps; ticked on the pages only when the task is done."
    )
    weight: Weight | None = Field(
        default=None, description=f"Overrides the priority weight: from {MIN_WEIGHT:g} to {MAX_WEIGHT:,}.")
    finding: ShortText | None = Field(default=None, description="The audit finding it answers.")
    notes: Text | None = None
    started: Date | None = None
    completed: Date | None = None
    waiver: Waiver | None = Field(default=None, description="Counts as done for milestones until it expires.")

    @field_validator("effort", mode="before")
    @classmethod
    def _effort(cls, value: Any) -> Any:
        return parse_effort(value)

    @property
    def is_done(self) -> bool:
        return self.status is Status.done

    def deploy_in(self, environment: str) -> list[str]:
        """The deploy commands for ENVIRONMENT (a plain list applies to every environment)."""
        return _in_environment(self.deploy, environment)

    def rollback_in(self, environment: str) -> list[str]:
        """The rollback commands for ENVIRONMENT (a plain list applies to every environment)."""
        return _in_environment(self.rollback, environment)

    def checks_in(self, environment: str) -> list[str]:
        """The commands that check a deploy to ENVIRONMENT: its deploy checks, else the verify commands."""
        return _in_environment(self.deploy_checks, environment) or self.verify

    @property
    def per_environment(self) -> bool:
        """Whether deploy, its checks or rollback differ between environments (a mapping)."""
        return any(isinstance(commands, dict) for commands in (self.deploy, self.deploy_checks, self.rollback))

    @property
    def deploy_commands(self) -> list[str]:
        """Every deploy command, each environment's after the previous one's (in source order)."""
        if isinstance(self.deploy, dict):
            return [command for commands in self.deploy.values() for command in commands]
        return self.deploy

    @property
    def rank(self) -> int:
        """0 for P0, 1 for P1, ...: lower is more urgent."""
        return int(self.priority[1:])


def _in_environment(commands: list[str] | dict[str, list[str]], environment: str) -> list[str]:
    """COMMANDS for ENVIRONMENT: a plain list applies to every environment, a mapping names each."""
    return commands.get(environment, []) if isinstance(commands, dict) else commands


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
    date: Date


class SignOff(Model):
    """One sign-off criterion: ticked by its tasks being done, or by an attestation."""

    text: ShortText
    tasks: list[Id] = Field(default_factory=list, description="Ticked when all of these are done.")
    attested: Attestation | None = None
    waiver: Waiver | None = Field(default=None, description="Counts as ticked until it expires.")

    @model_validator(mode="after")
    def _one_kind(self) -> SignOff:
        if self.tasks and self.attested is not None:
            raise ValueError("a criterion is bound to tasks or attested, not both")
        return self


class Milestone(Model):
    """A point the project is aiming for (Beta, Production)."""

    id: Id
    title: ShortText
    date: Date | None = None
    target_score: Score | None = Field(default=None, description="The score it needs, 0 to 100.")
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
    folder: RepoPath = Field(description="A folder inside the archive folder (no '..').")

    @field_validator("folder")
    @classmethod
    def _inside_archive(cls, value: str) -> str:
        if re.search(r"(^|[/\\])\.\.([/\\]|$)", value) or value.startswith(("/", "\\")):
            raise ValueError(f"{value!r} leaves the archive folder: give a folder inside it, without '..'")
        if re.match(_DOT_GIT, value):
            raise ValueError(f"{value!r} is in .git, where git keeps no file: give another folder")
        return posixpath.normpath(value)


class Housekeeping(Model):
    """Settings of ``readiness cleanup``."""

    archive: FolderPath = Field(default="docs/archive", description="Where stray root docs go.")
    keep: list[ShortText] = Field(
        default_factory=list, description="More root file names to keep (exact, any case)."
    )
    keep_patterns: list[ShortText] = Field(
        default_factory=list, description="Root file name patterns to keep (fnmatch, any case)."
    )
    group_by: Literal["none", "date", "pattern"] = "none"
    groups: list[Group] = Field(default_factory=list)
    pages_dir: FolderPath | None = Field(
        default=None, description="Where `readiness build` writes pages, if the project keeps them."
    )


class EvidenceSettings(Model):
    """How fresh verify results must be, and which milestones need verified tasks."""

    max_age_days: Days | None = Field(
        default=30,
        description=f"A verify result older than this many days (0 to {MAX_AGE_DAYS:,}) is stale; "
                    "null: never stale.",
    )
    require_verified_for: list[Id] = Field(
        default_factory=list,
        description="Milestone ids not reached while a required done task lacks a passing, fresh verify.",
    )


class Scoring(Model):
    """How tasks weigh in the score when they carry no explicit weight."""

    weights: dict[Priority, Weight] = Field(
        default_factory=lambda: {"P0": 3.0, "P1": 2.0, "P2": 1.0, "P3": 1.0},
        description=f"Weight per priority (P0 to P9), each from {MIN_WEIGHT:g} to {MAX_WEIGHT:,}; "
                    "a priority not listed weighs 1.",
        json_schema_extra={"additionalProperties": False},
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


SCHEMA_ID = "urn:readiness:schema:source-file"
# Plain words that YAML 1.1 (this loader) reads as booleans and YAML 1.2 (editors, the schema)
# as text: the loader refuses them where text is expected (quote them), so the schema does too.
# (true and false are booleans in both.)
YAML11_BOOLEAN_WORDS = ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the source file, for editors (yaml-language-server)."""
    schema = Readiness.model_json_schema(by_alias=True, mode="validation")
    _refuse_yaml11_booleans(schema)
    schema["$defs"][_BOOLEAN_WORD] = {
        "enum": list(YAML11_BOOLEAN_WORDS),
        "description": "A word YAML 1.1 reads as a boolean: the loader refuses it as text. Write "
                       "other text; a quoted word is text to the loader, but the schema cannot tell.",
    }
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID}
    return {**head, **schema, "title": "readiness source file"}


_BOOLEAN_WORD = "Yaml11BooleanWord"


def _refuse_yaml11_booleans(node: Any) -> None:
    """Give every free-text string in the schema NODE a ``not`` of the YAML 1.1 boolean words.

    The schema cannot tell a quoted ``"yes"`` (text to the loader too) from a plain one: it
    refuses both, and the message says to write something else or quote it."""
    if isinstance(node, list):
        for item in node:
            _refuse_yaml11_booleans(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not {"enum", "const", "format"} & node.keys():
        refusal = {"$ref": f"#/$defs/{_BOOLEAN_WORD}"}
        if "not" in node:
            node.setdefault("allOf", []).append({"not": refusal})
        else:
            node["not"] = refusal
    for value in node.values():
        _refuse_yaml11_booleans(value)


def schema_text() -> str:
    """The JSON Schema as the text committed at schema/readiness.schema.json."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
