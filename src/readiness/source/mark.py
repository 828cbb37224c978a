"""Change one task's status in the source file, leaving every other byte as it was.

``set_status`` is pure: it finds the task's ``status`` value with ruamel.yaml's composer
(the layer beneath its round-trip loader, which gives each value's exact character span,
quote style and anchor), replaces exactly that text, and proves the result: the edited
text must load and validate, and its model must differ from the original's only in that
task's status. Where it cannot guarantee that (aliases, anchors, merge keys, block or
multi-line values, tags), it refuses instead of guessing.

``mark_file`` is the thin part that reads and writes: it refuses symbolic links (the file,
or a folder on its way within its project: ``atomic.refuse_linked_source_folders``) and hard
links, notices when the file changed on disk while it worked, and replaces the file
atomically with its mode kept. A ``mark`` killed part way leaves the old file or the new
one; a temporary file it may leave beside it is removed by the next ``mark`` (see
``readiness.files.atomic``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from readiness.errors import ReadinessError, SystemRefused, WouldLoseData
from readiness.files.atomic import refuse_linked_source_folders, remove_leftovers

STATUSES = ("done", "in progress", "pending", "blocked")
_MERGE_TAG = "tag:yaml.org,2002:merge"


class InvalidMark(ReadinessError):
    """The task or the status asked for does not exist."""

    exit_code = 3


class CannotMarkSafely(WouldLoseData):
    """Refused: the edit could change more than the one status value, or lose a change."""

    exit_code = 4


@dataclass(frozen=True)
class Edit:
    """The outcome of ``set_status``: the new text and where the value was."""

    text: str
    task_id: str
    old: str
    new: str
    line: int
    column: int
    removed: tuple[str, ...] = ()  # temporary files of a killed earlier run, removed
    warnings: tuple[str, ...] = ()  # what of the file's metadata could not be kept, one line each
    models: tuple[Any, ...] = field(default=(), compare=False, repr=False)  # validated (before, after)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def normalise_status(status: str) -> str:
    """'In-Progress', 'in_progress' and 'in progress' all mean 'in progress'."""
    wanted = " ".join(status.strip().lower().replace("-", " ").replace("_", " ").split())
    if wanted not in STATUSES:
        hint = difflib.get_close_matches(wanted, STATUSES, n=1, cutoff=0.5)
        tail = f"; did you mean '{hint[0]}'?" if hint else ""
        raise InvalidMark(f"unknown status '{status}': expected one of {', '.join(STATUSES)}{tail}")
    return wanted


def set_status(text: str, task_id: str, status: str, display: str = "content/readiness.yaml",
               today: dt.date | None = None) -> str:
    """TEXT with task TASK_ID's status set to STATUS (and its ``completed`` date, see ``plan_status``)."""
    return plan_status(text, task_id, status, display, today).text


def _completed(text: str, shift: int, status: Any, fields: dict[Any, Any], new: str,
               completed: dt.date | None, today: dt.date | None) -> tuple[str, dt.date | None]:
    """TEXT (already SHIFTed by the status edit) with the task's ``completed`` line set for a task
    now done, or removed for a task reopened; and the date it then holds."""
    pair = fields.get("completed")
    if new == "done":
        day = today or dt.date.today()
        if pair is None:  # a new line after the status value, at the status key's indentation
            indent = " " * fields["status"][0].start_mark.column
            at = status.end_mark.index + shift
            line_end = text.find("\n", at)
            if line_end == -1 or text[at:line_end].strip():
                return text, completed  # something follows the value on its line: leave it
            newline = "\r\n" if text[line_end - 1:line_end] == "\r" else "\n"
            line = f"{indent}completed: {day.isoformat()}{newline}"
            return text[:line_end + 1] + line + text[line_end + 1:], day
        key, value = pair
        if value.start_mark.line != value.end_mark.line or value.anchor is not None or key.anchor is not None:
            return text, completed
        offset = shift if value.start_mark.index > status.start_mark.index else 0
        a, b = value.start_mark.index + offset, value.end_mark.index + offset
        return text[:a] + day.isoformat() + text[b:], day
    if pair is None or completed is None:
        return text, completed
    key, value = pair
    offset = shift if key.start_mark.index > status.start_mark.index else 0
    start = text.rfind("\n", 0, key.start_mark.index + offset) + 1
    end = text.find("\n", value.end_mark.index + offset)
    end = len(text) if end == -1 else end + 1
    if text[start:key.start_mark.index + offset].strip() or value.anchor is not None or key.anchor is not None:
        return text, completed  # not a line of its own: leave it
    return text[:start] + text[end:], None


def plan_status(text: str, task_id: str, status: str, display: str = "content/readiness.yaml",
                today: dt.date | None = None) -> Edit:
    """Like ``set_status``, with where the value was and what it held.

    Marking a task done sets its ``completed`` date to TODAY (default: the day it runs), and
    reopening a done task removes it, each as one more line added, replaced or removed in a task
    written as a block mapping (a task written in flow style keeps its ``completed`` as it is)."""
    from readiness.source.loader import load_text

    new = normalise_status(status)
    before = load_text(text, display)  # SourceError as is when the file is invalid
    ids = [task.id for task in before.tasks]
    if task_id not in ids:
        hint = difflib.get_close_matches(task_id, ids, n=1, cutoff=0.6)
        tail = f"; did you mean '{hint[0]}'?" if hint else ""
        raise InvalidMark(f"{display}: no task with id '{task_id}'{tail}")
    index = ids.index(task_id)

    node, task_node, fields = _status_node(text, task_id, display)
    start, end = node.start_mark.index, node.end_mark.index
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    where = f"{display}:{line}:{column}: tasks[{index}].status"
    old = node.value
    style = _style(text[start:end], old, node.style)
    if style is None:
        raise CannotMarkSafely(f"{where}: the value is written as {text[start:end]!r}, with a tag, escape "
                               "or line break; write it as a plain value (status: pending) to use mark")
    if old == new:
        return Edit(text, task_id, old, new, line, column, models=(before, before))

    edited = text[:start] + _quoted(new, style) + text[end:]
    completed = before.tasks[index].completed
    if not getattr(task_node, "flow_style", False):  # a block mapping: one line more or less
        edited, completed = _completed(edited, len(edited) - len(text), node, fields, new, completed, today)
    after = load_text(edited, display)
    expected = before.model_dump()
    expected["tasks"][index]["status"] = new
    expected["tasks"][index]["completed"] = completed
    if after.model_dump() != expected:  # pragma: no cover - a guard against a parser disagreement
        raise CannotMarkSafely(f"{where}: the edit would change more than this status; nothing written")
    return Edit(edited, task_id, old, new, line, column, models=(before, after))


def _status_node(text: str, task_id: str, display: str) -> tuple[Any, Any, dict[Any, Any]]:
    """The composed scalar node of TASK_ID's status, refusing shared or merged structure."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        root = YAML(typ="rt", pure=True).compose(text)
    except YAMLError as error:  # PyYAML read it, ruamel.yaml does not: do not guess
        mark = getattr(error, "problem_mark", None)
        where = f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
        problem = getattr(error, "problem", None) or "cannot be read"
        raise CannotMarkSafely(f"{where}: the round-trip YAML reader refuses this file ({problem}); "
                               "edit the file by hand") from None

    def refuse(node: Any, what: str) -> CannotMarkSafely:
        mark = node.start_mark
        return CannotMarkSafely(f"{display}:{mark.line + 1}:{mark.column + 1}: {what}: mark edits one value "
                                "in place and cannot guarantee that here; edit the file by hand")

    def items(mapping: Any) -> Iterator[tuple[Any, Any]]:
        for key, value in mapping.value:
            if key.tag == _MERGE_TAG or (isinstance(key, ScalarNode) and key.value == "<<"):
                raise refuse(key, "a merge key (<<) is involved")
            yield key, value

    tasks = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "tasks"), None)
    if tasks is None or not isinstance(tasks, SequenceNode):  # pragma: no cover - load_text checked it
        raise InvalidMark(f"{display}: no tasks")
    if tasks.anchor is not None:
        raise refuse(tasks, "the task list is an anchor or alias")
    for task in tasks.value:
        if not isinstance(task, MappingNode):  # pragma: no cover - load_text checked it
            continue
        fields = {(k.value if isinstance(k, ScalarNode) else None): (k, v) for k, v in items(task)}
        id_pair = fields.get("id")
        if id_pair is None or id_pair[1].value != task_id:
            continue
        if task.anchor is not None:
            raise refuse(task, f"task '{task_id}' is an anchor or alias")
        key, value = fields["status"]
        if key.anchor is not None or value.anchor is not None:
            raise refuse(value, f"the status of task '{task_id}' is an anchor or alias")
        if not isinstance(value, ScalarNode):  # pragma: no cover - load_text checked it
            raise refuse(value, "the status is not a single value")
        if value.style in ("|", ">") or value.start_mark.line != value.end_mark.line:
            raise refuse(value, f"the status of task '{task_id}' is a block or multi-line value")
        return value, task, fields
    raise InvalidMark(f"{display}: no task with id '{task_id}'")  # pragma: no cover - load_text checked it


def _style(token: str, value: str, style: str | None) -> str | None:
    """The quote style of TOKEN ('' plain, "'" or '"') if it is exactly VALUE so written, else None."""
    for candidate in ("", "'", '"'):
        if (style or "") == candidate and token == _quoted(value, candidate):
            return candidate
    return None


def _quoted(value: str, style: str) -> str:
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


# --- the file -----------------------------------------------------------------------------


def mark_file(path: Path, task_id: str, status: str, *, dry_run: bool = False,
              before_replace: Callable[[Path], None] | None = None,
              after_check: Callable[[Path], None] | None = None,
              remember: Callable[[bytes, Any], None] | None = None) -> Edit:
    """Set TASK_ID's status in the file at PATH in place; return what was done.

    BEFORE_REPLACE is called just before the file is checked again and replaced, AFTER_CHECK
    just after that check, before the rename (tests use them to change the file meanwhile).
    A change saved meanwhile is never overwritten: ``atomic.replace_if_unchanged``.
    """
    from readiness.files.atomic import ChangedMeanwhile, replace_if_unchanged
    from readiness.source.locate import decode_source
    from readiness.source.locate import display_name as _display

    display = _display(path)
    if path.is_symlink():
        raise CannotMarkSafely(f"{display}: is a symbolic link; mark does not write through links "
                               f"(pass the real file with --source {os.path.realpath(path)})")
    refuse_linked_source_folders(path)
    # temporary files of a killed run first (a hard link kept while replacing is one); the
    # caller holds the lock, so no other readiness process is writing them
    removed = () if dry_run else tuple(str(p) for p in remove_leftovers(path))
    data, info = _read(path, display)
    if info.st_nlink > 1:
        raise CannotMarkSafely(f"{display}: has {info.st_nlink} hard links; replacing it would split them")
    try:
        edit = plan_status(decode_source(data, display), task_id, status, display)
    except ReadinessError:
        if _changed_since(path, data, info):  # read half saved by an editor: not the file's fault
            raise CannotMarkSafely(f"{display}: changed on disk while mark was reading it; nothing written, "
                                   "run it again") from None
        raise
    if not edit.changed or dry_run:
        return replace(edit, removed=removed)

    def guard(target: Path) -> None:
        if before_replace is not None:
            before_replace(target)
        refuse_linked_source_folders(target)  # again: a folder may have become a link meanwhile

    written = edit.text.encode("utf-8")
    try:
        warnings = replace_if_unchanged(path, written, data, info, display=display, before_check=guard,
                                        after_check=after_check)
    except ChangedMeanwhile as error:
        raise CannotMarkSafely(str(error)) from None
    except OSError as error:  # the system refused (permission denied, disk full): exit 1
        raise SystemRefused(f"{display}: cannot write: {error.strerror or error}; the file is "
                            "unchanged") from None
    if remember is not None and len(edit.models) == 2:  # for `readiness commit`: HEAD's is often the first
        remember(data, edit.models[0])
        remember(written, edit.models[1])
    return replace(edit, removed=removed, warnings=tuple(warnings))


def _changed_since(path: Path, data: bytes, info: os.stat_result) -> bool:
    """True when PATH no longer holds DATA as read with stat INFO."""
    from readiness.files.atomic import still_the_same

    return not still_the_same(path, data, info)


def _read(path: Path, display: str) -> tuple[bytes, os.stat_result]:
    from readiness.source.locate import read_source_file

    return read_source_file(path, display)
