"""The portfolio on a site: the overview page and each project's pages under its own folder.

A project is read again only when its source or its evidence file changed (their size and
modification time), so under ``mkdocs serve`` saving one project's source re-renders that
project alone. A member that cannot be read is reported, one line, and the others are built.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readiness.errors import ReadinessError
from readiness.portfolio.sources import Member, display, expand, is_glob, one_line

OVERVIEW = "index.md"
BACK_LINK = "Part of the [portfolio overview](../index.md)."
_FIRST_HEADING = re.compile(r"^# .*$", re.MULTILINE)


@dataclass(frozen=True)
class _Entry:
    key: tuple[object, ...]
    member: Member
    pages: dict[str, str] | None  # the project's pages (sources only), by page file name
    name: str = ""  # the project's name in those pages


@dataclass
class PortfolioSite:
    """Renders the portfolio; keeps each project's pages until its files change."""

    cache: dict[Path, _Entry] = field(default_factory=dict)
    rendered: int = 0  # projects rendered since this object was made (for tests and benchmarks)
    # after pages(): the source of each project page (for "edit this page"), and the members read
    # again by that call (the others came from the cache)
    sources: dict[str, Path] = field(default_factory=dict)
    read_again: int = 0

    def files(self, patterns: Sequence[str], base: Path) -> list[Path]:
        """What a change to changes the portfolio: member sources, their evidence files and
        templates folders, exports."""
        from readiness.source.locate import evidence_path

        found = expand(patterns, base).files
        sources = [p for p in found if not p.name.endswith(".json")]
        templates = dict.fromkeys(_templates_of(p) for p in sources)
        return [*found, *(evidence_path(p) for p in sources), *templates]

    def pages(self, patterns: Sequence[str], base: Path, *, serving: bool = False
              ) -> tuple[dict[str, str], list[str]]:
        """The pages ({path under the portfolio folder: Markdown}) and one line per problem.

        SERVING keeps the last good pages of a project whose source turned invalid, so the page
        being edited stays up while the overview reports the problem."""
        from readiness.portfolio.aggregate import aggregate
        from readiness.portfolio.overview import overview_markdown

        found = expand(patterns, base)
        before = self.rendered
        members: list[Member] = []
        project_pages: dict[Path, dict[str, str]] = {}
        names: dict[Path, str] = {}
        signatures: dict[Path, tuple[int, int]] = {}  # of each templates folder, once per call
        for path in found.files:
            entry = self._entry(path, display(path), _key(path, signatures), serving=serving)
            members.append(entry.member)
            if entry.pages:
                project_pages[path] = entry.pages
                names[path] = entry.name
        for stale in set(self.cache) - set(found.files):
            del self.cache[stale]  # no longer a member
        slugs = _slugs(names)
        unmatched = [f"{p}: matches no file" if is_glob(p) else f"{p}: no such file" for p in found.unmatched]
        portfolio = aggregate(members, unmatched, slugs=slugs)
        out: dict[str, str] = {}
        first: dict[str, str] = {}
        self.sources = {}
        for path, slug in slugs.items():
            pages = project_pages[path]
            for name, text in pages.items():
                out[f"{slug}/{name}"] = _with_back_link(text)
                self.sources[f"{slug}/{name}"] = path
            first[slug] = f"{slug}/start-here.md" if "start-here.md" in pages else f"{slug}/{next(iter(pages))}"
        out[OVERVIEW] = overview_markdown(portfolio, first)
        self.read_again = self.rendered - before
        return out, list(portfolio.problems)

    def _entry(self, path: Path, display: str, key: tuple[object, ...], *, serving: bool) -> _Entry:
        cached = self.cache.get(path)
        if cached is not None and cached.key == key:
            return cached
        member, pages = _render(path, display)
        name = "" if member.data is None else str(member.data["project"])
        if pages is None and serving and cached is not None and cached.pages is not None:
            pages, name = cached.pages, cached.name  # the last good pages stay up while the source is fixed
        entry = _Entry(key, member, pages, name)
        self.cache[path] = entry
        self.rendered += 1
        return entry


def _key(path: Path, signatures: dict[Path, tuple[int, int]]) -> tuple[object, ...]:
    """What the member's row and pages depend on besides the program: the size and modification
    time of its file, and for a source, of its evidence file and of its templates folder's files."""
    from readiness.source.locate import evidence_path

    if path.name.endswith(".json"):
        return (_stat(path),)
    templates = _templates_of(path)
    if templates not in signatures:
        signatures[templates] = _signature(templates)
    return _stat(path), _stat(evidence_path(path)), signatures[templates]


def _stat(file: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(file)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _templates_of(source: Path) -> Path:
    """The templates folder the pages of SOURCE are rendered with (as ``readiness build`` finds it)."""
    from readiness.files.project import project_root
    from readiness.source.locate import templates_folder

    return templates_folder(project_root(source.parent))


def _signature(folder: Path) -> tuple[int, int]:
    """The newest modification time (of its files and folders: a rename or a removal counts) and
    the number of files under FOLDER; (0, 0) when it does not exist."""
    newest = count = 0
    for parent, _, names in os.walk(folder):
        newest = max(newest, (_stat(Path(parent)) or (0, 0))[0])
        for name in names:
            info = _stat(Path(parent, name))
            if info is not None:
                newest, count = max(newest, info[0]), count + 1
    return newest, count


def _render(path: Path, display: str) -> tuple[Member, dict[str, str] | None]:
    """The member at PATH and, for a valid source, its pages as ``readiness build`` renders them
    (from the same model and figures as its row: the source is loaded once)."""
    from readiness.portfolio.sources import read_member_assessed

    member, found = read_member_assessed(path, display)
    if found is None:
        return member, None
    from readiness.files.project import project_root
    from readiness.pages.site import collections_paused, pages_for
    from readiness.source.locate import templates_folder

    root = project_root(path.parent)
    try:
        with collections_paused():
            return member, pages_for(found.assessment, path, templates_folder(root))
    except ReadinessError as error:
        return Member(path, display, member.kind, problem=one_line(error)), None


def _slugs(names: dict[Path, str]) -> dict[Path, str]:
    """A folder name for each project with pages (NAMES, in the order of the patterns): its name
    in lower case and hyphens, numbered from 2 when two projects share it."""
    slugs: dict[Path, str] = {}
    taken: set[str] = set()
    for path, name in names.items():
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "project"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[path] = slug
    return slugs


def _with_back_link(text: str) -> str:
    """TEXT with a link to the overview under its first heading (at the top when it has none)."""
    found = _FIRST_HEADING.search(text)
    if found is None:
        return f"{BACK_LINK}\n\n{text}"
    rest = text[found.end():]
    gap = "" if rest.startswith("\n\n") else "\n\n"  # the link stays a paragraph of its own
    return f"{text[:found.end()]}\n\n{BACK_LINK}{gap}{rest}"
