"""The source file a command works on, and the project folder around it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readiness.source.models import Readiness

# How to get round a refusal to write beside the source through a linked folder.
LINKED_SOURCE_HINT = ", or pass the source's real path with --source, or choose --out"


def source_file(source: str | Path | None) -> Path:
    """The source file: SOURCE (``--source``), else the plugin config in mkdocs.yml, else the default."""
    from readiness.source.locate import find_source

    return find_source(Path.cwd(), Path(source) if source else None)


def load(source: str | Path | None) -> tuple[Path, bytes, Readiness]:
    """The source file, its bytes, and the model validated from them."""
    from readiness.source.loader import read_and_load

    path = source_file(source)
    return (path, *read_and_load(path))


def project_folder(path: Path) -> Path:
    """The project folder of the source file PATH: deliverables, pages and templates are relative to it."""
    from readiness.files.project import project_root

    return project_root(path.parent)


def display_path(path: Path) -> str:
    """PATH as the messages show it: relative to the current folder when under it."""
    from readiness.source.locate import display_name

    return display_name(path)
