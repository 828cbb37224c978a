"""Which files `readiness cleanup` reads (Markdown documents and mkdocs.yml), and where the
tool never writes.

By name, and as the git pathspecs that list them. Kept apart from the cleanup code so that
the program's entry point can start listing them before it loads anything else
(``readiness.cli.head_start``).
"""

from __future__ import annotations

MARKDOWN_SUFFIXES = (".md", ".markdown")
MKDOCS_FILES = ("mkdocs.yml", "mkdocs.yaml")
# Every Markdown file at any depth, and the mkdocs files at the root. Without the glob magic
# a "*" matches "/" too, so "*.md" is every Markdown file; git matches it in half the time
# of ":(glob)**/*.md" in a large index.
DOCUMENT_SPECS = (":(icase)*.md", ":(icase)*.markdown",
                  *(f":(literal){name}" for name in MKDOCS_FILES))
# The Markdown files at the root only: with the glob magic a "*" does not match "/".
ROOT_SPECS = (":(glob,icase)*.md", ":(glob,icase)*.markdown")
# A path component git keeps no file under, so the tool never writes there: .git in any
# letter case, and as Windows reads it (".git.", ".git ", the short name "git~1"). A regular
# expression, for Python and for the JSON Schema's patterns.
DOT_GIT_COMPONENT = r"(\.[gG][iI][tT][. ]*|[gG][iI][tT]~1)"


def is_markdown(name: str) -> bool:
    """Whether NAME is a Markdown file's name (any case)."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)
