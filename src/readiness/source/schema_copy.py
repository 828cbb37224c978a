"""The project's copy of the JSON Schema (as `readiness init` writes it): where it is, and whether it
is still the schema of this version (for `readiness check --ci`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

SCHEMA_COPY = Path("schema/readiness.schema.json")  # where `init` puts it, under the project
# The editor modeline `init` writes at the top of the source (yaml-language-server's syntax).
_MODELINE = re.compile(rb"^#\s*yaml-language-server:\s*\$schema=(\S+)", re.MULTILINE)


def schema_copy(source: Path, text: bytes, root: Path) -> Path | None:
    """The project's copy of the JSON Schema: the local file the source's editor modeline names
    (relative to the source's folder), else ``schema/readiness.schema.json`` under ROOT when it
    exists; None when the modeline names a URL or there is no copy."""
    match = _MODELINE.search(text[:4096])
    if match is None:
        copy = root / SCHEMA_COPY
        return copy if copy.is_file() else None
    target = match.group(1).decode("utf-8", "replace")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", target):  # a URL: another tool keeps it up to date
        return None
    return source.parent / target


def stale_schema(source: Path, text: bytes, root: Path) -> str | None:
    """A line saying the project's schema copy differs from this version's schema; None when it
    is current or there is none. Compared as JSON, so line endings and indentation do not count."""
    from readiness.source.locate import display_name
    from readiness.source.models import json_schema

    copy = schema_copy(source, text, root)
    if copy is None or not copy.is_file():
        return None
    shown = display_name(copy)
    try:
        current = json.loads(copy.read_text(encoding="utf-8")) == json_schema()
    except (OSError, UnicodeDecodeError, ValueError):
        current = False
    if current:
        return None
    return (f"{shown} is stale (not the schema of this readiness version): "
            f"run `readiness schema > {shown}`")

