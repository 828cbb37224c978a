"""The MkDocs plugin ``readiness``: a thin adapter that adds the rendered pages as in-memory files.

The source YAML, its evidence file and the templates folder are watched, so ``mkdocs serve`` rebuilds when a
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
from readiness.evidence import evidence_path
from readiness.site import MARKDOWN_EXTENSIONS, STYLESHEET, generate, stylesheet

log = logging.getLogger("mkdocs.plugins.readiness")


class ReadinessConfig(base.Config):  # type: ignore[no-untyped-call]
    source = opt.Type(str, default="content/readiness.yaml")
    templates = opt.Type(str, default="templates")
    prefix = opt.Type(str, default="readiness")


class ReadinessPlugin(BasePlugin[ReadinessConfig]):  # type: ignore[no-untyped-call]
    """Adds the readiness pages under ``prefix/`` without writing into docs_dir."""

    def __init__(self) -> None:
        self.serving = False
        self.last_good: dict[str, str] | None = None
        self.generated: set[str] = set()

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
        for path in (source, templates, evidence_path(source)):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        # what the pages are written with: admonitions, ids, collapsed blocks, and their stylesheet
        config.markdown_extensions.extend(n for n in MARKDOWN_EXTENSIONS if n not in config.markdown_extensions)
        if f"{prefix}/{STYLESHEET}".lstrip("/") not in config.extra_css:
            config.extra_css.append(f"{prefix}/{STYLESHEET}".lstrip("/"))
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        root, source, templates = self._paths(config)
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
        prefix = self.config.prefix.strip("/")
        pages = {**pages, STYLESHEET: stylesheet()}
        edit_uri = os.path.relpath(source, Path(config.docs_dir).resolve()).replace(os.sep, "/")
        for name, content in pages.items():
            uri = f"{prefix}/{name}" if prefix else name
            old = files.get_file_from_path(uri)
            if old is not None:
                files.remove(old)
            file = File.generated(config, uri, content=content)
            file.edit_uri = edit_uri
            files.append(file)
            self.generated.add(uri)
        return files

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        # "edit this page" of a generated page opens the source YAML: tidy the "docs/../" away
        if page.file.src_uri in self.generated and page.edit_url:
            parts = urlsplit(page.edit_url)
            page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
        return context
