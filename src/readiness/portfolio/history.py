"""A member's score on a past date, from the git history of its source (``portfolio --since``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from readiness.errors import ReadinessError, SourceError


def score_on(source: Path, day: dt.date) -> int | None:
    """The score of SOURCE as the last commit on or before DAY (its committer date) left it; None
    when no commit of the source is that old. Raises ReadinessError when SOURCE is not in a
    repository, or that version does not load."""
    from readiness.figures.core import whole_points
    from readiness.git.repository import open_repository, read_blobs, source_log
    from readiness.history import summary
    from readiness.source.loader import load_text
    from readiness.source.locate import decode_source

    folder = source.parent if source.parent.is_dir() else None
    try:
        repo = open_repository(folder)
    except ReadinessError:
        raise ReadinessError("not in a git repository: no history") from None
    log = source_log(repo, repo.relative(source))
    entry = next((c for c in log if dt.datetime.fromisoformat(c.committed).date() <= day), None)
    if entry is None:
        return None
    blob = read_blobs(repo, [(entry.commit, entry.path)])[0]
    if blob is None:
        return None  # deleted in that commit
    display = f"{entry.commit[:12]}:{entry.path}"
    try:
        model = load_text(decode_source(blob, display), display)
    except SourceError:
        raise ReadinessError(f"the source at {entry.commit[:12]} does not load") from None
    committed = dt.datetime.fromisoformat(entry.committed)
    return whole_points(summary(model, entry.commit, committed, entry.path).score)
