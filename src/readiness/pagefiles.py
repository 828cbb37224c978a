"""Write rendered pages to a folder safely: only what changed, atomically, never over a hand-written file.

A page on disk is ours when its first line is the generated marker. Nothing is written
through a symlink or outside the output folder, and every target is checked before the
first write, so a refusal leaves the folder as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from readiness.atomic import remove_leftovers, write_atomically
from readiness.errors import GateFailed, WouldLoseData
from readiness.generated import is_marker_line, refuse_hand_written


@dataclass
class PagesPlan:
    """What writing the pages into a folder changes."""

    out: Path
    write: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)  # removed temporary files of a killed run

    @property
    def stale(self) -> list[str]:
        return sorted(self.write + self.remove)


BUILT_IN_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_SUFFIX = ".md.j2"


def page_ids(templates: Path | None = None) -> list[str]:
    """The ids of the pages there are (``start-here``, ...), as roles name them in ``pages``:
    the built-in ones, then those the project's TEMPLATES folder adds (each ``NAME.md.j2`` at
    its top, as ``readiness.render`` finds them)."""

    def names(folder: Path) -> list[str]:
        try:
            return sorted(entry.name[: -len(TEMPLATE_SUFFIX)] for entry in folder.iterdir()
                          if entry.name.endswith(TEMPLATE_SUFFIX) and entry.is_file())
        except OSError:
            return []

    built_in = names(BUILT_IN_TEMPLATES)
    return built_in + [name for name in names(templates) if name not in built_in] if templates else built_in


def _is_generated(path: Path) -> bool:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return is_marker_line(handle.readline())
    except OSError:
        return False


def _target(out: Path, name: str) -> Path:
    """OUT/NAME, refusing symlinks on the way and anything outside OUT."""
    parts = Path(name).parts
    if Path(name).is_absolute() or ".." in parts:
        raise WouldLoseData(f"{name}: outside the output folder {out}")
    current = out
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise WouldLoseData(f"{current}: is a symbolic link; refusing to write through it")
    return current


def plan_pages(pages: dict[str, str], out: Path) -> PagesPlan:
    """Compare PAGES with OUT; raise WouldLoseData if a hand-written file or a link is in the way."""
    if out.is_symlink():
        raise WouldLoseData(f"{out}: the output folder is a symbolic link; refusing to write through it")
    if out.exists() and not out.is_dir():
        raise WouldLoseData(f"{out}: exists and is not a folder")
    plan = PagesPlan(out)
    for name, content in sorted(pages.items()):
        target = _target(out, name)
        if target.exists() and not target.is_file():
            raise WouldLoseData(f"{target}: exists and is not a file")
        if not target.exists():
            plan.write.append(name)
            continue
        refuse_hand_written(target)
        if target.read_bytes() == content.encode("utf-8"):
            plan.unchanged.append(name)
        else:
            plan.write.append(name)
    if out.is_dir():
        for path in sorted(out.rglob("*.md")):
            name = path.relative_to(out).as_posix()
            if name not in pages and path.is_file() and not path.is_symlink() and _is_generated(path):
                plan.remove.append(name)
    return plan


def _write_atomic(target: Path, content: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content.encode("utf-8"))


def write_pages(pages: dict[str, str], out: Path, check: bool = False) -> PagesPlan:
    """Bring OUT up to date with PAGES (or, with CHECK, raise GateFailed listing stale pages)."""
    plan = plan_pages(pages, out)
    if check:
        if plan.stale:
            raise GateFailed("stale pages (run `readiness build`): "
                             + ", ".join(str(out / name) for name in plan.stale))
        return plan
    for name in pages:  # temporary files of a killed build: ours by name; the caller holds the lock
        plan.leftovers.extend(remove_leftovers(out / name))
    for name in plan.write:
        _write_atomic(_target(out, name), pages[name])
    for name in plan.remove:
        _target(out, name).unlink()
    return plan
