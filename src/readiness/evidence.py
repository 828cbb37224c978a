"""Evidence that done tasks hold: the evidence file, and figures over it (pure).

``readiness verify`` records the result of each task's verify commands in an evidence
file next to the source (``content/evidence.yaml``). The file is reviewed like code, so
it is written in a stable order (tasks by id, commands as the task lists them) and holds
no more than the reader needs: pass or fail, exit code, duration, commit, time, and the
tail of the output of a failed command. ``assess_evidence`` turns it into figures: which
done tasks are verified, which are only claimed, and which milestones that require
verified tasks are held back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator, Field, ValidationError

from readiness.atomic import refuse_linked_source_folders, remove_leftovers, write_atomically
from readiness.errors import SourceError, WouldLoseData
from readiness.figures import EvidenceFlag
from readiness.models import Id, Model, Readiness, Task, describe

EVIDENCE_NAME = "evidence.yaml"
HEADER = (
    "# Written by `readiness verify`: the results of each task's verify commands.\n"
    "# Review it like code; `readiness verify` rewrites it, so edits by hand are lost.\n"
)
OUTPUT_TAIL_BYTES = 2048  # of a failed command's output kept in the file: enough to see why


def _check_moment(value: Any) -> Any:
    """A time as verify writes it (2025-11-27T10:00:00Z), or a date; never a number (seconds since 1970).

    Quoted text is read as YAML reads the same text unquoted, so '2025-02-30T10:00:00Z' is
    refused as 2025-02-30T10:00:00Z is, with the same message; a time that cannot be shown
    in UTC (9999-12-31T23:59:59-05:00 is in the year 10000 there) is refused too.
    """
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"expected a time such as 2025-11-27T10:00:00Z, found {describe(value)}")
    if isinstance(value, str):
        value = _moment_from_text(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(dt.timezone.utc)  # how it is shown and written again
        except OverflowError:
            edge = "after the last time there is, 9999-12-31T23:59:59Z" if value.year > 1 else \
                "before the first time there is, 0001-01-01T00:00:00Z"
            raise ValueError(f"{value.isoformat()} falls {edge}, in UTC") from None
    return value


def _moment_from_text(text: str) -> dt.date:
    """TEXT read as a YAML timestamp; ValueError naming TEXT when it is not one or not a real time."""
    from yaml.constructor import SafeConstructor
    from yaml.nodes import ScalarNode

    if not SafeConstructor.timestamp_regexp.match(text):
        raise ValueError(f"expected a time such as 2025-11-27T10:00:00Z, found {describe(text)}")
    try:
        node = ScalarNode("tag:yaml.org,2002:timestamp", text)
        moment: dt.date = SafeConstructor().construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as error:
        kind = "date" if len(text) <= 10 else "date and time"
        raise ValueError(f"{text} is not a valid {kind}: {error}") from None
    return moment


Moment = Annotated[dt.datetime, BeforeValidator(_check_moment)]


class CommandResult(Model):
    """One verify command as it last ran."""

    command: str
    passed: bool
    exit_code: int | None = Field(description="None when the command did not start or was killed.")
    duration_seconds: float = Field(ge=0)
    commit: str | None = Field(description="HEAD when the command ran.")
    dirty: bool = Field(default=False, description="Tracked files differed from the commit.")
    ran_at: Moment = Field(description="UTC time the command started.")
    message: str | None = Field(default=None, description="Why it failed, in one line.")
    output_tail: str | None = Field(default=None, description="The end of a failed command's output.")


class TaskEvidence(Model):
    """The last run of a task's verify commands."""

    passed: bool
    ran_at: Moment
    commit: str | None
    commands: list[CommandResult]


class EvidenceFile(Model):
    """The whole evidence file."""

    version: int = 1
    tasks: dict[Id, TaskEvidence] = Field(default_factory=dict)

    def with_task(self, task_id: str, results: Sequence[CommandResult]) -> EvidenceFile:
        """A copy with TASK_ID's entry replaced by RESULTS (its whole latest run)."""
        entry = TaskEvidence(
            passed=all(r.passed for r in results),
            ran_at=min(r.ran_at for r in results),
            commit=results[0].commit,
            commands=list(results),
        )
        return EvidenceFile(version=self.version, tasks={**self.tasks, task_id: entry})


def evidence_path(source: Path) -> Path:
    """The evidence file belonging to SOURCE: next to it."""
    return source.parent / EVIDENCE_NAME


def load_evidence(path: Path) -> EvidenceFile:
    """Read the evidence file; an absent file is empty evidence, a broken one a SourceError (exit 3)."""
    from readiness.locate import decode_source, display_name, read_source
    from readiness.source import parse, validation_problems

    display = display_name(path)
    if not path.exists():
        return EvidenceFile()
    text = decode_source(read_source(path, display), display)  # bounded, a regular file only
    if not text.strip():
        return EvidenceFile()
    data = parse(text, display)
    try:
        return EvidenceFile.model_validate(data)
    except ValidationError as error:
        first = validation_problems(error, text, display, EvidenceFile)[0]
        raise SourceError([first._replace(
            message=f"{first.message} (the evidence file is written by `readiness verify`)")]) from None


def evidence_text(evidence: EvidenceFile) -> str:
    """The file's text: header, then tasks sorted by id, keys in a fixed order, for small diffs."""

    def command(result: CommandResult) -> dict[str, Any]:
        data: dict[str, Any] = {
            "command": result.command,
            "passed": result.passed,
            "exit_code": result.exit_code,
            "duration_seconds": round(result.duration_seconds, 3),
            "commit": result.commit,
            "dirty": result.dirty,
            "ran_at": iso(result.ran_at),
        }
        if result.message is not None:
            data["message"] = result.message
        if result.output_tail is not None:
            data["output_tail"] = result.output_tail
        return data

    tasks = {
        task_id: {
            "passed": entry.passed,
            "ran_at": iso(entry.ran_at),
            "commit": entry.commit,
            "commands": [command(c) for c in entry.commands],
        }
        for task_id, entry in sorted(evidence.tasks.items())
    }
    body: str = yaml.dump({"version": evidence.version, "tasks": tasks}, Dumper=_Dumper, sort_keys=False,
                          allow_unicode=True, width=100, default_flow_style=False)
    return HEADER + body


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """Safe dumper that writes multi-line text (command output) as a literal block, as it reads."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def save_evidence(path: Path, evidence: EvidenceFile) -> None:
    """Write the evidence file atomically (temporary file, then rename); never through a link,
    the file's or a folder's on its way (``atomic.refuse_linked_source_folders``)."""
    if path.is_symlink():
        raise WouldLoseData(f"{path} is a symbolic link: refusing to write through it")
    refuse_linked_source_folders(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, evidence_text(evidence).encode("utf-8"))


def record_results(path: Path, task_id: str, results: Sequence[CommandResult]) -> list[Path]:
    """Put TASK_ID's latest run into the evidence file at PATH; return leftovers removed.

    Under the repository's readiness lock, the file is read again, merged and replaced, so
    two runs of verify at once never lose each other's results.
    """
    from readiness.locking import exclusive

    with exclusive(path.parent, "verify"):
        removed = remove_leftovers(path)
        save_evidence(path, load_evidence(path).with_task(task_id, results))
    return removed


def iso(moment: dt.datetime) -> str:
    """UTC time as ISO 8601 with a Z, to the second."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


# --- Figures over the evidence (pure) ------------------------------------------------------------


VERIFIED = "verified"
FAILED = "failed"
STALE = "stale"
NEVER = "never verified"
NO_COMMANDS = "no verify commands"


@dataclass(frozen=True)
class TaskCheck:
    """A done task and what backs its claim."""

    task: Task
    missing: tuple[str, ...]  # deliverables not in the repository
    state: str  # VERIFIED, FAILED, STALE, NEVER or NO_COMMANDS
    last: TaskEvidence | None
    age_days: int | None

    @property
    def verified(self) -> bool:
        """A passing, fresh verify result, and every deliverable present."""
        return self.state == VERIFIED and not self.missing

    @property
    def flagged(self) -> bool:
        """Claimed but unverified: deliverables missing, or verify commands failed, stale or never run."""
        return bool(self.missing) or self.state in (FAILED, STALE, NEVER)

    @property
    def unchecked(self) -> bool:
        """Neither verified nor flagged: no verify commands to run, and no deliverable missing."""
        return not self.verified and not self.flagged

    @property
    def reasons(self) -> tuple[str, ...]:
        found = []
        if self.missing:
            found.append("missing " + ", ".join(self.missing))
        if self.state == FAILED:
            found.append("verify failed")
        elif self.state == STALE:
            found.append(f"verified {self.age_days} days ago")
        elif self.state == NEVER:
            found.append("never verified")
        return tuple(found)


@dataclass(frozen=True)
class EvidenceReport:
    """Evidence figures of one model: per done task, and the count of claims. What they mean for
    milestones and checklists is decided by the assessment (``readiness.assessment``)."""

    as_of: dt.date
    max_age_days: int | None
    tasks: tuple[TaskCheck, ...]

    @property
    def claimed_but_unverified(self) -> int:
        return sum(1 for t in self.tasks if t.flagged)

    @property
    def verified(self) -> int:
        return sum(1 for t in self.tasks if t.verified)

    @property
    def unchecked(self) -> int:
        """Done tasks with no verify commands and no missing deliverable: nothing to check them by.
        With ``verified`` and ``claimed_but_unverified``, every done task is counted exactly once."""
        return sum(1 for t in self.tasks if t.unchecked)

    def task(self, task_id: str) -> TaskCheck:
        return self._by_id[task_id]

    @functools.cached_property
    def _by_id(self) -> dict[str, TaskCheck]:
        # pages look up every done task: a dict keeps that linear on large sources
        return {item.task.id: item for item in self.tasks}


def check_tasks(model: Readiness, evidence: EvidenceFile, flags: Sequence[EvidenceFlag] | None,
                now: dt.date | dt.datetime | None = None) -> EvidenceReport:
    """What backs each done task's claim: its verify results in EVIDENCE, aged from NOW (else the
    model's ``project.as_of``), and its missing deliverables from FLAGS (``figures.evidence``; None
    when the repository was not looked at)."""
    today = now.date() if isinstance(now, dt.datetime) else now or model.project.as_of
    max_age = model.evidence.max_age_days
    missing_of = {} if flags is None else {f.task.id: f.missing for f in flags}
    checks = []
    for task in model.tasks:
        if not task.is_done:
            continue
        last = evidence.tasks.get(task.id)
        age = None if last is None else max(0, (today - last.ran_at.date()).days)
        if not task.verify:
            state = NO_COMMANDS
        elif last is None:
            state = NEVER
        elif not last.passed or [c.command for c in last.commands] != list(task.verify):
            # Commands changed since the run: the result is about other commands.
            state = FAILED if not last.passed else NEVER
        elif max_age is not None and age is not None and age > max_age:
            state = STALE
        else:
            state = VERIFIED
        checks.append(TaskCheck(task, missing_of.get(task.id, ()), state, last, age))
    return EvidenceReport(today, max_age, tuple(checks))


def evidence_json(report: EvidenceReport) -> dict[str, Any]:
    """The report as plain JSON data (the ``verification`` key of ``check --format json``)."""
    return {
        "as_of": report.as_of.isoformat(),
        "max_age_days": report.max_age_days,
        "claimed_but_unverified": report.claimed_but_unverified,
        "verified": report.verified,
        "unchecked": report.unchecked,
        "tasks": [
            {
                "task": c.task.id,
                "state": c.state,
                "verified": c.verified,
                "flagged": c.flagged,
                "reasons": list(c.reasons),
                "missing": list(c.missing),
                "last_run": None if c.last is None else iso(c.last.ran_at),
                "last_commit": None if c.last is None else c.last.commit,
                "age_days": c.age_days,
            }
            for c in report.tasks
        ],
    }
