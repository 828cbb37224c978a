"""The MkDocs plugin ``readiness``: a thin adapter that adds the rendered pages as in-memory files.

The source YAML, its evidence file and the templates folder are watched, so ``mkdocs serve``
rebuilds when a writer saves them (the source's folder until the evidence file exists); so are
the git files a commit rewrites, so the score-over-time chart follows new commits. An invalid
source fails ``mkdocs build`` with the same one-line file:line:col message as the CLI; under
``mkdocs serve`` the message is logged and the last good pages stay up.
"""

from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from readiness.errors import ReadinessError
from readiness.pages.generated import refuse_hand_written
from readiness.pages.site import MARKDOWN_EXTENSIONS, STYLESHEET, generate, stylesheet
from readiness.portfolio.site import PortfolioSite
from readiness.source.locate import evidence_path

log = logging.getLogger("mkdocs.plugins.readiness")


class ReadinessConfig(base.Config):  # type: ignore[no-untyped-call]
    source = opt.Type(str, default="content/readiness.yaml")
    templates = opt.Type(str, default="templates")
    prefix = opt.Type(str, default="readiness")
    # Paths or globs of other projects' sources and check exports (relative to mkdocs.yml):
    # an overview page and each project's pages under portfolio_prefix (readiness.portfolio.site).
    portfolio = opt.ListOfItems(opt.Type(str), default=[])
    portfolio_prefix = opt.Type(str, default="portfolio")


class ReadinessPlugin(BasePlugin[ReadinessConfig]):  # type: ignore[no-untyped-call]
    """Adds the readiness pages under ``prefix/`` without writing into docs_dir, and leaves
    cleanup's archive folder (``housekeeping.archive``) out of the site."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: dict[str, str] | None = None
        self.generated: set[str] = set()
        self.portfolio: PortfolioSite | None = None
        self.head_files: list[Path] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _paths(self, config: Any) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        return root, root / self.config.source, root / self.config.templates

    def on_config(self, config: Any) -> Any:
        from readiness import settings

        try:
            settings.check_all()
        except ReadinessError as error:
            raise PluginError(f"readiness: {error}") from None
        _, source, templates = self._paths(config)
        prefix = self.config.prefix.strip("/")
        if ".." in prefix.split("/"):
            raise PluginError(f"readiness: prefix {self.config.prefix!r} leaves the docs folder")
        for path in (source, templates, evidence_path(source), *self._history_files(source)):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        # what the pages are written with: admonitions, ids, collapsed blocks, and their stylesheet
        config.markdown_extensions.extend(n for n in MARKDOWN_EXTENSIONS if n not in config.markdown_extensions)
        if f"{prefix}/{STYLESHEET}".lstrip("/") not in config.extra_css:
            config.extra_css.append(f"{prefix}/{STYLESHEET}".lstrip("/"))
        if self.config.portfolio:
            self._portfolio_config(config)
        return config

    def _history_files(self, source: Path) -> list[Path]:
        """Under ``mkdocs serve``, what a commit rewrites in the source's repository (its HEAD, the
        branch's ref), so that the score-over-time chart follows new commits; asked once."""
        if not self.serving:
            return []
        if self.head_files is None:
            from readiness.git.repository import open_repository

            try:
                self.head_files = open_repository(source.parent).head_files() if source.parent.is_dir() else []
            except ReadinessError:
                self.head_files = []  # not in a repository: no history to follow
        return self.head_files

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        # A file that does not exist yet cannot be watched: until `readiness verify` first writes
        # the evidence file, the files of the source's folder are (not its sub-folders).
        _, source, _ = self._paths(config)
        if source.exists() and not evidence_path(source).exists():
            server.watch(str(source.parent), recursive=False)
        return server

    def _portfolio_config(self, config: Any) -> None:
        root, _, _ = self._paths(config)
        prefix = self.config.portfolio_prefix.strip("/")
        if not prefix or ".." in prefix.split("/"):
            raise PluginError(f"readiness: portfolio_prefix {self.config.portfolio_prefix!r} must name "
                              "a folder inside the docs folder")
        self.portfolio = self.portfolio or PortfolioSite()
        for path in self.portfolio.files(self.config.portfolio, root):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))

    def on_files(self, files: Files, *, config: Any) -> Files:
        root, source, templates = self._paths(config)
        if self.portfolio is not None:
            self._add_portfolio(files, config, root)
            if not source.exists():
                return files  # a portfolio site without a project of its own
        try:
            pages = generate(source, root, templates)
        except ReadinessError as error:
            if self.serving and self.last_good is not None:
                log.error("%s", error)
                log.warning("readiness: the last good pages stay up until the source is fixed")
                pages = self.last_good
            else:
                raise PluginError(str(error)) from None
        self.last_good = pages
        self._keep_archive_out(files, root, source, Path(config.docs_dir))
        pages = {**pages, STYLESHEET: stylesheet()}
        edit_uri = os.path.relpath(source, Path(config.docs_dir).resolve()).replace(os.sep, "/")
        self._add(files, config, self.config.prefix.strip("/"), pages, edit_uri)
        return files

    def _add(self, files: Files, config: Any, prefix: str, pages: dict[str, str], edit_uri: str | None) -> None:
        for name, content in pages.items():
            uri = f"{prefix}/{name}" if prefix else name
            file = File.generated(config, uri, content=content)
            # The file of that name, or one MkDocs would publish at the same address
            # (README.md is a folder's index.md too).
            for old in [f for f in files if f.src_uri == uri or f.dest_uri == file.dest_uri]:
                _refuse_hand_written(old, old.src_uri)
                files.remove(old)  # a copy `readiness build` wrote: the plugin's pages win
            if edit_uri is not None:
                file.edit_uri = edit_uri
            files.append(file)
            self.generated.add(uri)

    def _add_portfolio(self, files: Files, config: Any, root: Path) -> None:
        """The overview and the members' pages; each member that cannot be read is a warning (so
        ``mkdocs build --strict`` fails on it, as ``readiness portfolio`` exits 3)."""
        assert self.portfolio is not None
        pages, problems = self.portfolio.pages(self.config.portfolio, root, serving=self.serving)
        for problem in problems:
            log.warning("readiness portfolio: %s", problem)
        log.info("readiness portfolio: %d of %d projects read again", self.portfolio.read_again,
                 len(self.portfolio.cache))
        prefix = self.config.portfolio_prefix.strip("/")
        docs = Path(config.docs_dir).resolve()
        for name, content in pages.items():
            source = self.portfolio.sources.get(name)
            edit_uri = None if source is None else os.path.relpath(source.resolve(), docs).replace(os.sep, "/")
            self._add(files, config, prefix, {name: content}, edit_uri)

    def _keep_archive_out(self, files: Files, root: Path, source: Path, docs_dir: Path) -> None:
        """Leave cleanup's archive folder out of the site, as ``exclude_docs`` would: the notes
        archived there are history, not pages (and their old links would fail a strict build)."""
        from readiness.digest import digest_text
        from readiness.source.locate import display_name, evidence_bytes

        try:
            archive = digest_text(source.read_bytes(), display_name(source),
                                  evidence_bytes(evidence_path(source))).archive.strip("/")
        except (ReadinessError, OSError):
            return
        # The archive is relative to the repository's root, which may lie above mkdocs.yml.
        top = next((folder for folder in (root, *root.parents) if (folder / ".git").exists()), root)
        try:
            within = (top / archive).resolve().relative_to(docs_dir.resolve()).as_posix()
        except ValueError:
            return  # outside docs_dir: never published
        if within == ".":
            return  # the archive cannot be the whole site
        folder = within + "/"
        for file in files:
            if file.src_uri.startswith(folder) and file.abs_src_path is not None:
                file.inclusion = InclusionLevel.EXCLUDED

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        # "edit this page" of a generated page opens the source YAML: tidy the "docs/../" away
        if page.file.src_uri in self.generated and page.edit_url:
            parts = urlsplit(page.edit_url)
            page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
        return context


def _refuse_hand_written(old: File, uri: str) -> None:
    """Fail the build when OLD, the file at URI, is not a page readiness generated: the
    rule and the message of ``readiness build`` (``generated.refuse_hand_written``)."""
    if old.abs_src_path is None or old.generated_by is not None:
        raise PluginError(f"readiness: {uri}: another plugin already provides this page; "
                          "set the readiness plugin's prefix elsewhere")
    try:
        refuse_hand_written(Path(old.abs_src_path))
    except ReadinessError as error:
        raise PluginError(f"readiness: {error}") from None
