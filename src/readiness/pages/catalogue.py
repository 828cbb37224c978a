"""The page catalogue: the built-in templates, the pages a project has, and roles that name one it has not."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from readiness.errors import Problem, SourceError
from readiness.source.loader import MAX_PROBLEMS, Positions, format_path
from readiness.source.locate import decode_source, display_name

BUILT_IN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_SUFFIX = ".md.j2"


def page_ids(templates: Path | None = None) -> list[str]:
    """The ids of the pages there are (``start-here``, ...), as roles name them in ``pages``:
    the built-in ones, then those the project's TEMPLATES folder adds (each ``NAME.md.j2`` at
    its top, as ``readiness.pages.render`` finds them)."""

    def names(folder: Path) -> list[str]:
        try:
            return sorted(entry.name[: -len(TEMPLATE_SUFFIX)] for entry in folder.iterdir()
                          if entry.name.endswith(TEMPLATE_SUFFIX) and entry.is_file())
        except OSError:
            return []

    built_in = names(BUILT_IN_TEMPLATES)
    return built_in + [name for name in names(templates) if name not in built_in] if templates else built_in


# The last line of a page: `<!-- readiness seal SHA256 of NAME -->`, NAME percent-encoded. The
# hash covers every other byte of the file, also any written after the seal.


def refuse_unknown_pages(path: Path, data: bytes, model: Any, templates: Path | None) -> None:
    """SourceError (exit 3) when a role names a page there is not (a typo in ``pages``), each
    located; the pages are the built-in ones and those of the project's TEMPLATES folder.
    ``readiness check``, ``readiness build`` and the MkDocs plugin ask it alike."""
    known = page_ids(templates)
    if all(page in known for role in model.roles for page in role.pages):
        return
    display = display_name(path)
    raise SourceError(page_problems(model, decode_source(data, display), display, known))


def page_problems(model: Any, text: str, display: str, known: Sequence[str]) -> list[Problem]:
    """Each page a role names in ``pages`` that is not one of KNOWN (the built-in pages and the
    project's own), located, with the pages there are."""
    problems = []
    positions: Positions | None = None
    for i, role in enumerate(model.roles):
        for j, page in enumerate(role.pages):
            if page in known:
                continue
            positions = positions or Positions(text)
            key_node, value_node = positions.locate(("roles", i, "pages", j))
            node = value_node or key_node
            line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
            hint = difflib.get_close_matches(page, known, n=1, cutoff=0.6)
            tail = f"did you mean '{hint[0]}'? " if hint else ""
            problems.append(Problem(display, line, column, format_path(("roles", i, "pages", j)),
                                    f"no page '{page}'; {tail}the pages are: {', '.join(known)}"))
    return problems[:MAX_PROBLEMS]
