"""`readiness build`: the readiness pages written as Markdown files, once or on every change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from readiness.app.output import Line, Lines, error_text, note, refusal_text
from readiness.errors import ReadinessError
from readiness.platforms import require_posix
from readiness.words import plural


def build_pages(source: str | Path | None, *, out: str | Path | None = None,
                templates: str | Path | None = None, check: bool = False, flavor: str = "material") -> Lines:
    """Write the pages of SOURCE in their folder (OUT), or with CHECK compare them and say how many
    are up to date (``GateFailed`` when any is stale)."""
    require_posix("build")
    from readiness.app.project import source_file

    yield from _build(source_file(source), out, templates, check, flavor)


def watch_pages(source: str | Path | None, *, out: str | Path | None = None,
                templates: str | Path | None = None, flavor: str = "material",
                show: Callable[[Line], None], flush: Callable[[], None]) -> None:
    """Build the pages now and after every change to the source, the evidence file or the
    templates, until interrupted; SHOW each line as it comes, FLUSH after each build. An invalid
    save is shown and the watch goes on. ``KeyboardInterrupt`` in the middle of a build is raised
    (an interruption); between two builds it ends the watch."""
    require_posix("build")
    from readiness.app.project import display_path, project_folder, source_file
    from readiness.files.watch import watch
    from readiness.source.locate import evidence_path, templates_folder
    from readiness.terminal import safe

    source_path = source_file(source)
    root = project_folder(source_path)
    templates_path = root / templates if templates else templates_folder(root)
    watched = [source_path, evidence_path(source_path), templates_path]
    building, announced = False, False

    def rebuild() -> None:
        nonlocal building, announced
        building = True
        try:
            for line in _build(source_path, out, templates, False, flavor):
                show(line)
        except ReadinessError as error:  # an invalid save: say so, keep watching
            show(note(error_text(error)))
        except OSError as error:
            show(note(refusal_text(error)))
        building = False
        flush()
        if not announced:
            announced = True
            shown = ", ".join(safe(display_path(p)) for p in watched)
            show(note(f"readiness: watching {shown} for changes (Ctrl-C to stop)"))

    try:
        watch(watched, rebuild)
    except KeyboardInterrupt:
        if building:
            raise  # in the middle of writing: reported as an interruption (exit 130)
        show(note("readiness: stopped watching"))


def _build(source_path: Path, out: str | Path | None, templates: str | Path | None, check: bool,
           flavor: str) -> Lines:
    """One build: the pages of SOURCE_PATH written (or compared, with CHECK) in their folder."""
    from readiness.app.project import LINKED_SOURCE_HINT, project_folder
    from readiness.digest import remember_model
    from readiness.files.atomic import refuse_linked_folders
    from readiness.files.locking import exclusive
    from readiness.pages.badge import write_badges
    from readiness.pages.catalogue import refuse_unknown_pages
    from readiness.pages.folder import write_pages
    from readiness.pages.generated import pages_folder
    from readiness.pages.site import assessment_of, pages_for
    from readiness.source.loader import read_and_load
    from readiness.source.locate import evidence_bytes, evidence_path, templates_folder

    text, model = read_and_load(source_path)
    if not check and not out:  # the pages go next to the source: not through a linked folder
        from readiness.files.atomic import refuse_linked_source_folders

        refuse_linked_source_folders(source_path, LINKED_SOURCE_HINT)
    root = project_folder(source_path)
    templates_path = root / templates if templates else templates_folder(root)
    refuse_unknown_pages(source_path, text, model, templates_path)
    folder = Path(out) if out else root / pages_folder(model.housekeeping.pages_dir)
    assessment = assessment_of(model, source_path, root)
    if not check:  # for a `readiness commit` that follows
        remember_model(text, model, evidence_bytes(evidence_path(source_path)))
    pages = pages_for(assessment, source_path, templates_path, current=text)
    if flavor == "commonmark":
        from readiness.pages.commonmark import to_commonmark

        pages = to_commonmark(pages)
    if not check:
        refuse_linked_folders(root, folder, ", or choose another --out")
    with exclusive(root, "build"):  # two builds at once would race on the same files
        plan = write_pages(pages, folder, check=check)
        badges = [] if check else write_badges(folder, assessment.score)
    if check:
        yield Line(f"{len(plan.unchanged)} pages up to date in {folder}")
        return
    for leftover in plan.leftovers:
        yield note(f"readiness: removed {leftover}, left by an interrupted build")
    for name in plan.write:
        yield Line(f"wrote {folder / name}")
    for name in plan.remove:
        yield Line(f"removed {folder / name} (no longer generated)")
    for badge_file in badges:
        yield Line(f"wrote {badge_file}")
    from readiness.pages.mkdocs_site import shadow_warning
    from readiness.terminal import safe

    warning = shadow_warning(root, folder)  # copies of the plugin's pages, in its place
    if warning:
        yield note(safe(warning))
    yield Line(f"{plural(len(plan.write), 'page')} written, {len(plan.unchanged)} unchanged, "
               f"{len(plan.remove)} removed; {plural(len(badges), 'badge file')} written")
