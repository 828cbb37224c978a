"""The readiness state through git history: figures at every commit that changed the source.

Blobs are read through ``gitops`` with ONE ``git cat-file --batch`` for all commits, so
git's share of the time is small; the rest is parsing, validating and scoring each
version. A commit whose source does not load is skipped and counted, never fatal.

The same walk finds the previous state the executive summary compares with (``Previous``):
the newest committed version whose bytes differ from the source as it is now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from readiness.errors import ReadinessError, SourceError
from readiness.figures.assessment import Assessment, assess_project, reached_milestones
from readiness.figures.core import whole_points
from readiness.git.repository import Repository, blob_sizes, path_at, read_blobs, resolve_commit, source_log
from readiness.source.models import Readiness


@dataclass(frozen=True)
class HistoryPoint:
    """The figures of the source as one commit left it."""

    commit: str
    committed: dt.datetime
    path: str
    as_of: dt.date
    score: float
    tasks_done: int
    tasks_total: int
    milestones_reached: tuple[str, ...]
    milestones_total: int


@dataclass(frozen=True)
class Previous:
    """An earlier committed version of the source, assessed alone (as ``summary`` assesses it)."""

    commit: str
    committed: dt.datetime
    path: str
    assessment: Assessment


@dataclass(frozen=True)
class History:
    """Points oldest first, and the commits skipped because their source did not load.

    ``previous``: when the walk was given the current bytes, the newest version that loads and
    whose bytes differ from them (None: there is none)."""

    path: str
    points: tuple[HistoryPoint, ...]
    skipped: tuple[str, ...]
    previous: Previous | None = None


def summary(model: Readiness, commit: str, committed: dt.datetime, path: str) -> HistoryPoint:
    """The few figures history shows. Milestones are reached as the assessment of the source alone
    decides (the verify results and deliverables of an old commit are not read)."""
    return _point(assess_project(model), commit, committed, path)


def _point(assessment: Assessment, commit: str, committed: dt.datetime, path: str) -> HistoryPoint:
    figures, model = assessment.figures, assessment.model
    return HistoryPoint(commit, committed, path, model.project.as_of, figures.score, figures.tasks.done,
                        figures.tasks.total, reached_milestones(assessment), len(model.milestones))


class ChunkedLoader:
    """Loads many versions of one source quickly, parsing only the parts that changed.

    Consecutive versions differ in a few lines, and YAML parsing is most of the cost of a
    version. A block-style document splits exactly at its column-0 lines (top-level keys)
    and its ``tasks`` items; each part is parsed once and remembered by its text. The
    split is used only where it cannot change the meaning: one document (no markers or
    directives), no tabs, unique top-level keys, every part parsing on its own (an alias
    whose anchor lies in another part does not, so aliases resolve as in the whole file),
    and the result validating. Anything else (including every invalid version) goes
    through ``load_text`` on the whole text, so results and error messages are the same.
    """

    _UNSAFE = ("\n---", "\n...", "\n%", "\t")

    def __init__(self) -> None:
        self._parsed: dict[str, dict[str, Any]] = {}

    def load(self, text: str, display: str) -> Readiness:
        from readiness.source.loader import load_text, model_from_data

        data = self._fast_data(text, display)
        if data is not None:
            try:
                model: Readiness = model_from_data(data, text, display)
                return model
            except SourceError:
                pass  # report it exactly as a whole-file load would
        whole: Readiness = load_text(text, display)
        return whole

    def _fast_data(self, text: str, display: str) -> dict[str, Any] | None:
        if text.startswith(("---", "%", "\ufeff")) or any(mark in text for mark in self._UNSAFE):
            return None
        data: dict[str, Any] = {}
        try:
            for block in _top_level_blocks(text):
                first_line = block.split("\n", 1)[0]
                if first_line.startswith("tasks:") and first_line[6:].split("#")[0].strip() == "":
                    items = _items(block)
                    if items is None:
                        return None
                    tasks: list[Any] = []
                    for item in items:
                        tasks.extend(self._parse("tasks:\n" + item, display)["tasks"] or [])
                    part: dict[str, Any] = {"tasks": tasks}
                else:
                    part = self._parse(block, display)
                if part.keys() & data.keys():
                    return None  # a duplicate top-level key: let the whole-file load report it
                data.update(part)
        except (SourceError, TypeError, KeyError):
            return None
        return data

    def _parse(self, chunk: str, display: str) -> dict[str, Any]:
        from readiness.source.loader import parse

        if chunk not in self._parsed:
            self._parsed[chunk] = parse(chunk, display)
        return self._parsed[chunk]


def _top_level_blocks(text: str) -> list[str]:
    """TEXT cut before every line that starts at column 0 with a key (comments stay with the block)."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        # "- " at column 0 is an item of the key above ("tasks:\n- id: a"), not a new key.
        if line[:1] not in ("", " ", "#", "-", "\n", "\r") and blocks[-1] and any(
                not other.lstrip().startswith("#") and other.strip() for other in blocks[-1]):
            blocks.append([])
        blocks[-1].append(line)
    return ["".join(b) for b in blocks if any(line.strip() and not line.lstrip().startswith("#")
                                              for line in b)]


def _items(block: str) -> list[str] | None:
    """The items of a block sequence under ``tasks:``, each as its own text; None if not that shape."""
    lines = block.splitlines(keepends=True)[1:]
    items: list[list[str]] = []
    indent: int | None = None
    for line in lines:
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            if items:
                items[-1].append(line)
            continue
        depth = len(line) - len(stripped)
        if indent is None:
            indent = depth
        if depth == indent and (stripped.startswith("- ") or stripped.rstrip("\r\n") == "-"):
            items.append([line])
        elif depth > indent and items:
            items[-1].append(line)
        else:
            return None
    return ["".join(item) for item in items]


def walk_history(repo: Repository, path: str,
                 progress: Callable[[int], Any] | None = None, *, current: bytes | None = None) -> History:
    """Figures at each commit that changed PATH (relative to the root), following renames.

    PROGRESS, when given, is called with the number of commits done since the last call. With
    CURRENT (the source's bytes now), ``previous`` is the newest version that loads and whose bytes
    differ from CURRENT: HEAD's when the file was changed since, else the one before the last
    commit that changed it. Its assessment is the one the walk makes anyway, kept.
    """
    log = source_log(repo, path)
    from readiness.source.locate import MAX_BYTES

    blobs = read_blobs(repo, [(c.commit, c.path) for c in log], limit=MAX_BYTES)  # larger: skipped
    loader = ChunkedLoader()
    found: list[HistoryPoint] = []
    skipped: list[str] = []
    previous: Previous | None = None
    for entry, blob in zip(reversed(log), reversed(blobs), strict=True):
        try:
            if blob is None:
                raise SourceError("absent")  # deleted in this commit
            model = loader.load(blob.decode("utf-8"), f"{entry.commit[:12]}:{entry.path}")
            assessment = assess_project(model)
            committed = dt.datetime.fromisoformat(entry.committed)
            found.append(_point(assessment, entry.commit, committed, entry.path))
            if current is not None and blob != current:  # oldest first: the last one kept is the newest
                previous = Previous(entry.commit, committed, entry.path, assessment)
        except (SourceError, UnicodeDecodeError):
            skipped.append(entry.commit)
        if progress is not None:
            progress(1)
    return History(path, tuple(found), tuple(skipped), previous)


def source_at(repo: Repository, rev: str, path: str) -> tuple[str, dt.datetime, str]:
    """The commit REV names, its date, and the text of PATH in it."""
    resolved = resolve_commit(repo, rev)
    if resolved is None:
        raise ReadinessError(f"{rev!r} names no commit in {repo.root}")
    sha, committed = resolved
    from readiness.source.locate import MAX_BYTES, decode_source

    named = path
    size = blob_sizes(repo, [(sha, path)])[0]
    if size is None:
        then = path_at(repo, sha, path)  # the source may have been renamed since
        size = blob_sizes(repo, [(sha, then)])[0] if then else None
        named = then or path
    if size is None:
        raise SourceError(f"{path} does not exist at {rev} ({sha[:12]})")
    if size > MAX_BYTES:  # refused from its size, before a byte of it is read
        raise SourceError(f"{rev}:{path}: the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
    blob = read_blobs(repo, [(sha, named)], limit=MAX_BYTES)[0]
    if blob is None:
        raise SourceError(f"{path} does not exist at {rev} ({sha[:12]})")

    return sha, dt.datetime.fromisoformat(committed), decode_source(blob, f"{rev}:{path}")


def score_series(history: History | Iterable[HistoryPoint]) -> list[tuple[dt.datetime, float]]:
    """(commit time, score) oldest first: the line of the score-over-time picture."""
    items = history.points if isinstance(history, History) else tuple(history)
    return [(p.committed, p.score) for p in items]


def skipped_note(history: History) -> str | None:
    """One line about skipped commits, or None."""
    count = len(history.skipped)
    if not count:
        return None
    return f"{count} commit{'s' if count != 1 else ''} skipped: the source did not load"


def history_lines(history: History) -> list[str]:
    """The text table: date, commit, score, tasks done, milestones reached (oldest first)."""
    lines = [f"{'date':<10}  {'commit':<12}  {'score':>5}  {'tasks done':>10}  milestones reached"]
    for point in history.points:
        tasks = f"{point.tasks_done}/{point.tasks_total}"
        reached = ", ".join(point.milestones_reached) or "-"
        lines.append(f"{point.committed.date().isoformat():<10}  {point.commit[:12]:<12}  "
                     f"{whole_points(point.score):>5}  {tasks:>10}  {reached}")
    return lines


def history_json(history: History) -> dict[str, Any]:
    """The history as plain JSON data."""
    return {
        "source": history.path,
        "commits": [
            {
                "commit": p.commit,
                "date": p.committed.isoformat(),
                "path": p.path,
                "as_of": p.as_of.isoformat(),
                "score": whole_points(p.score),
                "score_exact": round(p.score, 4),
                "tasks_done": p.tasks_done,
                "tasks_total": p.tasks_total,
                "milestones_reached": list(p.milestones_reached),
                "milestones_total": p.milestones_total,
            }
            for p in history.points
        ],
        "skipped": list(history.skipped),
    }


def sparkline_points(series: Sequence[tuple[dt.datetime, float]]) -> list[tuple[float, float]]:
    """SERIES as (fraction of the time span, score) pairs, for drawing."""
    if not series:
        return []
    start = series[0][0].timestamp()
    span = series[-1][0].timestamp() - start
    if span <= 0:
        # All at one moment (or one point): spread evenly so every change is visible.
        count = max(1, len(series) - 1)
        return [(i / count if len(series) > 1 else 0.5, s) for i, (_, s) in enumerate(series)]
    return [((moment.timestamp() - start) / span, score) for moment, score in series]
