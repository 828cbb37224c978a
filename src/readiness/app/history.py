"""`readiness history`: the score, tasks done and milestones reached at every commit of the source."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from readiness.app.output import Line, Lines, note

# A progress bar for TOTAL steps, as a context giving the function that advances it by some steps.
ProgressBar = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def history_report(source: str | Path | None = None, *, fmt: str = "text",
                   progress: ProgressBar | None = None) -> Lines:
    """The history of SOURCE as lines (FMT text) or one JSON document (FMT json); a note on
    standard error for commits whose source did not load. PROGRESS: a bar for a person watching,
    used when the walk takes a while."""
    import json

    from readiness.app.project import source_file
    from readiness.git.repository import open_repository, source_log
    from readiness.history import history_json, history_lines, skipped_note, walk_history
    from readiness.terminal import safe, safe_json

    path = source_file(source)
    repo = open_repository(path.parent if path.parent.is_dir() else Path.cwd())
    relative = repo.relative(path)
    total = len(source_log(repo, relative)) if progress is not None else 0
    if progress is not None and total > 50:
        with progress(total) as advance:
            result = walk_history(repo, relative, progress=advance)
    else:
        result = walk_history(repo, relative)
    if fmt == "json":
        yield Line(safe_json(json.dumps(history_json(result), indent=2, ensure_ascii=False)))
    else:
        shown = safe(relative)
        if not result.points:
            yield Line(f"no commit of {shown} loads" if result.skipped else f"{shown} has no commits yet")
        for line in history_lines(result) if result.points else []:
            yield Line(safe(line))
    text = skipped_note(result)
    if text:
        yield note(text)
