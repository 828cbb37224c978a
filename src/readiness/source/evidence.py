"""The evidence file: what ``readiness verify`` records, read and written in a stable order.

``readiness verify`` records the result of each task's verify commands in an evidence
file next to the source (``content/evidence.yaml``). The file is reviewed like code, so
it is written in a stable order (tasks by id, commands as the task lists them) and holds
no more than the reader needs: pass or fail, exit code, duration, commit, time, and the
tail of the output of a failed command. What it means for done tasks is decided in
``readiness.figures.evidence``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BeforeValidator, Field, ValidationError

from readiness.errors import SourceError
from readiness.source.models import Id, Model, describe

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


def load_evidence(path: Path) -> EvidenceFile:
    """Read the evidence file; an absent file is empty evidence, a broken one a SourceError (exit 3)."""
    from readiness.source.locate import display_name, evidence_bytes

    return evidence_from_bytes(evidence_bytes(path), display_name(path))


def evidence_from_bytes(data: bytes, display: str) -> EvidenceFile:
    """The evidence file in DATA (empty: no runs yet); a broken one is a SourceError (exit 3)."""
    from readiness.source.loader import parse, validation_problems
    from readiness.source.locate import decode_source

    text = decode_source(data, display)
    if not text.strip():
        return EvidenceFile()
    parsed = parse(text, display)
    try:
        return EvidenceFile.model_validate(parsed)
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


def iso(moment: dt.datetime) -> str:
    """UTC time as ISO 8601 with a Z, to the second."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"
