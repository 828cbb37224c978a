"""`readiness badge`: the score badge written as readiness.svg and a shields.io endpoint readiness.json."""

from __future__ import annotations

from pathlib import Path

from readiness.app.output import Line, Lines
from readiness.platforms import require_posix


def write_badge(source: str | Path | None = None, out: str | Path | None = None) -> Lines:
    """Write the badges of SOURCE in OUT (default: the pages folder); never replaces a file it
    did not write (``WouldLoseData``)."""
    require_posix("badge")

    from readiness.app.project import LINKED_SOURCE_HINT, display_path, load, project_folder
    from readiness.figures.core import assess, whole_points
    from readiness.files.atomic import refuse_linked_folders
    from readiness.pages.badge import write_badges
    from readiness.pages.generated import pages_folder

    path, _, model = load(source)
    if not out:  # the badge goes next to the source: not through a linked folder
        from readiness.files.atomic import refuse_linked_source_folders

        refuse_linked_source_folders(path, LINKED_SOURCE_HINT)
    root = project_folder(path)
    folder = Path(out) if out else root / pages_folder(model.housekeeping.pages_dir)
    from readiness.files.locking import exclusive

    figures = assess(model)
    refuse_linked_folders(root, folder, ", or choose another --out")
    with exclusive(root, "badge"):
        written = write_badges(folder, figures.score)
    for item in written:
        yield Line(f"wrote {display_path(item)}")
    if not written:
        yield Line(f"badges up to date ({whole_points(figures.score)}/100)")
