"""Where the source file is, and reading its bytes: light enough for every command to import.

Nothing here imports PyYAML or pydantic at import time (mkdocs.yml is parsed only when
there is one), so a command that can answer without validating the source, such as
``readiness commit`` with a remembered digest, starts without them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from readiness.errors import Problem, SourceError

DEFAULT_SOURCE = Path("content/readiness.yaml")


def _limit(name: str, default: int) -> int:
    """A resource limit, adjustable through the environment variable READINESS_<NAME>."""
    value = os.environ.get(f"READINESS_{name}", "")
    return int(value) if value.isdigit() and int(value) > 0 else default


MAX_BYTES = _limit("MAX_BYTES", 32 * 1024 * 1024)


def find_source(cwd: Path, explicit: Path | None = None) -> Path:
    """The source file: EXPLICIT, else the path in mkdocs.yml's readiness plugin, else the default.

    The default is ``content/readiness.yaml`` under the nearest folder (CWD or a parent)
    that has one, or a ``.git`` or ``mkdocs.yml``.
    """
    if explicit is not None:
        return explicit
    for folder in (cwd, *cwd.parents):
        from_config = _source_from_mkdocs(folder / "mkdocs.yml")
        if from_config is not None:
            return from_config
        if (folder / DEFAULT_SOURCE).is_file() or (folder / ".git").exists():
            return folder / DEFAULT_SOURCE
    return cwd / DEFAULT_SOURCE


def project_root(start: Path) -> Path:
    """The project folder: the nearest folder (START or a parent) with ``.git``, ``mkdocs.yml``
    or ``content/readiness.yaml``; else START. Deliverables, pages and templates are relative
    to it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / mark).exists() for mark in (".git", "mkdocs.yml", DEFAULT_SOURCE)):
            return folder
    return start


def _source_from_mkdocs(config: Path) -> Path | None:
    """The ``source`` option of the readiness plugin in mkdocs.yml, if any."""
    if not config.is_file():
        return None
    import yaml

    try:
        # mkdocs.yml may carry !ENV and python tags; read it leniently, keys only.
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_lenient_loader())
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return config.parent / DEFAULT_SOURCE
    for entry in (data or {}).get("plugins", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("readiness"), dict):
            source = entry["readiness"].get("source")
            if isinstance(source, str):
                return config.parent / source
    return config.parent / DEFAULT_SOURCE


_LENIENT: list[Any] = []


def _lenient_loader() -> Any:
    """A loader for mkdocs.yml that turns any tag into None instead of running it."""
    if not _LENIENT:
        import yaml

        base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loader: Any = type("LenientLoader", (base,), {})
        loader.add_multi_constructor("", lambda loader, suffix, node: None)
        _LENIENT.append(loader)
    return _LENIENT[0]


def display_name(path: Path) -> str:
    """PATH as the user would write it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def decode_source(text: bytes, display: str) -> str:
    """Source bytes TEXT as text; SourceError (at the line and column of the bad byte) when not UTF-8."""
    wide = _wide_encoding(text)
    if wide:
        raise SourceError([Problem(display, 1, 1, "", f"the file looks like {wide} text: save it as UTF-8")])
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        start = text.rfind(b"\n", 0, error.start) + 1
        line = text.count(b"\n", 0, error.start) + 1
        column = len(text[start:error.start].decode("utf-8")) + 1  # characters, as an editor counts
        message = f"not UTF-8 text (byte 0x{text[error.start]:02X}): save the file as UTF-8"
        raise SourceError([Problem(display, line, column, "", message)]) from None


def _wide_encoding(text: bytes) -> str | None:
    """"UTF-32" or "UTF-16" when TEXT starts with their byte-order mark, or has the NUL bytes
    they put beside every ASCII character (a quarter of the bytes or more: YAML allows none)."""
    if text.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    head = text[:1024]
    if text.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and head.count(0) * 4 >= len(head)):
        return "UTF-16"
    return None


def read_source(path: Path, display: str) -> bytes:
    """The bytes of the source file at PATH, within the size limit; SourceError otherwise."""
    try:
        if path.is_symlink() and not path.exists():
            raise SourceError(f"{display}: the link points nowhere")
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(
            f"{display}: no such file (run `readiness init`, or pass --source)"
        ) from None
    except OSError as error:
        raise SourceError(f"{display}: cannot read: {error.strerror}") from None
    if size > MAX_BYTES:
        raise SourceError(f"{display}: the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"{display}: cannot read: {error.strerror}") from None
