"""What a project's mkdocs.yml says about where files end up on the site.

``cleanup`` asks whether its archive would be published, ``build`` whether its pages would
shadow the plugin's. mkdocs.yml is read leniently (tags such as ``!ENV`` become nothing,
nothing runs); an unreadable one counts as no site.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

DEFAULT_PREFIX = "readiness"


class Site(NamedTuple):
    """The parts of a project's mkdocs.yml that decide which files are published."""

    config: Path  # mkdocs.yml
    docs_dir: Path  # absolute
    plugin: bool  # the readiness plugin is enabled
    prefix: str  # the plugin's URL folder ("" for the site's root)
    exclude_docs: str  # mkdocs' exclude_docs patterns (gitignore style), "" for none


def read_site(root: Path) -> Site | None:
    """The site of the mkdocs.yml in ROOT, or None without a readable one."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return None
    import yaml

    from readiness.source.locate import _lenient_loader

    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_lenient_loader())
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    docs = data.get("docs_dir")
    docs_dir = (root / (docs if isinstance(docs, str) and docs else "docs")).resolve()
    options = _plugin_options(data.get("plugins"))
    prefix = options.get("prefix") if options is not None else None
    exclude = data.get("exclude_docs")
    return Site(config, docs_dir, options is not None,
                (prefix if isinstance(prefix, str) else DEFAULT_PREFIX).strip("/"),
                exclude if isinstance(exclude, str) else "")


def _plugin_options(plugins: Any) -> dict[str, Any] | None:
    """The readiness plugin's options in mkdocs.yml's ``plugins``, or None when it is not
    enabled (not named, or ``enabled: false``)."""
    from readiness.source.locate import readiness_entry

    options = readiness_entry(plugins)
    return None if options is not None and options.get("enabled") is False else options


def inside_docs(site: Site, folder: Path) -> str | None:
    """FOLDER relative to the site's docs_dir ("" for docs_dir itself), or None outside it."""
    try:
        relative = Path(os.path.abspath(folder)).relative_to(site.docs_dir)
    except ValueError:
        try:
            relative = folder.resolve().relative_to(site.docs_dir)
        except (ValueError, OSError):
            return None
    text = relative.as_posix()
    return "" if text == "." else text


def excluded(site: Site, uri: str) -> bool:
    """Whether mkdocs' ``exclude_docs`` patterns leave URI (relative to docs_dir) out."""
    if not site.exclude_docs:
        return False
    try:
        from pathspec.gitignore import GitIgnoreSpec
    except ImportError:  # MkDocs is not installed here: it cannot be excluded by it either
        return False
    return bool(GitIgnoreSpec.from_lines(site.exclude_docs.splitlines()).match_file(uri))


def archive_note(root: Path, archive: str) -> str:
    """What to say about the cleanup ARCHIVE folder (relative to ROOT) and the site: nothing
    when it is not inside docs_dir or mkdocs.yml excludes it."""
    site = read_site(root)
    if site is None:
        return ""
    within = inside_docs(site, root / archive)
    if within is None or excluded(site, f"{within}/x.md"):
        return ""
    docs = _shown(root, site.docs_dir)
    if not within:
        return (f"Note: the archive {archive} is MkDocs' docs_dir itself, so the archived notes would "
                "be published: set housekeeping.archive to a folder of its own.")
    if site.plugin:
        return (f"The archive {archive} is inside MkDocs' docs_dir ({docs}): the readiness plugin "
                "keeps it out of the site.")
    return (f"Note: the archive {archive} is inside MkDocs' docs_dir ({docs}), so the archived notes "
            f"would be published: add `exclude_docs: /{within}/` to mkdocs.yml, or set "
            "housekeeping.archive outside it.")


def shadow_warning(root: Path, folder: Path) -> str:
    """A warning when FOLDER, where ``readiness build`` writes, is where the readiness plugin of
    ROOT's mkdocs.yml puts its pages (docs_dir/prefix): the site shows the plugin's pages,
    and the files, copies that go stale, only shadow them. Empty otherwise."""
    site = read_site(root)
    if site is None or not site.plugin:
        return ""
    within = inside_docs(site, folder)
    if within is None or within != site.prefix:
        return ""
    return (f"readiness: warning: {_shown(root, folder)} is where the readiness plugin of "
            f"{_shown(root, site.config)} puts its pages: the site shows the plugin's pages, not these "
            "copies, which go stale; build elsewhere (--out, housekeeping.pages_dir) or use the plugin alone")


def _shown(root: Path, path: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
