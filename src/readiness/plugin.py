"""The MkDocs plugin ``readiness``: a thin adapter that adds the rendered pages as in-memory files.

The source YAML and the templates folder are watched, so ``mkdocs serve`` rebuilds when a
writer saves them. An invalid source fails ``mkdocs build`` with the same one-line
file:line:col message as the CLI; under ``mkdocs serve`` the message is logged and the
last good pages stay up.
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
from mkdocs.structure.files import File, Files

from readiness.errors import ReadinessError
from readiness.portfolio.site import PortfolioSite
from readiness.site import generate

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
    """Adds the readiness pages under ``prefix/`` without writing into docs_dir."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: dict[str, str] | None = None
        self.generated: set[str] = set()
        self.portfolio: PortfolioSite | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _paths(self, config: Any) -> tuple[Path, Path, Path]:
        root = Path(config.config_file_path or ".").resolve().parent
        return root, root / self.config.source, root / self.config.templates

    def on_config(self, config: Any) -> Any:
        _, source, templates = self._paths(config)
        prefix = self.config.prefix.strip("/")
        if ".." in prefix.split("/"):
            raise PluginError(f"readiness: prefix {self.config.prefix!r} leaves the docs folder")
        for path in (source, templates):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        if self.config.portfolio:
            self._portfolio_config(config)
        return config

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
        edit_uri = os.path.relpath(source, Path(config.docs_dir).resolve()).replace(os.sep, "/")
        self._add(files, config, self.config.prefix.strip("/"), pages, edit_uri)
        return files

    def _add(self, files: Files, config: Any, prefix: str, pages: dict[str, str], edit_uri: str | None) -> None:
        for name, content in pages.items():
            uri = f"{prefix}/{name}" if prefix else name
            old = files.get_file_from_path(uri)
            if old is not None:
                files.remove(old)
            file = File.generated(config, uri, content=content)
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

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        # "edit this page" of a generated page opens the source YAML: tidy the "docs/../" away
        if page.file.src_uri in self.generated and page.edit_url:
            parts = urlsplit(page.edit_url)
            page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
        return context
